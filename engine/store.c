/*
** store.c — the SQLite store: a versioned schema holding documents (text
** and metadata) and an FTS5 index over their titles and texts. Syncing a
** corpus into the store is one transaction that only touches documents
** whose text or metadata changed; searching returns bm25-ranked hits with a
** snippet and the byte spans of every matched phrase in the text.
**
** See docs/store.md for the user-facing description of the schema.
*/
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <sqlite3.h>
#include <xxhash.h>

#include "store.h"

#if defined(__GNUC__)
#define TR_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define TR_PRINTF(f, a)
#endif

/* How long a writer waits for another connection's lock, in ms. A sync of
** a large corpus can hold the write lock for a few seconds. */
#define TR_BUSY_TIMEOUT_MS 10000

/* Column of the text in the FTS5 table (0 is the title). */
#define TR_FTS_TEXT_COL 1

/* Version of the rev hash layout: changing what rev covers changes this
** prefix, so every document then counts as changed once. */
#define TR_REV_LAYOUT 1

/* ---- schema ---------------------------------------------------------- */

/* Migrations: tr_migrations[v] brings a store from version v to v + 1.
** Version 0 is an empty database. Each script runs inside the migration
** transaction; the schema_version row is written afterwards.
**
** documents.docid is an INTEGER PRIMARY KEY (a rowid alias) so that the
** rowids the FTS5 index refers to survive VACUUM; the document id is a
** UNIQUE text key beside it. The FTS5 table is an external-content table
** (it stores only the index, the text lives once, in documents) kept in
** sync by triggers, so any writer — trawl or the sqlite3 shell — keeps the
** index right. The update trigger only reindexes when the title or the
** text really changed: a metadata-only change costs one row update. */
static const char *const tr_migrations[TR_STORE_SCHEMA] = {
  /* 0 -> 1 */
  "CREATE TABLE meta(\n"
  "  key   TEXT PRIMARY KEY,\n"
  "  value\n"
  ");\n"
  "CREATE TABLE documents(\n"
  "  docid  INTEGER PRIMARY KEY,\n"
  "  id     TEXT NOT NULL UNIQUE,\n"
  "  path   TEXT,\n"
  "  title  TEXT,\n"
  "  date   TEXT,\n"
  "  source TEXT,\n"
  "  author TEXT,\n"
  "  meta   TEXT CHECK (meta IS NULL OR json_valid(meta)),\n"
  "  text   TEXT NOT NULL,\n"
  "  len    INTEGER NOT NULL,\n"
  "  hash   INTEGER NOT NULL,\n"
  "  rev    INTEGER NOT NULL,\n"
  "  ord    INTEGER NOT NULL\n"
  ");\n"
  "CREATE VIRTUAL TABLE documents_fts USING fts5(\n"
  "  title, text,\n"
  "  content='documents', content_rowid='docid',\n"
  "  tokenize='unicode61 remove_diacritics 2'\n"
  ");\n"
  "CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN\n"
  "  INSERT INTO documents_fts(rowid, title, text)\n"
  "    VALUES (new.docid, new.title, new.text);\n"
  "END;\n"
  "CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN\n"
  "  INSERT INTO documents_fts(documents_fts, rowid, title, text)\n"
  "    VALUES ('delete', old.docid, old.title, old.text);\n"
  "END;\n"
  "CREATE TRIGGER documents_au AFTER UPDATE OF title, text ON documents\n"
  "  WHEN old.title IS NOT new.title OR old.text IS NOT new.text BEGIN\n"
  "  INSERT INTO documents_fts(documents_fts, rowid, title, text)\n"
  "    VALUES ('delete', old.docid, old.title, old.text);\n"
  "  INSERT INTO documents_fts(rowid, title, text)\n"
  "    VALUES (new.docid, new.title, new.text);\n"
  "END;\n",
  /* 1 -> 2: the entity tables, written by tr_apply (engine/entities.c).
  ** Rows belong to a ruleset by name; re-applying a ruleset replaces its
  ** rows and nothing else. Mentions point at documents by docid. They
  ** have no foreign keys, on purpose: a key check per inserted mention
  ** (the text key of rulesets especially) was a third of the insert time
  ** of a large apply, and tr_apply checks every document itself. Triggers
  ** do the cascades instead: deleting a document deletes its mentions, and
  ** changing its text does too, since their byte spans no longer hold.
  ** The indexes serve the queries of entities.h (by entity, by document in
  ** text order, by type; docid in the entity index lets the entity list
  ** count documents from the index alone); deleting a ruleset's mentions scans the table,
  ** which costs less than keeping an index on ruleset for every insert. */
  "CREATE TABLE rulesets(\n"
  "  name        TEXT PRIMARY KEY,\n"
  "  version     TEXT NOT NULL,\n"
  "  description TEXT,\n"
  "  license     TEXT,\n"
  "  author      TEXT,\n"
  "  path        TEXT,\n"
  "  applied_at  TEXT NOT NULL\n"
  ");\n"
  "CREATE TABLE entities(\n"
  "  ruleset TEXT NOT NULL REFERENCES rulesets(name) ON DELETE CASCADE,\n"
  "  id      TEXT NOT NULL,\n"
  "  type    TEXT NOT NULL,\n"
  "  name    TEXT NOT NULL,\n"
  "  attrs   TEXT CHECK (attrs IS NULL OR json_valid(attrs)),\n"
  "  PRIMARY KEY (ruleset, id)\n"
  ");\n"
  "CREATE TABLE aliases(\n"
  "  ruleset TEXT NOT NULL,\n"
  "  entity  TEXT NOT NULL,\n"
  "  alias   TEXT NOT NULL,\n"
  "  PRIMARY KEY (ruleset, entity, alias),\n"
  "  FOREIGN KEY (ruleset, entity) REFERENCES entities(ruleset, id)\n"
  "    ON DELETE CASCADE\n"
  ");\n"
  "CREATE TABLE mentions(\n"
  "  mid      INTEGER PRIMARY KEY,\n"
  "  docid    INTEGER NOT NULL,\n"
  "  start    INTEGER NOT NULL,\n"
  "  stop     INTEGER NOT NULL,\n"
  "  text     TEXT NOT NULL,\n"
  "  entity   TEXT,\n"
  "  eruleset TEXT,\n"
  "  type     TEXT NOT NULL,\n"
  "  rule     TEXT NOT NULL,\n"
  "  ruleset  TEXT NOT NULL,\n"
  "  version  TEXT NOT NULL,\n"
  "  score    REAL NOT NULL,\n"
  "  attrs    TEXT CHECK (attrs IS NULL OR json_valid(attrs))\n"
  ");\n"
  "CREATE INDEX mentions_entity ON mentions(entity, eruleset, docid);\n"
  "CREATE INDEX mentions_doc ON mentions(docid, start);\n"
  "CREATE INDEX mentions_type ON mentions(type);\n"
  "CREATE TRIGGER documents_mentions_ad AFTER DELETE ON documents BEGIN\n"
  "  DELETE FROM mentions WHERE docid = old.docid;\n"
  "END;\n"
  "CREATE TRIGGER documents_mentions_au AFTER UPDATE OF text ON documents\n"
  "  WHEN old.text IS NOT new.text BEGIN\n"
  "  DELETE FROM mentions WHERE docid = old.docid;\n"
  "END;\n",
};

/* ---- statements ------------------------------------------------------- */

/* Statements prepared once per connection, on first use. */
enum {
  TR_Q_VERSION,    /* read schema_version */
  TR_Q_SET_VERSION,/* write schema_version */
  TR_Q_ROWS,       /* every stored (docid, id, rev, ord) */
  TR_Q_INSERT,     /* add a document */
  TR_Q_UPDATE,     /* replace a document's fields, by docid */
  TR_Q_UPDATE_ORD, /* move an unchanged document */
  TR_Q_DELETE,     /* remove a document, by docid */
  TR_Q_LOAD,       /* every document, in id order */
  TR_Q_COUNT,      /* number of documents */
  TR_Q_SEARCH,     /* the FTS5 query */
  TR_Q_N
};

static const char *const tr_sql[TR_Q_N] = {
  [TR_Q_VERSION] = "SELECT value FROM meta WHERE key = 'schema_version'",
  [TR_Q_SET_VERSION] =
    "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?1)",
  [TR_Q_ROWS] = "SELECT docid, id, rev, ord FROM documents",
  [TR_Q_INSERT] =
    "INSERT INTO documents(id, path, title, date, source, author, meta,"
    " text, len, hash, rev, ord)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
  [TR_Q_UPDATE] =
    "UPDATE documents SET path = ?2, title = ?3, date = ?4, source = ?5,"
    " author = ?6, meta = ?7, text = ?8, len = ?9, hash = ?10, rev = ?11,"
    " ord = ?12 WHERE docid = ?1",
  [TR_Q_UPDATE_ORD] = "UPDATE documents SET ord = ?2 WHERE docid = ?1",
  [TR_Q_DELETE] = "DELETE FROM documents WHERE docid = ?1",
  [TR_Q_LOAD] =
    "SELECT id, path, title, date, source, author, meta, text, hash"
    " FROM documents ORDER BY id",
  [TR_Q_COUNT] = "SELECT count(*) FROM documents",
  /* The FTS5 table drives the join (CROSS JOIN fixes the loop order) and
  ** sorts by rank itself, so snippet() and tr_spans() run only for the
  ** rows actually returned, not for every match. */
  [TR_Q_SEARCH] =
    "SELECT documents.id, documents_fts.rank,"
    " snippet(documents_fts, 1, '[', ']', '…', 16),"
    " tr_spans(documents_fts)"
    " FROM documents_fts CROSS JOIN documents"
    " ON documents.docid = documents_fts.rowid"
    " WHERE documents_fts MATCH ?1"
    " ORDER BY documents_fts.rank LIMIT ?2",
};

struct tr_store {
  sqlite3 *db;                  /* the connection */
  char *path;                   /* database file, for messages */
  sqlite3_stmt *q[TR_Q_N];      /* prepared statements, NULL until used */
};

/* ---- errors ----------------------------------------------------------- */

/* Set *err to a malloc'ed message (left NULL if memory runs out). Never
** overwrites a message already set: the first failure is the cause. Every
** public function starts by setting *err to NULL (tr_err_reset). */
static TR_PRINTF(2, 3) void tr_seterr(char **err, const char *fmt, ...) {
  if (!err || *err)
    return;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0)
    return;
  char *m = malloc((size_t)n + 1);
  if (!m)
    return;
  va_start(ap, fmt);
  vsnprintf(m, (size_t)n + 1, fmt, ap);
  va_end(ap);
  *err = m;
}

static void tr_err_reset(char **err) {
  if (err)
    *err = NULL;
}

/* Report an SQLite failure of the connection: "PATH: WHAT: message". */
static void tr_dberr(tr_store *s, char **err, const char *what) {
  tr_seterr(err, "%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

/* ---- small helpers ---------------------------------------------------- */

static char *tr_strdup(const char *p) {
  size_t n = strlen(p) + 1;
  char *q = malloc(n);
  if (q)
    memcpy(q, p, n);
  return q;
}

/* The prepared statement k, reset and unbound, or NULL (*err set). */
static sqlite3_stmt *tr_stmt(tr_store *s, int k, char **err) {
  if (!s->q[k]) {
    if (sqlite3_prepare_v3(s->db, tr_sql[k], -1, SQLITE_PREPARE_PERSISTENT,
                           &s->q[k], NULL) != SQLITE_OK) {
      tr_dberr(s, err, "cannot prepare statement");
      return NULL;
    }
  } else {
    sqlite3_reset(s->q[k]);
    sqlite3_clear_bindings(s->q[k]);
  }
  return s->q[k];
}

/* Run one or more SQL statements that return nothing of interest. */
static int tr_exec(tr_store *s, const char *sql, const char *what,
                   char **err) {
  if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
    tr_dberr(s, err, what);
    return -1;
  }
  return 0;
}

/* Roll back the open transaction, if any, keeping the first error. */
static void tr_rollback(tr_store *s) {
  if (!sqlite3_get_autocommit(s->db))
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Create the directory holding path (and its missing parents), like
** mkdir -p. A path without a slash lives in the current directory. */
static int tr_mkdirs_for(const char *path, char **err) {
  const char *slash = strrchr(path, '/');
  if (!slash || slash == path)
    return 0;
  size_t n = (size_t)(slash - path);
  char *dir = malloc(n + 1);
  if (!dir) {
    tr_seterr(err, "%s: out of memory", path);
    return -1;
  }
  memcpy(dir, path, n);
  dir[n] = '\0';
  struct stat sb;
  int rc = 0;
  if (stat(dir, &sb) == 0) {
    if (!S_ISDIR(sb.st_mode)) {
      tr_seterr(err, "%s: cannot create store directory %s: %s", path, dir,
                strerror(ENOTDIR));
      rc = -1;
    }
    free(dir);
    return rc;
  }
  /* Walk the prefixes: each '/' (not the leading one) ends a component. */
  for (size_t i = 1; i <= n && rc == 0; i++) {
    if (i < n && dir[i] != '/')
      continue;
    char c = dir[i];
    dir[i] = '\0';
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
      tr_seterr(err, "%s: cannot create store directory %s: %s", path, dir,
                strerror(errno));
      rc = -1;
    } else if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
      tr_seterr(err, "%s: cannot create store directory %s: %s", path, dir,
                strerror(ENOTDIR));
      rc = -1;
    }
    dir[i] = c;
  }
  free(dir);
  return rc;
}

/* ---- the tr_spans auxiliary function ----------------------------------
** tr_spans(fts) returns, as a blob of native uint64_t pairs (byte start,
** byte stop), every matched phrase instance in the text column of the
** current row, sorted and without duplicates. FTS5 reports instances as
** token offsets; the text is re-tokenized with the table's own tokenizer
** to turn them into byte offsets, stopping after the last token needed. */

typedef struct tr_need {
  int tok;                      /* token offset wanted */
  int slot;                     /* index into the output words */
} tr_need;

typedef struct tr_tokwalk {
  const tr_need *need;          /* wanted tokens, sorted by tok */
  int nneed, next;              /* count, and the first not yet found */
  int pos;                      /* offset of the next token */
  uint64_t *out;                /* output words: start, stop pairs */
} tr_tokwalk;

static int tr_need_cmp(const void *a, const void *b) {
  const tr_need *x = a, *y = b;
  return (x->tok > y->tok) - (x->tok < y->tok);
}

static int tr_pair_cmp(const void *a, const void *b) {
  const uint64_t *x = a, *y = b;
  if (x[0] != y[0])
    return x[0] < y[0] ? -1 : 1;
  return (x[1] > y[1]) - (x[1] < y[1]);
}

static int tr_tokwalk_cb(void *ud, int tflags, const char *tok, int ntok,
                         int start, int stop) {
  tr_tokwalk *w = ud;
  (void)tok;
  (void)ntok;
  /* A colocated token (a synonym) shares the previous token's offset. */
  if (tflags & FTS5_TOKEN_COLOCATED)
    return SQLITE_OK;
  while (w->next < w->nneed && w->need[w->next].tok == w->pos) {
    int slot = w->need[w->next].slot;
    /* Even slots want the first token's start, odd the last token's stop. */
    w->out[slot] = (uint64_t)((slot & 1) ? stop : start);
    w->next++;
  }
  w->pos++;
  return w->next < w->nneed ? SQLITE_OK : SQLITE_DONE;
}

static void tr_fts_spans(const Fts5ExtensionApi *api, Fts5Context *fts,
                         sqlite3_context *ctx, int nval,
                         sqlite3_value **vals) {
  (void)nval;
  (void)vals;
  int ninst = 0, rc = api->xInstCount(fts, &ninst);
  if (rc != SQLITE_OK) {
    sqlite3_result_error_code(ctx, rc);
    return;
  }
  tr_need *need = NULL;
  uint64_t *out = NULL;
  int n = 0; /* instances in the text column */
  if (ninst > 0) {
    need = sqlite3_malloc64(sizeof *need * 2 * (sqlite3_uint64)ninst);
    out = sqlite3_malloc64(sizeof *out * 2 * (sqlite3_uint64)ninst);
    if (!need || !out) {
      rc = SQLITE_NOMEM;
      goto done;
    }
  }
  for (int i = 0; i < ninst; i++) {
    int phrase, col, off;
    if ((rc = api->xInst(fts, i, &phrase, &col, &off)) != SQLITE_OK)
      goto done;
    if (col != TR_FTS_TEXT_COL)
      continue; /* title hits rank, but have no place in the text */
    int size = api->xPhraseSize(fts, phrase);
    need[2 * n] = (tr_need){off, 2 * n};
    need[2 * n + 1] = (tr_need){off + (size > 0 ? size - 1 : 0), 2 * n + 1};
    out[2 * n] = out[2 * n + 1] = UINT64_MAX;
    n++;
  }
  if (n > 0) {
    const char *text;
    int ntext;
    if ((rc = api->xColumnText(fts, TR_FTS_TEXT_COL, &text, &ntext)) !=
        SQLITE_OK)
      goto done;
    qsort(need, 2 * (size_t)n, sizeof *need, tr_need_cmp);
    tr_tokwalk w = {need, 2 * n, 0, 0, out};
    rc = api->xTokenize(fts, text, ntext, &w, tr_tokwalk_cb);
    if (rc == SQLITE_DONE)
      rc = SQLITE_OK;
    if (rc != SQLITE_OK)
      goto done;
    /* Drop instances whose tokens were not found (text and index out of
    ** step), then sort and remove duplicates (a word matched by two
    ** phrases of the query). */
    int m = 0;
    for (int i = 0; i < n; i++)
      if (out[2 * i] != UINT64_MAX && out[2 * i + 1] != UINT64_MAX) {
        out[2 * m] = out[2 * i];
        out[2 * m + 1] = out[2 * i + 1];
        m++;
      }
    qsort(out, (size_t)m, 2 * sizeof *out, tr_pair_cmp);
    n = 0;
    for (int i = 0; i < m; i++)
      if (n == 0 || out[2 * i] != out[2 * n - 2] ||
          out[2 * i + 1] != out[2 * n - 1]) {
        out[2 * n] = out[2 * i];
        out[2 * n + 1] = out[2 * i + 1];
        n++;
      }
  }
done:
  sqlite3_free(need);
  if (rc != SQLITE_OK) {
    sqlite3_free(out);
    sqlite3_result_error_code(ctx, rc);
  } else if (n == 0) {
    sqlite3_free(out);
    sqlite3_result_zeroblob(ctx, 0);
  } else {
    sqlite3_result_blob64(ctx, out, sizeof *out * 2 * (sqlite3_uint64)n,
                          sqlite3_free);
  }
}

/* Register tr_spans with the connection's FTS5 module. */
static int tr_register_spans(tr_store *s, char **err) {
  sqlite3_stmt *q = NULL;
  fts5_api *api = NULL;
  if (sqlite3_prepare_v2(s->db, "SELECT fts5(?1)", -1, &q, NULL) !=
      SQLITE_OK) {
    tr_dberr(s, err, "FTS5 is not available");
    return -1;
  }
  sqlite3_bind_pointer(q, 1, &api, "fts5_api_ptr", NULL);
  sqlite3_step(q);
  sqlite3_finalize(q);
  if (!api || api->iVersion < 2 ||
      api->xCreateFunction(api, "tr_spans", NULL, tr_fts_spans, NULL) !=
        SQLITE_OK) {
    tr_seterr(err, "%s: cannot register the FTS5 function tr_spans",
              s->path);
    return -1;
  }
  return 0;
}

/* ---- open, schema ----------------------------------------------------- */

/* Read the schema version: 0 for an empty database. A database holding
** other tables but no meta table is not a trawl store. */
static int tr_read_version(tr_store *s, int *version, char **err) {
  sqlite3_stmt *q = NULL;
  int rc = sqlite3_prepare_v2(
    s->db,
    "SELECT (SELECT count(*) FROM sqlite_master),"
    " (SELECT count(*) FROM sqlite_master"
    "  WHERE type = 'table' AND name = 'meta')",
    -1, &q, NULL);
  if (rc != SQLITE_OK || sqlite3_step(q) != SQLITE_ROW) {
    if (sqlite3_errcode(s->db) == SQLITE_NOTADB)
      tr_seterr(err, "%s: not a trawl store (%s)", s->path,
                sqlite3_errmsg(s->db));
    else
      tr_dberr(s, err, "cannot read the schema");
    sqlite3_finalize(q);
    return -1;
  }
  int nobjects = sqlite3_column_int(q, 0), hasmeta = sqlite3_column_int(q, 1);
  sqlite3_finalize(q);
  if (nobjects == 0) {
    *version = 0;
    return 0;
  }
  if (!hasmeta) {
    tr_seterr(err, "%s: not a trawl store (an SQLite database without a "
                   "meta table)", s->path);
    return -1;
  }
  if (!(q = tr_stmt(s, TR_Q_VERSION, err)))
    return -1;
  rc = sqlite3_step(q);
  if (rc == SQLITE_ROW && sqlite3_column_type(q, 0) == SQLITE_INTEGER &&
      sqlite3_column_int64(q, 0) >= 0 &&
      sqlite3_column_int64(q, 0) <= INT_MAX) {
    *version = sqlite3_column_int(q, 0);
    sqlite3_reset(q);
    return 0;
  }
  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    tr_seterr(err, "%s: not a trawl store (no valid schema_version in its "
                   "meta table)", s->path);
  else
    tr_dberr(s, err, "cannot read the schema version");
  sqlite3_reset(q);
  return -1;
}

static int tr_newer_error(tr_store *s, int version, char **err) {
  tr_seterr(err, "%s: store schema version %d is newer than this trawl "
                 "supports (version %d); use a newer trawl or another store",
            s->path, version, TR_STORE_SCHEMA);
  return -1;
}

/* Bring the schema to TR_STORE_SCHEMA, migrating in one transaction. */
static int tr_migrate(tr_store *s, char **err) {
  int v;
  if (tr_read_version(s, &v, err))
    return -1;
  if (v == TR_STORE_SCHEMA)
    return 0;
  if (v > TR_STORE_SCHEMA)
    return tr_newer_error(s, v, err);
  if (tr_exec(s, "BEGIN IMMEDIATE", "cannot start the migration", err))
    return -1;
  /* Read again under the write lock: another process may have migrated
  ** between our first look and the lock. */
  if (tr_read_version(s, &v, err))
    goto fail;
  if (v > TR_STORE_SCHEMA) {
    tr_newer_error(s, v, err);
    goto fail;
  }
  for (; v < TR_STORE_SCHEMA; v++) {
    char what[64];
    snprintf(what, sizeof what, "cannot migrate schema %d to %d", v, v + 1);
    if (tr_exec(s, tr_migrations[v], what, err))
      goto fail;
  }
  sqlite3_stmt *q = tr_stmt(s, TR_Q_SET_VERSION, err);
  if (!q)
    goto fail;
  sqlite3_bind_int(q, 1, TR_STORE_SCHEMA);
  if (sqlite3_step(q) != SQLITE_DONE) {
    tr_dberr(s, err, "cannot write the schema version");
    sqlite3_reset(q);
    goto fail;
  }
  sqlite3_reset(q);
  if (tr_exec(s, "COMMIT", "cannot commit the migration", err))
    goto fail;
  return 0;
fail:
  tr_rollback(s);
  return -1;
}

char *tr_store_default_path(const char *corpus_dir) {
  static const char tail[] = ".trawl/store.db";
  const char *d = corpus_dir && *corpus_dir ? corpus_dir : ".";
  size_t n = strlen(d);
  int slash = d[n - 1] != '/';
  char *p = malloc(n + (size_t)slash + sizeof tail);
  if (!p)
    return NULL;
  memcpy(p, d, n);
  if (slash)
    p[n] = '/';
  memcpy(p + n + (size_t)slash, tail, sizeof tail);
  return p;
}

int tr_store_open(const char *path, int create, tr_store **out, char **err) {
  *out = NULL;
  tr_err_reset(err);
  if (!path || !*path) {
    tr_seterr(err, "store: empty path");
    return -1;
  }
  struct stat sb;
  if (stat(path, &sb) != 0) {
    if (errno != ENOENT) {
      tr_seterr(err, "%s: cannot open store: %s", path, strerror(errno));
      return -1;
    }
    if (!create) {
      tr_seterr(err, "%s: no store there (%s)", path, strerror(ENOENT));
      return -1;
    }
    if (tr_mkdirs_for(path, err))
      return -1;
  } else if (S_ISDIR(sb.st_mode)) {
    tr_seterr(err, "%s: is a directory, not a store", path);
    return -1;
  }
  tr_store *s = calloc(1, sizeof *s);
  if (!s || !(s->path = tr_strdup(path))) {
    free(s);
    tr_seterr(err, "%s: out of memory", path);
    return -1;
  }
  int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
  if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
    if (s->db)
      tr_dberr(s, err, "cannot open store");
    else
      tr_seterr(err, "%s: cannot open store: out of memory", path);
    goto fail;
  }
  sqlite3_extended_result_codes(s->db, 1);
  sqlite3_busy_timeout(s->db, TR_BUSY_TIMEOUT_MS);
  /* The first statement reads the file header: a file that is not a
  ** database fails here. WAL lets readers run during a sync; NORMAL
  ** synchronous is durable enough in WAL mode (a power cut may lose the
  ** last commit, never consistency). */
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(s->db, "PRAGMA journal_mode=WAL", -1, &q, NULL) !=
        SQLITE_OK ||
      sqlite3_step(q) != SQLITE_ROW) {
    int code = sqlite3_errcode(s->db);
    if (code == SQLITE_NOTADB)
      tr_seterr(err, "%s: not a trawl store (%s)", path,
                sqlite3_errmsg(s->db));
    else
      tr_dberr(s, err, "cannot open store");
    sqlite3_finalize(q);
    goto fail;
  }
  sqlite3_finalize(q);
  /* A larger page cache (32 MiB, allocated only as used) keeps the FTS5
  ** b-trees in memory during a big sync: about 20% faster ingest. */
  if (tr_exec(s,
              "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
              " PRAGMA cache_size=-32768",
              "cannot set up the connection", err) ||
      tr_migrate(s, err) || tr_register_spans(s, err))
    goto fail;
  *out = s;
  return 0;
fail:
  tr_store_close(s);
  return -1;
}

sqlite3 *tr_store_db(tr_store *s) { return s->db; }

const char *tr_store_path(tr_store *s) { return s->path; }

void tr_store_close(tr_store *s) {
  if (!s)
    return;
  for (int k = 0; k < TR_Q_N; k++)
    sqlite3_finalize(s->q[k]);
  sqlite3_close(s->db); /* every statement is finalized: this succeeds */
  free(s->path);
  free(s);
}

/* ---- sync ------------------------------------------------------------- */

/* One stored document, as the sync needs it. */
typedef struct tr_row {
  char *id;                     /* document id (owned) */
  int64_t docid;                /* rowid in documents */
  int64_t rev;                  /* stored revision hash */
  int64_t ord;                  /* stored position in the corpus */
  int seen;                     /* still in the corpus */
} tr_row;

/* The stored documents by id: an open-addressing table over rows. */
typedef struct tr_rowmap {
  tr_row *rows;                 /* the rows, in table order */
  size_t n, cap;                /* used and allocated rows */
  size_t *slot;                 /* hash slots: row index + 1, 0 when empty */
  size_t mask;                  /* slot count - 1 (a power of two) */
} tr_rowmap;

static void tr_rowmap_free(tr_rowmap *m) {
  for (size_t i = 0; i < m->n; i++)
    free(m->rows[i].id);
  free(m->rows);
  free(m->slot);
}

static size_t tr_rowmap_home(const tr_rowmap *m, const char *id) {
  return (size_t)XXH3_64bits(id, strlen(id)) & m->mask;
}

/* Read every stored document's id, docid, rev and ord, and index them. */
static int tr_rowmap_load(tr_store *s, tr_rowmap *m, char **err) {
  sqlite3_stmt *q = tr_stmt(s, TR_Q_ROWS, err);
  if (!q)
    return -1;
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    if (m->n == m->cap) {
      size_t cap = m->cap ? 2 * m->cap : 256;
      tr_row *r = realloc(m->rows, cap * sizeof *r);
      if (!r)
        goto oom;
      m->rows = r;
      m->cap = cap;
    }
    tr_row *r = &m->rows[m->n];
    const char *id = (const char *)sqlite3_column_text(q, 1);
    if (!id || !(r->id = tr_strdup(id)))
      goto oom;
    r->docid = sqlite3_column_int64(q, 0);
    r->rev = sqlite3_column_int64(q, 2);
    r->ord = sqlite3_column_int64(q, 3);
    r->seen = 0;
    m->n++;
  }
  sqlite3_reset(q);
  if (rc != SQLITE_DONE) {
    tr_dberr(s, err, "cannot read the stored documents");
    return -1;
  }
  size_t nslot = 16;
  while (nslot < 2 * m->n)
    nslot *= 2;
  if (!(m->slot = calloc(nslot, sizeof *m->slot)))
    goto oom;
  m->mask = nslot - 1;
  for (size_t i = 0; i < m->n; i++) {
    size_t h = tr_rowmap_home(m, m->rows[i].id);
    while (m->slot[h])
      h = (h + 1) & m->mask;
    m->slot[h] = i + 1;
  }
  return 0;
oom:
  sqlite3_reset(q);
  tr_seterr(err, "%s: out of memory", s->path);
  return -1;
}

static tr_row *tr_rowmap_find(const tr_rowmap *m, const char *id) {
  for (size_t h = tr_rowmap_home(m, id); m->slot[h]; h = (h + 1) & m->mask)
    if (strcmp(m->rows[m->slot[h] - 1].id, id) == 0)
      return &m->rows[m->slot[h] - 1];
  return NULL;
}

/* Feed one optional string to the rev hash: a presence byte, the length,
** the bytes — so NULL, "" and field boundaries are all distinguished. */
static void tr_rev_field(XXH3_state_t *h, const char *v) {
  unsigned char present = v != NULL;
  XXH3_64bits_update(h, &present, 1);
  if (v) {
    uint64_t n = strlen(v);
    XXH3_64bits_update(h, &n, sizeof n);
    XXH3_64bits_update(h, v, (size_t)n);
  }
}

/* The revision of a document: a hash over its text hash and every stored
** metadata field, so that a metadata-only change counts as a change. */
static uint64_t tr_rev(XXH3_state_t *h, const tr_doc *d, uint64_t texthash) {
  unsigned char layout = TR_REV_LAYOUT;
  XXH3_64bits_reset(h);
  XXH3_64bits_update(h, &layout, 1);
  tr_rev_field(h, d->path);
  tr_rev_field(h, d->title);
  tr_rev_field(h, d->date);
  tr_rev_field(h, d->source);
  tr_rev_field(h, d->author);
  tr_rev_field(h, d->meta);
  XXH3_64bits_update(h, &texthash, sizeof texthash);
  return XXH3_64bits_digest(h);
}

static void tr_bind_opt(sqlite3_stmt *q, int i, const char *v) {
  if (v)
    sqlite3_bind_text(q, i, v, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null(q, i);
}

/* Bind parameters 2..12 of the insert and update statements. Hashes are
** stored as the signed 64-bit integer with the same bits. */
static void tr_bind_doc(sqlite3_stmt *q, const tr_doc *d, uint64_t hash,
                        uint64_t rev, size_t ord) {
  tr_bind_opt(q, 2, d->path);
  tr_bind_opt(q, 3, d->title);
  tr_bind_opt(q, 4, d->date);
  tr_bind_opt(q, 5, d->source);
  tr_bind_opt(q, 6, d->author);
  tr_bind_opt(q, 7, d->meta);
  sqlite3_bind_text64(q, 8, d->len ? d->text : "", d->len, SQLITE_STATIC,
                      SQLITE_UTF8);
  sqlite3_bind_int64(q, 9, (sqlite3_int64)d->len);
  sqlite3_bind_int64(q, 10, (sqlite3_int64)hash);
  sqlite3_bind_int64(q, 11, (sqlite3_int64)rev);
  sqlite3_bind_int64(q, 12, (sqlite3_int64)ord);
}

/* Step a write statement to completion; on failure name the document. */
static int tr_write(tr_store *s, sqlite3_stmt *q, const char *what,
                    const char *id, char **err) {
  int rc = sqlite3_step(q);
  if (rc != SQLITE_DONE) {
    tr_seterr(err, "%s: cannot %s document \"%s\": %s", s->path, what, id,
              sqlite3_errmsg(s->db));
    sqlite3_reset(q);
    return -1;
  }
  sqlite3_reset(q);
  return 0;
}

/* The kill-test hook: TRAWL_FAULT_ABORT_AFTER=N makes the sync abort()
** after N document writes, inside its transaction. -1 when unset. */
static long tr_fault_limit(void) {
  const char *v = getenv("TRAWL_FAULT_ABORT_AFTER");
  if (!v || !*v)
    return -1;
  char *end;
  errno = 0;
  long n = strtol(v, &end, 10);
  return (errno || *end || n < 0) ? -1 : n;
}

static void tr_fault_point(long limit, size_t writes) {
  if (limit >= 0 && writes >= (size_t)limit)
    abort();
}

int tr_store_sync(tr_store *s, const tr_corpus *c, tr_sync_stats *st,
                  char **err) {
  tr_sync_stats z = {0, 0, 0, 0};
  tr_rowmap m = {0};
  XXH3_state_t *h = XXH3_createState();
  long fault = tr_fault_limit();
  size_t writes = 0;
  sqlite3_stmt *ins, *upd, *ord, *del;
  tr_err_reset(err);
  if (st)
    *st = z;
  if (!h) {
    tr_seterr(err, "%s: out of memory", s->path);
    return -1;
  }
  /* Prepare outside the transaction: no schema work once it is open. */
  if (!(ins = tr_stmt(s, TR_Q_INSERT, err)) ||
      !(upd = tr_stmt(s, TR_Q_UPDATE, err)) ||
      !(ord = tr_stmt(s, TR_Q_UPDATE_ORD, err)) ||
      !(del = tr_stmt(s, TR_Q_DELETE, err))) {
    XXH3_freeState(h);
    return -1;
  }
  /* IMMEDIATE takes the write lock now, so a concurrent writer makes us
  ** wait (busy_timeout) instead of failing halfway through. */
  if (tr_exec(s, "BEGIN IMMEDIATE", "cannot start the sync", err)) {
    XXH3_freeState(h);
    return -1;
  }
  tr_fault_point(fault, writes);
  if (tr_rowmap_load(s, &m, err))
    goto fail;
  size_t n = tr_corpus_count(c);
  for (size_t i = 0; i < n; i++) {
    const tr_doc *d = tr_corpus_doc(c, i);
    if (d->len > (size_t)INT_MAX) {
      tr_seterr(err, "%s: document \"%s\" is too large to store (%zu bytes)",
                s->path, d->id, d->len);
      goto fail;
    }
    uint64_t hash = XXH3_64bits(d->len ? d->text : "", d->len);
    uint64_t rev = tr_rev(h, d, hash);
    tr_row *r = tr_rowmap_find(&m, d->id);
    if (r && r->seen) {
      tr_seterr(err, "%s: the corpus holds document \"%s\" twice", s->path,
                d->id);
      goto fail;
    }
    if (r && (uint64_t)r->rev == rev) {
      r->seen = 1;
      z.unchanged++;
      /* The corpus order is not content: keep it current without
      ** touching the index (the update trigger watches title and text). */
      if (r->ord != (int64_t)i) {
        sqlite3_bind_int64(ord, 1, r->docid);
        sqlite3_bind_int64(ord, 2, (sqlite3_int64)i);
        if (tr_write(s, ord, "reorder", d->id, err))
          goto fail;
      }
      continue;
    }
    if (r) {
      r->seen = 1;
      tr_bind_doc(upd, d, hash, rev, i);
      sqlite3_bind_int64(upd, 1, r->docid);
      if (tr_write(s, upd, "update", d->id, err))
        goto fail;
      z.updated++;
    } else {
      tr_bind_doc(ins, d, hash, rev, i);
      sqlite3_bind_text(ins, 1, d->id, -1, SQLITE_STATIC);
      if (tr_write(s, ins, "add", d->id, err))
        goto fail;
      z.added++;
    }
    tr_fault_point(fault, ++writes);
  }
  for (size_t i = 0; i < m.n; i++) {
    if (m.rows[i].seen)
      continue;
    sqlite3_bind_int64(del, 1, m.rows[i].docid);
    if (tr_write(s, del, "remove", m.rows[i].id, err))
      goto fail;
    z.removed++;
    tr_fault_point(fault, ++writes);
  }
  if (tr_exec(s, "COMMIT", "cannot commit the sync", err))
    goto fail;
  tr_rowmap_free(&m);
  XXH3_freeState(h);
  if (st)
    *st = z;
  return 0;
fail:
  tr_rollback(s);
  tr_rowmap_free(&m);
  XXH3_freeState(h);
  return -1;
}

/* ---- load, count ------------------------------------------------------ */

int tr_store_load(tr_store *s, tr_corpus *c, char **err) {
  static const char *const fields[] = {"title", "date", "source", "author",
                                       "meta"};
  tr_err_reset(err);
  sqlite3_stmt *q = tr_stmt(s, TR_Q_LOAD, err);
  if (!q)
    return -1;
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    const char *id = (const char *)sqlite3_column_text(q, 0);
    const char *path = (const char *)sqlite3_column_text(q, 1);
    const char *text = (const char *)sqlite3_column_text(q, 7);
    size_t len = (size_t)sqlite3_column_bytes(q, 7);
    if (!id || !text) {
      if (sqlite3_errcode(s->db) == SQLITE_NOMEM)
        goto oom;
      tr_seterr(err, "%s: corrupt store: a document without %s", s->path,
                id ? "text" : "id");
      goto fail;
    }
    /* The text must still be what was hashed when it was stored. */
    if (XXH3_64bits(text, len) != (uint64_t)sqlite3_column_int64(q, 8)) {
      tr_seterr(err, "%s: corrupt store: the text of document \"%s\" does "
                     "not match its hash", s->path, id);
      goto fail;
    }
    tr_doc *d = tr_corpus_add(c, id, path ? path : "", text, len, 0, NULL);
    if (!d)
      goto oom;
    for (int k = 0; k < 5; k++) {
      const char *v = (const char *)sqlite3_column_text(q, 2 + k);
      if (v && tr_doc_set(d, fields[k], v))
        goto oom;
    }
  }
  if (rc != SQLITE_DONE) {
    tr_dberr(s, err, "cannot load the documents");
    goto fail;
  }
  sqlite3_reset(q);
  return 0;
oom:
  tr_seterr(err, "%s: out of memory loading the documents", s->path);
fail:
  sqlite3_reset(q);
  return -1;
}

long tr_store_count(tr_store *s) {
  sqlite3_stmt *q = tr_stmt(s, TR_Q_COUNT, NULL);
  if (!q)
    return -1;
  long n = sqlite3_step(q) == SQLITE_ROW ? (long)sqlite3_column_int64(q, 0)
                                         : -1;
  sqlite3_reset(q);
  return n;
}

/* ---- search ----------------------------------------------------------- */

long tr_store_search(tr_store *s, const char *query, long limit,
                     int (*cb)(void *ud, const tr_hit *h), void *ud,
                     char **err) {
  tr_err_reset(err);
  if (!query) {
    tr_seterr(err, "%s: search without a query", s->path);
    return -1;
  }
  /* A callback may search again (a nested query): the cached statement is
  ** then in use, so the inner search gets one of its own. */
  sqlite3_stmt *q;
  int own = s->q[TR_Q_SEARCH] && sqlite3_stmt_busy(s->q[TR_Q_SEARCH]);
  if (own) {
    if (sqlite3_prepare_v2(s->db, tr_sql[TR_Q_SEARCH], -1, &q, NULL) !=
        SQLITE_OK) {
      tr_dberr(s, err, "cannot prepare the search");
      sqlite3_finalize(q);
      return -1;
    }
  } else if (!(q = tr_stmt(s, TR_Q_SEARCH, err))) {
    return -1;
  }
  sqlite3_bind_text(q, 1, query, -1, SQLITE_STATIC);
  sqlite3_bind_int64(q, 2, limit > 0 ? (sqlite3_int64)limit : -1);
  uint64_t *spans = NULL;       /* span pairs of the current hit */
  size_t cap = 0;               /* allocated uint64_t in spans */
  long nhits = 0;
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    tr_hit hit;
    hit.id = (const char *)sqlite3_column_text(q, 0);
    hit.rank = sqlite3_column_double(q, 1);
    hit.snippet = (const char *)sqlite3_column_text(q, 2);
    if (!hit.snippet)
      hit.snippet = "";
    /* The blob is not guaranteed to be aligned for uint64_t: copy it. */
    const void *blob = sqlite3_column_blob(q, 3);
    size_t nwords = (size_t)sqlite3_column_bytes(q, 3) / sizeof(uint64_t);
    if (nwords > cap) {
      uint64_t *p = realloc(spans, nwords * sizeof *p);
      if (!p) {
        tr_seterr(err, "%s: out of memory in search", s->path);
        nhits = -1;
        break;
      }
      spans = p;
      cap = nwords;
    }
    if (nwords)
      memcpy(spans, blob, nwords * sizeof *spans);
    hit.nspans = nwords / 2;
    hit.spans = spans;
    if (!hit.id) {
      tr_seterr(err, "%s: corrupt store: a search hit without id", s->path);
      nhits = -1;
      break;
    }
    nhits++;
    if (cb && cb(ud, &hit))
      break;
  }
  if (nhits >= 0 && rc != SQLITE_ROW && rc != SQLITE_DONE) {
    /* FTS5 reports query syntax (and unknown columns) as plain
    ** SQLITE_ERROR; anything else is trouble with the database. */
    tr_seterr(err, "%s: %s '%s': %s", s->path,
              (rc & 0xff) == SQLITE_ERROR ? "bad search query"
                                           : "search failed for",
              query, sqlite3_errmsg(s->db));
    nhits = -1;
  }
  free(spans);
  if (own)
    sqlite3_finalize(q);
  else
    sqlite3_reset(q);
  return nhits;
}

/* ---- check ------------------------------------------------------------ */

int tr_store_check(tr_store *s, char **err) {
  sqlite3_stmt *q = NULL;
  tr_err_reset(err);
  if (sqlite3_prepare_v2(s->db, "PRAGMA integrity_check", -1, &q, NULL) !=
      SQLITE_OK) {
    tr_dberr(s, err, "cannot check the database");
    return -1;
  }
  int rc = sqlite3_step(q);
  const char *r = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(q, 0)
                                   : NULL;
  if (!r || strcmp(r, "ok") != 0) {
    if (r)
      tr_seterr(err, "%s: database integrity check failed: %s", s->path, r);
    else
      tr_dberr(s, err, "database integrity check failed");
    sqlite3_finalize(q);
    return -1;
  }
  sqlite3_finalize(q);
  if (tr_exec(s,
              "INSERT INTO documents_fts(documents_fts)"
              " VALUES ('integrity-check')",
              "full-text index integrity check failed", err))
    return -1;
  /* FTS5's check (before SQLite 3.44) does not compare an external-content
  ** index with its content table. At least every document must be indexed
  ** once and nothing else: the docsize shadow table has one row per
  ** indexed rowid. */
  if (sqlite3_prepare_v2(
        s->db,
        "SELECT (SELECT count(*) FROM documents),"
        " (SELECT count(*) FROM documents_fts_docsize),"
        " (SELECT count(*) FROM documents WHERE docid NOT IN"
        "   (SELECT id FROM documents_fts_docsize))",
        -1, &q, NULL) != SQLITE_OK ||
      sqlite3_step(q) != SQLITE_ROW) {
    tr_dberr(s, err, "cannot check the full-text index");
    sqlite3_finalize(q);
    return -1;
  }
  long long ndocs = sqlite3_column_int64(q, 0),
            nindexed = sqlite3_column_int64(q, 1),
            nmissing = sqlite3_column_int64(q, 2);
  sqlite3_finalize(q);
  if (ndocs != nindexed || nmissing != 0) {
    tr_seterr(err, "%s: full-text index out of step with the documents "
                   "(%lld documents, %lld indexed, %lld not indexed)",
              s->path, ndocs, nindexed, nmissing);
    return -1;
  }
  return 0;
}

/*
** entities.c — the entity tables of the store (rulesets, entities,
** aliases, mentions; schema version 2, see store.c and docs/store.md):
** tr_apply runs a matcher over a corpus and replaces the applied rulesets'
** rows in one transaction; the queries read entities with their counts,
** mentions in text order and the surface forms of an entity.
**
** Statements are prepared on the store's connection for the duration of
** one call and finalized before it returns, so tr_store_close (which
** closes the connection) never finds one of ours still open.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "entities.h"
#include "fuzzy.h"

#if defined(__GNUC__)
#define TR_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define TR_PRINTF(f, a)
#endif

/* ---- errors ----------------------------------------------------------- */

/* Set *err to a malloc'ed "STORE: message" unless one is set already (the
** first failure is the cause). */
static TR_PRINTF(3, 4) void seterr(tr_store *s, char **err, const char *f,
                                   ...) {
  if (!err || *err)
    return;
  va_list ap;
  va_start(ap, f);
  int n = vsnprintf(NULL, 0, f, ap);
  va_end(ap);
  if (n < 0)
    return;
  const char *path = tr_store_path(s);
  size_t plen = strlen(path);
  char *m = malloc(plen + 2 + (size_t)n + 1);
  if (!m)
    return;
  memcpy(m, path, plen);
  memcpy(m + plen, ": ", 2);
  va_start(ap, f);
  vsnprintf(m + plen + 2, (size_t)n + 1, f, ap);
  va_end(ap);
  *err = m;
}

static void dberr(tr_store *s, char **err, const char *what) {
  seterr(s, err, "%s: %s", what, sqlite3_errmsg(tr_store_db(s)));
}

/* ---- statements ------------------------------------------------------- */

/* What tr_apply runs, prepared once per apply. */
enum {
  Q_OTHERS,         /* are there mentions of other rulesets? */
  Q_DEL_ALL,        /* every mention (SQLite's fast truncate) */
  Q_DEL_MENTIONS,   /* a ruleset's mentions */
  Q_DEL_ALIASES,    /* its aliases */
  Q_DEL_ENTITIES,   /* its entities */
  Q_DEL_RULESET,    /* its row */
  Q_INS_RULESET,
  Q_INS_ENTITY,
  Q_INS_ALIAS,
  Q_FIND_DOC,       /* docid and text hash of a document id */
  Q_INS_MENTION,
  Q_DEL_RULE,       /* the mentions of one (failed) rule */
  Q_N
};

static const char *const apply_sql[Q_N] = {
  [Q_OTHERS] =
    "SELECT EXISTS (SELECT 1 FROM mentions WHERE ruleset <> ?1)",
  /* No WHERE, no trigger on mentions, no foreign key: SQLite clears the
  ** table and its indexes page by page instead of row by row. */
  [Q_DEL_ALL] = "DELETE FROM mentions",
  [Q_DEL_MENTIONS] = "DELETE FROM mentions WHERE ruleset = ?1",
  [Q_DEL_ALIASES] = "DELETE FROM aliases WHERE ruleset = ?1",
  [Q_DEL_ENTITIES] = "DELETE FROM entities WHERE ruleset = ?1",
  [Q_DEL_RULESET] = "DELETE FROM rulesets WHERE name = ?1",
  [Q_INS_RULESET] =
    "INSERT INTO rulesets(name, version, description, license, author, path,"
    " applied_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
    " strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
  [Q_INS_ENTITY] =
    "INSERT INTO entities(ruleset, id, type, name, attrs)"
    " VALUES (?1, ?2, ?3, ?4, ?5)",
  /* The name is usually among the aliases too: one row is enough. */
  [Q_INS_ALIAS] =
    "INSERT OR IGNORE INTO aliases(ruleset, entity, alias) VALUES (?1, ?2, ?3)",
  [Q_FIND_DOC] = "SELECT docid, hash FROM documents WHERE id = ?1",
  [Q_INS_MENTION] =
    "INSERT INTO mentions(docid, start, stop, text, entity, eruleset, type,"
    " rule, ruleset, version, score, attrs)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
  [Q_DEL_RULE] = "DELETE FROM mentions WHERE ruleset = ?1 AND rule = ?2",
};

static void finalize_all(sqlite3_stmt **q, size_t n) {
  for (size_t i = 0; i < n; i++)
    sqlite3_finalize(q[i]);
}

static void bind_opt(sqlite3_stmt *q, int i, const char *v) {
  if (v)
    sqlite3_bind_text(q, i, v, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null(q, i);
}

/* Step a write statement to its end and reset it. */
static int run(tr_store *s, sqlite3_stmt *q, const char *what, char **err) {
  int rc = sqlite3_step(q);
  sqlite3_reset(q);
  if (rc != SQLITE_DONE) {
    dberr(s, err, what);
    return -1;
  }
  return 0;
}

/* ---- attrs JSON --------------------------------------------------------- */

/* A growable byte buffer. */
typedef struct buf {
  char *p;                /* bytes, NUL-terminated when used */
  size_t n, cap;          /* used (without the NUL) and allocated */
} buf;

static int buf_put(buf *b, const char *s, size_t n) {
  if (b->n + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->n + n + 1)
      cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p)
      return -1;
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = '\0';
  return 0;
}

/* A JSON string. The text is UTF-8 (captures start and stop on character
** boundaries), so only quotes, backslashes and controls need escapes. */
static int buf_json_str(buf *b, const char *s, size_t n) {
  if (buf_put(b, "\"", 1))
    return -1;
  size_t run0 = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c != '"' && c != '\\')
      continue;
    char esc[8];
    int k;
    switch (c) {
    case '"': k = snprintf(esc, sizeof esc, "\\\""); break;
    case '\\': k = snprintf(esc, sizeof esc, "\\\\"); break;
    case '\n': k = snprintf(esc, sizeof esc, "\\n"); break;
    case '\t': k = snprintf(esc, sizeof esc, "\\t"); break;
    case '\r': k = snprintf(esc, sizeof esc, "\\r"); break;
    default: k = snprintf(esc, sizeof esc, "\\u%04x", c); break;
    }
    if (buf_put(b, s + run0, i - run0) || buf_put(b, esc, (size_t)k))
      return -1;
    run0 = i + 1;
  }
  return buf_put(b, s + run0, n - run0) || buf_put(b, "\"", 1) ? -1 : 0;
}

/* {"fuzzy": "name key", "alias": ..., "key": ...} for a match linked by
** name key: the reason a mention that no alias spells was linked. */
static int fuzzy_json(buf *b, const tr_matcher *m, uint32_t extra) {
  const char *key = NULL;
  const char *alias = tr_fuzzy_alias(m->fuzzy, extra, &key);
  b->n = 0;
  if (!alias)
    return 0;
  static const char k1[] = "{\"alias\": ", k2[] = ", \"key\": ",
                    k3[] = ", \"linked\": \"name key\"}";
  if (buf_put(b, k1, sizeof k1 - 1) || buf_json_str(b, alias, strlen(alias)) ||
      buf_put(b, k2, sizeof k2 - 1) || buf_json_str(b, key, strlen(key)) ||
      buf_put(b, k3, sizeof k3 - 1))
    return -1;
  return 1;
}

/* {"group": "captured text", ...} for a regex match with captures; a name
** seen twice (duplicate names) keeps its first capture. Returns 1 when
** written, 0 when there is nothing to write, -1 on memory error. */
static int caps_json(buf *b, const tr_regex_caps *caps, uint32_t list,
                     const char *text, size_t len) {
  b->n = 0;
  if (!caps || list == UINT32_MAX || list >= caps->nlists)
    return 0;
  size_t first = caps->first[list], count = caps->count[list];
  int any = 0;
  for (size_t i = first; i < first + count && i < caps->n; i++) {
    const tr_regex_cap *c = &caps->v[i];
    if (!c->name || c->start > c->stop || c->stop > len)
      continue;
    int dup = 0;
    for (size_t j = first; j < i; j++)
      if (caps->v[j].name && strcmp(caps->v[j].name, c->name) == 0)
        dup = 1;
    if (dup)
      continue;
    if (buf_put(b, any ? ", " : "{", any ? 2 : 1) ||
        buf_json_str(b, c->name, strlen(c->name)) || buf_put(b, ": ", 2) ||
        buf_json_str(b, text + c->start, (size_t)(c->stop - c->start)))
      return -1;
    any = 1;
  }
  if (!any)
    return 0;
  return buf_put(b, "}", 1) ? -1 : 1;
}

/* ---- apply -------------------------------------------------------------- */

/* Replace the rows of ruleset rs: delete its old ones, insert the ruleset,
** its entities and their aliases. */
static int write_ruleset(tr_store *s, sqlite3_stmt **q, const tr_ruleset *rs,
                         char **err) {
  /* Re-applying the only ruleset with mentions (the usual case while a
  ** rule file is being written) empties the table at once. */
  sqlite3_stmt *o = q[Q_OTHERS];
  sqlite3_bind_text(o, 1, rs->name, -1, SQLITE_STATIC);
  int rc = sqlite3_step(o);
  int others = rc == SQLITE_ROW ? sqlite3_column_int(o, 0) : 1;
  sqlite3_reset(o);
  if (rc != SQLITE_ROW) {
    dberr(s, err, "cannot read the mentions");
    return -1;
  }
  int dels[] = {others ? Q_DEL_MENTIONS : Q_DEL_ALL, Q_DEL_ALIASES,
                Q_DEL_ENTITIES, Q_DEL_RULESET};
  for (size_t i = 0; i < sizeof dels / sizeof *dels; i++) {
    if (dels[i] != Q_DEL_ALL)
      sqlite3_bind_text(q[dels[i]], 1, rs->name, -1, SQLITE_STATIC);
    if (run(s, q[dels[i]], "cannot delete the previous rows of a ruleset",
            err))
      return -1;
  }
  sqlite3_stmt *r = q[Q_INS_RULESET];
  sqlite3_bind_text(r, 1, rs->name, -1, SQLITE_STATIC);
  bind_opt(r, 2, rs->version ? rs->version : "");
  bind_opt(r, 3, rs->description);
  bind_opt(r, 4, rs->license);
  bind_opt(r, 5, rs->author);
  bind_opt(r, 6, rs->path);
  if (run(s, r, "cannot store the ruleset", err))
    return -1;
  sqlite3_stmt *e = q[Q_INS_ENTITY], *a = q[Q_INS_ALIAS];
  for (size_t i = 0; i < rs->nentities; i++) {
    const tr_entity *en = &rs->entities[i];
    sqlite3_bind_text(e, 1, rs->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(e, 2, en->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(e, 3, en->type, -1, SQLITE_STATIC);
    bind_opt(e, 4, en->name ? en->name : en->id);
    bind_opt(e, 5, en->attrs);
    if (sqlite3_step(e) != SQLITE_DONE) {
      seterr(s, err, "ruleset '%s': cannot store entity '%s': %s", rs->name,
             en->id, sqlite3_errmsg(tr_store_db(s)));
      sqlite3_reset(e);
      return -1;
    }
    sqlite3_reset(e);
    /* The aliases, and case_sensitive entries (aliases too, rules.h). */
    for (int pass = 0; pass < 2; pass++) {
      char **v = pass ? en->case_sensitive : en->aliases;
      size_t n = pass ? en->ncase_sensitive : en->naliases;
      for (size_t j = 0; v && j < n; j++) {
        if (!v[j])
          continue;
        sqlite3_bind_text(a, 1, rs->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(a, 2, en->id, -1, SQLITE_STATIC);
        sqlite3_bind_text(a, 3, v[j], -1, SQLITE_STATIC);
        if (run(s, a, "cannot store an alias", err))
          return -1;
      }
    }
  }
  return 0;
}

/* The stored docid of d, checking that its text is the one stored. */
static int find_doc(tr_store *s, sqlite3_stmt *q, const tr_doc *d,
                    sqlite3_int64 *docid, char **err) {
  sqlite3_bind_text(q, 1, d->id, -1, SQLITE_STATIC);
  int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW) {
    *docid = sqlite3_column_int64(q, 0);
    uint64_t hash = (uint64_t)sqlite3_column_int64(q, 1);
    sqlite3_reset(q);
    if (hash != d->hash) {
      seterr(s, err, "document '%s' differs from the stored one (sync the "
                     "corpus first)", d->id);
      return -1;
    }
    return 0;
  }
  sqlite3_reset(q);
  if (rc == SQLITE_DONE)
    seterr(s, err, "document '%s' is not in the store (sync the corpus "
                   "first)", d->id);
  else
    dberr(s, err, "cannot look up a document");
  return -1;
}

/* Store the matches of one document. */
static int write_mentions(tr_store *s, sqlite3_stmt *q, const tr_matcher *m,
                          const tr_doc *d, sqlite3_int64 docid,
                          const tr_matches *ms, const tr_regex_caps *caps,
                          buf *json, size_t *stored, char **err) {
  const char *text = d->text ? d->text : "";
  for (size_t i = 0; i < ms->n; i++) {
    const tr_match *x = &ms->v[i];
    if (x->rule >= m->nrules || x->value >= m->nlabels ||
        x->start > x->stop || x->stop > d->len)
      continue; /* not ours to store (rules.c never makes these) */
    const tr_rule_ref *ref = &m->rules[x->rule];
    const tr_ruleset *rs = m->rs[ref->ruleset];
    const tr_rule *r = &rs->rules[ref->rule];
    const tr_label *lab = &m->labels[x->value];
    const tr_ruleset *ers = m->rs[lab->ruleset];
    /* A callback's extra indexes its own attributes, not regex captures. */
    const char *cb_json = NULL;
    int has = r->kind == TR_RULE_CALLBACK
                  ? (cb_json = m->callback_attrs
                                   ? m->callback_attrs(m->ud, x) : NULL) != NULL
              : r->kind == TR_RULE_FUZZY ? fuzzy_json(json, m, x->extra)
                                         : caps_json(json, caps, x->extra, text, d->len);
    if (has < 0) {
      seterr(s, err, "out of memory storing mentions");
      return -1;
    }
    sqlite3_bind_int64(q, 1, docid);
    sqlite3_bind_int64(q, 2, (sqlite3_int64)x->start);
    sqlite3_bind_int64(q, 3, (sqlite3_int64)x->stop);
    sqlite3_bind_text64(q, 4, text + x->start, x->stop - x->start,
                        SQLITE_STATIC, SQLITE_UTF8);
    if (lab->entity >= 0) {
      sqlite3_bind_text(q, 5, ers->entities[lab->entity].id, -1,
                        SQLITE_STATIC);
      sqlite3_bind_text(q, 6, ers->name, -1, SQLITE_STATIC);
    } else {
      sqlite3_bind_null(q, 5);
      sqlite3_bind_null(q, 6);
    }
    sqlite3_bind_text(q, 7, lab->type, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 8, r->id ? r->id : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 9, rs->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 10, rs->version ? rs->version : "", -1,
                      SQLITE_STATIC);
    sqlite3_bind_double(q, 11, (double)x->score);
    if (cb_json)
      sqlite3_bind_text(q, 12, cb_json, -1, SQLITE_TRANSIENT);
    else if (has)
      sqlite3_bind_text(q, 12, json->p, (int)json->n, SQLITE_STATIC);
    else
      sqlite3_bind_null(q, 12);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc != SQLITE_DONE) {
      seterr(s, err, "cannot store a mention in document '%s': %s", d->id,
             sqlite3_errmsg(tr_store_db(s)));
      return -1;
    }
    (*stored)++;
  }
  return 0;
}

/* Reset an analysis for the next document, keeping its memory. */
static void analysis_clear(tr_analysis *a) {
  a->toks.n = 0;
  a->toks.norm_n = 0;
  a->sents.n = 0;
  a->paras.n = 0;
}

/* Rules marked failed so far, over every ruleset of the matcher. */
static size_t count_failed(const tr_matcher *m) {
  size_t f = 0;
  for (size_t k = 0; k < m->nrules; k++)
    f += m->rs[m->rules[k].ruleset]->rules[m->rules[k].rule].failed != 0;
  return f;
}

int tr_apply(tr_store *s, const tr_corpus *c, tr_matcher *m,
             const tr_tok_opts *tok, const tr_apply_opts *o,
             tr_apply_stats *st, char **err) {
  sqlite3 *db = tr_store_db(s);
  sqlite3_stmt *q[Q_N] = {0};
  tr_apply_stats z = {0, 0, 0};
  tr_analysis a;
  tr_matches ms;
  tr_regex_caps caps;
  buf json = {0};
  int rc = -1;
  if (err)
    *err = NULL;
  if (st)
    *st = z;
  for (size_t i = 0; i < m->nrs; i++)
    if (!m->rs[i]->name) {
      seterr(s, err, "a ruleset without a name cannot be stored");
      return -1;
    }
  /* Prepare everything first: no schema work once the transaction runs. */
  for (int k = 0; k < Q_N; k++)
    if (sqlite3_prepare_v3(db, apply_sql[k], -1, SQLITE_PREPARE_PERSISTENT,
                           &q[k], NULL) != SQLITE_OK) {
      dberr(s, err, "cannot prepare the apply");
      finalize_all(q, Q_N);
      return -1;
    }
  tr_analysis_init(&a);
  tr_matches_init(&ms);
  tr_regex_caps_init(&caps);
  /* IMMEDIATE: take the write lock now (waiting for another writer)
  ** rather than fail halfway through. */
  if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
    dberr(s, err, "cannot start the apply");
    goto out;
  }
  for (size_t i = 0; i < m->nrs; i++)
    if (write_ruleset(s, q, m->rs[i], err))
      goto fail;
  /* One pass over the documents. When a rule fails part-way, the earlier
  ** documents' overlaps were resolved with it, and matches it beat are
  ** gone: so the pass is undone (a savepoint) and run again without it,
  ** until a pass ends with no new failure (at most once per rule). */
  size_t n = tr_corpus_count(c);
  for (;;) {
    size_t failed_before = count_failed(m);
    size_t mentions0 = z.mentions, docs0 = z.docs;
    if (sqlite3_exec(db, "SAVEPOINT mentions", NULL, NULL, NULL) != SQLITE_OK) {
      dberr(s, err, "cannot start the apply");
      goto fail;
    }
    for (size_t i = 0; i < n; i++) {
      const tr_doc *d = tr_corpus_doc(c, i);
      sqlite3_int64 docid;
      if (find_doc(s, q[Q_FIND_DOC], d, &docid, err))
        goto fail;
      analysis_clear(&a);
      if (tr_analyze(d, tok, &a) ||
          tr_matcher_run(m, d, &a, o && o->keep_overlaps, &ms, &caps)) {
        seterr(s, err, "out of memory analysing document '%s'", d->id);
        goto fail;
      }
      if (write_mentions(s, q[Q_INS_MENTION], m, d, docid, &ms, &caps, &json,
                         &z.mentions, err))
        goto fail;
      z.docs++;
    }
    if (count_failed(m) == failed_before) {
      if (sqlite3_exec(db, "RELEASE mentions", NULL, NULL, NULL) != SQLITE_OK) {
        dberr(s, err, "cannot finish the apply");
        goto fail;
      }
      break;
    }
    if (sqlite3_exec(db, "ROLLBACK TO mentions", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(db, "RELEASE mentions", NULL, NULL, NULL) != SQLITE_OK) {
      dberr(s, err, "cannot undo a pass of the apply");
      goto fail;
    }
    z.mentions = mentions0;
    z.docs = docs0;
  }
  /* A rule that failed on some document adds nothing to the store. */
  for (size_t k = 0; k < m->nrules; k++) {
    const tr_ruleset *rs = m->rs[m->rules[k].ruleset];
    const tr_rule *r = &rs->rules[m->rules[k].rule];
    if (!r->failed)
      continue;
    z.failed++;
    sqlite3_bind_text(q[Q_DEL_RULE], 1, rs->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(q[Q_DEL_RULE], 2, r->id ? r->id : "", -1,
                      SQLITE_STATIC);
    if (run(s, q[Q_DEL_RULE], "cannot remove a failed rule's mentions", err))
      goto fail;
    size_t gone = (size_t)sqlite3_changes(db);
    z.mentions -= gone < z.mentions ? gone : z.mentions;
  }
  if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
    dberr(s, err, "cannot commit the apply");
    goto fail;
  }
  if (st)
    *st = z;
  rc = 0;
  goto out;
fail:
  if (!sqlite3_get_autocommit(db))
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
out:
  finalize_all(q, Q_N);
  tr_analysis_free(&a);
  tr_matches_free(&ms);
  tr_regex_caps_free(&caps);
  free(json.p);
  return rc;
}

/* ---- queries ------------------------------------------------------------ */

/* A filter clause: column = :param when the value is given. */
typedef struct clause {
  const char *sql;        /* "e.type = :type" */
  const char *param;      /* ":type" */
  const char *value;      /* NULL: no clause */
} clause;

/* Prepare head + WHERE (the given clauses, ANDed) + tail and bind. */
static sqlite3_stmt *prepare_filtered(tr_store *s, const char *head,
                                      const clause *cl, size_t n,
                                      const char *tail, char **err) {
  buf b = {0};
  int bad = buf_put(&b, head, strlen(head));
  int first = 1;
  for (size_t i = 0; i < n && !bad; i++) {
    if (!cl[i].value)
      continue;
    const char *w = first ? " WHERE " : " AND ";
    bad = buf_put(&b, w, strlen(w)) ||
          buf_put(&b, cl[i].sql, strlen(cl[i].sql));
    first = 0;
  }
  if (!bad)
    bad = buf_put(&b, tail, strlen(tail));
  if (bad) {
    free(b.p);
    seterr(s, err, "out of memory");
    return NULL;
  }
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(tr_store_db(s), b.p, -1, &q, NULL) != SQLITE_OK) {
    dberr(s, err, "cannot prepare the query");
    sqlite3_finalize(q);
    free(b.p);
    return NULL;
  }
  free(b.p);
  for (size_t i = 0; i < n; i++)
    if (cl[i].value)
      sqlite3_bind_text(q, sqlite3_bind_parameter_index(q, cl[i].param),
                        cl[i].value, -1, SQLITE_STATIC);
  return q;
}

/* End a query loop: finalize, and turn a step error into -1. */
static long finish(tr_store *s, sqlite3_stmt *q, int rc, long rows,
                   char **err) {
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    dberr(s, err, "query failed");
    rows = -1;
  }
  sqlite3_finalize(q);
  return rows;
}

static const char *col_text(sqlite3_stmt *q, int i) {
  return (const char *)sqlite3_column_text(q, i);
}

long tr_entities_query(tr_store *s, const tr_entity_filter *f,
                       int (*cb)(void *ud, const tr_entity_row *r),
                       void *ud, char **err) {
  if (err)
    *err = NULL;
  clause cl[] = {
    {"e.type = :type", ":type", f ? f->type : NULL},
    {"e.ruleset = :ruleset", ":ruleset", f ? f->ruleset : NULL},
    {"e.id = :id", ":id", f ? f->id : NULL},
  };
  /* LEFT JOIN: an entity nobody mentions is listed with zero counts. */
  sqlite3_stmt *q = prepare_filtered(
    s,
    "SELECT e.ruleset, e.id, e.type, e.name, e.attrs, count(m.mid),"
    " count(DISTINCT m.docid)"
    " FROM entities e LEFT JOIN mentions m"
    " ON m.entity = e.id AND m.eruleset = e.ruleset",
    cl, sizeof cl / sizeof *cl,
    " GROUP BY e.ruleset, e.id ORDER BY 6 DESC, e.id, e.ruleset", err);
  if (!q)
    return -1;
  long rows = 0;
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    tr_entity_row r = {col_text(q, 0), col_text(q, 1), col_text(q, 2),
                       col_text(q, 3), col_text(q, 4),
                       (long)sqlite3_column_int64(q, 5),
                       (long)sqlite3_column_int64(q, 6)};
    rows++;
    if (cb && cb(ud, &r))
      break;
  }
  return finish(s, q, rc, rows, err);
}

long tr_mentions_query(tr_store *s, const tr_mention_filter *f,
                       int (*cb)(void *ud, const tr_mention_row *r),
                       void *ud, char **err) {
  if (err)
    *err = NULL;
  clause cl[] = {
    {"m.entity = :entity", ":entity", f ? f->entity : NULL},
    {"m.type = :type", ":type", f ? f->type : NULL},
    {"d.id = :doc", ":doc", f ? f->doc : NULL},
    {"m.ruleset = :ruleset", ":ruleset", f ? f->ruleset : NULL},
  };
  sqlite3_stmt *q = prepare_filtered(
    s,
    "SELECT d.id, m.start, m.stop, m.text, m.entity, m.type, m.rule,"
    " m.ruleset, m.version, m.score, m.attrs"
    " FROM mentions m JOIN documents d ON d.docid = m.docid",
    cl, sizeof cl / sizeof *cl,
    " ORDER BY d.id, m.start, m.stop DESC, m.mid", err);
  if (!q)
    return -1;
  long rows = 0;
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    tr_mention_row r = {col_text(q, 0),
                        (uint64_t)sqlite3_column_int64(q, 1),
                        (uint64_t)sqlite3_column_int64(q, 2),
                        col_text(q, 3), col_text(q, 4), col_text(q, 5),
                        col_text(q, 6), col_text(q, 7), col_text(q, 8),
                        sqlite3_column_double(q, 9), col_text(q, 10)};
    rows++;
    if (cb && cb(ud, &r))
      break;
  }
  return finish(s, q, rc, rows, err);
}

long tr_variants_query(tr_store *s, const char *entity,
                       int (*cb)(void *ud, const tr_variant_row *r),
                       void *ud, char **err) {
  if (err)
    *err = NULL;
  if (!entity) {
    seterr(s, err, "variants of no entity");
    return -1;
  }
  clause cl[] = {{"entity = :entity", ":entity", entity}};
  sqlite3_stmt *q = prepare_filtered(
    s, "SELECT text, count(*), count(DISTINCT docid) FROM mentions", cl, 1,
    " GROUP BY text ORDER BY 2 DESC, 3 DESC, text", err);
  if (!q)
    return -1;
  long rows = 0;
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    tr_variant_row r = {col_text(q, 0), (long)sqlite3_column_int64(q, 1),
                        (long)sqlite3_column_int64(q, 2)};
    rows++;
    if (cb && cb(ud, &r))
      break;
  }
  return finish(s, q, rc, rows, err);
}

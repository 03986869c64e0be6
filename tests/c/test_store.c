/*
** test_store.c — cmocka tests of the SQLite store: opening and schema
** versions, incremental sync with exact stats, load round trips, search
** (ranking, snippets, byte spans, bad queries) and the atomicity of a sync
** killed halfway (a forked child aborted by TRAWL_FAULT_ABORT_AFTER).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>
#include <utf8proc.h>

#include "store.h"

/* ---- fixtures --------------------------------------------------------- */

/* A temporary directory per test, removed afterwards. */
typedef struct tr_fix {
  char dir[64];                 /* the mkdtemp directory */
  char *path;                   /* DIR/.trawl/store.db */
} tr_fix;

static int fix_setup(void **state) {
  tr_fix *f = calloc(1, sizeof *f);
  if (!f)
    return -1;
  const char *tmp = getenv("TMPDIR");
  snprintf(f->dir, sizeof f->dir, "%s/trawl-store-XXXXXX",
           tmp && strlen(tmp) < 32 ? tmp : "/tmp");
  if (!mkdtemp(f->dir)) {
    free(f);
    return -1;
  }
  f->path = tr_store_default_path(f->dir);
  *state = f;
  return 0;
}

static int fix_teardown(void **state) {
  tr_fix *f = *state;
  char cmd[128];
  /* The directory name comes from mkdtemp: no shell metacharacters. */
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
  int rc = system(cmd);
  free(f->path);
  free(f);
  return rc == 0 ? 0 : -1;
}

/* Add a document with all its metadata (NULL leaves a field unset). */
static tr_doc *add_doc(tr_corpus *c, const char *id, const char *text,
                       const char *title, const char *date,
                       const char *author, const char *meta) {
  char path[256];
  snprintf(path, sizeof path, "corpus/%s.txt", id);
  tr_doc *d = tr_corpus_add(c, id, path, text, strlen(text), 0, NULL);
  assert_non_null(d);
  if (title)
    assert_int_equal(tr_doc_set(d, "title", title), 0);
  if (date)
    assert_int_equal(tr_doc_set(d, "date", date), 0);
  assert_int_equal(tr_doc_set(d, "source", "Test Wire"), 0);
  if (author)
    assert_int_equal(tr_doc_set(d, "author", author), 0);
  if (meta)
    assert_int_equal(tr_doc_set(d, "meta", meta), 0);
  return d;
}

static tr_store *open_ok(const char *path, int create) {
  tr_store *s = NULL;
  char *err = NULL;
  int rc = tr_store_open(path, create, &s, &err);
  if (rc != 0)
    fail_msg("tr_store_open(%s): %s", path, err ? err : "(no message)");
  assert_null(err);
  assert_non_null(s);
  return s;
}

static tr_sync_stats sync_ok(tr_store *s, const tr_corpus *c) {
  tr_sync_stats st;
  char *err = NULL;
  if (tr_store_sync(s, c, &st, &err) != 0)
    fail_msg("tr_store_sync: %s", err ? err : "(no message)");
  assert_null(err);
  return st;
}

static void assert_stats(tr_sync_stats st, size_t added, size_t updated,
                         size_t unchanged, size_t removed) {
  assert_int_equal(st.added, added);
  assert_int_equal(st.updated, updated);
  assert_int_equal(st.unchanged, unchanged);
  assert_int_equal(st.removed, removed);
}

static void assert_contains(const char *hay, const char *needle) {
  if (!hay || !strstr(hay, needle))
    fail_msg("\"%s\" does not contain \"%s\"", hay ? hay : "(null)", needle);
}

static int streq_opt(const char *a, const char *b) {
  return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The store loaded into a fresh corpus must equal want, document by
** document in id order, byte for byte. want must be sorted. */
static void assert_store_equals(tr_store *s, const tr_corpus *want) {
  tr_corpus *got = tr_corpus_new();
  char *err = NULL;
  assert_non_null(got);
  if (tr_store_load(s, got, &err) != 0)
    fail_msg("tr_store_load: %s", err ? err : "(no message)");
  assert_int_equal(tr_corpus_count(got), tr_corpus_count(want));
  assert_int_equal(tr_store_count(s), (long)tr_corpus_count(want));
  for (size_t i = 0; i < tr_corpus_count(want); i++) {
    const tr_doc *a = tr_corpus_doc(want, i), *b = tr_corpus_doc(got, i);
    assert_string_equal(a->id, b->id);
    assert_string_equal(a->path, b->path);
    assert_int_equal(a->len, b->len);
    assert_memory_equal(a->text, b->text, a->len);
    assert_true(streq_opt(a->title, b->title));
    assert_true(streq_opt(a->date, b->date));
    assert_true(streq_opt(a->source, b->source));
    assert_true(streq_opt(a->author, b->author));
    assert_true(streq_opt(a->meta, b->meta));
  }
  tr_corpus_free(got);
}

/* Run a query on a separate raw connection and return its single integer
** or text result compared against want. */
static void assert_raw_sql(const char *path, const char *sql,
                           const char *want) {
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL),
                   SQLITE_OK);
  if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
    fail_msg("%s: %s", sql, sqlite3_errmsg(db));
  int rc = sqlite3_step(q);
  if (want) {
    assert_int_equal(rc, SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(q, 0), want);
  } else if (rc != SQLITE_DONE) {
    fail_msg("%s: %s", sql, sqlite3_errmsg(db));
  }
  sqlite3_finalize(q);
  assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* Run SQL (several statements allowed) on a separate raw connection. */
static void raw_exec(const char *path, const char *sql) {
  sqlite3 *db = NULL;
  char *msg = NULL;
  assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL),
                   SQLITE_OK);
  if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
    fail_msg("%s: %s", sql, msg);
  assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* Both integrity checks, through the API and through a raw connection. */
static void assert_intact(tr_store *s, const char *path) {
  char *err = NULL;
  if (tr_store_check(s, &err) != 0)
    fail_msg("tr_store_check: %s", err ? err : "(no message)");
  assert_raw_sql(path, "PRAGMA integrity_check", "ok");
  assert_raw_sql(path,
                 "INSERT INTO documents_fts(documents_fts)"
                 " VALUES ('integrity-check')",
                 NULL);
}

/* ---- search helpers --------------------------------------------------- */

/* A copy of a hit (the callback's data lives only during the call). */
typedef struct tr_hitcopy {
  char *id;                     /* document id */
  double rank;                  /* bm25 rank */
  char *snippet;                /* snippet text */
  size_t nspans;                /* span pairs */
  uint64_t *spans;              /* 2 * nspans byte offsets */
} tr_hitcopy;

typedef struct tr_hits {
  tr_hitcopy v[32];             /* the hits, in callback order */
  size_t n;                     /* hits received */
  size_t stop_after;            /* return non-zero after this many (0: no) */
} tr_hits;

static int collect(void *ud, const tr_hit *h) {
  tr_hits *hs = ud;
  assert_true(hs->n < 32);
  tr_hitcopy *c = &hs->v[hs->n++];
  c->id = strdup(h->id);
  c->rank = h->rank;
  c->snippet = strdup(h->snippet);
  c->nspans = h->nspans;
  c->spans = malloc(2 * h->nspans * sizeof *c->spans + 1);
  if (h->nspans)
    memcpy(c->spans, h->spans, 2 * h->nspans * sizeof *c->spans);
  return hs->stop_after && hs->n >= hs->stop_after;
}

static void hits_free(tr_hits *hs) {
  for (size_t i = 0; i < hs->n; i++) {
    free(hs->v[i].id);
    free(hs->v[i].snippet);
    free(hs->v[i].spans);
  }
  hs->n = 0;
}

static long search_ok(tr_store *s, const char *query, long limit,
                      tr_hits *hs) {
  char *err = NULL;
  long n = tr_store_search(s, query, limit, collect, hs, &err);
  if (n < 0)
    fail_msg("search %s: %s", query, err ? err : "(no message)");
  assert_int_equal((size_t)n, hs->n);
  return n;
}

/* Unicode case fold (NFC), malloc'ed. */
static char *fold(const char *p, size_t n) {
  utf8proc_uint8_t *out = NULL;
  utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)p,
                                    (utf8proc_ssize_t)n, &out,
                                    UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                      UTF8PROC_CASEFOLD);
  assert_true(r >= 0);
  return (char *)out;
}

/* Every span of hit h must cover text bytes that fold to want. */
static void assert_spans(const tr_hitcopy *h, const tr_doc *d,
                         const char *want, size_t nwant) {
  char *fw = fold(want, strlen(want));
  assert_int_equal(h->nspans, nwant);
  for (size_t i = 0; i < h->nspans; i++) {
    uint64_t a = h->spans[2 * i], b = h->spans[2 * i + 1];
    assert_true(a < b && b <= d->len);
    if (i > 0)
      assert_true(a >= h->spans[2 * i - 2]); /* sorted */
    char *fg = fold(d->text + a, (size_t)(b - a));
    if (strcmp(fg, fw) != 0)
      fail_msg("span [%llu, %llu) of %s is \"%.*s\", want \"%s\"",
               (unsigned long long)a, (unsigned long long)b, d->id,
               (int)(b - a), d->text + a, want);
    free(fg);
  }
  free(fw);
}

/* ---- tests: open ------------------------------------------------------ */

static void test_default_path(void **state) {
  (void)state;
  char *p = tr_store_default_path("/data/news");
  assert_string_equal(p, "/data/news/.trawl/store.db");
  free(p);
  p = tr_store_default_path("/data/news/");
  assert_string_equal(p, "/data/news/.trawl/store.db");
  free(p);
  p = tr_store_default_path("");
  assert_string_equal(p, "./.trawl/store.db");
  free(p);
}

static void test_create_open_reopen(void **state) {
  tr_fix *f = *state;
  tr_store *s = NULL;
  char *err = NULL;

  /* No store yet and create == 0: an error naming the file. */
  assert_int_equal(tr_store_open(f->path, 0, &s, &err), -1);
  assert_null(s);
  assert_contains(err, f->path);
  free(err);
  err = NULL;

  /* create != 0 makes the missing .trawl directory and the schema. */
  s = open_ok(f->path, 1);
  assert_int_equal(tr_store_count(s), 0);
  tr_store_close(s);
  struct stat sb;
  assert_int_equal(stat(f->path, &sb), 0);
  assert_raw_sql(f->path, "SELECT value FROM meta"
                          " WHERE key = 'schema_version'", "2");
  assert_raw_sql(f->path, "PRAGMA journal_mode", "wal");

  /* Reopen, with and without create: same store, nothing to migrate. */
  s = open_ok(f->path, 0);
  assert_int_equal(tr_store_count(s), 0);
  tr_store_close(s);
  s = open_ok(f->path, 1);
  assert_int_equal(tr_store_count(s), 0);
  assert_intact(s, f->path);
  tr_store_close(s);

  /* Two connections at once. */
  tr_store *a = open_ok(f->path, 0), *b = open_ok(f->path, 0);
  tr_corpus *c = tr_corpus_new();
  add_doc(c, "x", "one document", "X", NULL, NULL, NULL);
  assert_stats(sync_ok(a, c), 1, 0, 0, 0);
  assert_int_equal(tr_store_count(b), 1);
  tr_corpus_free(c);
  tr_store_close(a);
  tr_store_close(b);
}

static void test_store_dir_error(void **state) {
  tr_fix *f = *state;
  char file[128], path[192];
  tr_store *s = NULL;
  char *err = NULL;
  /* A regular file where the corpus directory should be. */
  snprintf(file, sizeof file, "%s/plain", f->dir);
  FILE *fp = fopen(file, "w");
  assert_non_null(fp);
  fclose(fp);
  snprintf(path, sizeof path, "%s/.trawl/store.db", file);
  assert_int_equal(tr_store_open(path, 1, &s, &err), -1);
  assert_null(s);
  assert_contains(err, path);
  assert_contains(err, "directory");
  free(err);
  err = NULL;

  /* A directory where the database should be. */
  assert_int_equal(tr_store_open(f->dir, 1, &s, &err), -1);
  assert_contains(err, f->dir);
  free(err);
}

static void test_newer_schema_refused(void **state) {
  tr_fix *f = *state;
  tr_store *s = open_ok(f->path, 1);
  tr_store_close(s);
  raw_exec(f->path, "UPDATE meta SET value = 7"
                    " WHERE key = 'schema_version'");
  char *err = NULL;
  s = NULL;
  assert_int_equal(tr_store_open(f->path, 1, &s, &err), -1);
  assert_null(s);
  assert_contains(err, f->path);
  assert_contains(err, "version 7");
  assert_contains(err, "version 2");
  free(err);
  /* The refused store was not touched. */
  assert_raw_sql(f->path, "SELECT value FROM meta"
                          " WHERE key = 'schema_version'", "7");
}

static void test_not_a_database(void **state) {
  tr_fix *f = *state;
  char path[128];
  tr_store *s = NULL;
  char *err = NULL;

  snprintf(path, sizeof path, "%s/notes.db", f->dir);
  FILE *fp = fopen(path, "w");
  assert_non_null(fp);
  for (int i = 0; i < 200; i++)
    fputs("These are plain notes, not a database.\n", fp);
  fclose(fp);
  assert_int_equal(tr_store_open(path, 1, &s, &err), -1);
  assert_null(s);
  assert_contains(err, path);
  assert_contains(err, "not a database");
  free(err);
  err = NULL;

  /* An SQLite database, but someone else's. */
  snprintf(path, sizeof path, "%s/other.db", f->dir);
  sqlite3 *db;
  assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
  assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL),
                   SQLITE_OK);
  sqlite3_close(db);
  assert_int_equal(tr_store_open(path, 1, &s, &err), -1);
  assert_contains(err, path);
  assert_contains(err, "not a trawl store");
  free(err);
}

static void test_check_detects_unindexed(void **state) {
  tr_fix *f = *state;
  tr_store *s = open_ok(f->path, 1);
  tr_corpus *c = tr_corpus_new();
  add_doc(c, "a", "indexed", "A", NULL, NULL, NULL);
  sync_ok(s, c);
  assert_intact(s, f->path);
  /* A writer that bypasses the triggers leaves a document unindexed. */
  raw_exec(f->path, "DROP TRIGGER documents_ai; INSERT INTO documents(id,"
                    " text, len, hash, rev, ord)"
                    " VALUES ('b', 'hidden', 6, 0, 0, 1)");
  char *err = NULL;
  assert_int_equal(tr_store_check(s, &err), -1);
  assert_contains(err, f->path);
  assert_contains(err, "1 not indexed");
  free(err);
  tr_corpus_free(c);
  tr_store_close(s);
}

/* ---- tests: sync, load ------------------------------------------------ */

static void test_sync_stats(void **state) {
  tr_fix *f = *state;
  tr_store *s = open_ok(f->path, 1);
  tr_corpus *c = tr_corpus_new();
  add_doc(c, "a", "Alpha text about militias.", "A", "2020-05-07", NULL,
          NULL);
  add_doc(c, "b", "Bravo text about elections.", "B", "2020-06", "Bo",
          "{\"lang\":\"en\"}");
  add_doc(c, "c", "Charlie text about the economy.", "C", NULL, NULL, NULL);
  add_doc(c, "d", "Delta text, soon gone.", "D", NULL, NULL, NULL);
  tr_corpus_sort(c);

  assert_stats(sync_ok(s, c), 4, 0, 0, 0);
  assert_stats(sync_ok(s, c), 0, 0, 4, 0);
  assert_store_equals(s, c);
  tr_corpus_free(c);

  /* a: text changed; b: metadata only; c: unchanged; d: removed; e: new. */
  c = tr_corpus_new();
  add_doc(c, "a", "Alpha text about protests.", "A", "2020-05-07", NULL,
          NULL);
  add_doc(c, "b", "Bravo text about elections.", "B", "2020-06", "Bo",
          "{\"lang\":\"ar\"}");
  add_doc(c, "c", "Charlie text about the economy.", "C", NULL, NULL, NULL);
  add_doc(c, "e", "Echo text about oil.", "E", NULL, NULL, NULL);
  tr_corpus_sort(c);
  assert_stats(sync_ok(s, c), 1, 2, 1, 1);
  assert_store_equals(s, c);
  assert_stats(sync_ok(s, c), 0, 0, 4, 0);

  /* Each metadata field on its own counts as a change. */
  static const char *const fields[] = {"title", "date", "source", "author",
                                       "meta"};
  static const char *const values[] = {"New title", "2021-02-03",
                                       "New Source", "New Author",
                                       "{\"k\":4}"};
  for (int k = 0; k < 5; k++) {
    tr_doc *d = tr_corpus_find(c, "c");
    assert_int_equal(tr_doc_set(d, fields[k], values[k]), 0);
    assert_stats(sync_ok(s, c), 0, 1, 3, 0);
  }
  /* Clearing a field too. */
  assert_int_equal(tr_doc_set(tr_corpus_find(c, "c"), "author", NULL), 0);
  assert_stats(sync_ok(s, c), 0, 1, 3, 0);
  assert_store_equals(s, c);

  /* The index followed: old words gone, new ones there. */
  tr_hits hs = {0};
  assert_int_equal(search_ok(s, "militias", 0, &hs), 0);
  assert_int_equal(search_ok(s, "protests", 0, &hs), 1);
  assert_string_equal(hs.v[0].id, "a");
  hits_free(&hs);
  assert_int_equal(search_ok(s, "delta", 0, &hs), 0);
  assert_int_equal(search_ok(s, "oil", 0, &hs), 1);
  hits_free(&hs);
  assert_int_equal(search_ok(s, "new", 0, &hs), 1); /* c's new title */
  hits_free(&hs);
  assert_intact(s, f->path);

  /* An empty corpus empties the store. */
  tr_corpus *empty = tr_corpus_new();
  assert_stats(sync_ok(s, empty), 0, 0, 0, 4);
  assert_int_equal(tr_store_count(s), 0);
  assert_int_equal(search_ok(s, "text", 0, &hs), 0);
  assert_intact(s, f->path);
  tr_corpus_free(empty);
  tr_corpus_free(c);
  tr_store_close(s);
}

static void test_sync_error_rolls_back(void **state) {
  tr_fix *f = *state;
  tr_store *s = open_ok(f->path, 1);
  tr_corpus *c = tr_corpus_new();
  add_doc(c, "a", "first", "A", NULL, NULL, NULL);
  add_doc(c, "b", "second", "B", NULL, NULL, NULL);
  assert_stats(sync_ok(s, c), 2, 0, 0, 0);

  /* New and changed documents first, then one the schema refuses (meta
  ** must be JSON): nothing of it may stay. */
  tr_corpus *bad = tr_corpus_new();
  add_doc(bad, "a", "first, changed", "A", NULL, NULL, NULL);
  add_doc(bad, "c", "third", "C", NULL, NULL, NULL);
  add_doc(bad, "d", "fourth", "D", NULL, NULL, "{not json");
  tr_sync_stats st;
  char *err = NULL;
  assert_int_equal(tr_store_sync(s, bad, &st, &err), -1);
  assert_contains(err, "\"d\"");
  assert_contains(err, f->path);
  free(err);
  assert_stats(st, 0, 0, 0, 0);
  assert_store_equals(s, c);
  assert_intact(s, f->path);
  /* The connection is usable afterwards. */
  assert_int_equal(tr_doc_set(tr_corpus_find(bad, "d"), "meta", "{}"), 0);
  assert_stats(sync_ok(s, bad), 2, 1, 0, 1);
  assert_store_equals(s, bad);
  tr_corpus_free(bad);
  tr_corpus_free(c);
  tr_store_close(s);
}

static void test_load_round_trip(void **state) {
  tr_fix *f = *state;
  tr_store *s = open_ok(f->path, 1);
  tr_corpus *c = tr_corpus_new();
  /* Added out of order: load returns id order. */
  add_doc(c, "z/last", "Plain ASCII.\n\nSecond paragraph.\n", "Last",
          "2021", "Ann Author", "{\"tags\":[\"x\",\"y\"],\"n\":3}");
  add_doc(c, "m/ünïcode",
          "Mustafa Al-Kāẓimī visited Köln and Мосул; "
          "قوات الحشد الشعبي — “quotes” and emoji 🙂\n\ttabs\r\n",
          "Ünïcode «title»", "2020-05", NULL, NULL);
  add_doc(c, "a/empty", "", "Empty", NULL, NULL, NULL);
  add_doc(c, "a/space", "   \n  \n", "Blank", NULL, NULL, "{}");
  assert_stats(sync_ok(s, c), 4, 0, 0, 0);
  tr_corpus_sort(c);
  assert_store_equals(s, c);
  tr_store_close(s);

  /* And again from a fresh connection. */
  s = open_ok(f->path, 0);
  assert_store_equals(s, c);
  assert_stats(sync_ok(s, c), 0, 0, 4, 0);
  tr_corpus_free(c);
  tr_store_close(s);
}

/* ---- tests: search ---------------------------------------------------- */

static const char *const search_docs[][3] = {
  /* id, title, text */
  {"d1", "Militias in Iraq",
   "The Popular Mobilization Forces were formed in 2014. Critics of the "
   "popular mobilization say it answers to Tehran. Kadhimi wants the "
   "Popular Mobilization under state control; the popular  mobilization "
   "disagrees."},
  {"d2", "Elections",
   "The elections were moved. Kadhimi promised early elections and a new "
   "electoral law. Popular anger, mobilization of voters."},
  {"d3", "Köln and Мосул",
   "A café in Köln hosted exiles from Мосул. The CAFÉ was crowded; "
   "мосул was on everyone's lips. الحشد الشعبي appeared in the news."},
  {"d4", "Kadhimi profile",
   "A profile of the prime minister, without the word in question."},
};

static tr_corpus *search_corpus(void) {
  tr_corpus *c = tr_corpus_new();
  for (size_t i = 0; i < sizeof search_docs / sizeof *search_docs; i++)
    add_doc(c, search_docs[i][0], search_docs[i][2], search_docs[i][1],
            NULL, NULL, NULL);
  return c;
}

static void test_search(void **state) {
  tr_fix *f = *state;
  tr_store *s = open_ok(f->path, 1);
  tr_corpus *c = search_corpus();
  sync_ok(s, c);
  tr_hits hs = {0};

  /* Ranking: d1 says "mobilization" four times, d2 once. */
  assert_int_equal(search_ok(s, "mobilization", 0, &hs), 2);
  assert_string_equal(hs.v[0].id, "d1");
  assert_string_equal(hs.v[1].id, "d2");
  assert_true(hs.v[0].rank < hs.v[1].rank);
  assert_spans(&hs.v[0], tr_corpus_find(c, "d1"), "mobilization", 4);
  assert_spans(&hs.v[1], tr_corpus_find(c, "d2"), "mobilization", 1);
  assert_contains(hs.v[0].snippet, "[Mobilization]");
  assert_contains(hs.v[1].snippet, "[mobilization]");
  hits_free(&hs);

  /* A phrase: one span over both words (and the gap between them, even a
  ** double space); d2's "Popular anger, mobilization" is no match. */
  assert_int_equal(search_ok(s, "\"popular mobilization\"", 0, &hs), 1);
  assert_string_equal(hs.v[0].id, "d1");
  const tr_doc *d1 = tr_corpus_find(c, "d1");
  assert_int_equal(hs.v[0].nspans, 4);
  for (size_t i = 0; i < hs.v[0].nspans; i++) {
    uint64_t a = hs.v[0].spans[2 * i], b = hs.v[0].spans[2 * i + 1];
    assert_true(strncasecmp(d1->text + a, "popular", 7) == 0);
    assert_true(strncasecmp(d1->text + b - 12, "mobilization", 12) == 0);
    assert_true(b - a == 20 || b - a == 21);
  }
  assert_contains(hs.v[0].snippet, "[Popular Mobilization]");
  hits_free(&hs);

  /* Non-ASCII words, case folded ("мосул" finds "Мосул") and diacritics
  ** removed ("koln" and "cafe" find "Köln" and "café"/"CAFÉ"). */
  const tr_doc *d3 = tr_corpus_find(c, "d3");
  assert_int_equal(search_ok(s, "мосул", 0, &hs), 1);
  assert_spans(&hs.v[0], d3, "мосул", 2);
  hits_free(&hs);
  assert_int_equal(search_ok(s, "koln", 0, &hs), 1);
  assert_spans(&hs.v[0], d3, "köln", 1); /* the title hit has no span */
  hits_free(&hs);
  assert_int_equal(search_ok(s, "cafe", 0, &hs), 1);
  assert_spans(&hs.v[0], d3, "café", 2);
  hits_free(&hs);
  assert_int_equal(search_ok(s, "\"الحشد الشعبي\"", 0, &hs), 1);
  assert_spans(&hs.v[0], d3, "الحشد الشعبي", 1);
  hits_free(&hs);

  /* Prefix: the span is the whole indexed word. */
  assert_int_equal(search_ok(s, "elect*", 0, &hs), 1);
  assert_string_equal(hs.v[0].id, "d2");
  const tr_doc *d2 = tr_corpus_find(c, "d2");
  assert_int_equal(hs.v[0].nspans, 3); /* elections x2, electoral */
  assert_int_equal(hs.v[0].spans[1] - hs.v[0].spans[0], strlen("elections"));
  hits_free(&hs);

  /* Several phrases: spans of both, in text order. */
  assert_int_equal(search_ok(s, "kadhimi AND law", 0, &hs), 1);
  assert_int_equal(hs.v[0].nspans, 2);
  assert_memory_equal(d2->text + hs.v[0].spans[0], "Kadhimi", 7);
  assert_memory_equal(d2->text + hs.v[0].spans[2], "law", 3);
  hits_free(&hs);

  /* A title-only hit ranks but has no span in the text. */
  assert_int_equal(search_ok(s, "profile", 0, &hs), 1);
  assert_string_equal(hs.v[0].id, "d4");
  assert_int_equal(hs.v[0].nspans, 1); /* "profile" is in its text too */
  hits_free(&hs);
  assert_int_equal(search_ok(s, "kadhimi", 0, &hs), 3);
  for (size_t i = 0; i < hs.n; i++)
    if (strcmp(hs.v[i].id, "d4") == 0)
      assert_int_equal(hs.v[i].nspans, 0);
    else
      assert_int_equal(hs.v[i].nspans, 1);
  hits_free(&hs);
  assert_int_equal(search_ok(s, "title:militias", 0, &hs), 1);
  assert_int_equal(hs.v[0].nspans, 0);
  hits_free(&hs);

  /* NEAR, OR, NOT. */
  assert_int_equal(search_ok(s, "NEAR(kadhimi elections, 3)", 0, &hs), 1);
  assert_string_equal(hs.v[0].id, "d2");
  hits_free(&hs);
  assert_int_equal(search_ok(s, "tehran OR law", 0, &hs), 2);
  hits_free(&hs);
  assert_int_equal(search_ok(s, "kadhimi NOT law", 0, &hs), 2);
  hits_free(&hs);

  /* limit, and a callback that stops. */
  assert_int_equal(search_ok(s, "kadhimi", 2, &hs), 2);
  hits_free(&hs);
  hs.stop_after = 1;
  assert_int_equal(search_ok(s, "kadhimi", 0, &hs), 1);
  hits_free(&hs);
  hs.stop_after = 0;
  assert_int_equal(search_ok(s, "nothinglikethis", 0, &hs), 0);

  /* Without a callback the hits are only counted. */
  char *err = NULL;
  assert_int_equal(tr_store_search(s, "kadhimi", 0, NULL, NULL, &err), 3);

  tr_corpus_free(c);
  tr_store_close(s);
}

/* A callback that runs another search on the same store. */
typedef struct tr_nested {
  tr_store *s;                  /* the store */
  tr_hits inner;                /* hits of the inner searches */
  size_t outer;                 /* outer hits seen */
} tr_nested;

static int nested_cb(void *ud, const tr_hit *h) {
  tr_nested *n = ud;
  char id[32];
  snprintf(id, sizeof id, "%s", h->id);
  n->outer++;
  search_ok(n->s, "mobilization", 0, &n->inner);
  hits_free(&n->inner);
  assert_string_equal(h->id, id); /* the outer hit is still intact */
  return 0;
}

static void test_search_nested(void **state) {
  tr_fix *f = *state;
  tr_store *s = open_ok(f->path, 1);
  tr_corpus *c = search_corpus();
  sync_ok(s, c);
  tr_nested n = {s, {{{0}}, 0, 0}, 0};
  char *err = NULL;
  assert_int_equal(tr_store_search(s, "kadhimi", 0, nested_cb, &n, &err), 3);
  assert_int_equal(n.outer, 3);
  tr_corpus_free(c);
  tr_store_close(s);
}

static void test_search_bad_query(void **state) {
  tr_fix *f = *state;
  tr_store *s = open_ok(f->path, 1);
  tr_corpus *c = search_corpus();
  sync_ok(s, c);
  static const char *const bad[] = {"\"unbalanced quote", "AND",
                                    "kadhimi AND", "(popular", "NEAR(",
                                    "nosuchcolumn: x", "*"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    char *err = NULL;
    tr_hits hs = {0};
    assert_int_equal(tr_store_search(s, bad[i], 0, collect, &hs, &err), -1);
    assert_int_equal(hs.n, 0);
    assert_contains(err, bad[i]);
    assert_contains(err, "bad search query");
    if (getenv("TRAWL_TEST_VERBOSE"))
      fprintf(stderr, "%s\n", err);
    free(err);
    /* The statement is reusable after the error. */
    assert_int_equal(search_ok(s, "kadhimi", 0, &hs), 3);
    hits_free(&hs);
  }
  tr_corpus_free(c);
  tr_store_close(s);
}

/* ---- tests: atomicity ------------------------------------------------- */

/* A text of about size bytes, different for each (id, version). */
static char *make_text(int id, int version, size_t size) {
  char *t = malloc(size + 64);
  size_t n = 0;
  assert_non_null(t);
  n += (size_t)sprintf(t, "Document %d, version %d: marker%c%d.\n", id,
                       version, 'a' + version, id);
  for (unsigned k = 0; n < size; k++)
    n += (size_t)sprintf(t + n, "word%u of doc%d rev%d. ",
                         (k * 2654435761u + (unsigned)id) % 5000, id,
                         version);
  t[n] = '\0';
  return t;
}

/* 60 documents; version 2 changes 0..29 (large texts, so that the child's
** uncommitted pages overflow SQLite's cache into the WAL), drops 30..39
** and adds 60..69. */
static tr_corpus *atom_corpus(int version) {
  tr_corpus *c = tr_corpus_new();
  for (int i = 0; i < 70; i++) {
    int v = version == 2 && i < 30 ? 2 : 1;
    if (version == 1 && i >= 60)
      continue;
    if (version == 2 && i >= 30 && i < 40)
      continue;
    char id[32], date[16];
    snprintf(id, sizeof id, "doc%03d", i);
    snprintf(date, sizeof date, "2020-%02d-01", 1 + i % 12);
    char *text = make_text(i, v, v == 2 ? 150000 : 2000);
    add_doc(c, id, text, id, date, NULL, NULL);
    free(text);
  }
  tr_corpus_sort(c);
  return c;
}

static void test_abort_atomicity(void **state) {
  tr_fix *f = *state;
  tr_corpus *v1 = atom_corpus(1), *v2 = atom_corpus(2);
  tr_store *s = open_ok(f->path, 1);
  assert_stats(sync_ok(s, v1), 60, 0, 0, 0);
  tr_store_close(s); /* never carry a connection across fork() */

  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    /* The child: sync version 2 and die after 25 written documents. */
    signal(SIGABRT, SIG_DFL);
    /* Memory pressure makes SQLite spill dirty pages of the open
    ** transaction into the WAL, so the kill leaves uncommitted frames on
    ** disk: the case recovery must ignore. */
    sqlite3_soft_heap_limit64(1 << 20);
    setenv("TRAWL_FAULT_ABORT_AFTER", "25", 1);
    tr_store *cs = NULL;
    char *err = NULL;
    if (tr_store_open(f->path, 0, &cs, &err) != 0)
      _exit(2);
    tr_sync_stats st;
    tr_store_sync(cs, v2, &st, &err);
    _exit(3); /* not reached when the hook works */
  }
  int status = 0;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  if (!WIFSIGNALED(status))
    fail_msg("child exited with %d instead of dying by SIGABRT",
             WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  assert_int_equal(WTERMSIG(status), SIGABRT);

  /* The child really wrote uncommitted pages to the WAL before dying. */
  char wal[256];
  struct stat sb;
  snprintf(wal, sizeof wal, "%s-wal", f->path);
  assert_int_equal(stat(wal, &sb), 0);
  assert_true(sb.st_size > 1024 * 1024);

  /* The store still holds exactly version 1, intact. */
  s = open_ok(f->path, 0);
  assert_store_equals(s, v1);
  assert_intact(s, f->path);
  /* The index agrees with the texts: each version-1 marker finds its own
  ** document, at the right bytes; no version-2 marker is indexed. */
  tr_hits hs = {0};
  for (size_t i = 0; i < tr_corpus_count(v1); i++) {
    const tr_doc *d = tr_corpus_doc(v1, i);
    char q[32];
    snprintf(q, sizeof q, "markerb%d", atoi(d->id + 3));
    assert_int_equal(search_ok(s, q, 0, &hs), 1);
    assert_string_equal(hs.v[0].id, d->id);
    assert_spans(&hs.v[0], d, q, 1);
    hits_free(&hs);
  }
  assert_int_equal(search_ok(s, "markerc5", 0, &hs), 0);

  /* A later sync completes, with the full set of changes. */
  assert_null(getenv("TRAWL_FAULT_ABORT_AFTER"));
  assert_stats(sync_ok(s, v2), 10, 30, 20, 10);
  assert_store_equals(s, v2);
  assert_intact(s, f->path);
  assert_int_equal(search_ok(s, "markerc5", 0, &hs), 1);
  hits_free(&hs);
  tr_store_close(s);
  tr_corpus_free(v1);
  tr_corpus_free(v2);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_default_path),
    cmocka_unit_test_setup_teardown(test_create_open_reopen, fix_setup,
                                    fix_teardown),
    cmocka_unit_test_setup_teardown(test_store_dir_error, fix_setup,
                                    fix_teardown),
    cmocka_unit_test_setup_teardown(test_newer_schema_refused, fix_setup,
                                    fix_teardown),
    cmocka_unit_test_setup_teardown(test_not_a_database, fix_setup,
                                    fix_teardown),
    cmocka_unit_test_setup_teardown(test_check_detects_unindexed,
                                    fix_setup, fix_teardown),
    cmocka_unit_test_setup_teardown(test_sync_stats, fix_setup,
                                    fix_teardown),
    cmocka_unit_test_setup_teardown(test_sync_error_rolls_back, fix_setup,
                                    fix_teardown),
    cmocka_unit_test_setup_teardown(test_load_round_trip, fix_setup,
                                    fix_teardown),
    cmocka_unit_test_setup_teardown(test_search, fix_setup, fix_teardown),
    cmocka_unit_test_setup_teardown(test_search_nested, fix_setup,
                                    fix_teardown),
    cmocka_unit_test_setup_teardown(test_search_bad_query, fix_setup,
                                    fix_teardown),
    cmocka_unit_test_setup_teardown(test_abort_atomicity, fix_setup,
                                    fix_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

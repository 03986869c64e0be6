/*
** test_entities.c — cmocka tests of the entity tables (entities.c) on a
** small corpus synced into a temporary store: the exact mentions an apply
** stores (document, span, text, entity, type, rule, attrs), the overlap
** policy and keep_overlaps as stored, idempotent re-apply, rulesets applied
** separately not touching each other, failing regexes and callbacks
** leaving no mentions of their own, the all-or-nothing transaction, the
** entity, mention and variant queries, acronym case, the schema migration
** from version 1, and what a sync does to mentions of changed documents.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "entities.h"
#include "rules_fixture.h"

/* ---- fixtures --------------------------------------------------------- */

/* The test corpus. a2 has the curly apostrophe, a lower-case "kh" (no
** acronym match) and "Prime Minister Kadhimi" (the pattern beats the
** alias); b1 has "U.S." for the other ruleset; c1 is the catastrophic
** input for the failing regex. */
static const char *const fx_docs[][2] = {
  {"a1", "Kataib Hezbollah fired rockets on 12/25/20. KH denied it, aac.\n"},
  {"a2", "Kata’ib Hezbollah and the kh. Prime Minister Kadhimi met KH "
         "leaders.\n"},
  {"a3", "Nothing to see here.\n"},
  {"b1", "The U.S. blamed KH.\n"},
  {"c1", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab c 1/2/21\n"},
};
#define FX_NDOCS (sizeof fx_docs / sizeof *fx_docs)

/* A temporary store holding the synced corpus. */
typedef struct tr_fix {
  char dir[64];                 /* the mkdtemp directory */
  char *path;                   /* DIR/.trawl/store.db */
  tr_store *s;
  tr_corpus *c;                 /* the corpus, as synced */
} tr_fix;

static tr_corpus *make_corpus(size_t n) {
  tr_corpus *c = tr_corpus_new();
  assert_non_null(c);
  for (size_t i = 0; i < n; i++)
    assert_non_null(tr_corpus_add(c, fx_docs[i][0], "-", fx_docs[i][1],
                                  strlen(fx_docs[i][1]), 0, NULL));
  return c;
}

static int fix_setup(void **state) {
  tr_fix *f = calloc(1, sizeof *f);
  if (!f)
    return -1;
  const char *tmp = getenv("TMPDIR");
  snprintf(f->dir, sizeof f->dir, "%s/trawl-ent-XXXXXX",
           tmp && strlen(tmp) < 32 ? tmp : "/tmp");
  if (!mkdtemp(f->dir)) {
    free(f);
    return -1;
  }
  f->path = tr_store_default_path(f->dir);
  char *err = NULL;
  if (tr_store_open(f->path, 1, &f->s, &err)) {
    fprintf(stderr, "%s\n", err);
    free(err);
    return -1;
  }
  f->c = make_corpus(FX_NDOCS);
  if (tr_store_sync(f->s, f->c, NULL, &err)) {
    fprintf(stderr, "%s\n", err);
    free(err);
    return -1;
  }
  *state = f;
  return 0;
}

static int fix_teardown(void **state) {
  tr_fix *f = *state;
  char cmd[128];
  tr_store_close(f->s);
  tr_corpus_free(f->c);
  /* The directory name comes from mkdtemp: no shell metacharacters. */
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
  int rc = system(cmd);
  free(f->path);
  free(f);
  return rc == 0 ? 0 : -1;
}

/* ---- helpers ---------------------------------------------------------- */

static void assert_contains(const char *hay, const char *needle) {
  if (!hay || !strstr(hay, needle))
    fail_msg("\"%s\" does not contain \"%s\"", hay ? hay : "(null)", needle);
}

static void build_ok(tr_matcher *m, tr_ruleset **rs, size_t n,
                     const tr_regex_limits *lim) {
  char *err = NULL;
  if (tr_matcher_build(m, rs, n, lim, &err) != 0)
    fail_msg("tr_matcher_build: %s", err ? err : "(no message)");
}

static tr_apply_stats apply_ok(tr_fix *f, const tr_corpus *c, tr_matcher *m,
                               int keep) {
  tr_apply_opts o = {keep};
  tr_apply_stats st;
  char *err = NULL;
  if (tr_apply(f->s, c, m, NULL, &o, &st, &err) != 0)
    fail_msg("tr_apply: %s", err ? err : "(no message)");
  assert_null(err);
  return st;
}

/* Build a matcher of the given rulesets and apply it to the corpus. */
static tr_apply_stats apply_rs(tr_fix *f, tr_ruleset **rs, size_t n,
                               int keep) {
  tr_matcher m;
  build_ok(&m, rs, n, NULL);
  tr_apply_stats st = apply_ok(f, f->c, &m, keep);
  tr_matcher_free(&m);
  return st;
}

/* Every row of a query, columns joined by '|', rows by '\n'. */
static char *dump_sql(tr_store *s, const char *sql) {
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(tr_store_db(s), sql, -1, &q, NULL) != SQLITE_OK)
    fail_msg("%s: %s", sql, sqlite3_errmsg(tr_store_db(s)));
  size_t cap = 4096, n = 0;
  char *out = malloc(cap);
  assert_non_null(out);
  out[0] = '\0';
  while (sqlite3_step(q) == SQLITE_ROW) {
    for (int i = 0; i < sqlite3_column_count(q); i++) {
      const char *v = (const char *)sqlite3_column_text(q, i);
      if (!v)
        v = "NULL";
      size_t k = strlen(v) + 2;
      if (n + k + 1 > cap) {
        cap = 2 * (n + k + 1);
        out = realloc(out, cap);
        assert_non_null(out);
      }
      n += (size_t)sprintf(out + n, "%s%s", i ? "|" : "", v);
    }
    out[n++] = '\n';
    out[n] = '\0';
  }
  sqlite3_finalize(q);
  return out;
}

static long count_sql(tr_store *s, const char *sql) {
  sqlite3_stmt *q = NULL;
  assert_int_equal(sqlite3_prepare_v2(tr_store_db(s), sql, -1, &q, NULL),
                   SQLITE_OK);
  assert_int_equal(sqlite3_step(q), SQLITE_ROW);
  long n = (long)sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  return n;
}

/* The entity tables, everything but the rowids and applied_at. */
static char *dump_tables(tr_store *s) {
  char *a = dump_sql(s, "SELECT name, version, description, license, author,"
                        " path FROM rulesets ORDER BY name");
  char *b = dump_sql(s, "SELECT * FROM entities ORDER BY ruleset, id");
  char *c = dump_sql(s, "SELECT * FROM aliases ORDER BY 1, 2, 3");
  char *d = dump_sql(s, "SELECT d.id, start, stop, m.text, entity, eruleset,"
                        " type, rule, ruleset, version, score, attrs"
                        " FROM mentions m JOIN documents d USING (docid)"
                        " ORDER BY 1, 2, 3, 8, 9");
  size_t n = strlen(a) + strlen(b) + strlen(c) + strlen(d) + 16;
  char *all = malloc(n);
  assert_non_null(all);
  snprintf(all, n, "%s--\n%s--\n%s--\n%s", a, b, c, d);
  free(a);
  free(b);
  free(c);
  free(d);
  return all;
}

/* Mentions as "doc start stop text entity type rule ruleset" lines, via
** tr_mentions_query. */
typedef struct collect {
  char buf[8192];               /* the lines */
  long rows;                    /* rows seen */
  long stop_after;              /* stop after this many (0: never) */
} collect;

static int collect_mention(void *ud, const tr_mention_row *r) {
  collect *c = ud;
  size_t n = strlen(c->buf);
  snprintf(c->buf + n, sizeof c->buf - n, "%s %llu %llu [%s] %s %s %s %s%s%s\n",
           r->doc, (unsigned long long)r->start, (unsigned long long)r->stop,
           r->text, r->entity ? r->entity : "-", r->type, r->rule,
           r->ruleset, r->attrs ? " " : "", r->attrs ? r->attrs : "");
  c->rows++;
  return c->stop_after && c->rows >= c->stop_after;
}

static const char *mentions(tr_fix *f, const tr_mention_filter *flt,
                            collect *c) {
  char *err = NULL;
  memset(c, 0, sizeof *c);
  long n = tr_mentions_query(f->s, flt, collect_mention, c, &err);
  if (n < 0)
    fail_msg("tr_mentions_query: %s", err);
  assert_int_equal(n, c->rows);
  return c->buf;
}

static void assert_text(const char *got, const char *want) {
  if (strcmp(got, want) != 0)
    fail_msg("got:\n%s\nwant:\n%s", got, want);
}

/* What iraq finds in the corpus, resolved. */
static const char iraq_mentions[] =
  "a1 0 16 [Kataib Hezbollah] kh ORG aliases iraq\n"
  "a1 34 42 [12/25/20] - DATE date-mdy iraq "
  "{\"month\": \"12\", \"day\": \"25\", \"year\": \"20\"}\n"
  "a1 44 46 [KH] kh ORG aliases iraq\n"
  "a2 0 19 [Kata’ib Hezbollah] kh ORG aliases iraq\n"
  "a2 32 54 [Prime Minister Kadhimi] kadhimi PERSON pm-title iraq\n"
  "a2 59 61 [KH] kh ORG aliases iraq\n"
  "b1 16 18 [KH] kh ORG aliases iraq\n"
  "c1 36 42 [1/2/21] - DATE date-mdy iraq "
  "{\"month\": \"1\", \"day\": \"2\", \"year\": \"21\"}\n";

/* ---- apply ------------------------------------------------------------ */

static void test_apply_mentions(void **state) {
  tr_fix *f = *state;
  tr_ruleset *rs = fx_iraq();
  tr_apply_stats st = apply_rs(f, &rs, 1, 0);
  assert_int_equal(st.docs, FX_NDOCS);
  assert_int_equal(st.mentions, 8);
  assert_int_equal(st.failed, 0);
  collect c;
  assert_text(mentions(f, NULL, &c), iraq_mentions);
  /* Acronym case: the "kh" of a2 is not a mention. */
  assert_int_equal(count_sql(f->s, "SELECT count(*) FROM mentions"
                                   " WHERE text = 'kh'"), 0);

  /* The ruleset, its entities and aliases. */
  char *d = dump_sql(f->s, "SELECT name, version, description, license,"
                           " author, path, applied_at GLOB"
                           " '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T*Z'"
                           " FROM rulesets");
  assert_text(d, "iraq|1.0.0|test ruleset|MIT|tests|rules/iraq.lua|1\n");
  free(d);
  d = dump_sql(f->s, "SELECT * FROM entities ORDER BY id");
  assert_text(d, "iraq|kadhimi|PERSON|Mustafa al-Kadhimi|"
                 "{\"role\": \"Prime Minister of Iraq\"}\n"
                 "iraq|kh|ORG|Kataib Hezbollah|{\"kind\": \"militia\"}\n"
                 "iraq|nobody|PERSON|Zebulon Quux|NULL\n");
  free(d);
  d = dump_sql(f->s, "SELECT entity, alias FROM aliases ORDER BY 1, 2");
  assert_text(d, "kadhimi|Al-Kazemi\nkadhimi|Kadhimi\n"
                 "kadhimi|Mustafa al-Kadhimi\nkh|KH\nkh|Kata'ib Hezbollah\n"
                 "kh|Kataib Hezbollah\nnobody|Zebulon Quux\n");
  free(d);
  d = dump_sql(f->s, "SELECT DISTINCT version, score FROM mentions");
  assert_text(d, "1.0.0|1.0\n");
  free(d);
  char *err = NULL;
  assert_int_equal(tr_store_check(f->s, &err), 0);
  fx_ruleset_free(rs);
}

/* keep_overlaps stores every match: a2's alias "Kadhimi" inside the
** pattern's span, too. */
static void test_keep_overlaps(void **state) {
  tr_fix *f = *state;
  tr_ruleset *rs = fx_iraq();
  tr_apply_stats st = apply_rs(f, &rs, 1, 1);
  assert_int_equal(st.mentions, 9);
  collect c;
  tr_mention_filter flt = {.doc = "a2"};
  assert_text(mentions(f, &flt, &c),
              "a2 0 19 [Kata’ib Hezbollah] kh ORG aliases iraq\n"
              "a2 32 54 [Prime Minister Kadhimi] kadhimi PERSON pm-title "
              "iraq\n"
              "a2 47 54 [Kadhimi] kadhimi PERSON aliases iraq\n"
              "a2 59 61 [KH] kh ORG aliases iraq\n");
  /* Applying again without keep_overlaps resolves them. */
  st = apply_rs(f, &rs, 1, 0);
  assert_int_equal(st.mentions, 8);
  assert_text(mentions(f, NULL, &c), iraq_mentions);
  fx_ruleset_free(rs);
}

static void test_reapply_idempotent(void **state) {
  tr_fix *f = *state;
  tr_ruleset *rs = fx_iraq();
  apply_rs(f, &rs, 1, 0);
  char *before = dump_tables(f->s);
  tr_apply_stats st = apply_rs(f, &rs, 1, 0);
  assert_int_equal(st.mentions, 8);
  char *after = dump_tables(f->s);
  assert_text(after, before);
  assert_int_equal(count_sql(f->s, "SELECT count(*) FROM mentions"), 8);
  assert_int_equal(count_sql(f->s, "SELECT count(*) FROM rulesets"), 1);
  free(before);
  free(after);

  /* A new version of the ruleset replaces the old rows: one entity less,
  ** the version in every mention. */
  tr_ruleset *v2 = fx_ruleset("iraq", "1.1.0");
  fx_entity(v2, "kh", "ORG", "Kataib Hezbollah", NULL, 0, "KH",
            (const char *)NULL);
  fx_alias_rule(v2);
  st = apply_rs(f, &v2, 1, 0);
  assert_int_equal(st.mentions, 4);
  char *d = dump_sql(f->s, "SELECT DISTINCT ruleset, version, entity"
                           " FROM mentions");
  assert_text(d, "iraq|1.1.0|kh\n");
  free(d);
  assert_int_equal(count_sql(f->s, "SELECT count(*) FROM entities"), 1);
  assert_int_equal(count_sql(f->s, "SELECT count(*) FROM aliases"), 2);
  fx_ruleset_free(v2);
  fx_ruleset_free(rs);
}

static tr_ruleset *fx_other(void) {
  tr_ruleset *rs = fx_ruleset("other", "0.1.0");
  fx_entity(rs, "us", "GPE", "United States", NULL, 0, "U.S.",
            (const char *)NULL);
  fx_case_sensitive(rs, 0, "United States"); /* an alias: one row */
  fx_case_sensitive(rs, 0, "USA");           /* not one: a row of its own */
  fx_alias_rule(rs);
  fx_regex(rs, "blame", "EVENT", "blamed", NULL, 0);
  return rs;
}

static void test_two_rulesets(void **state) {
  tr_fix *f = *state;
  tr_ruleset *iraq = fx_iraq(), *other = fx_other();
  apply_rs(f, &iraq, 1, 0);
  apply_rs(f, &other, 1, 0);
  char *o1 = dump_sql(f->s, "SELECT * FROM mentions WHERE ruleset = 'other'"
                            " ORDER BY mid");
  assert_text(o1, "9|4|4|8|U.S.|us|other|GPE|aliases|other|0.1.0|1.0|NULL\n"
                  "10|4|9|15|blamed|NULL|NULL|EVENT|blame|other|0.1.0|1.0|"
                  "NULL\n");
  /* Re-applying iraq leaves other's rows as they were, row ids included. */
  tr_apply_stats st = apply_rs(f, &iraq, 1, 0);
  assert_int_equal(st.mentions, 8);
  char *o2 = dump_sql(f->s, "SELECT * FROM mentions WHERE ruleset = 'other'"
                            " ORDER BY mid");
  assert_text(o2, o1);
  free(o1);
  free(o2);
  assert_int_equal(count_sql(f->s, "SELECT count(*) FROM mentions"), 10);
  assert_int_equal(count_sql(f->s, "SELECT count(*) FROM rulesets"), 2);
  assert_int_equal(count_sql(f->s, "SELECT count(*) FROM entities"), 4);
  char *al = dump_sql(f->s, "SELECT alias FROM aliases"
                            " WHERE ruleset = 'other' ORDER BY 1");
  assert_text(al, "U.S.\nUSA\nUnited States\n");
  free(al);
  collect c;
  tr_mention_filter flt = {.ruleset = "other"};
  assert_text(mentions(f, &flt, &c),
              "b1 4 8 [U.S.] us GPE aliases other\n"
              "b1 9 15 [blamed] - EVENT blame other\n");

  /* Both at once: the same rows as separately. */
  char *sep = dump_tables(f->s);
  tr_ruleset *both[] = {iraq, other};
  st = apply_rs(f, both, 2, 0);
  assert_int_equal(st.mentions, 10);
  char *together = dump_tables(f->s);
  assert_text(together, sep);
  free(sep);
  free(together);
  fx_ruleset_free(iraq);
  fx_ruleset_free(other);
}

/* A regex that hits the match limit on c1 (after matching "aac" in a1):
** none of its mentions are stored, everything else is. */
static void test_failing_regex(void **state) {
  tr_fix *f = *state;
  tr_ruleset *rs = fx_iraq();
  fx_regex(rs, "boom", "NOISE", "(a+)+c", NULL, 0);
  tr_rule *boom = &rs->rules[rs->nrules - 1];
  tr_regex_limits lim = {.match_limit = 10000};
  tr_matcher m;
  build_ok(&m, &rs, 1, &lim);
  tr_apply_stats st = apply_ok(f, f->c, &m, 0);
  assert_int_equal(st.failed, 1);
  assert_int_equal(st.mentions, 8);
  assert_true(boom->failed);
  assert_contains(boom->error, "regex 'boom': document 'c1': ");
  assert_contains(boom->error, "match limit");
  collect c;
  assert_text(mentions(f, NULL, &c), iraq_mentions);
  /* Applied again, the disabled rule is skipped from the start. */
  st = apply_ok(f, f->c, &m, 0);
  assert_int_equal(st.failed, 1);
  assert_text(mentions(f, NULL, &c), iraq_mentions);
  tr_matcher_free(&m);
  fx_ruleset_free(rs);
}

/* The fake callback: "cb-first" labels each document's first token;
** "cb-bad" does the same but fails on a2 (after succeeding on a1). */
static int fake_callback(void *ud, const tr_ruleset *rs, size_t rule,
                         const tr_doc *d, const tr_analysis *a,
                         uint32_t value, tr_matches *out, char **err) {
  (void)ud;
  const tr_rule *r = &rs->rules[rule];
  if (strcmp(r->id, "cb-bad") == 0 && strcmp(d->id, "a2") == 0) {
    *err = strdup("attempt to index a nil value");
    return -1;
  }
  if (a->toks.n == 0)
    return 0;
  tr_match x = {a->toks.v[0].start, a->toks.v[0].start + a->toks.v[0].len,
                0, 1, 0, value, r->priority, 0.75f, UINT32_MAX};
  return tr_matches_push(out, &x);
}

static void test_failing_callback(void **state) {
  tr_fix *f = *state;
  tr_ruleset *rs = fx_ruleset("cb", "2.0.0");
  fx_rule(rs, TR_RULE_CALLBACK, "cb-first", "FIRST", 0);
  fx_rule(rs, TR_RULE_CALLBACK, "cb-bad", "BAD", -1);
  tr_matcher m;
  build_ok(&m, &rs, 1, NULL);
  m.callback = fake_callback;
  tr_apply_stats st = apply_ok(f, f->c, &m, 1);
  assert_int_equal(st.failed, 1);
  assert_int_equal(st.mentions, FX_NDOCS);
  assert_true(rs->rules[1].failed);
  assert_contains(rs->rules[1].error, "rules/cb.lua:101: callback 'cb-bad':"
                                      " document 'a2': attempt to index");
  collect c;
  assert_text(mentions(f, NULL, &c),
              "a1 0 6 [Kataib] - FIRST cb-first cb\n"
              "a2 0 9 [Kata’ib] - FIRST cb-first cb\n"
              "a3 0 7 [Nothing] - FIRST cb-first cb\n"
              "b1 0 3 [The] - FIRST cb-first cb\n"
              "c1 0 33 [aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab] - FIRST cb-first "
              "cb\n");
  char *d = dump_sql(f->s, "SELECT DISTINCT score FROM mentions");
  assert_text(d, "0.75\n");
  free(d);
  tr_matcher_free(&m);
  fx_ruleset_free(rs);
}

/* An error halfway (a document missing from the store, or changed since
** the sync) leaves the store exactly as it was. */
static void test_apply_is_atomic(void **state) {
  tr_fix *f = *state;
  tr_ruleset *rs = fx_iraq(), *other = fx_other();
  apply_rs(f, &rs, 1, 0);
  apply_rs(f, &other, 1, 0);
  char *before = dump_tables(f->s);
  char *stamps = dump_sql(f->s, "SELECT applied_at FROM rulesets");

  tr_ruleset *v2 = fx_iraq();
  free(v2->version);
  v2->version = fx_dup("2.0.0");
  tr_ruleset *both[] = {v2, other};
  tr_matcher m;
  build_ok(&m, both, 2, NULL);

  /* zz is last: every other document was processed first. */
  tr_corpus *c = make_corpus(FX_NDOCS);
  assert_non_null(tr_corpus_add(c, "zz", "-", "KH here.", 8, 0, NULL));
  tr_apply_opts o = {0};
  tr_apply_stats st = {1, 1, 1};
  char *err = NULL;
  assert_int_equal(tr_apply(f->s, c, &m, NULL, &o, &st, &err), -1);
  assert_contains(err, f->path);
  assert_contains(err, "document 'zz' is not in the store");
  assert_int_equal(st.docs, 0);
  free(err);
  err = NULL;
  tr_corpus_free(c);
  char *after = dump_tables(f->s);
  assert_text(after, before);
  free(after);

  /* A document whose text is not the stored one. */
  c = tr_corpus_new();
  assert_non_null(tr_corpus_add(c, "a1", "-", "KH changed.", 11, 0, NULL));
  assert_int_equal(tr_apply(f->s, c, &m, NULL, &o, &st, &err), -1);
  assert_contains(err, "document 'a1' differs from the stored one");
  free(err);
  tr_corpus_free(c);
  after = dump_tables(f->s);
  assert_text(after, before);
  free(after);
  char *stamps2 = dump_sql(f->s, "SELECT applied_at FROM rulesets");
  assert_text(stamps2, stamps);
  free(stamps);
  free(stamps2);
  free(before);

  /* The store is still usable. */
  st = apply_ok(f, f->c, &m, 0);
  assert_int_equal(st.mentions, 10);
  assert_int_equal(count_sql(f->s, "SELECT count(*) FROM mentions"
                                   " WHERE version = '2.0.0'"), 8);
  tr_matcher_free(&m);
  fx_ruleset_free(v2);
  fx_ruleset_free(rs);
  fx_ruleset_free(other);
}

/* ---- queries ---------------------------------------------------------- */

static int collect_entity(void *ud, const tr_entity_row *r) {
  collect *c = ud;
  size_t n = strlen(c->buf);
  snprintf(c->buf + n, sizeof c->buf - n, "%s/%s %s [%s] %s %ld %ld\n",
           r->ruleset, r->id, r->type, r->name, r->attrs ? r->attrs : "-",
           r->mentions, r->docs);
  c->rows++;
  return c->stop_after && c->rows >= c->stop_after;
}

static const char *entities(tr_fix *f, const tr_entity_filter *flt,
                            collect *c, long stop_after) {
  char *err = NULL;
  memset(c, 0, sizeof *c);
  c->stop_after = stop_after;
  long n = tr_entities_query(f->s, flt, collect_entity, c, &err);
  if (n < 0)
    fail_msg("tr_entities_query: %s", err);
  assert_int_equal(n, c->rows);
  return c->buf;
}

static int collect_variant(void *ud, const tr_variant_row *r) {
  collect *c = ud;
  size_t n = strlen(c->buf);
  snprintf(c->buf + n, sizeof c->buf - n, "[%s] %ld %ld\n", r->text,
           r->count, r->docs);
  c->rows++;
  return 0;
}

static void test_queries(void **state) {
  tr_fix *f = *state;
  tr_ruleset *iraq = fx_iraq(), *other = fx_other();
  /* A ruleset with a pattern labelled with iraq's kh: its mentions count
  ** for iraq's entity. */
  tr_ruleset *extra = fx_ruleset("extra", "1.0.0");
  tr_rule *p = fx_pattern(extra, "kh-leaders", "kh", 0);
  fx_spec(p, TR_OP_ONE);
  fx_pred_str(p, TR_A_ORTH, "leaders");
  tr_ruleset *all[] = {iraq, other, extra};
  apply_rs(f, all, 3, 0);

  collect c;
  assert_text(entities(f, NULL, &c, 0),
              "iraq/kh ORG [Kataib Hezbollah] {\"kind\": \"militia\"} 6 3\n"
              "iraq/kadhimi PERSON [Mustafa al-Kadhimi] {\"role\": \"Prime "
              "Minister of Iraq\"} 1 1\n"
              "other/us GPE [United States] - 1 1\n"
              "iraq/nobody PERSON [Zebulon Quux] - 0 0\n");
  tr_entity_filter ef = {.type = "PERSON"};
  assert_text(entities(f, &ef, &c, 0),
              "iraq/kadhimi PERSON [Mustafa al-Kadhimi] {\"role\": \"Prime "
              "Minister of Iraq\"} 1 1\n"
              "iraq/nobody PERSON [Zebulon Quux] - 0 0\n");
  ef = (tr_entity_filter){.ruleset = "other"};
  assert_text(entities(f, &ef, &c, 0), "other/us GPE [United States] - 1 1\n");
  ef = (tr_entity_filter){.id = "nobody", .type = "PERSON", .ruleset = "iraq"};
  assert_text(entities(f, &ef, &c, 0),
              "iraq/nobody PERSON [Zebulon Quux] - 0 0\n");
  ef = (tr_entity_filter){.id = "nosuch"};
  assert_text(entities(f, &ef, &c, 0), "");
  /* The callback stops the listing. */
  assert_text(entities(f, NULL, &c, 1),
              "iraq/kh ORG [Kataib Hezbollah] {\"kind\": \"militia\"} 6 3\n");
  char *err = NULL;
  assert_int_equal(tr_entities_query(f->s, NULL, NULL, NULL, &err), 4);

  /* Mentions: by entity (any rule, any ruleset), type, document. */
  tr_mention_filter mf = {.entity = "kh"};
  assert_text(mentions(f, &mf, &c),
              "a1 0 16 [Kataib Hezbollah] kh ORG aliases iraq\n"
              "a1 44 46 [KH] kh ORG aliases iraq\n"
              "a2 0 19 [Kata’ib Hezbollah] kh ORG aliases iraq\n"
              "a2 59 61 [KH] kh ORG aliases iraq\n"
              "a2 62 69 [leaders] kh ORG kh-leaders extra\n"
              "b1 16 18 [KH] kh ORG aliases iraq\n");
  mf = (tr_mention_filter){.type = "DATE", .doc = "c1"};
  assert_text(mentions(f, &mf, &c),
              "c1 36 42 [1/2/21] - DATE date-mdy iraq "
              "{\"month\": \"1\", \"day\": \"2\", \"year\": \"21\"}\n");
  mf = (tr_mention_filter){.doc = "a3"};
  assert_text(mentions(f, &mf, &c), "");
  mf = (tr_mention_filter){.entity = "kh", .ruleset = "extra"};
  assert_text(mentions(f, &mf, &c),
              "a2 62 69 [leaders] kh ORG kh-leaders extra\n");

  /* Variants of kh: most frequent first, then in more documents, then by
  ** text. */
  memset(&c, 0, sizeof c);
  long n = tr_variants_query(f->s, "kh", collect_variant, &c, &err);
  assert_int_equal(n, 4);
  assert_text(c.buf, "[KH] 3 3\n[Kataib Hezbollah] 1 1\n"
                     "[Kata’ib Hezbollah] 1 1\n[leaders] 1 1\n");
  memset(&c, 0, sizeof c);
  assert_int_equal(tr_variants_query(f->s, "nobody", collect_variant, &c,
                                     &err), 0);
  assert_int_equal(tr_variants_query(f->s, NULL, collect_variant, &c, &err),
                   -1);
  assert_contains(err, f->path);
  free(err);
  fx_ruleset_free(iraq);
  fx_ruleset_free(other);
  fx_ruleset_free(extra);
}

/* ---- the store around the tables -------------------------------------- */

/* A store of schema version 1 (documents only) gets the entity tables on
** open, its documents kept. */
static void test_migration_from_v1(void **state) {
  tr_fix *f = *state;
  sqlite3 *db = tr_store_db(f->s);
  assert_int_equal(
    sqlite3_exec(db,
                 "DROP TRIGGER documents_mentions_au;"
                 " DROP TRIGGER documents_mentions_ad; DROP TABLE mentions;"
                 " DROP TABLE aliases; DROP TABLE entities;"
                 " DROP TABLE rulesets;"
                 " UPDATE meta SET value = 1 WHERE key = 'schema_version'",
                 NULL, NULL, NULL),
    SQLITE_OK);
  tr_store_close(f->s);
  f->s = NULL;
  char *err = NULL;
  if (tr_store_open(f->path, 0, &f->s, &err))
    fail_msg("reopen: %s", err);
  assert_int_equal(count_sql(f->s, "SELECT value FROM meta"
                                   " WHERE key = 'schema_version'"),
                   TR_STORE_SCHEMA);
  assert_int_equal(tr_store_count(f->s), FX_NDOCS);
  tr_ruleset *rs = fx_iraq();
  assert_int_equal(apply_rs(f, &rs, 1, 0).mentions, 8);
  assert_int_equal(tr_store_check(f->s, &err), 0);
  fx_ruleset_free(rs);
}

/* A sync that removes a document removes its mentions; one that changes a
** document's text drops its mentions (their spans no longer hold); a
** metadata change keeps them. */
static void test_sync_and_mentions(void **state) {
  tr_fix *f = *state;
  tr_ruleset *rs = fx_iraq();
  apply_rs(f, &rs, 1, 0);
  tr_corpus *c = tr_corpus_new();
  for (size_t i = 0; i < FX_NDOCS; i++) {
    const char *id = fx_docs[i][0], *text = fx_docs[i][1];
    if (strcmp(id, "a2") == 0)
      continue;
    if (strcmp(id, "a1") == 0)
      text = "KH again.";
    tr_doc *d = tr_corpus_add(c, id, "-", text, strlen(text), 0, NULL);
    assert_non_null(d);
    if (strcmp(id, "b1") == 0)
      assert_int_equal(tr_doc_set(d, "date", "2020-01-05"), 0);
  }
  tr_sync_stats ss;
  char *err = NULL;
  assert_int_equal(tr_store_sync(f->s, c, &ss, &err), 0);
  assert_int_equal(ss.removed, 1);
  assert_int_equal(ss.updated, 2);
  collect k;
  assert_text(mentions(f, NULL, &k),
              "b1 16 18 [KH] kh ORG aliases iraq\n"
              "c1 36 42 [1/2/21] - DATE date-mdy iraq "
              "{\"month\": \"1\", \"day\": \"2\", \"year\": \"21\"}\n");
  /* Re-applying to the new corpus finds a1's new mention. */
  tr_matcher m;
  build_ok(&m, &rs, 1, NULL);
  apply_ok(f, c, &m, 0);
  tr_mention_filter flt = {.doc = "a1"};
  assert_text(mentions(f, &flt, &k), "a1 0 2 [KH] kh ORG aliases iraq\n");
  tr_matcher_free(&m);
  tr_corpus_free(c);
  fx_ruleset_free(rs);
}

/* Nothing to apply: the rulesets are stored, no mention. An empty corpus
** is fine too. */
static void test_apply_edge_cases(void **state) {
  tr_fix *f = *state;
  tr_ruleset *rs = fx_ruleset("empty", "0.0.1");
  assert_int_equal(apply_rs(f, &rs, 1, 0).mentions, 0);
  assert_int_equal(count_sql(f->s, "SELECT count(*) FROM rulesets"), 1);
  tr_matcher m;
  build_ok(&m, NULL, 0, NULL);
  tr_corpus *c = tr_corpus_new();
  tr_apply_stats st = apply_ok(f, c, &m, 0);
  assert_int_equal(st.docs, 0);
  tr_corpus_free(c);
  tr_matcher_free(&m);
  fx_ruleset_free(rs);
}

int main(void) {
#define T(t) cmocka_unit_test_setup_teardown(t, fix_setup, fix_teardown)
  const struct CMUnitTest tests[] = {
    T(test_apply_mentions),   T(test_keep_overlaps),
    T(test_reapply_idempotent), T(test_two_rulesets),
    T(test_failing_regex),    T(test_failing_callback),
    T(test_apply_is_atomic),  T(test_queries),
    T(test_migration_from_v1), T(test_sync_and_mentions),
    T(test_apply_edge_cases),
  };
#undef T
  return cmocka_run_group_tests(tests, NULL, NULL);
}

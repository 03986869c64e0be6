/*
** test_rules.c — cmocka tests of the rule applier (rules.c) on hand-built
** rulesets, without a store: rule and label numbering, the acronym rule
** and case_sensitive lists, the overlap policy (longest, priority, rule
** order, ruleset order) and keep_overlaps, regex captures, failing regexes
** and callbacks disabled without losing the other rules' matches, and
** build errors naming the file, line and rule.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "rules_fixture.h"

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
  assert_null(err);
}

/* A document and its analysis, for one run. */
typedef struct fx_doc {
  tr_corpus *c;
  tr_doc *d;
  tr_analysis a;
} fx_doc;

static void doc_open(fx_doc *x, const char *id, const char *text) {
  x->c = tr_corpus_new();
  assert_non_null(x->c);
  x->d = tr_corpus_add(x->c, id, "-", text, strlen(text), 0, NULL);
  assert_non_null(x->d);
  tr_analysis_init(&x->a);
  assert_int_equal(tr_analyze(x->d, NULL, &x->a), 0);
}

static void doc_close(fx_doc *x) {
  tr_analysis_free(&x->a);
  tr_corpus_free(x->c);
}

/* Run m over text; the matches stay in out (sorted by start). */
static void run_text(tr_matcher *m, const char *text, int keep,
                     tr_matches *out, tr_regex_caps *caps) {
  fx_doc x;
  doc_open(&x, "d", text);
  assert_int_equal(tr_matcher_run(m, x.d, &x.a, keep, out, caps), 0);
  doc_close(&x);
}

/* "TYPE/entity text" of match i, for compact assertions. */
static const char *describe(const tr_matcher *m, const char *text,
                            const tr_match *x) {
  static char buf[256];
  const tr_label *l = &m->labels[x->value];
  const char *ent =
    l->entity >= 0 ? m->rs[l->ruleset]->entities[l->entity].id : "-";
  const tr_rule_ref *ref = &m->rules[x->rule];
  snprintf(buf, sizeof buf, "%s/%s/%s:%.*s", l->type, ent,
           m->rs[ref->ruleset]->rules[ref->rule].id,
           (int)(x->stop - x->start), text + x->start);
  return buf;
}

/* Assert the matches, in text order, as a "|"-joined description. */
static void assert_matches(const tr_matcher *m, const char *text,
                           const tr_matches *ms, const char *want) {
  char got[2048] = "";
  for (size_t i = 0; i < ms->n; i++) {
    if (i)
      strncat(got, "|", sizeof got - strlen(got) - 1);
    strncat(got, describe(m, text, &ms->v[i]), sizeof got - strlen(got) - 1);
  }
  if (strcmp(got, want) != 0)
    fail_msg("matches\n  got  %s\n  want %s", got, want);
}

/* ---- numbering -------------------------------------------------------- */

static void test_numbering(void **state) {
  (void)state;
  tr_ruleset *a = fx_iraq();
  tr_ruleset *b = fx_ruleset("other", "0.1.0");
  fx_entity(b, "us", "GPE", "United States", NULL, 0, "U.S.",
            (const char *)NULL);
  fx_alias_rule(b);
  fx_regex(b, "kh-ref", "kh", "Brigades", NULL, 0); /* iraq's entity */
  fx_regex(b, "year", "DATE", "\\b20\\d\\d\\b", NULL, 0);
  fx_regex(b, "money", "MONEY", "\\$\\d+", NULL, 0);
  tr_ruleset *rs[] = {a, b};
  tr_matcher m;
  build_ok(&m, rs, 2, NULL);
  /* Rules: iraq's 3 then other's 4, in their order. */
  assert_int_equal(m.nrules, 7);
  assert_int_equal(m.rules[0].ruleset, 0);
  assert_int_equal(m.rules[0].rule, 0);
  assert_int_equal(m.rules[0].value, UINT32_MAX); /* the alias rule */
  assert_int_equal(m.rules[2].rule, 2);
  assert_int_equal(m.rules[3].ruleset, 1);
  assert_int_equal(m.rules[3].rule, 0);
  assert_int_equal(m.rules[6].rule, 3);
  /* Labels: every entity first (3 + 1), then types per ruleset. */
  assert_int_equal(m.nlabels, 4 + 3);
  assert_int_equal(m.labels[0].entity, 0);
  assert_string_equal(m.labels[0].type, "ORG");
  assert_int_equal(m.labels[3].ruleset, 1);
  assert_int_equal(m.labels[3].entity, 0);
  assert_string_equal(m.labels[3].type, "GPE");
  assert_int_equal(m.rules[1].value, 1);          /* pm-title: kadhimi */
  assert_int_equal(m.rules[4].value, 0);          /* kh-ref: iraq's kh */
  assert_string_equal(m.labels[m.rules[2].value].type, "DATE");
  assert_int_equal(m.labels[m.rules[2].value].ruleset, 0);
  /* Each ruleset has its own DATE label. */
  assert_int_not_equal(m.rules[2].value, m.rules[5].value);
  assert_int_equal(m.labels[m.rules[5].value].ruleset, 1);
  assert_string_equal(m.labels[m.rules[6].value].type, "MONEY");
  assert_int_equal(tr_regexes_count(m.res), 4);
  assert_int_equal(tr_patterns_count(m.pats), 1);
  assert_int_equal(tr_gaz_count(m.gaz), 9);

  tr_matches ms;
  tr_matches_init(&ms);
  const char *t = "The Hezbollah Brigades, Kata’ib Hezbollah, in 2020.";
  run_text(&m, t, 0, &ms, NULL);
  assert_matches(&m, t, &ms,
                 "ORG/kh/kh-ref:Brigades|ORG/kh/aliases:Kata’ib Hezbollah|"
                 "DATE/-/year:2020");
  tr_matches_free(&ms);
  tr_matcher_free(&m);
  fx_ruleset_free(a);
  fx_ruleset_free(b);
}

/* ---- aliases: acronyms and case --------------------------------------- */

static void test_acronyms_match_by_case(void **state) {
  (void)state;
  tr_ruleset *rs = fx_ruleset("case", "1.0.0");
  fx_entity(rs, "kh", "ORG", "Kataib Hezbollah", NULL, 0, "KH",
            (const char *)NULL);
  fx_entity(rs, "us", "GPE", "United States", NULL, 0, "U.S.",
            (const char *)NULL);
  fx_entity(rs, "abcdef", "ORG", "ABCDEF", NULL, 0, (const char *)NULL);
  size_t hb = fx_entity(rs, "hb", "ORG", "Hezbollah Brigades", NULL, 0,
                        "Brigades", (const char *)NULL);
  fx_case_sensitive(rs, hb, "Brigades");     /* an alias, exact case */
  fx_case_sensitive(rs, hb, "HB");           /* not an alias: added */
  fx_alias_rule(rs);
  tr_matcher m;
  build_ok(&m, &rs, 1, NULL);
  tr_matches ms;
  tr_matches_init(&ms);
  const char *t =
    "KH said, kh said, Kh said. KATAIB HEZBOLLAH and kataib hezbollah. "
    "The U.S. and the u.s. abcdef. brigades. Brigades! HB hb.";
  run_text(&m, t, 0, &ms, NULL);
  assert_matches(&m, t, &ms,
                 "ORG/kh/aliases:KH|ORG/kh/aliases:KATAIB HEZBOLLAH|"
                 "ORG/kh/aliases:kataib hezbollah|GPE/us/aliases:U.S.|"
                 "ORG/abcdef/aliases:abcdef|ORG/hb/aliases:Brigades|"
                 "ORG/hb/aliases:HB");
  tr_matches_free(&ms);
  tr_matcher_free(&m);
  fx_ruleset_free(rs);
}

/* ---- overlaps --------------------------------------------------------- */

/* fired: LOW (prio 0, first) vs HIGH (prio 5) -> HIGH. rockets: a pattern
** and a regex, same priority -> the pattern (comes first). bases: two
** regexes -> the first. Kataib Hezbollah: longest alias wins over the
** "Hezbollah" alias and over a high-priority one-word regex. */
static tr_ruleset *overlap_ruleset(void) {
  tr_ruleset *rs = fx_ruleset("ov", "1.0.0");
  fx_entity(rs, "kh", "ORG", "Kataib Hezbollah", NULL, 0, "Hezbollah",
            (const char *)NULL);
  fx_alias_rule(rs);
  tr_rule *p = fx_pattern(rs, "pat-rockets", "PAT", 0);
  fx_spec(p, TR_OP_ONE);
  fx_pred_str(p, TR_A_LOWER, "rockets");
  fx_regex(rs, "low", "LOW", "fired", NULL, 0);
  fx_regex(rs, "high", "HIGH", "fired", NULL, 5);
  fx_regex(rs, "re-rockets", "REGEX", "rockets", NULL, 0);
  fx_regex(rs, "first", "FIRST", "bases", NULL, 0);
  fx_regex(rs, "second", "SECOND", "bases", NULL, 0);
  fx_regex(rs, "hez", "HEZ", "Hezbollah", NULL, 100);
  return rs;
}

static void test_overlap_policy(void **state) {
  (void)state;
  tr_ruleset *rs = overlap_ruleset();
  tr_matcher m;
  build_ok(&m, &rs, 1, NULL);
  tr_matches ms;
  tr_matches_init(&ms);
  const char *t = "Kataib Hezbollah fired rockets at bases.";
  run_text(&m, t, 0, &ms, NULL);
  assert_matches(&m, t, &ms,
                 "ORG/kh/aliases:Kataib Hezbollah|HIGH/-/high:fired|"
                 "PAT/-/pat-rockets:rockets|FIRST/-/first:bases");

  /* keep_overlaps: everything, in text order (longer first at a start). */
  run_text(&m, t, 1, &ms, NULL);
  assert_matches(&m, t, &ms,
                 "ORG/kh/aliases:Kataib Hezbollah|ORG/kh/aliases:Hezbollah|"
                 "HEZ/-/hez:Hezbollah|LOW/-/low:fired|HIGH/-/high:fired|"
                 "PAT/-/pat-rockets:rockets|REGEX/-/re-rockets:rockets|"
                 "FIRST/-/first:bases|SECOND/-/second:bases");
  tr_matches_free(&ms);
  tr_matcher_free(&m);
  fx_ruleset_free(rs);
}

/* Between rulesets, the one given first comes first. */
static void test_overlap_ruleset_order(void **state) {
  (void)state;
  tr_ruleset *a = fx_ruleset("a", "1.0.0");
  fx_regex(a, "ra", "AAA", "word", NULL, 0);
  tr_ruleset *b = fx_ruleset("b", "1.0.0");
  fx_regex(b, "rb", "BBB", "word", NULL, 0);
  tr_matches ms;
  tr_matches_init(&ms);
  const char *t = "a word";
  tr_ruleset *ab[] = {a, b}, *ba[] = {b, a};
  tr_matcher m;
  build_ok(&m, ab, 2, NULL);
  run_text(&m, t, 0, &ms, NULL);
  assert_matches(&m, t, &ms, "AAA/-/ra:word");
  tr_matcher_free(&m);
  build_ok(&m, ba, 2, NULL);
  run_text(&m, t, 0, &ms, NULL);
  assert_matches(&m, t, &ms, "BBB/-/rb:word");
  tr_matcher_free(&m);
  tr_matches_free(&ms);
  fx_ruleset_free(a);
  fx_ruleset_free(b);
}

/* ---- regex captures --------------------------------------------------- */

static void test_regex_captures(void **state) {
  (void)state;
  tr_ruleset *rs = fx_iraq();
  tr_matcher m;
  build_ok(&m, &rs, 1, NULL);
  tr_matches ms;
  tr_regex_caps caps;
  tr_matches_init(&ms);
  tr_regex_caps_init(&caps);
  const char *t = "On 12/25/20 Prime Minister Kadhimi spoke.";
  run_text(&m, t, 0, &ms, &caps);
  assert_matches(&m, t, &ms,
                 "DATE/-/date-mdy:12/25/20|"
                 "PERSON/kadhimi/pm-title:Prime Minister Kadhimi");
  const tr_match *x = &ms.v[0];
  assert_int_not_equal(x->extra, UINT32_MAX);
  assert_int_equal(caps.count[x->extra], 3);
  const tr_regex_cap *c = &caps.v[caps.first[x->extra]];
  assert_string_equal(c[0].name, "month");
  assert_int_equal(c[0].start, 3);
  assert_int_equal(c[0].stop, 5);
  assert_string_equal(c[2].name, "year");
  assert_int_equal(ms.v[1].extra, UINT32_MAX);
  /* The caps of the previous document are cleared. */
  run_text(&m, "Kadhimi", 0, &ms, &caps);
  assert_int_equal(caps.n, 0);
  assert_int_equal(caps.nlists, 0);
  tr_regex_caps_free(&caps);
  tr_matches_free(&ms);
  tr_matcher_free(&m);
  fx_ruleset_free(rs);
}

/* ---- failing rules ---------------------------------------------------- */

/* (a+)+c backtracks exponentially on a run of a's followed by anything
** but c, when a c comes later (so PCRE2's required-character check does
** not rule the match out at once). */
#define BOOM_TEXT "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab c 1/2/21"

static void test_failing_regex(void **state) {
  (void)state;
  tr_ruleset *rs = fx_iraq();
  fx_regex(rs, "boom", "NOISE", "(a+)+c", NULL, 0)->line = 42;
  fx_regex(rs, "late", "LATE", "\\bc\\b", NULL, 0); /* after boom */
  tr_rule *boom = &rs->rules[rs->nrules - 2];
  tr_regex_limits lim = {.match_limit = 10000};
  tr_matcher m;
  build_ok(&m, &rs, 1, &lim);
  assert_int_equal(tr_regexes_count(m.res), 3);
  tr_matches ms;
  tr_regex_caps caps;
  tr_matches_init(&ms);
  tr_regex_caps_init(&caps);

  /* A harmless document: boom matches. */
  run_text(&m, "aac KH", 0, &ms, &caps);
  assert_matches(&m, "aac KH", &ms,
                 "NOISE/-/boom:aac|ORG/kh/aliases:KH");

  /* The catastrophic one: boom fails, the others' matches stay. */
  fx_doc x;
  doc_open(&x, "doc-boom", BOOM_TEXT);
  assert_int_equal(tr_matcher_run(&m, x.d, &x.a, 0, &ms, &caps), 0);
  assert_matches(&m, BOOM_TEXT, &ms, "LATE/-/late:c|DATE/-/date-mdy:1/2/21");
  /* The date's captures survive the re-run. */
  assert_int_equal(caps.count[ms.v[1].extra], 3);
  assert_string_equal(caps.v[caps.first[ms.v[1].extra]].name, "month");
  doc_close(&x);
  assert_true(boom->failed);
  assert_contains(boom->error, "rules/iraq.lua:42: regex 'boom': ");
  assert_contains(boom->error, "document 'doc-boom'");
  assert_contains(boom->error, "match limit");
  /* Recompiled without it. */
  assert_int_equal(tr_regexes_count(m.res), 2);

  /* Later documents: boom is off. */
  run_text(&m, "aac KH", 0, &ms, &caps);
  assert_matches(&m, "aac KH", &ms, "ORG/kh/aliases:KH");
  tr_regex_caps_free(&caps);
  tr_matches_free(&ms);
  tr_matcher_free(&m);

  /* A rule already failed is not compiled (nor its label resolved). */
  assert_int_equal(tr_matcher_build(&m, &rs, 1, &lim, NULL), 0);
  assert_int_equal(tr_regexes_count(m.res), 2);
  tr_matcher_free(&m);
  fx_ruleset_free(rs);
}

/* The same through a pattern's REGEX predicate. */
static void test_failing_pattern(void **state) {
  (void)state;
  tr_ruleset *rs = fx_iraq();
  tr_rule *p = fx_pattern(rs, "pboom", "NOISE", 0);
  fx_spec(p, TR_OP_ONE);
  tr_pred *pr = fx_pred(p, TR_A_TEXT, TR_P_REGEX);
  pr->str = fx_dup("(a+)+c");
  pr->len = strlen(pr->str);
  p->line = 7;
  tr_regex_limits lim = {.match_limit = 10000};
  tr_matcher m;
  build_ok(&m, &rs, 1, &lim);
  assert_int_equal(tr_patterns_count(m.pats), 2);
  tr_matches ms;
  tr_matches_init(&ms);
  run_text(&m, "Prime Minister Kadhimi aac", 0, &ms, NULL);
  assert_matches(&m, "Prime Minister Kadhimi aac", &ms,
                 "PERSON/kadhimi/pm-title:Prime Minister Kadhimi|"
                 "NOISE/-/pboom:aac");
  const char *t = "Prime Minister Kadhimi aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaabc";
  run_text(&m, t, 0, &ms, NULL);
  assert_matches(&m, t, &ms,
                 "PERSON/kadhimi/pm-title:Prime Minister Kadhimi");
  p = &rs->rules[rs->nrules - 1];
  assert_true(p->failed);
  assert_contains(p->error, "rules/iraq.lua:7: pattern 'pboom': document 'd'");
  assert_contains(p->error, "limit");
  assert_int_equal(tr_patterns_count(m.pats), 1);
  tr_matches_free(&ms);
  tr_matcher_free(&m);
  fx_ruleset_free(rs);
}

/* A text that is not UTF-8 makes the regex set fail for every rule: that
** is the document's fault, and no rule is disabled for it. */
static void test_invalid_utf8_fails_no_rule(void **state) {
  (void)state;
  tr_ruleset *rs = fx_iraq();
  tr_matcher m;
  build_ok(&m, &rs, 1, NULL);
  tr_matches ms;
  tr_matches_init(&ms);
  const char t[] = "KH on 1/2/21 \xff\xfe";
  run_text(&m, t, 0, &ms, NULL);
  assert_matches(&m, t, &ms, "ORG/kh/aliases:KH");
  for (size_t i = 0; i < rs->nrules; i++)
    assert_false(rs->rules[i].failed);
  tr_matches_free(&ms);
  tr_matcher_free(&m);
  fx_ruleset_free(rs);
}

/* The fake callback: "cb-first" emits the first token; "cb-bad" emits a
** match and then errors on documents whose text holds "fail", and emits a
** span past the end on those holding "wild". */
static int fake_callback(void *ud, const tr_ruleset *rs, size_t rule,
                         const tr_doc *d, const tr_analysis *a,
                         uint32_t value, tr_matches *out, char **err) {
  int *calls = ud;
  (*calls)++;
  const tr_rule *r = &rs->rules[rule];
  if (a->toks.n == 0)
    return 0;
  tr_match x = {a->toks.v[0].start, a->toks.v[0].start + a->toks.v[0].len,
                0, 1, 12345 /* the matcher sets it */, value,
                r->priority, 0.5f, UINT32_MAX};
  if (tr_matches_push(out, &x))
    return -1;
  if (strcmp(r->id, "cb-bad") == 0) {
    if (strstr(d->text, "fail")) {
      *err = strdup("something broke");
      return -1;
    }
    if (strstr(d->text, "wild")) {
      x.stop = d->len + 10;
      return tr_matches_push(out, &x);
    }
  }
  return 0;
}

static void test_callbacks(void **state) {
  (void)state;
  tr_ruleset *rs = fx_ruleset("cb", "1.0.0");
  fx_rule(rs, TR_RULE_CALLBACK, "cb-first", "FIRST", 0);
  tr_rule *bad = fx_rule(rs, TR_RULE_CALLBACK, "cb-bad", "BAD", 0);
  tr_matcher m;
  build_ok(&m, &rs, 1, NULL);
  tr_matches ms;
  tr_matches_init(&ms);

  /* Without a callback function, callback rules are skipped. */
  run_text(&m, "Hello there", 1, &ms, NULL);
  assert_int_equal(ms.n, 0);

  int calls = 0;
  m.callback = fake_callback;
  m.ud = &calls;
  run_text(&m, "Hello there", 1, &ms, NULL);
  assert_int_equal(calls, 2);
  assert_matches(&m, "Hello there", &ms,
                 "FIRST/-/cb-first:Hello|BAD/-/cb-bad:Hello");
  assert_int_equal(ms.v[0].rule, 0);
  assert_int_equal(ms.v[1].rule, 1);
  assert_true(ms.v[0].score == 0.5f);

  /* An error: the rule's matches of this document go, it is disabled. */
  run_text(&m, "Now fail", 1, &ms, NULL);
  assert_matches(&m, "Now fail", &ms, "FIRST/-/cb-first:Now");
  assert_true(bad->failed);
  assert_contains(bad->error, "rules/cb.lua:101: callback 'cb-bad': "
                              "document 'd': something broke");
  calls = 0;
  run_text(&m, "Later", 1, &ms, NULL);
  assert_int_equal(calls, 1);
  assert_matches(&m, "Later", &ms, "FIRST/-/cb-first:Later");

  /* A span past the end of the text is a failure too. */
  free(bad->error);
  bad->error = NULL;
  bad->failed = 0;
  run_text(&m, "Go wild", 1, &ms, NULL);
  assert_matches(&m, "Go wild", &ms, "FIRST/-/cb-first:Go");
  assert_true(bad->failed);
  assert_contains(bad->error, "span outside the document");
  tr_matches_free(&ms);
  tr_matcher_free(&m);
  fx_ruleset_free(rs);
}

/* ---- build errors ----------------------------------------------------- */

static void build_fails(tr_ruleset **rs, size_t n, const char *want1,
                        const char *want2) {
  tr_matcher m;
  char *err = NULL;
  assert_int_equal(tr_matcher_build(&m, rs, n, NULL, &err), -1);
  assert_contains(err, want1);
  if (want2)
    assert_contains(err, want2);
  free(err);
  /* Left zeroed: freeing again is harmless. */
  assert_null(m.rules);
  tr_matcher_free(&m);
}

static void test_build_errors(void **state) {
  (void)state;
  tr_ruleset *rs = fx_iraq();
  tr_rule *r = fx_regex(rs, "bad-re", "DATE", "(\\d+", NULL, 0);
  r->line = 30;
  build_fails(&rs, 1, "rules/iraq.lua:30: regex 'bad-re': ",
              "missing closing parenthesis");
  r->failed = 1; /* a failed rule is not compiled */
  tr_matcher m;
  build_ok(&m, &rs, 1, NULL);
  tr_matcher_free(&m);
  fx_ruleset_free(rs);

  rs = fx_iraq();
  r = fx_regex(rs, "lost", "kadimi", "x", NULL, 0);
  build_fails(&rs, 1, "regex 'lost': label 'kadimi' is not an entity id",
              NULL);
  fx_ruleset_free(rs);

  /* An alias with no tokens. */
  rs = fx_iraq();
  fx_entity(rs, "empty", "ORG", "", NULL, 0, (const char *)NULL);
  build_fails(&rs, 1, "rules/iraq.lua:13: entity 'empty': alias ''", NULL);
  fx_ruleset_free(rs);

  /* Entities but no alias rule; the same ruleset twice. */
  rs = fx_ruleset("noalias", "1.0.0");
  fx_entity(rs, "x", "ORG", "Xylo", NULL, 0, (const char *)NULL);
  build_fails(&rs, 1, "rules/noalias.lua: entities but no alias rule", NULL);
  fx_ruleset_free(rs);
  rs = fx_iraq();
  tr_ruleset *twice[] = {rs, rs};
  build_fails(twice, 2, "ruleset 'iraq' given twice", NULL);
  fx_ruleset_free(rs);
}

/* A ruleset with nothing in it, and no rulesets at all. */
static void test_empty(void **state) {
  (void)state;
  tr_ruleset *rs = fx_ruleset("empty", "1.0.0");
  tr_matcher m;
  build_ok(&m, &rs, 1, NULL);
  assert_null(m.gaz);
  assert_null(m.pats);
  assert_null(m.res);
  tr_matches ms;
  tr_matches_init(&ms);
  run_text(&m, "Some text.", 0, &ms, NULL);
  assert_int_equal(ms.n, 0);
  tr_matcher_free(&m);
  build_ok(&m, NULL, 0, NULL);
  run_text(&m, "", 0, &ms, NULL);
  assert_int_equal(ms.n, 0);
  tr_matcher_free(&m);
  tr_matches_free(&ms);
  fx_ruleset_free(rs);
  /* Freeing a zeroed ruleset twice is harmless. */
  tr_ruleset z;
  tr_ruleset_init(&z);
  tr_ruleset_free(&z);
  tr_ruleset_free(&z);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_numbering),
    cmocka_unit_test(test_acronyms_match_by_case),
    cmocka_unit_test(test_overlap_policy),
    cmocka_unit_test(test_overlap_ruleset_order),
    cmocka_unit_test(test_regex_captures),
    cmocka_unit_test(test_failing_regex),
    cmocka_unit_test(test_failing_pattern),
    cmocka_unit_test(test_invalid_utf8_fails_no_rule),
    cmocka_unit_test(test_callbacks),
    cmocka_unit_test(test_build_errors),
    cmocka_unit_test(test_empty),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
** test_pattern.c — cmocka tests of the token pattern matcher
** (engine/pattern.c): spaCy Matcher semantics, table-driven.
**
** Patterns are written in a small notation so tables stay readable:
**   specs are separated by spaces; a spec is "{}" or preds joined by '&',
**   then optionally '%' and a spaCy OP ("%+", "%{2,3}", "%!"; "%*" alone
**   is {"OP": "*"});
**   a pred is ATTR then = (EQ), ~ (REGEX), @ (IN, comma list), ^ (NOT_IN),
**   <, <=, >, >=, != and a value. Values are strings for string attributes
**   and numbers for LENGTH and the booleans (1/0); a leading '#' forces a
**   number and '$' a string (to test type errors).
** Documents are word lists ("a b c": one token per word, like spaCy's
** Doc(words=...)) or real text run through tr_tokenize.
**
** Besides the tables: spaCy's documentation and test-suite examples, a
** property test against a brute-force backtracking matcher on random
** patterns and documents, the sample corpus, and concurrent matching.
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <utf8proc.h>

#include "match.h"
#include "pattern.h"
#include "tokenize.h"

#ifndef TRAWL_SOURCE_DIR
#define TRAWL_SOURCE_DIR "."
#endif

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* ======================================================================
** Documents
** ==================================================================== */

typedef struct tdoc {
  char *text;
  size_t len;
  tr_tokens toks;
} tdoc;

/* One token per space-separated word. */
static void doc_words(tdoc *d, const char *words) {
  d->len = strlen(words);
  d->text = malloc(d->len + 1);
  assert_non_null(d->text);
  memcpy(d->text, words, d->len + 1);
  tr_tokens_init(&d->toks);
  size_t i = 0;
  while (i < d->len) {
    while (i < d->len && d->text[i] == ' ') i++;
    size_t s = i;
    while (i < d->len && d->text[i] != ' ') i++;
    if (i > s)
      assert_int_equal(tr_tokens_add(&d->toks, d->text, s,
                                     (uint32_t)(i - s), NULL), 0);
  }
}

/* Real text through the tokenizer. */
static void doc_text(tdoc *d, const char *text, size_t len) {
  d->len = len;
  d->text = malloc(len + 1);
  assert_non_null(d->text);
  memcpy(d->text, text, len);
  d->text[len] = '\0';
  tr_tokens_init(&d->toks);
  assert_int_equal(tr_tokenize(d->text, len, NULL, &d->toks), 0);
}

static void doc_free(tdoc *d) {
  free(d->text);
  tr_tokens_free(&d->toks);
}

/* ======================================================================
** The pattern notation
** ==================================================================== */

typedef struct tpat {
  tr_tok_spec *specs;
  size_t n;
  pcre2_code ***re;  /* re[k][j]: REGEX of spec k, pred j (reference) */
} tpat;

static int attr_is_string(tr_attr a) {
  return a == TR_A_ORTH || a == TR_A_TEXT || a == TR_A_LOWER ||
         a == TR_A_NORM || a == TR_A_SHAPE || a == TR_A_KIND;
}

static char *dupn(const char *s, size_t n) {
  char *d = malloc(n + 1);
  assert_non_null(d);
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

static void parse_pred(const char *src, size_t len, tr_pred *q,
                       pcre2_code **re) {
  memset(q, 0, sizeof *q);
  *re = NULL;
  size_t a = 0;
  while (a < len && ((src[a] >= 'A' && src[a] <= 'Z') || src[a] == '_'))
    a++;
  q->attr = tr_attr_from_name(src, a);
  static const struct { const char *s; tr_pred_op op; } ops[] = {
    { "<=", TR_P_LE }, { ">=", TR_P_GE }, { "!=", TR_P_NE },
    { "<", TR_P_LT }, { ">", TR_P_GT }, { "=", TR_P_EQ },
    { "~", TR_P_REGEX }, { "@", TR_P_IN }, { "^", TR_P_NOT_IN },
  };
  size_t v = a;
  for (size_t i = 0; i < N_ELEMS(ops); i++) {
    size_t l = strlen(ops[i].s);
    if (len - a >= l && memcmp(src + a, ops[i].s, l) == 0) {
      q->op = ops[i].op;
      v = a + l;
      break;
    }
  }
  if (v == a) fail_msg("bad pred '%.*s'", (int)len, src);
  const char *val = src + v;
  size_t vlen = len - v;
  int num = !attr_is_string(q->attr);
  if (vlen && val[0] == '#') { num = 1; val++; vlen--; }
  else if (vlen && val[0] == '$') { num = 0; val++; vlen--; }
  if (q->op == TR_P_REGEX) num = 0;
  q->is_num = num;
  if (q->op == TR_P_IN || q->op == TR_P_NOT_IN) {
    size_t cnt = 0;
    if (vlen) {
      cnt = 1;
      for (size_t i = 0; i < vlen; i++) cnt += val[i] == ',';
    }
    q->nset = cnt;
    if (num) {
      double *nums = calloc(cnt + 1, sizeof *nums);
      assert_non_null(nums);
      const char *p = val;
      for (size_t k = 0; k < cnt; k++) {
        nums[k] = strtod(p, NULL);
        const char *c = memchr(p, ',', (size_t)(val + vlen - p));
        p = c ? c + 1 : val + vlen;
      }
      q->nums = nums;
    } else {
      char **set = calloc(cnt + 1, sizeof *set);
      size_t *sl = calloc(cnt + 1, sizeof *sl);
      assert_non_null(set);
      assert_non_null(sl);
      const char *p = val, *end = val + vlen;
      for (size_t k = 0; k < cnt; k++) {
        const char *c = memchr(p, ',', (size_t)(end - p));
        const char *e = c ? c : end;
        set[k] = dupn(p, (size_t)(e - p));
        sl[k] = (size_t)(e - p);
        p = c ? c + 1 : end;
      }
      q->set = (const char *const *)set;
      q->set_len = sl;
    }
    return;
  }
  if (num) {
    char *tmp = dupn(val, vlen);
    q->num = strcmp(tmp, "true") == 0 ? 1 : strcmp(tmp, "false") == 0
             ? 0 : strtod(tmp, NULL);
    free(tmp);
    return;
  }
  q->str = dupn(val, vlen);
  q->len = vlen;
  if (q->op == TR_P_REGEX) {
    int ec;
    PCRE2_SIZE off;
    *re = pcre2_compile((PCRE2_SPTR)q->str, q->len, PCRE2_UTF | PCRE2_UCP,
                        &ec, &off, NULL);
  }
}

static void parse_pattern(const char *src, tpat *tp) {
  memset(tp, 0, sizeof *tp);
  size_t cap = 16;
  tp->specs = calloc(cap, sizeof *tp->specs);
  tp->re = calloc(cap, sizeof *tp->re);
  assert_non_null(tp->specs);
  assert_non_null(tp->re);
  const char *p = src;
  while (*p) {
    while (*p == ' ') p++;
    if (!*p) break;
    const char *e = p;
    while (*e && *e != ' ') e++;
    assert_true(tp->n < cap);
    tr_tok_spec *s = &tp->specs[tp->n];
    const char *pct = memchr(p, '%', (size_t)(e - p));
    const char *pe = pct ? pct : e;
    s->op = TR_OP_ONE;
    s->min = s->max = 1;
    if (pct) {
      const char *why = NULL;
      tr_tok_op op;
      unsigned mn, mx;
      if (tr_tok_op_parse(pct + 1, (size_t)(e - pct - 1), &op, &mn, &mx,
                          &why) != 0)
        fail_msg("bad op in '%s': %s", src, why);
      s->op = op;
      s->min = mn;
      s->max = mx;
    }
    int wild = pe == p || (pe - p == 2 && p[0] == '{' && p[1] == '}');
    if (!wild) {
      size_t cnt = 1;
      for (const char *c = p; c < pe; c++) cnt += *c == '&';
      tr_pred *preds = calloc(cnt, sizeof *preds);
      pcre2_code **re = calloc(cnt, sizeof *re);
      assert_non_null(preds);
      assert_non_null(re);
      const char *a = p;
      for (size_t k = 0; k < cnt; k++) {
        const char *amp = memchr(a, '&', (size_t)(pe - a));
        const char *ae = amp ? amp : pe;
        parse_pred(a, (size_t)(ae - a), &preds[k], &re[k]);
        a = amp ? amp + 1 : pe;
      }
      s->preds = preds;
      s->npreds = cnt;
      tp->re[tp->n] = re;
    }
    tp->n++;
    p = e;
  }
}

static void tpat_free(tpat *tp) {
  for (size_t k = 0; k < tp->n; k++) {
    tr_tok_spec *s = &tp->specs[k];
    for (size_t j = 0; j < s->npreds; j++) {
      tr_pred *q = (tr_pred *)&s->preds[j];
      free((void *)q->str);
      for (size_t i = 0; q->set && i < q->nset; i++) free((void *)q->set[i]);
      free((void *)q->set);
      free((void *)q->set_len);
      free((void *)q->nums);
      if (tp->re[k] && tp->re[k][j]) pcre2_code_free(tp->re[k][j]);
    }
    free((void *)s->preds);
    free(tp->re[k]);
  }
  free(tp->specs);
  free(tp->re);
  memset(tp, 0, sizeof *tp);
}

/* Add a pattern written in the notation; the specs are freed at once, so
** every test also checks that tr_patterns_add copies everything. */
static int add_pat(tr_patterns *p, const char *src, uint32_t value,
                   uint32_t rule, int32_t prio, int greedy, char **err) {
  tpat tp;
  parse_pattern(src, &tp);
  int rc = tr_patterns_add(p, tp.specs, tp.n, value, rule, prio, greedy,
                           err);
  tpat_free(&tp);
  return rc;
}

/* ======================================================================
** Running and printing matches
** ==================================================================== */

/* Matches as "s-e s-e ..." in output order (token offsets). */
static void spans_str(const tr_matches *m, char *buf, size_t cap) {
  size_t w = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < m->n; i++) {
    int k = snprintf(buf + w, cap - w, "%s%u-%u", i ? " " : "",
                     m->v[i].tok_first, m->v[i].tok_first + m->v[i].tok_count);
    assert_true(k > 0 && (size_t)k < cap - w);
    w += (size_t)k;
  }
}

/* Every match's byte span and fixed fields agree with its tokens. */
static void check_fields(const tdoc *d, const tr_matches *m) {
  for (size_t i = 0; i < m->n; i++) {
    const tr_match *x = &m->v[i];
    assert_true(x->tok_count > 0);
    assert_true(x->tok_first + x->tok_count <= d->toks.n);
    const tr_token *f = &d->toks.v[x->tok_first];
    const tr_token *l = &d->toks.v[x->tok_first + x->tok_count - 1];
    assert_int_equal(x->start, f->start);
    assert_int_equal(x->stop, l->start + l->len);
    assert_true(x->score == 1.0f);
    assert_int_equal(x->extra, UINT32_MAX);
  }
}

/* Match one pattern over a word document; returns the spans string. */
static const char *run1(const char *words, int real_text, const char *pat,
                        int greedy) {
  static char buf[4096];
  tdoc d;
  if (real_text) doc_text(&d, words, strlen(words));
  else doc_words(&d, words);
  tr_patterns *p = tr_patterns_new();
  assert_non_null(p);
  char *err = NULL;
  if (add_pat(p, pat, 5, 3, 0, greedy, &err) != 0)
    fail_msg("add '%s': %s", pat, err ? err : "?");
  tr_matches m;
  tr_matches_init(&m);
  assert_int_equal(tr_patterns_match(p, d.text, &d.toks, &m, &err), 0);
  check_fields(&d, &m);
  for (size_t i = 0; i < m.n; i++) {
    assert_int_equal(m.v[i].rule, 3);
    assert_int_equal(m.v[i].value, 5);
  }
  spans_str(&m, buf, sizeof buf);
  tr_matches_free(&m);
  tr_patterns_free(p);
  doc_free(&d);
  return buf;
}

typedef struct mcase {
  const char *doc;      /* words (or text when real) */
  const char *pat;
  int greedy;
  const char *expect;   /* "s-e ..." in text order, "" for none */
  int real;             /* doc is text for tr_tokenize */
} mcase;

static void run_cases(const mcase *c, size_t n) {
  for (size_t i = 0; i < n; i++) {
    const char *got = run1(c[i].doc, c[i].real, c[i].pat, c[i].greedy);
    if (strcmp(got, c[i].expect) != 0)
      fail_msg("case %zu: doc '%s' pattern '%s' greedy %d: expected '%s', "
               "got '%s'", i, c[i].doc, c[i].pat, c[i].greedy, c[i].expect,
               got);
  }
}

enum { NONE = TR_GREEDY_NONE, FIRST = TR_GREEDY_FIRST,
       LONGEST = TR_GREEDY_LONGEST };

/* ======================================================================
** Attributes
** ==================================================================== */

static void test_attributes(void **state) {
  (void)state;
  static const mcase c[] = {
    /* ORTH and TEXT: verbatim. */
    { "Apple apple APPLE", "ORTH=Apple", NONE, "0-1", 0 },
    { "Apple apple APPLE", "TEXT=apple", NONE, "1-2", 0 },
    /* LOWER: simple lowercase of the text. */
    { "Apple apple APPLE", "LOWER=apple", NONE, "0-1 1-2 2-3", 0 },
    { "ÉCOLE école Ecole", "LOWER=école", NONE, "0-1 1-2", 0 },
    /* No final sigma: simple lowercase per code point. */
    { "ΟΔΟΣ οδος", "LOWER=οδοσ", NONE, "0-1", 0 },
    { "İstanbul", "LOWER=istanbul", NONE, "0-1", 0 }, /* simple mapping */
    /* NORM: trawl's normalised form. */
    { "Kata’ib KATA'IB kataib", "NORM=kata'ib", NONE, "0-1 1-2", 0 },
    /* LENGTH: code points, not bytes. */
    { "Émile emile émilie", "LENGTH=5", NONE, "0-1 1-2", 0 },
    { "الكاظمي x", "LENGTH=7", NONE, "0-1", 0 },
    /* SHAPE: tr_token_shape. */
    { "Apple Émile 12/25/20 NATO", "SHAPE=Xxxxx", NONE, "0-1 1-2", 0 },
    { "Apple Émile 12/25/20 NATO", "SHAPE=dd/dd/dd", NONE, "2-3", 0 },
    { "Apple Émile 12/25/20 NATO", "SHAPE=XXXX", NONE, "3-4", 0 },
    /* Booleans from the token flags. */
    { "Apple 123 , NATO", "IS_ALPHA=1", NONE, "0-1 3-4", 0 },
    { "Apple 123 , NATO", "IS_ALPHA=0", NONE, "1-2 2-3", 0 },
    { "Apple Émile", "IS_ASCII=1", NONE, "0-1", 0 },
    { "Apple 123", "IS_DIGIT=1", NONE, "1-2", 0 },
    { "nato NATO Nato", "IS_LOWER=1", NONE, "0-1", 0 },
    { "nato NATO Nato", "IS_UPPER=1", NONE, "1-2", 0 },
    { "nato NATO Nato", "IS_TITLE=1", NONE, "2-3", 0 },
    { "a , ( \" .", "IS_PUNCT=1", NONE, "1-2 2-3 3-4 4-5", 0 },
    { "a b", "IS_SPACE=1", NONE, "", 0 },
    { "a b", "IS_SPACE=0", NONE, "0-1 1-2", 0 },
    { "the apple of", "IS_STOP=1", NONE, "0-1 2-3", 0 },
    { "( a ]", "IS_BRACKET=1", NONE, "0-1 2-3", 0 },
    { "\" a '", "IS_QUOTE=1", NONE, "0-1 2-3", 0 },
    { "( a )", "IS_LEFT_PUNCT=1", NONE, "0-1", 0 },
    { "( a )", "IS_RIGHT_PUNCT=1", NONE, "2-3", 0 },
    { "10 ten apple", "LIKE_NUM=1", NONE, "0-1 1-2", 0 },
    { "https://x.org x", "LIKE_URL=1", NONE, "0-1", 0 },
    { "a@b.org x", "LIKE_EMAIL=1", NONE, "0-1", 0 },
    /* KIND: trawl's token kinds. */
    { "hello , @MAKadhimi #Green_Zone 12", "KIND=mention", NONE, "2-3", 0 },
    { "hello , @MAKadhimi #Green_Zone 12", "KIND@word,number", NONE,
      "0-1 4-5", 0 },
    { "hello , @MAKadhimi #Green_Zone 12", "KIND^word,punct", NONE,
      "2-3 3-4 4-5", 0 },
  };
  run_cases(c, N_ELEMS(c));
}

/* ======================================================================
** Predicates
** ==================================================================== */

static void test_predicates(void **state) {
  (void)state;
  static const mcase c[] = {
    /* IN / NOT_IN on strings, with empty sets. */
    { "an a apple", "ORTH@an,a", NONE, "0-1 1-2", 0 },
    { "an a apple", "ORTH^an,a", NONE, "2-3", 0 },
    { "an a apple", "ORTH@", NONE, "", 0 },
    { "an a apple", "ORTH^", NONE, "0-1 1-2 2-3", 0 },
    { "A an B", "LOWER@a,b", NONE, "0-1 2-3", 0 },
    /* spaCy test_matcher_compare_length: {"LENGTH": {cmp: 2}}. */
    { "a aa aaa", "LENGTH=2", NONE, "1-2", 0 },
    { "a aa aaa", "LENGTH!=2", NONE, "0-1 2-3", 0 },
    { "a aa aaa", "LENGTH>=2", NONE, "1-2 2-3", 0 },
    { "a aa aaa", "LENGTH<=2", NONE, "0-1 1-2", 0 },
    { "a aa aaa", "LENGTH>2", NONE, "2-3", 0 },
    { "a aa aaa", "LENGTH<2", NONE, "0-1", 0 },
    { "a aa aaa", "LENGTH>1.5", NONE, "1-2 2-3", 0 },
    { "a aa aaa", "LENGTH=2.5", NONE, "", 0 },
    { "a aa aaa", "LENGTH@1,3", NONE, "0-1 2-3", 0 },
    { "a aa aaa", "LENGTH@1.5,-1", NONE, "", 0 },
    { "a aa aaa", "LENGTH^1,3", NONE, "1-2", 0 },
    { "a aa aaa", "LENGTH>1&LENGTH<3", NONE, "1-2", 0 },
    /* REGEX: a search anywhere (re.search), spaCy test_matcher_regex. */
    { "an a hi", "ORTH~(?:a|an)", NONE, "0-1 1-2", 0 },
    { "bye", "ORTH~(?:a|an)", NONE, "", 0 },
    { "cat concat", "ORTH~^cat$", NONE, "0-1", 0 },
    { "Cat", "LOWER~^cat$", NONE, "0-1", 0 },
    { "Cat", "ORTH~(?i)^CAT$", NONE, "0-1", 0 },
    /* spaCy test_matcher_regex_shape. */
    { "99 problems !", "SHAPE~^[^x]+$", NONE, "0-1 2-3", 0 },
    { "Kata’ib", "NORM~^kata'ib$", NONE, "0-1", 0 },
    { "hello @x", "KIND~^men", NONE, "1-2", 0 },
    /* Unicode: UTF + UCP. */
    { "قال الكاظمي إن Iraq", "TEXT~^\\p{Arabic}+$", NONE,
      "0-1 1-2 2-3", 0 },
    { "قال الكاظمي إن Iraq", "TEXT~^\\w+$", NONE,
      "0-1 1-2 2-3 3-4", 0 },
    { "Émile dit ça", "ORTH~\\p{Lu}", NONE, "0-1", 0 },
    { "Émile dit ça", "ORTH~^\\p{Ll}", NONE, "1-2 2-3", 0 },
    { "naïve x", "ORTH~^\\w{5}$", NONE, "0-1", 0 },
    { "Ωμέγα x", "LOWER~^ωμέγα$", NONE, "0-1", 0 },
    /* Conjunctions. */
    { "Apple apple APPLE", "LOWER=apple&IS_TITLE=1", NONE, "0-1", 0 },
    { "Apple apple APPLE", "LOWER=apple&ORTH~^A&LENGTH=5", NONE,
      "0-1 2-3", 0 },
    { "Apple apple APPLE", "LOWER=apple&IS_TITLE=1&IS_UPPER=1", NONE, "", 0 },
  };
  run_cases(c, N_ELEMS(c));
}

/* IN with 1000 values: every one found, nothing else. */
static void test_big_set(void **state) {
  (void)state;
  enum { N = 1000 };
  char **set = malloc(N * sizeof *set);
  assert_non_null(set);
  char buf[32];
  for (int i = 0; i < N; i++) {
    snprintf(buf, sizeof buf, "w%d", i * 7);
    set[i] = dupn(buf, strlen(buf));
  }
  tr_pred q = { .attr = TR_A_LOWER, .op = TR_P_IN,
                .set = (const char *const *)set, .nset = N };
  tr_tok_spec s = { .preds = &q, .npreds = 1, .op = TR_OP_ONE };
  tr_patterns *p = tr_patterns_new();
  char *err = NULL;
  assert_int_equal(tr_patterns_add(p, &s, 1, 0, 0, 0, 0, &err), 0);
  for (int i = 0; i < N; i++) free(set[i]);
  free(set);
  /* A document of w0..w6999: exactly the multiples of 7 match. */
  size_t cap = 7 * N * 8, w = 0;
  char *text = malloc(cap);
  assert_non_null(text);
  for (int i = 0; i < 7 * N; i++)
    w += (size_t)snprintf(text + w, cap - w, "%sW%d", i ? " " : "", i);
  tdoc d;
  doc_words(&d, text);
  free(text);
  tr_matches m;
  tr_matches_init(&m);
  assert_int_equal(tr_patterns_match(p, d.text, &d.toks, &m, &err), 0);
  assert_int_equal(m.n, N);
  for (size_t i = 0; i < m.n; i++)
    assert_int_equal(m.v[i].tok_first, 7 * i);
  tr_matches_free(&m);
  doc_free(&d);
  tr_patterns_free(p);
}

/* ======================================================================
** Operators
** ==================================================================== */

static void test_operators(void **state) {
  (void)state;
  static const mcase c[] = {
    /* The brief's example: every span, overlapping ones included. */
    { "a a a", "LOWER=a%+", NONE, "0-3 0-2 0-1 1-3 1-2 2-3", 0 },
    { "a a a", "LOWER=a%*", NONE, "0-3 0-2 0-1 1-3 1-2 2-3", 0 },
    { "a a a", "LOWER=a%?", NONE, "0-1 1-2 2-3", 0 },
    { "a a a", "LOWER=a", NONE, "0-1 1-2 2-3", 0 },
    /* Zero-length matches are never returned. */
    { "b b", "LOWER=a%?", NONE, "", 0 },
    { "b b", "LOWER=a%* LOWER=c%?", NONE, "", 0 },
    { "b", "LOWER=a%{0}", NONE, "", 0 },
    /* Combinations: a? b+ c*. */
    { "a b b c c", "LOWER=a%? LOWER=b%+ LOWER=c%*", NONE,
      "0-5 0-4 0-3 0-2 1-5 1-4 1-3 1-2 2-5 2-4 2-3", 0 },
    { "x b x", "LOWER=a%? LOWER=b%+ LOWER=c%*", NONE, "1-2", 0 },
    /* Ranges (spaCy test_matcher_min_max_operator). */
    { "foo bar foo foo bar foo foo foo bar bar", "ORTH=foo%{3}", NONE,
      "5-8", 0 },
    { "foo bar foo foo bar foo foo foo bar bar", "ORTH=foo%{2,}", NONE,
      "2-4 5-8 5-7 6-8", 0 },
    { "foo bar foo foo bar foo foo foo bar bar", "ORTH=foo%{,2}", NONE,
      "0-1 2-4 2-3 3-4 5-7 5-6 6-8 6-7 7-8", 0 },
    { "foo bar foo foo bar foo foo foo bar bar", "ORTH=foo%{2,3}", NONE,
      "2-4 5-8 5-7 6-8", 0 },
    { "a a a a", "LOWER=a%{1,2} LOWER=a", NONE,
      "0-3 0-2 1-4 1-3 2-4", 0 },
    { "a b a", "LOWER=a%{0,1} LOWER=b", NONE, "0-2 1-2", 0 },
    { "a b", "LOWER=a%{0} LOWER=b", NONE, "1-2", 0 },
    /* Negation: exactly one token that does not match. */
    { "a b a c", "LOWER=a LOWER=b%!", NONE, "2-4", 0 },
    { "a b", "LOWER=a LOWER=b%!", NONE, "", 0 },
    { "a", "LOWER=a LOWER=b%!", NONE, "", 0 },
    { "x a", "LOWER=a%! LOWER=a", NONE, "0-2", 0 },
    { "a b c", "%!", NONE, "", 0 },            /* {"OP": "!"}: never */
    { "a b c", "LOWER=b%!", NONE, "0-1 2-3", 0 },
    /* Wildcards. */
    { "a b c", "{}", NONE, "0-1 1-2 2-3", 0 },
    { "a b c", "LOWER=a {} LOWER=c", NONE, "0-3", 0 },
    { "a b c", "LOWER=a %*", NONE, "0-3 0-2 0-1", 0 },
    { "a b c", "{}%{2}", NONE, "0-2 1-3", 0 },
    /* Long expansions (several state words). */
    { "a a a a a a a a a a a a a a a a a a a a", "LOWER=a%{18,70}", NONE,
      "0-20 0-19 0-18 1-20 1-19 2-20", 0 },
  };
  run_cases(c, N_ELEMS(c));
}

/* ======================================================================
** spaCy's documentation and test suite
** ==================================================================== */

static void test_spacy_docs(void **state) {
  (void)state;
  static const mcase c[] = {
    /* usage/rule-based-matching, "Operators and quantifiers":
    ** pattern = [{"LOWER": "hello"}, {"IS_PUNCT": True, "OP": "?"}] */
    { "Hello, world! hello.", "LOWER=hello IS_PUNCT=1%?", NONE,
      "0-2 0-1 4-6 4-5", 1 },
    /* "Using wildcard token patterns":
    ** [{"ORTH": "User"}, {"ORTH": "name"}, {"ORTH": ":"}, {}] */
    { "User name: alice42 logged in", "ORTH=User ORTH=name ORTH=: {}",
      NONE, "0-4", 1 },
    /* "Example: Phone numbers": the pattern and text of the example, which
    ** finds "(123) 456 789" twice. */
    { "Call me at (123) 456 789 or (123) 456 789!",
      "ORTH=( SHAPE=ddd ORTH=) SHAPE=ddd ORTH=-%? SHAPE=ddd", NONE,
      "3-8 9-14", 1 },
    /* "Regular expressions": [{"TEXT": {"REGEX": "^[Uu](\\.?|nited)$"}},
    ** {"TEXT": {"REGEX": "^[Ss](\\.?|tates)$"}}, {"LOWER": "president"}] */
    { "the United States president and U. S. President u S president",
      "TEXT~^[Uu](\\.?|nited)$ TEXT~^[Ss](\\.?|tates)$ LOWER=president",
      NONE, "1-4 5-8 8-11", 0 },
    /* "Adding on_match rules": Google I/O. */
    { "This is a text about Google I/O",
      "ORTH=Google ORTH=I ORTH=/ ORTH=O", NONE, "5-9", 1 },
    /* api/matcher example: [{"LOWER": "hello"}, {"LOWER": "world"}]. */
    { "hello world!", "LOWER=hello LOWER=world", NONE, "0-2", 1 },
  };
  run_cases(c, N_ELEMS(c));
}

/* spacy/tests/matcher: test_matcher_api.py and test_matcher_logic.py. */
static void test_spacy_suite(void **state) {
  (void)state;
  static const mcase c[] = {
    /* test_matcher_match_zero: "!" consumes one token. */
    { "He said , \" some words \" ...",
      "ORTH=\" IS_PUNCT=1%! IS_PUNCT=1%! ORTH=\"", NONE, "3-7", 0 },
    { "He said , \" some three words \" ...",
      "ORTH=\" IS_PUNCT=1%! IS_PUNCT=1%! ORTH=\"", NONE, "", 0 },
    { "He said , \" some three words \" ...",
      "ORTH=\" IS_PUNCT=1 IS_PUNCT=1 IS_PUNCT=1 ORTH=\"", NONE, "", 0 },
    /* test_matcher_match_zero_plus. */
    { "He said , \" some words \" ...", "ORTH=\" IS_PUNCT=0%* ORTH=\"", NONE,
      "3-7", 0 },
    /* test_matcher_match_one_plus: [ONE Philippe, + Philippe]. */
    { "Philippe Philippe", "ORTH=Philippe%1 ORTH=Philippe%+", NONE, "0-2",
      0 },
    /* test_matcher_empty_dict. */
    { "a b c", "ORTH=a {} ORTH=c", NONE, "0-3", 0 },
    { "a b c", "ORTH=a {}", NONE, "0-2", 0 },
    /* test_matcher_operator_shadow. */
    { "a b c", "ORTH=a IS_ALPHA=1%+ ORTH=c", NONE, "0-3", 0 },
    /* test_matcher_any_token_operator: test, test hello, ... world. */
    { "test hello world", "ORTH=test %*", NONE, "0-3 0-2 0-1", 0 },
    /* test_matcher_set_value_operator. */
    { "In a house", "ORTH@a,the%? ORTH=house", NONE, "1-3 2-3", 0 },
    { "my house", "ORTH@a,the%? ORTH=house", NONE, "1-2", 0 },
    /* test_issue850 / 850_basic. */
    { "bob and and frank", "LOWER=bob %* LOWER=frank", NONE, "0-4", 0 },
    { "bob and and frank", "LOWER=bob LOWER=and%* LOWER=frank", NONE,
      "0-4", 0 },
    /* test_issue1434: optional element at the end of a short doc. */
    { "Hello World", "ORTH=Hello IS_ALPHA=1%?", NONE, "0-2 0-1", 0 },
    { "Hello", "ORTH=Hello IS_ALPHA=1%?", NONE, "0-1", 0 },
    /* test_issue1450 / test_matcher_end_zero_plus: match counts. */
    { "a", "ORTH=a ORTH=b%*", NONE, "0-1", 0 },
    { "a b", "ORTH=a ORTH=b%*", NONE, "0-2 0-1", 0 },
    { "a c", "ORTH=a ORTH=b%*", NONE, "0-1", 0 },
    { "a b c", "ORTH=a ORTH=b%*", NONE, "0-2 0-1", 0 },
    { "a b b c", "ORTH=a ORTH=b%*", NONE, "0-3 0-2 0-1", 0 },
    { "a b b", "ORTH=a ORTH=b%*", NONE, "0-3 0-2 0-1", 0 },
    /* test_issue1945: two overlapping matches. */
    { "a a a", "ORTH=a ORTH=a", NONE, "0-2 1-3", 0 },
    /* test_matcher_remove: [{"ORTH": "test"}, {"OP": "?"}] -> 2. */
    { "This is a test case.", "ORTH=test %?", NONE, "3-5 3-4", 1 },
    /* test_matcher_with_alignments_nongreedy, as spans. */
    { "a a a b", "ORTH=a%* ORTH=b", NONE, "0-4 1-4 2-4 3-4", 0 },
    { "b a a b", "ORTH=b ORTH=a%* ORTH=b", NONE, "0-4", 0 },
    { "a a a b", "ORTH=a%+ ORTH=b", NONE, "0-4 1-4 2-4", 0 },
    { "a a b a", "ORTH=a%+ ORTH=b ORTH=a%+", NONE, "0-4 1-4", 0 },
    { "a a b a a", "ORTH=a%+ ORTH=b ORTH=a%+", NONE, "0-5 0-4 1-5 1-4", 0 },
    { "a a b a", "ORTH=a%+ ORTH=b ORTH=a%*", NONE, "0-4 0-3 1-4 1-3", 0 },
    { "a a a a", "ORTH=a%*", NONE,
      "0-4 0-3 0-2 0-1 1-4 1-3 1-2 2-4 2-3 3-4", 0 },
    { "a a b b", "ORTH=a%* ORTH=b%* ORTH=a%*", NONE,
      "0-4 0-3 0-2 0-1 1-4 1-3 1-2 2-4 2-3 3-4", 0 },
    { "a a a b", "ORTH=a%+ ORTH=a ORTH=a%?", NONE, "0-3 0-2 1-3", 0 },
    { "a a a a", "ORTH=a ORTH=a ORTH=a ORTH=a ORTH=a%?", NONE, "0-4", 0 },
    /* test_operator_combos (match / no match). */
    { "a a a b", "ORTH=a%+ ORTH=a%+ ORTH=a%+ ORTH=b", NONE, "0-4", 0 },
    { "a a a", "ORTH=a%+ ORTH=a%+ ORTH=b", NONE, "", 0 },
    { "a a a", "ORTH=a%+ ORTH=a ORTH=a ORTH=b", NONE, "", 0 },
    /* test_issue587 / test_issue590: several patterns each match. */
    { "a b ; c", "ORTH=a ORTH=b IS_PUNCT=1 ORTH=c", NONE, "0-4", 0 },
    { "n = 1 ; a : 5 pct", "IS_ALPHA=1 ORTH=: LIKE_NUM=1 ORTH=pct", NONE,
      "4-8", 0 },
  };
  run_cases(c, N_ELEMS(c));
}

/* test_matcher_logic.py: the greedy filters over "( B B A A A A A B ) .",
** where FIRST must find what re.finditer finds in "(BBAAAAAB)." and
** LONGEST the documented spans. */
static void test_spacy_greedy(void **state) {
  (void)state;
  const char *doc = "( B B A A A A A B ) .";
  static const char *const pats[] = {
    "ORTH=A ORTH=A%*",                /* AA*   */
    "ORTH=A%* ORTH=A",                /* A*A   */
    "ORTH=A ORTH=A",                  /* AA    */
    "ORTH=B ORTH=A%* ORTH=B",         /* BA*B  */
    "ORTH=B%* ORTH=A%* ORTH=B",       /* B*A*B */
  };
  static const char *const first[] = {
    "3-8", "3-8", "3-5 5-7", "1-3", "1-9"
  };
  /* longest1..5: "A A A A A", "A A A A A", "A A", "B A A A A A B",
  ** "B B A A A A A B" (every match has that text). */
  static const char *const longest[] = {
    "3-8", "3-8", "3-5 5-7", "2-9", "1-9"
  };
  for (size_t i = 0; i < N_ELEMS(pats); i++) {
    const char *got = run1(doc, 0, pats[i], FIRST);
    if (strcmp(got, first[i]) != 0)
      fail_msg("FIRST %s: expected %s got %s", pats[i], first[i], got);
    got = run1(doc, 0, pats[i], LONGEST);
    if (strcmp(got, longest[i]) != 0)
      fail_msg("LONGEST %s: expected %s got %s", pats[i], longest[i], got);
  }
  /* test_greedy_matching_longest_first: of 0-2 and 1-3, the first. */
  assert_string_equal(run1("C C C", 0, "ORTH=C ORTH=C", LONGEST), "0-2");
  /* FIRST prefers the earliest start even when shorter. */
  assert_string_equal(run1("a b b", 0, "LOWER=a%? LOWER=b%+", NONE),
                      "0-3 0-2 1-3 1-2 2-3");
  assert_string_equal(run1("x b a b b", 0, "LOWER=a%? LOWER=b%+", FIRST),
                      "1-2 2-5");
  assert_string_equal(run1("x b a b b", 0, "LOWER=a%? LOWER=b%+", LONGEST),
                      "1-2 2-5");
  assert_string_equal(run1("b b a b", 0, "LOWER=b LOWER=b%? LOWER=a%?",
                           LONGEST), "0-3 3-4");
  assert_string_equal(run1("b b a b", 0, "LOWER=b LOWER=b%? LOWER=a%?",
                           FIRST), "0-3 3-4");
  /* LONGEST: a longer match later beats an earlier shorter one. */
  assert_string_equal(run1("a b b b", 0, "LOWER=a%? LOWER=b {}%?", LONGEST),
                      "0-3 3-4");
  assert_string_equal(run1("c a b b b", 0, "LOWER=c%? LOWER=a%? LOWER=b "
                           "LOWER=b", LONGEST), "0-4");
  assert_string_equal(run1("x a b b b b", 0, "LOWER=a%? LOWER=b%{2}",
                           LONGEST), "1-4 4-6");
}

/* ======================================================================
** Several patterns, keys, priorities, output
** ==================================================================== */

static void test_keys_and_output(void **state) {
  (void)state;
  tdoc d;
  doc_words(&d, "the boston celtics won");
  tr_patterns *p = tr_patterns_new();
  char *err = NULL;
  /* test_issue118: two patterns, one key: both spans reported. */
  assert_int_equal(add_pat(p, "LOWER=celtics", 7, 1, 0, NONE, &err), 0);
  assert_int_equal(add_pat(p, "LOWER=boston LOWER=celtics", 7, 1, 0, NONE,
                           &err), 0);
  /* The same span from two patterns of one key: once, best priority. */
  assert_int_equal(add_pat(p, "LOWER=boston %?", 7, 1, 4, NONE, &err), 0);
  /* Another key with the same span: reported separately. */
  assert_int_equal(add_pat(p, "LOWER=boston LOWER=celtics", 8, 2, -1, NONE,
                           &err), 0);
  assert_int_equal(tr_patterns_count(p), 4);
  tr_matches m;
  tr_matches_init(&m);
  /* Something already in the output stays as it is. */
  tr_match pre = { .start = 99, .stop = 100, .tok_first = TR_NO_TOKEN,
                   .rule = 42 };
  assert_int_equal(tr_matches_push(&m, &pre), 0);
  assert_int_equal(tr_patterns_match(p, d.text, &d.toks, &m, &err), 0);
  assert_int_equal(m.n, 1 + 4);
  assert_int_equal(m.v[0].rule, 42);
  /* Text order: start, longer first, rule, value. */
  struct { uint32_t s, e, rule, value; int32_t prio; } want[] = {
    { 1, 3, 1, 7, 4 },  /* boston celtics: key (1,7), from patterns 2, 3 */
    { 1, 3, 2, 8, -1 },
    { 1, 2, 1, 7, 4 },  /* boston */
    { 2, 3, 1, 7, 0 },  /* celtics */
  };
  size_t k = 1;
  for (size_t i = 0; i < N_ELEMS(want); i++, k++) {
    const tr_match *x = &m.v[k];
    if (x->tok_first != want[i].s ||
        x->tok_first + x->tok_count != want[i].e ||
        x->rule != want[i].rule || x->value != want[i].value ||
        x->priority != want[i].prio)
      fail_msg("match %zu: %u-%u rule %u value %u prio %d", i, x->tok_first,
               x->tok_first + x->tok_count, x->rule, x->value, x->priority);
  }
  tr_matches_free(&m);
  tr_patterns_free(p);
  doc_free(&d);
}

/* The greedy filter applies to a key's patterns together; the last add
** sets it (Matcher.add replaces the key's filter). */
static void test_greedy_key(void **state) {
  (void)state;
  tdoc d;
  doc_words(&d, "a b c d");
  tr_patterns *p = tr_patterns_new();
  char *err = NULL;
  assert_int_equal(add_pat(p, "LOWER=a LOWER=b", 0, 0, 0, NONE, &err), 0);
  assert_int_equal(add_pat(p, "LOWER=b LOWER=c LOWER=d", 0, 0, 0, LONGEST,
                           &err), 0);
  assert_int_equal(add_pat(p, "LOWER=c", 1, 0, 0, NONE, &err), 0);
  tr_matches m;
  tr_matches_init(&m);
  assert_int_equal(tr_patterns_match(p, d.text, &d.toks, &m, &err), 0);
  char buf[256];
  spans_str(&m, buf, sizeof buf);
  /* key (0,0): LONGEST over {0-2, 1-4} keeps 1-4 only; key (0,1): 2-3. */
  assert_string_equal(buf, "1-4 2-3");
  tr_matches_free(&m);
  tr_patterns_free(p);
  doc_free(&d);
}

static void test_empty_inputs(void **state) {
  (void)state;
  tr_patterns *p = tr_patterns_new();
  tr_matches m;
  tr_matches_init(&m);
  char *err = NULL;
  tdoc d;
  doc_words(&d, "a b");
  /* No patterns. */
  assert_int_equal(tr_patterns_match(p, d.text, &d.toks, &m, &err), 0);
  assert_int_equal(m.n, 0);
  assert_int_equal(add_pat(p, "LOWER=a", 0, 0, 0, NONE, &err), 0);
  /* No tokens. */
  tdoc e;
  doc_words(&e, "");
  assert_int_equal(tr_patterns_match(p, e.text, &e.toks, &m, &err), 0);
  assert_int_equal(m.n, 0);
  assert_null(err);
  assert_int_equal(tr_patterns_count(NULL), 0);
  tr_patterns_free(NULL);
  doc_free(&e);
  doc_free(&d);
  tr_matches_free(&m);
  tr_patterns_free(p);
}

/* ======================================================================
** Errors
** ==================================================================== */

typedef struct ecase {
  const char *pat;
  int greedy;
  const char *msg;      /* expected substring of the error */
} ecase;

static void test_errors(void **state) {
  (void)state;
  static const ecase c[] = {
    { "", NONE, "at least one token spec" },
    { "LOWER=a", 7, "greedy must be FIRST or LONGEST" },
    { "LOWER=a BOGUS=x", NONE, "token 2: unknown attribute" },
    { "LOWER=a ORTH~(ab", NONE,
      "token 2: REGEX: missing closing parenthesis at offset 3" },
    { "ORTH~a)", NONE, "token 1: REGEX: unmatched closing parenthesis at "
                       "offset 1" },
    { "ORTH~\\p{Nope}", NONE, "token 1: REGEX: unknown property" },
    { "IS_ALPHA~^a", NONE, "token 1: IS_ALPHA takes true or false, not "
                           "REGEX" },
    { "LENGTH~^1", NONE, "token 1: LENGTH: REGEX needs a string attribute" },
    { "LOWER<3", NONE, "token 1: LOWER: < needs a numeric attribute" },
    { "LOWER>=#3", NONE, "token 1: LOWER: >= needs a numeric attribute" },
    { "ORTH!=a", NONE, "token 1: ORTH: != needs a numeric attribute "
                       "(LENGTH); use NOT_IN for strings" },
    { "LOWER=#5", NONE, "token 1: LOWER takes a string, not a number" },
    { "LOWER@#1,2", NONE, "token 1: LOWER takes a string, not a number" },
    { "LENGTH=$5", NONE, "token 1: LENGTH takes a number, not a string" },
    { "LENGTH@$a", NONE, "token 1: LENGTH takes a number, not a string" },
    { "IS_ALPHA=#2", NONE, "token 1: IS_ALPHA takes true or false" },
    { "IS_ALPHA=$yes", NONE, "token 1: IS_ALPHA takes true or false" },
    { "IS_TITLE@1", NONE, "token 1: IS_TITLE takes true or false, not IN" },
    { "IS_TITLE<1", NONE, "token 1: IS_TITLE takes true or false, not <" },
    { "KIND=words", NONE, "token 1: KIND: unknown kind 'words'" },
    { "KIND@word,foo", NONE, "token 1: KIND: IN: unknown kind 'foo'" },
    { "LOWER=a LOWER=a%{0,20000}", NONE, "pattern too long" },
  };
  for (size_t i = 0; i < N_ELEMS(c); i++) {
    tr_patterns *p = tr_patterns_new();
    assert_non_null(p);
    char *err = NULL;
    int rc = add_pat(p, c[i].pat, 0, 0, 0, c[i].greedy, &err);
    if (rc != -1 || !err || !strstr(err, c[i].msg))
      fail_msg("case %zu '%s': rc %d, error '%s', expected '%s'", i,
               c[i].pat, rc, err ? err : "(none)", c[i].msg);
    free(err);
    /* A failed add leaves the set usable and unchanged. */
    assert_int_equal(tr_patterns_count(p), 0);
    assert_int_equal(add_pat(p, "LOWER=a", 0, 0, 0, NONE, &err), 0);
    assert_int_equal(tr_patterns_count(p), 1);
    assert_string_equal(run1("a", 0, "LOWER=a", NONE), "0-1");
    tr_patterns_free(p);
  }
}

/* Errors the notation cannot write: raw structs. */
static void test_errors_raw(void **state) {
  (void)state;
  tr_patterns *p = tr_patterns_new();
  char *err = NULL;
  tr_pred q = { .attr = TR_A_LOWER, .op = TR_P_EQ, .str = "a", .len = 1 };
  tr_tok_spec s = { .preds = &q, .npreds = 1, .op = TR_OP_ONE };
  struct { tr_tok_spec s; tr_pred q; const char *msg; } c[8];
  for (size_t i = 0; i < N_ELEMS(c); i++) {
    c[i].s = s;
    c[i].q = q;
  }
  c[0].s.npreds = 2, c[0].s.preds = NULL, c[0].msg = "token 1: missing "
                                                     "predicates";
  c[1].s.op = (tr_tok_op)99, c[1].msg = "token 1: unknown operator";
  c[2].s.op = TR_OP_RANGE, c[2].s.min = 3, c[2].s.max = 2,
  c[2].msg = "token 1: OP {3,2}: the minimum is larger than the maximum";
  c[3].q.op = (tr_pred_op)42, c[3].msg = "token 1: LOWER: unknown predicate";
  c[4].q.str = NULL, c[4].msg = "token 1: LOWER: ==: missing string";
  c[5].q.op = TR_P_IN, c[5].q.nset = 2, c[5].msg = "token 1: LOWER: IN: "
                                                   "missing values";
  c[6].q.attr = TR_A_LENGTH, c[6].q.op = TR_P_IN, c[6].q.is_num = 1;
  static const double nan_set[1] = { NAN };
  c[6].q.nums = nan_set, c[6].q.nset = 1;
  c[6].msg = "token 1: LENGTH: IN: value 1 is not a number";
  static const char *const holes[2] = { "a", NULL };
  c[7].q.op = TR_P_NOT_IN, c[7].q.set = holes, c[7].q.nset = 2;
  c[7].msg = "token 1: LOWER: NOT_IN: value 2 is missing";
  for (size_t i = 0; i < N_ELEMS(c); i++) {
    if (c[i].s.preds) c[i].s.preds = &c[i].q;
    int rc = tr_patterns_add(p, &c[i].s, 1, 0, 0, 0, NONE, &err);
    if (rc != -1 || !err || !strstr(err, c[i].msg))
      fail_msg("raw case %zu: rc %d, error '%s', expected '%s'", i, rc,
               err ? err : "(none)", c[i].msg);
    free(err);
    err = NULL;
  }
  assert_int_equal(tr_patterns_add(p, NULL, 1, 0, 0, 0, NONE, &err), -1);
  free(err);
  /* err may be NULL. */
  assert_int_equal(tr_patterns_add(p, &s, 0, 0, 0, 0, NONE, NULL), -1);
  assert_int_equal(tr_patterns_count(p), 0);
  /* {0,0} is fine (spaCy drops the spec); {n} equal bounds too. */
  tr_tok_spec z[2] = { s, s };
  z[0].op = TR_OP_RANGE, z[0].min = 0, z[0].max = 0;
  assert_int_equal(tr_patterns_add(p, z, 2, 0, 0, 0, NONE, &err), 0);
  tr_patterns_free(p);
}

static void test_names_and_ops(void **state) {
  (void)state;
  assert_int_equal(tr_attr_from_name("LOWER", 5), TR_A_LOWER);
  assert_int_equal(tr_attr_from_name("lower", 5), TR_A_LOWER);
  assert_int_equal(tr_attr_from_name("Is_Title", 8), TR_A_IS_TITLE);
  assert_int_equal(tr_attr_from_name("KIND", 4), TR_A_KIND);
  assert_int_equal(tr_attr_from_name("LOWERR", 6), 0);
  assert_int_equal(tr_attr_from_name("POS", 3), 0);
  assert_string_equal(tr_attr_name(TR_A_LIKE_EMAIL), "LIKE_EMAIL");
  assert_string_equal(tr_attr_name((tr_attr)0), "?");
  assert_int_equal(tr_pred_op_from_name("not_in", 6), TR_P_NOT_IN);
  assert_int_equal(tr_pred_op_from_name(">=", 2), TR_P_GE);
  assert_int_equal(tr_pred_op_from_name("=", 1), 0);
  assert_int_equal(tr_pred_op_from_name("FUZZY", 5), 0);
  static const struct { const char *s; int ok; tr_tok_op op; unsigned mn, mx;
  } c[] = {
    { "!", 1, TR_OP_NOT, 1, 1 }, { "?", 1, TR_OP_OPT, 0, 1 },
    { "+", 1, TR_OP_PLUS, 1, UINT32_MAX }, { "*", 1, TR_OP_STAR, 0,
                                             UINT32_MAX },
    { "1", 1, TR_OP_ONE, 1, 1 }, { "{3}", 1, TR_OP_RANGE, 3, 3 },
    { "{2,5}", 1, TR_OP_RANGE, 2, 5 }, { "{2,}", 1, TR_OP_RANGE, 2,
                                         UINT32_MAX },
    { "{,4}", 1, TR_OP_RANGE, 0, 4 }, { "{0}", 1, TR_OP_RANGE, 0, 0 },
    { "{10,10}", 1, TR_OP_RANGE, 10, 10 },
    { "", 0, 0, 0, 0 }, { "{}", 0, 0, 0, 0 }, { "{,}", 0, 0, 0, 0 },
    { "{a}", 0, 0, 0, 0 }, { "{3,2}", 0, 0, 0, 0 }, { "{1, 2}", 0, 0, 0, 0 },
    { "{-1}", 0, 0, 0, 0 }, { "++", 0, 0, 0, 0 }, { "x", 0, 0, 0, 0 },
    { "{1", 0, 0, 0, 0 }, { "{99999999999}", 0, 0, 0, 0 },
    { "{1,2,3}", 0, 0, 0, 0 },
  };
  for (size_t i = 0; i < N_ELEMS(c); i++) {
    tr_tok_op op = 0;
    unsigned mn = 0, mx = 0;
    const char *why = NULL;
    int rc = tr_tok_op_parse(c[i].s, strlen(c[i].s), &op, &mn, &mx, &why);
    if (c[i].ok) {
      if (rc != 0 || op != c[i].op || mn != c[i].mn || mx != c[i].mx)
        fail_msg("op '%s': rc %d op %d %u..%u", c[i].s, rc, op, mn, mx);
    } else if (rc != -1 || !why || !strstr(why, "{n,m}")) {
      fail_msg("op '%s' should fail", c[i].s);
    }
  }
}

/* A catastrophic regex hits the match limit: an error naming the rule,
** not a hang. */
static void test_regex_limit(void **state) {
  (void)state;
  tr_patterns *p = tr_patterns_new();
  tr_patterns_set_limits(p, 1000, 100, 1000);
  char *err = NULL;
  assert_int_equal(add_pat(p, "ORTH~^(a+)+$", 0, 17, 0, NONE, &err), 0);
  tdoc d;
  doc_words(&d, "x aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab");
  tr_matches m;
  tr_matches_init(&m);
  assert_int_equal(tr_patterns_match(p, d.text, &d.toks, &m, &err), -1);
  assert_non_null(err);
  assert_non_null(strstr(err, "rule 17"));
  assert_non_null(strstr(err, "limit"));
  assert_non_null(strstr(err, "at token 2 of the document"));
  free(err);
  doc_free(&d);
  /* With the default limits a tamer input runs. */
  tr_patterns_set_limits(p, 0, 0, 0);
  doc_words(&d, "x aaaaaaaab aaaa");
  assert_int_equal(tr_patterns_match(p, d.text, &d.toks, &m, &err), 0);
  assert_int_equal(m.n, 1);
  assert_int_equal(m.v[0].tok_first, 2);
  tr_matches_free(&m);
  doc_free(&d);
  tr_patterns_free(p);
}

/* ======================================================================
** Property test: the matcher against a brute-force reference
** ==================================================================== */

static uint64_t rng_state = 0x2545F4914F6CDD1DULL;

static uint32_t rnd(uint32_t n) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (uint32_t)(rng_state % n);
}

/* Reference attribute strings, computed independently of pattern.c. */
static size_t ref_lower(const char *s, size_t len, char *out) {
  size_t w = 0;
  for (size_t i = 0; i < len;) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t l = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                          (utf8proc_ssize_t)(len - i), &cp);
    assert_true(l > 0);
    w += (size_t)utf8proc_encode_char(utf8proc_tolower(cp),
                                      (utf8proc_uint8_t *)out + w);
    i += (size_t)l;
  }
  return w;
}

static const char *ref_str(const tdoc *d, size_t i, tr_attr a, char *buf,
                           size_t *len) {
  const tr_token *t = &d->toks.v[i];
  const char *s = d->text + t->start;
  switch (a) {
  case TR_A_ORTH: case TR_A_TEXT: *len = t->len; return s;
  case TR_A_LOWER: *len = ref_lower(s, t->len, buf); return buf;
  case TR_A_NORM: return tr_tokens_norm(&d->toks, i, len);
  case TR_A_SHAPE: *len = tr_token_shape(s, t->len, buf, 256); return buf;
  default: {
    const char *k = tr_kind_name(t->kind);
    *len = strlen(k);
    return k;
  }
  }
}

static uint32_t ref_flag(tr_attr a) {
  static const struct { tr_attr a; uint32_t f; } m[] = {
    { TR_A_IS_ALPHA, TR_F_ALPHA }, { TR_A_IS_ASCII, TR_F_ASCII },
    { TR_A_IS_DIGIT, TR_F_DIGIT }, { TR_A_IS_LOWER, TR_F_LOWER },
    { TR_A_IS_UPPER, TR_F_UPPER }, { TR_A_IS_TITLE, TR_F_TITLE },
    { TR_A_IS_PUNCT, TR_F_PUNCT }, { TR_A_IS_SPACE, TR_F_SPACE },
    { TR_A_IS_STOP, TR_F_STOP }, { TR_A_IS_BRACKET, TR_F_BRACKET },
    { TR_A_IS_QUOTE, TR_F_QUOTE }, { TR_A_IS_LEFT_PUNCT, TR_F_LEFT_PUNCT },
    { TR_A_IS_RIGHT_PUNCT, TR_F_RIGHT_PUNCT },
    { TR_A_LIKE_NUM, TR_F_LIKE_NUM }, { TR_A_LIKE_URL, TR_F_LIKE_URL },
    { TR_A_LIKE_EMAIL, TR_F_LIKE_EMAIL },
  };
  for (size_t i = 0; i < N_ELEMS(m); i++)
    if (m[i].a == a) return m[i].f;
  fail_msg("no flag for %d", a);
  return 0;
}

static int ref_pred(const tdoc *d, size_t i, const tr_pred *q,
                    pcre2_code *re) {
  char buf[256];
  size_t len;
  if (q->attr == TR_A_LENGTH) {
    const tr_token *t = &d->toks.v[i];
    double v = 0;
    for (size_t b = 0; b < t->len;) {
      utf8proc_int32_t cp;
      utf8proc_ssize_t l = utf8proc_iterate(
        (const utf8proc_uint8_t *)d->text + t->start + b,
        (utf8proc_ssize_t)(t->len - b), &cp);
      assert_true(l > 0);
      b += (size_t)l;
      v++;
    }
    switch (q->op) {
    case TR_P_EQ: return v == q->num;
    case TR_P_NE: return v != q->num;
    case TR_P_LT: return v < q->num;
    case TR_P_LE: return v <= q->num;
    case TR_P_GT: return v > q->num;
    case TR_P_GE: return v >= q->num;
    case TR_P_IN: case TR_P_NOT_IN: {
      int in = 0;
      for (size_t k = 0; k < q->nset; k++) in |= q->nums[k] == v;
      return q->op == TR_P_IN ? in : !in;
    }
    default: fail_msg("bad LENGTH op"); return 0;
    }
  }
  if (!attr_is_string(q->attr))
    return ((d->toks.v[i].flags & ref_flag(q->attr)) != 0) == (q->num != 0);
  const char *s = ref_str(d, i, q->attr, buf, &len);
  switch (q->op) {
  case TR_P_EQ: return len == q->len && memcmp(s, q->str, len) == 0;
  case TR_P_IN: case TR_P_NOT_IN: {
    int in = 0;
    for (size_t k = 0; k < q->nset; k++)
      in |= q->set_len[k] == len && memcmp(q->set[k], s, len) == 0;
    return q->op == TR_P_IN ? in : !in;
  }
  case TR_P_REGEX: {
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    int rc = pcre2_match(re, (PCRE2_SPTR)s, len, 0, 0, md, NULL);
    pcre2_match_data_free(md);
    return rc >= 0;
  }
  default: fail_msg("bad op"); return 0;
  }
}

static int ref_tok(const tdoc *d, size_t i, const tpat *tp, size_t k) {
  const tr_tok_spec *s = &tp->specs[k];
  int ok = 1;
  for (size_t j = 0; j < s->npreds && ok; j++)
    ok = ref_pred(d, i, &s->preds[j], tp->re[k] ? tp->re[k][j] : NULL);
  return s->op == TR_OP_NOT ? !ok : ok;
}

/* Does spec k onwards match exactly tokens [j, e)? Backtracking. */
static int ref_bt(const tdoc *d, const tpat *tp, size_t k, size_t j,
                  size_t e) {
  if (k == tp->n) return j == e;
  const tr_tok_spec *s = &tp->specs[k];
  unsigned lo = 1, hi = 1;
  switch (s->op) {
  case TR_OP_OPT: lo = 0; break;
  case TR_OP_PLUS: hi = UINT32_MAX; break;
  case TR_OP_STAR: lo = 0; hi = UINT32_MAX; break;
  case TR_OP_RANGE: lo = s->min; hi = s->max; break;
  default: break;
  }
  if (lo == 0 && ref_bt(d, tp, k + 1, j, e)) return 1;
  for (size_t c = 1; c <= hi && j + c <= e; c++) {
    if (!ref_tok(d, j + c - 1, tp, k)) break;
    if (c >= lo && ref_bt(d, tp, k + 1, j + c, e)) return 1;
  }
  return 0;
}

typedef struct rspan { uint32_t s, e; int32_t prio; } rspan;

static int rspan_text(const void *a, const void *b) {
  const rspan *x = a, *y = b;
  if (x->s != y->s) return x->s < y->s ? -1 : 1;
  if (x->e != y->e) return x->e > y->e ? -1 : 1;
  return 0;
}

static int rspan_first(const void *a, const void *b) {
  return rspan_text(a, b); /* (start, -end) */
}

static int rspan_longest(const void *a, const void *b) {
  const rspan *x = a, *y = b;
  uint32_t lx = x->e - x->s, ly = y->e - y->s;
  if (lx != ly) return lx > ly ? -1 : 1;
  if (x->s != y->s) return x->s < y->s ? -1 : 1;
  return 0;
}

/* spaCy's filter, written again from Matcher.__call__. */
static size_t ref_filter(rspan *v, size_t n, int greedy, size_t ntok) {
  if (greedy == NONE) return n;
  qsort(v, n, sizeof *v, greedy == FIRST ? rspan_first : rspan_longest);
  char *matched = calloc(ntok + 1, 1);
  assert_non_null(matched);
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    int free_ = 1;
    for (uint32_t t = v[i].s; t < v[i].e; t++) free_ &= !matched[t];
    if (!free_) continue;
    memset(matched + v[i].s, 1, v[i].e - v[i].s);
    v[k++] = v[i];
  }
  free(matched);
  return k;
}

static const char *const vocab[] = {
  "a", "b", "A", "B", "ab", "Ab", "AB", ".", ",", "c", "aa", "é", "É", "x1",
  /* For the regex prefilter: KELVIN SIGN and LONG S match k and s
  ** caselessly; numbers for anchored patterns. */
  "k", "K", "\xE2\x84\xAA", "s", "\xC5\xBF", "1999", "20", "x-ray",
};

static const char *const pred_pool[] = {
  "LOWER=a", "LOWER=b", "ORTH=A", "ORTH=a", "TEXT=b", "LOWER@a,b",
  "LOWER@ab,aa,c", "LOWER^a", "ORTH^a,b", "IS_TITLE=1", "IS_LOWER=1",
  "IS_UPPER=0", "IS_PUNCT=1", "IS_ALPHA=1", "LENGTH>=2", "LENGTH<2",
  "LENGTH=1", "LENGTH!=1", "LENGTH@2,3", "LENGTH^1", "ORTH~^[Aa]",
  "LOWER~b$", "SHAPE=x", "SHAPE=Xx", "SHAPE@xx,XX", "NORM=a", "NORM@é,ab",
  "KIND=punct", "KIND^word", "LOWER@", "LOWER^", "LOWER=é", "ORTH~\\p{Lu}",
  "ORTH~(?i)k", "ORTH~(?i)^s$", "ORTH~^(19|20)\\d\\d$", "LOWER~x1$",
  "ORTH~(?i:K)\\b", "ORTH~^\\S-", "ORTH~[kK]", "ORTH~a(?=b)", "ORTH~\\d{2}",
  "SHAPE~^x", "NORM~(?i)^S",
};

static const char *const op_pool[] = {
  "", "", "", "%!", "%?", "%+", "%*", "%{2}", "%{1,2}", "%{2,}", "%{,2}",
  "%{0,1}", "%{0}", "%{1,3}",
  /* Over 63 positions: multi-word state sets. */
  "%{,64}", "%{1,70}", "%{0,130}", "%{0,40}",
};

static void random_pattern(char *buf, size_t cap) {
  size_t w = 0;
  unsigned n = 1 + rnd(4);
  for (unsigned k = 0; k < n; k++) {
    if (k) buf[w++] = ' ';
    unsigned np = rnd(6) == 0 ? 0 : 1 + rnd(2);
    if (np == 0) {
      w += (size_t)snprintf(buf + w, cap - w, "{}");
    } else {
      for (unsigned j = 0; j < np; j++)
        w += (size_t)snprintf(buf + w, cap - w, "%s%s", j ? "&" : "",
                              pred_pool[rnd(N_ELEMS(pred_pool))]);
    }
    w += (size_t)snprintf(buf + w, cap - w, "%s",
                          op_pool[rnd(N_ELEMS(op_pool))]);
    assert_true(w < cap - 64);
  }
  buf[w] = '\0';
}

static void random_doc(char *buf, size_t cap) {
  size_t w = 0;
  unsigned n = rnd(11);
  buf[0] = '\0';
  for (unsigned i = 0; i < n; i++)
    w += (size_t)snprintf(buf + w, cap - w, "%s%s", i ? " " : "",
                          vocab[rnd(N_ELEMS(vocab))]);
}

static void test_property(void **state) {
  (void)state;
  enum { ROUNDS = 3000, MAXP = 3 };
  char docs[256], pats[MAXP][512];
  for (int round = 0; round < ROUNDS; round++) {
    random_doc(docs, sizeof docs);
    tdoc d;
    doc_words(&d, docs);
    unsigned np = 1 + rnd(MAXP);
    tr_patterns *p = tr_patterns_new();
    tpat tp[MAXP];
    uint32_t key[MAXP];
    int32_t prio[MAXP];
    int greedy[MAXP];
    for (unsigned k = 0; k < np; k++) {
      random_pattern(pats[k], sizeof pats[k]);
      parse_pattern(pats[k], &tp[k]);
      key[k] = rnd(2);
      prio[k] = (int32_t)rnd(3);
      greedy[k] = (int)rnd(3);
      char *err = NULL;
      if (tr_patterns_add(p, tp[k].specs, tp[k].n, key[k], key[k], prio[k],
                          greedy[k], &err) != 0)
        fail_msg("add '%s': %s", pats[k], err);
    }
    tr_matches m;
    tr_matches_init(&m);
    char *err = NULL;
    assert_int_equal(tr_patterns_match(p, d.text, &d.toks, &m, &err), 0);
    check_fields(&d, &m);
    for (uint32_t kv = 0; kv < 2; kv++) {
      /* Reference: the union of the key's patterns' spans, best priority,
      ** filtered with the key's last greedy setting. */
      size_t n = d.toks.n;
      rspan *ref = calloc(n * (n + 1) / 2 + 1, sizeof *ref);
      assert_non_null(ref);
      size_t nref = 0;
      int g = -1;
      for (unsigned k = 0; k < np; k++)
        if (key[k] == kv) g = greedy[k];
      if (g < 0) {
        free(ref);
        continue;
      }
      for (uint32_t s = 0; s < n; s++)
        for (uint32_t e = s + 1; e <= n; e++) {
          int32_t best = INT32_MIN;
          for (unsigned k = 0; k < np; k++)
            if (key[k] == kv && prio[k] > best && ref_bt(&d, &tp[k], 0, s, e))
              best = prio[k];
          if (best != INT32_MIN) ref[nref++] = (rspan){ s, e, best };
        }
      nref = ref_filter(ref, nref, g, n);
      qsort(ref, nref, sizeof *ref, rspan_text);
      size_t j = 0;
      for (size_t i = 0; i < m.n; i++) {
        const tr_match *x = &m.v[i];
        if (x->rule != kv) continue;
        assert_int_equal(x->value, kv);
        if (j >= nref || x->tok_first != ref[j].s ||
            x->tok_first + x->tok_count != ref[j].e ||
            x->priority != ref[j].prio)
          goto mismatch;
        j++;
      }
      if (j != nref) goto mismatch;
      free(ref);
      continue;
    mismatch:
      fprintf(stderr, "round %d, doc '%s', key %u greedy %d\n", round, docs,
              kv, g);
      for (unsigned k = 0; k < np; k++)
        fprintf(stderr, "  pattern %u (key %u prio %d greedy %d): %s\n", k,
                key[k], prio[k], greedy[k], pats[k]);
      fprintf(stderr, "  expected:");
      for (size_t i = 0; i < nref; i++)
        fprintf(stderr, " %u-%u/%d", ref[i].s, ref[i].e, ref[i].prio);
      fprintf(stderr, "\n  got:     ");
      for (size_t i = 0; i < m.n; i++)
        if (m.v[i].rule == kv)
          fprintf(stderr, " %u-%u/%d", m.v[i].tok_first,
                  m.v[i].tok_first + m.v[i].tok_count, m.v[i].priority);
      fprintf(stderr, "\n");
      free(ref);
      fail();
    }
    for (unsigned k = 0; k < np; k++) tpat_free(&tp[k]);
    tr_matches_free(&m);
    tr_patterns_free(p);
    doc_free(&d);
  }
}

/* ======================================================================
** The sample corpus
** ==================================================================== */

static const char *const corpus_files[] = {
  "000_1af78644860d8528.txt", "001_3dc81e1ea7d977a8.txt",
  "002_fc6652fa48584f3a.txt", "003_21d5d0816ff0cbf2.txt",
  "004_bded5637d4401b88.txt",
};

static char *read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) fail_msg("cannot open %s", path);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  assert_non_null(buf);
  assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  buf[n] = '\0';
  *len = (size_t)n;
  return buf;
}

static void load_corpus(tdoc *docs) {
  for (size_t i = 0; i < N_ELEMS(corpus_files); i++) {
    char path[512];
    snprintf(path, sizeof path, "%s/corpus/%s", TRAWL_SOURCE_DIR,
             corpus_files[i]);
    size_t len;
    char *text = read_all(path, &len);
    doc_text(&docs[i], text, len);
    free(text);
  }
}

static int lower_is(const tdoc *d, size_t i, const char *w) {
  char buf[1024];
  const tr_token *t = &d->toks.v[i];
  if (t->len > 300) return 0;
  size_t l = ref_lower(d->text + t->start, t->len, buf);
  return l == strlen(w) && memcmp(buf, w, l) == 0;
}

static void test_corpus(void **state) {
  (void)state;
  tdoc docs[N_ELEMS(corpus_files)];
  load_corpus(docs);
  tr_patterns *p = tr_patterns_new();
  char *err = NULL;
  assert_int_equal(add_pat(p, "LOWER=prime LOWER=minister", 0, 0, 0, NONE,
                           &err), 0);
  assert_int_equal(add_pat(p, "IS_TITLE=1%+", 1, 1, 0, NONE, &err), 0);
  assert_int_equal(add_pat(p, "IS_TITLE=1%+", 2, 2, 0, LONGEST, &err), 0);
  assert_int_equal(add_pat(p, "LOWER=prime LOWER=minister IS_TITLE=1%? "
                           "LOWER@kadhimi,kazemi,al-kadhimi", 3, 3, 0, NONE,
                           &err), 0);
  size_t pm = 0, pm_ref = 0, named = 0;
  for (size_t i = 0; i < N_ELEMS(docs); i++) {
    tdoc *d = &docs[i];
    tr_matches m;
    tr_matches_init(&m);
    assert_int_equal(tr_patterns_match(p, d->text, &d->toks, &m, &err), 0);
    check_fields(d, &m);
    size_t c[4] = { 0, 0, 0, 0 };
    for (size_t k = 0; k < m.n; k++) c[m.v[k].rule]++;
    for (size_t k = 0; k < m.n; k++)
      if (m.v[k].rule == 0)
        assert_true(m.v[k].stop - m.v[k].start >= strlen("prime minister"));
    /* Reference counts by scanning the tokens. */
    size_t pairs = 0, runs_all = 0, runs = 0, run = 0;
    for (size_t t = 0; t < d->toks.n; t++) {
      if (t + 1 < d->toks.n && lower_is(d, t, "prime") &&
          lower_is(d, t + 1, "minister"))
        pairs++;
      if (d->toks.v[t].flags & TR_F_TITLE) {
        run++;
      } else if (run) {
        runs_all += run * (run + 1) / 2;
        runs++;
        run = 0;
      }
    }
    if (run) {
      runs_all += run * (run + 1) / 2;
      runs++;
    }
    assert_int_equal(c[0], pairs);
    assert_int_equal(c[1], runs_all);  /* every sub-run of a title run */
    assert_int_equal(c[2], runs);      /* LONGEST: the maximal runs */
    pm += c[0];
    pm_ref += pairs;
    named += c[3];
    tr_matches_free(&m);
  }
  assert_int_equal(pm, pm_ref);
  assert_true(pm >= 5);
  assert_true(named >= 1);
  fprintf(stderr, "  corpus: %zu \"prime minister\", %zu \"prime minister "
          "[Title] Kadhimi/Kazemi\"\n", pm, named);
  tr_patterns_free(p);
  for (size_t i = 0; i < N_ELEMS(docs); i++) doc_free(&docs[i]);
}

/* ======================================================================
** Thread safety: one pattern set, several threads, same results.
** ==================================================================== */

typedef struct tjob {
  const tr_patterns *p;
  const tdoc *docs;
  size_t ndocs;
  size_t total;       /* matches found */
  uint64_t sum;       /* a checksum of them */
  int rc;
} tjob;

static void *thread_main(void *arg) {
  tjob *j = arg;
  for (int rep = 0; rep < 5; rep++)
    for (size_t i = 0; i < j->ndocs; i++) {
      tr_matches m;
      tr_matches_init(&m);
      char *err = NULL;
      if (tr_patterns_match(j->p, j->docs[i].text, &j->docs[i].toks, &m,
                            &err) != 0) {
        j->rc = -1;
        free(err);
      }
      j->total += m.n;
      for (size_t k = 0; k < m.n; k++)
        j->sum += m.v[k].start * 31 + m.v[k].stop * 7 + m.v[k].rule;
      tr_matches_free(&m);
    }
  return NULL;
}

static void test_threads(void **state) {
  (void)state;
  tdoc docs[N_ELEMS(corpus_files)];
  load_corpus(docs);
  tr_patterns *p = tr_patterns_new();
  char *err = NULL;
  static const char *const pats[] = {
    "LOWER=the IS_TITLE=1%+", "ORTH~^[A-Z][a-z]+i$", "LIKE_NUM=1 {}%?",
    "IS_TITLE=1%{2,3}", "LOWER@iraq,iran ORTH='s%?", "LENGTH>=12",
  };
  for (size_t i = 0; i < N_ELEMS(pats); i++)
    assert_int_equal(add_pat(p, pats[i], (uint32_t)i, (uint32_t)i, 0,
                             (int)(i % 3), &err), 0);
  enum { NT = 4 };
  pthread_t th[NT];
  tjob jobs[NT];
  for (int t = 0; t < NT; t++) {
    jobs[t] = (tjob){ p, docs, N_ELEMS(docs), 0, 0, 0 };
    assert_int_equal(pthread_create(&th[t], NULL, thread_main, &jobs[t]), 0);
  }
  for (int t = 0; t < NT; t++) assert_int_equal(pthread_join(th[t], NULL), 0);
  for (int t = 0; t < NT; t++) {
    assert_int_equal(jobs[t].rc, 0);
    assert_int_equal(jobs[t].total, jobs[0].total);
    assert_true(jobs[t].sum == jobs[0].sum);
  }
  assert_true(jobs[0].total > 0);
  tr_patterns_free(p);
  for (size_t i = 0; i < N_ELEMS(docs); i++) doc_free(&docs[i]);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_attributes),
    cmocka_unit_test(test_predicates),
    cmocka_unit_test(test_big_set),
    cmocka_unit_test(test_operators),
    cmocka_unit_test(test_spacy_docs),
    cmocka_unit_test(test_spacy_suite),
    cmocka_unit_test(test_spacy_greedy),
    cmocka_unit_test(test_keys_and_output),
    cmocka_unit_test(test_greedy_key),
    cmocka_unit_test(test_empty_inputs),
    cmocka_unit_test(test_errors),
    cmocka_unit_test(test_errors_raw),
    cmocka_unit_test(test_names_and_ops),
    cmocka_unit_test(test_regex_limit),
    cmocka_unit_test(test_property),
    cmocka_unit_test(test_corpus),
    cmocka_unit_test(test_threads),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

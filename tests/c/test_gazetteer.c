/*
** test_gazetteer.c — cmocka tests of the gazetteer matcher
** (engine/gazetteer.c). Table-driven: each row gives aliases, a text and
** the matches expected, rendered as "matched text=value" in text order;
** a failing row is printed before the assertion fails. A property test
** checks 10,000 random aliases against a naive matcher on random text.
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gazetteer.h"

#ifndef TRAWL_SOURCE_DIR
#define TRAWL_SOURCE_DIR "."
#endif

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

enum { L = TR_GAZ_LOOSE_HYPHENS, C = TR_GAZ_CASE_SENSITIVE };

/* ======================================================================
** Helpers
** ==================================================================== */

typedef struct alias_row {
  const char *alias; /* NULL ends the list */
  uint32_t value;    /* the value matched */
  unsigned flags;    /* TR_GAZ_* */
} alias_row;

typedef struct gaz_case {
  const char *name;       /* shown when the row fails */
  alias_row aliases[8];   /* rule = index in this list */
  const char *text;       /* the document */
  const char *want;       /* "text=value|text=value" in text order */
} gaz_case;

/* A gazetteer of the rows' aliases (rule = row index), compiled. */
static tr_gaz *build(const alias_row *rows) {
  tr_gaz *g = tr_gaz_new();
  assert_non_null(g);
  for (uint32_t i = 0; rows[i].alias; i++) {
    const char *err = NULL;
    int rc = tr_gaz_add(g, rows[i].alias, strlen(rows[i].alias),
                        rows[i].value, i, 0, rows[i].flags, &err);
    if (rc) print_error("alias '%s': %s\n", rows[i].alias, err);
    assert_int_equal(rc, 0);
  }
  assert_int_equal(tr_gaz_compile(g), 0);
  return g;
}

/* Matches of g in text, sorted, rendered as "span=value|..." (static
** buffer); also checks the fields every gazetteer match must have. */
static const char *render(const tr_gaz *g, const char *text) {
  static char buf[8192];
  tr_tokens toks;
  tr_matches m;
  tr_tokens_init(&toks);
  tr_matches_init(&m);
  assert_int_equal(tr_tokenize(text, strlen(text), NULL, &toks), 0);
  assert_int_equal(tr_gaz_match(g, text, &toks, &m), 0);
  tr_matches_sort(&m);
  size_t w = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < m.n; i++) {
    const tr_match *x = &m.v[i];
    assert_true(x->tok_count >= 1);
    assert_true(x->tok_first + x->tok_count <= toks.n);
    assert_int_equal(x->start, toks.v[x->tok_first].start);
    const tr_token *lt = &toks.v[x->tok_first + x->tok_count - 1];
    assert_int_equal(x->stop, lt->start + lt->len);
    assert_true(x->score == 1.0f);
    assert_int_equal(x->extra, UINT32_MAX);
    int k = snprintf(buf + w, sizeof buf - w, "%s%.*s=%u", i ? "|" : "",
                     (int)(x->stop - x->start), text + x->start,
                     (unsigned)x->value);
    assert_true(k > 0 && (size_t)k < sizeof buf - w);
    w += (size_t)k;
  }
  tr_matches_free(&m);
  tr_tokens_free(&toks);
  return buf;
}

static void run_cases(const gaz_case *cases, size_t n) {
  for (size_t i = 0; i < n; i++) {
    tr_gaz *g = build(cases[i].aliases);
    const char *got = render(g, cases[i].text);
    if (strcmp(got, cases[i].want) != 0)
      print_error("case '%s': text '%s'\n  want '%s'\n  got  '%s'\n",
                  cases[i].name, cases[i].text, cases[i].want, got);
    assert_string_equal(got, cases[i].want);
    tr_gaz_free(g);
  }
}

/* ======================================================================
** Table-driven cases
** ==================================================================== */

static void test_exact_and_variants(void **state) {
  (void)state;
  static const gaz_case cases[] = {
    {"exact", {{"Kataib Hezbollah", 1, 0}},
     "The Kataib Hezbollah militia.", "Kataib Hezbollah=1"},
    {"not across other tokens", {{"Kataib Hezbollah", 1, 0}},
     "Kataib and Hezbollah", ""},
    {"apostrophes and case", {{"Kata'ib Hezbollah", 1, 0}},
     "Kata’ib Hezbollah, KATA'IB HEZBOLLAH, kata`ib hezbollah, Kataib "
     "Hezbollah",
     "Kata’ib Hezbollah=1|KATA'IB HEZBOLLAH=1|kata`ib hezbollah=1"},
    {"curly alias, straight text", {{"Kata’ib", 1, 0}},
     "Kata'ib and KATA’IB", "Kata'ib=1|KATA’IB=1"},
    {"NFKC", {{"Kataib fire", 1, 0}}, "ＫＡＴＡＩＢ ﬁre", "ＫＡＴＡＩＢ ﬁre=1"},
    {"NFKC in the alias", {{"ＫＡＴＡＩＢ", 1, 0}}, "kataib", "kataib=1"},
    {"alias with extra spaces", {{"  Kataib \n Hezbollah ", 1, 0}},
     "Kataib Hezbollah", "Kataib Hezbollah=1"},
    {"text across lines", {{"Kataib Hezbollah", 1, 0}},
     "Kataib\n\tHezbollah", "Kataib\n\tHezbollah=1"},
    {"punctuation tokens", {{"U.S. Embassy", 1, 0}, {"Baghdad, Iraq", 2, 0}},
     "the U.S. Embassy in Baghdad, Iraq. The U.S Embassy, Baghdad Iraq",
     "U.S. Embassy=1|Baghdad, Iraq=2"},
    {"punctuation alone", {{"(", 1, 0}, {"?!", 2, 0}}, "a (b) c?!",
     "(=1|?!=2"},
    {"numbers", {{"Resolution 2334", 1, 0}}, "resolution 2334 of 2016",
     "resolution 2334=1"},
  };
  run_cases(cases, N_ELEMS(cases));
}

static void test_hyphens(void **state) {
  (void)state;
  static const gaz_case cases[] = {
    {"loose: hyphen alias finds both",
     {{"Al-Kazemi", 1, L}},
     "Al-Kazemi, Al Kazemi, al‐kazemi, AlKazemi",
     "Al-Kazemi=1|Al Kazemi=1|al‐kazemi=1"},
    {"loose: spaced alias finds both",
     {{"Mustafa al Kadhimi", 1, L}},
     "Mustafa al-Kadhimi; Mustafa Al Kadhimi; Mustafa-al-Kadhimi",
     "Mustafa al-Kadhimi=1|Mustafa Al Kadhimi=1|Mustafa-al-Kadhimi=1"},
    {"strict: hyphen alias only whole",
     {{"Al-Kazemi", 1, 0}}, "Al Kazemi and Al-Kazemi", "Al-Kazemi=1"},
    {"strict: spaced alias only spaced",
     {{"Al Kazemi", 1, 0}}, "Al Kazemi and Al-Kazemi", "Al Kazemi=1"},
    {"strict and loose on one path",
     {{"Al Kazemi", 1, 0}, {"Al-Kazemi", 2, 0}, {"al kazemi", 3, L}},
     "Al Kazemi and Al-Kazemi",
     "Al Kazemi=1|Al Kazemi=3|Al-Kazemi=2|Al-Kazemi=3"},
    {"no part alone", {{"Kazemi", 1, L}, {"Al", 2, L}, {"Kazemi", 3, 0}},
     "Al-Kazemi", ""},
    {"no partial token at either end",
     {{"al kazemi", 1, L}, {"kazemi smith", 2, L}, {"al kazemi smith", 3, L}},
     "Al-Kazemi-Smith", "Al-Kazemi-Smith=3"},
    {"partial start after a whole token",
     {{"x al", 1, L}, {"x al kazemi", 2, L}}, "x al-kazemi",
     "x al-kazemi=2"},
    {"strict gap pattern over several tokens",
     {{"a-b c d-e", 1, 0}},
     "a-b c d-e | a b c d-e | a-b-c d-e | a-b c-d-e | a-b c d e",
     "a-b c d-e=1"},
    {"loose gap pattern over several tokens",
     {{"a-b c d-e", 1, L}},
     "a-b c d-e | a b c d-e | a-b-c d-e | a-b c-d-e | a-b c d e",
     "a-b c d-e=1|a b c d-e=1|a-b-c d-e=1|a-b c-d-e=1|a-b c d e=1"},
    {"17-year-old", {{"17 year old", 1, L}}, "a 17-year-old boy",
     "17-year-old=1"},
  };
  run_cases(cases, N_ELEMS(cases));
}

static void test_case_sensitive(void **state) {
  (void)state;
  static const gaz_case cases[] = {
    {"acronym", {{"KH", 1, C}}, "KH and kh and Kh and KH.", "KH=1|KH=1"},
    {"acronym with periods", {{"U.S.", 1, C}}, "U.S. and u.s. and U.S.",
     "U.S.=1|U.S.=1"},
    {"folded twin", {{"KH", 1, C}, {"KH", 2, 0}}, "KH kh",
     "KH=1|KH=2|kh=2"},
    {"exact bytes: apostrophes differ", {{"Kata'ib", 1, C}},
     "Kata'ib Kata’ib", "Kata'ib=1"},
    {"several tokens", {{"PMF HQ", 1, C}}, "PMF HQ, PMF hq, pmf HQ",
     "PMF HQ=1"},
    {"hyphen parts, loose",
     {{"AL-KH", 1, C | L}}, "AL-KH AL KH AL‐KH al-KH AL-kh",
     "AL-KH=1|AL KH=1|AL‐KH=1"},
  };
  run_cases(cases, N_ELEMS(cases));
}

static void test_overlaps_and_values(void **state) {
  (void)state;
  static const gaz_case cases[] = {
    {"nested", {{"Hezbollah", 1, 0}, {"Kataib Hezbollah", 2, 0},
                {"Hezbollah Brigades", 3, 0}},
     "Kataib Hezbollah Brigades",
     "Kataib Hezbollah=2|Hezbollah Brigades=3|Hezbollah=1"},
    {"same alias, two values", {{"PMF", 1, 0}, {"PMF", 2, 0}},
     "the PMF", "PMF=1|PMF=2"},
    {"same alias, two values, twice", {{"Al-Kazemi", 7, L}, {"Al-Kazemi", 8, L}},
     "Al Kazemi, al-kazemi", "Al Kazemi=7|Al Kazemi=8|al-kazemi=7|al-kazemi=8"},
    {"repeated and overlapping", {{"a a", 1, 0}}, "a a a", "a a=1|a a=1"},
    {"at document start and end",
     {{"Mustafa al-Kadhimi", 1, L}, {"Kadhimi", 2, 0}, {"Mustafa", 3, 0}},
     "Mustafa al-Kadhimi",
     "Mustafa al-Kadhimi=1|Mustafa=3"},
    {"whole document", {{"Kadhimi", 2, 0}}, "Kadhimi", "Kadhimi=2"},
    {"end of document", {{"the end", 1, 0}}, "this is the end",
     "the end=1"},
  };
  run_cases(cases, N_ELEMS(cases));
}

static void test_failure_links(void **state) {
  (void)state;
  static const gaz_case cases[] = {
    {"classic", {{"a b c", 1, 0}, {"b c d", 2, 0}, {"b", 3, 0}, {"c", 4, 0}},
     "a b c d",
     "a b c=1|b c d=2|b=3|c=4"},
    {"fail then succeed", {{"a b c", 1, 0}, {"b c d", 2, 0}, {"b", 3, 0}},
     "a b x b c d", "b=3|b c d=2|b=3"},
    {"unknown token resets", {{"a b", 1, 0}, {"b", 2, 0}}, "a zz b",
     "b=2"},
    {"punctuation resets", {{"a b", 1, 0}}, "a, b", ""},
    {"self overlap", {{"a a b", 1, 0}}, "a a a b", "a a b=1"},
    {"suffix chain", {{"a b c d", 1, 0}, {"b c", 2, 0}, {"c d", 3, 0},
                      {"d", 4, 0}},
     "a b c e a b c d",
     "b c=2|a b c d=1|b c=2|c d=3|d=4"},
    {"he she his hers",
     {{"he", 1, 0}, {"she", 2, 0}, {"his", 3, 0}, {"hers", 4, 0}},
     "ushers : s h e r s", ""},
    {"token-level he she",
     {{"h e", 1, 0}, {"s h e", 2, 0}, {"h i s", 3, 0}, {"h e r s", 4, 0}},
     "u s h e r s",
     "s h e=2|h e r s=4|h e=1"},
    {"hyphen parts after failure", {{"a b", 1, L}, {"b c", 2, L}},
     "a b-c", "b-c=2"},
  };
  run_cases(cases, N_ELEMS(cases));
}

/* ======================================================================
** API edges
** ==================================================================== */

static void test_refused_and_lifecycle(void **state) {
  (void)state;
  tr_gaz *g = tr_gaz_new();
  assert_non_null(g);
  static const char *const empty[] = {"", "   ", "\n\t ", "\xE2\x80\x8B"};
  for (size_t i = 0; i < N_ELEMS(empty); i++) {
    const char *err = NULL;
    assert_int_equal(tr_gaz_add(g, empty[i], strlen(empty[i]), 1, 0, 0, 0,
                                &err), -1);
    assert_non_null(err);
  }
  assert_int_equal(tr_gaz_count(g), 0);

  /* Never compiled: no matches, no error. */
  const char *err = NULL;
  assert_int_equal(tr_gaz_add(g, "Kataib", 6, 1, 0, 0, 0, &err), 0);
  assert_string_equal(render(g, "Kataib"), "");
  assert_int_equal(tr_gaz_compile(g), 0);
  assert_string_equal(render(g, "Kataib Hezbollah"), "Kataib=1");

  /* Added after the compile: unseen until the next compile. */
  assert_int_equal(tr_gaz_add(g, "Hezbollah", 9, 2, 1, 0, 0, &err), 0);
  assert_string_equal(render(g, "Kataib Hezbollah"), "Kataib=1");
  assert_int_equal(tr_gaz_compile(g), 0);
  assert_string_equal(render(g, "Kataib Hezbollah"),
                      "Kataib=1|Hezbollah=2");
  assert_int_equal(tr_gaz_count(g), 2);
  assert_int_equal(tr_gaz_states(g), 3);
  assert_true(tr_gaz_memory(g) > 0);
  assert_int_equal(tr_gaz_set_options(g, NULL), -1);

  /* Empty document, and an empty gazetteer. */
  assert_string_equal(render(g, ""), "");
  tr_gaz_free(g);
  g = tr_gaz_new();
  assert_int_equal(tr_gaz_compile(g), 0);
  assert_string_equal(render(g, "anything at all"), "");
  tr_gaz_free(g);
  tr_gaz_free(NULL);
}

static void test_fields(void **state) {
  (void)state;
  tr_gaz *g = tr_gaz_new();
  const char *err = NULL;
  assert_int_equal(tr_gaz_add(g, "Al Kazemi", 9, 42, 7, -3, L, &err), 0);
  assert_int_equal(tr_gaz_compile(g), 0);
  const char *text = "PM Al-Kazemi said";
  tr_tokens toks;
  tr_matches m;
  tr_tokens_init(&toks);
  tr_matches_init(&m);
  assert_int_equal(tr_tokenize(text, strlen(text), NULL, &toks), 0);
  assert_int_equal(tr_gaz_match(g, text, &toks, &m), 0);
  assert_int_equal(m.n, 1);
  assert_int_equal(m.v[0].start, 3);
  assert_int_equal(m.v[0].stop, 12);
  assert_int_equal(m.v[0].tok_first, 1);
  assert_int_equal(m.v[0].tok_count, 1);
  assert_int_equal(m.v[0].value, 42);
  assert_int_equal(m.v[0].rule, 7);
  assert_int_equal(m.v[0].priority, -3);
  /* Matching appends. */
  assert_int_equal(tr_gaz_match(g, text, &toks, &m), 0);
  assert_int_equal(m.n, 2);
  tr_matches_free(&m);
  tr_tokens_free(&toks);
  tr_gaz_free(g);
}

/* Aliases longer than the 64-part shift register take the slow path. */
static void test_long_alias(void **state) {
  (void)state;
  char alias[2048], spaced[2048], text[8192];
  size_t a = 0, b = 0;
  for (int i = 0; i < 70; i++) {
    /* words w0..w69; every 7th pair joined by a hyphen in the alias */
    const char *sep = i == 0 ? "" : (i % 7 == 0 ? "-" : " ");
    a += (size_t)snprintf(alias + a, sizeof alias - a, "%sw%c%c", sep,
                          'a' + i / 26, 'a' + i % 26);
    b += (size_t)snprintf(spaced + b, sizeof spaced - b, "%sw%c%c",
                          i ? " " : "", 'a' + i / 26, 'a' + i % 26);
  }
  snprintf(text, sizeof text, "x %s y %s z x-%s", alias, spaced, alias);
  alias_row strict[] = {{alias, 1, 0}, {NULL, 0, 0}};
  alias_row loose[] = {{alias, 2, L}, {NULL, 0, 0}};
  alias_row tail[] = {{alias + 4, 3, L}, {NULL, 0, 0}}; /* from "wab" on */
  char want[8192];

  tr_gaz *g = build(strict);
  snprintf(want, sizeof want, "%s=1", alias);
  assert_string_equal(render(g, text), want);
  tr_gaz_free(g);

  g = build(loose);
  snprintf(want, sizeof want, "%s=2|%s=2", alias, spaced);
  assert_string_equal(render(g, text), want); /* not inside "x-..." */
  tr_gaz_free(g);

  g = build(tail);
  /* "waa wab ..." and "x-waa wab ...": "wab" starts a token in both */
  snprintf(want, sizeof want, "%s=3|%s=3|%s=3", alias + 4, spaced + 4,
           alias + 4);
  assert_string_equal(render(g, text), want);
  tr_gaz_free(g);
}

/* ======================================================================
** Property test: random aliases against a naive matcher
** ==================================================================== */

static uint64_t rng_state = 0x243F6A8885A308D3u;
static uint32_t rnd(uint32_t n) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (uint32_t)(rng_state % n);
}

/* The vocabulary of a round: a few words that share parts, then
** generated two-syllable words. */
static const char *const base_vocab[] = {"al", "abu", "kazemi", "kadhimi",
  "hezbollah", "kataib", "badr", "sadr", "asaib", "ahl", "haq", "pmf",
  "kh", "us", "iraq", "iran", "x", "y"};
static char gen_vocab[400][8];
static const char *vocab[N_ELEMS(base_vocab) + 400];
static size_t nvocab;

static void make_vocab(size_t extra) {
  static const char *const syl[] = {"ka", "ta", "ib", "ha", "zi", "mu",
    "sa", "dr", "ba", "li", "qo", "re", "ne", "wu", "fa", "jo", "pe", "xi",
    "yo", "ul"};
  nvocab = 0;
  for (size_t i = 0; i < N_ELEMS(base_vocab); i++) vocab[nvocab++] = base_vocab[i];
  for (size_t i = 0; i < extra && i < 400; i++) {
    snprintf(gen_vocab[i], sizeof gen_vocab[i], "%s%s", syl[i % 20],
             syl[i / 20]);
    vocab[nvocab++] = gen_vocab[i];
  }
}

/* A random word of the vocabulary, in random case. */
static size_t put_word(char *d) {
  const char *w = vocab[rnd((uint32_t)nvocab)];
  size_t n = strlen(w);
  int mode = (int)rnd(4); /* lower, Title, UPPER, mixed */
  for (size_t i = 0; i < n; i++) {
    char c = w[i];
    if (mode == 2 || (mode == 1 && i == 0) || (mode == 3 && rnd(2)))
      c = (char)(c - 'a' + 'A');
    d[i] = c;
  }
  return n;
}

/* A random phrase of k words joined by spaces or hyphens. */
static size_t put_phrase(char *d, int k) {
  size_t w = 0;
  for (int i = 0; i < k; i++) {
    if (i) d[w++] = rnd(3) == 0 ? '-' : ' ';
    w += put_word(d + w);
  }
  return w;
}

/* One part of a token list: text bytes, norm bytes, and its position. */
typedef struct part {
  const char *text, *norm; /* not NUL-terminated */
  uint32_t text_len, norm_len;
  uint32_t tok;            /* token index */
  int first, last;         /* first / last part of its token */
} part;

/* All parts of a tokenized string, split by tr_token_parts on both the
** text and the norm: an implementation independent of the gazetteer's. */
static part *parts_of(const char *s, const tr_tokens *t, size_t *n) {
  part *v = NULL;
  size_t k = 0, cap = 0;
  for (size_t i = 0; i < t->n; i++) {
    const tr_token *tk = &t->v[i];
    uint32_t ts[32], tl[32], ns[32], nl[32];
    size_t nt = 1, nn = 1;
    size_t len;
    const char *nm = tr_tokens_norm(t, i, &len);
    ts[0] = ns[0] = 0;
    tl[0] = tk->len;
    nl[0] = (uint32_t)len;
    if (tk->flags & TR_F_HYPHENATED) {
      nt = tr_token_parts(s + tk->start, tk->len, ts, tl, 32);
      nn = tr_token_parts(nm, len, ns, nl, 32);
    }
    assert_int_equal(nt, nn);
    for (size_t p = 0; p < nt; p++) {
      if (k == cap) {
        cap = cap ? cap * 2 : 64;
        v = realloc(v, cap * sizeof *v);
        assert_non_null(v);
      }
      part x = {s + tk->start + ts[p], nm + ns[p], tl[p], nl[p], (uint32_t)i,
                p == 0, p + 1 == nt};
      v[k++] = x;
    }
  }
  *n = k;
  return v;
}

typedef struct naive_alias {
  part *parts;   /* the alias's parts */
  size_t n;
  unsigned flags;
} naive_alias;

static int by_pos(const void *pa, const void *pb) {
  const tr_match *a = pa, *b = pb;
  if (a->start != b->start) return a->start < b->start ? -1 : 1;
  if (a->stop != b->stop) return a->stop > b->stop ? -1 : 1;
  if (a->rule != b->rule) return a->rule < b->rule ? -1 : 1;
  return 0;
}

/* One round: NALIAS random aliases over a vocabulary of 18 + extra
** words, matched on text of about text_words words. */
static void random_round(size_t extra, int text_words) {
  enum { NALIAS = 10000 };
  make_vocab(extra);
  tr_gaz *g = tr_gaz_new();
  naive_alias *na = calloc(NALIAS, sizeof *na);
  char **alias_text = calloc(NALIAS, sizeof *alias_text);
  tr_tokens *alias_toks = calloc(NALIAS, sizeof *alias_toks);
  assert_true(g && na && alias_text && alias_toks);
  for (uint32_t i = 0; i < NALIAS; i++) {
    char buf[256];
    size_t n = put_phrase(buf, 1 + (int)rnd(4));
    unsigned flags = (rnd(2) ? L : 0) | (rnd(8) == 0 ? C : 0);
    alias_text[i] = malloc(n + 1);
    memcpy(alias_text[i], buf, n);
    alias_text[i][n] = '\0';
    const char *err = NULL;
    assert_int_equal(tr_gaz_add(g, buf, n, i % 97, i, 0, flags, &err), 0);
    tr_tokens_init(&alias_toks[i]);
    assert_int_equal(tr_tokenize(alias_text[i], n, NULL, &alias_toks[i]), 0);
    na[i].parts = parts_of(alias_text[i], &alias_toks[i], &na[i].n);
    na[i].flags = flags;
  }
  assert_int_equal(tr_gaz_compile(g), 0);

  /* Text: random phrases, unknown words and punctuation. */
  size_t cap = (size_t)text_words * 24, w = 0;
  char *text = malloc(cap);
  assert_non_null(text);
  for (int i = 0; i < text_words && w + 64 < cap;) {
    uint32_t r = rnd(20);
    if (r == 0) w += (size_t)snprintf(text + w, cap - w, "zork ");
    else if (r == 1) w += (size_t)snprintf(text + w, cap - w, ", ");
    else if (r == 2) w += (size_t)snprintf(text + w, cap - w, "Kazemi’s ");
    else {
      int k = 1 + (int)rnd(3);
      w += put_phrase(text + w, k);
      text[w++] = ' ';
      i += k;
    }
  }
  text[w] = '\0';

  tr_tokens toks;
  tr_matches got, want;
  tr_tokens_init(&toks);
  tr_matches_init(&got);
  tr_matches_init(&want);
  assert_int_equal(tr_tokenize(text, w, NULL, &toks), 0);
  assert_int_equal(tr_gaz_match(g, text, &toks, &got), 0);

  /* Naive: every alias at every part that starts a token. */
  size_t np;
  part *tp = parts_of(text, &toks, &np);
  for (size_t p = 0; p < np; p++) {
    if (!tp[p].first) continue;
    for (uint32_t a = 0; a < NALIAS; a++) {
      const naive_alias *x = &na[a];
      if (p + x->n > np || !tp[p + x->n - 1].last) continue;
      int ok = 1;
      for (size_t k = 0; ok && k < x->n; k++) {
        const part *u = &x->parts[k], *t = &tp[p + k];
        ok = u->norm_len == t->norm_len &&
             memcmp(u->norm, t->norm, u->norm_len) == 0;
        if (ok && k > 0 && !(x->flags & L)) ok = u->first == t->first;
        if (ok && (x->flags & C))
          ok = u->text_len == t->text_len &&
               memcmp(u->text, t->text, u->text_len) == 0;
      }
      if (!ok) continue;
      const part *e = &tp[p + x->n - 1];
      tr_match m = {toks.v[tp[p].tok].start,
                    toks.v[e->tok].start + toks.v[e->tok].len, tp[p].tok,
                    e->tok - tp[p].tok + 1, a, a % 97, 0, 1.0f, UINT32_MAX};
      assert_int_equal(tr_matches_push(&want, &m), 0);
    }
  }
  qsort(got.v, got.n, sizeof *got.v, by_pos);
  qsort(want.v, want.n, sizeof *want.v, by_pos);
  size_t ncase = 0;
  for (size_t i = 0; i < want.n; i++)
    ncase += (na[want.v[i].rule].flags & C) != 0;
  print_message("random (%zu words): %zu aliases, %zu states, %zu tokens, "
                "%zu matches, %zu case-sensitive\n", nvocab,
                tr_gaz_count(g), tr_gaz_states(g), toks.n, want.n, ncase);
  assert_true(want.n > 500); /* the test means something */
  assert_true(ncase > 0);
  for (size_t i = 0; i < got.n && i < want.n; i++) {
    const tr_match *x = &got.v[i], *y = &want.v[i];
    if (x->start != y->start || x->stop != y->stop ||
        x->tok_first != y->tok_first || x->tok_count != y->tok_count ||
        x->rule != y->rule || x->value != y->value ||
        x->priority != y->priority || x->extra != y->extra) {
      print_error("first difference at %zu: got '%.*s' rule %u, want '%.*s' "
                  "rule %u\n", i, (int)(got.v[i].stop - got.v[i].start),
                  text + got.v[i].start, got.v[i].rule,
                  (int)(want.v[i].stop - want.v[i].start),
                  text + want.v[i].start, want.v[i].rule);
      fail();
    }
  }
  assert_int_equal(got.n, want.n);

  free(tp);
  for (uint32_t i = 0; i < NALIAS; i++) {
    free(na[i].parts);
    free(alias_text[i]);
    tr_tokens_free(&alias_toks[i]);
  }
  free(na);
  free(alias_text);
  free(alias_toks);
  free(text);
  tr_matches_free(&got);
  tr_matches_free(&want);
  tr_tokens_free(&toks);
  tr_gaz_free(g);
}

static void test_random_vs_naive(void **state) {
  (void)state;
  random_round(0, 3000);    /* 18 words: dense overlaps, long fail chains */
  random_round(400, 8000);  /* 418 words: sparse, mostly distinct aliases */
}

/* ======================================================================
** The sample corpus
** ==================================================================== */

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  assert_int_equal(fseek(f, 0, SEEK_END), 0);
  long n = ftell(f);
  assert_true(n >= 0);
  assert_int_equal(fseek(f, 0, SEEK_SET), 0);
  char *s = malloc((size_t)n + 1);
  assert_non_null(s);
  assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  s[n] = '\0';
  *len = (size_t)n;
  return s;
}

static int norm_eq(const tr_tokens *t, size_t i, const char *w) {
  size_t l;
  const char *n = tr_tokens_norm(t, i, &l);
  return l == strlen(w) && memcmp(n, w, l) == 0;
}

static void test_corpus(void **state) {
  (void)state;
  static const char *const files[] = {
    "000_1af78644860d8528.txt", "001_3dc81e1ea7d977a8.txt",
    "002_fc6652fa48584f3a.txt", "003_21d5d0816ff0cbf2.txt",
    "004_bded5637d4401b88.txt"};
  alias_row rows[] = {
    {"Kataib Hezbollah", 1, L}, {"Kata'ib Hezbollah", 1, L},
    {"Kata’ib Hizballah", 1, L}, {"KH", 1, C},
    {"Kazemi", 2, L}, {"Kadhimi", 2, L}, {"al-Kadhimi", 2, L},
    {NULL, 0, 0}};
  tr_gaz *g = build(rows);
  size_t total_kh = 0;
  for (size_t f = 0; f < N_ELEMS(files); f++) {
    char path[512];
    snprintf(path, sizeof path, "%s/corpus/%s", TRAWL_SOURCE_DIR, files[f]);
    size_t len = 0;
    char *text = slurp(path, &len);
    if (text == NULL) {
      print_error("cannot read %s\n", path);
      fail();
    }
    tr_tokens toks;
    tr_matches m;
    tr_tokens_init(&toks);
    tr_matches_init(&m);
    assert_int_equal(tr_tokenize(text, len, NULL, &toks), 0);
    assert_int_equal(tr_gaz_match(g, text, &toks, &m), 0);
    /* Expected "Kataib Hezbollah" occurrences, counted on the tokens. */
    size_t want = 0, got = 0;
    for (size_t i = 0; i + 1 < toks.n; i++)
      if ((norm_eq(&toks, i, "kataib") || norm_eq(&toks, i, "kata'ib")) &&
          norm_eq(&toks, i + 1, "hezbollah"))
        want++;
    for (size_t i = 0; i < toks.n; i++)
      if (toks.v[i].len == 2 && memcmp(text + toks.v[i].start, "KH", 2) == 0)
        want++;
    for (size_t i = 0; i < m.n; i++) {
      const tr_match *x = &m.v[i];
      const char *s = text + x->start;
      size_t n = (size_t)(x->stop - x->start);
      if (x->value == 1) {
        got++;
        int ok = (n == 2 && memcmp(s, "KH", 2) == 0) ||
                 (n > 10 && strncmp(s + n - 9, "Hezbollah", 9) == 0 &&
                  strncmp(s, "Kata", 4) == 0);
        if (!ok) print_error("%s: odd match '%.*s'\n", files[f], (int)n, s);
        assert_true(ok);
      } else {
        assert_int_equal(x->value, 2);
        int ok = (n >= 6 && strncasecmp(s + n - 6, "kazemi", 6) == 0) ||
                 (n >= 7 && strncasecmp(s + n - 7, "kadhimi", 7) == 0);
        if (!ok) print_error("%s: odd match '%.*s'\n", files[f], (int)n, s);
        assert_true(ok);
      }
    }
    assert_int_equal(got, want);
    total_kh += got;
    tr_matches_free(&m);
    tr_tokens_free(&toks);
    free(text);
  }
  print_message("corpus: %zu Kataib Hezbollah / KH mentions\n", total_kh);
  assert_true(total_kh >= 10);
  tr_gaz_free(g);
}

/* ======================================================================
** Concurrent matching on one compiled gazetteer
** ==================================================================== */

typedef struct thread_job {
  const tr_gaz *g;        /* shared, read-only */
  const char *text;       /* shared document */
  const tr_tokens *toks;  /* shared tokens */
  tr_matches out;         /* this thread's matches */
  int rc;                 /* sum of tr_gaz_match results */
} thread_job;

static void *match_job(void *arg) {
  thread_job *j = arg;
  for (int r = 0; r < 20; r++) {
    tr_matches_clear(&j->out);
    j->rc |= tr_gaz_match(j->g, j->text, j->toks, &j->out);
  }
  return NULL;
}

static void test_threads(void **state) {
  (void)state;
  enum { NT = 4 };
  char path[512];
  snprintf(path, sizeof path, "%s/corpus/004_bded5637d4401b88.txt",
           TRAWL_SOURCE_DIR);
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  static char text[1 << 16];
  size_t len = fread(text, 1, sizeof text - 1, f);
  fclose(f);
  text[len] = '\0';
  alias_row rows[] = {{"Kataib Hezbollah", 1, L}, {"Kazemi", 2, L},
                      {"Iraq", 3, 0}, {"Iran-backed", 4, L},
                      {"Prime Minister", 5, 0}, {"US", 6, C}, {NULL, 0, 0}};
  tr_gaz *g = build(rows);
  tr_tokens toks;
  tr_tokens_init(&toks);
  assert_int_equal(tr_tokenize(text, len, NULL, &toks), 0);
  tr_matches want;
  tr_matches_init(&want);
  assert_int_equal(tr_gaz_match(g, text, &toks, &want), 0);
  assert_true(want.n > 10);

  thread_job jobs[NT];
  pthread_t th[NT];
  for (int i = 0; i < NT; i++) {
    jobs[i].g = g;
    jobs[i].text = text;
    jobs[i].toks = &toks;
    jobs[i].rc = 0;
    tr_matches_init(&jobs[i].out);
    assert_int_equal(pthread_create(&th[i], NULL, match_job, &jobs[i]), 0);
  }
  for (int i = 0; i < NT; i++) {
    assert_int_equal(pthread_join(th[i], NULL), 0);
    assert_int_equal(jobs[i].rc, 0);
    assert_int_equal(jobs[i].out.n, want.n);
    for (size_t k = 0; k < want.n; k++) {
      assert_int_equal(jobs[i].out.v[k].start, want.v[k].start);
      assert_int_equal(jobs[i].out.v[k].stop, want.v[k].stop);
      assert_int_equal(jobs[i].out.v[k].value, want.v[k].value);
    }
    tr_matches_free(&jobs[i].out);
  }
  tr_matches_free(&want);
  tr_tokens_free(&toks);
  tr_gaz_free(g);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_exact_and_variants),
    cmocka_unit_test(test_hyphens),
    cmocka_unit_test(test_case_sensitive),
    cmocka_unit_test(test_overlaps_and_values),
    cmocka_unit_test(test_failure_links),
    cmocka_unit_test(test_refused_and_lifecycle),
    cmocka_unit_test(test_fields),
    cmocka_unit_test(test_long_alias),
    cmocka_unit_test(test_random_vs_naive),
    cmocka_unit_test(test_corpus),
    cmocka_unit_test(test_threads),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

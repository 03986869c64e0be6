/*
** test_stats.c — cmocka tests of the analysis core (engine/stats.h):
** interning, the walker and its duplicate skipping, frequency tables,
** collocation windows, kwic hits and contexts, co-occurrence units and
** duplicate detection, each on small documents whose counts are worked
** out by hand in the comments.
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

/* ======================================================================
** Helpers
** ==================================================================== */

/* A corpus of the given texts, ids "d0", "d1", ... */
static tr_corpus *corpus_of(const char *const *texts, size_t n) {
  tr_corpus *c = tr_corpus_new();
  assert_non_null(c);
  for (size_t i = 0; i < n; i++) {
    char id[32];
    snprintf(id, sizeof id, "d%zu", i);
    assert_non_null(tr_corpus_add(c, id, "-", texts[i], strlen(texts[i]), 0,
                                  NULL));
  }
  return c;
}

static tr_walk_opts walk_opts(void) {
  tr_walk_opts w;
  memset(&w, 0, sizeof w);
  w.analyze = 1;
  return w;
}

/* Count of term s in a frequency table (0 when absent). */
static uint64_t count_of(const tr_freq *f, const char *s) {
  int64_t id = tr_intern_find(&f->terms, s, strlen(s));
  return id < 0 ? 0 : f->count[id];
}

static uint32_t docs_of(const tr_freq *f, const char *s) {
  int64_t id = tr_intern_find(&f->terms, s, strlen(s));
  return id < 0 ? 0 : f->docs[id];
}

/* Byte offset of the n-th (0-based) occurrence of needle in text. */
static uint64_t at(const char *text, const char *needle, int n) {
  const char *p = text;
  for (;;) {
    p = strstr(p, needle);
    assert_non_null(p);
    if (n-- == 0) return (uint64_t)(p - text);
    p++;
  }
}

static tr_freq run_freq(const tr_corpus *c, tr_unit unit, unsigned n,
                        int by_doc, const uint8_t *target, int skip) {
  tr_freq f;
  tr_freq_init(&f);
  tr_freq_opts o = {unit, n, 0, by_doc, target};
  tr_walk_opts w = walk_opts();
  w.skip = skip;
  char *err = NULL;
  assert_int_equal(tr_freq_run(&f, c, &o, &w, &err), 0);
  assert_null(err);
  return f;
}

/* ======================================================================
** Interning and the 64-bit map
** ==================================================================== */

static void test_intern(void **state) {
  (void)state;
  tr_intern t;
  tr_intern_init(&t);
  assert_int_equal(tr_intern_find(&t, "a", 1), -1);
  assert_int_equal(tr_intern_add(&t, "a", 1, NULL), 0);
  int added = 0;
  assert_int_equal(tr_intern_add(&t, "bb", 2, &added), 1);
  assert_int_equal(added, 1);
  assert_int_equal(tr_intern_add(&t, "a", 1, &added), 0);
  assert_int_equal(added, 0);
  assert_int_equal(tr_intern_add(&t, "", 0, NULL), 2); /* empty is a key */
  /* Enough strings to grow the table several times. */
  char buf[32];
  for (int i = 0; i < 20000; i++) {
    int n = snprintf(buf, sizeof buf, "w%d", i);
    assert_int_equal(tr_intern_add(&t, buf, (size_t)n, NULL), i + 3);
  }
  for (int i = 0; i < 20000; i += 97) {
    int n = snprintf(buf, sizeof buf, "w%d", i);
    assert_int_equal(tr_intern_find(&t, buf, (size_t)n), i + 3);
    size_t len;
    const char *s = tr_intern_str(&t, (uint32_t)(i + 3), &len);
    assert_int_equal(len, (size_t)n);
    assert_memory_equal(s, buf, len);
  }
  assert_int_equal(tr_intern_find(&t, "bb", 2), 1);
  assert_int_equal(tr_intern_find(&t, "w20000", 6), -1);
  tr_intern_free(&t);
}

static void test_u64map(void **state) {
  (void)state;
  tr_u64map m;
  tr_u64map_init(&m);
  assert_null(tr_u64map_find(&m, 7));
  for (uint64_t k = 0; k < 5000; k++) {
    int added;
    uint64_t *v = tr_u64map_get(&m, k * 3, &added);
    assert_non_null(v);
    assert_int_equal(added, 1);
    *v = k;
  }
  assert_int_equal(m.n, 5000);
  for (uint64_t k = 0; k < 5000; k++) {
    uint64_t *v = tr_u64map_find(&m, k * 3);
    assert_non_null(v);
    assert_int_equal(*v, k);
    assert_null(tr_u64map_find(&m, k * 3 + 1));
  }
  int added;
  assert_int_equal(*tr_u64map_get(&m, 9, &added), 3);
  assert_int_equal(added, 0);
  tr_u64map_free(&m);
}

/* ======================================================================
** Frequency tables
** ==================================================================== */

static void test_freq_norm(void **state) {
  (void)state;
  /* d0: The cat sat . The Cat ran !   -> 6 counted tokens (no punct)
  ** d1: A dog sat .                   -> 3
  ** norms: the 2, cat 2, sat 2, ran 1, a 1, dog 1; N = 9. */
  const char *t[] = {"The cat sat. The Cat ran!", "A dog sat."};
  tr_corpus *c = corpus_of(t, 2);
  tr_freq f = run_freq(c, TR_UNIT_NORM, 0, 0, NULL, TR_DUP_NONE);
  assert_int_equal(f.N, 9);
  assert_int_equal(f.tokens, 9);
  assert_int_equal(f.ndocs, 2);
  assert_int_equal(f.terms.n, 6);
  assert_int_equal(count_of(&f, "the"), 2);
  assert_int_equal(count_of(&f, "cat"), 2);
  assert_int_equal(count_of(&f, "sat"), 2);
  assert_int_equal(count_of(&f, "dog"), 1);
  assert_int_equal(docs_of(&f, "sat"), 2);
  assert_int_equal(docs_of(&f, "cat"), 1);
  assert_int_equal(f.doc_size[0], 6);
  assert_int_equal(f.doc_size[1], 3);
  int64_t the = tr_intern_find(&f.terms, "the", 3);
  int64_t cat = tr_intern_find(&f.terms, "cat", 3);
  assert_true(f.stop[the]);
  assert_false(f.stop[cat]);
  /* Most frequent first, ties by bytes; stop words left out; top 3. */
  uint32_t *ids;
  long n = tr_freq_select(&f, 1, 0, 3, &ids);
  assert_int_equal(n, 3);
  size_t len;
  assert_memory_equal(tr_intern_str(&f.terms, ids[0], &len), "cat", 3);
  assert_memory_equal(tr_intern_str(&f.terms, ids[1], &len), "sat", 3);
  assert_memory_equal(tr_intern_str(&f.terms, ids[2], &len), "dog", 3);
  free(ids);
  n = tr_freq_select(&f, 2, 1, 0, &ids); /* min 2, stop words kept */
  assert_int_equal(n, 3);                /* cat, sat, the */
  free(ids);
  tr_freq_free(&f);
  tr_corpus_free(c);
}

static void test_freq_word_and_norm(void **state) {
  (void)state;
  const char *t[] = {"Kata\xE2\x80\x99ib and Kata'ib and KATA'IB"};
  tr_corpus *c = corpus_of(t, 1);
  tr_freq f = run_freq(c, TR_UNIT_NORM, 0, 0, NULL, TR_DUP_NONE);
  assert_int_equal(count_of(&f, "kata'ib"), 3); /* one norm */
  tr_freq_free(&f);
  f = run_freq(c, TR_UNIT_WORD, 0, 0, NULL, TR_DUP_NONE);
  assert_int_equal(count_of(&f, "Kata\xE2\x80\x99ib"), 1); /* as written */
  assert_int_equal(count_of(&f, "Kata'ib"), 1);
  assert_int_equal(count_of(&f, "KATA'IB"), 1);
  assert_int_equal(count_of(&f, "and"), 2);
  tr_freq_free(&f);
  tr_corpus_free(c);
}

static void test_freq_ngrams(void **state) {
  (void)state;
  /* Sentence 1: red cat sat , big dog .  -> "red cat", "cat sat" and
  ** "big dog": the comma is a gap. Sentence 2: red cat . -> "red cat".
  ** No bigram crosses the sentence end ("dog red"). */
  const char *t[] = {"Red cat sat, big dog. Red cat."};
  tr_corpus *c = corpus_of(t, 1);
  tr_freq f = run_freq(c, TR_UNIT_NGRAM, 2, 0, NULL, TR_DUP_NONE);
  assert_int_equal(f.N, 4);
  assert_int_equal(count_of(&f, "red cat"), 2);
  assert_int_equal(count_of(&f, "cat sat"), 1);
  assert_int_equal(count_of(&f, "big dog"), 1);
  assert_int_equal(count_of(&f, "sat big"), 0);
  assert_int_equal(count_of(&f, "dog red"), 0);
  assert_int_equal(f.tokens, 7);
  tr_freq_free(&f);
  f = run_freq(c, TR_UNIT_NGRAM, 3, 0, NULL, TR_DUP_NONE);
  assert_int_equal(f.N, 1);
  assert_int_equal(count_of(&f, "red cat sat"), 1);
  tr_freq_free(&f);
  /* A stop word at either end marks the n-gram. */
  const char *t2[] = {"the cat sat on the mat"};
  tr_corpus *c2 = corpus_of(t2, 1);
  f = run_freq(c2, TR_UNIT_NGRAM, 2, 0, NULL, TR_DUP_NONE);
  int64_t a = tr_intern_find(&f.terms, "cat sat", 7);
  int64_t b = tr_intern_find(&f.terms, "the cat", 7);
  int64_t d = tr_intern_find(&f.terms, "sat on", 6);
  assert_false(f.stop[a]);
  assert_true(f.stop[b]);
  assert_true(f.stop[d]);
  tr_freq_free(&f);
  tr_corpus_free(c2);
  tr_corpus_free(c);
}

static void test_freq_by_doc_and_target(void **state) {
  (void)state;
  const char *t[] = {"war war peace", "war", "peace peace"};
  tr_corpus *c = corpus_of(t, 3);
  uint8_t target[3] = {1, 0, 1};
  tr_freq f = run_freq(c, TR_UNIT_NORM, 0, 1, target, TR_DUP_NONE);
  assert_int_equal(count_of(&f, "war"), 3);
  int64_t war = tr_intern_find(&f.terms, "war", 3);
  int64_t peace = tr_intern_find(&f.terms, "peace", 5);
  assert_int_equal(f.tcount[war], 2);   /* d0 only */
  assert_int_equal(f.tcount[peace], 3); /* d0 + d2 */
  assert_int_equal(f.N_target, 5);
  assert_int_equal(f.tokens_target, 5);
  assert_int_equal(f.ntarget, 2);
  /* Cells, document by document: d0 war 2, peace 1; d1 war 1; d2 peace 2. */
  assert_int_equal(f.ncells, 4);
  uint64_t got[3][2] = {{0}};
  for (size_t i = 0; i < f.ncells; i++)
    got[f.cells[i].doc][f.cells[i].term == (uint32_t)war ? 0 : 1] =
        f.cells[i].count;
  assert_int_equal(got[0][0], 2);
  assert_int_equal(got[0][1], 1);
  assert_int_equal(got[1][0], 1);
  assert_int_equal(got[2][1], 2);
  tr_freq_free(&f);
  tr_corpus_free(c);
}

static void test_freq_skip_duplicates(void **state) {
  (void)state;
  /* The 5-word paragraph repeats (with other case and punctuation): with
  ** skipping, its second copy counts for nothing. The 2-word paragraph
  ** repeats too but is under min_words (5), so both copies count. */
  const char *t[] = {
    "One two three four five.\n\nSix seven\n\nONE two three four five!",
    "Six seven\n\none, two three four five"};
  tr_corpus *c = corpus_of(t, 2);
  tr_freq f = run_freq(c, TR_UNIT_NORM, 0, 0, NULL, TR_DUP_NONE);
  assert_int_equal(count_of(&f, "one"), 3);
  assert_int_equal(f.N, 19);
  tr_freq_free(&f);
  f = run_freq(c, TR_UNIT_NORM, 0, 0, NULL, TR_DUP_EXACT);
  assert_int_equal(count_of(&f, "one"), 1);
  assert_int_equal(count_of(&f, "six"), 2);
  assert_int_equal(f.N, 9);
  assert_int_equal(f.doc_size[1], 2);
  tr_freq_free(&f);
  tr_corpus_free(c);
}

/* ======================================================================
** Collocations
** ==================================================================== */

static tr_colloc run_colloc(const tr_corpus *c, const char *node,
                            unsigned win, int sentence) {
  tr_colloc k;
  tr_colloc_init(&k);
  tr_colloc_opts o = {node, strlen(node), win, win, sentence, 0};
  tr_walk_opts w = walk_opts();
  char *err = NULL;
  assert_int_equal(tr_colloc_run(&k, c, &o, &w, &err), 0);
  return k;
}

static uint64_t o11_of(const tr_colloc *k, const char *s) {
  int64_t id = tr_intern_find(&k->f.terms, s, strlen(s));
  return id < 0 ? 0 : k->o11[id];
}

static void test_colloc_windows(void **state) {
  (void)state;
  /* Counted tokens: a b node c d . e node f   (N = 8, node twice; one
  ** sentence: "e" cannot start one). */
  const char *t[] = {"a b node c d. e node f."};
  tr_corpus *c = corpus_of(t, 1);
  /* Window 1: b [node] c, e [node] f -> R1 = 4. */
  tr_colloc k = run_colloc(c, "node", 1, 1);
  assert_int_equal(k.f_node, 2);
  assert_int_equal(k.f.N, 8);
  assert_int_equal(k.window, 4);
  assert_int_equal(o11_of(&k, "b"), 1);
  assert_int_equal(o11_of(&k, "c"), 1);
  assert_int_equal(o11_of(&k, "e"), 1);
  assert_int_equal(o11_of(&k, "f"), 1);
  assert_int_equal(o11_of(&k, "a"), 0);
  int64_t b = tr_intern_find(&k.f.terms, "b", 1);
  int64_t cc = tr_intern_find(&k.f.terms, "c", 1);
  assert_int_equal(k.o11_left[b], 1);
  assert_int_equal(k.o11_left[cc], 0);
  tr_colloc_free(&k);
  /* Window 2: a b [node] c d; e [node] f, whose left window reaches d,
  ** already in the first one's window: counted once. R1 = 4 + 2 = 6. */
  k = run_colloc(c, "node", 2, 1);
  assert_int_equal(k.window, 6);
  assert_int_equal(o11_of(&k, "a"), 1);
  assert_int_equal(o11_of(&k, "d"), 1);
  tr_colloc_free(&k);
  tr_corpus_free(c);
  /* Sentence bounds: "a b node. C d" -> within the sentence the right
  ** window is empty (R1 = 2); across it, c and d join (R1 = 4). */
  const char *t3[] = {"a b node. C d"};
  c = corpus_of(t3, 1);
  k = run_colloc(c, "node", 2, 1);
  assert_int_equal(k.window, 2);
  assert_int_equal(o11_of(&k, "c"), 0);
  tr_colloc_free(&k);
  k = run_colloc(c, "node", 2, 0);
  assert_int_equal(k.window, 4);
  assert_int_equal(o11_of(&k, "c"), 1);
  tr_colloc_free(&k);
  tr_corpus_free(c);
  /* Overlapping windows merge: node x node, window 1 -> x once. */
  const char *t2[] = {"node x node"};
  c = corpus_of(t2, 1);
  k = run_colloc(c, "node", 1, 1);
  assert_int_equal(k.f_node, 2);
  assert_int_equal(k.window, 1);
  assert_int_equal(o11_of(&k, "x"), 1);
  tr_colloc_free(&k);
  /* A phrase node, matched on norms. */
  k = run_colloc(c, "NODE X", 1, 1);
  assert_int_equal(k.f_node, 1);
  assert_int_equal(k.node_tokens, 2);
  assert_int_equal(o11_of(&k, "node"), 1);
  tr_colloc_free(&k);
  tr_corpus_free(c);
}

/* ======================================================================
** Keyword in context
** ==================================================================== */

static void test_kwic_phrase(void **state) {
  (void)state;
  const char *text = "Kata\xE2\x80\x99ib Hezbollah struck. Kata'ib Hezbollah, again!";
  const char *t[] = {text};
  tr_corpus *c = corpus_of(t, 1);
  tr_kwic k;
  tr_kwic_init(&k);
  tr_kwic_opts o = {TR_Q_PHRASE, "kata'ib hezbollah", 17, NULL, NULL, 3, 0, 0};
  tr_walk_opts w = walk_opts();
  char *err = NULL;
  assert_int_equal(tr_kwic_run(&k, c, &o, &w, &err), 0);
  assert_int_equal(k.n, 2);
  assert_int_equal(k.N, 6);
  assert_int_equal(k.sizes[0], 6);
  uint64_t h2 = at(text, "Kata'ib", 0);
  assert_int_equal(k.v[0].start, 0);
  assert_int_equal(k.v[0].stop, 19); /* "Kata’ib" is 9 bytes */
  assert_int_equal(k.v[0].sent, 0);
  assert_int_equal(k.v[1].start, h2);
  assert_int_equal(k.v[1].sent, 1);
  assert_int_equal(k.v[1].pos, 3);   /* Kata’ib Hezbollah struck */
  assert_int_equal(k.v[1].ntok, 2);
  /* 3 characters each side. */
  assert_int_equal(k.v[1].lstart, h2 - 3);
  assert_int_equal(k.v[1].rstop, k.v[1].stop + 3);
  assert_int_equal(k.v[0].lstart, 0);
  tr_kwic_free(&k);
  /* One token each side. */
  tr_kwic_init(&k);
  o.width = 1;
  o.tokens = 1;
  assert_int_equal(tr_kwic_run(&k, c, &o, &w, &err), 0);
  assert_int_equal(k.v[0].lstart, 0);
  assert_int_equal(k.v[0].rstop, at(text, "struck", 0) + 6);
  assert_int_equal(k.v[1].lstart, at(text, ".", 0));
  assert_int_equal(k.v[1].rstop, at(text, ",", 0) + 1);
  tr_kwic_free(&k);
  /* An empty query is an error with a message. */
  tr_kwic_init(&k);
  o.phrase = "  ";
  o.phrase_len = 2;
  assert_int_equal(tr_kwic_run(&k, c, &o, &w, &err), -1);
  assert_non_null(err);
  free(err);
  tr_kwic_free(&k);
  tr_corpus_free(c);
}

static void test_kwic_sort_and_regex(void **state) {
  (void)state;
  const char *text = "B x. A x. C x.";
  const char *t[] = {text};
  tr_corpus *c = corpus_of(t, 1);
  tr_kwic k;
  tr_kwic_init(&k);
  tr_kwic_opts o = {TR_Q_PHRASE, "x", 1, NULL, NULL, 10, 0, 0};
  tr_walk_opts w = walk_opts();
  char *err = NULL;
  assert_int_equal(tr_kwic_run(&k, c, &o, &w, &err), 0);
  assert_int_equal(k.n, 3);
  /* Left: the word before each x is b, a, c -> a, b, c (on norms). */
  tr_kwic_sort(&k, TR_SORT_LEFT);
  assert_int_equal(k.v[0].start, at(text, "x", 1));
  assert_int_equal(k.v[1].start, at(text, "x", 0));
  assert_int_equal(k.v[2].start, at(text, "x", 2));
  /* Right: the next counted words are a, c and nothing -> "", a, c. */
  tr_kwic_sort(&k, TR_SORT_RIGHT);
  assert_int_equal(k.v[0].start, at(text, "x", 2));
  assert_int_equal(k.v[1].start, at(text, "x", 0));
  assert_int_equal(k.v[2].start, at(text, "x", 1));
  tr_kwic_sort(&k, TR_SORT_DOC);
  assert_int_equal(k.v[0].start, at(text, "x", 0));
  tr_kwic_free(&k);
  /* A regex: matches need not align with tokens. */
  tr_regexes *re = tr_regexes_new(NULL);
  assert_int_equal(tr_regexes_add(re, "[AB] x", 6, NULL, 0, 0, 0, &err), 0);
  tr_kwic_init(&k);
  tr_kwic_opts ro = {TR_Q_REGEX, NULL, 0, re, NULL, 2, 0, 0};
  assert_int_equal(tr_kwic_run(&k, c, &ro, &w, &err), 0);
  assert_int_equal(k.n, 2);
  assert_int_equal(k.v[0].start, 0);
  assert_int_equal(k.v[0].stop, 3);
  assert_int_equal(k.v[1].start, at(text, "A", 0));
  assert_int_equal(k.v[1].sent, 1);
  tr_kwic_free(&k);
  tr_regexes_free(re);
  tr_corpus_free(c);
}

/* ======================================================================
** Mentions and co-occurrence
** ==================================================================== */

static const char *const CO[] = {"Ann met Bob. Cy left.\n\nAnn saw Cy.",
                                 "Bob and Cy."};

static void add_m(tr_msrc *s, uint32_t doc, const char *name, int nth,
                  const char *ent) {
  uint64_t b = at(CO[doc], name, nth);
  assert_int_equal(tr_msrc_add(s, doc, b, b + strlen(name), ent, "PER"), 0);
}

/* Mentions of Ann, Bob, Cy in CO (out of order: sorted here), plus one
** type-only mention (left out). */
static void co_mentions(tr_msrc *s) {
  add_m(s, 1, "Cy", 0, "c");
  add_m(s, 0, "Ann", 0, "a");
  add_m(s, 0, "Bob", 0, "b");
  add_m(s, 0, "Cy", 0, "c");
  add_m(s, 0, "Ann", 1, "a");
  add_m(s, 0, "Cy", 1, "c");
  add_m(s, 1, "Bob", 0, "b");
  assert_int_equal(tr_msrc_add(s, 0, 0, 1, NULL, "DATE"), 0);
  tr_msrc_sort(s);
}

static uint64_t pair_count(const tr_cooc *k, const tr_msrc *s, const char *a,
                           const char *b) {
  int64_t x = tr_intern_find(&s->ents, a, strlen(a));
  int64_t y = tr_intern_find(&s->ents, b, strlen(b));
  if (x > y) {
    int64_t t = x;
    x = y;
    y = t;
  }
  for (size_t i = 0; i < k->npairs; i++)
    if (k->pairs[i].a == (uint32_t)x && k->pairs[i].b == (uint32_t)y)
      return k->pairs[i].count;
  return 0;
}

static uint64_t units_of(const tr_cooc *k, const tr_msrc *s, const char *a) {
  return k->units[tr_intern_find(&s->ents, a, strlen(a))];
}

static void test_msrc(void **state) {
  (void)state;
  tr_msrc s;
  tr_msrc_init(&s);
  co_mentions(&s);
  assert_int_equal(s.n, 7); /* the type-only one is left out */
  assert_int_equal(s.ents.n, 3);
  for (size_t i = 1; i < s.n; i++)
    assert_true(s.v[i - 1].doc < s.v[i].doc ||
                (s.v[i - 1].doc == s.v[i].doc && s.v[i - 1].start <= s.v[i].start));
  tr_msrc_free(&s);
  /* Filters. */
  const char *types[] = {"ORG"};
  tr_msrc_init(&s);
  s.only_types = types;
  s.ntypes = 1;
  assert_int_equal(tr_msrc_add(&s, 0, 0, 1, "x", "PER"), 0);
  assert_int_equal(tr_msrc_add(&s, 0, 0, 1, "y", "ORG"), 0);
  s.only_entity = "z";
  assert_int_equal(tr_msrc_add(&s, 0, 0, 1, "y", "ORG"), 0);
  assert_int_equal(s.n, 1);
  tr_msrc_free(&s);
}

static void run_cooc(tr_within within, unsigned window, tr_cooc *k,
                     tr_msrc *s, tr_corpus **cp) {
  *cp = corpus_of(CO, 2);
  tr_msrc_init(s);
  co_mentions(s);
  tr_cooc_init(k);
  tr_cooc_opts o = {within, window, 0};
  tr_walk_opts w = walk_opts();
  w.ms = s;
  char *err = NULL;
  assert_int_equal(tr_cooc_run(k, *cp, &o, &w, &err), 0);
}

static void done_cooc(tr_cooc *k, tr_msrc *s, tr_corpus *c) {
  tr_cooc_free(k);
  tr_msrc_free(s);
  tr_corpus_free(c);
}

static void test_cooccur(void **state) {
  (void)state;
  tr_cooc k;
  tr_msrc s;
  tr_corpus *c;
  /* Sentences: "Ann met Bob." "Cy left." "Ann saw Cy." | "Bob and Cy."
  ** -> N 4;
  ** A in 2, B in 2, C in 3; A-B 1, A-C 1, B-C 1. */
  run_cooc(TR_WITHIN_SENT, 0, &k, &s, &c);
  assert_int_equal(k.N, 4);
  assert_int_equal(units_of(&k, &s, "a"), 2);
  assert_int_equal(units_of(&k, &s, "b"), 2);
  assert_int_equal(units_of(&k, &s, "c"), 3);
  assert_int_equal(pair_count(&k, &s, "a", "b"), 1);
  assert_int_equal(pair_count(&k, &s, "a", "c"), 1);
  assert_int_equal(pair_count(&k, &s, "b", "c"), 1);
  assert_int_equal(k.mentions[tr_intern_find(&s.ents, "c", 1)], 3);
  done_cooc(&k, &s, c);
  /* Paragraphs: "Ann met Bob. Cy left." "Ann saw Cy." | "Bob and Cy."
  ** -> N 3. */
  run_cooc(TR_WITHIN_PARA, 0, &k, &s, &c);
  assert_int_equal(k.N, 3);
  assert_int_equal(pair_count(&k, &s, "a", "b"), 1);
  assert_int_equal(pair_count(&k, &s, "a", "c"), 2);
  assert_int_equal(pair_count(&k, &s, "b", "c"), 2);
  assert_int_equal(k.pairs[0].count, 2); /* most first */
  done_cooc(&k, &s, c);
  /* Documents: N 2; A-B 1, A-C 1, B-C 2. */
  run_cooc(TR_WITHIN_DOC, 0, &k, &s, &c);
  assert_int_equal(k.N, 2);
  assert_int_equal(units_of(&k, &s, "a"), 1);
  assert_int_equal(pair_count(&k, &s, "b", "c"), 2);
  assert_int_equal(pair_count(&k, &s, "a", "c"), 1);
  done_cooc(&k, &s, c);
  /* Window 2 over counted tokens: d0 Ann0 met1 Bob2 Cy3 left4 Ann5 saw6
  ** Cy7, d1 Bob0 and1 Cy2 (A, B, C below). Pairs at most 2 apart: A0-B2, B2-C3, C3-A5, A5-C7,
  ** B0-C2 -> A-B 1, B-C 2, A-C 2 (C3-A5 and A5-C7); N = 11 tokens. */
  run_cooc(TR_WITHIN_WINDOW, 2, &k, &s, &c);
  assert_int_equal(k.N, 11);
  assert_int_equal(pair_count(&k, &s, "a", "b"), 1);
  assert_int_equal(pair_count(&k, &s, "b", "c"), 2);
  assert_int_equal(pair_count(&k, &s, "a", "c"), 2);
  assert_int_equal(units_of(&k, &s, "c"), 3);
  done_cooc(&k, &s, c);
}

/* ======================================================================
** Duplicates
** ==================================================================== */

static const char *const DUP[] = {
  "Alpha beta gamma delta epsilon zeta eta theta.\n\nShort one.\n\n"
  "Iota kappa lambda mu nu xi omicron pi rho sigma.",
  "alpha, beta gamma delta epsilon zeta eta theta!\n\n"
  "Iota kappa lambda mu nu xi omicron pi rho tau."};

static void test_dups_paragraphs(void **state) {
  (void)state;
  tr_corpus *c = corpus_of(DUP, 2);
  tr_dups d;
  char *err = NULL;
  /* Exact only: the alpha paragraphs (case and punctuation differ). */
  tr_dup_opts o = {0, 0, 0, 0.5, 0, 1, 0};
  assert_int_equal(tr_dups_find(&d, c, NULL, &o, &err), 0);
  assert_int_equal(d.ngroups, 1);
  assert_int_equal(d.groups[0].n, 2);
  assert_true(d.groups[0].exact);
  assert_int_equal(d.items[0].doc, 0);
  assert_int_equal(d.items[0].para, 0);
  assert_int_equal(d.items[1].doc, 1);
  assert_int_equal(d.items[1].words, 8);
  assert_true(d.items[1].jaccard == 1.0);
  assert_int_equal(d.units, 4); /* "Short one." is under min_words */
  tr_dups_free(&d);
  /* Near: the iota paragraphs differ in their last word: 6 shingles each,
  ** 5 shared -> J = 5 / 7. */
  o.near = 1;
  assert_int_equal(tr_dups_find(&d, c, NULL, &o, &err), 0);
  assert_int_equal(d.ngroups, 2);
  const tr_dup_group *g = &d.groups[1];
  assert_false(g->exact);
  assert_int_equal(d.items[g->first].para, 2);
  assert_int_equal(d.items[g->first + 1].doc, 1);
  assert_int_equal(d.items[g->first + 1].para, 1);
  assert_true(fabs(d.items[g->first + 1].jaccard - 5.0 / 7.0) < 1e-12);
  assert_false(d.items[g->first + 1].exact);
  assert_true(d.rows * d.bands <= 128);
  tr_dups_free(&d);
  tr_corpus_free(c);
}

static void test_dups_documents(void **state) {
  (void)state;
  tr_corpus *c = corpus_of(DUP, 2);
  tr_dups d;
  char *err = NULL;
  /* d0: 20 words, 16 shingles; d1: 18 words, 14 shingles. Shared: the 4
  ** inside the alpha paragraph and the 5 iota shingles without sigma/tau
  ** -> J = 9 / (16 + 14 - 9) = 9 / 21. */
  tr_dup_opts o = {0, 0, 0, 0.3, 1, 0, 1};
  assert_int_equal(tr_dups_find(&d, c, NULL, &o, &err), 0);
  assert_int_equal(d.ngroups, 1);
  assert_true(d.groups[0].document);
  assert_int_equal(d.items[1].para, UINT32_MAX);
  assert_int_equal(d.items[1].stop, strlen(DUP[1]));
  assert_true(fabs(d.items[1].jaccard - 9.0 / 21.0) < 1e-12);
  tr_dups_free(&d);
  o.threshold = 0.5; /* below it: no group */
  assert_int_equal(tr_dups_find(&d, c, NULL, &o, &err), 0);
  assert_int_equal(d.ngroups, 0);
  tr_dups_free(&d);
  tr_corpus_free(c);
}

static void test_walk_skip_near(void **state) {
  (void)state;
  /* Near-duplicate skipping drops the second iota paragraph too. */
  tr_corpus *c = corpus_of(DUP, 2);
  tr_freq f = run_freq(c, TR_UNIT_NORM, 0, 0, NULL, TR_DUP_NEAR);
  assert_int_equal(count_of(&f, "iota"), 1);
  assert_int_equal(count_of(&f, "alpha"), 1);
  assert_int_equal(count_of(&f, "tau"), 0);
  assert_int_equal(count_of(&f, "short"), 1);
  assert_int_equal(f.N, 20);
  tr_freq_free(&f);
  tr_corpus_free(c);
}

static void test_sample_corpus_repeats(void **state) {
  (void)state;
  /* Document 000 of the sample corpus repeats paragraphs 31, 32, 21, 22
  ** (1-based) near its end as 48, 49, 50, 51; 32 and 49 are identical. */
  static const char *const ids[] = {"000_1af78644860d8528"};
  char path[512];
  snprintf(path, sizeof path, "%s/corpus/%s.txt", TRAWL_SOURCE_DIR, ids[0]);
  FILE *fp = fopen(path, "rb");
  assert_non_null(fp);
  static char buf[65536];
  size_t n = fread(buf, 1, sizeof buf - 1, fp);
  fclose(fp);
  tr_corpus *c = tr_corpus_new();
  assert_non_null(tr_corpus_add(c, ids[0], path, buf, n, 0, NULL));
  tr_dups d;
  char *err = NULL;
  tr_dup_opts o = {0, 0, 0, 0.3, 1, 1, 0};
  assert_int_equal(tr_dups_find(&d, c, NULL, &o, &err), 0);
  assert_int_equal(d.ngroups, 4);
  unsigned pairs[4][2] = {{20, 49}, {21, 50}, {30, 47}, {31, 48}};
  for (size_t g = 0; g < 4; g++) {
    assert_int_equal(d.groups[g].n, 2);
    assert_int_equal(d.items[d.groups[g].first].para, pairs[g][0]);
    assert_int_equal(d.items[d.groups[g].first + 1].para, pairs[g][1]);
  }
  assert_true(d.groups[3].exact);
  assert_false(d.groups[0].exact);
  tr_dups_free(&d);
  tr_corpus_free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_intern),
    cmocka_unit_test(test_u64map),
    cmocka_unit_test(test_freq_norm),
    cmocka_unit_test(test_freq_word_and_norm),
    cmocka_unit_test(test_freq_ngrams),
    cmocka_unit_test(test_freq_by_doc_and_target),
    cmocka_unit_test(test_freq_skip_duplicates),
    cmocka_unit_test(test_colloc_windows),
    cmocka_unit_test(test_kwic_phrase),
    cmocka_unit_test(test_kwic_sort_and_regex),
    cmocka_unit_test(test_msrc),
    cmocka_unit_test(test_cooccur),
    cmocka_unit_test(test_dups_paragraphs),
    cmocka_unit_test(test_dups_documents),
    cmocka_unit_test(test_walk_skip_near),
    cmocka_unit_test(test_sample_corpus_repeats),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

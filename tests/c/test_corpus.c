/*
** test_corpus.c — the corpus container: add, ids and their "~N" suffixes,
** find, sort, fields, regions and views, and tr_analyze.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <cmocka.h>
#include <xxhash.h>

#include "corpus.h"
#include "load.h"

static void test_add_find(void **state) {
  tr_corpus *c = tr_corpus_new();
  const char text[] = "Title line\n\nBody text.";
  int renamed = -1;
  tr_doc *d;
  (void)state;
  assert_int_equal(tr_corpus_count(c), 0);
  assert_null(tr_corpus_find(c, "a"));
  assert_null(tr_corpus_doc(c, 0));
  d = tr_corpus_add(c, "a", "dir/a.txt", text, sizeof text - 1, 0, &renamed);
  assert_non_null(d);
  assert_int_equal(renamed, 0);
  assert_string_equal(d->id, "a");
  assert_string_equal(d->path, "dir/a.txt");
  assert_string_equal(d->title, "Title line"); /* from the text */
  assert_null(d->date), assert_null(d->source), assert_null(d->author);
  assert_null(d->meta), assert_null(d->given), assert_null(d->given_sents);
  assert_ptr_not_equal(d->text, text); /* copied ... */
  assert_memory_equal(d->text, text, sizeof text);  /* ... with a NUL */
  assert_int_equal(d->len, sizeof text - 1);
  assert_int_equal(d->hash, XXH3_64bits(text, sizeof text - 1));
  assert_ptr_equal(tr_corpus_find(c, "a"), d);
  assert_ptr_equal(tr_corpus_doc(c, 0), d);
  assert_null(tr_corpus_find(c, "A"));
  assert_null(tr_corpus_find(c, "a "));
  assert_int_equal(tr_corpus_bytes(c), sizeof text - 1);
  tr_corpus_free(c);
}

static void test_keep(void **state) {
  tr_corpus *c = tr_corpus_new();
  char *buf = strdup("owned text");
  tr_doc *d;
  (void)state;
  d = tr_corpus_add(c, "k", "k.txt", buf, strlen(buf), 1, NULL);
  assert_non_null(d);
  assert_ptr_equal(d->text, buf); /* taken, not copied; freed with c */
  d = tr_corpus_add(c, "e", "e.txt", NULL, 0, 0, NULL);
  assert_non_null(d);
  assert_int_equal(d->len, 0);
  assert_string_equal(d->title, "");
  tr_corpus_free(c);
}

static void test_duplicates(void **state) {
  static const struct {
    const char *id;   /* id asked for */
    const char *got;  /* id given */
    int renamed;      /* expected *renamed */
  } t[] = {
      {"x", "x", 0},     {"x", "x~2", 1},     {"x", "x~3", 1},
      {"y~2", "y~2", 0}, {"y", "y", 0},       {"y", "y~3", 1},
      {"x~2", "x~2~2", 1}, {"", "", 0},       {"", "~2", 1},
  };
  tr_corpus *c = tr_corpus_new();
  (void)state;
  for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
    int renamed = -1;
    tr_doc *d = tr_corpus_add(c, t[i].id, "p", "t", 1, 0, &renamed);
    assert_non_null(d);
    assert_string_equal(d->id, t[i].got);
    assert_int_equal(renamed, t[i].renamed);
    assert_ptr_equal(tr_corpus_find(c, t[i].got), d);
  }
  assert_int_equal(tr_corpus_count(c), sizeof t / sizeof *t);
  tr_corpus_free(c);
}

/* Enough documents to grow the id table several times; every id must be
** found at every stage, and after sorting. */
static void test_many_and_sort(void **state) {
  enum { N = 20000 };
  tr_corpus *c = tr_corpus_new();
  char id[32];
  (void)state;
  for (int i = 0; i < N; i++) {
    snprintf(id, sizeof id, "doc%05d", (i * 7919) % N); /* shuffled */
    assert_non_null(tr_corpus_add(c, id, "p", id, strlen(id), 0, NULL));
  }
  assert_int_equal(tr_corpus_count(c), N);
  assert_int_equal(tr_corpus_bytes(c), (uint64_t)N * 8);
  for (int i = 0; i < N; i++) {
    snprintf(id, sizeof id, "doc%05d", i);
    tr_doc *d = tr_corpus_find(c, id);
    assert_non_null(d);
    assert_string_equal(d->id, id);
  }
  tr_corpus_sort(c);
  for (int i = 0; i < N; i++) {
    tr_doc *d = tr_corpus_doc(c, (size_t)i);
    snprintf(id, sizeof id, "doc%05d", i);
    assert_string_equal(d->id, id);
    assert_ptr_equal(tr_corpus_find(c, id), d);
  }
  assert_null(tr_corpus_find(c, "doc20000"));
  tr_corpus_free(c);
}

static void test_sort_byte_order(void **state) {
  static const char *in[] = {"b", "a/x", "a.txt", "a-b/c",
                             "B", "\xC3\xA9", "a"};
  static const char *out[] = {"B", "a", "a-b/c", "a.txt",
                              "a/x", "b", "\xC3\xA9"};
  tr_corpus *c = tr_corpus_new();
  (void)state;
  for (size_t i = 0; i < 7; i++)
    tr_corpus_add(c, in[i], "p", "t", 1, 0, NULL);
  tr_corpus_sort(c);
  for (size_t i = 0; i < 7; i++) {
    assert_string_equal(tr_corpus_doc(c, i)->id, out[i]);
    assert_ptr_equal(tr_corpus_find(c, out[i]), tr_corpus_doc(c, i));
  }
  tr_corpus_free(c);
}

static void test_doc_set(void **state) {
  tr_corpus *c = tr_corpus_new();
  tr_doc *d = tr_corpus_add(c, "a", "a.txt", "T\n", 2, 0, NULL);
  (void)state;
  assert_int_equal(tr_doc_set(d, "title", "New"), 0);
  assert_string_equal(d->title, "New");
  assert_int_equal(tr_doc_set(d, "date", "2020-07-22"), 0);
  assert_string_equal(d->date, "2020-07-22");
  assert_int_equal(tr_doc_set(d, "source", "INSS"), 0);
  assert_int_equal(tr_doc_set(d, "author", "Yaron Schneider"), 0);
  assert_int_equal(tr_doc_set(d, "meta", "{\"k\":1}"), 0);
  assert_string_equal(d->source, "INSS");
  assert_string_equal(d->author, "Yaron Schneider");
  assert_string_equal(d->meta, "{\"k\":1}");
  assert_int_equal(tr_doc_set(d, "date", NULL), 0);
  assert_null(d->date);
  assert_int_equal(tr_doc_set(d, "title", NULL), 0);
  assert_string_equal(d->title, ""); /* never NULL */
  assert_int_equal(tr_doc_set(d, "id", "b"), -1);
  assert_int_equal(tr_doc_set(d, "nope", "b"), -1);
  assert_string_equal(d->id, "a");
  tr_corpus_free(c);
}

static void test_regions_and_views(void **state) {
  tr_corpus *c = tr_corpus_new();
  size_t pg = 4096;
  char *m = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                 -1, 0);
  char *h = strdup("heap region: second doc");
  tr_doc *d1, *d2;
  (void)state;
  assert_true(m != MAP_FAILED);
  memcpy(m, "first doc\nin a mapping", 22);
  assert_int_equal(tr_corpus_adopt_region(c, m, pg, 1), 0);
  assert_int_equal(tr_corpus_adopt_region(c, h, strlen(h) + 1, 0), 0);
  d1 = tr_corpus_add_view(c, "m", "m.txt", m, 22, NULL);
  d2 = tr_corpus_add_view(c, "h", "h.txt", h + 13, 10, NULL);
  assert_ptr_equal(d1->text, m);
  assert_ptr_equal(d2->text, h + 13);
  assert_string_equal(d1->title, "first doc");
  assert_string_equal(d2->title, "second doc");
  assert_int_equal(d1->hash, XXH3_64bits(m, 22));
  tr_corpus_free(c); /* unmaps m, frees h: ASan/LSan check both */
}

/* tr_analyze without given tokens must equal the tokenizer and segmenter
** run directly; with given tokens it must keep them exactly. */
static void test_analyze(void **state) {
  static const char text[] = "Iraq's PM spoke. Militias left.\n\nA new day.";
  tr_corpus *c = tr_corpus_new();
  tr_doc *d = tr_corpus_add(c, "a", "a.txt", text, sizeof text - 1, 0, NULL);
  tr_analysis a;
  tr_tokens t;
  tr_spans s, p;
  tr_tok_opts fold = {1};
  (void)state;

  tr_analysis_init(&a);
  assert_int_equal(tr_analyze(d, NULL, &a), 0);
  tr_tokens_init(&t), tr_spans_init(&s), tr_spans_init(&p);
  assert_int_equal(tr_tokenize(d->text, d->len, NULL, &t), 0);
  assert_int_equal(tr_sentences(d->text, d->len, &t, &s), 0);
  assert_int_equal(tr_paragraphs(d->text, d->len, &t, &p), 0);
  assert_int_equal(a.toks.n, t.n);
  assert_true(t.n > 0);
  for (size_t i = 0; i < t.n; i++) {
    assert_int_equal(a.toks.v[i].start, t.v[i].start);
    assert_int_equal(a.toks.v[i].len, t.v[i].len);
  }
  assert_int_equal(a.sents.n, s.n);
  assert_int_equal(a.paras.n, p.n);
  tr_analysis_free(&a);
  tr_tokens_free(&t), tr_spans_free(&s), tr_spans_free(&p);

  /* Given: "Iraq's" as one token, and one sentence over the first two
  ** tokens only; the analysis must not re-tokenize. */
  d->given = malloc(sizeof *d->given);
  d->given_sents = malloc(sizeof *d->given_sents);
  tr_tokens_init(d->given);
  tr_spans_init(d->given_sents);
  assert_int_equal(tr_tokens_add(d->given, d->text, 0, 6, NULL), 0);
  assert_int_equal(tr_tokens_add(d->given, d->text, 7, 2, NULL), 0);
  assert_int_equal(tr_spans_push(d->given_sents, 0, 9, 0, 2), 0);
  for (int pass = 0; pass < 2; pass++) { /* default, then folding */
    tr_analysis_init(&a);
    assert_int_equal(tr_analyze(d, pass ? &fold : NULL, &a), 0);
    assert_int_equal(a.toks.n, 2);
    assert_int_equal(a.toks.v[0].start, 0);
    assert_int_equal(a.toks.v[0].len, 6);
    assert_int_equal(a.toks.v[1].start, 7);
    assert_int_equal(a.toks.v[1].len, 2);
    assert_int_equal(a.sents.n, 1);
    assert_int_equal(a.sents.v[0].stop, 9);
    assert_int_equal(a.sents.v[0].tok_count, 2);
    if (!pass) { /* the norms are the stored ones */
      size_t n1, n2;
      const char *x = tr_tokens_norm(&a.toks, 0, &n1);
      const char *y = tr_tokens_norm(d->given, 0, &n2);
      assert_int_equal(n1, n2);
      assert_memory_equal(x, y, n1);
      assert_ptr_not_equal(a.toks.v, d->given->v); /* a copy */
    }
    tr_analysis_free(&a);
  }
  /* given tokens without given sentences: sentences are computed */
  tr_spans_free(d->given_sents);
  free(d->given_sents);
  d->given_sents = NULL;
  tr_analysis_init(&a);
  assert_int_equal(tr_analyze(d, NULL, &a), 0);
  assert_int_equal(a.toks.n, 2);
  tr_spans_init(&s);
  assert_int_equal(tr_sentences(d->text, d->len, d->given, &s), 0);
  assert_int_equal(a.sents.n, s.n);
  tr_spans_free(&s);
  tr_analysis_free(&a);
  tr_corpus_free(c); /* frees d->given */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_add_find),
      cmocka_unit_test(test_keep),
      cmocka_unit_test(test_duplicates),
      cmocka_unit_test(test_many_and_sort),
      cmocka_unit_test(test_sort_byte_order),
      cmocka_unit_test(test_doc_set),
      cmocka_unit_test(test_regions_and_views),
      cmocka_unit_test(test_analyze),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

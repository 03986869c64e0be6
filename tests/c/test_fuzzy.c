/*
** test_fuzzy.c — linking by name key (engine/fuzzy.c).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "fuzzy.h"

typedef struct found {
  const char *text;   /* covered text */
  uint32_t value;
} found;

/* Tokenize text, add an exact match (if exact_at), run the fuzzy pass, and
** compare the fuzzy matches with want[0..n). */
static void check(tr_fuzzy *f, const char *text, const found *want, size_t n,
                  const char *exact_at, uint32_t exact_value) {
  tr_tokens t;
  tr_tokens_init(&t);
  assert_int_equal(tr_tokenize(text, strlen(text), NULL, &t), 0);
  tr_matches out;
  tr_matches_init(&out);
  size_t nexact = 0;
  if (exact_at) {
    const char *p = strstr(text, exact_at);
    assert_non_null(p);
    tr_match x = {(uint64_t)(p - text), (uint64_t)(p - text + strlen(exact_at)),
                  TR_NO_TOKEN, 0, 0, exact_value, 0, 1.0f, UINT32_MAX};
    tr_matches_push(&out, &x);
    nexact = 1;
  }
  assert_int_equal(tr_fuzzy_match(f, text, &t, &out), 0);
  size_t got = 0;
  for (size_t i = 0; i < out.n; i++) {
    const tr_match *x = &out.v[i];
    if (x->extra == UINT32_MAX) continue; /* the exact one */
    int ok = 0;
    for (size_t k = 0; k < n; k++)
      ok |= strlen(want[k].text) == x->stop - x->start &&
            memcmp(text + x->start, want[k].text, x->stop - x->start) == 0 &&
            want[k].value == x->value;
    if (!ok)
      print_message("unexpected: %.*s (%u)\n", (int)(x->stop - x->start),
                    text + x->start, x->value);
    assert_true(ok);
    assert_true(x->score >= 0.9f && x->score <= 1.0f);
    assert_non_null(tr_fuzzy_alias(f, x->extra, NULL));
    got++;
  }
  assert_int_equal(got, n);
  assert_true(out.n == got + nexact);
  tr_matches_free(&out);
  tr_tokens_free(&t);
}

static tr_fuzzy *sample(void) {
  tr_fuzzy *f = tr_fuzzy_new();
  assert_non_null(f);
  assert_int_equal(tr_fuzzy_add(f, "Mustafa al-Kadhimi", 1, 0, 0, 0, 1), 0);
  assert_int_equal(tr_fuzzy_add(f, "Kataib Hezbollah", 2, 0, 0, 0, 0), 0);
  assert_int_equal(tr_fuzzy_add(f, "Popular Mobilization Forces", 3, 0, 0, 0, 0), 0);
  assert_int_equal(tr_fuzzy_add(f, "Qassem al-Araji", 4, 0, 0, 0, 1), 0);
  assert_int_equal(tr_fuzzy_add(f, "Qassem Soleimani", 5, 0, 0, 0, 1), 0);
  assert_int_equal(tr_fuzzy_compile(f), 0);
  return f;
}

static void test_spellings_link(void **state) {
  (void)state;
  tr_fuzzy *f = sample();
  const found a[] = {{"Mustafa Al-Kazemi", 1}, {"Kathaib Hezbollah", 2}};
  check(f, "Mustafa Al-Kazemi said Kathaib Hezbollah must stop.", a, 2, NULL, 0);
  const found b[] = {{"Kazime", 1}};
  check(f, "The Kazime government.", b, 1, NULL, 0);
  /* A person by the last part alone; an organisation not. */
  const found c[] = {{"Kadhimi", 1}};
  check(f, "Kadhimi spoke. Forces moved.", c, 1, NULL, 0);
  tr_fuzzy_free(f);
}

static void test_keeps_apart(void **state) {
  (void)state;
  tr_fuzzy *f = sample();
  const found a[] = {{"Qasim al-Araji", 4}};
  check(f, "Qasim al-Araji met officials.", a, 1, NULL, 0);
  const found none[] = {{"", 0}};
  check(f, "Ali Khamenei and Hakim and the Iraqi Forces.", none, 0, NULL, 0);
  tr_fuzzy_free(f);
}

static void test_exact_wins_and_lines_break(void **state) {
  (void)state;
  tr_fuzzy *f = sample();
  const found none[] = {{"", 0}};
  /* The same span and value found exactly: no fuzzy duplicate. */
  check(f, "Then Al-Kazemi left.", none, 0, "Al-Kazemi", 1);
  /* A name does not run on across a line break. */
  const found two[] = {{"Kazemi", 1}, {"Kazemi", 1}};
  check(f, "Kazemi\n\nKazemi", two, 2, NULL, 0);
  tr_fuzzy_free(f);
}

static void test_empty(void **state) {
  (void)state;
  tr_fuzzy *f = tr_fuzzy_new();
  assert_int_equal(tr_fuzzy_add(f, "...", 1, 0, 0, 0, 0), 0); /* no letters */
  assert_int_equal(tr_fuzzy_count(f), 0);
  assert_int_equal(tr_fuzzy_compile(f), 0);
  const found none[] = {{"", 0}};
  check(f, "Kazemi", none, 0, NULL, 0);
  assert_null(tr_fuzzy_alias(f, 0, NULL));
  tr_fuzzy_free(f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_spellings_link),
    cmocka_unit_test(test_keeps_apart),
    cmocka_unit_test(test_exact_wins_and_lines_break),
    cmocka_unit_test(test_empty),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

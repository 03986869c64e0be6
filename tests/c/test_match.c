/*
** test_match.c — the overlap policy and match lists (engine/match.c).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <time.h>

#include "match.h"

static tr_match mk(uint64_t start, uint64_t stop, uint32_t rule,
                   uint32_t value, int32_t priority) {
  tr_match m = {start, stop, TR_NO_TOKEN, 0, rule, value, priority, 1.0f,
                UINT32_MAX};
  return m;
}

static void push_all(tr_matches *ms, const tr_match *v, size_t n) {
  for (size_t i = 0; i < n; i++) assert_int_equal(tr_matches_push(ms, &v[i]), 0);
}

/* Longest span wins over shorter ones it overlaps. */
static void test_longest_wins(void **state) {
  (void)state;
  tr_matches ms;
  tr_matches_init(&ms);
  tr_match v[] = {mk(7, 16, 0, 1, 0),   /* "Hezbollah" */
                  mk(0, 16, 1, 2, 0),   /* "Kataib Hezbollah" */
                  mk(20, 25, 0, 3, 0)}; /* elsewhere */
  push_all(&ms, v, 3);
  tr_matches_resolve(&ms);
  assert_int_equal(ms.n, 2);
  assert_int_equal(ms.v[0].start, 0);
  assert_int_equal(ms.v[0].value, 2);
  assert_int_equal(ms.v[1].start, 20);
  tr_matches_free(&ms);
}

/* Equal length: higher priority, then lower rule index. */
static void test_priority_then_rule_order(void **state) {
  (void)state;
  tr_matches ms;
  tr_matches_init(&ms);
  tr_match v[] = {mk(0, 5, 3, 1, 0), mk(0, 5, 4, 2, 5), mk(0, 5, 1, 3, 0)};
  push_all(&ms, v, 3);
  tr_matches_resolve(&ms);
  assert_int_equal(ms.n, 1);
  assert_int_equal(ms.v[0].value, 2); /* priority 5 */
  tr_matches_clear(&ms);
  tr_match w[] = {mk(0, 5, 3, 1, 0), mk(0, 5, 1, 3, 0)};
  push_all(&ms, w, 2);
  tr_matches_resolve(&ms);
  assert_int_equal(ms.n, 1);
  assert_int_equal(ms.v[0].rule, 1);
  tr_matches_free(&ms);
}

/* Equal length, priority and rule: the earlier start wins; touching spans
** do not overlap. */
static void test_earlier_and_adjacent(void **state) {
  (void)state;
  tr_matches ms;
  tr_matches_init(&ms);
  tr_match v[] = {mk(3, 8, 0, 1, 0), mk(0, 5, 0, 1, 0), mk(5, 10, 0, 1, 0)};
  push_all(&ms, v, 3);
  tr_matches_resolve(&ms);
  assert_int_equal(ms.n, 2);
  assert_int_equal(ms.v[0].start, 0);
  assert_int_equal(ms.v[1].start, 5);
  tr_matches_free(&ms);
}

/* dedup keeps overlaps, drops exact duplicates, sorts by position. */
static void test_dedup(void **state) {
  (void)state;
  tr_matches ms;
  tr_matches_init(&ms);
  tr_match v[] = {mk(4, 6, 0, 1, 0), mk(0, 6, 0, 1, 0), mk(4, 6, 0, 1, 0),
                  mk(4, 6, 0, 2, 0)};
  push_all(&ms, v, 4);
  tr_matches_dedup(&ms);
  assert_int_equal(ms.n, 3);
  assert_int_equal(ms.v[0].start, 0);
  assert_int_equal(ms.v[1].value, 1);
  assert_int_equal(ms.v[2].value, 2);
  tr_matches_free(&ms);
}

/* Many random matches: the survivors never overlap and every rejected
** match overlaps a survivor at least as preferred. */
static void test_random_no_overlap(void **state) {
  (void)state;
  tr_matches ms, all;
  tr_matches_init(&ms);
  tr_matches_init(&all);
  uint32_t seed = 12345;
  for (int i = 0; i < 5000; i++) {
    seed = seed * 1103515245u + 12345u;
    uint64_t s = (seed >> 8) % 10000;
    uint64_t len = 1 + (seed >> 20) % 30;
    tr_match m = mk(s, s + len, (seed >> 3) % 7, i, (int32_t)((seed >> 5) % 3));
    tr_matches_push(&ms, &m);
    tr_matches_push(&all, &m);
  }
  tr_matches_resolve(&ms);
  for (size_t i = 1; i < ms.n; i++) assert_true(ms.v[i - 1].stop <= ms.v[i].start);
  for (size_t i = 0; i < all.n; i++) {
    const tr_match *x = &all.v[i];
    int kept = 0, blocked = 0;
    for (size_t k = 0; k < ms.n; k++) {
      const tr_match *y = &ms.v[k];
      if (y->start == x->start && y->stop == x->stop && y->value == x->value) kept = 1;
      else if (y->start < x->stop && x->start < y->stop &&
               y->stop - y->start >= x->stop - x->start) blocked = 1;
    }
    assert_true(kept || blocked);
  }
  tr_matches_free(&ms);
  tr_matches_free(&all);
}

/* Many matches on a long document resolve in n log n: 300,000 adjacent
** and nested matches take well under a second (the old sorted-insert
** version took minutes). */
static void test_many_matches_fast(void **state) {
  (void)state;
  tr_matches ms;
  tr_matches_init(&ms);
  for (uint64_t i = 0; i < 100000; i++) {
    tr_match a = mk(i * 20, i * 20 + 10, 0, 1, 0);
    tr_match b = mk(i * 20 + 2, i * 20 + 5, 1, 2, 0);
    tr_match c = mk(i * 20 + 8, i * 20 + 15, 2, 3, 0);
    tr_matches_push(&ms, &a);
    tr_matches_push(&ms, &b);
    tr_matches_push(&ms, &c);
  }
  clock_t t0 = clock();
  tr_matches_resolve(&ms);
  double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
  assert_int_equal(ms.n, 100000);
  for (size_t i = 0; i < ms.n; i++) assert_int_equal(ms.v[i].value, 1);
  assert_true(secs < 1.0);
  tr_matches_free(&ms);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_longest_wins),
    cmocka_unit_test(test_priority_then_rule_order),
    cmocka_unit_test(test_earlier_and_adjacent),
    cmocka_unit_test(test_dedup),
    cmocka_unit_test(test_random_no_overlap),
    cmocka_unit_test(test_many_matches_fast),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
** match.c — match lists and the overlap policy shared by every matcher.
*/
#include <stdlib.h>
#include <string.h>

#include "match.h"

void tr_matches_init(tr_matches *m) { memset(m, 0, sizeof *m); }

void tr_matches_free(tr_matches *m) {
  free(m->v);
  tr_matches_init(m);
}

void tr_matches_clear(tr_matches *m) { m->n = 0; }

int tr_matches_push(tr_matches *m, const tr_match *x) {
  if (m->n == m->cap) {
    size_t cap = m->cap ? m->cap * 2 : 16;
    tr_match *v = realloc(m->v, cap * sizeof *v);
    if (v == NULL) return -1;
    m->v = v;
    m->cap = cap;
  }
  m->v[m->n++] = *x;
  return 0;
}

static int cmp_u64(uint64_t a, uint64_t b) { return (a > b) - (a < b); }

/* Text order: start, longer first, rule, value. */
static int by_position(const void *pa, const void *pb) {
  const tr_match *a = pa, *b = pb;
  int c = cmp_u64(a->start, b->start);
  if (c) return c;
  if ((c = cmp_u64(b->stop, a->stop))) return c;
  if ((c = cmp_u64(a->rule, b->rule))) return c;
  return cmp_u64(a->value, b->value);
}

/* Preference order of the overlap policy. */
static int by_preference(const void *pa, const void *pb) {
  const tr_match *a = pa, *b = pb;
  int c = cmp_u64(b->stop - b->start, a->stop - a->start);
  if (c) return c;
  if (a->priority != b->priority) return a->priority > b->priority ? -1 : 1;
  if ((c = cmp_u64(a->rule, b->rule))) return c;
  if ((c = cmp_u64(a->start, b->start))) return c;
  return cmp_u64(a->value, b->value);
}

void tr_matches_sort(tr_matches *m) {
  if (m->n > 1) qsort(m->v, m->n, sizeof *m->v, by_position);
}

static int same(const tr_match *a, const tr_match *b) {
  return a->start == b->start && a->stop == b->stop && a->rule == b->rule &&
         a->value == b->value;
}

void tr_matches_dedup(tr_matches *m) {
  tr_matches_sort(m);
  size_t k = 0;
  for (size_t i = 0; i < m->n; i++)
    if (k == 0 || !same(&m->v[k - 1], &m->v[i])) m->v[k++] = m->v[i];
  m->n = k;
}

/* The greedy choice of tr_matches_resolve: take candidates in preference
** order and keep those that overlap nothing kept so far. Overlap is tested
** on a bitmap of the bytes kept, so the cost is O(n log n) for the sort
** plus the bytes the matches cover; keeping the kept list sorted instead
** was quadratic in the number of matches on long documents. */
void tr_matches_resolve(tr_matches *m) {
  if (m->n < 2) return;
  uint64_t lo = UINT64_MAX, hi = 0;
  for (size_t i = 0; i < m->n; i++) {
    if (m->v[i].start < lo) lo = m->v[i].start;
    if (m->v[i].stop > hi) hi = m->v[i].stop;
  }
  size_t words = (size_t)((hi - lo + 63) / 64) + 1;
  uint64_t *used = calloc(words, sizeof *used);
  if (used == NULL) return; /* keep every match rather than lose any */
  qsort(m->v, m->n, sizeof *m->v, by_preference);
  size_t kept = 0;
  for (size_t i = 0; i < m->n; i++) {
    tr_match x = m->v[i];
    uint64_t b = x.start - lo, e = x.stop - lo, k;
    for (k = b; k < e; k++) /* word at a time where aligned */
      if (k % 64 == 0 && k + 64 <= e) {
        if (used[k / 64]) break;
        k += 63;
      } else if (used[k / 64] >> (k % 64) & 1) {
        break;
      }
    if (k < e) continue; /* overlaps a kept match */
    for (k = b; k < e; k++) used[k / 64] |= (uint64_t)1 << (k % 64);
    m->v[kept++] = x;
  }
  free(used);
  m->n = kept;
  tr_matches_sort(m);
}

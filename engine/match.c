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

/* Index of the first kept interval whose stop is after `start`, in a list
** sorted by start with no overlaps (so stops are sorted too). */
static size_t first_ending_after(const tr_match *kept, size_t n,
                                 uint64_t start) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (kept[mid].stop <= start) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

void tr_matches_resolve(tr_matches *m) {
  if (m->n < 2) return;
  qsort(m->v, m->n, sizeof *m->v, by_preference);
  /* Greedy: take candidates in preference order, keep those that overlap
  ** nothing kept so far. Kept ones live at the front of the same array,
  ** in text order, so the overlap test is a binary search. */
  size_t kept = 0;
  for (size_t i = 0; i < m->n; i++) {
    tr_match x = m->v[i];
    size_t at = first_ending_after(m->v, kept, x.start);
    /* An empty match overlaps nothing; otherwise the next kept interval
    ** must start at or after x's stop. */
    if (at < kept && m->v[at].start < x.stop && x.stop > x.start) continue;
    memmove(&m->v[at + 1], &m->v[at], (kept - at) * sizeof *m->v);
    m->v[at] = x;
    kept++;
  }
  m->n = kept;
}

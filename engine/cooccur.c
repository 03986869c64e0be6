/*
** cooccur.c — entity co-occurrence: which entities are mentioned in the
** same document, paragraph or sentence (counted once per unit), or within
** a window of N tokens of each other (counted per pair of mentions). The
** counts are what an association measure needs: units per entity, units
** per pair, units in all.
*/
#include <stdlib.h>
#include <string.h>

#include "stats.h"

void tr_cooc_init(tr_cooc *k) { memset(k, 0, sizeof *k); }

void tr_cooc_free(tr_cooc *k) {
  free(k->mentions);
  free(k->units);
  free(k->type);
  free(k->pairs);
  memset(k, 0, sizeof *k);
}

static int cooc_reserve(tr_cooc *k, size_t need, size_t *cap) {
  if (need <= *cap) return 0;
  size_t n = *cap ? *cap : 256;
  while (n < need) n *= 2;
  uint64_t *m = realloc(k->mentions, n * sizeof *m);
  if (m == NULL) return -1;
  k->mentions = m;
  uint64_t *u = realloc(k->units, n * sizeof *u);
  if (u == NULL) return -1;
  k->units = u;
  uint32_t *t = realloc(k->type, n * sizeof *t);
  if (t == NULL) return -1;
  k->type = t;
  for (size_t i = *cap; i < n; i++) {
    k->mentions[i] = k->units[i] = 0;
    k->type[i] = UINT32_MAX;
  }
  *cap = n;
  return 0;
}

/* Grow the per-unit scratch arrays to hold n mentions. */
static int scratch_reserve(uint32_t **ents, uint64_t **pos, size_t *cap,
                           size_t n) {
  size_t m = n * 2;
  uint32_t *e = realloc(*ents, m * sizeof *e);
  if (e == NULL) return -1;
  *ents = e;
  uint64_t *p = realloc(*pos, m * sizeof *p);
  if (p == NULL) return -1;
  *pos = p;
  *cap = m;
  return 0;
}

static int cmp_u32(const void *x, const void *y) {
  uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
  return (a > b) - (a < b);
}

static int pair_add(tr_u64map *pm, uint32_t a, uint32_t b) {
  if (a > b) {
    uint32_t t = a;
    a = b;
    b = t;
  }
  uint64_t *v = tr_u64map_get(pm, (uint64_t)a << 32 | b, NULL);
  if (v == NULL) return -1;
  (*v)++;
  return 0;
}

/* One unit holding the entities ents[0..n) (with repeats). */
static int unit_done(tr_cooc *k, tr_u64map *pm, uint32_t *ents, size_t n) {
  qsort(ents, n, sizeof *ents, cmp_u32);
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (m == 0 || ents[m - 1] != ents[i]) ents[m++] = ents[i];
  for (size_t i = 0; i < m; i++) {
    k->units[ents[i]]++;
    for (size_t j = i + 1; j < m; j++)
      if (pair_add(pm, ents[i], ents[j]) != 0) return -1;
  }
  return 0;
}

/* Is span sp (a paragraph or sentence) in a skipped paragraph? */
static int span_skipped(const tr_walk *w, const tr_span *sp) {
  return w->skip && sp->tok_count && w->skip[sp->tok_first];
}

static int cmp_pair(const void *x, const void *y) {
  const tr_cooc_pair *a = x, *b = y;
  if (a->count != b->count) return a->count > b->count ? -1 : 1;
  if (a->a != b->a) return a->a < b->a ? -1 : 1;
  return (a->b > b->b) - (a->b < b->b);
}

int tr_cooc_run(tr_cooc *k, const tr_corpus *c, const tr_cooc_opts *o,
                const tr_walk_opts *wo, char **err) {
  *err = NULL;
  if (wo->ms == NULL) {
    *err = strdup("co-occurrence needs mentions");
    return -1;
  }
  tr_walk_opts wopt = *wo;
  wopt.analyze = o->within != TR_WITHIN_DOC;
  size_t cap = 0;
  tr_u64map pm;
  tr_u64map_init(&pm);
  uint32_t *ents = NULL;   /* entities of the current unit */
  uint64_t *pos = NULL;    /* window: counted position per mention */
  size_t ecap = 0;
  tr_walk w;
  int r = tr_walk_begin(&w, c, &wopt, err);
  while (r == 0 && (r = tr_walk_next(&w)) == 1) {
    r = 0;
    const tr_msrc *s = wopt.ms;
    if (cooc_reserve(k, s->ents.n, &cap) != 0 ||
        (w.nm > ecap && scratch_reserve(&ents, &pos, &ecap, w.nm) != 0)) {
      r = -1;
      break;
    }
    for (size_t i = 0; i < w.nm; i++) {
      k->mentions[w.m[i].entity]++;
      if (k->type[w.m[i].entity] == UINT32_MAX)
        k->type[w.m[i].entity] = w.m[i].type;
    }
    if (o->within == TR_WITHIN_WINDOW) {
      const tr_tokens *tk = &w.a.toks;
      /* Counted position of each mention's first token. */
      uint64_t nc = 0;
      size_t mi = 0;
      for (size_t i = 0; i <= tk->n; i++) {
        while (mi < w.nm && w.m[mi].tok <= i) pos[mi++] = nc;
        if (i < tk->n && tr_counted(&tk->v[i], o->punct) &&
            !(w.skip && w.skip[i]))
          nc++;
      }
      while (mi < w.nm) pos[mi++] = nc;
      k->N += nc;
      for (size_t i = 0; i < w.nm && r == 0; i++) {
        k->units[w.m[i].entity]++;
        for (size_t j = i + 1; j < w.nm && pos[j] - pos[i] <= o->window; j++)
          if (w.m[j].entity != w.m[i].entity &&
              pair_add(&pm, w.m[i].entity, w.m[j].entity) != 0)
            r = -1;
      }
      continue;
    }
    const tr_spans *sp = o->within == TR_WITHIN_PARA ? &w.a.paras
                       : o->within == TR_WITHIN_SENT ? &w.a.sents : NULL;
    if (sp == NULL) {
      k->N++;
      for (size_t i = 0; i < w.nm; i++) ents[i] = w.m[i].entity;
      if (w.nm && unit_done(k, &pm, ents, w.nm) != 0) r = -1;
      continue;
    }
    for (size_t u = 0; u < sp->n; u++)
      if (!span_skipped(&w, &sp->v[u])) k->N++;
    size_t i = 0;
    while (i < w.nm && r == 0) {
      size_t unit = tr_span_at(sp, w.m[i].start), n = 0;
      while (i < w.nm && tr_span_at(sp, w.m[i].start) == unit)
        ents[n++] = w.m[i++].entity;
      if (unit < sp->n && span_skipped(&w, &sp->v[unit])) continue;
      if (unit_done(k, &pm, ents, n) != 0) r = -1;
    }
  }
  tr_walk_end(&w);
  free(ents);
  free(pos);
  if (r == 0) {
    k->nent = wopt.ms->ents.n;
    if (cooc_reserve(k, k->nent, &cap) != 0) r = -1;
  }
  if (r == 0) {
    k->pairs = malloc((pm.n ? pm.n : 1) * sizeof *k->pairs);
    if (k->pairs == NULL) r = -1;
  }
  if (r == 0) {
    for (size_t i = 0; pm.mask && i <= pm.mask; i++) {
      if (pm.keys[i] == UINT64_MAX) continue;
      k->pairs[k->npairs++] = (tr_cooc_pair){(uint32_t)(pm.keys[i] >> 32),
                                             (uint32_t)pm.keys[i], pm.vals[i]};
    }
    qsort(k->pairs, k->npairs, sizeof *k->pairs, cmp_pair);
  }
  tr_u64map_free(&pm);
  return r < 0 ? -1 : 0;
}

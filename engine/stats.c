/*
** stats.c — what every analysis pass shares: interned strings, a 64-bit
** hash map, mention sources (the store, a list, a matcher) and the walker
** that hands documents out one at a time, analysed into one reused
** tr_analysis, with repeated paragraphs marked when asked.
*/
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "stats.h"

/* ------------------------------------------------------------------ */
/* Interned strings                                                    */
/* ------------------------------------------------------------------ */

void tr_intern_init(tr_intern *t) { memset(t, 0, sizeof *t); }

void tr_intern_free(tr_intern *t) {
  free(t->slots);
  free(t->off);
  free(t->len);
  free(t->arena);
  memset(t, 0, sizeof *t);
}

static uint64_t str_hash(const char *s, size_t len) {
  return XXH3_64bits(s, len);
}

/* Slot where s lives or would go. */
static size_t intern_slot(const tr_intern *t, const char *s, size_t len,
                          uint64_t h) {
  uint32_t frag = (uint32_t)(h >> 32);
  size_t i = (size_t)h & t->mask;
  for (;;) {
    const tr_islot *sl = &t->slots[i];
    if (sl->id1 == 0) return i;
    if (sl->hfrag == frag) {
      uint32_t id = sl->id1 - 1;
      if (t->len[id] == len && memcmp(t->arena + t->off[id], s, len) == 0)
        return i;
    }
    i = (i + 1) & t->mask;
  }
}

/* Double the slot table (or make the first one). */
static int intern_rehash(tr_intern *t) {
  size_t cap = t->mask ? (t->mask + 1) * 2 : 256;
  tr_islot *slots = calloc(cap, sizeof *slots);
  if (slots == NULL) return -1;
  free(t->slots);
  t->slots = slots;
  t->mask = cap - 1;
  for (size_t id = 0; id < t->n; id++) {
    uint64_t h = str_hash(t->arena + t->off[id], t->len[id]);
    size_t i = (size_t)h & t->mask;
    while (slots[i].id1) i = (i + 1) & t->mask;
    slots[i].id1 = (uint32_t)id + 1;
    slots[i].hfrag = (uint32_t)(h >> 32);
  }
  return 0;
}

int64_t tr_intern_find(const tr_intern *t, const char *s, size_t len) {
  if (t->mask == 0) return -1;
  size_t i = intern_slot(t, s, len, str_hash(s, len));
  return t->slots[i].id1 ? (int64_t)t->slots[i].id1 - 1 : -1;
}

int64_t tr_intern_add(tr_intern *t, const char *s, size_t len, int *added) {
  if (added) *added = 0;
  if (len > UINT32_MAX || t->n >= UINT32_MAX - 1) return -1;
  if ((t->n + 1) * 2 > t->mask + 1 && intern_rehash(t) != 0) return -1;
  uint64_t h = str_hash(s, len);
  size_t i = intern_slot(t, s, len, h);
  if (t->slots[i].id1) return (int64_t)t->slots[i].id1 - 1;
  if (t->n == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 256;
    uint64_t *off = realloc(t->off, cap * sizeof *off);
    if (off == NULL) return -1;
    t->off = off;
    uint32_t *ln = realloc(t->len, cap * sizeof *ln);
    if (ln == NULL) return -1;
    t->len = ln;
    t->cap = cap;
  }
  if (t->arena_n + len > t->arena_cap) {
    size_t cap = t->arena_cap ? t->arena_cap : 4096;
    while (cap < t->arena_n + len) cap *= 2;
    char *a = realloc(t->arena, cap);
    if (a == NULL) return -1;
    t->arena = a;
    t->arena_cap = cap;
  }
  if (len) memcpy(t->arena + t->arena_n, s, len);
  t->off[t->n] = t->arena_n;
  t->len[t->n] = (uint32_t)len;
  t->arena_n += len;
  t->slots[i].id1 = (uint32_t)t->n + 1;
  t->slots[i].hfrag = (uint32_t)(h >> 32);
  if (added) *added = 1;
  return (int64_t)t->n++;
}

/* ------------------------------------------------------------------ */
/* 64-bit map                                                          */
/* ------------------------------------------------------------------ */

/* splitmix64's finalizer: keys are often small or sequential. */
static uint64_t mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

void tr_u64map_init(tr_u64map *m) { memset(m, 0, sizeof *m); }

void tr_u64map_free(tr_u64map *m) {
  free(m->keys);
  free(m->vals);
  memset(m, 0, sizeof *m);
}

static int u64map_rehash(tr_u64map *m) {
  size_t old = m->mask ? m->mask + 1 : 0, cap = old ? old * 2 : 64;
  uint64_t *keys = malloc(cap * sizeof *keys);
  uint64_t *vals = malloc(cap * sizeof *vals);
  if (keys == NULL || vals == NULL) {
    free(keys);
    free(vals);
    return -1;
  }
  memset(keys, 0xff, cap * sizeof *keys);
  for (size_t i = 0; i < old; i++) {
    if (m->keys[i] == UINT64_MAX) continue;
    size_t j = (size_t)mix64(m->keys[i]) & (cap - 1);
    while (keys[j] != UINT64_MAX) j = (j + 1) & (cap - 1);
    keys[j] = m->keys[i];
    vals[j] = m->vals[i];
  }
  free(m->keys);
  free(m->vals);
  m->keys = keys;
  m->vals = vals;
  m->mask = cap - 1;
  return 0;
}

uint64_t *tr_u64map_find(const tr_u64map *m, uint64_t key) {
  if (m->mask == 0) return NULL;
  size_t i = (size_t)mix64(key) & m->mask;
  while (m->keys[i] != UINT64_MAX) {
    if (m->keys[i] == key) return &m->vals[i];
    i = (i + 1) & m->mask;
  }
  return NULL;
}

uint64_t *tr_u64map_get(tr_u64map *m, uint64_t key, int *added) {
  if (added) *added = 0;
  if ((m->n + 1) * 2 > (m->mask ? m->mask + 1 : 0) && u64map_rehash(m) != 0)
    return NULL;
  size_t i = (size_t)mix64(key) & m->mask;
  while (m->keys[i] != UINT64_MAX) {
    if (m->keys[i] == key) return &m->vals[i];
    i = (i + 1) & m->mask;
  }
  m->keys[i] = key;
  m->vals[i] = 0;
  m->n++;
  if (added) *added = 1;
  return &m->vals[i];
}

/* ------------------------------------------------------------------ */
/* Spans and tokens by byte offset                                     */
/* ------------------------------------------------------------------ */

size_t tr_span_at(const tr_spans *spans, uint64_t off) {
  size_t lo = 0, hi = spans->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (spans->v[mid].stop <= off) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

size_t tr_token_at(const tr_tokens *t, uint64_t off) {
  size_t lo = 0, hi = t->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (t->v[mid].start + t->v[mid].len <= off) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

uint64_t tr_para_hash(const tr_analysis *a, const tr_span *p,
                      uint32_t *words) {
  /* Chained: each norm is hashed with the hash so far as its seed, so the
  ** order of the words matters and nothing is copied. */
  uint64_t h = 0x7472617716b3f00dULL;
  uint32_t n = 0;
  uint32_t end = p->tok_first + p->tok_count;
  for (uint32_t i = p->tok_first; i < end && i < a->toks.n; i++) {
    const tr_token *t = &a->toks.v[i];
    if (!tr_counted(t, 0)) continue;
    size_t len;
    const char *s = tr_tokens_norm(&a->toks, i, &len);
    h = XXH3_64bits_withSeed(s, len, h);
    n++;
  }
  *words = n;
  return h == UINT64_MAX ? 0 : h; /* UINT64_MAX marks empty map slots */
}

/* ------------------------------------------------------------------ */
/* Mention sources                                                     */
/* ------------------------------------------------------------------ */

void tr_msrc_init(tr_msrc *s) { memset(s, 0, sizeof *s); }

void tr_msrc_free(tr_msrc *s) {
  tr_intern_free(&s->ents);
  tr_intern_free(&s->types);
  free(s->v);
  s->v = NULL;
  s->n = s->cap = 0;
}

static int type_wanted(const tr_msrc *s, const char *type) {
  if (s->only_types == NULL) return 1;
  for (size_t i = 0; i < s->ntypes; i++)
    if (strcmp(s->only_types[i], type) == 0) return 1;
  return 0;
}

/* Intern entity and type; 0 and ids, 1 when the mention is left out, -1
** on memory error. */
static int intern_mention(tr_msrc *s, const char *entity, const char *type,
                          uint32_t *eid, uint32_t *tid) {
  if (entity == NULL || entity[0] == '\0') return 1;
  if (type == NULL) type = "";
  if (!type_wanted(s, type)) return 1;
  if (s->only_entity && strcmp(s->only_entity, entity) != 0) return 1;
  int64_t e = tr_intern_add(&s->ents, entity, strlen(entity), NULL);
  int64_t t = tr_intern_add(&s->types, type, strlen(type), NULL);
  if (e < 0 || t < 0) return -1;
  *eid = (uint32_t)e;
  *tid = (uint32_t)t;
  return 0;
}

int tr_msrc_add(tr_msrc *s, uint32_t doc, uint64_t start, uint64_t stop,
                const char *entity, const char *type) {
  uint32_t e, t;
  int r = intern_mention(s, entity, type, &e, &t);
  if (r != 0) return r < 0 ? -1 : 0;
  if (s->n == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 256;
    tr_mention *v = realloc(s->v, cap * sizeof *v);
    if (v == NULL) return -1;
    s->v = v;
    s->cap = cap;
  }
  s->v[s->n++] = (tr_mention){start, stop, doc, e, t, UINT32_MAX};
  return 0;
}

static int cmp_mention(const void *x, const void *y) {
  const tr_mention *a = x, *b = y;
  if (a->doc != b->doc) return a->doc < b->doc ? -1 : 1;
  if (a->start != b->start) return a->start < b->start ? -1 : 1;
  if (a->stop != b->stop) return a->stop > b->stop ? -1 : 1;
  return (a->entity > b->entity) - (a->entity < b->entity);
}

void tr_msrc_sort(tr_msrc *s) {
  if (s->n > 1) qsort(s->v, s->n, sizeof *s->v, cmp_mention);
}

typedef struct StoreRead {
  tr_msrc *s;           /* where the mentions go */
  tr_intern ids;        /* corpus document ids: id number == doc index */
  int oom;              /* a memory error happened in the callback */
} StoreRead;

static int store_row(void *ud, const tr_mention_row *r) {
  StoreRead *sr = ud;
  int64_t doc = tr_intern_find(&sr->ids, r->doc, strlen(r->doc));
  if (doc < 0) return 0; /* stored for a document that is not loaded */
  if (tr_msrc_add(sr->s, (uint32_t)doc, r->start, r->stop, r->entity,
                  r->type) != 0)
    return sr->oom = 1;
  return 0;
}

int tr_msrc_from_store(tr_msrc *s, tr_store *st, const tr_corpus *c,
                       const tr_mention_filter *f, char **err) {
  StoreRead sr = {s, {0}, 0};
  tr_intern_init(&sr.ids);
  *err = NULL;
  size_t n = tr_corpus_count(c);
  for (size_t i = 0; i < n; i++) {
    const char *id = tr_corpus_doc(c, i)->id;
    if (tr_intern_add(&sr.ids, id, strlen(id), NULL) < 0) {
      tr_intern_free(&sr.ids);
      return -1;
    }
  }
  tr_mention_filter none = {NULL, NULL, NULL, NULL};
  long r = tr_mentions_query(st, f ? f : &none, store_row, &sr, err);
  tr_intern_free(&sr.ids);
  if (sr.oom) {
    free(*err);
    *err = NULL;
    return -1;
  }
  if (r < 0) return -1;
  tr_msrc_sort(s);
  return 0;
}

/* ------------------------------------------------------------------ */
/* The walker                                                          */
/* ------------------------------------------------------------------ */

static void analysis_clear(tr_analysis *a) {
  a->toks.n = 0;
  a->toks.norm_n = 0;
  a->sents.n = 0;
  a->paras.n = 0;
}

int tr_walk_begin(tr_walk *w, const tr_corpus *c, const tr_walk_opts *o,
                  char **err) {
  memset(w, 0, sizeof *w);
  *err = NULL;
  w->c = c;
  w->o = *o;
  if (w->o.dup.min_words == 0) w->o.dup.min_words = 5;
  if (w->o.skip != TR_DUP_NONE || (w->o.ms && w->o.ms->m)) w->o.analyze = 1;
  tr_analysis_init(&w->a);
  tr_matches_init(&w->matches);
  tr_u64map_init(&w->seen);
  tr_u64map_init(&w->near_skip);
  if (w->o.skip == TR_DUP_NEAR) {
    /* Later members of every group of (near-)identical paragraphs. */
    tr_dup_opts d = w->o.dup;
    d.near = 1;
    d.paragraphs = 1;
    d.documents = 0;
    tr_dups dups;
    if (tr_dups_find(&dups, c, w->o.tok, &d, err) != 0) return -1;
    for (size_t g = 0; g < dups.ngroups; g++) {
      const tr_dup_group *gr = &dups.groups[g];
      for (size_t k = 1; k < gr->n; k++) {
        const tr_dup_item *it = &dups.items[gr->first + k];
        uint64_t key = (uint64_t)it->doc << 32 | it->para;
        if (tr_u64map_get(&w->near_skip, key, NULL) == NULL) {
          tr_dups_free(&dups);
          return -1;
        }
      }
    }
    tr_dups_free(&dups);
  }
  return 0;
}

void tr_walk_end(tr_walk *w) {
  tr_analysis_free(&w->a);
  tr_matches_free(&w->matches);
  tr_u64map_free(&w->seen);
  tr_u64map_free(&w->near_skip);
  free(w->skipbuf);
  free(w->mbuf);
  w->skipbuf = NULL;
  w->mbuf = NULL;
}

/* Mark the tokens of repeated paragraphs. Returns 0 or -1. */
static int mark_skips(tr_walk *w) {
  w->skip = NULL;
  const tr_analysis *a = &w->a;
  for (size_t p = 0; p < a->paras.n; p++) {
    const tr_span *sp = &a->paras.v[p];
    int skip = 0;
    if (w->o.skip == TR_DUP_EXACT) {
      uint32_t words;
      uint64_t h = tr_para_hash(a, sp, &words);
      if (words < w->o.dup.min_words) continue;
      int added;
      if (tr_u64map_get(&w->seen, h, &added) == NULL) return -1;
      skip = !added;
    } else {
      skip = tr_u64map_find(&w->near_skip,
                            (uint64_t)w->doc << 32 | (uint32_t)p) != NULL;
    }
    if (!skip) continue;
    if (w->skip == NULL) {
      if (w->skip_cap < a->toks.n) {
        uint8_t *b = realloc(w->skipbuf, a->toks.n);
        if (b == NULL) return -1;
        w->skipbuf = b;
        w->skip_cap = a->toks.n;
      }
      w->skip = w->skipbuf;
      memset(w->skip, 0, a->toks.n);
    }
    memset(w->skip + sp->tok_first, 1, sp->tok_count);
    w->skipped_paras++;
  }
  return 0;
}

static int push_mention(tr_walk *w, const tr_mention *m) {
  if (w->nm == w->mbuf_cap) {
    size_t cap = w->mbuf_cap ? w->mbuf_cap * 2 : 64;
    tr_mention *v = realloc(w->mbuf, cap * sizeof *v);
    if (v == NULL) return -1;
    w->mbuf = v;
    w->mbuf_cap = cap;
  }
  tr_mention x = *m;
  if (w->o.analyze) {
    size_t t = tr_token_at(&w->a.toks, x.start);
    if (w->skip && t < w->a.toks.n && w->skip[t]) return 0;
    x.tok = (uint32_t)t;
  }
  w->mbuf[w->nm++] = x;
  return 0;
}

/* This document's mentions into w->m. Returns 0 or -1. */
static int gather_mentions(tr_walk *w) {
  tr_msrc *s = w->o.ms;
  w->nm = 0;
  if (s->m) {
    if (tr_matcher_run(s->m, w->d, &w->a, 0, &w->matches, NULL) != 0)
      return -1;
    for (size_t i = 0; i < w->matches.n; i++) {
      const tr_match *mt = &w->matches.v[i];
      if (mt->value >= s->m->nlabels) continue;
      const tr_label *lb = &s->m->labels[mt->value];
      if (lb->entity < 0) continue; /* type-only: no entity to count */
      const char *ent = s->m->rs[lb->ruleset]->entities[lb->entity].id;
      uint32_t e, t;
      int r = intern_mention(s, ent, lb->type, &e, &t);
      if (r < 0) return -1;
      if (r > 0) continue;
      tr_mention m = {mt->start, mt->stop, (uint32_t)w->doc, e, t, UINT32_MAX};
      if (push_mention(w, &m) != 0) return -1;
    }
  } else {
    while (w->ms_pos < s->n && s->v[w->ms_pos].doc < w->doc) w->ms_pos++;
    while (w->ms_pos < s->n && s->v[w->ms_pos].doc == w->doc)
      if (push_mention(w, &s->v[w->ms_pos++]) != 0) return -1;
  }
  w->m = w->mbuf;
  return 0;
}

int tr_walk_next(tr_walk *w) {
  if (w->started) w->doc++;
  w->started = 1;
  if (w->doc >= tr_corpus_count(w->c)) return 0;
  w->d = tr_corpus_doc(w->c, w->doc);
  w->skip = NULL;
  w->m = NULL;
  w->nm = 0;
  if (w->o.analyze) {
    analysis_clear(&w->a);
    if (tr_analyze(w->d, w->o.tok, &w->a) != 0) return -1;
    if (w->o.skip != TR_DUP_NONE && mark_skips(w) != 0) return -1;
  }
  if (w->o.ms && gather_mentions(w) != 0) return -1;
  return 1;
}

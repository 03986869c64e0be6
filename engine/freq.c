/*
** freq.c — frequency tables (words, norms, n-grams, entities; per
** document and for a target subset) and window collocations, which are a
** frequency table of norms plus counts inside the node's windows.
*/
#include <stdlib.h>
#include <string.h>

#include "stats.h"

void tr_freq_init(tr_freq *f) {
  memset(f, 0, sizeof *f);
  tr_intern_init(&f->terms);
}

void tr_freq_free(tr_freq *f) {
  tr_intern_free(&f->terms);
  free(f->count);
  free(f->tcount);
  free(f->docs);
  free(f->stop);
  free(f->doc_size);
  free(f->cells);
  free(f->last);
  free(f->cur);
  free(f->touched);
  memset(f, 0, sizeof *f);
}

/* Grow a per-term array from old to cap entries, zeroing the new part. */
static int grow(void *pp, size_t size, size_t old, size_t cap) {
  void **p = pp;
  char *q = realloc(*p, cap * size);
  if (q == NULL) return -1;
  memset(q + old * size, 0, (cap - old) * size);
  *p = q;
  return 0;
}

static int freq_reserve(tr_freq *f, size_t need) {
  if (need <= f->cap) return 0;
  size_t cap = f->cap ? f->cap : 1024;
  while (cap < need) cap *= 2;
  if (grow(&f->count, sizeof *f->count, f->cap, cap) ||
      grow(&f->tcount, sizeof *f->tcount, f->cap, cap) ||
      grow(&f->docs, sizeof *f->docs, f->cap, cap) ||
      grow(&f->stop, sizeof *f->stop, f->cap, cap) ||
      grow(&f->last, sizeof *f->last, f->cap, cap) ||
      grow(&f->cur, sizeof *f->cur, f->cap, cap))
    return -1;
  f->cap = cap;
  return 0;
}

/* Id of a term, with its stop flag set when it is new. -1 on memory. */
static int64_t term_id(tr_freq *f, const char *s, size_t len, int stop) {
  int added;
  int64_t id = tr_intern_add(&f->terms, s, len, &added);
  if (id < 0) return -1;
  if (added) {
    if (freq_reserve(f, (size_t)id + 1) != 0) return -1;
    f->stop[id] = (uint8_t)(stop != 0);
  }
  return id;
}

/* One occurrence of term id in document doc. */
static int count_term(tr_freq *f, uint32_t id, size_t doc, int target) {
  f->count[id]++;
  if (target) f->tcount[id]++;
  if (f->last[id] != doc + 1) {
    f->last[id] = (uint32_t)(doc + 1);
    f->cur[id] = 0;
    if (f->ntouched == f->touched_cap) {
      size_t cap = f->touched_cap ? f->touched_cap * 2 : 1024;
      uint32_t *v = realloc(f->touched, cap * sizeof *v);
      if (v == NULL) return -1;
      f->touched = v;
      f->touched_cap = cap;
    }
    f->touched[f->ntouched++] = id;
  }
  f->cur[id]++;
  return 0;
}

/* Close document doc: document frequencies and per-document cells. */
static int end_doc(tr_freq *f, size_t doc, int by_doc) {
  for (size_t i = 0; i < f->ntouched; i++) {
    uint32_t id = f->touched[i];
    f->docs[id]++;
    if (!by_doc) continue;
    if (f->ncells == f->cells_cap) {
      size_t cap = f->cells_cap ? f->cells_cap * 2 : 1024;
      tr_freq_cell *v = realloc(f->cells, cap * sizeof *v);
      if (v == NULL) return -1;
      f->cells = v;
      f->cells_cap = cap;
    }
    f->cells[f->ncells++] = (tr_freq_cell){id, (uint32_t)doc, f->cur[id]};
  }
  f->ntouched = 0;
  return 0;
}

/* The key of a counted token: its text or its norm. */
static const char *token_key(const tr_walk *w, size_t i, int word,
                             size_t *len) {
  if (word) {
    const tr_token *t = &w->a.toks.v[i];
    *len = t->len;
    return w->d->text + t->start;
  }
  return tr_tokens_norm(&w->a.toks, i, len);
}

/* A reusable byte buffer for n-gram keys. */
typedef struct Buf {
  char *p;              /* the bytes */
  size_t n, cap;        /* used and allocated */
} Buf;

static int buf_add(Buf *b, const char *s, size_t len) {
  if (b->n + len > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->n + len) cap *= 2;
    char *p = realloc(b->p, cap);
    if (p == NULL) return -1;
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->n, s, len);
  b->n += len;
  return 0;
}

/* N-grams of one document: runs of counted tokens inside one sentence. */
static int count_ngrams(tr_freq *f, const tr_walk *w, unsigned n, int punct,
                        int target, Buf *key, uint64_t *units) {
  const tr_tokens *tk = &w->a.toks;
  size_t ring[8];
  for (size_t s = 0; s < w->a.sents.n; s++) {
    const tr_span *sp = &w->a.sents.v[s];
    size_t have = 0;
    for (size_t i = sp->tok_first; i < (size_t)sp->tok_first + sp->tok_count;
         i++) {
      if (!tr_counted(&tk->v[i], punct) || (w->skip && w->skip[i])) {
        have = 0; /* an n-gram never spans a gap */
        continue;
      }
      if (have == n) {
        memmove(ring, ring + 1, (n - 1) * sizeof *ring);
        ring[n - 1] = i;
      } else {
        ring[have++] = i;
      }
      if (have < n) continue;
      key->n = 0;
      for (unsigned k = 0; k < n; k++) {
        size_t len;
        const char *s2 = tr_tokens_norm(tk, ring[k], &len);
        if ((k && buf_add(key, " ", 1)) || buf_add(key, s2, len)) return -1;
      }
      int stop = (tk->v[ring[0]].flags & TR_F_STOP) ||
                 (tk->v[ring[n - 1]].flags & TR_F_STOP);
      int64_t id = term_id(f, key->p, key->n, stop);
      if (id < 0 || count_term(f, (uint32_t)id, w->doc, target)) return -1;
      (*units)++;
    }
  }
  return 0;
}

int tr_freq_run(tr_freq *f, const tr_corpus *c, const tr_freq_opts *o,
                const tr_walk_opts *wo, char **err) {
  *err = NULL;
  unsigned n = o->n < 2 ? 2 : o->n > 8 ? 8 : o->n;
  f->ndocs = tr_corpus_count(c);
  f->doc_size = calloc(f->ndocs ? f->ndocs : 1, sizeof *f->doc_size);
  if (f->doc_size == NULL) return -1;
  tr_walk_opts wopt = *wo;
  wopt.analyze = 1; /* token counts are part of every table */
  if (o->unit == TR_UNIT_ENTITY && wopt.ms == NULL) {
    *err = strdup("entity frequencies need mentions");
    return -1;
  }
  if (o->unit != TR_UNIT_ENTITY) wopt.ms = NULL;
  tr_walk w;
  Buf key = {NULL, 0, 0};
  int r = tr_walk_begin(&w, c, &wopt, err);
  while (r == 0 && (r = tr_walk_next(&w)) == 1) {
    r = 0;
    int target = o->target && o->target[w.doc];
    if (target) f->ntarget++;
    uint64_t units = 0, toks = 0;
    const tr_tokens *tk = &w.a.toks;
    for (size_t i = 0; i < tk->n && r == 0; i++) {
      if (!tr_counted(&tk->v[i], o->punct) || (w.skip && w.skip[i])) continue;
      toks++;
      if (o->unit != TR_UNIT_WORD && o->unit != TR_UNIT_NORM) continue;
      size_t len;
      const char *s = token_key(&w, i, o->unit == TR_UNIT_WORD, &len);
      int64_t id = term_id(f, s, len, tk->v[i].flags & TR_F_STOP);
      if (id < 0 || count_term(f, (uint32_t)id, w.doc, target)) r = -1;
      units++;
    }
    if (r == 0 && o->unit == TR_UNIT_NGRAM)
      r = count_ngrams(f, &w, n, o->punct, target, &key, &units);
    if (r == 0 && o->unit == TR_UNIT_ENTITY) {
      for (size_t k = 0; k < w.nm && r == 0; k++) {
        size_t len;
        const char *s = tr_intern_str(&wopt.ms->ents, w.m[k].entity, &len);
        int64_t id = term_id(f, s, len, 0);
        if (id < 0 || count_term(f, (uint32_t)id, w.doc, target)) r = -1;
        units++;
      }
    }
    if (r == 0) r = end_doc(f, w.doc, o->by_doc);
    f->doc_size[w.doc] = units;
    f->N += units;
    f->tokens += toks;
    if (target) {
      f->N_target += units;
      f->tokens_target += toks;
    }
  }
  tr_walk_end(&w);
  free(key.p);
  return r < 0 ? -1 : 0;
}

typedef struct Sel {
  uint64_t count;       /* the sort key */
  const char *s;        /* the term's bytes (ties) */
  uint32_t len, id;     /* their length; the term id */
} Sel;

static int cmp_sel(const void *x, const void *y) {
  const Sel *a = x, *b = y;
  if (a->count != b->count) return a->count > b->count ? -1 : 1;
  size_t n = a->len < b->len ? a->len : b->len;
  int c = memcmp(a->s, b->s, n);
  if (c) return c;
  return (a->len > b->len) - (a->len < b->len);
}

long tr_freq_select(const tr_freq *f, uint64_t min, int keep_stop,
                    size_t top, uint32_t **ids) {
  size_t nt = f->terms.n;
  Sel *v = malloc((nt ? nt : 1) * sizeof *v);
  if (v == NULL) return -1;
  size_t m = 0;
  for (size_t id = 0; id < nt; id++) {
    if (f->count[id] < min || (!keep_stop && f->stop[id])) continue;
    size_t len;
    const char *s = tr_intern_str(&f->terms, (uint32_t)id, &len);
    v[m++] = (Sel){f->count[id], s, (uint32_t)len, (uint32_t)id};
  }
  qsort(v, m, sizeof *v, cmp_sel);
  if (top && m > top) m = top;
  *ids = malloc((m ? m : 1) * sizeof **ids);
  if (*ids == NULL) {
    free(v);
    return -1;
  }
  for (size_t i = 0; i < m; i++) (*ids)[i] = v[i].id;
  free(v);
  return (long)m;
}

/* ------------------------------------------------------------------ */
/* Collocations                                                        */
/* ------------------------------------------------------------------ */

void tr_colloc_init(tr_colloc *k) {
  memset(k, 0, sizeof *k);
  tr_freq_init(&k->f);
}

void tr_colloc_free(tr_colloc *k) {
  tr_freq_free(&k->f);
  free(k->o11);
  free(k->o11_left);
  memset(k, 0, sizeof *k);
}

/* Per-document scratch arrays, reused. */
typedef struct Scratch {
  uint32_t *cid;        /* per counted token: term id */
  uint32_t *csent;      /* per counted token: sentence index */
  uint32_t *rank;       /* per token: counted tokens before it */
  uint32_t *sent;       /* per token: its sentence */
  uint8_t *mark;        /* per counted token: already in some window */
  size_t cap;
} Scratch;

static int scratch_reserve(Scratch *s, size_t n) {
  if (n <= s->cap) return 0;
  size_t cap = s->cap ? s->cap : 1024;
  while (cap < n) cap *= 2;
  uint32_t *p;
  if (!(p = realloc(s->cid, cap * sizeof *p))) return -1;
  s->cid = p;
  if (!(p = realloc(s->csent, cap * sizeof *p))) return -1;
  s->csent = p;
  if (!(p = realloc(s->rank, cap * sizeof *p))) return -1;
  s->rank = p;
  if (!(p = realloc(s->sent, cap * sizeof *p))) return -1;
  s->sent = p;
  uint8_t *m = realloc(s->mark, cap);
  if (m == NULL) return -1;
  s->mark = m;
  s->cap = cap;
  return 0;
}

static void scratch_free(Scratch *s) {
  free(s->cid);
  free(s->csent);
  free(s->rank);
  free(s->sent);
  free(s->mark);
}

/* The node's norms, tokenized as a document would be. */
typedef struct Node {
  tr_tokens toks;       /* its tokens, with their norms */
  size_t n;             /* how many */
} Node;

static int node_matches(const Node *nd, const tr_walk *w, size_t i) {
  const tr_tokens *tk = &w->a.toks;
  if (i + nd->n > tk->n) return 0;
  for (size_t k = 0; k < nd->n; k++) {
    if (w->skip && w->skip[i + k]) return 0;
    size_t a, b;
    const char *x = tr_tokens_norm(tk, i + k, &a);
    const char *y = tr_tokens_norm(&nd->toks, k, &b);
    if (a != b || memcmp(x, y, a) != 0) return 0;
  }
  return 1;
}

static int colloc_reserve(tr_colloc *k, size_t need) {
  if (need <= k->cap) return 0;
  size_t cap = k->cap ? k->cap : 1024;
  while (cap < need) cap *= 2;
  if (grow(&k->o11, sizeof *k->o11, k->cap, cap) ||
      grow(&k->o11_left, sizeof *k->o11_left, k->cap, cap))
    return -1;
  k->cap = cap;
  return 0;
}

/* Count the windows of every node occurrence in the current document.
** Windows that overlap are merged: a position counts once, so o11 never
** exceeds the collocate's frequency and the table stays a table. */
static void count_windows(tr_colloc *k, const tr_colloc_opts *o,
                          const tr_walk *w, const Node *nd, const Scratch *s,
                          size_t ncounted) {
  const tr_tokens *tk = &w->a.toks;
  memset(s->mark, 0, ncounted);
  for (size_t i = 0; i + nd->n <= tk->n; i++) {
    if (!node_matches(nd, w, i)) continue;
    k->f_node++;
    size_t first = s->rank[i], after = s->rank[i + nd->n];
    uint32_t sl = s->sent[i], sr = s->sent[i + nd->n - 1];
    for (size_t p = first, d = 0; p > 0 && d < o->left; p--, d++) {
      if (o->sentence && s->csent[p - 1] != sl) break;
      if (s->mark[p - 1]) continue;
      s->mark[p - 1] = 1;
      k->o11[s->cid[p - 1]]++;
      k->o11_left[s->cid[p - 1]]++;
      k->window++;
    }
    for (size_t p = after, d = 0; p < ncounted && d < o->right; p++, d++) {
      if (o->sentence && s->csent[p] != sr) break;
      if (s->mark[p]) continue;
      s->mark[p] = 1;
      k->o11[s->cid[p]]++;
      k->window++;
    }
  }
}

int tr_colloc_run(tr_colloc *k, const tr_corpus *c, const tr_colloc_opts *o,
                  const tr_walk_opts *wo, char **err) {
  *err = NULL;
  Node nd = {{0}, 0};
  tr_tokens_init(&nd.toks);
  if (tr_tokenize(o->node, o->node_len, wo->tok, &nd.toks) != 0) {
    tr_tokens_free(&nd.toks);
    return -1;
  }
  nd.n = nd.toks.n;
  if (nd.n == 0) {
    tr_tokens_free(&nd.toks);
    *err = strdup("the node has no tokens");
    return -1;
  }
  k->node_tokens = nd.n;
  tr_freq *f = &k->f;
  f->ndocs = tr_corpus_count(c);
  f->doc_size = calloc(f->ndocs ? f->ndocs : 1, sizeof *f->doc_size);
  if (f->doc_size == NULL) {
    tr_tokens_free(&nd.toks);
    return -1;
  }
  tr_walk_opts wopt = *wo;
  wopt.analyze = 1;
  wopt.ms = NULL;
  Scratch s = {NULL, NULL, NULL, NULL, NULL, 0};
  tr_walk w;
  int r = tr_walk_begin(&w, c, &wopt, err);
  while (r == 0 && (r = tr_walk_next(&w)) == 1) {
    const tr_tokens *tk = &w.a.toks;
    r = scratch_reserve(&s, tk->n + 1);
    /* Sentence of every token. */
    for (size_t q = 0; r == 0 && q < w.a.sents.n; q++) {
      const tr_span *sp = &w.a.sents.v[q];
      for (size_t i = sp->tok_first; i < (size_t)sp->tok_first + sp->tok_count
           && i < tk->n; i++)
        s.sent[i] = (uint32_t)q;
    }
    size_t nc = 0;
    for (size_t i = 0; r == 0 && i < tk->n; i++) {
      s.rank[i] = (uint32_t)nc;
      if (!tr_counted(&tk->v[i], o->punct) || (w.skip && w.skip[i])) continue;
      size_t len;
      const char *str = tr_tokens_norm(tk, i, &len);
      int64_t id = term_id(f, str, len, tk->v[i].flags & TR_F_STOP);
      if (id < 0 || count_term(f, (uint32_t)id, w.doc, 0)) {
        r = -1;
        break;
      }
      s.cid[nc] = (uint32_t)id;
      s.csent[nc] = s.sent[i];
      nc++;
    }
    if (r == 0) {
      s.rank[tk->n] = (uint32_t)nc;
      r = colloc_reserve(k, f->terms.n);
    }
    if (r == 0) {
      count_windows(k, o, &w, &nd, &s, nc);
      r = end_doc(f, w.doc, 0);
    }
    f->doc_size[w.doc] = nc;
    f->N += nc;
    f->tokens += nc;
  }
  tr_walk_end(&w);
  scratch_free(&s);
  tr_tokens_free(&nd.toks);
  return r < 0 ? -1 : 0;
}

/*
** kwic.c — keyword in context: every hit of a word or phrase (on norms), a
** regex, a token pattern or a list of mentions, with its sentence, its
** context as byte ranges (so lines are cut from the text only when shown)
** and sort keys made of the norms around it.
*/
#include <stdlib.h>
#include <string.h>

#include "stats.h"

void tr_kwic_init(tr_kwic *k) { memset(k, 0, sizeof *k); }

void tr_kwic_free(tr_kwic *k) {
  free(k->v);
  free(k->keys);
  free(k->sizes);
  memset(k, 0, sizeof *k);
}

static int key_add(tr_kwic *k, const char *s, size_t len) {
  if (k->keys_n + len + 1 > k->keys_cap) {
    size_t cap = k->keys_cap ? k->keys_cap : 4096;
    while (cap < k->keys_n + len + 1) cap *= 2;
    char *p = realloc(k->keys, cap);
    if (p == NULL) return -1;
    k->keys = p;
    k->keys_cap = cap;
  }
  memcpy(k->keys + k->keys_n, s, len);
  /* \1 sorts before every printable byte, so "war" < "warlord". */
  k->keys[k->keys_n + len] = '\1';
  k->keys_n += len + 1;
  return 0;
}

/* Up to 3 counted norms before token first (nearest first) and after
** token last, as the hit's sort keys. */
static int make_keys(tr_kwic *k, tr_kwic_hit *h, const tr_walk *w, size_t first,
                     size_t last, int punct) {
  const tr_tokens *tk = &w->a.toks;
  h->key = k->keys_n;
  size_t before = k->keys_n, got = 0;
  for (size_t i = first; i > 0 && got < 3; i--) {
    if (!tr_counted(&tk->v[i - 1], punct)) continue;
    size_t len;
    const char *s = tr_tokens_norm(tk, i - 1, &len);
    if (key_add(k, s, len) != 0) return -1;
    got++;
  }
  h->klen_left = (uint32_t)(k->keys_n - before);
  before = k->keys_n;
  got = 0;
  for (size_t i = last + 1; i < tk->n && got < 3; i++) {
    if (!tr_counted(&tk->v[i], punct)) continue;
    size_t len;
    const char *s = tr_tokens_norm(tk, i, &len);
    if (key_add(k, s, len) != 0) return -1;
    got++;
  }
  h->klen_right = (uint32_t)(k->keys_n - before);
  return 0;
}

/* Step back n characters from off (never before 0). */
static uint64_t chars_back(const char *t, uint64_t off, unsigned n) {
  while (n > 0 && off > 0) {
    off--;
    while (off > 0 && ((unsigned char)t[off] & 0xC0) == 0x80) off--;
    n--;
  }
  return off;
}

/* Step forward n characters from off (never past len). */
static uint64_t chars_fwd(const char *t, uint64_t len, uint64_t off,
                          unsigned n) {
  while (n > 0 && off < len) {
    off++;
    while (off < len && ((unsigned char)t[off] & 0xC0) == 0x80) off++;
    n--;
  }
  return off;
}

/* Per-document scratch: counted tokens before each token. */
typedef struct Rank {
  uint64_t *v;          /* per token, plus one at the end */
  size_t cap;           /* allocated entries */
} Rank;

static int add_hit(tr_kwic *k, const tr_kwic_opts *o, const tr_walk *w,
                   const Rank *rk, uint64_t start, uint64_t stop) {
  const tr_tokens *tk = &w->a.toks;
  size_t first = tr_token_at(tk, start);
  if (first < tk->n && w->skip && w->skip[first]) return 0;
  size_t last = first;
  while (last + 1 < tk->n && tk->v[last + 1].start < stop) last++;
  if (k->n == k->cap) {
    size_t cap = k->cap ? k->cap * 2 : 256;
    tr_kwic_hit *v = realloc(k->v, cap * sizeof *v);
    if (v == NULL) return -1;
    k->v = v;
    k->cap = cap;
  }
  tr_kwic_hit *h = &k->v[k->n];
  memset(h, 0, sizeof *h);
  h->start = start;
  h->stop = stop;
  h->doc = (uint32_t)w->doc;
  size_t s = tr_span_at(&w->a.sents, start);
  h->sent = (uint32_t)(s < w->a.sents.n ? s : (w->a.sents.n ? w->a.sents.n - 1 : 0));
  h->tok = (uint32_t)first;
  h->ntok = first < tk->n ? (uint32_t)(last - first + 1) : 0;
  h->pos = first < tk->n ? rk->v[first] : rk->v[tk->n];
  if (o->tokens) {
    size_t lf = first > o->width ? first - o->width : 0;
    size_t rl = last + o->width < tk->n ? last + o->width : (tk->n ? tk->n - 1 : 0);
    h->lstart = tk->n && o->width && lf < first ? tk->v[lf].start : start;
    h->rstop = tk->n && o->width && rl > last ? tk->v[rl].start + tk->v[rl].len
                                              : stop;
    if (h->lstart > start) h->lstart = start;
    if (h->rstop < stop) h->rstop = stop;
  } else {
    h->lstart = chars_back(w->d->text, start, o->width);
    h->rstop = chars_fwd(w->d->text, w->d->len, stop, o->width);
  }
  if (tk->n && make_keys(k, h, w, first, first < tk->n ? last : first,
                         o->punct) != 0)
    return -1;
  k->n++;
  return 0;
}

static int phrase_at(const tr_tokens *q, const tr_walk *w, size_t i) {
  const tr_tokens *tk = &w->a.toks;
  if (i + q->n > tk->n) return 0;
  for (size_t k = 0; k < q->n; k++) {
    size_t a, b;
    const char *x = tr_tokens_norm(tk, i + k, &a);
    const char *y = tr_tokens_norm(q, k, &b);
    if (a != b || memcmp(x, y, a) != 0) return 0;
  }
  return 1;
}

/* Hits of the current document. Returns 0, or -1 (*err set or NULL). */
static int doc_hits(tr_kwic *k, const tr_kwic_opts *o, const tr_walk *w,
                    const Rank *rk, const tr_tokens *q, tr_matches *ms,
                    char **err) {
  const tr_tokens *tk = &w->a.toks;
  switch (o->kind) {
  case TR_Q_PHRASE:
    for (size_t i = 0; i < tk->n; i++) {
      if (!phrase_at(q, w, i)) continue;
      const tr_token *l = &tk->v[i + q->n - 1];
      if (add_hit(k, o, w, rk, tk->v[i].start, l->start + l->len)) return -1;
    }
    return 0;
  case TR_Q_REGEX:
  case TR_Q_PATTERN: {
    tr_matches_clear(ms);
    int r = o->kind == TR_Q_REGEX
                ? tr_regexes_match(o->re, w->d->text, w->d->len, ms, NULL, err)
                : tr_patterns_match(o->pat, w->d->text, tk, ms, err);
    if (r != 0) return -1;
    tr_matches_dedup(ms);
    for (size_t i = 0; i < ms->n; i++)
      if (add_hit(k, o, w, rk, ms->v[i].start, ms->v[i].stop)) return -1;
    return 0;
  }
  case TR_Q_MENTIONS:
    for (size_t i = 0; i < w->nm; i++)
      if (add_hit(k, o, w, rk, w->m[i].start, w->m[i].stop)) return -1;
    return 0;
  }
  return 0;
}

int tr_kwic_run(tr_kwic *k, const tr_corpus *c, const tr_kwic_opts *o,
                const tr_walk_opts *wo, char **err) {
  *err = NULL;
  tr_tokens q;
  tr_tokens_init(&q);
  if (o->kind == TR_Q_PHRASE) {
    if (tr_tokenize(o->phrase, o->phrase_len, wo->tok, &q) != 0) {
      tr_tokens_free(&q);
      return -1;
    }
    if (q.n == 0) {
      tr_tokens_free(&q);
      *err = strdup("the query has no tokens");
      return -1;
    }
  }
  if ((o->kind == TR_Q_REGEX && o->re == NULL) ||
      (o->kind == TR_Q_PATTERN && o->pat == NULL) ||
      (o->kind == TR_Q_MENTIONS && wo->ms == NULL)) {
    tr_tokens_free(&q);
    *err = strdup("the query is incomplete");
    return -1;
  }
  k->ndocs = tr_corpus_count(c);
  k->sizes = calloc(k->ndocs ? k->ndocs : 1, sizeof *k->sizes);
  if (k->sizes == NULL) {
    tr_tokens_free(&q);
    return -1;
  }
  tr_walk_opts wopt = *wo;
  wopt.analyze = 1;
  if (o->kind != TR_Q_MENTIONS) wopt.ms = NULL;
  tr_matches ms;
  tr_matches_init(&ms);
  Rank rk = {NULL, 0};
  tr_walk w;
  int r = tr_walk_begin(&w, c, &wopt, err);
  while (r == 0 && (r = tr_walk_next(&w)) == 1) {
    r = 0;
    const tr_tokens *tk = &w.a.toks;
    if (rk.cap < tk->n + 1) {
      uint64_t *v = realloc(rk.v, (tk->n + 1) * sizeof *v);
      if (v == NULL) {
        r = -1;
        break;
      }
      rk.v = v;
      rk.cap = tk->n + 1;
    }
    uint64_t nc = 0;
    for (size_t i = 0; i < tk->n; i++) {
      rk.v[i] = nc;
      if (tr_counted(&tk->v[i], o->punct) && !(w.skip && w.skip[i])) nc++;
    }
    rk.v[tk->n] = nc;
    k->sizes[w.doc] = nc;
    k->N += nc;
    r = doc_hits(k, o, &w, &rk, &q, &ms, err);
  }
  tr_walk_end(&w);
  tr_matches_free(&ms);
  tr_tokens_free(&q);
  free(rk.v);
  return r < 0 ? -1 : 0;
}

typedef struct SortRec {
  const char *key;      /* the sort key bytes */
  uint32_t len;         /* their length */
  uint32_t pad;         /* (alignment) */
  size_t idx;           /* position in corpus order (the tie-breaker) */
} SortRec;

static int cmp_rec(const void *x, const void *y) {
  const SortRec *a = x, *b = y;
  size_t n = a->len < b->len ? a->len : b->len;
  int c = n ? memcmp(a->key, b->key, n) : 0;
  if (c) return c;
  if (a->len != b->len) return a->len < b->len ? -1 : 1;
  return (a->idx > b->idx) - (a->idx < b->idx);
}

static int cmp_hit_doc(const void *x, const void *y) {
  const tr_kwic_hit *a = x, *b = y;
  if (a->doc != b->doc) return a->doc < b->doc ? -1 : 1;
  if (a->start != b->start) return a->start < b->start ? -1 : 1;
  return (a->stop > b->stop) - (a->stop < b->stop);
}

void tr_kwic_sort(tr_kwic *k, int how) {
  if (k->n < 2) return;
  qsort(k->v, k->n, sizeof *k->v, cmp_hit_doc);
  if (how == TR_SORT_DOC) return;
  SortRec *r = malloc(k->n * sizeof *r);
  tr_kwic_hit *out = malloc(k->n * sizeof *out);
  if (r == NULL || out == NULL) {
    /* Out of memory: leave corpus order, which is a valid order. */
    free(r);
    free(out);
    return;
  }
  for (size_t i = 0; i < k->n; i++) {
    const tr_kwic_hit *h = &k->v[i];
    r[i].idx = i;
    r[i].pad = 0;
    if (how == TR_SORT_LEFT) {
      r[i].key = k->keys ? k->keys + h->key : "";
      r[i].len = h->klen_left;
    } else {
      r[i].key = k->keys ? k->keys + h->key + h->klen_left : "";
      r[i].len = h->klen_right;
    }
  }
  qsort(r, k->n, sizeof *r, cmp_rec);
  for (size_t i = 0; i < k->n; i++) out[i] = k->v[r[i].idx];
  memcpy(k->v, out, k->n * sizeof *out);
  free(r);
  free(out);
}

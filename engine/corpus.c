/*
** corpus.c — the corpus container: documents in an array of stable
** pointers, an id -> document hash table for tr_corpus_find, the memory
** regions (file mappings) that documents point into, and tr_analyze.
*/
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <xxhash.h>

#include "corpus.h"
#include "load.h"

/* A document and what the corpus needs to know to free it. tr_doc comes
** first so that a tr_doc * handed out is also a doc_rec *. */
typedef struct doc_rec {
  tr_doc d;     /* the public part */
  int own_text; /* d.text is a heap buffer of this document (else a view) */
} doc_rec;

/* One slot of the open-addressing id table. */
typedef struct slot {
  uint64_t h; /* XXH3 of the id (saves most string compares) */
  size_t i;   /* index in docs + 1; 0 marks an empty slot */
} slot;

/* Memory handed to the corpus with tr_corpus_adopt_region. */
typedef struct region {
  void *addr; /* start */
  size_t len; /* bytes (for munmap) */
  int mapped; /* 1: munmap it, 0: free it */
} region;

struct tr_corpus {
  doc_rec **docs;       /* documents; the records never move */
  size_t n, cap;        /* used and allocated entries of docs */
  slot *tab;            /* id table, a power of two long, at most half full */
  size_t tab_cap;       /* entries of tab (0 before the first add) */
  region *regions;      /* adopted regions */
  size_t nreg, reg_cap; /* used and allocated entries of regions */
  uint64_t bytes;       /* sum of the texts' lengths */
};

static uint64_t id_hash(const char *id) { return XXH3_64bits(id, strlen(id)); }

tr_corpus *tr_corpus_new(void) { return calloc(1, sizeof(tr_corpus)); }

static void doc_free(doc_rec *r) {
  tr_doc *d = &r->d;
  free(d->id), free(d->path), free(d->title), free(d->date);
  free(d->source), free(d->author), free(d->meta);
  if (r->own_text)
    free((char *)d->text);
  if (d->given) {
    tr_tokens_free(d->given);
    free(d->given);
  }
  if (d->given_sents) {
    tr_spans_free(d->given_sents);
    free(d->given_sents);
  }
  free(r);
}

void tr_corpus_free(tr_corpus *c) {
  if (!c)
    return;
  for (size_t i = 0; i < c->n; i++)
    doc_free(c->docs[i]);
  for (size_t i = 0; i < c->nreg; i++) {
    if (c->regions[i].mapped)
      munmap(c->regions[i].addr, c->regions[i].len);
    else
      free(c->regions[i].addr);
  }
  free(c->docs), free(c->tab), free(c->regions);
  free(c);
}

size_t tr_corpus_count(const tr_corpus *c) { return c->n; }

tr_doc *tr_corpus_doc(const tr_corpus *c, size_t i) {
  return i < c->n ? &c->docs[i]->d : NULL;
}

uint64_t tr_corpus_bytes(const tr_corpus *c) { return c->bytes; }

/* Slot of id in the table: the one holding it, or the empty slot where it
** would go. tab_cap must be non-zero. */
static slot *tab_probe(const tr_corpus *c, const char *id, uint64_t h) {
  size_t mask = c->tab_cap - 1, k = (size_t)h & mask;
  for (;;) {
    slot *s = &c->tab[k];
    if (!s->i || (s->h == h && !strcmp(c->docs[s->i - 1]->d.id, id)))
      return s;
    k = (k + 1) & mask;
  }
}

tr_doc *tr_corpus_find(const tr_corpus *c, const char *id) {
  slot *s;
  if (!c->tab_cap || !id)
    return NULL;
  s = tab_probe(c, id, id_hash(id));
  return s->i ? &c->docs[s->i - 1]->d : NULL;
}

size_t tr_corpus_index(const tr_corpus *c, const char *id) {
  if (!c->tab_cap || !id)
    return SIZE_MAX;
  slot *s = tab_probe(c, id, id_hash(id));
  return s->i ? s->i - 1 : SIZE_MAX;
}

/* Build the table anew for cap slots from docs (after growth or sort). */
static int tab_rebuild(tr_corpus *c, size_t cap) {
  slot *t = calloc(cap, sizeof *t);
  if (!t)
    return -1;
  free(c->tab);
  c->tab = t, c->tab_cap = cap;
  for (size_t i = 0; i < c->n; i++) {
    uint64_t h = id_hash(c->docs[i]->d.id);
    slot *s = tab_probe(c, c->docs[i]->d.id, h);
    s->h = h, s->i = i + 1;
  }
  return 0;
}

/* Room for one more document in docs and in the table. */
static int reserve_one(tr_corpus *c) {
  if (c->n == c->cap) {
    size_t nc = c->cap ? c->cap * 2 : 64;
    doc_rec **v = realloc(c->docs, nc * sizeof *v);
    if (!v)
      return -1;
    c->docs = v, c->cap = nc;
  }
  if ((c->n + 1) * 2 > c->tab_cap)
    return tab_rebuild(c, c->tab_cap ? c->tab_cap * 2 : 128);
  return 0;
}

static char *dup_or_null(const char *s, int *fail) {
  char *r;
  if (!s)
    return NULL;
  if (!(r = strdup(s)))
    *fail = 1;
  return r;
}

/* id, or id~2, id~3 ... whichever is free first. Malloc'ed. */
static char *unique_id(const tr_corpus *c, const char *id, int *renamed) {
  size_t n = strlen(id);
  char *r = malloc(n + 24);
  if (!r)
    return NULL;
  memcpy(r, id, n + 1);
  *renamed = 0;
  for (unsigned long k = 2; tr_corpus_find(c, r); k++) {
    snprintf(r + n, 24, "~%lu", k);
    *renamed = 1;
  }
  return r;
}

/* The common part of tr_corpus_add and tr_corpus_add_view. text is
** already where it will stay; own says whether the document frees it. */
static tr_doc *add_doc(tr_corpus *c, const char *id, const char *path,
                       const char *text, size_t len, int own, int *renamed) {
  doc_rec *r;
  int fail = 0, ren = 0;
  slot *s;
  if (renamed)
    *renamed = 0;
  if (reserve_one(c) || !(r = calloc(1, sizeof *r))) {
    if (own)
      free((char *)text);
    return NULL;
  }
  r->own_text = own;
  r->d.text = text;
  r->d.len = len;
  r->d.id = unique_id(c, id ? id : "", &ren);
  r->d.path = dup_or_null(path ? path : "", &fail);
  r->d.title = tr_text_title(text, len);
  if (fail || !r->d.id || !r->d.title) {
    doc_free(r);
    return NULL;
  }
  r->d.hash = XXH3_64bits(text, len);
  c->docs[c->n++] = r;
  s = tab_probe(c, r->d.id, id_hash(r->d.id));
  s->h = id_hash(r->d.id), s->i = c->n;
  c->bytes += len;
  if (renamed)
    *renamed = ren;
  return &r->d;
}

tr_doc *tr_corpus_add(tr_corpus *c, const char *id, const char *path,
                      const char *text, size_t len, int keep, int *renamed) {
  char *t;
  if (keep) {
    t = (char *)text;
    if (!t && !(t = calloc(1, 1)))
      return NULL;
  } else {
    /* NUL-terminated copy: handy for callers, not counted in len */
    if (!(t = malloc(len + 1)))
      return NULL;
    if (len)
      memcpy(t, text, len);
    t[len] = '\0';
  }
  return add_doc(c, id, path, t, len, 1, renamed);
}

tr_doc *tr_corpus_add_view(tr_corpus *c, const char *id, const char *path,
                           const char *text, size_t len, int *renamed) {
  return add_doc(c, id, path, text ? text : "", len, 0, renamed);
}

int tr_corpus_adopt_region(tr_corpus *c, void *addr, size_t len, int mapped) {
  if (c->nreg == c->reg_cap) {
    size_t nc = c->reg_cap ? c->reg_cap * 2 : 16;
    region *v = realloc(c->regions, nc * sizeof *v);
    if (!v) {
      if (mapped)
        munmap(addr, len);
      else
        free(addr);
      return -1;
    }
    c->regions = v, c->reg_cap = nc;
  }
  c->regions[c->nreg++] = (region){addr, len, mapped};
  return 0;
}

int tr_doc_set(tr_doc *d, const char *field, const char *v) {
  char **f, *nv;
  if (!strcmp(field, "title"))
    f = &d->title;
  else if (!strcmp(field, "date"))
    f = &d->date;
  else if (!strcmp(field, "source"))
    f = &d->source;
  else if (!strcmp(field, "author"))
    f = &d->author;
  else if (!strcmp(field, "meta"))
    f = &d->meta;
  else
    return -1;
  if (!v && f == &d->title)
    v = ""; /* a title is never NULL */
  nv = NULL;
  if (v && !(nv = strdup(v)))
    return -1;
  free(*f);
  *f = nv;
  return 0;
}

static int by_id(const void *a, const void *b) {
  return strcmp((*(doc_rec *const *)a)->d.id, (*(doc_rec *const *)b)->d.id);
}

void tr_corpus_sort(tr_corpus *c) {
  if (c->n < 2)
    return;
  qsort(c->docs, c->n, sizeof *c->docs, by_id);
  /* The table stores indices: fill it again in place (no allocation, so
  ** sorting cannot fail). */
  memset(c->tab, 0, c->tab_cap * sizeof *c->tab);
  for (size_t i = 0; i < c->n; i++) {
    uint64_t h = id_hash(c->docs[i]->d.id);
    slot *s = tab_probe(c, c->docs[i]->d.id, h);
    s->h = h, s->i = i + 1;
  }
}

void tr_analysis_init(tr_analysis *a) {
  tr_tokens_init(&a->toks);
  tr_spans_init(&a->sents);
  tr_spans_init(&a->paras);
}

void tr_analysis_free(tr_analysis *a) {
  tr_tokens_free(&a->toks);
  tr_spans_free(&a->sents);
  tr_spans_free(&a->paras);
}

/* Copy given tokens into out. With default options the stored tokens are
** copied as they are; other options (diacritics folding) change the
** normalised forms, so each token is classified again with them. */
static int copy_given(const tr_doc *d, const tr_tok_opts *opts,
                      tr_tokens *out) {
  const tr_tokens *g = d->given;
  if (opts && opts->fold_diacritics) {
    for (size_t i = 0; i < g->n; i++)
      if (tr_tokens_add(out, d->text, g->v[i].start, g->v[i].len, opts))
        return -1;
    return 0;
  }
  tr_tokens_free(out);
  if (g->n) {
    if (!(out->v = malloc(g->n * sizeof *g->v)))
      return -1;
    memcpy(out->v, g->v, g->n * sizeof *g->v);
    out->n = out->cap = g->n;
  }
  if (g->norm_n) {
    if (!(out->norm = malloc(g->norm_n)))
      return -1;
    memcpy(out->norm, g->norm, g->norm_n);
    out->norm_n = out->norm_cap = g->norm_n;
  }
  return 0;
}

int tr_analyze(const tr_doc *d, const tr_tok_opts *opts, tr_analysis *a) {
  if (d->given) {
    if (copy_given(d, opts, &a->toks))
      return -1;
  } else if (tr_tokenize(d->text, d->len, opts, &a->toks)) {
    return -1;
  }
  if (d->given_sents) {
    for (size_t i = 0; i < d->given_sents->n; i++) {
      const tr_span *s = &d->given_sents->v[i];
      if (tr_spans_push(&a->sents, s->start, s->stop, s->tok_first,
                        s->tok_count))
        return -1;
    }
  } else if (tr_sentences(d->text, d->len, &a->toks, &a->sents)) {
    return -1;
  }
  return tr_paragraphs(d->text, d->len, &a->toks, &a->paras);
}

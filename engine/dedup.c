/*
** dedup.c — exact and near-duplicate paragraphs and documents.
**
** Exact: the same sequence of counted-token norms (tr_para_hash), so case,
** curly quotes and punctuation do not hide a copy. Near: the Jaccard
** similarity of the units' sets of word shingles (w consecutive norms).
** Comparing every pair is quadratic, so candidates come from MinHash
** signatures (k hash functions, the minimum of each over the shingles)
** cut into bands of r rows: two units sharing a whole band are
** candidates, which happens with probability 1 - (1 - J^r)^b. Every
** candidate is then checked with its exact Jaccard, so MinHash only
** decides what is compared, never what is reported.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "stats.h"

typedef struct Unit {
  uint64_t hash;        /* exact key: chained hash of the counted norms */
  uint64_t start, stop; /* bytes */
  uint64_t sh_off;      /* its sorted unique shingles: sh[sh_off ...] */
  uint32_t sh_n;        /* how many */
  uint32_t doc, para;   /* document index; paragraph index or UINT32_MAX */
  uint32_t words;       /* counted tokens */
  uint32_t level;       /* 0: paragraph, 1: document */
} Unit;

typedef struct Dedup {
  const tr_dup_opts *o;
  Unit *u;              /* every unit compared, in corpus order per level */
  size_t nu, ucap;
  uint64_t *sh;         /* shingle arena */
  size_t shn, shcap;
  uint32_t *sig;        /* signatures: k per unit (near only) */
  size_t sigcap;        /* allocated units' worth of sig */
  uint64_t *th;         /* per counted token of a document: norm hash */
  uint64_t *tmp;        /* scratch shingles of one unit */
  size_t thcap, tmpcap;
  uint64_t seeds[512];  /* one per MinHash function */
} Dedup;

static uint64_t mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

static int cmp_u64(const void *x, const void *y) {
  uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
  return (a > b) - (a < b);
}

static int reserve64(uint64_t **p, size_t *cap, size_t need) {
  if (need <= *cap) return 0;
  size_t n = *cap ? *cap : 1024;
  while (n < need) n *= 2;
  uint64_t *q = realloc(*p, n * sizeof *q);
  if (q == NULL) return -1;
  *p = q;
  *cap = n;
  return 0;
}

/* Add a unit made of the counted-token hashes th[0..n). */
static int add_unit(Dedup *dd, const uint64_t *th, size_t n, uint64_t hash,
                    uint32_t doc, uint32_t para, uint64_t start,
                    uint64_t stop, uint32_t level) {
  const tr_dup_opts *o = dd->o;
  if (n < o->min_words) return 0;
  size_t w = o->shingle, ns = n >= w ? n - w + 1 : 1;
  if (w > n) w = n;
  if (reserve64(&dd->tmp, &dd->tmpcap, ns) != 0) return -1;
  for (size_t i = 0; i < ns; i++)
    dd->tmp[i] = XXH3_64bits(th + i, w * sizeof *th);
  qsort(dd->tmp, ns, sizeof *dd->tmp, cmp_u64);
  size_t m = 0;
  for (size_t i = 0; i < ns; i++)
    if (m == 0 || dd->tmp[m - 1] != dd->tmp[i]) dd->tmp[m++] = dd->tmp[i];
  if (reserve64(&dd->sh, &dd->shcap, dd->shn + m) != 0) return -1;
  memcpy(dd->sh + dd->shn, dd->tmp, m * sizeof *dd->tmp);
  if (dd->nu == dd->ucap) {
    size_t cap = dd->ucap ? dd->ucap * 2 : 256;
    Unit *u = realloc(dd->u, cap * sizeof *u);
    if (u == NULL) return -1;
    dd->u = u;
    dd->ucap = cap;
  }
  if (o->near) {
    if (dd->nu >= dd->sigcap) {
      size_t cap = dd->sigcap ? dd->sigcap * 2 : 256;
      uint32_t *s = realloc(dd->sig, cap * o->k * sizeof *s);
      if (s == NULL) return -1;
      dd->sig = s;
      dd->sigcap = cap;
    }
    uint32_t *sig = dd->sig + dd->nu * o->k;
    for (unsigned j = 0; j < o->k; j++) sig[j] = UINT32_MAX;
    for (size_t i = 0; i < m; i++)
      for (unsigned j = 0; j < o->k; j++) {
        uint32_t v = (uint32_t)mix64(dd->tmp[i] ^ dd->seeds[j]);
        if (v < sig[j]) sig[j] = v;
      }
  }
  dd->u[dd->nu++] = (Unit){hash, start, stop, dd->shn, (uint32_t)m, doc, para,
                           (uint32_t)n, level};
  dd->shn += m;
  return 0;
}

/* Units of the walker's current document. */
static int doc_units(Dedup *dd, const tr_walk *w) {
  const tr_tokens *tk = &w->a.toks;
  if (reserve64(&dd->th, &dd->thcap, tk->n + 1) != 0) return -1;
  /* Paragraphs: the counted tokens of each, hashed. */
  size_t nall = 0;
  for (size_t i = 0; i < tk->n; i++) {
    if (!tr_counted(&tk->v[i], 0)) continue;
    size_t len;
    const char *s = tr_tokens_norm(tk, i, &len);
    dd->th[nall++] = XXH3_64bits(s, len);
  }
  if (dd->o->paragraphs) {
    size_t at = 0, ti = 0; /* counted tokens before token ti */
    for (size_t p = 0; p < w->a.paras.n; p++) {
      const tr_span *sp = &w->a.paras.v[p];
      for (; ti < sp->tok_first && ti < tk->n; ti++)
        at += tr_counted(&tk->v[ti], 0);
      uint32_t words;
      uint64_t h = tr_para_hash(&w->a, sp, &words);
      if (add_unit(dd, dd->th + at, words, h, (uint32_t)w->doc, (uint32_t)p,
                   sp->start, sp->stop, 0) != 0)
        return -1;
      at += words;
      ti = (size_t)sp->tok_first + sp->tok_count;
    }
  }
  if (dd->o->documents && nall > 0) {
    tr_span all = {0, w->d->len, 0, (uint32_t)tk->n};
    uint32_t words;
    uint64_t h = tr_para_hash(&w->a, &all, &words);
    if (add_unit(dd, dd->th, nall, h, (uint32_t)w->doc, UINT32_MAX, 0,
                 w->d->len, 1) != 0)
      return -1;
  }
  return 0;
}

/* Union-find with path halving. */
static size_t find(size_t *parent, size_t x) {
  while (parent[x] != x) {
    parent[x] = parent[parent[x]];
    x = parent[x];
  }
  return x;
}

static void unite(size_t *parent, size_t a, size_t b) {
  a = find(parent, a);
  b = find(parent, b);
  if (a == b) return;
  if (a < b) parent[b] = a; /* the root is the earliest member */
  else parent[a] = b;
}

static double jaccard(const Dedup *dd, const Unit *a, const Unit *b) {
  const uint64_t *x = dd->sh + a->sh_off, *y = dd->sh + b->sh_off;
  size_t i = 0, j = 0, inter = 0;
  while (i < a->sh_n && j < b->sh_n) {
    if (x[i] == y[j]) {
      inter++;
      i++;
      j++;
    } else if (x[i] < y[j]) {
      i++;
    } else {
      j++;
    }
  }
  size_t uni = a->sh_n + b->sh_n - inter;
  return uni ? (double)inter / (double)uni : 1.0;
}

static double estimate(const Dedup *dd, size_t a, size_t b) {
  const uint32_t *x = dd->sig + a * dd->o->k, *y = dd->sig + b * dd->o->k;
  unsigned same = 0;
  for (unsigned j = 0; j < dd->o->k; j++) same += x[j] == y[j];
  return (double)same / dd->o->k;
}

typedef struct Key {
  uint64_t key;         /* a hash: exact key or LSH band */
  size_t unit;          /* the unit it belongs to */
} Key;

static int cmp_key(const void *x, const void *y) {
  const Key *a = x, *b = y;
  if (a->key != b->key) return a->key < b->key ? -1 : 1;
  return (a->unit > b->unit) - (a->unit < b->unit);
}

/* Exact groups: equal hash, word count and level. */
static int exact_groups(Dedup *dd, size_t *parent) {
  Key *k = malloc((dd->nu ? dd->nu : 1) * sizeof *k);
  if (k == NULL) return -1;
  for (size_t i = 0; i < dd->nu; i++)
    k[i] = (Key){dd->u[i].hash ^ mix64((uint64_t)dd->u[i].words << 1 |
                                       dd->u[i].level), i};
  qsort(k, dd->nu, sizeof *k, cmp_key);
  for (size_t i = 1; i < dd->nu; i++) {
    const Unit *a = &dd->u[k[i - 1].unit], *b = &dd->u[k[i].unit];
    if (k[i].key == k[i - 1].key && a->hash == b->hash &&
        a->words == b->words && a->level == b->level)
      unite(parent, k[i - 1].unit, k[i].unit);
  }
  free(k);
  return 0;
}

/* Check one candidate pair (once) and join it when similar enough. */
static int check_pair(Dedup *dd, size_t *parent, tr_u64map *done, size_t a,
                      size_t b, size_t *ncand) {
  if (a == b || dd->u[a].level != dd->u[b].level) return 0;
  if (a > b) {
    size_t t = a;
    a = b;
    b = t;
  }
  int added;
  if (tr_u64map_get(done, (uint64_t)a << 32 | (uint64_t)b, &added) == NULL)
    return -1;
  if (!added) return 0;
  (*ncand)++;
  if (find(parent, a) == find(parent, b)) return 0;
  if (jaccard(dd, &dd->u[a], &dd->u[b]) >= dd->o->threshold)
    unite(parent, a, b);
  return 0;
}

/* Near groups: LSH over one representative per exact group. */
static int near_groups(Dedup *dd, size_t *parent, unsigned bands,
                       unsigned rows, size_t *ncand) {
  size_t nrep = 0;
  Key *k = malloc((dd->nu ? dd->nu : 1) * sizeof *k);
  size_t *rep = malloc((dd->nu ? dd->nu : 1) * sizeof *rep);
  tr_u64map done;
  tr_u64map_init(&done);
  int r = k && rep ? 0 : -1;
  for (size_t i = 0; r == 0 && i < dd->nu; i++)
    if (find(parent, i) == i) rep[nrep++] = i;
  for (unsigned b = 0; r == 0 && b < bands; b++) {
    for (size_t i = 0; i < nrep; i++) {
      const uint32_t *sig = dd->sig + rep[i] * dd->o->k + (size_t)b * rows;
      k[i] = (Key){XXH3_64bits_withSeed(sig, rows * sizeof *sig, b), rep[i]};
    }
    qsort(k, nrep, sizeof *k, cmp_key);
    for (size_t i = 0; r == 0 && i < nrep;) {
      size_t j = i + 1;
      while (j < nrep && k[j].key == k[i].key) j++;
      /* A bucket: every pair when small; else each member against the
      ** first and its neighbour, which bounds the work on huge buckets. */
      for (size_t x = i; r == 0 && x < j; x++) {
        if (j - i <= 64) {
          for (size_t y = x + 1; r == 0 && y < j; y++)
            r = check_pair(dd, parent, &done, k[x].unit, k[y].unit, ncand);
        } else if (x > i) {
          r = check_pair(dd, parent, &done, k[i].unit, k[x].unit, ncand);
          if (r == 0)
            r = check_pair(dd, parent, &done, k[x - 1].unit, k[x].unit, ncand);
        }
      }
      i = j;
    }
  }
  free(k);
  free(rep);
  tr_u64map_free(&done);
  return r;
}

/* Rows per band: the most rows (fewest false candidates) for which a pair
** at the threshold still becomes a candidate with probability >= 0.95. */
static void choose_bands(unsigned k, double t, unsigned *bands,
                         unsigned *rows) {
  *rows = 1;
  *bands = k;
  for (unsigned r = 2; r <= k; r++) {
    unsigned b = k / r;
    double p = 1.0 - pow(1.0 - pow(t, (double)r), (double)b);
    if (p < 0.95) break;
    *rows = r;
    *bands = b;
  }
}

typedef struct Member {
  size_t root;          /* its component (level in the high bit) */
  size_t unit;          /* the unit */
} Member;

static int cmp_member(const void *x, const void *y) {
  const Member *a = x, *b = y;
  if (a->root != b->root) return a->root < b->root ? -1 : 1;
  return (a->unit > b->unit) - (a->unit < b->unit);
}

/* Components of two or more units become groups. */
static int build_groups(Dedup *dd, size_t *parent, tr_dups *out) {
  size_t *size = calloc(dd->nu ? dd->nu : 1, sizeof *size);
  if (size == NULL) return -1;
  size_t nm = 0;
  for (size_t i = 0; i < dd->nu; i++) size[find(parent, i)]++;
  for (size_t i = 0; i < dd->nu; i++)
    if (size[find(parent, i)] > 1) nm++;
  Member *m = malloc((nm ? nm : 1) * sizeof *m);
  out->items = malloc((nm ? nm : 1) * sizeof *out->items);
  out->groups = malloc((nm ? nm : 1) * sizeof *out->groups);
  if (m == NULL || out->items == NULL || out->groups == NULL) {
    free(size);
    free(m);
    return -1;
  }
  nm = 0;
  /* Paragraph groups first (level 0), then document groups: sort keys
  ** put the level in the root's high bit. */
  for (size_t i = 0; i < dd->nu; i++) {
    size_t root = find(parent, i);
    if (size[root] < 2) continue;
    size_t key = root | (dd->u[root].level ? (size_t)1 << (sizeof(size_t) * 8 - 1) : 0);
    m[nm++] = (Member){key, i};
  }
  free(size);
  qsort(m, nm, sizeof *m, cmp_member);
  for (size_t i = 0; i < nm; i++) {
    const Unit *u = &dd->u[m[i].unit];
    if (i == 0 || m[i].root != m[i - 1].root) {
      out->groups[out->ngroups++] = (tr_dup_group){i, 0, u->level == 1, 1};
    }
    tr_dup_group *g = &out->groups[out->ngroups - 1];
    const Unit *first = &dd->u[m[g->first].unit];
    tr_dup_item *it = &out->items[i];
    it->start = u->start;
    it->stop = u->stop;
    it->doc = u->doc;
    it->para = u->para;
    it->words = u->words;
    it->group = (uint32_t)(out->ngroups - 1);
    it->exact = u->hash == first->hash && u->words == first->words;
    it->jaccard = jaccard(dd, first, u);
    it->estimate = dd->o->near ? estimate(dd, m[g->first].unit, m[i].unit)
                               : (it->exact ? 1.0 : 0.0);
    if (!it->exact) g->exact = 0;
    g->n++;
  }
  out->nitems = nm;
  free(m);
  return 0;
}

void tr_dups_free(tr_dups *d) {
  free(d->items);
  free(d->groups);
  memset(d, 0, sizeof *d);
}

int tr_dups_find(tr_dups *out, const tr_corpus *c, const tr_tok_opts *tok,
                 const tr_dup_opts *opts, char **err) {
  *err = NULL;
  memset(out, 0, sizeof *out);
  tr_dup_opts o = *opts;
  if (o.min_words == 0) o.min_words = 5;
  if (o.shingle == 0) o.shingle = 5;
  if (o.k == 0) o.k = 128;
  if (o.k > 512) o.k = 512;
  if (o.threshold <= 0) o.threshold = 0.5;
  if (o.threshold > 1) o.threshold = 1;
  if (!o.paragraphs && !o.documents) o.paragraphs = 1;
  Dedup dd;
  memset(&dd, 0, sizeof dd);
  dd.o = &o;
  for (unsigned j = 0; j < o.k; j++) dd.seeds[j] = mix64(0x5eed0000u + j);
  tr_walk_opts wo;
  memset(&wo, 0, sizeof wo);
  wo.tok = tok;
  wo.analyze = 1;
  tr_walk w;
  int r = tr_walk_begin(&w, c, &wo, err);
  while (r == 0 && (r = tr_walk_next(&w)) == 1) r = doc_units(&dd, &w);
  tr_walk_end(&w);
  size_t *parent = NULL;
  if (r == 0) {
    parent = malloc((dd.nu ? dd.nu : 1) * sizeof *parent);
    if (parent == NULL) r = -1;
  }
  if (r == 0) {
    for (size_t i = 0; i < dd.nu; i++) parent[i] = i;
    r = exact_groups(&dd, parent);
  }
  if (r == 0 && o.near) {
    choose_bands(o.k, o.threshold, &out->bands, &out->rows);
    r = near_groups(&dd, parent, out->bands, out->rows, &out->candidates);
  }
  if (r == 0) r = build_groups(&dd, parent, out);
  out->units = dd.nu;
  free(parent);
  free(dd.u);
  free(dd.sh);
  free(dd.sig);
  free(dd.th);
  free(dd.tmp);
  if (r != 0) {
    tr_dups_free(out);
    return -1;
  }
  return 0;
}

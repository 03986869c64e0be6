/*
** bench_gazetteer.c — build time, memory and matching throughput of
** trawl's gazetteer (engine/gazetteer.c) with a large synthetic alias list.
**
** Generates N aliases (100,000 by default, deterministic for a seed) from
** a source text (-w; default: the input itself): a mix of multi-word
** phrases taken from the source (they start at a capitalised word, so
** they look like names and do occur), name-like strings made of source
** words and random syllables ("Kelu Varisonde", "al-Tamerik"), and
** capitalised acronyms (case-sensitive, "KH", "PMF"); 40%, 57% and 3%.
** Aliases are distinct (a frequent phrase is drawn once). Every alias but the
** acronyms has loose hyphens, the rule-file default. -a writes the aliases
** one per line, so that another tool (ripgrep) can search the same list.
**
** Then reads FILE, splits it into documents at form feeds as
** bench_tokenize does, and runs tr_tokenize() then tr_gaz_match() on every
** document, RUNS times; the best run is reported. Tokenizing and matching
** are timed apart (clock_gettime(CLOCK_MONOTONIC) around each call): the
** match figure excludes tokenization, and both are printed. Token and
** match lists are reused from one document to the next.
**
** The last line of output is machine-readable, in the format of the other
** bench rows plus gazetteer fields:
**   RESULT tool=trawl-gaz bytes=N docs=N seconds=S tokens=N sentences=-1
**          load_seconds=S runs=N matches=N tokenize_seconds=S
**          add_seconds=S compile_seconds=S aliases=N states=N memory_bytes=N
** where seconds is the matching time alone and load_seconds reading and
** splitting the file (not counted).
*/
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* clock_gettime under -std=c11 */
#endif
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gazetteer.h"
#include "tokenize.h"

typedef struct doc {
  size_t off, len; /* a document's bytes in the file */
} doc;

typedef struct docs {
  doc *v;          /* the documents, in file order */
  size_t n, cap;   /* used and allocated entries */
} docs;

typedef struct strs {
  char *buf;       /* the strings, each NUL-terminated */
  size_t len, cap; /* used and allocated bytes of buf */
  size_t *off;     /* where each string starts in buf */
  size_t n, ocap;  /* used and allocated entries of off */
} strs;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what) {
  fprintf(stderr, "bench_gazetteer: %s: %s\n", what, strerror(errno));
  exit(2);
}

static void usage(void) {
  fputs("usage: bench_gazetteer [-r RUNS] [-n ALIASES] [-s SEED] [-w SOURCE]\n"
        "                       [-a ALIASES_OUT] [-t TOOL] FILE\n"
        "  -r RUNS         timed runs, the best one is reported (3)\n"
        "  -n ALIASES      aliases to generate (100000)\n"
        "  -s SEED         random seed (1)\n"
        "  -w SOURCE       text to take words and phrases from (FILE)\n"
        "  -a ALIASES_OUT  also write the aliases there, one per line\n"
        "  -t TOOL         name in the RESULT line (trawl-gaz)\n",
        stderr);
  exit(2);
}

static void *xrealloc(void *p, size_t n) {
  p = realloc(p, n);
  if (p == NULL) die("realloc");
  return p;
}

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) die(path);
  if (fseek(f, 0, SEEK_END) != 0) die(path);
  long size = ftell(f);
  if (size < 0 || fseek(f, 0, SEEK_SET) != 0) die(path);
  char *buf = xrealloc(NULL, (size_t)size + 1);
  if (fread(buf, 1, (size_t)size, f) != (size_t)size) die(path);
  fclose(f);
  buf[size] = '\0';
  *len = (size_t)size;
  return buf;
}

static void push_doc(docs *d, size_t off, size_t len) {
  if (len == 0) return;
  if (d->n == d->cap) {
    d->cap = d->cap ? d->cap * 2 : 1024;
    d->v = xrealloc(d->v, d->cap * sizeof *d->v);
  }
  d->v[d->n].off = off;
  d->v[d->n].len = len;
  d->n++;
}

/* Where to cut text[0..len) (len > max) at or before max: after the last
** blank line, else after the last line end, else at a UTF-8 boundary
** (as bench_tokenize does). */
static size_t cut_point(const char *text, size_t max) {
  for (size_t i = max; i >= 2; i--)
    if (text[i - 1] == '\n' && text[i - 2] == '\n') return i;
  for (size_t i = max; i >= 1; i--)
    if (text[i - 1] == '\n') return i;
  size_t i = max;
  while (i > 1 && ((unsigned char)text[i] & 0xC0) == 0x80) i--;
  return i;
}

/* Documents separated by form feeds; over-long ones cut at max_doc. */
static void split_docs(const char *text, size_t len, size_t max_doc,
                       docs *out) {
  size_t start = 0;
  while (start < len) {
    const char *ff = memchr(text + start, '\f', len - start);
    size_t end = ff ? (size_t)(ff - text) : len;
    size_t off = start;
    while (end - off > max_doc) {
      size_t cut = cut_point(text + off, max_doc);
      push_doc(out, off, cut);
      off += cut;
    }
    push_doc(out, off, end - off);
    start = end + 1;
  }
}

static void strs_push(strs *s, const char *p, size_t n) {
  if (s->len + n + 1 > s->cap) {
    s->cap = (s->len + n + 1) * 2;
    s->buf = xrealloc(s->buf, s->cap);
  }
  if (s->n == s->ocap) {
    s->ocap = s->ocap ? s->ocap * 2 : 1024;
    s->off = xrealloc(s->off, s->ocap * sizeof *s->off);
  }
  memcpy(s->buf + s->len, p, n);
  s->buf[s->len + n] = '\0';
  s->off[s->n++] = s->len;
  s->len += n + 1;
}

/* ======================================================================
** Alias generation
** ==================================================================== */

static uint64_t rng = 0x9E3779B97F4A7C15u;
static uint32_t rnd(uint32_t n) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (uint32_t)((rng >> 11) % n);
}

static int is_title_word(const char *text, const tr_token *t) {
  return t->kind == TR_WORD && (t->flags & TR_F_TITLE) && t->len >= 2 &&
         !(t->flags & TR_F_STOP) && (unsigned char)text[t->start] < 0x80;
}

/* A set of strings (open addressing over indices into a strs). */
typedef struct strset {
  size_t *slot;    /* 1 + index in the strs, 0 = empty */
  size_t cap;      /* power of two */
} strset;

static uint64_t fnv(const char *w, size_t n) {
  uint64_t h = 1469598103934665603u;
  for (size_t k = 0; k < n; k++) h = (h ^ (unsigned char)w[k]) * 1099511628211u;
  return h;
}

/* Is w[0..n) in the set? */
static int strset_has(const strset *set, const strs *s, const char *w,
                      size_t n) {
  if (set->cap == 0) return 0;
  size_t j = (size_t)fnv(w, n) & (set->cap - 1);
  for (; set->slot[j]; j = (j + 1) & (set->cap - 1)) {
    const char *o = s->buf + s->off[set->slot[j] - 1];
    if (strlen(o) == n && memcmp(o, w, n) == 0) return 1;
  }
  return 0;
}

/* Add w[0..n) to the set (and to s) unless there; returns 1 if added. */
static int strset_add(strset *set, strs *s, const char *w, size_t n) {
  if ((s->n + 1) * 2 > set->cap) {
    size_t cap = set->cap ? set->cap * 2 : 1024, *slot = calloc(cap, sizeof *slot);
    if (slot == NULL) die("calloc");
    for (size_t i = 0; i < set->cap; i++) {
      if (!set->slot[i]) continue;
      const char *o = s->buf + s->off[set->slot[i] - 1];
      size_t j = (size_t)fnv(o, strlen(o)) & (cap - 1);
      while (slot[j]) j = (j + 1) & (cap - 1);
      slot[j] = set->slot[i];
    }
    free(set->slot);
    set->slot = slot;
    set->cap = cap;
  }
  size_t j = (size_t)fnv(w, n) & (set->cap - 1);
  for (; set->slot[j]; j = (j + 1) & (set->cap - 1)) {
    const char *o = s->buf + s->off[set->slot[j] - 1];
    if (strlen(o) == n && memcmp(o, w, n) == 0) return 0;
  }
  strs_push(s, w, n);
  set->slot[j] = s->n;
  return 1;
}

/* Proper nouns of the source, for name-like aliases: capitalised words
** that never occur in lower case (so "Fulton", "Atlanta", not "New" or
** "Time", which Brown's headlines capitalise), kept in lower case. */
static void collect_words(const char *src, const tr_tokens *toks, strs *out) {
  strs lower = {0};
  strset lset = {0}, oset = {0};
  for (size_t i = 0; i < toks->n; i++)
    if (toks->v[i].kind == TR_WORD && (toks->v[i].flags & TR_F_LOWER)) {
      size_t n;
      const char *w = tr_tokens_norm(toks, i, &n);
      strset_add(&lset, &lower, w, n);
    }
  for (size_t i = 0; i < toks->n; i++) {
    const tr_token *t = &toks->v[i];
    if (!is_title_word(src, t) || !(t->flags & TR_F_ALPHA) ||
        !(t->flags & TR_F_ASCII) || t->len < 3 || t->len > 14)
      continue;
    size_t n;
    const char *w = tr_tokens_norm(toks, i, &n);
    if (!strset_has(&lset, &lower, w, n)) strset_add(&oset, out, w, n);
  }
  free(lower.buf);
  free(lower.off);
  free(lset.slot);
  free(oset.slot);
}

static size_t put_title(char *d, const char *w) {
  size_t n = strlen(w);
  memcpy(d, w, n);
  if (d[0] >= 'a' && d[0] <= 'z') d[0] = (char)(d[0] - 'a' + 'A');
  return n;
}

/* A name-like made-up word: 2-4 syllables, capitalised. */
static size_t put_syllables(char *d) {
  static const char *const on[] = {"k", "t", "m", "s", "r", "l", "b", "d",
    "h", "z", "n", "v", "q", "sh", "kh", "dh", "j", "f", "w", "y"};
  static const char *const nu[] = {"a", "e", "i", "o", "u", "aa", "ei", "ou"};
  size_t w = 0;
  int k = 2 + (int)rnd(3);
  for (int i = 0; i < k; i++) {
    const char *o = on[rnd(20)], *v = nu[rnd(8)];
    memcpy(d + w, o, strlen(o));
    w += strlen(o);
    memcpy(d + w, v, strlen(v));
    w += strlen(v);
    if (rnd(3) == 0) d[w++] = "nmrlsz"[rnd(6)];
  }
  if (d[0] >= 'a' && d[0] <= 'z') d[0] = (char)(d[0] - 'a' + 'A');
  return w;
}

/* One alias into buf (NUL-terminated); returns its flags. */
static unsigned make_alias(char *buf, size_t cap, const char *src,
                           const tr_tokens *toks, const strs *words) {
  uint32_t kind = rnd(100);
  size_t w = 0;
  if (kind < 40 && toks->n > 8) {
    /* A phrase of the source: 2-4 tokens from a capitalised word. */
    for (int tries = 0; tries < 64; tries++) {
      size_t i = rnd((uint32_t)(toks->n - 4));
      while (i < toks->n - 4 && !is_title_word(src, &toks->v[i])) i++;
      if (i >= toks->n - 4) continue;
      int k = 2 + (int)rnd(3), ok = 1;
      w = 0;
      for (int j = 0; j < k && ok; j++) {
        const tr_token *t = &toks->v[i + (size_t)j];
        ok = t->kind == TR_WORD && w + t->len + 2 < cap &&
             memchr(src + t->start, '\n', t->len) == NULL;
        if (!ok) break;
        if (j) buf[w++] = ' ';
        memcpy(buf + w, src + t->start, t->len);
        w += t->len;
      }
      if (ok) {
        buf[w] = '\0';
        return TR_GAZ_LOOSE_HYPHENS;
      }
    }
  }
  if (kind < 97) {
    /* Name-like: 1-3 words, source words or made-up ones, sometimes with
    ** an "al-"/"abu-" style hyphenated prefix. */
    int k = 1 + (int)rnd(3);
    for (int j = 0; j < k; j++) {
      if (j) buf[w++] = ' ';
      if (rnd(6) == 0) {
        const char *pre = rnd(2) ? "al-" : "Abu-";
        memcpy(buf + w, pre, strlen(pre));
        w += strlen(pre);
      }
      if (words->n && rnd(2))
        w += put_title(buf + w, words->buf + words->off[rnd((uint32_t)words->n)]);
      else
        w += put_syllables(buf + w);
      if (w + 64 > cap) break;
    }
    buf[w] = '\0';
    return TR_GAZ_LOOSE_HYPHENS;
  }
  /* An acronym, case-sensitive, mostly of 3 or 4 letters (a list of 2,000
  ** two-letter ones would hold every pair, "OF" and "TO" included). */
  uint32_t r = rnd(20);
  int k = r < 3 ? 2 : r < 13 ? 3 : 4;
  for (int j = 0; j < k; j++) buf[w++] = (char)('A' + rnd(26));
  buf[w] = '\0';
  return TR_GAZ_CASE_SENSITIVE;
}

int main(int argc, char **argv) {
  int runs = 3;
  size_t nalias = 100000;
  const char *tool = "trawl-gaz", *source = NULL, *alias_out = NULL;
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (i + 1 >= argc) usage();
    if (strcmp(argv[i], "-r") == 0) runs = atoi(argv[++i]);
    else if (strcmp(argv[i], "-n") == 0) nalias = (size_t)strtoull(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "-s") == 0) rng ^= strtoull(argv[++i], NULL, 10) * 0xBF58476D1CE4E5B9u;
    else if (strcmp(argv[i], "-w") == 0) source = argv[++i];
    else if (strcmp(argv[i], "-a") == 0) alias_out = argv[++i];
    else if (strcmp(argv[i], "-t") == 0) tool = argv[++i];
    else usage();
  }
  if (i + 1 != argc || runs < 1) usage();
  const char *path = argv[i];
  if (rng == 0) rng = 1;

  /* The aliases, from (at most the first 8 MB of) the source text. */
  size_t slen;
  char *src = read_file(source ? source : path, &slen);
  if (slen > (8u << 20)) {
    slen = cut_point(src, 8u << 20);
    src[slen] = '\0';
  }
  tr_tokens stoks;
  tr_tokens_init(&stoks);
  if (tr_tokenize(src, slen, NULL, &stoks)) die("tr_tokenize");
  strs words = {0}, aliases = {0};
  collect_words(src, &stoks, &words);
  /* Distinct aliases only: frequent source phrases would otherwise be
  ** drawn many times ("United States"), each copy one more match. */
  uint32_t *flags = xrealloc(NULL, (nalias ? nalias : 1) * sizeof *flags);
  strset aset = {0};
  for (size_t k = 0, tries = 0; k < nalias && tries < 100 * nalias; tries++) {
    char buf[512];
    unsigned f = make_alias(buf, sizeof buf, src, &stoks, &words);
    if (strset_add(&aset, &aliases, buf, strlen(buf))) flags[k++] = f;
  }
  free(aset.slot);
  tr_tokens_free(&stoks);
  free(words.buf);
  free(words.off);
  free(src);
  if (alias_out) {
    FILE *f = fopen(alias_out, "w");
    if (f == NULL) die(alias_out);
    for (size_t k = 0; k < aliases.n; k++)
      fprintf(f, "%s\n", aliases.buf + aliases.off[k]);
    if (fclose(f) != 0) die(alias_out);
  }

  /* Build: adds (tokenizing each alias) and compile. */
  double t0 = now();
  tr_gaz *g = tr_gaz_new();
  if (g == NULL) die("tr_gaz_new");
  size_t refused = 0;
  for (size_t k = 0; k < aliases.n; k++) {
    const char *a = aliases.buf + aliases.off[k], *err = NULL;
    if (tr_gaz_add(g, a, strlen(a), (uint32_t)(k / 2), 0, 0, flags[k], &err))
      refused++;
  }
  double t1 = now();
  if (tr_gaz_compile(g)) die("tr_gaz_compile");
  double t2 = now();
  double add_s = t1 - t0, comp_s = t2 - t1;
  size_t mem = tr_gaz_memory(g);

  /* The text. */
  double l0 = now();
  size_t len;
  char *text = read_file(path, &len);
  docs d = {0};
  split_docs(text, len, 1u << 20, &d);
  double load = now() - l0;
  size_t bytes = 0;
  for (size_t k = 0; k < d.n; k++) bytes += d.v[k].len;

  tr_tokens toks;
  tr_matches m;
  tr_tokens_init(&toks);
  tr_matches_init(&m);
  double best = -1, best_tok = 0;
  uint64_t ntok = 0, nmatch = 0;
  for (int r = 0; r < runs; r++) {
    uint64_t rt = 0, rm = 0;
    double t_tok = 0, t_match = 0;
    for (size_t k = 0; k < d.n; k++) {
      const char *s = text + d.v[k].off;
      toks.n = 0;
      toks.norm_n = 0;
      tr_matches_clear(&m);
      double a = now();
      int err = tr_tokenize(s, d.v[k].len, NULL, &toks);
      double b = now();
      err = err || tr_gaz_match(g, s, &toks, &m);
      t_tok += b - a;
      t_match += now() - b;
      if (err) {
        fprintf(stderr, "bench_gazetteer: out of memory in document %zu\n", k);
        return 1;
      }
      rt += toks.n;
      rm += m.n;
    }
    if (r > 0 && (rt != ntok || rm != nmatch)) {
      fprintf(stderr, "bench_gazetteer: runs disagree\n");
      return 1;
    }
    ntok = rt;
    nmatch = rm;
    fprintf(stderr, "  run %d: match %.3f s, %.1f MB/s; tokenize %.3f s, "
            "%.1f MB/s\n", r + 1, t_match, (double)bytes / 1e6 / t_match,
            t_tok, (double)bytes / 1e6 / t_tok);
    if (best < 0 || t_match < best) {
      best = t_match;
      best_tok = t_tok;
    }
  }

  printf("%s: %zu aliases (%zu refused), %zu states, %.1f MB; add %.3f s + "
         "compile %.3f s = %.3f s\n", tool, tr_gaz_count(g), refused,
         tr_gaz_states(g), (double)mem / 1e6, add_s, comp_s, add_s + comp_s);
  printf("%s: %zu documents, %.2f MB, best of %d: match %.3f s, %.1f MB/s, "
         "%.0f tokens/s; tokenize %.3f s, %.1f MB/s; %llu matches, %.0f "
         "matches/s (load %.3f s, not counted)\n", tool, d.n,
         (double)bytes / 1e6, runs, best, (double)bytes / 1e6 / best,
         (double)ntok / best, best_tok, (double)bytes / 1e6 / best_tok,
         (unsigned long long)nmatch, (double)nmatch / best, load);
  printf("RESULT tool=%s bytes=%zu docs=%zu seconds=%.6f tokens=%llu "
         "sentences=-1 load_seconds=%.6f runs=%d matches=%llu "
         "tokenize_seconds=%.6f add_seconds=%.6f compile_seconds=%.6f "
         "aliases=%zu states=%zu memory_bytes=%zu\n",
         tool, bytes, d.n, best, (unsigned long long)ntok, load, runs,
         (unsigned long long)nmatch, best_tok, add_s, comp_s,
         tr_gaz_count(g), tr_gaz_states(g), mem);
  tr_matches_free(&m);
  tr_tokens_free(&toks);
  tr_gaz_free(g);
  free(d.v);
  free(text);
  free(flags);
  free(aliases.buf);
  free(aliases.off);
  return 0;
}

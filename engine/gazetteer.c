/*
** gazetteer.c — every alias compiled into one Aho-Corasick automaton over
** normalised tokens, matched in one pass over a document's tokens.
** gazetteer.h is the contract; docs/rules.md ("How aliases match") gives
** the user-facing rules.
**
** Design
**
** Symbols. An alias is tokenized and normalised as text is (tr_tokenize
** with the options given to tr_gaz_set_options, none by default). Every
** distinct norm becomes an integer symbol through an open-addressing
** intern table whose 16-byte slots hold the symbol, its length and a key
** word that identifies strings of up to 8 bytes, so looking up a typical
** token costs a hash and one slot probe, with no string comparison
** (longer ones add a memcmp of the rest).
** Symbol 0 is "none": a text token unknown to every alias maps to it and
** sends the automaton straight back to the root.
**
** Parts and gaps. A hyphenated token (TR_F_HYPHENATED) is always fed as
** its parts, split at '-' in the norm ("al-kazemi" -> "al", "kazemi"), in
** the aliases and in the text alike, and a hyphenated token is never a
** symbol of its own. The automaton thus runs over parts only, and every
** gap between two consecutive parts is of one of two kinds: a hyphen
** inside a token (H) or a token boundary (T). Each alias records the kinds
** of its own inner gaps. When the automaton reports an alias of L parts
** ending at the current part, three checks decide whether it matches:
**   - end: the current part is the last part of its token (checked before
**     any output is looked at, so partial tokens cost nothing);
**   - start: the gap before the alias's first part is T (or it is the
**     first part of the document);
**   - inner gaps: equal to the alias's own, unless the alias has
**     TR_GAZ_LOOSE_HYPHENS, which accepts H and T alike.
** So "Kazemi" cannot match inside "Al-Kazemi" (start gap is H), "Al"
** cannot either (not the last part), loose "Al Kazemi" matches "Al-Kazemi"
** and loose "Al-Kazemi" matches "Al Kazemi", while a strict "Al-Kazemi"
** matches only the hyphenated word and a strict "Al Kazemi" only two
** tokens. The matcher keeps the kinds of the last 64 gaps in a 64-bit
** shift register (bit j: gap before the part j places back is H), so for
** aliases of up to 64 parts all three checks, and the index of the first
** document token (current token minus the number of T gaps inside), are a
** few bit operations. Longer aliases (rare) walk back over the tokens.
** One automaton serves strict and loose aliases: they differ only in the
** check at output time, never in the path they take.
**
** Automaton. tr_gaz_compile sorts the aliases by their symbol sequences
** and builds the trie in one pass (each alias shares its common prefix
** with the previous one), then numbers the states breadth first. So the
** children of a state are consecutive states in increasing symbol order
** (a state stores its first child, the symbol on its incoming edge and
** its failure link: 12 bytes; a transition is a scan, or a binary search
** for large fan-outs, over the children's records, which the next step
** reads anyway), and the aliases ending in a state are a contiguous run
** of the alias array. The symbols are renumbered at compile so that those
** starting an alias are 1..nroot, in the order of the root's children:
** the root's transition on symbol k is state k, with no table. Failure
** links and output ("dictionary") links are computed breadth first; a bit
** per state says whether it has outputs at all, so the matcher touches
** output data only when there is something to report.
**
** Speed. Each token costs a hash, one slot probe (usually a cache miss on
** a large gazetteer) and one or a few state reads. The matcher hashes the
** token 4 places ahead and prefetches its slot, and prefetches the children
** of each new state, so that those misses overlap instead of adding up.
**
** Case-sensitive aliases (TR_GAZ_CASE_SENSITIVE) keep the original bytes
** of each of their parts; a match is reported only if the document's
** parts have exactly the same bytes (no case folding, no NFKC, no
** apostrophe unification: "KH" matches "KH" only, "Kata’ib" does not
** match "Kata'ib"). Hyphens between parts are not compared (they are gaps,
** checked as above).
**
** Matching reads the compiled gazetteer only; all its state is on the
** stack, so concurrent tr_gaz_match calls on one gazetteer are safe.
** Adding aliases after a compile leaves the previous automaton usable
** (it does not see the new aliases) until the next tr_gaz_compile.
*/
#include "gazetteer.h"

#include <stdlib.h>
#include <string.h>

/* ======================================================================
** Data
** ==================================================================== */

typedef struct gz_slot {
  uint64_t head; /* the string's key word (see str_key): identifies a
                    string of up to 8 bytes, holds the first 8 bytes of
                    a longer one */
  uint32_t sym;  /* symbol id; 0 marks an empty slot */
  uint32_t len;  /* the string's length in bytes */
} gz_slot;

typedef struct gz_alias {
  uint32_t seq;      /* first symbol of the alias in tr_gaz.seqs */
  uint32_t n;        /* number of parts (symbols), >= 1 */
  uint32_t value;    /* copied into the tr_match */
  uint32_t rule;     /* copied into the tr_match */
  int32_t priority;  /* copied into the tr_match */
  uint32_t flags;    /* TR_GAZ_* */
  uint64_t gaps;     /* bit j: the gap before part n-1-j is a hyphen (H),
                        j < n-1 and j < 64; other bits 0 */
  uint32_t gapw;     /* n > 64: first word of all n-1 gap bits (same
                        numbering) in tr_gaz.gapw; else unused */
  uint32_t orig;     /* case-sensitive: offset in tr_gaz.orig of the parts'
                        original bytes, each as a 4-byte length + bytes;
                        UINT32_MAX otherwise */
} gz_alias;

/* What a step reads. States are numbered breadth first, so the children
** of a state are consecutive states, in increasing symbol order, and the
** children of the root are states 1..nroot with state k reached by
** symbol k (symbols are renumbered at compile to make it so). */
typedef struct gz_state {
  uint32_t child; /* its children are states child .. next state's child */
  uint32_t sym;   /* the symbol on the edge into this state */
  uint32_t fail;  /* state of the longest proper suffix */
} gz_state;

struct tr_gaz {
  /* intern table */
  gz_slot *slots;        /* open addressing, linear probing */
  size_t slot_cap;       /* power of two, at most half full */
  size_t nsym;           /* symbols interned + 1 (symbol 0 is "none") */
  char *chars;           /* bytes of every symbol */
  size_t chars_n, chars_cap;
  uint32_t *sym_off;     /* where each symbol's bytes are in chars */
  size_t sym_off_cap;
  size_t max_sym_len;    /* longest symbol: longer norms are unknown */

  /* aliases as added (reordered by end state at each compile) */
  gz_alias *aliases;
  size_t nalias, alias_cap;
  uint32_t *seqs;        /* symbol sequences of the aliases */
  size_t seqs_n, seqs_cap;
  uint64_t *gapw;        /* gap bits of aliases longer than 64 parts */
  size_t gapw_n, gapw_cap;
  unsigned char *orig;   /* original part bytes of case-sensitive aliases */
  size_t orig_n, orig_cap;
  size_t max_parts;      /* longest alias, in parts */

  /* the automaton, as of the last compile */
  gz_state *states;      /* nstates + 1 entries (a sentinel closes ranges) */
  size_t nstates;        /* 0 until compiled */
  size_t nroot;          /* children of the root = symbols that start an
                            alias (ids 1..nroot) */
  uint32_t *out;         /* aliases ending in state s: aliases[out[s] ..
                            out[s + 1]); nstates + 1 entries */
  uint32_t *dict;        /* per state: nearest state on the fail chain
                            with outputs, or 0 */
  uint64_t *emits;       /* bit per state: it has outputs or an output
                            link, so the matcher must look (small enough
                            to stay in cache, unlike the states) */
  size_t c_nsym;         /* symbols known to the automaton */
  size_t c_max_sym_len;  /* max_sym_len as of the compile */

  tr_tokens scratch;     /* reused to tokenize aliases */
  tr_tok_opts opts;      /* how aliases (and so documents) are tokenized */
};

/* ======================================================================
** Small helpers
** ==================================================================== */

/* Make room for `need` elements of size `elem` in the array whose pointer
** is at pp (any T **; copied with memcpy, so no aliasing games), capacity
** *cap. Returns 0, or -1 with the array untouched when memory runs out. */
static int reserve(void *pp, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap) return 0;
  size_t c = *cap ? *cap : 16;
  while (c < need) {
    if (c > SIZE_MAX / 2 / elem) return -1;
    c *= 2;
  }
  void *p;
  memcpy(&p, pp, sizeof p);
  void *q = realloc(p, c * elem);
  if (q == NULL) return -1;
  memcpy(pp, &q, sizeof q);
  *cap = c;
  return 0;
}

static unsigned popcount64(uint64_t x) {
#if defined(__GNUC__)
  return (unsigned)__builtin_popcountll(x);
#else
  unsigned n = 0;
  for (; x; x &= x - 1) n++;
  return n;
#endif
}

/* The key word of s[0..n) and its 64-bit hash. The key word identifies
** a string of up to 8 bytes among those of its length (its bytes, read
** with at most two loads), so such strings are compared without touching
** their bytes; for longer ones it holds the first 8 bytes and the rest is
** compared with memcmp. Token norms average 5 bytes. */
static inline uint64_t str_key(const char *s, size_t n, uint64_t *key) {
  const uint64_t k1 = 0x9E3779B97F4A7C15u, k2 = 0xBF58476D1CE4E5B9u;
  uint64_t w;
  if (n >= 8) {
    memcpy(&w, s, 8);
  } else if (n >= 4) { /* bytes 0-3 and n-4..n-1 */
    uint32_t lo, hi;
    memcpy(&lo, s, 4);
    memcpy(&hi, s + n - 4, 4);
    w = (uint64_t)lo | (uint64_t)hi << 32;
  } else if (n > 0) { /* bytes 0, n/2, n-1 */
    w = (uint64_t)(unsigned char)s[0] |
        (uint64_t)(unsigned char)s[n / 2] << 8 |
        (uint64_t)(unsigned char)s[n - 1] << 16;
  } else {
    w = 0;
  }
  *key = w;
  uint64_t h = (w ^ ((uint64_t)n * k1)) * k2;
  for (size_t i = 8; i < n; i += 8) {
    uint64_t x = 0;
    if (n - i >= 8) memcpy(&x, s + i, 8);
    else memcpy(&x, s + n - 8, 8); /* the last 8 bytes (n > 8) */
    h = (h ^ (h >> 31) ^ x) * k1;
  }
  h ^= h >> 29;
  h *= k2;
  h ^= h >> 32;
  return h;
}

/* Next part of a hyphenated norm: the part starting at *p, up to the next
** '-' or end. Returns its length and moves *p past it (and past the '-');
** *last is set when no '-' followed. Aliases and text split alike. */
static size_t next_part(const char **p, const char *end, int *last) {
  const char *s = *p;
  const char *h = memchr(s, '-', (size_t)(end - s));
  if (h == NULL) {
    *last = 1;
    *p = end;
    return (size_t)(end - s);
  }
  *last = 0;
  *p = h + 1;
  return (size_t)(h - s);
}

/* Number of parts of a document or alias token, as fed to the automaton. */
static size_t token_parts(const tr_tokens *toks, size_t i) {
  const tr_token *t = &toks->v[i];
  if (!(t->flags & TR_F_HYPHENATED)) return 1;
  const char *s = toks->norm + t->norm;
  size_t n = 1;
  for (uint32_t k = 0; k < t->norm_len; k++) n += s[k] == '-';
  return n;
}

/* ======================================================================
** Intern table
** ==================================================================== */

/* Symbol of s[0..n), whose hash and key word are h and key, or 0 when no
** alias has it. Read-only. */
static inline uint32_t probe(const tr_gaz *g, const char *s, size_t n,
                             uint64_t h, uint64_t key) {
  size_t mask = g->slot_cap - 1;
  for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
    const gz_slot *sl = &g->slots[i];
    if (sl->sym == 0) return 0;
    if (sl->head == key && sl->len == n &&
        (n <= 8 ||
         memcmp(g->chars + g->sym_off[sl->sym] + 8, s + 8, n - 8) == 0))
      return sl->sym;
  }
}

/* Symbol of s[0..n), or 0 when no alias has it. Read-only. */
static inline uint32_t lookup(const tr_gaz *g, const char *s, size_t n) {
  if (g->slots == NULL || n > g->max_sym_len) return 0;
  uint64_t key, h = str_key(s, n, &key);
  return probe(g, s, n, h, key);
}

static void slot_put(gz_slot *slots, size_t cap, uint64_t h, gz_slot v) {
  size_t mask = cap - 1, i = (size_t)h & mask;
  while (slots[i].sym != 0) i = (i + 1) & mask;
  slots[i] = v;
}

/* Double the table. Hashes are recomputed from the stored bytes. */
static int rehash(tr_gaz *g) {
  size_t cap = g->slot_cap ? g->slot_cap * 2 : 1024;
  gz_slot *slots = calloc(cap, sizeof *slots);
  if (slots == NULL) return -1;
  for (size_t i = 0; i < g->slot_cap; i++) {
    gz_slot v = g->slots[i];
    uint64_t key;
    if (v.sym)
      slot_put(slots, cap, str_key(g->chars + g->sym_off[v.sym], v.len, &key),
               v);
  }
  free(g->slots);
  g->slots = slots;
  g->slot_cap = cap;
  return 0;
}

/* Symbol of s[0..n), created if new. Returns 0 on memory error. */
static uint32_t intern(tr_gaz *g, const char *s, size_t n) {
  uint32_t sym = lookup(g, s, n);
  if (sym) return sym;
  if (g->nsym >= UINT32_MAX - 1 || n > UINT32_MAX ||
      g->chars_n + n > UINT32_MAX)
    return 0;
  if ((g->nsym + 1) * 2 > g->slot_cap && rehash(g)) return 0;
  if (reserve(&g->chars, &g->chars_cap, g->chars_n + n + 1, 1) ||
      reserve(&g->sym_off, &g->sym_off_cap, g->nsym + 1, sizeof *g->sym_off))
    return 0;
  memcpy(g->chars + g->chars_n, s, n);
  g->sym_off[g->nsym] = (uint32_t)g->chars_n;
  uint64_t key, h = str_key(s, n, &key);
  gz_slot v = {key, (uint32_t)g->nsym, (uint32_t)n};
  slot_put(g->slots, g->slot_cap, h, v);
  g->chars_n += n;
  if (n > g->max_sym_len) g->max_sym_len = n;
  return (uint32_t)g->nsym++;
}

/* ======================================================================
** Life cycle and adding aliases
** ==================================================================== */

tr_gaz *tr_gaz_new(void) {
  tr_gaz *g = calloc(1, sizeof *g);
  if (g == NULL) return NULL;
  g->nsym = 1; /* symbol 0 is "none" */
  tr_tokens_init(&g->scratch);
  return g;
}

static void free_automaton(tr_gaz *g) {
  free(g->states);
  free(g->out);
  free(g->dict);
  free(g->emits);
  g->states = NULL;
  g->out = g->dict = NULL;
  g->emits = NULL;
  g->nstates = g->nroot = g->c_nsym = 0;
}

void tr_gaz_free(tr_gaz *g) {
  if (g == NULL) return;
  free_automaton(g);
  free(g->slots);
  free(g->chars);
  free(g->sym_off);
  free(g->aliases);
  free(g->seqs);
  free(g->gapw);
  free(g->orig);
  tr_tokens_free(&g->scratch);
  free(g);
}

int tr_gaz_set_options(tr_gaz *g, const tr_tok_opts *opts) {
  if (g->nalias) return -1;
  if (opts) g->opts = *opts;
  else memset(&g->opts, 0, sizeof g->opts);
  return 0;
}

/* Append the original bytes of alias token i (as parts) to g->orig.
** Returns the number of parts written, or 0 on memory error. */
static size_t add_orig(tr_gaz *g, const char *alias, const tr_token *t) {
  const char *s = alias + t->start;
  uint32_t st[8], ln[8], *starts = st, *lens = ln;
  size_t np = 1;
  if (t->flags & TR_F_HYPHENATED) {
    np = tr_token_parts(s, t->len, st, ln, 8);
    if (np > 8) {
      starts = malloc(np * sizeof *starts);
      lens = malloc(np * sizeof *lens);
      if (starts == NULL || lens == NULL) np = 0;
      else tr_token_parts(s, t->len, starts, lens, np);
    }
  } else {
    st[0] = 0;
    ln[0] = t->len;
  }
  size_t need = 0;
  for (size_t k = 0; k < np; k++) need += 4 + lens[k];
  if (np && reserve(&g->orig, &g->orig_cap, g->orig_n + need, 1)) np = 0;
  for (size_t k = 0; k < np; k++) {
    uint32_t l = lens[k];
    memcpy(g->orig + g->orig_n, &l, 4);
    memcpy(g->orig + g->orig_n + 4, s + starts[k], l);
    g->orig_n += 4 + (size_t)l;
  }
  if (starts != st) free(starts);
  if (lens != ln) free(lens);
  return np;
}

int tr_gaz_add(tr_gaz *g, const char *alias, size_t len, uint32_t value,
               uint32_t rule, int32_t priority, unsigned flags,
               const char **err) {
  static const char *const oom = "out of memory";
  tr_tokens *tk = &g->scratch;
  tk->n = 0;
  tk->norm_n = 0;
  if (tr_tokenize(alias, len, &g->opts, tk)) return *err = oom, -1;
  if (tk->n == 0) return *err = "alias has no tokens", -1;
  if (len >= UINT32_MAX || g->seqs_n + len + 1 >= UINT32_MAX)
    return *err = "too many aliases", -1; /* parts <= bytes */
  if (reserve(&g->aliases, &g->alias_cap, g->nalias + 1, sizeof *g->aliases))
    return *err = oom, -1;

  gz_alias a = {0};
  size_t seq0 = g->seqs_n, orig0 = g->orig_n, gapw0 = g->gapw_n;
  a.seq = (uint32_t)seq0;
  a.value = value;
  a.rule = rule;
  a.priority = priority;
  a.flags = flags & (TR_GAZ_LOOSE_HYPHENS | TR_GAZ_CASE_SENSITIVE);
  a.orig = UINT32_MAX;

  /* The parts' symbols into seqs; meanwhile one bit per part, "the gap
  ** before it is a hyphen", in text order, in gapw beyond gapw_n (used as
  ** scratch: it is renumbered from the end below). */
  for (size_t i = 0; i < tk->n; i++) {
    size_t nl;
    const char *p = tr_tokens_norm(tk, i, &nl), *end = p + nl;
    int hyph = (tk->v[i].flags & TR_F_HYPHENATED) != 0, last = 0;
    for (size_t k = 0; !last; k++) {
      const char *ps = p;
      size_t pl = hyph ? next_part(&p, end, &last) : (last = 1, nl);
      size_t idx = g->seqs_n - seq0; /* part index in the alias */
      uint32_t sym = intern(g, ps, pl);
      if (sym == 0 ||
          reserve(&g->seqs, &g->seqs_cap, g->seqs_n + 1, sizeof *g->seqs) ||
          reserve(&g->gapw, &g->gapw_cap, gapw0 + idx / 64 + 1,
                  sizeof *g->gapw))
        goto fail_oom;
      g->seqs[g->seqs_n++] = sym;
      if (idx % 64 == 0) g->gapw[gapw0 + idx / 64] = 0;
      if (k > 0) g->gapw[gapw0 + idx / 64] |= (uint64_t)1 << (idx % 64);
    }
  }
  size_t n = g->seqs_n - seq0;
  a.n = (uint32_t)n;

  /* Renumber the gap bits from the end: bit j = gap before part n-1-j,
  ** the order in which the matcher's shift register holds them. */
  size_t words = (n + 63) / 64;
  uint64_t one = 0, *gw = words == 1 ? &one : calloc(words, sizeof *gw);
  if (gw == NULL) goto fail_oom;
  for (size_t j = 0; j + 1 < n; j++) {
    size_t part = n - 1 - j;
    if (g->gapw[gapw0 + part / 64] >> (part % 64) & 1)
      gw[j / 64] |= (uint64_t)1 << (j % 64);
  }
  a.gaps = gw[0];
  if (n > 64) {
    memcpy(g->gapw + gapw0, gw, words * sizeof *gw);
    g->gapw_n = gapw0 + words;
    a.gapw = (uint32_t)gapw0;
    free(gw);
  }

  if (a.flags & TR_GAZ_CASE_SENSITIVE) {
    for (size_t i = 0; i < tk->n; i++) {
      size_t np = add_orig(g, alias, &tk->v[i]);
      if (np == 0) goto fail_oom;
      if (np != token_parts(tk, i)) {
        *err = "alias parts differ from their norms";
        goto fail;
      }
    }
    if (g->orig_n > UINT32_MAX) {
      *err = "too many aliases";
      goto fail;
    }
    a.orig = (uint32_t)orig0;
  }
  if (n > g->max_parts) g->max_parts = n;
  g->aliases[g->nalias++] = a;
  return 0;

fail_oom:
  *err = oom;
fail:
  g->seqs_n = seq0;
  g->orig_n = orig0;
  g->gapw_n = gapw0;
  return -1;
}

size_t tr_gaz_count(const tr_gaz *g) { return g->nalias; }
size_t tr_gaz_states(const tr_gaz *g) { return g->nstates; }

size_t tr_gaz_memory(const tr_gaz *g) {
  return sizeof *g + g->slot_cap * sizeof *g->slots + g->chars_cap +
         g->sym_off_cap * sizeof *g->sym_off +
         g->alias_cap * sizeof *g->aliases + g->seqs_cap * sizeof *g->seqs +
         g->gapw_cap * sizeof *g->gapw + g->orig_cap +
         (g->nstates ? (g->nstates + 1) * (sizeof *g->states + 8) +
                           (g->nstates + 63) / 64 * 8 : 0) +
         g->scratch.cap * sizeof *g->scratch.v + g->scratch.norm_cap;
}

/* ======================================================================
** Compiling
** ==================================================================== */

/* Lexicographic order of two aliases' symbol sequences (a prefix first). */
static int seq_cmp(const tr_gaz *g, uint32_t x, uint32_t y) {
  const gz_alias *a = &g->aliases[x], *b = &g->aliases[y];
  const uint32_t *p = g->seqs + a->seq, *q = g->seqs + b->seq;
  size_t n = a->n < b->n ? a->n : b->n;
  for (size_t i = 0; i < n; i++)
    if (p[i] != q[i]) return p[i] < q[i] ? -1 : 1;
  return (a->n > b->n) - (a->n < b->n);
}

/* Stable merge sort of alias indices by symbol sequence (qsort has no
** context argument, and stability keeps duplicates in the order added). */
static void sort_idx(const tr_gaz *g, uint32_t *v, uint32_t *tmp, size_t n) {
  if (n < 2) return;
  if (n <= 16) { /* insertion sort */
    for (size_t i = 1; i < n; i++) {
      uint32_t x = v[i];
      size_t j = i;
      for (; j > 0 && seq_cmp(g, v[j - 1], x) > 0; j--) v[j] = v[j - 1];
      v[j] = x;
    }
    return;
  }
  size_t h = n / 2;
  sort_idx(g, v, tmp, h);
  sort_idx(g, v + h, tmp, n - h);
  if (seq_cmp(g, v[h - 1], v[h]) <= 0) return;
  memcpy(tmp, v, h * sizeof *v);
  size_t i = 0, j = h, k = 0;
  while (i < h && j < n) v[k++] = seq_cmp(g, v[j], tmp[i]) < 0 ? v[j++] : tmp[i++];
  while (i < h) v[k++] = tmp[i++];
}

/* The child of s (s != 0) reached by sym, or 0. */
static inline uint32_t find_child(const gz_state *st, uint32_t s,
                                  uint32_t sym) {
  uint32_t lo = st[s].child, hi = st[s + 1].child;
  if (hi - lo <= 8) {
    for (; lo < hi; lo++)
      if (st[lo].sym == sym) return lo;
    return 0;
  }
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (st[mid].sym < sym) lo = mid + 1;
    else hi = mid;
  }
  return lo < st[s + 1].child && st[lo].sym == sym ? lo : 0;
}

/* One automaton step: follow failure links until sym can be read. */
static inline uint32_t step(const tr_gaz *g, uint32_t s, uint32_t sym) {
  const gz_state *st = g->states;
  if (sym == 0) return 0;
  while (s) {
    uint32_t t = find_child(st, s, sym);
    if (t) return t;
    s = st[s].fail;
  }
  return sym <= g->nroot ? sym : 0;
}

/* Renumber the symbols so that those starting an alias are 1..nroot (in
** their old order), everywhere they are stored: slots, sequences, bytes.
** Returns 0 or -1 on memory error (nothing changed then). */
static int renumber_symbols(tr_gaz *g) {
  size_t nsym = g->nsym;
  g->nroot = 0;
  if (nsym <= 1) return 0; /* no symbols yet */
  uint32_t *id = calloc(nsym, sizeof *id);
  uint32_t *off = malloc(nsym * sizeof *off);
  if (id == NULL || off == NULL) {
    free(id);
    free(off);
    return -1;
  }
  for (size_t i = 0; i < g->nalias; i++) id[g->seqs[g->aliases[i].seq]] = 1;
  uint32_t k = 0;
  for (size_t x = 1; x < nsym; x++)
    if (id[x]) id[x] = ++k;
  g->nroot = k;
  for (size_t x = 1; x < nsym; x++)
    if (!id[x]) id[x] = ++k;
  off[0] = 0;
  for (size_t x = 1; x < nsym; x++) off[id[x]] = g->sym_off[x];
  memcpy(g->sym_off, off, nsym * sizeof *off);
  for (size_t i = 0; i < g->seqs_n; i++) g->seqs[i] = id[g->seqs[i]];
  for (size_t i = 0; i < g->slot_cap; i++) g->slots[i].sym = id[g->slots[i].sym];
  free(id);
  free(off);
  return 0;
}

int tr_gaz_compile(tr_gaz *g) {
  free_automaton(g);
  size_t na = g->nalias;
  if (g->seqs_n + 2 > UINT32_MAX) return -1;
  if (renumber_symbols(g)) return -1;
  size_t maxst = g->seqs_n + 1; /* at most one state per symbol, + root */
  uint32_t *order = malloc((na + 1) * sizeof *order);
  uint32_t *tmp = malloc((na / 2 + 1) * sizeof *tmp);
  gz_alias *sorted = malloc((na + 1) * sizeof *sorted);
  uint32_t *parent = malloc(maxst * sizeof *parent);
  uint32_t *psym = malloc(maxst * sizeof *psym);
  uint32_t *end = malloc((na + 1) * sizeof *end);
  uint32_t *path = malloc((g->max_parts + 1) * sizeof *path);
  uint32_t *coff = NULL, *kids = NULL, *bfs = NULL, *newid = NULL;
  int rc = -1;
  if (!order || !tmp || !sorted || !parent || !psym || !end || !path)
    goto done;

  /* 1. Sort the aliases by symbol sequence. */
  for (size_t i = 0; i < na; i++) order[i] = (uint32_t)i;
  sort_idx(g, order, tmp, na);
  for (size_t i = 0; i < na; i++) sorted[i] = g->aliases[order[i]];

  /* 2. The trie, depth first: each alias reuses the path of its common
  ** prefix with the previous one, so the children of a state are made in
  ** increasing symbol order. end[i]: state of sorted alias i. */
  size_t ns = 1, prev_n = 0;
  const uint32_t *prev = NULL;
  path[0] = 0;
  for (size_t i = 0; i < na; i++) {
    const gz_alias *a = &sorted[i];
    const uint32_t *q = g->seqs + a->seq;
    size_t l = 0;
    while (l < prev_n && l < a->n && prev[l] == q[l]) l++;
    for (size_t k = l; k < a->n; k++) {
      parent[ns] = path[k];
      psym[ns] = q[k];
      path[k + 1] = (uint32_t)ns++;
    }
    end[i] = path[a->n];
    prev = q;
    prev_n = a->n;
  }

  /* 3. Children lists (depth-first ids), by a counting sort on the parent
  ** that keeps creation order, i.e. increasing symbol order. */
  coff = calloc(ns + 1, sizeof *coff);
  kids = malloc(ns * sizeof *kids);
  bfs = malloc(ns * sizeof *bfs);
  newid = malloc(ns * sizeof *newid);
  g->states = malloc((ns + 1) * sizeof *g->states);
  g->out = calloc(ns + 1, sizeof *g->out);
  g->dict = calloc(ns, sizeof *g->dict);
  g->emits = calloc((ns + 63) / 64, sizeof *g->emits);
  if (!coff || !kids || !bfs || !newid || !g->states || !g->out || !g->dict ||
      !g->emits)
    goto done;
  for (size_t x = 1; x < ns; x++) coff[parent[x] + 1]++;
  for (size_t x = 1; x <= ns; x++) coff[x] += coff[x - 1];
  for (size_t x = 1; x < ns; x++) kids[coff[parent[x]]++] = (uint32_t)x;
  for (size_t x = ns; x > 0; x--) coff[x] = coff[x - 1];
  coff[0] = 0;

  /* 4. Breadth-first numbering: bfs[k] = depth-first id of state k. The
  ** root's children come first, in symbol order: state k = symbol k. */
  size_t head = 0, tail = 0, next_child = 1;
  bfs[tail++] = 0;
  while (head < tail) {
    uint32_t x = bfs[head];
    newid[x] = (uint32_t)head;
    gz_state *sp = &g->states[head++];
    sp->child = (uint32_t)next_child;
    sp->sym = x ? psym[x] : 0;
    sp->fail = 0;
    for (uint32_t c = coff[x]; c < coff[x + 1]; c++) bfs[tail++] = kids[c];
    next_child += coff[x + 1] - coff[x];
  }
  g->states[ns].child = (uint32_t)ns; /* sentinel */
  g->states[ns].sym = 0;
  g->states[ns].fail = 0;
  g->nstates = ns;
  g->c_nsym = g->nsym;
  g->c_max_sym_len = g->max_sym_len;

  /* 5. Outputs: aliases in order of their (breadth-first) end state; a
  ** stable counting sort keeps duplicates in the order added. */
  for (size_t i = 0; i < na; i++) g->out[newid[end[i]] + 1]++;
  for (size_t k = 1; k <= ns; k++) g->out[k] += g->out[k - 1];
  for (size_t i = 0; i < na; i++) g->aliases[g->out[newid[end[i]]]++] = sorted[i];
  for (size_t k = ns; k > 0; k--) g->out[k] = g->out[k - 1];
  g->out[0] = 0;

  /* 6. Failure and output links, breadth first: a state's fail target is
  ** shallower, so already done. */
  for (size_t k = 1; k < ns; k++) {
    uint32_t p = newid[parent[bfs[k]]], f = 0;
    if (p != 0) f = step(g, g->states[p].fail, g->states[k].sym);
    g->states[k].fail = f;
    g->dict[k] = g->out[f] != g->out[f + 1] ? f : g->dict[f];
    if (g->out[k] != g->out[k + 1] || g->dict[k])
      g->emits[k / 64] |= (uint64_t)1 << (k % 64);
  }
  rc = 0;
done:
  if (rc) free_automaton(g);
  free(order);
  free(tmp);
  free(sorted);
  free(parent);
  free(psym);
  free(end);
  free(path);
  free(coff);
  free(kids);
  free(bfs);
  free(newid);
  return rc;
}

/* ======================================================================
** Matching
** ==================================================================== */

/* Alias a (of more than 64 parts) ends at the last part of document
** token t: find the token holding its first part, checking the start
** boundary and, for a strict alias, every inner gap. Returns 0 and sets
** *first, or -1 when the alignment or the gaps do not fit. */
static int walk_back(const tr_gaz *g, const gz_alias *a, const tr_tokens *toks,
                     size_t t, size_t *first) {
  const uint64_t *w = g->gapw + a->gapw;
  int strict = !(a->flags & TR_GAZ_LOOSE_HYPHENS);
  size_t left = a->n, j = 0; /* parts still to cover; part index from end */
  for (size_t tt = t + 1; tt-- > 0;) {
    size_t np = token_parts(toks, tt);
    if (np > left) return -1; /* starts inside token tt */
    if (strict) /* the token's inner gaps are H, the one before it T */
      for (size_t k = 0; k < np; k++, j++) {
        int h = k + 1 < np, want = j + 1 < a->n && (w[j / 64] >> (j % 64) & 1);
        if (j + 1 < a->n && h != want) return -1;
      }
    left -= np;
    if (left == 0) {
      *first = tt;
      return 0;
    }
  }
  return -1;
}

/* Case-sensitive aliases: do the document's parts over tokens
** first..last have the alias's original bytes? 1 yes, 0 no, -1 out of
** memory (only for a word of more than 8 parts). */
static int same_bytes(const tr_gaz *g, const gz_alias *a, const char *text,
                      const tr_tokens *toks, size_t first, size_t last) {
  const unsigned char *o = g->orig + a->orig;
  size_t left = a->n;
  for (size_t t = first; t <= last; t++) {
    const tr_token *tk = &toks->v[t];
    const char *s = text + tk->start;
    uint32_t st[8], ln[8], *starts = st, *lens = ln;
    size_t np = 1;
    int ok = 1;
    if (tk->flags & TR_F_HYPHENATED) {
      np = tr_token_parts(s, tk->len, st, ln, 8);
      if (np > 8) {
        starts = malloc(np * sizeof *starts);
        lens = malloc(np * sizeof *lens);
        if (starts == NULL || lens == NULL) ok = -1;
        else tr_token_parts(s, tk->len, starts, lens, np);
      }
    } else {
      st[0] = 0;
      ln[0] = tk->len;
    }
    if (ok == 1 && (np != token_parts(toks, t) || np > left)) ok = 0;
    for (size_t k = 0; ok == 1 && k < np; k++) {
      uint32_t l;
      memcpy(&l, o, 4);
      ok = l == lens[k] && memcmp(o + 4, s + starts[k], l) == 0;
      o += 4 + (size_t)l;
    }
    if (starts != st) free(starts);
    if (lens != ln) free(lens);
    if (ok != 1) return ok;
    left -= np;
  }
  return left == 0;
}

/* Report the aliases ending in state s (and along its output links) at
** the last part of document token t; hist holds the gap kinds. */
static int report(const tr_gaz *g, const char *text, const tr_tokens *toks,
                  size_t t, uint64_t hist, uint32_t s, tr_matches *out) {
  const uint32_t *o = g->out, *dict = g->dict;
  if (o[s] == o[s + 1]) s = dict[s];
  for (; s; s = dict[s]) {
    const gz_alias *a0 = &g->aliases[o[s]];
    const gz_alias *a1 = &g->aliases[o[s + 1]];
    size_t n = a0->n, first = 0; /* every alias here has n parts */
    uint64_t inner = 0; /* mask of the inner gaps */
    if (n <= 64) {
      if (hist >> (n - 1) & 1) continue; /* starts inside a token */
      inner = n == 1 ? 0 : ((uint64_t)1 << (n - 1)) - 1;
      first = t - popcount64(~hist & inner);
    }
    for (const gz_alias *a = a0; a < a1; a++) {
      if (n > 64) {
        if (walk_back(g, a, toks, t, &first)) continue;
      } else if (!(a->flags & TR_GAZ_LOOSE_HYPHENS) &&
                 (hist & inner) != a->gaps) {
        continue;
      }
      if (a->flags & TR_GAZ_CASE_SENSITIVE) {
        int same = same_bytes(g, a, text, toks, first, t);
        if (same < 0) return -1;
        if (same == 0) continue;
      }
      tr_match m;
      m.start = toks->v[first].start;
      m.stop = toks->v[t].start + toks->v[t].len;
      m.tok_first = (uint32_t)first;
      m.tok_count = (uint32_t)(t - first + 1);
      m.rule = a->rule;
      m.value = a->value;
      m.priority = a->priority;
      m.score = 1.0f;
      m.extra = UINT32_MAX;
      if (tr_matches_push(out, &m)) return -1;
    }
  }
  return 0;
}

#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

/* Slot lookups are the matcher's main cost, and mostly cache misses: the
** key of the token AHEAD places on is computed and its slot prefetched,
** so several misses are in flight at once. */
enum { AHEAD = 4 };

typedef struct gz_ahead {
  uint64_t h, key; /* str_key of a token's norm */
} gz_ahead;

static inline void look_ahead(const tr_gaz *g, const tr_token *t,
                              const char *norms, size_t max_len,
                              gz_ahead *a) {
  if (t->norm_len > max_len || (t->flags & TR_F_HYPHENATED)) return;
  a->h = str_key(norms + t->norm, t->norm_len, &a->key);
  PREFETCH(&g->slots[a->h & (g->slot_cap - 1)]);
}

int tr_gaz_match(const tr_gaz *g, const char *text, const tr_tokens *toks,
                 tr_matches *out) {
  if (g->nstates == 0 || g->slots == NULL) return 0; /* never compiled */
  const uint64_t *emits = g->emits;
  const tr_token *v = toks->v;
  const char *norms = toks->norm;
  size_t n = toks->n, max_len = g->c_max_sym_len, nsym = g->c_nsym;
  gz_ahead ring[AHEAD] = {{0, 0}};
  for (size_t i = 0; i < AHEAD && i < n; i++)
    look_ahead(g, &v[i], norms, max_len, &ring[i]);
  uint32_t s = 0;
  uint64_t hist = 0; /* bit j: the gap before the part j places back is H */
  for (size_t t = 0; t < n; t++) {
    const char *p = norms + v[t].norm;
    size_t nl = v[t].norm_len;
    gz_ahead a = ring[t % AHEAD];
    if (t + AHEAD < n)
      look_ahead(g, &v[t + AHEAD], norms, max_len, &ring[t % AHEAD]);
    if (!(v[t].flags & TR_F_HYPHENATED)) {
      uint32_t sym = nl <= max_len ? probe(g, p, nl, a.h, a.key) : 0;
      if (sym >= nsym) sym = 0; /* added after the compile */
      hist <<= 1;
      s = step(g, s, sym);
      PREFETCH(&g->states[g->states[s].child]);
      if (emits[s / 64] >> (s % 64) & 1 &&
          report(g, text, toks, t, hist, s, out))
        return -1;
      continue;
    }
    const char *end = p + nl;
    int last = 0;
    for (int k = 0; !last; k++) {
      const char *ps = p;
      size_t pl = next_part(&p, end, &last);
      uint32_t sym = pl <= max_len ? lookup(g, ps, pl) : 0;
      if (sym >= nsym) sym = 0;
      hist = hist << 1 | (k > 0);
      s = step(g, s, sym);
      if (last && emits[s / 64] >> (s % 64) & 1 &&
          report(g, text, toks, t, hist, s, out))
        return -1;
    }
  }
  return 0;
}

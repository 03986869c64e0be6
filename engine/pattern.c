/*
** pattern.c — token patterns with spaCy Matcher semantics (pattern.h).
**
** A pattern is compiled to a Thompson NFA over tokens: every spec becomes
** one or more "positions" exactly as spaCy expands its operators ("+" =
** ONE then ZERO_PLUS, "{n,m}" = n ONE then m-n ZERO_ONE, ...). The
** positions a state can skip to are always a contiguous run (optional
** positions follow each other), so the epsilon closure of a position is an
** interval [p, next_mandatory(p)] and a state set is a bitset. For every
** start token we simulate the NFA until its state set dies; each step that
** reaches the accept position is a match (start, end). That yields exactly
** the set of non-empty spans the pattern matches, which is what spaCy's
** Matcher returns without a greedy filter (checked against a brute-force
** matcher in tests/c/test_pattern.c).
**
** Speed. String values (EQ, IN, NOT_IN) are interned at add time; each
** token's needed attributes (ORTH, LOWER, NORM, SHAPE, KIND) are looked
** up once per document, so a predicate is an integer compare or a hash-set
** probe (IN with 1000 values too). A lookup of a string of up to 8 bytes
** (nearly every token) reads its bytes as one integer, lower-cases it
** there for LOWER, and probes a cuckoo table with no branch on the outcome
** (whether a word is a value varies word to word); longer strings are
** skipped when no value has their length and first byte. Patterns are
** indexed by what their first token must be: an EQ/IN value, else an
** anchored REGEX's possible first bytes, else a required flag (IS_TITLE,
** LIKE_NUM...), so a pattern is only tried at tokens where it can start;
** only patterns with none of these (a wildcard, "!", LENGTH alone first)
** are tried everywhere. While looking up ids, prepare() notes which tokens
** any bucket may concern, and only those are visited; the candidates of a
** token are gathered from its buckets first and then run, and a pattern
** whose first two tokens are both mandatory is dropped at once when the
** second token fails its spec (its "guard"), before any NFA is set up.
** spec_ok tests a spec's flags and first EQ with two compares, without a
** switch on predicate kinds. A REGEX is first tested against PCRE2's own
** necessary conditions (minimum length, first and required bytes; for
** LOWER on the text, lower-cased on the fly), its results are memoised
** per (regex, token) and per (regex, string of up to 16 bytes), and it
** runs through the JIT fast path. LOWER and SHAPE strings are made only
** for the tokens a regex or the first-byte index asks about, LENGTH only
** where a predicate reads it. Matches come out of the scan in start order,
** so deduplication and FIRST need one pass; LONGEST sorts its own, with a
** merge sort and no comparison callback. Cost: O(tokens x patterns tried
** x active positions), in practice close to O(tokens) for patterns that
** start with a value.
**
** Thread safety: a tr_patterns is never written by tr_patterns_match; all
** scratch lives in the call.
*/
#define PCRE2_CODE_UNIT_WIDTH 8

#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "pattern.h"

/* An NFA position: how a spec consumes tokens there. */
enum { K_ONE, K_NOT, K_OPT, K_STAR };

/* Id slots: string attributes whose per-token value is interned. */
enum { SLOT_TEXT, SLOT_LOWER, SLOT_NORM, SLOT_SHAPE, SLOT_KIND, NSLOTS };

/* Compiled predicate kinds, cheapest first (specs evaluate in this order). */
enum {
  Q_ID_EQ,     /* interned attribute id == id */
  Q_FLAG,      /* boolean flag == want */
  Q_ID_IN,     /* id in set */
  Q_ID_NOT_IN, /* id not in set */
  Q_LEN_CMP,   /* LENGTH <op> num */
  Q_LEN_IN,    /* LENGTH in set (keys are length + 1) */
  Q_LEN_NOT_IN,
  Q_REGEX      /* PCRE2 search in the attribute string */
};

/* Index of the lowest set bit of x (x != 0). */
#if defined(__GNUC__)
#define CTZ64(x) ((unsigned)__builtin_ctzll(x))
#else
static unsigned CTZ64(uint64_t x) {
  unsigned n = 0;
  while (!(x & 1)) {
    x >>= 1;
    n++;
  }
  return n;
}
#endif

/* Most positions one pattern may expand to ("{,m}" makes m of them). */
#define MAX_POSITIONS 10000u

#define DEFAULT_MATCH_LIMIT 1000000u
#define DEFAULT_DEPTH_LIMIT 10000u
#define DEFAULT_HEAP_LIMIT_KB 20000u

/* ======================================================================
** Hashing and sets
** ==================================================================== */

static uint64_t rotl64(uint64_t x, int r) {
  return (x << r) | (x >> (64 - r));
}

static uint64_t fmix64(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ULL;
  k ^= k >> 33;
  return k;
}

/* A fast non-cryptographic string hash (MurmurHash3-style mixing). */
static uint64_t hash_bytes(const char *s, size_t n) {
  uint64_t h = 0x9E3779B97F4A7C15ULL ^ ((uint64_t)n * 0x87c37b91114253d5ULL);
  while (n >= 8) {
    uint64_t w;
    memcpy(&w, s, 8);
    w *= 0x87c37b91114253d5ULL;
    w = rotl64(w, 31);
    w *= 0x4cf5ad432745937fULL;
    h ^= w;
    h = rotl64(h, 27) * 5 + 0x52dce729;
    s += 8;
    n -= 8;
  }
  if (n) {
    uint64_t w = 0;
    memcpy(&w, s, n);
    w *= 0x87c37b91114253d5ULL;
    w = rotl64(w, 31);
    w *= 0x4cf5ad432745937fULL;
    h ^= w;
  }
  return fmix64(h);
}

/* A set of non-zero uint32 keys, open addressing (0 = empty slot). */
typedef struct idset {
  uint32_t *slot;   /* capacity mask+1 slots, or NULL when empty */
  uint32_t mask;    /* capacity - 1 */
  uint32_t n;       /* keys stored */
} idset;

static uint32_t idhash(uint32_t k) {
  return (uint32_t)((k * 0x9E3779B97F4A7C15ULL) >> 32);
}

static inline int idset_has(const idset *s, uint32_t k) {
  if (s->n == 0 || k == 0) return 0;
  uint32_t i = idhash(k) & s->mask;
  for (;;) {
    uint32_t v = s->slot[i];
    if (v == k) return 1;
    if (v == 0) return 0;
    i = (i + 1) & s->mask;
  }
}

/* Build a set from keys (zeros skipped, duplicates merged); load <= 1/2. */
static int idset_build(idset *s, const uint32_t *keys, size_t n) {
  memset(s, 0, sizeof *s);
  if (n == 0) return 0;
  size_t cap = 4;
  while (cap < 2 * n) cap *= 2;
  s->slot = calloc(cap, sizeof *s->slot);
  if (!s->slot) return -1;
  s->mask = (uint32_t)(cap - 1);
  for (size_t j = 0; j < n; j++) {
    uint32_t k = keys[j];
    if (k == 0) continue;
    uint32_t i = idhash(k) & s->mask;
    while (s->slot[i] && s->slot[i] != k) i = (i + 1) & s->mask;
    if (!s->slot[i]) {
      s->slot[i] = k;
      s->n++;
    }
  }
  return 0;
}

/* ======================================================================
** String interning: every string value of every EQ/IN/NOT_IN gets an id
** (1-based); a token attribute not in the table has id 0.
** ==================================================================== */

typedef struct interner {
  uint32_t *slot;    /* open addressing table of ids, 0 = empty */
  uint32_t mask;
  char *arena;       /* the strings, back to back */
  size_t arena_n, arena_cap;
  uint64_t *off;     /* per id: offset in arena */
  uint32_t *len;     /* per id: length */
  uint64_t *hash;    /* per id: full hash (cheap mismatch test) */
  uint32_t n, cap;   /* ids used (id 0 unused) and allocated */
  uint32_t minlen, maxlen; /* shortest/longest string: quick rejects */
} interner;

static uint32_t intern_find_h(const interner *t, const char *s, size_t len,
                              uint64_t h) {
  if (t->n == 0 || len > t->maxlen || len < t->minlen) return 0;
  uint32_t i = (uint32_t)h & t->mask;
  for (;;) {
    uint32_t id = t->slot[i];
    if (id == 0) return 0;
    if (t->hash[id] == h && t->len[id] == len &&
        memcmp(t->arena + t->off[id], s, len) == 0)
      return id;
    i = (i + 1) & t->mask;
  }
}

static int intern_grow_table(interner *t) {
  uint32_t cap = t->slot ? (t->mask + 1) * 2 : 64;
  uint32_t *slot = calloc(cap, sizeof *slot);
  if (!slot) return -1;
  for (uint32_t id = 1; id <= t->n; id++) {
    uint32_t i = (uint32_t)t->hash[id] & (cap - 1);
    while (slot[i]) i = (i + 1) & (cap - 1);
    slot[i] = id;
  }
  free(t->slot);
  t->slot = slot;
  t->mask = cap - 1;
  return 0;
}

/* The id of s, added when new. Returns 0 on memory error. */
static uint32_t intern_add(interner *t, const char *s, size_t len) {
  if (len > UINT32_MAX) return 0;
  uint64_t h = hash_bytes(s, len);
  uint32_t id = t->n ? intern_find_h(t, s, len, h) : 0;
  if (id) return id;
  if (t->n + 1 >= t->cap) {
    uint32_t cap = t->cap ? t->cap * 2 : 64;
    uint64_t *off = realloc(t->off, cap * sizeof *off);
    if (!off) return 0;
    t->off = off;
    uint32_t *ln = realloc(t->len, cap * sizeof *ln);
    if (!ln) return 0;
    t->len = ln;
    uint64_t *hs = realloc(t->hash, cap * sizeof *hs);
    if (!hs) return 0;
    t->hash = hs;
    t->cap = cap;
  }
  if (t->arena_n + len + 1 > t->arena_cap) {
    size_t cap = t->arena_cap ? t->arena_cap : 1024;
    while (cap < t->arena_n + len + 1) cap *= 2;
    char *a = realloc(t->arena, cap);
    if (!a) return 0;
    t->arena = a;
    t->arena_cap = cap;
  }
  /* Keep the table at most half full (n + 1 ids after this add). */
  if (!t->slot || (t->n + 1) * 2 > t->mask + 1) {
    if (intern_grow_table(t) != 0) return 0;
  }
  id = ++t->n;
  memcpy(t->arena + t->arena_n, s, len);
  t->off[id] = t->arena_n;
  t->len[id] = (uint32_t)len;
  t->hash[id] = h;
  t->arena_n += len;
  uint32_t i = (uint32_t)h & t->mask;
  while (t->slot[i]) i = (i + 1) & t->mask;
  t->slot[i] = id;
  if (t->n == 1 || len < t->minlen) t->minlen = (uint32_t)len;
  if (len > t->maxlen) t->maxlen = (uint32_t)len;
  return id;
}

static void intern_free(interner *t) {
  free(t->slot);
  free(t->arena);
  free(t->off);
  free(t->len);
  free(t->hash);
  memset(t, 0, sizeof *t);
}

/* ======================================================================
** Per-slot value tables: a token's attribute string to its id
** ==================================================================== */

/* The values compared in one slot (ORTH, LOWER, ...), for looking up each
** token's attribute among them once per document (those of up to 8 bytes
** also go into a cktab, below, which serves most lookups). A string of at
** most 8 bytes is keyed by its bytes packed into an integer (byte k in
** bits 8k..8k+7, the rest zero; with the length, that is the whole
** string), so a lookup compares integers and touches neither the string
** nor the interner; a longer one is keyed by its hash_bytes and confirmed
** against the interned string. */
typedef struct vent {
  uint64_t key;      /* packed bytes (len <= 8) or hash_bytes */
  uint32_t len;
  uint32_t id;       /* interned id; 0: empty entry */
} vent;

typedef struct vtab {
  vent *e;           /* mask + 1 entries, or NULL when empty */
  uint32_t mask, n;
  unsigned shift;    /* 64 - log2(mask + 1) */
} vtab;

/* s[0..len), len <= 8, packed as a vtab key. */
static inline uint64_t pack8(const char *s, size_t len) {
  uint64_t k = 0;
  for (size_t i = 0; i < len; i++)
    k |= (uint64_t)(unsigned char)s[i] << (8 * i);
  return k;
}

/* pack8 of s[0..len) (len <= 8), with one load instead of a byte loop
** when the 8 bytes that end at s + len are readable (`back`: the string
** does not start in the first bytes of its buffer). */
static inline uint64_t load_key(const char *s, size_t len, int back) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  if (back && len) {
    uint64_t v;
    memcpy(&v, s + len - 8, 8);
    return v >> (64 - 8 * len);
  }
#else
  (void)back;
#endif
  return pack8(s, len);
}

/* Is s[0..len) all ASCII? Eight bytes at a time. */
static inline int ascii_str(const char *s, size_t len) {
  size_t i = 0;
  for (; i + 8 <= len; i += 8) {
    uint64_t v;
    memcpy(&v, s + i, 8);
    if (v & 0x8080808080808080ULL) return 0;
  }
  for (; i < len; i++)
    if ((unsigned char)s[i] >= 0x80) return 0;
  return 1;
}

/* ASCII lower case of a key whose bytes are all below 0x80: per byte,
** without carries, bit 7 of (b + 0x3F) & ~(b + 0x25) is set for A-Z. */
static inline uint64_t lower_key(uint64_t k) {
  const uint64_t k01 = 0x0101010101010101ULL;
  uint64_t up = (k + 0x3F * k01) & ~(k + 0x25 * k01) & (0x80 * k01);
  return k | (up >> 2);
}

static inline uint32_t vtab_pos(const vtab *t, uint64_t key, size_t len) {
  return (uint32_t)(((key ^ (uint64_t)len) * 0x9E3779B97F4A7C15ULL) >>
                    t->shift);
}

/* The id of s[0..len) among the table's values, 0 if none; key is its
** vtab key (pack8, or hash_bytes for len > 8). */
static inline uint32_t vtab_find(const vtab *t, const interner *strs,
                                 uint64_t key, const char *s, size_t len) {
  if (t->n == 0) return 0;
  uint32_t i = vtab_pos(t, key, len);
  for (;;) {
    const vent *x = &t->e[i];
    if (x->id == 0) return 0;
    if (x->key == key && x->len == len &&
        (len <= 8 || memcmp(strs->arena + strs->off[x->id], s, len) == 0))
      return x->id;
    i = (i + 1) & t->mask;
  }
}

/* Add value s[0..len) with interned id (once); at most half full. */
static int vtab_add(vtab *t, const interner *strs, const char *s, size_t len,
                    uint32_t id) {
  uint64_t key = len <= 8 ? pack8(s, len) : hash_bytes(s, len);
  if (vtab_find(t, strs, key, s, len)) return 0;
  if (!t->e || (t->n + 1) * 2 > t->mask + 1) {
    uint32_t cap = t->e ? (t->mask + 1) * 2 : 16;
    unsigned bits = 0;
    while ((1u << bits) < cap) bits++;
    vent *e = calloc(cap, sizeof *e);
    if (!e) return -1;
    vtab old = *t;
    t->e = e;
    t->mask = cap - 1;
    t->shift = 64 - bits;
    for (uint32_t k = 0; old.e && k <= old.mask; k++) {
      if (!old.e[k].id) continue;
      uint32_t i = vtab_pos(t, old.e[k].key, old.e[k].len);
      while (e[i].id) i = (i + 1) & t->mask;
      e[i] = old.e[k];
    }
    free(old.e);
  }
  uint32_t i = vtab_pos(t, key, len);
  while (t->e[i].id) i = (i + 1) & t->mask;
  t->e[i].key = key;
  t->e[i].len = (uint32_t)len;
  t->e[i].id = id;
  t->n++;
  return 0;
}

/* The values of up to 8 bytes of a slot again, in a cuckoo table: each
** value sits in one of two entries, so a lookup reads both and picks the
** match with no branch. That is the lookup of nearly every token, and
** whether a word is a value varies word to word: branches on it would
** mispredict. An empty entry (key 0, length 0, id 0) yields id 0. */
typedef struct ckent {
  uint64_t key;      /* pack8 of the value */
  uint32_t len;
  uint32_t id;       /* 0: empty */
} ckent;

typedef struct cktab {
  ckent *e;          /* 2^bits entries, or NULL when empty */
  unsigned bits;
  uint32_t n;
} cktab;

static inline uint32_t ck_h1(uint64_t key, size_t len, unsigned bits) {
  return (uint32_t)(((key ^ (uint64_t)len << 59) * 0x9E3779B97F4A7C15ULL) >>
                    (64 - bits));
}

static inline uint32_t ck_h2(uint64_t key, size_t len, unsigned bits) {
  return (uint32_t)(((key ^ (uint64_t)len << 59) * 0xC2B2AE3D27D4EB4FULL) >>
                    (64 - bits));
}

/* The id of the string packed as key, of len <= 8 bytes; 0 if none. */
static inline uint32_t ck_find(const cktab *t, uint64_t key, size_t len) {
  if (!t->e) return 0; /* (no values of up to 8 bytes, or see intern_slot) */
  const ckent *a = &t->e[ck_h1(key, len, t->bits)];
  const ckent *b = &t->e[ck_h2(key, len, t->bits)];
  /* written with masks, not && and ?:, which compilers turn into the
  ** very branches this table is for */
  uint32_t ea = (uint32_t)(((a->key ^ key) | (a->len ^ len)) == 0);
  uint32_t eb = (uint32_t)(((b->key ^ key) | (b->len ^ len)) == 0);
  return (a->id & (0u - ea)) | (b->id & (0u - eb));
}

/* Place x, moving residents to their other entry; 0, or -1 when the
** kicks run out (then the table is rebuilt bigger). */
static int ck_place(cktab *t, ckent x) {
  uint32_t i = ck_h1(x.key, x.len, t->bits);
  for (int kick = 0; kick < 100; kick++) {
    ckent y = t->e[i];
    t->e[i] = x;
    if (y.id == 0) return 0;
    x = y;
    uint32_t h1 = ck_h1(x.key, x.len, t->bits);
    i = h1 == i ? ck_h2(x.key, x.len, t->bits) : h1;
  }
  return -1; /* x, some value, is now homeless: rebuild */
}

/* Rebuild t with 2^bits entries from the values of vt (all of them of up
** to 8 bytes). 0, or -1 on memory error. */
static int ck_rebuild(cktab *t, const vtab *vt, unsigned bits) {
  for (;; bits++) {
    cktab nt = { calloc((size_t)1 << bits, sizeof(ckent)), bits, 0 };
    if (!nt.e) return -1;
    int ok = 1;
    for (uint32_t k = 0; vt->e && k <= vt->mask && ok; k++) {
      const vent *v = &vt->e[k];
      if (!v->id || v->len > 8) continue;
      ckent x = { v->key, v->len, v->id };
      ok = ck_place(&nt, x) == 0;
      nt.n++;
    }
    if (ok) {
      free(t->e);
      *t = nt;
      return 0;
    }
    free(nt.e);
  }
}

/* ======================================================================
** The compiled pattern set
** ==================================================================== */

typedef struct cpred {
  uint8_t kind;      /* Q_* */
  uint8_t slot;      /* SLOT_* for Q_ID_* and Q_REGEX */
  uint8_t cmp;       /* tr_pred_op for Q_LEN_CMP */
  uint8_t want;      /* Q_FLAG: expected value */
  uint32_t id;       /* Q_ID_EQ: the interned value */
  uint32_t flag;     /* Q_FLAG: TR_F_* mask */
  uint32_t re;       /* Q_REGEX: index in tr_patterns.re */
  double num;        /* Q_LEN_CMP: the number */
  idset set;         /* Q_ID_IN / NOT_IN / Q_LEN_IN / NOT_IN */
} cpred;

typedef struct cspec {
  cpred *preds;      /* conjunction, sorted cheapest first; none: any */
  uint32_t npreds;
  /* For spec_ok, which tests most specs with two compares and no switch
  ** (the kinds of the specs it meets one after the other vary, and a
  ** switch on them would mispredict): preds holds first the EQ folded
  ** into eq_slot/eq_id, if any, then the flag tests folded into fmask/
  ** fwant, then from `rest` on the others, cheapest first. */
  uint32_t fmask, fwant; /* the flag tests: (flags & fmask) == fwant */
  uint32_t eq_id;        /* ids[eq_slot][i] must equal it; with eq_slot
                            NSLOTS (an all-zero array) and 0: no test */
  uint8_t eq_slot;
  uint32_t rest;         /* index in preds of the first other test */
} cspec;

typedef struct cpat {
  uint32_t npos;       /* NFA positions; position npos accepts */
  uint32_t words;      /* uint64 words of a state bitset (npos+1 bits) */
  uint8_t *kind;       /* per position: K_* */
  uint32_t *spec;      /* per position: index in tr_patterns.specs */
  uint32_t *next_mand; /* per position 0..npos: first mandatory position
                          at or after it (npos if none): the closure of p
                          is [p, next_mand[p]] */
  uint64_t *clos1;     /* words == 1 only: closure masks per position */
  uint32_t group;      /* index in tr_patterns.groups */
  int32_t priority;
  uint32_t minbytes;   /* the first token has at least this many bytes */
  uint32_t guard;      /* 1 + a spec the second token must satisfy, or 0:
                          see tr_patterns_add */
} cpat;

/* A spaCy "key": patterns added with the same rule and value. Their
** matches are deduplicated together and the greedy filter applies to
** them together; as Matcher.add does, the last add sets the filter. */
typedef struct cgroup {
  uint32_t rule, value;
  int greedy;
  uint32_t npats;    /* patterns in the key */
} cgroup;

typedef struct cregex {
  pcre2_code *code;
  uint8_t slot;      /* the attribute it searches */
  /* Necessary conditions for a match, from PCRE2's own start-up
  ** optimisations, tested before calling pcre2_match (most tokens fail
  ** them, and the call costs more than the test). */
  uint8_t anchored;  /* a match can only start at offset 0 */
  uint8_t has_first; /* first[]: the bytes a match can start with */
  uint8_t has_req;   /* req[]: some such byte is in every match */
  uint8_t jit;       /* JIT-compiled: searched with pcre2_jit_match */
  uint8_t nlit;      /* lit[0..nlit): ASCII bytes every match holds, from
                        required_literals (PCRE2 reports one at most) */
  uint8_t lit[4];
  uint32_t minlen;   /* no match in fewer characters (so bytes) */
  uint8_t first[32], req[32]; /* 256-bit byte sets */
  char *src;         /* the pattern (for sharing identical ones, and for
                        the message when it hits a limit) */
  size_t srclen;
} cregex;

/* A bucket of the first-token index: patterns to try at a token. */
typedef struct plist {
  uint32_t *pats;    /* pattern indexes, ascending */
  uint32_t n, cap;
  uint32_t minb;     /* no pattern here takes a first token of fewer bytes
                        (the least cpat.minbytes; lower is safe) */
} plist;

struct tr_patterns {
  interner strs;     /* interned string values */
  vtab vt[NSLOTS];   /* per slot: its values, for the per-token lookups */
  cktab ck[NSLOTS];  /* per slot: its values of up to 8 bytes again */
  cspec *specs;      /* all specs of all patterns */
  size_t nspecs, capspecs;
  cpat *pats;
  size_t npats, cappats;
  cgroup *groups;
  size_t ngroups, capgroups;
  cregex *re;
  size_t nre, capre;
  /* First-token index: a pattern is tried at a token only when the token
  ** can be its first one, by an interned value (EQ/IN on ORTH, LOWER,
  ** NORM, SHAPE, KIND), an anchored REGEX's first byte, or a flag. */
  plist *lists;        /* buckets of the value index; lists[0] unused */
  size_t nlists, caplists;
  uint32_t *ixid[NSLOTS]; /* per slot: interned id -> bucket, 0 = none */
  size_t ixcap[NSLOTS];   /* entries allocated in ixid[slot] */
  plist flag_lists[32];   /* patterns whose first token needs flag bit b */
  uint32_t flag_bits;     /* bits whose list is not empty */
  plist *byte_lists[NSLOTS]; /* per slot, 256 lists: patterns whose first
                          token needs an anchored REGEX on that attribute,
                          by the first byte it can start with */
  unsigned byte_slots;    /* slots with byte lists */
  uint8_t byte_any[NSLOTS][32]; /* per slot, the bytes whose list is not
                          empty: most first bytes have none */
  uint8_t byte_go[256];   /* by a token's first byte: the byte slots whose
                          list for that token may not be empty (bit per
                          slot; set when the byte alone cannot tell) */
  uint32_t flag_len[65];  /* flag bits whose list has a pattern that may
                          start at a token of that many bytes (64: more) */
  size_t nspecial;        /* keys with several patterns or a filter: when
                             none, matches need no deduplication and no
                             regrouping (they come out in start order) */
  plist unindexed;        /* patterns tried at every token */
  unsigned id_slots;   /* SLOT_* bits whose ids matching needs */
  uint32_t slot_min[NSLOTS], slot_max[NSLOTS]; /* byte lengths of the
                          values compared in each slot: a token attribute
                          outside them has no id, without hashing */
  uint8_t anybyte[NSLOTS][32]; /* per slot, the first bytes of its values
                          (lenbyte's rows together) */
  uint8_t lenbyte[NSLOTS][64][32]; /* per slot, bit (length, first byte)
                          of every value (lengths over 62 share row 63):
                          a token attribute with no bit set has no id */
  unsigned re_slots;   /* SLOT_* bits whose strings regexes need */
  uint32_t maxwords;   /* largest cpat.words */
  pcre2_match_context *mctx; /* limits; read-only while matching */
  uint32_t match_limit, depth_limit;
  size_t heap_limit_kb;
};

/* ======================================================================
** Names
** ==================================================================== */

static const char *const attr_names[TR_A_MAX] = {
  NULL, "ORTH", "TEXT", "LOWER", "NORM", "LENGTH", "SHAPE", "IS_ALPHA",
  "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE", "IS_PUNCT",
  "IS_SPACE", "IS_STOP", "IS_BRACKET", "IS_QUOTE", "IS_LEFT_PUNCT",
  "IS_RIGHT_PUNCT", "LIKE_NUM", "LIKE_URL", "LIKE_EMAIL", "KIND"
};

static int ieq(const char *a, size_t alen, const char *b) {
  size_t blen = strlen(b);
  if (alen != blen) return 0;
  for (size_t i = 0; i < alen; i++) {
    unsigned char c = (unsigned char)a[i];
    if (c >= 'a' && c <= 'z') c = (unsigned char)(c - 32);
    if (c != (unsigned char)b[i]) return 0;
  }
  return 1;
}

tr_attr tr_attr_from_name(const char *name, size_t len) {
  if (!name) return (tr_attr)0;
  for (int a = 1; a < TR_A_MAX; a++)
    if (ieq(name, len, attr_names[a])) return (tr_attr)a;
  return (tr_attr)0;
}

const char *tr_attr_name(tr_attr a) {
  return a > 0 && a < TR_A_MAX ? attr_names[a] : "?";
}

static const char *pred_op_name(tr_pred_op op) {
  switch (op) {
  case TR_P_EQ: return "==";
  case TR_P_NE: return "!=";
  case TR_P_IN: return "IN";
  case TR_P_NOT_IN: return "NOT_IN";
  case TR_P_REGEX: return "REGEX";
  case TR_P_LT: return "<";
  case TR_P_LE: return "<=";
  case TR_P_GT: return ">";
  case TR_P_GE: return ">=";
  }
  return "?";
}

tr_pred_op tr_pred_op_from_name(const char *name, size_t len) {
  static const tr_pred_op ops[] = { TR_P_EQ, TR_P_NE, TR_P_IN, TR_P_NOT_IN,
                                    TR_P_REGEX, TR_P_LT, TR_P_LE, TR_P_GT,
                                    TR_P_GE };
  if (!name) return (tr_pred_op)0;
  for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
    if (ieq(name, len, pred_op_name(ops[i]))) return ops[i];
  return (tr_pred_op)0;
}

/* Parse a decimal run [s, e) into *v (no sign, no spaces). */
static int parse_uint(const char *s, const char *e, unsigned *v) {
  if (s == e) return -1;
  unsigned long long x = 0;
  for (; s < e; s++) {
    if (*s < '0' || *s > '9') return -1;
    x = x * 10 + (unsigned)(*s - '0');
    if (x >= UINT32_MAX) return -1; /* UINT32_MAX means "unbounded" */
  }
  *v = (unsigned)x;
  return 0;
}

int tr_tok_op_parse(const char *s, size_t len, tr_tok_op *op, unsigned *min,
                    unsigned *max, const char **err) {
  static const char bad[] =
    "OP must be one of !, ?, +, *, {n}, {n,m}, {n,}, {,m} where n and m are "
    "integers and n <= m";
  *min = 1;
  *max = 1;
  if (len == 1) {
    switch (s[0]) {
    case '!': *op = TR_OP_NOT; return 0;
    case '?': *op = TR_OP_OPT; *min = 0; return 0;
    case '+': *op = TR_OP_PLUS; *max = UINT32_MAX; return 0;
    case '*': *op = TR_OP_STAR; *min = 0; *max = UINT32_MAX; return 0;
    case '1': *op = TR_OP_ONE; return 0;
    }
  }
  /* spaCy's schema: ^({\d+}|{\d+,\d*}|{\d*,\d+})$ */
  if (len < 3 || s[0] != '{' || s[len - 1] != '}') goto fail;
  const char *b = s + 1, *e = s + len - 1;
  const char *comma = memchr(b, ',', (size_t)(e - b));
  unsigned n = 0, m = UINT32_MAX;
  if (!comma) {
    if (parse_uint(b, e, &n) != 0) goto fail;
    m = n;
  } else {
    if (comma == b && comma + 1 == e) goto fail; /* "{,}" */
    if (comma > b && parse_uint(b, comma, &n) != 0) goto fail;
    if (comma + 1 < e && parse_uint(comma + 1, e, &m) != 0) goto fail;
    if (n > m) goto fail;
  }
  *op = TR_OP_RANGE;
  *min = n;
  *max = m;
  return 0;
fail:
  if (err) *err = bad;
  return -1;
}

/* ======================================================================
** Errors
** ==================================================================== */

#if defined(__GNUC__)
static char *msgf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#endif

static char *msgf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) return NULL;
  char *s = malloc((size_t)n + 1);
  if (!s) return NULL;
  va_start(ap, fmt);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return s;
}

static void set_err(char **err, char *m) {
  if (err) *err = m;
  else free(m);
}

/* ======================================================================
** Lifetime
** ==================================================================== */

static void apply_limits(tr_patterns *p) {
  pcre2_set_match_limit(p->mctx, p->match_limit ? p->match_limit
                                                 : DEFAULT_MATCH_LIMIT);
  pcre2_set_depth_limit(p->mctx, p->depth_limit ? p->depth_limit
                                                : DEFAULT_DEPTH_LIMIT);
  size_t heap = p->heap_limit_kb ? p->heap_limit_kb : DEFAULT_HEAP_LIMIT_KB;
  pcre2_set_heap_limit(p->mctx, heap > UINT32_MAX ? UINT32_MAX
                                                  : (uint32_t)heap);
}

tr_patterns *tr_patterns_new(void) {
  tr_patterns *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  p->mctx = pcre2_match_context_create(NULL);
  if (!p->mctx) {
    free(p);
    return NULL;
  }
  apply_limits(p);
  return p;
}

void tr_patterns_set_limits(tr_patterns *p, uint32_t match_limit,
                            uint32_t depth_limit, size_t heap_limit_kb) {
  p->match_limit = match_limit;
  p->depth_limit = depth_limit;
  p->heap_limit_kb = heap_limit_kb;
  apply_limits(p);
}

static void spec_free(cspec *s) {
  for (uint32_t i = 0; i < s->npreds; i++) free(s->preds[i].set.slot);
  free(s->preds);
}

static void cpat_free(cpat *c) {
  free(c->kind);
  free(c->spec);
  free(c->next_mand);
  free(c->clos1);
}

void tr_patterns_free(tr_patterns *p) {
  if (!p) return;
  intern_free(&p->strs);
  for (int sl = 0; sl < NSLOTS; sl++) {
    free(p->vt[sl].e);
    free(p->ck[sl].e);
  }
  for (size_t i = 0; i < p->nspecs; i++) spec_free(&p->specs[i]);
  free(p->specs);
  for (size_t i = 0; i < p->npats; i++) cpat_free(&p->pats[i]);
  free(p->pats);
  free(p->groups);
  for (size_t i = 0; i < p->nre; i++) {
    pcre2_code_free(p->re[i].code);
    free(p->re[i].src);
  }
  free(p->re);
  for (size_t i = 0; i < p->nlists; i++) free(p->lists[i].pats);
  free(p->lists);
  for (int sl = 0; sl < NSLOTS; sl++) free(p->ixid[sl]);
  for (int b = 0; b < 32; b++) free(p->flag_lists[b].pats);
  for (int sl = 0; sl < NSLOTS; sl++)
    if (p->byte_lists[sl]) {
      for (int b = 0; b < 256; b++) free(p->byte_lists[sl][b].pats);
      free(p->byte_lists[sl]);
    }
  free(p->unindexed.pats);
  pcre2_match_context_free(p->mctx);
  free(p);
}

size_t tr_patterns_count(const tr_patterns *p) { return p ? p->npats : 0; }

/* ======================================================================
** Adding a pattern
** ==================================================================== */

static int grow(void **v, size_t *cap, size_t need, size_t size) {
  if (need <= *cap) return 0;
  size_t c = *cap ? *cap : 8;
  while (c < need) c *= 2;
  void *n = realloc(*v, c * size);
  if (!n) return -1;
  *v = n;
  *cap = c;
  return 0;
}

typedef enum { AT_STRING, AT_NUMBER, AT_BOOL } attr_type;

static attr_type type_of(tr_attr a) {
  switch (a) {
  case TR_A_ORTH: case TR_A_TEXT: case TR_A_LOWER: case TR_A_NORM:
  case TR_A_SHAPE: case TR_A_KIND:
    return AT_STRING;
  case TR_A_LENGTH:
    return AT_NUMBER;
  default:
    return AT_BOOL;
  }
}

static int slot_of(tr_attr a) {
  switch (a) {
  case TR_A_ORTH: case TR_A_TEXT: return SLOT_TEXT;
  case TR_A_LOWER: return SLOT_LOWER;
  case TR_A_NORM: return SLOT_NORM;
  case TR_A_SHAPE: return SLOT_SHAPE;
  case TR_A_KIND: return SLOT_KIND;
  default: return -1;
  }
}

static uint32_t flag_of(tr_attr a) {
  switch (a) {
  case TR_A_IS_ALPHA: return TR_F_ALPHA;
  case TR_A_IS_ASCII: return TR_F_ASCII;
  case TR_A_IS_DIGIT: return TR_F_DIGIT;
  case TR_A_IS_LOWER: return TR_F_LOWER;
  case TR_A_IS_UPPER: return TR_F_UPPER;
  case TR_A_IS_TITLE: return TR_F_TITLE;
  case TR_A_IS_PUNCT: return TR_F_PUNCT;
  case TR_A_IS_SPACE: return TR_F_SPACE; /* never set by tr_tokenize */
  case TR_A_IS_STOP: return TR_F_STOP;
  case TR_A_IS_BRACKET: return TR_F_BRACKET;
  case TR_A_IS_QUOTE: return TR_F_QUOTE;
  case TR_A_IS_LEFT_PUNCT: return TR_F_LEFT_PUNCT;
  case TR_A_IS_RIGHT_PUNCT: return TR_F_RIGHT_PUNCT;
  case TR_A_LIKE_NUM: return TR_F_LIKE_NUM;
  case TR_A_LIKE_URL: return TR_F_LIKE_URL;
  case TR_A_LIKE_EMAIL: return TR_F_LIKE_EMAIL;
  default: return 0;
  }
}

static int is_kind_name(const char *s, size_t len) {
  for (int k = 1; k < TR_KIND_MAX; k++) {
    const char *n = tr_kind_name(k);
    if (strlen(n) == len && memcmp(n, s, len) == 0) return 1;
  }
  return 0;
}

static const char kind_list[] =
  "word, number, punct, symbol, url, email, hashtag, mention, emoji";

/* Check one predicate against spaCy's schema (plus trawl's KIND). Returns
** NULL when fine, else a malloc'ed message (without the "token i: "). */
static char *check_pred(const tr_pred *q) {
  if (q->attr <= 0 || q->attr >= TR_A_MAX)
    return msgf("unknown attribute %d", (int)q->attr);
  const char *an = attr_names[q->attr];
  if (q->op < TR_P_EQ || q->op > TR_P_GE)
    return msgf("%s: unknown predicate %d", an, (int)q->op);
  const char *on = pred_op_name(q->op);
  attr_type t = type_of(q->attr);
  int setop = q->op == TR_P_IN || q->op == TR_P_NOT_IN;
  if (setop && q->nset > 0 && (q->is_num ? !q->nums : !q->set))
    return msgf("%s: %s: missing values", an, on);
  switch (t) {
  case AT_BOOL:
    if (q->op != TR_P_EQ)
      return msgf("%s takes true or false, not %s", an, on);
    if (!q->is_num || (q->num != 0 && q->num != 1))
      return msgf("%s takes true or false", an);
    return NULL;
  case AT_NUMBER:
    if (q->op == TR_P_REGEX)
      return msgf("%s: REGEX needs a string attribute (ORTH, TEXT, LOWER, "
                  "NORM, SHAPE, KIND)", an);
    if (!q->is_num)
      return msgf("%s takes a number, not a string", an);
    if (setop)
      for (size_t k = 0; k < q->nset; k++)
        if (q->nums[k] != q->nums[k]) /* NaN */
          return msgf("%s: %s: value %zu is not a number", an, on, k + 1);
    return NULL;
  case AT_STRING:
    if (q->op == TR_P_NE || q->op >= TR_P_LT)
      return msgf("%s: %s needs a numeric attribute (LENGTH)%s", an, on,
                  q->op == TR_P_NE ? "; use NOT_IN for strings" : "");
    if (q->is_num)
      return msgf("%s takes a string, not a number", an);
    if ((q->op == TR_P_EQ || q->op == TR_P_REGEX) && !q->str)
      return msgf("%s: %s: missing string", an, on);
    if (setop)
      for (size_t k = 0; k < q->nset; k++)
        if (!q->set[k])
          return msgf("%s: %s: value %zu is missing", an, on, k + 1);
    if (q->attr == TR_A_KIND) {
      if (q->op == TR_P_EQ && !is_kind_name(q->str, q->len))
        return msgf("KIND: unknown kind '%.*s' (one of %s)", (int)q->len,
                    q->str, kind_list);
      if (setop)
        for (size_t k = 0; k < q->nset; k++) {
          size_t l = q->set_len ? q->set_len[k] : strlen(q->set[k]);
          if (!is_kind_name(q->set[k], l))
            return msgf("KIND: %s: unknown kind '%.*s' (one of %s)", on,
                        (int)l, q->set[k], kind_list);
        }
    }
    return NULL;
  }
  return NULL;
}

/* Does the spec test a REGEX? */
static int spec_has_regex(const cspec *s) {
  for (uint32_t i = 0; i < s->npreds; i++)
    if (s->preds[i].kind == Q_REGEX) return 1;
  return 0;
}

/* Rough cost order so cheap, selective tests run first. */
static int pred_rank(const cpred *q) { return q->kind; }

static int by_rank(const void *a, const void *b) {
  return pred_rank(a) - pred_rank(b);
}

static void bm_set(uint8_t *bm, unsigned b) {
  bm[b >> 3] |= (uint8_t)(1u << (b & 7));
}

static int bm_has(const uint8_t *bm, unsigned b) {
  return bm[b >> 3] >> (b & 7) & 1;
}

/* Allow code unit u, and whatever could be the same character caselessly
** (PCRE2 does not say whether its first/last code unit is caseless): the
** other ASCII case, and any non-ASCII byte (KELVIN SIGN matches k, LONG S
** matches s); for a non-ASCII unit, every ASCII letter too. */
static void allow_unit(uint8_t *bm, uint32_t u) {
  if (u > 0xFF) u = 0xFF;
  bm_set(bm, u);
  for (unsigned b = 0x80; b <= 0xFF; b++) bm_set(bm, b);
  if (u >= 0x80) {
    for (unsigned b = 'A'; b <= 'Z'; b++) {
      bm_set(bm, b);
      bm_set(bm, b + 32);
    }
  } else if ((u | 32) >= 'a' && (u | 32) <= 'z') {
    bm_set(bm, u ^ 32);
  }
}

/* ASCII characters every match of the pattern src[0..len) must contain,
** found conservatively from its text: literals at its top level (outside
** any group or class, with no alternation at that level) that no
** quantifier can make vanish: "-" in "^(anti|pro)-". Anything not plainly
** understood (options, verbs, lookarounds, escapes of several characters,
** POSIX classes, non-ASCII) ends the search with nothing, so whatever is
** found is sure. Escaped characters, classes and groups are skipped, not
** analysed. At most max bytes go into lit; returns how many. */
static int required_literals(const char *src, size_t len, uint8_t *lit,
                             int max) {
  int n = 0, depth = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)src[i];
    if (c >= 0x80) return 0;
    if (c == '\\') {
      /* skipped: an escaped punctuation character, or a one-letter
      ** escape (\d \b \s...); the others take more characters (\x41
      ** \012 \cA \pL \g1 \k<a> \Q...): give up */
      if (++i >= len) return 0;
      unsigned char e = (unsigned char)src[i];
      int alnum = (e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') ||
                  (e >= '0' && e <= '9');
      if (alnum && (!strchr("dDwWsSbBAzZGhHvVRXKtnrfea", e) ||
                    (i + 1 < len && src[i + 1] == '{')))
        return 0;
      continue;
    }
    if (c == '{') {
      /* a quantifier {n}, {n,}, {n,m}, {,m}: skipped; else give up (a
      ** brace is a literal only where it makes no quantifier) */
      size_t j = i + 1;
      while (j < len && ((src[j] >= '0' && src[j] <= '9') || src[j] == ','))
        j++;
      if (j >= len || src[j] != '}' || j == i + 1) return 0;
      i = j;
      continue;
    }
    if (c == '[') { /* a class: skipped whole */
      size_t j = i + 1;
      if (j < len && src[j] == '^') j++;
      if (j < len && src[j] == ']') j++; /* a literal ] first */
      for (; j < len && src[j] != ']'; j++) {
        if (src[j] == '[' && j + 1 < len && src[j + 1] == ':') return 0;
        if (src[j] == '\\') j++;
      }
      if (j >= len) return 0;
      i = j;
      continue;
    }
    if (c == '(') {
      if (i + 1 < len && (src[i + 1] == '*' ||
                          (src[i + 1] == '?' &&
                           !(i + 2 < len && src[i + 2] == ':'))))
        return 0; /* verbs, options, lookarounds, named groups... */
      if (i + 1 < len && src[i + 1] == '?') i += 2;
      depth++;
      continue;
    }
    if (c == ')') {
      if (depth == 0) return 0;
      depth--;
      continue;
    }
    if (c == '|') {
      if (depth == 0) return 0; /* then no literal is sure */
      continue;
    }
    if (depth > 0 || strchr(".^$?*+}]", c)) continue;
    /* a top-level literal: sure unless a quantifier that allows none of
    ** it follows ("a?", "a*", "a{0,2}"; "a{" is taken for one) */
    unsigned char nx = i + 1 < len ? (unsigned char)src[i + 1] : 0;
    if (nx == '?' || nx == '*' || nx == '{') continue;
    int seen = 0;
    for (int k = 0; k < n; k++) seen |= lit[k] == c;
    if (!seen && n < max) lit[n++] = c;
  }
  return depth == 0 ? n : 0;
}

/* The necessary conditions pcre2_match itself uses to skip subjects. */
static void prefilter(cregex *r, const pcre2_code *code) {
  uint32_t opts = 0, minlen = 0, ftype = 0, ltype = 0, unit = 0;
  const uint8_t *bitmap = NULL;
  if (pcre2_pattern_info(code, PCRE2_INFO_ALLOPTIONS, &opts) == 0)
    r->anchored = (opts & PCRE2_ANCHORED) != 0;
  if (pcre2_pattern_info(code, PCRE2_INFO_MINLENGTH, &minlen) == 0)
    r->minlen = minlen;
  if (pcre2_pattern_info(code, PCRE2_INFO_FIRSTCODETYPE, &ftype) == 0) {
    if (ftype == 1 &&
        pcre2_pattern_info(code, PCRE2_INFO_FIRSTCODEUNIT, &unit) == 0) {
      allow_unit(r->first, unit);
      r->has_first = 1;
    } else if (ftype == 0 &&
               pcre2_pattern_info(code, PCRE2_INFO_FIRSTBITMAP, &bitmap) == 0
               && bitmap) {
      memcpy(r->first, bitmap, 32); /* exact: PCRE2 built it */
      r->has_first = 1;
    }
  }
  if (pcre2_pattern_info(code, PCRE2_INFO_LASTCODETYPE, &ltype) == 0 &&
      ltype == 1 &&
      pcre2_pattern_info(code, PCRE2_INFO_LASTCODEUNIT, &unit) == 0) {
    allow_unit(r->req, unit);
    r->has_req = 1;
  }
}

/* Can the regex match s at all, by its necessary conditions? */
static int may_match(const cregex *r, const char *s, size_t len) {
  const unsigned char *u = (const unsigned char *)s;
  if (len < r->minlen) return 0;
  if (len == 0) return 1;
  if (r->has_first) {
    if (r->anchored) {
      if (!bm_has(r->first, u[0])) return 0;
    } else {
      size_t i = 0;
      while (i < len && !bm_has(r->first, u[i])) i++;
      if (i == len) return 0;
    }
  }
  if (r->has_req) {
    size_t i = 0;
    while (i < len && !bm_has(r->req, u[i])) i++;
    if (i == len) return 0;
  }
  for (unsigned k = 0; k < r->nlit; k++)
    if (!memchr(s, r->lit[k], len)) return 0;
  return 1;
}

/* may_match for the LOWER string of the token text s[0..len), without
** making it: when s is all ASCII its LOWER string is s with A-Z lowered,
** byte for byte, so the same tests run on bytes lowered on the fly.
** Returns 0 (no match), 1 (maybe; s is all ASCII) or 2 (maybe; s holds
** other bytes, so the LOWER string may differ in length). */
static int may_match_lower(const cregex *r, const char *s, size_t len) {
  const unsigned char *u = (const unsigned char *)s;
  int first = !r->has_first || (r->anchored && len > 0), req = !r->has_req;
  unsigned lits = 0, all = (1u << r->nlit) - 1; /* bit k: lit[k] seen */
  for (size_t i = 0; i < len; i++) {
    unsigned b = u[i];
    if (b >= 0x80) return 2;
    if (b >= 'A' && b <= 'Z') b += 32;
    if (i == 0 && r->has_first && r->anchored && !bm_has(r->first, b))
      return 0;
    if (!first && bm_has(r->first, b)) first = 1;
    if (!req && bm_has(r->req, b)) req = 1;
    for (unsigned k = 0; k < r->nlit; k++)
      lits |= (unsigned)(r->lit[k] == b) << k;
  }
  return len >= r->minlen && lits == all && (len == 0 || (first && req));
}

/* A regex for (slot, src), shared with an identical earlier one. */
static int add_regex(tr_patterns *p, int slot, const char *src, size_t len,
                     uint32_t *out, char **msg) {
  for (size_t i = 0; i < p->nre; i++)
    if (p->re[i].slot == slot && p->re[i].srclen == len &&
        memcmp(p->re[i].src, src, len) == 0) {
      *out = (uint32_t)i;
      return 0;
    }
  int ec;
  PCRE2_SIZE off;
  /* MATCH_INVALID_UTF: a token with invalid UTF-8 simply does not match
  ** there (no error at match time, no per-call UTF check). */
  pcre2_code *code = pcre2_compile((PCRE2_SPTR)src, len,
                                   PCRE2_UTF | PCRE2_UCP |
                                   PCRE2_MATCH_INVALID_UTF,
                                   &ec, &off, NULL);
  if (!code) {
    PCRE2_UCHAR buf[256];
    if (pcre2_get_error_message(ec, buf, sizeof buf) < 0)
      strcpy((char *)buf, "invalid pattern");
    *msg = msgf("REGEX: %s at offset %zu", (char *)buf, (size_t)off);
    return -1;
  }
  /* No JIT (unsupported platform, out of memory) is not fatal: pcre2_match
  ** then interprets the pattern. */
  int jit = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
  if (grow((void **)&p->re, &p->capre, p->nre + 1, sizeof *p->re) != 0) {
    pcre2_code_free(code);
    return -2;
  }
  char *copy = malloc(len + 1);
  if (!copy) {
    pcre2_code_free(code);
    return -2;
  }
  memcpy(copy, src, len);
  copy[len] = '\0';
  cregex *r = &p->re[p->nre];
  memset(r, 0, sizeof *r);
  prefilter(r, code);
  r->nlit = (uint8_t)required_literals(src, len, r->lit, (int)sizeof r->lit);
  r->code = code;
  r->jit = (uint8_t)jit;
  r->slot = (uint8_t)slot;
  r->src = copy;
  r->srclen = len;
  *out = (uint32_t)p->nre++;
  return 0;
}

/* Intern a value compared in a slot, widening the slot's length bounds. */
static uint32_t intern_slot(tr_patterns *p, int slot, const char *s,
                            size_t len) {
  uint32_t id = intern_add(&p->strs, s, len);
  if (!id || vtab_add(&p->vt[slot], &p->strs, s, len, id) != 0) return 0;
  if (len <= 8 && ck_find(&p->ck[slot], pack8(s, len), len) != id) {
    /* at most a third full, else (or when the kicks run out) rebuilt */
    cktab *t = &p->ck[slot];
    ckent x = { pack8(s, len), (uint32_t)len, id };
    if (!t->e || (t->n + 1) * 3 > (1u << t->bits) || ck_place(t, x) != 0) {
      unsigned bits = t->e ? t->bits + ((t->n + 1) * 3 > (1u << t->bits))
                           : 4;
      if (ck_rebuild(t, &p->vt[slot], bits) != 0) {
        /* no table rather than a wrong one: lookups take the vtab */
        free(t->e);
        memset(t, 0, sizeof *t);
        return 0;
      }
    } else {
      t->n++;
    }
  }
  bm_set(p->lenbyte[slot][len < 63 ? len : 63], len ? (unsigned char)s[0] : 0);
  bm_set(p->anybyte[slot], len ? (unsigned char)s[0] : 0);
  if (!(p->id_slots & (1u << slot)) || len < p->slot_min[slot])
    p->slot_min[slot] = (uint32_t)len;
  if (!(p->id_slots & (1u << slot)) || len > p->slot_max[slot])
    p->slot_max[slot] = (uint32_t)len;
  p->id_slots |= 1u << slot;
  return id;
}

/* Compile the string values of a set predicate into interned ids. */
static int intern_set(tr_patterns *p, int slot, const tr_pred *q,
                      idset *set) {
  uint32_t *ids = malloc((q->nset ? q->nset : 1) * sizeof *ids);
  if (!ids) return -1;
  for (size_t k = 0; k < q->nset; k++) {
    size_t l = q->set_len ? q->set_len[k] : strlen(q->set[k]);
    ids[k] = intern_slot(p, slot, q->set[k], l);
    if (!ids[k]) {
      free(ids);
      return -1;
    }
  }
  int rc = idset_build(set, ids, q->nset);
  free(ids);
  return rc;
}

/* Numeric sets hold length + 1 for every integral value >= 0 (a token
** length is a positive integer: any other value can never be equal). */
static int length_set(const tr_pred *q, idset *set) {
  uint32_t *keys = malloc((q->nset ? q->nset : 1) * sizeof *keys);
  if (!keys) return -1;
  for (size_t k = 0; k < q->nset; k++) {
    double v = q->nums[k];
    keys[k] = (v >= 0 && v < (double)UINT32_MAX - 1 &&
               v == (double)(uint32_t)v) ? (uint32_t)v + 1 : 0;
  }
  int rc = idset_build(set, keys, q->nset);
  free(keys);
  return rc;
}

/* Fold a spec's first EQ and its flag tests into its fast fields (see
** cspec), moving them to the front of preds; the order of the rest is
** kept (only among tests without effects does the order change: every
** REGEX still comes after all of them). */
static void fold_spec(cspec *c) {
  uint32_t w = 0;
  c->fmask = c->fwant = 0;
  c->eq_slot = NSLOTS;
  c->eq_id = 0;
  for (uint32_t k = 0; k < c->npreds; k++)
    if (c->preds[k].kind == Q_ID_EQ) {
      cpred x = c->preds[k];
      memmove(c->preds + 1, c->preds, k * sizeof *c->preds);
      c->preds[0] = x;
      c->eq_slot = x.slot;
      c->eq_id = x.id;
      w = 1;
      break;
    }
  int never = 0;
  for (uint32_t k = w; k < c->npreds; k++) {
    if (c->preds[k].kind != Q_FLAG) continue;
    cpred x = c->preds[k];
    memmove(c->preds + w + 1, c->preds + w, (k - w) * sizeof *c->preds);
    c->preds[w++] = x;
    uint32_t want = x.want ? x.flag : 0;
    if ((c->fmask & x.flag) && (c->fwant & x.flag) != want) never = 1;
    c->fmask |= x.flag;
    c->fwant |= want;
  }
  if (never) { /* IS_TITLE true and false at once: nothing matches */
    c->fmask = 0;
    c->fwant = 1;
  }
  c->rest = w;
}

/* Compile a spec into p->specs (validated before). */
static int compile_spec(tr_patterns *p, const tr_tok_spec *s, char **msg) {
  cspec c;
  memset(&c, 0, sizeof c);
  if (s->npreds) {
    c.preds = calloc(s->npreds, sizeof *c.preds);
    if (!c.preds) return -2;
  }
  for (size_t i = 0; i < s->npreds; i++) {
    const tr_pred *q = &s->preds[i];
    cpred *o = &c.preds[c.npreds++];
    int slot = slot_of(q->attr);
    o->cmp = (uint8_t)q->op;
    switch (type_of(q->attr)) {
    case AT_BOOL:
      o->kind = Q_FLAG;
      o->flag = flag_of(q->attr);
      o->want = q->num != 0;
      break;
    case AT_NUMBER:
      if (q->op == TR_P_IN || q->op == TR_P_NOT_IN) {
        o->kind = q->op == TR_P_IN ? Q_LEN_IN : Q_LEN_NOT_IN;
        if (length_set(q, &o->set) != 0) goto oom;
      } else {
        o->kind = Q_LEN_CMP;
        o->num = q->num;
      }
      break;
    case AT_STRING:
      o->slot = (uint8_t)slot;
      if (q->op == TR_P_REGEX) {
        o->kind = Q_REGEX;
        int rc = add_regex(p, slot, q->str, q->len, &o->re, msg);
        if (rc == -2) goto oom;
        if (rc != 0) {
          spec_free(&c);
          return -1;
        }
        p->re_slots |= 1u << slot;
      } else if (q->op == TR_P_EQ) {
        o->kind = Q_ID_EQ;
        o->id = intern_slot(p, slot, q->str, q->len);
        if (!o->id) goto oom;
      } else {
        o->kind = q->op == TR_P_IN ? Q_ID_IN : Q_ID_NOT_IN;
        if (intern_set(p, slot, q, &o->set) != 0) goto oom;
        /* An empty set still needs the slot (NOT_IN {} is true). */
        if (!(p->id_slots & (1u << slot))) {
          p->slot_min[slot] = UINT32_MAX;
          p->slot_max[slot] = 0;
          p->id_slots |= 1u << slot;
        }
      }
      break;
    }
  }
  if (c.npreds > 1) qsort(c.preds, c.npreds, sizeof *c.preds, by_rank);
  fold_spec(&c);
  if (grow((void **)&p->specs, &p->capspecs, p->nspecs + 1,
           sizeof *p->specs) != 0)
    goto oom;
  p->specs[p->nspecs++] = c;
  return 0;
oom:
  spec_free(&c);
  return -2;
}

/* ---- first-token index --------------------------------------------- */

/* Append pattern pi, whose first token has at least minb bytes, to a
** bucket (once: pi is the newest pattern). */
static int plist_add(plist *l, uint32_t pi, uint32_t minb) {
  if (l->n == 0 || minb < l->minb) l->minb = minb;
  if (l->n && l->pats[l->n - 1] == pi) return 0;
  if (l->n == l->cap) {
    uint32_t cap = l->cap ? l->cap * 2 : 4;
    uint32_t *v = realloc(l->pats, cap * sizeof *v);
    if (!v) return -1;
    l->pats = v;
    l->cap = cap;
  }
  l->pats[l->n++] = pi;
  return 0;
}

/* Take pattern pi back out of a bucket (after a failed add). */
static void plist_drop(plist *l, uint32_t pi) {
  if (l->n && l->pats[l->n - 1] == pi) l->n--;
}

static int ix_add(tr_patterns *p, int slot, uint32_t id, uint32_t pi,
                  uint32_t minb) {
  if (id >= p->ixcap[slot]) {
    size_t cap = p->ixcap[slot] ? p->ixcap[slot] : 64;
    while (cap <= id) cap *= 2;
    uint32_t *v = realloc(p->ixid[slot], cap * sizeof *v);
    if (!v) return -1;
    memset(v + p->ixcap[slot], 0, (cap - p->ixcap[slot]) * sizeof *v);
    p->ixid[slot] = v;
    p->ixcap[slot] = cap;
  }
  uint32_t b = p->ixid[slot][id];
  if (!b) {
    if (grow((void **)&p->lists, &p->caplists, p->nlists + 2,
             sizeof *p->lists) != 0)
      return -1;
    if (p->nlists == 0) memset(&p->lists[p->nlists++], 0, sizeof *p->lists);
    b = (uint32_t)p->nlists;
    memset(&p->lists[p->nlists++], 0, sizeof *p->lists);
    p->ixid[slot][id] = b;
  }
  return plist_add(&p->lists[b], pi, minb);
}

/* The predicate of a spec that says which tokens it can match at all, by
** an interned value: the EQ, else the IN with the fewest values. */
static const cpred *index_pred(const cspec *s) {
  const cpred *best = NULL;
  for (uint32_t i = 0; i < s->npreds; i++) {
    const cpred *q = &s->preds[i];
    if (q->kind == Q_ID_EQ) return q;
    if (q->kind == Q_ID_IN && (!best || q->set.n < best->set.n)) best = q;
  }
  return best;
}

/* Flags from the rarest to the most common (a rough guess for English
** text): a spec that needs several is indexed by the first of them. */
static const uint32_t flag_rarity[] = {
  TR_F_LIKE_EMAIL, TR_F_LIKE_URL, TR_F_SPACE, TR_F_BRACKET, TR_F_QUOTE,
  TR_F_LEFT_PUNCT, TR_F_RIGHT_PUNCT, TR_F_DIGIT, TR_F_LIKE_NUM, TR_F_UPPER,
  TR_F_TITLE, TR_F_PUNCT, TR_F_STOP, TR_F_LOWER, TR_F_ALPHA, TR_F_ASCII,
};

/* A flag the spec requires to be set, the rarest; 0 if none. */
static uint32_t index_flag(const cspec *s) {
  for (size_t r = 0; r < sizeof flag_rarity / sizeof flag_rarity[0]; r++)
    for (uint32_t i = 0; i < s->npreds; i++)
      if (s->preds[i].kind == Q_FLAG && s->preds[i].want &&
          s->preds[i].flag == flag_rarity[r])
        return flag_rarity[r];
  return 0;
}

/* An anchored REGEX of the spec whose first byte set is known: the spec
** only matches a token whose attribute starts with one of those bytes.
** Returns the regex index + 1, or 0. */
static uint32_t index_regex(const tr_patterns *p, const cspec *s) {
  for (uint32_t i = 0; i < s->npreds; i++) {
    const cpred *q = &s->preds[i];
    if (q->kind != Q_REGEX) continue;
    const cregex *r = &p->re[q->re];
    if (r->anchored && r->has_first) return q->re + 1;
  }
  return 0;
}

static int bits_in(const uint8_t *bm) {
  int n = 0;
  for (int b = 0; b < 256; b++) n += bm[b >> 3] >> (b & 7) & 1;
  return n;
}

/* The fewest bytes a token the spec matches can have: from LENGTH lower
** bounds, and from the minimum length in characters of a REGEX on an
** attribute with no more characters than the text (ORTH, LOWER, SHAPE);
** a token has at least as many bytes as characters. */
static uint32_t spec_minbytes(const tr_patterns *p, const cspec *s) {
  double m = 0;
  for (uint32_t i = 0; i < s->npreds; i++) {
    const cpred *q = &s->preds[i];
    double v = 0;
    if (q->kind == Q_LEN_CMP) {
      if (q->cmp == TR_P_EQ || q->cmp == TR_P_GE) v = q->num;
      else if (q->cmp == TR_P_GT) v = q->num + 1; /* lengths are integers */
      if (q->cmp == TR_P_GT && q->num != (double)(int64_t)q->num)
        v = (double)(int64_t)q->num + 1;
    } else if (q->kind == Q_REGEX && (q->slot == SLOT_TEXT ||
               q->slot == SLOT_LOWER || q->slot == SLOT_SHAPE)) {
      v = p->re[q->re].minlen;
    }
    if (v > m) m = v;
  }
  return m >= (double)UINT32_MAX ? UINT32_MAX : (uint32_t)m;
}

/* Recompute byte_go from byte_any: a token's first byte decides its first
** ORTH byte, and its first LOWER and SHAPE byte when ASCII; the rest must
** be looked at (first_byte). */
static void update_byte_go(tr_patterns *p) {
  for (unsigned c = 0; c < 256; c++) {
    unsigned m = 0;
    for (unsigned bs = p->byte_slots; bs; bs &= bs - 1) {
      unsigned sl = CTZ64(bs), b = c;
      if (sl == SLOT_LOWER && c < 0x80) {
        b = c >= 'A' && c <= 'Z' ? c + 32 : c;
      } else if (sl == SLOT_SHAPE && c < 0x80) {
        b = c >= 'A' && c <= 'Z' ? 'X' : c >= 'a' && c <= 'z' ? 'x'
            : c >= '0' && c <= '9' ? 'd' : c;
      } else if (sl != SLOT_TEXT) {
        m |= 1u << sl; /* not decided by the first byte */
        continue;
      }
      if (bm_has(p->byte_any[sl], b)) m |= 1u << sl;
    }
    p->byte_go[c] = (uint8_t)m;
  }
}

/* Index pattern `pi` by what its first token must be: every position that
** can take the first token (the closure of position 0) needs an EQ/IN on
** an interned attribute, an anchored REGEX with known first bytes, or a
** flag. Otherwise it joins the unindexed list. Also note the fewest bytes
** its first token can have. */
static int index_pattern(tr_patterns *p, uint32_t pi) {
  cpat *c = &p->pats[pi];
  if (c->npos == 0) { /* only "{0}" specs: matches nothing non-empty */
    return 0;
  }
  uint32_t last = c->next_mand[0];
  if (last >= c->npos) last = c->npos - 1;
  int ok = 1;
  c->minbytes = UINT32_MAX;
  for (uint32_t pos = 0; pos <= last; pos++) {
    const cspec *sp = &p->specs[c->spec[pos]];
    if (c->kind[pos] == K_NOT ||
        (!index_pred(sp) && !index_flag(sp) && !index_regex(p, sp)))
      ok = 0;
    uint32_t mb = c->kind[pos] == K_NOT ? 0 : spec_minbytes(p, sp);
    if (mb < c->minbytes) c->minbytes = mb;
  }
  if (!ok) return plist_add(&p->unindexed, pi, c->minbytes);
  for (uint32_t pos = 0; pos <= last; pos++) {
    if (pos > 0 && c->spec[pos] == c->spec[pos - 1]) continue;
    const cspec *sp = &p->specs[c->spec[pos]];
    const cpred *q = index_pred(sp);
    uint32_t rx = q ? 0 : index_regex(p, sp);
    /* A flag is a poor key when a narrow first-byte set is at hand. */
    if (rx && index_flag(sp) && bits_in(p->re[rx - 1].first) > 64) rx = 0;
    if (rx) {
      const cregex *r = &p->re[rx - 1];
      if (!p->byte_lists[r->slot]) {
        p->byte_lists[r->slot] = calloc(256, sizeof *p->byte_lists[0]);
        if (!p->byte_lists[r->slot]) return -1;
      }
      p->byte_slots |= 1u << r->slot;
      for (unsigned b = 0; b < 256; b++) {
        if (!bm_has(r->first, b)) continue;
        if (plist_add(&p->byte_lists[r->slot][b], pi, c->minbytes) != 0)
          return -1;
        bm_set(p->byte_any[r->slot], b);
      }
      update_byte_go(p);
    } else if (!q) {
      uint32_t f = index_flag(sp);
      unsigned b = 0;
      while (!(f & (1u << b))) b++;
      if (plist_add(&p->flag_lists[b], pi, c->minbytes) != 0) return -1;
      p->flag_bits |= 1u << b;
      for (uint32_t l = c->minbytes < 64 ? c->minbytes : 64; l <= 64; l++)
        p->flag_len[l] |= 1u << b;
    } else if (q->kind == Q_ID_EQ) {
      if (ix_add(p, q->slot, q->id, pi, c->minbytes) != 0) return -1;
    } else {
      for (uint32_t k = 0; k <= q->set.mask && q->set.n; k++)
        if (q->set.slot[k] &&
            ix_add(p, q->slot, q->set.slot[k], pi, c->minbytes) != 0)
          return -1;
    }
  }
  return 0;
}

int tr_patterns_add(tr_patterns *p, const tr_tok_spec *specs, size_t n,
                    uint32_t value, uint32_t rule, int32_t priority,
                    int greedy, char **err) {
  if (err) *err = NULL;
  if (!p) {
    set_err(err, msgf("no pattern set"));
    return -1;
  }
  if (n == 0 || !specs) {
    set_err(err, msgf("a pattern needs at least one token spec"));
    return -1;
  }
  if (greedy != TR_GREEDY_NONE && greedy != TR_GREEDY_FIRST &&
      greedy != TR_GREEDY_LONGEST) {
    set_err(err, msgf("greedy must be FIRST or LONGEST"));
    return -1;
  }
  /* Validate everything first: nothing is added unless all is well. */
  uint64_t npos = 0;
  for (size_t i = 0; i < n; i++) {
    const tr_tok_spec *s = &specs[i];
    if (s->npreds && !s->preds) {
      set_err(err, msgf("token %zu: missing predicates", i + 1));
      return -1;
    }
    switch (s->op) {
    case TR_OP_ONE: case TR_OP_NOT: case TR_OP_OPT: case TR_OP_STAR:
      npos += 1;
      break;
    case TR_OP_PLUS:
      npos += 2;
      break;
    case TR_OP_RANGE:
      if (s->min > s->max) {
        set_err(err, msgf("token %zu: OP {%u,%u}: the minimum is larger "
                          "than the maximum", i + 1, s->min, s->max));
        return -1;
      }
      if (s->min == UINT32_MAX) {
        set_err(err, msgf("token %zu: OP: the minimum is too large", i + 1));
        return -1;
      }
      npos += s->min;
      npos += s->max == UINT32_MAX ? 1 : (uint64_t)(s->max - s->min);
      break;
    default:
      set_err(err, msgf("token %zu: unknown operator %d", i + 1, (int)s->op));
      return -1;
    }
    for (size_t k = 0; k < s->npreds; k++) {
      char *m = check_pred(&s->preds[k]);
      if (m) {
        set_err(err, msgf("token %zu: %s", i + 1, m));
        free(m);
        return -1;
      }
    }
  }
  if (npos > MAX_POSITIONS) {
    set_err(err, msgf("pattern too long: its operators expand to %llu "
                      "token positions (at most %u)",
                      (unsigned long long)npos, MAX_POSITIONS));
    return -1;
  }

  /* Room for the pattern and maybe a new group. */
  if (grow((void **)&p->pats, &p->cappats, p->npats + 1, sizeof *p->pats) ||
      grow((void **)&p->groups, &p->capgroups, p->ngroups + 1,
           sizeof *p->groups))
    goto oom_early;

  uint32_t pi = (uint32_t)p->npats;
  size_t spec0 = p->nspecs;
  size_t re0 = p->nre;
  unsigned id_slots0 = p->id_slots, re_slots0 = p->re_slots;
  uint32_t slot_min0[NSLOTS], slot_max0[NSLOTS];
  memcpy(slot_min0, p->slot_min, sizeof slot_min0);
  memcpy(slot_max0, p->slot_max, sizeof slot_max0);
  cpat c;
  memset(&c, 0, sizeof c);
  c.npos = (uint32_t)npos;
  c.words = (uint32_t)((npos + 1 + 63) / 64);
  c.priority = priority;
  c.kind = malloc(npos ? npos : 1);
  c.spec = malloc((npos ? npos : 1) * sizeof *c.spec);
  c.next_mand = malloc((npos + 1) * sizeof *c.next_mand);
  if (!c.kind || !c.spec || !c.next_mand) goto oom;

  uint32_t pos = 0;
  for (size_t i = 0; i < n; i++) {
    const tr_tok_spec *s = &specs[i];
    char *m = NULL;
    int rc = compile_spec(p, s, &m);
    if (rc == -2) goto oom;
    if (rc != 0) {
      set_err(err, msgf("token %zu: %s", i + 1, m ? m : "invalid"));
      free(m);
      goto undo;
    }
    uint32_t sp = (uint32_t)(p->nspecs - 1);
    /* The expansion spaCy's _get_operators does. */
    unsigned ones = 0, opts = 0;
    int star = 0, neg = 0;
    switch (s->op) {
    case TR_OP_ONE: ones = 1; break;
    case TR_OP_NOT: ones = 1; neg = 1; break;
    case TR_OP_OPT: opts = 1; break;
    case TR_OP_PLUS: ones = 1; star = 1; break;
    case TR_OP_STAR: star = 1; break;
    case TR_OP_RANGE:
      ones = s->min;
      if (s->max == UINT32_MAX) star = 1;
      else opts = s->max - s->min;
      break;
    }
    for (unsigned k = 0; k < ones; k++, pos++) {
      c.kind[pos] = neg ? K_NOT : K_ONE;
      c.spec[pos] = sp;
    }
    for (unsigned k = 0; k < opts; k++, pos++) {
      c.kind[pos] = K_OPT;
      c.spec[pos] = sp;
    }
    if (star) {
      c.kind[pos] = K_STAR;
      c.spec[pos] = sp;
      pos++;
    }
  }
  /* The guard: when the first two positions each take exactly one token
  ** (ONE, not "!"), a match needs a second token that satisfies the second
  ** spec, and a run from a start whose next token does not can find
  ** nothing. Most runs end just there (the index only vouches for the
  ** first token), so checking that one spec first saves setting up the
  ** NFA. Only for specs without REGEX: evaluating those has effects (the
  ** regex memo, limit errors) that must happen exactly as in a full run. */
  if (npos >= 2 && c.kind[0] == K_ONE && c.kind[1] == K_ONE &&
      !spec_has_regex(&p->specs[c.spec[0]]) &&
      !spec_has_regex(&p->specs[c.spec[1]]))
    c.guard = c.spec[1] + 1;
  c.next_mand[npos] = (uint32_t)npos;
  for (uint32_t q = (uint32_t)npos; q-- > 0;)
    c.next_mand[q] = (c.kind[q] == K_ONE || c.kind[q] == K_NOT)
                       ? q : c.next_mand[q + 1];
  if (c.words == 1) {
    c.clos1 = malloc((npos + 1) * sizeof *c.clos1);
    if (!c.clos1) goto oom;
    for (uint32_t q = 0; q <= npos; q++) {
      uint32_t hi = c.next_mand[q];
      uint64_t upto = hi >= 63 ? ~0ULL : ((1ULL << (hi + 1)) - 1);
      c.clos1[q] = upto & ~((1ULL << q) - 1);
    }
  }

  /* The spaCy key: same rule and value. The last add sets the filter. */
  size_t g = 0;
  while (g < p->ngroups &&
         (p->groups[g].rule != rule || p->groups[g].value != value))
    g++;
  int new_group = g == p->ngroups;
  cgroup old = new_group ? (cgroup){ 0, 0, 0, 0 } : p->groups[g];
  if (new_group) {
    p->groups[g].rule = rule;
    p->groups[g].value = value;
    p->groups[g].npats = 0;
    p->ngroups++;
  }
  p->groups[g].greedy = greedy;
  p->groups[g].npats++;
  int was_special = !new_group && (old.npats > 1 || old.greedy);
  int is_special = p->groups[g].npats > 1 || greedy;
  p->nspecial += (size_t)is_special - (size_t)was_special;
  c.group = (uint32_t)g;

  p->pats[p->npats++] = c;
  if (index_pattern(p, pi) != 0) {
    /* Out of memory in the index: a half-indexed pattern could miss
    ** matches, so take it back out entirely. */
    p->npats--;
    for (size_t i = 0; i < p->nlists; i++) plist_drop(&p->lists[i], pi);
    for (int b = 0; b < 32; b++) plist_drop(&p->flag_lists[b], pi);
    for (int sl = 0; sl < NSLOTS; sl++)
      for (int b = 0; p->byte_lists[sl] && b < 256; b++)
        plist_drop(&p->byte_lists[sl][b], pi);
    plist_drop(&p->unindexed, pi);
    p->nspecial -= (size_t)is_special - (size_t)was_special;
    if (new_group) p->ngroups--;
    else p->groups[g] = old;
    goto oom;
  }
  if (c.words > p->maxwords) p->maxwords = c.words;
  return 0;

oom:
  set_err(err, msgf("out of memory"));
undo:
  cpat_free(&c);
  while (p->nspecs > spec0) spec_free(&p->specs[--p->nspecs]);
  while (p->nre > re0) {
    p->nre--;
    pcre2_code_free(p->re[p->nre].code);
    free(p->re[p->nre].src);
  }
  p->id_slots = id_slots0;
  p->re_slots = re_slots0;
  memcpy(p->slot_min, slot_min0, sizeof slot_min0);
  memcpy(p->slot_max, slot_max0, sizeof slot_max0);
  return -1;
oom_early:
  set_err(err, msgf("out of memory"));
  return -1;
}

/* ======================================================================
** Matching
** ==================================================================== */

/* A match before deduplication and filtering, in tokens. */
typedef struct rawm {
  uint32_t group, start, end;
  int32_t priority;
  uint32_t rule, value;  /* the group's, for ordering without it */
} rawm;

typedef struct rawvec {
  rawm *v;
  size_t n, cap;
} rawvec;

/* Per-call state: the document's precomputed attributes and scratch. */
typedef struct dctx {
  const tr_patterns *p;
  const char *text;
  const tr_tokens *toks;
  size_t n;                   /* tokens */
  uint32_t *ids[NSLOTS + 1];  /* per token: interned id of the attribute;
                                 ids[NSLOTS] is all zero (cspec.eq_slot) */
  uint16_t *ixm;              /* per token: bit s set when its id in slot
                                 s names a bucket of the first-token index,
                                 bit 8 + s when its first byte in slot s
                                 may (byte_go) */
  uint32_t *act;              /* the tokens with any of those bits or flags
                                 some pattern may start with, in order */
  size_t nact;
  /* LOWER and SHAPE strings, made on first use for a token (a regex or
  ** the first-byte index reads them): most tokens are never asked. */
  char *lower;                /* the LOWER strings made, back to back */
  size_t lower_n, lower_cap;
  size_t *lower_off;          /* per token: offset into lower */
  uint32_t *lower_len;        /* per token: length, UINT32_MAX: not made */
  char *shape;                /* the same for SHAPE */
  size_t shape_n, shape_cap;
  size_t *shape_off;
  uint32_t *shape_len;
  char *buf;                  /* scratch for one attribute string */
  size_t bufcap;
  uint8_t *re_memo;           /* nre x n results, 2 bits each: 0 not yet
                                 known, 1 match, 2 no match */
  struct smemo *sm;           /* results by (regex, string) for strings of
                                 up to 16 bytes: smask + 1 entries */
  uint32_t smask, sn;
  pcre2_match_data *md;
  uint64_t *sa, *sb;          /* state bitsets (maxwords each) */
  rawvec raw;
  int failed;                 /* 0, or -1 memory / -2 regex limit */
  uint32_t fail_pat, fail_tok, fail_re;
  int fail_rc;
} dctx;

static const char *tok_text(const dctx *d, size_t i, size_t *len) {
  *len = d->toks->v[i].len;
  return d->text + d->toks->v[i].start;
}

static uint32_t count_cps(const char *s, size_t len);

/* LENGTH of token i: its code points (its bytes when ASCII). Computed
** where a predicate asks, not for every token. */
static inline uint32_t tok_length(const dctx *d, size_t i) {
  const tr_token *t = &d->toks->v[i];
  return t->flags & TR_F_ASCII ? t->len
                               : count_cps(d->text + t->start, t->len);
}

static size_t lower_into(const char *s, size_t len, char *buf);

/* Room for n bytes in the scratch buffer. */
static int need_buf(dctx *d, size_t n) {
  if (n <= d->bufcap) return 0;
  size_t cap = d->bufcap ? d->bufcap : 256;
  while (cap < n) cap *= 2;
  char *b = realloc(d->buf, cap);
  if (!b) return -1;
  d->buf = b;
  d->bufcap = cap;
  return 0;
}

/* Token i's LOWER or SHAPE string: made into the scratch buffer and kept
** in the slot's arena the first time it is asked for. NULL on memory
** error (d->failed is set). */
static const char *made_str(dctx *d, int slot, size_t i, size_t *len) {
  int low = slot == SLOT_LOWER;
  char **arena = low ? &d->lower : &d->shape;
  size_t *an = low ? &d->lower_n : &d->shape_n;
  size_t *acap = low ? &d->lower_cap : &d->shape_cap;
  size_t *off = low ? d->lower_off : d->shape_off;
  uint32_t *ln = low ? d->lower_len : d->shape_len;
  if (ln[i] == UINT32_MAX) {
    size_t tl;
    const char *s = tok_text(d, i, &tl);
    /* 3 * len + 4 bytes hold either (see lower_into, tr_token_shape) */
    size_t cap = 3 * tl + 4, l;
    if (need_buf(d, cap) != 0) goto oom;
    l = low ? lower_into(s, tl, d->buf)
            : tr_token_shape(s, tl, d->buf, cap);
    if (grow((void **)arena, acap, *an + l + 1, 1) != 0) goto oom;
    memcpy(*arena + *an, d->buf, l);
    off[i] = *an;
    ln[i] = (uint32_t)l;
    *an += l;
  }
  *len = ln[i];
  return *arena + off[i];
oom:
  d->failed = -1;
  return NULL;
}

/* The string a regex searches for token i (NULL on memory error). */
static const char *attr_str(dctx *d, int slot, size_t i, size_t *len) {
  switch (slot) {
  case SLOT_TEXT: return tok_text(d, i, len);
  case SLOT_NORM: return tr_tokens_norm(d->toks, i, len);
  case SLOT_LOWER:
  case SLOT_SHAPE:
    return made_str(d, slot, i, len);
  default: {
    const char *k = tr_kind_name(d->toks->v[i].kind);
    *len = strlen(k);
    return k;
  }
  }
}

/* The first byte of token i's attribute string in slot, -1 when it is
** empty (or on memory error). For an ASCII first character the LOWER
** and SHAPE strings start with a byte that character alone decides. */
static int first_byte(dctx *d, int slot, size_t i) {
  const tr_token *t = &d->toks->v[i];
  if (t->len && slot != SLOT_NORM && slot != SLOT_KIND) {
    unsigned c = (unsigned char)d->text[t->start];
    if (slot == SLOT_TEXT) return (int)c;
    if (c < 0x80) {
      if (slot == SLOT_LOWER) return (int)(c >= 'A' && c <= 'Z' ? c + 32 : c);
      return (int)(c >= 'A' && c <= 'Z' ? 'X' : c >= 'a' && c <= 'z' ? 'x'
                   : c >= '0' && c <= '9' ? 'd' : c);
    }
  }
  size_t l;
  const char *a = attr_str(d, slot, i, &l);
  return a && l ? (unsigned char)a[0] : -1;
}

/* A regex result by string: the same short strings ("The", "Iraq") come
** back all through a document, and a PCRE2 call costs far more than a
** probe. Keyed by the string's bytes packed as pack8 (two words) plus its
** length and the regex; strings of up to 16 bytes only (the key is then
** the string itself, so nothing needs confirming). */
typedef struct smemo {
  uint64_t k0, k1;   /* bytes 0..7 and 8..15, packed as pack8 */
  uint32_t re_len;   /* (regex + 1) << 5 | length; 0: empty entry */
  uint32_t ok;
} smemo;

static inline uint32_t smemo_pos(uint64_t k0, uint64_t k1, uint32_t re_len,
                                 uint32_t mask) {
  uint64_t h = (k0 ^ ((uint64_t)re_len << 40)) * 0x9E3779B97F4A7C15ULL;
  h = (h ^ k1 ^ (h >> 29)) * 0xBF58476D1CE4E5B9ULL;
  return (uint32_t)(h >> 40) & mask;
}

/* The entry for (k0, k1, re_len): found (its re_len set) or where it
** goes; NULL when there is no table. */
static smemo *smemo_at(dctx *d, uint64_t k0, uint64_t k1, uint32_t re_len) {
  if (!d->sm) return NULL;
  uint32_t i = smemo_pos(k0, k1, re_len, d->smask);
  while (d->sm[i].re_len && (d->sm[i].re_len != re_len ||
                             d->sm[i].k0 != k0 || d->sm[i].k1 != k1))
    i = (i + 1) & d->smask;
  return &d->sm[i];
}

/* Remember a result (the table stays at most half full; when it cannot
** grow, results are simply not remembered). */
static void smemo_put(dctx *d, uint64_t k0, uint64_t k1, uint32_t re_len,
                      int ok) {
  if (!d->sm || (d->sn + 1) * 2 > d->smask + 1) {
    uint32_t cap = d->sm ? (d->smask + 1) * 2 : 256;
    smemo *nt = calloc(cap, sizeof *nt);
    if (!nt) return;
    for (uint32_t k = 0; d->sm && k <= d->smask; k++) {
      const smemo *x = &d->sm[k];
      if (!x->re_len) continue;
      uint32_t j = smemo_pos(x->k0, x->k1, x->re_len, cap - 1);
      while (nt[j].re_len) j = (j + 1) & (cap - 1);
      nt[j] = *x;
    }
    free(d->sm);
    d->sm = nt;
    d->smask = cap - 1;
  }
  smemo *e = smemo_at(d, k0, k1, re_len);
  if (e->re_len) return;
  e->k0 = k0;
  e->k1 = k1;
  e->re_len = re_len;
  e->ok = (uint32_t)ok;
  d->sn++;
}

/* The memo keys of the token text s[0..len), len <= 16, by word loads
** (load_key; back: the 8 bytes before s + len are in the text). */
static inline void text_keys(const char *s, size_t len, int back,
                             uint64_t *k0, uint64_t *k1) {
  if (len <= 8) {
    *k0 = load_key(s, len, back);
    *k1 = 0;
  } else {
    *k0 = load_key(s, 8, 1);
    *k1 = load_key(s + 8, len - 8, 1);
  }
}

/* The memo keys of s[0..len), len <= 16. */
static inline void smemo_keys(const char *s, size_t len, uint64_t *k0,
                              uint64_t *k1) {
  *k0 = pack8(s, len < 8 ? len : 8);
  *k1 = len > 8 ? pack8(s + 8, len - 8) : 0;
}

/* Does REGEX `re` find a match in token i's attribute? Memoised: the same
** (regex, token) is asked again from other starts and positions, and the
** same (regex, short string) from other tokens. */
static int regex_ok(dctx *d, uint32_t re, size_t i) {
  size_t at = (size_t)re * d->n + i;
  uint8_t *m = &d->re_memo[at >> 2];
  unsigned sh = (unsigned)(at & 3) * 2, known = *m >> sh & 3;
  if (known) return known == 1;
  const cregex *r = &d->p->re[re];
  const tr_token *t = &d->toks->v[i];
  const char *s = NULL;
  size_t len = t->len;
  int ok = 0, lower_ascii = 0;
  if (r->slot == SLOT_LOWER) {
    /* Most tokens fail the prefilter: test it on the text lower-cased
    ** byte by byte, without making the LOWER string. */
    int mm = may_match_lower(r, d->text + t->start, len);
    if (!mm) {
      *m = (uint8_t)(*m | 2u << sh);
      return 0;
    }
    lower_ascii = mm == 1;
  }
  uint64_t k0 = 0, k1 = 0;
  uint32_t re_len = 0;
  if (lower_ascii || r->slot == SLOT_TEXT) {
    /* the text, or the LOWER string when that is the text lowered byte
    ** for byte: memo keys straight from the text, with word loads */
    if (len <= 16) {
      text_keys(d->text + t->start, len, t->start + len >= 8, &k0, &k1);
      if (lower_ascii) {
        k0 = lower_key(k0);
        k1 = lower_key(k1);
      }
    }
  } else {
    s = attr_str(d, r->slot, i, &len);
    if (!s) return 0; /* out of memory: d->failed is set */
    if (len <= 16) smemo_keys(s, len, &k0, &k1);
  }
  if (len <= 16 && re < (UINT32_MAX >> 5) - 1) {
    re_len = (re + 1) << 5 | (uint32_t)len;
    const smemo *e = smemo_at(d, k0, k1, re_len);
    if (e && e->re_len) {
      ok = (int)e->ok;
      *m = (uint8_t)(*m | (ok ? 1u : 2u) << sh);
      return ok;
    }
  }
  if (lower_ascii) {
    /* lowered into the scratch buffer: the memo above keeps it from
    ** being asked for again, so it need not be kept */
    if (need_buf(d, len + 1) != 0) {
      d->failed = -1;
      return 0;
    }
    const unsigned char *u = (const unsigned char *)d->text + t->start;
    for (size_t k = 0; k < len; k++)
      d->buf[k] = (char)(u[k] >= 'A' && u[k] <= 'Z' ? u[k] + 32 : u[k]);
    s = d->buf;
  } else if (!s) {
    s = d->text + t->start; /* ORTH */
  }
  /* (for an ASCII token's LOWER string, may_match_lower said it) */
  if (lower_ascii || may_match(r, s, len)) {
    /* the JIT fast path when there is JIT code: the same search without
    ** pcre2_match's checks (MATCH_INVALID_UTF: no UTF check either way) */
    int rc = r->jit ? pcre2_jit_match(r->code, (PCRE2_SPTR)s, len, 0, 0,
                                      d->md, d->p->mctx)
                    : pcre2_match(r->code, (PCRE2_SPTR)s, len, 0, 0, d->md,
                                  d->p->mctx);
    /* rc == 0: a match, the ovector too small (we need none). */
    ok = rc >= 0;
    if (rc < 0 && rc != PCRE2_ERROR_NOMATCH && !d->failed) {
      /* A limit (match, depth, heap, JIT stack) or memory: the rule
      ** fails, and so does this call. */
      d->failed = -2;
      d->fail_re = re;
      d->fail_tok = (uint32_t)i;
      d->fail_rc = rc;
      return 0;
    }
  }
  if (re_len) smemo_put(d, k0, k1, re_len, ok);
  *m = (uint8_t)(*m | (ok ? 1u : 2u) << sh);
  return ok;
}

/* The predicates that cost more than a load and a compare, out of line
** so that spec_ok, inlined into the NFA loops, stays small. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int pred_slow(dctx *d, const cpred *q, size_t i) {
  switch (q->kind) {
  case Q_FLAG: /* folded into fmask/fwant: not met here */
    return ((d->toks->v[i].flags & q->flag) != 0) == q->want;
  case Q_ID_NOT_IN: return !idset_has(&q->set, d->ids[q->slot][i]);
  case Q_LEN_CMP: {
    double v = tok_length(d, i);
    switch (q->cmp) {
    case TR_P_EQ: return v == q->num;
    case TR_P_NE: return v != q->num;
    case TR_P_LT: return v < q->num;
    case TR_P_LE: return v <= q->num;
    case TR_P_GT: return v > q->num;
    default: return v >= q->num;
    }
  }
  case Q_LEN_IN: return idset_has(&q->set, tok_length(d, i) + 1);
  case Q_LEN_NOT_IN: return !idset_has(&q->set, tok_length(d, i) + 1);
  default: return regex_ok(d, q->re, i);
  }
}

/* Does token i satisfy spec si (all its predicates, cheapest first)?
** Forced inline: it is the inner test of every NFA step. */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline int spec_ok(dctx *d, uint32_t si, size_t i) {
  const cspec *s = &d->p->specs[si];
  if ((d->toks->v[i].flags & s->fmask) != s->fwant) return 0;
  if (d->ids[s->eq_slot][i] != s->eq_id) return 0;
  for (uint32_t k = s->rest; k < s->npreds; k++) {
    const cpred *q = &s->preds[k];
    switch (q->kind) {
    case Q_ID_EQ:
      if (d->ids[q->slot][i] != q->id) return 0;
      break;
    case Q_ID_IN:
      if (!idset_has(&q->set, d->ids[q->slot][i])) return 0;
      break;
    case Q_LEN_CMP:
      if (q->cmp == TR_P_LE) { /* the usual bound ("LENGTH<=5") inline */
        if (!(tok_length(d, i) <= q->num)) return 0;
        break;
      }
      if (!pred_slow(d, q, i)) return 0;
      break;
    default:
      if (!pred_slow(d, q, i)) return 0;
      break;
    }
  }
  return 1;
}

static int emit(dctx *d, const cpat *c, size_t start, size_t end) {
  rawvec *r = &d->raw;
  if (r->n == r->cap) {
    size_t cap = r->cap ? r->cap * 2 : 64;
    rawm *v = realloc(r->v, cap * sizeof *v);
    if (!v) {
      d->failed = -1;
      return -1;
    }
    r->v = v;
    r->cap = cap;
  }
  r->v[r->n].group = c->group;
  r->v[r->n].start = (uint32_t)start;
  r->v[r->n].end = (uint32_t)end;
  r->v[r->n].priority = c->priority;
  r->v[r->n].rule = d->p->groups[c->group].rule;
  r->v[r->n].value = d->p->groups[c->group].value;
  r->n++;
  return 0;
}

/* The NFA of a pattern of at most 63 positions, from token `start`: one
** machine word of state. */
static void run_small(dctx *d, const cpat *c, uint32_t pi, size_t start) {
  const uint64_t acc = 1ULL << c->npos;
  uint64_t s = c->clos1[0];
  for (size_t j = start; j < d->n; j++) {
    uint64_t t = 0, bits = s & ~acc;
    uint32_t last = UINT32_MAX;
    int res = 0;
    while (bits) {
      unsigned pos = CTZ64(bits);
      bits &= bits - 1;
      uint32_t sp = c->spec[pos];
      if (sp != last) { /* expanded ranges repeat a spec: test it once */
        res = spec_ok(d, sp, j);
        last = sp;
      }
      int ok = c->kind[pos] == K_NOT ? !res : res;
      if (ok) t |= c->clos1[c->kind[pos] == K_STAR ? pos : pos + 1];
    }
    if (d->failed) {
      if (d->failed == -2) d->fail_pat = pi;
      return;
    }
    if (!t) return;
    if ((t & acc) && emit(d, c, start, j + 1) != 0) return;
    s = t;
  }
}

static void set_range(uint64_t *w, uint32_t lo, uint32_t hi) {
  for (uint32_t b = lo; b <= hi;) {
    uint32_t wi = b >> 6, off = b & 63;
    uint32_t cnt = hi - b + 1;
    if (off == 0 && cnt >= 64) {
      w[wi] = ~0ULL;
      b += 64;
      continue;
    }
    uint32_t take = 64 - off < cnt ? 64 - off : cnt;
    uint64_t m = take == 64 ? ~0ULL : ((1ULL << take) - 1) << off;
    w[wi] |= m;
    b += take;
  }
}

/* The same for longer patterns, with multi-word bitsets. */
static void run_big(dctx *d, const cpat *c, uint32_t pi, size_t start) {
  uint32_t W = c->words;
  uint64_t *s = d->sa, *t = d->sb;
  memset(s, 0, W * sizeof *s);
  set_range(s, 0, c->next_mand[0]);
  for (size_t j = start; j < d->n; j++) {
    memset(t, 0, W * sizeof *t);
    uint32_t last = UINT32_MAX;
    int res = 0, any = 0;
    for (uint32_t wi = 0; wi < W; wi++) {
      uint64_t bits = s[wi];
      while (bits) {
        uint32_t pos = wi * 64 + CTZ64(bits);
        bits &= bits - 1;
        if (pos >= c->npos) continue; /* accept consumes nothing */
        uint32_t sp = c->spec[pos];
        if (sp != last) {
          res = spec_ok(d, sp, j);
          last = sp;
        }
        int ok = c->kind[pos] == K_NOT ? !res : res;
        if (!ok) continue;
        uint32_t from = c->kind[pos] == K_STAR ? pos : pos + 1;
        set_range(t, from, c->next_mand[from]);
        any = 1;
      }
    }
    if (d->failed) {
      if (d->failed == -2) d->fail_pat = pi;
      return;
    }
    if (!any) return;
    if (((t[c->npos >> 6] >> (c->npos & 63)) & 1) &&
        emit(d, c, start, j + 1) != 0)
      return;
    uint64_t *x = s;
    s = t;
    t = x;
  }
}

static inline void run(dctx *d, uint32_t pi, size_t start) {
  const cpat *c = &d->p->pats[pi];
  if (d->toks->v[start].len < c->minbytes) return;
  if (c->guard && (start + 1 >= d->n || !spec_ok(d, c->guard - 1, start + 1)))
    return;
  if (c->npos == 1 && c->kind[0] == K_ONE) {
    /* one token, one spec ("KIND=hashtag", "LOWER@cities"): what
    ** run_small does, without its state set */
    int ok = spec_ok(d, c->spec[0], start);
    if (d->failed) {
      if (d->failed == -2) d->fail_pat = pi;
      return;
    }
    if (ok) emit(d, c, start, start + 1);
    return;
  }
  if (c->words == 1) run_small(d, c, pi, start);
  else run_big(d, c, pi, start);
}

/* Add the patterns of an index bucket that may start at a token of len
** bytes to the candidates cand[0..*nc), each pattern once per token
** however many buckets name it (seen[pi] == stamp: taken). Gathering
** first and running after keeps the order the buckets give, without a
** call per bucket. */
static inline void gather(const cpat *pats, const plist *l, uint32_t len,
                          uint32_t *seen, uint32_t stamp, uint32_t *cand,
                          size_t *nc) {
  if (len < l->minb) return; /* too short for every pattern here */
  /* in locals: the stores below could alias them */
  const uint32_t *lp = l->pats;
  size_t k = *nc;
  for (uint32_t j = 0, ln = l->n; j < ln; j++) {
    uint32_t pi = lp[j];
    if (seen[pi] == stamp || len < pats[pi].minbytes) continue;
    seen[pi] = stamp;
    cand[k++] = pi;
  }
  *nc = k;
}

/* ---- per-document attributes ---------------------------------------- */

/* Simple (not full) Unicode lowercase of s, per code point, into buf
** (3 * len + 4 bytes suffice: a lowercase mapping grows a code point from
** 2 to at most 3 bytes). Invalid bytes are copied. Returns the length. */
static size_t lower_into(const char *s, size_t len, char *buf) {
  const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
  size_t w = 0;
  for (size_t i = 0; i < len;) {
    if (u[i] < 0x80) {
      unsigned char ch = u[i++];
      buf[w++] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
      continue;
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t l = utf8proc_iterate(u + i, (utf8proc_ssize_t)(len - i),
                                          &cp);
    if (l <= 0) {
      buf[w++] = (char)u[i++];
      continue;
    }
    w += (size_t)utf8proc_encode_char(utf8proc_tolower(cp),
                                      (utf8proc_uint8_t *)buf + w);
    i += (size_t)l;
  }
  return w;
}

/* Code points in s (a byte that does not continue a sequence counts). */
static uint32_t count_cps(const char *s, size_t len) {
  uint32_t n = 0;
  for (size_t i = 0; i < len; i++)
    n += ((unsigned char)s[i] & 0xC0) != 0x80;
  return n;
}

static int in_slot(const tr_patterns *p, int slot, size_t len) {
  return len >= p->slot_min[slot] && len <= p->slot_max[slot];
}

/* Might a string of this length and first byte be a value of the slot? */
static int slot_may(const tr_patterns *p, int slot, size_t len,
                    unsigned first) {
  return in_slot(p, slot, len) &&
         bm_has(p->lenbyte[slot][len < 63 ? len : 63], first);
}

/* The id of an attribute string s[0..len) among the values compared in
** slot, 0 when none. key8 is pack8(s, len) when len <= 8 (then s is not
** read), for a longer string it is ignored. */
static inline uint32_t slot_id(const tr_patterns *p, int slot, uint64_t key8,
                               const char *s, size_t len) {
  unsigned first = len == 0 ? 0 : len <= 8 ? (unsigned)(key8 & 0xFF)
                                           : (unsigned char)s[0];
  if (!slot_may(p, slot, len, first)) return 0;
  uint64_t key = len <= 8 ? key8 : hash_bytes(s, len);
  return vtab_find(&p->vt[slot], &p->strs, key, s, len);
}

/* What the per-token lookups of one slot read, copied out of the pattern
** set into a local: prepare stores ids through uint32_t pointers, which
** the compiler cannot tell apart from the set's own uint32_t fields, so
** it would reload those after every store. */
typedef struct slotq {
  uint32_t min, max;          /* slot_min, slot_max */
  const uint8_t (*lenbyte)[32];
  vtab vt;
  cktab ck;
  const interner *strs;
} slotq;

static void slotq_init(slotq *q, const tr_patterns *p, int slot) {
  q->min = p->slot_min[slot];
  q->max = p->slot_max[slot];
  q->lenbyte = (const uint8_t (*)[32])p->lenbyte[slot];
  q->vt = p->vt[slot];
  q->ck = p->ck[slot];
  q->strs = &p->strs;
}

/* slot_id with the slot's data in q (inlined: q stays in registers). */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline uint32_t slotq_id(const slotq *q, uint64_t key8, const char *s,
                                size_t len) {
  /* (a length outside the values' is common and predictable; for the
  ** usual lookup after it, no branch on whether the word is a value) */
  if (len < q->min || len > q->max) return 0;
  if (len <= 8 && q->ck.e) return ck_find(&q->ck, key8, len);
  unsigned first = len == 0 ? 0 : len <= 8 ? (unsigned)(key8 & 0xFF)
                                           : (unsigned char)s[0];
  if (!bm_has(q->lenbyte[len < 63 ? len : 63], first)) return 0;
  uint64_t key = len <= 8 ? key8 : hash_bytes(s, len);
  return vtab_find(&q->vt, q->strs, key, s, len);
}

/* Could any SHAPE value start like the shape of this ASCII token? Its
** first shape character is X, x, d or the byte itself. */
static int shape_may(const tr_patterns *p, const char *s, size_t len) {
  unsigned c = (unsigned char)s[0];
  unsigned f = c >= 'A' && c <= 'Z' ? 'X' : c >= 'a' && c <= 'z' ? 'x'
               : c >= '0' && c <= '9' ? 'd' : c;
  if (!bm_has(p->anybyte[SLOT_SHAPE], f)) return 0; /* words, mostly */
  for (size_t l = p->slot_min[SLOT_SHAPE]; l <= len && l < 64; l++)
    if (bm_has(p->lenbyte[SLOT_SHAPE][l], f)) return 1;
  return len >= 63 && bm_has(p->lenbyte[SLOT_SHAPE][63], f);
}

/* Per token, the ids of the attributes the patterns compare (EQ, IN,
** NOT_IN values), the first-token index buckets they open, and whether
** the token is worth a look at all (d->act); LOWER and SHAPE strings for
** regexes and the first-byte index are made later, on demand. Strings of
** up to 8 bytes are looked up by their packed bytes, ASCII ones lower-cased
** in a register for LOWER; a string longer than every value of its slot
** (or of a length and first byte no value has) is not looked up at all. */
static int prepare(dctx *d) {
  const tr_patterns *p = d->p;
  size_t n = d->n;
  for (int s = 0; s < NSLOTS; s++)
    if (p->id_slots & (1u << s)) {
      d->ids[s] = malloc(n * sizeof *d->ids[s]);
      if (!d->ids[s]) return -1;
    }
  unsigned made = p->re_slots | p->byte_slots;
  if (made & (1u << SLOT_LOWER)) {
    d->lower_off = malloc(n * sizeof *d->lower_off);
    d->lower_len = malloc(n * sizeof *d->lower_len);
    if (!d->lower_off || !d->lower_len) return -1;
    memset(d->lower_len, 0xFF, n * sizeof *d->lower_len);
  }
  if (made & (1u << SLOT_SHAPE)) {
    d->shape_off = malloc(n * sizeof *d->shape_off);
    d->shape_len = malloc(n * sizeof *d->shape_len);
    if (!d->shape_off || !d->shape_len) return -1;
    memset(d->shape_len, 0xFF, n * sizeof *d->shape_len);
  }
  uint32_t kind_id[TR_KIND_MAX + 1];
  if (p->id_slots & (1u << SLOT_KIND))
    for (int k = 0; k <= TR_KIND_MAX; k++) {
      const char *nm = tr_kind_name(k);
      size_t l = strlen(nm);
      kind_id[k] = slot_id(p, SLOT_KIND, l <= 8 ? pack8(nm, l) : 0, nm, l);
    }
  d->ixm = malloc((n ? n : 1) * sizeof *d->ixm);
  d->act = malloc((n ? n : 1) * sizeof *d->act);
  d->ids[NSLOTS] = calloc(n ? n : 1, sizeof *d->ids[NSLOTS]);
  if (!d->ixm || !d->act || !d->ids[NSLOTS]) return -1;
  /* a token is worth a look when a bucket, a flag list or a first-byte
  ** list may hold a pattern for it; with unindexed patterns, every one */
  const int all_act = p->unindexed.n > 0;
  const uint8_t *byte_go = p->byte_go;
  const uint32_t *flag_len = p->flag_len;
  const unsigned byte_slots = p->byte_slots;
  size_t nact = 0;
  /* the index's buckets by slot, in locals (see slotq) */
  const uint32_t *ixid[NSLOTS];
  uint32_t ixcap[NSLOTS];
  for (int s = 0; s < NSLOTS; s++) {
    int on = p->ixcap[s] && d->ids[s];
    ixid[s] = on ? p->ixid[s] : NULL;
    ixcap[s] = on ? (uint32_t)p->ixcap[s] : 0;
  }
  uint32_t *id_text = d->ids[SLOT_TEXT], *id_lower = d->ids[SLOT_LOWER];
  uint32_t *id_norm = d->ids[SLOT_NORM], *id_shape = d->ids[SLOT_SHAPE];
  uint32_t *id_kind = d->ids[SLOT_KIND];
  const tr_token *v = d->toks->v;
  const char *text = d->text;
  slotq qt, ql, qn, qs;
  slotq_init(&qt, p, SLOT_TEXT);
  slotq_init(&ql, p, SLOT_LOWER);
  slotq_init(&qn, p, SLOT_NORM);
  slotq_init(&qs, p, SLOT_SHAPE);
  for (size_t i = 0; i < n; i++) {
    const tr_token *t = &v[i];
    size_t len = t->len;
    const char *s = text + t->start;
    uint32_t id_t = 0, id_l = 0, id_n = 0, id_s = 0, id_k = 0;
    uint64_t key = 0; /* the text's packed bytes, when len <= 8 */
    if (len <= 8 && (id_text || id_lower))
      key = load_key(s, len, t->start + len >= 8);
    if (id_text) id_text[i] = id_t = slotq_id(&qt, key, s, len);
    if (id_norm) {
      size_t nl;
      const char *nm = tr_tokens_norm(d->toks, i, &nl);
      uint64_t nk = nl <= 8 ? load_key(nm, nl, t->norm + nl >= 8) : 0;
      id_norm[i] = id_n = slotq_id(&qn, nk, nm, nl);
    }
    if (id_kind)
      id_kind[i] = id_k = kind_id[t->kind <= TR_KIND_MAX ? t->kind : 0];
    if (id_lower) {
      if (len <= 8 && !(key & 0x8080808080808080ULL)) {
        id_l = slotq_id(&ql, lower_key(key), s, len);
      } else if (len > 8 && ascii_str(s, len)) {
        /* lowered byte for byte: the length and first byte may rule out
        ** every value before anything is lowered or hashed */
        unsigned c = (unsigned char)s[0];
        if (len >= ql.min && len <= ql.max &&
            bm_has(ql.lenbyte[len < 63 ? len : 63],
                   c >= 'A' && c <= 'Z' ? c + 32 : c)) {
          if (need_buf(d, len) != 0) return -1;
          for (size_t k = 0; k < len; k++) {
            c = (unsigned char)s[k];
            d->buf[k] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
          }
          id_l = slotq_id(&ql, 0, d->buf, len);
        }
      } else if (len <= (size_t)ql.max * 3 + 3) {
        /* (longer: no value is that long, as lowering turns a character
        ** of n bytes into one of at least n / 3 bytes: KELVIN SIGN into
        ** k) */
        if (need_buf(d, 3 * len + 4) != 0) return -1;
        size_t l = lower_into(s, len, d->buf);
        id_l = slotq_id(&ql, l <= 8 ? pack8(d->buf, l) : 0, d->buf, l);
      }
      id_lower[i] = id_l;
    }
    /* An ASCII token's shape is no longer than the token and starts as
    ** shape_may says: often that rules out every SHAPE value without
    ** computing the shape. */
    if (id_shape) {
      if (!(t->flags & TR_F_ASCII) ||
          (len >= qs.min && shape_may(p, s, len))) {
        size_t cap = 3 * len + 4;
        if (need_buf(d, cap) != 0) return -1;
        size_t l = tr_token_shape(s, len, d->buf, cap);
        id_s = slotq_id(&qs, l <= 8 ? pack8(d->buf, l) : 0, d->buf, l);
      }
      id_shape[i] = id_s;
    }
    /* which slots' ids open a bucket of the first-token index (most
    ** tokens: none; ixcap is 0 for a slot without one) */
    unsigned m = 0;
    if (id_t && id_t < ixcap[SLOT_TEXT] && ixid[SLOT_TEXT][id_t])
      m |= 1u << SLOT_TEXT;
    if (id_l && id_l < ixcap[SLOT_LOWER] && ixid[SLOT_LOWER][id_l])
      m |= 1u << SLOT_LOWER;
    if (id_n && id_n < ixcap[SLOT_NORM] && ixid[SLOT_NORM][id_n])
      m |= 1u << SLOT_NORM;
    if (id_s && id_s < ixcap[SLOT_SHAPE] && ixid[SLOT_SHAPE][id_s])
      m |= 1u << SLOT_SHAPE;
    if (id_k && id_k < ixcap[SLOT_KIND] && ixid[SLOT_KIND][id_k])
      m |= 1u << SLOT_KIND;
    if (byte_slots)
      m |= (unsigned)(len ? byte_go[(unsigned char)s[0]] : byte_slots) << 8;
    d->ixm[i] = (uint16_t)m;
    if (m || all_act || (t->flags & flag_len[len < 64 ? len : 64]))
      d->act[nact++] = (uint32_t)i;
  }
  d->nact = nact;
  if (p->nre) {
    d->re_memo = calloc((p->nre * n + 3) / 4, 1);
    d->md = pcre2_match_data_create(1, NULL);
    if (!d->re_memo || !d->md) return -1;
  }
  if (p->maxwords > 1) {
    d->sa = malloc(p->maxwords * sizeof *d->sa);
    d->sb = malloc(p->maxwords * sizeof *d->sb);
    if (!d->sa || !d->sb) return -1;
  }
  return 0;
}

static void dctx_free(dctx *d) {
  for (int s = 0; s <= NSLOTS; s++) free(d->ids[s]);
  free(d->ixm);
  free(d->act);
  free(d->lower);
  free(d->lower_off);
  free(d->lower_len);
  free(d->shape);
  free(d->shape_off);
  free(d->shape_len);
  free(d->buf);
  free(d->re_memo);
  free(d->sm);
  pcre2_match_data_free(d->md);
  free(d->sa);
  free(d->sb);
  free(d->raw.v);
}

/* ---- dedup, greedy filters, output ---------------------------------- */

/* Within one start: group, then end; among equal spans the highest
** priority first (the one deduplication keeps). */
static int by_group_end(const rawm *a, const rawm *b) {
  if (a->group != b->group) return a->group < b->group ? -1 : 1;
  if (a->end != b->end) return a->end < b->end ? -1 : 1;
  if (a->priority != b->priority) return a->priority > b->priority ? -1 : 1;
  return 0;
}

/* Text order: start, longer first, rule, value. */
static int raw_text(const void *pa, const void *pb) {
  const rawm *a = pa, *b = pb;
  if (a->start != b->start) return a->start < b->start ? -1 : 1;
  if (a->end != b->end) return a->end > b->end ? -1 : 1;
  if (a->rule != b->rule) return a->rule < b->rule ? -1 : 1;
  if (a->value != b->value) return a->value < b->value ? -1 : 1;
  return 0;
}

/* spaCy LONGEST: sorted(pairs, key=lambda x: (x[1]-x[0], -x[0]),
** reverse=True) — the longer, then the earlier start; by key. Is match a
** before match b in that order? (Within a key no two matches have the
** same start and end: they were deduplicated.) */
static inline int longest_before(const rawm *a, const rawm *b) {
  if (a->group != b->group) return a->group < b->group;
  uint32_t la = a->end - a->start, lb = b->end - b->start;
  if (la != lb) return la > lb;
  return a->start < b->start;
}

/* Sort the indexes ix[0..n) of matches v into that order (merge sort,
** tmp has n entries): no qsort callback per comparison, and every
** document with LONGEST keys comes through here. */
static void sort_longest(const rawm *v, uint32_t *ix, uint32_t *tmp,
                         size_t n) {
  for (size_t w = 1; w < n; w *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * w) {
      size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w
                                                                 : n;
      size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi)
        tmp[k++] = longest_before(&v[ix[j]], &v[ix[i]]) ? ix[j++] : ix[i++];
      while (i < mid) tmp[k++] = ix[i++];
      while (j < hi) tmp[k++] = ix[j++];
    }
    memcpy(ix, tmp, n * sizeof *ix);
  }
}

/* Insertion sort: the runs sorted here are a start's few matches. */
static void isort(rawm *v, size_t n, int (*cmp)(const rawm *, const rawm *)) {
  for (size_t i = 1; i < n; i++) {
    rawm x = v[i];
    size_t j = i;
    while (j > 0 && cmp(&v[j - 1], &x) > 0) {
      v[j] = v[j - 1];
      j--;
    }
    v[j] = x;
  }
}

static int raw_text_cmp(const rawm *a, const rawm *b) {
  return raw_text(a, b);
}

static int push_match(const dctx *d, const rawm *x, tr_matches *out) {
  const tr_token *f = &d->toks->v[x->start], *l = &d->toks->v[x->end - 1];
  tr_match m;
  m.start = f->start;
  m.stop = l->start + l->len;
  m.tok_first = x->start;
  m.tok_count = x->end - x->start;
  m.rule = x->rule;
  m.value = x->value;
  m.priority = x->priority;
  m.score = 1.0f;
  m.extra = UINT32_MAX;
  return tr_matches_push(out, &m);
}

/* From the raw matches (in start order, as the scan made them) to the
** output: deduplicated per key, filtered as the key's greedy setting says,
** in text order. Near-linear: only LONGEST keys need a real sort. */
static int output(dctx *d, tr_matches *out) {
  const tr_patterns *p = d->p;
  rawvec *r = &d->raw;
  rawm *v = r->v;
  size_t n = r->n, w = 0;
  if (n == 0) return 0;
  rawvec lg = { NULL, 0, 0 };   /* matches of LONGEST keys */
  uint32_t *last_end = NULL;    /* FIRST: end of the key's last kept match */
  uint32_t *mark = NULL;        /* LONGEST: token taken, by key stamp */
  uint32_t *ix = NULL;          /* LONGEST: lg in filter order, scratch */
  int rc = -1;
  if (p->nspecial) {
    last_end = calloc(p->ngroups, sizeof *last_end);
    if (!last_end) goto done;
  }
  for (size_t a = 0, b; a < n; a = b) {
    b = a;
    while (b < n && v[b].start == v[a].start) b++;
    size_t w0 = w;
    if (p->nspecial == 0) {
      /* One pattern per key, no filter: each span comes once already. */
      while (a < b) v[w++] = v[a++];
    } else {
      isort(v + a, b - a, by_group_end);
      rawm prev = v[a];
      for (size_t i = a; i < b; i++) {
        rawm x = v[i];
        /* spaCy deduplicates (key, start, end). */
        if (i > a && prev.group == x.group && prev.end == x.end) continue;
        prev = x;
        if (p->groups[x.group].greedy == TR_GREEDY_LONGEST) {
          if (lg.n == lg.cap) {
            size_t cap = lg.cap ? lg.cap * 2 : 64;
            rawm *nv = realloc(lg.v, cap * sizeof *nv);
            if (!nv) goto done;
            lg.v = nv;
            lg.cap = cap;
          }
          lg.v[lg.n++] = x;
        } else {
          v[w++] = x;
        }
      }
      /* spaCy FIRST keeps, in order of (start, longer first), what does
      ** not overlap a kept match: as starts only grow, that is a match
      ** starting at or after the end of the key's last kept one. Going
      ** backwards visits each key's matches longest first. */
      int dropped = 0;
      for (size_t i = w; i-- > w0;) {
        uint32_t g = v[i].group;
        if (p->groups[g].greedy != TR_GREEDY_FIRST) continue;
        if (last_end[g] > v[i].start) {
          v[i].end = 0;
          dropped = 1;
        } else {
          last_end[g] = v[i].end;
        }
      }
      if (dropped) {
        size_t k = w0;
        for (size_t i = w0; i < w; i++)
          if (v[i].end) v[k++] = v[i];
        w = k;
      }
    }
    isort(v + w0, w - w0, raw_text_cmp);
  }
  if (lg.n) {
    /* spaCy LONGEST, per key: longest first, then earliest; keep what
    ** overlaps nothing kept. Then back to text order. lg is in start
    ** order (the scan's), so the kept ones are taken back out in that
    ** order and only the few matches of each start need sorting. */
    mark = calloc(d->n, sizeof *mark);
    ix = malloc(2 * lg.n * sizeof *ix);
    if (!mark || !ix) goto done;
    for (size_t i = 0; i < lg.n; i++) ix[i] = (uint32_t)i;
    sort_longest(lg.v, ix, ix + lg.n, lg.n);
    for (size_t i = 0; i < lg.n; i++) {
      rawm *x = &lg.v[ix[i]];
      uint32_t stamp = x->group + 1, t = x->start;
      while (t < x->end && mark[t] != stamp) t++;
      if (t < x->end) {
        x->end = x->start; /* dropped */
        continue;
      }
      for (t = x->start; t < x->end; t++) mark[t] = stamp;
    }
    size_t k = 0;
    for (size_t i = 0; i < lg.n; i++)
      if (lg.v[i].end != lg.v[i].start) lg.v[k++] = lg.v[i];
    lg.n = k;
    for (size_t a = 0, b; a < lg.n; a = b) {
      for (b = a + 1; b < lg.n && lg.v[b].start == lg.v[a].start;) b++;
      isort(lg.v + a, b - a, raw_text_cmp);
    }
  }
  /* Merge the two text-ordered lists into the output. */
  size_t i = 0, j = 0;
  while (i < w || j < lg.n) {
    const rawm *x = j >= lg.n || (i < w && raw_text(&v[i], &lg.v[j]) <= 0)
                      ? &v[i++] : &lg.v[j++];
    if (push_match(d, x, out) != 0) goto done;
  }
  rc = 0;
done:
  free(lg.v);
  free(last_end);
  free(mark);
  free(ix);
  return rc;
}

int tr_patterns_match(const tr_patterns *p, const char *text,
                      const tr_tokens *toks, tr_matches *out, char **err) {
  if (err) *err = NULL;
  if (!p || !toks || toks->n == 0 || p->npats == 0) return 0;
  if (toks->n >= UINT32_MAX) {
    set_err(err, msgf("too many tokens in one document"));
    return -1;
  }
  dctx d;
  memset(&d, 0, sizeof d);
  d.p = p;
  d.text = text;
  d.toks = toks;
  d.n = toks->n;
  int rc = 0;
  uint32_t *seen = NULL; /* per pattern: 1 + the last start tried */
  uint32_t *cand = NULL; /* the patterns to try at a token */
  if (prepare(&d) != 0) goto oom;
  seen = calloc(p->npats, sizeof *seen);
  cand = malloc(p->npats * sizeof *cand);
  if (!seen || !cand) goto oom;
  /* What the loop reads of p, in locals: its stores into seen[] and
  ** cand[] could alias p's fields as far as the compiler knows. */
  const cpat *pats = p->pats;
  const plist *lists = p->lists, *flag_lists = p->flag_lists;
  const uint32_t *flag_len = p->flag_len;
  const uint32_t *ixid[NSLOTS];
  for (int s = 0; s < NSLOTS; s++) ixid[s] = p->ixid[s];
  for (size_t a = 0; a < d.nact && !d.failed; a++) {
    /* Indexed patterns: only those whose first token can be this one,
    ** in the order of the buckets (values by slot, flags, first bytes),
    ** then the unindexed ones. Only the tokens prepare found worth a
    ** look come here. */
    size_t i = d.act[a];
    uint32_t stamp = (uint32_t)(i + 1), len = d.toks->v[i].len;
    size_t nc = 0;
    for (unsigned ss = d.ixm[i] & 0xFF; ss; ss &= ss - 1) {
      unsigned s = CTZ64(ss);
      gather(pats, &lists[ixid[s][d.ids[s][i]]], len, seen, stamp, cand, &nc);
    }
    for (uint32_t fl = d.toks->v[i].flags & flag_len[len < 64 ? len : 64]; fl;
         fl &= fl - 1)
      gather(pats, &flag_lists[CTZ64(fl)], len, seen, stamp, cand, &nc);
    if (d.ixm[i] >> 8) {
      /* the first byte of ORTH, and of LOWER when it is ASCII, inline;
      ** most first bytes have no bucket in any slot (byte_go) */
      unsigned c0 = len ? (unsigned char)text[d.toks->v[i].start] : 0;
      for (unsigned bs = d.ixm[i] >> 8; bs; bs &= bs - 1) {
        unsigned sl = CTZ64(bs);
        int b;
        if (len && sl == SLOT_TEXT) b = (int)c0;
        else if (len && sl == SLOT_LOWER && c0 < 0x80)
          b = (int)(c0 >= 'A' && c0 <= 'Z' ? c0 + 32 : c0);
        else b = first_byte(&d, (int)sl, i);
        if (b >= 0 && bm_has(p->byte_any[sl], (unsigned)b))
          gather(pats, &p->byte_lists[sl][b], len, seen, stamp, cand, &nc);
      }
    }
    for (size_t k = 0; k < nc && !d.failed; k++) run(&d, cand[k], i);
    for (uint32_t k = 0; k < p->unindexed.n && !d.failed; k++)
      run(&d, p->unindexed.pats[k], i);
  }
  if (d.failed == -1) goto oom;
  if (d.failed == -2) {
    const cgroup *g = &p->groups[p->pats[d.fail_pat].group];
    const cregex *re = &p->re[d.fail_re];
    PCRE2_UCHAR buf[160];
    if (pcre2_get_error_message(d.fail_rc, buf, sizeof buf) < 0)
      strcpy((char *)buf, "match error");
    set_err(err, msgf("rule %u: REGEX /%s/: %s (at token %u of the "
                      "document)", g->rule, re->src, (char *)buf,
                      d.fail_tok + 1));
    rc = -1;
    goto done;
  }
  if (output(&d, out) != 0) goto oom;
  goto done;
oom:
  set_err(err, msgf("out of memory"));
  rc = -1;
done:
  free(seen);
  free(cand);
  dctx_free(&d);
  return rc;
}

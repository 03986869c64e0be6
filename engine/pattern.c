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
** probe (IN with 1000 values too); lookups are skipped when no value has
** the token's length and first byte. Patterns are indexed by what their
** first token must be: an EQ/IN value, else an anchored REGEX's possible
** first bytes, else a required flag (IS_TITLE, LIKE_NUM...), so a pattern
** is only tried at tokens where it can start; only patterns with none of
** these (a wildcard, "!", LENGTH alone first) are tried everywhere. A
** REGEX is first tested against PCRE2's own necessary conditions
** (minimum length, first and required bytes), and its results are
** memoised per (regex, token). Matches come out of the scan in start
** order, so deduplication and FIRST need one pass; LONGEST sorts its own.
** Cost: O(tokens x patterns tried x active positions), in practice close
** to O(tokens) for patterns that start with a value.
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

static int idset_has(const idset *s, uint32_t k) {
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

static uint32_t intern_find(const interner *t, const char *s, size_t len) {
  if (t->n == 0 || len > t->maxlen || len < t->minlen) return 0;
  return intern_find_h(t, s, len, hash_bytes(s, len));
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
} plist;

struct tr_patterns {
  interner strs;     /* interned string values */
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
  size_t nspecial;        /* keys with several patterns or a filter: when
                             none, matches need no deduplication and no
                             regrouping (they come out in start order) */
  plist unindexed;        /* patterns tried at every token */
  unsigned id_slots;   /* SLOT_* bits whose ids matching needs */
  uint32_t slot_min[NSLOTS], slot_max[NSLOTS]; /* byte lengths of the
                          values compared in each slot: a token attribute
                          outside them has no id, without hashing */
  uint8_t lenbyte[NSLOTS][64][32]; /* per slot, bit (length, first byte)
                          of every value (lengths over 62 share row 63):
                          a token attribute with no bit set has no id */
  unsigned re_slots;   /* SLOT_* bits whose strings regexes need */
  int need_length;     /* some predicate reads LENGTH */
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
  return 1;
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
  (void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
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
  r->code = code;
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
  if (!id) return 0;
  bm_set(p->lenbyte[slot][len < 63 ? len : 63], len ? (unsigned char)s[0] : 0);
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

/* Compile a spec into p->specs (validated before). */
static int compile_spec(tr_patterns *p, const tr_tok_spec *s, char **msg) {
  cspec c = { NULL, 0 };
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
      p->need_length = 1;
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

/* Append pattern pi to a bucket (once: pi is the newest pattern). */
static int plist_add(plist *l, uint32_t pi) {
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

static int ix_add(tr_patterns *p, int slot, uint32_t id, uint32_t pi) {
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
  return plist_add(&p->lists[b], pi);
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
  if (!ok) return plist_add(&p->unindexed, pi);
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
      for (unsigned b = 0; b < 256; b++)
        if (bm_has(r->first, b) &&
            plist_add(&p->byte_lists[r->slot][b], pi) != 0)
          return -1;
    } else if (!q) {
      uint32_t f = index_flag(sp);
      unsigned b = 0;
      while (!(f & (1u << b))) b++;
      if (plist_add(&p->flag_lists[b], pi) != 0) return -1;
      p->flag_bits |= 1u << b;
    } else if (q->kind == Q_ID_EQ) {
      if (ix_add(p, q->slot, q->id, pi) != 0) return -1;
    } else {
      for (uint32_t k = 0; k <= q->set.mask && q->set.n; k++)
        if (q->set.slot[k] && ix_add(p, q->slot, q->set.slot[k], pi) != 0)
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
  int need_length0 = p->need_length;
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
  p->need_length = need_length0;
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
  uint32_t *ids[NSLOTS];      /* per token: interned id of the attribute */
  uint32_t *length;           /* per token: code points (need_length) */
  char *lower;                /* LOWER strings, when a regex reads them */
  size_t *lower_off;          /* n + 1 offsets into lower */
  char *shape;                /* SHAPE strings, when a regex reads them */
  size_t *shape_off;
  uint8_t *re_memo;           /* nre x n results, 2 bits each: 0 not yet
                                 known, 1 match, 2 no match */
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

/* The string a regex searches for token i. */
static const char *attr_str(const dctx *d, int slot, size_t i, size_t *len) {
  switch (slot) {
  case SLOT_TEXT: return tok_text(d, i, len);
  case SLOT_NORM: return tr_tokens_norm(d->toks, i, len);
  case SLOT_LOWER:
    *len = d->lower_off[i + 1] - d->lower_off[i];
    return d->lower + d->lower_off[i];
  case SLOT_SHAPE:
    *len = d->shape_off[i + 1] - d->shape_off[i];
    return d->shape + d->shape_off[i];
  default: {
    const char *k = tr_kind_name(d->toks->v[i].kind);
    *len = strlen(k);
    return k;
  }
  }
}

/* Does REGEX `re` find a match in token i's attribute? Memoised: the same
** (regex, token) is asked again from other starts and positions. */
static int regex_ok(dctx *d, uint32_t re, size_t i) {
  size_t at = (size_t)re * d->n + i;
  uint8_t *m = &d->re_memo[at >> 2];
  unsigned sh = (unsigned)(at & 3) * 2, known = *m >> sh & 3;
  if (known) return known == 1;
  const cregex *r = &d->p->re[re];
  size_t len;
  const char *s = attr_str(d, r->slot, i, &len);
  int ok = 0;
  if (may_match(r, s, len)) {
    int rc = pcre2_match(r->code, (PCRE2_SPTR)s, len, 0, 0, d->md,
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
    }
  }
  *m = (uint8_t)(*m | (ok ? 1u : 2u) << sh);
  return ok;
}

static int spec_ok(dctx *d, uint32_t si, size_t i) {
  const cspec *s = &d->p->specs[si];
  const tr_token *t = &d->toks->v[i];
  for (uint32_t k = 0; k < s->npreds; k++) {
    const cpred *q = &s->preds[k];
    int ok;
    switch (q->kind) {
    case Q_ID_EQ: ok = d->ids[q->slot][i] == q->id; break;
    case Q_FLAG: ok = ((t->flags & q->flag) != 0) == q->want; break;
    case Q_ID_IN: ok = idset_has(&q->set, d->ids[q->slot][i]); break;
    case Q_ID_NOT_IN: ok = !idset_has(&q->set, d->ids[q->slot][i]); break;
    case Q_LEN_CMP: {
      double v = d->length[i];
      switch (q->cmp) {
      case TR_P_EQ: ok = v == q->num; break;
      case TR_P_NE: ok = v != q->num; break;
      case TR_P_LT: ok = v < q->num; break;
      case TR_P_LE: ok = v <= q->num; break;
      case TR_P_GT: ok = v > q->num; break;
      default: ok = v >= q->num; break;
      }
      break;
    }
    case Q_LEN_IN: ok = idset_has(&q->set, d->length[i] + 1); break;
    case Q_LEN_NOT_IN: ok = !idset_has(&q->set, d->length[i] + 1); break;
    default: ok = regex_ok(d, q->re, i); break;
    }
    if (!ok) return 0;
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

static void run(dctx *d, uint32_t pi, size_t start) {
  const cpat *c = &d->p->pats[pi];
  if (d->toks->v[start].len < c->minbytes) return;
  if (c->words == 1) run_small(d, c, pi, start);
  else run_big(d, c, pi, start);
}

/* Run the patterns of an index bucket from token i, each pattern once per
** token however many buckets name it (seen[pi] == stamp: done). */
static void run_list(dctx *d, const plist *l, uint32_t *seen, uint32_t stamp,
                     size_t i) {
  uint32_t len = d->toks->v[i].len;
  for (uint32_t k = 0; k < l->n && !d->failed; k++) {
    uint32_t pi = l->pats[k];
    if (seen[pi] == stamp || len < d->p->pats[pi].minbytes) continue;
    seen[pi] = stamp;
    run(d, pi, i);
  }
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

/* The id of a token attribute string compared in slot, 0 when none. */
static uint32_t slot_find(const tr_patterns *p, int slot, const char *s,
                          size_t len) {
  if (!slot_may(p, slot, len, len ? (unsigned char)s[0] : 0)) return 0;
  return intern_find(&p->strs, s, len);
}

/* Could any SHAPE value start like the shape of this ASCII token? Its
** first shape character is X, x, d or the byte itself. */
static int shape_may(const tr_patterns *p, const char *s, size_t len) {
  unsigned c = (unsigned char)s[0];
  unsigned f = c >= 'A' && c <= 'Z' ? 'X' : c >= 'a' && c <= 'z' ? 'x'
               : c >= '0' && c <= '9' ? 'd' : c;
  for (size_t l = p->slot_min[SLOT_SHAPE]; l <= len && l < 64; l++)
    if (bm_has(p->lenbyte[SLOT_SHAPE][l], f)) return 1;
  return len >= 63 && bm_has(p->lenbyte[SLOT_SHAPE][63], f);
}

static int append(char **a, size_t *n, size_t *cap, const char *s,
                  size_t len) {
  if (grow((void **)a, cap, *n + len + 1, 1) != 0) return -1;
  memcpy(*a + *n, s, len);
  *n += len;
  return 0;
}

static int prepare(dctx *d) {
  const tr_patterns *p = d->p;
  size_t n = d->n;
  unsigned need_str = p->re_slots;
  for (int s = 0; s < NSLOTS; s++)
    if (p->id_slots & (1u << s)) {
      d->ids[s] = malloc(n * sizeof *d->ids[s]);
      if (!d->ids[s]) return -1;
    }
  if (p->need_length) {
    d->length = malloc(n * sizeof *d->length);
    if (!d->length) return -1;
  }
  size_t maxlen = 0;
  for (size_t i = 0; i < n; i++)
    if (d->toks->v[i].len > maxlen) maxlen = d->toks->v[i].len;
  char *buf = malloc(3 * maxlen + 4);
  if (!buf) return -1;
  size_t lower_n = 0, lower_cap = 0, shape_n = 0, shape_cap = 0;
  if (need_str & (1u << SLOT_LOWER)) {
    d->lower_off = malloc((n + 1) * sizeof *d->lower_off);
    if (!d->lower_off) goto fail;
  }
  if (need_str & (1u << SLOT_SHAPE)) {
    d->shape_off = malloc((n + 1) * sizeof *d->shape_off);
    if (!d->shape_off) goto fail;
  }
  uint32_t kind_id[TR_KIND_MAX + 1];
  if (p->id_slots & (1u << SLOT_KIND))
    for (int k = 0; k <= TR_KIND_MAX; k++) {
      const char *nm = tr_kind_name(k);
      kind_id[k] = intern_find(&p->strs, nm, strlen(nm));
    }
  for (size_t i = 0; i < n; i++) {
    const tr_token *t = &d->toks->v[i];
    size_t len;
    const char *s = tok_text(d, i, &len);
    if (d->ids[SLOT_TEXT])
      d->ids[SLOT_TEXT][i] = slot_find(p, SLOT_TEXT, s, len);
    if (d->ids[SLOT_NORM]) {
      size_t nl;
      const char *nm = tr_tokens_norm(d->toks, i, &nl);
      d->ids[SLOT_NORM][i] = slot_find(p, SLOT_NORM, nm, nl);
    }
    if (d->ids[SLOT_KIND])
      d->ids[SLOT_KIND][i] = kind_id[t->kind <= TR_KIND_MAX ? t->kind : 0];
    if (d->ids[SLOT_LOWER] || d->lower_off) {
      /* Most tokens are their own lowercase: then reuse the ORTH id. */
      size_t l = len;
      const char *ls = s;
      int same = 1;
      for (size_t b = 0; b < len && same; b++)
        same = (unsigned char)s[b] < 0x80 && (s[b] < 'A' || s[b] > 'Z');
      if (!same) {
        l = lower_into(s, len, buf);
        ls = buf;
      }
      /* The ORTH id serves when the ORTH lookup was a real one. */
      if (d->ids[SLOT_LOWER])
        d->ids[SLOT_LOWER][i] =
          same && d->ids[SLOT_TEXT] &&
          slot_may(p, SLOT_TEXT, len, len ? (unsigned char)s[0] : 0)
            ? d->ids[SLOT_TEXT][i] : slot_find(p, SLOT_LOWER, ls, l);
      if (d->lower_off) {
        d->lower_off[i] = lower_n;
        if (append(&d->lower, &lower_n, &lower_cap, ls, l) != 0) goto fail;
      }
    }
    /* An ASCII token's shape is no longer than the token and starts as
    ** shape_may says: often that rules out every SHAPE value without
    ** computing the shape. */
    if (d->ids[SLOT_SHAPE] && !d->shape_off && (t->flags & TR_F_ASCII) &&
        (len < p->slot_min[SLOT_SHAPE] || !shape_may(p, s, len))) {
      d->ids[SLOT_SHAPE][i] = 0;
    } else if (d->ids[SLOT_SHAPE] || d->shape_off) {
      size_t l = tr_token_shape(s, len, buf, 3 * maxlen + 4);
      if (d->ids[SLOT_SHAPE])
        d->ids[SLOT_SHAPE][i] = slot_find(p, SLOT_SHAPE, buf, l);
      if (d->shape_off) {
        d->shape_off[i] = shape_n;
        if (append(&d->shape, &shape_n, &shape_cap, buf, l) != 0) goto fail;
      }
    }
    if (d->length)
      d->length[i] = t->flags & TR_F_ASCII ? (uint32_t)len
                                            : count_cps(s, len);
  }
  if (d->lower_off) d->lower_off[n] = lower_n;
  if (d->shape_off) d->shape_off[n] = shape_n;
  free(buf);
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
fail:
  free(buf);
  return -1;
}

static void dctx_free(dctx *d) {
  for (int s = 0; s < NSLOTS; s++) free(d->ids[s]);
  free(d->length);
  free(d->lower);
  free(d->lower_off);
  free(d->shape);
  free(d->shape_off);
  free(d->re_memo);
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
** reverse=True) — the longer, then the earlier start; by key. */
static int by_longest(const void *pa, const void *pb) {
  const rawm *a = pa, *b = pb;
  if (a->group != b->group) return a->group < b->group ? -1 : 1;
  uint32_t la = a->end - a->start, lb = b->end - b->start;
  if (la != lb) return la > lb ? -1 : 1;
  if (a->start != b->start) return a->start < b->start ? -1 : 1;
  return 0;
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
    ** overlaps nothing kept. Then back to text order. */
    mark = calloc(d->n, sizeof *mark);
    if (!mark) goto done;
    qsort(lg.v, lg.n, sizeof *lg.v, by_longest);
    size_t k = 0;
    for (size_t i = 0; i < lg.n; i++) {
      const rawm *x = &lg.v[i];
      uint32_t stamp = x->group + 1, t = x->start;
      while (t < x->end && mark[t] != stamp) t++;
      if (t < x->end) continue;
      for (t = x->start; t < x->end; t++) mark[t] = stamp;
      lg.v[k++] = *x;
    }
    lg.n = k;
    qsort(lg.v, lg.n, sizeof *lg.v, raw_text);
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
  if (prepare(&d) != 0) goto oom;
  seen = calloc(p->npats, sizeof *seen);
  if (!seen) goto oom;
  for (size_t i = 0; i < d.n && !d.failed; i++) {
    /* Indexed patterns: only those whose first token can be this one. */
    uint32_t stamp = (uint32_t)(i + 1);
    for (int s = 0; s < NSLOTS; s++) {
      if (!p->ixcap[s] || !d.ids[s]) continue;
      uint32_t id = d.ids[s][i];
      uint32_t b = id && id < p->ixcap[s] ? p->ixid[s][id] : 0;
      if (b) run_list(&d, &p->lists[b], seen, stamp, i);
    }
    for (uint32_t fl = d.toks->v[i].flags & p->flag_bits; fl; fl &= fl - 1)
      run_list(&d, &p->flag_lists[CTZ64(fl)], seen, stamp, i);
    for (unsigned bs = p->byte_slots; bs; bs &= bs - 1) {
      unsigned sl = CTZ64(bs);
      size_t l;
      const char *a = attr_str(&d, (int)sl, i, &l);
      if (l) run_list(&d, &p->byte_lists[sl][(unsigned char)a[0]], seen,
                      stamp, i);
    }
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
  dctx_free(&d);
  return rc;
}

/*
** stats.h — the hot loops of the analysis library: frequency tables,
** keyword in context, window collocations, entity co-occurrence and
** duplicate passages, each computed in one pass over a corpus, document by
** document. Plain C, no Lua; the measures (G², MI, ...) are computed from
** the counts given here by scripts/lib/trawl/analysis.lua.
**
** Memory: every pass analyses one document at a time into one reused
** tr_analysis (tr_walk), so it holds the largest document's tokens, the
** result tables, and nothing that grows with the corpus otherwise.
**
** Code: stats.c (interning, the walker, mention sources), freq.c (freq and
** collocations), kwic.c, cooccur.c, dedup.c.
*/
#ifndef TRAWL_STATS_H
#define TRAWL_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "corpus.h"
#include "entities.h"
#include "pattern.h"
#include "regex.h"
#include "rules.h"
#include "store.h"

/* ------------------------------------------------------------------ */
/* Interned byte strings                                               */
/* ------------------------------------------------------------------ */

/* Byte strings mapped to dense ids 0, 1, 2 ... in order of first add. */
typedef struct tr_islot {
  uint32_t id1;         /* id + 1; 0 marks an empty slot */
  uint32_t hfrag;       /* high 32 bits of the hash: most misses end here */
} tr_islot;

typedef struct tr_intern {
  tr_islot *slots;      /* open addressing, linear probing */
  size_t mask;          /* slots - 1 (a power of two minus one), or 0 */
  uint64_t *off;        /* per id: offset of its bytes in arena */
  uint32_t *len;        /* per id: length in bytes */
  size_t n, cap;        /* ids in use and allocated in off/len */
  char *arena;          /* the strings, back to back, not NUL-separated */
  size_t arena_n, arena_cap; /* used and allocated bytes of arena */
} tr_intern;

void tr_intern_init(tr_intern *t);
void tr_intern_free(tr_intern *t);
/* The id of s[0..len), added when new (*added set to 1 then, when added
** is not NULL). Returns the id, or -1 on memory error. */
int64_t tr_intern_add(tr_intern *t, const char *s, size_t len, int *added);
/* The id of s, or -1 when it was never added. */
int64_t tr_intern_find(const tr_intern *t, const char *s, size_t len);
/* The bytes of id (not NUL-terminated). */
static inline const char *tr_intern_str(const tr_intern *t, uint32_t id,
                                        size_t *len) {
  *len = t->len[id];
  return t->arena + t->off[id];
}

/* A map from 64-bit keys to 64-bit values (keys are any value but
** UINT64_MAX, which marks an empty slot). */
typedef struct tr_u64map {
  uint64_t *keys;       /* UINT64_MAX: empty */
  uint64_t *vals;       /* value of the key in the same slot */
  size_t mask;          /* slots - 1, or 0 before the first put */
  size_t n;             /* keys present */
} tr_u64map;

void tr_u64map_init(tr_u64map *m);
void tr_u64map_free(tr_u64map *m);
/* Pointer to the value of key, inserted as 0 when missing (*added = 1).
** NULL on memory error. The pointer is valid until the next insert. */
uint64_t *tr_u64map_get(tr_u64map *m, uint64_t key, int *added);
/* Pointer to the value of key, or NULL when missing. */
uint64_t *tr_u64map_find(const tr_u64map *m, uint64_t key);

/* Which tokens count as running words: everything but punctuation and
** symbols, or every token when punct is non-zero. N (the corpus size of
** every statistic) is the number of counted tokens. */
static inline int tr_counted(const tr_token *t, int punct) {
  return punct || (t->kind != TR_PUNCT && t->kind != TR_SYMBOL);
}

/* ------------------------------------------------------------------ */
/* Mentions to analyse (entities)                                      */
/* ------------------------------------------------------------------ */

typedef struct tr_mention {
  uint64_t start, stop; /* bytes in the document text, stop exclusive */
  uint32_t doc;         /* document index in the corpus */
  uint32_t entity;      /* id in tr_msrc.ents */
  uint32_t type;        /* id in tr_msrc.types */
  uint32_t tok;         /* first token (set by the walker when it analyses
                           the document, else UINT32_MAX) */
} tr_mention;

/* Where mentions come from: a list (read from the store, or given), or a
** matcher run on every document as the walker reaches it. */
typedef struct tr_msrc {
  tr_intern ents;       /* entity ids (type-only mentions are left out) */
  tr_intern types;      /* type names */
  tr_mention *v;        /* the list, sorted by tr_msrc_sort (doc, start) */
  size_t n, cap;        /* used and allocated entries of v */
  tr_matcher *m;        /* or NULL: run on each document (no list) */
  const char *const *only_types; /* keep only these types (NULL: all) */
  size_t ntypes;        /* entries in only_types */
  const char *only_entity; /* keep only this entity (NULL: all) */
} tr_msrc;

void tr_msrc_init(tr_msrc *s);
void tr_msrc_free(tr_msrc *s);
/* Add one mention to the list (entity NULL or "": left out; a type not
** in only_types or another entity than only_entity: left out). Returns 0 or -1 (memory). */
int tr_msrc_add(tr_msrc *s, uint32_t doc, uint64_t start, uint64_t stop,
                const char *entity, const char *type);
/* Sort the list by document, then start. */
void tr_msrc_sort(tr_msrc *s);
/* Fill the list from the store's mentions that pass f and only_types,
** mapping document ids to indices of c (mentions of documents not in c
** are dropped) and sort it. Returns 0, or -1 with *err (malloc'ed; NULL
** when memory ran out). */
int tr_msrc_from_store(tr_msrc *s, tr_store *st, const tr_corpus *c,
                       const tr_mention_filter *f, char **err);

/* ------------------------------------------------------------------ */
/* Duplicate passages                                                  */
/* ------------------------------------------------------------------ */

typedef struct tr_dup_opts {
  unsigned min_words;   /* units with fewer counted tokens are ignored
                           (0: default 5) */
  unsigned shingle;     /* words per shingle (0: default 5; a unit shorter
                           than that is one shingle of all its words) */
  unsigned k;           /* MinHash functions (0: default 128, at most 512) */
  double threshold;     /* Jaccard similarity of near duplicates (0:
                           default 0.5) */
  int near;             /* look for near duplicates, not only exact ones */
  int paragraphs;       /* compare paragraphs */
  int documents;        /* compare whole documents */
} tr_dup_opts;

enum { TR_DUP_NONE = 0, TR_DUP_EXACT, TR_DUP_NEAR }; /* skip modes */

typedef struct tr_dup_item {
  uint64_t start, stop; /* bytes of the paragraph (the document: 0, len) */
  uint32_t doc;         /* document index */
  uint32_t para;        /* paragraph index, UINT32_MAX for a document */
  uint32_t words;       /* counted tokens */
  uint32_t group;       /* index of its group */
  double jaccard;       /* Jaccard similarity of its shingle set with the
                           group's first member's (1 for that member) */
  double estimate;      /* the MinHash estimate of the same (near only) */
  int exact;            /* same normalised word sequence as the first */
} tr_dup_item;

typedef struct tr_dup_group {
  size_t first, n;      /* members: items[first .. first + n), corpus order */
  int document;         /* a group of documents (else paragraphs) */
  int exact;            /* every member is an exact copy of the first */
} tr_dup_group;

typedef struct tr_dups {
  tr_dup_item *items;   /* grouped, each group in corpus order */
  size_t nitems;
  tr_dup_group *groups; /* paragraph groups first, in order of their first
                           member, then document groups */
  size_t ngroups;
  size_t units;         /* paragraphs and documents compared */
  size_t candidates;    /* near-duplicate candidate pairs checked */
  unsigned bands, rows; /* the LSH banding used (bands * rows <= k) */
} tr_dups;

/* Find groups of exact and near-duplicate paragraphs and/or documents.
** Exact: the same sequence of counted-token norms (hashed). Near: Jaccard
** similarity of the sets of word shingles >= threshold, candidates found
** by MinHash with LSH banding (rows chosen so that a pair at the threshold
** is a candidate with probability >= 0.95) and every candidate checked
** with the exact Jaccard. Groups are the connected components. Returns 0,
** or -1 with *err (NULL: memory). */
int tr_dups_find(tr_dups *out, const tr_corpus *c, const tr_tok_opts *tok,
                 const tr_dup_opts *o, char **err);
void tr_dups_free(tr_dups *d);

/* ------------------------------------------------------------------ */
/* The walker: one document at a time                                  */
/* ------------------------------------------------------------------ */

typedef struct tr_walk_opts {
  const tr_tok_opts *tok; /* tokenizer options (NULL: defaults) */
  int analyze;          /* tokens, sentences and paragraphs are needed
                           (forced on when skipping or with a matcher) */
  int skip;             /* TR_DUP_NONE, _EXACT or _NEAR: tokens (and
                           mentions) of the second and later copies of a
                           repeated paragraph are marked skipped */
  tr_dup_opts dup;      /* min_words and, for TR_DUP_NEAR, the rest */
  tr_msrc *ms;          /* mentions to hand out per document, or NULL */
} tr_walk_opts;

typedef struct tr_walk {
  const tr_corpus *c;   /* the corpus walked */
  tr_walk_opts o;       /* options (copied) */
  size_t doc;           /* index of the current document */
  const tr_doc *d;      /* the current document */
  tr_analysis a;        /* its analysis (reused from one to the next) */
  uint8_t *skip;        /* per token: 1 when skipped; NULL when nothing is
                           skipped in this document */
  size_t skipped_paras; /* paragraphs skipped so far */
  tr_mention *m;        /* this document's mentions (skipped ones left
                           out), sorted by start */
  size_t nm;            /* their number */
  /* private */
  uint8_t *skipbuf;     /* memory behind skip */
  size_t skip_cap;      /* allocated bytes of skipbuf */
  size_t ms_pos;        /* cursor in o.ms->v */
  tr_mention *mbuf;     /* mentions made by the matcher, or kept */
  size_t mbuf_cap;
  tr_matches matches;   /* matcher output */
  tr_u64map seen;       /* TR_DUP_EXACT: hashes of paragraphs seen */
  tr_u64map near_skip;  /* TR_DUP_NEAR: (doc << 32 | para) to skip */
  int started;          /* tr_walk_next was called */
} tr_walk;

/* Start a walk (for TR_DUP_NEAR this runs tr_dups_find first). Returns
** 0, or -1 with *err (NULL: memory); tr_walk_end is needed either way. */
int tr_walk_begin(tr_walk *w, const tr_corpus *c, const tr_walk_opts *o,
                  char **err);
/* Move to the next document. Returns 1 when there is one, 0 at the end,
** -1 on memory error. */
int tr_walk_next(tr_walk *w);
void tr_walk_end(tr_walk *w);

/* Hash of a paragraph's counted-token norms (the exact-duplicate key);
** *words gets how many counted tokens it has. */
uint64_t tr_para_hash(const tr_analysis *a, const tr_span *p,
                      uint32_t *words);

/* Index of the span holding byte off (spans sorted, non-overlapping), or
** the one after it when off falls between spans; spans->n when none. */
size_t tr_span_at(const tr_spans *spans, uint64_t off);
/* Index of the first token ending after byte off. */
size_t tr_token_at(const tr_tokens *t, uint64_t off);

/* ------------------------------------------------------------------ */
/* Frequency tables (freq.c)                                           */
/* ------------------------------------------------------------------ */

typedef enum tr_unit {
  TR_UNIT_WORD = 1,     /* the token as written */
  TR_UNIT_NORM,         /* its normalised form */
  TR_UNIT_NGRAM,        /* n consecutive counted tokens of one sentence,
                           no uncounted token between: norms joined by " " */
  TR_UNIT_ENTITY        /* mentions of an entity (from tr_walk_opts.ms) */
} tr_unit;

typedef struct tr_freq_opts {
  tr_unit unit;
  unsigned n;           /* n-gram length, 2..8 */
  int punct;            /* count punctuation and symbols as tokens */
  int by_doc;           /* keep per-document counts (cells) */
  const uint8_t *target; /* per document: non-zero = in the target set; the
                           table then also counts the target alone */
} tr_freq_opts;

/* One non-zero per-document count. */
typedef struct tr_freq_cell {
  uint32_t term;        /* term id */
  uint32_t doc;         /* document index */
  uint64_t count;       /* occurrences in that document */
} tr_freq_cell;

typedef struct tr_freq {
  tr_intern terms;      /* the terms (words, norms, n-grams, entity ids) */
  uint64_t *count;      /* per term: occurrences */
  uint64_t *tcount;     /* per term: occurrences in target documents */
  uint32_t *docs;       /* per term: documents it occurs in */
  uint8_t *stop;        /* per term: a stop word (n-gram: starts or ends
                           with one) */
  size_t cap;           /* allocated entries of the per-term arrays */
  uint64_t N;           /* units counted: tokens, n-grams or mentions */
  uint64_t N_target;    /* the same in target documents */
  uint64_t tokens;      /* counted tokens (for entity tables too) */
  uint64_t tokens_target; /* counted tokens in target documents */
  size_t ndocs;         /* documents walked */
  size_t ntarget;       /* of which in the target */
  uint64_t *doc_size;   /* per document: units counted */
  tr_freq_cell *cells;  /* by_doc: non-zero counts, document by document */
  size_t ncells, cells_cap;
  /* private: per-document accounting */
  uint32_t *last;       /* per term: 1 + index of the last document seen */
  uint64_t *cur;        /* per term: count in that document */
  uint32_t *touched;    /* terms seen in the current document */
  size_t ntouched, touched_cap;
} tr_freq;

void tr_freq_init(tr_freq *f);
void tr_freq_free(tr_freq *f);
/* Count a corpus. Returns 0, or -1 with *err (NULL: memory). */
int tr_freq_run(tr_freq *f, const tr_corpus *c, const tr_freq_opts *o,
                const tr_walk_opts *w, char **err);
/* Term ids with count >= min (and not stop words unless keep_stop), most
** frequent first, then by term bytes; at most top (0: all). *ids is
** malloc'ed. Returns the number, or -1 (memory). */
long tr_freq_select(const tr_freq *f, uint64_t min, int keep_stop,
                    size_t top, uint32_t **ids);

/* ------------------------------------------------------------------ */
/* Collocations (freq.c)                                               */
/* ------------------------------------------------------------------ */

typedef struct tr_colloc_opts {
  const char *node;     /* the node: a word or phrase, tokenized and
                           normalised as documents are */
  size_t node_len;
  unsigned left, right; /* window: counted tokens each side of the node */
  int sentence;         /* windows stop at the node's sentence boundary */
  int punct;            /* punctuation and symbols count as tokens */
} tr_colloc_opts;

typedef struct tr_colloc {
  tr_freq f;            /* corpus frequencies of every norm: f.count[id]
                           is the collocate frequency, f.N the corpus size */
  uint64_t *o11;        /* per term: occurrences inside node windows */
  uint64_t *o11_left;   /* of which left of the node */
  size_t cap;           /* allocated entries */
  uint64_t f_node;      /* node occurrences */
  uint64_t window;      /* positions in the union of the node's windows
                           (R1 of the table) */
  size_t node_tokens;   /* tokens of the node phrase */
} tr_colloc;

void tr_colloc_init(tr_colloc *k);
void tr_colloc_free(tr_colloc *k);
/* Returns 0, or -1 with *err (NULL: memory; else an empty node). */
int tr_colloc_run(tr_colloc *k, const tr_corpus *c, const tr_colloc_opts *o,
                  const tr_walk_opts *w, char **err);

/* ------------------------------------------------------------------ */
/* Keyword in context (kwic.c)                                         */
/* ------------------------------------------------------------------ */

typedef enum tr_query_kind {
  TR_Q_PHRASE = 1,      /* a word or phrase, matched on norms */
  TR_Q_REGEX,           /* PCRE2 regexes over the text */
  TR_Q_PATTERN,         /* token patterns */
  TR_Q_MENTIONS         /* the walker's mentions (an entity) */
} tr_query_kind;

enum { TR_SORT_DOC = 0, TR_SORT_LEFT, TR_SORT_RIGHT };

typedef struct tr_kwic_opts {
  tr_query_kind kind;
  const char *phrase;   /* TR_Q_PHRASE: the text (tokenized here) */
  size_t phrase_len;
  const tr_regexes *re; /* TR_Q_REGEX */
  const tr_patterns *pat; /* TR_Q_PATTERN */
  unsigned width;       /* context each side: characters, or tokens */
  int tokens;           /* width counts tokens (else characters) */
  int punct;            /* for positions and sizes: count punctuation */
} tr_kwic_opts;

typedef struct tr_kwic_hit {
  uint64_t start, stop; /* the match, bytes */
  uint64_t lstart;      /* left context: [lstart, start) */
  uint64_t rstop;       /* right context: [stop, rstop) */
  uint64_t key;         /* sort keys: offset in tr_kwic.keys */
  uint32_t klen_left;   /* left key: keys[key .. key + klen_left) */
  uint32_t klen_right;  /* right key follows it */
  uint32_t doc;         /* document index */
  uint32_t sent;        /* sentence index in the document */
  uint32_t tok;         /* first token of the match */
  uint32_t ntok;        /* tokens it covers */
  uint64_t pos;         /* counted tokens before it in its document */
} tr_kwic_hit;

typedef struct tr_kwic {
  tr_kwic_hit *v;            /* hits in corpus order until sorted */
  size_t n, cap;
  char *keys;           /* sort keys: up to 3 norms each side */
  size_t keys_n, keys_cap;
  uint64_t *sizes;      /* per document: counted tokens */
  size_t ndocs;
  uint64_t N;           /* counted tokens in the corpus */
} tr_kwic;

void tr_kwic_init(tr_kwic *k);
void tr_kwic_free(tr_kwic *k);
/* Find every hit. Returns 0, or -1 with *err (NULL: memory). */
int tr_kwic_run(tr_kwic *k, const tr_corpus *c, const tr_kwic_opts *o,
                const tr_walk_opts *w, char **err);
/* Sort by left context (nearest word first), right context, or corpus
** order; ties in corpus order. */
void tr_kwic_sort(tr_kwic *k, int how);

/* ------------------------------------------------------------------ */
/* Entity co-occurrence (cooccur.c)                                    */
/* ------------------------------------------------------------------ */

typedef enum tr_within {
  TR_WITHIN_DOC = 1, TR_WITHIN_PARA, TR_WITHIN_SENT, TR_WITHIN_WINDOW
} tr_within;

typedef struct tr_cooc_opts {
  tr_within within;
  unsigned window;      /* TR_WITHIN_WINDOW: at most this many counted
                           tokens between the two mentions' first tokens */
  int punct;            /* count punctuation in windows and sizes */
} tr_cooc_opts;

typedef struct tr_cooc_pair {
  uint32_t a, b;        /* entity ids, a < b */
  uint64_t count;       /* units holding both (window: mention pairs) */
} tr_cooc_pair;

typedef struct tr_cooc {
  uint64_t *mentions;   /* per entity: mentions */
  uint64_t *units;      /* per entity: units holding it */
  uint32_t *type;       /* per entity: type id of its first mention */
  size_t nent;          /* entities (ids of the mention source) */
  tr_cooc_pair *pairs;  /* sorted by count (most first), then ids */
  size_t npairs;
  uint64_t N;           /* units: documents, paragraphs or sentences
                           walked; window: counted tokens */
} tr_cooc;

void tr_cooc_init(tr_cooc *k);
void tr_cooc_free(tr_cooc *k);
/* Needs w->ms. Returns 0, or -1 with *err (NULL: memory). */
int tr_cooc_run(tr_cooc *k, const tr_corpus *c, const tr_cooc_opts *o,
                const tr_walk_opts *w, char **err);

#endif

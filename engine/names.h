/*
** names.h — keys and similarity for personal and organisation names written
** in Latin script that come from Arabic, Persian or Kurdish: "Kadhimi",
** "al-Kadhimi", "Al-Kazemi", "Kazemi" and "Kazime" get one key (kazimi),
** and "Qassem al-Araji" stays apart from "Qassem Soleimani".
**
** The key is deterministic, ASCII [a-z0-9] (plus ' ' between parts when
** asked), and cheap to compute, so a gazetteer can index it. Similarity
** works on parsed names (tr_name) and allocates nothing: a comparison of
** two typical names takes well under a microsecond.
**
** The rules are documented with examples in docs/names.md.
*/
#ifndef TRAWL_NAMES_H
#define TRAWL_NAMES_H

#include <stddef.h>
#include <stdint.h>

/* Flags for tr_name_key and tr_name_parse. */
enum {
  TR_NK_ARTICLES = 1u << 0, /* keep articles (al-, el-, ad-...) as "al":
                               for handles written in one run,
                               "@qassimalaraji" */
  TR_NK_SPACES   = 1u << 1  /* one space between parts in the output key
                               (readable; tr_name_parse ignores it) */
};

/* Limits of a parsed name. Longer inputs are cut (at a part boundary when
** possible): names are short, and a fixed size keeps comparisons free of
** allocation. */
#define TR_NAME_KEYMAX 96   /* key bytes kept, NUL excluded */
#define TR_NAME_TOKMAX 12   /* parts kept */

/* Part flags. */
enum {
  TR_NT_PARTICLE = 1u << 0, /* abu, bin, bint, um, of, for, and...: counts
                               little when parts are aligned */
  TR_NT_HEAD     = 1u << 1  /* an organisation's head word (kataib, harakat,
                               ministry...): a name that lacks it is not the
                               same name with a part missing */
};

/* A name parsed for comparison: its compact key and where its parts are. */
typedef struct tr_name {
  char key[TR_NAME_KEYMAX + 1]; /* compact key (parts without separators),
                                   NUL-terminated */
  uint8_t len;                  /* strlen(key) */
  uint8_t ntok;                 /* number of parts */
  uint8_t tok_start[TR_NAME_TOKMAX]; /* offset of each part in key */
  uint8_t tok_len[TR_NAME_TOKMAX];   /* length of each part */
  uint8_t tok_flags[TR_NAME_TOKMAX]; /* TR_NT_* of each part */
} tr_name;

/* The key of the name s[0..len) (UTF-8; invalid bytes are skipped) written
** to out as a NUL-terminated string of at most cap-1 bytes. Returns the
** full length of the key, which may be >= cap (then out holds a prefix),
** as snprintf does. Keys are cut at 256 bytes and 32 parts (names are
** short). flags: TR_NK_*. */
size_t tr_name_key(const char *s, size_t len, unsigned flags, char *out,
                   size_t cap);

/* Parse s[0..len) into *out (key and parts). Returns the number of parts
** (0 for a name with no letters or digits). flags: TR_NK_ARTICLES. */
int tr_name_parse(const char *s, size_t len, unsigned flags, tr_name *out);

/* Which parts may be missing from the name with fewer parts. */
typedef enum tr_name_partial {
  TR_NP_SUFFIX = 0, /* default: the longer name's last part is matched
                       (a missing given name: "Kazemi" ~ "Mustafa Kazemi") */
  TR_NP_PREFIX,     /* its first part is matched ("Nineveh" ~ "Nineveh
                       Governorate"): for organisations and places */
  TR_NP_BOTH,       /* either */
  TR_NP_NONE        /* every part must be matched */
} tr_name_partial;

/* The parts of a score (all in [0, 1]). */
typedef struct tr_name_sim {
  double score;         /* the combined similarity */
  double edit;          /* 1 - weighted edit distance / longer key length */
  double jaro_winkler;  /* Jaro-Winkler of the compact keys */
  double tokens;        /* part alignment score */
  int same_key;         /* the compact keys are equal */
  int reordered;        /* aligned parts were in another order */
  int partial;          /* parts of the longer name were left unmatched */
} tr_name_sim;

/* Similarity of two parsed names in [0, 1]; *detail (may be NULL) gets its
** parts. No allocation. The formula is in docs/names.md. */
double tr_name_similar(const tr_name *a, const tr_name *b,
                       tr_name_partial partial, tr_name_sim *detail);

/* Weighted edit distance (optimal string alignment) between two keys:
** substitutions inside a letter class (vowels, z/d, k/h...) cost less than
** 1, adjacent transpositions 0.8. Keys longer than TR_NAME_KEYMAX are cut. */
double tr_name_distance(const char *a, size_t alen, const char *b,
                        size_t blen);

/* Jaro-Winkler similarity of two byte strings (prefix scale 0.1, at most 4
** prefix bytes, boost only above 0.7). Strings are cut at TR_NAME_KEYMAX. */
double tr_name_jaro_winkler(const char *a, size_t alen, const char *b,
                            size_t blen);

/* Every pair (i < j) of names[0..n) whose similarity is >= threshold,
** passed to cb (return non-zero to stop). Candidate pairs come from an
** index of key bigrams, so names that share little are never compared.
** Returns 0, 1 when cb stopped, or -1 on memory error. */
typedef int (*tr_name_pair_cb)(void *ud, size_t i, size_t j, double score);
int tr_name_pairs(const tr_name *names, size_t n, double threshold,
                  tr_name_partial partial, tr_name_pair_cb cb, void *ud);

#endif

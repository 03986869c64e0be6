/*
** regex.h — PCRE2 regexes (UTF + UCP, JIT) with match, depth and heap
** limits on every match, so a catastrophic pattern cannot hang a run.
** Named groups become attributes of the match.
**
** Which limits bind: JIT-compiled patterns (the normal case) honour the
** match limit and run on a JIT stack of at most jit_stack_kb; the depth
** and heap limits bind only the interpreter (no JIT on this platform, or
** a pattern that starts with (*NO_JIT)). A pattern may lower a limit with
** (*LIMIT_MATCH=n) etc., never raise it. PCRE2 counts the match limit
** afresh at each start position, so it stops exponential backtracking
** (which blows up at one position) but not a pattern whose cost per
** position is merely linear in a long run of text: (a|b)*$ over 25,000
** a's and a "!" takes seconds without reaching any limit.
*/
#ifndef TRAWL_REGEX_H
#define TRAWL_REGEX_H

#include <stddef.h>
#include <stdint.h>

#include "match.h"

typedef struct tr_regex_limits {
  uint32_t match_limit;   /* pcre2_set_match_limit (0: default 1,000,000) */
  uint32_t depth_limit;   /* pcre2_set_depth_limit (0: default 10,000) */
  size_t heap_limit_kb;   /* pcre2_set_heap_limit (0: default 20,000 KiB) */
  size_t jit_stack_kb;    /* largest JIT stack (0: default 1,024 KiB). A
                             search first runs on PCRE2's 32 KiB block on
                             the machine stack and moves to a heap stack
                             of this size only when that is too small; at
                             most 32: on the heap stack from the start */
} tr_regex_limits;

typedef struct tr_regexes tr_regexes; /* opaque */

tr_regexes *tr_regexes_new(const tr_regex_limits *lim); /* lim may be NULL */
void tr_regexes_free(tr_regexes *r);

/* Compile and add a pattern (len bytes; it may hold NULs). flags: "i"
** (caseless), "x" (extended), "m" (multiline), "s" (dotall), or NULL.
** Newlines are LF; \C is refused (it could split a UTF-8 character).
** Returns 0, or -1 with a malloc'ed message in *err that quotes PCRE2's
** message and the offset ("missing closing parenthesis at offset 5"), or
** names the unknown flag; *err is NULL when memory ran out. Not
** thread-safe: add every regex before matching. */
int tr_regexes_add(tr_regexes *r, const char *pattern, size_t len,
                   const char *flags, uint32_t value, uint32_t rule,
                   int32_t priority, char **err);

/* A named group's capture, for the match whose extra field is an index
** into tr_regex_caps. */
typedef struct tr_regex_cap {
  const char *name;       /* group name (owned by the tr_regexes: valid
                             until tr_regexes_free) */
  uint64_t start, stop;   /* byte span in the text */
} tr_regex_cap;

typedef struct tr_regex_caps {
  tr_regex_cap *v;        /* all captures of all matches */
  size_t n, cap;
  size_t *first;          /* per capture group list: index in v */
  size_t *count;          /* and how many */
  size_t nlists, listcap;
} tr_regex_caps;

void tr_regex_caps_init(tr_regex_caps *c);
void tr_regex_caps_free(tr_regex_caps *c);
/* Forget every list, keep the memory (use with tr_matches_clear). */
void tr_regex_caps_clear(tr_regex_caps *c);

/* Find every non-overlapping match of every regex in text (each regex
** independently, so matches of different regexes may overlap; empty
** matches are skipped: a search never reports an empty match, and where
** Perl's global match would find an empty one, a non-empty match at the
** same place is tried first). Matches are appended to out (and their
** captures to caps); they carry tok_first = TR_NO_TOKEN (the caller aligns
** them to tokens if it wants), score 1. When caps is not NULL, a match in
** which at least one named group took part has extra = index of its list
** in caps, listing the groups that took part in group order; otherwise
** extra = UINT32_MAX. The text must be valid UTF-8; it is checked once.
** Thread-safe: several threads may match with the same tr_regexes at once
** (all scratch memory is per call).
** Returns 0; -1 on memory error (*err NULL); -2 when a regex hit a limit
** or failed otherwise: then *err (malloc'ed) names each such rule, the
** limit and where the failing search started, "; "-separated ("rule 3:
** match limit (1000000) exceeded searching from byte 120"), and the
** matches found before are kept (the other regexes still run);
** -2 also when the text is not valid UTF-8, or NULL with len > 0 (then
** nothing is matched). */
int tr_regexes_match(const tr_regexes *r, const char *text, size_t len,
                     tr_matches *out, tr_regex_caps *caps, char **err);

size_t tr_regexes_count(const tr_regexes *r);

#endif

/*
** match.h — what every matcher (gazetteer, token patterns, regexes,
** callbacks) produces, and the overlap policy that picks among matches.
*/
#ifndef TRAWL_MATCH_H
#define TRAWL_MATCH_H

#include <stddef.h>
#include <stdint.h>

#define TR_NO_TOKEN UINT32_MAX

typedef struct tr_match {
  uint64_t start;      /* byte offset of the first byte in the text */
  uint64_t stop;       /* byte offset one past the last byte */
  uint32_t tok_first;  /* first token covered, or TR_NO_TOKEN (regex
                          matches need not align with tokens) */
  uint32_t tok_count;  /* tokens covered (0 with TR_NO_TOKEN) */
  uint32_t rule;       /* index of the rule that matched (caller's
                          numbering; also the tie-breaker "rule order") */
  uint32_t value;      /* what the rule labels the span with (caller's
                          numbering: an entity or a type) */
  int32_t priority;    /* higher wins among equally long overlaps */
  float score;         /* 1 for exact rules; < 1 for fuzzy ones */
  uint32_t extra;      /* matcher-specific (regex: index of its captures),
                          UINT32_MAX when none */
} tr_match;

typedef struct tr_matches {
  tr_match *v;         /* matches, in no particular order until sorted */
  size_t n, cap;       /* used and allocated entries */
} tr_matches;

void tr_matches_init(tr_matches *m);
void tr_matches_free(tr_matches *m);
void tr_matches_clear(tr_matches *m);
/* Append a copy of *x. Returns 0 or -1 on memory error. */
int tr_matches_push(tr_matches *m, const tr_match *x);

/* Sort by start, then longer first, then rule order. */
void tr_matches_sort(tr_matches *m);

/* Keep a set of non-overlapping matches: longest span first, then higher
** priority, then lower rule index, then earlier start (documented in
** docs/rules.md). Exact duplicates (same span, same rule, same value) are
** always merged. The survivors are left sorted by start. */
void tr_matches_resolve(tr_matches *m);

/* Drop exact duplicates only (same span, rule and value), keep overlaps:
** spaCy Matcher's behaviour without a greedy filter. Leaves them sorted. */
void tr_matches_dedup(tr_matches *m);

#endif

/*
** pattern.h — token patterns with spaCy Matcher semantics, compiled once
** and matched over a document's tokens.
**
** A pattern is a list of token specs; each spec is a conjunction of
** predicates on token attributes plus an operator (one, !, ?, +, *,
** {n}, {n,m}, {n,}, {,m}). An empty spec (no predicates) matches any token.
** Without a greedy filter every match is returned, overlapping ones
** included, exactly as spaCy's Matcher returns them; with FIRST or LONGEST
** the matches of that pattern are filtered as spaCy does.
**
** The details, as spaCy v3 does them (spacy/matcher/matcher.pyx):
** - "!" consumes exactly one token that does NOT satisfy the spec (spaCy
**   negates the test and treats it as ONE); at the end of the document it
**   matches nothing. A "!" spec without predicates never matches.
** - Operators expand as spaCy's: "+" = one then "*"; "{n,m}" = n times one
**   then m-n times "?"; "{n,}" = n times one then "*"; "{0}" vanishes. At
**   most 10,000 positions per pattern after expansion.
** - The result is the set of all non-empty token spans the pattern
**   matches; empty matches (a pattern of only "?" and "*" specs that
**   consumed nothing) are never returned, as in spaCy.
** - Patterns added with the same rule AND value are one spaCy "key": a
**   span is reported once per key (with the highest priority among its
**   patterns), and the greedy filter applies to the key's matches together
**   (the last add sets it, as Matcher.add replaces the key's filter).
**   FIRST keeps, in order of (start, longer first), each match none of
**   whose tokens is already kept; LONGEST does the same in order of
**   (longer first, earlier start).
** - Attributes: ORTH/TEXT the text as written; LOWER its simple Unicode
**   lowercase per code point (utf8proc_tolower, not Python's full
**   lower(): "İ" -> "i", final sigma not special); NORM the trawl norm;
**   LENGTH code points; SHAPE tr_token_shape; the IS_ and LIKE_ booleans
**   the token flags (IS_SPACE is TR_F_SPACE, never set by tr_tokenize);
**   KIND tr_kind_name. REGEX is a search anywhere in the string (Python's
**   re.search), PCRE2 with UTF and UCP (invalid UTF-8 never matches).
** - Values are checked as spaCy's pattern schema does: string attributes
**   take a string, IN/NOT_IN of strings or REGEX (no ==, !=, <, ...);
**   LENGTH takes numbers (EQ, !=, <, <=, >, >=, IN/NOT_IN of numbers in
**   `nums`); booleans take EQ true/false (num 0 or 1) only. KIND values
**   must be kind names. IN and NOT_IN may be empty (IN {} never matches).
**
** Matches are appended to the output in text order (start, longer first,
** rule, value), with byte spans, tok_first/tok_count, score 1 and extra
** UINT32_MAX.
*/
#ifndef TRAWL_PATTERN_H
#define TRAWL_PATTERN_H

#include <stddef.h>
#include <stdint.h>

#include "match.h"
#include "tokenize.h"

typedef enum tr_attr {
  TR_A_ORTH = 1, TR_A_TEXT, TR_A_LOWER, TR_A_NORM, TR_A_LENGTH, TR_A_SHAPE,
  TR_A_IS_ALPHA, TR_A_IS_ASCII, TR_A_IS_DIGIT, TR_A_IS_LOWER, TR_A_IS_UPPER,
  TR_A_IS_TITLE, TR_A_IS_PUNCT, TR_A_IS_SPACE, TR_A_IS_STOP, TR_A_IS_BRACKET,
  TR_A_IS_QUOTE, TR_A_IS_LEFT_PUNCT, TR_A_IS_RIGHT_PUNCT, TR_A_LIKE_NUM,
  TR_A_LIKE_URL, TR_A_LIKE_EMAIL,
  TR_A_KIND,        /* trawl extension: the token kind name ("mention") */
  TR_A_MAX
} tr_attr;

typedef enum tr_pred_op {
  TR_P_EQ = 1,      /* attribute equals the value (strings, numbers, bools) */
  TR_P_NE,          /* != (LENGTH only: strings use NOT_IN, as spaCy) */
  TR_P_IN,          /* value is one of a set of strings or numbers */
  TR_P_NOT_IN,
  TR_P_REGEX,       /* PCRE2 search in the string attribute */
  TR_P_LT, TR_P_LE, TR_P_GT, TR_P_GE /* numeric: LENGTH (and numbers) */
} tr_pred_op;

typedef enum tr_tok_op {
  TR_OP_ONE = 1,    /* exactly once (no operator) */
  TR_OP_NOT,        /* "!": exactly once, and the spec must NOT match */
  TR_OP_OPT,        /* "?": zero or one */
  TR_OP_PLUS,       /* "+": one or more */
  TR_OP_STAR,       /* "*": zero or more */
  TR_OP_RANGE       /* "{n}", "{n,m}", "{n,}", "{,m}": min..max */
} tr_tok_op;

typedef struct tr_pred {
  tr_attr attr;
  tr_pred_op op;
  const char *str;          /* string value (EQ/REGEX), copied on add */
  size_t len;
  double num;               /* numeric or boolean (0/1) value */
  int is_num;               /* the value is a number/boolean, not a string */
  const char *const *set;   /* IN/NOT_IN strings, copied on add */
  const size_t *set_len;    /* their lengths; NULL: NUL-terminated */
  size_t nset;              /* entries in set (strings) or nums (numbers) */
  const double *nums;       /* IN/NOT_IN numbers (is_num set, LENGTH):
                               nset values, copied on add */
} tr_pred;

typedef struct tr_tok_spec {
  const tr_pred *preds;     /* conjunction; none = wildcard */
  size_t npreds;
  tr_tok_op op;
  unsigned min, max;        /* for TR_OP_RANGE; max = UINT32_MAX: unbounded */
} tr_tok_spec;

enum { TR_GREEDY_NONE = 0, TR_GREEDY_FIRST, TR_GREEDY_LONGEST };

typedef struct tr_patterns tr_patterns; /* opaque */

tr_patterns *tr_patterns_new(void);
void tr_patterns_free(tr_patterns *p);

/* Add a pattern of n specs. Everything is copied; regexes are compiled
** (PCRE2, UTF + UCP, JIT) here, never at match time. Returns 0, or -1
** with a malloc'ed message in *err naming the spec index (1-based) and
** what is wrong (a bad regex with its offset, min > max, an attribute
** that cannot take that value, an empty pattern). */
int tr_patterns_add(tr_patterns *p, const tr_tok_spec *specs, size_t n,
                    uint32_t value, uint32_t rule, int32_t priority,
                    int greedy, char **err);

/* Append every match of every pattern in the document to out (byte spans
** from its tokens). Thread-safe. Returns 0, or -1 on memory error or when
** a regex hit its match limit (then *err names the rule). */
int tr_patterns_match(const tr_patterns *p, const char *text,
                      const tr_tokens *toks, tr_matches *out, char **err);

size_t tr_patterns_count(const tr_patterns *p);

/* PCRE2 limits for REGEX predicates (0: the defaults of regex.h, 1,000,000
** / 10,000 / 20,000 KiB). Call before matching, never during a match. */
void tr_patterns_set_limits(tr_patterns *p, uint32_t match_limit,
                            uint32_t depth_limit, size_t heap_limit_kb);

/* Helpers for whoever turns rule files into specs (the Lua binding).
** tr_attr_from_name: "LOWER", "lower", "TEXT", ... (case-insensitive, as
** spaCy), 0 when unknown. tr_attr_name: the canonical upper-case name.
** tr_pred_op_from_name: "IN", "NOT_IN", "REGEX", "==", "!=", "<", "<=",
** ">", ">=" (case-insensitive), 0 when unknown. tr_tok_op_parse: an OP
** string as spaCy reads it: "!", "?", "+", "*", "1", "{n}", "{n,m}",
** "{n,}", "{,m}" (n, m decimal, n <= m); returns 0, or -1 with a static
** message in *err. */
tr_attr tr_attr_from_name(const char *name, size_t len);
const char *tr_attr_name(tr_attr a);
tr_pred_op tr_pred_op_from_name(const char *name, size_t len);
int tr_tok_op_parse(const char *s, size_t len, tr_tok_op *op, unsigned *min,
                    unsigned *max, const char **err);

#endif

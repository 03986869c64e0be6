/*
** regex.c — the regex matcher: PCRE2 patterns compiled once (UTF + UCP,
** JIT when available) and searched over a document with hard limits, so
** a rule file's catastrophic pattern costs a bounded amount of time and
** memory and fails with an error instead of hanging a run. regex.h is the
** contract; docs/rules.md ("regex", "Sandbox") the user's view.
**
** Limits. Every match call gets a match context with the match, depth and
** heap limits. The JIT honours only the match limit (counted its own way);
** it ignores depth and heap and runs on a JIT stack instead: first PCRE2's
** 32 KiB block on the machine stack, and only when that proves too small
** a heap JIT stack of at most jit_stack_kb, created for the call (creating
** one costs an mmap, ~8 us, too much to pay on every short text). The
** interpreter (no JIT, or (*NO_JIT)) is bound by all three limits.
**
** Threads. A tr_regexes is read-only once built: compiled code and JIT
** code may be shared. The match data, match context and JIT stack are
** per call, so concurrent tr_regexes_match calls never share scratch.
**
** Speed. The text is checked for valid UTF-8 once per call, then every
** search runs with PCRE2_NO_UTF_CHECK (PCRE2 would otherwise re-check the
** rest of the text on each of the many calls of a global search), through
** pcre2_jit_match, the JIT fast path, when the pattern was JIT-compiled.
** Two shortcuts keep typical rules fast (20 of them run at ~50 MB/s on
** news text, against ~11 MB/s without): a start table for patterns that
** UCP leaves without one (\d..., see "Start tables"), and skipping a text
** that lacks a byte every match must hold.
*/
#define PCRE2_CODE_UNIT_WIDTH 8
#include "regex.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcre2.h>

#define DEFAULT_MATCH_LIMIT 1000000u
#define DEFAULT_DEPTH_LIMIT 10000u
#define DEFAULT_HEAP_LIMIT_KB 20000u
#define DEFAULT_JIT_STACK_KB 1024u
/* What PCRE2 uses on the machine stack when no JIT stack is assigned. */
#define MACHINE_JIT_STACK_KB 32u

/* ======================================================================
** The compiled set
** ==================================================================== */

/* A named group: its number and name. */
typedef struct tr_re_name {
  uint32_t group;       /* capture group number (1-based) */
  char *name;           /* NUL-terminated, malloc'ed */
} tr_re_name;

/* One compiled regex and what its matches carry. */
typedef struct tr_re {
  pcre2_code *code;     /* compiled pattern (read-only when matching);
                           compiled ANCHORED when start is set */
  int jit;              /* 1: JIT-compiled, search with pcre2_jit_match */
  int need;             /* a byte every match holds (not an ASCII letter,
                           which caseless matching could vary), or -1; a
                           text without it is not searched at all */
  uint8_t *start;       /* NULL: PCRE2 searches. Else 256 flags: a match
                           can only start at a byte b with start[b] set;
                           we find those and try code at each (see
                           scan_table) */
  uint32_t value;       /* copied into each match: the label */
  uint32_t rule;        /* the caller's rule index (also in error reports) */
  int32_t priority;     /* for the overlap policy */
  tr_re_name *names;    /* named groups, sorted by group number */
  uint32_t nnames;      /* how many */
} tr_re;

struct tr_regexes {
  tr_re *v;             /* the regexes, in the order added */
  size_t n, cap;        /* used and allocated entries of v */
  uint32_t match_limit; /* effective limits (defaults applied) */
  uint32_t depth_limit;
  uint32_t heap_limit_kb;
  size_t jit_stack_kb;
  uint32_t max_groups;  /* most capture groups of any regex (match data size) */
  int any_jit;          /* some regex is JIT-compiled (JIT stacks exist) */
};

tr_regexes *tr_regexes_new(const tr_regex_limits *lim) {
  tr_regexes *r = calloc(1, sizeof *r);
  if (r == NULL) return NULL;
  tr_regex_limits l = {0};
  if (lim) l = *lim;
  r->match_limit = l.match_limit ? l.match_limit : DEFAULT_MATCH_LIMIT;
  r->depth_limit = l.depth_limit ? l.depth_limit : DEFAULT_DEPTH_LIMIT;
  /* pcre2_set_heap_limit takes a uint32_t count of KiB. */
  r->heap_limit_kb = l.heap_limit_kb == 0 ? DEFAULT_HEAP_LIMIT_KB
                     : l.heap_limit_kb > UINT32_MAX ? UINT32_MAX
                                                    : (uint32_t)l.heap_limit_kb;
  r->jit_stack_kb = l.jit_stack_kb == 0 ? DEFAULT_JIT_STACK_KB
                    : l.jit_stack_kb > SIZE_MAX / 1024 ? SIZE_MAX / 1024
                                                       : l.jit_stack_kb;
  return r;
}

static void re_free(tr_re *re) {
  pcre2_code_free(re->code);
  free(re->start);
  for (uint32_t i = 0; i < re->nnames; i++) free(re->names[i].name);
  free(re->names);
}

void tr_regexes_free(tr_regexes *r) {
  if (r == NULL) return;
  for (size_t i = 0; i < r->n; i++) re_free(&r->v[i]);
  free(r->v);
  free(r);
}

size_t tr_regexes_count(const tr_regexes *r) { return r ? r->n : 0; }

/* A malloc'ed printf; NULL when memory runs out. */
static char *format(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) return NULL;
  char *s = malloc((size_t)n + 1);
  if (s == NULL) return NULL;
  va_start(ap, fmt);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return s;
}

/* PCRE2's text for an error code. */
static void error_text(int code, char *buf, size_t size) {
  if (pcre2_get_error_message(code, (PCRE2_UCHAR *)buf, size) < 0)
    snprintf(buf, size, "PCRE2 error %d", code);
}

/* Translate the flags string into compile options; on an unknown letter,
** return -1 with *bad set to it. */
static int parse_flags(const char *flags, uint32_t *opts, unsigned char *bad) {
  for (const char *f = flags; f && *f; f++) {
    switch (*f) {
    case 'i': *opts |= PCRE2_CASELESS; break;
    case 'x': *opts |= PCRE2_EXTENDED; break;
    case 'm': *opts |= PCRE2_MULTILINE; break;
    case 's': *opts |= PCRE2_DOTALL; break;
    default: *bad = (unsigned char)*f; return -1;
    }
  }
  return 0;
}

static int by_group(const void *pa, const void *pb) {
  const tr_re_name *a = pa, *b = pb;
  return (a->group > b->group) - (a->group < b->group);
}

/* Copy the pattern's name table (entries: 2-byte big-endian group number,
** then the NUL-terminated name) into re->names, sorted by group so
** captures come out left to right. Returns 0 or -1 on memory error. */
static int read_names(tr_re *re) {
  uint32_t count = 0, size = 0;
  PCRE2_SPTR table = NULL;
  pcre2_pattern_info(re->code, PCRE2_INFO_NAMECOUNT, &count);
  if (count == 0) return 0;
  pcre2_pattern_info(re->code, PCRE2_INFO_NAMEENTRYSIZE, &size);
  pcre2_pattern_info(re->code, PCRE2_INFO_NAMETABLE, &table);
  re->names = calloc(count, sizeof *re->names);
  if (re->names == NULL) return -1;
  for (uint32_t i = 0; i < count; i++) {
    PCRE2_SPTR e = table + (size_t)i * size;
    re->names[i].group = (uint32_t)e[0] << 8 | e[1];
    re->names[i].name = strdup((const char *)e + 2);
    re->nnames = i + 1; /* so re_free frees what exists */
    if (re->names[i].name == NULL) return -1;
  }
  qsort(re->names, count, sizeof *re->names, by_group);
  return 0;
}

/* ----------------------------------------------------------------------
** Start tables. With UCP, \d \w \s and POSIX classes become Unicode
** properties, and PCRE2 10.42 then computes no start bitmap: a pattern
** such as \b\d{1,2}/\d{1,2}/\d{2,4}\b is tried at every character (about
** 50 MB/s, against several GB/s for [0-9]). But UCP changes only which
** non-ASCII characters those classes hold; on ASCII they agree with the
** non-UCP classes, and so does caseless matching (it is Unicode-aware in
** UTF mode either way). So the start bitmap of the same pattern compiled
** without UCP, plus every UTF-8 lead byte, is a superset of the bytes a
** UCP match can start with. For such patterns we keep a copy compiled
** ANCHORED, find the candidate bytes ourselves and try the anchored code
** at each: an unanchored search is exactly that, one anchored attempt per
** character, so the matches are the same, except where a pattern can
** tell the difference, which we refuse: \G (true at every attempt of ours)
** and backtracking verbs such as (*SKIP) and (*COMMIT) (they steer the
** unanchored search's next start), or leading (*CRLF)-style settings.
** -------------------------------------------------------------------- */

/* Does the pattern text hold `needle` (a crude test: a false positive
** only costs the optimisation)? */
static int has_text(const char *p, size_t len, const char *needle) {
  size_t n = strlen(needle);
  for (size_t i = 0; i + n <= len; i++)
    if (memcmp(p + i, needle, n) == 0) return 1;
  return 0;
}

/* Is a start table worth building for code (compiled with opts)? Only
** when PCRE2 has no start optimisation of its own. */
static int want_table(const pcre2_code *code, const char *pattern,
                      size_t len) {
  uint32_t first = 0, all = 0;
  const uint8_t *bitmap = NULL;
  pcre2_pattern_info(code, PCRE2_INFO_FIRSTCODETYPE, &first);
  pcre2_pattern_info(code, PCRE2_INFO_FIRSTBITMAP, &bitmap);
  pcre2_pattern_info(code, PCRE2_INFO_ALLOPTIONS, &all);
  if (first != 0 || bitmap != NULL || (all & PCRE2_ANCHORED)) return 0;
  return !has_text(pattern, len, "\\G") && !has_text(pattern, len, "(*");
}

/* Build the start table from the non-UCP twin's bitmap; NULL when the
** twin has none or it would let through common lower-case letters or
** spaces (then one call per candidate costs more than PCRE2's own loop). */
static uint8_t *start_table(PCRE2_SPTR pat, size_t len, uint32_t opts,
                            pcre2_compile_context *cc) {
  int code = 0;
  PCRE2_SIZE off = 0;
  pcre2_code *twin = pcre2_compile(pat, len, opts & ~PCRE2_UCP, &code, &off,
                                   cc);
  if (twin == NULL) return NULL;
  const uint8_t *bitmap = NULL;
  pcre2_pattern_info(twin, PCRE2_INFO_FIRSTBITMAP, &bitmap);
  uint8_t *t = NULL;
  if (bitmap) {
    int dense = 0;
    for (unsigned b = 0; b < 128; b++)
      if ((bitmap[b >> 3] >> (b & 7)) & 1)
        dense |= (b >= 'a' && b <= 'z') || b == ' ' || b == '\n';
    if (!dense && (t = calloc(256, 1)) != NULL) {
      for (unsigned b = 0; b < 128; b++) t[b] = (bitmap[b >> 3] >> (b & 7)) & 1;
      /* Every lead byte of a valid multi-byte character. */
      for (unsigned b = 0xC2; b <= 0xF4; b++) t[b] = 1;
    }
  }
  pcre2_code_free(twin);
  return t;
}

int tr_regexes_add(tr_regexes *r, const char *pattern, size_t len,
                   const char *flags, uint32_t value, uint32_t rule,
                   int32_t priority, char **err) {
  if (err) *err = NULL;
  /* UTF + UCP: \w \d \b and caseless matching are Unicode-aware. \C
  ** (one byte) is refused: it can stop a match inside a character, and
  ** every later search runs with NO_UTF_CHECK. */
  uint32_t opts = PCRE2_UTF | PCRE2_UCP | PCRE2_NEVER_BACKSLASH_C;
  unsigned char bad = 0;
  if (parse_flags(flags, &opts, &bad) < 0) {
    if (err)
      *err = bad >= 0x20 && bad < 0x7F
                 ? format("unknown flag '%c' (flags are i, x, m, s)", bad)
                 : format("unknown flag byte 0x%02X (flags are i, x, m, s)",
                          bad);
    return -1;
  }
  if (r->n == r->cap) {
    size_t cap = r->cap ? r->cap * 2 : 8;
    tr_re *v = realloc(r->v, cap * sizeof *v);
    if (v == NULL) return -1;
    r->v = v;
    r->cap = cap;
  }
  /* Newlines are LF whatever PCRE2's build default: the loader turns CR LF
  ** and lone CR into LF, so "m" and "$" see the lines a reader sees. */
  pcre2_compile_context *cc = pcre2_compile_context_create(NULL);
  if (cc == NULL) return -1;
  pcre2_set_newline(cc, PCRE2_NEWLINE_LF);
  int code = 0;
  PCRE2_SIZE off = 0;
  /* An empty pattern may come as (NULL, 0). */
  PCRE2_SPTR pat = (PCRE2_SPTR)(pattern ? pattern : "");
  pcre2_code *c = pcre2_compile(pat, len, opts, &code, &off, cc);
  if (c == NULL) {
    pcre2_compile_context_free(cc);
    if (code == PCRE2_ERROR_NOMEMORY) return -1;
    char msg[256];
    error_text(code, msg, sizeof msg);
    if (err) *err = format("%s at offset %zu", msg, (size_t)off);
    return -1;
  }
  tr_re re = {.code = c, .value = value, .rule = rule, .priority = priority};
  if (want_table(c, (const char *)pat, len) &&
      (re.start = start_table(pat, len, opts, cc)) != NULL) {
    pcre2_code *a = pcre2_compile(pat, len, opts | PCRE2_ANCHORED, &code,
                                  &off, cc);
    if (a) {
      pcre2_code_free(c);
      re.code = c = a;
    } else {
      free(re.start);
      re.start = NULL;
    }
  }
  pcre2_compile_context_free(cc);
  /* PCRE2 checks for the required byte only within 5,000 bytes of the
  ** end; one memchr over a whole document is far cheaper than trying
  ** every start position of a document that lacks it (an e-mail pattern
  ** and its '@'). */
  uint32_t last_type = 0, last = 0;
  pcre2_pattern_info(c, PCRE2_INFO_LASTCODETYPE, &last_type);
  pcre2_pattern_info(c, PCRE2_INFO_LASTCODEUNIT, &last);
  int letter = (last | 0x20) >= 'a' && (last | 0x20) <= 'z';
  uint32_t all = 0;
  pcre2_pattern_info(c, PCRE2_INFO_ALLOPTIONS, &all);
  re.need = last_type == 1 && last < 0x80 && !letter &&
                    !(all & PCRE2_NO_START_OPTIMIZE)
                ? (int)last
                : -1;
  /* JIT failing (unsupported CPU, no executable memory under a hardened
  ** kernel) is not an error: the interpreter gives the same matches.
  ** (*NO_JIT) makes pcre2_jit_compile succeed without compiling, so ask
  ** whether JIT code exists. */
  size_t jitsize = 0;
  if (pcre2_jit_compile(c, PCRE2_JIT_COMPLETE) == 0)
    pcre2_pattern_info(c, PCRE2_INFO_JITSIZE, &jitsize);
  re.jit = jitsize > 0;
  uint32_t groups = 0;
  pcre2_pattern_info(c, PCRE2_INFO_CAPTURECOUNT, &groups);
  if (read_names(&re) < 0) {
    re_free(&re);
    return -1;
  }
  if (groups > r->max_groups) r->max_groups = groups;
  r->any_jit |= re.jit;
  r->v[r->n++] = re;
  return 0;
}

/* ======================================================================
** Capture lists
** ==================================================================== */

void tr_regex_caps_init(tr_regex_caps *c) { memset(c, 0, sizeof *c); }

void tr_regex_caps_free(tr_regex_caps *c) {
  if (c == NULL) return;
  free(c->v);
  free(c->first);
  free(c->count);
  tr_regex_caps_init(c);
}

void tr_regex_caps_clear(tr_regex_caps *c) {
  c->n = 0;
  c->nlists = 0;
}

static int caps_push(tr_regex_caps *c, const char *name, uint64_t start,
                     uint64_t stop) {
  if (c->n == c->cap) {
    size_t cap = c->cap ? c->cap * 2 : 64;
    tr_regex_cap *v = realloc(c->v, cap * sizeof *v);
    if (v == NULL) return -1;
    c->v = v;
    c->cap = cap;
  }
  c->v[c->n++] = (tr_regex_cap){.name = name, .start = start, .stop = stop};
  return 0;
}

/* Close a list made of the captures from v[first] on; returns its index,
** or -1 on memory error. match.extra is 32 bits and UINT32_MAX means
** "none", so that many lists is a memory error too. */
static int64_t caps_list(tr_regex_caps *c, size_t first) {
  if (c->nlists >= UINT32_MAX) return -1;
  if (c->nlists == c->listcap) {
    size_t cap = c->listcap ? c->listcap * 2 : 64;
    size_t *f = realloc(c->first, cap * sizeof *f);
    if (f == NULL) return -1;
    c->first = f;
    size_t *k = realloc(c->count, cap * sizeof *k);
    if (k == NULL) return -1;
    c->count = k;
    c->listcap = cap;
  }
  c->first[c->nlists] = first;
  c->count[c->nlists] = c->n - first;
  return (int64_t)c->nlists++;
}

/* ======================================================================
** Matching
** ==================================================================== */

/* Offset of the first byte that is not part of valid UTF-8 (the rules of
** RFC 3629: no overlongs, surrogates or values above U+10FFFF), or len. */
static size_t utf8_invalid_at(const unsigned char *s, size_t len) {
  size_t i = 0;
  while (i < len) {
    /* ASCII runs dominate news text: skip them 8 bytes at a time. */
    while (i + 8 <= len) {
      uint64_t w;
      memcpy(&w, s + i, 8);
      if (w & 0x8080808080808080u) break;
      i += 8;
    }
    if (i >= len) break;
    unsigned c = s[i];
    if (c < 0x80) { i++; continue; }
    size_t n;
    unsigned lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
      n = 3;
      if (c == 0xE0) lo = 0xA0;      /* overlong */
      else if (c == 0xED) hi = 0x9F; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 4;
      if (c == 0xF0) lo = 0x90;      /* overlong */
      else if (c == 0xF4) hi = 0x8F; /* above U+10FFFF */
    } else return i;
    if (len - i < n || s[i + 1] < lo || s[i + 1] > hi) return i;
    for (size_t k = 2; k < n; k++)
      if ((s[i + k] & 0xC0) != 0x80) return i;
    i += n;
  }
  return len;
}

/* Per-call scratch: never shared between threads. */
typedef struct scratch {
  pcre2_match_context *mc; /* the limits, and the JIT stack once assigned */
  pcre2_match_data *md;    /* ovector big enough for every regex */
  pcre2_jit_stack *js;     /* heap JIT stack, NULL until one is needed */
} scratch;

/* The error report: one "rule N: ..." item per failed regex. */
typedef struct report {
  char *s;                 /* malloc'ed, NULL while empty */
  int oom;                 /* memory ran out while building it */
} report;

static void report_add(report *rep, uint32_t rule, const char *what,
                       size_t at) {
  char *s = rep->s ? format("%s; rule %u: %s searching from byte %zu",
                            rep->s, rule, what, at)
                   : format("rule %u: %s searching from byte %zu", rule, what,
                            at);
  if (s == NULL) {
    rep->oom = 1;
    return;
  }
  free(rep->s);
  rep->s = s;
}

/* Describe a failed match call (PCRE2 error code rc) for the report. */
static void describe(const tr_regexes *r, int rc, char *buf, size_t size) {
  switch (rc) {
  case PCRE2_ERROR_MATCHLIMIT:
    snprintf(buf, size, "match limit (%u) exceeded", r->match_limit);
    break;
  case PCRE2_ERROR_DEPTHLIMIT:
    snprintf(buf, size, "depth limit (%u) exceeded", r->depth_limit);
    break;
  case PCRE2_ERROR_HEAPLIMIT:
    snprintf(buf, size, "heap limit (%u KiB) exceeded", r->heap_limit_kb);
    break;
  case PCRE2_ERROR_JIT_STACKLIMIT:
    snprintf(buf, size, "JIT stack limit (%zu KiB) exceeded",
             r->jit_stack_kb);
    break;
  default: {
    char msg[200];
    error_text(rc, msg, sizeof msg);
    snprintf(buf, size, "match failed: %s", msg);
  }
  }
}

/* Give the match context a heap JIT stack of jit_stack_kb. */
static int assign_jit_stack(const tr_regexes *r, scratch *sc) {
  size_t max = r->jit_stack_kb * 1024u;
  size_t start = max < 32 * 1024u ? max : 32 * 1024u;
  sc->js = pcre2_jit_stack_create(start, max, NULL);
  if (sc->js == NULL) return -1;
  pcre2_jit_stack_assign(sc->mc, NULL, sc->js);
  return 0;
}

/* One search from pos; returns PCRE2's result. A JIT search that runs out
** of the 32 KiB machine-stack block is retried once on the heap stack. */
static int search(const tr_regexes *r, const tr_re *re, scratch *sc,
                  PCRE2_SPTR text, size_t len, size_t pos) {
  /* NOTEMPTY: an empty match is never reported, so the search goes on to
  ** a non-empty match at the same start (Perl's retry after an empty
  ** match) or a later one, and every call makes progress. */
  const uint32_t opts = PCRE2_NOTEMPTY | PCRE2_NO_UTF_CHECK;
  if (!re->jit)
    return pcre2_match(re->code, text, len, pos, opts, sc->md, sc->mc);
  int rc = pcre2_jit_match(re->code, text, len, pos, opts, sc->md, sc->mc);
  if (rc == PCRE2_ERROR_JIT_STACKLIMIT && sc->js == NULL &&
      r->jit_stack_kb > MACHINE_JIT_STACK_KB) {
    if (assign_jit_stack(r, sc) < 0) return PCRE2_ERROR_NOMEMORY;
    rc = pcre2_jit_match(re->code, text, len, pos, opts, sc->md, sc->mc);
  }
  return rc;
}

/* Record the named groups that took part in the current match; returns
** the list index, UINT32_MAX when none took part, or -1 on memory error. */
static int64_t record_caps(const tr_re *re, const PCRE2_SIZE *ov,
                           tr_regex_caps *caps) {
  size_t first = caps->n;
  for (uint32_t i = 0; i < re->nnames; i++) {
    size_t g = re->names[i].group;
    if (ov[2 * g] == PCRE2_UNSET) continue; /* did not take part */
    if (caps_push(caps, re->names[i].name, ov[2 * g], ov[2 * g + 1]) < 0)
      return -1;
  }
  if (caps->n == first) return UINT32_MAX;
  int64_t k = caps_list(caps, first);
  if (k < 0) caps->n = first;
  return k;
}

/* The first position from pos whose byte is flagged in tab, or len. */
static size_t scan_table(const uint8_t *tab, PCRE2_SPTR s, size_t pos,
                         size_t len) {
  while (pos + 4 <= len) {
    if (tab[s[pos]]) return pos;
    if (tab[s[pos + 1]]) return pos + 1;
    if (tab[s[pos + 2]]) return pos + 2;
    if (tab[s[pos + 3]]) return pos + 3;
    pos += 4;
  }
  while (pos < len && !tab[s[pos]]) pos++;
  return pos;
}

/* The next match from pos for a regex with a start table: anchored
** attempts at each candidate byte (never at a continuation byte, which is
** not flagged) until one matches. */
static int search_table(const tr_regexes *r, const tr_re *re, scratch *sc,
                        PCRE2_SPTR text, size_t len, size_t *pos) {
  for (;;) {
    size_t c = scan_table(re->start, text, *pos, len);
    /* NOTEMPTY: no match starts at the end of the text. */
    if (c >= len) return PCRE2_ERROR_NOMATCH;
    *pos = c;
    int rc = search(r, re, sc, text, len, c);
    if (rc != PCRE2_ERROR_NOMATCH) return rc;
    *pos = c + 1;
  }
}

/* All matches of one regex. Returns 0, -1 on memory error, or the PCRE2
** error that stopped it (with *at = where the failed search started);
** PCRE2's -1 is "no match", which ends the loop and never escapes. */
static int match_one(const tr_regexes *r, const tr_re *re, scratch *sc,
                     PCRE2_SPTR text, size_t len, tr_matches *out,
                     tr_regex_caps *caps, size_t *at) {
  const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(sc->md);
  size_t pos = 0;
  while (pos <= len) {
    int rc = re->start ? search_table(r, re, sc, text, len, &pos)
                       : search(r, re, sc, text, len, pos);
    if (rc == PCRE2_ERROR_NOMATCH) return 0;
    if (rc == PCRE2_ERROR_NOMEMORY) return -1;
    if (rc < 0) {
      *at = pos;
      return rc;
    }
    size_t s = ov[0], e = ov[1];
    if (e > s) {
      tr_match m = {.start = s, .stop = e, .tok_first = TR_NO_TOKEN,
                    .tok_count = 0, .rule = re->rule, .value = re->value,
                    .priority = re->priority, .score = 1.0f,
                    .extra = UINT32_MAX};
      if (caps && re->nnames) {
        int64_t k = record_caps(re, ov, caps);
        if (k < 0) return -1;
        m.extra = (uint32_t)k;
      }
      if (tr_matches_push(out, &m) < 0) return -1;
    }
    if (e > pos) pos = e;
    else {
      /* No progress (cannot happen with NOTEMPTY, kept so no pattern can
      ** loop forever): step over one character. */
      if (pos == len) return 0;
      pos++;
      while (pos < len && (text[pos] & 0xC0) == 0x80) pos++;
    }
  }
  return 0;
}

int tr_regexes_match(const tr_regexes *r, const char *text, size_t len,
                     tr_matches *out, tr_regex_caps *caps, char **err) {
  if (err) *err = NULL;
  if (r == NULL || r->n == 0) return 0;
  if (text == NULL) {
    if (len) {
      if (err && (*err = format("no text (NULL) of %zu bytes", len)) == NULL)
        return -1;
      return -2;
    }
    text = "";
  }
  size_t bad = utf8_invalid_at((const unsigned char *)text, len);
  if (bad < len) {
    if (err) {
      *err = format("text is not valid UTF-8 at byte %zu", bad);
      if (*err == NULL) return -1;
    }
    return -2;
  }

  scratch sc = {0};
  sc.mc = pcre2_match_context_create(NULL);
  sc.md = pcre2_match_data_create(r->max_groups + 1, NULL);
  if (sc.mc == NULL || sc.md == NULL) {
    pcre2_match_context_free(sc.mc);
    pcre2_match_data_free(sc.md);
    return -1;
  }
  pcre2_set_match_limit(sc.mc, r->match_limit);
  pcre2_set_depth_limit(sc.mc, r->depth_limit);
  pcre2_set_heap_limit(sc.mc, r->heap_limit_kb);
  /* At most 32 KiB: the caller wants no more than the machine-stack
  ** block, so the small heap stack is used from the start. */
  int rc = 0;
  if (r->any_jit && r->jit_stack_kb <= MACHINE_JIT_STACK_KB &&
      assign_jit_stack(r, &sc) < 0)
    rc = -1;

  report rep = {0};
  PCRE2_SPTR subject = (PCRE2_SPTR)text;
  for (size_t i = 0; i < r->n && rc == 0; i++) {
    if (r->v[i].need >= 0 && memchr(text, r->v[i].need, len) == NULL)
      continue;
    size_t at = 0;
    int e = match_one(r, &r->v[i], &sc, subject, len, out, caps, &at);
    if (e == -1) rc = -1;
    else if (e < 0) {
      /* This regex stops here; what it found so far stays. */
      char what[256];
      describe(r, e, what, sizeof what);
      report_add(&rep, r->v[i].rule, what, at);
    }
  }
  pcre2_jit_stack_free(sc.js);
  pcre2_match_data_free(sc.md);
  pcre2_match_context_free(sc.mc);
  if (rc == 0 && (rep.s || rep.oom)) rc = rep.oom ? -1 : -2;
  if (rc == -2 && err) *err = rep.s;
  else free(rep.s);
  return rc;
}

/*
** test_regex.c — cmocka tests of the regex matcher (engine/regex.c):
** flags, Unicode classes, named groups, empty matches, overlaps, error
** messages, limits (with timings), UTF-8 handling, growth, threads, and
** agreement with a plain PCRE2 global search on the sample corpus.
**
** Timing assertions (a catastrophic pattern must give up in < 1 s) are
** skipped when TRAWL_TEST_NO_TIMING is set, for runs under valgrind.
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "regex.h"

#ifndef TRAWL_SOURCE_DIR
#define TRAWL_SOURCE_DIR "."
#endif

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* ======================================================================
** Helpers
** ==================================================================== */

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int timing_checked(void) {
  return getenv("TRAWL_TEST_NO_TIMING") == NULL;
}

/* A set of one regex (rule 0, value 7, priority 3); fails the test when
** the pattern does not compile. */
static tr_regexes *one(const char *pattern, const char *flags) {
  tr_regexes *r = tr_regexes_new(NULL);
  assert_non_null(r);
  char *err = NULL;
  int rc = tr_regexes_add(r, pattern, strlen(pattern), flags, 7, 0, 3, &err);
  if (rc != 0) print_message("pattern %s: %s\n", pattern, err ? err : "?");
  assert_int_equal(rc, 0);
  assert_null(err);
  return r;
}

/* The matched texts, sorted by position, joined with '|' (static buffer);
** asserts the call returns want_rc. */
static const char *found_rc(const tr_regexes *r, const char *text, size_t len,
                            int want_rc) {
  static char buf[8192];
  tr_matches m;
  tr_matches_init(&m);
  char *err = NULL;
  int rc = tr_regexes_match(r, text, len, &m, NULL, &err);
  if (rc != want_rc) print_message("rc %d (%s)\n", rc, err ? err : "-");
  assert_int_equal(rc, want_rc);
  free(err);
  tr_matches_sort(&m);
  size_t w = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < m.n; i++) {
    size_t l = (size_t)(m.v[i].stop - m.v[i].start);
    assert_true(m.v[i].stop <= len);
    assert_true(w + l + 2 < sizeof buf);
    if (i) buf[w++] = '|';
    memcpy(buf + w, text + m.v[i].start, l);
    w += l;
    buf[w] = '\0';
  }
  tr_matches_free(&m);
  return buf;
}

static const char *found(const tr_regexes *r, const char *text) {
  return found_rc(r, text, strlen(text), 0);
}

/* Matched texts of one pattern over one text. */
static const char *grep(const char *pattern, const char *flags,
                        const char *text) {
  static char copy[8192];
  tr_regexes *r = one(pattern, flags);
  snprintf(copy, sizeof copy, "%s", found(r, text));
  tr_regexes_free(r);
  return copy;
}

/* The error tr_regexes_add gives (malloc'ed), asserting it fails. */
static char *add_error(const char *pattern, size_t len, const char *flags) {
  tr_regexes *r = tr_regexes_new(NULL);
  char *err = NULL;
  assert_int_equal(tr_regexes_add(r, pattern, len, flags, 0, 0, 0, &err), -1);
  assert_non_null(err);
  assert_int_equal(tr_regexes_count(r), 0);
  tr_regexes_free(r);
  return err;
}

/* Reads a file into a malloc'ed buffer. */
static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  rewind(f);
  char *s = malloc((size_t)n + 1);
  assert_non_null(s);
  assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  s[n] = '\0';
  *len = (size_t)n;
  return s;
}

/* ======================================================================
** Reference: a plain Perl-style global search with PCRE2 (unanchored,
** UTF checked, empty matches retried as in pcre2demo then skipped). The
** module's optimisations must give exactly these spans.
** ==================================================================== */

typedef struct span {
  size_t start, stop;   /* byte span */
} span;

static size_t reference(const char *pattern, const char *flags,
                        const char *text, size_t len, span *out,
                        size_t max) {
  uint32_t opts = PCRE2_UTF | PCRE2_UCP;
  for (const char *f = flags; f && *f; f++)
    opts |= *f == 'i'   ? PCRE2_CASELESS
            : *f == 'x' ? PCRE2_EXTENDED
            : *f == 'm' ? PCRE2_MULTILINE
                        : PCRE2_DOTALL;
  int ec;
  PCRE2_SIZE eo;
  pcre2_compile_context *cc = pcre2_compile_context_create(NULL);
  pcre2_set_newline(cc, PCRE2_NEWLINE_LF);
  pcre2_code *c = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                                opts, &ec, &eo, cc);
  pcre2_compile_context_free(cc);
  assert_non_null(c);
  pcre2_match_data *md = pcre2_match_data_create_from_pattern(c, NULL);
  size_t n = 0, pos = 0;
  uint32_t mopts = 0;
  for (;;) {
    int rc = pcre2_match(c, (PCRE2_SPTR)text, len, pos, mopts, md, NULL);
    if (rc == PCRE2_ERROR_NOMATCH) {
      if (mopts == 0 || pos >= len) break;
      /* No non-empty match at pos after an empty one: step one char. */
      pos++;
      while (pos < len && ((unsigned char)text[pos] & 0xC0) == 0x80) pos++;
      mopts = 0;
      continue;
    }
    assert_true(rc > 0);
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    if (ov[1] > ov[0]) {
      assert_true(n < max);
      out[n++] = (span){ov[0], ov[1]};
    }
    pos = ov[1];
    mopts = ov[1] == ov[0] ? PCRE2_NOTEMPTY_ATSTART | PCRE2_ANCHORED : 0;
  }
  pcre2_match_data_free(md);
  pcre2_code_free(c);
  return n;
}

/* Compare the module with the reference on one pattern and text. */
static void same_as_reference(const char *pattern, const char *flags,
                              const char *text, size_t len) {
  enum { MAX = 200000 };
  span *want = malloc(MAX * sizeof *want);
  assert_non_null(want);
  size_t n = reference(pattern, flags, text, len, want, MAX);
  tr_regexes *r = one(pattern, flags);
  tr_matches m;
  tr_matches_init(&m);
  char *err = NULL;
  assert_int_equal(tr_regexes_match(r, text, len, &m, NULL, &err), 0);
  if (m.n != n)
    print_message("pattern %s: %zu matches, reference %zu\n", pattern, m.n, n);
  assert_int_equal(m.n, n);
  /* One regex: matches come out in text order already. */
  for (size_t i = 0; i < n; i++) {
    if (m.v[i].start != want[i].start || m.v[i].stop != want[i].stop)
      print_message("pattern %s: match %zu is %llu-%llu, reference %zu-%zu\n",
                    pattern, i, (unsigned long long)m.v[i].start,
                    (unsigned long long)m.v[i].stop, want[i].start,
                    want[i].stop);
    assert_int_equal(m.v[i].start, want[i].start);
    assert_int_equal(m.v[i].stop, want[i].stop);
  }
  tr_matches_free(&m);
  tr_regexes_free(r);
  free(want);
}

/* ======================================================================
** Basics
** ==================================================================== */

static void test_zero_regexes(void **state) {
  (void)state;
  tr_regexes *r = tr_regexes_new(NULL);
  assert_int_equal(tr_regexes_count(r), 0);
  tr_matches m;
  tr_matches_init(&m);
  char *err = (char *)"not reset";
  assert_int_equal(tr_regexes_match(r, "some text", 9, &m, NULL, &err), 0);
  assert_null(err);
  assert_int_equal(m.n, 0);
  /* An empty text, even as NULL. */
  assert_int_equal(tr_regexes_match(r, NULL, 0, &m, NULL, NULL), 0);
  tr_regexes_free(r);
  r = one("x", NULL);
  assert_int_equal(tr_regexes_match(r, NULL, 0, &m, NULL, &err), 0);
  assert_null(err);
  assert_int_equal(tr_regexes_match(r, NULL, 3, &m, NULL, &err), -2);
  assert_string_equal(err, "no text (NULL) of 3 bytes");
  free(err);
  assert_int_equal(m.n, 0);
  tr_regexes_free(r);
  tr_regexes_free(NULL);
  assert_int_equal(tr_regexes_count(NULL), 0);
  tr_matches_free(&m);
}

static void test_match_fields(void **state) {
  (void)state;
  tr_regexes *r = tr_regexes_new(NULL);
  char *err = NULL;
  assert_int_equal(tr_regexes_add(r, "\\d+", 3, NULL, 11, 5, -2, &err), 0);
  assert_int_equal(tr_regexes_add(r, "b", 1, "", 12, 6, 9, &err), 0);
  assert_int_equal(tr_regexes_count(r), 2);
  tr_matches m;
  tr_matches_init(&m);
  tr_regex_caps caps;
  tr_regex_caps_init(&caps);
  assert_int_equal(tr_regexes_match(r, "a1 22 b333", 10, &m, &caps, &err), 0);
  assert_int_equal(m.n, 4);
  tr_matches_sort(&m);
  const uint64_t start[] = {1, 3, 6, 7}, stop[] = {2, 5, 7, 10};
  for (size_t i = 0; i < m.n; i++) {
    assert_int_equal(m.v[i].start, start[i]);
    assert_int_equal(m.v[i].stop, stop[i]);
    assert_int_equal(m.v[i].tok_first, TR_NO_TOKEN);
    assert_int_equal(m.v[i].tok_count, 0);
    assert_int_equal(m.v[i].extra, UINT32_MAX);
    assert_true(m.v[i].score == 1.0f);
    int is_b = i == 2;
    assert_int_equal(m.v[i].rule, is_b ? 6 : 5);
    assert_int_equal(m.v[i].value, is_b ? 12 : 11);
    assert_int_equal(m.v[i].priority, is_b ? 9 : -2);
  }
  assert_int_equal(caps.nlists, 0);
  tr_regex_caps_free(&caps);
  tr_matches_free(&m);
  tr_regexes_free(r);
}

/* Matches are appended: what out held stays. */
static void test_appends(void **state) {
  (void)state;
  tr_regexes *r = one("x", NULL);
  tr_matches m;
  tr_matches_init(&m);
  tr_match pre = {.start = 100, .stop = 200, .rule = 99, .extra = 5};
  assert_int_equal(tr_matches_push(&m, &pre), 0);
  assert_int_equal(tr_regexes_match(r, "axbx", 4, &m, NULL, NULL), 0);
  assert_int_equal(m.n, 3);
  assert_int_equal(m.v[0].rule, 99);
  assert_int_equal(m.v[0].start, 100);
  tr_matches_free(&m);
  tr_regexes_free(r);
}

static void test_flags(void **state) {
  (void)state;
  const char *text = "Iraq IRAQ iraq\nline two\nthree";
  assert_string_equal(grep("iraq", NULL, text), "iraq");
  assert_string_equal(grep("iraq", "", text), "iraq");
  assert_string_equal(grep("iraq", "i", text), "Iraq|IRAQ|iraq");
  /* x: white space and comments in the pattern are ignored. */
  assert_string_equal(grep("i r a q  # a comment", "x", text), "iraq");
  assert_string_equal(grep("i r a q", NULL, text), "");
  /* m: ^ and $ at line ends (LF). */
  assert_string_equal(grep("^\\w+", NULL, text), "Iraq");
  assert_string_equal(grep("^\\w+", "m", text), "Iraq|line|three");
  assert_string_equal(grep("\\w+$", "m", text), "iraq|two|three");
  /* s: . matches a newline. */
  assert_string_equal(grep("two.th", NULL, text), "");
  assert_string_equal(grep("two.th", "s", text), "two\nth");
  /* All together, repeated letters allowed. */
  assert_string_equal(grep("^ L I N E . T W O $", "imsxi", text), "line two");
  /* Inline options work too. */
  assert_string_equal(grep("(?i)IRAQ", NULL, text), "Iraq|IRAQ|iraq");
}

static void test_flag_errors(void **state) {
  (void)state;
  char *err = add_error("a", 1, "iq");
  assert_string_equal(err, "unknown flag 'q' (flags are i, x, m, s)");
  free(err);
  err = add_error("a", 1, "g");
  assert_non_null(strstr(err, "'g'"));
  free(err);
  err = add_error("a", 1, "I");
  assert_non_null(strstr(err, "'I'"));
  free(err);
  err = add_error("a", 1, "\x01");
  assert_string_equal(err, "unknown flag byte 0x01 (flags are i, x, m, s)");
  free(err);
  /* err may be NULL. */
  tr_regexes *r = tr_regexes_new(NULL);
  assert_int_equal(tr_regexes_add(r, "a", 1, "z", 0, 0, 0, NULL), -1);
  assert_int_equal(tr_regexes_add(r, "(", 1, NULL, 0, 0, 0, NULL), -1);
  assert_int_equal(tr_regexes_count(r), 0);
  tr_regexes_free(r);
}

static void test_pattern_errors(void **state) {
  (void)state;
  static const struct {
    const char *pattern; /* a bad pattern */
    const char *msg;     /* the whole message expected */
  } t[] = {
      {"(abcd", "missing closing parenthesis at offset 5"},
      {"abc)", "unmatched closing parenthesis at offset 3"},
      {"[a-", "missing terminating ] for character class at offset 3"},
      {"a{3,2}", "numbers out of order in {} quantifier at offset 5"},
      {"*a", "quantifier does not follow a repeatable item at offset 0"},
      {"(?<n>a)(?<n>b)",
       "two named subpatterns have the same name (PCRE2_DUPNAMES not set) "
       "at offset 12"},
      {"\\k<nope>", "reference to non-existent subpattern at offset 3"},
      {"\\C", "using \\C is disabled by the application at offset 2"},
      {"a\\", "\\ at end of pattern at offset 2"},
      {"\\p{Nope}", "unknown property after \\P or \\p at offset 8"},
  };
  for (size_t i = 0; i < N_ELEMS(t); i++) {
    char *err = add_error(t[i].pattern, strlen(t[i].pattern), NULL);
    if (strcmp(err, t[i].msg) != 0)
      print_message("pattern %s: got \"%s\"\n", t[i].pattern, err);
    assert_string_equal(err, t[i].msg);
    free(err);
  }
  /* A failed add leaves the set usable. */
  tr_regexes *r = tr_regexes_new(NULL);
  assert_int_equal(tr_regexes_add(r, "(", 1, NULL, 0, 0, 0, NULL), -1);
  assert_int_equal(tr_regexes_add(r, "a", 1, NULL, 0, 0, 0, NULL), 0);
  assert_string_equal(found(r, "banana"), "a|a|a");
  tr_regexes_free(r);
}

/* The length is honoured: NULs in the pattern and the text. */
static void test_nul_bytes(void **state) {
  (void)state;
  tr_regexes *r = tr_regexes_new(NULL);
  assert_int_equal(tr_regexes_add(r, "a\0b", 3, NULL, 0, 0, 0, NULL), 0);
  /* Only the first two bytes of "b*" count: pattern "b". */
  assert_int_equal(tr_regexes_add(r, "b*", 1, NULL, 0, 1, 0, NULL), 0);
  tr_matches m;
  tr_matches_init(&m);
  assert_int_equal(tr_regexes_match(r, "xa\0bb", 5, &m, NULL, NULL), 0);
  tr_matches_sort(&m);
  assert_int_equal(m.n, 3);
  assert_int_equal(m.v[0].start, 1); /* a\0b */
  assert_int_equal(m.v[0].stop, 4);
  assert_int_equal(m.v[1].start, 3); /* b */
  assert_int_equal(m.v[2].start, 4); /* b */
  tr_matches_free(&m);
  tr_regexes_free(r);
}

/* ======================================================================
** Unicode
** ==================================================================== */

static void test_unicode_classes(void **state) {
  (void)state;
  /* \w on Arabic: "Kataib Hezbollah" as written in Arabic. */
  const char *ar = "\xd9\x83\xd8\xaa\xd8\xa7\xd8\xa6\xd8\xa8 "
                   "\xd8\xad\xd8\xb2\xd8\xa8 "
                   "\xd8\xa7\xd9\x84\xd9\x84\xd9\x87!";
  assert_string_equal(grep("\\w+", NULL, ar),
                      "\xd9\x83\xd8\xaa\xd8\xa7\xd8\xa6\xd8\xa8|"
                      "\xd8\xad\xd8\xb2\xd8\xa8|"
                      "\xd8\xa7\xd9\x84\xd9\x84\xd9\x87");
  assert_string_equal(grep("\\b\\w{3}\\b", NULL, ar),
                      "\xd8\xad\xd8\xb2\xd8\xa8");
  /* \d on Arabic-Indic, Devanagari and full-width digits. */
  const char *digits = "\xd9\xa2\xd9\xa0\xd9\xa2\xd9\xa0 "
                       "\xe0\xa5\xa7\xe0\xa5\xa8 "
                       "\xef\xbc\x92\xef\xbc\x90 x9";
  assert_string_equal(grep("\\d+", NULL, digits),
                      "\xd9\xa2\xd9\xa0\xd9\xa2\xd9\xa0|"
                      "\xe0\xa5\xa7\xe0\xa5\xa8|"
                      "\xef\xbc\x92\xef\xbc\x90|9");
  assert_string_equal(grep("\\b\\d{2}\\b", NULL, digits),
                      "\xe0\xa5\xa7\xe0\xa5\xa8|\xef\xbc\x92\xef\xbc\x90");
  /* . is one character, not one byte. */
  assert_string_equal(grep("caf.", NULL, "caf\xc3\xa9 cafe"),
                      "caf\xc3\xa9|cafe");
  /* Caseless is Unicode-aware: \xc3\x89 = É, \xc3\xa9 = é. */
  assert_string_equal(grep("\xc3\xa9" "cole", "i",
                           "\xc3\x89" "COLE \xc3\xa9" "cole"),
                      "\xc3\x89" "COLE|\xc3\xa9" "cole");
  /* \s knows the no-break space U+00A0. */
  assert_string_equal(grep("a\\sb", NULL, "a\xc2\xa0" "b"), "a\xc2\xa0" "b");
}

/* \b around "Kata’ib": the right single quote is not a word character. */
static void test_kataib_boundaries(void **state) {
  (void)state;
  const char *t = "Kata\xe2\x80\x99ib Hezbollah, Kata'ib";
  assert_string_equal(grep("\\b\\w+\\b", NULL, t),
                      "Kata|ib|Hezbollah|Kata|ib");
  assert_string_equal(grep("\\bKata\\b", NULL, t), "Kata|Kata");
  assert_string_equal(grep("\\bib\\b", NULL, t), "ib|ib");
  assert_string_equal(grep("\\bKata.ib\\b", NULL, t),
                      "Kata\xe2\x80\x99ib|Kata'ib");
  assert_string_equal(grep("\\bKata[\xe2\x80\x99']ib\\b", NULL, t),
                      "Kata\xe2\x80\x99ib|Kata'ib");
  /* No boundary between letters of two scripts: "Kataibكتائب". */
  assert_string_equal(grep("\\bKataib\\b", NULL,
                           "Kataib\xd9\x83\xd8\xaa\xd8\xa7\xd8\xa6\xd8\xa8"),
                      "");
}

/* A text with U+FFFD (what the loader puts for bad bytes) is valid UTF-8. */
static void test_fffd_text(void **state) {
  (void)state;
  const char *t = "Kata\xef\xbf\xbdib on 12/25/20 \xef\xbf\xbd\xef\xbf\xbd";
  assert_string_equal(grep("\\w+", NULL, t), "Kata|ib|on|12|25|20");
  assert_string_equal(grep("\\x{FFFD}", NULL, t),
                      "\xef\xbf\xbd|\xef\xbf\xbd|\xef\xbf\xbd");
  assert_string_equal(grep("\\b\\d{1,2}/\\d{1,2}/\\d{2}\\b", NULL, t),
                      "12/25/20");
  assert_string_equal(grep("\\S+$", NULL, t), "\xef\xbf\xbd\xef\xbf\xbd");
  assert_string_equal(grep("\\p{So}+", NULL, t),
                      "\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd");
}

static void test_invalid_utf8(void **state) {
  (void)state;
  static const struct {
    const char *text;  /* not valid UTF-8 */
    size_t len;
    size_t at;         /* offset of the first bad byte */
  } t[] = {
      {"ab\xff", 3, 2},           {"a\x80", 2, 1},
      {"\xc0\x80", 2, 0},         {"\xe0\x80\x80", 3, 0},
      {"x\xed\xa0\x80", 4, 1},    {"\xf4\x90\x80\x80", 4, 0},
      {"caf\xc3", 4, 3},          {"12345678\xe2\x80", 10, 8},
      {"\xf5\x80\x80\x80", 4, 0}, {"abcdefgh\xc3(", 10, 8},
  };
  tr_regexes *r = one("\\w", NULL);
  for (size_t i = 0; i < N_ELEMS(t); i++) {
    tr_matches m;
    tr_matches_init(&m);
    char *err = NULL;
    assert_int_equal(tr_regexes_match(r, t[i].text, t[i].len, &m, NULL, &err),
                     -2);
    char want[64];
    snprintf(want, sizeof want, "text is not valid UTF-8 at byte %zu", t[i].at);
    assert_string_equal(err, want);
    assert_int_equal(m.n, 0);
    free(err);
    tr_matches_free(&m);
  }
  /* Valid edge cases: U+10FFFF, U+D7FF, U+E000, 2-byte minimum. */
  assert_string_equal(
      found(r, "\xf4\x8f\xbf\xbf\xed\x9f\xbf\xee\x80\x80\xc2\x80z"), "z");
  tr_regexes_free(r);
}

/* ======================================================================
** Global search semantics
** ==================================================================== */

static void test_empty_matches(void **state) {
  (void)state;
  /* Empty matches are never reported... */
  assert_string_equal(grep("", NULL, "abc"), "");
  assert_string_equal(grep("\\b", NULL, "ab cd"), "");
  assert_string_equal(grep("(?=a)", NULL, "aaa"), "");
  assert_string_equal(grep("x*", NULL, ""), "");
  /* ...but the non-empty matches around them are. */
  assert_string_equal(grep("x*", NULL, "axxbx"), "xx|x");
  assert_string_equal(grep("x*", NULL, "\xc3\xa9x\xe2\x80\x99xx"), "x|xx");
  /* Where an empty alternative matches first, a non-empty one at the
  ** same place is still found (Perl's global match retries there). */
  assert_string_equal(grep("x*|b", NULL, "abc"), "b");
  assert_string_equal(grep("a??", NULL, "baa"), "a|a");
  assert_string_equal(grep("(?:)|\\d+", NULL, "ab12c3"), "12|3");
  /* \K may leave an empty match: skipped, and no endless loop. */
  assert_string_equal(grep("a\\K", NULL, "aaa"), "");
  assert_string_equal(grep("a\\Kb", NULL, "abab"), "b|b");
  /* Lookbehind sees the text before the search position. */
  assert_string_equal(grep("(?<=\\$)\\d+", NULL, "$12 and 34 and $5"), "12|5");
}

static void test_overlaps(void **state) {
  (void)state;
  /* Non-overlapping within one regex, leftmost first. */
  assert_string_equal(grep("aa", NULL, "aaaaa"), "aa|aa");
  assert_string_equal(grep("\\d{2}", NULL, "12345"), "12|34");
  /* Different regexes overlap freely. */
  tr_regexes *r = tr_regexes_new(NULL);
  const char *p[] = {"\\d+/\\d+", "\\d+", "\\d/\\d"};
  for (uint32_t i = 0; i < 3; i++)
    assert_int_equal(tr_regexes_add(r, p[i], strlen(p[i]), NULL, i, i, 0, NULL),
                     0);
  tr_matches m;
  tr_matches_init(&m);
  assert_int_equal(tr_regexes_match(r, "12/25", 5, &m, NULL, NULL), 0);
  tr_matches_sort(&m);
  assert_int_equal(m.n, 4);
  const struct { uint64_t start, stop; uint32_t rule; } want[] = {
      {0, 5, 0}, {0, 2, 1}, {1, 4, 2}, {3, 5, 1}};
  for (size_t i = 0; i < 4; i++) {
    assert_int_equal(m.v[i].start, want[i].start);
    assert_int_equal(m.v[i].stop, want[i].stop);
    assert_int_equal(m.v[i].rule, want[i].rule);
  }
  /* The overlap policy then keeps the longest. */
  tr_matches_resolve(&m);
  assert_int_equal(m.n, 1);
  assert_int_equal(m.v[0].rule, 0);
  tr_matches_free(&m);
  tr_regexes_free(r);
}

/* A pattern whose required byte is missing from the text finds nothing;
** present, it finds its matches (the memchr shortcut is only a shortcut). */
static void test_required_byte(void **state) {
  (void)state;
  assert_string_equal(grep("\\w+@\\w+", NULL, "no at sign here"), "");
  assert_string_equal(grep("\\w+@\\w+", NULL, "mail me@example now"),
                      "me@example");
  /* Letters are never used for it: caseless matching may vary them
  ** (KELVIN SIGN U+212A is a caseless k). */
  assert_string_equal(grep("\\d+k", "i", "12\xe2\x84\xaa 3K 4k"),
                      "12\xe2\x84\xaa|3K|4k");
  assert_string_equal(grep("\\d+-\\d+", NULL, "1-2 3 4-5"), "1-2|4-5");
}

/* Patterns where the module drives the search itself (\d, \w, POSIX
** classes under UCP) against PCRE2's own global search. */
static void test_start_table_equivalence(void **state) {
  (void)state;
  static const struct {
    const char *pattern; /* a pattern */
    const char *flags;
  } p[] = {
      {"\\d+", NULL},
      {"\\b\\d{1,2}/\\d{1,2}/\\d{2,4}\\b", NULL},
      {"\\b\\d+(?:\\.\\d+)?\\s?(?:%|percent)", NULL},
      {"\\d+\\s*km", "i"},
      {"(?<=\\$)\\d+(?:[.,]\\d+)*", NULL},
      {"[[:digit:]]+", NULL},
      {"[[:upper:]][[:lower:]]+", NULL},
      {"\\d|\\p{Lu}", NULL},
      {"\\d+|x", NULL},
      {"[\\d\\x{212A}]+", "i"},
      {"[^\\W\\d_]+\\d", NULL},
      {"(?:\\d|\\p{Arabic})+", NULL},
      {"\\d\\d(?=\\D)", NULL},
      {"(?<![\\w-])\\d+", NULL},
      {"\\b[A-Z]\\w+", NULL},
      {"\\w+ing\\b", NULL},
      {"\\s+\\d", NULL},
      {"(a|\\d)\\1", NULL},
      {"\\d+$", "m"},
      {"(?i)k\\d", NULL},
  };
  const char *text =
      "On 12/25/20 at 10:30, 3 km north (4KM), 12\xe2\x84\xaa \xd9\xa2\xd9\xa0 "
      "rockets cost $1,000.50 or 15 percent; 7% KH Kata\xe2\x80\x99ib "
      "\xd9\x83\xd8\xaa\xd8\xa7\xd8\xa6\xd8\xa8\xd9\xa3 "
      "\xef\xbc\x99\xef\xbc\x99 "
      "aa11 k9 \xe2\x84\xaa" "8 running jumping 2020\nline 42\n"
      "\xc3\x89" "cole 5\xef\xbf\xbd 6 -7 x-8 \xe0\xa5\xa7";
  for (size_t i = 0; i < N_ELEMS(p); i++)
    same_as_reference(p[i].pattern, p[i].flags, text, strlen(text));
}

/* The typical rule set over the sample corpus: same spans as PCRE2's own
** global search, and plausible counts. */
static const char *const corpus_patterns[] = {
    "\\b\\d{1,2}/\\d{1,2}/\\d{2,4}\\b",
    "\\b\\d{4}-\\d{2}-\\d{2}\\b",
    "\\b(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|"
    "Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|"
    "Dec(?:ember)?)\\.?\\s+\\d{1,2}(?:,\\s*\\d{4})?\\b",
    "\\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\\b",
    "\\$\\s?\\d+(?:[.,]\\d+)*(?:\\s?(?:million|billion|thousand))?",
    "\\b[A-Z]{2,5}\\b",
    "@\\w+",
    "#\\w+",
    "\\bhttps?://[^\\s<>\"]+",
    "\\b[\\w.+-]+@[\\w-]+\\.[\\w.]+\\b",
    "\\b\\d{1,3}(?:,\\d{3})+\\b",
    "\\b\\d+(?:\\.\\d+)?\\s?(?:%|percent)",
    "\\b(?:19|20)\\d{2}\\b",
    "\\b(?<num>\\d+)\\s+(?<unit>km|kilometers|miles)\\b",
    "\\b(?:al|Al)-[A-Z][a-z]+",
    "\\bprime\\s+minister\\b",
    "\\d+",
    "\\w+",
    "\\p{Lu}\\w*",
};

static void test_corpus_equivalence(void **state) {
  (void)state;
  const char *files[] = {"000_1af78644860d8528.txt", "001_3dc81e1ea7d977a8.txt",
                         "002_fc6652fa48584f3a.txt", "003_21d5d0816ff0cbf2.txt",
                         "004_bded5637d4401b88.txt"};
  for (size_t f = 0; f < N_ELEMS(files); f++) {
    char path[1024];
    snprintf(path, sizeof path, "%s/corpus/%s", TRAWL_SOURCE_DIR, files[f]);
    size_t len = 0;
    char *text = slurp(path, &len);
    if (text == NULL) {
      print_message("cannot read %s\n", path);
      fail();
    }
    for (size_t i = 0; i < N_ELEMS(corpus_patterns); i++)
      same_as_reference(corpus_patterns[i], NULL, text, len);
    same_as_reference("prime minister", "i", text, len);
    /* The interpreter (what runs where there is no JIT). */
    same_as_reference("(*NO_JIT)\\b\\w+\\b", NULL, text, len);
    same_as_reference("(*NO_JIT)\\p{Lu}+|x*", NULL, text, len);
    free(text);
  }
  /* Known content: 004 quotes dates as 12/25/20 and a handle. */
  char path[1024];
  snprintf(path, sizeof path, "%s/corpus/%s", TRAWL_SOURCE_DIR, files[4]);
  size_t len = 0;
  char *text = slurp(path, &len);
  tr_regexes *r = one("\\b\\d{1,2}/\\d{1,2}/\\d{2}\\b", NULL);
  assert_non_null(strstr(found_rc(r, text, len, 0), "12/25/20"));
  tr_regexes_free(r);
  r = one("@\\w+", NULL);
  assert_non_null(strstr(found_rc(r, text, len, 0), "@qassimalaraji"));
  tr_regexes_free(r);
  free(text);
}

/* ======================================================================
** Named groups
** ==================================================================== */

static void test_named_groups(void **state) {
  (void)state;
  tr_regexes *r = tr_regexes_new(NULL);
  const char *p = "(?<day>\\d{1,2})/(?<month>\\d{1,2})(?:/(?<year>\\d{2,4}))?";
  assert_int_equal(tr_regexes_add(r, p, strlen(p), NULL, 1, 0, 0, NULL), 0);
  const char *q = "(\\w+)@(?<host>\\w+)";
  assert_int_equal(tr_regexes_add(r, q, strlen(q), NULL, 2, 1, 0, NULL), 0);
  assert_int_equal(tr_regexes_add(r, "no", 2, NULL, 3, 2, 0, NULL), 0);
  const char *text = "on 25/12 and 1/2/2020, no x@y";
  tr_matches m;
  tr_matches_init(&m);
  tr_regex_caps c;
  tr_regex_caps_init(&c);
  assert_int_equal(tr_regexes_match(r, text, strlen(text), &m, &c, NULL), 0);
  tr_matches_sort(&m);
  assert_int_equal(m.n, 4);
  assert_int_equal(c.nlists, 3);
  /* 25/12: day and month; the year did not take part. */
  uint32_t k = m.v[0].extra;
  assert_true(k < c.nlists);
  assert_int_equal(c.count[k], 2);
  tr_regex_cap *v = c.v + c.first[k];
  assert_string_equal(v[0].name, "day");
  assert_int_equal(v[0].start, 3);
  assert_int_equal(v[0].stop, 5);
  assert_string_equal(v[1].name, "month");
  assert_int_equal(v[1].start, 6);
  assert_int_equal(v[1].stop, 8);
  /* 1/2/2020: all three, in group order (the name table is alphabetical). */
  k = m.v[1].extra;
  assert_int_equal(c.count[k], 3);
  v = c.v + c.first[k];
  assert_string_equal(v[0].name, "day");
  assert_string_equal(v[1].name, "month");
  assert_string_equal(v[2].name, "year");
  assert_int_equal(v[2].stop - v[2].start, 4);
  assert_memory_equal(text + v[2].start, "2020", 4);
  /* "no" has no groups. */
  assert_int_equal(m.v[2].extra, UINT32_MAX);
  /* x@y: the unnamed group is not recorded. */
  k = m.v[3].extra;
  assert_int_equal(c.count[k], 1);
  v = c.v + c.first[k];
  assert_string_equal(v[0].name, "host");
  assert_memory_equal(text + v[0].start, "y", 1);

  /* A second call appends lists; clear starts over. */
  tr_matches_clear(&m);
  assert_int_equal(tr_regexes_match(r, "9/9", 3, &m, &c, NULL), 0);
  assert_int_equal(m.n, 1);
  assert_int_equal(m.v[0].extra, 3);
  tr_regex_caps_clear(&c);
  tr_matches_clear(&m);
  assert_int_equal(tr_regexes_match(r, "9/9", 3, &m, &c, NULL), 0);
  assert_int_equal(m.v[0].extra, 0);
  assert_int_equal(c.nlists, 1);
  /* Without caps, extra is UINT32_MAX. */
  tr_matches_clear(&m);
  assert_int_equal(tr_regexes_match(r, "9/9", 3, &m, NULL, NULL), 0);
  assert_int_equal(m.v[0].extra, UINT32_MAX);
  tr_regex_caps_free(&c);
  tr_matches_free(&m);
  tr_regexes_free(r);
}

static void test_named_groups_edges(void **state) {
  (void)state;
  tr_regexes *r = tr_regexes_new(NULL);
  /* A named group that may not take part at all; duplicate names with
  ** (?J); a group that takes part with an empty capture. */
  const char *p[] = {"(?<a>x)|y", "(?J)(?<n>a)|(?<n>b)", "c(?<e>\\d*)"};
  for (uint32_t i = 0; i < 3; i++)
    assert_int_equal(tr_regexes_add(r, p[i], strlen(p[i]), NULL, i, i, 0, NULL),
                     0);
  tr_matches m;
  tr_matches_init(&m);
  tr_regex_caps c;
  tr_regex_caps_init(&c);
  assert_int_equal(tr_regexes_match(r, "y x b c", 7, &m, &c, NULL), 0);
  tr_matches_sort(&m);
  assert_int_equal(m.n, 4);
  assert_int_equal(m.v[0].extra, UINT32_MAX); /* y: group a did not take part */
  uint32_t k = m.v[1].extra;                  /* x */
  assert_int_equal(c.count[k], 1);
  assert_string_equal(c.v[c.first[k]].name, "a");
  k = m.v[2].extra; /* b: the second group named n */
  assert_int_equal(c.count[k], 1);
  assert_string_equal(c.v[c.first[k]].name, "n");
  assert_int_equal(c.v[c.first[k]].start, 4);
  k = m.v[3].extra; /* c: e took part, empty */
  assert_int_equal(c.count[k], 1);
  assert_int_equal(c.v[c.first[k]].start, 7);
  assert_int_equal(c.v[c.first[k]].stop, 7);
  tr_regex_caps_free(&c);
  tr_matches_free(&m);
  tr_regexes_free(r);
}

/* 100,000 matches, each with a capture list: everything grows. */
static void test_many_matches(void **state) {
  (void)state;
  enum { N = 100000 };
  char *text = malloc(2 * N + 1);
  assert_non_null(text);
  for (size_t i = 0; i < N; i++) memcpy(text + 2 * i, i % 2 ? "b " : "a ", 2);
  text[2 * N] = '\0';
  tr_regexes *r = tr_regexes_new(NULL);
  assert_int_equal(tr_regexes_add(r, "(?<w>[ab])", 10, NULL, 0, 0, 0, NULL), 0);
  assert_int_equal(tr_regexes_add(r, "\\w", 2, NULL, 1, 1, 0, NULL), 0);
  tr_matches m;
  tr_matches_init(&m);
  tr_regex_caps c;
  tr_regex_caps_init(&c);
  assert_int_equal(tr_regexes_match(r, text, 2 * N, &m, &c, NULL), 0);
  assert_int_equal(m.n, 2 * N);
  assert_int_equal(c.nlists, N);
  assert_int_equal(c.n, N);
  for (size_t i = 0; i < m.n; i++) {
    if (m.v[i].rule == 1) {
      assert_int_equal(m.v[i].extra, UINT32_MAX);
      continue;
    }
    uint32_t k = m.v[i].extra;
    assert_true(k < c.nlists);
    assert_int_equal(c.count[k], 1);
    const tr_regex_cap *x = &c.v[c.first[k]];
    assert_int_equal(x->start, m.v[i].start);
    assert_int_equal(x->stop, m.v[i].stop);
  }
  tr_regex_caps_free(&c);
  tr_matches_free(&m);
  tr_regexes_free(r);
  free(text);
}

/* ======================================================================
** Limits
** ==================================================================== */

static void test_catastrophic(void **state) {
  (void)state;
  /* (a+)+$ on 38 a's and "!": exponential backtracking at the first a. */
  tr_regexes *r = one("(a+)+$", NULL);
  tr_matches m;
  tr_matches_init(&m);
  char *err = NULL;
  const char *t = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!";
  double t0 = now();
  assert_int_equal(tr_regexes_match(r, t, strlen(t), &m, NULL, &err), -2);
  double dt = now() - t0;
  print_message("(a+)+$: %.3f s: %s\n", dt, err);
  if (timing_checked()) assert_true(dt < 1.0);
  assert_string_equal(err, "rule 0: match limit (1000000) exceeded "
                           "searching from byte 0");
  free(err);
  assert_int_equal(m.n, 0);
  tr_regexes_free(r);

  /* (x+x+)+y on 5,000 x's: PCRE2 knows a match needs a "y" and there is
  ** none, so it answers "no match" at once without backtracking. */
  enum { N = 5000 };
  char *x = malloc(N + 3);
  memset(x, 'x', N);
  r = one("(x+x+)+y", NULL);
  t0 = now();
  assert_int_equal(tr_regexes_match(r, x, N, &m, NULL, &err), 0);
  dt = now() - t0;
  print_message("(x+x+)+y on x's: %.3f s, no match\n", dt);
  if (timing_checked()) assert_true(dt < 1.0);
  /* With a "y" after a "!", it backtracks for real and hits the limit. */
  memcpy(x + N, "!y", 2);
  t0 = now();
  assert_int_equal(tr_regexes_match(r, x, N + 2, &m, NULL, &err), -2);
  dt = now() - t0;
  print_message("(x+x+)+y on x's!y: %.3f s: %s\n", dt, err);
  if (timing_checked()) assert_true(dt < 1.0);
  assert_string_equal(err, "rule 0: match limit (1000000) exceeded "
                           "searching from byte 0");
  free(err);
  assert_int_equal(m.n, 0);
  tr_regexes_free(r);
  free(x);
  tr_matches_free(&m);
}

/* Matches found before the limit stay; the other regexes still run; every
** failed rule is named. */
static void test_limit_keeps_and_continues(void **state) {
  (void)state;
  enum { N = 3000 };
  char t[N + 32];
  memcpy(t, "ab ab ", 6);
  memset(t + 6, 'x', N);
  memcpy(t + 6 + N, "!y ab", 6);
  size_t len = strlen(t);
  tr_regexes *r = tr_regexes_new(NULL);
  const char *p[] = {"ab|(x+x+)+y", "\\bab\\b", "(a|b|x+x+)+y", "y"};
  for (uint32_t i = 0; i < 4; i++)
    assert_int_equal(
        tr_regexes_add(r, p[i], strlen(p[i]), NULL, i, 10 + i, 0, NULL), 0);
  tr_matches m;
  tr_matches_init(&m);
  char *err = NULL;
  double t0 = now();
  assert_int_equal(tr_regexes_match(r, t, len, &m, NULL, &err), -2);
  double dt = now() - t0;
  print_message("%.3f s: %s\n", dt, err);
  if (timing_checked()) assert_true(dt < 1.0);
  assert_string_equal(err,
                      "rule 10: match limit (1000000) exceeded searching "
                      "from byte 5; rule 12: match limit (1000000) "
                      "exceeded searching from byte 0");
  free(err);
  size_t per_rule[4] = {0};
  for (size_t i = 0; i < m.n; i++) per_rule[m.v[i].rule - 10]++;
  assert_int_equal(per_rule[0], 2); /* the two ab before the x's */
  assert_int_equal(per_rule[1], 3); /* all three ab */
  assert_int_equal(per_rule[2], 0);
  assert_int_equal(per_rule[3], 1);
  tr_matches_free(&m);
  tr_regexes_free(r);
}

/* Depth and heap limits bind the interpreter ((*NO_JIT)); the JIT runs on
** a bounded stack. */
static void test_depth_heap_jit_stack(void **state) {
  (void)state;
  enum { N = 20000 };
  char *t = malloc(N + 2);
  memset(t, 'a', N);
  t[N] = '!';
  t[N + 1] = '\0';
  tr_matches m;
  tr_matches_init(&m);
  char *err = NULL;

  /* Depth: one nested backtracking frame per a. */
  tr_regexes *r = one("(*NO_JIT)(a|b)*!", NULL);
  assert_int_equal(tr_regexes_match(r, t, N + 1, &m, NULL, &err), -2);
  assert_string_equal(err, "rule 0: depth limit (10000) exceeded "
                           "searching from byte 0");
  free(err);
  tr_regexes_free(r);

  /* Heap: the same frames, against a 100 KiB heap limit. */
  tr_regex_limits lim = {.heap_limit_kb = 100};
  r = tr_regexes_new(&lim);
  assert_int_equal(tr_regexes_add(r, "(*NO_JIT)(a|b)*!", 16, NULL, 0, 4, 0,
                                  NULL), 0);
  assert_int_equal(tr_regexes_match(r, t, N + 1, &m, NULL, &err), -2);
  assert_string_equal(err, "rule 4: heap limit (100 KiB) exceeded "
                           "searching from byte 0");
  free(err);
  tr_regexes_free(r);

  /* A custom match limit. */
  lim = (tr_regex_limits){.match_limit = 1000};
  r = tr_regexes_new(&lim);
  assert_int_equal(tr_regexes_add(r, "(a+)+$", 6, NULL, 0, 1, 0, NULL), 0);
  assert_int_equal(tr_regexes_match(r, "aaaaaaaaaaaaaaaaaaaaaaa!", 24, &m,
                                    NULL, &err), -2);
  assert_string_equal(err, "rule 1: match limit (1000) exceeded "
                           "searching from byte 0");
  free(err);
  tr_regexes_free(r);

  /* JIT: 20,000 iterations need more than the 32 KiB on the machine
  ** stack; the heap stack (1 MiB by default) takes over and it matches. */
  r = one("(a|b)*!", NULL);
  assert_int_equal(tr_regexes_match(r, t, N + 1, &m, NULL, &err), 0);
  assert_int_equal(m.n, 1);
  assert_int_equal(m.v[0].stop, N + 1);
  tr_matches_clear(&m);
  tr_regexes_free(r);
  /* ...but not within 32 KiB. */
  lim = (tr_regex_limits){.jit_stack_kb = 32};
  r = tr_regexes_new(&lim);
  assert_int_equal(tr_regexes_add(r, "(a|b)*!", 7, NULL, 0, 2, 0, NULL), 0);
  assert_int_equal(tr_regexes_match(r, t, N + 1, &m, NULL, &err), -2);
  assert_string_equal(err, "rule 2: JIT stack limit (32 KiB) exceeded "
                           "searching from byte 0");
  free(err);
  tr_regexes_free(r);
  /* A tiny JIT stack still runs ordinary patterns. */
  lim = (tr_regex_limits){.jit_stack_kb = 1};
  r = tr_regexes_new(&lim);
  assert_int_equal(tr_regexes_add(r, "\\w+", 3, NULL, 0, 2, 0, NULL), 0);
  assert_string_equal(found(r, "one two"), "one|two");
  tr_regexes_free(r);
  /* A pattern can lower a limit, not raise it. */
  r = one("(*LIMIT_MATCH=100)(a+)+$", NULL);
  assert_int_equal(tr_regexes_match(r, "aaaaaaaaaaaaaaaaaa!", 19, &m, NULL,
                                    &err), -2);
  free(err);
  tr_regexes_free(r);
  r = one("(*LIMIT_MATCH=100000000)(a+)+$", NULL);
  double t0 = now();
  const char *a38 = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!";
  assert_int_equal(tr_regexes_match(r, a38, strlen(a38), &m, NULL, &err), -2);
  if (timing_checked()) assert_true(now() - t0 < 1.0);
  assert_non_null(strstr(err, "match limit (1000000)"));
  free(err);
  tr_regexes_free(r);

  assert_int_equal(m.n, 0);
  tr_matches_free(&m);
  free(t);
}

/* ======================================================================
** Threads
** ==================================================================== */

/* One thread's job: match the shared set over the text several times. */
typedef struct job {
  const tr_regexes *r;  /* shared, read-only */
  const char *text;
  size_t len;
  size_t n;             /* matches found in the last round */
  uint64_t sum;         /* a checksum of their spans */
  int rc;               /* worst return code */
} job;

static void *run_job(void *arg) {
  job *j = arg;
  tr_matches m;
  tr_matches_init(&m);
  tr_regex_caps c;
  tr_regex_caps_init(&c);
  for (int round = 0; round < 20; round++) {
    tr_matches_clear(&m);
    tr_regex_caps_clear(&c);
    char *err = NULL;
    int rc = tr_regexes_match(j->r, j->text, j->len, &m, &c, &err);
    free(err);
    if (rc != 0) j->rc = rc;
    j->n = m.n;
    j->sum = 0;
    for (size_t i = 0; i < m.n; i++)
      j->sum += m.v[i].start * 31 + m.v[i].stop * 7 + m.v[i].rule;
  }
  tr_regex_caps_free(&c);
  tr_matches_free(&m);
  return NULL;
}

static void test_threads(void **state) {
  (void)state;
  char path[1024];
  snprintf(path, sizeof path, "%s/corpus/004_bded5637d4401b88.txt",
           TRAWL_SOURCE_DIR);
  size_t len = 0;
  char *text = slurp(path, &len);
  assert_non_null(text);
  tr_regexes *r = tr_regexes_new(NULL);
  for (uint32_t i = 0; i < N_ELEMS(corpus_patterns); i++)
    assert_int_equal(tr_regexes_add(r, corpus_patterns[i],
                                    strlen(corpus_patterns[i]), NULL, i, i, 0,
                                    NULL), 0);
  /* A run that needs more than 32 KiB of JIT stack, so that threads also
  ** build heap JIT stacks. */
  enum { RUN = 5000 };
  char *longer = realloc(text, len + RUN + 3);
  assert_non_null(longer);
  text = longer;
  text[len] = ' ';
  memset(text + len + 1, 'a', RUN);
  memcpy(text + len + 1 + RUN, "!", 2);
  len += RUN + 2;
  assert_int_equal(tr_regexes_add(r, "(a|b)*!", 7, NULL, 99, 99, 0, NULL), 0);
  job single = {.r = r, .text = text, .len = len};
  run_job(&single);
  assert_int_equal(single.rc, 0);
  assert_true(single.n > 100);
  enum { T = 4 };
  pthread_t th[T];
  job jobs[T];
  for (int i = 0; i < T; i++) {
    jobs[i] = (job){.r = r, .text = text, .len = len};
    assert_int_equal(pthread_create(&th[i], NULL, run_job, &jobs[i]), 0);
  }
  for (int i = 0; i < T; i++) {
    pthread_join(th[i], NULL);
    assert_int_equal(jobs[i].rc, 0);
    assert_int_equal(jobs[i].n, single.n);
    assert_int_equal(jobs[i].sum, single.sum);
  }
  tr_regexes_free(r);
  free(text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_zero_regexes),
      cmocka_unit_test(test_match_fields),
      cmocka_unit_test(test_appends),
      cmocka_unit_test(test_flags),
      cmocka_unit_test(test_flag_errors),
      cmocka_unit_test(test_pattern_errors),
      cmocka_unit_test(test_nul_bytes),
      cmocka_unit_test(test_unicode_classes),
      cmocka_unit_test(test_kataib_boundaries),
      cmocka_unit_test(test_fffd_text),
      cmocka_unit_test(test_invalid_utf8),
      cmocka_unit_test(test_empty_matches),
      cmocka_unit_test(test_overlaps),
      cmocka_unit_test(test_required_byte),
      cmocka_unit_test(test_start_table_equivalence),
      cmocka_unit_test(test_corpus_equivalence),
      cmocka_unit_test(test_named_groups),
      cmocka_unit_test(test_named_groups_edges),
      cmocka_unit_test(test_many_matches),
      cmocka_unit_test(test_catastrophic),
      cmocka_unit_test(test_limit_keeps_and_continues),
      cmocka_unit_test(test_depth_heap_jit_stack),
      cmocka_unit_test(test_threads),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

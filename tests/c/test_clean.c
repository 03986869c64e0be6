/*
** test_clean.c — tr_clean_text (UTF-8 repair, BOM, line ends),
** tr_space_len and tr_date_valid.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "load.h"

#define FFFD "\xEF\xBF\xBD"

/* One tr_clean_text case: input and what must come out. */
typedef struct clean_case {
  const char *name;   /* what the case is about */
  const char *in;     /* input bytes */
  size_t in_len;      /* their length (inputs may hold NULs) */
  const char *out;    /* expected output, NULL: nothing to change */
  uint64_t bad_at;    /* expected offset of the first bad sequence */
  size_t nbad;        /* expected number of bad sequences */
} clean_case;

#define S(x) x, sizeof(x) - 1
#define NONE UINT64_MAX

static const clean_case cases[] = {
    {"empty", S(""), NULL, NONE, 0},
    {"ascii", S("Hello, world.\n"), NULL, NONE, 0},
    {"valid multibyte", S("Kadhimi\xE2\x80\x99s \xF0\x9F\x99\x82 caf\xC3\xA9"),
     NULL, NONE, 0},
    {"NUL is not changed", S("a\0b"), NULL, NONE, 0},
    {"BOM only", S("\xEF\xBB\xBF"), "", NONE, 0},
    {"BOM dropped", S("\xEF\xBB\xBFtitle\n"), "title\n", NONE, 0},
    {"BOM inside is kept", S("a\xEF\xBB\xBF"), NULL, NONE, 0},
    {"CRLF", S("a\r\nb\r\n"), "a\nb\n", NONE, 0},
    {"lone CR", S("a\rb\r"), "a\nb\n", NONE, 0},
    {"CR CR LF", S("a\r\r\nb"), "a\n\nb", NONE, 0},
    {"BOM and CRLF", S("\xEF\xBB\xBF" "a\r\n"), "a\n", NONE, 0},
    {"stray continuation", S("a\x80z"), "a" FFFD "z", 1, 1},
    {"overlong C0 80", S("a\xC0\x80"), "a" FFFD FFFD, 1, 2},
    {"overlong E0 80 80", S("\xE0\x80\x80"), FFFD FFFD FFFD, 0, 3},
    {"surrogate ED A0 80", S("\xED\xA0\x80x"), FFFD FFFD FFFD "x", 0, 3},
    {"above U+10FFFF", S("\xF4\x90\x80\x80"), FFFD FFFD FFFD FFFD, 0, 4},
    {"F5 lead", S("\xF5"), FFFD, 0, 1},
    {"truncated at end is one", S("ab\xE2\x82"), "ab" FFFD, 2, 1},
    {"truncated before ASCII", S("\xE1\x80" "A"), FFFD "A", 0, 1},
    {"truncated 4-byte", S("\xF0\x9F\x99" "!"), FFFD "!", 0, 1},
    {"latin-1 text", S("caf\xE9 na\xEFve\r\n"), "caf" FFFD " na" FFFD "ve\n",
     3, 2},
    {"bad then CRLF", S("\xFF\r\n"), FFFD "\n", 0, 1},
};

static void test_clean_table(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    const clean_case *c = &cases[i];
    size_t outlen = 12345, nbad = 99;
    uint64_t bad_at = 7;
    int oom = 1;
    char *r = tr_clean_text(c->in, c->in_len, &outlen, &bad_at, &nbad, &oom);
    int same = !oom && bad_at == c->bad_at && nbad == c->nbad &&
               (c->out ? r && outlen == strlen(c->out) &&
                             !memcmp(r, c->out, outlen)
                       : !r);
    if (!same) /* say which row of the table failed */
      print_message("case \"%s\" differs\n", c->name);
    assert_int_equal(oom, 0);
    assert_int_equal(bad_at, c->bad_at);
    assert_int_equal(nbad, c->nbad);
    if (!c->out) {
      assert_null(r);
      assert_int_equal(outlen, c->in_len);
    } else {
      assert_non_null(r);
      assert_int_equal(outlen, strlen(c->out));
      assert_memory_equal(r, c->out, outlen);
      assert_int_equal(r[outlen], '\0'); /* copies are NUL-terminated */
    }
    free(r);
  }
}

/* A long clean text goes through the eight-bytes-at-a-time path; a bad
** byte deep inside must be found at its exact offset. */
static void test_clean_long(void **state) {
  size_t n = 100000, outlen, nbad;
  uint64_t bad_at;
  int oom;
  char *in = malloc(n), *r;
  (void)state;
  for (size_t i = 0; i < n; i++)
    in[i] = (char)('a' + i % 26);
  assert_null(tr_clean_text(in, n, &outlen, &bad_at, &nbad, &oom));
  assert_int_equal(bad_at, UINT64_MAX);
  for (size_t k = 0; k < 9; k++) { /* every alignment */
    in[1234 + k] = '\xC3';
    r = tr_clean_text(in, n, &outlen, &bad_at, &nbad, &oom);
    assert_non_null(r);
    assert_int_equal(bad_at, 1234 + k);
    assert_int_equal(nbad, 1);
    assert_int_equal(outlen, n + 2);
    assert_memory_equal(r + 1234 + k, FFFD, 3);
    free(r);
    in[1234 + k] = (char)('a' + (1234 + k) % 26);
  }
  in[n - 1] = '\r';
  r = tr_clean_text(in, n, &outlen, &bad_at, &nbad, &oom);
  assert_non_null(r);
  assert_int_equal(nbad, 0);
  assert_int_equal(r[n - 1], '\n');
  free(r);
  free(in);
}

static void test_space_len(void **state) {
  static const struct {
    const char *s; /* input */
    size_t len;    /* expected */
  } t[] = {
      {" x", 1},           {"\tx", 1},          {"\nx", 1},
      {"x", 0},            {"", 0},             {"\xC2\xA0x", 2},
      {"\xC2\x85", 2},     {"\xC2\xA9", 0},     {"\xE2\x80\x83", 3},
      {"\xE2\x80\x8B", 0}, {"\xE2\x80\xAF", 3}, {"\xE3\x80\x80", 3},
      {"\xEF\xBB\xBF", 3}, {"\xE2\x80", 0},     {"\xE2\x81\x9F", 3},
  };
  (void)state;
  for (size_t i = 0; i < sizeof t / sizeof *t; i++)
    assert_int_equal(tr_space_len(t[i].s, strlen(t[i].s)), t[i].len);
}

static void test_date_valid(void **state) {
  static const struct {
    const char *s; /* input */
    int ok;        /* expected */
  } t[] = {
      {"2020", 1},        {"2020-07", 1},     {"2020-07-22", 1},
      {"2020-02-29", 1},  {"2000-02-29", 1},  {"1900-02-29", 0},
      {"2021-02-29", 0},  {"2020-02-30", 0},  {"2020-13", 0},
      {"2020-00", 0},     {"2020-04-31", 0},  {"2020-7-22", 0},
      {"20-07-22", 0},    {"July 22, 2020", 0}, {"", 0},
      {"2020-07-22T10:00", 0}, {"0000", 0},   {"2020/07/22", 0},
      {"2020-12-31", 1},  {"2020-12-32", 0},
  };
  (void)state;
  for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
    if (tr_date_valid(t[i].s) != t[i].ok)
      print_message("date \"%s\" differs\n", t[i].s);
    assert_int_equal(tr_date_valid(t[i].s), t[i].ok);
  }
  assert_int_equal(tr_date_valid(NULL), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_clean_table),
      cmocka_unit_test(test_clean_long),
      cmocka_unit_test(test_space_len),
      cmocka_unit_test(test_date_valid),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

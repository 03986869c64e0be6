/*
** test_acronym.c — cmocka tests of acronym definitions (engine/acronym.c):
** which strings can be short forms, the Schwartz-Hearst match with its
** word-start preference, and definitions found in texts (the corpus's
** among them) with exact byte spans.
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acronym.h"
#include "segment.h"
#include "tokenize.h"

#ifndef TRAWL_SOURCE_DIR
#define TRAWL_SOURCE_DIR "."
#endif

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* Definitions in text, as "SF=long form|SF=long form" (static buffer). */
static const char *find(const char *text) {
  static char buf[2048];
  size_t len = strlen(text);
  tr_tokens t;
  tr_spans s;
  tr_acronyms a;
  tr_tokens_init(&t);
  tr_spans_init(&s);
  tr_acronyms_init(&a);
  assert_int_equal(tr_tokenize(text, len, NULL, &t), 0);
  assert_int_equal(tr_sentences(text, len, &t, &s), 0);
  assert_int_equal(tr_acronyms_find(text, len, &t, &s, &a), 0);
  size_t w = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < a.n; i++) {
    const tr_acronym *x = &a.v[i];
    assert_true(x->short_start < x->short_stop && x->short_stop <= len);
    assert_true(x->long_start < x->long_stop && x->long_stop <= len);
    w += (size_t)snprintf(buf + w, sizeof buf - w, "%s%.*s=%.*s", i ? "|" : "",
                          (int)(x->short_stop - x->short_start), text + x->short_start,
                          (int)(x->long_stop - x->long_start), text + x->long_start);
  }
  tr_acronyms_free(&a);
  tr_spans_free(&s);
  tr_tokens_free(&t);
  return buf;
}

static void test_is_short(void **state) {
  (void)state;
  static const struct { const char *s; int want; } rows[] = {
    {"AAH", 1}, {"KH", 1}, {"PMF", 1}, {"U.S.", 1}, {"MoI", 1}, {"K24", 1},
    {"IRGC", 1}, {"Twitter", 0}, {"the", 0}, {"2009", 0}, {"A", 0},
    {"ABCDEFGHIJK", 0}, {"(KH)", 0}, {"K H", 0}, {"", 0},
  };
  for (size_t i = 0; i < N_ELEMS(rows); i++) {
    int got = tr_acronym_is_short(rows[i].s, strlen(rows[i].s));
    if (got != rows[i].want) print_error("row %zu: \"%s\"\n", i, rows[i].s);
    assert_int_equal(got, rows[i].want);
  }
}

static void test_match(void **state) {
  (void)state;
  static const struct { const char *sf, *lf, *want; } rows[] = {
    /* the word-start preference: not "Ahl Al-Haq" */
    {"AAH", "the Interior Ministry arrested Asaib Ahl Al-Haq", "Asaib Ahl Al-Haq"},
    {"PMF", "especially the Popular Mobilization Forces", "Popular Mobilization Forces"},
    {"GCC", "Iraq, the United States, and the Gulf Cooperation Council", "Gulf Cooperation Council"},
    {"KH", "raided Kataib Hezbollah", "Kataib Hezbollah"},
    {"INSS", "the Institute for National Security Studies", "Institute for National Security Studies"},
    {"MOIS", "the Ministry of Intelligence and Security", "Ministry of Intelligence and Security"},
    {"U.S.", "the United States", "United States"},
    {"HTS", "fighters of Hayat Tahrir al-Sham", "Hayat Tahrir al-Sham"},
    /* no letter starts a word, or a word is left unexplained */
    {"AAH", "the 2nd major Kadhimi-fasa’il confrontation", NULL},
    {"KH", "less dramatic than the 1st", NULL},
    {"KH", "Kataib Hezbollah operatives", NULL},
    {"XYZ", "nothing here", NULL},
    {"AB", "", NULL},
  };
  for (size_t i = 0; i < N_ELEMS(rows); i++) {
    long at = tr_acronym_match(rows[i].sf, strlen(rows[i].sf), rows[i].lf,
                               strlen(rows[i].lf));
    const char *got = at < 0 ? NULL : rows[i].lf + at;
    if ((got == NULL) != (rows[i].want == NULL) ||
        (got && strcmp(got, rows[i].want) != 0))
      print_error("row %zu: %s in \"%s\": got \"%s\"\n", i, rows[i].sf,
                  rows[i].lf, got ? got : "(none)");
    if (rows[i].want) {
      assert_non_null(got);
      assert_string_equal(got, rows[i].want);
    } else {
      assert_null(got);
    }
  }
}

static void test_find(void **state) {
  (void)state;
  static const struct { const char *text, *want; } rows[] = {
    {"Afterward the Interior Ministry arrested Asaib Ahl Al-Haq (AAH) commander.",
     "AAH=Asaib Ahl Al-Haq"},
    /* the possessive before the bracket is not part of the long form */
    {"In June, the Counter Terror Service (CTS) raided Kataib Hezbollah’s (KH) headquarters.",
     "CTS=Counter Terror Service|KH=Kataib Hezbollah"},
    /* short form first */
    {"The KH (Kataib Hezbollah) denied it.", "KH=Kataib Hezbollah"},
    {"Square brackets: the Ministry of Intelligence and Security [MOIS] said so.",
     "MOIS=Ministry of Intelligence and Security"},
    /* not definitions */
    {"The 2nd major Kadhimi-fasa’il confrontation (AAH) was less dramatic than the 1st (KH).", ""},
    {"on the streets of Baghdad on Christmas Day (Twitter)", ""},
    {"Kata'ib Hezbollah (the Hezbollah brigades), an instrument.", ""},
    {"Iran’s Ita’at [MOIS] nor the CIA.", ""},
    {"An unclosed (PMF bracket.", ""},
    /* never across a sentence end */
    {"They met the Popular Mobilization. Forces (PMF) left.", ""},
    {"", ""},
  };
  for (size_t i = 0; i < N_ELEMS(rows); i++) {
    const char *got = find(rows[i].text);
    if (strcmp(got, rows[i].want) != 0)
      print_error("row %zu: \"%s\": got \"%s\"\n", i, rows[i].text, got);
    assert_string_equal(got, rows[i].want);
  }
}

/* Read a corpus file into a malloc'ed string. */
static char *slurp(const char *name, size_t *len) {
  char path[1024];
  snprintf(path, sizeof path, "%s/corpus/%s", TRAWL_SOURCE_DIR, name);
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *s = malloc((size_t)n + 1);
  assert_non_null(s);
  assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
  s[n] = '\0';
  fclose(f);
  *len = (size_t)n;
  return s;
}

/* Every definition the five articles hold, and nothing else. */
static void test_corpus(void **state) {
  (void)state;
  static const struct { const char *file, *want; } rows[] = {
    {"000_1af78644860d8528.txt", ""},
    {"001_3dc81e1ea7d977a8.txt", "PMU=Popular Mobilization Units"},
    {"002_fc6652fa48584f3a.txt", "PMF=Popular Mobilization Forces|GCC=Gulf Cooperation Council"},
    {"003_21d5d0816ff0cbf2.txt", ""},
    {"004_bded5637d4401b88.txt",
     "AAH=Asaib Ahl Al-Haq|CTS=Counter Terror Service|KH=Kataib Hezbollah"},
  };
  for (size_t i = 0; i < N_ELEMS(rows); i++) {
    size_t len;
    char *text = slurp(rows[i].file, &len);
    const char *got = find(text);
    if (strcmp(got, rows[i].want) != 0)
      print_error("%s: got \"%s\"\n", rows[i].file, got);
    assert_string_equal(got, rows[i].want);
    free(text);
  }
}

/* Without sentences the whole text is one; offsets are exact bytes. */
static void test_spans_without_sentences(void **state) {
  (void)state;
  const char *text = "the Gulf Cooperation Council (GCC) met";
  tr_tokens t;
  tr_acronyms a;
  tr_tokens_init(&t);
  tr_acronyms_init(&a);
  assert_int_equal(tr_tokenize(text, strlen(text), NULL, &t), 0);
  assert_int_equal(tr_acronyms_find(text, strlen(text), &t, NULL, &a), 0);
  assert_int_equal(a.n, 1);
  assert_int_equal(a.v[0].short_start, 30);
  assert_int_equal(a.v[0].short_stop, 33);
  assert_int_equal(a.v[0].long_start, 4);
  assert_int_equal(a.v[0].long_stop, 28);
  tr_acronyms_free(&a);
  assert_null(a.v);
  assert_int_equal(a.n, 0);
  tr_tokens_free(&t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_is_short),
    cmocka_unit_test(test_match),
    cmocka_unit_test(test_find),
    cmocka_unit_test(test_corpus),
    cmocka_unit_test(test_spans_without_sentences),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
** test_dates.c — cmocka tests of temporal expressions (engine/dates.c).
** Table-driven: the examples of issue 4 and the edge cases of each rule
** (one row each, printed when it fails), then the labelled sets of
** tests/fixtures/dates/ — every expression of the five articles against
** their document dates, and the general-knowledge set — with the accuracy
** thresholds the issue asks for.
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "dates.h"
#include "load.h"

#ifndef TRAWL_SOURCE_DIR
#define TRAWL_SOURCE_DIR "."
#endif

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* ======================================================================
** Helpers
** ==================================================================== */

/* The expression of ds overlapping [a, b) the most, or NULL. */
static const tr_date *overlapping(const tr_dates *ds, uint64_t a, uint64_t b) {
  const tr_date *best = NULL;
  uint64_t most = 0;
  for (size_t i = 0; i < ds->n; i++) {
    uint64_t lo = ds->v[i].start > a ? ds->v[i].start : a;
    uint64_t hi = ds->v[i].stop < b ? ds->v[i].stop : b;
    if (hi > lo && hi - lo > most) {
      most = hi - lo;
      best = &ds->v[i];
    }
  }
  return best;
}

/* Expressions must be in text order, inside the text, never overlapping. */
static void check_list(const tr_dates *ds, size_t len) {
  for (size_t i = 0; i < ds->n; i++) {
    assert_true(ds->v[i].start < ds->v[i].stop);
    assert_true(ds->v[i].stop <= len);
    assert_true(ds->v[i].value[0] != '\0');
    assert_true(ds->v[i].anchor[0] != '\0');
    if (i) assert_true(ds->v[i - 1].stop <= ds->v[i].start);
  }
}

/* Does found match the expectation? NULL fields of the expectation are not
** checked, except value: NULL value means "nothing there". */
static int same(const char *a, const char *b) {
  if (!a || !b) return a == b;
  return strcmp(a, b) == 0;
}

/* ======================================================================
** The examples of the issue and the rules' edge cases
** ==================================================================== */

typedef struct example {
  const char *ref;    /* reference date, or NULL */
  const char *text;   /* input */
  const char *expr;   /* the part of text looked at */
  const char *type;   /* expected type name, or NULL (not checked) */
  const char *value;  /* expected value; NULL: nothing may be found */
  const char *mod;    /* expected mod (NULL: none) */
  const char *anchor; /* expected anchor prefix, or NULL (not checked) */
} example;

static const example examples[] = {
  /* absolute */
  {NULL, "It was July 22, 2020.", "July 22, 2020", "DATE", "2020-07-22", NULL,
   "absolute"},
  {NULL, "Filed 12/25/20.", "12/25/20", "DATE", "2020-12-25", NULL,
   "absolute"},
  {NULL, "Signed 25 June 2020.", "25 June 2020", "DATE", "2020-06-25", NULL,
   NULL},
  {NULL, "Sunday, December 27, 2020", "Sunday, December 27, 2020", "DATE",
   "2020-12-27", NULL, NULL},
  {NULL, "Dated 2020-06-25.", "2020-06-25", "DATE", "2020-06-25", NULL, NULL},
  {NULL, "Dated 25.06.2020.", "25.06.2020", "DATE", "2020-06-25", NULL, NULL},
  {NULL, "Dated 25/12/2020.", "25/12/2020", "DATE", "2020-12-25", NULL, NULL},
  {NULL, "The raid of Dec. 26th, 2020.", "Dec. 26th, 2020", "DATE",
   "2020-12-26", NULL, NULL},
  {NULL, "On the 25th of June, 2020.", "the 25th of June, 2020", "DATE",
   "2020-06-25", NULL, NULL},
  {NULL, "Formed in June 2014.", "June 2014", "DATE", "2014-06", NULL, NULL},
  {NULL, "Banned in 2009.", "2009", "DATE", "2009", NULL, "absolute"},
  {NULL, "On Feb 29, 2020 it snowed.", "Feb 29, 2020", "DATE", "2020-02-29",
   NULL, NULL},
  {NULL, "Filed 12/25/99.", "12/25/99", "DATE", "1999-12-25", NULL, NULL},
  {"2020-07-22", "Filed 12/25/99.", "12/25/99", "DATE", "1999-12-25", NULL,
   NULL},
  /* partial, resolved to the past of the document date */
  {"2020-07-22", "On June 25, forces stormed it.", "June 25", "DATE",
   "2020-06-25", NULL, "document date"},
  {"2020-07-22", "He resigned on August 3.", "August 3", "DATE", "2019-08-03",
   NULL, NULL},
  {"2020-07-22", "He will resign on August 3.", "August 3", "DATE",
   "2020-08-03", NULL, NULL},
  {"2020-07-22", "The vote will be held on June 25.", "June 25", "DATE",
   "2021-06-25", NULL, NULL},
  {"2020-07-22", "It was discussed in December.", "December", "DATE",
   "2019-12", NULL, NULL},
  {"2020-07-22", "It was discussed in July.", "July", "DATE", "2020-07", NULL,
   NULL},
  {"2021-02-15", "It ended on February 29.", "February 29", "DATE",
   "2020-02-29", NULL, NULL},
  {"2020", "It ended on June 25.", "June 25", "DATE", "2020-06-25", NULL,
   "document date"},
  {"2020-07", "It ended on August 25.", "August 25", "DATE", "2019-08-25",
   NULL, NULL},
  {NULL, "On June 25, forces stormed it.", "June 25", "DATE", "XXXX-06-25",
   NULL, "none"},
  {NULL, "in 2009", "2009", "DATE", "2009", NULL, NULL},
  /* relative */
  {"2020-07-22", "Since taking office last May, he...", "last May", "DATE",
   "2020-05", NULL, NULL},
  {"2020-05-10", "Since taking office last May, he...", "last May", "DATE",
   "2019-05", NULL, NULL},
  {"2020-07-22", "It rose last year.", "last year", "DATE", "2019", NULL,
   NULL},
  {"2020-07-22", "Elections are next year.", "next year", "DATE", "2021",
   NULL, NULL},
  {NULL, "It rose last year.", "last year", "DATE", "XXXX", NULL, "none"},
  {"2020-07-22", "It came last week.", "last week", "DATE", "2020-W29", NULL,
   NULL},
  {"2020-12-27", "It came this week.", "this week", "DATE", "2020-W52", NULL,
   NULL},
  {"2021-01-02", "It came last week.", "last week", "DATE", "2020-W52", NULL,
   NULL},
  {"2020-07-22", "He left two days ago.", "two days ago", "DATE",
   "2020-07-20", NULL, NULL},
  {"2020-07-22", "He left three years ago.", "three years ago", "DATE",
   "2017", NULL, NULL},
  {"2020-07-22", "He left a few years ago.", "a few years ago", "DATE",
   "2020", "BEFORE", NULL},
  {"2020-07-22", "He left yesterday.", "yesterday", "DATE", "2020-07-21",
   NULL, NULL},
  {"2020-07-22", "He left the day before yesterday.",
   "the day before yesterday", "DATE", "2020-07-20", NULL, NULL},
  {"2020-07-22", "She spoke this morning.", "this morning", "TIME",
   "2020-07-22TMO", NULL, NULL},
  {"2020-07-22", "Rockets fell last night.", "last night", "TIME",
   "2020-07-21TNI", NULL, NULL},
  /* anaphora on the previous stated date */
  {NULL,
   "Arrests came in June; most were freed on the 29th of the same month.",
   "the 29th of the same month", "DATE", "XXXX-06-29", NULL,
   "previous date XXXX-06"},
  {"2020-07-22",
   "Arrests came in June; most were freed on the 29th of the same month.",
   "the 29th of the same month", "DATE", "2020-06-29", NULL,
   "previous date 2020-06"},
  {NULL, "On July 11, he visited. A few days later, patrols began.",
   "A few days later", "DATE", "XXXX-07-11", "AFTER",
   "previous date XXXX-07-11"},
  {"2020-07-22", "On July 5, X. The following day, Y.", "The following day",
   "DATE", "2020-07-06", NULL, NULL},
  {"2020-07-22", "On July 5, X. Two days later, Y.", "Two days later", "DATE",
   "2020-07-07", NULL, NULL},
  {"2020-07-22", "On July 1, X. Two weeks later, Y.", "Two weeks later",
   "DATE", "2020-07-15", NULL, NULL},
  {"2020-07-22", "On July 1, X. A month earlier, Y.", "A month earlier",
   "DATE", "2020-06", NULL, NULL},
  {NULL, "Two days later, Y.", "Two days later", "DURATION", "P2D", NULL,
   NULL},
  {"2020-12-27", "On Christmas Day they met. Later in the day, they left.",
   "Later in the day", "DATE", "2020-12-25", NULL,
   "previous date 2020-12-25"},
  /* weekdays */
  {"2020-07-22", "He arrived on Sunday.", "Sunday", "DATE", "2020-07-19",
   NULL, NULL},
  {"2020-07-22", "He will arrive on Sunday.", "Sunday", "DATE", "2020-07-26",
   NULL, NULL},
  {"2020-07-22", "He arrived on Wednesday.", "Wednesday", "DATE",
   "2020-07-15", NULL, NULL},
  {"2020-07-22", "They met last Monday.", "last Monday", "DATE", "2020-07-20",
   NULL, NULL},
  {"2020-07-22", "They meet next Monday.", "next Monday", "DATE",
   "2020-07-27", NULL, NULL},
  {"2020-07-22", "They meet this Friday.", "this Friday", "DATE",
   "2020-07-24", NULL, NULL},
  {NULL, "He arrived on Sunday.", "Sunday", "DATE", "XXXX-WXX-7", NULL,
   "none"},
  {NULL,
   "On Sunday, July 5, a rocket fell. It was launched late Saturday evening.",
   "late Saturday evening", "TIME", "XXXX-07-04TEV", "END",
   "previous date XXXX-07-05"},
  {"2020-12-27", "Clashes began Sunday night.", "Sunday night", "TIME",
   "2020-12-20TNI", NULL, NULL},
  /* fuzzy */
  {"2020-07-22", "In late June, troops arrived.", "late June", "DATE",
   "2020-06", "END", NULL},
  {"2020-07-22", "In early July, talks began.", "early July", "DATE",
   "2020-07", "START", NULL},
  {"2020-07-22", "They met in mid-June.", "mid-June", "DATE", "2020-06",
   "MID", NULL},
  {NULL, "at the end of 2019", "the end of 2019", "DATE", "2019", "END",
   NULL},
  {NULL, "in the middle of 2019", "the middle of 2019", "DATE", "2019", "MID",
   NULL},
  {"2020-07-22", "by the end of the year", "the end of the year", "DATE",
   "2020", "END", NULL},
  {NULL, "Talks resume in early 2021.", "early 2021", "DATE", "2021", "START",
   NULL},
  {NULL, "Troops leave by mid-2021.", "mid-2021", "DATE", "2021", "MID",
   NULL},
  {NULL, "around June 25, 2020", "around June 25, 2020", "DATE", "2020-06-25",
   "APPROX", NULL},
  /* named days */
  {"2020-12-27", "on Christmas Day", "Christmas Day", "DATE", "2020-12-25",
   NULL, NULL},
  {"2020-12-27", "as Christmas’ events did", "Christmas", "DATE",
   "2020-12-25", NULL, NULL},
  {"2020-12-20", "They celebrated Christmas.", "Christmas", "DATE",
   "2019-12-25", NULL, NULL},
  {NULL, "on Christmas Eve", "Christmas Eve", "DATE", "XXXX-12-24", NULL,
   NULL},
  {"2020-03-01", "They will gather on Easter Sunday.", "Easter Sunday",
   "DATE", "2020-04-12", NULL, NULL},
  {"2021-05-01", "Easter was quiet.", "Easter", "DATE", "2021-04-04", NULL,
   NULL},
  {"2024-05-01", "Good Friday was quiet.", "Good Friday", "DATE",
   "2024-03-29", NULL, NULL},
  {"2021-12-01", "Thanksgiving was quiet.", "Thanksgiving", "DATE",
   "2021-11-25", NULL, NULL},
  {"2021-01-10", "on New Year's Eve", "New Year's Eve", "DATE", "2020-12-31",
   NULL, NULL},
  {"2020-07-22", "on May Day", "May Day", "DATE", "2020-05-01", NULL, NULL},
  {NULL, "Easter was quiet.", "Easter", "DATE", "XXXX-XX-XX", NULL, "none"},
  {NULL, "Christmas 2019 was quiet.", "Christmas 2019", "DATE", "2019-12-25",
   NULL, NULL},
  /* durations and sets */
  {NULL, "nearly two decades after", "nearly two decades", "DURATION", "P20Y",
   "APPROX", NULL},
  {NULL, "released in 48 hours", "48 hours", "DURATION", "PT48H", NULL, NULL},
  {NULL, "a 10-day truce", "10-day", "DURATION", "P10D", NULL, NULL},
  {NULL, "for 30 minutes", "30 minutes", "DURATION", "PT30M", NULL, NULL},
  {NULL, "for more than two years", "more than two years", "DURATION", "P2Y",
   "MORE_THAN", NULL},
  {NULL, "for at least three weeks", "at least three weeks", "DURATION",
   "P3W", "EQUAL_OR_MORE", NULL},
  {NULL, "in the past five years", "the past five years", "DURATION", "P5Y",
   NULL, NULL},
  {NULL, "for twenty-five years", "twenty-five years", "DURATION", "P25Y",
   NULL, NULL},
  {NULL, "for a couple of weeks", "a couple of weeks", "DURATION", "P2W",
   NULL, NULL},
  {NULL, "for 1,000 years", "1,000 years", "DURATION", "P1000Y", NULL, NULL},
  {NULL, "Days after the release", "Days", "DURATION", "PXD", NULL, NULL},
  {NULL, "for decades", "decades", "DURATION", "PXDE", NULL, NULL},
  {NULL, "He prays every Sunday.", "every Sunday", "SET", "XXXX-WXX-7", NULL,
   NULL},
  {NULL, "It meets every two weeks.", "every two weeks", "SET", "P2W", NULL,
   NULL},
  {NULL, "It meets once a month.", "once a month", "SET", "P1M", NULL, NULL},
  {NULL, "It appears weekly.", "weekly", "SET", "P1W", NULL, NULL},
  /* vague references, decades, seasons, quarters, times */
  {"2020-07-22", "currently underway", "currently", "DATE", "PRESENT_REF",
   NULL, "document date"},
  {NULL, "recently reflected", "recently", "DATE", "PAST_REF", NULL, "none"},
  {NULL, "in recent months", "recent months", "DATE", "PAST_REF", NULL, NULL},
  {NULL, "in the near future", "the near future", "DATE", "FUTURE_REF", NULL,
   NULL},
  {NULL, "to this day", "this day", "DATE", "PRESENT_REF", NULL, NULL},
  {NULL, "Many today are tied to Iran.", "today", "DATE", "PRESENT_REF", NULL,
   NULL},
  {NULL, "during the 1990s", "the 1990s", "DATE", "199", NULL, NULL},
  {NULL, "in the 21st century", "the 21st century", "DATE", "20", NULL, NULL},
  {NULL, "in the summer of 2019", "the summer of 2019", "DATE", "2019-SU",
   NULL, NULL},
  {"2020-07-22", "last winter", "last winter", "DATE", "2019-WI", NULL, NULL},
  {"2021-01-15", "this winter", "this winter", "DATE", "2020-WI", NULL, NULL},
  {NULL, "the first quarter of 2020", "the first quarter of 2020", "DATE",
   "2020-Q1", NULL, NULL},
  {NULL, "the second half of 2019", "the second half of 2019", "DATE",
   "2019-H2", NULL, NULL},
  {NULL, "Q3 2019 earnings", "Q3 2019", "DATE", "2019-Q3", NULL, NULL},
  {"2020-07-22", "at 10:30 a.m.", "10:30 a.m.", "TIME", "2020-07-22T10:30",
   NULL, NULL},
  {"2020-07-22", "at 7 pm", "7 pm", "TIME", "2020-07-22T19:00", NULL, NULL},
  {"2020-07-22", "On July 5 at 7 pm it fell.", "7 pm", "TIME",
   "2020-07-05T19:00", NULL, "previous date"},
  {NULL, "at 9:15", "9:15", "TIME", "XXXX-XX-XXT09:15", NULL, NULL},
  /* citation lines: deictic words use the date that ends the line */
  {"2020-12-27", "KH: the rockets fired lately,” Twitter, 12/26/20\n",
   "lately", "DATE", "PAST_REF", NULL, "citation date 2020-12-26"},
  {"2020-12-27", "- “document issued today says,” Twitter, 12/25/20\n",
   "today", "DATE", "2020-12-25", NULL, "citation date 2020-12-25"},
  {"2020-12-27", "“arrested two days ago,” Twitter, 12/25/20", "two days ago",
   "DATE", "2020-12-23", NULL, NULL},
  {"2020-12-27", "Rockets hit the zone today, killing two on 12/25/20.",
   "today", "DATE", "2020-12-27", NULL, "document date"},
  /* a dateline stands for a missing document date */
  {NULL, "Sunday, December 27, 2020\n\nOn Christmas Day he met troops.",
   "Christmas Day", "DATE", "2020-12-25", NULL, "dateline 2020-12-27"},
  /* not dates */
  {NULL, "He may visit Baghdad.", "may", NULL, NULL, NULL, NULL},
  {NULL, "May God protect Iraq.", "May", NULL, NULL, NULL, NULL},
  {NULL, "Theresa May resigned.", "May", NULL, NULL, NULL, NULL},
  {NULL, "The Mayor spoke in Mayfair.", "Mayor", NULL, NULL, NULL, NULL},
  {NULL, "A march through Baghdad.", "march", NULL, NULL, NULL, NULL},
  {NULL, "June Carter sang.", "June", NULL, NULL, NULL, NULL},
  {NULL, "The Sunday Times said so.", "Sunday", NULL, NULL, NULL, NULL},
  {NULL, "Jan Smith and Sun Tzu.", "Jan", NULL, NULL, NULL, NULL},
  {NULL, "See https://x.org/2020/06/25 now", "2020/06/25", NULL, NULL, NULL,
   NULL},
  {NULL, "Mail a@b2020.org", "2020", NULL, NULL, NULL, NULL},
  {NULL, "Follow @user2020", "2020", NULL, NULL, NULL, NULL},
  {NULL, "The tag #June25 trended", "June25", NULL, NULL, NULL, NULL},
  {NULL, "It was dated February 30, 2020.", "February 30, 2020", NULL, NULL,
   NULL, NULL},
  {NULL, "It was dated Feb 30.", "Feb 30", NULL, NULL, NULL, NULL},
  {NULL, "It was dated 13/45/20.", "13/45/20", NULL, NULL, NULL, NULL},
  {NULL, "It was dated February 29, 2021.", "February 29, 2021", NULL, NULL,
   NULL, NULL},
  {NULL, "It was dated 2021-02-29.", "2021-02-29", NULL, NULL, NULL, NULL},
  {NULL, "It was dated June 31.", "June 31", NULL, NULL, NULL, NULL},
  {NULL, "Upgrade to v1.2.3.", "1.2.3", NULL, NULL, NULL, NULL},
  {NULL, "Version 1.2.3 fixed it.", "1.2.3", NULL, NULL, NULL, NULL},
  {NULL, "Release 2.10.2020 fixed it.", "2.10.2020", NULL, NULL, NULL, NULL},
  {NULL, "IP 10.1.12.2020 is down.", "12.2020", NULL, NULL, NULL, NULL},
  {NULL, "INSS Insight No. 1351, July 22, 2020", "1351", NULL, NULL, NULL,
   NULL},
  {NULL, "the 45th Brigade", "45th", NULL, NULL, NULL, NULL},
  {NULL, "some 2,000 troops", "2,000", NULL, NULL, NULL, NULL},
  {NULL, "about 2000 troops", "2000", NULL, NULL, NULL, NULL},
  {NULL, "He called for early elections.", "early", NULL, NULL, NULL, NULL},
  {NULL, "They planned a second attack.", "second", NULL, NULL, NULL, NULL},
  {NULL, "open 24/7", "24/7", NULL, NULL, NULL, NULL},
  {NULL, "half (1/2) of it", "1/2", NULL, NULL, NULL, NULL},
  {NULL, "The score was 3:1.", "3:1", NULL, NULL, NULL, NULL},
  {NULL, "After the Fall of Nineveh", "Fall", NULL, NULL, NULL, NULL},
  {NULL, "at the same time", "same time", NULL, NULL, NULL, NULL},
  {NULL, "This time he has the backing.", "This time", NULL, NULL, NULL,
   NULL},
  {NULL, "the first year of the control", "first year", NULL, NULL, NULL,
   NULL},
};

static void run_example(const example *e, int *bad) {
  tr_dates ds;
  tr_dates_init(&ds);
  size_t len = strlen(e->text);
  /* an exact-size copy: the text is not NUL-terminated (as a mapping) */
  char *t = malloc(len ? len : 1);
  assert_non_null(t);
  memcpy(t, e->text, len);
  assert_int_equal(tr_dates_find(t, len, NULL, NULL, e->ref, &ds), 0);
  check_list(&ds, len);
  const char *at = strstr(e->text, e->expr);
  assert_non_null(at);
  uint64_t a = (uint64_t)(at - e->text), b = a + strlen(e->expr);
  const tr_date *x = overlapping(&ds, a, b);
  int ok;
  if (!e->value) {
    ok = x == NULL;
  } else {
    ok = x && strcmp(x->value, e->value) == 0 && same(x->mod, e->mod) &&
         (!e->type || strcmp(tr_date_type_name(x->type), e->type) == 0) &&
         (!e->anchor || strncmp(x->anchor, e->anchor, strlen(e->anchor)) == 0);
  }
  if (!ok) {
    print_error("FAIL ref=%s \"%s\" [%s]: want %s %s %s (%s), got ",
                e->ref ? e->ref : "-", e->text, e->expr, e->type ? e->type : "",
                e->value ? e->value : "nothing", e->mod ? e->mod : "",
                e->anchor ? e->anchor : "");
    if (x)
      print_error("%s %s %s (%s) \"%.*s\"\n", tr_date_type_name(x->type),
                  x->value, x->mod ? x->mod : "", x->anchor,
                  (int)(x->stop - x->start), t + x->start);
    else
      print_error("nothing\n");
    (*bad)++;
  }
  tr_dates_free(&ds);
  free(t);
}

static void test_examples(void **state) {
  (void)state;
  int bad = 0;
  for (size_t i = 0; i < N_ELEMS(examples); i++)
    run_example(&examples[i], &bad);
  assert_int_equal(bad, 0);
}

/* ======================================================================
** Labelled sets
** ==================================================================== */

/* Read a whole file (NUL-terminated). */
static char *slurp(const char *path) {
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
  return s;
}

#define MAXCOLS 8

/* Split the next data line of a TSV (comments and the header skipped by
** the caller) into NUL-terminated fields; returns the field count. */
static int split_tab(char *line, char **f) {
  int n = 0;
  f[n++] = line;
  for (char *p = line; *p && n < MAXCOLS; p++)
    if (*p == '\t') {
      *p = '\0';
      f[n++] = p + 1;
    }
  return n;
}

static const char *nz(const char *s) {
  return s[0] == '\0' || strcmp(s, "-") == 0 ? NULL : s;
}

/* The first occurrence of needle in hay[from..len) at word boundaries. */
static const char *find_word(const char *hay, size_t len, size_t from,
                             const char *needle) {
  size_t n = strlen(needle);
  for (size_t i = from; i + n <= len; i++) {
    if (memcmp(hay + i, needle, n) != 0) continue;
    int before =
        i > 0 && ((hay[i - 1] | 32) >= 'a' && (hay[i - 1] | 32) <= 'z');
    int after =
        i + n < len && ((hay[i + n] | 32) >= 'a' && (hay[i + n] | 32) <= 'z');
    before |= i > 0 && hay[i - 1] >= '0' && hay[i - 1] <= '9';
    after |= i + n < len && hay[i + n] >= '0' && hay[i + n] <= '9';
    if (!before && !after) return hay + i;
  }
  return NULL;
}

static void quiet(void *ud, const tr_diag *d) {
  (void)ud;
  (void)d;
}

/* Every expression of the five articles, against their document dates. */
static void test_corpus(void **state) {
  (void)state;
  tr_corpus *c = tr_corpus_new();
  assert_non_null(c);
  tr_load_opts o = {0, quiet, NULL};
  assert_int_equal(tr_load_path(c, TRAWL_SOURCE_DIR "/corpus", &o, NULL), 0);
  assert_int_equal(tr_corpus_count(c), 5);
  char *tsv = slurp(TRAWL_SOURCE_DIR "/tests/fixtures/dates/corpus_dates.tsv");
  int header = 0, n = 0, ok = 0;
  const tr_doc *cur = NULL;
  tr_analysis a;
  tr_dates ds;
  tr_analysis_init(&a);
  tr_dates_init(&ds);
  size_t cursor = 0;
  char *save = NULL;
  for (char *line = strtok_r(tsv, "\n", &save); line;
       line = strtok_r(NULL, "\n", &save)) {
    if (line[0] == '#') continue;
    if (!header++) continue;
    char *f[MAXCOLS];
    assert_true(split_tab(line, f) >= 5);
    if (!cur || strncmp(cur->id, f[0], strlen(f[0])) != 0) {
      cur = NULL;
      for (size_t i = 0; i < tr_corpus_count(c); i++)
        if (strncmp(tr_corpus_doc(c, i)->id, f[0], strlen(f[0])) == 0)
          cur = tr_corpus_doc(c, i);
      assert_non_null(cur);
      tr_analysis_free(&a);
      tr_analysis_init(&a);
      assert_int_equal(tr_analyze(cur, NULL, &a), 0);
      tr_dates_free(&ds);
      tr_dates_init(&ds);
      assert_int_equal(tr_dates_find(cur->text, cur->len, &a.toks, &a.sents,
                                     cur->date, &ds), 0);
      check_list(&ds, cur->len);
      cursor = 0;
    }
    const char *at = find_word(cur->text, cur->len, cursor, f[1]);
    if (!at)
      print_error("%s: \"%s\" not found after byte %zu\n", cur->id, f[1],
                  cursor);
    assert_non_null(at);
    uint64_t s = (uint64_t)(at - cur->text), e = s + strlen(f[1]);
    cursor = (size_t)e;
    const tr_date *x = overlapping(&ds, s, e);
    int good = x && strcmp(tr_date_type_name(x->type), f[2]) == 0 &&
               strcmp(x->value, f[3]) == 0 && same(x->mod, nz(f[4]));
    n++;
    if (good) ok++;
    else
      print_error("miss %.3s \"%s\": want %s %s %s, got %s %s %s\n", cur->id,
                  f[1], f[2], f[3], f[4], x ? tr_date_type_name(x->type) : "",
                  x ? x->value : "nothing", x && x->mod ? x->mod : "");
  }
  print_message("corpus dates: %d/%d correct\n", ok, n);
  assert_true(n >= 60);
  assert_true(ok * 10 >= n * 9); /* 90% */
  tr_dates_free(&ds);
  tr_analysis_free(&a);
  free(tsv);
  tr_corpus_free(c);
}

/* The general-knowledge set: each row's text with its reference date. */
static void test_general(void **state) {
  (void)state;
  char *tsv = slurp(TRAWL_SOURCE_DIR "/tests/fixtures/dates/general.tsv");
  int header = 0, n = 0, ok = 0;
  char *save = NULL;
  for (char *line = strtok_r(tsv, "\n", &save); line;
       line = strtok_r(NULL, "\n", &save)) {
    if (line[0] == '#') continue;
    if (!header++) continue;
    char *f[MAXCOLS];
    assert_true(split_tab(line, f) >= 6);
    tr_dates ds;
    tr_dates_init(&ds);
    size_t len = strlen(f[1]);
    assert_int_equal(tr_dates_find(f[1], len, NULL, NULL, nz(f[0]), &ds), 0);
    check_list(&ds, len);
    const char *at = strstr(f[1], f[2]);
    assert_non_null(at);
    uint64_t s = (uint64_t)(at - f[1]);
    const tr_date *x = overlapping(&ds, s, s + strlen(f[2]));
    int good = nz(f[4])
                   ? x && strcmp(tr_date_type_name(x->type), f[3]) == 0 &&
                         strcmp(x->value, f[4]) == 0 && same(x->mod, nz(f[5]))
                   : x == NULL;
    n++;
    if (good) ok++;
    else
      print_message("general miss: ref %s \"%s\" [%s]: want %s, got %s\n", f[0],
                    f[1], f[2], f[4], x ? x->value : "nothing");
    tr_dates_free(&ds);
  }
  print_message("general dates: %d/%d correct\n", ok, n);
  assert_true(n >= 60);
  assert_true(ok * 10 >= n * 9);
  free(tsv);
}

/* ======================================================================
** API details
** ==================================================================== */

static void test_names(void **state) {
  (void)state;
  assert_int_equal(tr_month_name("June", 4), 6);
  assert_int_equal(tr_month_name("jun", 3), 6);
  assert_int_equal(tr_month_name("SEPT", 4), 9);
  assert_int_equal(tr_month_name("Mayor", 5), 0);
  assert_int_equal(tr_month_name("Ma", 2), 0);
  assert_int_equal(tr_month_name("Dec.", 4), 0);
  assert_int_equal(tr_weekday_name("Sunday", 6), 7);
  assert_int_equal(tr_weekday_name("mon", 3), 1);
  assert_int_equal(tr_weekday_name("Tues", 4), 0);
  assert_int_equal(tr_weekday_name("June", 4), 0);
  assert_int_equal(tr_days_in_month(2020, 2), 29);
  assert_int_equal(tr_days_in_month(2100, 2), 28);
  assert_int_equal(tr_days_in_month(2000, 2), 29);
  assert_int_equal(tr_days_in_month(2021, 4), 30);
  assert_int_equal(tr_days_in_month(2021, 13), 0);
  assert_string_equal(tr_date_type_name(TR_DT_DATE), "DATE");
  assert_string_equal(tr_date_type_name(TR_DT_SET), "SET");
  assert_string_equal(tr_date_type_name(99), "?");
}

/* Given tokens and computed ones give the same result; a bad reference
** date counts as none; an empty text finds nothing. */
static void test_given_tokens(void **state) {
  (void)state;
  const char *text = "On June 25, troops stormed it. A few days later, on "
                     "the 29th of the same month, they left. In 48 hours.";
  size_t len = strlen(text);
  tr_tokens t;
  tr_spans s;
  tr_tokens_init(&t);
  tr_spans_init(&s);
  assert_int_equal(tr_tokenize(text, len, NULL, &t), 0);
  assert_int_equal(tr_sentences(text, len, &t, &s), 0);
  tr_dates a, b, c;
  tr_dates_init(&a);
  tr_dates_init(&b);
  tr_dates_init(&c);
  assert_int_equal(tr_dates_find(text, len, &t, &s, "2020-07-22", &a), 0);
  assert_int_equal(tr_dates_find(text, len, &t, NULL, "2020-07-22", &b), 0);
  assert_int_equal(tr_dates_find(text, len, NULL, NULL, "2020-13-45", &c), 0);
  assert_int_equal(a.n, 4);
  assert_int_equal(a.n, b.n);
  assert_int_equal(c.n, a.n);
  for (size_t i = 0; i < a.n; i++) {
    assert_string_equal(a.v[i].value, b.v[i].value);
    assert_int_equal(a.v[i].start, b.v[i].start);
  }
  assert_string_equal(a.v[0].value, "2020-06-25");
  assert_string_equal(c.v[0].value, "XXXX-06-25"); /* invalid ref: none */
  assert_string_equal(a.v[2].value, "2020-06-29");
  tr_dates_free(&a);
  tr_dates_free(&b);
  tr_dates_free(&c);
  tr_dates ds;
  tr_dates_init(&ds);
  assert_int_equal(tr_dates_find("", 0, NULL, NULL, NULL, &ds), 0);
  assert_int_equal(ds.n, 0);
  tr_dates_free(&ds);
  tr_spans_free(&s);
  tr_tokens_free(&t);
}

/* Random words drawn from the lexicon and numbers: never a crash, a read
** past the text or an overlap (ASan/UBSan builds check the first two). */
static void test_random(void **state) {
  (void)state;
  static const char *const words[] = {"May",
                                      "may",
                                      "June",
                                      "25",
                                      "2020",
                                      "the",
                                      "of",
                                      "last",
                                      "next",
                                      "early",
                                      "late",
                                      "mid-June",
                                      "Sunday",
                                      ",",
                                      ".",
                                      "in",
                                      "on",
                                      "a",
                                      "few",
                                      "days",
                                      "later",
                                      "ago",
                                      "12/25/20",
                                      "13/45/20",
                                      "29th",
                                      "same",
                                      "month",
                                      "year",
                                      "every",
                                      "Christmas",
                                      "Day",
                                      "New",
                                      "Year",
                                      "'s",
                                      "Eve",
                                      "10:30",
                                      "pm",
                                      "1990s",
                                      "'",
                                      "90s",
                                      "nearly",
                                      "two",
                                      "decades",
                                      "\n",
                                      "\n\n",
                                      "Q3",
                                      "the",
                                      "end",
                                      "this",
                                      "week",
                                      "weekend",
                                      "tonight",
                                      "48-hour",
                                      "1,000",
                                      "more",
                                      "than",
                                      "at",
                                      "least",
                                      "up",
                                      "to",
                                      "Feb",
                                      "29",
                                      "Easter",
                                      "Good",
                                      "Friday",
                                      "fall",
                                      "summer",
                                      "v1.2.3",
                                      "#June25",
                                      "@a2020",
                                      "https://x.org/1/2/2020"};
  unsigned seed = 12345;
  for (int round = 0; round < 300; round++) {
    char buf[2048];
    size_t n = 0;
    int count = 1 + (int)(seed % 60);
    for (int k = 0; k < count; k++) {
      seed = seed * 1103515245u + 12345u;
      const char *w = words[(seed >> 8) % N_ELEMS(words)];
      size_t l = strlen(w);
      if (n + l + 2 >= sizeof buf) break;
      memcpy(buf + n, w, l);
      n += l;
      buf[n++] = ' ';
    }
    char *t = malloc(n ? n : 1);
    assert_non_null(t);
    memcpy(t, buf, n);
    static const char *const refs[] = {NULL, "2020-07-22", "2020", "2020-02",
                                       "2021-01-01"};
    tr_dates ds;
    tr_dates_init(&ds);
    assert_int_equal(tr_dates_find(t, n, NULL, NULL, refs[round % 5], &ds), 0);
    check_list(&ds, n);
    tr_dates_free(&ds);
    free(t);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_examples),
    cmocka_unit_test(test_names),
    cmocka_unit_test(test_given_tokens),
    cmocka_unit_test(test_corpus),
    cmocka_unit_test(test_general),
    cmocka_unit_test(test_random),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

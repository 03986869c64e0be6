/*
** dates.h — temporal expressions: find dates, times, durations and sets
** in a text and normalise them to TIMEX3 values against a reference date
** (the document's date). Pure C, no Lua; the rules are in docs/dates.md.
**
** Values are TIMEX3 strings: "2020-06-25", "2020-06", "2020", "2020-W52",
** "2020-SU", "2020-Q1", "199" (the 1990s), "2020-12-25TNI", "P20Y",
** "PT48H", "PRESENT_REF", and "XXXX-06-25" when the year is unknown. Each
** expression also says how its value was obtained (its anchor) and, where
** one applies, a TIMEX3 modifier ("START", "END", "APPROX", ...).
*/
#ifndef TRAWL_DATES_H
#define TRAWL_DATES_H

#include <stddef.h>
#include <stdint.h>

#include "segment.h"
#include "tokenize.h"

/* TIMEX3 types. Values are stable: they are exposed to Lua by name. */
typedef enum tr_date_type {
  TR_DT_DATE = 1,   /* a calendar date of any precision: 2020-06, 2020 */
  TR_DT_TIME,       /* a date with a time of day: 2020-12-25TNI, ...T10:30 */
  TR_DT_DURATION,   /* an amount of time: P20Y, PT48H */
  TR_DT_SET         /* a recurrence: every Sunday (XXXX-WXX-7), daily (P1D) */
} tr_date_type;

/* One temporal expression. Its text is text[start..stop). */
typedef struct tr_date {
  uint64_t start;     /* byte offset of the first byte */
  uint64_t stop;      /* byte offset one past the last byte */
  int type;           /* tr_date_type */
  char value[32];     /* TIMEX3 value, NUL-terminated */
  char anchor[64];    /* how the value was obtained: "absolute" (from the
                         text alone), "document date", "dateline <v>",
                         "citation date <v>", "previous date <v>", "none" */
  const char *mod;    /* TIMEX3 modifier (a static string) or NULL */
} tr_date;

/* A growable list of expressions, in text order, never overlapping. */
typedef struct tr_dates {
  tr_date *v;         /* the expressions */
  size_t n, cap;      /* used and allocated entries */
} tr_dates;

void tr_dates_init(tr_dates *d);
void tr_dates_free(tr_dates *d);

/* Find the temporal expressions of text[0..len) and append them to out.
** toks and sents are the text's tokens and sentences (from tr_tokenize and
** tr_sentences); when toks is NULL the text is tokenized here, and when
** sents is NULL sentences are computed here. ref is the reference date as
** ISO 8601 ("YYYY-MM-DD", "YYYY-MM" or "YYYY"), usually the document's
** date; NULL (or an invalid string) when unknown: then a dateline in the
** first lines of the text is used if there is one, else no year is ever
** invented ("XXXX-06-25"). Returns 0, or -1 when memory runs out. */
int tr_dates_find(const char *text, size_t len, const tr_tokens *toks,
                  const tr_spans *sents, const char *ref, tr_dates *out);

/* "DATE", "TIME", "DURATION", "SET", or "?" for another value. */
const char *tr_date_type_name(int type);

/* --- Calendar helpers, shared with docmeta.c ------------------------- */

/* Month of an English month name: full ("june"), three letters ("jun") or
** "sept", in any case, exactly n bytes (no period). 1..12, or 0. */
int tr_month_name(const char *s, size_t n);

/* Weekday of an English day name, full or three letters, any case, exactly
** n bytes: 1 (Monday) .. 7 (Sunday), ISO order. 0 when not a day name. */
int tr_weekday_name(const char *s, size_t n);

/* Days in month m (1..12) of year y (Gregorian; leap years counted). */
int tr_days_in_month(int y, int m);

#endif

/*
** docmeta.c — metadata read from a text itself: the publication date in
** its first lines (tr_header_date), its title (tr_text_title), and the
** check of ISO dates given as metadata (tr_date_valid).
**
** Dates are only taken when complete and real: "May 7" (no year) and
** "Feb 30, 2020" are not dates. A wrong date is worse than none.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"
#include "load.h"

enum {
  HEADER_LINES = 5,      /* non-empty lines searched for a date */
  HEADER_LINE_MAX = 200, /* longer lines are body text, not a dateline */
  TITLE_MAX = 200        /* bytes of a title */
};

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_alpha(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

static int valid_ymd(int y, int m, int d) {
  return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
         d <= tr_days_in_month(y, m);
}

/* Value of n digits at s, or -1 when they are not all digits. */
static int digits(const char *s, size_t n) {
  int v = 0;
  for (size_t i = 0; i < n; i++) {
    if (!is_digit((unsigned char)s[i]))
      return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

int tr_date_valid(const char *s) {
  size_t n = s ? strlen(s) : 0;
  int y, m;
  if (n != 4 && n != 7 && n != 10)
    return 0;
  if ((y = digits(s, 4)) < 1)
    return 0;
  if (n == 4)
    return 1;
  if (s[4] != '-' || (m = digits(s + 5, 2)) < 1 || m > 12)
    return 0;
  if (n == 7)
    return 1;
  return s[7] == '-' && valid_ymd(y, m, digits(s + 8, 2));
}

/* Case-insensitive match of word w at s (n bytes), not followed by a
** letter: "May" matches in "May 7" but not in "Mayor". */
static size_t word_at(const char *s, size_t n, const char *w) {
  size_t k = strlen(w);
  if (k > n)
    return 0;
  for (size_t i = 0; i < k; i++)
    if (lower((unsigned char)s[i]) != w[i])
      return 0;
  return k < n && is_alpha((unsigned char)s[k]) ? 0 : k;
}

/* Letters at s (up to n): the length of the word there. */
static size_t alpha_run(const char *s, size_t n) {
  size_t k = 0;
  while (k < n && is_alpha((unsigned char)s[k]))
    k++;
  return k;
}

/* Month name (full, three-letter, or "sept", each optionally followed by
** a period; the names are dates.c's) at s: the month 1..12 and its length
** in *len, or 0. */
static int month_at(const char *s, size_t n, size_t *len) {
  size_t k = alpha_run(s, n);
  int m = tr_month_name(s, k);
  if (!m)
    return 0;
  if (k < n && s[k] == '.')
    k++;
  *len = k;
  return m;
}

static size_t skip_blanks(const char *s, size_t n, size_t i) {
  while (i < n && (s[i] == ' ' || s[i] == '\t'))
    i++;
  return i;
}

/* A day of month: 1 or 2 digits, not part of a longer number, with an
** optional ordinal suffix ("25th"). Returns the day and advances *i. */
static int day_at(const char *s, size_t n, size_t *i) {
  size_t j = *i, k = 0;
  int d = 0;
  while (j + k < n && is_digit((unsigned char)s[j + k]) && k < 3)
    d = d * 10 + (s[j + k] - '0'), k++;
  if (k == 0 || k > 2)
    return 0;
  j += k;
  if (j + 2 <= n &&
      (word_at(s + j, n - j, "st") || word_at(s + j, n - j, "nd") ||
       word_at(s + j, n - j, "rd") || word_at(s + j, n - j, "th")))
    j += 2;
  if (j < n && is_alpha((unsigned char)s[j]))
    return 0;
  *i = j;
  return d;
}

/* A four-digit year not followed by a letter or digit ("2020s" is not a
** year). Returns it and advances *i, or 0. */
static int year_at(const char *s, size_t n, size_t *i) {
  int y;
  if (*i + 4 > n || (y = digits(s + *i, 4)) < 1)
    return 0;
  if (*i + 4 < n && (is_digit((unsigned char)s[*i + 4]) ||
                     is_alpha((unsigned char)s[*i + 4])))
    return 0;
  *i += 4;
  return y;
}

/* Look for one date in a line. Accepted forms: "July 22, 2020" (also
** "Jul. 22 2020", "July 22nd, 2020"), "25 June 2020" (also "25 June,
** 2020"), "2020-06-25". On success fills y, m, d and the span [*ms, *me)
** of the date in s. */
static int find_date(const char *s, size_t n, int *y, int *m, int *d,
                     size_t *ms, size_t *me) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    unsigned char prev = i ? (unsigned char)s[i - 1] : ' ';
    size_t j, k;
    if (is_digit(prev) || is_alpha(prev))
      continue; /* dates start at a word boundary */
    if (is_digit(c)) {
      /* ISO: 2020-06-25 */
      if (i + 10 <= n && s[i + 4] == '-' && s[i + 7] == '-' &&
          (i + 10 == n || !is_digit((unsigned char)s[i + 10]))) {
        int yy = digits(s + i, 4), mm = digits(s + i + 5, 2),
            dd = digits(s + i + 8, 2);
        if (yy > 0 && mm > 0 && dd > 0 && valid_ymd(yy, mm, dd)) {
          *y = yy, *m = mm, *d = dd, *ms = i, *me = i + 10;
          return 1;
        }
      }
      /* Day first: 25 June 2020 */
      j = i;
      if ((*d = day_at(s, n, &j))) {
        size_t b = skip_blanks(s, n, j);
        if (b > j && (*m = month_at(s + b, n - b, &k))) {
          j = b + k;
          if (j < n && s[j] == ',')
            j++;
          b = skip_blanks(s, n, j);
          /* the year is set apart by a space or comma: not "June2020" */
          if ((b > j || s[j - 1] == ',') && (*y = year_at(s, n, &b)) &&
              valid_ymd(*y, *m, *d)) {
            *ms = i, *me = b;
            return 1;
          }
        }
      }
    } else if (is_alpha(c) && (*m = month_at(s + i, n - i, &k))) {
      /* Month first: July 22, 2020 */
      size_t b;
      j = i + k;
      b = skip_blanks(s, n, j);
      if (b == j) /* "July22" is not a date */
        continue;
      j = b;
      if (!(*d = day_at(s, n, &j)))
        continue;
      if (j < n && s[j] == ',')
        j++;
      b = skip_blanks(s, n, j);
      if (b == j && s[j - 1] != ',')
        continue; /* the year is set apart by a space or comma */
      j = b;
      if ((*y = year_at(s, n, &j)) && valid_ymd(*y, *m, *d)) {
        *ms = i, *me = j;
        return 1;
      }
    }
  }
  return 0;
}

/* Trim white space (Unicode spaces too) from both ends of [*s, *s+*n). */
static void trim(const char **s, size_t *n) {
  size_t k;
  while (*n && (k = tr_space_len(*s, *n)))
    *s += k, *n -= k;
  for (;;) {
    for (k = 1; k <= 3 && k <= *n; k++)
      if (tr_space_len(*s + *n - k, k) == k)
        break;
    if (k > 3 || k > *n)
      break;
    *n -= k;
  }
}

/* Is [s, s+n) made only of weekday names, punctuation and spaces? */
static int only_filler(const char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    size_t k = tr_space_len(s + i, n - i);
    if (k) {
      i += k;
      continue;
    }
    if (strchr(",.;:-|/()[]", s[i]) && s[i]) {
      i++;
      continue;
    }
    k = alpha_run(s + i, n - i); /* a day name, full or three letters */
    if (!k || !tr_weekday_name(s + i, k))
      return 0;
    i += k;
  }
  return 1;
}

/* Is the (trimmed) line only a date, like "Sunday, December 27, 2020"? */
static int only_date(const char *s, size_t n) {
  int y, m, d;
  size_t ms, me;
  if (!find_date(s, n, &y, &m, &d, &ms, &me))
    return 0;
  return only_filler(s, ms) && only_filler(s + me, n - me);
}

long tr_header_date(const char *text, size_t len, char out[11]) {
  size_t pos = 0;
  int seen = 0;
  while (pos < len && seen < HEADER_LINES) {
    const char *ls = text + pos, *nl = memchr(ls, '\n', len - pos);
    size_t ll = nl ? (size_t)(nl - ls) : len - pos;
    const char *t = ls;
    size_t tn = ll;
    size_t ms, me;
    int y, m, d;
    trim(&t, &tn);
    if (tn) {
      seen++;
      if (tn <= HEADER_LINE_MAX && find_date(t, tn, &y, &m, &d, &ms, &me)) {
        snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
        return (long)pos;
      }
    }
    pos += ll + 1;
  }
  out[0] = '\0';
  return -1;
}

char *tr_text_title(const char *text, size_t len) {
  size_t pos = 0;
  const char *t = "";
  size_t tn = 0;
  char *r;
  while (pos < len) {
    const char *ls = text + pos, *nl = memchr(ls, '\n', len - pos);
    size_t ll = nl ? (size_t)(nl - ls) : len - pos;
    t = ls, tn = ll;
    trim(&t, &tn);
    if (tn && !only_date(t, tn))
      break;
    tn = 0;
    pos += ll + 1;
  }
  if (tn > TITLE_MAX) {
    tn = TITLE_MAX;
    /* never cut inside a UTF-8 sequence */
    while (tn && ((unsigned char)t[tn] & 0xC0) == 0x80)
      tn--;
    trim(&t, &tn);
  }
  r = malloc(tn + 1);
  if (!r)
    return NULL;
  memcpy(r, t, tn);
  r[tn] = '\0';
  return r;
}

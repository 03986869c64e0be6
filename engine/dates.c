/*
** dates.c — temporal expressions found on a document's tokens and
** normalised to TIMEX3 values (rules and examples: docs/dates.md).
**
** One left-to-right pass over the tokens. At each token a small lexicon
** (month and day names, units, "last", "early", "ago", holidays...) says
** which recogniser may start there; the recogniser reads the few tokens it
** needs and resolves the value at once, because resolution depends only on
** what came before: the reference date (the document's date, or the date
** that ends a citation line), the tense of the sentence, and the last date
** the text stated explicitly (for "the 29th of the same month", "a few
** days later"). Working on tokens gives word boundaries for free ("May" in
** "Mayor" is never looked at) and keeps digits inside URLs, handles and
** hashtags out of reach: they are tokens of their own kinds.
**
** The cost is one hash lookup per word token plus work proportional to the
** expressions found, so extraction runs far faster than tokenization.
*/
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"
#include "load.h"

/* ------------------------------------------------------------------ */
/* Calendar                                                            */
/* ------------------------------------------------------------------ */

static int is_leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int tr_days_in_month(int y, int m) {
  static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12) return 0;
  return m == 2 && is_leap(y) ? 29 : d[m - 1];
}

static int valid_ymd(int y, int m, int d) {
  return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
         d <= tr_days_in_month(y, m);
}

/* Days since 1970-01-01 of a Gregorian date (H. Hinnant's algorithm). */
static long dnum(int y, int m, int d) {
  y -= m <= 2;
  long era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned)(y - era * 400);
  unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (long)doe - 719468;
}

static void dciv(long z, int *y, int *m, int *d) {
  z += 719468;
  long era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = (unsigned)(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)((long)yoe + era * 400 + (*m <= 2));
}

/* ISO weekday, 1 (Monday) .. 7 (Sunday); 1970-01-01 was a Thursday. */
static int wday(long z) { return (int)(((z % 7) + 7 + 3) % 7) + 1; }

static void iso_week(long z, int *wy, int *wk) {
  long th = z - wday(z) + 4; /* the Thursday of z's week names the year */
  int y, m, d;
  dciv(th, &y, &m, &d);
  *wy = y;
  *wk = (int)((th - dnum(y, 1, 1)) / 7) + 1;
}

/* Easter Sunday (anonymous Gregorian algorithm). */
static long easter(int y) {
  int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
  int f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
  int i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
  int q = (a + 11 * h + 22 * l) / 451;
  int mo = (h + l - 7 * q + 114) / 31, da = (h + l - 7 * q + 114) % 31 + 1;
  return dnum(y, mo, da);
}

/* The n-th weekday wd of month m (n = -1: the last one). */
static long nth_wday(int y, int m, int wd, int n) {
  if (n < 0) {
    long z = dnum(y, m, tr_days_in_month(y, m));
    return z - (wday(z) - wd + 7) % 7;
  }
  long z = dnum(y, m, 1);
  return z + (wd - wday(z) + 7) % 7 + 7L * (n - 1);
}

/* ------------------------------------------------------------------ */
/* Lexicon                                                             */
/* ------------------------------------------------------------------ */

/* Word categories. A word has one entry; words with two roles ("second",
** "after", "may") are told apart by the recognisers from the entry's
** value and the surrounding tokens. */
enum {
  C_NONE = 0,
  C_MONTH,    /* val 1..12 */
  C_WDAY,     /* val 1..7 */
  C_UNIT,     /* val U_* */
  C_PARTDAY,  /* val TOD_* */
  C_SEASON,   /* val 1..4: SP SU FA WI */
  C_NUMW,     /* val: the number */
  C_FUZZY,    /* few, several, many, dozens, hundreds, couple */
  C_A,        /* a, an */
  C_THE,
  C_DEIC,     /* val D_* */
  C_REL,      /* val R_* */
  C_EDGE,     /* val E_* */
  C_APPROX,   /* val A_* */
  C_PREP,     /* val P_* */
  C_LATER,    /* val L_* */
  C_HOLI,     /* val H_* */
  C_SET,      /* val S_* */
  C_ORDW,     /* first..fourth: val 1..4 */
  C_MISC,     /* val W_* */
  C_TENSE     /* val +1 future cue, -1 past cue */
};

enum { U_SEC = 1, U_MIN, U_HOUR, U_DAY, U_WEEKEND, U_WEEK, U_FORTNIGHT,
       U_MONTH, U_YEAR, U_DECADE, U_CENTURY };
enum { TOD_MO = 1, TOD_AF, TOD_EV, TOD_NI, TOD_NOON, TOD_MIDNIGHT,
       TOD_CLOCK };
enum { D_TODAY = 1, D_TONIGHT, D_YESTERDAY, D_TOMORROW, D_NOW, D_CURRENTLY,
       D_NOWADAYS, D_RECENTLY, D_LATELY, D_SOON, D_PRESENT };
enum { R_LAST = 1, R_NEXT, R_THIS, R_PAST, R_COMING, R_PREVIOUS,
       R_FOLLOWING, R_RECENT, R_THAT, R_SAME, R_UPCOMING };
enum { E_EARLY = 1, E_LATE, E_MID, E_MIDDLE, E_BEGINNING, E_START, E_END };
enum { A_ABOUT = 1, A_AROUND, A_NEARLY, A_ALMOST, A_ROUGHLY, A_APPROX,
       A_SOME, A_OVER, A_UNDER, A_MORE, A_LESS, A_FEWER, A_CIRCA };
enum { P_IN = 1, P_ON, P_SINCE, P_UNTIL, P_BY, P_FROM, P_TO, P_THROUGH,
       P_DURING, P_BEFORE, P_AFTER, P_OF, P_AT, P_BETWEEN, P_AND, P_OR,
       P_FOR, P_WITHIN };
enum { L_LATER = 1, L_EARLIER, L_AGO };
enum { H_CHRISTMAS = 1, H_NEW, H_VALENTINE, H_HALLOWEEN, H_THANKSGIVING,
       H_EASTER, H_GOOD, H_LABOR, H_MEMORIAL, H_INDEPENDENCE, H_MOTHER,
       H_FATHER, H_BOXING, H_BASTILLE, H_VETERANS,
       /* computed names, not words */
       H_XMAS_EVE, H_NEWYEAR_EVE, H_EASTER_MONDAY, H_MAYDAY };
enum { S_EVERY = 1, S_EACH, S_DAILY, S_WEEKLY, S_MONTHLY, S_YEARLY,
       S_ONCE, S_TWICE };
enum { W_FUTURE = 1, W_NEAR, W_MOMENT, W_QUARTER, W_HALF, W_EVE, W_AM, W_PM,
       W_VERSION, W_YEAR_S, W_Q1, W_Q2, W_Q3, W_Q4, W_LEAST, W_MOST, W_THAN,
       W_UP, W_TIME, W_OTHER, W_NIGHT_OF };

enum { F_ABBR = 1, F_PLURAL = 2, F_ORD2 = 4 };

typedef struct lexent {
  const char *w;      /* the normalised word (lower case, no final period) */
  uint8_t cat;        /* C_* */
  int8_t val;         /* meaning within the category */
  uint8_t flags;      /* F_* */
} lexent;

static const lexent lexicon[] = {
  /* months */
  {"january", C_MONTH, 1, 0}, {"february", C_MONTH, 2, 0},
  {"march", C_MONTH, 3, 0}, {"april", C_MONTH, 4, 0}, {"may", C_MONTH, 5, 0},
  {"june", C_MONTH, 6, 0}, {"july", C_MONTH, 7, 0}, {"august", C_MONTH, 8, 0},
  {"september", C_MONTH, 9, 0}, {"october", C_MONTH, 10, 0},
  {"november", C_MONTH, 11, 0}, {"december", C_MONTH, 12, 0},
  {"jan", C_MONTH, 1, F_ABBR}, {"feb", C_MONTH, 2, F_ABBR},
  {"mar", C_MONTH, 3, F_ABBR}, {"apr", C_MONTH, 4, F_ABBR},
  {"jun", C_MONTH, 6, F_ABBR}, {"jul", C_MONTH, 7, F_ABBR},
  {"aug", C_MONTH, 8, F_ABBR}, {"sep", C_MONTH, 9, F_ABBR},
  {"sept", C_MONTH, 9, F_ABBR}, {"oct", C_MONTH, 10, F_ABBR},
  {"nov", C_MONTH, 11, F_ABBR}, {"dec", C_MONTH, 12, F_ABBR},
  /* days */
  {"monday", C_WDAY, 1, 0}, {"tuesday", C_WDAY, 2, 0},
  {"wednesday", C_WDAY, 3, 0}, {"thursday", C_WDAY, 4, 0},
  {"friday", C_WDAY, 5, 0}, {"saturday", C_WDAY, 6, 0},
  {"sunday", C_WDAY, 7, 0},
  {"mon", C_WDAY, 1, F_ABBR}, {"tue", C_WDAY, 2, F_ABBR},
  {"tues", C_WDAY, 2, F_ABBR}, {"wed", C_WDAY, 3, F_ABBR},
  {"thu", C_WDAY, 4, F_ABBR}, {"thur", C_WDAY, 4, F_ABBR},
  {"thurs", C_WDAY, 4, F_ABBR}, {"fri", C_WDAY, 5, F_ABBR},
  {"sat", C_WDAY, 6, F_ABBR}, {"sun", C_WDAY, 7, F_ABBR},
  /* units */
  {"second", C_UNIT, U_SEC, F_ORD2}, {"seconds", C_UNIT, U_SEC, F_PLURAL},
  {"minute", C_UNIT, U_MIN, 0}, {"minutes", C_UNIT, U_MIN, F_PLURAL},
  {"hour", C_UNIT, U_HOUR, 0}, {"hours", C_UNIT, U_HOUR, F_PLURAL},
  {"day", C_UNIT, U_DAY, 0}, {"days", C_UNIT, U_DAY, F_PLURAL},
  {"weekend", C_UNIT, U_WEEKEND, 0},
  {"weekends", C_UNIT, U_WEEKEND, F_PLURAL},
  {"week", C_UNIT, U_WEEK, 0}, {"weeks", C_UNIT, U_WEEK, F_PLURAL},
  {"fortnight", C_UNIT, U_FORTNIGHT, 0},
  {"fortnights", C_UNIT, U_FORTNIGHT, F_PLURAL},
  {"month", C_UNIT, U_MONTH, 0}, {"months", C_UNIT, U_MONTH, F_PLURAL},
  {"year", C_UNIT, U_YEAR, 0}, {"years", C_UNIT, U_YEAR, F_PLURAL},
  {"decade", C_UNIT, U_DECADE, 0}, {"decades", C_UNIT, U_DECADE, F_PLURAL},
  {"century", C_UNIT, U_CENTURY, 0},
  {"centuries", C_UNIT, U_CENTURY, F_PLURAL},
  /* parts of the day */
  {"morning", C_PARTDAY, TOD_MO, 0}, {"afternoon", C_PARTDAY, TOD_AF, 0},
  {"evening", C_PARTDAY, TOD_EV, 0}, {"night", C_PARTDAY, TOD_NI, 0},
  {"noon", C_PARTDAY, TOD_NOON, 0}, {"midnight", C_PARTDAY, TOD_MIDNIGHT, 0},
  /* seasons */
  {"spring", C_SEASON, 1, 0}, {"summer", C_SEASON, 2, 0},
  {"autumn", C_SEASON, 3, 0}, {"fall", C_SEASON, 3, 0},
  {"winter", C_SEASON, 4, 0},
  /* numbers */
  {"one", C_NUMW, 1, 0}, {"two", C_NUMW, 2, 0}, {"three", C_NUMW, 3, 0},
  {"four", C_NUMW, 4, 0}, {"five", C_NUMW, 5, 0}, {"six", C_NUMW, 6, 0},
  {"seven", C_NUMW, 7, 0}, {"eight", C_NUMW, 8, 0}, {"nine", C_NUMW, 9, 0},
  {"ten", C_NUMW, 10, 0}, {"eleven", C_NUMW, 11, 0},
  {"twelve", C_NUMW, 12, 0}, {"thirteen", C_NUMW, 13, 0},
  {"fourteen", C_NUMW, 14, 0}, {"fifteen", C_NUMW, 15, 0},
  {"sixteen", C_NUMW, 16, 0}, {"seventeen", C_NUMW, 17, 0},
  {"eighteen", C_NUMW, 18, 0}, {"nineteen", C_NUMW, 19, 0},
  {"twenty", C_NUMW, 20, 0}, {"thirty", C_NUMW, 30, 0},
  {"forty", C_NUMW, 40, 0}, {"fifty", C_NUMW, 50, 0},
  {"sixty", C_NUMW, 60, 0}, {"seventy", C_NUMW, 70, 0},
  {"eighty", C_NUMW, 80, 0}, {"ninety", C_NUMW, 90, 0},
  {"hundred", C_NUMW, 100, 0}, {"dozen", C_NUMW, 12, 0},
  {"few", C_FUZZY, 1, 0}, {"several", C_FUZZY, 2, 0},
  {"many", C_FUZZY, 3, 0}, {"dozens", C_FUZZY, 4, 0},
  {"hundreds", C_FUZZY, 5, 0}, {"couple", C_FUZZY, 6, 0},
  {"a", C_A, 1, 0}, {"an", C_A, 1, 0}, {"the", C_THE, 0, 0},
  {"first", C_ORDW, 1, 0}, {"third", C_ORDW, 3, 0},
  {"fourth", C_ORDW, 4, 0},
  /* deictic words */
  {"today", C_DEIC, D_TODAY, 0}, {"tonight", C_DEIC, D_TONIGHT, 0},
  {"yesterday", C_DEIC, D_YESTERDAY, 0}, {"tomorrow", C_DEIC, D_TOMORROW, 0},
  {"now", C_DEIC, D_NOW, 0}, {"currently", C_DEIC, D_CURRENTLY, 0},
  {"nowadays", C_DEIC, D_NOWADAYS, 0}, {"recently", C_DEIC, D_RECENTLY, 0},
  {"lately", C_DEIC, D_LATELY, 0}, {"soon", C_DEIC, D_SOON, 0},
  {"present", C_DEIC, D_PRESENT, 0},
  {"last", C_REL, R_LAST, 0}, {"next", C_REL, R_NEXT, 0},
  {"this", C_REL, R_THIS, 0}, {"past", C_REL, R_PAST, 0},
  {"coming", C_REL, R_COMING, 0}, {"previous", C_REL, R_PREVIOUS, 0},
  {"following", C_REL, R_FOLLOWING, 0}, {"recent", C_REL, R_RECENT, 0},
  {"that", C_REL, R_THAT, 0}, {"same", C_REL, R_SAME, 0},
  {"upcoming", C_REL, R_UPCOMING, 0},
  {"early", C_EDGE, E_EARLY, 0}, {"late", C_EDGE, E_LATE, 0},
  {"mid", C_EDGE, E_MID, 0}, {"middle", C_EDGE, E_MIDDLE, 0},
  {"beginning", C_EDGE, E_BEGINNING, 0}, {"start", C_EDGE, E_START, 0},
  {"end", C_EDGE, E_END, 0},
  {"about", C_APPROX, A_ABOUT, 0}, {"around", C_APPROX, A_AROUND, 0},
  {"nearly", C_APPROX, A_NEARLY, 0}, {"almost", C_APPROX, A_ALMOST, 0},
  {"roughly", C_APPROX, A_ROUGHLY, 0},
  {"approximately", C_APPROX, A_APPROX, 0}, {"some", C_APPROX, A_SOME, 0},
  {"over", C_APPROX, A_OVER, 0}, {"under", C_APPROX, A_UNDER, 0},
  {"more", C_APPROX, A_MORE, 0}, {"less", C_APPROX, A_LESS, 0},
  {"fewer", C_APPROX, A_FEWER, 0}, {"circa", C_APPROX, A_CIRCA, 0},
  {"in", C_PREP, P_IN, 0}, {"on", C_PREP, P_ON, 0},
  {"since", C_PREP, P_SINCE, 0}, {"until", C_PREP, P_UNTIL, 0},
  {"till", C_PREP, P_UNTIL, 0}, {"by", C_PREP, P_BY, 0},
  {"from", C_PREP, P_FROM, 0}, {"to", C_PREP, P_TO, 0},
  {"through", C_PREP, P_THROUGH, 0}, {"during", C_PREP, P_DURING, 0},
  {"before", C_PREP, P_BEFORE, 0}, {"after", C_PREP, P_AFTER, 0},
  {"of", C_PREP, P_OF, 0}, {"at", C_PREP, P_AT, 0},
  {"between", C_PREP, P_BETWEEN, 0}, {"and", C_PREP, P_AND, 0},
  {"or", C_PREP, P_OR, 0}, {"for", C_PREP, P_FOR, 0},
  {"within", C_PREP, P_WITHIN, 0},
  {"later", C_LATER, L_LATER, 0}, {"earlier", C_LATER, L_EARLIER, 0},
  {"ago", C_LATER, L_AGO, 0},
  /* holidays (first words) */
  {"christmas", C_HOLI, H_CHRISTMAS, 0}, {"new", C_HOLI, H_NEW, 0},
  {"valentine", C_HOLI, H_VALENTINE, 0},
  {"halloween", C_HOLI, H_HALLOWEEN, 0},
  {"thanksgiving", C_HOLI, H_THANKSGIVING, 0},
  {"easter", C_HOLI, H_EASTER, 0}, {"good", C_HOLI, H_GOOD, 0},
  {"labor", C_HOLI, H_LABOR, 0}, {"labour", C_HOLI, H_LABOR, 0},
  {"memorial", C_HOLI, H_MEMORIAL, 0},
  {"independence", C_HOLI, H_INDEPENDENCE, 0},
  {"mother", C_HOLI, H_MOTHER, 0}, {"father", C_HOLI, H_FATHER, 0},
  {"boxing", C_HOLI, H_BOXING, 0}, {"bastille", C_HOLI, H_BASTILLE, 0},
  {"veterans", C_HOLI, H_VETERANS, 0},
  /* sets */
  {"every", C_SET, S_EVERY, 0}, {"each", C_SET, S_EACH, 0},
  {"daily", C_SET, S_DAILY, 0}, {"weekly", C_SET, S_WEEKLY, 0},
  {"monthly", C_SET, S_MONTHLY, 0}, {"yearly", C_SET, S_YEARLY, 0},
  {"annually", C_SET, S_YEARLY, 0}, {"once", C_SET, S_ONCE, 0},
  {"twice", C_SET, S_TWICE, 0},
  /* other words the recognisers look for */
  {"future", C_MISC, W_FUTURE, 0}, {"near", C_MISC, W_NEAR, 0},
  {"moment", C_MISC, W_MOMENT, 0}, {"quarter", C_MISC, W_QUARTER, 0},
  {"half", C_MISC, W_HALF, 0}, {"eve", C_MISC, W_EVE, 0},
  {"am", C_MISC, W_AM, 0}, {"a.m", C_MISC, W_AM, 0},
  {"pm", C_MISC, W_PM, 0}, {"p.m", C_MISC, W_PM, 0},
  {"v", C_MISC, W_VERSION, 0}, {"version", C_MISC, W_VERSION, 0},
  {"release", C_MISC, W_VERSION, 0}, {"'s", C_MISC, W_YEAR_S, 0},
  {"q1", C_MISC, W_Q1, 0}, {"q2", C_MISC, W_Q2, 0},
  {"q3", C_MISC, W_Q3, 0}, {"q4", C_MISC, W_Q4, 0},
  {"least", C_MISC, W_LEAST, 0}, {"most", C_MISC, W_MOST, 0},
  {"than", C_MISC, W_THAN, 0}, {"up", C_MISC, W_UP, 0},
  {"time", C_MISC, W_TIME, 0}, {"other", C_MISC, W_OTHER, 0},
  /* tense cues: future (+1) and past (-1) */
  {"will", C_TENSE, 1, 0}, {"shall", C_TENSE, 1, 0},
  {"won't", C_TENSE, 1, 0}, {"plan", C_TENSE, 1, 0},
  {"plans", C_TENSE, 1, 0}, {"planned", C_TENSE, 1, 0},
  {"planning", C_TENSE, 1, 0}, {"scheduled", C_TENSE, 1, 0},
  {"schedule", C_TENSE, 1, 0}, {"expected", C_TENSE, 1, 0},
  {"expect", C_TENSE, 1, 0}, {"expects", C_TENSE, 1, 0},
  {"forthcoming", C_TENSE, 1, 0}, {"intends", C_TENSE, 1, 0},
  {"intend", C_TENSE, 1, 0},
  {"was", C_TENSE, -1, 0}, {"were", C_TENSE, -1, 0},
  {"had", C_TENSE, -1, 0}, {"did", C_TENSE, -1, 0},
  {"been", C_TENSE, -1, 0}, {"said", C_TENSE, -1, 0},
  {"told", C_TENSE, -1, 0}, {"took", C_TENSE, -1, 0},
  {"came", C_TENSE, -1, 0}, {"went", C_TENSE, -1, 0},
  {"began", C_TENSE, -1, 0}, {"made", C_TENSE, -1, 0},
  {"met", C_TENSE, -1, 0}, {"saw", C_TENSE, -1, 0},
  {"got", C_TENSE, -1, 0}, {"gave", C_TENSE, -1, 0},
  {"held", C_TENSE, -1, 0}, {"fell", C_TENSE, -1, 0},
  {"led", C_TENSE, -1, 0}, {"left", C_TENSE, -1, 0},
  {"won", C_TENSE, -1, 0}, {"lost", C_TENSE, -1, 0},
  {"spoke", C_TENSE, -1, 0}, {"wrote", C_TENSE, -1, 0},
  {"sent", C_TENSE, -1, 0}, {"broke", C_TENSE, -1, 0},
  {"fled", C_TENSE, -1, 0}, {"fought", C_TENSE, -1, 0},
  {"struck", C_TENSE, -1, 0}, {"became", C_TENSE, -1, 0},
  {"brought", C_TENSE, -1, 0}, {"kept", C_TENSE, -1, 0},
  {"paid", C_TENSE, -1, 0}, {"ran", C_TENSE, -1, 0},
  {"shot", C_TENSE, -1, 0}, {"stood", C_TENSE, -1, 0},
  {"thought", C_TENSE, -1, 0}, {"knew", C_TENSE, -1, 0},
  {"found", C_TENSE, -1, 0}, {"felt", C_TENSE, -1, 0},
  {"rose", C_TENSE, -1, 0}, {"drove", C_TENSE, -1, 0},
  /* words in -ed that are no past tense (value 0: not a cue) */
  {"need", C_TENSE, 0, 0}, {"indeed", C_TENSE, 0, 0},
  {"proceed", C_TENSE, 0, 0}, {"succeed", C_TENSE, 0, 0},
  {"exceed", C_TENSE, 0, 0}, {"speed", C_TENSE, 0, 0},
  {"sacred", C_TENSE, 0, 0}, {"naked", C_TENSE, 0, 0},
  {"wicked", C_TENSE, 0, 0}, {"kindred", C_TENSE, 0, 0},
  {"embed", C_TENSE, 0, 0}, {"shed", C_TENSE, 0, 0},
};
#define NLEX (sizeof lexicon / sizeof *lexicon)

/* Open-addressing table from word to lexicon index + 1, built once, with
** each slot's hash so that most misses cost no byte comparison. */
#define LEX_SLOTS 1024
static uint16_t lex_slot[LEX_SLOTS];
static uint32_t lex_slot_hash[LEX_SLOTS];
static uint8_t lex_len[NLEX];       /* strlen of each entry's word */
static pthread_once_t lex_once = PTHREAD_ONCE_INIT;

static uint32_t lex_hash(const char *s, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

static void lex_build(void) {
  for (size_t i = 0; i < NLEX; i++) {
    lex_len[i] = (uint8_t)strlen(lexicon[i].w);
    uint32_t full = lex_hash(lexicon[i].w, lex_len[i]);
    uint32_t h = full & (LEX_SLOTS - 1);
    while (lex_slot[h]) h = (h + 1) & (LEX_SLOTS - 1);
    lex_slot[h] = (uint16_t)(i + 1);
    lex_slot_hash[h] = full;
  }
}

/* The entry of the normalised word s[0..n), or -1. A final period is
** ignored ("Dec." is "dec"). */
static int lex_find(const char *s, size_t n) {
  if (n && s[n - 1] == '.') n--;
  if (n == 0 || n > 15) return -1;
  uint32_t full = lex_hash(s, n), h = full & (LEX_SLOTS - 1);
  for (;;) {
    unsigned k = lex_slot[h];
    if (!k) return -1;
    if (lex_slot_hash[h] == full && lex_len[k - 1] == n &&
        memcmp(lexicon[k - 1].w, s, n) == 0)
      return (int)k - 1;
    h = (h + 1) & (LEX_SLOTS - 1);
  }
}

static int ascii_lower(int ch) { return ch >= 'A' && ch <= 'Z' ? ch + 32 : ch; }

/* Look up an ASCII word in any case (for the helpers shared with docmeta). */
static int lex_find_ci(const char *s, size_t n) {
  char buf[16];
  if (n == 0 || n > 15) return -1;
  for (size_t i = 0; i < n; i++)
    buf[i] = (char)ascii_lower((unsigned char)s[i]);
  pthread_once(&lex_once, lex_build);
  return lex_find(buf, n);
}

int tr_month_name(const char *s, size_t n) {
  int k = lex_find_ci(s, n);
  if (k < 0 || lexicon[k].cat != C_MONTH || (n > 0 && s[n - 1] == '.'))
    return 0;
  return lexicon[k].val;
}

int tr_weekday_name(const char *s, size_t n) {
  int k = lex_find_ci(s, n);
  /* full names and three-letter forms only ("Tues" is not accepted here) */
  if (k < 0 || lexicon[k].cat != C_WDAY || (n > 0 && s[n - 1] == '.') ||
      ((lexicon[k].flags & F_ABBR) && n != 3))
    return 0;
  return lexicon[k].val;
}

/* ------------------------------------------------------------------ */
/* Values                                                              */
/* ------------------------------------------------------------------ */

/* Precision of a date value, coarse to fine. */
enum { P_NONE = 0, P_CENT, P_DEC, P_YEAR, P_HALF, P_QUARTER, P_SEASON,
       P_MONTH, P_WEEK, P_WEEKEND, P_WDAY, P_DAY };

/* A date or time value while it is being built. Unknown parts are -1. */
typedef struct tval {
  int prec;           /* P_* */
  int y;              /* year (P_CENT: century digits, P_DEC: decade digits) */
  int m, d;           /* month 1..12, day 1..31 */
  int part;           /* half 1..2, quarter 1..4, season 1..4, ISO week */
  int wd;             /* weekday 1..7 when known (stated or computed) */
  int tod;            /* 0 or TOD_*: a time of day */
  int hh, mi;         /* clock time with TOD_CLOCK */
} tval;

static tval tv_new(int prec) {
  tval v = {prec, -1, -1, -1, -1, -1, 0, 0, 0};
  return v;
}

static tval tv_day(long z) {
  tval v = tv_new(P_DAY);
  dciv(z, &v.y, &v.m, &v.d);
  v.wd = wday(z);
  return v;
}

/* The week of day z, as ISO year and week. */
static tval tv_week(long z, int prec) {
  tval v = tv_new(prec);
  iso_week(z, &v.y, &v.part);
  return v;
}

/* Append v as exactly w digits (or w X's when v < 0) at *p. */
static char *put_num(char *p, int v, int w) {
  for (int k = w - 1; k >= 0; k--) {
    p[k] = v < 0 ? 'X' : (char)('0' + v % 10);
    if (v >= 0) v /= 10;
  }
  return p + w;
}

static char *put_str(char *p, const char *s) {
  while (*s) *p++ = *s++;
  return p;
}

/* The TIMEX3 value of a date/time; out has room for 32 bytes. */
static void tv_format(const tval *v, char out[32]) {
  static const char *const seasons[] = {"WI", "SP", "SU", "FA", "WI"};
  static const char *const tods[] = {"", "TMO", "TAF", "TEV", "TNI",
                                     "T12:00", "T24:00"};
  char *p = out;
  switch (v->prec) {
  case P_CENT: p = put_num(p, v->y, 2); break;
  case P_DEC: p = put_num(p, v->y, 3); break;
  case P_HALF: case P_QUARTER:
    p = put_num(p, v->y, 4);
    *p++ = '-';
    *p++ = v->prec == P_HALF ? 'H' : 'Q';
    p = put_num(p, v->part, 1);
    break;
  case P_SEASON:
    p = put_num(p, v->y, 4);
    *p++ = '-';
    p = put_str(p, seasons[v->part >= 1 && v->part <= 4 ? v->part : 0]);
    break;
  case P_MONTH:
    p = put_num(p, v->y, 4);
    *p++ = '-';
    p = put_num(p, v->m, 2);
    break;
  case P_WEEK: case P_WEEKEND:
    p = put_num(p, v->y, 4);
    p = put_str(p, "-W");
    p = put_num(p, v->part, 2);
    if (v->prec == P_WEEKEND) p = put_str(p, "-WE");
    break;
  case P_WDAY:
    p = put_str(p, "XXXX-WXX-");
    p = put_num(p, v->wd, 1);
    break;
  case P_DAY:
    p = put_num(p, v->y, 4);
    *p++ = '-';
    p = put_num(p, v->m, 2);
    *p++ = '-';
    p = put_num(p, v->d, 2);
    break;
  default: p = put_num(p, v->y, 4); break; /* P_YEAR, or unknown */
  }
  if (v->tod == TOD_CLOCK) {
    *p++ = 'T';
    p = put_num(p, v->hh, 2);
    *p++ = ':';
    p = put_num(p, v->mi, 2);
  } else if (v->tod > 0 && v->tod < TOD_CLOCK) {
    p = put_str(p, tods[v->tod]);
  }
  *p = '\0';
}

/* A duration: n units (n < 0: unknown, "X"). */
static void dur_format(int n, int unit, char *out, size_t cap) {
  char num[16];
  const char *t = "", *u = "D";
  int k = n;
  switch (unit) {
  case U_SEC: t = "T"; u = "S"; break;
  case U_MIN: t = "T"; u = "M"; break;
  case U_HOUR: t = "T"; u = "H"; break;
  case U_DAY: u = "D"; break;
  case U_WEEKEND: u = "WE"; break;
  case U_WEEK: u = "W"; break;
  case U_FORTNIGHT: u = "W"; k = n < 0 ? n : 2 * n; break;
  case U_MONTH: u = "M"; break;
  case U_YEAR: u = "Y"; break;
  case U_DECADE: u = n < 0 ? "DE" : "Y"; k = n < 0 ? n : 10 * n; break;
  case U_CENTURY: u = n < 0 ? "CE" : "Y"; k = n < 0 ? n : 100 * n; break;
  default: break;
  }
  if (k < 0) snprintf(num, sizeof num, "X");
  else snprintf(num, sizeof num, "%d", k);
  snprintf(out, cap, "P%s%s%s", t, num, u);
}

/* ------------------------------------------------------------------ */
/* The state of one extraction                                         */
/* ------------------------------------------------------------------ */

/* A reference date and how it was obtained. */
typedef struct refdate {
  tval v;             /* prec P_NONE (unknown), P_YEAR, P_MONTH or P_DAY */
  char anchor[64];    /* "document date", "dateline 2020-12-27", ... */
} refdate;

typedef struct dctx {
  const char *text;
  size_t len;
  const tr_tokens *toks;
  const tr_spans *sents;
  int16_t *lx;        /* lexicon entry of each token, -1 for none */
  size_t lo, hi;      /* token range of the current sentence */
  size_t sent;        /* index of the current sentence */
  refdate ref;        /* the document's reference date */
  tval prev;          /* the last date the text stated (context) */
  int has_prev;
  char prev_val[32];  /* its value, for anchors */
  tval prev_day;      /* the last stated date with a day (for weekdays) */
  int has_prev_day;
  char prev_day_val[32];
  int dmy;            /* numeric dates are day/month (evidence in the text) */
  size_t last_end;    /* token after the last expression emitted, or 0 */
  int last_year;      /* the last expression was a bare year */
  uint64_t cite_eol;  /* line end whose citation date is cached, or 0 */
  size_t cite_tok;    /* the token of that date */
  refdate cite;       /* that line's citation date (prec P_NONE if none) */
  tr_dates *out;
} dctx;

/* What a recogniser found. */
typedef struct res {
  size_t first, end;  /* token range [first, end) */
  int type;           /* TR_DT_* */
  tval v;             /* the value, for DATE and TIME */
  char value[32];     /* the value as text, for DURATION and SET */
  char anchor[64];
  const char *mod;
  int stated;         /* an explicitly stated date: becomes the context */
} res;

static const tr_token *T(const dctx *c, size_t i) { return &c->toks->v[i]; }

static const char *tnorm(const dctx *c, size_t i, size_t *n) {
  *n = T(c, i)->norm_len;
  return c->toks->norm + T(c, i)->norm;
}

/* Token i's lexicon entry, or NULL; only inside the current sentence. */
static const lexent *LX(const dctx *c, size_t i) {
  if (i < c->lo || i >= c->hi || c->lx[i] < 0) return NULL;
  return &lexicon[c->lx[i]];
}

static int is_cat(const dctx *c, size_t i, int cat) {
  const lexent *e = LX(c, i);
  return e && e->cat == cat;
}

static int is_w(const dctx *c, size_t i, int cat, int val) {
  const lexent *e = LX(c, i);
  return e && e->cat == cat && e->val == val;
}

static int in_sent(const dctx *c, size_t i) { return i >= c->lo && i < c->hi; }

/* Is token i the punctuation text p? */
static int is_punct(const dctx *c, size_t i, const char *p) {
  if (!in_sent(c, i) || T(c, i)->kind != TR_PUNCT) return 0;
  size_t n = strlen(p);
  return T(c, i)->len == n && memcmp(c->text + T(c, i)->start, p, n) == 0;
}

static int is_dash(const dctx *c, size_t i) {
  return is_punct(c, i, "-") || is_punct(c, i, "\xE2\x80\x93") ||
         is_punct(c, i, "\xE2\x80\x94");
}

/* Capitalised word (title or upper case)? */
static int is_capital(const dctx *c, size_t i) {
  return in_sent(c, i) && (T(c, i)->flags & (TR_F_TITLE | TR_F_UPPER));
}

/* Do tokens i and i+1 touch (no space between)? */
static int touching(const dctx *c, size_t i) {
  return i + 1 < c->toks->n &&
         T(c, i)->start + T(c, i)->len == T(c, i + 1)->start;
}

/* Token i as a NUL-terminated string in buf (the text need not be
** terminated: it may be a file mapping); empty when it does not fit. */
static const char *tok_copy(const dctx *c, size_t i, char *buf, size_t cap) {
  size_t n = T(c, i)->len;
  if (n >= cap) n = 0;
  memcpy(buf, c->text + T(c, i)->start, n);
  buf[n] = '\0';
  return buf;
}

/* Value of an all-digit number token, with its digit count; -1 if not. */
static long digits_val(const dctx *c, size_t i, int *nd) {
  if (!in_sent(c, i) || T(c, i)->kind != TR_NUMBER) return -1;
  const char *s = c->text + T(c, i)->start;
  size_t n = T(c, i)->len;
  if (n == 0 || n > 9) return -1;
  long v = 0;
  for (size_t k = 0; k < n; k++) {
    if (s[k] < '0' || s[k] > '9') return -1;
    v = v * 10 + (s[k] - '0');
  }
  if (nd) *nd = (int)n;
  return v;
}

/* Value of an ordinal number token ("25th", "1st"), or 0. */
static int ordinal_val(const dctx *c, size_t i) {
  if (!in_sent(c, i) || T(c, i)->kind != TR_NUMBER) return 0;
  size_t n;
  const char *s = tnorm(c, i, &n);
  if (n < 3 || n > 6) return 0;
  int v = 0;
  size_t k = 0;
  for (; k < n && s[k] >= '0' && s[k] <= '9'; k++) v = v * 10 + (s[k] - '0');
  if (k == 0 || n - k != 2) return 0;
  const char *suf = s + k;
  if (strncmp(suf, "st", 2) && strncmp(suf, "nd", 2) && strncmp(suf, "rd", 2) &&
      strncmp(suf, "th", 2))
    return 0;
  return v;
}

/* A day of month (1..31) written as a number or ordinal, or 0. */
static int day_at(const dctx *c, size_t i) {
  int nd;
  long v = digits_val(c, i, &nd);
  if (v >= 1 && v <= 31 && nd <= 2) return (int)v;
  v = ordinal_val(c, i);
  return v >= 1 && v <= 31 ? (int)v : 0;
}

/* A four-digit year (1000..2999), or 0. */
static int year_at(const dctx *c, size_t i) {
  int nd;
  long v = digits_val(c, i, &nd);
  return nd == 4 && v >= 1000 && v <= 2999 ? (int)v : 0;
}

/* ------------------------------------------------------------------ */
/* References, context and tense                                       */
/* ------------------------------------------------------------------ */

static long tv_dnum(const tval *v) { return dnum(v->y, v->m, v->d); }

/* Parse an ISO date "YYYY[-MM[-DD]]" into a reference; 0 when invalid. */
static int parse_iso(const char *s, tval *v) {
  size_t n = strlen(s);
  int y = 0, m = 0, d = 0;
  if (n != 4 && n != 7 && n != 10) return 0;
  for (size_t i = 0; i < n; i++) {
    int dig = s[i] >= '0' && s[i] <= '9';
    if ((i == 4 || i == 7) ? s[i] != '-' : !dig) return 0;
  }
  y = atoi(s);
  if (y < 1) return 0;
  *v = tv_new(P_YEAR);
  v->y = y;
  if (n == 4) return 1;
  m = atoi(s + 5);
  if (m < 1 || m > 12) return 0;
  v->m = m;
  v->prec = P_MONTH;
  if (n == 7) return 1;
  d = atoi(s + 8);
  if (!valid_ymd(y, m, d)) return 0;
  *v = tv_day(dnum(y, m, d));
  return 1;
}

static int parse_numeric_date(const dctx *c, size_t i, tval *v);

/* The reference date for tokens [i, end): the date that ends their line
** when the line is a citation ("...,” Twitter, 12/25/20": a numeric date
** last on the line, not after a preposition), else the document's. */
static const refdate *ref_for(dctx *c, size_t i, size_t end) {
  uint64_t s = T(c, i)->start;
  const char *nl = memchr(c->text + s, '\n', c->len - s);
  uint64_t eol = nl ? (uint64_t)(nl - c->text) : c->len;
  if (eol != c->cite_eol) {
    c->cite_eol = eol;
    c->cite.v.prec = P_NONE;
    size_t k = i, last = SIZE_MAX;
    while (k < c->toks->n && T(c, k)->start < eol) last = k++;
    while (last != SIZE_MAX && last > i && T(c, last)->kind == TR_PUNCT &&
           T(c, last)->len == 1 && strchr(".)]", c->text[T(c, last)->start]))
      last--;
    tval v;
    if (last != SIZE_MAX && last >= end && last > 0 &&
        !(c->lx[last - 1] >= 0 && lexicon[c->lx[last - 1]].cat == C_PREP) &&
        parse_numeric_date(c, last, &v)) {
      c->cite.v = v;
      c->cite_tok = last;
      char val[32];
      tv_format(&v, val);
      snprintf(c->cite.anchor, sizeof c->cite.anchor, "citation date %s", val);
    }
  }
  if (c->cite.v.prec != P_NONE && end <= c->cite_tok) return &c->cite;
  return &c->ref;
}

/* Tense of the sentence around tokens [i0, i1): +1 when the nearest tense
** cue is a future one (will, plans to, scheduled, next...), else -1: news
** reports past events, so the past is the default. */
/* Is token k "be" or "being" (before a participle: "will be held")? */
static int is_be(const dctx *c, size_t k) {
  if (k < c->lo || T(c, k)->kind != TR_WORD) return 0;
  size_t n;
  const char *s = tnorm(c, k, &n);
  return (n == 2 && memcmp(s, "be", 2) == 0) ||
         (n == 5 && memcmp(s, "being", 5) == 0);
}

static int cue_at(const dctx *c, size_t k) {
  const lexent *e = LX(c, k);
  /* a participle after "be" takes its tense from what comes before */
  if (k > c->lo && is_be(c, k - 1)) return 0;
  if (e) {
    if (e->cat == C_TENSE) return e->val;
    if (e->cat == C_REL && (e->val == R_NEXT || e->val == R_COMING ||
                            e->val == R_UPCOMING))
      return 1;
    if (e->cat == C_REL && e->val == R_LAST) return -1;
    if (e->cat == C_DEIC && e->val == D_TOMORROW) return 1;
    if (e->cat == C_DEIC && e->val == D_YESTERDAY) return -1;
    if (e->cat == C_LATER && e->val == L_AGO) return -1;
    return 0;
  }
  if (T(c, k)->kind != TR_WORD) return 0;
  size_t n;
  const char *s = tnorm(c, k, &n);
  /* a past participle or past tense; capitalised words are names
  ** ("United") */
  if (n >= 4 && s[n - 2] == 'e' && s[n - 1] == 'd' &&
      !(T(c, k)->flags & (TR_F_TITLE | TR_F_UPPER)))
    return -1;
  if (n >= 3 && memcmp(s + n - 3, "'ll", 3) == 0) return 1;
  /* "going to" */
  if (n == 5 && memcmp(s, "going", 5) == 0 && is_w(c, k + 1, C_PREP, P_TO))
    return 1;
  return 0;
}

static int tense(const dctx *c, size_t i0, size_t i1) {
  for (size_t dist = 1; dist < 40; dist++) {
    int any = 0;
    if (i0 >= c->lo + dist) {
      any = 1;
      int t = cue_at(c, i0 - dist);
      if (t) return t;
    }
    if (i1 - 1 + dist < c->hi) {
      any = 1;
      int t = cue_at(c, i1 - 1 + dist);
      if (t) return t;
    }
    if (!any) break;
  }
  return -1;
}

/* Days of slack around the reference: a report dated in one time zone may
** tell of "tomorrow's" date in another. More would turn past events of the
** next few days of last year into this year's. */
#define SLACK 1
#define NODAY (-999999999L)

/* A date whose year the text does not give: month m, day d, or holiday h
** (when h != 0). Its day number in year y, or NODAY when that year has no
** such day (February 29). */
static long partial_day(int m, int d, int h, int y) {
  switch (h) {
  case 0: return valid_ymd(y, m, d) ? dnum(y, m, d) : NODAY;
  case H_THANKSGIVING: return nth_wday(y, 11, 4, 4);
  case H_EASTER: return easter(y);
  case H_EASTER_MONDAY: return easter(y) + 1;
  case H_GOOD: return easter(y) - 2;
  case H_LABOR: return nth_wday(y, 9, 1, 1);
  case H_MEMORIAL: return nth_wday(y, 5, 1, -1);
  case H_MOTHER: return nth_wday(y, 5, 7, 2);
  case H_FATHER: return nth_wday(y, 6, 7, 3);
  default: return valid_ymd(y, m, d) ? dnum(y, m, d) : NODAY;
  }
}

/* Resolve a year-less day against the reference at i0 and the tense. */
static void resolve_day(dctx *c, size_t i0, size_t i1, int m, int d, int h,
                        res *r) {
  const refdate *rf = ref_for(c, i0, i1);
  tval v = tv_new(P_DAY);
  v.m = m;
  v.d = d;
  if (rf->v.prec == P_NONE) {
    if (h && h != H_CHRISTMAS && m < 0) v.m = v.d = -1; /* movable feast */
    r->v = v;
    snprintf(r->anchor, sizeof r->anchor, "none");
    return;
  }
  int fut = tense(c, i0, i1) > 0;
  long z = NODAY;
  if (rf->v.prec == P_YEAR) {
    z = partial_day(m, d, h, rf->v.y);
  } else {
    /* a month-precision reference counts as its last (past) or first
    ** (future) day */
    long refz = rf->v.prec == P_DAY
                    ? tv_dnum(&rf->v)
                    : dnum(rf->v.y, rf->v.m,
                           fut ? 1 : tr_days_in_month(rf->v.y, rf->v.m));
    if (fut) {
      for (int y = rf->v.y - 1; y <= rf->v.y + 8; y++) {
        long k = partial_day(m, d, h, y);
        if (k > NODAY && k >= refz - SLACK) { z = k; break; }
      }
    } else {
      for (int y = rf->v.y + 1; y >= rf->v.y - 8; y--) {
        long k = partial_day(m, d, h, y);
        if (k > NODAY && k <= refz + SLACK) { z = k; break; }
      }
    }
  }
  if (z == NODAY) {
    r->v = v;
    snprintf(r->anchor, sizeof r->anchor, "none");
    return;
  }
  r->v = tv_day(z);
  snprintf(r->anchor, sizeof r->anchor, "%s", rf->anchor);
}

/* Resolve a year-less month: the latest such month not after the
** reference (past) or the first not before it (future). rel: 0, or R_LAST
** / R_NEXT (strictly before / after the reference month), R_THIS (the
** reference year). */
static void resolve_month(dctx *c, size_t i0, size_t i1, int m, int rel,
                          res *r) {
  const refdate *rf = ref_for(c, i0, i1);
  tval v = tv_new(P_MONTH);
  v.m = m;
  if (rf->v.prec == P_NONE) {
    r->v = v;
    snprintf(r->anchor, sizeof r->anchor, "none");
    return;
  }
  int y = rf->v.y;
  if (rf->v.prec >= P_MONTH && rel != R_THIS) {
    int rm = rf->v.m;
    int fut = rel == R_NEXT || (rel == 0 && tense(c, i0, i1) > 0);
    if (rel == R_LAST) y = m < rm ? y : y - 1;
    else if (rel == R_NEXT) y = m > rm ? y : y + 1;
    else if (fut) y = m >= rm ? y : y + 1;
    else y = m <= rm ? y : y - 1;
  } else if (rel == R_LAST && rf->v.prec == P_YEAR) {
    y = -1; /* "last May" against a bare year: which year is unknown */
  }
  v.y = y;
  r->v = v;
  snprintf(r->anchor, sizeof r->anchor, "%s", y < 0 ? "none" : rf->anchor);
}

/* Resolve a weekday: against the reference (strictly before it in the
** past, strictly after in the future), else against the stated context
** date when its weekday is known (that day included), else unresolved
** (XXXX-WXX-7). rel: 0 (tense), R_LAST, R_NEXT, R_THIS. */
static void resolve_wday(dctx *c, size_t i0, size_t i1, int wd, int rel,
                         res *r) {
  const refdate *rf = ref_for(c, i0, i1);
  int fut = rel == R_NEXT || (rel != R_LAST && tense(c, i0, i1) > 0);
  if (rf->v.prec == P_DAY) {
    long z = tv_dnum(&rf->v);
    int rw = wday(z), k;
    if (rel == R_THIS) { /* "this Friday": the Friday of this week */
      r->v = tv_day(z - (rw - 1) + (wd - 1));
      snprintf(r->anchor, sizeof r->anchor, "%s", rf->anchor);
      return;
    }
    if (fut) {
      k = (wd - rw + 7) % 7;
      if (k == 0 && rel != R_THIS) k = 7;
      z += k;
    } else {
      k = (rw - wd + 7) % 7;
      if (k == 0 && rel != R_THIS) k = 7;
      z -= k;
    }
    r->v = tv_day(z);
    snprintf(r->anchor, sizeof r->anchor, "%s", rf->anchor);
    return;
  }
  const tval *p = &c->prev_day;
  if (c->has_prev_day && p->wd > 0) {
    /* unknown years compute in a leap year, so February 29 exists */
    int y = p->y > 0 ? p->y : 2000;
    long z = dnum(y, p->m, p->d);
    int k = fut ? (wd - p->wd + 7) % 7 : -((p->wd - wd + 7) % 7);
    r->v = tv_day(z + k);
    r->v.wd = wd;
    if (p->y < 0) r->v.y = -1;
    snprintf(r->anchor, sizeof r->anchor, "previous date %s", c->prev_day_val);
    return;
  }
  r->v = tv_new(P_WDAY);
  r->v.wd = wd;
  snprintf(r->anchor, sizeof r->anchor, "none");
}

/* Season index of a month, in "season years" (winter belongs to the year
** of its December). */
static void season_of(int y, int m, int *sy, int *s) {
  if (m >= 3 && m <= 5) *s = 1;
  else if (m >= 6 && m <= 8) *s = 2;
  else if (m >= 9 && m <= 11) *s = 3;
  else *s = 4;
  *sy = m <= 2 ? y - 1 : y;
}

static void resolve_season(dctx *c, size_t i0, size_t i1, int s, int rel,
                           res *r) {
  const refdate *rf = ref_for(c, i0, i1);
  r->v = tv_new(P_SEASON);
  r->v.part = s;
  if (rf->v.prec < P_MONTH) {
    r->v.y =
        rf->v.prec == P_YEAR && rel != R_LAST && rel != R_NEXT ? rf->v.y : -1;
    snprintf(r->anchor, sizeof r->anchor, "%s",
             r->v.y < 0 ? "none" : rf->anchor);
    return;
  }
  int sy, rs;
  season_of(rf->v.y, rf->v.m, &sy, &rs);
  int fut = rel == R_NEXT || (rel == 0 && tense(c, i0, i1) > 0);
  if (rel == R_LAST) r->v.y = s < rs ? sy : sy - 1;
  else if (rel == R_NEXT) r->v.y = s > rs ? sy : sy + 1;
  else if (rel == R_THIS) r->v.y = sy;
  else if (fut) r->v.y = s >= rs ? sy : sy + 1;
  else r->v.y = s <= rs ? sy : sy - 1;
  snprintf(r->anchor, sizeof r->anchor, "%s", rf->anchor);
}

/* Move a day-precision value by n days, keeping an unknown year unknown. */
static tval shift_days(const tval *v, long n) {
  int y = v->y > 0 ? v->y : 2000;
  tval r = tv_day(dnum(y, v->m, v->d) + n);
  if (v->y < 0) {
    r.y = -1;
    r.wd = v->wd > 0 ? (int)(((v->wd - 1 + n) % 7 + 7) % 7) + 1 : -1;
  }
  return r;
}

/* Move a value by n units at the unit's precision. */
static tval shift_unit(const tval *v, int unit, long n) {
  tval r = *v;
  r.tod = 0;
  switch (unit) {
  case U_DAY:
    if (v->prec >= P_WDAY && v->m > 0 && v->d > 0) return shift_days(v, n);
    break;
  case U_WEEK: /* "two weeks later" from a day is a day */
    if (v->prec >= P_WDAY && v->m > 0 && v->d > 0) return shift_days(v, 7 * n);
    break;
  case U_WEEKEND:
    if (v->prec >= P_WDAY && v->m > 0 && v->d > 0 && v->y > 0)
      return tv_week(tv_dnum(v) + 7 * n, P_WEEKEND);
    break;
  case U_FORTNIGHT:
    if (v->prec >= P_WDAY && v->m > 0 && v->d > 0) return shift_days(v, 14 * n);
    break;
  case U_MONTH:
    if (v->m > 0) {
      long k = (long)(v->y > 0 ? v->y : 2000) * 12 + (v->m - 1) + n;
      r = tv_new(P_MONTH);
      r.y = v->y > 0 ? (int)(k / 12) : -1;
      r.m = (int)(k % 12) + 1;
      return r;
    }
    break;
  case U_YEAR:
  case U_DECADE:
  case U_CENTURY:
    r = tv_new(P_YEAR);
    r.y = v->y > 0 ? v->y + (int)n * (unit == U_YEAR     ? 1
                                      : unit == U_DECADE ? 10
                                                         : 100)
                   : -1;
    return r;
  default: break;
  }
  return r;
}

/* The value of v cut to the precision of a unit (for fuzzy amounts). */
static tval cut_to(const tval *v, int unit) {
  tval r = *v;
  r.tod = 0;
  if (unit >= U_YEAR && v->prec > P_YEAR) {
    r = tv_new(P_YEAR);
    r.y = v->y;
  } else if (unit == U_MONTH && v->prec > P_MONTH && v->m > 0) {
    r = tv_new(P_MONTH);
    r.y = v->y;
    r.m = v->m;
  } else if ((unit == U_WEEK || unit == U_WEEKEND) && v->prec == P_DAY &&
             v->y > 0) {
    r = tv_week(tv_dnum(v), P_WEEK);
  }
  return r;
}

/* ------------------------------------------------------------------ */
/* Output                                                              */
/* ------------------------------------------------------------------ */

void tr_dates_init(tr_dates *d) { memset(d, 0, sizeof *d); }

void tr_dates_free(tr_dates *d) {
  free(d->v);
  memset(d, 0, sizeof *d);
}

const char *tr_date_type_name(int type) {
  switch (type) {
  case TR_DT_DATE: return "DATE";
  case TR_DT_TIME: return "TIME";
  case TR_DT_DURATION: return "DURATION";
  case TR_DT_SET: return "SET";
  default: return "?";
  }
}

static int emit(dctx *c, res *r) {
  tr_dates *o = c->out;
  if (o->n == o->cap) {
    size_t cap = o->cap ? o->cap * 2 : 16;
    tr_date *v = realloc(o->v, cap * sizeof *v);
    if (!v) return -1;
    o->v = v;
    o->cap = cap;
  }
  tr_date *x = &o->v[o->n++];
  memset(x, 0, sizeof *x);
  x->start = T(c, r->first)->start;
  x->stop = T(c, r->end - 1)->start + T(c, r->end - 1)->len;
  x->mod = r->mod;
  snprintf(x->anchor, sizeof x->anchor, "%s",
           r->anchor[0] ? r->anchor : "none");
  if (r->value[0]) { /* durations, sets, PRESENT_REF... */
    x->type = r->type;
    snprintf(x->value, sizeof x->value, "%s", r->value);
    return 0;
  }
  x->type = r->v.tod ? TR_DT_TIME : TR_DT_DATE;
  tv_format(&r->v, x->value);
  /* An explicitly stated date becomes the context of later anaphora ("the
  ** 29th of the same month", "a few days later"); one with a day is also
  ** kept apart for weekdays ("late Saturday evening" after "Sunday, July
  ** 5", even when "early June" came in between). */
  if (r->stated && r->v.prec >= P_YEAR && r->v.prec != P_WDAY) {
    c->prev = r->v;
    c->prev.tod = 0;
    c->has_prev = 1;
    tv_format(&c->prev, c->prev_val);
    if (r->v.prec == P_DAY && r->v.m > 0 && r->v.d > 0) {
      c->prev_day = c->prev;
      c->has_prev_day = 1;
      memcpy(c->prev_day_val, c->prev_val, sizeof c->prev_val);
    }
  }
  return 0;
}

/* ------------------------------------------------------------------ */
/* Recognisers                                                         */
/* ------------------------------------------------------------------ */

/* Each recogniser looks at token i and, on success, fills r (first, end,
** value...) and returns 1. They never look past the sentence. */

static void set_abs(res *r, size_t first, size_t end, tval v, int stated) {
  r->first = first;
  r->end = end;
  r->type = TR_DT_DATE;
  r->v = v;
  snprintf(r->anchor, sizeof r->anchor, "absolute");
  r->stated = stated;
}

static const char *edge_mod(int e) {
  switch (e) {
  case E_EARLY: case E_BEGINNING: case E_START: return "START";
  case E_MID: case E_MIDDLE: return "MID";
  default: return "END";
  }
}

/* Numeric dates in one token: 12/25/20, 25/12/2020, 2020/12/25,
** 2020-12-25, 25.12.2020. Fills v (P_DAY) or returns 0: impossible dates
** (13/45/20, 2021-02-29) are not dates. */
static int parse_numeric_date(const dctx *c, size_t i, tval *v) {
  if (T(c, i)->kind != TR_NUMBER) return 0;
  const char *s = c->text + T(c, i)->start;
  size_t n = T(c, i)->len;
  long part[3] = {0, 0, 0};
  int nd[3] = {0, 0, 0}, np = 0;
  char sep = 0;
  for (size_t k = 0; k < n; k++) {
    char ch = s[k];
    if (ch >= '0' && ch <= '9') {
      if (nd[np] >= 4) return 0;
      part[np] = part[np] * 10 + (ch - '0');
      nd[np]++;
    } else if (ch == '/' || ch == '-' || ch == '.') {
      if ((sep && ch != sep) || np == 2 || nd[np] == 0) return 0;
      sep = ch;
      np++;
    } else {
      return 0;
    }
  }
  if (np != 2 || nd[2] == 0) return 0;
  int y, m, d;
  if (nd[0] == 4) { /* year first: ISO 2020-12-25, 2020/12/25 */
    if (nd[1] > 2 || nd[2] > 2 || sep == '.') return 0;
    y = (int)part[0], m = (int)part[1], d = (int)part[2];
  } else {
    if (nd[0] > 2 || nd[1] > 2 || (nd[2] != 2 && nd[2] != 4) || sep == '-')
      return 0;
    if (sep == '.' && nd[2] != 4) return 0; /* 1.2.20 reads as a version */
    y = (int)part[2];
    if (nd[2] == 2) {
      /* two-digit years: the century nearest the reference, else 19xx
      ** for 70..99 and 20xx for the rest */
      int base = c->ref.v.prec ? c->ref.v.y : 2000;
      int cy = base / 100 * 100 + y;
      if (c->ref.v.prec) {
        if (cy > base + 50) cy -= 100;
        else if (cy < base - 50) cy += 100;
      } else if (y >= 70) {
        cy = 1900 + y;
      } else {
        cy = 2000 + y;
      }
      y = cy;
    }
    int a = (int)part[0], b = (int)part[1];
    /* dots are day first (European); slashes month first unless the
    ** numbers or the rest of the text say otherwise */
    int dmy = sep == '.' || c->dmy;
    if (a > 12 && b <= 12) dmy = 1;
    else if (b > 12 && a <= 12) dmy = 0;
    m = dmy ? b : a;
    d = dmy ? a : b;
  }
  if (!valid_ymd(y, m, d)) return 0;
  *v = tv_day(dnum(y, m, d));
  return 1;
}

/* Words that may stand before a bare month, year or season name and
** make it one: "in May", "since 2004", "last May", "early June". */
static int date_lead(const dctx *c, size_t p) {
  const lexent *e = LX(c, p);
  if (!e) return 0;
  switch (e->cat) {
  case C_PREP:
    return e->val != P_FOR && e->val != P_AT && e->val != P_AND &&
           e->val != P_OR;
  case C_REL: case C_EDGE: case C_THE: case C_A: case C_SET: return 1;
  case C_APPROX:
    return e->val == A_AROUND || e->val == A_ABOUT || e->val == A_CIRCA;
  default: return 0;
  }
}

static int m_month(dctx *c, size_t i, res *r);
static int m_dispatch(dctx *c, size_t i, res *r);

/* A year after a month or day: "June 2014", "June of 2014", "25 June,
** 2020". Returns the token after it, or 0. */
static size_t year_after(const dctx *c, size_t j, int *y, int comma_ok) {
  if (comma_ok && is_punct(c, j, ",") && (*y = year_at(c, j + 1))) return j + 2;
  if (is_w(c, j, C_PREP, P_OF) && (*y = year_at(c, j + 1))) return j + 2;
  if ((*y = year_at(c, j))) return j + 1;
  return 0;
}

/* Month names: "June 25, 2020", "June 25th", "Jun. 25 2020", "June 2014",
** "June". May and March are also verbs and names: see docs/dates.md. */
static int m_month(dctx *c, size_t i, res *r) {
  const lexent *e = LX(c, i);
  int mo = e->val, abbr = e->flags & F_ABBR;
  uint32_t fl = T(c, i)->flags;
  int lower = (fl & TR_F_LOWER) != 0;
  if (lower && (mo == 5 || mo == 3)) return 0; /* "may", "march" */
  if (abbr && lower) return 0;
  size_t j = i + 1;
  if (abbr && is_punct(c, j, ".")) j++;
  int d = day_at(c, j), y = 0;
  if (d && !is_punct(c, j + 1, ":") && !is_punct(c, j + 1, "%")) {
    size_t k = year_after(c, j + 1, &y, 1);
    if (y) {
      if (!valid_ymd(y, mo, d)) return 0; /* February 30, 2020 */
      set_abs(r, i, k, tv_day(dnum(y, mo, d)), 1);
      return 1;
    }
    if (d > tr_days_in_month(2000, mo)) return 0; /* June 31 */
    r->first = i;
    r->end = j + 1;
    r->type = TR_DT_DATE;
    r->stated = 1;
    resolve_day(c, i, j + 1, mo, d, 0, r);
    return 1;
  }
  size_t k = year_after(c, j, &y, 0);
  if (y) {
    tval v = tv_new(P_MONTH);
    v.y = y;
    v.m = mo;
    set_abs(r, i, k, v, 1);
    return 1;
  }
  /* a month name alone */
  if (abbr) return 0;
  int lead = i > c->lo && date_lead(c, i - 1);
  if (i > c->lo && is_w(c, i - 1, C_PREP, P_AND) && i >= c->lo + 2 &&
      (is_cat(c, i - 2, C_MONTH)))
    lead = 1; /* "November and December" */
  if (mo == 5 || mo == 3) {
    if (!lead) return 0; /* "May God...", "Theresa May", "March on" */
  } else if (!lead) {
    /* "June Carter", "Brian June": a name next to a capitalised word */
    if (is_capital(c, i + 1) && !is_cat(c, i + 1, C_MONTH)) return 0;
    if (i > c->lo && is_capital(c, i - 1) && T(c, i - 1)->kind == TR_WORD)
      return 0;
  }
  r->first = i;
  r->end = i + 1;
  r->type = TR_DT_DATE;
  r->stated = 1;
  resolve_month(c, i, i + 1, mo, 0, r);
  return 1;
}

/* A part of the day after a day: "Sunday night", "yesterday morning". */
static size_t partday_after(const dctx *c, size_t j, int *tod) {
  const lexent *e = LX(c, j);
  if (e && e->cat == C_PARTDAY && e->val <= TOD_NI) {
    *tod = e->val;
    return j + 1;
  }
  *tod = 0;
  return j;
}

/* Day names: "Sunday, December 27, 2020", "Sunday", "late Saturday
** evening" (late is the edge recogniser's). */
static int m_weekday(dctx *c, size_t i, res *r) {
  const lexent *e = LX(c, i);
  int wd = e->val, abbr = e->flags & F_ABBR;
  size_t j = i + 1;
  if (abbr && is_punct(c, j, ".")) j++;
  if (is_punct(c, j, ",")) j++;
  if (abbr && !is_capital(c, i)) return 0;
  res r2;
  memset(&r2, 0, sizeof r2);
  if ((is_cat(c, j, C_MONTH) && m_month(c, j, &r2) && r2.v.prec == P_DAY) ||
      (day_at(c, j) && m_dispatch(c, j, &r2) && r2.type == TR_DT_DATE &&
       r2.v.prec == P_DAY)) {
    *r = r2;
    r->first = i;
    if (r->v.y < 0) r->v.wd = wd; /* the text tells the weekday */
    return 1;
  }
  if (abbr) return 0;
  j = i + 1;
  int tod;
  size_t k = partday_after(c, j, &tod);
  /* "Sunday Times", "Black Friday Sale": part of a name */
  if (!tod && is_capital(c, j) && T(c, j)->kind == TR_WORD) return 0;
  r->first = i;
  r->end = k;
  r->type = TR_DT_DATE;
  resolve_wday(c, i, k, wd, 0, r);
  r->v.tod = tod;
  return 1;
}

/* A count before a unit: digits, number words ("two", "twenty-five",
** "twenty five"), "a"/"an", "a few", "several", "a couple of", "dozens
** of". *n is -1 for an unknown amount. Returns the token after the count,
** or 0. */
static size_t count_at(const dctx *c, size_t i, long *n, int *is_a) {
  const lexent *e = LX(c, i);
  int nd;
  long v = digits_val(c, i, &nd);
  *is_a = 0;
  if (v >= 0) {
    *n = v;
    return i + 1;
  }
  if (in_sent(c, i) && T(c, i)->kind == TR_NUMBER && T(c, i)->len <= 11) {
    /* 1,000: digits in groups of three after the first */
    const char *s = c->text + T(c, i)->start;
    size_t len = T(c, i)->len, k = 0, since = 0;
    long x = 0;
    int ok = 1, commas = 0;
    for (; k < len && ok; k++) {
      if (s[k] >= '0' && s[k] <= '9') {
        x = x * 10 + (s[k] - '0');
        since++;
      } else if (s[k] == ',' && since >= 1 &&
                 (commas ? since == 3 : since <= 3)) {
        commas++;
        since = 0;
      } else {
        ok = 0;
      }
    }
    if (ok && commas && since == 3) {
      *n = x;
      return i + 1;
    }
  }
  if (!in_sent(c, i)) return 0;
  if (T(c, i)->flags & TR_F_HYPHENATED) {
    /* twenty-five */
    size_t sn;
    const char *s = tnorm(c, i, &sn);
    const char *dash = memchr(s, '-', sn);
    if (!dash) return 0;
    int a = lex_find(s, (size_t)(dash - s));
    int b = lex_find(dash + 1, sn - (size_t)(dash - s) - 1);
    if (a < 0 || b < 0 || lexicon[a].cat != C_NUMW ||
        lexicon[b].cat != C_NUMW || lexicon[a].val < 20 || lexicon[b].val > 9)
      return 0;
    *n = lexicon[a].val + lexicon[b].val;
    return i + 1;
  }
  if (!e) return 0;
  if (e->cat == C_NUMW) {
    *n = e->val;
    if (e->val >= 20 && e->val < 100 && is_cat(c, i + 1, C_NUMW) &&
        LX(c, i + 1)->val < 10) {
      *n += LX(c, i + 1)->val;
      return i + 2;
    }
    return i + 1;
  }
  if (e->cat == C_A) {
    const lexent *f = LX(c, i + 1);
    if (f && f->cat == C_FUZZY && f->val == 1) { /* a few */
      *n = -1;
      return i + 2;
    }
    if (f && f->cat == C_FUZZY && f->val == 6 && is_w(c, i + 2, C_PREP, P_OF)) {
      *n = 2; /* a couple of */
      return i + 3;
    }
    if (f && f->cat == C_NUMW && f->val == 12) { /* a dozen */
      *n = 12;
      return i + 2;
    }
    *n = 1;
    *is_a = 1;
    return i + 1;
  }
  if (e->cat == C_FUZZY) {
    if (e->val == 4 || e->val == 5) { /* dozens of, hundreds of */
      if (!is_w(c, i + 1, C_PREP, P_OF)) return 0;
      *n = -1;
      return i + 2;
    }
    if (e->val == 6) { /* couple of */
      if (!is_w(c, i + 1, C_PREP, P_OF)) return 0;
      *n = 2;
      return i + 2;
    }
    *n = -1;
    return i + 1;
  }
  return 0;
}

/* Is token k the end of a clause: punctuation, or the sentence's end? */
static int clause_end(const dctx *c, size_t k) {
  return k >= c->hi || T(c, k)->kind == TR_PUNCT;
}

/* "N units" with what follows: "48 hours" (DURATION), "two days ago"
** (from the reference), "a few days later" / "two weeks earlier" (from the
** previous date). */
static int m_count(dctx *c, size_t i, res *r) {
  long n;
  int is_a;
  size_t j = count_at(c, i, &n, &is_a);
  if (!j) return 0;
  const lexent *u = LX(c, j);
  if (!u || u->cat != C_UNIT) return 0;
  int unit = u->val, plural = u->flags & F_PLURAL;
  if (is_a && plural) return 0;
  /* "a second attack", "the 2nd": ordinal, not a unit */
  if (unit == U_SEC && !plural && (is_a || n != 1)) return 0;
  if (n == 0 || n > 100000) return 0;
  size_t k = j + 1;
  const lexent *after = LX(c, k);
  int dir = 0, deictic = 0;
  if (after && after->cat == C_LATER) {
    deictic = after->val == L_AGO;
    dir = after->val == L_EARLIER || after->val == L_AGO ? -1 : 1;
  } else if (after && after->cat == C_PREP &&
             (after->val == P_AFTER || after->val == P_BEFORE) &&
             clause_end(c, k + 1)) {
    dir = after->val == P_AFTER ? 1 : -1;
  }
  r->first = i;
  r->end = dir ? k + 1 : j + 1;
  if (i > c->lo && is_cat(c, i - 1, C_SET) &&
      (LX(c, i - 1)->val == S_ONCE || LX(c, i - 1)->val == S_TWICE) && is_a) {
    /* once a week */
    r->first = i - 1;
    r->type = TR_DT_SET;
    dur_format(1, unit, r->value, sizeof r->value);
    snprintf(r->anchor, sizeof r->anchor, "absolute");
    return 1;
  }
  if (!dir) {
    r->type = TR_DT_DURATION;
    dur_format((int)n, unit, r->value, sizeof r->value);
    snprintf(r->anchor, sizeof r->anchor, "absolute");
    return 1;
  }
  r->type = TR_DT_DATE;
  tval base;
  if (deictic) {
    const refdate *rf = ref_for(c, i, r->end);
    if (rf->v.prec == P_NONE || (rf->v.prec < P_DAY && unit <= U_WEEK)) {
      tval v = tv_new(unit >= U_YEAR ? P_YEAR : unit == U_MONTH ? P_MONTH
                      : unit >= U_WEEKEND ? P_WEEK : P_DAY);
      r->v = v;
      snprintf(r->anchor, sizeof r->anchor, "none");
      return 1;
    }
    base = rf->v;
    snprintf(r->anchor, sizeof r->anchor, "%s", rf->anchor);
  } else {
    if (!c->has_prev) {
      /* nothing to count from: it is a duration */
      r->end = j + 1;
      r->type = TR_DT_DURATION;
      dur_format((int)n, unit, r->value, sizeof r->value);
      snprintf(r->anchor, sizeof r->anchor, "absolute");
      return 1;
    }
    base = c->prev;
    snprintf(r->anchor, sizeof r->anchor, "previous date %s", c->prev_val);
  }
  if (n < 0) {
    r->v = cut_to(&base, unit);
    r->mod = dir > 0 ? "AFTER" : "BEFORE";
    return 1;
  }
  int fine = unit <= U_FORTNIGHT ? base.prec >= P_WDAY && base.d > 0
             : unit == U_MONTH ? base.m > 0 : 1;
  if (unit <= U_HOUR) {
    /* hours from a day: the day itself, or the day after/before */
    r->v = fine ? shift_days(&base, dir * (n / 24)) : base;
    r->v.tod = 0;
    return 1;
  }
  if (!fine) {
    /* "two days later" after "in June": June, and after it */
    r->v = base;
    r->mod = dir > 0 ? "AFTER" : "BEFORE";
    return 1;
  }
  r->v = shift_unit(&base, unit, dir * n);
  return 1;
}

/* Bare plural units: "Days after the release", "for years", "After years
** of..." (an unknown amount: PXD, PXY). */
static int m_units(dctx *c, size_t i, res *r) {
  const lexent *e = LX(c, i);
  if (!(e->flags & F_PLURAL) || e->val == U_SEC || e->val == U_WEEKEND)
    return 0;
  const lexent *nx = LX(c, i + 1), *pv = i > c->lo ? LX(c, i - 1) : NULL;
  int ok = 0;
  if (nx &&
      ((nx->cat == C_LATER) ||
       (nx->cat == C_PREP && (nx->val == P_AFTER || nx->val == P_BEFORE)) ||
       (nx->cat == C_REL && nx->val == R_FOLLOWING)))
    ok = 1;
  if (pv && pv->cat == C_PREP &&
      (pv->val == P_FOR || pv->val == P_AFTER || pv->val == P_WITHIN ||
       (pv->val == P_IN && clause_end(c, i + 1))))
    ok = 1;
  if (pv && pv->cat == C_APPROX && pv->val == A_OVER)
    ok = 0; /* over days of talks */
  if (!ok) return 0;
  if (nx && nx->cat == C_LATER && nx->val == L_AGO) {
    /* "years ago": before the reference, at the unit's precision */
    const refdate *rf = ref_for(c, i, i + 2);
    r->first = i;
    r->end = i + 2;
    r->type = TR_DT_DATE;
    if (rf->v.prec == P_NONE) {
      r->v = tv_new(P_YEAR);
      snprintf(r->anchor, sizeof r->anchor, "none");
    } else {
      r->v = cut_to(&rf->v, e->val);
      snprintf(r->anchor, sizeof r->anchor, "%s", rf->anchor);
    }
    r->mod = "BEFORE";
    return 1;
  }
  r->first = i;
  r->end = i + 1;
  r->type = TR_DT_DURATION;
  dur_format(-1, e->val, r->value, sizeof r->value);
  snprintf(r->anchor, sizeof r->anchor, "absolute");
  return 1;
}

static void set_ref(res *r, size_t first, size_t end, const char *val,
                    const refdate *rf) {
  r->first = first;
  r->end = end;
  r->type = TR_DT_DATE;
  snprintf(r->value, sizeof r->value, "%s", val);
  snprintf(r->anchor, sizeof r->anchor, "%s",
           rf && rf->v.prec != P_NONE ? rf->anchor : "none");
  r->v.prec = P_NONE;
}

/* Is r a vague reference (PRESENT_REF...) rather than a calendar value?
** Wrappers such as "early" and "about" do not apply to those. */
#define REFVAL(r) ((r)->v.prec == P_NONE && (r)->value[0])

/* today, tonight, yesterday (morning), tomorrow, now, currently,
** recently, lately, soon. */
static int m_deictic(dctx *c, size_t i, res *r) {
  const lexent *e = LX(c, i);
  const refdate *rf = ref_for(c, i, i + 1);
  switch (e->val) {
  case D_NOW: case D_CURRENTLY: case D_NOWADAYS:
    set_ref(r, i, i + 1, "PRESENT_REF", rf);
    return 1;
  case D_RECENTLY: case D_LATELY:
    set_ref(r, i, i + 1, "PAST_REF", rf);
    return 1;
  case D_SOON:
    set_ref(r, i, i + 1, "FUTURE_REF", rf);
    return 1;
  case D_PRESENT:
    if (i > c->lo && is_w(c, i - 1, C_PREP, P_AT)) {
      set_ref(r, i, i + 1, "PRESENT_REF", rf);
      return 1;
    }
    return 0;
  default: break;
  }
  int off = e->val == D_YESTERDAY ? -1 : e->val == D_TOMORROW ? 1 : 0;
  int tod = e->val == D_TONIGHT ? TOD_NI : 0;
  size_t end = i + 1;
  if (!tod) end = partday_after(c, i + 1, &tod);
  r->first = i;
  r->end = end;
  r->type = TR_DT_DATE;
  if (rf->v.prec != P_DAY) {
    if (e->val == D_TODAY && !tod) {
      /* no day to point at: "today" is the present ("many today...") */
      set_ref(r, i, end, "PRESENT_REF", rf);
      return 1;
    }
    r->v = tv_new(P_DAY);
    r->v.tod = tod;
    snprintf(r->anchor, sizeof r->anchor, "none");
    return 1;
  }
  r->v = shift_days(&rf->v, off);
  r->v.tod = tod;
  snprintf(r->anchor, sizeof r->anchor, "%s", rf->anchor);
  return 1;
}

/* The reference moved by n units, for "last year", "next month", "this
** week". */
static int rel_unit(dctx *c, size_t i, size_t end, int unit, int n, res *r) {
  const refdate *rf = ref_for(c, i, end);
  r->first = i;
  r->end = end;
  r->type = TR_DT_DATE;
  int need = unit == U_YEAR ? P_YEAR : unit == U_MONTH ? P_MONTH : P_DAY;
  if (rf->v.prec < need) {
    r->v = tv_new(unit == U_YEAR      ? P_YEAR
                  : unit == U_MONTH   ? P_MONTH
                  : unit == U_DAY     ? P_DAY
                  : unit == U_WEEKEND ? P_WEEKEND
                                      : P_WEEK);
    snprintf(r->anchor, sizeof r->anchor, "none");
    return 1;
  }
  snprintf(r->anchor, sizeof r->anchor, "%s", rf->anchor);
  switch (unit) {
  case U_YEAR: r->v = tv_new(P_YEAR); r->v.y = rf->v.y + n; break;
  case U_MONTH: r->v = shift_unit(&rf->v, U_MONTH, n); break;
  case U_WEEK: r->v = tv_week(tv_dnum(&rf->v) + 7L * n, P_WEEK); break;
  case U_WEEKEND: /* the weekend of the reference's week, moved */
    r->v = tv_week(tv_dnum(&rf->v) + 7L * n, P_WEEKEND);
    break;
  case U_DAY: r->v = shift_days(&rf->v, n); break;
  default: return 0;
  }
  return 1;
}

/* The previous date at a unit's precision, moved by n units: "the
** following day", "the same month", "that year". */
static int anaphor(dctx *c, size_t first, size_t end, int unit, int n, res *r) {
  r->first = first;
  r->end = end;
  r->type = TR_DT_DATE;
  /* a day or week needs a day: the last stated one */
  const tval *b = &c->prev;
  const char *bval = c->prev_val;
  int has = c->has_prev;
  if ((unit == U_DAY || unit == U_WEEK) &&
      !(has && b->prec == P_DAY && b->d > 0)) {
    b = &c->prev_day;
    bval = c->prev_day_val;
    has = c->has_prev_day;
  }
  int ok = has && (unit == U_YEAR || (unit == U_MONTH && b->m > 0) ||
                   (b->prec == P_DAY && b->d > 0));
  if (!ok) {
    r->v = tv_new(unit == U_YEAR ? P_YEAR : unit == U_MONTH ? P_MONTH
                  : unit == U_DAY ? P_DAY : P_WEEK);
    snprintf(r->anchor, sizeof r->anchor, "none");
    return 1;
  }
  tval base = *b;
  if (unit == U_WEEK && base.y < 0) return 0;
  r->v = n ? shift_unit(&base, unit, n) : cut_to(&base, unit);
  if (!n && unit == U_DAY) r->v = base;
  if (!n && unit == U_WEEK) r->v = tv_week(tv_dnum(&base), P_WEEK);
  snprintf(r->anchor, sizeof r->anchor, "previous date %s", bval);
  return 1;
}

/* "the first quarter of 2020", "the second half of 2019", "Q3 2019". */
static int quarter_at(dctx *c, size_t i, size_t j, int q, int half, res *r) {
  int y = 0;
  size_t k = year_after(c, j, &y, 0);
  if (!y && is_w(c, j, C_PREP, P_OF)) {
    /* "of this year", "of last year" */
    const lexent *f = LX(c, j + 1);
    if (f && f->cat == C_REL && is_w(c, j + 2, C_UNIT, U_YEAR)) {
      res r2;
      if (!rel_unit(c, j + 1, j + 3, U_YEAR,
                    f->val == R_LAST ? -1 : f->val == R_NEXT ? 1 : 0, &r2))
        return 0;
      *r = r2;
      r->first = i;
      r->v.prec = half ? P_HALF : P_QUARTER;
      r->v.part = q;
      return 1;
    }
  }
  r->first = i;
  r->type = TR_DT_DATE;
  if (y) {
    r->end = k;
    r->v = tv_new(half ? P_HALF : P_QUARTER);
    r->v.y = y;
    r->v.part = q;
    snprintf(r->anchor, sizeof r->anchor, "absolute");
    r->stated = 1;
    return 1;
  }
  const refdate *rf = ref_for(c, i, j);
  r->end = j;
  r->v = tv_new(half ? P_HALF : P_QUARTER);
  r->v.part = q;
  if (rf->v.prec >= P_MONTH) {
    int cur = half ? (rf->v.m - 1) / 6 + 1 : (rf->v.m - 1) / 3 + 1;
    int fut = tense(c, i, j) > 0;
    r->v.y = fut ? (q >= cur ? rf->v.y : rf->v.y + 1)
                 : (q <= cur ? rf->v.y : rf->v.y - 1);
    snprintf(r->anchor, sizeof r->anchor, "%s", rf->anchor);
  } else {
    r->v.y = rf->v.prec == P_YEAR ? rf->v.y : -1;
    snprintf(r->anchor, sizeof r->anchor, "%s",
             r->v.y < 0 ? "none" : rf->anchor);
  }
  return 1;
}

/* Seasons: "summer 2019", "the summer of 2019", "in (the) summer",
** "last winter" (the rel recogniser). "fall" needs a year or a
** "last/this/next/early/late" before it ("the fall of Nineveh"). */
static int m_season(dctx *c, size_t i, res *r, int rel, size_t first) {
  const lexent *e = LX(c, i);
  int s = e->val;
  size_t n;
  const char *w = tnorm(c, i, &n);
  int y = 0;
  size_t k = year_after(c, i + 1, &y, 0);
  if (y) {
    r->first = first;
    r->end = k;
    r->type = TR_DT_DATE;
    r->v = tv_new(P_SEASON);
    r->v.y = y;
    r->v.part = s;
    snprintf(r->anchor, sizeof r->anchor, "absolute");
    r->stated = 1;
    return 1;
  }
  int is_fall = n == 4 && memcmp(w, "fall", 4) == 0;
  if (!rel) {
    if (is_fall) return 0;
    /* "in summer", "in the summer", "during the winter", "this spring" */
    size_t p = first;
    if (p > c->lo && is_cat(c, p - 1, C_THE)) p--;
    if (!(p > c->lo && date_lead(c, p - 1)) && !is_cat(c, first, C_THE))
      return 0;
    if (is_w(c, i + 1, C_PREP, P_OF)) return 0; /* the summer of discontent */
  }
  r->first = first;
  r->end = i + 1;
  r->type = TR_DT_DATE;
  resolve_season(c, first, i + 1, s, rel, r);
  return 1;
}

/* last/next/this/past/coming/previous/following/recent/that/same + ... */
static int m_rel(dctx *c, size_t i, res *r) {
  const lexent *e = LX(c, i);
  int rel = e->val;
  const lexent *f = LX(c, i + 1);
  if (!f) return 0;
  int dir = rel == R_LAST || rel == R_PAST || rel == R_PREVIOUS ? -1
            : rel == R_NEXT || rel == R_COMING || rel == R_FOLLOWING ||
              rel == R_UPCOMING ? 1 : 0;
  /* counted spans: "the past two years", "the next few days" */
  if (rel == R_LAST || rel == R_PAST || rel == R_NEXT || rel == R_COMING) {
    long n;
    int is_a;
    size_t j = count_at(c, i + 1, &n, &is_a);
    if (j && !is_a && is_cat(c, j, C_UNIT) && (LX(c, j)->flags & F_PLURAL)) {
      r->first = i;
      r->end = j + 1;
      r->type = TR_DT_DURATION;
      dur_format((int)n, LX(c, j)->val, r->value, sizeof r->value);
      snprintf(r->anchor, sizeof r->anchor, "absolute");
      return 1;
    }
  }
  if (f->cat == C_UNIT && (f->flags & F_PLURAL)) {
    /* "recent months", "the coming weeks", "previous years" */
    const refdate *rf = ref_for(c, i, i + 2);
    if (dir < 0 || rel == R_RECENT) set_ref(r, i, i + 2, "PAST_REF", rf);
    else if (dir > 0) set_ref(r, i, i + 2, "FUTURE_REF", rf);
    else return 0;
    return 1;
  }
  if (f->cat == C_UNIT) {
    int unit = f->val;
    if (unit == U_SEC || unit == U_MIN || unit == U_HOUR || unit == U_DECADE ||
        unit == U_CENTURY || unit == U_FORTNIGHT)
      return 0;
    if (rel == R_THIS && unit == U_DAY) {
      /* "to this day" is the present; "this day" otherwise is vague */
      if (i > c->lo && is_w(c, i - 1, C_PREP, P_TO)) {
        set_ref(r, i, i + 2, "PRESENT_REF", ref_for(c, i, i + 2));
        return 1;
      }
      return 0;
    }
    if (rel == R_LAST || rel == R_NEXT || rel == R_THIS)
      return rel_unit(c, i, i + 2, unit,
                      rel == R_LAST ? -1 : rel == R_NEXT ? 1 : 0, r);
    if (rel == R_THAT || rel == R_SAME)
      return anaphor(c, i, i + 2, unit, 0, r);
    return 0;
  }
  if (rel == R_THIS && f->cat == C_MISC && f->val == W_MOMENT) {
    set_ref(r, i, i + 2, "PRESENT_REF", ref_for(c, i, i + 2));
    return 1;
  }
  if (rel != R_LAST && rel != R_NEXT && rel != R_THIS) return 0;
  if (f->cat == C_MONTH && !(f->flags & F_ABBR)) {
    res r2;
    /* "last May 7" is a full date anyway */
    if (day_at(c, i + 2) && m_month(c, i + 1, &r2)) return 0;
    r->first = i;
    r->end = i + 2;
    r->type = TR_DT_DATE;
    r->stated = 1;
    resolve_month(c, i, i + 2, f->val, rel, r);
    return 1;
  }
  if (f->cat == C_WDAY && !(f->flags & F_ABBR)) {
    int tod;
    size_t k = partday_after(c, i + 2, &tod);
    r->first = i;
    r->end = k;
    r->type = TR_DT_DATE;
    resolve_wday(c, i, k, f->val, rel, r);
    r->v.tod = tod;
    return 1;
  }
  if (f->cat == C_SEASON) return m_season(c, i + 1, r, rel, i);
  if (f->cat == C_PARTDAY && f->val <= TOD_NI) {
    /* "last night", "this morning" */
    if (rel == R_NEXT) return 0;
    if (!rel_unit(c, i, i + 2, U_DAY, rel == R_LAST ? -1 : 0, r)) return 0;
    r->v.tod = f->val;
    return 1;
  }
  if (f->cat == C_MISC && f->val == W_QUARTER) {
    const refdate *rf = ref_for(c, i, i + 2);
    if (rf->v.prec < P_MONTH) return 0;
    long k = (long)rf->v.y * 4 + (rf->v.m - 1) / 3 +
             (rel == R_LAST   ? -1
              : rel == R_NEXT ? 1
                              : 0);
    r->first = i;
    r->end = i + 2;
    r->type = TR_DT_DATE;
    r->v = tv_new(P_QUARTER);
    r->v.y = (int)(k / 4);
    r->v.part = (int)(k % 4) + 1;
    snprintf(r->anchor, sizeof r->anchor, "%s", rf->anchor);
    return 1;
  }
  return 0;
}

/* Decades: "1990s", "the ’90s"; returns the decade digits (199) or -1. */
static int decade_at(const dctx *c, size_t i) {
  if (!in_sent(c, i) || T(c, i)->kind != TR_NUMBER) return -1;
  const char *s = c->text + T(c, i)->start;
  size_t n = T(c, i)->len;
  if (n == 5 && s[4] == 's' && s[3] == '0') {
    int v = 0;
    for (int k = 0; k < 4; k++) {
      if (s[k] < '0' || s[k] > '9') return -1;
      v = v * 10 + (s[k] - '0');
    }
    return v >= 1000 && v <= 2990 ? v / 10 : -1;
  }
  if (n == 3 && s[2] == 's' && s[1] == '0' && s[0] >= '0' && s[0] <= '9' &&
      i > 0 && T(c, i - 1)->kind == TR_PUNCT && touching(c, i - 1)) {
    int v = s[0] - '0';
    return v >= 3 ? 190 + v : 200 + v; /* '90s: 199; '00s: 200 */
  }
  return -1;
}

/* the ...: "the 29th of the same month", "the 25th of June", "the 1990s",
** "the 21st century", "the end of 2019", "the following day", "the day
** before", "the near future", "the first quarter of 2020". */
static int m_the(dctx *c, size_t i, res *r) {
  size_t j = i + 1;
  const lexent *f = LX(c, j);
  /* the 29th (of ...) */
  int d = ordinal_val(c, j);
  if (d >= 1 && d <= 31) {
    size_t k = j + 1;
    if (is_w(c, k, C_PREP, P_OF)) {
      const lexent *g = LX(c, k + 1);
      if (g && g->cat == C_MONTH) {
        int y = 0;
        size_t e = year_after(c, k + 2, &y, 1);
        int mo = g->val;
        if (y) {
          if (!valid_ymd(y, mo, d)) return 0;
          set_abs(r, i, e, tv_day(dnum(y, mo, d)), 1);
          return 1;
        }
        if (d > tr_days_in_month(2000, mo)) return 0;
        r->first = i;
        r->end = k + 2;
        r->type = TR_DT_DATE;
        r->stated = 1;
        resolve_day(c, i, k + 2, mo, d, 0, r);
        return 1;
      }
      /* of the same month / of that month */
      size_t q = k + 1;
      if (is_cat(c, q, C_THE)) q++;
      if ((is_w(c, q, C_REL, R_SAME) || is_w(c, q, C_REL, R_THAT)) &&
          is_w(c, q + 1, C_UNIT, U_MONTH)) {
        r->first = i;
        r->end = q + 2;
        r->type = TR_DT_DATE;
        if (c->has_prev && c->prev.m > 0 &&
            d <=
                tr_days_in_month(c->prev.y > 0 ? c->prev.y : 2000, c->prev.m)) {
          r->v = tv_new(P_DAY);
          r->v.y = c->prev.y;
          r->v.m = c->prev.m;
          r->v.d = d;
          if (c->prev.y > 0) r->v = tv_day(dnum(c->prev.y, c->prev.m, d));
          snprintf(r->anchor, sizeof r->anchor, "previous date %s",
                   c->prev_val);
        } else {
          r->v = tv_new(P_DAY);
          snprintf(r->anchor, sizeof r->anchor, "none");
        }
        return 1;
      }
      if (is_cat(c, q, C_REL) && is_w(c, q + 1, C_UNIT, U_MONTH) &&
          q == k + 1) {
        /* the 5th of last/next/this month */
        res r2;
        const lexent *g2 = LX(c, q);
        if (g2->val != R_LAST && g2->val != R_NEXT && g2->val != R_THIS)
          return 0;
        if (!rel_unit(c, q, q + 2, U_MONTH,
                      g2->val == R_LAST ? -1 : g2->val == R_NEXT ? 1 : 0, &r2))
          return 0;
        *r = r2;
        r->first = i;
        r->v.prec = P_DAY;
        r->v.d = d;
        if (r->v.y > 0 && valid_ymd(r->v.y, r->v.m, d))
          r->v = tv_day(dnum(r->v.y, r->v.m, d));
        return 1;
      }
      return 0;
    }
    /* the 21st century */
    if (is_w(c, k, C_UNIT, U_CENTURY)) {
      r->first = i;
      r->end = k + 1;
      r->type = TR_DT_DATE;
      r->v = tv_new(P_CENT);
      r->v.y = d - 1;
      snprintf(r->anchor, sizeof r->anchor, "absolute");
      return 1;
    }
    if (is_cat(c, k, C_MONTH)) { /* the 25th June */
      if (!m_dispatch(c, j, r)) return 0;
      r->first = i;
      return 1;
    }
    /* "on the 29th." after a stated month */
    if (i > c->lo && is_w(c, i - 1, C_PREP, P_ON) && clause_end(c, k) &&
        c->has_prev && c->prev.m > 0 &&
        d <= tr_days_in_month(c->prev.y > 0 ? c->prev.y : 2000, c->prev.m)) {
      r->first = i;
      r->end = k;
      r->type = TR_DT_DATE;
      r->v = tv_new(P_DAY);
      r->v.y = c->prev.y;
      r->v.m = c->prev.m;
      r->v.d = d;
      if (c->prev.y > 0) r->v = tv_day(dnum(c->prev.y, c->prev.m, d));
      snprintf(r->anchor, sizeof r->anchor, "previous date %s", c->prev_val);
      return 1;
    }
    return 0;
  }
  /* the 1990s, the ’90s */
  size_t dj = j;
  if (is_punct(c, dj, "\xE2\x80\x99") || is_punct(c, dj, "'")) dj++;
  int dec = decade_at(c, dj);
  if (dec >= 0) {
    r->first = i;
    r->end = dj + 1;
    r->type = TR_DT_DATE;
    r->v = tv_new(P_DEC);
    r->v.y = dec;
    snprintf(r->anchor, sizeof r->anchor, "absolute");
    return 1;
  }
  if (!f) return 0;
  switch (f->cat) {
  case C_EDGE:
    if (f->val == E_EARLY || f->val == E_LATE || f->val == E_MID) return 0;
    if (!m_dispatch(c, j, r)) return 0;
    r->first = i;
    return 1;
  case C_REL: {
    const lexent *g = LX(c, j + 1);
    if (f->val == R_FOLLOWING || f->val == R_NEXT || f->val == R_PREVIOUS ||
        f->val == R_SAME) {
      if (g && g->cat == C_UNIT && !(g->flags & F_PLURAL) &&
          (g->val == U_DAY || g->val == U_WEEK || g->val == U_MONTH ||
           g->val == U_YEAR)) {
        int n = f->val == R_SAME ? 0 : f->val == R_PREVIOUS ? -1 : 1;
        return anaphor(c, i, j + 2, g->val, n, r);
      }
    }
    if (f->val == R_PAST && i > c->lo && is_w(c, i - 1, C_PREP, P_IN) &&
        clause_end(c, j + 1)) {
      set_ref(r, i, j + 1, "PAST_REF", ref_for(c, i, j + 1));
      return 1;
    }
    if (!m_rel(c, j, r)) return 0;
    if (r->type == TR_DT_DATE && !REFVAL(r) && f->val == R_LAST) {
      /* "the last week" is a span of time, not last week: leave it */
      return 0;
    }
    r->first = i;
    return 1;
  }
  case C_UNIT:
    if (f->flags & F_ORD2) { /* the second quarter / half */
      const lexent *g = LX(c, j + 1);
      if (g && g->cat == C_MISC && (g->val == W_QUARTER || g->val == W_HALF))
        return quarter_at(c, i, j + 2, 2, g->val == W_HALF, r);
      return 0;
    }
    if (f->val == U_DAY && !(f->flags & F_PLURAL)) {
      /* the day before/after (yesterday/tomorrow) */
      const lexent *g = LX(c, j + 1);
      if (g && g->cat == C_PREP && (g->val == P_BEFORE || g->val == P_AFTER)) {
        int dir = g->val == P_AFTER ? 1 : -1;
        const lexent *h = LX(c, j + 2);
        if (h && h->cat == C_DEIC &&
            (h->val == D_YESTERDAY || h->val == D_TOMORROW)) {
          if (!rel_unit(c, i, j + 3, U_DAY, h->val == D_YESTERDAY ? -2 : 2, r))
            return 0;
          return 1;
        }
        if (!clause_end(c, j + 2)) return 0;
        return anaphor(c, i, j + 2, U_DAY, dir, r);
      }
    }
    if (f->val == U_WEEKEND && !(f->flags & F_PLURAL)) {
      /* "over the weekend": the coming one in the future, else the one
      ** just gone (this week's when the reference is a Saturday or
      ** Sunday) */
      const refdate *rf = ref_for(c, i, j + 1);
      int n = 0;
      if (tense(c, i, j + 1) < 0 && rf->v.prec == P_DAY &&
          wday(tv_dnum(&rf->v)) < 6)
        n = -1;
      return rel_unit(c, i, j + 1, U_WEEKEND, n, r);
    }
    return 0;
  case C_MISC:
    if (f->val == W_FUTURE && i > c->lo && is_w(c, i - 1, C_PREP, P_IN)) {
      set_ref(r, i, j + 1, "FUTURE_REF", ref_for(c, i, j + 1));
      return 1;
    }
    if (f->val == W_NEAR && is_w(c, j + 1, C_MISC, W_FUTURE)) {
      set_ref(r, i, j + 2, "FUTURE_REF", ref_for(c, i, j + 2));
      return 1;
    }
    if (f->val == W_MOMENT && i > c->lo && is_w(c, i - 1, C_PREP, P_AT)) {
      set_ref(r, i, j + 1, "PRESENT_REF", ref_for(c, i, j + 1));
      return 1;
    }
    return 0;
  case C_DEIC:
    if (f->val == D_PRESENT && i > c->lo &&
        (is_w(c, i - 1, C_PREP, P_AT) || is_w(c, i - 1, C_PREP, P_TO) ||
         is_w(c, i - 1, C_PREP, P_UNTIL))) {
      set_ref(r, i, j + 1, "PRESENT_REF", ref_for(c, i, j + 1));
      return 1;
    }
    return 0;
  case C_ORDW: {
    /* the first quarter / the second half (of 2020) */
    const lexent *g = LX(c, j + 1);
    if (g && g->cat == C_MISC && g->val == W_QUARTER)
      return quarter_at(c, i, j + 2, f->val, 0, r);
    if (g && g->cat == C_MISC && g->val == W_HALF && f->val == 1)
      return quarter_at(c, i, j + 2, 1, 1, r);
    return 0;
  }
  case C_SEASON: return m_season(c, j, r, 0, i);
  case C_HOLI: case C_MONTH: case C_WDAY:
    if (!m_dispatch(c, j, r)) return 0;
    return 1; /* "the" is not part of "the June arrest" */
  default: return 0;
  }
}

/* early/late/mid + date, the beginning/middle/start/end of + date. */
static int m_edge(dctx *c, size_t i, res *r) {
  const lexent *e = LX(c, i);
  size_t j = i + 1;
  if (e->val == E_MIDDLE || e->val == E_BEGINNING || e->val == E_START ||
      e->val == E_END) {
    if (!is_w(c, j, C_PREP, P_OF)) return 0;
    j++;
  }
  if (!in_sent(c, j)) return 0;
  res r2;
  memset(&r2, 0, sizeof r2);
  int y = year_at(c, j), dec = decade_at(c, j);
  if (y) {
    set_abs(&r2, j, j + 1, tv_new(P_YEAR), 1);
    r2.v.y = y;
  } else if (dec >= 0) {
    set_abs(&r2, j, j + 1, tv_new(P_DEC), 0);
    r2.v.y = dec;
  } else if (is_cat(c, j, C_THE) && is_cat(c, j + 1, C_UNIT) &&
             !(LX(c, j + 1)->flags & F_PLURAL) &&
             (LX(c, j + 1)->val == U_YEAR || LX(c, j + 1)->val == U_MONTH ||
              LX(c, j + 1)->val == U_WEEK)) {
    /* "the end of the year": the reference's year (month, week) */
    if (!rel_unit(c, j, j + 2, LX(c, j + 1)->val, 0, &r2)) return 0;
  } else if (!m_dispatch(c, j, &r2) ||
             (r2.type != TR_DT_DATE && r2.type != TR_DT_TIME) || REFVAL(&r2)) {
    return 0;
  }
  *r = r2;
  r->first = i;
  r->mod = edge_mod(e->val);
  return 1;
}

/* about/around/nearly/almost/some/over/under/more than/less than + an
** amount or a date. */
static int m_approx(dctx *c, size_t i, res *r) {
  const lexent *e = LX(c, i);
  size_t j = i + 1;
  const char *mod = "APPROX";
  switch (e->val) {
  case A_MORE: case A_LESS: case A_FEWER:
    if (!is_w(c, j, C_MISC, W_THAN)) return 0;
    j++;
    mod = e->val == A_MORE ? "MORE_THAN" : "LESS_THAN";
    break;
  case A_OVER: mod = "MORE_THAN"; break;
  case A_UNDER: mod = "LESS_THAN"; break;
  default: break;
  }
  res r2;
  memset(&r2, 0, sizeof r2);
  if (!in_sent(c, j) || !m_dispatch(c, j, &r2)) return 0;
  int dur = r2.type == TR_DT_DURATION;
  if (!dur && (e->val != A_ABOUT && e->val != A_AROUND && e->val != A_CIRCA))
    return 0;
  if (!dur && REFVAL(&r2)) return 0;
  if (dur && (e->val == A_SOME) && r2.value[1] == 'X') return 0;
  *r = r2;
  r->first = i;
  r->mod = mod;
  return 1;
}

/* at least / at most / up to + an amount. */
static int m_prep(dctx *c, size_t i, res *r) {
  const lexent *e = LX(c, i);
  const char *mod = NULL;
  size_t j = i + 2;
  if (e->val == P_AT && is_w(c, i + 1, C_MISC, W_LEAST)) mod = "EQUAL_OR_MORE";
  else if (e->val == P_AT && is_w(c, i + 1, C_MISC, W_MOST))
    mod = "EQUAL_OR_LESS";
  if (!mod) return 0;
  res r2;
  memset(&r2, 0, sizeof r2);
  if (!m_dispatch(c, j, &r2) || r2.type != TR_DT_DURATION) return 0;
  *r = r2;
  r->first = i;
  r->mod = mod;
  return 1;
}

static int m_up(dctx *c, size_t i, res *r) {
  if (!is_w(c, i + 1, C_PREP, P_TO)) return 0;
  res r2;
  memset(&r2, 0, sizeof r2);
  if (!m_dispatch(c, i + 2, &r2) || r2.type != TR_DT_DURATION) return 0;
  *r = r2;
  r->first = i;
  r->mod = "EQUAL_OR_LESS";
  return 1;
}

/* Holidays: Christmas (Day/Eve), New Year's Day/Eve, Valentine's Day,
** Halloween, Thanksgiving, Easter (Monday), Good Friday, Labor Day,
** Memorial Day, Independence Day, Mother's/Father's Day, Boxing Day,
** Bastille Day, Veterans Day; "May Day" is found by the month. */
static int m_holiday(dctx *c, size_t i, res *r) {
  const lexent *e = LX(c, i);
  int h = e->val, m = -1, d = -1;
  size_t j = i + 1;
  int day_word = is_w(c, j, C_UNIT, U_DAY);
  if (!is_capital(c, i)) return 0;
  switch (h) {
  case H_CHRISTMAS:
    m = 12, d = 25;
    if (day_word) j++;
    else if (is_w(c, j, C_MISC, W_EVE)) d = 24, j++;
    break;
  case H_NEW:
    /* New Year's Day / Eve, New Year */
    if (!is_w(c, j, C_UNIT, U_YEAR) || !is_capital(c, j)) return 0;
    j++;
    if (is_w(c, j, C_MISC, W_YEAR_S)) j++;
    m = 1, d = 1;
    if (is_w(c, j, C_UNIT, U_DAY)) j++;
    else if (is_w(c, j, C_MISC, W_EVE)) m = 12, d = 31, j++;
    else return 0;
    break;
  case H_VALENTINE: case H_MOTHER: case H_FATHER:
    if (is_w(c, j, C_MISC, W_YEAR_S)) j++;
    if (!is_w(c, j, C_UNIT, U_DAY)) return 0;
    j++;
    if (h == H_VALENTINE) m = 2, d = 14;
    break;
  case H_HALLOWEEN: m = 10, d = 31; break;
  case H_THANKSGIVING: if (day_word) j++; break;
  case H_EASTER:
    if (is_w(c, j, C_WDAY, 7)) j++;
    else if (is_w(c, j, C_WDAY, 1)) h = H_EASTER_MONDAY, j++;
    break;
  case H_GOOD:
    if (!is_w(c, j, C_WDAY, 5)) return 0;
    j++;
    break;
  case H_LABOR: case H_MEMORIAL: case H_INDEPENDENCE: case H_BOXING:
  case H_BASTILLE: case H_VETERANS:
    if (!day_word || !is_capital(c, j)) return 0;
    j++;
    if (h == H_INDEPENDENCE) m = 7, d = 4;
    else if (h == H_BOXING) m = 12, d = 26;
    else if (h == H_BASTILLE) m = 7, d = 14;
    else if (h == H_VETERANS) m = 11, d = 11;
    break;
  default: return 0;
  }
  int fixed = m > 0;
  if (fixed) h = 0;
  r->first = i;
  r->type = TR_DT_DATE;
  r->stated = 1;
  int y = year_at(c, j);
  if (y) {
    long z = partial_day(m, d, h, y);
    r->end = j + 1;
    r->v = tv_day(z);
    snprintf(r->anchor, sizeof r->anchor, "absolute");
    return 1;
  }
  r->end = j;
  resolve_day(c, i, j, m, d, h ? h : 0, r);
  if (r->v.y < 0 && !fixed) r->v.m = r->v.d = -1;
  return 1;
}

/* every/each + unit, weekday or month; daily/weekly/monthly/yearly. */
static int m_set(dctx *c, size_t i, res *r) {
  const lexent *e = LX(c, i);
  r->first = i;
  r->type = TR_DT_SET;
  snprintf(r->anchor, sizeof r->anchor, "absolute");
  if (e->val == S_DAILY || e->val == S_WEEKLY || e->val == S_MONTHLY ||
      e->val == S_YEARLY) {
    /* "the Daily Mail": a name */
    if (is_capital(c, i) && i > c->lo) return 0;
    if (is_capital(c, i + 1) && T(c, i + 1)->kind == TR_WORD) return 0;
    r->end = i + 1;
    dur_format(1,
               e->val == S_DAILY     ? U_DAY
               : e->val == S_WEEKLY  ? U_WEEK
               : e->val == S_MONTHLY ? U_MONTH
                                     : U_YEAR,
               r->value, sizeof r->value);
    return 1;
  }
  if (e->val != S_EVERY && e->val != S_EACH) return 0;
  size_t j = i + 1;
  int other = is_w(c, j, C_MISC, W_OTHER);
  if (other) j++;
  const lexent *f = LX(c, j);
  if (!f) return 0;
  if (f->cat == C_WDAY && !(f->flags & F_ABBR)) {
    int tod;
    r->end = partday_after(c, j + 1, &tod);
    tval v = tv_new(P_WDAY);
    v.wd = f->val;
    v.tod = tod;
    tv_format(&v, r->value);
    return 1;
  }
  if (f->cat == C_MONTH && !(f->flags & F_ABBR)) {
    r->end = j + 1;
    snprintf(r->value, sizeof r->value, "XXXX-%02d", f->val);
    return 1;
  }
  long n = 1;
  int is_a;
  size_t k = j;
  if (f->cat != C_UNIT) {
    k = count_at(c, j, &n, &is_a);
    if (!k || is_a || n < 1) return 0;
  }
  const lexent *u = LX(c, k);
  if (!u || u->cat != C_UNIT) return 0;
  if (n == 1 && (u->flags & F_PLURAL)) return 0;
  r->end = k + 1;
  dur_format((int)(other ? 2 * n : n), u->val, r->value, sizeof r->value);
  return 1;
}

/* later/earlier + in the day / that day / that month / that year. */
static int m_later(dctx *c, size_t i, res *r) {
  const lexent *e = LX(c, i);
  if (e->val == L_AGO) return 0;
  size_t j = i + 1;
  if (is_w(c, j, C_PREP, P_IN) && is_cat(c, j + 1, C_THE) &&
      is_cat(c, j + 2, C_UNIT) && !(LX(c, j + 2)->flags & F_PLURAL)) {
    int unit = LX(c, j + 2)->val;
    if (unit != U_DAY && unit != U_WEEK && unit != U_MONTH && unit != U_YEAR)
      return 0;
    return anaphor(c, i, j + 3, unit, 0, r);
  }
  if (is_w(c, j, C_REL, R_THAT) && is_cat(c, j + 1, C_UNIT) &&
      !(LX(c, j + 1)->flags & F_PLURAL)) {
    int unit = LX(c, j + 1)->val;
    if (unit != U_DAY && unit != U_WEEK && unit != U_MONTH && unit != U_YEAR)
      return 0;
    return anaphor(c, i, j + 2, unit, 0, r);
  }
  return 0;
}

/* A clock time at token i ("10:30", "7" + "pm") with a date: the date
** just before it in the sentence, else the reference day. */
static int clock_time(dctx *c, size_t i, size_t end, int hh, int mi, res *r) {
  r->first = i;
  r->end = end;
  r->type = TR_DT_TIME;
  tval v = tv_new(P_DAY);
  const tr_dates *o = c->out;
  if (o->n && c->last_end && i - c->last_end <= 2 && c->last_end > c->lo &&
      c->has_prev && c->prev.prec == P_DAY) {
    v = c->prev;
    snprintf(r->anchor, sizeof r->anchor, "previous date %s", c->prev_val);
  } else {
    const refdate *rf = ref_for(c, i, end);
    if (rf->v.prec == P_DAY) {
      v = rf->v;
      snprintf(r->anchor, sizeof r->anchor, "%s", rf->anchor);
    } else {
      snprintf(r->anchor, sizeof r->anchor, "none");
    }
  }
  v.tod = TOD_CLOCK;
  v.hh = hh;
  v.mi = mi;
  r->v = v;
  return 1;
}

/* Number tokens: numeric dates, "25 June 2020", "25th of June", years,
** decades, clock times, and counts ("48 hours"). */
static int m_number(dctx *c, size_t i, res *r) {
  const tr_token *t = T(c, i);
  const char *s = c->text + t->start;
  tval v;
  /* version numbers: "v1.2.3", "version 2.10.2020" */
  if (i > c->lo && is_w(c, i - 1, C_MISC, W_VERSION)) return 0;
  if (i > c->lo + 1 && is_punct(c, i - 1, ".") && touching(c, i - 1) &&
      touching(c, i - 2))
    return 0;
  if (memchr(s, '/', t->len) || memchr(s, '-', t->len) ||
      memchr(s, '.', t->len)) {
    if (touching(c, i) && is_punct(c, i + 1, ".") && i + 2 < c->hi &&
        touching(c, i + 1) && T(c, i + 2)->kind == TR_NUMBER)
      return 0; /* 1.2.3.4 */
    if (parse_numeric_date(c, i, &v)) {
      set_abs(r, i, i + 1, v, 1);
      return 1;
    }
    /* "on 12/25": a month and a day */
    long a, b;
    char sep, tail, buf[16];
    if (t->len >= 3 && t->len <= 5 && i > c->lo &&
        is_w(c, i - 1, C_PREP, P_ON) &&
        sscanf(tok_copy(c, i, buf, sizeof buf), "%ld%c%ld%c", &a, &sep, &b,
               &tail) == 3 &&
        sep == '/' && a >= 1 && a <= 12 && b >= 1 &&
        b <= tr_days_in_month(2000, (int)a)) {
      int mo = c->dmy ? (int)b : (int)a, d = c->dmy ? (int)a : (int)b;
      if (mo > 12 || d > tr_days_in_month(2000, mo)) return 0;
      r->first = i;
      r->end = i + 1;
      r->type = TR_DT_DATE;
      r->stated = 1;
      resolve_day(c, i, i + 1, mo, d, 0, r);
      return 1;
    }
    return 0;
  }
  if (memchr(s, ':', t->len)) {
    int hh, mi;
    char tail, buf[16];
    if (t->len < 4 || t->len > 5 ||
        sscanf(tok_copy(c, i, buf, sizeof buf), "%d:%d%c", &hh, &mi, &tail) !=
            2 ||
        s[t->len - 3] != ':' || hh > 24 || mi > 59)
      return 0;
    size_t end = i + 1;
    if (is_w(c, end, C_MISC, W_PM) || is_w(c, end, C_MISC, W_AM)) {
      if (hh < 1 || hh > 12) return 0;
      if (is_w(c, end, C_MISC, W_PM) && hh < 12) hh += 12;
      if (is_w(c, end, C_MISC, W_AM) && hh == 12) hh = 0;
      end++;
    }
    return clock_time(c, i, end, hh, mi, r);
  }
  /* ordinals: the 25th of June, 25th June (2020) */
  int od = ordinal_val(c, i);
  if (od) {
    size_t j = i + 1;
    if (is_w(c, j, C_PREP, P_OF)) j++;
    const lexent *g = LX(c, j);
    if (!g || g->cat != C_MONTH || od > 31) return 0;
    int y = 0;
    size_t e = year_after(c, j + 1, &y, 1);
    if (y) {
      if (!valid_ymd(y, g->val, od)) return 0;
      set_abs(r, i, e, tv_day(dnum(y, g->val, od)), 1);
      return 1;
    }
    if (od > tr_days_in_month(2000, g->val)) return 0;
    r->first = i;
    r->end = j + 1;
    r->type = TR_DT_DATE;
    r->stated = 1;
    resolve_day(c, i, j + 1, g->val, od, 0, r);
    return 1;
  }
  int dec = decade_at(c, i);
  if (dec >= 0) {
    if (dec < 190 && !(i > c->lo && date_lead(c, i - 1))) return 0;
    set_abs(r, i, i + 1, tv_new(P_DEC), 0);
    r->v.y = dec;
    return 1;
  }
  int nd;
  long n = digits_val(c, i, &nd);
  if (n < 0) return m_count(c, i, r); /* 1,000 years */
  /* 25 June (2020) */
  const lexent *g = LX(c, i + 1);
  if (nd <= 2 && n >= 1 && n <= 31 && g && g->cat == C_MONTH &&
      !(T(c, i + 1)->flags & TR_F_LOWER && (g->val == 5 || g->val == 3))) {
    size_t j = i + 1;
    if ((g->flags & F_ABBR) && is_punct(c, j + 1, ".")) j++;
    int y = 0;
    size_t e = year_after(c, j + 1, &y, 1);
    if (y) {
      if (!valid_ymd(y, g->val, (int)n)) return 0;
      set_abs(r, i, e, tv_day(dnum(y, g->val, (int)n)), 1);
      return 1;
    }
    if (n > tr_days_in_month(2000, g->val)) return 0;
    r->first = i;
    r->end = j + 1;
    r->type = TR_DT_DATE;
    r->stated = 1;
    resolve_day(c, i, j + 1, g->val, (int)n, 0, r);
    return 1;
  }
  /* 25-06-2020 written as three tokens */
  if (nd <= 2 && is_punct(c, i + 1, "-") && touching(c, i) &&
      touching(c, i + 1) && touching(c, i + 2) && is_punct(c, i + 3, "-") &&
      touching(c, i + 3)) {
    int nd2, nd3;
    long b = digits_val(c, i + 2, &nd2), yy = digits_val(c, i + 4, &nd3);
    if (b >= 0 && nd2 <= 2 && nd3 == 4) {
      /* dashes: day first, unless that is impossible */
      int mo = (int)b, d = (int)n;
      if (mo > 12 && d <= 12) {
        mo = (int)n;
        d = (int)b;
      }
      if (!valid_ymd((int)yy, mo, d)) return 0;
      set_abs(r, i, i + 5, tv_day(dnum((int)yy, mo, d)), 1);
      return 1;
    }
  }
  /* clock: 7 pm, 7 p.m. */
  if (nd <= 2 && n >= 1 && n <= 12 &&
      (is_w(c, i + 1, C_MISC, W_PM) || is_w(c, i + 1, C_MISC, W_AM))) {
    int hh = (int)n;
    if (is_w(c, i + 1, C_MISC, W_PM) && hh < 12) hh += 12;
    if (is_w(c, i + 1, C_MISC, W_AM) && hh == 12) hh = 0;
    return clock_time(c, i, i + 2, hh, 0, r);
  }
  /* counts: 48 hours, 10 days later */
  if (m_count(c, i, r)) return 1;
  /* years */
  if (nd == 4 && n >= 1000 && n <= 2999) {
    int ok = 0;
    if (i > c->lo) {
      const lexent *p = LX(c, i - 1);
      if (p &&
          ((p->cat == C_PREP && p->val != P_AT && p->val != P_FOR &&
            p->val != P_AND && p->val != P_OR && p->val != P_ON) ||
           p->cat == C_EDGE ||
           (p->cat == C_APPROX && (p->val == A_AROUND || p->val == A_CIRCA)) ||
           (p->cat == C_UNIT && p->val == U_YEAR)))
        ok = n >= 1500 && n <= 2199;
      /* a year used as a modifier: "the 2003 invasion", "Iraq's 2005
      ** constitution" (counts are written 2,003 in news) */
      if (p && (p->cat == C_THE || p->cat == C_A ||
                (p->cat == C_MISC && p->val == W_YEAR_S)) &&
          n >= 1900 && n <= 2099 && in_sent(c, i + 1) &&
          T(c, i + 1)->kind == TR_WORD && !is_cat(c, i + 1, C_UNIT))
        ok = 1;
      /* a list or range of years: "2009 and 2017", "2010-2012" */
      if (c->last_year && c->last_end == i - 1 &&
          (is_w(c, i - 1, C_PREP, P_AND) || is_w(c, i - 1, C_PREP, P_OR) ||
           is_dash(c, i - 1) || is_punct(c, i - 1, ",") ||
           is_w(c, i - 1, C_PREP, P_TO)))
        ok = 1;
      /* a citation: "Westphalia Press, 2016", "(2016)" */
      if (n >= 1900 && n <= 2099 &&
          ((is_punct(c, i - 1, "(") && is_punct(c, i + 1, ")")) ||
           (is_punct(c, i - 1, ",") && i >= c->lo + 2 && is_capital(c, i - 2) &&
            (clause_end(c, i + 1) || is_capital(c, i + 1)))))
        ok = 1;
    }
    if (!ok) return 0;
    set_abs(r, i, i + 1, tv_new(P_YEAR), 1);
    r->v.y = (int)n;
    return 1;
  }
  return 0;
}

/* Hyphenated words: mid-June, late-2019, mid-2020s, 48-hour, two-year. */
static int m_hyphen(dctx *c, size_t i, res *r) {
  size_t n;
  const char *s = tnorm(c, i, &n);
  const char *dash = memchr(s, '-', n);
  if (!dash) return 0;
  size_t a = (size_t)(dash - s), b = n - a - 1;
  int ea = lex_find(s, a);
  if (ea >= 0 && lexicon[ea].cat == C_EDGE &&
      (lexicon[ea].val == E_MID || lexicon[ea].val == E_EARLY ||
       lexicon[ea].val == E_LATE)) {
    const char *p = dash + 1;
    int eb = lex_find(p, b);
    r->first = i;
    r->end = i + 1;
    r->type = TR_DT_DATE;
    r->mod = edge_mod(lexicon[ea].val);
    if (eb >= 0 && lexicon[eb].cat == C_MONTH &&
        !(lexicon[eb].flags & F_ABBR)) {
      r->stated = 1;
      resolve_month(c, i, i + 1, lexicon[eb].val, 0, r);
      return 1;
    }
    int y = 0;
    size_t k = 0;
    while (k < b && p[k] >= '0' && p[k] <= '9') y = y * 10 + (p[k++] - '0');
    if (k == 4 && b == 4 && y >= 1000) {
      set_abs(r, i, i + 1, tv_new(P_YEAR), 1);
      r->v.y = y;
      r->mod = edge_mod(lexicon[ea].val);
      return 1;
    }
    if (k == 4 && b == 5 && p[4] == 's' && y % 10 == 0) {
      set_abs(r, i, i + 1, tv_new(P_DEC), 0);
      r->v.y = y / 10;
      r->mod = edge_mod(lexicon[ea].val);
      return 1;
    }
    r->mod = NULL;
    return 0;
  }
  /* 48-hour, two-year, ten-day: an amount used as an adjective */
  long num = -1;
  if (a >= 1 && a <= 4 && s[0] >= '0' && s[0] <= '9') {
    num = 0;
    for (size_t k = 0; k < a; k++) {
      if (s[k] < '0' || s[k] > '9') return 0;
      num = num * 10 + (s[k] - '0');
    }
  } else if (ea >= 0 && lexicon[ea].cat == C_NUMW) {
    num = lexicon[ea].val;
  }
  if (num <= 0) return 0;
  int ub = lex_find(dash + 1, b);
  if (ub < 0 || lexicon[ub].cat != C_UNIT || (lexicon[ub].flags & F_PLURAL))
    return 0;
  r->first = i;
  r->end = i + 1;
  r->type = TR_DT_DURATION;
  dur_format((int)num, lexicon[ub].val, r->value, sizeof r->value);
  snprintf(r->anchor, sizeof r->anchor, "absolute");
  return 1;
}

/* Q1..Q4 (2020). */
static int m_quarter_word(dctx *c, size_t i, res *r) {
  const lexent *e = LX(c, i);
  if (!is_capital(c, i)) return 0;
  return quarter_at(c, i, i + 1, e->val - W_Q1 + 1, 0, r);
}

/* noon, midnight. */
static int m_partday(dctx *c, size_t i, res *r) {
  const lexent *e = LX(c, i);
  if (e->val == TOD_NOON) return clock_time(c, i, i + 1, 12, 0, r);
  if (e->val == TOD_MIDNIGHT) return clock_time(c, i, i + 1, 24, 0, r);
  return 0;
}

/* Try every recogniser that may start at token i (also from wrappers:
** "early", "about", "the" call it on the token after them). */
static int m_dispatch(dctx *c, size_t i, res *r) {
  if (!in_sent(c, i)) return 0;
  const tr_token *t = T(c, i);
  memset(r, 0, sizeof *r);
  if (t->kind == TR_NUMBER) return m_number(c, i, r);
  if (t->kind != TR_WORD) return 0;
  const lexent *e = LX(c, i);
  if (!e) {
    if (t->flags & TR_F_HYPHENATED)
      return m_hyphen(c, i, r) || m_count(c, i, r);
    return 0;
  }
  switch (e->cat) {
  case C_MONTH:
    if (e->val == 5 && is_capital(c, i) && is_w(c, i + 1, C_UNIT, U_DAY) &&
        is_capital(c, i + 1)) {
      /* May Day */
      r->first = i;
      r->end = i + 2;
      r->type = TR_DT_DATE;
      r->stated = 1;
      resolve_day(c, i, i + 2, 5, 1, 0, r);
      return 1;
    }
    return m_month(c, i, r);
  case C_WDAY: return m_weekday(c, i, r);
  case C_THE: return m_the(c, i, r);
  case C_REL: return m_rel(c, i, r);
  case C_DEIC: return m_deictic(c, i, r);
  case C_EDGE: return m_edge(c, i, r);
  case C_APPROX: return m_approx(c, i, r);
  case C_NUMW: case C_A: case C_FUZZY: return m_count(c, i, r);
  case C_UNIT: return m_units(c, i, r);
  case C_HOLI: return m_holiday(c, i, r);
  case C_SET: return m_set(c, i, r);
  case C_SEASON: return m_season(c, i, r, 0, i);
  case C_LATER: return m_later(c, i, r);
  case C_PARTDAY: return m_partday(c, i, r);
  case C_PREP: return m_prep(c, i, r);
  case C_MISC:
    if (e->val >= W_Q1 && e->val <= W_Q4) return m_quarter_word(c, i, r);
    if (e->val == W_UP) return m_up(c, i, r);
    return 0;
  default: return 0;
  }
}

/* ------------------------------------------------------------------ */
/* Driver                                                              */
/* ------------------------------------------------------------------ */

/* Evidence for day-first numeric dates: a slash date whose first number
** cannot be a month (25/12/2020) and none whose second cannot be. */
static int prefer_dmy(const dctx *c) {
  int dmy = 0, mdy = 0;
  for (size_t i = 0; i < c->toks->n; i++) {
    const tr_token *t = T(c, i);
    if (t->kind != TR_NUMBER || t->len < 5 || t->len > 10) continue;
    int a, b, y;
    char s1, s2, tail, buf[16];
    if (sscanf(tok_copy(c, i, buf, sizeof buf), "%d%c%d%c%d%c", &a, &s1, &b,
               &s2, &y, &tail) != 5 ||
        s1 != '/' || s2 != '/')
      continue;
    if (a > 12 && b <= 12) dmy++;
    else if (b > 12 && a <= 12) mdy++;
  }
  return dmy > mdy;
}

/* Recognisers see one sentence at a time; tokens outside any sentence
** (there are none with tr_sentences, but given spans may leave gaps) are
** their own range. */
static void enter_sentence(dctx *c, size_t i) {
  const tr_spans *ss = c->sents;
  while (c->sent < ss->n &&
         ss->v[c->sent].tok_first + ss->v[c->sent].tok_count <= i)
    c->sent++;
  if (c->sent < ss->n && ss->v[c->sent].tok_first <= i) {
    c->lo = ss->v[c->sent].tok_first;
    c->hi = c->lo + ss->v[c->sent].tok_count;
  } else {
    c->lo = i;
    c->hi = i + 1;
  }
}

/* Can a word of this lexicon entry start an expression? (Most
** prepositions and the tense cues cannot; m_dispatch would return 0.) */
static int starts(int k) {
  const lexent *e = &lexicon[k];
  switch (e->cat) {
  case C_TENSE: case C_ORDW: case C_NONE: return 0;
  case C_PREP: return e->val == P_AT;
  case C_MISC: return (e->val >= W_Q1 && e->val <= W_Q4) || e->val == W_UP;
  default: return 1;
  }
}

static int run(dctx *c) {
  size_t n = c->toks->n;
  c->lx = malloc((n ? n : 1) * sizeof *c->lx);
  if (!c->lx) return -1;
  pthread_once(&lex_once, lex_build);
  for (size_t i = 0; i < n; i++) {
    const tr_token *t = T(c, i);
    c->lx[i] = -1;
    if (t->kind == TR_WORD && t->norm_len <= 16) {
      size_t k;
      const char *s = tnorm(c, i, &k);
      c->lx[i] = (int16_t)lex_find(s, k);
    }
  }
  c->dmy = prefer_dmy(c);
  c->hi = 0;
  for (size_t i = 0; i < n;) {
    if (i >= c->hi || i < c->lo) enter_sentence(c, i);
    const tr_token *t = T(c, i);
    /* cheap exit for the common token: a word that starts nothing */
    if (t->kind != TR_NUMBER &&
        (t->kind != TR_WORD ||
         (c->lx[i] < 0 ? !(t->flags & TR_F_HYPHENATED) : !starts(c->lx[i])))) {
      i++;
      continue;
    }
    res r;
    if (m_dispatch(c, i, &r) && r.end > r.first && r.first >= c->lo) {
      /* never reach back over an emitted span */
      if (r.first < c->last_end) r.first = c->last_end;
      if (emit(c, &r)) {
        free(c->lx);
        return -1;
      }
      c->last_year = r.type == TR_DT_DATE && r.v.prec == P_YEAR && !r.mod;
      c->last_end = r.end;
      i = r.end;
    } else {
      i++;
    }
  }
  free(c->lx);
  return 0;
}

int tr_dates_find(const char *text, size_t len, const tr_tokens *toks,
                  const tr_spans *sents, const char *ref, tr_dates *out) {
  dctx c;
  memset(&c, 0, sizeof c);
  c.text = text;
  c.len = len;
  c.out = out;
  c.cite.v.prec = P_NONE;
  tr_tokens own;
  tr_spans own_s;
  tr_tokens_init(&own);
  tr_spans_init(&own_s);
  int rc = 0;
  if (!toks) {
    if (tr_tokenize(text, len, NULL, &own)) { rc = -1; goto done; }
    toks = &own;
    sents = NULL;
  }
  if (!sents) {
    if (tr_sentences(text, len, toks, &own_s)) { rc = -1; goto done; }
    sents = &own_s;
  }
  c.toks = toks;
  c.sents = sents;
  if (ref && parse_iso(ref, &c.ref.v)) {
    snprintf(c.ref.anchor, sizeof c.ref.anchor, "document date");
  } else {
    char hd[11];
    c.ref.v = tv_new(P_NONE);
    if (tr_header_date(text, len, hd) >= 0 && parse_iso(hd, &c.ref.v))
      snprintf(c.ref.anchor, sizeof c.ref.anchor, "dateline %s", hd);
    else
      c.ref.v.prec = P_NONE;
  }
  rc = run(&c);
done:
  tr_tokens_free(&own);
  tr_spans_free(&own_s);
  return rc;
}

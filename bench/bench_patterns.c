/*
** bench_patterns.c — throughput of trawl's rule matchers on a document
** stream: the token pattern matcher (engine/pattern.c) with a set of 50
** spaCy-style patterns of the kind a rule file holds (titles, names, dates,
** numbers, organisations; some greedy, some with REGEX, LENGTH, negation,
** wildcards and ranges), and the regex matcher (engine/regex.c) with a set
** of 20 typical regexes (dates, money, percentages, acronyms, handles,
** hashtags, URLs, e-mails, years, ordinals, times, phone numbers, quoted
** spans...). A rule set usually holds both, and the figure that matters is
** the two together: "50 token patterns plus 20 regexes at 30 MB/s or more".
**
** Reads one file, splits it into documents at form feeds ('\f'; documents
** longer than -d bytes are cut at the last blank line, else line end,
** before that size), then for every document runs tr_tokenize(), then
** tr_patterns_match(), then tr_regexes_match() (with a capture list, as the
** rules engine calls it), RUNS times, and reports the best run (by the
** whole loop's time). Each call is timed apart, so the report gives MB/s
** of: tokenizing; the patterns alone; the regexes alone; patterns plus
** regexes (COMBINED, tokenizing excluded); and all three (COMBINED with
** tokenizing, the whole loop). Token, match and capture lists are reused
** from one document to the next. 1 MB = 10^6 bytes. Pin it to one core
** from outside (taskset -c 0). The thread's CPU time is measured too and
** shown next to the wall clock: on a loaded machine it is the fairer
** figure. -p 0 or -x 0 leaves one matcher out.
**
** The last line of output is machine-readable:
**   RESULT tool=trawl-patterns bytes=N docs=N seconds=S match_seconds=S
**          cpu_seconds=S cpu_match_seconds=S tokens=N matches=N
**          patterns=N load_seconds=S runs=N tokenize_seconds=S
**          regex_seconds=S regexes=N regex_matches=N combined_seconds=S
**          cpu_combined_seconds=S
** where seconds is the whole loop (tokenize + patterns + regexes),
** match_seconds the patterns alone, combined_seconds patterns + regexes.
*/
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* clock_gettime under -std=c11 */
#endif
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "match.h"
#include "pattern.h"
#include "regex.h"
#include "tokenize.h"

/* The patterns, in the notation of tests/c/test_pattern.c: specs separated
** by spaces; a spec is "{}" or preds joined by '&', then '%' and an OP;
** a pred is ATTR then = (EQ), ~ (REGEX), @ (IN, comma list), ^ (NOT_IN),
** <, <=, >, >=, != and a value. The leading digit is the greedy filter
** (0 none, 1 FIRST, 2 LONGEST). */
#define MONTHS "january,february,march,april,may,june,july,august," \
               "september,october,november,december,jan,feb,mar,apr," \
               "jun,jul,aug,sep,sept,oct,nov,dec"
#define CITIES "baghdad,basra,mosul,erbil,najaf,karbala,kirkuk,tikrit," \
               "fallujah,ramadi,samarra,nasiriyah,sulaymaniyah,diyala," \
               "anbar,nineveh,dohuk,amarah,kut,hillah"
#define COUNTRIES "iraq,iran,syria,lebanon,turkey,israel,jordan,kuwait," \
                  "saudi,qatar,yemen,egypt,russia,china,america,britain," \
                  "france,germany,us,u.s.,usa,uk"
static const char *const bench_patterns[] = {
  "0 LOWER=prime LOWER=minister",
  "2 LOWER=prime LOWER=minister IS_TITLE=1%? "
  "LOWER@kadhimi,kazemi,al-kadhimi,kazime,al-kazemi",
  "2 IS_TITLE=1%{2,4}",
  "1 LOWER@mr,mrs,ms,dr,gen,general,president,sheikh,ayatollah,colonel "
  "IS_TITLE=1%{1,3}",
  "0 LIKE_NUM=1 LOWER@percent,per,pct",
  "0 LOWER@" MONTHS " LIKE_NUM=1 ORTH=,%? LIKE_NUM=1%?",
  "0 LIKE_NUM=1 LOWER@" MONTHS " LIKE_NUM=1%?",
  "0 ORTH~^(19|20)\\d\\d$",
  "2 LOWER=the IS_TITLE=1%+ LOWER@army,forces,brigades,militia,militias,"
  "movement,party,front,council",
  "0 LOWER@" COUNTRIES " ORTH='s%?",
  "0 LOWER@kataib,kata'ib,khataib LOWER=hezbollah",
  "0 LOWER=popular LOWER@mobilization,mobilisation LOWER@forces,units,"
  "committee",
  "0 LOWER@pmf,pmu,kh,aah,irgc,isis,isil,daesh,nato,un",
  "0 KIND=hashtag",
  "0 KIND=mention",
  "0 KIND=url",
  "0 LOWER@said,told,stated,added,announced,claimed,warned {}%{,3} "
  "IS_TITLE=1%+",
  "0 LOWER=according LOWER=to {}%{1,3}",
  "0 LENGTH>=14&IS_ALPHA=1",
  "0 ORTH~^U\\.?S\\.?$ IS_TITLE=1%?",
  "0 LOWER@killed,wounded,injured,kidnapped,arrested LIKE_NUM=1%?",
  "0 LIKE_NUM=1 LOWER@people,soldiers,fighters,civilians,members,rockets,"
  "militants,protesters",
  "0 LOWER@rocket,rockets,drone,drones,missile,missiles "
  "LOWER@attack,attacks,strike,strikes,fire",
  "0 LOWER@" CITIES,
  "0 SHAPE=dd/dd/dd",
  "0 LOWER=green LOWER=zone",
  "2 LOWER=al ORTH=-%? IS_TITLE=1",
  "0 LOWER@militia,militias,group,groups,faction,factions "
  "LOWER@leader,leaders,commander,commanders,member,members",
  "0 LOWER=not LOWER=only%!",
  "0 ORTH~^[A-Z]{2,5}$&LENGTH<=5",
  "2 LOWER=minister LOWER=of IS_TITLE=1%+",
  "0 LOWER=between {}%{1,3} LOWER=and",
  "0 LOWER@iranian,iraqi,american,kurdish,sunni,shiite,shia "
  "ORTH=-%? LOWER@backed,aligned,affiliated,led",
  "0 IS_TITLE=1 LOWER@university,institute,center,centre,ministry",
  "0 LOWER=the LOWER@united LOWER@states,nations,kingdom",
  "0 LOWER@election,elections,vote,referendum LOWER=in%? LIKE_NUM=1%?",
  "1 LOWER=$ LIKE_NUM=1 LOWER@million,billion,thousand%?",
  "0 LIKE_NUM=1 LOWER@million,billion LOWER@dollars,dinars%?",
  "0 LOWER@prime,foreign,defense,defence,interior,oil,finance "
  "LOWER@minister,ministry",
  "0 LOWER=grand LOWER=ayatollah IS_TITLE=1%+",
  "0 LOWER@muqtada,moqtada LOWER@al-sadr,sadr",
  "0 LOWER=qassem%? LOWER@soleimani,suleimani",
  "0 LOWER=abu IS_TITLE=1%{1,2}",
  "2 IS_UPPER=1&LENGTH>=2 IS_UPPER=1%*",
  "0 LOWER@security,armed LOWER=forces",
  "0 LOWER=on LOWER@monday,tuesday,wednesday,thursday,friday,saturday,"
  "sunday",
  "0 LOWER~^(anti|pro)-",
  "0 IS_PUNCT=1&ORTH@(,[ {}%{1,5} IS_PUNCT=1&ORTH@),]",
  "0 LOWER@the,a LOWER@new,former,current LOWER@government,cabinet,"
  "prime,president",
  "0 LOWER=house LOWER=of LOWER=representatives",
};
#define NPATTERNS (sizeof bench_patterns / sizeof bench_patterns[0])

/* The regexes, with their flags (NULL: none): what a rule file for news
** text typically holds besides token patterns. */
#define MONTH_RE "(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|" \
                 "June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|" \
                 "Nov(?:ember)?|Dec(?:ember)?)"
static const struct {
  const char *re, *flags;
} bench_regexes[] = {
  /* numeric dates: 12/25/20, 2020-06-25 */
  { "\\b\\d{1,2}/\\d{1,2}/\\d{2,4}\\b", NULL },
  { "\\b\\d{4}-\\d{2}-\\d{2}\\b", NULL },
  /* month-name dates: June 25, 2020; 25 June 2020 */
  { "\\b" MONTH_RE "\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?(?:,\\s*\\d{4})?\\b",
    NULL },
  { "\\b\\d{1,2}\\s+" MONTH_RE "\\b(?:\\s+\\d{4})?", NULL },
  /* weekdays */
  { "\\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\\b",
    NULL },
  /* money: $5, $1,000.50 million, 3 billion dollars */
  { "\\$\\s?\\d+(?:[.,]\\d+)*(?:\\s?(?:million|billion|thousand))?", NULL },
  { "\\b\\d+(?:[.,]\\d+)*\\s+(?:million\\s+|billion\\s+)?"
    "(?:dollars|dinars|euros)\\b", "i" },
  /* percentages: 15%, 3.5 percent */
  { "\\b\\d+(?:\\.\\d+)?\\s?(?:%|percent\\b|per\\s+cent\\b)", NULL },
  /* acronyms */
  { "\\b[A-Z]{2,5}\\b", NULL },
  /* handles and hashtags */
  { "(?<![\\w@])@(?<handle>\\w+)", NULL },
  { "(?<![\\w#])#(?<tag>\\w+)", NULL },
  /* URLs and e-mails */
  { "\\b(?:https?://|www\\.)[^\\s<>\"]+", "i" },
  { "\\b[\\w.+-]+@[\\w-]+\\.[\\w.]+\\b", NULL },
  /* years, ordinals, times */
  { "\\b(?:19|20)\\d{2}s?\\b", NULL },
  { "\\b\\d+(?:st|nd|rd|th)\\b", "i" },
  { "\\b(?<h>\\d{1,2}):(?<m>\\d{2})(?:\\s?(?:[ap]\\.?m\\.?))?", "i" },
  /* phone numbers: +964 770 123 4567, (202) 555-0143 */
  { "(?:\\+\\d{1,3}[\\s.-]?)?(?:\\(\\d{3}\\)|\\b\\d{3})[\\s.-]?\\d{3}"
    "[\\s.-]?\\d{4}\\b", NULL },
  /* quoted spans, straight and curly */
  { "\"[^\"\\n]{1,200}\"|\xe2\x80\x9c[^\xe2\x80\x9d\\n]{1,200}"
    "\xe2\x80\x9d", NULL },
  /* distances, and thousands-separated numbers */
  { "\\b(?<num>\\d+(?:[.,]\\d+)?)\\s*(?<unit>km|kilometers|kilometres|"
    "miles)\\b", "i" },
  { "\\b\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?\\b", NULL },
};
#define NREGEXES (sizeof bench_regexes / sizeof bench_regexes[0])

/* ---- pattern notation -------------------------------------------------- */

typedef struct built {
  tr_tok_spec specs[16];
  tr_pred preds[16][4];
  char *strs[512];     /* everything allocated, freed after the add */
  size_t nstrs;
  size_t nspecs;
} built;

/* A block owned by b (freed with it). */
static void *own(built *b, size_t n) {
  char *d = malloc(n + 1);
  if (!d || b->nstrs == sizeof b->strs / sizeof b->strs[0]) {
    fprintf(stderr, "bench_patterns: out of memory\n");
    exit(2);
  }
  b->strs[b->nstrs++] = d;
  return d;
}

static char *keep(built *b, const char *s, size_t n) {
  char *d = own(b, n);
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

static void die_pat(const char *pat, const char *why) {
  fprintf(stderr, "bench_patterns: pattern '%s': %s\n", pat, why);
  exit(2);
}

static void parse_pred(built *b, const char *pat, const char *s, size_t len,
                       tr_pred *q) {
  static const struct { const char *s; tr_pred_op op; } ops[] = {
    { "<=", TR_P_LE }, { ">=", TR_P_GE }, { "!=", TR_P_NE }, { "<", TR_P_LT },
    { ">", TR_P_GT }, { "=", TR_P_EQ }, { "~", TR_P_REGEX }, { "@", TR_P_IN },
    { "^", TR_P_NOT_IN },
  };
  memset(q, 0, sizeof *q);
  size_t a = 0;
  while (a < len && ((s[a] >= 'A' && s[a] <= 'Z') || s[a] == '_')) a++;
  q->attr = tr_attr_from_name(s, a);
  if (!q->attr) die_pat(pat, "unknown attribute");
  size_t v = a;
  for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
    size_t l = strlen(ops[i].s);
    if (len - a >= l && memcmp(s + a, ops[i].s, l) == 0) {
      q->op = ops[i].op;
      v = a + l;
      break;
    }
  }
  if (v == a) die_pat(pat, "no predicate");
  const char *val = s + v;
  size_t vlen = len - v;
  tr_attr t = q->attr;
  int str = t == TR_A_ORTH || t == TR_A_TEXT || t == TR_A_LOWER ||
            t == TR_A_NORM || t == TR_A_SHAPE || t == TR_A_KIND;
  if (q->op == TR_P_IN || q->op == TR_P_NOT_IN) {
    if (!str) die_pat(pat, "numeric sets are not used here");
    size_t cnt = 1;
    for (size_t i = 0; i < vlen; i++) cnt += val[i] == ',';
    const char **set = own(b, cnt * sizeof *set);
    const char *p = val, *end = val + vlen;
    for (size_t k = 0; k < cnt; k++) {
      const char *c = memchr(p, ',', (size_t)(end - p));
      const char *e = c ? c : end;
      set[k] = keep(b, p, (size_t)(e - p));
      p = c ? c + 1 : end;
    }
    q->set = set;
    q->nset = cnt;
  } else if (str) {
    q->str = keep(b, val, vlen);
    q->len = vlen;
  } else {
    char *tmp = keep(b, val, vlen);
    q->is_num = 1;
    q->num = strtod(tmp, NULL);
  }
}

static void build(built *b, const char *pat, int *greedy) {
  memset(b, 0, sizeof *b);
  *greedy = pat[0] - '0';
  const char *p = pat + 1;
  while (*p) {
    while (*p == ' ') p++;
    if (!*p) break;
    const char *e = p;
    while (*e && *e != ' ') e++;
    if (b->nspecs == 16) die_pat(pat, "too many specs");
    tr_tok_spec *s = &b->specs[b->nspecs];
    const char *pct = memchr(p, '%', (size_t)(e - p));
    const char *pe = pct ? pct : e;
    s->op = TR_OP_ONE;
    s->min = s->max = 1;
    if (pct) {
      const char *why;
      tr_tok_op op;
      unsigned mn, mx;
      if (tr_tok_op_parse(pct + 1, (size_t)(e - pct - 1), &op, &mn, &mx,
                          &why) != 0)
        die_pat(pat, why);
      s->op = op;
      s->min = mn;
      s->max = mx;
    }
    if (!(pe - p == 2 && p[0] == '{' && p[1] == '}') && pe > p) {
      size_t n = 0;
      const char *a = p;
      while (a < pe) {
        const char *amp = memchr(a, '&', (size_t)(pe - a));
        const char *ae = amp ? amp : pe;
        if (n == 4) die_pat(pat, "too many predicates");
        parse_pred(b, pat, a, (size_t)(ae - a), &b->preds[b->nspecs][n++]);
        a = amp ? amp + 1 : pe;
      }
      s->preds = b->preds[b->nspecs];
      s->npreds = n;
    }
    b->nspecs++;
    p = e;
  }
}

static void built_free(built *b) {
  for (size_t i = 0; i < b->nstrs; i++) free(b->strs[i]);
}

/* ---- documents ---------------------------------------------------------- */

typedef struct doc {
  size_t off, len;
} doc;

typedef struct docs {
  doc *v;
  size_t n, cap;
} docs;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU time of this thread: on a busy machine the wall clock also counts
** the time other processes had the core. */
static double cpu_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what) {
  fprintf(stderr, "bench_patterns: %s: %s\n", what, strerror(errno));
  exit(2);
}

static void usage(void) {
  fputs("usage: bench_patterns [-r RUNS] [-m MAX_BYTES] [-d MAX_DOC] "
        "[-p NPATTERNS] [-x NREGEXES] FILE\n"
        "  -r RUNS       timed runs, the best one is reported (3)\n"
        "  -m MAX_BYTES  only the leading documents up to this many bytes\n"
        "  -d MAX_DOC    cut documents longer than this (1048576)\n"
        "  -p N          use only the first N of the 50 patterns (0: none)\n"
        "  -x N          use only the first N of the 20 regexes (0: none)\n",
        stderr);
  exit(2);
}

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) die(path);
  if (fseek(f, 0, SEEK_END) != 0) die(path);
  long size = ftell(f);
  if (size < 0 || fseek(f, 0, SEEK_SET) != 0) die(path);
  char *buf = malloc((size_t)size + 1);
  if (!buf) die("malloc");
  if (fread(buf, 1, (size_t)size, f) != (size_t)size) die(path);
  fclose(f);
  buf[size] = '\0';
  *len = (size_t)size;
  return buf;
}

static void push_doc(docs *d, size_t off, size_t len) {
  if (len == 0) return;
  if (d->n == d->cap) {
    d->cap = d->cap ? d->cap * 2 : 1024;
    d->v = realloc(d->v, d->cap * sizeof *d->v);
    if (!d->v) die("realloc");
  }
  d->v[d->n].off = off;
  d->v[d->n].len = len;
  d->n++;
}

/* Where to cut text[0..len) (len > max) at or before max: after the last
** blank line, else after the last line end, else at a UTF-8 boundary. */
static size_t cut_point(const char *text, size_t max) {
  for (size_t i = max; i >= 2; i--)
    if (text[i - 1] == '\n' && text[i - 2] == '\n') return i;
  for (size_t i = max; i >= 1; i--)
    if (text[i - 1] == '\n') return i;
  size_t i = max;
  while (i > 1 && ((unsigned char)text[i] & 0xC0) == 0x80) i--;
  return i;
}

static void split_docs(const char *text, size_t len, size_t max_doc,
                       size_t max_bytes, docs *out) {
  size_t total = 0, start = 0;
  while (start < len && total < max_bytes) {
    const char *ff = memchr(text + start, '\f', len - start);
    size_t end = ff ? (size_t)(ff - text) : len;
    size_t off = start;
    while (end - off > max_doc) {
      size_t cut = cut_point(text + off, max_doc);
      push_doc(out, off, cut);
      total += cut;
      off += cut;
    }
    push_doc(out, off, end - off);
    total += end - off;
    start = end + 1;
  }
}

/* Times of one run, summed over the documents: wall and thread CPU. */
typedef struct times {
  double all, tok, pat, re;    /* wall: whole loop and each call */
  double call, ctok, cpat, cre; /* CPU: the same */
} times;

static double mbps(double bytes, double secs) {
  return secs > 0 ? bytes / 1e6 / secs : 0;
}

int main(int argc, char **argv) {
  int runs = 3;
  size_t max_bytes = SIZE_MAX, max_doc = 1u << 20, npat = NPATTERNS;
  size_t nre = NREGEXES;
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (i + 1 >= argc) usage();
    if (strcmp(argv[i], "-r") == 0) runs = atoi(argv[++i]);
    else if (strcmp(argv[i], "-m") == 0)
      max_bytes = (size_t)strtoull(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "-d") == 0)
      max_doc = (size_t)strtoull(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "-p") == 0)
      npat = (size_t)strtoull(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "-x") == 0)
      nre = (size_t)strtoull(argv[++i], NULL, 10);
    else usage();
  }
  if (i + 1 != argc || runs < 1 || max_doc < 16 || npat > NPATTERNS ||
      nre > NREGEXES)
    usage();

  double t0 = now();
  size_t len;
  char *text = read_file(argv[i], &len);
  docs d = { 0 };
  split_docs(text, len, max_doc, max_bytes, &d);
  tr_patterns *pats = tr_patterns_new();
  if (!pats) die("tr_patterns_new");
  for (size_t k = 0; k < npat; k++) {
    built b;
    int greedy;
    build(&b, bench_patterns[k], &greedy);
    char *err = NULL;
    if (tr_patterns_add(pats, b.specs, b.nspecs, (uint32_t)k, (uint32_t)k, 0,
                        greedy, &err) != 0)
      die_pat(bench_patterns[k], err ? err : "?");
    built_free(&b);
  }
  tr_regexes *res = tr_regexes_new(NULL);
  if (!res) die("tr_regexes_new");
  for (size_t k = 0; k < nre; k++) {
    char *err = NULL;
    const char *re = bench_regexes[k].re;
    if (tr_regexes_add(res, re, strlen(re), bench_regexes[k].flags,
                       (uint32_t)k, (uint32_t)(NPATTERNS + k), 0, &err) != 0) {
      fprintf(stderr, "bench_patterns: regex '%s': %s\n", re,
              err ? err : "out of memory");
      return 2;
    }
  }
  double load = now() - t0;

  size_t bytes = 0;
  for (size_t k = 0; k < d.n; k++) bytes += d.v[k].len;

  tr_tokens toks;
  tr_matches m, rm;
  tr_regex_caps caps;
  tr_tokens_init(&toks);
  tr_matches_init(&m);
  tr_matches_init(&rm);
  tr_regex_caps_init(&caps);
  times best = { -1, 0, 0, 0, 0, 0, 0, 0 };
  double best_cpu = -1, best_cpu_match = 0, best_cpu_comb = 0;
  uint64_t ntok = 0, nmatch = 0, nrematch = 0;
  uint64_t per_rule[NPATTERNS] = { 0 }, per_re[NREGEXES] = { 0 };
  for (int r = 0; r < runs; r++) {
    uint64_t rt = 0, rmn = 0, rre = 0;
    times t = { 0, 0, 0, 0, 0, 0, 0, 0 };
    double start = now(), cstart = cpu_now();
    for (size_t k = 0; k < d.n; k++) {
      const char *s = text + d.v[k].off;
      toks.n = 0;
      toks.norm_n = 0;
      m.n = 0;
      tr_matches_clear(&rm);
      tr_regex_caps_clear(&caps);
      double a = now(), ca = cpu_now();
      if (tr_tokenize(s, d.v[k].len, NULL, &toks) != 0) die("tr_tokenize");
      double b = now(), cb = cpu_now();
      char *err = NULL;
      if (npat && tr_patterns_match(pats, s, &toks, &m, &err) != 0) {
        fprintf(stderr, "bench_patterns: document %zu: %s\n", k,
                err ? err : "?");
        return 1;
      }
      double c = now(), cc = cpu_now();
      if (nre &&
          tr_regexes_match(res, s, d.v[k].len, &rm, &caps, &err) != 0) {
        fprintf(stderr, "bench_patterns: document %zu: regexes: %s\n", k,
                err ? err : "?");
        return 1;
      }
      double e = now(), ce = cpu_now();
      t.tok += b - a;
      t.pat += c - b;
      t.re += e - c;
      t.ctok += cb - ca;
      t.cpat += cc - cb;
      t.cre += ce - cc;
      rt += toks.n;
      rmn += m.n;
      rre += rm.n;
      if (r == 0) {
        for (size_t j = 0; j < m.n; j++) per_rule[m.v[j].rule]++;
        for (size_t j = 0; j < rm.n; j++) per_re[rm.v[j].value]++;
      }
    }
    t.all = now() - start;
    t.call = cpu_now() - cstart;
    if (r > 0 && (rt != ntok || rmn != nmatch || rre != nrematch)) {
      fprintf(stderr, "bench_patterns: run %d differs from run 1\n", r + 1);
      return 1;
    }
    ntok = rt;
    nmatch = rmn;
    nrematch = rre;
    fprintf(stderr, "  run %d: wall %.3f s (tokenize %.3f, patterns %.3f, "
            "regexes %.3f): patterns %.1f MB/s, regexes %.1f MB/s, "
            "patterns+regexes %.1f MB/s, all %.1f MB/s | cpu %.3f s: "
            "patterns+regexes %.1f MB/s, all %.1f MB/s\n", r + 1, t.all,
            t.tok, t.pat, t.re, mbps((double)bytes, t.pat),
            mbps((double)bytes, t.re), mbps((double)bytes, t.pat + t.re),
            mbps((double)bytes, t.all), t.call,
            mbps((double)bytes, t.cpat + t.cre), mbps((double)bytes, t.call));
    if (best.all < 0 || t.all < best.all) best = t;
    if (best_cpu < 0 || t.call < best_cpu) {
      best_cpu = t.call;
      best_cpu_match = t.cpat;
      best_cpu_comb = t.cpat + t.cre;
    }
  }
  if (npat) {
    fprintf(stderr, "  matches per pattern:");
    for (size_t k = 0; k < npat; k++)
      fprintf(stderr, "%s %llu", k % 10 ? "" : "\n   ",
              (unsigned long long)per_rule[k]);
    fprintf(stderr, "\n");
  }
  if (nre) {
    fprintf(stderr, "  matches per regex:");
    for (size_t k = 0; k < nre; k++)
      fprintf(stderr, "%s %llu", k % 10 ? "" : "\n   ",
              (unsigned long long)per_re[k]);
    fprintf(stderr, "\n");
  }
  tr_regex_caps_free(&caps);
  tr_matches_free(&rm);
  tr_matches_free(&m);
  tr_tokens_free(&toks);
  tr_regexes_free(res);
  tr_patterns_free(pats);

  double mb = (double)bytes / 1e6, comb = best.pat + best.re;
  printf("trawl patterns: %zu patterns + %zu regexes, %zu documents, %.2f "
         "MB, best of %d (wall): tokenize %.3f s = %.1f MB/s; patterns "
         "%.3f s = %.1f MB/s; regexes %.3f s = %.1f MB/s; COMBINED "
         "patterns+regexes %.3f s = %.1f MB/s; COMBINED with tokenizing "
         "%.3f s = %.1f MB/s; %llu tokens, %llu pattern matches, %llu "
         "regex matches (load %.3f s, not counted)\n",
         npat, nre, d.n, mb, runs, best.tok, mb / best.tok, best.pat,
         mbps((double)bytes, best.pat), best.re, mbps((double)bytes, best.re),
         comb, mbps((double)bytes, comb), best.all, mb / best.all,
         (unsigned long long)ntok, (unsigned long long)nmatch,
         (unsigned long long)nrematch, load);
  printf("trawl patterns (cpu, best of %d): patterns %.1f MB/s; COMBINED "
         "patterns+regexes %.1f MB/s; COMBINED with tokenizing %.1f MB/s\n",
         runs, mbps((double)bytes, best_cpu_match),
         mbps((double)bytes, best_cpu_comb), mbps((double)bytes, best_cpu));
  printf("RESULT tool=trawl-patterns bytes=%zu docs=%zu seconds=%.6f "
         "match_seconds=%.6f cpu_seconds=%.6f cpu_match_seconds=%.6f "
         "tokens=%llu matches=%llu patterns=%zu load_seconds=%.6f runs=%d "
         "tokenize_seconds=%.6f regex_seconds=%.6f regexes=%zu "
         "regex_matches=%llu combined_seconds=%.6f "
         "cpu_combined_seconds=%.6f\n",
         bytes, d.n, best.all, best.pat, best_cpu, best_cpu_match,
         (unsigned long long)ntok, (unsigned long long)nmatch, npat, load,
         runs, best.tok, best.re, nre, (unsigned long long)nrematch, comb,
         best_cpu_comb);
  free(d.v);
  free(text);
  return 0;
}

/*
** names.c — name keys and name similarity for romanized Arabic, Persian
** and Kurdish names (see names.h; the rules, with examples, are in
** docs/names.md).
**
** A name goes through three steps:
**   1. folding: code points to lower-case ASCII letters and digits, split
**      into raw parts at spaces, hyphens and punctuation; diacritics,
**      ayn/hamza marks and apostrophes dropped; "AlHaq" split by case;
**   2. parts: articles (al-, el-, ul-, ad-/an-/ash-...) and English "the"
**      dropped, Persian ezafe (-e-, -i-) dropped, "Abd al-X"/"Abdul X"
**      joined into one part, particles (abu, bin, umm...) flagged;
**   3. letters: equivalence classes (dh/zh -> z, th -> t, kh -> h, gh/q/g/c
**      -> k, e/i -> i, o/u/ou -> u, ei/ay -> ai, doubled letters once).
** Similarity then compares the compact keys (weighted edit distance and
** Jaro-Winkler) and their parts (alignment that allows reordering and a
** missing given name).
*/
#include "names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Raw parts before the part rules: at most RAW_PARTS of RAW_LEN bytes. A
** non-ASCII letter is held as 'Q' and five upper-case hex digits, which
** the letter rules (lower case only) leave alone; the key shows it in
** lower case ("q00627"). 'q' never appears otherwise: it maps to 'k'. */
#define RAW_PARTS 32
#define RAW_LEN 64
#define KEY_CAP 256 /* longest key tr_name_key produces */

typedef struct Raw {
  char s[RAW_PARTS][RAW_LEN];  /* the parts' letters and digits */
  uint8_t n[RAW_PARTS];        /* length of each part */
  uint8_t hyph[RAW_PARTS];     /* part joined to the previous by a hyphen */
  uint8_t camel_al[RAW_PARTS]; /* "Al" split off a word by case: AlHaq */
  int np;                      /* number of parts */
  int open;                    /* the last part is still being written */
  int pending_hyphen;          /* a hyphen since the last part closed */
  uint8_t upper[2];            /* case of the open part's first 2 letters */
} Raw;

/* ------------------------------------------------------------------ */
/* 1. Folding                                                          */
/* ------------------------------------------------------------------ */

static void raw_close(Raw *r) { r->open = 0; }

static void raw_sep(Raw *r, int hyphen) {
  r->open = 0;
  r->pending_hyphen = hyphen;
}

/* Append the byte string c (1 byte, or 6 for a 'Q' code) to the open part,
** opening one if needed. upper: the letter was upper case. */
static void raw_add(Raw *r, const char *c, size_t clen, int upper) {
  if (!r->open) {
    if (r->np == RAW_PARTS) return;
    int k = r->np++;
    r->n[k] = 0;
    r->hyph[k] = (uint8_t)(r->pending_hyphen && k > 0);
    r->camel_al[k] = 0;
    r->open = 1;
    r->pending_hyphen = 0;
  }
  int k = r->np - 1;
  /* "AlHaq", "ElBaradei": an article glued by case to a capitalised name. */
  if (r->n[k] == 2 && upper && r->upper[0] && !r->upper[1] &&
      (r->s[k][0] == 'a' || r->s[k][0] == 'e') && r->s[k][1] == 'l') {
    r->camel_al[k] = 1;
    r->open = 0;
    raw_add(r, c, clen, upper);
    return;
  }
  if (r->n[k] < 2) r->upper[r->n[k]] = (uint8_t)upper;
  if (r->n[k] + clen >= RAW_LEN) return; /* over-long part: cut */
  memcpy(r->s[k] + r->n[k], c, clen);
  r->n[k] = (uint8_t)(r->n[k] + clen);
}

/* One ASCII byte. */
static void fold_ascii(Raw *r, unsigned char c) {
  if (c >= 'a' && c <= 'z') {
    char x = (char)c;
    raw_add(r, &x, 1, 0);
  } else if (c >= 'A' && c <= 'Z') {
    char x = (char)(c - 'A' + 'a');
    raw_add(r, &x, 1, 1);
  } else if (c >= '0' && c <= '9') {
    char x = (char)c;
    raw_add(r, &x, 1, 0);
  } else if (c == '\'' || c == '`') {
    /* ayn, hamza or an apostrophe: dropped, the word goes on (Kata'ib) */
  } else if (c == '-') {
    raw_sep(r, 1);
  } else if (c == '.') {
    /* U.S., D.C.: a dot after a single letter joins; else it separates */
    if (!(r->open && r->np > 0 && r->n[r->np - 1] == 1)) raw_sep(r, 0);
  } else {
    raw_sep(r, 0);
  }
}

/* Letters that decomposition does not reduce to the ASCII a transliterator
** means: DIN/ISO underlined and hacek letters (ḏ = dh, ṯ = th, š = sh,
** ǧ = j), and letters with no decomposition (ı, ł, ø, ß...). Upper and
** lower case share an entry. Returns the ASCII spelling, or NULL. */
static const char *special_letter(int32_t cp, int *upper) {
  static const struct { int32_t lo, up; const char *s; } tab[] = {
    {0x1E0F, 0x1E0E, "dh"}, {0x1E6F, 0x1E6E, "th"}, {0x1E2B, 0x1E2A, "kh"},
    {0x1E35, 0x1E34, "kh"}, {0x0161, 0x0160, "sh"}, {0x010D, 0x010C, "ch"},
    {0x017E, 0x017D, "zh"}, {0x01E7, 0x01E6, "j"},  {0x0121, 0x0120, "gh"},
    {0x0131, 0x0049, "i"},  {0x0142, 0x0141, "l"},  {0x00F8, 0x00D8, "o"},
    {0x0111, 0x0110, "d"},  {0x00F0, 0x00D0, "dh"}, {0x00FE, 0x00DE, "th"},
    {0x00DF, 0x1E9E, "ss"}, {0x00E6, 0x00C6, "ae"}, {0x0153, 0x0152, "oe"},
    {0x0127, 0x0126, "h"},  {0x0167, 0x0166, "t"},
  };
  for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
    if (cp == tab[i].lo) { *upper = 0; return tab[i].s; }
    if (cp == tab[i].up && cp != 0x0049) { *upper = 1; return tab[i].s; }
  }
  return NULL;
}

/* Marks that stand for ayn and hamza, and apostrophe-like quotes. */
static int is_apostrophe(int32_t cp) {
  switch (cp) {
  case 0x2018: case 0x2019: case 0x201B: case 0x02BC: case 0x02BB:
  case 0x02BE: case 0x02BF: case 0x02B9: case 0x02BD: case 0x00B4:
  case 0x2032: case 0x055A: case 0xFF07: case 0xA78C:
    return 1;
  default:
    return 0;
  }
}

static int is_hyphen(int32_t cp) {
  return cp == 0x2010 || cp == 0x2011 || cp == 0x2012 || cp == 0x2013 ||
         cp == 0x2014 || cp == 0x2212 || cp == 0xFE63 || cp == 0xFF0D;
}

static void fold_cp(Raw *r, int32_t cp) {
  if (cp < 0x80) {
    fold_ascii(r, (unsigned char)cp);
    return;
  }
  if (is_apostrophe(cp)) return;
  if (is_hyphen(cp)) {
    raw_sep(r, 1);
    return;
  }
  int upper = 0;
  const char *sp = special_letter(cp, &upper);
  if (sp) {
    for (size_t i = 0; sp[i]; i++) raw_add(r, sp + i, 1, i == 0 && upper);
    return;
  }
  upper = utf8proc_category(cp) == UTF8PROC_CATEGORY_LU;
  utf8proc_int32_t dec[8];
  int last = 0;
  utf8proc_ssize_t nd = utf8proc_decompose_char(
      cp, dec, 8,
      UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_STRIPMARK |
          UTF8PROC_CASEFOLD | UTF8PROC_IGNORE,
      &last);
  if (nd < 0 || nd > 8) {
    raw_sep(r, 0);
    return;
  }
  for (utf8proc_ssize_t k = 0; k < nd; k++) {
    int32_t c = dec[k];
    if (c < 0x80) {
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        char x = (char)c;
        raw_add(r, &x, 1, upper && k == 0);
      } else {
        fold_ascii(r, (unsigned char)c);
      }
      continue;
    }
    if (is_apostrophe(c)) continue;
    int u2 = 0;
    const char *sp2 = special_letter(c, &u2);
    if (sp2) {
      for (size_t i = 0; sp2[i]; i++) raw_add(r, sp2 + i, 1, 0);
      continue;
    }
    utf8proc_category_t cat = utf8proc_category(c);
    if (cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC ||
        cat == UTF8PROC_CATEGORY_ME || cat == UTF8PROC_CATEGORY_CF)
      continue;
    if ((cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
        cat == UTF8PROC_CATEGORY_ND || cat == UTF8PROC_CATEGORY_NL ||
        cat == UTF8PROC_CATEGORY_NO) {
      /* a letter of another script: kept as itself, in hex */
      char hex[8];
      snprintf(hex, sizeof hex, "Q%05X", (unsigned)(c & 0xFFFFF));
      raw_add(r, hex, 6, 0);
    } else {
      raw_sep(r, 0);
    }
  }
}

static void fold(const char *s, size_t len, Raw *r) {
  memset(r, 0, sizeof r->n);
  r->np = 0;
  r->open = 0;
  r->pending_hyphen = 0;
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  while (i < len) {
    if (p[i] < 0x80) {
      fold_ascii(r, p[i++]);
      continue;
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
    if (n <= 0) { /* invalid byte: skipped, as a separator */
      raw_sep(r, 0);
      i++;
      continue;
    }
    fold_cp(r, cp);
    i += (size_t)n;
  }
  raw_close(r);
}

/* ------------------------------------------------------------------ */
/* 2. Part rules                                                       */
/* ------------------------------------------------------------------ */

static int raw_is(const Raw *r, int k, const char *w) {
  size_t n = strlen(w);
  return r->n[k] == n && memcmp(r->s[k], w, n) == 0;
}

static int raw_in(const Raw *r, int k, const char *const *list) {
  for (; *list; list++)
    if (raw_is(r, k, *list)) return 1;
  return 0;
}

/* The article, written apart or with a hyphen: al-Kadhimi, El Baradei. */
static const char *const ARTICLES[] = {"al", "el", "ul", "il", NULL};
/* The article assimilated to a sun letter, only with a hyphen: ad-Din,
** ash-Shaabi, as-Sadr, an-Nujaba, ar-Rahman, az-Zahra, at-Tikriti. */
static const char *const ASSIMILATED[] = {
  "ad", "adh", "an", "ar", "as", "ash", "at", "ath", "az", "ed", "edh", "en",
  "er", "es", "esh", "et", "eth", "ez", "ud", "un", "ur", "us", "ush", "ut",
  "uth", "uz", NULL};
/* Persian ezafe between hyphens: Hezb-e Islami, Hezb-i-Islami. */
static const char *const EZAFE[] = {"e", "i", "ye", "yi", NULL};
/* Name particles, kept as parts but counted little when aligning. */
static const char *const PARTICLES[] = {
  "abu", "abou", "abo", "bin", "ben", "ibn", "bint", "binti", "umm", "um",
  "om", "of", "for", "and", "de", "du", "van", "von", NULL};

/* Words that head an organisation's name from the front: "Kataib
** Hezbollah" is not "Hezbollah", "Ministry of Defense" is not "Defense".
** A name that lacks one of these is not the same name with a part missing. */
static const char *const HEADS[] = {
  "kataib", "khataib", "kathaib", "katibat", "kitaib", "harakat", "haraka",
  "saraya", "asaib", "hizb", "hezb", "jabhat", "jebhe", "liwa", "liwaa",
  "jaish", "jaysh", "ansar", "majlis", "tanzim", "firqat", "firqa", "alwiya",
  "quwat", "hayat", "munazzamat", "tayyar", "itilaf", "jamiyat", "jamaat",
  "sepah", "sipah", "lashkar", "tehreek", "tehrik", "ministry", "council",
  "army", "party", "front", "movement", "brigades", "brigade", "battalion",
  "division", "office", "committee", "bank", "league", "union",
  "organization", "organisation", "association", "agency", "authority",
  "university", "institute", NULL};

/* Kinds of raw parts. */
enum { P_NAME, P_ARTICLE, P_DROP };

static int part_kind(const Raw *r, int k) {
  int hyph_next = k + 1 < r->np && r->hyph[k + 1];
  if (r->camel_al[k]) return P_ARTICLE;
  if (r->np > 1 && raw_in(r, k, ARTICLES) && k + 1 < r->np) return P_ARTICLE;
  if (hyph_next && raw_in(r, k, ASSIMILATED)) return P_ARTICLE;
  if (r->np > 1 && raw_is(r, k, "the")) return P_DROP;
  if ((r->hyph[k] || hyph_next) && raw_in(r, k, EZAFE)) return P_DROP;
  return P_NAME;
}

static int is_vowel(int c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* "abd" followed by a linking vowel and an article consonant: the forms
** of "Abd al-" written as one word (Abdul, Abdel, Abdol, Abdur...).
** Returns the length of the prefix ("abdul" -> 5), or 0. */
static size_t abd_prefix(const char *s, size_t n) {
  if (n < 3 || memcmp(s, "abd", 3) != 0) return 0;
  if (n == 3) return 3;
  if (n >= 5 && is_vowel(s[3]) && strchr("lrsnzdt", s[4])) return 5;
  return 0;
}

/* A part's letters after the part rules, before the letter rules. */
typedef struct Part {
  char s[2 * RAW_LEN]; /* letters (two raw parts at most: Abd + name) */
  size_t n;            /* length */
  int particle;        /* TR_NT_* flags */
} Part;

/* Joined "Abd al-X" forms, glued "-uddin", "ibn": rewrite p in place. */
static void part_rewrite(Part *p) {
  /* ibn is bin */
  if (p->n == 3 && memcmp(p->s, "ibn", 3) == 0) memcpy(p->s, "bin", 3);
  /* Abdulmahdi, Abdurrahman, Abdullah written as one word */
  size_t ap = abd_prefix(p->s, p->n);
  if (ap == 5 && p->n >= 8) {
    char rest[2 * RAW_LEN];
    size_t rn = p->n - 5;
    memcpy(rest, p->s + 5, rn);
    char art = p->s[4];
    if (art == 'l' && rest[0] == 'l') {
      /* Abdullah, Abdallah: "Abd Allah" */
      memcpy(p->s, "abdal", 5);
      memcpy(p->s + 5, rest, rn);
    } else if (art == 'l' || rest[0] == art) {
      /* Abdulmahdi -> abd+mahdi; Abdurrahman -> abd+rahman */
      memcpy(p->s + 3, rest, rn);
      p->n = 3 + rn;
    }
  }
  /* Salahuddin, Salaheddine, Nasiruddin: "X ad-Din" written as one word */
  static const char *const DIN[] = {"uddeen", "eddine", "uddin", "eddin",
                                    "addin", "iddin", "oddin", "edine", NULL};
  for (const char *const *d = DIN; *d; d++) {
    size_t dl = strlen(*d);
    if (p->n >= dl + 3 && memcmp(p->s + p->n - dl, *d, dl) == 0) {
      size_t stem = p->n - dl;
      /* the stem ends a word: Salah(-ud-din) keys as Salah alone does */
      if (stem > 3 && p->s[stem - 1] == 'h' && p->s[stem - 2] == 'a') stem--;
      memcpy(p->s + stem, "din", 3);
      p->n = stem + 3;
      break;
    }
  }
  if ((p->n == 4 && (memcmp(p->s, "deen", 4) == 0 || memcmp(p->s, "dine", 4) == 0)))
    memcpy(p->s, "din", 3), p->n = 3;
}

/* ------------------------------------------------------------------ */
/* 3. Letter rules                                                     */
/* ------------------------------------------------------------------ */

/* Map the letters of one part to their classes; returns the length written
** to o (at most 2n + 1 bytes: x becomes ks, ch becomes sh). */
static size_t map_letters(const char *r, size_t n, char *o) {
  char t[2 * RAW_LEN];
  size_t m = 0;
  /* doubled letters once: Qassem, Fayyadh, Jaafari, Sheehan */
  for (size_t i = 0; i < n; i++) {
    char c = r[i];
    if (c >= 'a' && c <= 'z' && m > 0 && t[m - 1] == c) continue;
    t[m++] = c;
  }
  /* final -ah is -a (ta marbuta): Fatimah, Hezbollah, Allah */
  if (m > 3 && t[m - 1] == 'h' && t[m - 2] == 'a') m--;
  size_t k = 0;
  for (size_t i = 0; i < m;) {
    char c = t[i], d = i + 1 < m ? t[i + 1] : 0, e = i + 2 < m ? t[i + 2] : 0;
    if (c == 'Q') { /* a letter of another script, as hex */
      size_t l = m - i < 6 ? m - i : 6;
      memcpy(o + k, t + i, l);
      k += l;
      i += l;
      continue;
    }
    switch (c) {
    case 'd':
      if (d == 'h') o[k++] = 'z', i += 2;       /* Kadhimi = Kazemi */
      else if (d == 'j') o[k++] = 'j', i += 2;  /* Djamel = Jamal */
      else o[k++] = 'd', i++;
      break;
    case 'z':
      o[k++] = 'z';
      i += d == 'h' ? 2 : 1;                    /* Ahmadinezhad */
      break;
    case 't':
      o[k++] = 't';
      i += d == 'h' ? 2 : 1;                    /* Kathaib = Kataib */
      break;
    case 'k':
      if (d == 'h') o[k++] = 'h', i += 2;       /* Khazali ~ Hazali */
      else o[k++] = 'k', i++;
      break;
    case 'g':
      o[k++] = 'k';                              /* Ghaani = Qaani */
      i += d == 'h' ? 2 : 1;
      break;
    case 'q':
      o[k++] = 'k', i++;
      break;
    case 'c':
      if (d == 'h') o[k++] = 's', o[k++] = 'h', i += 2; /* Achraf = Ashraf */
      else if (d == 'k') o[k++] = 'k', i += 2;
      else o[k++] = 'k', i++;
      break;
    case 'p':
      if (d == 'h') o[k++] = 'f', i += 2;
      else o[k++] = 'p', i++;
      break;
    case 's':
      if (d == 'h') o[k++] = 's', o[k++] = 'h', i += 2; /* sh stays sh */
      else o[k++] = 's', i++;
      break;
    case 'x':
      o[k++] = 'k', o[k++] = 's', i++;
      break;
    case 'o':
      o[k++] = 'u';                              /* Mohandes = Muhandis */
      i += d == 'u' ? 2 : 1;                     /* Mahmoud = Mahmud */
      break;
    case 'e':
      if (d == 'i') o[k++] = 'a', o[k++] = 'i', i += 2; /* Hussein = Husayn */
      else if (d == 'y' && !is_vowel(e)) o[k++] = 'a', o[k++] = 'i', i += 2;
      else o[k++] = 'i', i++;                    /* Esmail = Ismail */
      break;
    case 'a':
      if (d == 'y' && !is_vowel(e)) o[k++] = 'a', o[k++] = 'i', i += 2;
      else o[k++] = 'a', i++;
      break;
    case 'i':
      o[k++] = 'i';
      i += d == 'e' ? 2 : 1;                     /* Rabie = Rabi */
      break;
    case 'y':
      o[k++] = is_vowel(d) ? 'y' : 'i', i++;     /* Aly = Ali; Yasin */
      break;
    default:
      o[k++] = c, i++;
    }
  }
  /* doubled once more (ii from ie, kk from ck) */
  size_t w = 0;
  for (size_t i = 0; i < k; i++) {
    if (o[i] >= 'a' && o[i] <= 'z' && w > 0 && o[w - 1] == o[i]) continue;
    o[w++] = o[i];
  }
  for (size_t i = 0; i < w; i++)
    if (o[i] >= 'A' && o[i] <= 'Z') o[i] = (char)(o[i] - 'A' + 'a');
  return w;
}

/* ------------------------------------------------------------------ */
/* Keys                                                                */
/* ------------------------------------------------------------------ */

/* Output of the part and letter rules: parts in one buffer. */
typedef struct Keyed {
  char buf[KEY_CAP];          /* the parts, back to back */
  size_t len;                 /* bytes used in buf */
  int np;                     /* number of parts */
  uint16_t start[RAW_PARTS];  /* offset of each part in buf */
  uint16_t plen[RAW_PARTS];   /* length of each part */
  uint8_t flags[RAW_PARTS];   /* TR_NT_* */
} Keyed;

static void keyed_push(Keyed *kd, const Part *p) {
  char m[4 * RAW_LEN + 2];
  size_t n = map_letters(p->s, p->n, m);
  if (n == 0 || kd->np == RAW_PARTS) return;
  if (kd->len + n > KEY_CAP) n = KEY_CAP - kd->len;
  if (n == 0) return;
  kd->start[kd->np] = (uint16_t)kd->len;
  kd->plen[kd->np] = (uint16_t)n;
  kd->flags[kd->np] = (uint8_t)p->particle;
  memcpy(kd->buf + kd->len, m, n);
  kd->len += n;
  kd->np++;
}

static void part_from_raw(Part *p, const Raw *r, int k) {
  memcpy(p->s, r->s[k], r->n[k]);
  p->n = r->n[k];
  p->particle = raw_in(r, k, PARTICLES) ? TR_NT_PARTICLE : 0;
  if (raw_in(r, k, HEADS)) p->particle |= TR_NT_HEAD;
}

static void make_key(const char *s, size_t len, unsigned flags, Keyed *kd) {
  Raw r;
  fold(s, len, &r);
  int kinds[RAW_PARTS];
  int names = 0;
  for (int k = 0; k < r.np; k++) {
    kinds[k] = part_kind(&r, k);
    if (kinds[k] == P_NAME) names++;
  }
  /* a name made only of articles ("Al") keeps them */
  if (names == 0)
    for (int k = 0; k < r.np; k++) kinds[k] = P_NAME;
  kd->len = 0;
  kd->np = 0;
  for (int k = 0; k < r.np; k++) {
    if (kinds[k] == P_DROP) continue;
    if (kinds[k] == P_ARTICLE) {
      if (flags & TR_NK_ARTICLES) {
        Part a = {"al", 2, 0};
        keyed_push(kd, &a);
      }
      continue;
    }
    Part p;
    part_from_raw(&p, &r, k);
    /* "Abd al-Rahman", "Abdul Mahdi", "Abdel Wahab": one part */
    if (abd_prefix(p.s, p.n) == p.n && p.n <= 5) {
      int j = k + 1;
      if (j < r.np && kinds[j] == P_ARTICLE && !(flags & TR_NK_ARTICLES)) j++;
      if (j < r.np && kinds[j] == P_NAME && (size_t)r.n[j] + 3 < sizeof p.s) {
        memcpy(p.s, "abd", 3);
        memcpy(p.s + 3, r.s[j], r.n[j]);
        p.n = 3 + r.n[j];
        p.particle = 0;
        k = j;
      }
    }
    part_rewrite(&p);
    keyed_push(kd, &p);
  }
}

size_t tr_name_key(const char *s, size_t len, unsigned flags, char *out,
                   size_t cap) {
  Keyed kd;
  make_key(s, len, flags, &kd);
  size_t w = 0;
  for (int k = 0; k < kd.np; k++) {
    if (k > 0 && (flags & TR_NK_SPACES)) {
      if (w + 1 < cap) out[w] = ' ';
      w++;
    }
    for (size_t i = 0; i < kd.plen[k]; i++) {
      if (w + 1 < cap) out[w] = kd.buf[kd.start[k] + i];
      w++;
    }
  }
  if (cap > 0) out[w < cap ? w : cap - 1] = '\0';
  return w;
}

int tr_name_parse(const char *s, size_t len, unsigned flags, tr_name *out) {
  Keyed kd;
  make_key(s, len, flags & TR_NK_ARTICLES, &kd);
  out->len = 0;
  out->ntok = 0;
  for (int k = 0; k < kd.np && out->ntok < TR_NAME_TOKMAX; k++) {
    size_t n = kd.plen[k];
    if (out->len + n > TR_NAME_KEYMAX) n = TR_NAME_KEYMAX - out->len;
    if (n == 0) break;
    out->tok_start[out->ntok] = out->len;
    out->tok_len[out->ntok] = (uint8_t)n;
    out->tok_flags[out->ntok] = kd.flags[k];
    memcpy(out->key + out->len, kd.buf + kd.start[k], n);
    out->len = (uint8_t)(out->len + n);
    out->ntok++;
  }
  out->key[out->len] = '\0';
  return out->ntok;
}

/* ------------------------------------------------------------------ */
/* Weighted edit distance                                              */
/* ------------------------------------------------------------------ */

/* Costs are in twentieths, so the dynamic programme adds integers. */
#define UNIT 20

static const uint8_t VOWEL[256] = {['a'] = 1, ['e'] = 1, ['i'] = 1,
                                   ['o'] = 1, ['u'] = 1};

static int kvowel(int c) { return VOWEL[c & 0xFF]; }

/* Letters with cheap substitutions, and the cost of each pair (0: UNIT). */
enum { C_NONE, C_D, C_Z, C_T, C_S, C_H, C_K, C_I, C_Y, C_U, C_W, C_V, C_F,
       C_B, C_P, C_J, C_N };
static const uint8_t CLS[256] = {
  ['d'] = C_D, ['z'] = C_Z, ['t'] = C_T, ['s'] = C_S, ['h'] = C_H,
  ['k'] = C_K, ['i'] = C_I, ['y'] = C_Y, ['u'] = C_U, ['w'] = C_W,
  ['v'] = C_V, ['f'] = C_F, ['b'] = C_B, ['p'] = C_P, ['j'] = C_J};
#define PAIR2(a, b, c) [a][b] = c, [b][a] = c
static const uint8_t PAIR[C_N][C_N] = {
  PAIR2(C_D, C_Z, 8),   /* dh/z/d: Kadhimi, Kazemi; Ramadan, Ramazan */
  PAIR2(C_D, C_T, 10),
  PAIR2(C_T, C_Z, 12),  /* th/z */
  PAIR2(C_S, C_T, 12),  /* th/s: Othman, Osman */
  PAIR2(C_H, C_K, 10),  /* kh/k: Khataib, Kataib */
  PAIR2(C_I, C_Y, 6),
  PAIR2(C_U, C_W, 6),
  PAIR2(C_V, C_W, 6),   /* Persian v, Arabic w: Javad, Jawad */
  PAIR2(C_F, C_V, 10),
  PAIR2(C_B, C_P, 10),  /* Persian p */
  PAIR2(C_J, C_Z, 12),  /* zh/j: Ahmadinezhad, Ahmadinejad */
  PAIR2(C_J, C_Y, 12),
  PAIR2(C_J, C_K, 14),  /* Egyptian g for j: Gamal, Jamal */
};

/* Substitutions: free for equal bytes, 0.35 between vowels, PAIR inside
** the classes romanizations confuse, 1 otherwise (see distance20). */

/* Cost of inserting or deleting s[i] (n bytes): a short vowel between
** consonants costs little (Zawahiri/Zawahri), a vowel next to a vowel more
** (it makes a long vowel or a diphthong: Salman/Sulaiman are two names);
** at the end of a key, h and vowels cost little (Fatemeh/Fatima). */
static int indel_cost(const unsigned char *s, size_t i, size_t n) {
  int c = s[i], at_end = i + 1 == n;
  if (VOWEL[c]) {
    if ((i > 0 && VOWEL[s[i - 1]]) || (i + 1 < n && VOWEL[s[i + 1]]))
      return 14;
    return at_end ? 6 : 8;
  }
  if (c == 'h') return at_end ? 6 : 14;
  if (c == 'y' || c == 'w') return 10;
  return UNIT;
}

/* The distance in twentieths. Per-byte facts of b (vowel, class, cost of
** insertion) are looked up once, not in every cell. */
static int distance20(const char *as, size_t la, const char *bs, size_t lb) {
  const unsigned char *a = (const unsigned char *)as;
  const unsigned char *b = (const unsigned char *)bs;
  if (la > TR_NAME_KEYMAX) la = TR_NAME_KEYMAX;
  if (lb > TR_NAME_KEYMAX) lb = TR_NAME_KEYMAX;
  int ins[TR_NAME_KEYMAX];
  uint8_t vb[TR_NAME_KEYMAX], cb[TR_NAME_KEYMAX];
  for (size_t j = 0; j < lb; j++) {
    ins[j] = indel_cost(b, j, lb);
    vb[j] = VOWEL[b[j]];
    cb[j] = CLS[b[j]];
  }
  /* three rolling rows: optimal string alignment needs row i-2 */
  int rows[3][TR_NAME_KEYMAX + 1];
  int *p2 = rows[0], *p1 = rows[1], *cur = rows[2];
  p1[0] = 0;
  for (size_t j = 1; j <= lb; j++) p1[j] = p1[j - 1] + ins[j - 1];
  for (size_t i = 1; i <= la; i++) {
    int ca = a[i - 1], va = VOWEL[ca];
    const uint8_t *pair = PAIR[CLS[ca]];
    int del_a = indel_cost(a, i - 1, la);
    cur[0] = p1[0] + del_a;
    for (size_t j = 1; j <= lb; j++) {
      int c = b[j - 1];
      int sub = 0;
      if (c != ca) {
        sub = (va & vb[j - 1]) ? 7 : pair[cb[j - 1]];
        if (sub == 0) sub = UNIT;
      }
      int best = p1[j - 1] + sub;
      int v = p1[j] + del_a;
      if (v < best) best = v;
      v = cur[j - 1] + ins[j - 1];
      if (v < best) best = v;
      if (sub && i > 1 && j > 1 && ca == b[j - 2] && a[i - 2] == c) {
        v = p2[j - 2] + 16; /* a transposition costs 0.8 */
        if (v < best) best = v;
      }
      cur[j] = best;
    }
    int *t = p2;
    p2 = p1;
    p1 = cur;
    cur = t;
  }
  return p1[lb];
}

double tr_name_distance(const char *a, size_t la, const char *b, size_t lb) {
  return distance20(a, la, b, lb) / (double)UNIT;
}

static double edit_sim(const char *a, size_t la, const char *b, size_t lb) {
  size_t m = la > lb ? la : lb;
  if (m > TR_NAME_KEYMAX) m = TR_NAME_KEYMAX;
  if (m == 0) return 1.0;
  double s = 1.0 - distance20(a, la, b, lb) / (double)(UNIT * m);
  return s < 0 ? 0 : s;
}

/* ------------------------------------------------------------------ */
/* Jaro-Winkler                                                        */
/* ------------------------------------------------------------------ */

double tr_name_jaro_winkler(const char *a, size_t la, const char *b,
                            size_t lb) {
  if (la > TR_NAME_KEYMAX) la = TR_NAME_KEYMAX;
  if (lb > TR_NAME_KEYMAX) lb = TR_NAME_KEYMAX;
  if (la == 0 && lb == 0) return 1.0;
  if (la == 0 || lb == 0) return 0.0;
  size_t win = (la > lb ? la : lb) / 2;
  win = win > 0 ? win - 1 : 0;
  /* matched flags as bit sets: keys are at most 96 bytes */
  uint64_t ma[2] = {0, 0}, mb[2] = {0, 0};
  size_t m = 0;
  for (size_t i = 0; i < la; i++) {
    size_t lo = i > win ? i - win : 0, hi = i + win + 1 < lb ? i + win + 1 : lb;
    for (size_t j = lo; j < hi; j++) {
      if (a[i] == b[j] && !(mb[j >> 6] >> (j & 63) & 1)) {
        ma[i >> 6] |= (uint64_t)1 << (i & 63);
        mb[j >> 6] |= (uint64_t)1 << (j & 63);
        m++;
        break;
      }
    }
  }
  if (m == 0) return 0.0;
  size_t t = 0, j = 0;
  for (size_t i = 0; i < la; i++) {
    if (!(ma[i >> 6] >> (i & 63) & 1)) continue;
    while (!(mb[j >> 6] >> (j & 63) & 1)) j++;
    if (a[i] != b[j]) t++;
    j++;
  }
  double md = (double)m;
  double jaro = (md / (double)la + md / (double)lb + (md - (double)t / 2.0) / md) / 3.0;
  if (jaro <= 0.7) return jaro;
  size_t l = 0;
  while (l < 4 && l < la && l < lb && a[l] == b[l]) l++;
  return jaro + (double)l * 0.1 * (1.0 - jaro);
}

/* ------------------------------------------------------------------ */
/* Similarity                                                          */
/* ------------------------------------------------------------------ */

/* The similarity of two single parts (or two compact keys). */
static double char_sim(const char *a, size_t la, const char *b, size_t lb) {
  return 0.6 * edit_sim(a, la, b, lb) + 0.4 * tr_name_jaro_winkler(a, la, b, lb);
}

/* Endings that make another word of a name: the nisba -i (Kazem ->
** Kazemi, Iraq -> Iraqi), demonyms (Iranian) and plurals (Iraqis). Keys
** spell them with mapped letters. */
static int is_derivation(const char *s, size_t n) {
  static const char *const END[] = {"i", "iy", "ia", "iya", "ian", "ians",
    "an", "ans", "is", "it", "its", "ish", "isi", "s", "un", "in", "iun",
    "iyun", "iyin", "awi", "wi", "ani", NULL};
  for (const char *const *e = END; *e; e++)
    if (strlen(*e) == n && memcmp(*e, s, n) == 0) return 1;
  return 0;
}

static double part_sim(const char *a, size_t la, const char *b, size_t lb,
                       int strip) {
  if (la == lb && memcmp(a, b, la) == 0) return 1.0;
  double s = char_sim(a, la, b, lb);
  /* one is the other plus a derivational ending: another word */
  const char *sh = la <= lb ? a : b, *lo = la <= lb ? b : a;
  size_t ns = la <= lb ? la : lb, nl = la <= lb ? lb : la;
  if (ns >= 3 && nl > ns && memcmp(sh, lo, ns) == 0 &&
      is_derivation(lo + ns, nl - ns) && s > 0.7)
    s = 0.7;
  /* the same after a final vowel of the stem: Mahdi -> Mahdawi */
  else if (ns >= 4 && nl > ns && kvowel((unsigned char)sh[ns - 1]) &&
           memcmp(sh, lo, ns - 1) == 0 &&
           is_derivation(lo + ns - 1, nl - ns + 1) && s > 0.7)
    s = 0.7;
  /* an article glued without a hyphen: alkazemi ~ kazemi */
  if (strip) {
    int pa = la >= 5 && a[0] == 'a' && a[1] == 'l';
    int pb = lb >= 5 && b[0] == 'a' && b[1] == 'l';
    if (pa && !pb) {
      double v = 0.95 * part_sim(a + 2, la - 2, b, lb, 0);
      if (v > s) s = v;
    } else if (pb && !pa) {
      double v = 0.95 * part_sim(a, la, b + 2, lb - 2, 0);
      if (v > s) s = v;
    }
  }
  return s;
}

/* How far above its weakest name part a multi-part score may go. */
#define WEAK_MARGIN 0.1

/* Weight of a part in the alignment: its length; particles count 1. */
static double part_weight(const tr_name *n, int k) {
  return (n->tok_flags[k] & TR_NT_PARTICLE) ? 1.0 : (double)n->tok_len[k];
}

/* Align the parts of x (fewer or as many parts) with those of y. With
** min_part > 0 (a search for pairs above a threshold), give up and return
** -1 as soon as a name part of x has no part of y at least that similar:
** the score could not reach the threshold. */
static double align(const tr_name *x, const tr_name *y, tr_name_partial partial,
                    double min_part, int *reordered, int *is_partial) {
  int nx = x->ntok, ny = y->ntok;
  double S[TR_NAME_TOKMAX][TR_NAME_TOKMAX];
  /* last part first: surnames come last and tell names apart soonest */
  for (int i = nx - 1; i >= 0; i--) {
    double row = 0;
    for (int j = 0; j < ny; j++) {
      S[i][j] = part_sim(x->key + x->tok_start[i], x->tok_len[i],
                         y->key + y->tok_start[j], y->tok_len[j], 1);
      if (S[i][j] > row) row = S[i][j];
    }
    if (min_part > 0 && row < min_part && !(x->tok_flags[i] & TR_NT_PARTICLE))
      return -1;
  }
  /* greedy one-to-one assignment, best pairs first (few parts: enough) */
  int mx[TR_NAME_TOKMAX], my[TR_NAME_TOKMAX];
  for (int i = 0; i < nx; i++) mx[i] = -1;
  for (int j = 0; j < ny; j++) my[j] = -1;
  for (;;) {
    double best = 0.5;
    int bi = -1, bj = -1;
    for (int i = 0; i < nx; i++) {
      if (mx[i] >= 0) continue;
      for (int j = 0; j < ny; j++) {
        if (my[j] >= 0) continue;
        /* ties go to the pair in the same position from the end, so
        ** "Ali ... Ali" aligns surnames with surnames */
        double v = S[i][j] + ((nx - i == ny - j) ? 1e-6 : 0);
        if (v > best) best = v, bi = i, bj = j;
      }
    }
    if (bi < 0) break;
    mx[bi] = bj;
    my[bj] = bi;
  }
  /* weighted mean over all parts (unmatched ones count 0), and the
  ** weakest name part: one clearly different part (Mustafa Habib,
  ** Mustafa Kazemi) makes another name however long the rest is */
  double tw = 0, mw = 0, mwt = 0, weak = 1, xweak = 1;
  int last = -1, order_ok = 1;
  for (int i = 0; i < nx; i++) {
    tw += part_weight(x, i);
    int particle = x->tok_flags[i] & TR_NT_PARTICLE;
    if (mx[i] < 0) {
      if (!particle) weak = xweak = 0;
      continue;
    }
    double w = part_weight(x, i) + part_weight(y, mx[i]);
    mw += S[i][mx[i]] * w;
    mwt += w;
    if (!particle && S[i][mx[i]] < xweak) xweak = S[i][mx[i]];
    if (mx[i] < last) order_ok = 0;
    last = mx[i];
  }
  if (xweak < weak) weak = xweak;
  for (int j = 0; j < ny; j++) {
    tw += part_weight(y, j);
    if (my[j] < 0 && !(y->tok_flags[j] & TR_NT_PARTICLE)) weak = 0;
  }
  *reordered = !order_ok;
  *is_partial = 0;
  double order_pen = order_ok ? 1.0 : 0.95;
  double full = tw > 0 ? mw / tw * order_pen : 0;
  if (full > weak + WEAK_MARGIN) full = weak + WEAK_MARGIN;
  if (partial == TR_NP_NONE || nx >= ny || mwt == 0) return full;
  /* a missing given name: every name part of x matched well, and the
  ** last (or first) name part of y among the matched */
  int x_ok = 1, x_names = 0, x_unmatched_particles = 0;
  for (int i = 0; i < nx; i++) {
    int particle = x->tok_flags[i] & TR_NT_PARTICLE;
    if (mx[i] < 0) {
      if (particle) x_unmatched_particles++;
      else x_ok = 0;
    } else if (!particle) {
      x_names++;
      if (S[i][mx[i]] < 0.75) x_ok = 0;
    }
  }
  if (!x_ok || x_names == 0) return full;
  int first = -1, lastn = -1, unmatched = 0;
  for (int j = 0; j < ny; j++) {
    if (y->tok_flags[j] & TR_NT_PARTICLE) continue;
    if (first < 0) first = j;
    lastn = j;
    if (my[j] < 0) unmatched++;
  }
  int suffix_ok = lastn >= 0 && my[lastn] >= 0;
  for (int j = 0; j < ny && suffix_ok; j++) {
    if (my[j] >= 0) break;
    if (y->tok_flags[j] & TR_NT_HEAD) suffix_ok = 0;
  }
  int prefix_ok = first >= 0 && my[first] >= 0;
  int ok = (partial == TR_NP_SUFFIX && suffix_ok) ||
           (partial == TR_NP_PREFIX && prefix_ok) ||
           (partial == TR_NP_BOTH && (suffix_ok || prefix_ok));
  if (!ok) return full;
  double pen = 0.95 - 0.02 * (unmatched > 1 ? unmatched - 1 : 0) -
               0.02 * x_unmatched_particles;
  double part = mw / mwt * pen * order_pen;
  if (part > xweak + WEAK_MARGIN) part = xweak + WEAK_MARGIN;
  if (part > full) {
    *is_partial = 1;
    return part;
  }
  return full;
}

/* The similarity; with min > 0, a score that cannot reach min may be
** returned as any value below min (the pair search needs no more). */
static double similar(const tr_name *a, const tr_name *b,
                      tr_name_partial partial, double min, tr_name_sim *detail) {
  tr_name_sim d = {0, 0, 0, 0, 0, 0, 0};
  if (a->len == 0 || b->len == 0) {
    if (detail) *detail = d;
    return 0;
  }
  if (a->len == b->len && memcmp(a->key, b->key, a->len) == 0) {
    d.score = d.edit = d.jaro_winkler = d.tokens = 1;
    d.same_key = 1;
    if (detail) *detail = d;
    return 1;
  }
  if (detail) d.jaro_winkler = tr_name_jaro_winkler(a->key, a->len, b->key, b->len);
  if (a->ntok == 1 && b->ntok == 1) {
    d.tokens = part_sim(a->key, a->len, b->key, b->len, 1);
    d.score = d.tokens;
    if (detail) d.edit = edit_sim(a->key, a->len, b->key, b->len);
  } else {
    const tr_name *x = a->ntok <= b->ntok ? a : b, *y = x == a ? b : a;
    /* every name part of x needs a partner this good for the score to
    ** reach min, unless the compact keys could carry it alone (names
    ** split into a different number of parts) */
    double min_part = 0;
    if (min > 0) {
      if (!detail)
        d.jaro_winkler = tr_name_jaro_winkler(a->key, a->len, b->key, b->len);
      double bound = 0.6 + 0.4 * d.jaro_winkler;
      if (!(a->ntok != b->ntok && bound - 0.08 >= min))
        min_part = (min - 0.3) / 0.7 - WEAK_MARGIN;
    }
    d.tokens = align(x, y, partial, min_part, &d.reordered, &d.partial);
    if (d.tokens < 0) return 0;
    double s = d.tokens;
    /* the compact keys refine a score whose parts already half align,
    ** and speak for names split into other parts (compact keys of
    ** about the same length); otherwise the names are different and the
    ** (costly) compact comparison could not change the verdict */
    size_t lo = a->len < b->len ? a->len : b->len, hi = a->len ^ b->len ^ lo;
    int resplit = a->ntok != b->ntok && 4 * lo >= 3 * hi;
    if (d.tokens >= 0.5 || resplit || detail) {
      if (!detail && min <= 0)
        d.jaro_winkler = tr_name_jaro_winkler(a->key, a->len, b->key, b->len);
      double bound = 0.6 + 0.4 * d.jaro_winkler;
      int need = detail != NULL ||
                 (a->ntok == b->ntok ? bound > s : bound - 0.08 > s);
      d.edit = need ? edit_sim(a->key, a->len, b->key, b->len) : 0;
      double s_char = 0.6 * d.edit + 0.4 * d.jaro_winkler;
      if (d.tokens >= 0.5 || resplit) {
        if (a->ntok == b->ntok) {
          double blend = 0.7 * d.tokens + 0.3 * s_char;
          if (blend > s) s = blend;
        } else {
          /* parts split differently ("Hizb Allah", "Hezbollah"): the
          ** compact keys speak, a little discounted */
          double v = s_char - 0.08;
          if (v > s) s = v;
        }
      }
    }
    d.score = s;
  }
  if (d.score > 1) d.score = 1;
  if (d.score < 0) d.score = 0;
  if (detail) *detail = d;
  return d.score;
}

double tr_name_similar(const tr_name *a, const tr_name *b,
                       tr_name_partial partial, tr_name_sim *detail) {
  return similar(a, b, partial, 0, detail);
}

/* ------------------------------------------------------------------ */
/* All similar pairs, through an index of name parts                   */
/* ------------------------------------------------------------------ */

/* Blocking: a score can reach the threshold only if every name part of
** the name with fewer parts has a similar partner (align gives up
** otherwise), and a similar partner shares at least half of its bigrams
** (a letter change touches two). So each name is looked up by its rarest
** name part, among the names with as many parts or more, in an index of
** the bigrams of every part: the candidates are the names with one part
** that shares half that part's bigrams and scores, against it, what align
** demands of a partner. Only they are compared in full. (Names whose
** parts are split differently, "Hizb Allah" and "Hezbollah", are found
** when a part still passes these tests.) */

#define NSYM 37
#define NGRAM (NSYM * NSYM)

static int sym(char c) {
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= '0' && c <= '9') return 26 + c - '0';
  return 36;
}

/* Distinct bigrams of s[0..n) appended to g (k so far); a 1-byte part
** gives one gram with a blank. Returns the new count. */
static int add_grams(const char *s, size_t n, uint16_t *g, int k) {
  if (n == 1) {
    uint16_t v = (uint16_t)(sym(s[0]) * NSYM + 36);
    for (int j = 0; j < k; j++)
      if (g[j] == v) return k;
    g[k++] = v;
    return k;
  }
  for (size_t i = 0; i + 1 < n; i++) {
    uint16_t v = (uint16_t)(sym(s[i]) * NSYM + sym(s[i + 1]));
    int dup = 0;
    for (int j = 0; j < k; j++)
      if (g[j] == v) { dup = 1; break; }
    if (!dup) g[k++] = v;
  }
  return k;
}

/* Is part k of n one that must be matched (a name part, or any part of a
** name made only of particles)? */
static int must_match(const tr_name *n, int k) {
  if (!(n->tok_flags[k] & TR_NT_PARTICLE)) return 1;
  for (int j = 0; j < n->ntok; j++)
    if (!(n->tok_flags[j] & TR_NT_PARTICLE)) return 0;
  return 1;
}

int tr_name_pairs(const tr_name *names, size_t n, double threshold,
                  tr_name_partial partial, tr_name_pair_cb cb, void *ud) {
  if (n < 2) return 0;
  int rc = -1;
  /* parts are numbered across all names: part_name maps them back */
  size_t nparts = 0;
  for (size_t i = 0; i < n; i++) nparts += names[i].ntok;
  uint32_t *start = calloc(NGRAM + 1, sizeof *start);
  uint32_t *fill = malloc((NGRAM + 1) * sizeof *fill);
  uint32_t *part_name = malloc((nparts ? nparts : 1) * sizeof *part_name);
  uint32_t *first_part = malloc(n * sizeof *first_part);
  uint16_t *hits = calloc(nparts ? nparts : 1, sizeof *hits);
  uint32_t *touched = malloc((nparts ? nparts : 1) * sizeof *touched);
  uint8_t *seen = calloc(n, 1);
  uint32_t *cands = malloc(n * sizeof *cands);
  uint32_t *post = NULL;
  uint16_t g[TR_NAME_KEYMAX];
  if (!start || !fill || !part_name || !first_part || !hits || !touched ||
      !seen || !cands)
    goto done;
  /* the part score align demands of every name part (see similar) */
  double min_part = (threshold - 0.3) / 0.7 - WEAK_MARGIN;
  /* the index: gram -> parts holding it (CSR) */
  size_t total = 0;
  for (size_t i = 0, p = 0; i < n; i++) {
    first_part[i] = (uint32_t)p;
    for (int t = 0; t < names[i].ntok; t++, p++) {
      part_name[p] = (uint32_t)i;
      int k = add_grams(names[i].key + names[i].tok_start[t], names[i].tok_len[t], g, 0);
      for (int q = 0; q < k; q++) start[g[q] + 1]++;
      total += (size_t)k;
    }
  }
  for (int v = 1; v <= NGRAM; v++) start[v] += start[v - 1];
  post = malloc((total ? total : 1) * sizeof *post);
  if (!post) goto done;
  memcpy(fill, start, (NGRAM + 1) * sizeof *fill);
  for (size_t i = 0, p = 0; i < n; i++) {
    for (int t = 0; t < names[i].ntok; t++, p++) {
      int k = add_grams(names[i].key + names[i].tok_start[t], names[i].tok_len[t], g, 0);
      for (int q = 0; q < k; q++) post[fill[g[q]]++] = (uint32_t)p;
    }
  }
  rc = 0;
  for (size_t i = 0; i < n && rc == 0; i++) {
    const tr_name *a = &names[i];
    if (a->ntok == 0) continue;
    /* the rarest part that must be matched: fewest postings (an initial
    ** is a poor key: longer parts first when there are any) */
    int best = -1, bk = 0, blong = 0;
    size_t bcost = SIZE_MAX;
    uint16_t pg[TR_NAME_KEYMAX];
    for (int t = 0; t < a->ntok; t++) {
      if (!must_match(a, t)) continue;
      int k = add_grams(a->key + a->tok_start[t], a->tok_len[t], pg, 0);
      int islong = a->tok_len[t] >= 2;
      size_t cost = 0;
      for (int q = 0; q < k; q++) cost += start[pg[q] + 1] - start[pg[q]];
      if ((islong && !blong) || (islong == blong && cost < bcost))
        bcost = cost, best = t, bk = k, blong = islong;
    }
    if (best < 0) continue;
    add_grams(a->key + a->tok_start[best], a->tok_len[best], pg, 0);
    /* hits per part: a partner part shares half the bigrams by itself */
    size_t nt = 0;
    for (int q = 0; q < bk; q++) {
      for (uint32_t p = start[pg[q]]; p < start[pg[q] + 1]; p++) {
        uint32_t part = post[p], j = part_name[part];
        const tr_name *b = &names[j];
        /* pairs are looked up from the name with fewer parts (ties: the
        ** lower index), so each is seen once */
        if (j == i || b->ntok < a->ntok || (b->ntok == a->ntok && j < i))
          continue;
        if (hits[part]++ == 0) touched[nt++] = part;
      }
    }
    uint32_t need = (uint32_t)bk / 2;
    if (need < 1) need = 1;
    /* then the part itself must score what align would demand of it */
    const char *qs = a->key + a->tok_start[best];
    size_t ql = a->tok_len[best];
    size_t nc = 0;
    for (size_t t = 0; t < nt; t++) {
      uint32_t part = touched[t], j = part_name[part];
      if (hits[part] >= need && !seen[j]) {
        const tr_name *b = &names[j];
        int k = (int)(part - first_part[j]);
        if (part_sim(qs, ql, b->key + b->tok_start[k], b->tok_len[k], 1) >= min_part)
          seen[j] = 1, cands[nc++] = j;
      }
      hits[part] = 0;
    }
    for (size_t t = 0; t < nc; t++) {
      uint32_t j = cands[t];
      seen[j] = 0;
      if (rc != 0) continue;
      double s = similar(a, &names[j], partial, threshold, NULL);
      if (s >= threshold && cb(ud, i < j ? i : j, i < j ? j : i, s)) rc = 1;
    }
  }
done:
  free(start);
  free(fill);
  free(part_name);
  free(first_part);
  free(hits);
  free(touched);
  free(seen);
  free(cands);
  free(post);
  return rc;
}

/*
** tokenize.c — the tokenizer: splits UTF-8 text into tokens (byte offsets,
** kind, lexical flags, normalised form). tokenize.h is the contract and
** docs/tokenizer.md states the rules with examples.
**
** Built for speed (the target is well over 100 MB/s on one core): ASCII
** bytes are classified through a 128-entry table, ASCII tokens are
** lower-cased straight into the norm arena, and utf8proc is only called for
** non-ASCII characters and tokens. Arrays grow geometrically; nothing is
** malloc'ed per token.
**
** The scanner (next_token) decides boundaries and kind; the classifier
** (classify + emit) derives flags and the normalised form from the token's
** bytes and kind only. tr_tokens_add reuses both, so a token given from
** outside is classified exactly like one found here.
*/
#include "tokenize.h"

#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

/* ======================================================================
** Character classes
** ==================================================================== */

/* What the scanner needs to know about one character. The order matters:
** the IS_* macros below test ranges. */
enum {
  C_IGN = 0,  /* ignorable: controls, zero-width and other format chars */
  C_WS,       /* white space of any kind, including no-break spaces */
  C_UPPER,    /* upper- or title-case letter */
  C_LOWER,    /* lower-case letter */
  C_LETTER,   /* letter without case: Arabic, CJK, modifier letters */
  C_MARK,     /* combining mark (stays inside the word it follows) */
  C_DIGIT,    /* decimal digit, any script */
  C_NUMO,     /* other numeric character: ¼ ² Ⅻ */
  C_APOS,     /* apostrophe-like: ' ` ’ ‘ ‛ ʼ ´ */
  C_HYPHEN,   /* joins word parts: - ‐ ‑ */
  C_DASH,     /* other dashes: – — ‒ ― (never join) */
  C_PERIOD,   /* . */
  C_UNDER,    /* _ */
  C_HASH,     /* # */
  C_AT,       /* @ */
  C_PUNCT,    /* other punctuation */
  C_SYMBOL,   /* symbols, private use, unassigned */
  C_EMOJI,    /* starts an emoji (pictograph, regional indicator, tone) */
  C_BAD       /* a byte that is not valid UTF-8 */
};

#define IS_LETTER(c)  ((c) >= C_UPPER && (c) <= C_MARK)
#define IS_NUMERIC(c) ((c) == C_DIGIT || (c) == C_NUMO)
#define IS_ALNUM(c)   ((c) >= C_UPPER && (c) <= C_NUMO)

/* Classes of the ASCII bytes. */
static const unsigned char ascii_cls[128] = {
  /* 0x00-0x0f: controls; \t \n \v \f \r are white space */
  C_IGN, C_IGN, C_IGN, C_IGN, C_IGN, C_IGN, C_IGN, C_IGN,
  C_IGN, C_WS, C_WS, C_WS, C_WS, C_WS, C_IGN, C_IGN,
  /* 0x10-0x1f: controls */
  C_IGN, C_IGN, C_IGN, C_IGN, C_IGN, C_IGN, C_IGN, C_IGN,
  C_IGN, C_IGN, C_IGN, C_IGN, C_IGN, C_IGN, C_IGN, C_IGN,
  /* space ! " # $ % & ' */
  C_WS, C_PUNCT, C_PUNCT, C_HASH, C_SYMBOL, C_SYMBOL, C_SYMBOL, C_APOS,
  /* ( ) * + , - . / */
  C_PUNCT, C_PUNCT, C_SYMBOL, C_SYMBOL, C_PUNCT, C_HYPHEN, C_PERIOD, C_PUNCT,
  /* 0-7 */
  C_DIGIT, C_DIGIT, C_DIGIT, C_DIGIT, C_DIGIT, C_DIGIT, C_DIGIT, C_DIGIT,
  /* 8 9 : ; < = > ? */
  C_DIGIT, C_DIGIT, C_PUNCT, C_PUNCT, C_SYMBOL, C_SYMBOL, C_SYMBOL, C_PUNCT,
  /* @ A-G */
  C_AT, C_UPPER, C_UPPER, C_UPPER, C_UPPER, C_UPPER, C_UPPER, C_UPPER,
  /* H-O */
  C_UPPER, C_UPPER, C_UPPER, C_UPPER, C_UPPER, C_UPPER, C_UPPER, C_UPPER,
  /* P-W */
  C_UPPER, C_UPPER, C_UPPER, C_UPPER, C_UPPER, C_UPPER, C_UPPER, C_UPPER,
  /* X Y Z [ \ ] ^ _ */
  C_UPPER, C_UPPER, C_UPPER, C_PUNCT, C_SYMBOL, C_PUNCT, C_SYMBOL, C_UNDER,
  /* ` a-g */
  C_APOS, C_LOWER, C_LOWER, C_LOWER, C_LOWER, C_LOWER, C_LOWER, C_LOWER,
  /* h-o */
  C_LOWER, C_LOWER, C_LOWER, C_LOWER, C_LOWER, C_LOWER, C_LOWER, C_LOWER,
  /* p-w */
  C_LOWER, C_LOWER, C_LOWER, C_LOWER, C_LOWER, C_LOWER, C_LOWER, C_LOWER,
  /* x y z { | } ~ DEL */
  C_LOWER, C_LOWER, C_LOWER, C_PUNCT, C_SYMBOL, C_PUNCT, C_SYMBOL, C_IGN,
};

/* One decoded character: code point (-1 when the byte is not valid UTF-8),
** its length in bytes and its class. */
typedef struct uch {
  int32_t cp;        /* code point, or -1 for an invalid byte */
  unsigned len;      /* bytes, 1..4 */
  unsigned cls;      /* C_* */
} uch;

/* Decode one UTF-8 character from s[0..n), n >= 1. Invalid or truncated
** sequences, overlong forms and surrogates give cp -1 and length 1, so the
** caller never reads past n and always advances. */
static inline unsigned u8dec(const unsigned char *s, size_t n, int32_t *cp) {
  uint32_t b = s[0], c;
  if (b < 0x80) {
    *cp = (int32_t)b;
    return 1;
  }
  if (b < 0xC2 || b > 0xF4) goto bad;
  if (b < 0xE0) {
    if (n < 2 || (s[1] & 0xC0) != 0x80) goto bad;
    *cp = (int32_t)(((b & 0x1F) << 6) | (s[1] & 0x3Fu));
    return 2;
  }
  if (b < 0xF0) {
    if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80) goto bad;
    c = ((b & 0x0F) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
    if (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF)) goto bad;
    *cp = (int32_t)c;
    return 3;
  }
  if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
      (s[3] & 0xC0) != 0x80)
    goto bad;
  c = ((b & 0x07) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) |
      (s[3] & 0x3Fu);
  if (c < 0x10000 || c > 0x10FFFF) goto bad;
  *cp = (int32_t)c;
  return 4;
bad:
  *cp = -1;
  return 1;
}

/* Zero-width characters that join the letters on both sides into one word
** (soft hyphen, ZWNJ/ZWJ as used in Persian and Indic scripts, word
** joiners) but are dropped everywhere else. */
static int is_joiner(int32_t cp) {
  return cp == 0x00AD || cp == 0x200C || cp == 0x200D || cp == 0x2060 ||
         cp == 0xFEFF;
}

/* Pictographs that default to emoji presentation, roughly: the emoji
** planes and the symbol blocks most emoji come from. Other pictographs
** (© ® ™ ‼ ↔) are emoji only when followed by VS16 (U+FE0F). */
static int emoji_default(int32_t cp) {
  return cp >= 0x1F000 || (cp >= 0x2300 && cp <= 0x23FF) ||
         (cp >= 0x2600 && cp <= 0x27BF) || (cp >= 0x2B00 && cp <= 0x2BFF) ||
         cp == 0x3030 || cp == 0x303D || cp == 0x3297 || cp == 0x3299;
}

/* Class of a non-ASCII code point. */
static unsigned uclass(int32_t cp) {
  switch (cp) {
  case 0x2018: case 0x2019: case 0x201B: case 0x02BC: case 0x00B4:
    return C_APOS;
  case 0x2010: case 0x2011:
    return C_HYPHEN;
  case 0x0085:
    return C_WS; /* NEL */
  case 0x180E:
    return C_IGN; /* Mongolian vowel separator: once a space, now Cf */
  /* punctuation that reads as a symbol: bullets, daggers, per mille... */
  case 0x2022: case 0x2023: case 0x2043: case 0x2020: case 0x2021:
  case 0x00A7: case 0x00B6: case 0x2030: case 0x2031: case 0x066A:
  case 0x203B: case 0x2042: case 0x2051: case 0x204E: case 0x2032:
  case 0x2033: case 0x2034: case 0xFF03: case 0xFF05: case 0xFF06:
  case 0xFF0A: case 0xFF20:
    return C_SYMBOL;
  default:
    break;
  }
  const utf8proc_property_t *p = utf8proc_get_property(cp);
  if (p->boundclass == UTF8PROC_BOUNDCLASS_REGIONAL_INDICATOR ||
      (cp >= 0x1F3FB && cp <= 0x1F3FF))
    return C_EMOJI;
  if ((p->boundclass == UTF8PROC_BOUNDCLASS_EXTENDED_PICTOGRAPHIC ||
       p->boundclass == UTF8PROC_BOUNDCLASS_E_ZWG) &&
      emoji_default(cp))
    return C_EMOJI;
  switch (p->category) {
  case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LT:
    return C_UPPER;
  case UTF8PROC_CATEGORY_LL:
    return C_LOWER;
  case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
    return C_LETTER;
  case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC:
  case UTF8PROC_CATEGORY_ME:
    return C_MARK;
  case UTF8PROC_CATEGORY_ND:
    return C_DIGIT;
  case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
    return C_NUMO;
  case UTF8PROC_CATEGORY_PD:
    return C_DASH;
  case UTF8PROC_CATEGORY_PC: case UTF8PROC_CATEGORY_PS:
  case UTF8PROC_CATEGORY_PE: case UTF8PROC_CATEGORY_PI:
  case UTF8PROC_CATEGORY_PF: case UTF8PROC_CATEGORY_PO:
    return C_PUNCT;
  case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_ZL:
  case UTF8PROC_CATEGORY_ZP:
    return C_WS;
  case UTF8PROC_CATEGORY_CC: case UTF8PROC_CATEGORY_CF:
    return C_IGN;
  case UTF8PROC_CATEGORY_CS:
    return C_BAD;
  default:
    return C_SYMBOL; /* Sm Sc Sk So, Co, Cn */
  }
}

/* The character at s[i], i < n. */
static inline uch char_at(const unsigned char *s, size_t n, size_t i) {
  uch u;
  if (s[i] < 0x80) {
    u.cp = s[i];
    u.len = 1;
    u.cls = ascii_cls[s[i]];
    return u;
  }
  u.len = u8dec(s + i, n - i, &u.cp);
  u.cls = u.cp < 0 ? C_BAD : uclass(u.cp);
  return u;
}

/* Writing systems written without spaces between words: a change between
** them (or between them and anything else) ends a word, so "東京タワー"
** gives "東京" and "タワー". 0 = other, 1 = Han, 2 = Hiragana, 3 = Katakana;
** -1 = neutral (the prolonged sound mark joins either kana). */
static int cjk_script(int32_t cp) {
  if (cp < 0x3005) return 0;
  if (cp == 0x30FC) return -1;
  if (cp >= 0x3040 && cp <= 0x309F) return 2;
  if ((cp >= 0x30A0 && cp <= 0x30FF) || (cp >= 0x31F0 && cp <= 0x31FF) ||
      (cp >= 0xFF66 && cp <= 0xFF9F))
    return 3;
  if ((cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
      (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3FFFF) ||
      cp == 0x3005 || cp == 0x3007)
    return 1;
  return 0;
}

static inline int is_adigit(unsigned char b) {
  return (unsigned)(b - '0') < 10u;
}
static inline int is_aalpha(unsigned char b) {
  return (unsigned)((b | 0x20) - 'a') < 26u;
}
static inline int is_aalnum(unsigned char b) {
  return is_adigit(b) || is_aalpha(b);
}
static inline unsigned char lower_ascii(unsigned char b) {
  return (unsigned)(b - 'A') < 26u ? (unsigned char)(b + 32) : b;
}

/* ======================================================================
** Scanner helpers: runs, clusters, URLs, e-mails, tags, abbreviations
** ==================================================================== */

/* State of a word being scanned. */
typedef struct wstate {
  int script;        /* cjk_script of the word so far, -1 before any */
  unsigned last;     /* class of the last character consumed */
  int has_letter;    /* the current hyphen-separated part has a letter */
} wstate;

/* Consume letters, marks and digits from i; stop at a change of CJK
** script. Returns the end of the run. */
static size_t run_alnum(const unsigned char *s, size_t n, size_t i,
                        wstate *w) {
  while (i < n) {
    unsigned b = s[i];
    if (b < 0x80) {
      unsigned c = ascii_cls[b];
      if (!IS_ALNUM(c) || w->script > 0) break;
      w->script = 0;
      w->last = c;
      w->has_letter |= c != C_DIGIT;
      i++;
      continue;
    }
    uch u = char_at(s, n, i);
    if (!IS_ALNUM(u.cls)) break;
    if (u.cls != C_MARK) {
      int sc = cjk_script(u.cp);
      if (sc >= 0) {
        if (w->script >= 0 && sc != w->script) break;
        w->script = sc;
      }
      w->last = u.cls;
    }
    w->has_letter |= IS_LETTER(u.cls);
    i += u.len;
  }
  return i;
}

/* Consume digits and other numerics from i (no CJK split: digits do not
** belong to a script). */
static size_t run_digits(const unsigned char *s, size_t n, size_t i) {
  while (i < n) {
    if (s[i] < 0x80) {
      if (!is_adigit(s[i])) break;
      i++;
      continue;
    }
    uch u = char_at(s, n, i);
    if (!IS_NUMERIC(u.cls)) break;
    i += u.len;
  }
  return i;
}

/* End of the extended grapheme cluster that starts with u at i: a
** character plus its combining marks, variation selectors, skin tones, ZWJ
** continuations and regional-indicator pair. */
static size_t cluster_end(const unsigned char *s, size_t n, size_t i, uch u) {
  size_t e = i + u.len;
  if (u.cp < 0) return e;
  utf8proc_int32_t prev = u.cp, state = 0;
  while (e < n && s[e] >= 0x80) { /* ASCII never extends a cluster */
    int32_t cp;
    unsigned len = u8dec(s + e, n - e, &cp);
    if (cp < 0 || utf8proc_grapheme_break_stateful(prev, cp, &state)) break;
    prev = cp;
    e += len;
  }
  return e;
}

/* A keycap emoji: [0-9#*] U+FE0F? U+20E3. Returns its end or 0. */
static size_t keycap(const unsigned char *s, size_t n, size_t i) {
  size_t j = i + 1;
  int32_t cp;
  if (j >= n || s[j] < 0x80) return 0;
  j += u8dec(s + j, n - j, &cp);
  if (cp == 0xFE0F) {
    if (j >= n) return 0;
    j += u8dec(s + j, n - j, &cp);
  }
  return cp == 0x20E3 ? j : 0;
}

/* Case-insensitive compare of s[0..len) with the lower-case ASCII word w. */
static int ascii_ieq(const unsigned char *s, size_t len, const char *w) {
  size_t i = 0;
  for (; i < len && w[i]; i++)
    if (lower_ascii(s[i]) != (unsigned char)w[i]) return 0;
  return i == len && w[i] == '\0';
}

/* Body of a URL from i: ASCII printable characters except the ones that
** delimit URLs in prose, plus non-ASCII letters and digits (IRIs); then
** trailing sentence punctuation and unbalanced closing brackets are given
** back. Returns the end (== i when nothing is left). */
static size_t url_body(const unsigned char *s, size_t n, size_t tok,
                       size_t i) {
  size_t body = i;
  while (i < n) {
    unsigned b = s[i];
    if (b < 0x80) {
      if (b <= 0x20 || b == 0x7F || b == '<' || b == '>' || b == '"' ||
          b == '`' || b == '\\' || b == '^' || b == '{' || b == '}' ||
          b == '|')
        break;
      i++;
      continue;
    }
    uch u = char_at(s, n, i);
    if (!IS_ALNUM(u.cls)) break;
    i += u.len;
  }
  while (i > body) {
    unsigned char b = s[i - 1];
    if (strchr(".,;:!?'*", b) != NULL) {
      i--;
      continue;
    }
    if (b == ')' || b == ']') {
      unsigned char open = b == ')' ? '(' : '[';
      long depth = 0;
      for (size_t k = tok; k < i; k++)
        depth += s[k] == open ? 1 : s[k] == b ? -1 : 0;
      if (depth < 0) {
        i--;
        continue;
      }
    }
    break;
  }
  return i;
}

/* "http://..." and friends: the first run s[start..e) is the scheme and
** s[e] == ':'. Returns the end of the URL or 0. */
static size_t try_scheme_url(const unsigned char *s, size_t n, size_t start,
                             size_t e) {
  size_t len = e - start;
  const unsigned char *w = s + start;
  if (!(ascii_ieq(w, len, "http") || ascii_ieq(w, len, "https") ||
        ascii_ieq(w, len, "ftp") || ascii_ieq(w, len, "ftps")))
    return 0;
  if (e + 3 >= n || s[e + 1] != '/' || s[e + 2] != '/') return 0;
  size_t end = url_body(s, n, start, e + 3);
  return end > e + 3 ? end : 0;
}

/* Top-level domains accepted for bare domains ("example.org"). Kept short
** and free of common English words so "end.in" or "it.is" stay words. */
static const char *const tlds[] = {
  "com", "net", "org", "edu", "gov", "mil", "int", "info", "biz", "io",
  "co", "uk", "ca", "de", "fr", "eu", "au", "jp", "ru", "cn", "tv", "ly",
  "ai", "gg", "iq", "ir", "il", "sa", "ae", "tr", "nl", "ch", "es", "pl",
};

/* "www.example.org/x" or a bare domain "news.example.co.uk/x": the first
** run s[start..e) is ASCII and s[e] == '.'. Returns the end or 0. */
static size_t try_domain(const unsigned char *s, size_t n, size_t start,
                         size_t e) {
  if (e + 1 >= n || !is_aalnum(s[e + 1])) return 0;
  for (size_t k = start; k < e; k++)
    if (s[k] >= 0x80) return 0;
  if (ascii_ieq(s + start, e - start, "www")) {
    size_t end = url_body(s, n, start, e + 1);
    return end > e + 1 ? end : 0;
  }
  size_t p = e, last = e, labels = 1;
  while (p + 1 < n && s[p] == '.' && is_aalnum(s[p + 1])) {
    size_t q = p + 1;
    while (q < n && (is_aalnum(s[q]) || s[q] == '-')) q++;
    last = p + 1;
    labels++;
    p = q;
  }
  if (labels < 2) return 0;
  size_t tl = p - last;
  int ok = 0;
  for (size_t k = 0; k < sizeof tlds / sizeof tlds[0] && !ok; k++)
    ok = strlen(tlds[k]) == tl && memcmp(tlds[k], s + last, tl) == 0;
  if (!ok) return 0;
  if (p < n) {
    if (s[p] == '/') return url_body(s, n, start, p);
    uch u = char_at(s, n, p);
    if (IS_ALNUM(u.cls) || s[p] == '@' || s[p] == '_') return 0;
  }
  return p;
}

static inline int email_local(unsigned char b) {
  return is_aalnum(b) || b == '.' || b == '_' || b == '%' || b == '+' ||
         b == '-';
}

/* a.b@example.org from start. Returns the end or 0. */
static size_t try_email(const unsigned char *s, size_t n, size_t start) {
  size_t i = start;
  while (i < n && email_local(s[i])) i++;
  if (i == start || i + 1 >= n || s[i] != '@' || s[start] == '.' ||
      s[i - 1] == '.')
    return 0;
  size_t p = i + 1, last = p, last_end = p, labels = 0;
  for (;;) {
    size_t q = p;
    while (q < n && (is_aalnum(s[q]) || s[q] == '-')) q++;
    if (q == p) break;
    labels++;
    last = p;
    last_end = q;
    if (q + 1 < n && s[q] == '.' && is_aalnum(s[q + 1])) {
      p = q + 1;
      continue;
    }
    break;
  }
  if (labels < 2 || last_end - last < 2) return 0;
  for (size_t k = last; k < last_end; k++)
    if (!is_aalpha(s[k])) return 0;
  return last_end;
}

/* #tag or @name from the sigil at i: letters, digits, marks and '_'. A
** hashtag needs a letter ("#1" is a symbol and a number). Returns the end
** or 0. */
static size_t scan_tag(const unsigned char *s, size_t n, size_t i,
                       int need_letter) {
  size_t j = i + 1;
  int letter = 0;
  while (j < n) {
    uch u = char_at(s, n, j);
    if (!IS_ALNUM(u.cls) && u.cls != C_UNDER) break;
    letter |= IS_LETTER(u.cls) || u.cls == C_UNDER;
    j += u.len;
  }
  if (j == i + 1 || (need_letter && !letter)) return 0;
  return j;
}

/* Known abbreviations that keep their period. cap: the first letter must
** be upper case (so "ill." and "mass." at the end of a sentence stay
** words); dig: only before a number ("No. 5"). */
typedef struct abbrev {
  const char *w;     /* lower case, without the period */
  unsigned char cap; /* needs an upper-case first letter */
  unsigned char dig; /* needs a digit next ("No. 1351") */
} abbrev;

/* Kept in byte order of w: looked up by binary search. */
static const abbrev abbrevs[] = {
  {"adm", 1, 0}, {"al", 0, 0}, {"ala", 1, 0}, {"amb", 1, 0},
  {"approx", 0, 0}, {"apr", 1, 0}, {"ariz", 1, 0}, {"ark", 1, 0},
  {"art", 0, 1}, {"assn", 1, 0}, {"atty", 1, 0}, {"aug", 1, 0},
  {"ave", 1, 0}, {"blvd", 1, 0}, {"brig", 1, 0}, {"bros", 1, 0},
  {"ca", 0, 0}, {"calif", 1, 0}, {"capt", 1, 0}, {"cdr", 1, 0}, {"cf", 0, 0},
  {"ch", 0, 1}, {"cmdr", 1, 0}, {"co", 1, 0}, {"col", 1, 0}, {"colo", 1, 0},
  {"conn", 1, 0}, {"corp", 1, 0}, {"cpl", 1, 0}, {"dec", 1, 0},
  {"del", 1, 0}, {"dept", 1, 0}, {"dr", 0, 0}, {"esp", 0, 0}, {"etc", 0, 0},
  {"feb", 1, 0}, {"fig", 0, 1}, {"figs", 0, 1}, {"fla", 1, 0}, {"fr", 1, 0},
  {"ft", 1, 0}, {"ga", 1, 0}, {"gen", 1, 0}, {"gov", 1, 0}, {"hon", 1, 0},
  {"ibid", 0, 0}, {"ill", 1, 0}, {"inc", 1, 0}, {"incl", 0, 0},
  {"ind", 1, 0}, {"insp", 1, 0}, {"jan", 1, 0}, {"jr", 1, 0}, {"jul", 1, 0},
  {"jun", 1, 0}, {"kan", 1, 0}, {"kans", 1, 0}, {"ky", 1, 0}, {"la", 1, 0},
  {"lt", 1, 0}, {"ltd", 1, 0}, {"maj", 1, 0}, {"mar", 1, 0}, {"mass", 1, 0},
  {"md", 1, 0}, {"messrs", 1, 0}, {"mich", 1, 0}, {"minn", 1, 0},
  {"miss", 1, 0}, {"mlle", 1, 0}, {"mme", 1, 0}, {"mo", 1, 0},
  {"mont", 1, 0}, {"mr", 1, 0}, {"mrs", 1, 0}, {"ms", 1, 0}, {"mt", 1, 0},
  {"neb", 1, 0}, {"nev", 1, 0}, {"no", 1, 1}, {"nos", 1, 1}, {"nov", 1, 0},
  {"oct", 1, 0}, {"okla", 1, 0}, {"ore", 1, 0}, {"p", 0, 1}, {"pa", 1, 0},
  {"para", 0, 1}, {"pp", 0, 1}, {"pres", 1, 0}, {"prof", 1, 0},
  {"pvt", 1, 0}, {"rd", 1, 0}, {"rep", 1, 0}, {"reps", 1, 0}, {"resp", 0, 0},
  {"rev", 1, 0}, {"sec", 0, 1}, {"sen", 1, 0}, {"sens", 1, 0}, {"sep", 1, 0},
  {"sept", 1, 0}, {"sgt", 1, 0}, {"sr", 1, 0}, {"st", 1, 0}, {"supt", 1, 0},
  {"tenn", 1, 0}, {"tex", 1, 0}, {"univ", 1, 0}, {"v", 0, 0}, {"va", 1, 0},
  {"viz", 0, 0}, {"vol", 0, 1}, {"vols", 0, 1}, {"vs", 0, 0}, {"vt", 1, 0},
  {"wash", 1, 0}, {"wis", 1, 0}, {"wyo", 1, 0},
};

/* Order of the NUL-terminated w against s[0..len) (NUL-free), as strcmp
** would order them; inline, as it runs in a loop on every lookup. */
static inline int cmp_word(const char *w, const char *s, size_t len) {
  for (size_t i = 0; i < len; i++) {
    unsigned char a = (unsigned char)w[i], b = (unsigned char)s[i];
    if (a != b) return a < b ? -1 : 1; /* a == 0: w is a prefix of s */
  }
  return w[len] != '\0';
}

/* The entry of the lower-case word low[0..len) in abbrevs, or NULL. */
static const abbrev *abbrev_listed(const char *low, size_t len) {
  size_t lo = 0, hi = sizeof abbrevs / sizeof abbrevs[0];
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int cmp = cmp_word(abbrevs[mid].w, low, len);
    if (cmp == 0) return &abbrevs[mid];
    if (cmp < 0) lo = mid + 1;
    else hi = mid;
  }
  return NULL;
}

/* Next non-white-space character after i (skipping at most one line
** break): its class, or C_WS when there is none. */
static unsigned next_visible(const unsigned char *s, size_t n, size_t i) {
  int nl = 0;
  while (i < n) {
    uch u = char_at(s, n, i);
    if (u.cls != C_WS && u.cls != C_IGN) return u.cls;
    if (s[i] == '\n' && ++nl > 1) break;
    i += u.len;
  }
  return C_WS;
}

/* The word s[start..e) is a single run followed by '.' at e: is it an
** abbreviation that keeps its period? Returns the token end or 0.
**  - dotted acronyms: "U.S." "D.C." "U.S.A." "e.g." "a.m." "Ph.D." — runs
**    of one or two letters each followed by a period, at least two runs,
**    at least one of a single letter;
**  - initials: one upper-case letter, then white space and an upper-case
**    letter ("J. Smith");
**  - the list above. */
static size_t abbrev_end(const unsigned char *s, size_t n, size_t start,
                         size_t e) {
  unsigned nch = 0, all_letters = 1, first = 0;
  for (size_t k = start; k < e && nch < 8;) {
    uch u = char_at(s, n, k);
    if (nch == 0) first = u.cls;
    all_letters &= u.cls == C_UPPER || u.cls == C_LOWER || u.cls == C_LETTER;
    nch++;
    k += u.len;
  }
  if (!all_letters) return 0;
  if (nch <= 2) {
    size_t p = e + 1;
    unsigned segs = 1, single = nch == 1;
    while (p < n) {
      size_t q = p;
      unsigned k = 0;
      while (q < n && k < 3) {
        uch u = char_at(s, n, q);
        if (u.cls != C_UPPER && u.cls != C_LOWER && u.cls != C_LETTER) break;
        k++;
        q += u.len;
      }
      if (k < 1 || k > 2 || q >= n || s[q] != '.') break;
      segs++;
      single |= k == 1;
      p = q + 1;
    }
    if (segs >= 2 && single) return p;
  }
  if (nch == 1 && first == C_UPPER && e + 1 < n &&
      char_at(s, n, e + 1).cls == C_WS && next_visible(s, n, e + 1) == C_UPPER)
    return e + 1;
  size_t len = e - start;
  if (len > 6) return 0;
  char low[8];
  for (size_t k = 0; k < len; k++) {
    if (s[start + k] >= 0x80) return 0;
    low[k] = (char)lower_ascii(s[start + k]);
  }
  const abbrev *a = abbrev_listed(low, len);
  if (!a) return 0;
  if (a->cap && !(s[start] >= 'A' && s[start] <= 'Z')) return 0;
  if (a->dig) {
    size_t p = e + 1;
    while (p < n && (s[p] == ' ' || s[p] == '\t')) p++;
    if (p < n && s[p] == 0xC2 && p + 1 < n && s[p + 1] == 0xA0) p += 2;
    if (p >= n || !is_adigit(s[p])) return 0;
  }
  return e + 1;
}

/* Could the ASCII word s[start..e) (letters only, lower-cased in low[])
** take the period at e as an abbreviation? Only by one of abbrev_end's
** three ways: a dotted acronym (a word of at most two letters, a letter
** after the period), an initial (one upper-case letter) or the list.
** When not, abbrev_end would return 0, and the fast path need not ask. */
static inline int abbrev_may(const unsigned char *s, size_t n, size_t start,
                             size_t e, const char *low) {
  size_t len = e - start;
  if (len > 6) return 0;
  if (len <= 2 && e + 1 < n && (s[e + 1] >= 0x80 || is_aalpha(s[e + 1])))
    return 1;
  if (len == 1 && s[start] >= 'A' && s[start] <= 'Z') return 1;
  return abbrev_listed(low, len) != NULL;
}

/* Unit suffixes that are split off a number written against them
** ("10km" -> "10" "km"); other letters make one word ("3D", "5G"). */
static const char *const units[] = {
  "km", "kg", "g", "mg", "cm", "mm", "m", "ml", "l", "lb", "lbs", "oz",
  "ft", "mi", "mph", "kph", "kmh", "h", "hr", "hrs", "min", "mins", "sec",
  "secs", "ms", "bn", "mn", "k", "am", "pm", "kb", "mb", "gb", "tb", "KB",
  "MB", "GB", "TB", "Hz", "kHz", "MHz", "GHz", "kW", "MW", "GW", "kWh",
  "W", "V", "mAh", "bpd", "sq",
};

static int is_unit(const unsigned char *s, size_t len) {
  for (size_t k = 0; k < sizeof units / sizeof units[0]; k++)
    if (strlen(units[k]) == len && memcmp(units[k], s, len) == 0) return 1;
  return 0;
}

/* ======================================================================
** Scanner: words, numbers, and the main dispatch
** ==================================================================== */

/* Is the apostrophe at s[i] (ulen bytes) the start of a possessive
** clitic "'s" that ends the word ("Iraq’s", "Kadhimi's")? Such a clitic is
** a token of its own, as in spaCy and the Penn Treebank, so that "Iraq"
** and "Kadhimi" are found by whoever looks for them. "Kata’ib" and
** "don't" stay whole. */
static int possessive_at(const unsigned char *s, size_t n, size_t i,
                         size_t ulen) {
  size_t j = i + ulen;
  if (j >= n || (s[j] != 's' && s[j] != 'S')) return 0;
  if (j + 1 >= n) return 1;
  unsigned char b = s[j + 1];
  if (b < 0x80) return !((b | 0x20) >= 'a' && (b | 0x20) <= 'z') && !(b >= '0' && b <= '9');
  return !IS_ALNUM(char_at(s, n, j + 1).cls);
}

/* A word from start (a letter, mark or digit): letter/digit runs joined by
** inner apostrophes (between letters), hyphens (before a letter, or a digit
** when the part has a letter), underscores and zero-width joiners. May turn
** out to be a URL or an e-mail address, or take its period as an
** abbreviation. */
static size_t scan_word(const unsigned char *s, size_t n, size_t start,
                        int *kind) {
  wstate w = {-1, 0, 0};
  size_t e = run_alnum(s, n, start, &w), x;
  *kind = TR_WORD;
  if (e < n) {
    unsigned b = s[e];
    if (b == ':' && (x = try_scheme_url(s, n, start, e))) {
      *kind = TR_URL;
      return x;
    }
    if (b == '@' || b == '.' || b == '_' || b == '+' || b == '-' ||
        b == '%') {
      if ((x = try_email(s, n, start))) {
        *kind = TR_EMAIL;
        return x;
      }
      if (b == '.' && (x = try_domain(s, n, start, e))) {
        *kind = TR_URL;
        return x;
      }
    }
  }
  int joined = 0;
  while (e < n) {
    uch u = char_at(s, n, e);
    int join = u.cls == C_APOS || u.cls == C_HYPHEN || u.cls == C_UNDER ||
               (u.cls == C_IGN && is_joiner(u.cp));
    if (!join || e + u.len >= n) break;
    uch v = char_at(s, n, e + u.len);
    switch (u.cls) {
    case C_APOS:
      join = IS_LETTER(w.last) && IS_LETTER(v.cls) &&
             !possessive_at(s, n, e, u.len);
      break;
    case C_HYPHEN:
      join = IS_ALNUM(w.last) &&
             (IS_LETTER(v.cls) || (IS_NUMERIC(v.cls) && w.has_letter));
      break;
    case C_UNDER: join = IS_ALNUM(w.last) && IS_ALNUM(v.cls); break;
    default: join = IS_LETTER(w.last) && IS_LETTER(v.cls); break;
    }
    if (!join) break;
    wstate w2 = w;
    if (u.cls == C_HYPHEN) w2.has_letter = 0;
    size_t e2 = run_alnum(s, n, e + u.len, &w2);
    if (e2 == e + u.len) break; /* a script change right after the joiner */
    w = w2;
    e = e2;
    joined = 1;
  }
  if (!joined && e < n && s[e] == '.' && (x = abbrev_end(s, n, start, e)))
    return x;
  return e;
}

/* A number from start (a digit): 1351, 2,000, 3.5, 12/25/20, 10:30,
** 2020-06-25, 45th, 1990s. Digits against other letters make a word
** ("3D", "17-year-old") unless the letters are a unit ("10km"). */
static size_t scan_number(const unsigned char *s, size_t n, size_t start,
                          int *kind) {
  size_t i = run_digits(s, n, start), x;
  int plain = 1;
  *kind = TR_NUMBER;
  /* ISO date */
  if (i - start == 4 && is_adigit(s[start]) && is_adigit(s[start + 1]) &&
      is_adigit(s[start + 2]) && is_adigit(s[start + 3]) && i + 5 < n &&
      s[i] == '-' && is_adigit(s[i + 1]) && is_adigit(s[i + 2]) &&
      s[i + 3] == '-' && is_adigit(s[i + 4]) && is_adigit(s[i + 5]) &&
      (i + 6 >= n || !is_adigit(s[i + 6])))
    return i + 6;
  while (i + 1 < n && (s[i] == ',' || s[i] == '.' || s[i] == '/' ||
                       s[i] == ':') && is_adigit(s[i + 1])) {
    i = run_digits(s, n, i + 1);
    plain = 0;
  }
  if (i >= n) return i;
  uch u = char_at(s, n, i);
  if (u.cls == C_UPPER || u.cls == C_LOWER) {
    /* ordinal or decade suffix, or a unit */
    size_t j = i;
    while (j < n && is_aalpha(s[j])) j++;
    if (j > i && (j >= n || !IS_ALNUM(char_at(s, n, j).cls))) {
      size_t l = j - i;
      const unsigned char *x2 = s + i;
      if ((l == 2 && (ascii_ieq(x2, 2, "st") || ascii_ieq(x2, 2, "nd") ||
                      ascii_ieq(x2, 2, "rd") || ascii_ieq(x2, 2, "th"))) ||
          (l == 1 && s[i] == 's')) {
        if (j + 1 < n && s[j] == '-' &&
            IS_LETTER(char_at(s, n, j + 1).cls))
          return scan_word(s, n, start, kind); /* "2nd-largest" */
        return j;
      }
      if (is_unit(s + i, l)) return i;
    }
    if (plain && cjk_script(u.cp) == 0) return scan_word(s, n, start, kind);
    return i;
  }
  if ((u.cls == C_LETTER || u.cls == C_MARK) && plain &&
      cjk_script(u.cp) == 0)
    return scan_word(s, n, start, kind);
  if (u.cls == C_HYPHEN && plain && i + u.len < n &&
      IS_LETTER(char_at(s, n, i + u.len).cls))
    return scan_word(s, n, start, kind); /* "17-year-old" */
  if (s[i] == '@' && (x = try_email(s, n, start))) {
    *kind = TR_EMAIL;
    return x;
  }
  return i;
}

/* The scanner: text, where to look next, and the previous token (for the
** "’s" clitic after a mention, hashtag or number). */
typedef struct scanner {
  const unsigned char *s; /* the text */
  size_t n;               /* its length */
  size_t pos;             /* where the next token is searched from */
  size_t prev_end;        /* end of the previous token, SIZE_MAX if none */
  int prev_kind;          /* kind of the previous token */
} scanner;

/* Find the next token. Returns 0 at the end of the text. */
static int next_token(scanner *sc, size_t *ts, size_t *te, int *kind) {
  const unsigned char *s = sc->s;
  size_t n = sc->n, i = sc->pos, e;
  int k;
  while (i < n) {
    uch u = char_at(s, n, i);
    switch (u.cls) {
    case C_WS:
    case C_IGN:
      i += u.len;
      continue;
    case C_UPPER: case C_LOWER: case C_LETTER: case C_MARK:
      e = scan_word(s, n, i, &k);
      break;
    case C_DIGIT: case C_NUMO:
      if (u.len == 1 && (e = keycap(s, n, i))) {
        k = TR_EMOJI;
        break;
      }
      e = scan_number(s, n, i, &k);
      break;
    case C_PERIOD: /* "." or a run of periods ("..." is one token) */
      for (e = i + 1; e < n && s[e] == '.';) e++;
      k = TR_PUNCT;
      break;
    case C_HYPHEN: /* "-", or a run of them ("--" is one token) */
      if (s[i] == '-') {
        for (e = i + 1; e < n && s[e] == '-';) e++;
      } else {
        e = cluster_end(s, n, i, u);
      }
      k = TR_PUNCT;
      break;
    case C_HASH:
    case C_AT:
      if (u.cls == C_HASH && (e = keycap(s, n, i))) {
        k = TR_EMOJI;
      } else if ((e = scan_tag(s, n, i, u.cls == C_HASH))) {
        k = u.cls == C_HASH ? TR_HASHTAG : TR_MENTION;
      } else {
        e = i + 1;
        k = TR_SYMBOL;
      }
      break;
    case C_APOS:
      /* "’s" right after a word, mention, hashtag or number is a word of
      ** its own: "Iraq’s" -> "Iraq" "’s", "@MAKadhimi’s" -> "@MAKadhimi"
      ** "’s" */
      e = i + u.len;
      if (sc->prev_end == i &&
          (sc->prev_kind == TR_WORD || sc->prev_kind == TR_MENTION ||
           sc->prev_kind == TR_HASHTAG || sc->prev_kind == TR_NUMBER) &&
          e < n && (s[e] == 's' || s[e] == 'S') &&
          (e + 1 >= n || !IS_ALNUM(char_at(s, n, e + 1).cls))) {
        e++;
        k = TR_WORD;
        break;
      }
      e = cluster_end(s, n, i, u);
      k = TR_PUNCT;
      break;
    case C_EMOJI:
      e = cluster_end(s, n, i, u);
      k = TR_EMOJI;
      break;
    case C_BAD:
      e = i + 1;
      k = TR_SYMBOL;
      break;
    default: /* C_DASH C_UNDER C_PUNCT C_SYMBOL */
      if (s[i] == '*' && (e = keycap(s, n, i))) {
        k = TR_EMOJI;
        break;
      }
      e = cluster_end(s, n, i, u);
      k = u.cls == C_SYMBOL ? TR_SYMBOL : TR_PUNCT;
      /* a text pictograph made emoji by VS16: "©️" "‼️" */
      if (u.cp >= 0x80 && e > i + u.len) {
        int32_t cp2;
        u8dec(s + i + u.len, n - i - u.len, &cp2);
        if (cp2 == 0xFE0F &&
            utf8proc_get_property(u.cp)->boundclass ==
                UTF8PROC_BOUNDCLASS_EXTENDED_PICTOGRAPHIC)
          k = TR_EMOJI;
      }
      break;
    }
    if (e <= i) e = i + u.len; /* never stall */
    if (e - i > UINT32_MAX) e = i + UINT32_MAX;
    *ts = i;
    *te = e;
    *kind = k;
    sc->pos = e;
    sc->prev_end = e;
    sc->prev_kind = k;
    return 1;
  }
  sc->pos = n;
  return 0;
}

/* ======================================================================
** Classifier: flags from a token's bytes and kind
** ==================================================================== */

static int is_quote_cp(int32_t cp) {
  switch (cp) {
  case '"': case '\'': case '`': case 0x00B4: case 0x00AB: case 0x00BB:
  case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x201C:
  case 0x201D: case 0x201E: case 0x201F: case 0x2039: case 0x203A:
  case 0x300C: case 0x300D: case 0x300E: case 0x300F: case 0x301D:
  case 0x301E: case 0x301F: case 0xFF02: case 0xFF07: case 0x275B:
  case 0x275C: case 0x275D: case 0x275E:
    return 1;
  default:
    return 0;
  }
}

/* UPPER, LOWER and TITLE from the counts of upper- and lower-case letters
** and whether the word reads as title case. Shared by classify() and the
** ASCII fast path so both say the same. */
static inline uint32_t case_flags(size_t n_up, size_t n_low, int title_ok) {
  uint32_t f = 0;
  if (n_up + n_low > 0) {
    if (n_low == 0) f |= TR_F_UPPER;
    if (n_up == 0) f |= TR_F_LOWER;
    if (title_ok) f |= TR_F_TITLE;
  }
  return f;
}

/* Flags that follow from the token's characters and kind alone (not STOP
** and number words, which need the norm, nor SPACE_AFTER and the
** direction of ASCII quotes, which need the context). */
static uint32_t classify(const unsigned char *s, size_t len, int kind) {
  uint32_t f = 0;
  size_t n_up = 0, n_low = 0;
  int ascii = 1, title_ok = 1, prev_cased = 0;
  int all_digit = 1, all_alpha = kind == TR_WORD, hyph = 0;
  int all_quote = 1, all_bracket = 1, left = 0, right = 0;
  unsigned last = C_WS;
  for (size_t i = 0; i < len;) {
    uch u = char_at(s, len, i);
    if (s[i] >= 0x80) ascii = 0;
    switch (u.cls) {
    case C_UPPER:
      if (prev_cased) title_ok = 0;
      prev_cased = 1;
      n_up++;
      all_digit = 0;
      break;
    case C_LOWER:
      if (!prev_cased) title_ok = 0;
      prev_cased = 1;
      n_low++;
      all_digit = 0;
      break;
    case C_LETTER:
      prev_cased = 0;
      all_digit = 0;
      break;
    case C_MARK: /* transparent: "Sa\u0301nchez" is title case */
      all_digit = 0;
      break;
    case C_DIGIT:
      prev_cased = 0;
      all_alpha = 0;
      break;
    case C_APOS:
    case C_HYPHEN:
    case C_IGN: {
      /* inner apostrophes and joiners are transparent, inner hyphens start
      ** a new part; anywhere else they are not letters */
      int inner = 0;
      if (kind == TR_WORD && i > 0 && i + u.len < len) {
        unsigned nx = char_at(s, len, i + u.len).cls;
        if (u.cls == C_HYPHEN)
          inner = IS_ALNUM(last) && IS_ALNUM(nx);
        else if (u.cls == C_APOS || is_joiner(u.cp))
          inner = IS_LETTER(last) && IS_LETTER(nx);
      }
      if (inner && u.cls == C_HYPHEN) {
        hyph = 1;
        prev_cased = 0;
      } else if (!inner) {
        all_alpha = 0;
        prev_cased = 0;
      }
      all_digit = 0;
      break;
    }
    default:
      all_alpha = 0;
      all_digit = 0;
      prev_cased = 0;
      break;
    }
    if (kind == TR_PUNCT) {
      int32_t cp = u.cp;
      int cat = cp < 0x80 ? 0 : utf8proc_category(cp);
      int q = is_quote_cp(cp);
      all_quote &= q;
      if (cp == '(' || cp == '[' || cp == '{' ||
          (cp >= 0x80 && cat == UTF8PROC_CATEGORY_PS && !q)) {
        left = 1;
      } else if (cp == ')' || cp == ']' || cp == '}' ||
                 (cp >= 0x80 && cat == UTF8PROC_CATEGORY_PE && !q)) {
        right = 1;
      } else {
        all_bracket = 0;
        if (cp >= 0x80 && (cat == UTF8PROC_CATEGORY_PI ||
                           cat == UTF8PROC_CATEGORY_PS))
          left = 1;
        if (cp >= 0x80 && (cat == UTF8PROC_CATEGORY_PF ||
                           cat == UTF8PROC_CATEGORY_PE))
          right = 1;
      }
    }
    if (u.cls != C_MARK) last = u.cls;
    i += u.len;
  }
  if (len == 0) all_digit = all_alpha = all_quote = all_bracket = 0;
  if (ascii) f |= TR_F_ASCII;
  if (all_alpha && IS_LETTER(last)) f |= TR_F_ALPHA;
  if (all_digit) f |= TR_F_DIGIT;
  f |= case_flags(n_up, n_low, title_ok);
  if (kind == TR_PUNCT) {
    f |= TR_F_PUNCT;
    if (all_quote) f |= TR_F_QUOTE;
    if (all_bracket) f |= TR_F_BRACKET;
    if (left && !right) f |= TR_F_LEFT_PUNCT;
    if (right && !left) f |= TR_F_RIGHT_PUNCT;
  }
  if (kind == TR_WORD && hyph) f |= TR_F_HYPHENATED;
  if (kind == TR_NUMBER) f |= TR_F_LIKE_NUM;
  if (kind == TR_URL) f |= TR_F_LIKE_URL;
  if (kind == TR_EMAIL) f |= TR_F_LIKE_EMAIL;
  if (kind == TR_WORD && len > 1 && s[len - 1] == '.') f |= TR_F_ABBREV;
  return f;
}

/* Number words (on the norm). This is checked for every word, so the
** words are indexed by first letter and compared by length first. */
typedef struct numword {
  const char *w;       /* the word */
  unsigned char len;   /* its length */
} numword;

static const numword num_words[] = {
  {"billion", 7}, {"dozen", 5}, {"eight", 5}, {"eleven", 6},
  {"eighteen", 8}, {"eighty", 6}, {"four", 4}, {"five", 4},
  {"fourteen", 8}, {"fifteen", 7}, {"forty", 5}, {"fifty", 5},
  {"hundred", 7}, {"million", 7}, {"nine", 4}, {"nineteen", 8},
  {"ninety", 6}, {"one", 3}, {"quadrillion", 11}, {"six", 3},
  {"seven", 5}, {"sixteen", 7}, {"seventeen", 9}, {"sixty", 5},
  {"seventy", 7}, {"two", 3}, {"three", 5}, {"ten", 3}, {"twelve", 6},
  {"thirteen", 8}, {"twenty", 6}, {"thirty", 6}, {"thousand", 8},
  {"trillion", 8}, {"zero", 4},
};

/* num_words[num_first[c]..num_first[c+1]) start with letter 'a' + c. */
static const unsigned char num_first[27] = {
  0, 0, 1, 1, 2, 6, 12, 12, 13, 13, 13, 13, 13, 14, 17, 18, 18, 19,
  19, 25, 34, 34, 34, 34, 34, 34, 35,
};

/* Is s[0..len) one of the number words (first letter a-z)? */
static int num_word_compare(const char *s, size_t len) {
  unsigned c0 = (unsigned char)s[0] - 'a';
  for (unsigned k = num_first[c0]; k < num_first[c0 + 1]; k++)
    if (num_words[k].len == len && memcmp(num_words[k].w, s, len) == 0)
      return 1;
  return 0;
}

/* For each first two letters of a number word, the lengths (bit i for
** length i) that number words with them have: nearly every word is
** rejected by this one load, inline; the few others are compared. Indexed
** by the low five bits of each letter (a = 1 ... z = 26), so that a word
** packed into an integer (tr_is_stopword8's key) indexes it directly. */
#define NW2(a, b) (((a) & 31) | ((b) & 31) << 5)
static const unsigned short num_len_mask[32 * 32] = {
  [NW2('b', 'i')] = 0x80,
  [NW2('d', 'o')] = 0x20,
  [NW2('e', 'i')] = 0x160,
  [NW2('e', 'l')] = 0x40,
  [NW2('f', 'i')] = 0xB0,
  [NW2('f', 'o')] = 0x130,
  [NW2('h', 'u')] = 0x80,
  [NW2('m', 'i')] = 0x80,
  [NW2('n', 'i')] = 0x150,
  [NW2('o', 'n')] = 0x8,
  [NW2('q', 'u')] = 0x800,
  [NW2('s', 'e')] = 0x2A0,
  [NW2('s', 'i')] = 0xA8,
  [NW2('t', 'e')] = 0x8,
  [NW2('t', 'h')] = 0x160,
  [NW2('t', 'r')] = 0x100,
  [NW2('t', 'w')] = 0x48,
  [NW2('z', 'e')] = 0x10,
};
#undef NW2

static inline int is_num_word1(const char *s, size_t len) {
  if (len < 3 || len > 11) return 0;
  unsigned c0 = (unsigned char)s[0], c1 = (unsigned char)s[1];
  if (c0 - 'a' >= 26 || c1 - 'a' >= 26 ||
      !((num_len_mask[(c0 & 31) | (c1 & 31) << 5] >> len) & 1))
    return 0;
  return num_word_compare(s, len);
}

/* The same for a word of 1 to 8 lower-case ASCII letters s[0..len), given
** also packed into key as for tr_is_stopword8 (byte k in bits 8k..8k+7):
** its first two letters index the table straight from the register (a
** one-letter word has a zero second byte, which no entry has). */
static inline int is_num_key(uint64_t key, const char *s, size_t len) {
  unsigned m = num_len_mask[(key & 31) | ((key >> 3) & (31u << 5))];
  return ((m >> len) & 1) && num_word_compare(s, len);
}

/* "ten", "hundred", or hyphenated number words: "twenty-one". */
static int is_num_word(const char *s, size_t len) {
  if (len < 3 || len > 40) return 0;
  size_t p = 0;
  while (p <= len) {
    const char *h = memchr(s + p, '-', len - p);
    size_t q = h ? (size_t)(h - s) : len;
    if (!is_num_word1(s + p, q - p)) return 0;
    p = q + 1;
  }
  return 1;
}

/* ======================================================================
** Normalisation
** ==================================================================== */

/* Quotes and dashes are unified before NFKC (which would turn ´ into a
** space and a combining accent). */
static utf8proc_int32_t norm_map(utf8proc_int32_t cp, void *data) {
  (void)data;
  switch (cp) {
  case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x02BC:
  case 0x0060: case 0x00B4:
    return '\'';
  case 0x201C: case 0x201D: case 0x201E: case 0x201F:
    return '"';
  case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
  case 0x2015: case 0x2212: case 0xFE58: case 0xFE63: case 0xFF0D:
  case 0x2E3A: case 0x2E3B:
    return '-';
  default:
    return cp;
  }
}

/* Reusable code-point buffer for utf8proc, so normalising a non-ASCII
** token allocates nothing once it is large enough. */
typedef struct scratch {
  int32_t *buf;      /* current buffer: stack_buf or malloc'ed */
  size_t cap;        /* its size in code points */
  int32_t stack_buf[256]; /* the initial buffer */
} scratch;

static void scratch_init(scratch *sb) {
  sb->buf = sb->stack_buf;
  sb->cap = sizeof sb->stack_buf / sizeof sb->stack_buf[0];
}

static void scratch_free(scratch *sb) {
  if (sb->buf != sb->stack_buf) free(sb->buf);
  scratch_init(sb);
}

/* Make room for extra more bytes in the arena (the growing part). */
static int norm_grow(tr_tokens *t, size_t extra) {
  size_t need = t->norm_n + extra, cap = t->norm_cap ? t->norm_cap : 256;
  if (need < t->norm_n) return -1;
  while (cap < need) {
    if (cap > SIZE_MAX / 2) {
      cap = need;
      break;
    }
    cap *= 2;
  }
  char *p = realloc(t->norm, cap);
  if (!p) return -1;
  t->norm = p;
  t->norm_cap = cap;
  return 0;
}

/* Make room for extra more tokens (the growing part). */
static int toks_grow(tr_tokens *t, size_t extra) {
  size_t need = t->n + extra, cap = t->cap ? t->cap : 64;
  if (need < t->n || need > SIZE_MAX / sizeof(tr_token)) return -1;
  while (cap < need)
    cap = cap > SIZE_MAX / 2 / sizeof(tr_token) ? need : cap * 2;
  tr_token *p = realloc(t->v, cap * sizeof *p);
  if (!p) return -1;
  t->v = p;
  t->cap = cap;
  return 0;
}

/* Make room for extra more bytes or tokens: checked on every token, so the
** check is inline and the growing is not. */
static inline int norm_reserve(tr_tokens *t, size_t extra) {
  return t->norm_cap - t->norm_n >= extra ? 0 : norm_grow(t, extra);
}

static inline int toks_reserve(tr_tokens *t, size_t extra) {
  return t->cap - t->n >= extra ? 0 : toks_grow(t, extra);
}

/* Append s[0..len) to the arena with invalid bytes replaced by U+FFFD:
** the fallback when utf8proc refuses a string. */
static int norm_sanitized(tr_tokens *t, const unsigned char *s, size_t len) {
  if (len > SIZE_MAX / 3 || norm_reserve(t, len * 3)) return -1;
  char *d = t->norm + t->norm_n;
  for (size_t i = 0; i < len;) {
    int32_t cp;
    unsigned l = u8dec(s + i, len - i, &cp);
    if (cp < 0) {
      memcpy(d, "\xEF\xBF\xBD", 3);
      d += 3;
    } else {
      memcpy(d, s + i, l);
      d += l;
    }
    i += l;
  }
  t->norm_n = (size_t)(d - t->norm);
  return 0;
}

/* Append the normalised form of s[0..len) to the arena. ASCII goes the
** fast way; the rest through utf8proc (NFKC + case folding, optionally
** without marks; emoji keep their joiners and selectors). */
static int norm_append(tr_tokens *t, const unsigned char *s, size_t len,
                       int ascii, int fold, int kind, scratch *sb) {
  if (len == 0) return 0; /* the arena may still be NULL */
  if (ascii) {
    if (norm_reserve(t, len)) return -1;
    char *d = t->norm + t->norm_n;
    for (size_t i = 0; i < len; i++)
      d[i] = (char)(s[i] == '`' ? '\'' : lower_ascii(s[i]));
    t->norm_n += len;
    return 0;
  }
  utf8proc_option_t opt = UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                          UTF8PROC_CASEFOLD | UTF8PROC_STABLE;
  if (kind != TR_EMOJI) {
    opt |= UTF8PROC_IGNORE;
    if (fold) opt |= UTF8PROC_STRIPMARK;
  }
  if (len > (size_t)PTRDIFF_MAX / 8) return norm_sanitized(t, s, len);
  for (;;) {
    /* one slot is kept free: utf8proc_reencode writes a NUL after the
    ** UTF-8, which may take the whole buffer */
    utf8proc_ssize_t r = utf8proc_decompose_custom(
        s, (utf8proc_ssize_t)len, sb->buf, (utf8proc_ssize_t)(sb->cap - 1),
        opt, norm_map, NULL);
    if (r < 0) return norm_sanitized(t, s, len);
    if ((size_t)r >= sb->cap) {
      size_t cap = sb->cap;
      while (cap <= (size_t)r) cap *= 2;
      int32_t *nb = malloc(cap * sizeof *nb);
      if (!nb) return -1;
      if (sb->buf != sb->stack_buf) free(sb->buf);
      sb->buf = nb;
      sb->cap = cap;
      continue;
    }
    utf8proc_ssize_t b = utf8proc_reencode(sb->buf, r, opt);
    if (b < 0) return norm_sanitized(t, s, len);
    if (b == 0) return 0; /* all ignorable: t->norm may still be NULL */
    if (norm_reserve(t, (size_t)b)) return -1;
    memcpy(t->norm + t->norm_n, sb->buf, (size_t)b);
    t->norm_n += (size_t)b;
    return 0;
  }
}

/* Classify and normalise the token s[0..len), which starts at byte `start`
** of its text, as a token of the given kind and append it, with the
** context flags `extra`. On memory error the list is left as it was. */
static int emit(tr_tokens *out, const unsigned char *s, uint64_t start,
                size_t len, int kind, int fold, uint32_t extra,
                scratch *sb) {
  if (toks_reserve(out, 1)) return -1;
  uint32_t f = classify(s, len, kind) | extra;
  size_t nstart = out->norm_n;
  if (norm_append(out, s, len, (f & TR_F_ASCII) != 0, fold, kind, sb)) {
    out->norm_n = nstart;
    return -1;
  }
  size_t nlen = out->norm_n - nstart;
  if (kind == TR_WORD && nlen > 0) {
    const char *nm = out->norm + nstart;
    if (tr_is_stopword(nm, nlen)) f |= TR_F_STOP;
    if (is_num_word(nm, nlen)) f |= TR_F_LIKE_NUM;
  }
  tr_token *t = &out->v[out->n++];
  t->start = start;
  t->norm = nstart;
  t->len = (uint32_t)len;
  t->norm_len = (uint32_t)nlen;
  t->flags = f;
  t->kind = (uint8_t)kind;
  return 0;
}

/* ======================================================================
** Context: what follows a token, and which way an ASCII quote faces
** ==================================================================== */

/* Class of the character that ends just before i (i > 0). */
static unsigned cls_before(const unsigned char *s, size_t n, size_t i) {
  size_t k = i - 1;
  /* step back over at most three continuation bytes */
  while (k > 0 && i - k < 4 && (s[k] & 0xC0) == 0x80) k--;
  uch u = char_at(s, n, k);
  if (k + u.len != i) return C_BAD;
  return u.cls;
}

/* An ASCII " or ' faces right after white space or an opening bracket and
** before a visible character; left before white space or punctuation. */
static uint32_t quote_side(const unsigned char *s, size_t n, size_t ts,
                           size_t te) {
  int open_before = ts == 0, close_after = te >= n;
  if (!open_before) {
    unsigned c = cls_before(s, n, ts);
    unsigned char b = s[ts - 1];
    open_before = c == C_WS || c == C_IGN || b == '(' || b == '[' ||
                  b == '{' || c == C_DASH;
  }
  if (!close_after) {
    uch u = char_at(s, n, te);
    close_after = u.cls == C_WS || u.cls == C_IGN || u.cls == C_PERIOD ||
                  u.cls == C_PUNCT || u.cls == C_DASH || u.cls == C_HYPHEN;
  }
  if (open_before && !close_after) return TR_F_LEFT_PUNCT;
  if (close_after && !open_before) return TR_F_RIGHT_PUNCT;
  return 0;
}

/* ======================================================================
** Fast paths: plain ASCII words, numbers, lone punctuation, clitics
** ==================================================================== */

/* Can an ASCII byte end a word that nothing else will extend or reread?
** White space and punctuation or symbols that start no special form; not
** . : @ + % (URLs, e-mails, abbreviations), ' ` - _ (joiners), digits or
** controls. (fast_word handles '.', ':' and '\'' itself.) */
static inline int plain_word_end(unsigned char b) {
  unsigned c = ascii_cls[b];
  return c == C_WS || c == C_HASH || (c == C_PUNCT && b != ':') ||
         (c == C_SYMBOL && b != '+' && b != '%');
}

/* Is s[i..] (i < n) one of the common non-ASCII punctuation characters of
** English and news text that neither joins nor extends what precedes it:
** – — “ ” … (U+2013 U+2014 U+201C U+201D U+2026), all of class C_DASH or
** C_PUNCT, grapheme-cluster starters? (’ and ‘, the apostrophes, are
** not: they may join a word.) A fast-path token may end before one. */
static inline int plain_e280(const unsigned char *s, size_t n, size_t i) {
  if (i + 2 >= n || s[i] != 0xE2 || s[i + 1] != 0x80) return 0;
  unsigned x = s[i + 2];
  return x == 0x93 || x == 0x94 || x == 0x9C || x == 0x9D || x == 0xA6;
}

/* Does the apostrophe at s[j] (ulen bytes: ' or ’ ‘) end the ASCII word
** before it rather than join the letters after it (scan_word's C_APOS
** rule: it joins only a letter to a letter, and not as the clitic "'s")?
** 0 when unsure (a non-ASCII character follows): take the general path. */
static inline int apos_ends_word(const unsigned char *s, size_t n, size_t j,
                                 size_t ulen) {
  size_t k = j + ulen;
  if (k >= n || possessive_at(s, n, j, ulen)) return 1;
  return s[k] < 0x80 && !is_aalpha(s[k]);
}

/* Does white space start at e (e <= n)? As tr_tokenize's SPACE_AFTER. */
static inline int space_at(const unsigned char *s, size_t n, size_t e) {
  if (e >= n) return 0;
  if (s[e] < 0x80) return ascii_cls[s[e]] == C_WS;
  return char_at(s, n, e).cls == C_WS;
}

/* Word-at-a-time scanning needs GCC/Clang builtins and little-endian
** loads (byte k of the text is byte k of the integer); elsewhere the plain
** loop does the same work. */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define TR_SWAR 1
#endif

/* Scan ASCII letters from j (j < lim <= the text's end), lower-casing them
** into dj[0...] (bytes past the run are scratch). Sets *first_up when the
** run's first letter is upper case, and ORs into *up_rest and *low whether
** a later letter is upper case, any letter lower case. Returns the run's
** end. */
static inline size_t ascii_letters(const unsigned char *s, size_t j,
                                   size_t lim, unsigned char *dj,
                                   int *first_up, uint64_t *up_rest,
                                   uint64_t *low) {
  const unsigned char *s0 = s + j;
  *first_up = ascii_cls[s[j] & 0x7F] == C_UPPER;
#ifdef TR_SWAR
  const uint64_t k01 = 0x0101010101010101ull, k80 = 0x80 * k01;
  uint64_t skip_first = 0x80; /* the first letter is not "later" */
  while (j + 8 <= lim) {
    uint64_t v, x;
    memcpy(&v, s + j, 8);
    /* per byte, without carries: bit 7 set for ASCII letters */
    x = (v & (0x7F * k01)) | (0x20 * k01);
    uint64_t letter = (x + 0x1F * k01) & ~(x + 0x05 * k01) & ~v & k80;
    uint64_t lowered = v | (letter >> 2);
    memcpy(dj + (size_t)(s + j - s0), &lowered, 8);
    uint64_t other = ~letter & k80;
    uint64_t l = letter & (other ? (other & (0 - other)) - 1 : ~(uint64_t)0);
    *low |= l & (v << 2);               /* bit 5 set: lower case */
    *up_rest |= l & ~(v << 2) & ~skip_first;
    skip_first = 0;
    if (other) return j + ((size_t)__builtin_ctzll(other) >> 3);
    j += 8;
  }
#endif
  for (; j < lim; j++) {
    unsigned b = s[j], c = ascii_cls[b & 0x7F];
    if (b >= 0x80 || (c != C_LOWER && c != C_UPPER)) break;
    if (c == C_UPPER) {
      *up_rest |= s + j != s0;
      b += 32;
    } else {
      *low = 1;
    }
    dj[s + j - s0] = (unsigned char)b;
  }
  return j;
}

/* The longest word the fast path takes (longer ones take the general
** path), and the arena room a fast token needs: the word, plus 8 bytes
** for the word-at-a-time stores and the stop-word key load past it. */
enum { FAST_MAXW = 48, FAST_ROOM = 72 };

/* Most tokens of English text are runs of ASCII letters, perhaps joined by
** inner hyphens or apostrophes, ended by a space, simple punctuation, an
** apostrophe that does not join ("Iraq's", "Iraq’s") or a period that is
** no abbreviation's. For those, scanning, lower-casing into the arena
** (d, FAST_ROOM bytes) and noting cases happen in one pass, eight bytes at
** a time, giving exactly what next_token() and emit() would (a unit test
** checks the flags and norms; the boundaries are scan_word's, case by case
** below). Returns the end of the word, with its flags in *flags, or 0 when
** the word is not that simple (take the general path); *next is where to
** look for the next token (past the one space that usually follows). */
static inline size_t fast_word(const unsigned char *s, size_t n, size_t i,
                               unsigned char *d, uint32_t *flags,
                               size_t *next) {
#ifdef TR_SWAR
  if (n - i >= 8) {
    /* The commonest case by far: a word of one to seven letters that the
    ** next eight bytes hold, then white space or plain punctuation. All
    ** is done on those eight bytes at once, as ascii_letters() would. */
    const uint64_t k01 = 0x0101010101010101ull, k80 = 0x80 * k01;
    uint64_t v, x;
    memcpy(&v, s + i, 8);
    x = (v & (0x7F * k01)) | (0x20 * k01);
    uint64_t letter = (x + 0x1F * k01) & ~(x + 0x05 * k01) & ~v & k80;
    uint64_t other = ~letter & k80;
    if (other) {
      size_t k = (size_t)__builtin_ctzll(other) >> 3; /* >= 1 */
      unsigned char b = s[i + k];
      if (b < 0x80 && plain_word_end(b)) {
        uint64_t word = ~(uint64_t)0 >> (64 - 8 * k);
        uint64_t key = (v | (letter >> 2)) & word; /* lower case */
        memcpy(d, &key, 8);
        uint64_t up = letter & ~(v << 2) & word;  /* bit 5 clear */
        uint32_t f = TR_F_ALPHA | TR_F_ASCII;
        if (!(letter & (v << 2) & word)) f |= TR_F_UPPER;
        if (!up) f |= TR_F_LOWER;
        if (up == 0x80) f |= TR_F_TITLE; /* the first letter alone */
        if (ascii_cls[b] == C_WS) f |= TR_F_SPACE_AFTER;
        if (tr_is_stopword8(key)) f |= TR_F_STOP;
        if (is_num_key(key, (const char *)d, k)) f |= TR_F_LIKE_NUM;
        *flags = f;
        *next = i + k + (b == ' ');
        return i + k;
      }
    }
  }
#endif
  size_t j = i, lim = n - i > FAST_MAXW ? i + FAST_MAXW : n;
  uint64_t up = 0, low = 0; /* any upper / lower-case letter */
  int title_ok = 1, joined = 0, hyph = 0;
  for (;;) {
    /* one part: letters up to a hyphen */
    int first_up;
    uint64_t up_rest = 0;
    j = ascii_letters(s, j, lim, d + (j - i), &first_up, &up_rest, &low);
    while (j + 1 < lim && s[j] == '\'' && is_aalpha(s[j + 1]) &&
           !possessive_at(s, n, j, 1)) {
      /* an inner apostrophe: the letters after it go on the same part */
      int f2;
      d[j - i] = '\'';
      j = ascii_letters(s, j + 1, lim, d + (j + 1 - i), &f2, &up_rest, &low);
      up_rest |= (uint64_t)f2;
      joined = 1;
    }
    up |= (uint64_t)first_up | up_rest;
    title_ok &= first_up && !up_rest; /* Python's istitle, part by part */
    if (j + 1 < lim && s[j] == '-' && is_aalpha(s[j + 1])) {
      d[j - i] = '-';
      j++;
      joined = hyph = 1;
      continue;
    }
    break;
  }
  size_t len = j - i;
  uint32_t f = TR_F_ALPHA | TR_F_ASCII;
  if (j < n) {
    unsigned char b = s[j];
    if (b < 0x80 && ascii_cls[b] == C_WS) {
      f |= TR_F_SPACE_AFTER;
    } else if (b == '.') {
      /* a period ends a plain word unless an e-mail address or a domain
      ** goes on after it (try_email, try_domain) or the word takes it as
      ** an abbreviation (abbrev_end, asked as scan_word asks it) */
      if (j + 1 < n && email_local(s[j + 1])) return 0;
      if (!joined && abbrev_may(s, n, i, j, (const char *)d) &&
          abbrev_end(s, n, i, j))
        return 0;
    } else if (b == ':') {
      /* only "http://" and the like go on after a colon */
      if (j + 1 < n && s[j + 1] == '/') return 0;
    } else if (b == '\'') {
      if (!apos_ends_word(s, n, j, 1)) return 0;
    } else if (b < 0x80) {
      if (!plain_word_end(b)) return 0;
    } else if (b == 0xE2 && j + 2 < n && s[j + 1] == 0x80 &&
               (s[j + 2] == 0x98 || s[j + 2] == 0x99)) {
      if (!apos_ends_word(s, n, j, 3)) return 0; /* ’ or ‘ */
    } else if (!plain_e280(s, n, j)) {
      return 0;
    }
  }
  f |= case_flags(up != 0, low != 0, title_ok);
  if (hyph) f |= TR_F_HYPHENATED;
#ifdef TR_SWAR
  if (len <= 8) {
    /* the arena has 8 bytes here (FAST_ROOM was reserved): load the word
    ** as the packed key, bytes past it masked off */
    uint64_t key;
    memcpy(&key, d, 8);
    key &= ~(uint64_t)0 >> (8 * (8 - len));
    if (tr_is_stopword8(key)) f |= TR_F_STOP;
  } else if (tr_is_stopword((const char *)d, len)) {
    f |= TR_F_STOP;
  }
#else
  if (tr_is_stopword((const char *)d, len)) f |= TR_F_STOP;
#endif
  if (hyph ? is_num_word((const char *)d, len)
           : is_num_word1((const char *)d, len))
    f |= TR_F_LIKE_NUM;
  *flags = f;
  *next = j + (j < n && s[j] == ' ');
  return j;
}

/* A plain number: ASCII digits from i (s[i] is one) that scan_number()
** would end where they end: before white space or punctuation other than
** a separator followed by a digit ("2,000", "3.5", "12/25", "10:30"), and
** not before a letter (ordinals, units, "3D"), a hyphen ("2020-06-25",
** "17-year-old"), '@' or a non-ASCII character (keycaps, other digits).
** Returns the end, or 0 (take the general path). */
static inline size_t fast_number(const unsigned char *s, size_t n,
                                 size_t i) {
  size_t j = i + 1, lim = n - i > 64 ? i + 64 : n;
  while (j < lim && is_adigit(s[j])) j++;
  if (j >= n) return j;
  unsigned b = s[j], c;
  if (b >= 0x80) return 0;
  c = ascii_cls[b];
  if (c == C_DIGIT || c == C_UPPER || c == C_LOWER || c == C_HYPHEN ||
      c == C_AT)
    return 0;
  if ((b == ',' || b == '.' || b == '/' || b == ':') && j + 1 < n &&
      is_adigit(s[j + 1]))
    return 0;
  return j;
}

/* What the fast path has learnt, within one tr_tokenize call, about tokens
** whose flags and norm follow from their bytes alone (emit() is a pure
** function of bytes, kind and the fold option; only SPACE_AFTER and the
** side of ASCII quotes come from the context). The general path fills an
** entry the first time it emits such a token; from then on the fast path
** emits it itself. Nothing here outlives the call. */
typedef struct known {
  uint32_t flags;       /* emit()'s flags without the context ones; bit 31
                           set: the entry is filled */
  uint8_t kind;         /* the token's kind */
  uint8_t nlen;         /* the norm's length (at most 4 bytes cached) */
  char norm[4];
} known;

#define KNOWN_SET (1u << 31)

typedef struct fcache {
  uint32_t pflags[128]; /* lone ASCII punctuation and symbols: classify()
                           | KNOWN_SET (their norm is the byte itself) */
  uint32_t numflags;    /* ASCII digit runs: classify() | KNOWN_SET */
  known e280[64];       /* the characters E2 80 80..BF (U+2000..U+203F) as
                           punctuation or symbol tokens of their own */
  known clitic;         /* the word "'s" */
  known clitic_e280[2]; /* "‘s" and "’s" */
  uint8_t e280_apos[64]; /* 1: that character is of class C_APOS (may
                           start the clitic "’s"); known with e280[] */
} fcache;

/* After the general path emitted token t (the last of out) from s[ts..te):
** remember its flags and norm when the fast path may meet it again. */
static void fcache_learn(fcache *fc, const tr_tokens *out,
                         const unsigned char *s, size_t ts, size_t te) {
  const tr_token *t = &out->v[out->n - 1];
  size_t len = te - ts;
  known *k = NULL;
  if (t->kind == TR_WORD) {
    if (len == 2 && s[ts] == '\'' && s[ts + 1] == 's')
      k = &fc->clitic;
    else if (len == 4 && s[ts] == 0xE2 && s[ts + 1] == 0x80 &&
             (s[ts + 2] == 0x98 || s[ts + 2] == 0x99) && s[ts + 3] == 's')
      k = &fc->clitic_e280[s[ts + 2] - 0x98];
  } else if ((t->kind == TR_PUNCT || t->kind == TR_SYMBOL) && len == 3 &&
             s[ts] == 0xE2 && s[ts + 1] == 0x80 && (s[ts + 2] & 0xC0) == 0x80) {
    unsigned x = s[ts + 2] - 0x80;
    k = &fc->e280[x];
    fc->e280_apos[x] = uclass(0x2000 + (int32_t)x) == C_APOS;
  }
  if (!k || t->norm_len > sizeof k->norm) return;
  k->flags = (t->flags & ~TR_F_SPACE_AFTER) | KNOWN_SET;
  k->kind = t->kind;
  k->nlen = (uint8_t)t->norm_len;
  memcpy(k->norm, out->norm + t->norm, t->norm_len);
}

/* Is the apostrophe-like character s[i..e) the start of the clitic "’s"
** (next_token's C_APOS rule: right after a word, mention, hashtag or
** number, then s or S, then no letter or digit)? 1 yes, 0 no, -1 unsure
** (a non-ASCII character or an upper-case S follows): general path. */
static inline int clitic_at(const unsigned char *s, size_t n, size_t i,
                            size_t e, size_t prev_end, int prev_kind) {
  if (prev_end != i ||
      !(prev_kind == TR_WORD || prev_kind == TR_MENTION ||
        prev_kind == TR_HASHTAG || prev_kind == TR_NUMBER) ||
      e >= n || (s[e] != 's' && s[e] != 'S'))
    return 0;
  if (s[e] == 'S') return -1;
  if (e + 1 >= n) return 1;
  if (s[e + 1] >= 0x80) return -1;
  return !is_aalnum(s[e + 1]);
}

/* The fast paths: from i, take white space and every token the fast path
** knows (plain words, plain numbers, lone punctuation and symbols, runs of
** '-' and '.', the clitic "'s", the common non-ASCII punctuation once the
** general path has shown what it makes of it), and return where a token
** that needs the general path starts (or the text's end, or SIZE_MAX on
** memory error). The token list is held in locals meanwhile: stores of
** bytes into the arena may alias anything reached through `out`, which
** would make the compiler reload its fields after each. sc's previous
** token is kept up to date (the clitic rule reads it). */
static size_t fast_run(tr_tokens *out, const unsigned char *s, size_t n,
                       size_t i, scanner *sc, fcache *fc) {
  tr_token *tv = out->v;
  size_t tn = out->n, tcap = out->cap;
  unsigned char *nb = (unsigned char *)out->norm;
  size_t nn = out->norm_n, ncap = out->norm_cap;
  size_t prev_end = sc->prev_end;
  int prev_kind = sc->prev_kind;
  while (i < n) {
    unsigned b = s[i];
    if (b < 0x80 && ascii_cls[b] == C_WS) {
      i++;
      continue;
    }
    if (tn == tcap || ncap - nn < FAST_ROOM) {
      out->n = tn;
      out->norm_n = nn;
      if (toks_reserve(out, 1) || norm_reserve(out, FAST_ROOM)) {
        i = SIZE_MAX;
        break;
      }
      tv = out->v;
      tcap = out->cap;
      nb = (unsigned char *)out->norm;
      ncap = out->norm_cap;
    }
    unsigned char *d = nb + nn;
    size_t e, nlen;
    uint32_t f;
    int kind;
    if (b < 0x80) {
      unsigned c = ascii_cls[b];
      if (c == C_LOWER || c == C_UPPER) {
        size_t next;
        e = fast_word(s, n, i, d, &f, &next);
        if (e == 0) break;
        tr_token *t = &tv[tn++];
        t->start = i;
        t->norm = nn;
        t->len = (uint32_t)(e - i);
        t->norm_len = (uint32_t)(e - i);
        t->flags = f;
        t->kind = TR_WORD;
        nn += e - i;
        prev_end = e;
        prev_kind = TR_WORD;
        i = next;
        continue;
      } else if (c == C_DIGIT) {
        e = fast_number(s, n, i);
        if (e == 0) break;
        if (!fc->numflags)
          fc->numflags = classify(s + i, e - i, TR_NUMBER) | KNOWN_SET;
        f = fc->numflags & ~KNOWN_SET;
        kind = TR_NUMBER;
        nlen = e - i;
        memcpy(d, s + i, nlen); /* digits are their own norm */
      } else if (c == C_PERIOD || b == '-') {
        /* "." "..." "-" "--": a run of the same byte (next_token), its own
        ** norm; the flags of a run longer than one are rarely needed */
        for (e = i + 1; e < n && s[e] == b;) e++;
        if (e - i > FAST_ROOM - 8) break;
        kind = TR_PUNCT;
        if (e - i == 1) {
          if (!fc->pflags[b]) fc->pflags[b] = classify(s + i, 1, kind) |
                                              KNOWN_SET;
          f = fc->pflags[b] & ~KNOWN_SET;
        } else {
          f = classify(s + i, e - i, kind);
        }
        nlen = e - i;
        memcpy(d, s + i, nlen);
      } else if ((c == C_PUNCT || (c == C_SYMBOL && b != '*')) &&
                 (i + 1 >= n || s[i + 1] < 0x80 || plain_e280(s, n, i + 1))) {
        /* one character that nothing extends: "," "(" "%" */
        e = i + 1;
        kind = c == C_SYMBOL ? TR_SYMBOL : TR_PUNCT;
        if (!fc->pflags[b]) fc->pflags[b] = classify(s + i, 1, kind) |
                                            KNOWN_SET;
        f = fc->pflags[b] & ~KNOWN_SET;
        if (b == '"') f |= quote_side(s, n, i, e);
        nlen = 1;
        d[0] = (unsigned char)b;
      } else if (b == '\'' && fc->clitic.flags &&
                 clitic_at(s, n, i, i + 1, prev_end, prev_kind) == 1) {
        e = i + 2;
        kind = TR_WORD;
        f = fc->clitic.flags & ~KNOWN_SET;
        nlen = fc->clitic.nlen;
        memcpy(d, fc->clitic.norm, nlen);
      } else {
        break;
      }
    } else if (b == 0xE2 && i + 2 < n && s[i + 1] == 0x80 &&
               (s[i + 2] & 0xC0) == 0x80 && fc->e280[s[i + 2] - 0x80].flags) {
      /* a character of U+2000..U+203F the general path has emitted as a
      ** token of its own: the same again when an ASCII byte follows (no
      ** grapheme cluster goes on into ASCII) */
      unsigned x = s[i + 2] - 0x80;
      const known *k = &fc->e280[x];
      e = i + 3;
      if (fc->e280_apos[x]) {
        int cl = clitic_at(s, n, i, e, prev_end, prev_kind);
        if (cl < 0) break;
        if (cl) {
          if (x < 0x18 || x > 0x19 || !fc->clitic_e280[x - 0x18].flags) break;
          k = &fc->clitic_e280[x - 0x18];
          e++;
        }
      }
      if (e < n && s[e] >= 0x80 && k->kind != TR_WORD) break;
      kind = k->kind;
      f = k->flags & ~KNOWN_SET;
      nlen = k->nlen;
      memcpy(d, k->norm, nlen);
    } else {
      break;
    }
    if (space_at(s, n, e)) f |= TR_F_SPACE_AFTER;
    tr_token *t = &tv[tn++];
    t->start = i;
    t->norm = nn;
    t->len = (uint32_t)(e - i);
    t->norm_len = (uint32_t)nlen;
    t->flags = f;
    t->kind = (uint8_t)kind;
    nn += nlen;
    prev_end = e;
    prev_kind = kind;
    i = e;
  }
  out->n = tn;
  out->norm_n = nn;
  sc->prev_end = prev_end;
  sc->prev_kind = prev_kind;
  return i;
}

/* ======================================================================
** Public API
** ==================================================================== */

void tr_tokens_init(tr_tokens *t) {
  memset(t, 0, sizeof *t);
}

void tr_tokens_free(tr_tokens *t) {
  if (!t) return;
  free(t->v);
  free(t->norm);
  memset(t, 0, sizeof *t);
}

int tr_tokenize(const char *text, size_t len, const tr_tok_opts *opts,
                tr_tokens *out) {
  if (!out) return -1;
  if (!text || len == 0) return 0;
  const unsigned char *s = (const unsigned char *)text;
  int fold = opts ? opts->fold_diacritics : 0;
  /* English runs at about one token per 5-6 bytes and the norms take
  ** about 4/5 of the text: reserve that once instead of growing. */
  if (toks_reserve(out, len / 5 + 16) || norm_reserve(out, len - len / 5 + 16))
    return -1;
  scanner sc = {s, len, 0, SIZE_MAX, 0};
  scratch sb;
  scratch_init(&sb);
  fcache fc;
  memset(&fc, 0, sizeof fc);
  size_t ts, te, i = 0;
  int kind;
  for (;;) {
    /* white space and the tokens the fast paths know */
    i = fast_run(out, s, len, i, &sc, &fc);
    if (i == SIZE_MAX) goto oom;
    /* the general path: one token */
    sc.pos = i;
    if (!next_token(&sc, &ts, &te, &kind)) break;
    i = te;
    uint32_t extra = 0;
    if (space_at(s, len, te)) extra |= TR_F_SPACE_AFTER;
    if (te - ts == 1 && (s[ts] == '"' || s[ts] == '\''))
      extra |= quote_side(s, len, ts, te);
    if (emit(out, s + ts, ts, te - ts, kind, fold, extra, &sb)) goto oom;
    fcache_learn(&fc, out, s, ts, te);
  }
  scratch_free(&sb);
  return 0;
oom:
  scratch_free(&sb);
  return -1;
}

/* Kind of a string nobody tokenized here: what a letter, digit, emoji or
** punctuation inside it says, in that order. */
static int guess_kind(const unsigned char *s, size_t len) {
  int digit = 0, emoji = 0, punct = 0;
  for (size_t i = 0; i < len;) {
    uch u = char_at(s, len, i);
    if (IS_LETTER(u.cls)) return TR_WORD;
    digit |= IS_NUMERIC(u.cls);
    emoji |= u.cls == C_EMOJI;
    punct |= u.cls == C_PUNCT || u.cls == C_PERIOD || u.cls == C_APOS ||
             u.cls == C_HYPHEN || u.cls == C_DASH || u.cls == C_UNDER;
    i += u.len;
  }
  return digit ? TR_NUMBER : emoji ? TR_EMOJI : punct ? TR_PUNCT : TR_SYMBOL;
}

int tr_tokens_add(tr_tokens *out, const char *text, uint64_t start,
                  uint32_t len, const tr_tok_opts *opts) {
  if (!out || (!text && len)) return -1;
  const unsigned char *s = text ? (const unsigned char *)text + start
                                : (const unsigned char *)"";
  /* the scanner decides the kind when it sees the string as one token */
  scanner sc = {s, len, 0, SIZE_MAX, 0};
  size_t ts, te;
  int kind;
  if (!(next_token(&sc, &ts, &te, &kind) && ts == 0 && te == len))
    kind = guess_kind(s, len);
  scratch sb;
  scratch_init(&sb);
  int rc = emit(out, s, start, len, kind,
                opts ? opts->fold_diacritics : 0, 0, &sb);
  scratch_free(&sb);
  return rc;
}

char *tr_normalize(const char *s, size_t len, int fold_diacritics,
                   size_t *outlen) {
  tr_tokens t;
  tr_tokens_init(&t);
  scratch sb;
  scratch_init(&sb);
  const unsigned char *u = s ? (const unsigned char *)s
                             : (const unsigned char *)"";
  if (!s) len = 0;
  int ascii = 1;
  for (size_t i = 0; i < len && ascii; i++) ascii = u[i] < 0x80;
  int rc = norm_append(&t, u, len, ascii, fold_diacritics, TR_WORD, &sb);
  scratch_free(&sb);
  if (rc == 0) rc = norm_reserve(&t, 1);
  if (rc != 0) {
    tr_tokens_free(&t);
    return NULL;
  }
  t.norm[t.norm_n] = '\0';
  if (outlen) *outlen = t.norm_n;
  return t.norm; /* t.v was never allocated */
}

size_t tr_token_shape(const char *s, size_t len, char *buf, size_t cap) {
  if (cap == 0) return 0;
  const unsigned char *u = (const unsigned char *)s;
  size_t w = 0;
  int32_t last = -2; /* shape of the previous character */
  int seq = 0;
  if (!s) len = 0;
  for (size_t i = 0; i < len;) {
    int32_t cp;
    unsigned l = u8dec(u + i, len - i, &cp);
    int32_t shape;
    unsigned char one[4];
    size_t olen = 1;
    if (cp < 0) {
      shape = 0xFFFD;
    } else if (cp < 0x80) {
      unsigned c = ascii_cls[cp];
      shape = c == C_UPPER ? 'X' : c == C_LOWER ? 'x' : c == C_DIGIT ? 'd' : cp;
    } else {
      int cat = utf8proc_category(cp);
      if (cat == UTF8PROC_CATEGORY_LU) shape = 'X';
      else if (cat >= UTF8PROC_CATEGORY_LL && cat <= UTF8PROC_CATEGORY_LO)
        shape = 'x';
      else if (cat == UTF8PROC_CATEGORY_ND) shape = 'd';
      else shape = cp;
    }
    if (shape < 0x80) {
      one[0] = (unsigned char)shape;
    } else {
      olen = (size_t)utf8proc_encode_char(shape, one);
    }
    if (shape == last) {
      seq++;
    } else {
      seq = 0;
      last = shape;
    }
    if (seq < 4) {
      if (w + olen > cap - 1) break; /* never split a character */
      memcpy(buf + w, one, olen);
      w += olen;
    }
    i += l;
  }
  buf[w] = '\0';
  return w;
}

size_t tr_token_parts(const char *s, size_t len, uint32_t *starts,
                      uint32_t *lens, size_t max) {
  const unsigned char *u = (const unsigned char *)s;
  if (!s || len == 0) return 0;
  size_t nparts = 0, part = 0, prev_end = 0;
  unsigned prev = C_WS;
  for (size_t i = 0; i < len;) {
    uch c = char_at(u, len, i);
    if (c.cls == C_HYPHEN && i > 0 && prev != C_HYPHEN && i + c.len < len &&
        char_at(u, len, i + c.len).cls != C_HYPHEN) {
      if (nparts < max) {
        starts[nparts] = (uint32_t)part;
        lens[nparts] = (uint32_t)(i - part);
      }
      nparts++;
      part = i + c.len;
    }
    prev = c.cls;
    i += c.len;
    prev_end = i;
  }
  if (nparts < max) {
    starts[nparts] = (uint32_t)part;
    lens[nparts] = (uint32_t)(prev_end - part);
  }
  return nparts + 1;
}

const char *tr_kind_name(int kind) {
  switch (kind) {
  case TR_WORD: return "word";
  case TR_NUMBER: return "number";
  case TR_PUNCT: return "punct";
  case TR_SYMBOL: return "symbol";
  case TR_URL: return "url";
  case TR_EMAIL: return "email";
  case TR_HASHTAG: return "hashtag";
  case TR_MENTION: return "mention";
  case TR_EMOJI: return "emoji";
  default: return "?";
  }
}

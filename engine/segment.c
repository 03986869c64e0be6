/*
** segment.c — sentences and paragraphs as byte spans over a token list.
** segment.h is the contract; docs/tokenizer.md states the rules.
**
** Sentences are found from the tokens (kind, flags, bytes) plus the white
** space between them, in one pass; paragraphs from the text alone, in one
** pass. Both only read inside the text even when given tokens point
** outside it.
*/
#include "segment.h"

#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

/* ======================================================================
** Span lists
** ==================================================================== */

void tr_spans_init(tr_spans *s) {
  memset(s, 0, sizeof *s);
}

void tr_spans_free(tr_spans *s) {
  if (!s) return;
  free(s->v);
  memset(s, 0, sizeof *s);
}

int tr_spans_push(tr_spans *s, uint64_t start, uint64_t stop,
                  uint32_t tok_first, uint32_t tok_count) {
  if (s->n == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 64;
    if (cap < s->cap || cap > SIZE_MAX / sizeof(tr_span)) return -1;
    tr_span *v = realloc(s->v, cap * sizeof *v);
    if (!v) return -1;
    s->v = v;
    s->cap = cap;
  }
  tr_span *p = &s->v[s->n++];
  p->start = start;
  p->stop = stop;
  p->tok_first = tok_first;
  p->tok_count = tok_count;
  return 0;
}

/* ======================================================================
** Characters
** ==================================================================== */

/* Decode the character at t[i] (i < n); invalid bytes give -1, length 1. */
static int32_t cp_at(const unsigned char *t, size_t n, size_t i,
                     size_t *len) {
  if (t[i] < 0x80) {
    *len = 1;
    return t[i];
  }
  utf8proc_int32_t cp;
  utf8proc_ssize_t l = utf8proc_iterate(t + i, (utf8proc_ssize_t)(n - i), &cp);
  if (l <= 0) {
    *len = 1;
    return -1;
  }
  *len = (size_t)l;
  return cp;
}

/* White space as the tokenizer sees it (Unicode Zs/Zl/Zp, NEL, ASCII). */
static int is_space_cp(int32_t cp) {
  if (cp < 0x80) return cp == ' ' || (cp >= '\t' && cp <= '\r');
  if (cp == 0x85) return 1;
  int cat = utf8proc_category(cp);
  return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
         cat == UTF8PROC_CATEGORY_ZP;
}

/* Invisible characters that make no token: controls and format
** characters (zero-width space, joiners, BOM...). */
static int is_invisible_cp(int32_t cp) {
  if (cp < 0) return 0;
  if (cp < 0x20 || cp == 0x7F) return 1;
  if (cp < 0x80) return 0;
  int cat = utf8proc_category(cp);
  return cat == UTF8PROC_CATEGORY_CC || cat == UTF8PROC_CATEGORY_CF;
}

/* Line breaks: LF, a CR not followed by LF, NEL, LS; a paragraph
** separator (PS) counts as two, i.e. a blank line. */
static int breaks_at(const unsigned char *t, size_t n, size_t i, int32_t cp) {
  switch (cp) {
  case '\n': case 0x85: case 0x2028: return 1;
  case '\r': return (i + 1 < n && t[i + 1] == '\n') ? 0 : 1;
  case 0x2029: return 2;
  default: return 0;
  }
}

/* ======================================================================
** Sentences
** ==================================================================== */

/* A token's bytes, or NULL when it does not lie inside the text. */
static const unsigned char *tok_text(const unsigned char *t, size_t n,
                                     const tr_token *k) {
  if (k->start > n || k->len > n - k->start || k->len == 0) return NULL;
  return t + k->start;
}

/* First code point of a token, -1 if none. */
static int32_t tok_cp(const unsigned char *t, size_t n, const tr_token *k) {
  const unsigned char *s = tok_text(t, n, k);
  size_t l;
  return s ? cp_at(s, k->len, 0, &l) : -1;
}

/* What lies between two tokens: the number of line breaks and whether
** there is any white space. */
typedef struct gap {
  int breaks;        /* line breaks (a blank line gives >= 2) */
  int space;         /* any white space at all */
} gap;

static gap gap_between(const unsigned char *t, size_t n, const tr_token *a,
                       const tr_token *b) {
  gap g = {0, 0};
  uint64_t i = a->start + a->len, e = b->start;
  if (i > n) i = n;
  if (e > n) e = n;
  if (e == i + 1 && t[i] == ' ') { /* by far the commonest gap */
    g.space = 1;
    return g;
  }
  while (i < e) {
    unsigned char c = t[i];
    if (c < 0x80) { /* ASCII fast path: nearly every gap is one space */
      if (c == ' ' || c == '\t' || c == '\v' || c == '\f') {
        g.space = 1;
      } else if (c == '\n' || c == '\r') {
        g.space = 1;
        g.breaks += breaks_at(t, n, (size_t)i, c);
      }
      i++;
      continue;
    }
    size_t l;
    int32_t cp = cp_at(t, n, (size_t)i, &l);
    if (is_space_cp(cp)) {
      g.space = 1;
      g.breaks += breaks_at(t, n, (size_t)i, cp);
    }
    i += l;
  }
  return g;
}

/* Sentence-final punctuation: . ! ? … and runs of periods, plus the
** full stops and question marks of other scripts. Sets *cjk for the
** full-width ones, which need no white space after them. */
static int is_terminal(const unsigned char *t, size_t n, const tr_token *k,
                       int *cjk) {
  *cjk = 0;
  if (k->kind != TR_PUNCT) return 0;
  const unsigned char *s = tok_text(t, n, k);
  if (!s) return 0;
  if (s[0] == '.' || s[0] == '!' || s[0] == '?') return 1;
  if (s[0] < 0x80) return 0; /* "," ")" and the like: most punctuation */
  int32_t cp = tok_cp(t, n, k);
  switch (cp) {
  case 0x3002: case 0xFF01: case 0xFF1F: case 0xFF61:
    *cjk = 1;
    return 1;
  case 0x2026: case 0x203C: case 0x2047: case 0x2048: case 0x2049:
  case 0x061F: case 0x06D4: case 0x0964: case 0x0965: case 0x0589:
  case 0x1362: case 0xFE12: case 0xFE52: case 0xFE56: case 0xFE57:
  case 0x037E: /* Greek question mark */
    return 1;
  default:
    return 0;
  }
}

/* Closing punctuation that stays with the sentence it ends: closing
** quotes and brackets, and ASCII quotes (which close when they follow). */
static int is_closer(const unsigned char *t, size_t n, const tr_token *k) {
  if (k->kind != TR_PUNCT) return 0;
  if (k->flags & TR_F_RIGHT_PUNCT) return 1;
  if (k->flags & TR_F_LEFT_PUNCT) return 0;
  const unsigned char *s = tok_text(t, n, k);
  return s && k->len == 1 && (s[0] == '"' || s[0] == '\'');
}

/* Can this token start a sentence? Upper-case or uncased letters (Arabic,
** CJK), digits, opening quotes and brackets, symbols and the like; not a
** lower-case word nor closing or inner punctuation. */
static int can_start(const unsigned char *t, size_t n, const tr_token *k) {
  switch (k->kind) {
  case TR_WORD: {
    int32_t cp = tok_cp(t, n, k);
    if (cp < 0) return 0;
    /* ASCII: of the categories below only A-Z (Lu) and 0-9 (Nd) */
    if (cp < 0x80)
      return (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    int cat = utf8proc_category(cp);
    return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT ||
           cat == UTF8PROC_CATEGORY_LO || cat == UTF8PROC_CATEGORY_LM ||
           cat == UTF8PROC_CATEGORY_ND;
  }
  case TR_PUNCT: {
    if (k->flags & (TR_F_LEFT_PUNCT)) return 1;
    if (k->flags & TR_F_RIGHT_PUNCT) return 0;
    if (k->flags & TR_F_QUOTE) return 1;
    int32_t cp = tok_cp(t, n, k);
    return cp == 0xBF || cp == 0xA1; /* ¿ ¡ */
  }
  default:
    return 1; /* numbers, symbols, URLs, tags, emoji */
  }
}

/* Bullets that start a list item on a new line. */
static int is_bullet(const unsigned char *t, size_t n, const tr_token *k) {
  if (k->kind != TR_PUNCT && k->kind != TR_SYMBOL) return 0;
  size_t l;
  const unsigned char *s = tok_text(t, n, k);
  if (!s) return 0;
  int32_t cp = cp_at(s, k->len, 0, &l);
  if (l != k->len) return 0;
  switch (cp) {
  case '-': case '*': case '+': case 0x2022: case 0x2023: case 0x2043:
  case 0x25E6: case 0x25AA: case 0x25CF: case 0x25A0: case 0x25BA:
  case 0x27A2: case 0x2013: case 0x2014: case 0x00B7:
    return 1;
  default:
    return 0;
  }
}

/* Abbreviations that precede a name and so never end a sentence, in the
** form of their norm without the period. Kept in byte order: looked up by
** binary search (in_list). */
static const char *const never_final[] = {
  "adm", "amb", "art", "atty", "brig", "capt", "cdr", "cf", "ch", "cmdr",
  "col", "cpl", "dr", "fig", "figs", "fr", "gen", "gov", "hon", "insp", "lt",
  "maj", "messrs", "mlle", "mme", "mr", "mrs", "ms", "no", "nos", "p",
  "para", "pp", "pres", "prof", "pvt", "rep", "reps", "rev", "sec", "sen",
  "sens", "sgt", "supt", "v", "viz", "vol", "vols", "vs",
};

/* Capitalised words that commonly start an English sentence: after an
** abbreviation that may end one (U.S., Inc., etc., an initial), such a
** word means it did. Matched on the norm; kept in byte order. */
static const char *const starters[] = {
  "a", "according", "after", "all", "also", "although", "an", "and",
  "another", "as", "at", "because", "before", "both", "but", "by", "despite",
  "during", "each", "earlier", "even", "every", "first", "for", "from",
  "furthermore", "he", "her", "here", "his", "how", "however", "i", "if",
  "in", "indeed", "instead", "it", "its", "last", "later", "many",
  "meanwhile", "moreover", "most", "my", "next", "no", "nor", "not", "now",
  "on", "once", "one", "only", "or", "other", "our", "she", "since", "so",
  "some", "still", "such", "that", "the", "their", "then", "there", "these",
  "they", "this", "those", "though", "thus", "today", "unless", "until",
  "we", "what", "when", "where", "whether", "which", "while", "who", "why",
  "with", "without", "yesterday", "yet", "you", "your",
};

/* Order of the NUL-terminated w against s[0..len) (NUL-free, as norms
** are), as strcmp would order them. */
static int cmp_word(const char *w, const char *s, size_t len) {
  for (size_t i = 0; i < len; i++) {
    unsigned char a = (unsigned char)w[i], b = (unsigned char)s[i];
    if (a != b) return a < b ? -1 : 1; /* a == 0: w is a prefix of s */
  }
  return w[len] != '\0';
}

/* Is s[0..len) one of the n words of list, which is in byte order? Asked
** for every abbreviation token, so a binary search, not a scan. */
static int in_list(const char *const *list, size_t n, const char *s,
                   size_t len) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = cmp_word(list[mid], s, len);
    if (c == 0) return 1;
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return 0;
}

/* An abbreviation token (U.S., Inc., etc., J.) may end a sentence; one
** like Mr. or No. never does. */
static int abbrev_may_end(const tr_tokens *toks, const tr_token *k) {
  if (!(k->flags & TR_F_ABBREV) || k->kind != TR_WORD) return 0;
  size_t len;
  const char *nm = tr_tokens_norm(toks, (size_t)(k - toks->v), &len);
  if (len < 2 || nm[len - 1] != '.') return 1;
  return !in_list(never_final, sizeof never_final / sizeof never_final[0],
                  nm, len - 1);
}

/* A capitalised common sentence starter ("The", "He", "But"). */
static int is_starter(const tr_tokens *toks, const tr_token *k) {
  if (k->kind != TR_WORD || !(k->flags & (TR_F_TITLE | TR_F_UPPER)) ||
      k->norm_len > 12)
    return 0;
  if ((k->flags & TR_F_UPPER) && k->len > 1) return 0; /* "THE" is a heading */
  size_t len;
  const char *nm = tr_tokens_norm(toks, (size_t)(k - toks->v), &len);
  return in_list(starters, sizeof starters / sizeof starters[0], nm, len);
}

int tr_sentences(const char *text, size_t len, const tr_tokens *toks,
                 tr_spans *out) {
  if (!out) return -1;
  if (!toks || toks->n == 0) return 0;
  const unsigned char *t = (const unsigned char *)(text ? text : "");
  if (!text) len = 0;
  const tr_token *v = toks->v;
  size_t n = toks->n, first = 0;
  for (size_t i = 0; i < n; i++) {
    /* Most tokens end nothing: not punctuation nor an abbreviation, and
    ** followed by nothing or by one space, no line break. Skip them in a
    ** tight loop (the body below would find no end after any of them);
    ** the last token always goes to the body, which closes the span. */
    while (i + 1 < n) {
      const tr_token *k = &v[i];
      if (k->kind == TR_PUNCT || (k->flags & TR_F_ABBREV)) break;
      uint64_t ke = k->start + k->len, ns = v[i + 1].start;
      if (ns > ke && !(ns == ke + 1 && ke < len && t[ke] == ' ')) break;
      i++;
    }
    size_t j = i; /* last token of the sentence if it ends here */
    int end = 0, cjk = 0;
    int cand = v[i].kind == TR_PUNCT || (v[i].flags & TR_F_ABBREV);
    if (cand &&
        (is_terminal(t, len, &v[i], &cjk) || abbrev_may_end(toks, &v[i]))) {
      int abbr = v[i].kind == TR_WORD;
      gap g = {0, 0};
      int have_g = 0; /* g is the gap after v[j] */
      /* more terminals and closing quotes/brackets written against it */
      while (j + 1 < n) {
        int c2;
        g = gap_between(t, len, &v[j], &v[j + 1]);
        have_g = 1;
        if (g.space || v[j + 1].start < v[j].start + v[j].len) break;
        if (!(is_terminal(t, len, &v[j + 1], &c2) ||
              is_closer(t, len, &v[j + 1])))
          break;
        if (is_terminal(t, len, &v[j + 1], &c2)) abbr = 0;
        j++;
        have_g = 0;
      }
      if (j + 1 < n) {
        if (!have_g) g = gap_between(t, len, &v[j], &v[j + 1]);
        if (abbr)
          end = g.space && is_starter(toks, &v[j + 1]);
        else
          end = (g.space || cjk) && can_start(t, len, &v[j + 1]);
      }
      if (!end) j = i;
    }
    if (!end && j + 1 < n) {
      /* a blank line, or a new line starting with a bullet; most tokens
      ** are followed by nothing or one space, which is neither */
      uint64_t ke = v[j].start + v[j].len, ns = v[j + 1].start;
      if (ns > ke && !(ns == ke + 1 && ke < len && t[ke] == ' ')) {
        gap g = gap_between(t, len, &v[j], &v[j + 1]);
        end = g.breaks >= 2 ||
              (g.breaks == 1 && is_bullet(t, len, &v[j + 1]));
      }
    }
    if (end || j + 1 == n) {
      uint64_t a = v[first].start, b = v[j].start + v[j].len;
      if (b < a) b = a;
      if (tr_spans_push(out, a, b, (uint32_t)first,
                        (uint32_t)(j - first + 1)))
        return -1;
      first = j + 1;
      i = j;
    }
  }
  return 0;
}

/* ======================================================================
** Paragraphs
** ==================================================================== */

/* Push the paragraph [a, b) with its tokens, found from *ti on. */
static int push_para(tr_spans *out, const tr_tokens *toks, size_t *ti,
                     uint64_t a, uint64_t b) {
  uint32_t first = 0, count = 0;
  if (toks) {
    size_t i = *ti;
    while (i < toks->n && toks->v[i].start < a) i++;
    first = (uint32_t)i;
    while (i < toks->n && toks->v[i].start < b) i++;
    count = (uint32_t)(i - first);
    *ti = i;
  }
  return tr_spans_push(out, a, b, first, count);
}

int tr_paragraphs(const char *text, size_t len, const tr_tokens *toks,
                  tr_spans *out) {
  if (!out) return -1;
  if (!text) return 0;
  const unsigned char *t = (const unsigned char *)text;
  size_t ti = 0;
  int open = 0;        /* inside a paragraph */
  int line_blank = 1;  /* the current line has shown nothing visible yet */
  uint64_t pa = 0, pb = 0; /* the open paragraph: first and end of last
                              visible character */
  for (size_t i = 0; i < len;) {
    unsigned char c = t[i];
    if (c < 0x80) {
      /* ASCII fast path */
      if (c == '\n' || (c == '\r' && !(i + 1 < len && t[i + 1] == '\n'))) {
        if (line_blank && open) {
          if (push_para(out, toks, &ti, pa, pb)) return -1;
          open = 0;
        }
        line_blank = 1;
      } else if (c > ' ' && c != 0x7F) {
        if (!open) {
          open = 1;
          pa = i;
        }
        pb = i + 1;
        line_blank = 0;
      }
      i++;
      continue;
    }
    size_t l;
    int32_t cp = cp_at(t, len, i, &l);
    int br = breaks_at(t, len, i, cp);
    if (br) {
      if ((line_blank || br >= 2) && open) {
        if (push_para(out, toks, &ti, pa, pb)) return -1;
        open = 0;
      }
      line_blank = 1;
    } else if (!is_space_cp(cp) && !is_invisible_cp(cp)) {
      if (!open) {
        open = 1;
        pa = i;
      }
      pb = i + l;
      line_blank = 0;
    }
    i += l;
  }
  if (open && push_para(out, toks, &ti, pa, pb)) return -1;
  return 0;
}

/*
** acronym.c — acronym definitions in text ("long form (SF)", "SF (long
** form)"), after Schwartz and Hearst (2003); see acronym.h.
**
** One change to their matcher: theirs takes the shortest long form whose
** letters fit, which for "Asaib Ahl Al-Haq (AAH)" is "Ahl Al-Haq" (A of
** Ahl, A of Al, H of Haq). Here the short form's letters are aligned by a
** small dynamic programme that prefers letters starting words, counts an
** Arabic article (al-, el-) start only half, and penalises words of the
** long form that no letter touches: "Asaib Ahl Al-Haq" wins.
*/
#include "acronym.h"

#include <stdlib.h>
#include <string.h>

void tr_acronyms_init(tr_acronyms *a) {
  a->v = NULL;
  a->n = a->cap = 0;
}

void tr_acronyms_free(tr_acronyms *a) {
  free(a->v);
  tr_acronyms_init(a);
}

static int push(tr_acronyms *a, uint64_t ss, uint64_t se, uint64_t ls,
                uint64_t le) {
  for (size_t i = 0; i < a->n; i++) /* the same definition twice */
    if (a->v[i].short_start == ss && a->v[i].long_start == ls) return 0;
  if (a->n == a->cap) {
    size_t cap = a->cap ? a->cap * 2 : 8;
    tr_acronym *v = realloc(a->v, cap * sizeof *v);
    if (v == NULL) return -1;
    a->v = v;
    a->cap = cap;
  }
  a->v[a->n++] = (tr_acronym){ss, se, ls, le};
  return 0;
}

static int is_alnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9');
}

static int lower(unsigned char c) {
  return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

int tr_acronym_is_short(const char *s, size_t len) {
  if (len < 2 || len > 10) return 0;
  const unsigned char *p = (const unsigned char *)s;
  if (!is_alnum(p[0])) return 0;
  int upper = 0, digits = 0, letters = 0;
  for (size_t i = 0; i < len; i++) {
    if (p[i] >= 'A' && p[i] <= 'Z') upper++, letters++;
    else if (p[i] >= 'a' && p[i] <= 'z') letters++;
    else if (p[i] >= '0' && p[i] <= '9') digits++;
    else if (p[i] == ' ' || p[i] == '\n') return 0;
  }
  if (letters == 0) return 0;
  return upper >= 2 || (upper >= 1 && digits >= 1);
}

/* ------------------------------------------------------------------ */
/* The matcher                                                         */
/* ------------------------------------------------------------------ */

#define MAX_LF 256  /* bytes of long form considered (the end of the text) */
#define MAX_SF 10
#define NEG (-1000000)

/* Words that need no letter in the short form: "Institute for National
** Security Studies" is INSS. */
static int is_function_word(const unsigned char *w, size_t n) {
  static const char *const FW[] = {"of", "the", "and", "for", "in", "on",
    "at", "to", "a", "an", "al", "el", "ul", "de", "du", "des", "la", "le",
    "bin", "ibn", "&", NULL};
  for (const char *const *f = FW; *f; f++) {
    size_t l = strlen(*f);
    if (l != n) continue;
    size_t i = 0;
    while (i < n && lower(w[i]) == (unsigned char)(*f)[i]) i++;
    if (i == n) return 1;
  }
  return 0;
}

/* Best alignment of sf's letters in lf; returns the score (NEG when none)
** and the byte offset of the long form's start in *start. */
static int match_score(const char *sf, size_t sflen, const char *lfs,
                       size_t lflen, long *start) {
  const unsigned char *lf = (const unsigned char *)lfs;
  size_t base = 0;
  if (lflen > MAX_LF) { /* only the end of a long text can be the long form */
    base = lflen - MAX_LF;
    lf += base;
    lflen = MAX_LF;
  }
  unsigned char c[MAX_SF];
  size_t k = 0;
  for (size_t i = 0; i < sflen; i++)
    if (is_alnum((unsigned char)sf[i])) {
      if (k == MAX_SF) return NEG;
      c[k++] = (unsigned char)lower((unsigned char)sf[i]);
    }
  if (k == 0 || lflen == 0) return NEG;
  /* parts: runs of word bytes split at white space, hyphens and other
  ** punctuation (bytes >= 0x80 belong to words: Kata’ib is one part) */
  short part_of[MAX_LF];
  int pstart[MAX_LF], pfunc[MAX_LF], wstart[MAX_LF];
  int np = 0, word = 0;
  for (size_t i = 0; i < lflen; i++) {
    int w = is_alnum(lf[i]) || lf[i] >= 0x80 || lf[i] == '\'';
    if (!w) {
      part_of[i] = -1;
      if (lf[i] == ' ' || lf[i] == '\n' || lf[i] == '\t') word = 0;
      continue;
    }
    if (i == 0 || part_of[i - 1] < 0) {
      size_t e = i;
      while (e < lflen && (is_alnum(lf[e]) || lf[e] >= 0x80 || lf[e] == '\''))
        e++;
      pstart[np] = (int)i;
      pfunc[np] = is_function_word(lf + i, e - i);
      /* the whitespace word this part is in starts where it began */
      if (!word) word = 1, wstart[np] = (int)i;
      else wstart[np] = np > 0 ? wstart[np - 1] : (int)i;
      np++;
    }
    part_of[i] = (short)(np - 1);
  }
  if (np == 0) return NEG;
  /* content parts before each part, for the penalty of skipped words */
  int content_before[MAX_LF + 1];
  content_before[0] = 0;
  for (int p = 0; p < np; p++) content_before[p + 1] = content_before[p] + !pfunc[p];
  /* best[i][pos]: score of aligning c[i..] with c[i] at pos */
  static const int UNSET = NEG;
  int best[MAX_SF][MAX_LF];
  for (size_t i = k; i-- > 0;) {
    for (size_t p = 0; p < lflen; p++) {
      best[i][p] = UNSET;
      if (part_of[p] < 0 || lower(lf[p]) != c[i]) continue;
      int pp = part_of[p];
      int at_start = pstart[pp] == (int)p;
      int bonus = at_start ? (pfunc[pp] ? 1 : 2) : 0;
      if (i == k - 1) {
        /* every content word after the last letter is unexplained */
        int after = content_before[np] - content_before[pp + 1];
        best[i][p] = after ? UNSET : bonus;
        continue;
      }
      int b = UNSET;
      for (size_t q = p + 1; q < lflen; q++) {
        if (best[i + 1][q] == UNSET) continue;
        int qp = part_of[q];
        int skipped = qp > pp + 1 ? content_before[qp] - content_before[pp + 1] : 0;
        int v = best[i + 1][q] - skipped;
        if (v > b) b = v;
      }
      if (b != UNSET) best[i][p] = bonus + b;
    }
  }
  int top = UNSET;
  long at = -1;
  for (size_t p = 0; p < lflen; p++) {
    if (best[0][p] == UNSET) continue;
    int pp = part_of[p];
    if (pstart[pp] != (int)p) continue; /* the first letter starts a part */
    if (best[0][p] >= top) { /* ties: the later start, a shorter form */
      top = best[0][p];
      at = wstart[pp];
    }
  }
  if (at < 0) return NEG;
  *start = (long)base + at;
  return top;
}

long tr_acronym_match(const char *sf, size_t sflen, const char *lf,
                      size_t lflen) {
  long start = -1;
  int score = match_score(sf, sflen, lf, lflen, &start);
  size_t k = 0;
  for (size_t i = 0; i < sflen; i++) k += is_alnum((unsigned char)sf[i]);
  /* on average a letter per short-form letter starts a word, and the long
  ** form is longer than the short one */
  if (score == NEG || score < (int)k || score < 2) return -1;
  if (lflen - (size_t)start <= sflen) return -1;
  return start;
}

/* ------------------------------------------------------------------ */
/* Definitions in a document                                           */
/* ------------------------------------------------------------------ */

static int tok_is(const char *text, const tr_token *t, const char *s) {
  size_t n = strlen(s);
  return t->len == n && memcmp(text + t->start, s, n) == 0;
}

static int is_open(const char *text, const tr_token *t) {
  return tok_is(text, t, "(") || tok_is(text, t, "[");
}

static int is_close(const char *text, const tr_token *t) {
  return tok_is(text, t, ")") || tok_is(text, t, "]") || tok_is(text, t, "}");
}

/* The possessive clitic the tokenizer splits off: 's, ’s. */
static int is_possessive(const char *text, const tr_token *t) {
  return tok_is(text, t, "'s") || tok_is(text, t, "\xE2\x80\x99s");
}

static size_t alnum_count(const char *s, size_t n) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++) k += is_alnum((unsigned char)s[i]);
  return k;
}

/* Count word tokens (not punctuation) in toks [a, b]. */
static size_t words(const tr_tokens *toks, size_t a, size_t b) {
  size_t n = 0;
  for (size_t i = a; i <= b; i++) n += toks->v[i].kind != TR_PUNCT;
  return n;
}

static int in_sentence(const char *text, const tr_tokens *toks, size_t first,
                       size_t count, tr_acronyms *out) {
  size_t end = first + count;
  for (size_t i = first; i < end; i++) {
    if (!is_open(text, &toks->v[i])) continue;
    size_t j = i + 1;
    while (j < end && j <= i + 14 && !is_close(text, &toks->v[j]) &&
           !is_open(text, &toks->v[j]))
      j++;
    if (j >= end || j > i + 14 || !is_close(text, &toks->v[j]) || j == i + 1)
      continue;
    const tr_token *in0 = &toks->v[i + 1], *in1 = &toks->v[j - 1];
    uint64_t is = in0->start, ie = in1->start + in1->len;
    size_t inner_tokens = j - i - 1;
    if (inner_tokens <= 2 && tr_acronym_is_short(text + is, (size_t)(ie - is))) {
      /* long form (SF): the words before the bracket */
      if (i == first) continue;
      size_t p = i - 1;
      if (is_possessive(text, &toks->v[p]) && p > first) p--;
      if (toks->v[p].kind == TR_PUNCT) continue;
      size_t sfn = alnum_count(text + is, (size_t)(ie - is));
      size_t maxw = sfn + 5 < 2 * sfn ? sfn + 5 : 2 * sfn;
      size_t s = p;
      while (s > first && words(toks, s - 1, p) <= maxw &&
             !is_open(text, &toks->v[s - 1]) && !is_close(text, &toks->v[s - 1]))
        s--;
      uint64_t ls = toks->v[s].start, le = toks->v[p].start + toks->v[p].len;
      long at = tr_acronym_match(text + is, (size_t)(ie - is), text + ls,
                                 (size_t)(le - ls));
      if (at < 0) continue;
      if (push(out, is, ie, ls + (uint64_t)at, le) != 0) return -1;
    } else if (i > first && tr_acronym_is_short(text + toks->v[i - 1].start,
                                                toks->v[i - 1].len)) {
      /* SF (long form): the bracket holds the long form */
      const tr_token *sf = &toks->v[i - 1];
      size_t sfn = alnum_count(text + sf->start, sf->len);
      size_t maxw = sfn + 5 < 2 * sfn ? sfn + 5 : 2 * sfn;
      size_t last = j - 1;
      while (last > i && toks->v[last].kind == TR_PUNCT) last--;
      if (last <= i || words(toks, i + 1, last) > maxw) continue;
      uint64_t le = toks->v[last].start + toks->v[last].len;
      long at = tr_acronym_match(text + sf->start, sf->len, text + is,
                                 (size_t)(le - is));
      if (at < 0) continue;
      if (push(out, sf->start, sf->start + sf->len, is + (uint64_t)at, le) != 0)
        return -1;
    }
  }
  return 0;
}

int tr_acronyms_find(const char *text, size_t len, const tr_tokens *toks,
                     const tr_spans *sents, tr_acronyms *out) {
  (void)len;
  if (sents == NULL || sents->n == 0)
    return toks->n ? in_sentence(text, toks, 0, toks->n, out) : 0;
  for (size_t s = 0; s < sents->n; s++)
    if (in_sentence(text, toks, sents->v[s].tok_first, sents->v[s].tok_count,
                    out) != 0)
      return -1;
  return 0;
}

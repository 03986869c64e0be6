/*
** clean.c — raw bytes to document text: a strict UTF-8 validator that
** repairs with U+FFFD, BOM removal and line ends to LF (tr_clean_text),
** and the white space test shared by the loaders (tr_space_len).
**
** The common case is a file that needs no change at all; it costs one
** read-only pass and no allocation, so the caller can keep pointing into
** its file mapping.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"

/* U+FFFD REPLACEMENT CHARACTER in UTF-8. */
static const char REPL[3] = {'\xEF', '\xBF', '\xBD'};

/* Length of the run of plain bytes (ASCII other than CR) at p. Eight bytes
** at a time: this loop is what a clean English text mostly runs through. */
static size_t plain_run(const unsigned char *p, size_t n) {
  const uint64_t hi = 0x8080808080808080ull, ones = 0x0101010101010101ull;
  const uint64_t cr = 0x0D0D0D0D0D0D0D0Dull;
  size_t i = 0;
  while (i + 8 <= n) {
    uint64_t w, x;
    memcpy(&w, p + i, 8);
    x = w ^ cr; /* a zero byte where w had '\r' */
    if ((w & hi) || ((x - ones) & ~x & hi))
      break;
    i += 8;
  }
  while (i < n && p[i] < 0x80 && p[i] != '\r')
    i++;
  return i;
}

/* Bytes taken by the UTF-8 sequence at p (n bytes left, p[0] >= 0x80).
** *bad is set when the sequence is ill-formed; the length is then that of
** its "maximal subpart" (Unicode 15, section 3.9): each such subpart is
** one bad sequence and becomes one U+FFFD, the practice browsers follow,
** so "\xE2\x82" at the end of a file is one bad sequence, not two. */
static size_t utf8_seq(const unsigned char *p, size_t n, int *bad) {
  unsigned c = p[0], lo = 0x80, hi = 0xBF;
  size_t need, i;
  *bad = 1;
  if (c < 0xC2 || c > 0xF4) /* stray continuation, overlong lead, > U+10FFFF */
    return 1;
  if (c < 0xE0) {
    need = 1;
  } else if (c < 0xF0) {
    need = 2;
    if (c == 0xE0)
      lo = 0xA0; /* overlong */
    else if (c == 0xED)
      hi = 0x9F; /* surrogates U+D800..U+DFFF */
  } else {
    need = 3;
    if (c == 0xF0)
      lo = 0x90; /* overlong */
    else if (c == 0xF4)
      hi = 0x8F; /* above U+10FFFF */
  }
  if (n < 2 || p[1] < lo || p[1] > hi)
    return 1;
  for (i = 2; i <= need; i++)
    if (i >= n || (p[i] & 0xC0) != 0x80)
      return i;
  *bad = 0;
  return need + 1;
}

char *tr_clean_text(const char *in, size_t len, size_t *outlen,
                    uint64_t *bad_at, size_t *nbad, int *oom) {
  const unsigned char *p = (const unsigned char *)in;
  size_t i = 0, olen = 0, bad = 0, bom = 0;
  int change = 0;
  uint64_t first = UINT64_MAX;
  char *out, *o;

  *oom = 0;
  if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
    bom = 3, change = 1;
  /* Pass 1: find what needs changing and the exact output length, so the
  ** copy (when one is needed) is allocated once at its final size. */
  for (i = bom; i < len;) {
    size_t k = plain_run(p + i, len - i);
    int b;
    i += k, olen += k;
    if (i >= len)
      break;
    if (p[i] == '\r') {
      change = 1;
      if (i + 1 < len && p[i + 1] == '\n') /* CRLF: the CR goes */
        i++;
      else /* lone CR: becomes LF */
        i++, olen++;
      continue;
    }
    k = utf8_seq(p + i, len - i, &b);
    if (b) {
      if (first == UINT64_MAX)
        first = i;
      bad++, change = 1;
      olen += sizeof REPL;
    } else {
      olen += k;
    }
    i += k;
  }
  *bad_at = first;
  *nbad = bad;
  if (!change) {
    *outlen = len;
    return NULL;
  }
  /* Pass 2: write the copy, NUL-terminated for the convenience of callers
  ** (the length stays authoritative: the text itself may hold NULs). */
  out = malloc(olen + 1);
  if (!out) {
    *oom = 1;
    *outlen = 0;
    return NULL;
  }
  o = out;
  for (i = bom; i < len;) {
    size_t k = plain_run(p + i, len - i);
    int b;
    memcpy(o, p + i, k);
    i += k, o += k;
    if (i >= len)
      break;
    if (p[i] == '\r') {
      if (!(i + 1 < len && p[i + 1] == '\n'))
        *o++ = '\n';
      i++;
      continue;
    }
    k = utf8_seq(p + i, len - i, &b);
    if (b) {
      memcpy(o, REPL, sizeof REPL);
      o += sizeof REPL;
    } else {
      memcpy(o, p + i, k);
      o += k;
    }
    i += k;
  }
  *o = '\0';
  *outlen = (size_t)(o - out);
  return out;
}

size_t tr_space_len(const char *s, size_t n) {
  const unsigned char *p = (const unsigned char *)s;
  if (n == 0)
    return 0;
  switch (p[0]) {
  case ' ':
  case '\t':
  case '\n':
  case '\r':
  case '\v':
  case '\f': return 1;
  case 0xC2: /* U+0085 NEL, U+00A0 NO-BREAK SPACE */
    return n >= 2 && (p[1] == 0x85 || p[1] == 0xA0) ? 2 : 0;
  case 0xE1: /* U+1680 OGHAM SPACE MARK */
    return n >= 3 && p[1] == 0x9A && p[2] == 0x80 ? 3 : 0;
  case 0xE2: /* U+2000..U+200A, U+2028, U+2029, U+202F, U+205F */
    if (n < 3)
      return 0;
    if (p[1] == 0x80 && ((p[2] >= 0x80 && p[2] <= 0x8A) || p[2] == 0xA8 ||
                         p[2] == 0xA9 || p[2] == 0xAF))
      return 3;
    return p[1] == 0x81 && p[2] == 0x9F ? 3 : 0;
  case 0xE3: /* U+3000 IDEOGRAPHIC SPACE */
    return n >= 3 && p[1] == 0x80 && p[2] == 0x80 ? 3 : 0;
  case 0xEF: /* U+FEFF: a BOM left inside a text is invisible, like space */
    return n >= 3 && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0;
  default: return 0;
  }
}

/*
** segment.h — sentences and paragraphs as byte spans over a token list.
*/
#ifndef TRAWL_SEGMENT_H
#define TRAWL_SEGMENT_H

#include <stddef.h>
#include <stdint.h>

#include "tokenize.h"

typedef struct tr_span {
  uint64_t start;     /* byte offset of the first byte */
  uint64_t stop;      /* byte offset one past the last byte */
  uint32_t tok_first; /* index of the first token inside the span */
  uint32_t tok_count; /* number of tokens inside the span */
} tr_span;

typedef struct tr_spans {
  tr_span *v;         /* spans in text order, never overlapping */
  size_t n, cap;      /* used and allocated entries */
} tr_spans;

void tr_spans_init(tr_spans *s);
void tr_spans_free(tr_spans *s);
int tr_spans_push(tr_spans *s, uint64_t start, uint64_t stop,
                  uint32_t tok_first, uint32_t tok_count);

/* Split text into sentences using its tokens (from tr_tokenize or given).
** Each sentence starts at its first token and stops after its last token
** (trailing closing quotes/brackets included). A blank line always ends a
** sentence, so a headline without final punctuation is one sentence.
** Appends to out; returns 0 or -1 on memory error. */
int tr_sentences(const char *text, size_t len, const tr_tokens *toks,
                 tr_spans *out);

/* Paragraphs: maximal runs of text separated by blank lines (lines holding
** only white space, including no-break spaces). Spans are trimmed of
** surrounding white space; tok_first/tok_count are filled from toks when it
** is not NULL. Returns 0 or -1 on memory error. */
int tr_paragraphs(const char *text, size_t len, const tr_tokens *toks,
                  tr_spans *out);

#endif

/*
** acronym.h — acronyms defined in running text, found the way Schwartz and
** Hearst do it ("A simple algorithm for identifying abbreviation
** definitions in biomedical text", PSB 2003): "long form (SF)" and
** "SF (long form)", where the short form's letters occur in order in the
** long form and its first letter starts a word of it.
**
**   "Asaib Ahl Al-Haq (AAH) commander"      -> AAH = Asaib Ahl Al-Haq
**   "Kataib Hezbollah's (KH) headquarters"  -> KH  = Kataib Hezbollah
**   "the Gulf Cooperation Council (GCC)"    -> GCC = Gulf Cooperation Council
*/
#ifndef TRAWL_ACRONYM_H
#define TRAWL_ACRONYM_H

#include <stddef.h>
#include <stdint.h>

#include "segment.h"
#include "tokenize.h"

/* One definition: byte offsets in the text, stop exclusive. */
typedef struct tr_acronym {
  uint64_t short_start, short_stop; /* the short form: "AAH" */
  uint64_t long_start, long_stop;   /* the long form: "Asaib Ahl Al-Haq" */
} tr_acronym;

typedef struct tr_acronyms {
  tr_acronym *v;        /* definitions in text order of the short form */
  size_t n, cap;        /* used and allocated entries */
} tr_acronyms;

void tr_acronyms_init(tr_acronyms *a);
void tr_acronyms_free(tr_acronyms *a);

/* Find the definitions in text[0..len) whose tokens are toks, sentence by
** sentence (sents may be NULL: the text is then one sentence). A
** definition never crosses a sentence. Appends to out; returns 0, or -1 on
** memory error. */
int tr_acronyms_find(const char *text, size_t len, const tr_tokens *toks,
                     const tr_spans *sents, tr_acronyms *out);

/* Could s[0..len) be a short form? 2 to 10 bytes, starting with a letter or
** digit, with at least two capitals (AAH, U.S., MoI) or a capital and a
** digit (K24). */
int tr_acronym_is_short(const char *s, size_t len);

/* The Schwartz-Hearst match of short form sf against the text lf: returns
** the byte offset in lf where the long form starts (it runs to the end of
** lf), or -1 when sf's letters cannot be found in order with the first one
** at the start of a word. Letters compare case-insensitively (ASCII). */
long tr_acronym_match(const char *sf, size_t sflen, const char *lf,
                      size_t lflen);

#endif

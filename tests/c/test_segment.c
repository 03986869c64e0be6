/*
** test_segment.c — cmocka tests of sentence and paragraph splitting
** (engine/segment.c). Table-driven: each row is one case, printed when it
** fails.
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "segment.h"
#include "tokenize.h"

#ifndef TRAWL_SOURCE_DIR
#define TRAWL_SOURCE_DIR "."
#endif

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* ======================================================================
** Helpers
** ==================================================================== */

/* The texts of the spans joined with '|' (into a static buffer). */
static const char *join_spans(const char *s, const tr_spans *sp) {
  static char buf[8192];
  size_t w = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < sp->n; i++) {
    size_t l = (size_t)(sp->v[i].stop - sp->v[i].start);
    assert_true(w + l + 2 < sizeof buf);
    if (i) buf[w++] = '|';
    memcpy(buf + w, s + sp->v[i].start, l);
    w += l;
  }
  buf[w] = '\0';
  return buf;
}

/* Sentences must partition the tokens: in order, each token in exactly
** one sentence, each span running from its first token's start to its
** last token's end. */
static void check_sentences(const tr_tokens *t, const tr_spans *sp,
                            size_t len) {
  size_t next = 0;
  for (size_t i = 0; i < sp->n; i++) {
    const tr_span *p = &sp->v[i];
    assert_int_equal(p->tok_first, next);
    assert_true(p->tok_count > 0);
    next += p->tok_count;
    assert_true(next <= t->n);
    const tr_token *a = &t->v[p->tok_first], *b = &t->v[next - 1];
    assert_int_equal(p->start, a->start);
    assert_int_equal(p->stop, b->start + b->len);
    assert_true(p->stop <= len);
    if (i) assert_true(p->start >= sp->v[i - 1].stop);
  }
  assert_int_equal(next, t->n);
}

/* Paragraphs: in order, non-empty, trimmed, not overlapping, and their
** tokens are exactly those starting inside them. */
static void check_paragraphs(const char *s, const tr_tokens *t,
                             const tr_spans *sp, size_t len) {
  for (size_t i = 0; i < sp->n; i++) {
    const tr_span *p = &sp->v[i];
    assert_true(p->start < p->stop);
    assert_true(p->stop <= len);
    assert_false(s[p->start] == ' ' || s[p->start] == '\n');
    assert_false(s[p->stop - 1] == ' ' || s[p->stop - 1] == '\n');
    if (i) assert_true(p->start > sp->v[i - 1].stop);
    if (t) {
      size_t in = 0, first = SIZE_MAX;
      for (size_t k = 0; k < t->n; k++)
        if (t->v[k].start >= p->start && t->v[k].start < p->stop) {
          if (first == SIZE_MAX) first = k;
          in++;
        }
      assert_int_equal(p->tok_count, in);
      if (in) assert_int_equal(p->tok_first, first);
    }
  }
}

/* ======================================================================
** Sentences
** ==================================================================== */

typedef struct sent_case {
  const char *in;    /* text */
  const char *want;  /* sentence texts joined with '|' */
} sent_case;

static const sent_case sent_cases[] = {
  /* terminal punctuation followed by white space and a possible start */
  {"Hello world. This is it.", "Hello world.|This is it."},
  {"Is it? Yes! Fine.", "Is it?|Yes!|Fine."},
  {"Wait... What?! Yes.", "Wait...|What?!|Yes."},
  {"Then… He left.", "Then…|He left."},
  {"He paused … and went on.", "He paused … and went on."},
  {"Really?! no way", "Really?! no way"},
  {"end. lower case", "end. lower case"},
  {"Hello.World", "Hello.World"},
  {"Price rose. 10 people came.", "Price rose.|10 people came."},
  {"It ended. “Next,” he said.", "It ended.|“Next,” he said."},
  {"It ended. \"Next,\" he said.", "It ended.|\"Next,\" he said."},
  {"It ended. (Not really.) Fine.", "It ended.|(Not really.)|Fine."},
  {"Done. 🙂 Next.", "Done.|🙂 Next."},
  {"See #Iraq.. Iraqi troops", "See #Iraq..|Iraqi troops"},
  {"¿Qué? ¡Sí!", "¿Qué?|¡Sí!"},
  /* closing quotes and brackets stay with the sentence they end */
  {"He said “Go.” Then left.", "He said “Go.”|Then left."},
  {"He said \"Go.\" Then left.", "He said \"Go.\"|Then left."},
  {"(This is it.) Then", "(This is it.)|Then"},
  {"“Hello.” “World.”", "“Hello.”|“World.”"},
  {"‘Stop.’ He did.", "‘Stop.’|He did."},
  {"He asked “why?”. Then", "He asked “why?”.|Then"},
  {"the resistance.\" », Referring to", "the resistance.\" », Referring to"},
  /* abbreviations */
  {"Mr. Smith went. He left.", "Mr. Smith went.|He left."},
  {"Gen. Jones came. Dr. Who too.", "Gen. Jones came.|Dr. Who too."},
  {"He went to the U.S. He stayed.", "He went to the U.S.|He stayed."},
  {"The U.S. government said so.", "The U.S. government said so."},
  {"U.S. President Trump spoke.", "U.S. President Trump spoke."},
  {"upon U.S. targets. Iran on", "upon U.S. targets.|Iran on"},
  {"located in Washington D.C. She is also a M.A. candidate.",
   "located in Washington D.C.|She is also a M.A. candidate."},
  {"J. R. Smith won. He cheered.", "J. R. Smith won.|He cheered."},
  {"World War I. The end.", "World War I.|The end."},
  {"Apple Inc. The company grew.", "Apple Inc.|The company grew."},
  {"Apple Inc. Chairman spoke.", "Apple Inc. Chairman spoke."},
  {"INSS Insight No. 1351 today.", "INSS Insight No. 1351 today."},
  {"apples, pears etc. and more.", "apples, pears etc. and more."},
  {"apples, pears etc. But not.", "apples, pears etc.|But not."},
  {"at 5 p.m. Then he slept.", "at 5 p.m.|Then he slept."},
  {"Mr. He", "Mr. He"},
  {"(i.e., a monopoly) and", "(i.e., a monopoly) and"},
  {"the Spox. of AAH", "the Spox. of AAH"},
  {"to the U.S.” He said", "to the U.S.”|He said"},
  /* blank lines always end a sentence; single newlines do not */
  {"Headline without punct\n\nBody starts here. Second.",
   "Headline without punct|Body starts here.|Second."},
  {"Line one\nline two", "Line one\nline two"},
  {"One\n\u00A0\nTwo", "One|Two"},
  {"One\n \t\u00A0\nTwo", "One|Two"},
  {"One\r\n\r\nTwo", "One|Two"},
  {"One\u2029Two", "One|Two"},
  {"In early July, a\n\ncommentator said", "In early July, a|commentator said"},
  /* a new line starting with a bullet starts a sentence */
  {"Intro:\n• first item\n• second item", "Intro:|• first item|• second item"},
  {"Intro:\n- first\n* second", "Intro:|- first|* second"},
  {"a - b * c", "a - b * c"},
  /* other scripts */
  {"第一句。第二句。", "第一句。|第二句。"},
  {"هذا نص. هذا آخر.", "هذا نص.|هذا آخر."},
  {"هل هذا نص؟ نعم.", "هل هذا نص؟|نعم."},
  {"Это текст. Это другой.", "Это текст.|Это другой."},
  {"Αυτό είναι. Και αυτό.", "Αυτό είναι.|Και αυτό."},
  {"Sánchez llegó. Él también.", "Sánchez llegó.|Él también."},
  {"यह है। वह है।", "यह है।|वह है।"},
  /* edges */
  {"", ""},
  {"   \n\n\t ", ""},
  {"No final stop", "No final stop"},
  {".", "."},
  {"...", "..."},
  {"A. B. C.", "A. B. C."},
};

static void test_sentences(void **state) {
  (void)state;
  for (size_t i = 0; i < N_ELEMS(sent_cases); i++) {
    const char *s = sent_cases[i].in;
    size_t len = strlen(s);
    tr_tokens t;
    tr_spans sp;
    tr_tokens_init(&t);
    tr_spans_init(&sp);
    assert_int_equal(tr_tokenize(s, len, NULL, &t), 0);
    assert_int_equal(tr_sentences(s, len, &t, &sp), 0);
    const char *got = join_spans(s, &sp);
    if (strcmp(got, sent_cases[i].want) != 0)
      print_error("case %zu \"%s\":\n  got  \"%s\"\n  want \"%s\"\n", i, s,
                  got, sent_cases[i].want);
    assert_string_equal(got, sent_cases[i].want);
    check_sentences(&t, &sp, len);
    tr_spans_free(&sp);
    tr_tokens_free(&t);
  }
}

/* Tokens given from outside (a CoNLL-U file) are split the same way, and
** spans are appended to what the list already holds. */
static void test_sentences_given(void **state) {
  (void)state;
  const char *s = "Hello world . Bye now !";
  static const uint32_t starts[] = {0, 6, 12, 14, 18, 22};
  static const uint32_t lens[] = {5, 5, 1, 3, 3, 1};
  tr_tokens t;
  tr_spans sp;
  tr_tokens_init(&t);
  tr_spans_init(&sp);
  for (size_t i = 0; i < N_ELEMS(starts); i++)
    assert_int_equal(tr_tokens_add(&t, s, starts[i], lens[i], NULL), 0);
  assert_int_equal(tr_spans_push(&sp, 0, 0, 0, 0), 0); /* already there */
  assert_int_equal(tr_sentences(s, strlen(s), &t, &sp), 0);
  assert_int_equal(sp.n, 3);
  assert_int_equal(sp.v[1].start, 0);
  assert_int_equal(sp.v[1].stop, 13);
  assert_int_equal(sp.v[1].tok_count, 3);
  assert_int_equal(sp.v[2].tok_first, 3);
  assert_int_equal(sp.v[2].stop, 23);
  /* no tokens, no sentences; tokens pointing outside the text are safe */
  tr_tokens empty;
  tr_tokens_init(&empty);
  size_t before = sp.n;
  assert_int_equal(tr_sentences(s, strlen(s), &empty, &sp), 0);
  assert_int_equal(tr_sentences(s, strlen(s), NULL, &sp), 0);
  assert_int_equal(sp.n, before);
  assert_int_equal(tr_sentences(s, 3, &t, &sp), 0); /* text cut short */
  assert_true(sp.n > before);
  tr_spans_free(&sp);
  tr_spans_free(&sp);
  tr_tokens_free(&t);
}

/* ======================================================================
** Paragraphs
** ==================================================================== */

typedef struct para_case {
  const char *in;    /* text */
  const char *want;  /* paragraph texts joined with '|' */
} para_case;

static const para_case para_cases[] = {
  {"A b.\n\nC d.", "A b.|C d."},
  {"  lead\n\n\n  trail  \n", "lead|trail"},
  {"x\n\u00A0\ny", "x|y"},
  {"x\n \u202F\t\ny", "x|y"},
  {"x\ny\nz", "x\ny\nz"},
  {"x\r\n\r\ny", "x|y"},
  {"x\r\ry", "x|y"},
  {"x\u2029y", "x|y"},
  {"x\u2028y", "x\u2028y"},
  {"x\n\u200B\ny", "x|y"},
  {"\n\n\nonly\n\n\n", "only"},
  {"\u00A0lead nbsp\u00A0", "lead nbsp"},
  {"", ""},
  {"  \n\n \u00A0 \n", ""},
  {"a\n\nb\n\nc", "a|b|c"},
};

static void test_paragraphs(void **state) {
  (void)state;
  for (size_t i = 0; i < N_ELEMS(para_cases); i++) {
    const char *s = para_cases[i].in;
    size_t len = strlen(s);
    tr_tokens t;
    tr_spans sp, bare;
    tr_tokens_init(&t);
    tr_spans_init(&sp);
    tr_spans_init(&bare);
    assert_int_equal(tr_tokenize(s, len, NULL, &t), 0);
    assert_int_equal(tr_paragraphs(s, len, &t, &sp), 0);
    const char *got = join_spans(s, &sp);
    if (strcmp(got, para_cases[i].want) != 0)
      print_error("case %zu: got \"%s\", want \"%s\"\n", i, got,
                  para_cases[i].want);
    assert_string_equal(got, para_cases[i].want);
    check_paragraphs(s, &t, &sp, len);
    /* without tokens: same spans, no token ranges */
    assert_int_equal(tr_paragraphs(s, len, NULL, &bare), 0);
    assert_int_equal(bare.n, sp.n);
    for (size_t k = 0; k < bare.n; k++) {
      assert_int_equal(bare.v[k].start, sp.v[k].start);
      assert_int_equal(bare.v[k].stop, sp.v[k].stop);
      assert_int_equal(bare.v[k].tok_count, 0);
    }
    tr_spans_free(&bare);
    tr_spans_free(&sp);
    tr_tokens_free(&t);
  }
  tr_spans sp;
  tr_spans_init(&sp);
  assert_int_equal(tr_paragraphs(NULL, 0, NULL, &sp), 0);
  assert_int_equal(sp.n, 0);
  assert_int_equal(tr_paragraphs("x", 1, NULL, NULL), -1);
  tr_spans_free(&sp);
}

static void test_spans_push(void **state) {
  (void)state;
  tr_spans sp;
  tr_spans_init(&sp);
  for (uint32_t i = 0; i < 1000; i++)
    assert_int_equal(tr_spans_push(&sp, i, i + 1, i, 1), 0);
  assert_int_equal(sp.n, 1000);
  assert_true(sp.cap >= 1000);
  assert_int_equal(sp.v[999].start, 999);
  assert_int_equal(sp.v[999].tok_first, 999);
  tr_spans_free(&sp);
  assert_null(sp.v);
  assert_int_equal(sp.n, 0);
}

/* ======================================================================
** Random bytes
** ==================================================================== */

static uint64_t rng_state = 0x2545F4914F6CDD1Dull;
static uint32_t rng(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (uint32_t)(rng_state >> 11);
}

/* Exactly-sized heap buffers (ASan sees any read past the end), built
** from fragments that matter to the splitter. */
static void test_random_bytes(void **state) {
  (void)state;
  static const char *const frag[] = {
    "A", "b", " ", "\n", "\n\n", ". ", "?", "!", "…", "“", "”", "\"", "'",
    "(", ")", "U.S.", "Mr.", "\u00A0", "\u2029", "\r", "• ", "- ", "。",
    "\xE2\x80", "\xFF", "9", "The", "#x", "\u200B",
  };
  for (int round = 0; round < 3000; round++) {
    size_t len = rng() % 80, w = 0;
    char *buf = malloc(len ? len : 1);
    assert_non_null(buf);
    if (round % 3 == 0) {
      for (; w < len; w++) buf[w] = (char)rng();
    } else {
      while (w < len) {
        const char *f = frag[rng() % N_ELEMS(frag)];
        for (size_t k = 0; f[k] && w < len; k++) buf[w++] = f[k];
      }
    }
    tr_tokens t;
    tr_spans se, pa;
    tr_tokens_init(&t);
    tr_spans_init(&se);
    tr_spans_init(&pa);
    assert_int_equal(tr_tokenize(buf, len, NULL, &t), 0);
    assert_int_equal(tr_sentences(buf, len, &t, &se), 0);
    assert_int_equal(tr_paragraphs(buf, len, &t, &pa), 0);
    check_sentences(&t, &se, len);
    for (size_t i = 0; i < pa.n; i++) {
      assert_true(pa.v[i].start < pa.v[i].stop);
      assert_true(pa.v[i].stop <= len);
      if (i) assert_true(pa.v[i].start > pa.v[i - 1].stop);
    }
    /* the text cut short under the same tokens: must stay in bounds */
    tr_spans cut;
    tr_spans_init(&cut);
    assert_int_equal(tr_sentences(buf, len / 2, &t, &cut), 0);
    tr_spans_free(&cut);
    tr_spans_free(&pa);
    tr_spans_free(&se);
    tr_tokens_free(&t);
    free(buf);
  }
}

/* ======================================================================
** The sample corpus
** ==================================================================== */

static char *slurp(const char *name, size_t *len) {
  char path[1024];
  snprintf(path, sizeof path, "%s/corpus/%s", TRAWL_SOURCE_DIR, name);
  FILE *f = fopen(path, "rb");
  if (!f) print_error("cannot open %s\n", path);
  assert_non_null(f);
  assert_int_equal(fseek(f, 0, SEEK_END), 0);
  long n = ftell(f);
  assert_true(n >= 0);
  rewind(f);
  char *b = malloc((size_t)n + 1);
  assert_non_null(b);
  assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  *len = (size_t)n;
  return b;
}

/* Counts checked by reading each file: paragraphs are its blocks between
** blank lines (lines of only spaces and no-break spaces count as blank);
** sentences follow the rules above, e.g. in 004 the citation dates after
** a closing quote ("tonight?” 12/25/20") start a sentence of their own. */
typedef struct corpus_case {
  const char *file;    /* under corpus/ */
  size_t sentences;    /* number of sentences */
  size_t paragraphs;   /* number of paragraphs */
  const char *first;   /* text of the first sentence */
  const char *some;    /* text of some other sentence, verbatim */
} corpus_case;

static const corpus_case corpus_cases[] = {
  {"000_1af78644860d8528.txt", 54, 52, "His task is not easy",
   "• Al-Kazemi is like walking on a tightrope, but his performance so far "
   "is better than his predecessors."},
  {"001_3dc81e1ea7d977a8.txt", 30, 14,
   "Is Iraq’s new PM losing the fight against Iranian-backed militias?",
   "Maya Carlin is an analyst at the Center for Security Policy, located in "
   "Washington D.C."},
  {"002_fc6652fa48584f3a.txt", 52, 16, "INSS Insight No. 1351, July 22, 2020",
   "In early July, a"},
  {"003_21d5d0816ff0cbf2.txt", 52, 42, "Al Kazime and the Iraqi Hope",
   "Adel Abdul-Mahdi fought demonstrators, as the Iraqis call him."},
  {"004_bded5637d4401b88.txt", 119, 49, "Sunday, December 27, 2020",
   "That has provided Kazemi with the support he needs to finally oppose "
   "these groups which are routinely thumbing their noses at him."},
};

/* Sentences of 001, one by one, checked by reading the article. */
static const char *const sents_001[] = {
  "Is Iraq’s new PM losing the fight against Iranian-backed militias?",
  "Originally published by the Jerusalem Post",
  ("Kadhimi pledged to rein in Iranian-backed militias, but recent events "
   "highlight the difficulty of remolding critical relationships between "
   "the government and armed militias."),
  ("On Sunday, July 5, the Iraqi military confirmed that a rocket targeting "
   "Baghdad’s fortified Green Zone, home to the\u00A0US Embassy, damaged a "
   "nearby home and injured a child."),
  ("The rocket was launched from the Ali al-Saleh region of Baghdad late "
   "Saturday evening."),
};

static void test_corpus(void **state) {
  (void)state;
  for (size_t f = 0; f < N_ELEMS(corpus_cases); f++) {
    const corpus_case *c = &corpus_cases[f];
    size_t len;
    char *s = slurp(c->file, &len);
    tr_tokens t;
    tr_spans se, pa;
    tr_tokens_init(&t);
    tr_spans_init(&se);
    tr_spans_init(&pa);
    assert_int_equal(tr_tokenize(s, len, NULL, &t), 0);
    assert_int_equal(tr_sentences(s, len, &t, &se), 0);
    assert_int_equal(tr_paragraphs(s, len, &t, &pa), 0);
    if (se.n != c->sentences || pa.n != c->paragraphs)
      print_error("%s: %zu sentences, %zu paragraphs\n", c->file, se.n, pa.n);
    assert_int_equal(se.n, c->sentences);
    assert_int_equal(pa.n, c->paragraphs);
    check_sentences(&t, &se, len);
    check_paragraphs(s, &t, &pa, len);
    size_t l0 = (size_t)(se.v[0].stop - se.v[0].start);
    assert_int_equal(l0, strlen(c->first));
    assert_memory_equal(s + se.v[0].start, c->first, l0);
    int found = 0;
    for (size_t k = 0; k < se.n && !found; k++)
      found = se.v[k].stop - se.v[k].start == strlen(c->some) &&
              memcmp(s + se.v[k].start, c->some, strlen(c->some)) == 0;
    if (!found) print_error("%s: no sentence \"%s\"\n", c->file, c->some);
    assert_true(found);
    /* no sentence crosses a paragraph boundary */
    for (size_t k = 0, p = 0; k < se.n; k++) {
      while (p < pa.n && pa.v[p].stop <= se.v[k].start) p++;
      assert_true(p < pa.n);
      assert_true(se.v[k].start >= pa.v[p].start);
      assert_true(se.v[k].stop <= pa.v[p].stop);
    }
    if (f == 1)
      for (size_t k = 0; k < N_ELEMS(sents_001); k++) {
        size_t l = (size_t)(se.v[k].stop - se.v[k].start);
        if (l != strlen(sents_001[k]) ||
            memcmp(s + se.v[k].start, sents_001[k], l) != 0)
          print_error("001 sentence %zu: \"%.*s\"\n", k, (int)l,
                      s + se.v[k].start);
        assert_int_equal(l, strlen(sents_001[k]));
        assert_memory_equal(s + se.v[k].start, sents_001[k], l);
      }
    tr_spans_free(&pa);
    tr_spans_free(&se);
    tr_tokens_free(&t);
    free(s);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_sentences),
    cmocka_unit_test(test_sentences_given),
    cmocka_unit_test(test_paragraphs),
    cmocka_unit_test(test_spans_push),
    cmocka_unit_test(test_random_bytes),
    cmocka_unit_test(test_corpus),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

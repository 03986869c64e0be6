/*
** test_tokenize.c — cmocka tests of the tokenizer (engine/tokenize.c) and
** the stop-word list. Table-driven: each table row is one case, and a
** failing row is printed before the assertion fails.
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tokenize.h"

#ifndef TRAWL_SOURCE_DIR
#define TRAWL_SOURCE_DIR "."
#endif

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* ======================================================================
** Helpers
** ==================================================================== */

/* The token texts of s joined with '|' (into a static buffer). */
static const char *split(const char *s, const tr_tok_opts *opts) {
  static char buf[4096];
  tr_tokens t;
  tr_tokens_init(&t);
  assert_int_equal(tr_tokenize(s, strlen(s), opts, &t), 0);
  size_t w = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < t.n; i++) {
    size_t l = t.v[i].len;
    assert_true(w + l + 2 < sizeof buf);
    if (i) buf[w++] = '|';
    memcpy(buf + w, s + t.v[i].start, l);
    w += l;
  }
  buf[w] = '\0';
  tr_tokens_free(&t);
  return buf;
}

/* Index of the first token whose text is tok, or -1. */
static long find_tok(const char *s, const tr_tokens *t, const char *tok) {
  size_t l = strlen(tok);
  for (size_t i = 0; i < t->n; i++)
    if (t->v[i].len == l && memcmp(s + t->v[i].start, tok, l) == 0)
      return (long)i;
  return -1;
}

static int norm_is(const tr_tokens *t, size_t i, const char *want) {
  size_t l;
  const char *nm = tr_tokens_norm(t, i, &l);
  return l == strlen(want) && memcmp(nm, want, l) == 0;
}

/* Check the invariants every token list must hold for a text of len
** bytes: in order, inside the text, non-empty, not overlapping, a known
** kind, norms inside the arena. */
static void check_invariants(const tr_tokens *t, size_t len) {
  uint64_t prev_end = 0;
  for (size_t i = 0; i < t->n; i++) {
    const tr_token *k = &t->v[i];
    assert_true(k->len > 0);
    assert_true(k->start >= prev_end);
    assert_true(k->start + k->len <= len);
    assert_true(k->kind >= TR_WORD && k->kind < TR_KIND_MAX);
    assert_true(k->norm + k->norm_len <= t->norm_n);
    assert_false(k->flags & TR_F_SPACE);
    prev_end = k->start + k->len;
  }
}

/* ======================================================================
** Boundaries
** ==================================================================== */

typedef struct split_case {
  const char *in;    /* text */
  const char *want;  /* token texts joined with '|' */
} split_case;

static const split_case split_cases[] = {
  /* plain words and punctuation */
  {"Hello, world!", "Hello|,|world|!"},
  {"one  two\tthree\nfour", "one|two|three|four"},
  /* inner apostrophes of any style keep a word whole */
  {"Kata’ib Hezbollah", "Kata’ib|Hezbollah"},
  {"Kata'ib Kataʼib Kata‘ib", "Kata'ib|Kataʼib|Kata‘ib"},
  {"don’t don't it's", "don’t|don't|it|'s"},
  {"Iraq’s Baghdad's", "Iraq|’s|Baghdad|'s"},
  {"Kata’ib Qa'im's Iraq'sx", "Kata’ib|Qa'im|'s|Iraq'sx"},
  {"KHʼs AAH’S", "KH|ʼs|AAH|’S"},
  {"‘cut off his ears’.", "‘|cut|off|his|ears|’|."},
  {"Muhandis’ which", "Muhandis|’|which"},
  {"'90s and ’tis", "'|90s|and|’|tis"},
  /* dotted acronyms, initials, the abbreviation list */
  {"the U.S. and D.C. now", "the|U.S.|and|D.C.|now"},
  {"U.S.A. e.g. i.e. a.m. Ph.D.", "U.S.A.|e.g.|i.e.|a.m.|Ph.D."},
  {"J. Smith and J.R.R. Tolkien", "J.|Smith|and|J.R.R.|Tolkien"},
  {"Mr. Mrs. Ms. Dr. Gen. Lt. Col. Maj. Capt. Sgt.",
   "Mr.|Mrs.|Ms.|Dr.|Gen.|Lt.|Col.|Maj.|Capt.|Sgt."},
  {"Gov. Sen. Rep. Prof. St. Jr. Sr. Inc. Ltd. Co. Corp.",
   "Gov.|Sen.|Rep.|Prof.|St.|Jr.|Sr.|Inc.|Ltd.|Co.|Corp."},
  {"vs. etc. Jan. Feb. Mar. Apr. Aug. Sept. Sep. Oct. Nov. Dec.",
   "vs.|etc.|Jan.|Feb.|Mar.|Apr.|Aug.|Sept.|Sep.|Oct.|Nov.|Dec."},
  {"No. 1351 and No.", "No.|1351|and|No|."},
  {"he was ill. Then", "he|was|ill|.|Then"},
  {"the end. A new", "the|end|.|A|new"},
  {"a b. c", "a|b|.|c"},
  {"Spox. of", "Spox|.|of"},
  {"U.S", "U|.|S"},
  /* numbers */
  {"12/25/20 2,000 1351 3.5 45th 2020-06-25",
   "12/25/20|2,000|1351|3.5|45th|2020-06-25"},
  {"10% $5 €20", "10|%|$|5|€|20"},
  {"1st 2nd 3rd 1990s 10:30 1,234.56", "1st|2nd|3rd|1990s|10:30|1,234.56"},
  {"10km 5pm 3.5kg", "10|km|5|pm|3.5|kg"},
  {"3D 5G 4x4", "3D|5G|4x4"},
  {"-5 +3 10-12", "-|5|+|3|10|-|12"},
  {"1,351. Next", "1,351|.|Next"},
  {"¼, ½", "¼|,|½"},
  /* URLs, e-mails, hashtags, mentions */
  {"see https://example.org/a?b=1&c=2.", "see|https://example.org/a?b=1&c=2|."},
  {"(http://x.org/wiki/A_(b)) ok", "(|http://x.org/wiki/A_(b)|)|ok"},
  {"www.example.com, and", "www.example.com|,|and"},
  {"HTTP://EXAMPLE.ORG!", "HTTP://EXAMPLE.ORG|!"},
  {"news.example.co.uk/x.html.", "news.example.co.uk/x.html|."},
  {"mail a.b@x.org.", "mail|a.b@x.org|."},
  {"john_doe+tag@mail.example.com", "john_doe+tag@mail.example.com"},
  {"foo@bar", "foo|@bar"},
  {"#Green_Zone, #Iraq.. #1", "#Green_Zone|,|#Iraq|..|#|1"},
  {"@MAKadhimi’s tweet", "@MAKadhimi|’s|tweet"},
  {"@qassimalaraji to", "@qassimalaraji|to"},
  {"a @ b # c", "a|@|b|#|c"},
  {"1990’s", "1990|’s"},
  /* white space of every kind separates; zero-width characters vanish */
  {"Green\u00A0Zone", "Green|Zone"},
  {"a\u202Fb\u2007c\u3000d\u2028e\u2003f", "a|b|c|d|e|f"},
  {"\uFEFFword", "word"},
  {"zero\u200Bwidth", "zero|width"},
  {"\u200B\u200C\u200D\uFEFF", ""},
  {"soft\u00ADhyphen", "soft\u00ADhyphen"},
  {"می\u200Cخواهم", "می\u200Cخواهم"},
  /* punctuation */
  {"»“…—", "»|“|…|—"},
  {"Wait... what?!", "Wait|...|what|?|!"},
  {"a--b -- c", "a|--|b|--|c"},
  {"(x) [y] {z}", "(|x|)|[|y|]|{|z|}"},
  {"“Hello,” she said.", "“|Hello|,|”|she|said|."},
  {"\"Hi\" 'yo'", "\"|Hi|\"|'|yo|'"},
  {"• item * two", "•|item|*|two"},
  {"a&b", "a|&|b"},
  /* hyphens */
  {"Al-Kazemi anti-terrorist Iran-backed al-Kadhimi",
   "Al-Kazemi|anti-terrorist|Iran-backed|al-Kadhimi"},
  {"commander-in-chief self-discipline", "commander-in-chief|self-discipline"},
  {"COVID-19 B-52 17-year-old 2nd-largest",
   "COVID-19|B-52|17-year-old|2nd-largest"},
  {"-lead trail- -both-", "-|lead|trail|-|-|both|-"},
  {"Al–Kazemi Al—Kazemi", "Al|–|Kazemi|Al|—|Kazemi"},
  {"non\u2011breaking", "non\u2011breaking"},
  {"Written by- Abduljalil", "Written|by|-|Abduljalil"},
  /* other scripts */
  {"مصطفى الكاظمي", "مصطفى|الكاظمي"},
  {"مُصْطَفَى", "مُصْطَفَى"},
  {"Москва, Россия.", "Москва|,|Россия|."},
  {"Αθήνα; Ελλάδα", "Αθήνα|;|Ελλάδα"},
  {"北京大学", "北京大学"},
  {"東京タワーに行く", "東京|タワー|に|行|く"},
  {"日本語テキスト。", "日本語|テキスト|。"},
  {"서울 특별시", "서울|특별시"},
  {"2020年", "2020|年"},
  {"Sánchez İstanbul Straße", "Sánchez|İstanbul|Straße"},
  {"Sa\u0301nchez", "Sa\u0301nchez"},
  {"हिन्दी भाषा", "हिन्दी|भाषा"},
  /* emoji */
  {"ok🙂👍🏽 👨\u200D👩\u200D👧 🇮🇶🇺🇸", "ok|🙂|👍🏽|👨\u200D👩\u200D👧|🇮🇶|🇺🇸"},
  {"❤\uFE0F ©\uFE0F © 1\uFE0F\u20E3", "❤\uFE0F|©\uFE0F|©|1\uFE0F\u20E3"},
  /* edges */
  {"", ""},
  {"   \n\t\u00A0 ", ""},
  {"Hello wor", "Hello|wor"},
  {"x", "x"},
  {".", "."},
};

static void test_split(void **state) {
  (void)state;
  for (size_t i = 0; i < N_ELEMS(split_cases); i++) {
    const char *got = split(split_cases[i].in, NULL);
    if (strcmp(got, split_cases[i].want) != 0)
      print_error("case %zu \"%s\": got \"%s\", want \"%s\"\n", i,
                  split_cases[i].in, got, split_cases[i].want);
    assert_string_equal(got, split_cases[i].want);
  }
}

/* ======================================================================
** Kind, norm and flags
** ==================================================================== */

typedef struct prop_case {
  const char *in;    /* text */
  const char *tok;   /* token to check, by its text */
  int kind;          /* expected kind */
  const char *norm;  /* expected norm, or NULL for "don't check" */
  uint32_t set;      /* flags that must be set */
  uint32_t clear;    /* flags that must be clear */
} prop_case;

#define F(x) TR_F_##x

static const prop_case prop_cases[] = {
  /* words, case flags with spaCy (Python) semantics */
  {"Hello there", "Hello", TR_WORD, "hello",
   F(ALPHA) | F(TITLE) | F(ASCII) | F(SPACE_AFTER), F(UPPER) | F(LOWER)},
  {"hello", "hello", TR_WORD, "hello", F(ALPHA) | F(LOWER),
   F(TITLE) | F(UPPER) | F(SPACE_AFTER)},
  {"NATO", "NATO", TR_WORD, "nato", F(ALPHA) | F(UPPER), F(TITLE) | F(LOWER)},
  {"I", "I", TR_WORD, "i", F(UPPER) | F(TITLE) | F(STOP), F(LOWER)},
  {"McDonald", "McDonald", TR_WORD, "mcdonald", F(ALPHA), F(TITLE)},
  {"G7", "G7", TR_WORD, "g7", F(UPPER), F(ALPHA) | F(DIGIT)},
  {"Kata’ib", "Kata’ib", TR_WORD, "kata'ib", F(ALPHA) | F(TITLE),
   F(ASCII) | F(HYPHENATED)},
  {"Kataʼib", "Kataʼib", TR_WORD, "kata'ib", F(ALPHA), 0},
  {"Iraq’s", "Iraq", TR_WORD, "iraq", F(ALPHA) | F(TITLE), 0},
  {"Iraq’s", "’s", TR_WORD, "'s", F(LOWER) | F(STOP), F(ALPHA)},
  {"don’t", "don’t", TR_WORD, "don't", F(ALPHA) | F(LOWER) | F(STOP), 0},
  {"don´t", "don´t", TR_WORD, "don't", F(STOP), 0},
  {"@x’s", "’s", TR_WORD, "'s", F(LOWER) | F(STOP), F(ALPHA)},
  /* stop words are looked up on the norm */
  {"The", "The", TR_WORD, "the", F(STOP) | F(TITLE), 0},
  {"THE", "THE", TR_WORD, "the", F(STOP) | F(UPPER), 0},
  {"Kazemi", "Kazemi", TR_WORD, "kazemi", 0, F(STOP)},
  /* hyphenated words */
  {"Al-Kazemi", "Al-Kazemi", TR_WORD, "al-kazemi",
   F(HYPHENATED) | F(ALPHA) | F(TITLE), 0},
  {"al-Kadhimi", "al-Kadhimi", TR_WORD, "al-kadhimi", F(HYPHENATED) | F(ALPHA),
   F(TITLE) | F(LOWER) | F(UPPER)},
  {"anti-terrorist", "anti-terrorist", TR_WORD, "anti-terrorist",
   F(HYPHENATED) | F(LOWER) | F(ALPHA), 0},
  {"Iran-backed", "Iran-backed", TR_WORD, "iran-backed", F(HYPHENATED),
   F(TITLE)},
  {"non\u2011breaking", "non\u2011breaking", TR_WORD, "non-breaking",
   F(HYPHENATED), F(ASCII)},
  {"COVID-19", "COVID-19", TR_WORD, "covid-19", F(HYPHENATED) | F(UPPER),
   F(ALPHA)},
  /* abbreviations */
  {"U.S. forces", "U.S.", TR_WORD, "u.s.", F(ABBREV) | F(UPPER), F(ALPHA)},
  {"in D.C. now", "D.C.", TR_WORD, "d.c.", F(ABBREV), 0},
  {"Mr. Smith", "Mr.", TR_WORD, "mr.", F(ABBREV) | F(TITLE), F(STOP)},
  {"J. Smith", "J.", TR_WORD, "j.", F(ABBREV), 0},
  {"e.g. this", "e.g.", TR_WORD, "e.g.", F(ABBREV) | F(LOWER), 0},
  {"the end.", "end", TR_WORD, "end", 0, F(ABBREV)},
  /* numbers */
  {"1351", "1351", TR_NUMBER, "1351", F(DIGIT) | F(LIKE_NUM) | F(ASCII), 0},
  {"2,000", "2,000", TR_NUMBER, "2,000", F(LIKE_NUM), F(DIGIT)},
  {"12/25/20", "12/25/20", TR_NUMBER, NULL, F(LIKE_NUM), F(DIGIT)},
  {"3.5", "3.5", TR_NUMBER, NULL, F(LIKE_NUM), 0},
  {"45th", "45th", TR_NUMBER, "45th", F(LIKE_NUM), F(DIGIT) | F(ALPHA)},
  {"2020-06-25", "2020-06-25", TR_NUMBER, NULL, F(LIKE_NUM),
   F(HYPHENATED)},
  {"10%", "10", TR_NUMBER, "10", F(LIKE_NUM) | F(DIGIT), F(SPACE_AFTER)},
  {"10%", "%", TR_SYMBOL, "%", 0, F(PUNCT)},
  {"$5", "$", TR_SYMBOL, "$", 0, 0},
  {"¼", "¼", TR_NUMBER, "1\u20444", F(LIKE_NUM), F(DIGIT)},
  {"٢٠٢٠", "٢٠٢٠", TR_NUMBER, "٢٠٢٠", F(DIGIT) | F(LIKE_NUM), F(ASCII)},
  {"ten", "ten", TR_WORD, "ten", F(LIKE_NUM) | F(ALPHA), 0},
  {"Hundred", "Hundred", TR_WORD, "hundred", F(LIKE_NUM), 0},
  {"million", "million", TR_WORD, NULL, F(LIKE_NUM), 0},
  {"twenty-one", "twenty-one", TR_WORD, NULL, F(LIKE_NUM) | F(HYPHENATED), 0},
  {"tenth", "tenth", TR_WORD, NULL, 0, F(LIKE_NUM)},
  /* URLs, e-mails, tags */
  {"https://Example.org/A.", "https://Example.org/A", TR_URL,
   "https://example.org/a", F(LIKE_URL), 0},
  {"www.example.com", "www.example.com", TR_URL, NULL, F(LIKE_URL), 0},
  {"a.b@x.org", "a.b@x.org", TR_EMAIL, NULL, F(LIKE_EMAIL), F(LIKE_URL)},
  {"#Green_Zone", "#Green_Zone", TR_HASHTAG, "#green_zone", 0, 0},
  {"@MAKadhimi", "@MAKadhimi", TR_MENTION, "@makadhimi", 0, F(TITLE)},
  /* punctuation */
  {"»", "»", TR_PUNCT, "»", F(PUNCT) | F(QUOTE) | F(RIGHT_PUNCT),
   F(LEFT_PUNCT) | F(BRACKET)},
  {"«", "«", TR_PUNCT, "«", F(PUNCT) | F(QUOTE) | F(LEFT_PUNCT), 0},
  {"“", "“", TR_PUNCT, "\"", F(PUNCT) | F(QUOTE) | F(LEFT_PUNCT),
   F(RIGHT_PUNCT)},
  {"x”", "”", TR_PUNCT, "\"", F(PUNCT) | F(QUOTE) | F(RIGHT_PUNCT), 0},
  {"„", "„", TR_PUNCT, "\"", F(QUOTE) | F(LEFT_PUNCT), 0},
  {"‘", "‘", TR_PUNCT, "'", F(QUOTE) | F(LEFT_PUNCT), 0},
  {"x ’", "’", TR_PUNCT, "'", F(QUOTE) | F(RIGHT_PUNCT), 0},
  {"…", "…", TR_PUNCT, "...", F(PUNCT), F(QUOTE)},
  {"...", "...", TR_PUNCT, "...", F(PUNCT), 0},
  {"—", "—", TR_PUNCT, "-", F(PUNCT), F(HYPHENATED)},
  {"–", "–", TR_PUNCT, "-", F(PUNCT), 0},
  {"a ‒ ― b", "‒", TR_PUNCT, "-", F(PUNCT), 0},
  {"a ― b", "―", TR_PUNCT, "-", F(PUNCT), 0},
  {"a − b", "−", TR_SYMBOL, "-", 0, F(PUNCT)},
  {"--", "--", TR_PUNCT, "--", F(PUNCT), 0},
  {"(", "(", TR_PUNCT, "(", F(BRACKET) | F(LEFT_PUNCT), F(QUOTE)},
  {"x]", "]", TR_PUNCT, "]", F(BRACKET) | F(RIGHT_PUNCT), 0},
  {"say \"hi", "\"", TR_PUNCT, "\"", F(QUOTE) | F(LEFT_PUNCT), F(RIGHT_PUNCT)},
  {"hi\" now", "\"", TR_PUNCT, "\"", F(QUOTE) | F(RIGHT_PUNCT), F(LEFT_PUNCT)},
  {"`", "`", TR_PUNCT, "'", F(QUOTE), 0},
  {"•", "•", TR_SYMBOL, "•", 0, F(PUNCT)},
  /* white space after */
  {"a\u00A0b", "a", TR_WORD, "a", F(SPACE_AFTER), 0},
  {"a,b", "a", TR_WORD, "a", 0, F(SPACE_AFTER)},
  {"a\u200Bb", "a", TR_WORD, "a", 0, F(SPACE_AFTER)},
  /* other scripts */
  {"مصطفى", "مصطفى", TR_WORD, "مصطفى", F(ALPHA),
   F(UPPER) | F(LOWER) | F(TITLE) | F(ASCII)},
  {"Москва", "Москва", TR_WORD, "москва", F(ALPHA) | F(TITLE), 0},
  {"ΑΘΗΝΑ", "ΑΘΗΝΑ", TR_WORD, "αθηνα", F(ALPHA) | F(UPPER), 0},
  {"北京大学", "北京大学", TR_WORD, "北京大学", F(ALPHA), F(LOWER)},
  {"Sánchez", "Sánchez", TR_WORD, "sánchez", F(ALPHA) | F(TITLE), F(ASCII)},
  {"Sa\u0301nchez", "Sa\u0301nchez", TR_WORD, "sánchez", F(ALPHA) | F(TITLE),
   0},
  {"İstanbul", "İstanbul", TR_WORD, "i\u0307stanbul", F(ALPHA) | F(TITLE), 0},
  {"Straße", "Straße", TR_WORD, "strasse", F(ALPHA), 0},
  {"Ｆｕｌｌ", "Ｆｕｌｌ", TR_WORD, "full", F(ALPHA) | F(TITLE), 0},
  {"soft\u00ADhyphen", "soft\u00ADhyphen", TR_WORD, "softhyphen", F(ALPHA), 0},
  {"हिन्दी", "हिन्दी", TR_WORD, "हिन्दी", F(ALPHA), 0},
  /* emoji */
  {"🙂", "🙂", TR_EMOJI, "🙂", 0, F(PUNCT) | F(ALPHA)},
  {"👍🏽", "👍🏽", TR_EMOJI, "👍🏽", 0, 0},
  {"👨\u200D👩\u200D👧", "👨\u200D👩\u200D👧", TR_EMOJI,
   "👨\u200D👩\u200D👧", 0, 0},
  {"🇮🇶", "🇮🇶", TR_EMOJI, NULL, 0, 0},
  {"©\uFE0F", "©\uFE0F", TR_EMOJI, NULL, 0, 0},
  {"©", "©", TR_SYMBOL, "©", 0, 0},
  /* invalid bytes become one-byte symbols normalised to U+FFFD */
  {"a\xFF", "\xFF", TR_SYMBOL, "\uFFFD", 0, F(ASCII)},
};

static void test_props(void **state) {
  (void)state;
  for (size_t i = 0; i < N_ELEMS(prop_cases); i++) {
    const prop_case *c = &prop_cases[i];
    tr_tokens t;
    tr_tokens_init(&t);
    assert_int_equal(tr_tokenize(c->in, strlen(c->in), NULL, &t), 0);
    long k = find_tok(c->in, &t, c->tok);
    if (k < 0)
      print_error("case %zu \"%s\": no token \"%s\"\n", i, c->in, c->tok);
    assert_true(k >= 0);
    const tr_token *tk = &t.v[k];
    size_t nl;
    const char *nm = tr_tokens_norm(&t, (size_t)k, &nl);
    int ok = tk->kind == c->kind && (tk->flags & c->set) == c->set &&
             (tk->flags & c->clear) == 0 &&
             (!c->norm || norm_is(&t, (size_t)k, c->norm));
    if (!ok)
      print_error("case %zu \"%s\" token \"%s\": kind %s flags %05x norm "
                  "\"%.*s\" (want kind %s set %05x clear %05x norm \"%s\")\n",
                  i, c->in, c->tok, tr_kind_name(tk->kind), tk->flags, (int)nl,
                  nm, tr_kind_name(c->kind), c->set, c->clear,
                  c->norm ? c->norm : "*");
    assert_true(ok);
    tr_tokens_free(&t);
  }
}

/* ======================================================================
** Diacritics folding
** ==================================================================== */

typedef struct fold_case {
  const char *in;    /* one-token text */
  const char *norm;  /* its norm with fold_diacritics */
} fold_case;

static const fold_case fold_cases[] = {
  {"Sánchez", "sanchez"},
  {"Sa\u0301nchez", "sanchez"},
  {"İstanbul", "istanbul"},
  {"Ελλάδα", "ελλαδα"},
  {"Ñandú", "nandu"},
  {"مُصْطَفَى", "مصطفى"},
  {"Kata’ib", "kata'ib"},
  {"plain", "plain"},
  {"👍🏽", "👍🏽"},
};

static void test_fold(void **state) {
  (void)state;
  tr_tok_opts o = {1};
  for (size_t i = 0; i < N_ELEMS(fold_cases); i++) {
    tr_tokens t;
    tr_tokens_init(&t);
    const char *in = fold_cases[i].in;
    assert_int_equal(tr_tokenize(in, strlen(in), &o, &t), 0);
    assert_int_equal(t.n, 1);
    size_t l;
    const char *nm = tr_tokens_norm(&t, 0, &l);
    if (!norm_is(&t, 0, fold_cases[i].norm))
      print_error("case %zu \"%s\": norm \"%.*s\", want \"%s\"\n", i,
                  fold_cases[i].in, (int)l, nm, fold_cases[i].norm);
    assert_true(norm_is(&t, 0, fold_cases[i].norm));
    tr_tokens_free(&t);
  }
}

/* ======================================================================
** tr_normalize
** ==================================================================== */

typedef struct normalize_case {
  const char *in;    /* any string */
  int fold;          /* fold_diacritics */
  const char *want;  /* the normalised string */
} normalize_case;

static const normalize_case normalize_cases[] = {
  {"’‘ʼ`´‛‚'", 0, "''''''''"},
  {"“”„‟\"", 0, "\"\"\"\"\""},
  {"«»‹›", 0, "«»‹›"},
  {"–—‒―−‐‑-", 0, "--------"},
  {"HeLLo WoRLD", 0, "hello world"},
  {"ﬁ ½ Ｘ ²", 0, "fi 1\u20442 x 2"},
  {"Ça va", 1, "ca va"},
  {"Ça va", 0, "ça va"},
  {"e\u0301", 0, "é"},
  {"…", 0, "..."},
  {"a\u00ADb", 0, "ab"},
  {"", 0, ""},
  {"\xFF" "a", 0, "\uFFFD" "a"},
};

static void test_normalize(void **state) {
  (void)state;
  for (size_t i = 0; i < N_ELEMS(normalize_cases); i++) {
    const normalize_case *c = &normalize_cases[i];
    size_t l = 12345;
    char *got = tr_normalize(c->in, strlen(c->in), c->fold, &l);
    assert_non_null(got);
    assert_int_equal(l, strlen(got));
    if (strcmp(got, c->want) != 0)
      print_error("case %zu \"%s\": got \"%s\", want \"%s\"\n", i, c->in, got,
                  c->want);
    assert_string_equal(got, c->want);
    free(got);
  }
}

/* ======================================================================
** Shape and parts
** ==================================================================== */

typedef struct shape_case {
  const char *in;    /* token text */
  const char *want;  /* shape */
} shape_case;

static const shape_case shape_cases[] = {
  {"Kadhimi", "Xxxxx"},
  {"12/25/20", "dd/dd/dd"},
  {"Al-Kazemi", "Xx-Xxxxx"},
  {"U.S.", "X.X."},
  {"Kata’ib", "Xxxx’xx"},
  {"1351", "dddd"},
  {"123456", "dddd"},
  {"NATO", "XXXX"},
  {"NATOSTAN", "XXXX"},
  {"Sánchez", "Xxxxx"},
  {"مصطفى", "xxxx"},
  {"a...", "x..."},
  {"......", "...."},
  {"", ""},
};

static void test_shape(void **state) {
  (void)state;
  char buf[64];
  for (size_t i = 0; i < N_ELEMS(shape_cases); i++) {
    size_t n = tr_token_shape(shape_cases[i].in, strlen(shape_cases[i].in),
                              buf, sizeof buf);
    if (strcmp(buf, shape_cases[i].want) != 0)
      print_error("case %zu \"%s\": got \"%s\", want \"%s\"\n", i,
                  shape_cases[i].in, buf, shape_cases[i].want);
    assert_string_equal(buf, shape_cases[i].want);
    assert_int_equal(n, strlen(buf));
  }
  /* a small buffer truncates without splitting a character */
  assert_int_equal(tr_token_shape("Kadhimi", 7, buf, 3), 2);
  assert_string_equal(buf, "Xx");
  assert_int_equal(tr_token_shape("a’b", 5, buf, 3), 1);
  assert_string_equal(buf, "x");
  assert_int_equal(tr_token_shape("abc", 3, buf, 0), 0);
}

typedef struct parts_case {
  const char *in;      /* token text */
  const char *want;    /* parts joined with '|' */
} parts_case;

static const parts_case parts_cases[] = {
  {"Al-Kazemi", "Al|Kazemi"},
  {"commander-in-chief", "commander|in|chief"},
  {"Kadhimi-fasa’il", "Kadhimi|fasa’il"},
  {"non\u2011breaking", "non|breaking"},
  {"plain", "plain"},
  {"-lead", "-lead"},
  {"a--b", "a--b"},
  {"x-", "x-"},
};

static void test_parts(void **state) {
  (void)state;
  uint32_t st[8], ln[8];
  char buf[128];
  for (size_t i = 0; i < N_ELEMS(parts_cases); i++) {
    const char *s = parts_cases[i].in;
    size_t n = tr_token_parts(s, strlen(s), st, ln, 8);
    size_t w = 0;
    for (size_t k = 0; k < n; k++) {
      if (k) buf[w++] = '|';
      memcpy(buf + w, s + st[k], ln[k]);
      w += ln[k];
    }
    buf[w] = '\0';
    if (strcmp(buf, parts_cases[i].want) != 0)
      print_error("case %zu \"%s\": got \"%s\"\n", i, s, buf);
    assert_string_equal(buf, parts_cases[i].want);
  }
  /* more parts than room: the count is still right */
  assert_int_equal(tr_token_parts("a-b-c", 5, st, ln, 1), 3);
  assert_int_equal(st[0], 0);
  assert_int_equal(ln[0], 1);
  assert_int_equal(tr_token_parts("", 0, st, ln, 8), 0);
}

/* ======================================================================
** Stop words, kind names
** ==================================================================== */

static void test_stopwords(void **state) {
  (void)state;
  static const char *const yes[] = {
    "the", "a", "and", "of", "to", "in", "is", "was", "he", "she", "they",
    "which", "don't", "it's", "n't", "'s", "themselves", "however", "between",
  };
  static const char *const no[] = {
    "", "iraq", "militia", "kazemi", "The", "thee", "an't", "governmentally",
    "x", "the ",
  };
  for (size_t i = 0; i < N_ELEMS(yes); i++) {
    if (!tr_is_stopword(yes[i], strlen(yes[i])))
      print_error("\"%s\"\n", yes[i]);
    assert_true(tr_is_stopword(yes[i], strlen(yes[i])));
  }
  for (size_t i = 0; i < N_ELEMS(no); i++) {
    if (tr_is_stopword(no[i], strlen(no[i]))) print_error("\"%s\"\n", no[i]);
    assert_false(tr_is_stopword(no[i], strlen(no[i])));
  }
  assert_true(tr_is_stopword("theirs!", 6));
  /* the packed form answers the same for words up to 8 bytes */
  static const char *const both[] = {
    "a", "of", "the", "that", "which", "whoever", "whatever", "doesn't",
    "x", "iraq", "militia", "kazemi", "thee", "zz", "abcdefgh",
  };
  for (size_t i = 0; i < N_ELEMS(both); i++) {
    uint64_t key = 0;
    for (size_t k = 0; both[i][k]; k++)
      key |= (uint64_t)(unsigned char)both[i][k] << (8 * k);
    assert_int_equal(tr_is_stopword8(key),
                     tr_is_stopword(both[i], strlen(both[i])));
  }
  assert_false(tr_is_stopword8(0));
}

static void test_kind_names(void **state) {
  (void)state;
  static const char *const want[] = {
    "?", "word", "number", "punct", "symbol", "url", "email", "hashtag",
    "mention", "emoji",
  };
  for (int k = 0; k < TR_KIND_MAX; k++)
    assert_string_equal(tr_kind_name(k), want[k]);
  assert_string_equal(tr_kind_name(TR_KIND_MAX), "?");
  assert_string_equal(tr_kind_name(-1), "?");
}

/* ======================================================================
** tr_tokens_add: tokens given from outside
** ==================================================================== */

typedef struct add_case {
  const char *tok;   /* the given token */
  int kind;          /* expected kind */
  const char *norm;  /* expected norm */
  uint32_t set;      /* flags that must be set */
  uint32_t clear;    /* flags that must be clear */
} add_case;

static const add_case add_cases[] = {
  {"Kata’ib", TR_WORD, "kata'ib", F(ALPHA) | F(TITLE), F(SPACE_AFTER)},
  {"U.S.", TR_WORD, "u.s.", F(ABBREV), 0},
  {"J.", TR_WORD, "j.", F(ABBREV), 0},
  {"n't", TR_WORD, "n't", F(STOP), 0},
  {"'s", TR_WORD, "'s", F(STOP), 0},
  {"2,000", TR_NUMBER, "2,000", F(LIKE_NUM), 0},
  {"Al-Kazemi", TR_WORD, "al-kazemi", F(HYPHENATED), 0},
  {"»", TR_PUNCT, "»", F(PUNCT) | F(QUOTE) | F(RIGHT_PUNCT), 0},
  {"https://x.org", TR_URL, "https://x.org", F(LIKE_URL), 0},
  {"a@b.org", TR_EMAIL, "a@b.org", F(LIKE_EMAIL), 0},
  {"#tag", TR_HASHTAG, "#tag", 0, 0},
  {"🙂", TR_EMOJI, "🙂", 0, 0},
  {"10%", TR_NUMBER, "10%", 0, F(DIGIT)},
  {"New York", TR_WORD, "new york", 0, F(ALPHA)},
  {"$", TR_SYMBOL, "$", 0, F(PUNCT)},
  {"?!", TR_PUNCT, "?!", F(PUNCT), 0},
};

static void test_tokens_add(void **state) {
  (void)state;
  /* the tokens sit inside a larger text: offsets are kept as given */
  char text[256];
  tr_tokens t;
  tr_tokens_init(&t);
  for (size_t i = 0; i < N_ELEMS(add_cases); i++) {
    const add_case *c = &add_cases[i];
    size_t l = strlen(c->tok);
    snprintf(text, sizeof text, "xx %s yy", c->tok);
    assert_int_equal(tr_tokens_add(&t, text, 3, (uint32_t)l, NULL), 0);
    const tr_token *k = &t.v[t.n - 1];
    assert_int_equal(k->start, 3);
    assert_int_equal(k->len, l);
    int ok = k->kind == c->kind && (k->flags & c->set) == c->set &&
             (k->flags & c->clear) == 0 && norm_is(&t, t.n - 1, c->norm);
    if (!ok)
      print_error("case %zu \"%s\": kind %s flags %05x\n", i, c->tok,
                  tr_kind_name(k->kind), k->flags);
    assert_true(ok);
  }
  assert_int_equal(t.n, N_ELEMS(add_cases));
  /* the same classifier as tr_tokenize: identical kind, flags, norm */
  const char *s = "Iraq’s PM Al-Kazemi met U.S. envoys on 12/25/20.";
  tr_tokens a, b;
  tr_tokens_init(&a);
  tr_tokens_init(&b);
  assert_int_equal(tr_tokenize(s, strlen(s), NULL, &a), 0);
  for (size_t i = 0; i < a.n; i++)
    assert_int_equal(tr_tokens_add(&b, s, a.v[i].start, a.v[i].len, NULL), 0);
  assert_int_equal(a.n, b.n);
  for (size_t i = 0; i < a.n; i++) {
    size_t la, lb;
    const char *na = tr_tokens_norm(&a, i, &la);
    const char *nb = tr_tokens_norm(&b, i, &lb);
    assert_int_equal(a.v[i].kind, b.v[i].kind);
    assert_int_equal(a.v[i].flags & ~(uint32_t)TR_F_SPACE_AFTER, b.v[i].flags);
    assert_int_equal(la, lb);
    assert_memory_equal(na, nb, la);
  }
  /* diacritics folding applies too; an empty token is accepted */
  tr_tok_opts o = {1};
  assert_int_equal(tr_tokens_add(&b, "Sánchez", 0, 8, &o), 0);
  assert_true(norm_is(&b, b.n - 1, "sanchez"));
  assert_int_equal(tr_tokens_add(&b, "", 0, 0, NULL), 0);
  assert_int_equal(b.v[b.n - 1].norm_len, 0);
  tr_tokens_free(&a);
  tr_tokens_free(&b);
  tr_tokens_free(&t);
}

/* ======================================================================
** Offsets, appending, edges, invalid and random bytes
** ==================================================================== */

static void test_offsets_and_append(void **state) {
  (void)state;
  const char *s = "  Kata’ib\u00A0said “no.”";
  tr_tokens t;
  tr_tokens_init(&t);
  assert_int_equal(tr_tokenize(s, strlen(s), NULL, &t), 0);
  assert_int_equal(t.n, 6);
  assert_int_equal(t.v[0].start, 2);
  assert_int_equal(t.v[0].len, strlen("Kata’ib"));
  assert_int_equal(t.v[1].start, 2 + strlen("Kata’ib") + 2);
  check_invariants(&t, strlen(s));
  /* a second call appends; its offsets are relative to its own text */
  assert_int_equal(tr_tokenize("x y", 3, NULL, &t), 0);
  assert_int_equal(t.n, 8);
  assert_int_equal(t.v[6].start, 0);
  assert_int_equal(t.v[7].start, 2);
  assert_true(norm_is(&t, 0, "kata'ib"));
  assert_true(norm_is(&t, 7, "y"));
  tr_tokens_free(&t);
  /* NULL or empty text gives nothing; free twice is harmless */
  assert_int_equal(tr_tokenize(NULL, 0, NULL, &t), 0);
  assert_int_equal(tr_tokenize("", 0, NULL, &t), 0);
  assert_int_equal(t.n, 0);
  tr_tokens_free(&t);
  tr_tokens_free(&t);
}

/* Text that stops mid-token or mid-character, and invalid UTF-8: tokens
** stay inside the text and every byte is either white space or covered. */
typedef struct edge_case {
  const char *in;    /* bytes (NUL-terminated) */
  const char *want;  /* token texts joined with '|' */
} edge_case;

static const edge_case edge_cases[] = {
  {"abc\xE2\x80", "abc|\xE2|\x80"},
  {"\xC3", "\xC3"},
  {"\xF0\x9F\x99", "\xF0|\x9F|\x99"},
  {"a\xC0\xAF" "b", "a|\xC0|\xAF|b"},
  {"\xED\xA0\x80", "\xED|\xA0|\x80"},
  {"\xF4\x90\x80\x80", "\xF4|\x90|\x80|\x80"},
  {"caf\xC3\xA9\xFF", "café|\xFF"},
  {"http://", "http|:|/|/"},
  {"https://x", "https://x"},
  {"www.", "www|."},
  {"a@", "a|@"},
  {"a@b.", "a|@b|."},
  {"#", "#"},
  {"@", "@"},
  {"U.", "U|."},
  {"No.", "No|."},
  {"2020-06-2", "2020|-|06|-|2"},
  {"1,", "1|,"},
  {"’", "’"},
  {"x’", "x|’"},
  {"Kata’", "Kata|’"},
  {"a-", "a|-"},
  {"\u200D", ""},
  {"🇮", "🇮"},
  {"\xCC\x81", "\xCC\x81"},
};

static void test_edges(void **state) {
  (void)state;
  for (size_t i = 0; i < N_ELEMS(edge_cases); i++) {
    const char *got = split(edge_cases[i].in, NULL);
    if (strcmp(got, edge_cases[i].want) != 0)
      print_error("case %zu: got \"%s\", want \"%s\"\n", i, got,
                  edge_cases[i].want);
    assert_string_equal(got, edge_cases[i].want);
  }
}

/* xorshift: a fixed sequence, so a failure can be replayed */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint32_t rng(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (uint32_t)(rng_state >> 11);
}

/* Random bytes, in exactly-sized heap buffers so ASan catches any read past
** the end; half the buffers are built from fragments that stress the
** scanner (partial UTF-8, dots, hyphens, sigils, apostrophes). */
static void test_random_bytes(void **state) {
  (void)state;
  static const char *const frag[] = {
    "a", "Z", "9", ".", "-", "'", "’", "@", "#", "_", ":", "/", " ", "\n",
    "\xC2\xA0", "\xE2\x80", "\xF0\x9F", "\xCC\x81", "\u200D", "\uFE0F",
    "http://", "www.", "U.S", "🇮", "👍", "\xFF", "\xE2\x80\x94", "…", "%",
    "2020-", "1,", "\u20E3", "東", "ا",
  };
  for (int round = 0; round < 3000; round++) {
    size_t len = rng() % 96;
    char *buf = malloc(len ? len : 1);
    assert_non_null(buf);
    size_t w = 0;
    if (round & 1) {
      for (; w < len; w++) buf[w] = (char)rng();
    } else {
      while (w < len) {
        const char *f = frag[rng() % N_ELEMS(frag)];
        for (size_t k = 0; f[k] && w < len; k++) buf[w++] = f[k];
      }
    }
    tr_tokens t;
    tr_tokens_init(&t);
    tr_tok_opts o = {round % 3 == 0};
    assert_int_equal(tr_tokenize(buf, len, &o, &t), 0);
    check_invariants(&t, len);
    for (size_t i = 0; i < t.n; i++) {
      char shape[16];
      uint32_t st[4], ln[4];
      tr_token_shape(buf + t.v[i].start, t.v[i].len, shape, sizeof shape);
      size_t np = tr_token_parts(buf + t.v[i].start, t.v[i].len, st, ln, 4);
      assert_true(np >= 1);
    }
    /* any slice as a given token */
    tr_tokens g;
    tr_tokens_init(&g);
    if (len) {
      size_t a = rng() % len, b = a + rng() % (len - a + 1);
      assert_int_equal(tr_tokens_add(&g, buf, a, (uint32_t)(b - a), &o), 0);
    }
    size_t nl;
    char *nm = tr_normalize(buf, len, round & 1, &nl);
    assert_non_null(nm);
    free(nm);
    tr_tokens_free(&g);
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

typedef struct corpus_case {
  const char *file;  /* under corpus/ */
  const char *tok;   /* a token that must be there, by its text */
  int kind;          /* its kind */
  const char *norm;  /* its norm */
  uint32_t set;      /* flags that must be set */
} corpus_case;

static const corpus_case corpus_cases[] = {
  {"000_1af78644860d8528.txt", "Al-Kazemi", TR_WORD, "al-kazemi",
   F(HYPHENATED) | F(TITLE)},
  {"000_1af78644860d8528.txt", "anti-terrorist", TR_WORD, "anti-terrorist",
   F(HYPHENATED) | F(LOWER)},
  {"000_1af78644860d8528.txt", "45th", TR_NUMBER, "45th", F(LIKE_NUM)},
  {"000_1af78644860d8528.txt", "•", TR_SYMBOL, "•", 0},
  {"000_1af78644860d8528.txt", "»", TR_PUNCT, "»", F(QUOTE) | F(RIGHT_PUNCT)},
  {"000_1af78644860d8528.txt", "government", TR_WORD, "government",
   F(ALPHA)},
  {"000_1af78644860d8528.txt", "“", TR_PUNCT, "\"", F(LEFT_PUNCT)},
  {"001_3dc81e1ea7d977a8.txt", "Iraq", TR_WORD, "iraq", F(TITLE)},
  {"001_3dc81e1ea7d977a8.txt", "D.C.", TR_WORD, "d.c.", F(ABBREV)},
  {"001_3dc81e1ea7d977a8.txt", "M.A.", TR_WORD, "m.a.", F(ABBREV)},
  {"001_3dc81e1ea7d977a8.txt", "Iranian-backed", TR_WORD, "iranian-backed",
   F(HYPHENATED)},
  {"001_3dc81e1ea7d977a8.txt", "commander-in-chief", TR_WORD,
   "commander-in-chief", F(HYPHENATED)},
  {"002_fc6652fa48584f3a.txt", "Kata'ib", TR_WORD, "kata'ib", F(ALPHA)},
  {"002_fc6652fa48584f3a.txt", "No.", TR_WORD, "no.", F(ABBREV)},
  {"002_fc6652fa48584f3a.txt", "1351", TR_NUMBER, "1351", F(DIGIT)},
  {"002_fc6652fa48584f3a.txt", "i.e.", TR_WORD, "i.e.", F(ABBREV)},
  {"002_fc6652fa48584f3a.txt", "–", TR_PUNCT, "-", F(PUNCT)},
  {"002_fc6652fa48584f3a.txt", "al-Qa'im", TR_WORD, "al-qa'im",
   F(HYPHENATED)},
  {"003_21d5d0816ff0cbf2.txt", "Ofal-Kazemi", TR_WORD, "ofal-kazemi",
   F(HYPHENATED)},
  {"003_21d5d0816ff0cbf2.txt", "Mr.", TR_WORD, "mr.", F(ABBREV)},
  {"003_21d5d0816ff0cbf2.txt", "decision-makers", TR_WORD, "decision-makers",
   F(HYPHENATED)},
  {"004_bded5637d4401b88.txt", "#Green_Zone", TR_HASHTAG, "#green_zone", 0},
  {"004_bded5637d4401b88.txt", "@MAKadhimi", TR_MENTION, "@makadhimi", 0},
  {"004_bded5637d4401b88.txt", "12/25/20", TR_NUMBER, "12/25/20",
   F(LIKE_NUM)},
  {"004_bded5637d4401b88.txt", "¼", TR_NUMBER, "1\u20444", F(LIKE_NUM)},
  {"004_bded5637d4401b88.txt", "…", TR_PUNCT, "...", F(PUNCT)},
  {"004_bded5637d4401b88.txt", "U.S.", TR_WORD, "u.s.", F(ABBREV) | F(UPPER)},
  {"004_bded5637d4401b88.txt", "Kadhimi-fasa’il", TR_WORD, "kadhimi-fasa'il",
   F(HYPHENATED) | F(ALPHA)},
  {"004_bded5637d4401b88.txt", "don’t", TR_WORD, "don't", F(STOP)},
  {"004_bded5637d4401b88.txt", "’s", TR_WORD, "'s", F(STOP)},
  {"004_bded5637d4401b88.txt", "2nd", TR_NUMBER, "2nd", F(LIKE_NUM)},
  {"004_bded5637d4401b88.txt", "Brit", TR_WORD, "brit", 0},
  {"004_bded5637d4401b88.txt", "...", TR_PUNCT, "...", F(PUNCT)},
  {"004_bded5637d4401b88.txt", "&", TR_SYMBOL, "&", 0},
};

/* Tokens that must not appear (wrong boundaries). */
static const char *const corpus_absent[] = {
  "Kata", "ib", "U", "S", "D", "C", "Green_Zone", "MAKadhimi",
  "\u00A0", "Spox.", "’", "fasa",
};

/* Token counts, checked by reading each file. */
typedef struct corpus_count {
  const char *file;  /* under corpus/ */
  size_t tokens;     /* number of tokens */
} corpus_count;

static const corpus_count corpus_counts[] = {
  {"000_1af78644860d8528.txt", 1456},
  {"001_3dc81e1ea7d977a8.txt", 723},
  {"002_fc6652fa48584f3a.txt", 1818},
  {"003_21d5d0816ff0cbf2.txt", 1460},
  {"004_bded5637d4401b88.txt", 2352},
};

static void test_corpus(void **state) {
  (void)state;
  for (size_t i = 0; i < N_ELEMS(corpus_cases); i++) {
    const corpus_case *c = &corpus_cases[i];
    size_t len;
    char *s = slurp(c->file, &len);
    tr_tokens t;
    tr_tokens_init(&t);
    assert_int_equal(tr_tokenize(s, len, NULL, &t), 0);
    check_invariants(&t, len);
    long k = find_tok(s, &t, c->tok);
    int ok = k >= 0 && t.v[k].kind == c->kind &&
             (t.v[k].flags & c->set) == c->set &&
             norm_is(&t, (size_t)k, c->norm);
    if (!ok) print_error("%s: token \"%s\" (index %ld)\n", c->file, c->tok, k);
    assert_true(ok);
    tr_tokens_free(&t);
    free(s);
  }
  for (size_t f = 0; f < N_ELEMS(corpus_counts); f++) {
    size_t len;
    char *s = slurp(corpus_counts[f].file, &len);
    tr_tokens t;
    tr_tokens_init(&t);
    assert_int_equal(tr_tokenize(s, len, NULL, &t), 0);
    if (t.n != corpus_counts[f].tokens)
      print_error("%s: %zu tokens\n", corpus_counts[f].file, t.n);
    assert_int_equal(t.n, corpus_counts[f].tokens);
    /* the no-break space and the zero-width characters make no token */
    for (size_t i = 0; i < N_ELEMS(corpus_absent); i++) {
      long k = find_tok(s, &t, corpus_absent[i]);
      /* "’" does occur as a closing quote in 004; everything else never */
      if (strcmp(corpus_absent[i], "’") == 0 && f == 4) continue;
      if (k >= 0)
        print_error("%s: unexpected token \"%s\"\n", corpus_counts[f].file,
                    corpus_absent[i]);
      assert_true(k < 0);
    }
    tr_tokens_free(&t);
    free(s);
  }
}

/* The fast paths of tr_tokenize (plain ASCII words, lone punctuation)
** must say exactly what the general classifier says: re-classify every
** token of the corpus, and of a text holding every ASCII character, with
** tr_tokens_add and compare. Only the context flags may differ. */
static void same_as_given(const char *s, size_t len) {
  const uint32_t context =
      TR_F_SPACE_AFTER | TR_F_LEFT_PUNCT | TR_F_RIGHT_PUNCT;
  tr_tokens a, b;
  tr_tokens_init(&a);
  tr_tokens_init(&b);
  assert_int_equal(tr_tokenize(s, len, NULL, &a), 0);
  for (size_t i = 0; i < a.n; i++)
    assert_int_equal(tr_tokens_add(&b, s, a.v[i].start, a.v[i].len, NULL), 0);
  for (size_t i = 0; i < a.n; i++) {
    size_t la, lb;
    const char *na = tr_tokens_norm(&a, i, &la);
    const char *nb = tr_tokens_norm(&b, i, &lb);
    int ok = a.v[i].kind == b.v[i].kind &&
             (a.v[i].flags & ~context) == (b.v[i].flags & ~context) &&
             la == lb && memcmp(na, nb, la) == 0;
    if (!ok)
      print_error("token \"%.*s\": tokenize %s %05x \"%.*s\", given %s %05x "
                  "\"%.*s\"\n", (int)a.v[i].len, s + a.v[i].start,
                  tr_kind_name(a.v[i].kind), a.v[i].flags, (int)la, na,
                  tr_kind_name(b.v[i].kind), b.v[i].flags, (int)lb, nb);
    assert_true(ok);
  }
  tr_tokens_free(&a);
  tr_tokens_free(&b);
}

static void test_same_classifier(void **state) {
  (void)state;
  char all[3 * 128];
  size_t w = 0;
  for (int c = 33; c < 127; c++) {
    all[w++] = (char)c;
    all[w++] = ' ';
    all[w++] = (char)c;
  }
  same_as_given(all, w);
  const char *mixed = "The NATO-led x McDonald's a-b I i \"q\" (r) s, t; "
                      "Anti-Terror all-in-one twenty-one Eleven ZERO abc.def. "
                      "word. wordy. longerword. e.g. x:y 'quoted' don't";
  same_as_given(mixed, strlen(mixed));
  for (size_t f = 0; f < N_ELEMS(corpus_counts); f++) {
    size_t len;
    char *s = slurp(corpus_counts[f].file, &len);
    same_as_given(s, len);
    free(s);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_split),
    cmocka_unit_test(test_props),
    cmocka_unit_test(test_fold),
    cmocka_unit_test(test_normalize),
    cmocka_unit_test(test_shape),
    cmocka_unit_test(test_parts),
    cmocka_unit_test(test_stopwords),
    cmocka_unit_test(test_kind_names),
    cmocka_unit_test(test_tokens_add),
    cmocka_unit_test(test_offsets_and_append),
    cmocka_unit_test(test_edges),
    cmocka_unit_test(test_random_bytes),
    cmocka_unit_test(test_corpus),
    cmocka_unit_test(test_same_classifier),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
** tokenize.h — the tokenizer: token boundaries as byte offsets, with kind,
** flags and a normalised form. Pure C, no Lua; tested with cmocka.
**
** A token never holds a pointer into the text: it stores byte offsets, so a
** token list stays valid however the text is held (mmap, heap, SQLite blob).
*/
#ifndef TRAWL_TOKENIZE_H
#define TRAWL_TOKENIZE_H

#include <stddef.h>
#include <stdint.h>

/* Token kinds. The numeric values are stable: they are exposed to Lua. */
typedef enum tr_kind {
  TR_WORD = 1,  /* letters (any script), with inner apostrophes/hyphens */
  TR_NUMBER,    /* 1351, 2,000, 12/25/20, 3.5, 45th */
  TR_PUNCT,     /* . , ; : ! ? " “ ” « » … ( ) - — etc. */
  TR_SYMBOL,    /* $ % & + = < > € • and other symbols */
  TR_URL,       /* https://x.org/a, www.example.com */
  TR_EMAIL,     /* a.b@example.org */
  TR_HASHTAG,   /* #Green_Zone */
  TR_MENTION,   /* @MAKadhimi */
  TR_EMOJI,     /* 🙂, flags, ZWJ sequences */
  TR_KIND_MAX
} tr_kind;

/* Lexical flags (bit set). Named after spaCy's lexical attributes. */
enum {
  TR_F_ALPHA       = 1u << 0,  /* every character is a letter */
  TR_F_DIGIT       = 1u << 1,  /* every character is a decimal digit */
  TR_F_UPPER       = 1u << 2,  /* has cased letters, all upper case */
  TR_F_LOWER       = 1u << 3,  /* has cased letters, all lower case */
  TR_F_TITLE       = 1u << 4,  /* first letter upper, other letters lower */
  TR_F_PUNCT       = 1u << 5,  /* punctuation */
  TR_F_SPACE       = 1u << 6,  /* white space (never set by tr_tokenize) */
  TR_F_STOP        = 1u << 7,  /* English stop word (on the normalised form) */
  TR_F_LIKE_NUM    = 1u << 8,  /* looks like a number: 10, 2,000, ten, 1/2 */
  TR_F_LIKE_URL    = 1u << 9,  /* looks like a URL */
  TR_F_LIKE_EMAIL  = 1u << 10, /* looks like an e-mail address */
  TR_F_QUOTE       = 1u << 11, /* a quotation mark of any style */
  TR_F_BRACKET     = 1u << 12, /* ( ) [ ] { } and the like */
  TR_F_ASCII       = 1u << 13, /* all bytes < 0x80 */
  TR_F_LEFT_PUNCT  = 1u << 14, /* opening punctuation: ( [ { “ ‘ « „ */
  TR_F_RIGHT_PUNCT = 1u << 15, /* closing punctuation: ) ] } ” ’ » */
  TR_F_HYPHENATED  = 1u << 16, /* word made of parts joined by hyphens */
  TR_F_SPACE_AFTER = 1u << 17, /* white space follows the token in the text */
  TR_F_ABBREV      = 1u << 18, /* abbreviation or initial with its period */
};

typedef struct tr_token {
  uint64_t start;     /* byte offset of the first byte in the text */
  uint64_t norm;      /* byte offset of the normalised form in tr_tokens.norm */
  uint32_t len;       /* length in bytes in the text */
  uint32_t norm_len;  /* length in bytes of the normalised form */
  uint32_t flags;     /* TR_F_* bits */
  uint8_t kind;       /* tr_kind */
} tr_token;

/* A growable token list plus the arena that holds the normalised forms. */
typedef struct tr_tokens {
  tr_token *v;        /* the tokens, in text order */
  size_t n, cap;      /* used and allocated entries of v */
  char *norm;         /* arena of normalised forms (not NUL-separated) */
  size_t norm_n, norm_cap; /* used and allocated bytes of norm */
} tr_tokens;

typedef struct tr_tok_opts {
  int fold_diacritics; /* non-zero: strip diacritics in the normalised form */
} tr_tok_opts;

/* Tokenize text[0..len) and append the tokens to out. Offsets are relative
** to text. Returns 0, or -1 when memory runs out (out is then consistent
** but may hold only part of the tokens). opts may be NULL. */
int tr_tokenize(const char *text, size_t len, const tr_tok_opts *opts,
                tr_tokens *out);

/* Append one token whose boundaries were given by someone else (a CoNLL-U
** file, a list of strings from Lua): classify text[start..start+len) and
** normalise it. Returns 0, or -1 on memory error. */
int tr_tokens_add(tr_tokens *out, const char *text, uint64_t start,
                  uint32_t len, const tr_tok_opts *opts);

void tr_tokens_init(tr_tokens *t);
void tr_tokens_free(tr_tokens *t);

/* The normalised form of token i (not NUL-terminated). */
static inline const char *tr_tokens_norm(const tr_tokens *t, size_t i,
                                         size_t *len) {
  *len = t->v[i].norm_len;
  return t->norm + t->v[i].norm;
}

/* Normalise any string the way token norms are made: NFKC, Unicode case
** folding, quotes/apostrophes to ', dashes to -, optionally diacritics
** stripped. Returns a malloc'ed NUL-terminated string (length in *outlen),
** or NULL on memory error. */
char *tr_normalize(const char *s, size_t len, int fold_diacritics,
                   size_t *outlen);

/* Word shape, spaCy style: X for upper, x for lower, d for digit, other
** characters as themselves, runs longer than 4 cut to 4 (Xxxxx -> Xxxxx;
** "Kadhimi" -> "Xxxxx", "12/25/20" -> "dd/dd/dd"). Writes at most cap-1
** bytes plus NUL into buf; returns the length written. */
size_t tr_token_shape(const char *s, size_t len, char *buf, size_t cap);

/* Parts of a hyphenated word ("Al-Kazemi" -> "Al", "Kazemi"): writes up to
** max (start, len) pairs relative to s, returns the number of parts (which
** may exceed max; only max are written). A word without hyphens has 1. */
size_t tr_token_parts(const char *s, size_t len, uint32_t *starts,
                      uint32_t *lens, size_t max);

/* Is the normalised word (NUL-free, len bytes) an English stop word? */
int tr_is_stopword(const char *norm, size_t len);

/* The same for a word of 1 to 8 bytes packed into an integer: byte k of
** the word in bits 8k..8k+7, the bits past the word zero. For callers that
** already hold the word that way (the tokenizer's fast path). */
int tr_is_stopword8(uint64_t key);

/* Name of a kind ("word", "number", ...), or "?" for an unknown value. */
const char *tr_kind_name(int kind);

#endif

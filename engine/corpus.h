/*
** corpus.h — documents and corpora. A corpus owns its documents and the
** bytes of their texts (heap copies or read-only file mappings).
*/
#ifndef TRAWL_CORPUS_H
#define TRAWL_CORPUS_H

#include <stddef.h>
#include <stdint.h>

#include "segment.h"
#include "tokenize.h"

typedef struct tr_doc {
  char *id;           /* stable id: path below the corpus root without
                         extension, or the "id" field of a JSONL record */
  char *path;         /* file the document came from, "-" for stdin */
  char *title;        /* metadata, else first non-empty line; never NULL */
  char *date;         /* ISO 8601 date (YYYY-MM-DD, YYYY-MM or YYYY), or NULL */
  char *source;       /* publisher or origin, or NULL */
  char *author;       /* or NULL */
  char *meta;         /* other metadata as a JSON object text, or NULL */
  const char *text;   /* UTF-8, LF line ends, no BOM; not NUL-terminated
                         when it points into a file mapping */
  size_t len;         /* bytes of text */
  uint64_t hash;      /* XXH3-64 of text */
  uint64_t line;      /* line in path where the record starts (JSONL,
                         CoNLL-U), 0 for whole files */
  tr_tokens *given;   /* tokenization kept from the source, or NULL;
                         malloc'ed, owned (and freed) by the corpus */
  tr_spans *given_sents; /* sentences kept from the source, or NULL;
                         malloc'ed, owned by the corpus */
} tr_doc;

typedef struct tr_corpus tr_corpus; /* opaque */

tr_corpus *tr_corpus_new(void);
void tr_corpus_free(tr_corpus *c);

size_t tr_corpus_count(const tr_corpus *c);
tr_doc *tr_corpus_doc(const tr_corpus *c, size_t i); /* 0-based, or NULL */
/* The document with this exact id, or NULL. O(1) average. */
tr_doc *tr_corpus_find(const tr_corpus *c, const char *id);
/* The 0-based index of the document with this exact id, or SIZE_MAX. */
size_t tr_corpus_index(const tr_corpus *c, const char *id);
/* Total bytes of text. */
uint64_t tr_corpus_bytes(const tr_corpus *c);

/* Add a document. Strings are copied. text is copied too unless keep is
** non-zero, in which case the corpus takes ownership of the malloc'ed
** buffer `text` (even when the call fails). A copied text is
** NUL-terminated (not counted in len). A duplicate id is made unique by a
** "~2", "~3"... suffix; *renamed (if not NULL) is set to 1 when that
** happened. The title starts as tr_text_title(text) and the hash is
** computed here. Returns the new document or NULL on memory error. */
tr_doc *tr_corpus_add(tr_corpus *c, const char *id, const char *path,
                      const char *text, size_t len, int keep, int *renamed);

/* Add a document whose text points into memory the corpus already owns
** through tr_corpus_adopt_region (a file mapping). */
tr_doc *tr_corpus_add_view(tr_corpus *c, const char *id, const char *path,
                           const char *text, size_t len, int *renamed);

/* Hand a region to the corpus: freed (or unmapped when mapped != 0) when
** the corpus is freed. Returns 0 or -1 on memory error (region then freed). */
int tr_corpus_adopt_region(tr_corpus *c, void *addr, size_t len, int mapped);

/* Set a string field (title, date, source, author, meta) to a copy of v
** (NULL clears it; a cleared title becomes ""). Returns 0, or -1 on memory
** error or an unknown field name. Ids are not changed this way: the id
** table of tr_corpus_find relies on them. */
int tr_doc_set(tr_doc *d, const char *field, const char *v);

/* Sort documents by id (byte order) — the stable order of a corpus. */
void tr_corpus_sort(tr_corpus *c);

/* Analysis of one document: tokens (given or computed), sentences,
** paragraphs. Computed on demand; owned by the caller. */
typedef struct tr_analysis {
  tr_tokens toks;     /* all tokens */
  tr_spans sents;     /* sentences */
  tr_spans paras;     /* paragraphs */
} tr_analysis;

/* Fill a (already tr_analysis_init'ed) from d. Returns 0 or -1 (memory). */
int tr_analyze(const tr_doc *d, const tr_tok_opts *opts, tr_analysis *a);
void tr_analysis_init(tr_analysis *a);
void tr_analysis_free(tr_analysis *a);

#endif

/*
** load.h — reading documents into a corpus: directories, .txt/.md files,
** JSON Lines (file or stdin), CoNLL-U and one-token-per-line files.
** Bad input is reported through a diagnostic callback and never stops the
** load: the good documents always come through.
*/
#ifndef TRAWL_LOAD_H
#define TRAWL_LOAD_H

#include <stdint.h>
#include <stdio.h>

#include "corpus.h"

enum { TR_UTF8_REPAIR = 0, TR_UTF8_SKIP = 1 };   /* what to do with bad UTF-8 */
enum { TR_NOTE = 0, TR_WARN = 1, TR_ERROR = 2 };  /* diagnostic levels */

typedef struct tr_diag {
  int level;          /* TR_NOTE, TR_WARN or TR_ERROR */
  const char *path;   /* file concerned */
  uint64_t line;      /* 1-based line, or 0 when not applicable */
  uint64_t offset;    /* byte offset in the file, or UINT64_MAX */
  const char *msg;    /* what happened and what was done about it */
} tr_diag;

typedef void (*tr_diag_fn)(void *ud, const tr_diag *d);

typedef struct tr_load_opts {
  int bad_utf8;       /* TR_UTF8_REPAIR (default) or TR_UTF8_SKIP */
  tr_diag_fn diag;    /* receives every diagnostic; NULL: print to stderr */
  void *ud;           /* passed to diag */
} tr_load_opts;

typedef struct tr_load_stats {
  size_t files;       /* files read */
  size_t docs;        /* documents added */
  size_t skipped;     /* files or records skipped */
  size_t repaired;    /* documents whose text was repaired */
  size_t warnings;    /* diagnostics at TR_WARN or above */
} tr_load_stats;

/* Load a directory (recursively, in byte order of paths), a single file,
** or "-" for JSON Lines on stdin. In a directory, files named
** metadata.jsonl, README*, LICENSE* and hidden files and directories are
** not documents; metadata.jsonl gives per-file metadata (see docs). Returns
** 0 when the path could be read (even if some files were skipped), -1 when
** it could not (missing, unreadable: reported through diag). The corpus is
** sorted by id afterwards only for directories. st (may be NULL) is
** cleared, then counts what this call did. */
int tr_load_path(tr_corpus *c, const char *path, const tr_load_opts *o,
                 tr_load_stats *st);

/* Load JSON Lines from an open stream (stdin); name is used in messages. */
int tr_load_jsonl_stream(tr_corpus *c, FILE *f, const char *name,
                         const tr_load_opts *o, tr_load_stats *st);

/* Turn raw bytes into document text: drop a UTF-8 BOM, CRLF and CR to LF,
** invalid UTF-8 to U+FFFD. Returns NULL when nothing needed changing (use
** the input as it is), else a malloc'ed copy with its length in *outlen.
** *bad_at receives the byte offset of the first invalid sequence, or
** UINT64_MAX; *nbad the number of invalid sequences (each maximal ill-formed
** subpart counts once and becomes one U+FFFD). *oom is set to 1 on memory
** error. The copy is NUL-terminated (not counted in *outlen). */
char *tr_clean_text(const char *in, size_t len, size_t *outlen,
                    uint64_t *bad_at, size_t *nbad, int *oom);

/* Is s an ISO 8601 date as document metadata takes it: YYYY, YYYY-MM or
** YYYY-MM-DD, naming a real month and day (no 2021-02-29)? 1 or 0. */
int tr_date_valid(const char *s);

/* Bytes of the white space character at s (n bytes available): ASCII
** space, tab, LF, CR, VT, FF, and U+0085, U+00A0, U+1680, U+2000..U+200A,
** U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF; 0 when s does not start
** with one. */
size_t tr_space_len(const char *s, size_t n);

/* Find a publication date in the first lines of a text ("Sunday, December
** 27, 2020", "INSS Insight No. 1351, July 22, 2020", "25 June 2020",
** "2020-06-25"). Writes "YYYY-MM-DD" (NUL-terminated) into out and returns
** the byte offset of the line holding it, or -1 when none is found. */
long tr_header_date(const char *text, size_t len, char out[11]);

/* The title from the text: the first non-empty line that is not only a
** date, trimmed, at most 200 bytes (cut at a character boundary). Returns
** a malloc'ed string ("" for an empty text) or NULL on memory error. */
char *tr_text_title(const char *text, size_t len);

#endif

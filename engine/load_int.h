/*
** load_int.h — what the loader's files share: load.c (files, directories,
** metadata, diagnostics), load_jsonl.c and load_conll.c. Internal: not
** part of trawl's interface.
*/
#ifndef TRAWL_LOAD_INT_H
#define TRAWL_LOAD_INT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "load.h"

/* The state of one tr_load_* call. */
typedef struct tr_ld {
  tr_corpus *c;      /* where documents go */
  int bad_utf8;      /* TR_UTF8_REPAIR or TR_UTF8_SKIP */
  tr_diag_fn diag;   /* caller's callback, or NULL for stderr */
  void *ud;          /* its user data */
  tr_load_stats *st; /* counters (never NULL here) */
} tr_ld;

/* One line of a metadata.jsonl, keyed by the file it describes. */
typedef struct tr_meta_ent {
  char *file;      /* path relative to the loaded directory */
  json_t *obj;     /* the record, with unusable fields removed */
  const char *src; /* the metadata.jsonl it came from (for messages) */
  uint64_t line;   /* its line there */
  size_t seq;      /* order of appearance, so later lines win */
  int used;        /* a document file of that name exists */
} tr_meta_ent;

/* The bytes of one file. */
typedef struct tr_fdata {
  const char *p; /* the bytes (NULL when len is 0) */
  size_t len;    /* how many */
  void *map;     /* mapping to munmap, or NULL */
  char *heap;    /* heap buffer to free, or NULL */
} tr_fdata;

/* Text ready for a whole-file format. */
typedef struct tr_prepared {
  const char *text; /* the text: into the file data, or copy */
  size_t len;       /* its length */
  char *copy;       /* malloc'ed cleaned text, or NULL */
  int repaired;     /* invalid UTF-8 was replaced */
} tr_prepared;

/* Report a diagnostic (counted as a warning from TR_WARN up). */
void tr_ld_report(tr_ld *L, int level, const char *path, uint64_t line,
                  uint64_t off, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;
/* Report running out of memory, and count the file or record skipped. */
void tr_ld_oom(tr_ld *L, const char *path, uint64_t line);
/* "s" unless n is 1. */
const char *tr_ld_plural(uint64_t n);

/* Does the buffer start with a UTF-8 BOM? */
int tr_ld_has_bom(const char *p, size_t len);
/* Is the buffer only white space (Unicode spaces included)? */
int tr_ld_only_space(const char *p, size_t len);
/* Report (and count as skipped) a file holding a NUL byte: 1 if so. */
int tr_ld_is_binary(tr_ld *L, const char *path, const char *p, size_t len);
/* The checks of every whole-file format: empty, binary, BOM, UTF-8, line
** ends, only white space. 0 with *pr filled, or -1 when skipped. */
int tr_ld_prepare(tr_ld *L, const char *path, const tr_fdata *f,
                  tr_prepared *pr);

/* "a string", "a number"... for messages. */
const char *tr_ld_json_kind(const json_t *j);
/* Fill a new document's metadata from its record (JSONL, or NULL), its
** metadata.jsonl entry (or NULL) and its text. 0 or -1 (memory). */
int tr_ld_finish_doc(tr_ld *L, tr_doc *d, json_t *rec, const tr_meta_ent *fm);
/* Count a new document, and report its renaming if it was renamed. */
void tr_ld_added(tr_ld *L, tr_doc *d, const char *want, int renamed);

/* Called with each JSON object of a JSON Lines buffer. */
typedef void (*tr_json_line_fn)(tr_ld *L, const char *path, uint64_t line,
                                json_t *obj, int repaired, void *ud);
/* Parse a JSON Lines buffer line by line in place (load_jsonl.c). */
void tr_ld_each_json_line(tr_ld *L, const char *path, const char *p, size_t len,
                          tr_json_line_fn fn, void *ud);
/* Load a JSON Lines document file (load_jsonl.c). */
void tr_ld_jsonl(tr_ld *L, const char *path, const char *stem,
                 const tr_fdata *f, const tr_meta_ent *fm);
/* Load a CoNLL-U (conllu != 0) or one-token-per-line file (load_conll.c). */
void tr_ld_conll(tr_ld *L, const char *path, const char *stem,
                 const tr_fdata *f, const tr_meta_ent *fm, int conllu);

#endif

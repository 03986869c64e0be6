/*
** load.c — reading documents into a corpus: the directory walk, the
** formats (.txt/.md, JSON Lines, CoNLL-U, one token per line),
** metadata.jsonl, and the diagnostics that name every bad input.
**
** Files are mapped read-only (small ones are read into one buffer of
** their size). A text file that needs no cleaning becomes a document
** pointing into that mapping or buffer (no further copy); one that does is
** cleaned into a single copy. JSON Lines are parsed line by line in place.
** Nothing here ever stops a load: a bad file or record is reported and
** skipped (or repaired), and the rest comes through.
*/
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "load.h"

/* Document formats, chosen by file extension. */
enum { F_NONE, F_TEXT, F_JSONL, F_CONLLU, F_TOK };

enum {
  MAX_LINE_WARNINGS = 10, /* per file, for CoNLL line problems */
  /* Files from this size on are mapped; smaller ones are read into a heap
  ** buffer of their exact size. Both are one copy at most, but every
  ** mapping costs a page and one of the process's ~65,000 allowed maps
  ** (vm.max_map_count), which a corpus of many small files would use up,
  ** and with them the maps that malloc and SQLite need. */
  MAP_MIN = 64 * 1024
};

/* The state of one tr_load_* call. */
typedef struct ld {
  tr_corpus *c;        /* where documents go */
  int bad_utf8;        /* TR_UTF8_REPAIR or TR_UTF8_SKIP */
  tr_diag_fn diag;     /* caller's callback, or NULL for stderr */
  void *ud;            /* its user data */
  tr_load_stats *st;   /* counters (never NULL here) */
} ld;

/* One line of a metadata.jsonl, keyed by the file it describes. */
typedef struct meta_ent {
  char *file;          /* path relative to the loaded directory */
  json_t *obj;         /* the record, with unusable fields removed */
  const char *src;     /* the metadata.jsonl it came from (for messages) */
  uint64_t line;       /* its line there */
  size_t seq;          /* order of appearance, so later lines win */
  int used;            /* a document file of that name exists */
} meta_ent;

/* The bytes of one file. */
typedef struct fdata {
  const char *p;       /* the bytes (NULL when len is 0) */
  size_t len;          /* how many */
  void *map;           /* mapping to munmap, or NULL */
  char *heap;          /* heap buffer to free, or NULL */
} fdata;

/* ---------------------------------------------------------------- diagnostics */

static void report(ld *L, int level, const char *path, uint64_t line,
                   uint64_t off, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

static void report(ld *L, int level, const char *path, uint64_t line,
                   uint64_t off, const char *fmt, ...) {
  char small[512], *msg = small;
  va_list ap, aq;
  int n;
  va_start(ap, fmt);
  va_copy(aq, ap);
  n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  /* Messages quote ids and paths, which may be long: size it exactly. */
  if (n >= (int)sizeof small && (msg = malloc((size_t)n + 1)))
    vsnprintf(msg, (size_t)n + 1, fmt, aq);
  else if (n >= (int)sizeof small)
    msg = small; /* out of memory: the truncated message will do */
  va_end(aq);
  if (level >= TR_WARN)
    L->st->warnings++;
  if (L->diag) {
    tr_diag d = {level, path, line, off, msg};
    L->diag(L->ud, &d);
  } else if (line) {
    fprintf(stderr, "trawl: %s:%" PRIu64 ": %s\n", path, line, msg);
  } else {
    fprintf(stderr, "trawl: %s: %s\n", path, msg);
  }
  if (msg != small)
    free(msg);
}

static void report_oom(ld *L, const char *path, uint64_t line) {
  report(L, TR_ERROR, path, line, UINT64_MAX, "out of memory; skipped");
  L->st->skipped++;
}

static const char *plural(uint64_t n) { return n == 1 ? "" : "s"; }

/* ---------------------------------------------------------------- reading */

static void fdata_release(fdata *f) {
  if (f->map)
    munmap(f->map, f->len);
  free(f->heap);
  memset(f, 0, sizeof *f);
}

/* Read a stream to its end into one growing heap buffer (stdin, pipes,
** files that cannot be mapped). Returns 0, or an errno value. */
static int read_stream(FILE *fp, int fd, char **buf, size_t *len) {
  size_t cap = 1 << 16, n = 0;
  char *b = malloc(cap);
  if (!b)
    return ENOMEM;
  for (;;) {
    size_t got;
    if (n == cap) {
      char *nb = realloc(b, cap * 2);
      if (!nb) {
        free(b);
        return ENOMEM;
      }
      b = nb, cap *= 2;
    }
    if (fp) {
      got = fread(b + n, 1, cap - n, fp);
      if (got == 0) {
        if (ferror(fp)) {
          int e = errno ? errno : EIO;
          free(b);
          return e;
        }
        break;
      }
    } else {
      ssize_t r = read(fd, b + n, cap - n);
      if (r < 0) {
        int e = errno;
        if (e == EINTR)
          continue;
        free(b);
        return e;
      }
      if (r == 0)
        break;
      got = (size_t)r;
    }
    n += got;
  }
  *buf = b, *len = n;
  return 0;
}

/* Read a small regular file of size bytes into a buffer of that size
** (plus a NUL). A file that shrank meanwhile gives what it has. Returns 0
** or an errno value. */
static int read_small(int fd, size_t size, char **buf, size_t *len) {
  char *b = malloc(size + 1);
  size_t n = 0;
  if (!b)
    return ENOMEM;
  while (n < size) {
    ssize_t r = read(fd, b + n, size - n);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0) {
      int e = errno;
      free(b);
      return e;
    }
    if (r == 0)
      break;
    n += (size_t)r;
  }
  b[n] = '\0';
  *buf = b, *len = n;
  return 0;
}

/* Map (or read) a file. Reports and returns -1 when it cannot be read. */
static int read_file(ld *L, const char *path, fdata *f) {
  struct stat sb;
  int fd, e;
  memset(f, 0, sizeof *f);
  if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
    report(L, TR_ERROR, path, 0, UINT64_MAX, "cannot read: %s",
           strerror(errno));
    L->st->skipped++;
    return -1;
  }
  if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode)) {
    if (sb.st_size == 0) { /* nothing to map: mmap refuses length 0 */
      close(fd);
      L->st->files++;
      return 0;
    }
    if (sb.st_size < MAP_MIN) {
      e = read_small(fd, (size_t)sb.st_size, &f->heap, &f->len);
      close(fd);
      if (e) {
        report(L, TR_ERROR, path, 0, UINT64_MAX, "cannot read: %s",
               strerror(e));
        L->st->skipped++;
        return -1;
      }
      f->p = f->heap;
      L->st->files++;
      return 0;
    }
    if ((uint64_t)sb.st_size <= SIZE_MAX) {
      void *m = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
      if (m != MAP_FAILED) {
        close(fd);
        f->map = m, f->p = m, f->len = (size_t)sb.st_size;
        L->st->files++;
        return 0;
      }
    }
  }
  /* Not a regular file (a pipe, /dev/stdin), or mmap refused (out of
  ** maps, a file system without mmap): read it. */
  if ((e = read_stream(NULL, fd, &f->heap, &f->len))) {
    close(fd);
    report(L, TR_ERROR, path, 0, UINT64_MAX, "cannot read: %s", strerror(e));
    L->st->skipped++;
    return -1;
  }
  close(fd);
  f->p = f->heap;
  L->st->files++;
  return 0;
}

/* ---------------------------------------------------------------- checks */

static int has_bom(const char *p, size_t len) {
  return len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3);
}

static int only_space(const char *p, size_t len) {
  size_t i = 0, k;
  while (i < len && (k = tr_space_len(p + i, len - i)))
    i += k;
  return i == len;
}

/* A NUL byte means the file is not text: report it (UTF-16 by name, since
** that is the usual cause) and return 1. */
static int is_binary(ld *L, const char *path, const char *p, size_t len) {
  const char *z = len ? memchr(p, '\0', len) : NULL;
  if (!z)
    return 0;
  if (len >= 2 && (!memcmp(p, "\xFF\xFE", 2) || !memcmp(p, "\xFE\xFF", 2)))
    report(L, TR_WARN, path, 0, 0,
           "UTF-16 text is not supported (convert it to UTF-8); skipped");
  else
    report(L, TR_WARN, path, 0, (uint64_t)(z - p),
           "binary file (NUL byte at offset %" PRIu64 "), skipped",
           (uint64_t)(z - p));
  L->st->skipped++;
  return 1;
}

/* Text ready for a whole-file format. */
typedef struct prepared {
  const char *text;    /* the text: into the file data, or copy */
  size_t len;          /* its length */
  char *copy;          /* malloc'ed cleaned text, or NULL */
  int repaired;        /* invalid UTF-8 was replaced */
} prepared;

/* The checks every whole-file format shares: empty, binary, BOM, UTF-8,
** line ends, only white space. Returns 0 with *pr filled, or -1 when the
** file is skipped (reported and counted). */
static int prepare(ld *L, const char *path, const fdata *f, prepared *pr) {
  size_t base, outlen, nbad;
  uint64_t bad_at;
  int oom;
  memset(pr, 0, sizeof *pr);
  if (f->len == 0) {
    report(L, TR_WARN, path, 0, UINT64_MAX, "empty file, skipped");
    L->st->skipped++;
    return -1;
  }
  if (is_binary(L, path, f->p, f->len))
    return -1;
  /* Skipping the BOM here rather than in tr_clean_text keeps a file that
  ** only has a BOM to drop a zero-copy view. */
  base = has_bom(f->p, f->len) ? 3 : 0;
  pr->copy = tr_clean_text(f->p + base, f->len - base, &outlen, &bad_at,
                           &nbad, &oom);
  if (oom) {
    report_oom(L, path, 0);
    return -1;
  }
  if (nbad) {
    bad_at += base;
    if (L->bad_utf8 == TR_UTF8_SKIP) {
      report(L, TR_WARN, path, 0, bad_at,
             "invalid UTF-8 at byte %" PRIu64 " (%zu bad sequence%s), skipped",
             bad_at, nbad, plural(nbad));
      free(pr->copy);
      pr->copy = NULL;
      L->st->skipped++;
      return -1;
    }
    report(L, TR_WARN, path, 0, bad_at,
           "invalid UTF-8 at byte %" PRIu64
           " (%zu bad sequence%s), replaced with U+FFFD",
           bad_at, nbad, plural(nbad));
    pr->repaired = 1;
  }
  pr->text = pr->copy ? pr->copy : f->p + base;
  pr->len = pr->copy ? outlen : f->len - base;
  if (only_space(pr->text, pr->len)) {
    report(L, TR_WARN, path, 0, UINT64_MAX,
           pr->len ? "only white space, skipped" : "empty file, skipped");
    free(pr->copy);
    pr->copy = NULL;
    L->st->skipped++;
    return -1;
  }
  return 0;
}

/* ---------------------------------------------------------------- metadata */

static const char *const FIELDS[] = {"title", "date", "source", "author"};
enum { NFIELDS = 4 };

static int is_field(const char *k) {
  for (int i = 0; i < NFIELDS; i++)
    if (!strcmp(k, FIELDS[i]))
      return 1;
  return 0;
}

static const char *json_kind(const json_t *j) {
  switch (json_typeof(j)) {
  case JSON_OBJECT: return "an object";
  case JSON_ARRAY: return "an array";
  case JSON_STRING: return "a string";
  case JSON_INTEGER: case JSON_REAL: return "a number";
  case JSON_TRUE: case JSON_FALSE: return "a boolean";
  default: return "null";
  }
}

/* Is field k of obj usable: a string, and for "date" an ISO date? Warns
** (naming path:line) when it is present but not usable. */
static const char *usable_field(ld *L, const char *path, uint64_t line,
                                json_t *obj, const char *k) {
  json_t *j = obj ? json_object_get(obj, k) : NULL;
  const char *v;
  if (!j)
    return NULL;
  if (!json_is_string(j)) {
    report(L, TR_WARN, path, line, UINT64_MAX,
           "field \"%s\" is %s, not a string; ignored", k, json_kind(j));
    return NULL;
  }
  v = json_string_value(j);
  if (!*v)
    return NULL; /* "" says nothing: let the next source speak */
  if (!strcmp(k, "date") && !tr_date_valid(v)) {
    report(L, TR_WARN, path, line, UINT64_MAX,
           "date \"%s\" is not an ISO 8601 date (YYYY, YYYY-MM or "
           "YYYY-MM-DD); ignored",
           v);
    return NULL;
  }
  return v;
}

/* Fill a new document's metadata: each field from its own record (JSONL),
** else from metadata.jsonl, else (title, date) from the text. Fields that
** are not title/date/source/author go to d->meta as one JSON object. */
static int finish_doc(ld *L, tr_doc *d, json_t *rec, const meta_ent *fm) {
  json_t *m;
  const char *k;
  json_t *v;
  int rc = 0;
  for (int i = 0; i < NFIELDS; i++) {
    const char *val = usable_field(L, d->path, d->line, rec, FIELDS[i]);
    if (!val && fm) /* checked when metadata.jsonl was read */
      val = json_string_value(json_object_get(fm->obj, FIELDS[i]));
    if (val && tr_doc_set(d, FIELDS[i], val))
      return -1;
  }
  if (!d->date) {
    char date[11];
    if (tr_header_date(d->text, d->len, date) >= 0 &&
        tr_doc_set(d, "date", date))
      return -1;
  }
  if (!(m = json_object()))
    return -1;
  if (fm)
    json_object_foreach(fm->obj, k, v) {
      if (strcmp(k, "file") && !is_field(k))
        rc |= json_object_set(m, k, v);
    }
  if (rec)
    json_object_foreach(rec, k, v) {
      if (strcmp(k, "id") && strcmp(k, "text") && !is_field(k))
        rc |= json_object_set(m, k, v); /* the record's own value wins */
    }
  if (!rc && json_object_size(m)) {
    char *s = json_dumps(m, JSON_COMPACT);
    rc = !s || tr_doc_set(d, "meta", s);
    free(s);
  }
  json_decref(m);
  return rc ? -1 : 0;
}

/* Count and report a new document (and its renaming, if any). */
static void added(ld *L, tr_doc *d, const char *want, int renamed) {
  L->st->docs++;
  if (renamed)
    report(L, TR_WARN, d->path, d->line, UINT64_MAX,
           "duplicate id \"%s\": renamed to \"%s\"", want, d->id);
}

/* ---------------------------------------------------------------- JSON Lines */

/* Called with each JSON object of a JSON Lines buffer. */
typedef void (*json_line_fn)(ld *L, const char *path, uint64_t line,
                             json_t *obj, int repaired, void *ud);

/* Split a JSON Lines buffer into lines and parse each in place. Blank
** lines are skipped; a bad line is reported with its number (and the
** column jansson gives) and the others still load. */
static void each_json_line(ld *L, const char *path, const char *p,
                           size_t len, json_line_fn fn, void *ud) {
  size_t pos = has_bom(p, len) ? 3 : 0;
  uint64_t line = 0;
  if (len == 0 || only_space(p + pos, len - pos)) {
    report(L, TR_WARN, path, 0, UINT64_MAX,
           len ? "only white space, skipped" : "empty file, skipped");
    L->st->skipped++;
    return;
  }
  while (pos < len) {
    const char *ls = p + pos, *nl = memchr(ls, '\n', len - pos);
    size_t ll = nl ? (size_t)(nl - ls) : len - pos;
    size_t start = pos, n = ll, outlen, nbad;
    uint64_t bad_at;
    int oom, repaired = 0;
    char *copy;
    json_t *obj;
    json_error_t err;

    line++;
    pos += ll + 1;
    if (n && ls[n - 1] == '\r') /* CRLF files */
      n--;
    if (only_space(ls, n))
      continue;
    /* A valid line is parsed where it lies; only a line with invalid
    ** UTF-8 (or a stray CR) is copied to be repaired. */
    copy = tr_clean_text(ls, n, &outlen, &bad_at, &nbad, &oom);
    if (oom) {
      report_oom(L, path, line);
      continue;
    }
    if (nbad) {
      uint64_t off = start + bad_at;
      if (L->bad_utf8 == TR_UTF8_SKIP) {
        report(L, TR_WARN, path, line, off,
               "invalid UTF-8 at byte %" PRIu64
               " (%zu bad sequence%s), record skipped",
               off, nbad, plural(nbad));
        free(copy);
        L->st->skipped++;
        continue;
      }
      report(L, TR_WARN, path, line, off,
             "invalid UTF-8 at byte %" PRIu64
             " (%zu bad sequence%s), replaced with U+FFFD",
             off, nbad, plural(nbad));
      repaired = 1;
    }
    /* JSON_DECODE_ANY: a line holding a string or number parses, and is
    ** then refused with a plainer message than jansson's. No
    ** JSON_ALLOW_NUL: a "\u0000" would cut every C string made from the
    ** record, so such a record is refused (and named) instead. */
    obj = json_loadb(copy ? copy : ls, copy ? outlen : n, JSON_DECODE_ANY,
                     &err);
    free(copy);
    if (!obj) {
      report(L, TR_WARN, path, line, start + (uint64_t)err.position,
             "invalid JSON at column %d: %s; record skipped", err.column,
             err.text);
      L->st->skipped++;
      continue;
    }
    if (!json_is_object(obj)) {
      report(L, TR_WARN, path, line, start,
             "expected a JSON object, found %s; record skipped",
             json_kind(obj));
      L->st->skipped++;
    } else {
      fn(L, path, line, obj, repaired, ud);
    }
    json_decref(obj);
  }
}

/* Context of a JSON Lines document file. */
typedef struct jsonl_ctx {
  const char *stem;        /* for ids of records without one */
  const meta_ent *fm;      /* metadata.jsonl entry for the file, or NULL */
} jsonl_ctx;

static void jsonl_doc(ld *L, const char *path, uint64_t line, json_t *obj,
                      int repaired, void *ud) {
  const jsonl_ctx *x = ud;
  json_t *jt = json_object_get(obj, "text"), *jid = json_object_get(obj, "id");
  char defid[64 + 32], numid[32], *clean;
  const char *id = NULL, *text;
  size_t tlen, outlen, nbad;
  uint64_t bad_at;
  int oom, renamed;
  tr_doc *d;

  if (!jt) {
    report(L, TR_WARN, path, line, UINT64_MAX,
           "no \"text\" field; record skipped");
    L->st->skipped++;
    return;
  }
  if (!json_is_string(jt)) {
    report(L, TR_WARN, path, line, UINT64_MAX,
           "\"text\" is %s, not a string; record skipped", json_kind(jt));
    L->st->skipped++;
    return;
  }
  text = json_string_value(jt);
  tlen = json_string_length(jt);
  /* The text may hold escaped CRs or a BOM: clean it like a file. */
  clean = tr_clean_text(text, tlen, &outlen, &bad_at, &nbad, &oom);
  if (oom) {
    report_oom(L, path, line);
    return;
  }
  if (clean)
    text = clean, tlen = outlen;
  if (only_space(text, tlen)) {
    report(L, TR_WARN, path, line, UINT64_MAX,
           "empty \"text\"; record skipped");
    free(clean);
    L->st->skipped++;
    return;
  }
  if (json_is_string(jid) && *json_string_value(jid)) {
    id = json_string_value(jid);
  } else if (json_is_integer(jid)) {
    snprintf(numid, sizeof numid, "%" JSON_INTEGER_FORMAT,
             json_integer_value(jid));
    id = numid;
  }
  if (!id) {
    /* the stem may be long: the id is built on the heap if need be */
    size_t need = strlen(x->stem) + 32;
    char *heapid = need > sizeof defid ? malloc(need) : NULL;
    char *b = heapid ? heapid : defid;
    snprintf(b, heapid ? need : sizeof defid, "%s:%" PRIu64, x->stem, line);
    if (jid)
      report(L, TR_WARN, path, line, UINT64_MAX,
             "field \"id\" is %s; using \"%s\"",
             json_is_string(jid) ? "empty" : json_kind(jid), b);
    d = clean ? tr_corpus_add(L->c, b, path, clean, tlen, 1, &renamed)
              : tr_corpus_add(L->c, b, path, text, tlen, 0, &renamed);
    if (d)
      d->line = line, added(L, d, b, renamed);
    free(heapid);
  } else {
    d = clean ? tr_corpus_add(L->c, id, path, clean, tlen, 1, &renamed)
              : tr_corpus_add(L->c, id, path, text, tlen, 0, &renamed);
    if (d)
      d->line = line, added(L, d, id, renamed);
  }
  if (!d) {
    report_oom(L, path, line);
    return;
  }
  if (finish_doc(L, d, obj, x->fm))
    report(L, TR_ERROR, path, line, UINT64_MAX,
           "out of memory; metadata incomplete");
  if (repaired)
    L->st->repaired++;
}

static void load_jsonl(ld *L, const char *path, const char *stem,
                       const fdata *f, const meta_ent *fm) {
  jsonl_ctx x = {stem, fm};
  if (is_binary(L, path, f->p, f->len))
    return;
  each_json_line(L, path, f->p, f->len, jsonl_doc, &x);
}

/* ---------------------------------------------------------------- CoNLL */

/* A token's place in the rebuilt text. */
typedef struct tokpos {
  uint64_t start;      /* byte offset in the text */
  uint32_t len;        /* bytes */
} tokpos;

/* Builds documents from CoNLL-U or one-token-per-line files. */
typedef struct builder {
  ld *L;
  const char *path;    /* the file */
  const char *stem;    /* for ids "<stem>:<n>" */
  const meta_ent *fm;  /* metadata.jsonl entry for the file, or NULL */
  int multi;           /* the file has document markers: ids get ":<n>" */
  int repaired;        /* the file's UTF-8 was repaired */
  int bad_lines;       /* malformed lines reported so far */
  char *text;          /* the document being rebuilt */
  size_t n, cap;       /* its length and allocated size */
  tokpos *toks;        /* its tokens */
  size_t nt, capt;     /* used and allocated entries */
  tr_spans sents;      /* its sentences */
  int in_sent;         /* a sentence is open */
  size_t sent_first;   /* index of the open sentence's first token */
  int space_after;     /* the last token is followed by a space */
  int para_break;      /* a "# newpar" came: next sentence opens a paragraph */
  long skip_to;        /* CoNLL-U words up to this ID are in a multiword */
  char *doc_id;        /* from "# newdoc id = X", or NULL */
  int explicit_doc;    /* the document was opened by a marker */
  unsigned long docno; /* number of the document in the file (1-based) */
  uint64_t doc_line;   /* line where the document starts */
  int oom;             /* memory ran out: stop */
} builder;

static int b_put(builder *b, const char *s, size_t n) {
  if (b->n + n + 1 > b->cap) { /* +1: documents are NUL-terminated */
    size_t nc = b->cap ? b->cap : 4096;
    char *t;
    while (nc < b->n + n + 1)
      nc *= 2;
    if (!(t = realloc(b->text, nc)))
      return b->oom = 1, -1;
    b->text = t, b->cap = nc;
  }
  memcpy(b->text + b->n, s, n);
  b->n += n;
  return 0;
}

static void b_end_sentence(builder *b) {
  if (b->in_sent) {
    const tokpos *last = &b->toks[b->nt - 1];
    if (tr_spans_push(&b->sents, b->toks[b->sent_first].start,
                      last->start + last->len, (uint32_t)b->sent_first,
                      (uint32_t)(b->nt - b->sent_first)))
      b->oom = 1;
  }
  b->in_sent = 0;
  b->skip_to = 0;
}

static void b_token(builder *b, const char *form, size_t len, int space_after,
                    uint64_t line) {
  if (b->oom)
    return;
  if (len > UINT32_MAX) {
    report(b->L, TR_WARN, b->path, line, UINT64_MAX,
           "token longer than 4 GiB; ignored");
    return;
  }
  if (b->nt == 0 && b->docno == 0) { /* text before any marker: document 1 */
    b->docno = 1;
    b->doc_line = line;
  }
  if (!b->in_sent) {
    if (b->n && b_put(b, b->para_break ? "\n\n" : "\n", b->para_break ? 2 : 1))
      return;
    b->para_break = 0;
    b->in_sent = 1;
    b->sent_first = b->nt;
  } else if (b->space_after && b_put(b, " ", 1)) {
    return;
  }
  if (b->nt == b->capt) {
    size_t nc = b->capt ? b->capt * 2 : 256;
    tokpos *v = realloc(b->toks, nc * sizeof *v);
    if (!v) {
      b->oom = 1;
      return;
    }
    b->toks = v, b->capt = nc;
  }
  b->toks[b->nt++] = (tokpos){b->n, (uint32_t)len};
  b_put(b, form, len);
  b->space_after = space_after;
}

/* Close the document being built: add it with its given tokenization. */
static void b_end_doc(builder *b) {
  ld *L = b->L;
  char small[96], *id = b->doc_id, *made = NULL;
  tr_doc *d;
  int renamed;

  b_end_sentence(b);
  if (b->oom)
    goto reset;
  if (b->nt == 0) {
    if (b->explicit_doc) {
      report(L, TR_WARN, b->path, b->doc_line, UINT64_MAX,
             "document %s%s%s has no tokens; skipped", id ? "\"" : "",
             id ? id : "", id ? "\"" : "");
      L->st->skipped++;
    }
    goto reset;
  }
  if (!id) {
    size_t need = strlen(b->stem) + 32;
    id = made = need > sizeof small ? malloc(need) : small;
    if (!id) {
      b->oom = 1;
      goto reset;
    }
    if (b->multi)
      snprintf(id, need, "%s:%lu", b->stem, b->docno);
    else
      snprintf(id, need, "%s", b->stem);
  }
  b->text[b->n] = '\0';
  d = tr_corpus_add(L->c, id, b->path, b->text, b->n, 1, &renamed);
  b->text = NULL, b->n = b->cap = 0; /* the corpus has it now */
  if (!d) {
    b->oom = 1;
    goto reset;
  }
  d->line = b->doc_line;
  added(L, d, id, renamed);
  /* The given tokenization, kept exactly: the tokenizer only classifies
  ** and normalises each token, it never moves a boundary. */
  if (!(d->given = malloc(sizeof *d->given))) {
    b->oom = 1;
    goto reset;
  }
  tr_tokens_init(d->given);
  if (!(d->given_sents = malloc(sizeof *d->given_sents))) {
    b->oom = 1;
    goto reset;
  }
  *d->given_sents = b->sents; /* moved: the builder starts a new list */
  tr_spans_init(&b->sents);
  for (size_t i = 0; i < b->nt; i++)
    if (tr_tokens_add(d->given, d->text, b->toks[i].start, b->toks[i].len,
                      NULL)) {
      b->oom = 1;
      goto reset;
    }
  if (finish_doc(L, d, NULL, b->fm))
    b->oom = 1;
  if (b->repaired)
    L->st->repaired++;
reset:
  if (made != small)
    free(made);
  free(b->text);
  b->text = NULL, b->n = b->cap = 0;
  b->nt = 0;
  tr_spans_free(&b->sents);
  tr_spans_init(&b->sents);
  free(b->doc_id);
  b->doc_id = NULL;
  b->explicit_doc = 0;
  b->in_sent = 0;
  b->para_break = 0;
  b->space_after = 0;
}

/* A document marker: close the current document and open the next. */
static void b_new_doc(builder *b, const char *id, size_t idlen,
                      uint64_t line) {
  b_end_doc(b);
  b->docno++;
  b->explicit_doc = 1;
  b->doc_line = line;
  if (idlen && !(b->doc_id = strndup(id, idlen)))
    b->oom = 1;
}

static void b_bad_line(builder *b, uint64_t line, const char *what) {
  if (b->bad_lines < MAX_LINE_WARNINGS)
    report(b->L, TR_WARN, b->path, line, UINT64_MAX, "%s; line ignored",
           what);
  else if (b->bad_lines == MAX_LINE_WARNINGS)
    report(b->L, TR_NOTE, b->path, line, UINT64_MAX,
           "more malformed lines follow; not reported one by one");
  b->bad_lines++;
}

static int is_blank_line(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] != ' ' && s[i] != '\t')
      return 0;
  return 1;
}

/* Value of a "key = value" comment ("# newdoc id = X"): trimmed. */
static const char *comment_value(const char *s, size_t n, const char *key,
                                 size_t *vlen) {
  size_t kl = strlen(key), i = 0;
  while (i < n && (s[i] == ' ' || s[i] == '\t'))
    i++;
  if (i + kl > n || memcmp(s + i, key, kl))
    return NULL;
  i += kl;
  while (i < n && (s[i] == ' ' || s[i] == '\t'))
    i++;
  if (i >= n || s[i] != '=')
    return NULL;
  i++;
  while (i < n && (s[i] == ' ' || s[i] == '\t'))
    i++;
  while (n > i && (s[n - 1] == ' ' || s[n - 1] == '\t'))
    n--;
  *vlen = n - i;
  return s + i;
}

/* Is word w (followed by the end, a space or '=') at s after spaces? */
static size_t keyword(const char *s, size_t n, const char *w) {
  size_t i = 0, wl = strlen(w);
  while (i < n && (s[i] == ' ' || s[i] == '\t'))
    i++;
  if (i + wl > n || memcmp(s + i, w, wl))
    return 0;
  i += wl;
  if (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '=')
    return 0;
  return i;
}

/* Does the file have a document marker line ("# newdoc" in CoNLL-U,
** "-DOCSTART-" otherwise)? Decides between ids "<stem>" and "<stem>:<n>". */
static int has_marker(const char *p, size_t len, int conllu) {
  size_t pos = 0;
  while (pos < len) {
    const char *ls = p + pos, *nl = memchr(ls, '\n', len - pos);
    size_t ll = nl ? (size_t)(nl - ls) : len - pos, i = 0;
    if (conllu) {
      if (ll && ls[0] == '#' && keyword(ls + 1, ll - 1, "newdoc"))
        return 1;
    } else {
      while (i < ll && (ls[i] == ' ' || ls[i] == '\t'))
        i++;
      if (i + 10 <= ll && !memcmp(ls + i, "-DOCSTART-", 10))
        return 1;
    }
    pos += ll + 1;
  }
  return 0;
}

/* CoNLL-U ID: 1 for a word (number in *a), 2 for a multiword range a-b,
** 3 for an empty node a.b, 0 when malformed. */
static int conllu_id(const char *s, size_t n, long *a, long *b) {
  size_t i = 0;
  long x = 0, y = 0;
  char sep;
  while (i < n && s[i] >= '0' && s[i] <= '9' && x < 100000000)
    x = x * 10 + (s[i++] - '0');
  if (i == 0)
    return 0;
  if (i == n)
    return *a = x, 1;
  sep = s[i++];
  if ((sep != '-' && sep != '.') || i == n)
    return 0;
  for (; i < n; i++) {
    if (s[i] < '0' || s[i] > '9' || y >= 100000000)
      return 0;
    y = y * 10 + (s[i] - '0');
  }
  *a = x, *b = y;
  return sep == '-' ? 2 : 3;
}

/* Does a MISC column hold SpaceAfter=No? */
static int misc_no_space(const char *s, size_t n) {
  static const char k[] = "SpaceAfter=No";
  size_t i = 0;
  while (i < n) {
    const char *bar = memchr(s + i, '|', n - i);
    size_t e = bar ? (size_t)(bar - s) : n;
    if (e - i == sizeof k - 1 && !memcmp(s + i, k, sizeof k - 1))
      return 1;
    i = e + 1;
  }
  return 0;
}

static void conllu_line(builder *b, const char *s, size_t n, uint64_t line) {
  const char *col[10];
  size_t clen[10], nc = 0, i = 0;
  long a = 0, z = 0;
  int kind;
  if (n && s[0] == '#') {
    size_t k, vl;
    const char *v;
    if ((k = keyword(s + 1, n - 1, "newdoc"))) {
      v = comment_value(s + 1, n - 1, "newdoc id", &vl);
      b_new_doc(b, v, v ? vl : 0, line);
    } else if (keyword(s + 1, n - 1, "newpar")) {
      b_end_sentence(b);
      b->para_break = 1;
    }
    return; /* other comments (sent_id, text, ...) carry nothing we need */
  }
  if (is_blank_line(s, n)) {
    b_end_sentence(b);
    return;
  }
  while (nc < 10) { /* split at tabs */
    const char *t = memchr(s + i, '\t', n - i);
    size_t e = t ? (size_t)(t - s) : n;
    col[nc] = s + i, clen[nc++] = e - i;
    if (!t)
      break;
    i = e + 1;
  }
  if (nc < 2 || !clen[1]) {
    b_bad_line(b, line, "not a CoNLL-U token line (ID<tab>FORM<tab>...)");
    return;
  }
  kind = conllu_id(col[0], clen[0], &a, &z);
  if (!kind) {
    b_bad_line(b, line, "malformed CoNLL-U ID");
    return;
  }
  if (kind == 3) /* empty node: not in the surface text */
    return;
  if (kind == 1 && a <= b->skip_to) /* a word inside a multiword token */
    return;
  if (kind == 2)
    b->skip_to = z;
  b_token(b, col[1], clen[1], !(nc == 10 && misc_no_space(col[9], clen[9])),
          line);
}

static void tok_line(builder *b, const char *s, size_t n, uint64_t line) {
  size_t i = 0, e;
  while (i < n && (s[i] == ' ' || s[i] == '\t'))
    i++;
  if (i == n) {
    b_end_sentence(b);
    return;
  }
  for (e = i; e < n && s[e] != ' ' && s[e] != '\t';)
    e++;
  if (e - i >= 10 && !memcmp(s + i, "-DOCSTART-", 10)) {
    b_new_doc(b, NULL, 0, line);
    return;
  }
  b_token(b, s + i, e - i, 1, line);
}

/* Load a CoNLL-U (conllu != 0) or one-token-per-line file. */
static void load_conll(ld *L, const char *path, const char *stem,
                       const fdata *f, const meta_ent *fm, int conllu) {
  prepared pr;
  builder b;
  size_t pos = 0;
  uint64_t line = 0;
  if (prepare(L, path, f, &pr))
    return;
  memset(&b, 0, sizeof b);
  b.L = L, b.path = path, b.stem = stem, b.fm = fm;
  b.repaired = pr.repaired;
  tr_spans_init(&b.sents);
  b.multi = has_marker(pr.text, pr.len, conllu);
  while (pos < pr.len && !b.oom) {
    const char *ls = pr.text + pos, *nl = memchr(ls, '\n', pr.len - pos);
    size_t ll = nl ? (size_t)(nl - ls) : pr.len - pos;
    line++;
    pos += ll + 1;
    if (conllu)
      conllu_line(&b, ls, ll, line);
    else
      tok_line(&b, ls, ll, line);
  }
  if (!b.oom)
    b_end_doc(&b);
  if (b.oom)
    report_oom(L, path, line);
  free(b.text);
  free(b.toks);
  free(b.doc_id);
  tr_spans_free(&b.sents);
  free(pr.copy);
}

/* ---------------------------------------------------------------- text */

static void load_text(ld *L, const char *path, const char *id, fdata *f,
                      const meta_ent *fm) {
  prepared pr;
  tr_doc *d;
  int renamed;
  if (prepare(L, path, f, &pr))
    return;
  if (pr.copy) {
    d = tr_corpus_add(L->c, id, path, pr.copy, pr.len, 1, &renamed);
  } else {
    /* Clean: the document points into the file's bytes (its mapping, or
    ** the buffer it was read into), which the corpus keeps: no copy. */
    int rc = f->map ? tr_corpus_adopt_region(L->c, f->map, f->len, 1)
                    : tr_corpus_adopt_region(L->c, f->heap, f->len, 0);
    f->map = NULL, f->heap = NULL; /* adopted, or freed on failure */
    d = rc ? NULL
           : tr_corpus_add_view(L->c, id, path, pr.text, pr.len, &renamed);
  }
  if (!d) {
    report_oom(L, path, 0);
    return;
  }
  added(L, d, id, renamed);
  if (finish_doc(L, d, NULL, fm))
    report(L, TR_ERROR, path, 0, UINT64_MAX,
           "out of memory; metadata incomplete");
  if (pr.repaired)
    L->st->repaired++;
}

/* ---------------------------------------------------------------- files */

/* Format of a file name by extension, F_NONE when it is not one of ours. */
static int format_of(const char *name) {
  const char *dot = strrchr(name, '.');
  if (!dot || dot == name || strchr(dot, '/'))
    return F_NONE;
  if (!strcasecmp(dot, ".txt") || !strcasecmp(dot, ".md"))
    return F_TEXT;
  if (!strcasecmp(dot, ".jsonl"))
    return F_JSONL;
  if (!strcasecmp(dot, ".conllu"))
    return F_CONLLU;
  if (!strcasecmp(dot, ".conll") || !strcasecmp(dot, ".tok"))
    return F_TOK;
  return F_NONE;
}

/* s without its last extension (the dot must follow the last '/' and not
** start a name). Malloc'ed. */
static char *strip_ext(const char *s) {
  const char *slash = strrchr(s, '/'), *base = slash ? slash + 1 : s;
  const char *dot = strrchr(base, '.');
  size_t n = dot && dot != base ? (size_t)(dot - s) : strlen(s);
  return strndup(s, n);
}

/* Read one file and load it in its format. -1 when it cannot be read. */
static int load_file(ld *L, const char *path, const char *stem, int fmt,
                     const meta_ent *fm) {
  fdata f;
  if (read_file(L, path, &f))
    return -1;
  switch (fmt) {
  case F_JSONL: load_jsonl(L, path, stem, &f, fm); break;
  case F_CONLLU: load_conll(L, path, stem, &f, fm, 1); break;
  case F_TOK: load_conll(L, path, stem, &f, fm, 0); break;
  default: load_text(L, path, stem, &f, fm); break;
  }
  fdata_release(&f);
  return 0;
}

/* ---------------------------------------------------------------- directories */

/* A document file found by the walk. */
typedef struct fent {
  char *rel;           /* path relative to the root, '/' separated */
  int fmt;             /* F_* */
} fent;

/* A directory already walked (symlinks may lead back to it). */
typedef struct seen_dir {
  dev_t dev;           /* device */
  ino_t ino;           /* inode */
  char *rel;           /* where it was first met ("" for the root) */
} seen_dir;

typedef struct walk {
  ld *L;
  const char *root;    /* the directory as given */
  fent *files;         /* document files */
  size_t nf, capf;
  char **metas;        /* metadata.jsonl files, relative */
  size_t nm, capm;
  seen_dir *seen;      /* directories walked */
  size_t ns, caps;
  meta_ent *ents;      /* metadata lines, sorted by file */
  size_t ne, cape;
  int oom;             /* memory ran out */
} walk;

/* Room for entry n of an array v of *cap entries: v itself, or a larger
** copy (*cap updated), or NULL on memory error (v is then unchanged). */
static void *grow(void *v, size_t *cap, size_t n, size_t size) {
  size_t nc;
  void *nv;
  if (n < *cap)
    return v;
  nc = *cap ? *cap * 2 : 32;
  if (!(nv = realloc(v, nc * size)))
    return NULL;
  *cap = nc;
  return nv;
}

/* root + "/" + rel, without doubling a '/'. Malloc'ed. */
static char *join(const char *root, const char *rel) {
  size_t a = strlen(root), b = strlen(rel);
  char *r;
  int slash = a && root[a - 1] == '/';
  if (!b)
    return strdup(root);
  if (!(r = malloc(a + b + 2)))
    return NULL;
  memcpy(r, root, a);
  if (!slash)
    r[a++] = '/';
  memcpy(r + a, rel, b + 1);
  return r;
}

static int not_a_document_name(const char *name) {
  return !strcasecmp(name, "metadata.jsonl") ||
         !strncasecmp(name, "README", 6) || !strncasecmp(name, "LICENSE", 7) ||
         !strncasecmp(name, "LICENCE", 7);
}

static void walk_dir(walk *W, const char *rel);

/* One entry of a directory. */
static void walk_entry(walk *W, const char *rel, const char *name) {
  ld *L = W->L;
  char *r = *rel ? join(rel, name) : strdup(name), *full;
  void *v;
  struct stat sb;
  if (!r || !(full = join(W->root, r))) {
    free(r);
    W->oom = 1;
    return;
  }
  if (stat(full, &sb) != 0) {
    struct stat lb;
    int e = errno;
    if (lstat(full, &lb) == 0 && S_ISLNK(lb.st_mode))
      report(L, TR_WARN, full, 0, UINT64_MAX,
             "broken symbolic link; ignored");
    else
      report(L, TR_ERROR, full, 0, UINT64_MAX, "cannot read: %s",
             strerror(e));
  } else if (S_ISDIR(sb.st_mode)) {
    size_t i;
    for (i = 0; i < W->ns; i++)
      if (W->seen[i].dev == sb.st_dev && W->seen[i].ino == sb.st_ino)
        break;
    if (i < W->ns) {
      /* Met before: a loop when it is an ancestor of where we are. */
      size_t k = strlen(W->seen[i].rel);
      int loop = !k || (!strncmp(r, W->seen[i].rel, k) && r[k] == '/');
      if (loop)
        report(L, TR_WARN, full, 0, UINT64_MAX,
               "symbolic link loop (back to \"%s\"); not followed",
               k ? W->seen[i].rel : W->root);
      else
        report(L, TR_NOTE, full, 0, UINT64_MAX,
               "same directory as \"%s\"; not read twice", W->seen[i].rel);
    } else if (!(v = grow(W->seen, &W->caps, W->ns, sizeof *W->seen))) {
      W->oom = 1;
    } else {
      W->seen = v;
      W->seen[W->ns++] = (seen_dir){sb.st_dev, sb.st_ino, r};
      r = NULL; /* owned by seen */
      walk_dir(W, W->seen[W->ns - 1].rel);
    }
  } else if (!S_ISREG(sb.st_mode)) {
    report(L, TR_NOTE, full, 0, UINT64_MAX, "not a regular file; ignored");
  } else if (!strcmp(name, "metadata.jsonl")) {
    if (!(v = grow(W->metas, &W->capm, W->nm, sizeof *W->metas)))
      W->oom = 1;
    else
      W->metas = v, W->metas[W->nm++] = r, r = NULL;
  } else if (not_a_document_name(name)) {
    /* README, LICENSE: part of the corpus's packaging, not of its text */
  } else {
    int fmt = format_of(name);
    if (fmt == F_NONE) {
      const char *dot = strrchr(name, '.');
      if (dot && dot != name)
        report(L, TR_NOTE, full, 0, UINT64_MAX,
               "not a document (unknown extension \"%s\"); ignored", dot);
      else
        report(L, TR_NOTE, full, 0, UINT64_MAX,
               "not a document (no extension); ignored");
    } else if (!(v = grow(W->files, &W->capf, W->nf, sizeof *W->files))) {
      W->oom = 1;
    } else {
      W->files = v;
      W->files[W->nf++] = (fent){r, fmt};
      r = NULL;
    }
  }
  free(r);
  free(full);
}

static int by_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk_dir(walk *W, const char *rel) {
  char *full = join(W->root, rel), **names = NULL;
  size_t n = 0, cap = 0;
  DIR *dir;
  struct dirent *e;
  if (!full) {
    W->oom = 1;
    return;
  }
  if (!(dir = opendir(full))) {
    report(W->L, TR_ERROR, full, 0, UINT64_MAX, "cannot read directory: %s",
           strerror(errno));
    free(full);
    return;
  }
  while (!W->oom && (e = readdir(dir))) {
    void *v;
    char *name;
    if (e->d_name[0] == '.') /* ".", "..", and hidden: .trawl/, .git/ */
      continue;
    if (!(v = grow(names, &cap, n, sizeof *names)) ||
        !(name = strdup(e->d_name))) {
      if (v)
        names = v;
      W->oom = 1;
      break;
    }
    names = v;
    names[n++] = name;
  }
  closedir(dir);
  /* readdir's order is the file system's whim: walk in name order, so that
  ** which of two links to one directory is followed (and named in ids) is
  ** always the same. */
  if (n)
    qsort(names, n, sizeof *names, by_str);
  for (size_t i = 0; i < n; i++) {
    if (!W->oom)
      walk_entry(W, rel, names[i]);
    free(names[i]);
  }
  free(names);
  free(full);
}

static int by_rel(const void *a, const void *b) {
  return strcmp(((const fent *)a)->rel, ((const fent *)b)->rel);
}

static int by_file(const void *a, const void *b) {
  const meta_ent *x = a, *y = b;
  int c = strcmp(x->file, y->file);
  return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

/* Context while reading one metadata.jsonl. */
typedef struct meta_ctx {
  walk *W;
  const char *dir;     /* its directory relative to the root ("" or "sub/") */
} meta_ctx;

static void meta_line(ld *L, const char *path, uint64_t line, json_t *obj,
                      int repaired, void *ud) {
  meta_ctx *x = ud;
  walk *W = x->W;
  json_t *jf = json_object_get(obj, "file");
  const char *f;
  char *key;
  void *v;
  (void)repaired;
  if (!json_is_string(jf) || !*json_string_value(jf)) {
    report(L, TR_WARN, path, line, UINT64_MAX,
           "no \"file\" field (the document's path); line ignored");
    return;
  }
  f = json_string_value(jf);
  while (f[0] == '.' && f[1] == '/')
    f += 2;
  if (f[0] == '/' || !strcmp(f, "..") || !strncmp(f, "../", 3) ||
      strstr(f, "/../")) {
    report(L, TR_WARN, path, line, UINT64_MAX,
           "\"file\" must be a path inside this directory, not \"%s\"; line "
           "ignored",
           json_string_value(jf));
    return;
  }
  /* Drop fields that cannot be used, once, here (naming this line). */
  for (int i = 0; i < NFIELDS; i++)
    if (json_object_get(obj, FIELDS[i]) &&
        !usable_field(L, path, line, obj, FIELDS[i]))
      json_object_del(obj, FIELDS[i]);
  if (!(key = malloc(strlen(x->dir) + strlen(f) + 1)) ||
      !(v = grow(W->ents, &W->cape, W->ne, sizeof *W->ents))) {
    free(key);
    W->oom = 1;
    return;
  }
  W->ents = v;
  strcpy(key, x->dir);
  strcat(key, f);
  W->ents[W->ne] = (meta_ent){key, json_incref(obj), path, line, W->ne, 0};
  W->ne++;
}

/* Read every metadata.jsonl found, then sort the lines by file; a later
** line for the same file replaces an earlier one (reported). */
static void read_metadata(walk *W, char **paths) {
  ld *L = W->L;
  size_t o = 0;
  for (size_t i = 0; i < W->nm && !W->oom; i++) {
    const char *rel = W->metas[i], *slash = strrchr(rel, '/');
    char *dir = strndup(rel, slash ? (size_t)(slash - rel) + 1 : 0);
    meta_ctx x = {W, dir};
    fdata f;
    paths[i] = join(W->root, rel);
    if (!dir || !paths[i]) {
      free(dir);
      W->oom = 1;
      break;
    }
    if (read_file(L, paths[i], &f) == 0) {
      if (!is_binary(L, paths[i], f.p, f.len))
        each_json_line(L, paths[i], f.p, f.len, meta_line, &x);
      fdata_release(&f);
    }
    free(dir);
  }
  if (W->ne)
    qsort(W->ents, W->ne, sizeof *W->ents, by_file);
  for (size_t i = 0; i < W->ne; i++) {
    if (o && !strcmp(W->ents[o - 1].file, W->ents[i].file)) {
      meta_ent *old = &W->ents[o - 1];
      report(L, TR_WARN, W->ents[i].src, W->ents[i].line, UINT64_MAX,
             "metadata for \"%s\" given again (earlier at %s:%" PRIu64
             "); this line wins",
             W->ents[i].file, old->src, old->line);
      free(old->file);
      json_decref(old->obj);
      o--;
    }
    W->ents[o++] = W->ents[i];
  }
  W->ne = o;
}

static meta_ent *find_meta(walk *W, const char *rel) {
  size_t lo = 0, hi = W->ne;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(W->ents[mid].file, rel);
    if (!c)
      return &W->ents[mid];
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

static int load_dir(ld *L, const char *root) {
  walk W;
  struct stat sb;
  char **mpaths = NULL;
  DIR *probe;
  memset(&W, 0, sizeof W);
  W.L = L, W.root = root;
  if (!(probe = opendir(root))) { /* the root itself must be readable */
    report(L, TR_ERROR, root, 0, UINT64_MAX, "cannot read directory: %s",
           strerror(errno));
    return -1;
  }
  closedir(probe);
  if (stat(root, &sb) != 0 ||
      !(W.seen = grow(NULL, &W.caps, 0, sizeof *W.seen)) ||
      !(W.seen[0].rel = strdup(""))) {
    report(L, TR_ERROR, root, 0, UINT64_MAX, "out of memory");
    free(W.seen);
    return -1;
  }
  W.seen[0].dev = sb.st_dev, W.seen[0].ino = sb.st_ino, W.ns = 1;
  walk_dir(&W, "");
  /* Byte order of relative paths (not per-directory order: "a-b/x" comes
  ** before "a.txt" before "a/x"), so ids and "~2" suffixes are stable. */
  if (W.nf)
    qsort(W.files, W.nf, sizeof *W.files, by_rel);
  if (W.nm)
    qsort(W.metas, W.nm, sizeof *W.metas, by_str);
  if (W.nm && !(mpaths = calloc(W.nm, sizeof *mpaths)))
    W.oom = 1;
  if (!W.oom && W.nm)
    read_metadata(&W, mpaths);
  for (size_t i = 0; i < W.nf && !W.oom; i++) {
    char *full = join(root, W.files[i].rel), *stem = strip_ext(W.files[i].rel);
    meta_ent *fm = find_meta(&W, W.files[i].rel);
    if (fm)
      fm->used = 1;
    if (full && stem)
      load_file(L, full, stem, W.files[i].fmt, fm);
    else
      W.oom = 1;
    free(full);
    free(stem);
  }
  for (size_t i = 0; i < W.ne && !W.oom; i++)
    if (!W.ents[i].used)
      report(L, TR_WARN, W.ents[i].src, W.ents[i].line, UINT64_MAX,
             "no document file \"%s\"; line ignored", W.ents[i].file);
  if (W.oom)
    report(L, TR_ERROR, root, 0, UINT64_MAX,
           "out of memory; the load is incomplete");
  tr_corpus_sort(L->c);
  for (size_t i = 0; i < W.nf; i++)
    free(W.files[i].rel);
  for (size_t i = 0; i < W.nm; i++) {
    free(W.metas[i]);
    if (mpaths)
      free(mpaths[i]);
  }
  for (size_t i = 0; i < W.ns; i++)
    free(W.seen[i].rel);
  for (size_t i = 0; i < W.ne; i++) {
    free(W.ents[i].file);
    json_decref(W.ents[i].obj);
  }
  free(W.files), free(W.metas), free(W.seen), free(W.ents), free(mpaths);
  return 0;
}

/* ---------------------------------------------------------------- entry points */

static void ld_init(ld *L, tr_corpus *c, const tr_load_opts *o,
                    tr_load_stats *st, tr_load_stats *local) {
  L->c = c;
  L->bad_utf8 = o ? o->bad_utf8 : TR_UTF8_REPAIR;
  L->diag = o ? o->diag : NULL;
  L->ud = o ? o->ud : NULL;
  L->st = st ? st : local;
  memset(L->st, 0, sizeof *L->st);
}

static int load_stream(ld *L, FILE *fp, const char *name) {
  fdata f;
  char *stem;
  int e;
  jsonl_ctx x;
  memset(&f, 0, sizeof f);
  if ((e = read_stream(fp, -1, &f.heap, &f.len))) {
    report(L, TR_ERROR, name, 0, UINT64_MAX, "cannot read: %s", strerror(e));
    return -1;
  }
  L->st->files++;
  f.p = f.heap;
  if (!strcmp(name, "-")) {
    stem = strdup("stdin");
  } else {
    const char *slash = strrchr(name, '/');
    stem = strip_ext(slash ? slash + 1 : name);
  }
  if (!stem) {
    report_oom(L, name, 0);
  } else if (!is_binary(L, name, f.p, f.len)) {
    x.stem = stem, x.fm = NULL;
    each_json_line(L, name, f.p, f.len, jsonl_doc, &x);
  }
  free(stem);
  fdata_release(&f);
  return 0;
}

int tr_load_jsonl_stream(tr_corpus *c, FILE *f, const char *name,
                         const tr_load_opts *o, tr_load_stats *st) {
  ld L;
  tr_load_stats local;
  ld_init(&L, c, o, st, &local);
  return load_stream(&L, f, name ? name : "-");
}

int tr_load_path(tr_corpus *c, const char *path, const tr_load_opts *o,
                 tr_load_stats *st) {
  ld L;
  tr_load_stats local;
  struct stat sb;
  ld_init(&L, c, o, st, &local);
  if (!strcmp(path, "-"))
    return load_stream(&L, stdin, "-");
  if (stat(path, &sb) != 0) {
    report(&L, TR_ERROR, path, 0, UINT64_MAX, "cannot read: %s",
           strerror(errno));
    return -1;
  }
  if (S_ISDIR(sb.st_mode))
    return load_dir(&L, path);
  {
    /* A single file: any format by extension, an unknown one as text. */
    const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
    char *stem = strip_ext(base);
    int rc;
    if (!stem) {
      report_oom(&L, path, 0);
      return -1;
    }
    rc = load_file(&L, path, stem, format_of(base), NULL);
    free(stem);
    return rc;
  }
}

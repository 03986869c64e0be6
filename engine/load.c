/*
** load.c — reading documents into a corpus: the entry points, file
** reading, the directory walk, metadata.jsonl, plain text files, the
** checks every format shares, and the diagnostics that name every bad
** input. JSON Lines are in load_jsonl.c, CoNLL files in load_conll.c.
**
** Files are mapped read-only (small ones are read into one buffer of
** their size). A text file that needs no cleaning becomes a document
** pointing into that mapping or buffer (no further copy); one that does is
** cleaned into a single copy. Nothing here ever stops a load: a bad file
** or record is reported and skipped (or repaired), and the rest comes
** through.
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

#include "load_int.h"

/* Document formats, chosen by file extension. */
enum { F_NONE, F_TEXT, F_JSONL, F_CONLLU, F_TOK };

/* Files from this size on are mapped; smaller ones are read into a heap
** buffer of their exact size. Both are one copy at most, but every mapping
** costs a page and one of the process's ~65,000 allowed maps
** (vm.max_map_count), which a corpus of many small files would use up,
** and with them the maps that malloc and SQLite need. */
enum { MAP_MIN = 64 * 1024 };

/* ---- diagnostics */

void tr_ld_report(tr_ld *L, int level, const char *path, uint64_t line,
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

void tr_ld_oom(tr_ld *L, const char *path, uint64_t line) {
  tr_ld_report(L, TR_ERROR, path, line, UINT64_MAX, "out of memory; skipped");
  L->st->skipped++;
}

const char *tr_ld_plural(uint64_t n) { return n == 1 ? "" : "s"; }

/* ---- reading */

static void fdata_release(tr_fdata *f) {
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
static int read_file(tr_ld *L, const char *path, tr_fdata *f) {
  struct stat sb;
  int fd, e;
  memset(f, 0, sizeof *f);
  if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
    tr_ld_report(L, TR_ERROR, path, 0, UINT64_MAX, "cannot read: %s",
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
        tr_ld_report(L, TR_ERROR, path, 0, UINT64_MAX, "cannot read: %s",
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
    tr_ld_report(L, TR_ERROR, path, 0, UINT64_MAX, "cannot read: %s",
                 strerror(e));
    L->st->skipped++;
    return -1;
  }
  close(fd);
  f->p = f->heap;
  L->st->files++;
  return 0;
}

/* ---- checks */

int tr_ld_has_bom(const char *p, size_t len) {
  return len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3);
}

int tr_ld_only_space(const char *p, size_t len) {
  size_t i = 0, k;
  while (i < len && (k = tr_space_len(p + i, len - i)))
    i += k;
  return i == len;
}

/* A NUL byte means the file is not text: report it (UTF-16 by name, since
** that is the usual cause) and return 1. */
int tr_ld_is_binary(tr_ld *L, const char *path, const char *p, size_t len) {
  const char *z = len ? memchr(p, '\0', len) : NULL;
  if (!z)
    return 0;
  if (len >= 2 && (!memcmp(p, "\xFF\xFE", 2) || !memcmp(p, "\xFE\xFF", 2)))
    tr_ld_report(L, TR_WARN, path, 0, 0,
                 "UTF-16 text is not supported (convert it to UTF-8); skipped");
  else
    tr_ld_report(L, TR_WARN, path, 0, (uint64_t)(z - p),
                 "binary file (NUL byte at offset %" PRIu64 "), skipped",
                 (uint64_t)(z - p));
  L->st->skipped++;
  return 1;
}

/* The checks every whole-file format shares: empty, binary, BOM, UTF-8,
** line ends, only white space. Returns 0 with *pr filled, or -1 when the
** file is skipped (reported and counted). */
int tr_ld_prepare(tr_ld *L, const char *path, const tr_fdata *f,
                  tr_prepared *pr) {
  size_t base, outlen, nbad;
  uint64_t bad_at;
  int oom;
  memset(pr, 0, sizeof *pr);
  if (f->len == 0) {
    tr_ld_report(L, TR_WARN, path, 0, UINT64_MAX, "empty file, skipped");
    L->st->skipped++;
    return -1;
  }
  if (tr_ld_is_binary(L, path, f->p, f->len))
    return -1;
  /* Skipping the BOM here rather than in tr_clean_text keeps a file that
  ** only has a BOM to drop a zero-copy view. */
  base = tr_ld_has_bom(f->p, f->len) ? 3 : 0;
  pr->copy =
      tr_clean_text(f->p + base, f->len - base, &outlen, &bad_at, &nbad, &oom);
  if (oom) {
    tr_ld_oom(L, path, 0);
    return -1;
  }
  if (nbad) {
    bad_at += base;
    if (L->bad_utf8 == TR_UTF8_SKIP) {
      tr_ld_report(L, TR_WARN, path, 0, bad_at,
                   "invalid UTF-8 at byte %" PRIu64
                   " (%zu bad sequence%s), skipped",
                   bad_at, nbad, tr_ld_plural(nbad));
      free(pr->copy);
      pr->copy = NULL;
      L->st->skipped++;
      return -1;
    }
    tr_ld_report(L, TR_WARN, path, 0, bad_at,
                 "invalid UTF-8 at byte %" PRIu64
                 " (%zu bad sequence%s), replaced with U+FFFD",
                 bad_at, nbad, tr_ld_plural(nbad));
    pr->repaired = 1;
  }
  pr->text = pr->copy ? pr->copy : f->p + base;
  pr->len = pr->copy ? outlen : f->len - base;
  if (tr_ld_only_space(pr->text, pr->len)) {
    tr_ld_report(L, TR_WARN, path, 0, UINT64_MAX,
                 pr->len ? "only white space, skipped" : "empty file, skipped");
    free(pr->copy);
    pr->copy = NULL;
    L->st->skipped++;
    return -1;
  }
  return 0;
}

/* ---- metadata */

static const char *const FIELDS[] = {"title", "date", "source", "author"};
enum { NFIELDS = 4 };

static int is_field(const char *k) {
  for (int i = 0; i < NFIELDS; i++)
    if (!strcmp(k, FIELDS[i]))
      return 1;
  return 0;
}

const char *tr_ld_json_kind(const json_t *j) {
  switch (json_typeof(j)) {
  case JSON_OBJECT: return "an object";
  case JSON_ARRAY: return "an array";
  case JSON_STRING: return "a string";
  case JSON_INTEGER:
  case JSON_REAL: return "a number";
  case JSON_TRUE:
  case JSON_FALSE: return "a boolean";
  default: return "null";
  }
}

/* Is field k of obj usable: a string, and for "date" an ISO date? Warns
** (naming path:line) when it is present but not usable. */
static const char *usable_field(tr_ld *L, const char *path, uint64_t line,
                                json_t *obj, const char *k) {
  json_t *j = obj ? json_object_get(obj, k) : NULL;
  const char *v;
  if (!j)
    return NULL;
  if (!json_is_string(j)) {
    tr_ld_report(L, TR_WARN, path, line, UINT64_MAX,
                 "field \"%s\" is %s, not a string; ignored", k,
                 tr_ld_json_kind(j));
    return NULL;
  }
  v = json_string_value(j);
  if (!*v)
    return NULL; /* "" says nothing: let the next source speak */
  if (!strcmp(k, "date") && !tr_date_valid(v)) {
    tr_ld_report(L, TR_WARN, path, line, UINT64_MAX,
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
int tr_ld_finish_doc(tr_ld *L, tr_doc *d, json_t *rec, const tr_meta_ent *fm) {
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
void tr_ld_added(tr_ld *L, tr_doc *d, const char *want, int renamed) {
  L->st->docs++;
  if (renamed)
    tr_ld_report(L, TR_WARN, d->path, d->line, UINT64_MAX,
                 "duplicate id \"%s\": renamed to \"%s\"", want, d->id);
}

/* ---- text */

static void load_text(tr_ld *L, const char *path, const char *id, tr_fdata *f,
                      const tr_meta_ent *fm) {
  tr_prepared pr;
  tr_doc *d;
  int renamed;
  if (tr_ld_prepare(L, path, f, &pr))
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
    tr_ld_oom(L, path, 0);
    return;
  }
  tr_ld_added(L, d, id, renamed);
  if (tr_ld_finish_doc(L, d, NULL, fm))
    tr_ld_report(L, TR_ERROR, path, 0, UINT64_MAX,
                 "out of memory; metadata incomplete");
  if (pr.repaired)
    L->st->repaired++;
}

/* ---- files */

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
static int load_file(tr_ld *L, const char *path, const char *stem, int fmt,
                     const tr_meta_ent *fm) {
  tr_fdata f;
  if (read_file(L, path, &f))
    return -1;
  switch (fmt) {
  case F_JSONL: tr_ld_jsonl(L, path, stem, &f, fm); break;
  case F_CONLLU: tr_ld_conll(L, path, stem, &f, fm, 1); break;
  case F_TOK: tr_ld_conll(L, path, stem, &f, fm, 0); break;
  default: load_text(L, path, stem, &f, fm); break;
  }
  fdata_release(&f);
  return 0;
}

/* ---- directories */

/* A document file found by the walk. */
typedef struct fent {
  char *rel; /* path relative to the root, '/' separated */
  int fmt;   /* F_* */
} fent;

/* A directory already walked (symlinks may lead back to it). */
typedef struct seen_dir {
  dev_t dev; /* device */
  ino_t ino; /* inode */
  char *rel; /* where it was first met ("" for the root) */
} seen_dir;

/* The walk of one directory tree, and what it found. */
typedef struct walk {
  tr_ld *L;          /* the load */
  const char *root;  /* the directory as given */
  fent *files;       /* document files */
  size_t nf, capf;   /* used and allocated entries of files */
  char **metas;      /* metadata.jsonl files, relative */
  size_t nm, capm;   /* used and allocated entries of metas */
  seen_dir *seen;    /* directories walked */
  size_t ns, caps;   /* used and allocated entries of seen */
  tr_meta_ent *ents; /* metadata lines, sorted by file */
  size_t ne, cape;   /* used and allocated entries of ents */
  int oom;           /* memory ran out */
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

/* README*, LICENSE*: part of the corpus's packaging, not of its text. */
static int not_a_document_name(const char *name) {
  return !strncasecmp(name, "README", 6) || !strncasecmp(name, "LICENSE", 7) ||
         !strncasecmp(name, "LICENCE", 7);
}

static void walk_dir(walk *W, const char *rel);

/* One entry of a directory. */
static void walk_entry(walk *W, const char *rel, const char *name) {
  tr_ld *L = W->L;
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
    if (lstat(full, &lb) == 0 && S_ISLNK(lb.st_mode)) {
      tr_ld_report(L, TR_WARN, full, 0, UINT64_MAX,
                   "broken symbolic link; ignored");
    } else {
      tr_ld_report(L, TR_ERROR, full, 0, UINT64_MAX, "cannot read: %s",
                   strerror(e));
      L->st->skipped++;
    }
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
        tr_ld_report(L, TR_WARN, full, 0, UINT64_MAX,
                     "symbolic link loop (back to \"%s\"); not followed",
                     k ? W->seen[i].rel : W->root);
      else
        tr_ld_report(L, TR_NOTE, full, 0, UINT64_MAX,
                     "same directory as \"%s\"; not read twice",
                     W->seen[i].rel);
    } else if (!(v = grow(W->seen, &W->caps, W->ns, sizeof *W->seen))) {
      W->oom = 1;
    } else {
      W->seen = v;
      W->seen[W->ns++] = (seen_dir){sb.st_dev, sb.st_ino, r};
      r = NULL; /* owned by seen */
      walk_dir(W, W->seen[W->ns - 1].rel);
    }
  } else if (!S_ISREG(sb.st_mode)) {
    tr_ld_report(L, TR_NOTE, full, 0, UINT64_MAX,
                 "not a regular file; ignored");
  } else if (!strcasecmp(name, "metadata.jsonl")) {
    if (!(v = grow(W->metas, &W->capm, W->nm, sizeof *W->metas)))
      W->oom = 1;
    else
      W->metas = v, W->metas[W->nm++] = r, r = NULL;
  } else if (not_a_document_name(name)) {
    /* passed over without a word: every corpus may have them */
  } else {
    int fmt = format_of(name);
    if (fmt == F_NONE) {
      const char *dot = strrchr(name, '.');
      if (dot && dot != name)
        tr_ld_report(L, TR_NOTE, full, 0, UINT64_MAX,
                     "not a document (unknown extension \"%s\"); ignored", dot);
      else
        tr_ld_report(L, TR_NOTE, full, 0, UINT64_MAX,
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
    tr_ld_report(W->L, TR_ERROR, full, 0, UINT64_MAX,
                 "cannot read directory: %s", strerror(errno));
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
  const tr_meta_ent *x = a, *y = b;
  int c = strcmp(x->file, y->file);
  return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

/* Context while reading one metadata.jsonl. */
typedef struct meta_ctx {
  walk *W;
  const char *dir; /* its directory relative to the root ("" or "sub/") */
} meta_ctx;

static void meta_line(tr_ld *L, const char *path, uint64_t line, json_t *obj,
                      int repaired, void *ud) {
  meta_ctx *x = ud;
  walk *W = x->W;
  json_t *jf = json_object_get(obj, "file");
  const char *f;
  char *key;
  void *v;
  (void)repaired;
  if (!json_is_string(jf) || !*json_string_value(jf)) {
    tr_ld_report(L, TR_WARN, path, line, UINT64_MAX,
                 "no \"file\" field (the document's path); line ignored");
    return;
  }
  f = json_string_value(jf);
  while (f[0] == '.' && f[1] == '/')
    f += 2;
  if (f[0] == '/' || !strcmp(f, "..") || !strncmp(f, "../", 3) ||
      strstr(f, "/../")) {
    tr_ld_report(
        L, TR_WARN, path, line, UINT64_MAX,
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
  W->ents[W->ne] = (tr_meta_ent){key, json_incref(obj), path, line, W->ne, 0};
  W->ne++;
}

/* Read every metadata.jsonl found, then sort the lines by file; a later
** line for the same file replaces an earlier one (reported). */
static void read_metadata(walk *W, char **paths) {
  tr_ld *L = W->L;
  size_t o = 0;
  for (size_t i = 0; i < W->nm && !W->oom; i++) {
    const char *rel = W->metas[i], *slash = strrchr(rel, '/');
    char *dir = strndup(rel, slash ? (size_t)(slash - rel) + 1 : 0);
    meta_ctx x = {W, dir};
    tr_fdata f;
    paths[i] = join(W->root, rel);
    if (!dir || !paths[i]) {
      free(dir);
      W->oom = 1;
      break;
    }
    if (read_file(L, paths[i], &f) == 0) {
      if (!tr_ld_is_binary(L, paths[i], f.p, f.len))
        tr_ld_each_json_line(L, paths[i], f.p, f.len, meta_line, &x);
      fdata_release(&f);
    }
    free(dir);
  }
  if (W->ne)
    qsort(W->ents, W->ne, sizeof *W->ents, by_file);
  for (size_t i = 0; i < W->ne; i++) {
    if (o && !strcmp(W->ents[o - 1].file, W->ents[i].file)) {
      tr_meta_ent *old = &W->ents[o - 1];
      tr_ld_report(L, TR_WARN, W->ents[i].src, W->ents[i].line, UINT64_MAX,
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

static tr_meta_ent *find_meta(walk *W, const char *rel) {
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

static int load_dir(tr_ld *L, const char *root) {
  walk W;
  struct stat sb;
  char **mpaths = NULL;
  DIR *probe;
  memset(&W, 0, sizeof W);
  W.L = L, W.root = root;
  if (!(probe = opendir(root))) { /* the root itself must be readable */
    tr_ld_report(L, TR_ERROR, root, 0, UINT64_MAX, "cannot read directory: %s",
                 strerror(errno));
    return -1;
  }
  closedir(probe);
  if (stat(root, &sb) != 0 ||
      !(W.seen = grow(NULL, &W.caps, 0, sizeof *W.seen)) ||
      !(W.seen[0].rel = strdup(""))) {
    tr_ld_report(L, TR_ERROR, root, 0, UINT64_MAX, "out of memory");
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
    tr_meta_ent *fm = find_meta(&W, W.files[i].rel);
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
      tr_ld_report(L, TR_WARN, W.ents[i].src, W.ents[i].line, UINT64_MAX,
                   "no document file \"%s\"; line ignored", W.ents[i].file);
  if (W.oom)
    tr_ld_report(L, TR_ERROR, root, 0, UINT64_MAX,
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

/* ---- entry points */

static void ld_init(tr_ld *L, tr_corpus *c, const tr_load_opts *o,
                    tr_load_stats *st, tr_load_stats *local) {
  L->c = c;
  L->bad_utf8 = o ? o->bad_utf8 : TR_UTF8_REPAIR;
  L->diag = o ? o->diag : NULL;
  L->ud = o ? o->ud : NULL;
  L->st = st ? st : local;
  memset(L->st, 0, sizeof *L->st);
}

static int load_stream(tr_ld *L, FILE *fp, const char *name) {
  tr_fdata f;
  char *stem;
  int e;
  memset(&f, 0, sizeof f);
  if ((e = read_stream(fp, -1, &f.heap, &f.len))) {
    tr_ld_report(L, TR_ERROR, name, 0, UINT64_MAX, "cannot read: %s",
                 strerror(e));
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
  if (!stem)
    tr_ld_oom(L, name, 0);
  else
    tr_ld_jsonl(L, name, stem, &f, NULL);
  free(stem);
  fdata_release(&f);
  return 0;
}

int tr_load_jsonl_stream(tr_corpus *c, FILE *f, const char *name,
                         const tr_load_opts *o, tr_load_stats *st) {
  tr_ld L;
  tr_load_stats local;
  ld_init(&L, c, o, st, &local);
  return load_stream(&L, f, name ? name : "-");
}

int tr_load_path(tr_corpus *c, const char *path, const tr_load_opts *o,
                 tr_load_stats *st) {
  tr_ld L;
  tr_load_stats local;
  struct stat sb;
  ld_init(&L, c, o, st, &local);
  if (!strcmp(path, "-"))
    return load_stream(&L, stdin, "-");
  if (stat(path, &sb) != 0) {
    tr_ld_report(&L, TR_ERROR, path, 0, UINT64_MAX, "cannot read: %s",
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
      tr_ld_oom(&L, path, 0);
      return -1;
    }
    rc = load_file(&L, path, stem, format_of(base), NULL);
    free(stem);
    return rc;
  }
}

/*
** test_load.c — the loaders: directories (order, ids, ignored files,
** metadata.jsonl, symlink loops), bad input (invalid UTF-8, binary,
** empty, CRLF, BOM) in both UTF-8 modes, zero-copy mapping, JSON Lines
** (file and stdin), CoNLL-U and one-token-per-line files, the shipped
** corpus, and the date and title heuristics.
*/
#define _GNU_SOURCE /* fmemopen is POSIX 2008, nftw wants XOPEN */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>
#include <fcntl.h>

#include <cmocka.h>

#include "corpus.h"
#include "load.h"

#ifndef TRAWL_SOURCE_DIR
#define TRAWL_SOURCE_DIR "."
#endif
#define FIX TRAWL_SOURCE_DIR "/tests/fixtures/load"
#define FFFD "\xEF\xBF\xBD"

/* ---- helpers */

/* One diagnostic, copied. */
typedef struct dg {
  int level;          /* TR_NOTE.. */
  char *path;         /* file */
  uint64_t line;      /* line or 0 */
  uint64_t off;       /* offset or UINT64_MAX */
  char *msg;          /* message */
} dg;

/* Diagnostics collected during one load. */
typedef struct diags {
  dg v[256];          /* the first 256 */
  size_t n;           /* how many came */
} diags;

static void collect(void *ud, const tr_diag *d) {
  diags *D = ud;
  if (D->n < 256)
    D->v[D->n] = (dg){d->level, strdup(d->path), d->line, d->offset,
                      strdup(d->msg)};
  D->n++;
}

static void diags_free(diags *D) {
  for (size_t i = 0; i < D->n && i < 256; i++)
    free(D->v[i].path), free(D->v[i].msg);
  D->n = 0;
}

static void diags_print(const diags *D) {
  for (size_t i = 0; i < D->n && i < 256; i++)
    print_message("  [%d] %s:%llu: %s\n", D->v[i].level, D->v[i].path,
                  (unsigned long long)D->v[i].line, D->v[i].msg);
}

static int ends_with(const char *s, const char *suf) {
  size_t a = strlen(s), b = strlen(suf);
  return a >= b && !strcmp(s + a - b, suf);
}

/* Index of the diagnostic at level whose path ends with path, at line
** (UINT64_MAX: any), whose message contains msg; -1 (and a listing of
** what came) when there is none. */
static long find_diag(const diags *D, int level, const char *path,
                      uint64_t line, const char *msg) {
  for (size_t i = 0; i < D->n && i < 256; i++)
    if (D->v[i].level == level && ends_with(D->v[i].path, path) &&
        (line == UINT64_MAX || D->v[i].line == line) &&
        strstr(D->v[i].msg, msg))
      return (long)i;
  print_message("no diagnostic [%d] %s: %s; got:\n", level, path, msg);
  diags_print(D);
  return -1;
}

static size_t count_level(const diags *D, int min) {
  size_t n = 0;
  for (size_t i = 0; i < D->n && i < 256; i++)
    n += D->v[i].level >= min;
  return n;
}

static tr_load_opts opts_for(diags *D, int mode) {
  tr_load_opts o = {mode, collect, D};
  return o;
}

static char *mktemp_dir(void) {
  char tmpl[] = "/tmp/trawl-load-XXXXXX";
  char *d = mkdtemp(tmpl);
  assert_non_null(d);
  return strdup(d);
}

/* Write len bytes to dir/rel, creating directories on the way. */
static void put(const char *dir, const char *rel, const char *bytes,
                size_t len) {
  char path[4096];
  FILE *f;
  snprintf(path, sizeof path, "%s/%s", dir, rel);
  for (char *p = path + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
    *p = '\0';
    mkdir(path, 0755);
    *p = '/';
  }
  f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(bytes, 1, len, f), len);
  fclose(f);
}

static int rm_one(const char *p, const struct stat *sb, int flag,
                  struct FTW *ftw) {
  (void)sb, (void)flag, (void)ftw;
  return remove(p);
}

static void rm_rf(char *dir) {
  nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
  free(dir);
}

static char *path_in(const char *dir, const char *rel) {
  char *p = malloc(strlen(dir) + strlen(rel) + 2);
  sprintf(p, "%s/%s", dir, rel);
  return p;
}

/* Make dir/rel a symbolic link to target. */
static void link_in(const char *dir, const char *rel, const char *target) {
  char *p = path_in(dir, rel);
  assert_int_equal(symlink(target, p), 0);
  free(p);
}

static void assert_text(const tr_doc *d, const char *want) {
  assert_non_null(d);
  if (d->len != strlen(want) || memcmp(d->text, want, d->len))
    print_message("text of %s: \"%.*s\"\n", d->id, (int)d->len, d->text);
  assert_int_equal(d->len, strlen(want));
  assert_memory_equal(d->text, want, d->len);
}

static void assert_str_or_null(const char *got, const char *want) {
  if (!want)
    assert_null(got);
  else {
    assert_non_null(got);
    assert_string_equal(got, want);
  }
}

/* Is p inside a mapping of a file whose name ends with name (Linux)? */
static int in_file_mapping(const void *p, const char *name) {
  FILE *f = fopen("/proc/self/maps", "r");
  char line[4096];
  int found = 0;
  if (!f)
    return -1;
  while (!found && fgets(line, sizeof line, f)) {
    unsigned long a, b;
    char *nl = strchr(line, '\n'), *slash;
    if (nl)
      *nl = '\0';
    if (sscanf(line, "%lx-%lx", &a, &b) != 2)
      continue;
    slash = strchr(line, '/');
    if ((uintptr_t)p >= a && (uintptr_t)p < b && slash &&
        ends_with(slash, name))
      found = 1;
  }
  fclose(f);
  return found;
}

/* ---- dates, titles */

static void test_header_date(void **state) {
  static const struct {
    const char *text; /* the start of a document */
    const char *date; /* expected, or NULL */
    long line_at;     /* expected offset of the line, -1 for none */
  } t[] = {
      {"Sunday, December 27, 2020\n\nTitle", "2020-12-27", 0},
      {"\n\nINSS Insight No. 1351, July 22, 2020\n\nTitle", "2020-07-22", 2},
      {"July 22, 2020", "2020-07-22", 0},
      {"Title\n25 June 2020\n", "2020-06-25", 6},
      {"Title\nPosted 2020-06-25 by X\n", "2020-06-25", 6},
      {"Jul. 4, 1999", "1999-07-04", 0},
      {"Sept. 1 2021", "2021-09-01", 0},
      {"March 3rd, 2020", "2020-03-03", 0},
      {"1st May, 2020", "2020-05-01", 0},
      {"25 June,2020", "2020-06-25", 0},
      {"25 June2020", NULL, -1},
      {"25June 2020", NULL, -1},
      {"July 22,2020", "2020-07-22", 0},
      {"July22, 2020", NULL, -1},
      {"Feb 29, 2020", "2020-02-29", 0},
      {"Feb 29, 2021", NULL, -1},
      {"Feb 30, 2020", NULL, -1},
      {"2020-02-30", NULL, -1},
      {"2020-13-01", NULL, -1},
      {"May 7", NULL, -1},
      {"When he was elected on May 7, one of his pledges", NULL, -1},
      {"On Sunday, July 5, the military", NULL, -1},
      {"Mayor 7, 2020", NULL, -1},
      {"July 22, 20201", NULL, -1},
      {"July 222, 2020", NULL, -1},
      {"No. 1351 June 2020", NULL, -1},
      {"12/26/20", NULL, -1},
      {"in 2009", NULL, -1},
      {"", NULL, -1},
      /* only the first five non-empty lines are searched */
      {"a\n\nb\nc\nd\ne\nJuly 22, 2020\n", NULL, -1},
      {"a\n\nb\nc\nd\nJuly 22, 2020\n", "2020-07-22", 9},
  };
  (void)state;
  for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
    char out[11] = "x";
    long r = tr_header_date(t[i].text, strlen(t[i].text), out);
    if (r != t[i].line_at || (t[i].date && strcmp(out, t[i].date)))
      print_message("header date of \"%s\": %ld %s\n", t[i].text, r, out);
    assert_int_equal(r, t[i].line_at);
    if (t[i].date)
      assert_string_equal(out, t[i].date);
  }
}

static void test_text_title(void **state) {
  static const struct {
    const char *text; /* a document */
    const char *title; /* expected */
  } t[] = {
      {"His task is not easy\n\nThe Iraqi PM", "His task is not easy"},
      {"\n\n  Trimmed  \t\nx", "Trimmed"},
      {"Sunday, December 27, 2020\n\nIraq’s PM Kazemi", "Iraq’s PM Kazemi"},
      {"July 22, 2020\nReal title", "Real title"},
      {"2020-06-25 -- \nReal title", "Real title"},
      {"INSS Insight No. 1351, July 22, 2020\nT",
       "INSS Insight No. 1351, July 22, 2020"},
      {"\xC2\xA0\n\xC2\xA0Nbsp\xC2\xA0\n", "Nbsp"},
      {"", ""},
      {"  \n\n", ""},
      {"Only a date: no\n", "Only a date: no"},
      {"June 25, 2020", ""},
      {"no newline at end", "no newline at end"},
  };
  char big[600];
  char *r;
  (void)state;
  for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
    r = tr_text_title(t[i].text, strlen(t[i].text));
    assert_non_null(r);
    assert_string_equal(r, t[i].title);
    free(r);
  }
  /* at most 200 bytes, never cutting a character: 99 x "é" + "ab" */
  big[0] = 'a';
  for (int i = 0; i < 150; i++)
    memcpy(big + 1 + 2 * i, "\xC3\xA9", 2);
  r = tr_text_title(big, 301);
  assert_int_equal(strlen(r), 199);
  assert_memory_equal(r, big, 199);
  free(r);
}

/* ---- directories */

static void test_shipped_corpus(void **state) {
  static const struct {
    const char *id, *title, *date, *source, *author, *meta;
  } want[] = {
      {"000_1af78644860d8528",
       "The Iraqi Prime Minister wants to control the Iranian-backed militias",
       NULL, NULL, "Shelley Kittelson",
       "{\"kicker\":\"His task is not easy\"}"},
      {"001_3dc81e1ea7d977a8",
       "Is Iraq’s new PM losing the fight against Iranian-backed militias?",
       NULL, "Jerusalem Post", "Maya Carlin", NULL},
      {"002_fc6652fa48584f3a",
       "Tightrope over the Tigris: Iraqi Prime Minister Reins in Iran-Backed "
       "Militias",
       "2020-07-22", "INSS", "Yaron Schneider",
       "{\"series\":\"INSS Insight No. 1351\"}"},
      {"003_21d5d0816ff0cbf2", "Al Kazime and the Iraqi Hope", NULL, NULL,
       "Abduljalil Hage", "{\"editor\":\"Adrija Saha\"}"},
      {"004_bded5637d4401b88",
       "Iraq’s PM Kazemi Might Finally Be Standing Up To Pro-Iran Groups",
       "2020-12-27", NULL, NULL, NULL},
  };
  tr_corpus *c = tr_corpus_new();
  diags D = {0};
  tr_load_opts o = opts_for(&D, TR_UTF8_REPAIR);
  tr_load_stats st;
  (void)state;
  assert_int_equal(tr_load_path(c, TRAWL_SOURCE_DIR "/corpus", &o, &st), 0);
  if (count_level(&D, TR_NOTE))
    diags_print(&D);
  assert_int_equal(count_level(&D, TR_NOTE), 0); /* clean: not a word */
  assert_int_equal(tr_corpus_count(c), 5);
  assert_int_equal(st.docs, 5);
  assert_int_equal(st.files, 6); /* five articles and metadata.jsonl */
  assert_int_equal(st.skipped, 0);
  assert_int_equal(st.warnings, 0);
  for (size_t i = 0; i < 5; i++) {
    tr_doc *d = tr_corpus_doc(c, i);
    char path[512];
    struct stat sb;
    assert_string_equal(d->id, want[i].id);
    assert_ptr_equal(tr_corpus_find(c, want[i].id), d);
    assert_string_equal(d->title, want[i].title);
    assert_str_or_null(d->date, want[i].date);
    assert_str_or_null(d->source, want[i].source);
    assert_str_or_null(d->author, want[i].author);
    assert_str_or_null(d->meta, want[i].meta);
    /* byte-exact */
    snprintf(path, sizeof path, "%s/corpus/%s.txt", TRAWL_SOURCE_DIR, d->id);
    assert_string_equal(d->path, path);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(d->len, (size_t)sb.st_size);
  }
  /* without metadata the texts' own headers give the same dates */
  {
    char out[11];
    tr_doc *d = tr_corpus_find(c, "002_fc6652fa48584f3a");
    assert_true(tr_header_date(d->text, d->len, out) >= 0);
    assert_string_equal(out, "2020-07-22");
    d = tr_corpus_find(c, "004_bded5637d4401b88");
    assert_int_equal(tr_header_date(d->text, d->len, out), 0);
    assert_string_equal(out, "2020-12-27");
    /* the others state no full date: none is made up */
    for (size_t i = 0; i < 5; i++) {
      d = tr_corpus_doc(c, i);
      if (!want[i].date)
        assert_int_equal(tr_header_date(d->text, d->len, out), -1);
    }
  }
  diags_free(&D);
  tr_corpus_free(c);
}

static void test_tree(void **state) {
  static const struct {
    const char *id, *title, *date, *source, *author, *meta, *path;
    uint64_t line;
  } want[] = {
      {"a", "Alpha from metadata", "2020-06-25", NULL, "Ann",
       "{\"topic\":\"test\"}", "/tree/a.txt", 0},
      {"b", "# Bravo", NULL, NULL, NULL, NULL, "/tree/b.md", 0},
      {"data:2", "Juliet two.", NULL, "JSONL source", NULL, NULL,
       "/tree/data.jsonl", 2},
      {"j1", "Juliet one.", NULL, "JSONL source", NULL, NULL,
       "/tree/data.jsonl", 1},
      {"parsed", "One doc", NULL, NULL, NULL, NULL, "/tree/parsed.conllu", 2},
      {"sub/c", "Charlie", NULL, "Sub source", NULL, NULL, "/tree/sub/c.txt",
       0},
      {"sub/deep/d", "Delta title", "2019", NULL, NULL, NULL,
       "/tree/sub/deep/d.txt", 0},
      {"x", "X in markdown", NULL, NULL, NULL, NULL, "/tree/x.md", 0},
      {"x~2", "X in text", NULL, NULL, NULL, NULL, "/tree/x.txt", 0},
  };
  enum { N = sizeof want / sizeof *want };
  tr_corpus *c = tr_corpus_new();
  diags D = {0};
  tr_load_opts o = opts_for(&D, TR_UTF8_REPAIR);
  tr_load_stats st;
  (void)state;
  assert_int_equal(tr_load_path(c, FIX "/tree/", &o, &st), 0);
  assert_int_equal(tr_corpus_count(c), N);
  for (size_t i = 0; i < N; i++) {
    tr_doc *d = tr_corpus_doc(c, i);
    assert_string_equal(d->id, want[i].id);
    assert_string_equal(d->title, want[i].title);
    assert_str_or_null(d->date, want[i].date);
    assert_str_or_null(d->source, want[i].source);
    assert_str_or_null(d->author, want[i].author);
    assert_str_or_null(d->meta, want[i].meta);
    assert_true(ends_with(d->path, want[i].path));
    assert_null(strstr(d->path, "//")); /* "tree/" + "a.txt" joined once */
    assert_int_equal(d->line, want[i].line);
  }
  assert_non_null(tr_corpus_find(c, "parsed")->given);
  /* what was said, and where */
  assert_true(find_diag(&D, TR_NOTE, "/tree/notes.pdf", 0,
                        "not a document (unknown extension \".pdf\"); "
                        "ignored") >= 0);
  assert_true(find_diag(&D, TR_WARN, "/tree/x.txt", 0,
                        "duplicate id \"x\": renamed to \"x~2\"") >= 0);
  assert_true(find_diag(&D, TR_WARN, "/tree/metadata.jsonl", 2,
                        "no document file \"missing.txt\"; line ignored") >= 0);
  assert_true(find_diag(&D, TR_WARN, "/tree/metadata.jsonl", 3,
                        "date \"27/12/2020\" is not an ISO 8601 date (YYYY, "
                        "YYYY-MM or YYYY-MM-DD); ignored") >= 0);
  assert_true(find_diag(&D, TR_WARN, "/tree/metadata.jsonl", 4,
                        "no \"file\" field") >= 0);
  assert_true(find_diag(&D, TR_WARN, "/tree/metadata.jsonl", 7,
                        "no document file \"notes.pdf\"") >= 0);
  /* README, LICENSE, hidden files: not documents, and not worth a word */
  for (size_t i = 0; i < D.n; i++) {
    assert_null(strstr(D.v[i].path, "README"));
    assert_null(strstr(D.v[i].path, "LICENSE"));
    assert_null(strstr(D.v[i].path, "readme"));
    assert_null(strstr(D.v[i].path, "hidden"));
    assert_null(strstr(D.v[i].path, ".dot"));
  }
  assert_int_equal(D.n, 6);
  assert_int_equal(st.files, 10); /* 8 document files + 2 metadata.jsonl */
  assert_int_equal(st.docs, N);
  assert_int_equal(st.skipped, 0);
  assert_int_equal(st.repaired, 0);
  assert_int_equal(st.warnings, 5);
  diags_free(&D);
  tr_corpus_free(c);
}

/* A directory of good and bad files, loaded in both UTF-8 modes. */
static void test_bad_files(void **state) {
  static const struct {
    const char *name;  /* file name */
    const char *bytes; /* content */
    size_t len;        /* its length */
  } files[] = {
      {"good.txt", "Good text\n", 10},
      {"bad.txt", "caf\xE9 ok\xFF\xFE\n", 10},
      {"bin.txt", "ab\0cd", 5},
      {"empty.txt", "", 0},
      {"blank.md", " \n\t\xC2\xA0\n", 6},
      {"crlf.txt", "Line one\r\nLine two\r\n", 20},
      {"bom.txt", "\xEF\xBB\xBF" "BOM title\n", 13},
      {"utf16.txt", "\xFF\xFEh\0i\0", 6},
  };
  static const struct {
    int mode;             /* TR_UTF8_* */
    const char *ids;      /* expected documents, space-separated */
    const char *bad_msg;  /* message for bad.txt */
    size_t skipped, repaired, warnings;
  } modes[] = {
      {TR_UTF8_REPAIR, "bad bom crlf good",
       "invalid UTF-8 at byte 3 (3 bad sequences), replaced with U+FFFD", 4, 1,
       5},
      {TR_UTF8_SKIP, "bom crlf good",
       "invalid UTF-8 at byte 3 (3 bad sequences), skipped", 5, 0, 5},
  };
  (void)state;
  for (size_t m = 0; m < 2; m++) {
    char *dir = mktemp_dir(), ids[256] = "";
    tr_corpus *c = tr_corpus_new();
    diags D = {0};
    tr_load_opts o = opts_for(&D, modes[m].mode);
    tr_load_stats st;
    long k;
    for (size_t i = 0; i < sizeof files / sizeof *files; i++)
      put(dir, files[i].name, files[i].bytes, files[i].len);
    assert_int_equal(tr_load_path(c, dir, &o, &st), 0);
    for (size_t i = 0; i < tr_corpus_count(c); i++) {
      if (i)
        strcat(ids, " ");
      strcat(ids, tr_corpus_doc(c, i)->id);
    }
    assert_string_equal(ids, modes[m].ids);
    assert_true((k = find_diag(&D, TR_WARN, "/bad.txt", 0,
                               modes[m].bad_msg)) >= 0);
    assert_int_equal(D.v[k].off, 3);
    assert_string_equal(D.v[k].msg, modes[m].bad_msg); /* the whole text */
    k = find_diag(&D, TR_WARN, "/bin.txt", 0,
                  "binary file (NUL byte at offset 2), skipped");
    assert_true(k >= 0);
    assert_int_equal(D.v[k].off, 2);
    assert_true(find_diag(&D, TR_WARN, "/empty.txt", 0,
                          "empty file, skipped") >= 0);
    assert_true(find_diag(&D, TR_WARN, "/blank.md", 0,
                          "only white space, skipped") >= 0);
    assert_true(find_diag(&D, TR_WARN, "/utf16.txt", 0,
                          "UTF-16 text is not supported") >= 0);
    assert_int_equal(st.files, 8);
    assert_int_equal(st.docs, tr_corpus_count(c));
    assert_int_equal(st.skipped, modes[m].skipped);
    assert_int_equal(st.repaired, modes[m].repaired);
    assert_int_equal(st.warnings, modes[m].warnings);
    assert_text(tr_corpus_find(c, "crlf"), "Line one\nLine two\n");
    assert_text(tr_corpus_find(c, "bom"), "BOM title\n");
    assert_string_equal(tr_corpus_find(c, "bom")->title, "BOM title");
    assert_text(tr_corpus_find(c, "good"), "Good text\n");
    if (modes[m].mode == TR_UTF8_REPAIR)
      assert_text(tr_corpus_find(c, "bad"), "caf" FFFD " ok" FFFD FFFD "\n");
    diags_free(&D);
    tr_corpus_free(c);
    rm_rf(dir);
  }
}

/* A clean file's text is the file mapping itself; one that needed
** cleaning is a single heap copy. Files under 64 KiB are read, not mapped
** (see MAP_MIN in load.c), so these are larger. */
static void test_zero_copy(void **state) {
  enum { BIG = 100 * 1024 };
  char *dir = mktemp_dir(), *p, *big = malloc(BIG + 3);
  tr_corpus *c = tr_corpus_new();
  diags D = {0};
  tr_load_opts o = opts_for(&D, TR_UTF8_REPAIR);
  tr_doc *d;
  (void)state;
  for (size_t i = 0; i < BIG + 3; i++)
    big[i] = i % 64 == 63 ? '\n' : (char)('a' + i % 26);
  put(dir, "clean.txt", big, BIG);
  memcpy(big, "\xEF\xBB\xBF", 3);
  put(dir, "bom.txt", big, BIG + 3);   /* dropping a BOM needs no copy */
  memcpy(big, "ab\r\n", 4);
  put(dir, "crlf.txt", big, BIG);      /* a CR does */
  put(dir, "small.txt", "Small\n", 6); /* read, not mapped */
  assert_int_equal(tr_load_path(c, dir, &o, NULL), 0);
  assert_int_equal(D.n, 0);
  d = tr_corpus_find(c, "clean");
  assert_int_equal(in_file_mapping(d->text, "/clean.txt"), 1);
  assert_int_equal(d->len, BIG);
  d = tr_corpus_find(c, "bom");
  assert_int_equal(in_file_mapping(d->text, "/bom.txt"), 1);
  assert_int_equal(d->len, BIG);
  assert_int_equal(d->text[0], 'd');
  d = tr_corpus_find(c, "crlf");
  assert_int_equal(in_file_mapping(d->text, "/crlf.txt"), 0);
  assert_int_equal(d->len, BIG - 1);
  assert_memory_equal(d->text, "ab\ne", 4);
  d = tr_corpus_find(c, "small");
  assert_int_equal(in_file_mapping(d->text, "/small.txt"), 0);
  assert_text(d, "Small\n");
  tr_corpus_free(c);
  /* a single file too */
  c = tr_corpus_new();
  p = path_in(dir, "clean.txt");
  assert_int_equal(tr_load_path(c, p, &o, NULL), 0);
  assert_int_equal(tr_corpus_count(c), 1);
  assert_string_equal(tr_corpus_doc(c, 0)->id, "clean");
  assert_int_equal(in_file_mapping(tr_corpus_doc(c, 0)->text, "/clean.txt"), 1);
  free(p);
  free(big);
  tr_corpus_free(c);
  diags_free(&D);
  rm_rf(dir);
}

/* Without a callback, diagnostics go to stderr as "trawl: path[:line]: msg". */
static void test_stderr_format(void **state) {
  char *dir = mktemp_dir(), *log = path_in(dir, "log"), *p, buf[2048];
  tr_corpus *c = tr_corpus_new();
  int saved = dup(2), fd;
  FILE *f;
  size_t n;
  (void)state;
  put(dir, "in/bad.txt", "x\xC0y", 3);
  put(dir, "in/r.jsonl", "{\"id\":\"a\",\"text\":\"ok\"}\n{oops\n", 29);
  fflush(stderr);
  fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  dup2(fd, 2);
  close(fd);
  p = path_in(dir, "in");
  assert_int_equal(tr_load_path(c, p, NULL, NULL), 0);
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  f = fopen(log, "r");
  n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = '\0';
  fclose(f);
  {
    char want[1024];
    snprintf(want, sizeof want,
             "trawl: %s/bad.txt: invalid UTF-8 at byte 1 (1 bad sequence), "
             "replaced with U+FFFD\n",
             p);
    if (!strstr(buf, want))
      print_message("stderr was:\n%s", buf);
    assert_non_null(strstr(buf, want));
    snprintf(want, sizeof want, "trawl: %s/r.jsonl:2: invalid JSON at column ",
             p);
    assert_non_null(strstr(buf, want));
  }
  assert_int_equal(tr_corpus_count(c), 2);
  free(p);
  free(log);
  tr_corpus_free(c);
  rm_rf(dir);
}

static void test_symlinks(void **state) {
  char *dir = mktemp_dir(), *p, *q;
  tr_corpus *c = tr_corpus_new();
  diags D = {0};
  tr_load_opts o = opts_for(&D, TR_UTF8_REPAIR);
  (void)state;
  put(dir, "a.txt", "Alpha\n", 6);
  put(dir, "sub/s.txt", "Sierra\n", 7);
  link_in(dir, "sub/up", "..");
  link_in(dir, "self", ".");
  link_in(dir, "sub2", "sub");
  link_in(dir, "link.txt", "a.txt");
  link_in(dir, "dead.txt", "nowhere");
  /* a loop between two directories of the tree */
  p = path_in(dir, "l1/to2"), q = path_in(dir, "l2");
  mkdir(q, 0755);
  put(dir, "l1/x.txt", "X\n", 2);
  assert_int_equal(symlink(q, p), 0), free(p), free(q);
  p = path_in(dir, "l2/to1"), q = path_in(dir, "l1");
  assert_int_equal(symlink(q, p), 0), free(p), free(q);

  assert_int_equal(tr_load_path(c, dir, &o, NULL), 0); /* and it ends */
  assert_int_equal(tr_corpus_count(c), 4);
  assert_string_equal(tr_corpus_doc(c, 0)->id, "a");
  assert_string_equal(tr_corpus_doc(c, 1)->id, "l1/x");
  assert_string_equal(tr_corpus_doc(c, 2)->id, "link");
  assert_string_equal(tr_corpus_doc(c, 3)->id, "sub/s");
  assert_true(find_diag(&D, TR_WARN, "/self", 0, "symbolic link loop") >= 0);
  assert_true(find_diag(&D, TR_WARN, "/sub/up", 0, "symbolic link loop") >= 0);
  assert_true(find_diag(&D, TR_WARN, "/l1/to2/to1", 0,
                        "symbolic link loop (back to \"l1\"); not followed") >=
              0);
  assert_true(find_diag(&D, TR_NOTE, "/sub2", 0,
                        "same directory as \"sub\"; not read twice") >= 0);
  assert_true(find_diag(&D, TR_WARN, "/dead.txt", 0,
                        "broken symbolic link; ignored") >= 0);
  diags_free(&D);
  tr_corpus_free(c);
  rm_rf(dir);
}

static void test_missing_and_single(void **state) {
  char *dir = mktemp_dir(), *p;
  tr_corpus *c = tr_corpus_new();
  diags D = {0};
  tr_load_opts o = opts_for(&D, TR_UTF8_REPAIR);
  tr_load_stats st;
  (void)state;
  p = path_in(dir, "nope");
  assert_int_equal(tr_load_path(c, p, &o, &st), -1);
  assert_true(find_diag(&D, TR_ERROR, "/nope", 0,
                        "cannot read: No such file or directory") >= 0);
  free(p);
  /* unknown extension as a single file: text, id without the extension */
  put(dir, "notes.rst", "Notes\n=====\n", 12);
  p = path_in(dir, "notes.rst");
  assert_int_equal(tr_load_path(c, p, &o, &st), 0);
  assert_int_equal(tr_corpus_count(c), 1);
  assert_string_equal(tr_corpus_doc(c, 0)->id, "notes");
  assert_string_equal(tr_corpus_doc(c, 0)->path, p);
  assert_string_equal(tr_corpus_doc(c, 0)->title, "Notes");
  assert_int_equal(st.files, 1);
  assert_int_equal(st.docs, 1);
  free(p);
  /* an empty single file: reported, not an error of the path */
  put(dir, "empty.jsonl", "", 0);
  p = path_in(dir, "empty.jsonl");
  assert_int_equal(tr_load_path(c, p, &o, &st), 0);
  assert_true(find_diag(&D, TR_WARN, "/empty.jsonl", 0,
                        "empty file, skipped") >= 0);
  assert_int_equal(st.skipped, 1);
  free(p);
  diags_free(&D);
  tr_corpus_free(c);
  rm_rf(dir);
}

/* Files in a directory that are not documents, or cannot be read. */
static void test_odd_files(void **state) {
  static const char meta[] = "{\"file\": \"../up.txt\", \"title\": \"x\"}\n"
                             "{\"file\": \"NOTES\", \"title\": \"x\"}\n"
                             "[1, 2]\n";
  char *dir = mktemp_dir(), *p;
  tr_corpus *c = tr_corpus_new();
  diags D = {0};
  tr_load_opts o = opts_for(&D, TR_UTF8_REPAIR);
  tr_load_stats st;
  (void)state;
  put(dir, "ok.txt", "OK\n", 3);
  put(dir, "NOTES", "no extension\n", 13);
  put(dir, "locked.txt", "secret\n", 7);
  put(dir, "metadata.jsonl", meta, sizeof meta - 1);
  p = path_in(dir, "pipe.txt");
  assert_int_equal(mkfifo(p, 0644), 0); /* must not be opened: it blocks */
  free(p);
  p = path_in(dir, "locked.txt");
  chmod(p, 0);
  assert_int_equal(tr_load_path(c, dir, &o, &st), 0);
  assert_non_null(tr_corpus_find(c, "ok"));
  assert_true(find_diag(&D, TR_NOTE, "/NOTES", 0,
                        "not a document (no extension); ignored") >= 0);
  assert_true(find_diag(&D, TR_NOTE, "/pipe.txt", 0,
                        "not a regular file; ignored") >= 0);
  assert_true(find_diag(&D, TR_WARN, "/metadata.jsonl", 1,
                        "\"file\" must be a path inside this directory, not "
                        "\"../up.txt\"; line ignored") >= 0);
  assert_true(find_diag(&D, TR_WARN, "/metadata.jsonl", 2,
                        "no document file \"NOTES\"; line ignored") >= 0);
  assert_true(find_diag(&D, TR_WARN, "/metadata.jsonl", 3,
                        "expected a JSON object, found an array") >= 0);
  if (geteuid() != 0) { /* root reads anything: then it simply loads */
    assert_null(tr_corpus_find(c, "locked"));
    assert_true(find_diag(&D, TR_ERROR, "/locked.txt", 0,
                          "cannot read: Permission denied") >= 0);
    assert_int_equal(st.skipped, 2); /* locked.txt, metadata line 3 */
  } else {
    assert_non_null(tr_corpus_find(c, "locked"));
    assert_int_equal(st.skipped, 1);
  }
  chmod(p, 0644);
  free(p);
  diags_free(&D);
  tr_corpus_free(c);
  rm_rf(dir);
}

/* ---- JSON Lines */

static void test_jsonl_records(void **state) {
  static const struct {
    const char *id, *text, *title, *date, *source, *author, *meta;
    uint64_t line;
  } want[] = {
      {"r1", "First record.\nSecond line.", "One", "2020-07-22", "Src", "Au",
       "{\"lang\":\"en\",\"tags\":[\"a\",\"b\"]}", 1},
      {"records:3", "No id here.", "No id here.", NULL, NULL, NULL, NULL, 3},
      {"r1~2", "Duplicate id.", "Duplicate id.", NULL, NULL, NULL, NULL, 8},
      {"7", "Numeric id.", "Numeric id.", NULL, NULL, NULL, NULL, 9},
      {"r10", "Last record loads.", "Last record loads.", NULL, NULL, NULL,
       NULL, 11},
  };
  static const struct {
    uint64_t line;   /* line named */
    const char *msg; /* message (a part of it) */
  } said[] = {
      {3, "date \"July 2020\" is not an ISO 8601 date"},
      {4, "invalid JSON at column "},
      {5, "no \"text\" field; record skipped"},
      {6, "\"text\" is a number, not a string; record skipped"},
      {7, "expected a JSON object, found an array; record skipped"},
      {8, "duplicate id \"r1\": renamed to \"r1~2\""},
      {9, "field \"title\" is a number, not a string; ignored"},
      {10, "empty \"text\"; record skipped"},
  };
  tr_corpus *c = tr_corpus_new();
  diags D = {0};
  tr_load_opts o = opts_for(&D, TR_UTF8_REPAIR);
  tr_load_stats st;
  (void)state;
  assert_int_equal(tr_load_path(c, FIX "/jsonl/records.jsonl", &o, &st), 0);
  assert_int_equal(tr_corpus_count(c), 5);
  for (size_t i = 0; i < 5; i++) {
    tr_doc *d = tr_corpus_doc(c, i); /* file order: a file is not sorted */
    assert_string_equal(d->id, want[i].id);
    assert_text(d, want[i].text);
    assert_string_equal(d->title, want[i].title);
    assert_str_or_null(d->date, want[i].date);
    assert_str_or_null(d->source, want[i].source);
    assert_str_or_null(d->author, want[i].author);
    assert_str_or_null(d->meta, want[i].meta);
    assert_int_equal(d->line, want[i].line);
    assert_string_equal(d->path, FIX "/jsonl/records.jsonl");
  }
  for (size_t i = 0; i < sizeof said / sizeof *said; i++)
    assert_true(find_diag(&D, TR_WARN, "/records.jsonl", said[i].line,
                          said[i].msg) >= 0);
  assert_int_equal(D.n, sizeof said / sizeof *said);
  assert_int_equal(st.files, 1);
  assert_int_equal(st.docs, 5);
  assert_int_equal(st.skipped, 5);
  assert_int_equal(st.warnings, 8);
  diags_free(&D);
  tr_corpus_free(c);
}

/* Invalid UTF-8 in a record, CRLF lines and a BOM, in both modes. */
static void test_jsonl_bytes(void **state) {
  static const char data[] = "\xEF\xBB\xBF{\"id\":\"a\",\"text\":\"A\"}\r\n"
                             "{\"id\":\"b\",\"text\":\"caf\xE9\"}\r\n"
                             "\r\n"
                             "{\"id\":\"c\",\"text\":\"C\"}";
  (void)state;
  for (int mode = 0; mode < 2; mode++) {
    char *dir = mktemp_dir(), *p = path_in(dir, "d.jsonl");
    tr_corpus *c = tr_corpus_new();
    diags D = {0};
    tr_load_opts o = opts_for(&D, mode);
    tr_load_stats st;
    long k;
    uint64_t bad = (uint64_t)(strchr(data, '\xE9') - data);
    char msg[128];
    put(dir, "d.jsonl", data, sizeof data - 1);
    assert_int_equal(tr_load_path(c, p, &o, &st), 0);
    assert_text(tr_corpus_find(c, "a"), "A");
    assert_text(tr_corpus_find(c, "c"), "C");
    assert_int_equal(tr_corpus_find(c, "c")->line, 4);
    snprintf(msg, sizeof msg,
             "invalid UTF-8 at byte %llu (1 bad sequence), %s",
             (unsigned long long)bad,
             mode == TR_UTF8_REPAIR ? "replaced with U+FFFD"
                                    : "record skipped");
    k = find_diag(&D, TR_WARN, "/d.jsonl", 2, msg);
    assert_true(k >= 0);
    assert_int_equal(bad, 47);
    assert_int_equal(D.v[k].off, bad); /* offset in the file, BOM included */
    if (mode == TR_UTF8_REPAIR) {
      assert_text(tr_corpus_find(c, "b"), "caf" FFFD);
      assert_int_equal(st.repaired, 1);
      assert_int_equal(tr_corpus_count(c), 3);
    } else {
      assert_null(tr_corpus_find(c, "b"));
      assert_int_equal(st.skipped, 1);
      assert_int_equal(tr_corpus_count(c), 2);
    }
    free(p);
    diags_free(&D);
    tr_corpus_free(c);
    rm_rf(dir);
  }
}

static void test_jsonl_stream(void **state) {
  static char data[] = "{\"text\":\"From a pipe.\",\"source\":\"S\"}\n"
                       "not json\n"
                       "{\"id\":\"x\",\"text\":\"Second.\"}\n";
  tr_corpus *c = tr_corpus_new();
  diags D = {0};
  tr_load_opts o = opts_for(&D, TR_UTF8_REPAIR);
  tr_load_stats st;
  FILE *f = fmemopen(data, sizeof data - 1, "r");
  char *dir, *p;
  (void)state;
  assert_int_equal(tr_load_jsonl_stream(c, f, "-", &o, &st), 0);
  fclose(f);
  assert_int_equal(tr_corpus_count(c), 2);
  assert_string_equal(tr_corpus_doc(c, 0)->id, "stdin:1");
  assert_string_equal(tr_corpus_doc(c, 0)->path, "-");
  assert_string_equal(tr_corpus_doc(c, 0)->source, "S");
  assert_string_equal(tr_corpus_doc(c, 1)->id, "x");
  assert_true(find_diag(&D, TR_WARN, "-", 2,
                        "invalid JSON at column 3: invalid token near 'not'; "
                        "record skipped") >= 0);
  assert_int_equal(st.files, 1);
  assert_int_equal(st.docs, 2);
  assert_int_equal(st.skipped, 1);
  tr_corpus_free(c);
  /* "-" as a path reads standard input */
  dir = mktemp_dir();
  put(dir, "in.jsonl", data, sizeof data - 1);
  p = path_in(dir, "in.jsonl");
  assert_non_null(freopen(p, "r", stdin));
  c = tr_corpus_new();
  assert_int_equal(tr_load_path(c, "-", &o, &st), 0);
  assert_int_equal(tr_corpus_count(c), 2);
  assert_string_equal(tr_corpus_doc(c, 0)->id, "stdin:1");
  tr_corpus_free(c);
  free(p);
  rm_rf(dir);
  diags_free(&D);
}

/* ---- CoNLL */

static void test_conllu(void **state) {
  /* (start, len) of every given token of document 1 */
  static const uint64_t toks[][2] = {{0, 6},  {7, 2},  {10, 6}, {17, 2},
                                     {19, 1}, {21, 3}, {24, 1}, {27, 3},
                                     {31, 9}, {40, 1}};
  static const uint64_t sents[][4] = {{0, 20, 0, 5}, {21, 25, 5, 2},
                                      {27, 41, 7, 3}};
  const char *text = "Iraq's PM didn't go.\nYes!\n\nNew paragraph.";
  tr_corpus *c = tr_corpus_new();
  diags D = {0};
  tr_load_opts o = opts_for(&D, TR_UTF8_REPAIR);
  tr_load_stats st;
  tr_doc *d;
  tr_analysis a;
  (void)state;
  assert_int_equal(tr_load_path(c, FIX "/conllu/sample.conllu", &o, &st), 0);
  assert_int_equal(tr_corpus_count(c), 2);
  d = tr_corpus_doc(c, 0);
  assert_string_equal(d->id, "news-1");
  assert_int_equal(d->line, 1);
  assert_text(d, text);
  assert_string_equal(d->title, "Iraq's PM didn't go.");
  assert_non_null(d->given);
  assert_non_null(d->given_sents);
  assert_int_equal(d->given->n, 10);
  for (size_t i = 0; i < 10; i++) {
    assert_int_equal(d->given->v[i].start, toks[i][0]);
    assert_int_equal(d->given->v[i].len, toks[i][1]);
  }
  assert_int_equal(d->given_sents->n, 3);
  for (size_t i = 0; i < 3; i++) {
    assert_int_equal(d->given_sents->v[i].start, sents[i][0]);
    assert_int_equal(d->given_sents->v[i].stop, sents[i][1]);
    assert_int_equal(d->given_sents->v[i].tok_first, sents[i][2]);
    assert_int_equal(d->given_sents->v[i].tok_count, sents[i][3]);
  }
  /* the analysis keeps the given tokenization exactly */
  tr_analysis_init(&a);
  assert_int_equal(tr_analyze(d, NULL, &a), 0);
  assert_int_equal(a.toks.n, 10);
  assert_int_equal(a.toks.v[2].start, 10);
  assert_int_equal(a.toks.v[2].len, 6); /* "didn't" stays one token */
  assert_int_equal(a.sents.n, 3);
  tr_analysis_free(&a);

  d = tr_corpus_doc(c, 1);
  assert_string_equal(d->id, "sample:2");
  assert_int_equal(d->line, 26);
  assert_text(d, "Second doc.");
  assert_int_equal(d->given->n, 3);
  assert_int_equal(d->given_sents->n, 1);
  assert_true(find_diag(&D, TR_WARN, "/sample.conllu", 31,
                        "not a CoNLL-U token line") >= 0);
  assert_true(find_diag(&D, TR_WARN, "/sample.conllu", 33,
                        "document \"empty-doc\" has no tokens; skipped") >= 0);
  assert_int_equal(D.n, 2);
  assert_int_equal(st.docs, 2);
  assert_int_equal(st.skipped, 1);
  diags_free(&D);
  tr_corpus_free(c);
}

static void test_conll_tok(void **state) {
  static const struct {
    const char *file;  /* fixture */
    const char *ids[2], *texts[2], *dates[2];
    size_t ndocs, nsents0, ntoks0;
  } t[] = {
      {"/tok/sample.conll",
       {"sample:1", "sample:2"},
       {"EU rejects German call .\nPeter Blackburn", "BRUSSELS 1996-08-22"},
       {NULL, "1996-08-22"},
       2, 2, 7},
      {"/tok/plain.tok", {"plain", NULL}, {"Hello world\nBye", NULL},
       {NULL, NULL}, 1, 2, 3},
  };
  (void)state;
  for (size_t i = 0; i < 2; i++) {
    tr_corpus *c = tr_corpus_new();
    diags D = {0};
    tr_load_opts o = opts_for(&D, TR_UTF8_REPAIR);
    char path[512];
    snprintf(path, sizeof path, "%s%s", FIX, t[i].file);
    assert_int_equal(tr_load_path(c, path, &o, NULL), 0);
    assert_int_equal(D.n, 0);
    assert_int_equal(tr_corpus_count(c), t[i].ndocs);
    for (size_t k = 0; k < t[i].ndocs; k++) {
      tr_doc *d = tr_corpus_doc(c, k);
      assert_string_equal(d->id, t[i].ids[k]);
      assert_text(d, t[i].texts[k]);
      assert_str_or_null(d->date, t[i].dates[k]);
    }
    assert_int_equal(tr_corpus_doc(c, 0)->given_sents->n, t[i].nsents0);
    assert_int_equal(tr_corpus_doc(c, 0)->given->n, t[i].ntoks0);
    tr_corpus_free(c);
  }
}

/* CoNLL-U with invalid UTF-8 and CRLF: repaired, offsets of the file. */
static void test_conllu_bytes(void **state) {
  static const char data[] =
      "1\tCaf\xE9\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\r\n"
      "2\t!\t_\t_\t_\t_\t_\t_\t_\t_\r\n";
  (void)state;
  for (int mode = 0; mode < 2; mode++) {
    char *dir = mktemp_dir(), *p = path_in(dir, "u.conllu");
    tr_corpus *c = tr_corpus_new();
    diags D = {0};
    tr_load_opts o = opts_for(&D, mode);
    put(dir, "u.conllu", data, sizeof data - 1);
    assert_int_equal(tr_load_path(c, p, &o, NULL), 0);
    assert_true(find_diag(&D, TR_WARN, "/u.conllu", 0,
                          "invalid UTF-8 at byte 5 (1 bad sequence)") >= 0);
    if (mode == TR_UTF8_REPAIR) {
      assert_int_equal(tr_corpus_count(c), 1);
      assert_string_equal(tr_corpus_doc(c, 0)->id, "u");
      assert_text(tr_corpus_doc(c, 0), "Caf" FFFD "!");
      assert_int_equal(tr_corpus_doc(c, 0)->given->v[1].start, 6);
    } else {
      assert_int_equal(tr_corpus_count(c), 0);
    }
    free(p);
    diags_free(&D);
    tr_corpus_free(c);
    rm_rf(dir);
  }
}

/* metadata.jsonl: a later line for the same file wins, and says so. */
static void test_metadata_repeat(void **state) {
  static const char meta[] =
      "{\"file\": \"a.txt\", \"title\": \"First\"}\n"
      "{\"file\": \"a.txt\", \"title\": \"Second\", \"date\": \"2020-02\"}\n"
      "{\"file\": \"a.txt\", \"author\": [\"not\", \"a string\"]}\n";
  char *dir = mktemp_dir();
  tr_corpus *c = tr_corpus_new();
  diags D = {0};
  tr_load_opts o = opts_for(&D, TR_UTF8_REPAIR);
  (void)state;
  put(dir, "a.txt", "Own title\n", 10);
  put(dir, "metadata.jsonl", meta, sizeof meta - 1);
  assert_int_equal(tr_load_path(c, dir, &o, NULL), 0);
  assert_int_equal(tr_corpus_count(c), 1);
  /* line 3 replaced line 2 which replaced line 1: only line 3 counts */
  assert_string_equal(tr_corpus_doc(c, 0)->title, "Own title");
  assert_null(tr_corpus_doc(c, 0)->author);
  assert_true(find_diag(&D, TR_WARN, "/metadata.jsonl", 3,
                        "field \"author\" is an array, not a string; "
                        "ignored") >= 0);
  assert_true(find_diag(&D, TR_WARN, "/metadata.jsonl", 2,
                        "metadata for \"a.txt\" given again (earlier at ") >=
              0);
  assert_true(find_diag(&D, TR_WARN, "/metadata.jsonl", 3,
                        "metadata for \"a.txt\" given again") >= 0);
  diags_free(&D);
  tr_corpus_free(c);
  rm_rf(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_header_date),
      cmocka_unit_test(test_text_title),
      cmocka_unit_test(test_shipped_corpus),
      cmocka_unit_test(test_tree),
      cmocka_unit_test(test_bad_files),
      cmocka_unit_test(test_zero_copy),
      cmocka_unit_test(test_stderr_format),
      cmocka_unit_test(test_symlinks),
      cmocka_unit_test(test_missing_and_single),
      cmocka_unit_test(test_odd_files),
      cmocka_unit_test(test_jsonl_records),
      cmocka_unit_test(test_jsonl_bytes),
      cmocka_unit_test(test_jsonl_stream),
      cmocka_unit_test(test_conllu),
      cmocka_unit_test(test_conll_tok),
      cmocka_unit_test(test_conllu_bytes),
      cmocka_unit_test(test_metadata_repeat),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
** bench_tokenize.c — throughput of trawl's tokenizer plus sentence splitter.
**
** Reads one file, splits it into documents at form feeds ('\f'; documents
** longer than --max-doc bytes are cut further at the last blank line, else
** the last line end, before that size), then runs tr_tokenize() followed by
** tr_sentences() on every document, RUNS times, and reports the best run in
** MB/s (1 MB = 10^6 bytes) and tokens/s. Only the tokenize+split loop is
** timed, with clock_gettime(CLOCK_MONOTONIC); reading the file and finding
** the documents are timed apart and reported as load time. The token and
** span lists are reused from one document to the next (emptied, not freed),
** as a program streaming a corpus would do. The time of each of the two
** calls is also summed apart, to show where it goes. Pin it to one core from
** outside (taskset -c 0); bench/run does.
**
** The last line of output is machine-readable, the same for every tool:
**   RESULT tool=trawl bytes=N docs=N seconds=S tokens=N sentences=N
**          load_seconds=S runs=N
*/
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* clock_gettime under -std=c11 */
#endif
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "segment.h"
#include "tokenize.h"

typedef struct doc {
  size_t off, len;
} doc;

typedef struct docs {
  doc *v;
  size_t n, cap;
} docs;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what) {
  fprintf(stderr, "bench_tokenize: %s: %s\n", what, strerror(errno));
  exit(2);
}

static void usage(void) {
  fputs("usage: bench_tokenize [-r RUNS] [-t TOOL] [-m MAX_BYTES] "
        "[-d MAX_DOC] FILE\n"
        "  -r RUNS       timed runs, the best one is reported (3)\n"
        "  -t TOOL       name in the RESULT line (trawl)\n"
        "  -m MAX_BYTES  only the leading documents up to this many bytes\n"
        "  -d MAX_DOC    cut documents longer than this (1048576)\n",
        stderr);
  exit(2);
}

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    die(path);
  if (fseek(f, 0, SEEK_END) != 0)
    die(path);
  long size = ftell(f);
  if (size < 0 || fseek(f, 0, SEEK_SET) != 0)
    die(path);
  char *buf = malloc((size_t)size + 1);
  if (!buf)
    die("malloc");
  if (fread(buf, 1, (size_t)size, f) != (size_t)size)
    die(path);
  fclose(f);
  buf[size] = '\0';
  *len = (size_t)size;
  return buf;
}

static void push_doc(docs *d, size_t off, size_t len) {
  if (len == 0)
    return;
  if (d->n == d->cap) {
    d->cap = d->cap ? d->cap * 2 : 1024;
    d->v = realloc(d->v, d->cap * sizeof *d->v);
    if (!d->v)
      die("realloc");
  }
  d->v[d->n].off = off;
  d->v[d->n].len = len;
  d->n++;
}

/* Where to cut text[0..len) (len > max) at or before max: after the last
** blank line, else after the last line end, else at a UTF-8 boundary. */
static size_t cut_point(const char *text, size_t max) {
  for (size_t i = max; i >= 2; i--)
    if (text[i - 1] == '\n' && text[i - 2] == '\n')
      return i;
  for (size_t i = max; i >= 1; i--)
    if (text[i - 1] == '\n')
      return i;
  size_t i = max;
  while (i > 1 && ((unsigned char)text[i] & 0xC0) == 0x80)
    i--;
  return i;
}

/* Documents separated by form feeds; over-long ones cut at max_doc. */
static void split_docs(const char *text, size_t len, size_t max_doc,
                       size_t max_bytes, docs *out) {
  size_t total = 0, start = 0;
  while (start < len && total < max_bytes) {
    const char *ff = memchr(text + start, '\f', len - start);
    size_t end = ff ? (size_t)(ff - text) : len;
    size_t off = start;
    while (end - off > max_doc) {
      size_t cut = cut_point(text + off, max_doc);
      push_doc(out, off, cut);
      total += cut;
      off += cut;
    }
    push_doc(out, off, end - off);
    total += end - off;
    start = end + 1;
  }
}

int main(int argc, char **argv) {
  int runs = 3;
  const char *tool = "trawl";
  size_t max_bytes = SIZE_MAX, max_doc = 1u << 20;
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (i + 1 >= argc)
      usage();
    if (strcmp(argv[i], "-r") == 0)
      runs = atoi(argv[++i]);
    else if (strcmp(argv[i], "-t") == 0)
      tool = argv[++i];
    else if (strcmp(argv[i], "-m") == 0)
      max_bytes = (size_t)strtoull(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "-d") == 0)
      max_doc = (size_t)strtoull(argv[++i], NULL, 10);
    else
      usage();
  }
  if (i + 1 != argc || runs < 1 || max_doc < 16)
    usage();
  const char *path = argv[i];

  double t0 = now();
  size_t len;
  char *text = read_file(path, &len);
  docs d = {0};
  split_docs(text, len, max_doc, max_bytes, &d);
  double load = now() - t0;

  size_t bytes = 0;
  for (size_t k = 0; k < d.n; k++)
    bytes += d.v[k].len;

  tr_tokens toks;
  tr_spans sents;
  tr_tokens_init(&toks);
  tr_spans_init(&sents);
  double best = -1, best_tok = 0, best_seg = 0;
  uint64_t ntok = 0, nsent = 0;
  for (int r = 0; r < runs; r++) {
    uint64_t rt = 0, rs = 0;
    double t_tok = 0, t_seg = 0;
    double start = now();
    for (size_t k = 0; k < d.n; k++) {
      const char *s = text + d.v[k].off;
      toks.n = 0;
      toks.norm_n = 0;
      sents.n = 0;
      double a = now();
      int err = tr_tokenize(s, d.v[k].len, NULL, &toks);
      double b = now();
      err = err || tr_sentences(s, d.v[k].len, &toks, &sents);
      t_tok += b - a;
      t_seg += now() - b;
      if (err) {
        fprintf(stderr, "bench_tokenize: out of memory in document %zu\n", k);
        return 1;
      }
      rt += toks.n;
      rs += sents.n;
    }
    double secs = now() - start;
    if (r > 0 && (rt != ntok || rs != nsent)) {
      fprintf(stderr, "bench_tokenize: run %d counted %llu tokens, %llu "
              "sentences; run 1 counted %llu, %llu\n", r + 1,
              (unsigned long long)rt, (unsigned long long)rs,
              (unsigned long long)ntok, (unsigned long long)nsent);
      return 1;
    }
    ntok = rt;
    nsent = rs;
    fprintf(stderr, "  run %d: %.3f s, %.1f MB/s (tr_tokenize %.3f s, "
            "tr_sentences %.3f s)\n", r + 1, secs,
            (double)bytes / 1e6 / secs, t_tok, t_seg);
    if (best < 0 || secs < best) {
      best = secs;
      best_tok = t_tok;
      best_seg = t_seg;
    }
  }
  tr_spans_free(&sents);
  tr_tokens_free(&toks);

  printf("%s: %zu documents, %.2f MB, best of %d: %.3f s (tr_tokenize "
         "%.3f s, tr_sentences %.3f s), %.1f MB/s, %llu tokens, "
         "%.0f tokens/s, %llu sentences (load %.3f s, not counted)\n",
         tool, d.n, (double)bytes / 1e6, runs, best, best_tok, best_seg,
         (double)bytes / 1e6 / best, (unsigned long long)ntok,
         (double)ntok / best, (unsigned long long)nsent, load);
  printf("RESULT tool=%s bytes=%zu docs=%zu seconds=%.6f tokens=%llu "
         "sentences=%llu load_seconds=%.6f runs=%d\n",
         tool, bytes, d.n, best, (unsigned long long)ntok,
         (unsigned long long)nsent, load, runs);
  free(d.v);
  free(text);
  return 0;
}

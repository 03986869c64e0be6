/*
** load_conll.c — CoNLL-U and one-token-per-line (.conll, .tok) files.
** The text is rebuilt from the tokens, and the given tokenization and
** sentences are kept exactly (tr_doc.given, tr_doc.given_sents).
*/
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load_int.h"

enum { MAX_LINE_WARNINGS = 10 }; /* per file, then one note */

/* A token's place in the rebuilt text. */
typedef struct tokpos {
  uint64_t start; /* byte offset in the text */
  uint32_t len;   /* bytes */
} tokpos;

/* Builds documents from CoNLL-U or one-token-per-line files. */
typedef struct builder {
  tr_ld *L;              /* the load */
  const char *path;      /* the file */
  const char *stem;      /* for ids "<stem>:<n>" */
  const tr_meta_ent *fm; /* metadata.jsonl entry for the file, or NULL */
  int multi;             /* the file has document markers: ids get ":<n>" */
  int repaired;          /* the file's UTF-8 was repaired */
  int bad_lines;         /* malformed lines reported so far */
  char *text;            /* the document being rebuilt */
  size_t n, cap;         /* its length and allocated size */
  tokpos *toks;          /* its tokens */
  size_t nt, capt;       /* used and allocated entries */
  tr_spans sents;        /* its sentences */
  int in_sent;           /* a sentence is open */
  size_t sent_first;     /* index of the open sentence's first token */
  int space_after;       /* the last token is followed by a space */
  int para_break;        /* "# newpar": the next sentence opens a paragraph */
  long skip_to;          /* CoNLL-U words up to this ID are in a multiword */
  char *doc_id;          /* from "# newdoc id = X", or NULL */
  int explicit_doc;      /* the document was opened by a marker */
  unsigned long docno;   /* number of the document in the file (1-based) */
  uint64_t doc_line;     /* line where the document starts */
  int oom;               /* memory ran out: stop */
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
    tr_ld_report(b->L, TR_WARN, b->path, line, UINT64_MAX,
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
  tr_ld *L = b->L;
  char *id = b->doc_id, *made = NULL;
  tr_doc *d;
  int renamed;

  b_end_sentence(b);
  if (b->oom)
    goto reset;
  if (b->nt == 0) {
    if (b->explicit_doc && id) {
      tr_ld_report(L, TR_WARN, b->path, b->doc_line, UINT64_MAX,
                   "document \"%s\" has no tokens; skipped", id);
      L->st->skipped++;
    } else if (b->explicit_doc) {
      tr_ld_report(L, TR_WARN, b->path, b->doc_line, UINT64_MAX,
                   "document %lu has no tokens; skipped", b->docno);
      L->st->skipped++;
    }
    goto reset;
  }
  if (!id) {
    size_t need = strlen(b->stem) + 32;
    if (!(id = made = malloc(need))) {
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
  tr_ld_added(L, d, id, renamed);
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
  if (tr_ld_finish_doc(L, d, NULL, b->fm))
    b->oom = 1;
  if (b->repaired)
    L->st->repaired++;
reset:
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
static void b_new_doc(builder *b, const char *id, size_t idlen, uint64_t line) {
  b_end_doc(b);
  b->docno++;
  b->explicit_doc = 1;
  b->doc_line = line;
  if (idlen && !(b->doc_id = strndup(id, idlen)))
    b->oom = 1;
}

static void b_bad_line(builder *b, uint64_t line, const char *what) {
  if (b->bad_lines < MAX_LINE_WARNINGS)
    tr_ld_report(b->L, TR_WARN, b->path, line, UINT64_MAX, "%s; line ignored",
                 what);
  else if (b->bad_lines == MAX_LINE_WARNINGS)
    tr_ld_report(b->L, TR_NOTE, b->path, line, UINT64_MAX,
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
void tr_ld_conll(tr_ld *L, const char *path, const char *stem,
                 const tr_fdata *f, const tr_meta_ent *fm, int conllu) {
  tr_prepared pr;
  builder b;
  size_t pos = 0;
  uint64_t line = 0;
  if (tr_ld_prepare(L, path, f, &pr))
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
    tr_ld_oom(L, path, line);
  free(b.text);
  free(b.toks);
  free(b.doc_id);
  tr_spans_free(&b.sents);
  free(pr.copy);
}

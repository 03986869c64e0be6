/*
** load_jsonl.c — JSON Lines: one document per line (id, text, title,
** date, source, author; other fields kept as metadata). Each line is
** parsed where it lies in the file's bytes; a bad line is named by number
** and the rest of the file still loads. The line splitter also serves
** metadata.jsonl (load.c).
*/
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "load_int.h"

/* Split a JSON Lines buffer into lines and parse each in place. Blank
** lines are skipped; a bad line is reported with its number (and the
** column jansson gives) and the others still load. */
void tr_ld_each_json_line(tr_ld *L, const char *path, const char *p, size_t len,
                          tr_json_line_fn fn, void *ud) {
  size_t pos = tr_ld_has_bom(p, len) ? 3 : 0;
  uint64_t line = 0;
  if (len == 0 || tr_ld_only_space(p + pos, len - pos)) {
    tr_ld_report(L, TR_WARN, path, 0, UINT64_MAX,
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
    if (tr_ld_only_space(ls, n))
      continue;
    /* A valid line is parsed where it lies; only a line with invalid
    ** UTF-8 (or a stray CR) is copied to be repaired. */
    copy = tr_clean_text(ls, n, &outlen, &bad_at, &nbad, &oom);
    if (oom) {
      tr_ld_oom(L, path, line);
      continue;
    }
    if (nbad) {
      uint64_t off = start + bad_at;
      if (L->bad_utf8 == TR_UTF8_SKIP) {
        tr_ld_report(L, TR_WARN, path, line, off,
                     "invalid UTF-8 at byte %" PRIu64
                     " (%zu bad sequence%s), record skipped",
                     off, nbad, tr_ld_plural(nbad));
        free(copy);
        L->st->skipped++;
        continue;
      }
      tr_ld_report(L, TR_WARN, path, line, off,
                   "invalid UTF-8 at byte %" PRIu64
                   " (%zu bad sequence%s), replaced with U+FFFD",
                   off, nbad, tr_ld_plural(nbad));
      repaired = 1;
    }
    /* JSON_DECODE_ANY: a line holding a string or number parses, and is
    ** then refused with a plainer message than jansson's. No
    ** JSON_ALLOW_NUL: a "\u0000" would cut every C string made from the
    ** record, so such a record is refused (and named) instead. */
    obj =
        json_loadb(copy ? copy : ls, copy ? outlen : n, JSON_DECODE_ANY, &err);
    free(copy);
    if (!obj) {
      tr_ld_report(L, TR_WARN, path, line, start + (uint64_t)err.position,
                   "invalid JSON at column %d: %s; record skipped", err.column,
                   err.text);
      L->st->skipped++;
      continue;
    }
    if (!json_is_object(obj)) {
      tr_ld_report(L, TR_WARN, path, line, start,
                   "expected a JSON object, found %s; record skipped",
                   tr_ld_json_kind(obj));
      L->st->skipped++;
    } else {
      fn(L, path, line, obj, repaired, ud);
    }
    json_decref(obj);
  }
}

/* Context of a JSON Lines document file. */
typedef struct jsonl_ctx {
  const char *stem;      /* for ids of records without one */
  const tr_meta_ent *fm; /* metadata.jsonl entry for the file, or NULL */
} jsonl_ctx;

static void jsonl_doc(tr_ld *L, const char *path, uint64_t line, json_t *obj,
                      int repaired, void *ud) {
  const jsonl_ctx *x = ud;
  json_t *jt = json_object_get(obj, "text"), *jid = json_object_get(obj, "id");
  char numid[32], *clean, *made = NULL;
  const char *id = NULL, *text;
  size_t tlen, outlen, nbad;
  uint64_t bad_at;
  int oom, renamed;
  tr_doc *d;

  if (!jt) {
    tr_ld_report(L, TR_WARN, path, line, UINT64_MAX,
                 "no \"text\" field; record skipped");
    L->st->skipped++;
    return;
  }
  if (!json_is_string(jt)) {
    tr_ld_report(L, TR_WARN, path, line, UINT64_MAX,
                 "\"text\" is %s, not a string; record skipped",
                 tr_ld_json_kind(jt));
    L->st->skipped++;
    return;
  }
  text = json_string_value(jt);
  tlen = json_string_length(jt);
  /* The text may hold escaped CRs or a BOM: clean it like a file. */
  clean = tr_clean_text(text, tlen, &outlen, &bad_at, &nbad, &oom);
  if (oom) {
    tr_ld_oom(L, path, line);
    return;
  }
  if (clean)
    text = clean, tlen = outlen;
  if (tr_ld_only_space(text, tlen)) {
    tr_ld_report(L, TR_WARN, path, line, UINT64_MAX,
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
  if (!id) { /* "<stem>:<line>": stable as long as the file is */
    size_t need = strlen(x->stem) + 32;
    if (!(made = malloc(need))) {
      free(clean);
      tr_ld_oom(L, path, line);
      return;
    }
    snprintf(made, need, "%s:%" PRIu64, x->stem, line);
    if (jid)
      tr_ld_report(L, TR_WARN, path, line, UINT64_MAX,
                   "field \"id\" is %s; using \"%s\"",
                   json_is_string(jid) ? "empty" : tr_ld_json_kind(jid), made);
    id = made;
  }
  /* a cleaned text is handed over; the string inside the JSON is copied */
  d = clean ? tr_corpus_add(L->c, id, path, clean, tlen, 1, &renamed)
            : tr_corpus_add(L->c, id, path, text, tlen, 0, &renamed);
  if (d) {
    d->line = line;
    tr_ld_added(L, d, id, renamed);
  }
  free(made);
  if (!d) {
    tr_ld_oom(L, path, line);
    return;
  }
  if (tr_ld_finish_doc(L, d, obj, x->fm))
    tr_ld_report(L, TR_ERROR, path, line, UINT64_MAX,
                 "out of memory; metadata incomplete");
  if (repaired)
    L->st->repaired++;
}

void tr_ld_jsonl(tr_ld *L, const char *path, const char *stem,
                 const tr_fdata *f, const tr_meta_ent *fm) {
  jsonl_ctx x = {stem, fm};
  if (tr_ld_is_binary(L, path, f->p, f->len))
    return;
  tr_ld_each_json_line(L, path, f->p, f->len, jsonl_doc, &x);
}

/*
** l_corpus.c — Lua binding of corpora: trawl.open, trawl.newdoc and the
** trawl.Corpus methods (docs, doc, search, close).
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "l_aux.h"
#include "locate.h"

/* ------------------------------------------------------------------ */
/* Diagnostics collected while loading                                 */
/* ------------------------------------------------------------------ */

typedef struct DiagList {
  tr_diag *v;           /* copies of the diagnostics (strings malloc'ed) */
  size_t n, cap;        /* used and allocated entries */
  int quiet;            /* do not print warnings to stderr */
} DiagList;


static void collect_diag(void *ud, const tr_diag *d) {
  DiagList *dl = ud;
  /* quiet: nothing printed; the caller gets the problems (c.problems, or
  ** the message returned with nil) */
  if (!dl->quiet) {
    if (d->line)
      fprintf(stderr, "trawl: %s:%llu: %s\n", d->path,
              (unsigned long long)d->line, d->msg);
    else
      fprintf(stderr, "trawl: %s: %s\n", d->path, d->msg);
  }
  if (dl->n == dl->cap) {
    size_t cap = dl->cap ? dl->cap * 2 : 8;
    tr_diag *v = realloc(dl->v, cap * sizeof *v);
    if (v == NULL) return; /* printed already; the list is best effort */
    dl->v = v;
    dl->cap = cap;
  }
  tr_diag *c = &dl->v[dl->n++];
  *c = *d;
  c->path = tr_l_strdup(d->path);
  c->msg = tr_l_strdup(d->msg);
}

static void free_diags(DiagList *dl) {
  for (size_t i = 0; i < dl->n; i++) {
    free((char *)dl->v[i].path);
    free((char *)dl->v[i].msg);
  }
  free(dl->v);
}

static const char *const level_names[] = {"note", "warning", "error"};

/* [-0, +1, m] */
static void push_diags(lua_State *L, const DiagList *dl) {
  lua_createtable(L, (int)dl->n, 0);
  for (size_t i = 0; i < dl->n; i++) {
    const tr_diag *d = &dl->v[i];
    lua_createtable(L, 0, 5);
    lua_pushstring(L, level_names[d->level > 2 ? 2 : d->level]);
    lua_setfield(L, -2, "level");
    lua_pushstring(L, d->path ? d->path : "");
    lua_setfield(L, -2, "path");
    if (d->line) {
      lua_pushinteger(L, (lua_Integer)d->line);
      lua_setfield(L, -2, "line");
    }
    if (d->offset != UINT64_MAX) {
      lua_pushinteger(L, (lua_Integer)d->offset);
      lua_setfield(L, -2, "offset");
    }
    lua_pushstring(L, d->msg ? d->msg : "");
    lua_setfield(L, -2, "msg");
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
}

/* ------------------------------------------------------------------ */
/* The Corpus userdata                                                 */
/* ------------------------------------------------------------------ */

static void corpus_release(LCorpus *lc) {
  if (lc->store) tr_store_close(lc->store);
  if (lc->c) tr_corpus_free(lc->c);
  free(lc->path);
  free(lc->store_path);
  lc->store = NULL;
  lc->c = NULL;
  lc->path = lc->store_path = NULL;
}

LCorpus *tr_l_pushcorpus(lua_State *L, tr_corpus *c, tr_store *store,
                         const char *path, const char *store_path) {
  /* The userdata exists (and is collectable) before it owns anything, so a
  ** memory error below leaks nothing (liolib's newprefile). */
  LCorpus *lc = lua_newuserdatauv(L, sizeof *lc, 2);
  memset(lc, 0, sizeof *lc);
  lc->problems = LUA_NOREF;
  luaL_setmetatable(L, TR_CORPUS_MT);
  lua_createtable(L, 0, 0);               /* live Doc userdata by index */
  lua_createtable(L, 0, 1);
  lua_pushliteral(L, "v");
  lua_setfield(L, -2, "__mode");
  lua_setmetatable(L, -2);
  lua_setiuservalue(L, -2, 1);
  lc->c = c;
  lc->store = store;
  lc->path = tr_l_strdup(path);
  lc->store_path = tr_l_strdup(store_path);
  return lc;
}

LCorpus *tr_l_checkcorpus(lua_State *L, int arg) {
  LCorpus *lc = luaL_checkudata(L, arg, TR_CORPUS_MT);
  if (lc->c == NULL) luaL_error(L, "attempt to use a closed corpus");
  return lc;
}

/* ------------------------------------------------------------------ */
/* trawl.open                                                          */
/* ------------------------------------------------------------------ */

static int is_sqlite_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return 0;
  char head[16] = {0};
  size_t n = fread(head, 1, sizeof head, f);
  fclose(f);
  return n == 16 && memcmp(head, "SQLite format 3", 16) == 0;
}

typedef struct OpenOpts {
  int bad_utf8;         /* TR_UTF8_REPAIR or TR_UTF8_SKIP */
  int fold_diacritics;  /* tokenizer option */
  int quiet;            /* no warnings on stderr */
  int no_store;         /* do not keep a store */
  const char *store;    /* explicit store file, or NULL for the default */
} OpenOpts;

/* Open path into a new Corpus on the stack; on failure push nil, message.
** Returns the number of values pushed (1 or 2). */
static int open_corpus(lua_State *L, const char *path, const OpenOpts *o) {
  DiagList dl = {NULL, 0, 0, o->quiet};
  char *err = NULL;
  tr_store *store = NULL;
  char *store_path = NULL;
  tr_corpus *c = tr_corpus_new();
  if (c == NULL) return luaL_error(L, "out of memory");

  struct stat st;
  int is_dir = strcmp(path, "-") != 0 && stat(path, &st) == 0 &&
               S_ISDIR(st.st_mode);
  if (!is_dir && strcmp(path, "-") != 0 && is_sqlite_file(path)) {
    /* A store file: its documents are the corpus. */
    store_path = tr_l_strdup(path);
    if (tr_store_open(path, 0, &store, &err) != 0 ||
        tr_store_load(store, c, &err) != 0)
      goto fail;
  } else {
    tr_load_opts lo = {o->bad_utf8, collect_diag, &dl};
    tr_load_stats ls;
    if (tr_load_path(c, path, &lo, &ls) != 0) {
      err = tr_l_strdup(dl.n ? dl.v[dl.n - 1].msg : "cannot read corpus");
      if (dl.n && dl.v[dl.n - 1].path) {
        size_t n = strlen(dl.v[dl.n - 1].path) + strlen(err) + 3;
        char *m = malloc(n);
        if (m) snprintf(m, n, "%s: %s", dl.v[dl.n - 1].path, err);
        free(err);
        err = m;
      }
      goto fail;
    }
    if (!o->no_store && (o->store || is_dir)) {
      int in_cache = 0;
      store_path = o->store ? tr_l_strdup(o->store) : tr_store_for_dir(path, &in_cache);
      tr_sync_stats ss;
      if (store_path == NULL ||
          tr_store_open(store_path, 1, &store, &err) != 0 ||
          tr_store_sync(store, c, &ss, &err) != 0) {
        /* The documents are loaded; a store problem only costs search. */
        fprintf(stderr, "trawl: %s: store unavailable (%s); search is off\n",
                path, err ? err : "no location");
        free(err);
        err = NULL;
        if (store) tr_store_close(store);
        store = NULL;
        free(store_path);
        store_path = NULL;
      }
    }
  }
  LCorpus *lc = tr_l_pushcorpus(L, c, store, path, store_path);
  lc->tok.fold_diacritics = o->fold_diacritics;
  push_diags(L, &dl);
  lc->problems = luaL_ref(L, LUA_REGISTRYINDEX);
  free(store_path);
  free_diags(&dl);
  return 1;

fail:
  if (store) tr_store_close(store);
  tr_corpus_free(c);
  free(store_path);
  free_diags(&dl);
  lua_pushnil(L);
  lua_pushstring(L, err ? err : "cannot open corpus");
  free(err);
  return 2;
}

static void read_open_opts(lua_State *L, int arg, OpenOpts *o) {
  memset(o, 0, sizeof *o);
  if (lua_isnoneornil(L, arg)) return;
  luaL_checktype(L, arg, LUA_TTABLE);
  lua_getfield(L, arg, "bad_utf8");
  const char *b = luaL_optstring(L, -1, "repair");
  if (strcmp(b, "repair") == 0) o->bad_utf8 = TR_UTF8_REPAIR;
  else if (strcmp(b, "skip") == 0) o->bad_utf8 = TR_UTF8_SKIP;
  else luaL_error(L, "bad_utf8 must be \"repair\" or \"skip\", not \"%s\"", b);
  lua_getfield(L, arg, "fold_diacritics");
  o->fold_diacritics = lua_toboolean(L, -1);
  lua_getfield(L, arg, "quiet");
  o->quiet = lua_toboolean(L, -1);
  lua_getfield(L, arg, "store");
  if (lua_type(L, -1) == LUA_TSTRING) o->store = lua_tostring(L, -1);
  else if (lua_type(L, -1) == LUA_TBOOLEAN && !lua_toboolean(L, -1)) o->no_store = 1;
  else if (!lua_isnil(L, -1)) luaL_error(L, "store must be a file name or false");
  /* keep the strings alive on the stack until the caller returns */
}

static int l_open(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  OpenOpts o;
  read_open_opts(L, 2, &o);
  return open_corpus(L, path, &o);
}

/* Used by the command line to open the corpus it was given. */
int tr_l_open(lua_State *L, const char *path, int bad_utf8, int quiet) {
  OpenOpts o = {bad_utf8, 0, quiet, 0, NULL};
  return open_corpus(L, path, &o);
}

/* ------------------------------------------------------------------ */
/* trawl.newdoc                                                        */
/* ------------------------------------------------------------------ */

static const char *const doc_fields[] = {"title", "date", "source", "author"};

/* trawl.newdoc{ text = "..." | tokens = {...}, id =, title =, ... }:
** a one-document corpus. Given tokens are joined by single spaces and
** kept exactly as given (one sentence, unless a token is "\n"). */
static int l_newdoc(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_getfield(L, 1, "id");
  const char *id = luaL_optstring(L, -1, "doc");
  lua_getfield(L, 1, "text");
  lua_getfield(L, 1, "tokens");
  int has_text = !lua_isnil(L, -2), has_toks = !lua_isnil(L, -1);
  luaL_argcheck(L, has_text != has_toks, 1, "give either text or tokens");

  luaL_Buffer b;
  size_t ntok = 0;
  uint32_t *lens = NULL; /* token lengths, read once: offsets follow them */
  if (has_toks) {
    luaL_checktype(L, 4, LUA_TTABLE);
    ntok = lua_rawlen(L, 4);
    lens = lua_newuserdatauv(L, (ntok ? ntok : 1) * sizeof *lens, 0);
    luaL_buffinit(L, &b);
    for (size_t i = 1; i <= ntok; i++) {
      if (lua_rawgeti(L, 4, (lua_Integer)i) != LUA_TSTRING ||
          lua_rawlen(L, -1) == 0 || lua_rawlen(L, -1) > UINT32_MAX)
        return luaL_error(L, "token %d is not a non-empty string", (int)i);
      lens[i - 1] = (uint32_t)lua_rawlen(L, -1);
      if (i > 1) luaL_addchar(&b, ' ');
      luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
  } else {
    luaL_checktype(L, 3, LUA_TSTRING);
    lua_pushvalue(L, 3);
  }
  size_t len;
  const char *text = lua_tolstring(L, -1, &len);

  tr_corpus *c = tr_corpus_new();
  if (c == NULL) return luaL_error(L, "out of memory");
  LCorpus *lc = tr_l_pushcorpus(L, c, NULL, "(newdoc)", NULL);
  int ci = lua_gettop(L);
  (void)lc;
  tr_doc *d = tr_corpus_add(c, id, "(newdoc)", text, len, 0, NULL);
  if (d == NULL) return luaL_error(L, "out of memory");
  for (size_t i = 0; i < sizeof doc_fields / sizeof *doc_fields; i++) {
    lua_getfield(L, 1, doc_fields[i]);
    if (!lua_isnil(L, -1) &&
        tr_doc_set(d, doc_fields[i], luaL_checkstring(L, -1)) != 0)
      return luaL_error(L, "out of memory");
    lua_pop(L, 1);
  }
  if (d->title == NULL || d->title[0] == '\0') {
    char *t = tr_text_title(d->text, d->len);
    if (t == NULL || tr_doc_set(d, "title", t) != 0) {
      free(t);
      return luaL_error(L, "out of memory");
    }
    free(t);
  }
  if (has_toks) {
    /* Keep the given tokenization: offsets follow from the join above. */
    d->given = malloc(sizeof *d->given);
    d->given_sents = malloc(sizeof *d->given_sents);
    if (d->given == NULL || d->given_sents == NULL)
      return luaL_error(L, "out of memory");
    tr_tokens_init(d->given);
    tr_spans_init(d->given_sents);
    uint64_t off = 0, sent_start = 0;
    uint32_t sent_first = 0;
    for (size_t i = 0; i < ntok; i++) {
      if (tr_tokens_add(d->given, d->text, off, lens[i], &lc->tok) != 0)
        return luaL_error(L, "out of memory");
      off += (uint64_t)lens[i] + 1;
    }
    if (ntok > 0 &&
        tr_spans_push(d->given_sents, sent_start, len, sent_first,
                      (uint32_t)ntok) != 0)
      return luaL_error(L, "out of memory");
  }
  tr_l_pushdoc(L, ci, 0);
  return 1;
}

/* ------------------------------------------------------------------ */
/* Corpus methods                                                      */
/* ------------------------------------------------------------------ */


static int docs_iter(lua_State *L) {
  LCorpus *lc = tr_l_checkcorpus(L, lua_upvalueindex(1));
  lua_Integer i = lua_tointeger(L, lua_upvalueindex(2));
  if ((size_t)i >= tr_corpus_count(lc->c)) return 0;
  lua_pushinteger(L, i + 1);
  lua_replace(L, lua_upvalueindex(2));
  tr_l_pushdoc(L, lua_upvalueindex(1), (size_t)i);
  return 1;
}

/* c:docs() — iterator over the documents in corpus order. */
static int c_docs(lua_State *L) {
  tr_l_checkcorpus(L, 1);
  lua_settop(L, 1);
  lua_pushinteger(L, 0);
  lua_pushcclosure(L, docs_iter, 2);
  return 1;
}

/* c:doc(key) — by index (1-based), exact id, or unique id prefix. */
static int c_doc(lua_State *L) {
  LCorpus *lc = tr_l_checkcorpus(L, 1);
  size_t n = tr_corpus_count(lc->c);
  if (lua_type(L, 2) == LUA_TNUMBER) {
    lua_Integer i = luaL_checkinteger(L, 2);
    if (i < 1 || (size_t)i > n) {
      lua_pushnil(L);
      lua_pushfstring(L, "no document %d (the corpus has %d)", (int)i, (int)n);
      return 2;
    }
    tr_l_pushdoc(L, 1, (size_t)i - 1);
    return 1;
  }
  size_t klen;
  const char *key = luaL_checklstring(L, 2, &klen);
  size_t found = tr_corpus_index(lc->c, key);
  if (found == SIZE_MAX) {
    for (size_t i = 0; i < n; i++) {
      if (strncmp(tr_corpus_doc(lc->c, i)->id, key, klen) != 0) continue;
      if (found != SIZE_MAX) {
        lua_pushnil(L);
        lua_pushfstring(L, "document id prefix '%s' is ambiguous", key);
        return 2;
      }
      found = i;
    }
  }
  if (found == SIZE_MAX) {
    lua_pushnil(L);
    lua_pushfstring(L, "no document '%s'", key);
    return 2;
  }
  tr_l_pushdoc(L, 1, found);
  return 1;
}

/* Hits are copied out of the search first and turned into Lua values
** afterwards: raising (out of memory) inside tr_store_search's callback
** would jump over its cleanup. */
typedef struct Hit {
  char *id, *snippet;   /* copies */
  double rank;          /* bm25: lower is better */
  uint64_t *spans;      /* nspans (start, stop) pairs */
  size_t nspans;
} Hit;

typedef struct HitList {
  Hit *v;
  size_t n, cap;
  int oom;              /* a copy failed */
} HitList;

static int collect_hit(void *ud, const tr_hit *h) {
  HitList *hl = ud;
  if (hl->n == hl->cap) {
    size_t cap = hl->cap ? hl->cap * 2 : 16;
    Hit *v = realloc(hl->v, cap * sizeof *v);
    if (v == NULL) return hl->oom = 1;
    hl->v = v;
    hl->cap = cap;
  }
  Hit *x = &hl->v[hl->n++];
  x->id = tr_l_strdup(h->id);
  x->snippet = tr_l_strdup(h->snippet ? h->snippet : "");
  x->rank = h->rank;
  x->nspans = h->nspans;
  x->spans = malloc((h->nspans ? h->nspans : 1) * 2 * sizeof *x->spans);
  if (x->id == NULL || x->snippet == NULL || x->spans == NULL) hl->oom = 1;
  else memcpy(x->spans, h->spans, h->nspans * 2 * sizeof *x->spans);
  return hl->oom;
}

static void free_hits(HitList *hl) {
  for (size_t i = 0; i < hl->n; i++) {
    free(hl->v[i].id);
    free(hl->v[i].snippet);
    free(hl->v[i].spans);
  }
  free(hl->v);
}

/* c:search(query [, {limit = n}]) — FTS5 query over the store. Returns a
** list of {doc, id, rank, snippet, spans = {{start, stop}, ...}}, or nil
** and a message for a malformed query. */
static int c_search(lua_State *L) {
  LCorpus *lc = tr_l_checkcorpus(L, 1);
  const char *q = luaL_checkstring(L, 2);
  lua_Integer limit = 0;
  if (lua_istable(L, 3)) {
    lua_getfield(L, 3, "limit");
    limit = luaL_optinteger(L, -1, 0);
    lua_pop(L, 1);
  }
  if (lc->store == NULL)
    return luaL_error(L, "corpus '%s' has no store: open a directory or give "
                      "{store = FILE} to search it", lc->path);
  HitList hl = {NULL, 0, 0, 0};
  char *err = NULL;
  tr_l_corpus_busy(lc);
  long r = tr_store_search(lc->store, q, (long)limit, collect_hit, &hl, &err);
  tr_l_corpus_done(L, lc);
  if (lc->c == NULL) {
    free_hits(&hl);
    free(err);
    return luaL_error(L, "the corpus was closed during the search");
  }
  if (r < 0 || hl.oom) {
    free_hits(&hl);
    lua_pushnil(L);
    lua_pushstring(L, err ? err : "out of memory");
    free(err);
    return 2;
  }
  /* A memory error below would leak hl; Lua raises those only when the
  ** process is out of memory anyway. */
  lua_settop(L, 2);
  lua_createtable(L, (int)hl.n, 0);
  lua_Integer out = 0;
  for (size_t i = 0; i < hl.n; i++) {
    const Hit *h = &hl.v[i];
    size_t idx = tr_corpus_index(lc->c, h->id);
    if (idx == SIZE_MAX) continue; /* stored but not loaded */
    lua_createtable(L, 0, 5);
    tr_l_pushdoc(L, 1, idx);
    lua_setfield(L, -2, "doc");
    lua_pushstring(L, h->id);
    lua_setfield(L, -2, "id");
    lua_pushnumber(L, h->rank);
    lua_setfield(L, -2, "rank");
    lua_pushstring(L, h->snippet);
    lua_setfield(L, -2, "snippet");
    lua_createtable(L, (int)h->nspans, 0);
    for (size_t j = 0; j < h->nspans; j++) {
      lua_createtable(L, 2, 0);
      lua_pushinteger(L, (lua_Integer)h->spans[2 * j] + 1);
      lua_rawseti(L, -2, 1);
      lua_pushinteger(L, (lua_Integer)h->spans[2 * j + 1]);
      lua_rawseti(L, -2, 2);
      lua_rawseti(L, -2, (lua_Integer)j + 1);
    }
    lua_setfield(L, -2, "spans");
    lua_rawseti(L, -2, ++out);
  }
  free_hits(&hl);
  return 1;
}

static int c_len(lua_State *L) {
  LCorpus *lc = tr_l_checkcorpus(L, 1);
  lua_pushinteger(L, (lua_Integer)tr_corpus_count(lc->c));
  return 1;
}

void tr_l_corpus_busy(LCorpus *lc) { lc->busy++; }

void tr_l_corpus_done(lua_State *L, LCorpus *lc) {
  if (--lc->busy > 0 || !lc->close_pending) return;
  lc->close_pending = 0;
  if (lc->problems != LUA_NOREF) {
    luaL_unref(L, LUA_REGISTRYINDEX, lc->problems);
    lc->problems = LUA_NOREF;
  }
  corpus_release(lc);
}

static int c_close(lua_State *L) {
  LCorpus *lc = luaL_checkudata(L, 1, TR_CORPUS_MT);
  if (lc->busy > 0) { /* a query is under way: close when it ends */
    lc->close_pending = 1;
    return 0;
  }
  if (lc->problems != LUA_NOREF) {
    luaL_unref(L, LUA_REGISTRYINDEX, lc->problems);
    lc->problems = LUA_NOREF;
  }
  corpus_release(lc);
  return 0;
}

static int c_tostring(lua_State *L) {
  LCorpus *lc = luaL_checkudata(L, 1, TR_CORPUS_MT);
  if (lc->c == NULL) lua_pushliteral(L, "trawl.Corpus (closed)");
  else
    lua_pushfstring(L, "trawl.Corpus %s (%d documents)", lc->path,
                    (int)tr_corpus_count(lc->c));
  return 1;
}

static const luaL_Reg corpus_methods[] = {
  {"docs", c_docs}, {"doc", c_doc}, {"search", c_search},
  {"close", c_close}, {NULL, NULL}
};

/* Fields: path, store, count, bytes, problems; else a method. */
static int c_index(lua_State *L) {
  LCorpus *lc = luaL_checkudata(L, 1, TR_CORPUS_MT);
  const char *k = luaL_checkstring(L, 2);
  /* Methods are found on a closed corpus too (close must stay callable);
  ** the methods themselves refuse to work on it. */
  lua_getmetatable(L, 1);
  lua_getfield(L, -1, "methods");
  if (lua_getfield(L, -1, k) != LUA_TNIL) return 1;
  lua_pop(L, 3);
  tr_l_checkcorpus(L, 1);
  if (strcmp(k, "path") == 0) lua_pushstring(L, lc->path);
  else if (strcmp(k, "store") == 0) lua_pushstring(L, lc->store_path);
  else if (strcmp(k, "count") == 0)
    lua_pushinteger(L, (lua_Integer)tr_corpus_count(lc->c));
  else if (strcmp(k, "bytes") == 0)
    lua_pushinteger(L, (lua_Integer)tr_corpus_bytes(lc->c));
  else if (strcmp(k, "problems") == 0)
    lua_rawgeti(L, LUA_REGISTRYINDEX, lc->problems);
  else lua_pushnil(L);
  return 1;
}

static const luaL_Reg corpus_meta[] = {
  {"__index", c_index}, {"__len", c_len}, {"__gc", c_close},
  {"__close", c_close}, {"__tostring", c_tostring}, {NULL, NULL}
};

static const luaL_Reg corpus_funcs[] = {
  {"open", l_open}, {"newdoc", l_newdoc}, {NULL, NULL}
};

/* Add open/newdoc to the trawl table on top of the stack and create the
** Corpus metatable. */
void tr_l_corpus_register(lua_State *L) {
  luaL_setfuncs(L, corpus_funcs, 0);
  luaL_newmetatable(L, TR_CORPUS_MT);
  luaL_setfuncs(L, corpus_meta, 0);
  luaL_newlib(L, corpus_methods);
  lua_setfield(L, -2, "methods");
  lua_pop(L, 1);
}

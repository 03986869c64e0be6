/*
** l_doc.c — Lua binding of documents, tokens and spans (trawl.Doc,
** trawl.Token, trawl.Span).
**
** Lifetimes: a Token or Span holds offsets, never pointers, and keeps its
** Doc in user value 1; a Doc keeps its Corpus in user value 1. So whatever
** a script keeps, the bytes it refers to stay alive, and a closed corpus
** is detected ("document of a closed corpus") instead of read after free.
** Lua sees byte positions the way string.sub does: 1-based, stop
** inclusive, so d.text:sub(t.start, t.stop) == t.text.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "l_aux.h"

/* ------------------------------------------------------------------ */
/* Documents                                                           */
/* ------------------------------------------------------------------ */

void tr_l_pushdoc(lua_State *L, int ci, size_t idx) {
  ci = lua_absindex(L, ci);
  lua_getiuservalue(L, ci, 1);                 /* cache of live Docs */
  if (lua_rawgeti(L, -1, (lua_Integer)idx + 1) == LUA_TUSERDATA) {
    lua_remove(L, -2);
    return;
  }
  lua_pop(L, 1);
  LDoc *ld = lua_newuserdatauv(L, sizeof *ld, 1);
  ld->idx = idx;
  ld->a = NULL;
  luaL_setmetatable(L, TR_DOC_MT);
  lua_pushvalue(L, ci);
  lua_setiuservalue(L, -2, 1);
  lua_pushvalue(L, -1);
  lua_rawseti(L, -3, (lua_Integer)idx + 1);
  lua_remove(L, -2);
}

tr_doc *tr_l_checkdoc(lua_State *L, int arg, LDoc **out) {
  LDoc *ld = luaL_checkudata(L, arg, TR_DOC_MT);
  lua_getiuservalue(L, arg, 1);
  LCorpus *lc = lua_touserdata(L, -1);
  lua_pop(L, 1); /* still referenced by the Doc's user value */
  if (lc == NULL || lc->c == NULL || ld->idx >= tr_corpus_count(lc->c))
    luaL_error(L, "attempt to use a document of a closed corpus");
  if (out) *out = ld;
  return tr_corpus_doc(lc->c, ld->idx);
}

tr_analysis *tr_l_analysis(lua_State *L, int arg) {
  LDoc *ld;
  tr_doc *d = tr_l_checkdoc(L, arg, &ld);
  if (ld->a) return ld->a;
  lua_getiuservalue(L, arg, 1);
  LCorpus *lc = lua_touserdata(L, -1);
  lua_pop(L, 1);
  tr_analysis *a = malloc(sizeof *a);
  if (a == NULL) luaL_error(L, "out of memory");
  tr_analysis_init(a);
  if (tr_analyze(d, &lc->tok, a) != 0) {
    tr_analysis_free(a);
    free(a);
    luaL_error(L, "out of memory analysing document '%s'", d->id);
  }
  ld->a = a;
  return a;
}

static int d_gc(lua_State *L) {
  LDoc *ld = luaL_checkudata(L, 1, TR_DOC_MT);
  if (ld->a) {
    tr_analysis_free(ld->a);
    free(ld->a);
    ld->a = NULL;
  }
  return 0;
}

/* ------------------------------------------------------------------ */
/* Tokens                                                              */
/* ------------------------------------------------------------------ */

typedef struct LToken {
  uint32_t i;           /* index in the document's token list */
} LToken;

/* Push token i of the Doc at di. [-0, +1, m] */
static void push_token(lua_State *L, int di, uint32_t i) {
  di = lua_absindex(L, di);
  LToken *t = lua_newuserdatauv(L, sizeof *t, 1);
  t->i = i;
  luaL_setmetatable(L, TR_TOKEN_MT);
  lua_pushvalue(L, di);
  lua_setiuservalue(L, -2, 1);
}

/* The token at arg; pushes its Doc (left on the stack top). */
static const tr_token *check_token(lua_State *L, int arg, const tr_doc **d,
                                   const tr_analysis **a, uint32_t *idx) {
  LToken *t = luaL_checkudata(L, arg, TR_TOKEN_MT);
  lua_getiuservalue(L, arg, 1);
  *d = tr_l_checkdoc(L, -1, NULL);
  *a = tr_l_analysis(L, -1);
  if (idx) *idx = t->i;
  return &(*a)->toks.v[t->i];
}

/* Token fields, dispatched through a table name -> code (upvalue 1) so the
** hot path is one table lookup, not a chain of strcmp. */
enum {
  TK_TEXT = 1, TK_NORM, TK_START, TK_STOP, TK_KIND, TK_SHAPE, TK_INDEX,
  TK_DOC, TK_FLAGS, TK_PARTS, TK_FLAG /* codes >= TK_FLAG: a flag bit */
};

static const struct { const char *name; uint32_t bit; } flag_fields[] = {
  {"is_alpha", TR_F_ALPHA}, {"is_digit", TR_F_DIGIT},
  {"is_upper", TR_F_UPPER}, {"is_lower", TR_F_LOWER},
  {"is_title", TR_F_TITLE}, {"is_punct", TR_F_PUNCT},
  {"is_space", TR_F_SPACE}, {"is_stop", TR_F_STOP},
  {"like_num", TR_F_LIKE_NUM}, {"like_url", TR_F_LIKE_URL},
  {"like_email", TR_F_LIKE_EMAIL}, {"is_quote", TR_F_QUOTE},
  {"is_bracket", TR_F_BRACKET}, {"is_ascii", TR_F_ASCII},
  {"is_left_punct", TR_F_LEFT_PUNCT}, {"is_right_punct", TR_F_RIGHT_PUNCT},
  {"is_hyphenated", TR_F_HYPHENATED}, {"space_after", TR_F_SPACE_AFTER},
  {"is_abbrev", TR_F_ABBREV},
};
#define NFLAGS (sizeof flag_fields / sizeof *flag_fields)

static int push_parts(lua_State *L, const char *s, size_t len) {
  uint32_t st[64], ln[64];
  size_t n = tr_token_parts(s, len, st, ln, 64);
  if (n > 64) n = 64;
  lua_createtable(L, (int)n, 0);
  for (size_t k = 0; k < n; k++) {
    lua_pushlstring(L, s + st[k], ln[k]);
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
  return 1;
}

static int t_index(lua_State *L) {
  const tr_doc *d;
  const tr_analysis *a;
  uint32_t idx;
  const tr_token *t = check_token(L, 1, &d, &a, &idx);
  lua_pushvalue(L, 2);
  int code = lua_rawget(L, lua_upvalueindex(1)) == LUA_TNUMBER
                 ? (int)lua_tointeger(L, -1) : 0;
  const char *s = d->text + t->start;
  switch (code) {
  case TK_TEXT: lua_pushlstring(L, s, t->len); break;
  case TK_NORM: lua_pushlstring(L, a->toks.norm + t->norm, t->norm_len); break;
  case TK_START: lua_pushinteger(L, (lua_Integer)t->start + 1); break;
  case TK_STOP: lua_pushinteger(L, (lua_Integer)(t->start + t->len)); break;
  case TK_KIND: lua_pushstring(L, tr_kind_name(t->kind)); break;
  case TK_INDEX: lua_pushinteger(L, (lua_Integer)idx + 1); break;
  case TK_DOC: lua_getiuservalue(L, 1, 1); break;
  case TK_SHAPE: {
    char buf[256];
    size_t n = tr_token_shape(s, t->len, buf, sizeof buf);
    lua_pushlstring(L, buf, n);
    break;
  }
  case TK_FLAGS: {
    lua_createtable(L, 0, 4);
    for (size_t k = 0; k < NFLAGS; k++) {
      if (!(t->flags & flag_fields[k].bit)) continue;
      lua_pushboolean(L, 1);
      lua_setfield(L, -2, flag_fields[k].name);
    }
    break;
  }
  case TK_PARTS: return push_parts(L, s, t->len);
  case 0: lua_pushnil(L); break;
  default:
    lua_pushboolean(L, (t->flags & flag_fields[code - TK_FLAG].bit) != 0);
  }
  return 1;
}

static int t_tostring(lua_State *L) {
  const tr_doc *d;
  const tr_analysis *a;
  const tr_token *t = check_token(L, 1, &d, &a, NULL);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  luaL_addstring(&b, "trawl.Token \"");
  luaL_addlstring(&b, d->text + t->start, t->len);
  lua_pushfstring(L, "\" (%s, %d-%d)", tr_kind_name(t->kind),
                  (int)t->start + 1, (int)(t->start + t->len));
  luaL_addvalue(&b);
  luaL_pushresult(&b);
  return 1;
}

static int t_eq(lua_State *L) {
  LToken *x = luaL_checkudata(L, 1, TR_TOKEN_MT);
  LToken *y = luaL_checkudata(L, 2, TR_TOKEN_MT);
  lua_getiuservalue(L, 1, 1);
  lua_getiuservalue(L, 2, 1);
  lua_pushboolean(L, x->i == y->i && lua_rawequal(L, -1, -2));
  return 1;
}

static int tokens_iter(lua_State *L) {
  lua_Integer i = lua_tointeger(L, lua_upvalueindex(2));
  lua_Integer last = lua_tointeger(L, lua_upvalueindex(3));
  if (i > last) return 0;
  lua_pushinteger(L, i + 1);
  lua_replace(L, lua_upvalueindex(2));
  push_token(L, lua_upvalueindex(1), (uint32_t)i - 1);
  return 1;
}

/* Normalise a 1-based [i, j] token range against n tokens. */
static void token_range(lua_State *L, int arg, size_t n, lua_Integer *i,
                        lua_Integer *j) {
  *i = luaL_optinteger(L, arg, 1);
  *j = luaL_optinteger(L, arg + 1, (lua_Integer)n);
  if (*i < 0) *i += (lua_Integer)n + 1;
  if (*j < 0) *j += (lua_Integer)n + 1;
  if (*i < 1) *i = 1;
  if (*j > (lua_Integer)n) *j = (lua_Integer)n;
}

/* d:tokens([i [, j]]) — iterator over tokens i..j (default all). */
static int d_tokens(lua_State *L) {
  tr_analysis *a = tr_l_analysis(L, 1);
  lua_Integer i, j;
  token_range(L, 2, a->toks.n, &i, &j);
  lua_settop(L, 1);
  lua_pushinteger(L, i);
  lua_pushinteger(L, j);
  lua_pushcclosure(L, tokens_iter, 3);
  return 1;
}

/* d:token(i) — token i (1-based; negative counts from the end), or nil. */
static int d_token(lua_State *L) {
  tr_analysis *a = tr_l_analysis(L, 1);
  lua_Integer i = luaL_checkinteger(L, 2);
  if (i < 0) i += (lua_Integer)a->toks.n + 1;
  if (i < 1 || (size_t)i > a->toks.n) return lua_pushnil(L), 1;
  push_token(L, 1, (uint32_t)i - 1);
  return 1;
}

static int d_ntokens(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)tr_l_analysis(L, 1)->toks.n);
  return 1;
}

/* ------------------------------------------------------------------ */
/* Spans: sentences, paragraphs, any byte range                        */
/* ------------------------------------------------------------------ */

enum { SPAN_ANY = 0, SPAN_SENTENCE, SPAN_PARAGRAPH };
static const char *const span_kinds[] = {"span", "sentence", "paragraph"};

typedef struct LSpan {
  uint64_t start, stop; /* byte range, 0-based, stop exclusive */
  uint32_t tok_first;   /* first token inside */
  uint32_t tok_count;   /* tokens inside */
  int kind;             /* SPAN_* */
  uint32_t index;       /* 0-based position among its kind, or 0 */
} LSpan;

static void push_span(lua_State *L, int di, const tr_span *s, int kind,
                      uint32_t index) {
  di = lua_absindex(L, di);
  LSpan *sp = lua_newuserdatauv(L, sizeof *sp, 1);
  sp->start = s->start;
  sp->stop = s->stop;
  sp->tok_first = s->tok_first;
  sp->tok_count = s->tok_count;
  sp->kind = kind;
  sp->index = index;
  luaL_setmetatable(L, TR_SPAN_MT);
  lua_pushvalue(L, di);
  lua_setiuservalue(L, -2, 1);
}

static int spans_iter(lua_State *L) {
  tr_analysis *a = tr_l_analysis(L, lua_upvalueindex(1));
  int kind = (int)lua_tointeger(L, lua_upvalueindex(3));
  const tr_spans *sp = kind == SPAN_SENTENCE ? &a->sents : &a->paras;
  lua_Integer i = lua_tointeger(L, lua_upvalueindex(2));
  if ((size_t)i >= sp->n) return 0;
  lua_pushinteger(L, i + 1);
  lua_replace(L, lua_upvalueindex(2));
  push_span(L, lua_upvalueindex(1), &sp->v[i], kind, (uint32_t)i);
  return 1;
}

static int spans_of(lua_State *L, int kind) {
  tr_l_analysis(L, 1);
  lua_settop(L, 1);
  lua_pushinteger(L, 0);
  lua_pushinteger(L, kind);
  lua_pushcclosure(L, spans_iter, 3);
  return 1;
}

static int d_sentences(lua_State *L) { return spans_of(L, SPAN_SENTENCE); }
static int d_paragraphs(lua_State *L) { return spans_of(L, SPAN_PARAGRAPH); }

static int span_at(lua_State *L, int kind) {
  tr_analysis *a = tr_l_analysis(L, 1);
  const tr_spans *sp = kind == SPAN_SENTENCE ? &a->sents : &a->paras;
  lua_Integer i = luaL_checkinteger(L, 2);
  if (i < 0) i += (lua_Integer)sp->n + 1;
  if (i < 1 || (size_t)i > sp->n) return lua_pushnil(L), 1;
  push_span(L, 1, &sp->v[i - 1], kind, (uint32_t)i - 1);
  return 1;
}

static int d_sentence(lua_State *L) { return span_at(L, SPAN_SENTENCE); }
static int d_paragraph(lua_State *L) { return span_at(L, SPAN_PARAGRAPH); }

static int d_nsentences(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)tr_l_analysis(L, 1)->sents.n);
  return 1;
}

static int d_nparagraphs(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)tr_l_analysis(L, 1)->paras.n);
  return 1;
}

/* string.sub's index rules over len bytes: 1-based, negatives from the
** end, clamped. Writes a 0-based half-open range. */
static void sub_range(lua_State *L, int arg, size_t len, uint64_t *b,
                      uint64_t *e) {
  lua_Integer i = luaL_checkinteger(L, arg);
  lua_Integer j = luaL_optinteger(L, arg + 1, -1);
  lua_Integer n = (lua_Integer)len;
  if (i < 0) i = i < -n ? 1 : n + i + 1;
  else if (i == 0) i = 1;
  if (j < 0) j = j < -n ? 0 : n + j + 1;
  else if (j > n) j = n;
  *b = (uint64_t)(i - 1);
  *e = j >= i ? (uint64_t)j : *b;
}

/* d:sub(i [, j]) — the text between bytes i and j, as string.sub. */
static int d_sub(lua_State *L) {
  tr_doc *d = tr_l_checkdoc(L, 1, NULL);
  uint64_t b, e;
  sub_range(L, 2, d->len, &b, &e);
  lua_pushlstring(L, d->text + b, (size_t)(e - b));
  return 1;
}

/* First token whose end is after off (binary search). */
static uint32_t first_token_after(const tr_tokens *t, uint64_t off) {
  size_t lo = 0, hi = t->n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (t->v[mid].start + t->v[mid].len <= off) lo = mid + 1;
    else hi = mid;
  }
  return (uint32_t)lo;
}

/* d:span(i [, j]) — a Span over bytes i..j, holding the tokens inside. */
static int d_span(lua_State *L) {
  tr_doc *d = tr_l_checkdoc(L, 1, NULL);
  tr_analysis *a = tr_l_analysis(L, 1);
  uint64_t b, e;
  sub_range(L, 2, d->len, &b, &e);
  tr_span s = {b, e, first_token_after(&a->toks, b), 0};
  uint32_t k = s.tok_first;
  while (k < a->toks.n && a->toks.v[k].start + a->toks.v[k].len <= e) k++;
  s.tok_count = k - s.tok_first;
  push_span(L, 1, &s, SPAN_ANY, 0);
  return 1;
}

static LSpan *check_span(lua_State *L, int arg, const tr_doc **d) {
  LSpan *sp = luaL_checkudata(L, arg, TR_SPAN_MT);
  lua_getiuservalue(L, arg, 1);
  *d = tr_l_checkdoc(L, -1, NULL);
  lua_pop(L, 1);
  return sp;
}

/* s:tokens() — iterator over the tokens inside the span. */
static int s_tokens(lua_State *L) {
  const tr_doc *d;
  LSpan *sp = check_span(L, 1, &d);
  lua_getiuservalue(L, 1, 1);
  tr_l_analysis(L, -1);
  lua_pushinteger(L, (lua_Integer)sp->tok_first + 1);
  lua_pushinteger(L, (lua_Integer)sp->tok_first + sp->tok_count);
  lua_pushcclosure(L, tokens_iter, 3);
  return 1;
}

static int s_ntokens(lua_State *L) {
  const tr_doc *d;
  lua_pushinteger(L, (lua_Integer)check_span(L, 1, &d)->tok_count);
  return 1;
}

static int s_index(lua_State *L) {
  const tr_doc *d;
  LSpan *sp = check_span(L, 1, &d);
  const char *k = luaL_checkstring(L, 2);
  if (strcmp(k, "text") == 0)
    lua_pushlstring(L, d->text + sp->start, (size_t)(sp->stop - sp->start));
  else if (strcmp(k, "start") == 0) lua_pushinteger(L, (lua_Integer)sp->start + 1);
  else if (strcmp(k, "stop") == 0) lua_pushinteger(L, (lua_Integer)sp->stop);
  else if (strcmp(k, "kind") == 0) lua_pushstring(L, span_kinds[sp->kind]);
  else if (strcmp(k, "index") == 0)
    lua_pushinteger(L, (lua_Integer)sp->index + 1);
  else if (strcmp(k, "doc") == 0) lua_getiuservalue(L, 1, 1);
  else {
    lua_getmetatable(L, 1);
    lua_getfield(L, -1, "methods");
    lua_getfield(L, -1, k);
  }
  return 1;
}

static int s_tostring(lua_State *L) {
  const tr_doc *d;
  LSpan *sp = check_span(L, 1, &d);
  size_t n = (size_t)(sp->stop - sp->start);
  lua_pushfstring(L, "trawl.Span %s %d-%d \"", span_kinds[sp->kind],
                  (int)sp->start + 1, (int)sp->stop);
  lua_pushlstring(L, d->text + sp->start, n > 60 ? 60 : n);
  lua_pushstring(L, n > 60 ? "...\"" : "\"");
  lua_concat(L, 3);
  return 1;
}

static int s_len(lua_State *L) {
  const tr_doc *d;
  LSpan *sp = check_span(L, 1, &d);
  lua_pushinteger(L, (lua_Integer)(sp->stop - sp->start));
  return 1;
}

/* ------------------------------------------------------------------ */
/* Doc fields                                                          */
/* ------------------------------------------------------------------ */

static void push_opt(lua_State *L, const char *s) {
  if (s) lua_pushstring(L, s);
  else lua_pushnil(L);
}

static int d_index(lua_State *L) {
  LDoc *ld;
  tr_doc *d = tr_l_checkdoc(L, 1, &ld);
  const char *k = luaL_checkstring(L, 2);
  if (strcmp(k, "id") == 0) lua_pushstring(L, d->id);
  else if (strcmp(k, "title") == 0) push_opt(L, d->title);
  else if (strcmp(k, "date") == 0) push_opt(L, d->date);
  else if (strcmp(k, "source") == 0) push_opt(L, d->source);
  else if (strcmp(k, "author") == 0) push_opt(L, d->author);
  else if (strcmp(k, "path") == 0) push_opt(L, d->path);
  else if (strcmp(k, "text") == 0) lua_pushlstring(L, d->text, d->len);
  else if (strcmp(k, "len") == 0) lua_pushinteger(L, (lua_Integer)d->len);
  else if (strcmp(k, "index") == 0) lua_pushinteger(L, (lua_Integer)ld->idx + 1);
  else if (strcmp(k, "hash") == 0) {
    char h[17];
    snprintf(h, sizeof h, "%016llx", (unsigned long long)d->hash);
    lua_pushstring(L, h);
  }
  else if (strcmp(k, "meta") == 0) tr_l_pushjson(L, d->meta);
  else if (strcmp(k, "corpus") == 0) lua_getiuservalue(L, 1, 1);
  else {
    lua_getmetatable(L, 1);
    lua_getfield(L, -1, "methods");
    lua_getfield(L, -1, k);
  }
  return 1;
}

static int d_tostring(lua_State *L) {
  tr_doc *d = tr_l_checkdoc(L, 1, NULL);
  lua_pushfstring(L, "trawl.Doc %s \"%s\" (%d bytes)", d->id,
                  d->title ? d->title : "", (int)d->len);
  return 1;
}

static int d_len(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)tr_l_checkdoc(L, 1, NULL)->len);
  return 1;
}

static int d_eq(lua_State *L) {
  LDoc *x = luaL_checkudata(L, 1, TR_DOC_MT);
  LDoc *y = luaL_checkudata(L, 2, TR_DOC_MT);
  lua_getiuservalue(L, 1, 1);
  lua_getiuservalue(L, 2, 1);
  lua_pushboolean(L, x->idx == y->idx && lua_rawequal(L, -1, -2));
  return 1;
}

/* ------------------------------------------------------------------ */
/* Registration                                                        */
/* ------------------------------------------------------------------ */

static const luaL_Reg doc_methods[] = {
  {"tokens", d_tokens}, {"token", d_token}, {"ntokens", d_ntokens},
  {"sentences", d_sentences}, {"sentence", d_sentence},
  {"nsentences", d_nsentences}, {"paragraphs", d_paragraphs},
  {"paragraph", d_paragraph}, {"nparagraphs", d_nparagraphs},
  {"sub", d_sub}, {"span", d_span}, {NULL, NULL}
};

static const luaL_Reg doc_meta[] = {
  {"__index", d_index}, {"__gc", d_gc}, {"__tostring", d_tostring},
  {"__len", d_len}, {"__eq", d_eq}, {NULL, NULL}
};

static const luaL_Reg token_meta[] = {
  {"__tostring", t_tostring}, {"__eq", t_eq}, {NULL, NULL}
};

static const luaL_Reg span_methods[] = {
  {"tokens", s_tokens}, {"ntokens", s_ntokens}, {NULL, NULL}
};

static const luaL_Reg span_meta[] = {
  {"__index", s_index}, {"__tostring", s_tostring}, {"__len", s_len},
  {NULL, NULL}
};

static void new_meta(lua_State *L, const char *name, const luaL_Reg *meta,
                     const luaL_Reg *methods) {
  luaL_newmetatable(L, name);
  luaL_setfuncs(L, meta, 0);
  if (methods) {
    lua_newtable(L);
    luaL_setfuncs(L, methods, 0);
    lua_setfield(L, -2, "methods");
  }
  lua_pop(L, 1);
}

void tr_l_doc_register(lua_State *L) {
  new_meta(L, TR_DOC_MT, doc_meta, doc_methods);
  new_meta(L, TR_SPAN_MT, span_meta, span_methods);
  luaL_newmetatable(L, TR_TOKEN_MT);
  luaL_setfuncs(L, token_meta, 0);
  /* __index closes over the field-name table. */
  lua_createtable(L, 0, 16 + (int)NFLAGS);
  static const char *const names[] = {"text", "norm", "start", "stop", "kind",
                                      "shape", "index", "doc", "flags",
                                      "parts"};
  for (int k = 0; k < (int)(sizeof names / sizeof *names); k++) {
    lua_pushinteger(L, k + TK_TEXT);
    lua_setfield(L, -2, names[k]);
  }
  for (size_t k = 0; k < NFLAGS; k++) {
    lua_pushinteger(L, (lua_Integer)(TK_FLAG + k));
    lua_setfield(L, -2, flag_fields[k].name);
  }
  lua_pushcclosure(L, t_index, 1);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
}

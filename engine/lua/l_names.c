/*
** l_names.c — the trawl.names Lua module: name keys, name similarity, all
** similar pairs of a list, and acronym definitions (engine/names.c,
** engine/acronym.c). Positions are Lua positions: 1-based, stop inclusive.
*/
#include <stdlib.h>
#include <string.h>

#include "acronym.h"
#include "l_aux.h"
#include "names.h"

static unsigned key_flags(lua_State *L, int arg) {
  unsigned f = 0;
  if (lua_istable(L, arg)) {
    lua_getfield(L, arg, "articles");
    if (lua_toboolean(L, -1)) f |= TR_NK_ARTICLES;
    lua_getfield(L, arg, "spaces");
    if (lua_toboolean(L, -1)) f |= TR_NK_SPACES;
    lua_pop(L, 2);
  } else if (!lua_isnoneornil(L, arg)) {
    luaL_typeerror(L, arg, "table");
  }
  return f;
}

/* names.key(s [, {articles = bool, spaces = bool}]) -> key */
static int n_key(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  unsigned f = key_flags(L, 2);
  char buf[512];
  size_t n = tr_name_key(s, len, f, buf, sizeof buf);
  lua_pushlstring(L, buf, n < sizeof buf ? n : sizeof buf - 1);
  return 1;
}

static tr_name_partial check_partial(lua_State *L, int arg) {
  static const char *const names[] = {"suffix", "prefix", "both", "none", NULL};
  static const tr_name_partial vals[] = {TR_NP_SUFFIX, TR_NP_PREFIX,
                                         TR_NP_BOTH, TR_NP_NONE};
  if (!lua_istable(L, arg)) {
    if (!lua_isnoneornil(L, arg)) luaL_typeerror(L, arg, "table");
    return TR_NP_SUFFIX;
  }
  lua_getfield(L, arg, "partial");
  int i = luaL_checkoption(L, -1, "suffix", names);
  lua_pop(L, 1);
  return vals[i];
}

static void set_num(lua_State *L, const char *k, double v) {
  lua_pushnumber(L, v);
  lua_setfield(L, -2, k);
}

/* names.similar(a, b [, {partial = "suffix"|"prefix"|"both"|"none"}])
** -> score, {key_a, key_b, same_key, edit, jaro_winkler, tokens,
**            reordered, partial} */
static int n_similar(lua_State *L) {
  size_t la, lb;
  const char *a = luaL_checklstring(L, 1, &la);
  const char *b = luaL_checklstring(L, 2, &lb);
  tr_name_partial p = check_partial(L, 3);
  tr_name na, nb;
  tr_name_sim d;
  tr_name_parse(a, la, 0, &na);
  tr_name_parse(b, lb, 0, &nb);
  double s = tr_name_similar(&na, &nb, p, &d);
  lua_pushnumber(L, s);
  lua_createtable(L, 0, 8);
  lua_pushlstring(L, na.key, na.len);
  lua_setfield(L, -2, "key_a");
  lua_pushlstring(L, nb.key, nb.len);
  lua_setfield(L, -2, "key_b");
  lua_pushboolean(L, d.same_key);
  lua_setfield(L, -2, "same_key");
  set_num(L, "edit", d.edit);
  set_num(L, "jaro_winkler", d.jaro_winkler);
  set_num(L, "tokens", d.tokens);
  lua_pushboolean(L, d.reordered);
  lua_setfield(L, -2, "reordered");
  lua_pushboolean(L, d.partial);
  lua_setfield(L, -2, "partial");
  return 2;
}

/* names.distance(a, b) -> weighted edit distance of two keys (as given) */
static int n_distance(lua_State *L) {
  size_t la, lb;
  const char *a = luaL_checklstring(L, 1, &la);
  const char *b = luaL_checklstring(L, 2, &lb);
  lua_pushnumber(L, tr_name_distance(a, la, b, lb));
  return 1;
}

/* names.jaro_winkler(a, b) -> Jaro-Winkler of two strings (as given) */
static int n_jaro_winkler(lua_State *L) {
  size_t la, lb;
  const char *a = luaL_checklstring(L, 1, &la);
  const char *b = luaL_checklstring(L, 2, &lb);
  lua_pushnumber(L, tr_name_jaro_winkler(a, la, b, lb));
  return 1;
}

/* The pairs found so far, in a Lua list at a fixed stack index. */
typedef struct PairOut {
  lua_State *L;
  int list;             /* stack index of the result list */
  lua_Integer n;        /* pairs pushed */
} PairOut;

static int pair_cb(void *ud, size_t i, size_t j, double score) {
  PairOut *o = ud;
  lua_State *L = o->L;
  lua_createtable(L, 3, 0);
  lua_pushinteger(L, (lua_Integer)i + 1);
  lua_rawseti(L, -2, 1);
  lua_pushinteger(L, (lua_Integer)j + 1);
  lua_rawseti(L, -2, 2);
  lua_pushnumber(L, score);
  lua_rawseti(L, -2, 3);
  lua_rawseti(L, o->list, ++o->n);
  return 0;
}

/* names.pairs(list [, {threshold = 0.85, partial = "suffix"}])
** -> {{i, j, score}, ...}: every pair of similar names, i < j, found
** through a bigram index (no all-pairs loop). */
static int n_pairs(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  double thr = 0.85;
  tr_name_partial p = check_partial(L, 2);
  if (lua_istable(L, 2)) {
    lua_getfield(L, 2, "threshold");
    thr = luaL_optnumber(L, -1, 0.85);
    lua_pop(L, 1);
  }
  size_t n = (size_t)luaL_len(L, 1);
  tr_name *v = lua_newuserdatauv(L, (n ? n : 1) * sizeof *v, 0);
  for (size_t i = 0; i < n; i++) {
    lua_geti(L, 1, (lua_Integer)i + 1);
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    if (s == NULL) return luaL_error(L, "names.pairs: item %d is not a string", (int)i + 1);
    tr_name_parse(s, len, 0, &v[i]);
    lua_pop(L, 1);
  }
  lua_newtable(L);
  PairOut o = {L, lua_gettop(L), 0};
  luaL_checkstack(L, 8, "pairs");
  if (tr_name_pairs(v, n, thr, p, pair_cb, &o) < 0)
    return luaL_error(L, "out of memory");
  return 1;
}

/* names.is_acronym(s) -> could s be a short form (AAH, U.S., K24)? */
static int n_is_acronym(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  lua_pushboolean(L, tr_acronym_is_short(s, len));
  return 1;
}

/* names.long_form(short, text) -> long, start, stop | nil: the
** Schwartz-Hearst long form of short at the end of text. */
static int n_long_form(lua_State *L) {
  size_t sl, tl;
  const char *sf = luaL_checklstring(L, 1, &sl);
  const char *text = luaL_checklstring(L, 2, &tl);
  /* the long form ends the text: trailing spaces do not count */
  while (tl > 0 && (text[tl - 1] == ' ' || text[tl - 1] == '\n')) tl--;
  long at = tr_acronym_match(sf, sl, text, tl);
  if (at < 0) {
    lua_pushnil(L);
    return 1;
  }
  lua_pushlstring(L, text + at, tl - (size_t)at);
  lua_pushinteger(L, (lua_Integer)at + 1);
  lua_pushinteger(L, (lua_Integer)tl);
  return 3;
}

static void push_acronyms(lua_State *L, const char *text,
                          const tr_acronyms *a) {
  lua_createtable(L, (int)a->n, 0);
  for (size_t i = 0; i < a->n; i++) {
    const tr_acronym *x = &a->v[i];
    lua_createtable(L, 0, 6);
    lua_pushlstring(L, text + x->short_start, (size_t)(x->short_stop - x->short_start));
    lua_setfield(L, -2, "short");
    lua_pushlstring(L, text + x->long_start, (size_t)(x->long_stop - x->long_start));
    lua_setfield(L, -2, "long");
    lua_pushinteger(L, (lua_Integer)x->short_start + 1);
    lua_setfield(L, -2, "short_start");
    lua_pushinteger(L, (lua_Integer)x->short_stop);
    lua_setfield(L, -2, "short_stop");
    lua_pushinteger(L, (lua_Integer)x->long_start + 1);
    lua_setfield(L, -2, "long_start");
    lua_pushinteger(L, (lua_Integer)x->long_stop);
    lua_setfield(L, -2, "long_stop");
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
}

/* names.acronyms(doc | text) -> {{short, long, short_start, short_stop,
** long_start, long_stop}, ...} */
static int n_acronyms(lua_State *L) {
  tr_acronyms a;
  tr_acronyms_init(&a);
  if (luaL_testudata(L, 1, TR_DOC_MT)) {
    tr_doc *d = tr_l_checkdoc(L, 1, NULL);
    tr_analysis *an = tr_l_analysis(L, 1);
    if (tr_acronyms_find(d->text, d->len, &an->toks, &an->sents, &a) != 0) {
      tr_acronyms_free(&a);
      return luaL_error(L, "out of memory");
    }
    push_acronyms(L, d->text, &a);
    tr_acronyms_free(&a);
    return 1;
  }
  size_t len;
  const char *text = luaL_checklstring(L, 1, &len);
  tr_tokens t;
  tr_spans s;
  tr_tokens_init(&t);
  tr_spans_init(&s);
  int r = tr_tokenize(text, len, NULL, &t);
  if (r == 0) r = tr_sentences(text, len, &t, &s);
  if (r == 0) r = tr_acronyms_find(text, len, &t, &s, &a);
  tr_tokens_free(&t);
  tr_spans_free(&s);
  if (r != 0) {
    tr_acronyms_free(&a);
    return luaL_error(L, "out of memory");
  }
  push_acronyms(L, text, &a);
  tr_acronyms_free(&a);
  return 1;
}

static const luaL_Reg names_funcs[] = {
  {"key", n_key}, {"similar", n_similar}, {"pairs", n_pairs},
  {"distance", n_distance}, {"jaro_winkler", n_jaro_winkler},
  {"acronyms", n_acronyms}, {"long_form", n_long_form},
  {"is_acronym", n_is_acronym},
  {NULL, NULL}
};

/* Called by luaopen_trawl with the trawl table on top: sets trawl.names. */
void tr_l_names_register(lua_State *L) {
  luaL_newlib(L, names_funcs);
  lua_setfield(L, -2, "names");
}

/*
** l_dates.c — temporal expressions from Lua: trawl.dates.parse(text [,
** ref]) and the d:dates() method of trawl.Doc. Both return a list of
** {text, start, stop, type, value, anchor, mod} tables, positions 1-based
** and stop-inclusive as everywhere in the API. trawl.dates.parse is also
** given to rule files (l_sandbox.c), so it touches no registry state.
*/
#include <string.h>

#include "dates.h"
#include "l_aux.h"

/* Push the expressions of text as a list of tables. [-0, +1, m] */
static void push_dates(lua_State *L, const char *text, const tr_dates *ds) {
  lua_createtable(L, (int)ds->n, 0);
  for (size_t i = 0; i < ds->n; i++) {
    const tr_date *x = &ds->v[i];
    lua_createtable(L, 0, 7);
    lua_pushlstring(L, text + x->start, (size_t)(x->stop - x->start));
    lua_setfield(L, -2, "text");
    lua_pushinteger(L, (lua_Integer)x->start + 1);
    lua_setfield(L, -2, "start");
    lua_pushinteger(L, (lua_Integer)x->stop);
    lua_setfield(L, -2, "stop");
    lua_pushstring(L, tr_date_type_name(x->type));
    lua_setfield(L, -2, "type");
    lua_pushstring(L, x->value);
    lua_setfield(L, -2, "value");
    lua_pushstring(L, x->anchor);
    lua_setfield(L, -2, "anchor");
    if (x->mod) {
      lua_pushstring(L, x->mod);
      lua_setfield(L, -2, "mod");
    }
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
}

/* Builds the result table in a protected call, so that a memory error
** while pushing cannot leak the C list. Arguments: text, the list. */
static int push_worker(lua_State *L) {
  const char *text = lua_touserdata(L, 1);
  const tr_dates *ds = lua_touserdata(L, 2);
  push_dates(L, text, ds);
  return 1;
}

static int find_and_push(lua_State *L, const char *text, size_t len,
                         const tr_tokens *toks, const tr_spans *sents,
                         const char *ref) {
  tr_dates ds;
  tr_dates_init(&ds);
  if (tr_dates_find(text, len, toks, sents, ref, &ds) != 0) {
    tr_dates_free(&ds);
    return luaL_error(L, "not enough memory");
  }
  lua_pushcfunction(L, push_worker);
  lua_pushlightuserdata(L, (void *)text);
  lua_pushlightuserdata(L, &ds);
  int status = lua_pcall(L, 2, 1, 0);
  tr_dates_free(&ds);
  if (status != LUA_OK) return lua_error(L);
  return 1;
}

/* trawl.dates.parse(text [, ref]) */
int tr_l_dates_parse(lua_State *L) {
  size_t len;
  const char *text = luaL_checklstring(L, 1, &len);
  const char *ref = luaL_optstring(L, 2, NULL);
  return find_and_push(L, text, len, NULL, NULL, ref);
}

/* d:dates() — against the document's date, on its own tokens. */
static int d_dates(lua_State *L) {
  tr_doc *d = tr_l_checkdoc(L, 1, NULL);
  tr_analysis *a = tr_l_analysis(L, 1);
  return find_and_push(L, d->text ? d->text : "", d->len, &a->toks, &a->sents,
                       d->date);
}

void tr_l_dates_register(lua_State *L) {
  /* trawl.dates = {parse = ...}; the trawl table is on the stack top */
  lua_createtable(L, 0, 1);
  lua_pushcfunction(L, tr_l_dates_parse);
  lua_setfield(L, -2, "parse");
  lua_setfield(L, -2, "dates");
  luaL_getmetatable(L, TR_DOC_MT);
  lua_getfield(L, -1, "methods");
  lua_pushcfunction(L, d_dates);
  lua_setfield(L, -2, "dates");
  lua_pop(L, 2);
}

/*
** l_trawl.c — the `trawl` Lua module: registration of every binding in
** one place (as linit.c does for the standard libraries), plus the small
** free functions: normalize, width, kinds, version.
*/
#include <stdlib.h>
#include <string.h>
#include <lualib.h>
#include <utf8proc.h>

#include "l_aux.h"
#include "l_rules.h"

/* trawl.normalize(s [, {diacritics = true}]) — the normalised form used
** for token norms: NFKC, case-folded, quotes and dashes unified. */
static int l_normalize(lua_State *L) {
  size_t len, outlen;
  const char *s = luaL_checklstring(L, 1, &len);
  int fold = 0;
  if (lua_istable(L, 2)) {
    lua_getfield(L, 2, "diacritics");
    fold = lua_toboolean(L, -1);
    lua_pop(L, 1);
  }
  char *out = tr_normalize(s, len, fold, &outlen);
  if (out == NULL) return luaL_error(L, "out of memory");
  return tr_l_push_malloced(L, out, outlen);
}

/* trawl.width(s) — display width in terminal columns (East Asian wide
** characters count 2, combining marks 0); invalid bytes count 1. */
static int l_width(lua_State *L) {
  size_t len;
  const utf8proc_uint8_t *s =
      (const utf8proc_uint8_t *)luaL_checklstring(L, 1, &len);
  lua_Integer w = 0;
  size_t i = 0;
  while (i < len) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(s + i, (utf8proc_ssize_t)(len - i), &cp);
    if (n <= 0) {
      w += 1;
      i += 1;
      continue;
    }
    w += utf8proc_charwidth(cp);
    i += (size_t)n;
  }
  lua_pushinteger(L, w);
  return 1;
}

/* trawl.corpus() — the corpus named on the command line. */
static int l_corpus(lua_State *L) {
  if (lua_getfield(L, LUA_REGISTRYINDEX, "trawl.cli_corpus") != LUA_TUSERDATA)
    return luaL_error(L, "no corpus was given on the command line "
                      "(trawl run SCRIPT CORPUS ...)");
  return 1;
}

static const luaL_Reg trawl_funcs[] = {
  {"normalize", l_normalize}, {"width", l_width}, {"corpus", l_corpus},
  {"json_decode", tr_l_json_decode},
  {NULL, NULL}
};

int luaopen_trawl(lua_State *L) {
  luaL_newlib(L, trawl_funcs);
  tr_l_corpus_register(L);
  tr_l_doc_register(L);
  tr_l_rules_register(L);
  tr_l_entities_register(L);
  tr_l_stats_register(L);
  tr_l_dates_register(L);
  tr_l_names_register(L);
  lua_pushliteral(L, TRAWL_VERSION);
  lua_setfield(L, -2, "version");
  lua_createtable(L, TR_KIND_MAX, 0);  /* kind names, in kind order */
  for (int k = 1; k < TR_KIND_MAX; k++) {
    lua_pushstring(L, tr_kind_name(k));
    lua_rawseti(L, -2, k);
  }
  lua_setfield(L, -2, "kinds");
  return 1;
}

void tr_l_openlibs(lua_State *L, const char *dir) {
  luaL_openlibs(L);
  /* Shipped modules first: scripts/?.lua and scripts/lib/?.lua. */
  lua_getglobal(L, "package");
  lua_pushfstring(L, "%s/lib/?.lua;%s/lib/?/init.lua;%s/?.lua;", dir, dir, dir);
  lua_getfield(L, -2, "path");
  lua_concat(L, 2);
  lua_setfield(L, -2, "path");
  lua_getfield(L, -1, "preload");
  lua_pushcfunction(L, luaopen_trawl);
  lua_setfield(L, -2, "trawl");
  lua_pop(L, 2);
  luaL_requiref(L, "trawl", luaopen_trawl, 1);
  lua_pop(L, 1);
}

/*
** l_entities.c — applying rulesets to a corpus and reading the entity
** tables from Lua: c:apply, c:entities, c:entity, c:mentions, c:variants,
** and the methods of entity and mention tables (plain tables with a
** metatable: e:mentions(), e:variants(), e:docs(), m:sentence(),
** m:context(n)).
*/
#include <stdlib.h>
#include <string.h>

#include "entities.h"
#include "l_aux.h"
#include "l_rules.h"

#define TR_ENTITY_MT "trawl.Entity"
#define TR_ENTITY_LIST_MT "trawl.EntityList"
#define TR_MENTION_MT "trawl.Mention"

static LCorpus *corpus_with_store(lua_State *L, int arg) {
  LCorpus *lc = tr_l_checkcorpus(L, arg);
  if (lc->store == NULL)
    luaL_error(L, "corpus '%s' has no store: entity tables live in the store "
               "(open a directory, or give {store = FILE})", lc->path);
  return lc;
}

/* ------------------------------------------------------------------ */
/* c:apply                                                             */
/* ------------------------------------------------------------------ */

/* c:apply(rs | {rs, ...} [, {overlaps = "keep"}]) -> stats
** stats = {docs, mentions, failed = {{ruleset, rule, error, line}}} */
static int c_apply(lua_State *L) {
  LCorpus *lc = corpus_with_store(L, 1);
  int n = 0;
  LRuleset *lrs[64];
  if (lua_istable(L, 2) && !luaL_testudata(L, 2, TR_RULESET_MT)) {
    n = (int)luaL_len(L, 2);
    luaL_argcheck(L, n >= 1 && n <= 64, 2, "give 1 to 64 rulesets");
    for (int i = 1; i <= n; i++) {
      lua_geti(L, 2, i);
      lrs[i - 1] = tr_l_checkrules(L, -1);
      lua_pop(L, 1); /* still referenced by the list */
    }
  } else {
    lrs[0] = tr_l_checkrules(L, 2);
    n = 1;
  }
  tr_apply_opts o = {0};
  if (lua_istable(L, 3)) {
    lua_getfield(L, 3, "overlaps");
    const char *ov = luaL_optstring(L, -1, "resolve");
    if (strcmp(ov, "keep") == 0) o.keep_overlaps = 1;
    else if (strcmp(ov, "resolve") != 0)
      return luaL_error(L, "overlaps must be \"resolve\" or \"keep\"");
    lua_pop(L, 1);
  }
  tr_ruleset *rs[64];
  for (int i = 0; i < n; i++) rs[i] = lrs[i]->rs;
  tr_matcher m;
  char *err = NULL;
  if (tr_matcher_build(&m, rs, (size_t)n, &lrs[0]->lim, &err) != 0) {
    lua_pushnil(L);
    lua_pushstring(L, err ? err : "cannot compile the rules");
    free(err);
    return 2;
  }
  tr_cbctx ctx = {lrs, (size_t)n, &m};
  m.callback = tr_l_run_callback;
  m.callback_attrs = tr_l_callback_attrs;
  m.ud = &ctx;
  tr_apply_stats st = {0, 0, 0};
  int r = tr_apply(lc->store, lc->c, &m, &lc->tok, &o, &st, &err);
  tr_matcher_free(&m);
  if (r != 0) {
    lua_pushnil(L);
    lua_pushstring(L, err ? err : "apply failed");
    free(err);
    return 2;
  }
  lua_createtable(L, 0, 3);
  lua_pushinteger(L, (lua_Integer)st.docs);
  lua_setfield(L, -2, "docs");
  lua_pushinteger(L, (lua_Integer)st.mentions);
  lua_setfield(L, -2, "mentions");
  lua_newtable(L);
  lua_Integer nf = 0;
  for (int i = 0; i < n; i++) {
    for (size_t k = 0; k < rs[i]->nrules; k++) {
      const tr_rule *ru = &rs[i]->rules[k];
      if (!ru->failed) continue;
      lua_createtable(L, 0, 4);
      lua_pushstring(L, rs[i]->name);
      lua_setfield(L, -2, "ruleset");
      lua_pushstring(L, ru->id);
      lua_setfield(L, -2, "rule");
      lua_pushstring(L, ru->error ? ru->error : "failed");
      lua_setfield(L, -2, "error");
      lua_pushinteger(L, ru->line);
      lua_setfield(L, -2, "line");
      lua_pushstring(L, rs[i]->path ? rs[i]->path : "");
      lua_setfield(L, -2, "path");
      lua_rawseti(L, -2, ++nf);
    }
  }
  lua_setfield(L, -2, "failed");
  return 1;
}

/* ------------------------------------------------------------------ */
/* Queries                                                             */
/* ------------------------------------------------------------------ */

/* Rows are copied into a Lua table inside the query callback; pushing can
** only fail when Lua is out of memory, and the callback is called from a
** loop that holds one prepared statement, so the stack is checked first. */
typedef struct Rows {
  lua_State *L;
  int ci;               /* corpus stack index */
  lua_Integer n;
} Rows;

/* After a store query run with the corpus marked busy: close it if that
** was asked for meanwhile, and raise on a closed corpus or a failed query.
** [-0, +0, v] */
static void after_query(lua_State *L, LCorpus *lc, long qn, char *err) {
  tr_l_corpus_done(L, lc);
  if (lc->c == NULL) {
    free(err);
    luaL_error(L, "the corpus was closed during the query");
  }
  if (qn < 0) tr_l_error_free(L, err);
}

static void set_s(lua_State *L, const char *k, const char *v) {
  if (v == NULL) return;
  lua_pushstring(L, v);
  lua_setfield(L, -2, k);
}

static int entity_row(void *ud, const tr_entity_row *r) {
  Rows *rows = ud;
  lua_State *L = rows->L;
  lua_createtable(L, 0, 8);
  set_s(L, "id", r->id);
  set_s(L, "type", r->type);
  set_s(L, "name", r->name);
  set_s(L, "ruleset", r->ruleset);
  tr_l_pushjson(L, r->attrs);
  lua_setfield(L, -2, "attrs");
  lua_pushinteger(L, r->mentions);
  lua_setfield(L, -2, "nmentions");
  lua_pushinteger(L, r->docs);
  lua_setfield(L, -2, "ndocs");
  lua_pushinteger(L, rows->n + 1);
  lua_setfield(L, -2, "rank");
  lua_pushvalue(L, rows->ci);
  lua_setfield(L, -2, "corpus");
  luaL_setmetatable(L, TR_ENTITY_MT);
  lua_rawseti(L, -2, ++rows->n);
  return 0;
}

static void read_entity_filter(lua_State *L, int arg, tr_entity_filter *f) {
  memset(f, 0, sizeof *f);
  if (!lua_istable(L, arg)) return;
  lua_getfield(L, arg, "type");
  f->type = luaL_optstring(L, -1, NULL);
  lua_getfield(L, arg, "ruleset");
  f->ruleset = luaL_optstring(L, -1, NULL);
  lua_getfield(L, arg, "id");
  f->id = luaL_optstring(L, -1, NULL);
  /* the strings stay on the stack until the function returns */
}

/* c:entities([{type =, ruleset =}]) -> list of entities, most mentioned
** first. */
static int c_entities(lua_State *L) {
  LCorpus *lc = corpus_with_store(L, 1);
  tr_entity_filter f;
  read_entity_filter(L, 2, &f);
  lua_newtable(L);
  luaL_setmetatable(L, TR_ENTITY_LIST_MT);
  Rows rows = {L, 1, 0};
  char *err = NULL;
  luaL_checkstack(L, 10, "entities");
  tr_l_corpus_busy(lc);
  long qn = tr_entities_query(lc->store, &f, entity_row, &rows, &err);
  after_query(L, lc, qn, err);
  return 1;
}

typedef struct Near {
  const char *want;     /* the id asked for */
  char list[160];       /* ids that contain it, or that it contains */
  int n;
} Near;

static int near_row(void *ud, const tr_entity_row *r) {
  Near *nr = ud;
  if (nr->n >= 3 || !r->id) return nr->n >= 3;
  if (strstr(r->id, nr->want) ||
      (strlen(r->id) >= 4 && strstr(nr->want, r->id)) ||
      (r->name && strstr(r->name, nr->want))) {
    size_t used = strlen(nr->list);
    snprintf(nr->list + used, sizeof nr->list - used, "%s%s", nr->n ? ", " : "",
             r->id);
    nr->n++;
  }
  return 0;
}

/* nil and "no entity 'x' (did you mean y?)": a mistyped id should not
** look like an entity without mentions. */
static int no_entity(lua_State *L, LCorpus *lc, const char *id) {
  Near nr = {id, "", 0};
  tr_entity_filter all = {NULL, NULL, NULL};
  char *err = NULL;
  tr_entities_query(lc->store, &all, near_row, &nr, &err);
  free(err);
  lua_pushnil(L);
  if (nr.n) lua_pushfstring(L, "no entity '%s' (did you mean %s?)", id, nr.list);
  else lua_pushfstring(L, "no entity '%s' in the store", id);
  return 2;
}

/* c:entity(id) -> the entity, or nil and a message */
static int c_entity(lua_State *L) {
  LCorpus *lc = corpus_with_store(L, 1);
  tr_entity_filter f = {NULL, NULL, luaL_checkstring(L, 2)};
  lua_newtable(L);
  Rows rows = {L, 1, 0};
  char *err = NULL;
  tr_l_corpus_busy(lc);
  long qn = tr_entities_query(lc->store, &f, entity_row, &rows, &err);
  after_query(L, lc, qn, err);
  if (lua_rawgeti(L, -1, 1) != LUA_TNIL) return 1;
  return no_entity(L, lc, f.id);
}


static int mention_row(void *ud, const tr_mention_row *r) {
  Rows *rows = ud;
  lua_State *L = rows->L;
  LCorpus *lc = lua_touserdata(L, rows->ci);
  size_t idx = tr_corpus_index(lc->c, r->doc);
  if (idx == SIZE_MAX) return 0; /* stored for a document not loaded */
  /* A mention whose bytes are not the loaded text (the file changed since
  ** the rules were applied) would point at the wrong words: skip it. */
  const tr_doc *d = tr_corpus_doc(lc->c, idx);
  size_t tl = r->text ? strlen(r->text) : 0;
  if (r->start > r->stop || r->stop > d->len || r->stop - r->start != tl ||
      memcmp(d->text + r->start, r->text, tl) != 0)
    return 0;
  lua_createtable(L, 0, 12);
  tr_l_pushdoc(L, rows->ci, idx);
  lua_setfield(L, -2, "doc");
  set_s(L, "docid", r->doc);
  lua_pushinteger(L, (lua_Integer)r->start + 1);
  lua_setfield(L, -2, "start");
  lua_pushinteger(L, (lua_Integer)r->stop);
  lua_setfield(L, -2, "stop");
  set_s(L, "text", r->text);
  set_s(L, "entity", r->entity);
  set_s(L, "type", r->type);
  set_s(L, "rule", r->rule);
  set_s(L, "ruleset", r->ruleset);
  set_s(L, "version", r->version);
  lua_pushnumber(L, r->score);
  lua_setfield(L, -2, "score");
  if (r->attrs) {
    tr_l_pushjson(L, r->attrs);
    lua_setfield(L, -2, "attrs");
  }
  luaL_setmetatable(L, TR_MENTION_MT);
  lua_rawseti(L, -2, ++rows->n);
  return 0;
}

/* c:mentions([{entity =, type =, doc =, ruleset =}]) -> list, in document
** order. */
static int c_mentions(lua_State *L) {
  LCorpus *lc = corpus_with_store(L, 1);
  tr_mention_filter f = {NULL, NULL, NULL, NULL};
  if (lua_istable(L, 2)) {
    lua_getfield(L, 2, "entity");
    f.entity = luaL_optstring(L, -1, NULL);
    lua_getfield(L, 2, "type");
    f.type = luaL_optstring(L, -1, NULL);
    lua_getfield(L, 2, "doc");
    f.doc = luaL_optstring(L, -1, NULL);
    lua_getfield(L, 2, "ruleset");
    f.ruleset = luaL_optstring(L, -1, NULL);
  }
  lua_newtable(L);
  Rows rows = {L, 1, 0};
  char *err = NULL;
  luaL_checkstack(L, 10, "mentions");
  tr_l_corpus_busy(lc);
  long qn = tr_mentions_query(lc->store, &f, mention_row, &rows, &err);
  after_query(L, lc, qn, err);
  return 1;
}

static int variant_row(void *ud, const tr_variant_row *r) {
  Rows *rows = ud;
  lua_State *L = rows->L;
  lua_createtable(L, 0, 3);
  set_s(L, "text", r->text);
  lua_pushinteger(L, r->count);
  lua_setfield(L, -2, "count");
  lua_pushinteger(L, r->docs);
  lua_setfield(L, -2, "docs");
  lua_rawseti(L, -2, ++rows->n);
  return 0;
}

/* c:variants(entity_id) -> list of {text, count, docs}, most frequent
** first. */
static int c_variants(lua_State *L) {
  LCorpus *lc = corpus_with_store(L, 1);
  const char *id = luaL_checkstring(L, 2);
  lua_newtable(L);
  Rows rows = {L, 1, 0};
  char *err = NULL;
  tr_l_corpus_busy(lc);
  long qn = tr_variants_query(lc->store, id, variant_row, &rows, &err);
  after_query(L, lc, qn, err);
  return 1;
}

/* ------------------------------------------------------------------ */
/* Entity and mention methods                                          */
/* ------------------------------------------------------------------ */

/* Call corpus method `name` with (corpus, arg) where arg is built by the
** caller on top of the stack. */
static int call_corpus(lua_State *L, const char *name) {
  lua_getfield(L, 1, "corpus");
  lua_getfield(L, -1, name);
  lua_insert(L, -3);
  lua_insert(L, -2);
  lua_call(L, 2, 1);
  return 1;
}

/* e:mentions() */
static int e_mentions(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_createtable(L, 0, 2);
  lua_getfield(L, 1, "id");
  lua_setfield(L, -2, "entity");
  lua_getfield(L, 1, "ruleset");
  lua_setfield(L, -2, "ruleset");
  return call_corpus(L, "mentions");
}

/* e:variants() */
static int e_variants(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_getfield(L, 1, "id");
  return call_corpus(L, "variants");
}

/* e:count() — number of mentions. */
static int e_count(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_getfield(L, 1, "nmentions");
  return 1;
}

/* A list of entities is also an iterator: `for e in c:entities() do`.
** The generic for passes the previous entity; its rank says where next. */
static int list_call(lua_State *L) {
  lua_Integer next = 1;
  if (lua_istable(L, 3)) {
    lua_getfield(L, 3, "rank");
    next = lua_tointeger(L, -1) + 1;
  }
  lua_rawgeti(L, 1, next);
  return 1;
}

/* e:docs() -> list of {doc, id, count}, most mentions first. */
static int e_docs(lua_State *L) {
  e_mentions(L);
  int ms = lua_gettop(L);
  lua_newtable(L);          /* by doc id -> row */
  int byid = lua_gettop(L);
  lua_newtable(L);          /* the list */
  int list = lua_gettop(L);
  lua_Integer n = 0, len = luaL_len(L, ms);
  for (lua_Integer i = 1; i <= len; i++) {
    lua_geti(L, ms, i);
    lua_getfield(L, -1, "docid");
    lua_pushvalue(L, -1);
    if (lua_rawget(L, byid) == LUA_TNIL) {
      lua_pop(L, 1);
      lua_createtable(L, 0, 3);
      lua_getfield(L, -3, "doc");
      lua_setfield(L, -2, "doc");
      lua_pushvalue(L, -2);
      lua_setfield(L, -2, "id");
      lua_pushinteger(L, 0);
      lua_setfield(L, -2, "count");
      lua_pushvalue(L, -2);
      lua_pushvalue(L, -2);
      lua_rawset(L, byid);
      lua_pushvalue(L, -1);
      lua_rawseti(L, list, ++n);
    }
    lua_getfield(L, -1, "count");
    lua_Integer c = lua_tointeger(L, -1) + 1;
    lua_pop(L, 1);
    lua_pushinteger(L, c);
    lua_setfield(L, -2, "count");
    lua_pop(L, 3);
  }
  /* Most mentions first, then id: sort in Lua would be simpler; n is small. */
  for (lua_Integer i = 2; i <= n; i++) {
    for (lua_Integer j = i; j > 1; j--) {
      lua_geti(L, list, j - 1);
      lua_geti(L, list, j);
      lua_getfield(L, -2, "count");
      lua_getfield(L, -2, "count");
      int swap = lua_tointeger(L, -2) < lua_tointeger(L, -1);
      lua_pop(L, 2);
      if (!swap) {
        lua_pop(L, 2);
        break;
      }
      lua_rawseti(L, list, j - 1);
      lua_rawseti(L, list, j);
    }
  }
  return 1;
}

/* The analysis of a mention's document (the Doc at field "doc"), pushed. */
static tr_analysis *mention_doc(lua_State *L, int mi, tr_doc **d) {
  lua_getfield(L, mi, "doc");
  *d = tr_l_checkdoc(L, -1, NULL);
  return tr_l_analysis(L, -1);
}

/* m:sentence() -> the Span of the sentence holding the mention's start. */
static int m_sentence(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  tr_doc *d;
  tr_analysis *a = mention_doc(L, 1, &d);
  lua_getfield(L, 1, "start");
  lua_Integer si = luaL_checkinteger(L, -1);
  lua_pop(L, 1);
  if (si < 1 || (uint64_t)si > d->len)
    return luaL_error(L, "mention start %d is outside its document (1..%d)",
                      (int)si, (int)d->len);
  uint64_t start = (uint64_t)si - 1;
  size_t lo = 0, hi = a->sents.n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (a->sents.v[mid].stop <= start) lo = mid + 1;
    else hi = mid;
  }
  if (lo == a->sents.n) return lua_pushnil(L), 1;
  lua_getfield(L, -1, "sentence");
  lua_pushvalue(L, -2);
  lua_pushinteger(L, (lua_Integer)lo + 1);
  lua_call(L, 2, 1);
  return 1;
}

/* m:context([n]) -> left, text, right: n tokens (default 8) each side. */
static int m_context(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_Integer n = luaL_optinteger(L, 2, 8);
  tr_doc *d;
  tr_analysis *a = mention_doc(L, 1, &d);
  lua_getfield(L, 1, "start");
  lua_getfield(L, 1, "stop");
  lua_Integer si = luaL_checkinteger(L, -2), ei = luaL_checkinteger(L, -1);
  if (si < 1 || ei < si - 1 || (uint64_t)ei > d->len)
    return luaL_error(L, "mention span %d..%d is outside its document (1..%d)",
                      (int)si, (int)ei, (int)d->len);
  uint64_t s = (uint64_t)si - 1;
  uint64_t e = (uint64_t)ei;
  const tr_tokens *t = &a->toks;
  size_t first = 0;
  while (first < t->n && t->v[first].start + t->v[first].len <= s) first++;
  size_t last = first;
  while (last < t->n && t->v[last].start < e) last++;
  size_t lf = first > (size_t)n ? first - (size_t)n : 0;
  size_t rl = last + (size_t)n < t->n ? last + (size_t)n : t->n;
  uint64_t ls = lf < t->n ? t->v[lf].start : s;
  uint64_t re = rl > 0 && rl - 1 < t->n && rl > last ? t->v[rl - 1].start + t->v[rl - 1].len : e;
  if (ls > s) ls = s;
  if (re < e) re = e;
  lua_pushlstring(L, d->text + ls, (size_t)(s - ls));
  lua_pushlstring(L, d->text + s, (size_t)(e - s));
  lua_pushlstring(L, d->text + e, (size_t)(re - e));
  return 3;
}

static const luaL_Reg entity_methods[] = {
  {"mentions", e_mentions}, {"variants", e_variants}, {"count", e_count},
  {"docs", e_docs}, {NULL, NULL}
};

static const luaL_Reg mention_methods[] = {
  {"sentence", m_sentence}, {"context", m_context}, {NULL, NULL}
};

static const luaL_Reg corpus_entity_methods[] = {
  {"apply", c_apply}, {"entities", c_entities}, {"entity", c_entity},
  {"mentions", c_mentions}, {"variants", c_variants}, {NULL, NULL}
};

/* Add the entity methods to the Corpus metatable's method table and make
** the Entity and Mention metatables. */
void tr_l_entities_register(lua_State *L) {
  luaL_getmetatable(L, TR_CORPUS_MT);
  lua_getfield(L, -1, "methods");
  luaL_setfuncs(L, corpus_entity_methods, 0);
  lua_pop(L, 2);
  luaL_newmetatable(L, TR_ENTITY_MT);
  lua_newtable(L);
  luaL_setfuncs(L, entity_methods, 0);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
  luaL_newmetatable(L, TR_ENTITY_LIST_MT);
  lua_pushcfunction(L, list_call);
  lua_setfield(L, -2, "__call");
  lua_pop(L, 1);
  luaL_newmetatable(L, TR_MENTION_MT);
  lua_newtable(L);
  luaL_setfuncs(L, mention_methods, 0);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
}

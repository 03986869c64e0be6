/*
** l_stats.c — the Lua side of the analysis library's C core (stats.h):
** trawl._stats.freq, .colloc, .kwic, .dups, .cooccur and .is_stopword
** return plain tables of counts; scripts/lib/trawl/analysis.lua turns them
** into the public Corpus methods (c:freq, c:kwic, c:collocations, ...),
** computing every measure in Lua from the counts given here.
**
** Those methods are installed on the Corpus "methods" table as small C
** stubs that `require "trawl.analysis"` on first use and call the Lua
** function of the same name: nothing is loaded at start-up, and the
** module can `require "trawl"` freely (loading it from luaopen_trawl
** would recurse into a half-made trawl table).
**
** Every call keeps its C state in a Job userdata whose __gc frees it, so
** a Lua error raised half-way (a bad option, out of memory) leaks nothing.
*/
#include <stdlib.h>
#include <string.h>

#include "l_aux.h"
#include "l_rules.h"
#include "stats.h"

#define TR_JOB_MT "trawl.StatsJob"

/* ------------------------------------------------------------------ */
/* The job: every C resource of one call                               */
/* ------------------------------------------------------------------ */

typedef struct Job {
  tr_msrc ms;           /* mentions (entity analyses) */
  int has_ms;
  tr_matcher m;         /* rules run on the fly */
  int has_m;
  LRuleset *lrs[64];    /* the rulesets of m (alive on the Lua stack) */
  tr_cbctx ctx;         /* callback context of m */
  char **types;         /* copies of the type filter */
  size_t ntypes;
  tr_intern ids;        /* document ids (id number == document index) */
  int has_ids;
  tr_freq f;
  tr_colloc col;
  tr_kwic kw;
  tr_cooc co;
  tr_dups du;
  tr_regexes *re;
  tr_patterns *pat;
  uint8_t *target;      /* per document: in the target set */
  uint32_t *sel;        /* selected term ids */
  long *row_of;         /* term id -> row number (by_doc) */
  char *err;            /* a message to free */
} Job;

static int job_gc(lua_State *L) {
  Job *j = luaL_checkudata(L, 1, TR_JOB_MT);
  if (j->has_ms) tr_msrc_free(&j->ms);
  if (j->has_m) tr_matcher_free(&j->m);
  for (size_t i = 0; i < j->ntypes; i++) free(j->types[i]);
  free(j->types);
  if (j->has_ids) tr_intern_free(&j->ids);
  tr_freq_free(&j->f);
  tr_colloc_free(&j->col);
  tr_kwic_free(&j->kw);
  tr_cooc_free(&j->co);
  tr_dups_free(&j->du);
  tr_regexes_free(j->re);
  tr_patterns_free(j->pat);
  free(j->target);
  free(j->sel);
  free(j->row_of);
  free(j->err);
  memset(j, 0, sizeof *j);
  return 0;
}

/* Push a new Job. [-0, +1, m] */
static Job *new_job(lua_State *L) {
  Job *j = lua_newuserdatauv(L, sizeof *j, 0);
  memset(j, 0, sizeof *j);
  luaL_setmetatable(L, TR_JOB_MT);
  tr_freq_init(&j->f);
  tr_colloc_init(&j->col);
  tr_kwic_init(&j->kw);
  tr_cooc_init(&j->co);
  return j;
}

/* Raise the job's error (or "out of memory"). */
static int job_fail(lua_State *L, Job *j) {
  if (j->err) {
    lua_pushstring(L, j->err);
    free(j->err);
    j->err = NULL;
    return lua_error(L);
  }
  return luaL_error(L, "out of memory");
}

/* Return nil and the job's error message (a data failure). */
static int job_nil(lua_State *L, Job *j, const char *fallback) {
  lua_pushnil(L);
  lua_pushstring(L, j->err ? j->err : fallback);
  free(j->err);
  j->err = NULL;
  return 2;
}

/* ------------------------------------------------------------------ */
/* Options                                                             */
/* ------------------------------------------------------------------ */

/* Field k of the options table t (0: none), pushed. Returns its type. */
static int opt(lua_State *L, int t, const char *k) {
  if (t == 0) {
    lua_pushnil(L);
    return LUA_TNIL;
  }
  return lua_getfield(L, t, k);
}

static int opt_bool(lua_State *L, int t, const char *k, int def) {
  int ty = opt(L, t, k);
  int v = ty == LUA_TNIL ? def : lua_toboolean(L, -1);
  lua_pop(L, 1);
  return v;
}

static lua_Integer opt_int(lua_State *L, int t, const char *k,
                           lua_Integer def) {
  int ty = opt(L, t, k);
  lua_Integer v = def;
  if (ty != LUA_TNIL) {
    int ok;
    v = lua_tointegerx(L, -1, &ok);
    if (!ok || v < 0) luaL_error(L, "option '%s' must be a non-negative integer", k);
  }
  lua_pop(L, 1);
  return v;
}

static double opt_num(lua_State *L, int t, const char *k, double def) {
  int ty = opt(L, t, k);
  double v = def;
  if (ty != LUA_TNIL) {
    int ok;
    v = lua_tonumberx(L, -1, &ok);
    if (!ok) luaL_error(L, "option '%s' must be a number", k);
  }
  lua_pop(L, 1);
  return v;
}

/* A string option; the string stays alive in the options table. */
static const char *opt_str(lua_State *L, int t, const char *k,
                           const char *def) {
  int ty = opt(L, t, k);
  const char *v = def;
  if (ty == LUA_TSTRING) v = lua_tostring(L, -1);
  else if (ty != LUA_TNIL) luaL_error(L, "option '%s' must be a string", k);
  lua_pop(L, 1);
  return v;
}

/* A string option that must be one of lst; returns its index. */
static int opt_choice(lua_State *L, int t, const char *k, const char *def,
                      const char *const lst[]) {
  const char *v = opt_str(L, t, k, def);
  for (int i = 0; lst[i]; i++)
    if (strcmp(lst[i], v) == 0) return i;
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (int i = 0; lst[i]; i++) {
    luaL_addstring(&b, i ? ", \"" : "\"");
    luaL_addstring(&b, lst[i]);
    luaL_addchar(&b, '"');
  }
  luaL_pushresult(&b);
  return luaL_error(L, "option '%s' must be one of %s, not \"%s\"", k,
                    lua_tostring(L, -1), v);
}

/* skip_duplicates, threshold, min_words: how repeated passages count. */
static void read_walk(lua_State *L, int t, LCorpus *lc, tr_walk_opts *w) {
  memset(w, 0, sizeof *w);
  w->tok = &lc->tok;
  int ty = opt(L, t, "skip_duplicates");
  if (ty == LUA_TBOOLEAN) w->skip = lua_toboolean(L, -1) ? TR_DUP_EXACT : TR_DUP_NONE;
  else if (ty == LUA_TSTRING) {
    const char *s = lua_tostring(L, -1);
    if (strcmp(s, "exact") == 0) w->skip = TR_DUP_EXACT;
    else if (strcmp(s, "near") == 0) w->skip = TR_DUP_NEAR;
    else luaL_error(L, "skip_duplicates must be true, \"exact\" or \"near\", not \"%s\"", s);
  } else if (ty != LUA_TNIL)
    luaL_error(L, "skip_duplicates must be true, \"exact\" or \"near\"");
  lua_pop(L, 1);
  w->dup.threshold = opt_num(L, t, "threshold", 0);
  w->dup.min_words = (unsigned)opt_int(L, t, "min_words", 0);
}

/* The document index of a Doc of corpus ci, or of a document id. */
static size_t doc_arg(lua_State *L, int ci, Job *j, int idx) {
  LCorpus *lc = lua_touserdata(L, ci);
  if (lua_type(L, idx) == LUA_TUSERDATA) {
    LDoc *ld;
    tr_l_checkdoc(L, idx, &ld);
    lua_getiuservalue(L, idx, 1);
    int same = lua_rawequal(L, -1, ci);
    lua_pop(L, 1);
    if (!same) luaL_error(L, "a document of another corpus");
    return ld->idx;
  }
  if (lua_type(L, idx) == LUA_TNUMBER) {
    lua_Integer i = lua_tointeger(L, idx);
    if (i < 1 || (size_t)i > tr_corpus_count(lc->c))
      luaL_error(L, "no document %d", (int)i);
    return (size_t)i - 1;
  }
  size_t len;
  const char *id = luaL_checklstring(L, idx, &len);
  if (!j->has_ids) {
    tr_intern_init(&j->ids);
    j->has_ids = 1;
    for (size_t i = 0; i < tr_corpus_count(lc->c); i++) {
      const char *s = tr_corpus_doc(lc->c, i)->id;
      if (tr_intern_add(&j->ids, s, strlen(s), NULL) < 0)
        luaL_error(L, "out of memory");
    }
  }
  int64_t d = tr_intern_find(&j->ids, id, len);
  if (d < 0) luaL_error(L, "no document '%s'", id);
  return (size_t)d;
}

/* The type filter: types = "PERSON" or {"PERSON", "ORG"}. */
static void read_types(lua_State *L, int t, Job *j) {
  int ty = opt(L, t, "types");
  if (ty == LUA_TNIL) {
    lua_pop(L, 1);
    ty = opt(L, t, "type");
  }
  if (ty == LUA_TNIL) {
    lua_pop(L, 1);
    return;
  }
  if (ty != LUA_TSTRING) luaL_checktype(L, -1, LUA_TTABLE);
  size_t n = ty == LUA_TSTRING ? 1 : (size_t)luaL_len(L, -1);
  j->types = calloc(n ? n : 1, sizeof *j->types);
  if (j->types == NULL) luaL_error(L, "out of memory");
  for (size_t i = 0; i < n; i++) {
    if (ty != LUA_TSTRING) lua_geti(L, -1, (lua_Integer)i + 1);
    const char *s = lua_tostring(L, -1);
    if (s == NULL) luaL_error(L, "types must be strings");
    j->types[j->ntypes] = strdup(s);
    if (j->types[j->ntypes] == NULL) luaL_error(L, "out of memory");
    j->ntypes++;
    if (ty != LUA_TSTRING) lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

/* Build a matcher from rules = rs | {rs, ...} (the table at -1). */
static void read_rules(lua_State *L, Job *j) {
  int n;
  int at = lua_gettop(L);
  if (lua_istable(L, at) && !luaL_testudata(L, at, TR_RULESET_MT)) {
    n = (int)luaL_len(L, at);
    if (n < 1 || n > 64) luaL_error(L, "rules: give 1 to 64 rulesets");
    for (int i = 1; i <= n; i++) {
      lua_geti(L, at, i);
      j->lrs[i - 1] = tr_l_checkrules(L, -1);
      lua_pop(L, 1); /* still referenced by the list */
    }
  } else {
    j->lrs[0] = tr_l_checkrules(L, at);
    n = 1;
  }
  tr_ruleset *rs[64];
  for (int i = 0; i < n; i++) rs[i] = j->lrs[i]->rs;
  if (tr_matcher_build(&j->m, rs, (size_t)n, &j->lrs[0]->lim, &j->err) != 0)
    job_fail(L, j);
  j->has_m = 1;
  j->ctx = (tr_cbctx){j->lrs, (size_t)n, &j->m};
  j->m.callback = tr_l_run_callback;
  j->m.ud = &j->ctx;
  j->ms.m = &j->m;
}

/* Mentions given as a list of mention tables (as c:mentions returns). */
static void read_mention_list(lua_State *L, int ci, Job *j, int list) {
  lua_Integer n = luaL_len(L, list);
  for (lua_Integer i = 1; i <= n; i++) {
    lua_geti(L, list, i);
    int m = lua_gettop(L);
    luaL_checktype(L, m, LUA_TTABLE);
    if (lua_getfield(L, m, "docid") == LUA_TNIL) {
      lua_pop(L, 1);
      lua_getfield(L, m, "doc");
    }
    size_t doc = doc_arg(L, ci, j, -1);
    lua_getfield(L, m, "start");
    lua_getfield(L, m, "stop");
    lua_getfield(L, m, "entity");
    lua_getfield(L, m, "type");
    lua_Integer s = luaL_checkinteger(L, -4), e = luaL_checkinteger(L, -3);
    const char *ent = lua_tostring(L, -2), *type = lua_tostring(L, -1);
    if (s < 1 || e < s - 1) luaL_error(L, "mention %d: bad start/stop", (int)i);
    if (tr_msrc_add(&j->ms, (uint32_t)doc, (uint64_t)s - 1, (uint64_t)e,
                    ent, type ? type : "") != 0)
      luaL_error(L, "out of memory");
    lua_settop(L, m - 1);
  }
  tr_msrc_sort(&j->ms);
}

/* The mention source of an entity analysis: mentions = list, rules = rs,
** or (default) the corpus store; entity limits it to one entity. */
static void read_msrc(lua_State *L, int ci, int t, Job *j,
                      const char *entity) {
  LCorpus *lc = lua_touserdata(L, ci);
  tr_msrc_init(&j->ms);
  j->has_ms = 1;
  read_types(L, t, j);
  j->ms.only_types = (const char *const *)j->types;
  j->ms.ntypes = j->ntypes;
  j->ms.only_entity = entity;
  if (opt(L, t, "mentions") != LUA_TNIL) {
    luaL_checktype(L, -1, LUA_TTABLE);
    read_mention_list(L, ci, j, lua_gettop(L));
    lua_pop(L, 1);
    return;
  }
  lua_pop(L, 1);
  if (opt(L, t, "rules") != LUA_TNIL) {
    read_rules(L, j);
    lua_pop(L, 1);
    return;
  }
  lua_pop(L, 1);
  if (lc->store == NULL)
    luaL_error(L, "corpus '%s' has no store: give {rules = ruleset} or "
               "{mentions = list}, or open a directory and c:apply rules",
               lc->path);
  tr_mention_filter f = {entity, NULL, NULL, opt_str(L, t, "ruleset", NULL)};
  if (tr_msrc_from_store(&j->ms, lc->store, lc->c, &f, &j->err) != 0)
    job_fail(L, j);
}

static void set_int(lua_State *L, const char *k, lua_Integer v) {
  lua_pushinteger(L, v);
  lua_setfield(L, -2, k);
}

static void set_num(lua_State *L, const char *k, double v) {
  lua_pushnumber(L, v);
  lua_setfield(L, -2, k);
}

static void set_lstr(lua_State *L, const char *k, const char *s, size_t n) {
  lua_pushlstring(L, s, n);
  lua_setfield(L, -2, k);
}

static void set_bool(lua_State *L, const char *k, int v) {
  lua_pushboolean(L, v);
  lua_setfield(L, -2, k);
}

/* ------------------------------------------------------------------ */
/* freq                                                                */
/* ------------------------------------------------------------------ */

static const char *const unit_names[] = {"word", "norm", "ngram", "entity",
                                         NULL};

/* _stats.freq(c, opts) -> {rows, N, tokens, ndocs, ntypes, N_target,
** tokens_target, ntarget, sizes}. rows: {term, count, docs, stop,
** target, by_doc = {[docid] = n}}, most frequent first. */
static int s_freq(lua_State *L) {
  LCorpus *lc = tr_l_checkcorpus(L, 1);
  int t = lua_istable(L, 2) ? 2 : 0;
  lua_settop(L, 2);
  Job *j = new_job(L);
  tr_freq_opts o;
  memset(&o, 0, sizeof o);
  o.unit = (tr_unit)(opt_choice(L, t, "unit", "norm", unit_names) + 1);
  o.n = (unsigned)opt_int(L, t, "n", 2);
  if (o.n < 2 || o.n > 8) return luaL_error(L, "n must be 2 to 8");
  o.punct = opt_bool(L, t, "punct", 0);
  o.by_doc = opt_bool(L, t, "by_doc", 0);
  uint64_t min = (uint64_t)opt_int(L, t, "min", 1);
  size_t top = (size_t)opt_int(L, t, "top", 0);
  int keep_stop = opt_bool(L, t, "stopwords", 1);
  size_t ndocs = tr_corpus_count(lc->c);
  if (opt(L, t, "target") != LUA_TNIL) {
    int tl = lua_gettop(L);
    luaL_checktype(L, tl, LUA_TTABLE);
    j->target = calloc(ndocs ? ndocs : 1, 1);
    if (j->target == NULL) return luaL_error(L, "out of memory");
    lua_Integer n = luaL_len(L, tl);
    for (lua_Integer i = 1; i <= n; i++) {
      lua_geti(L, tl, i);
      j->target[doc_arg(L, 1, j, -1)] = 1;
      lua_pop(L, 1);
    }
    o.target = j->target;
  }
  lua_pop(L, 1);
  tr_walk_opts w;
  read_walk(L, t, lc, &w);
  if (o.unit == TR_UNIT_ENTITY) {
    read_msrc(L, 1, t, j, NULL);
    w.ms = &j->ms;
  }
  if (tr_freq_run(&j->f, lc->c, &o, &w, &j->err) != 0) return job_fail(L, j);
  const tr_freq *f = &j->f;
  long n = tr_freq_select(f, min, keep_stop || o.unit == TR_UNIT_ENTITY, top,
                          &j->sel);
  if (n < 0) return luaL_error(L, "out of memory");
  lua_createtable(L, 0, 10);
  int res = lua_gettop(L);
  lua_createtable(L, (int)n, 0);
  int rows = lua_gettop(L);
  if (o.by_doc) {
    j->row_of = malloc((f->terms.n ? f->terms.n : 1) * sizeof *j->row_of);
    if (j->row_of == NULL) return luaL_error(L, "out of memory");
    for (size_t i = 0; i < f->terms.n; i++) j->row_of[i] = 0;
  }
  for (long i = 0; i < n; i++) {
    uint32_t id = j->sel[i];
    size_t len;
    const char *s = tr_intern_str(&f->terms, id, &len);
    lua_createtable(L, 0, 7);
    set_lstr(L, "term", s, len);
    set_int(L, "count", (lua_Integer)f->count[id]);
    set_int(L, "docs", (lua_Integer)f->docs[id]);
    if (o.unit != TR_UNIT_ENTITY) set_bool(L, "stop", f->stop[id]);
    if (o.target) set_int(L, "target", (lua_Integer)f->tcount[id]);
    if (o.by_doc) {
      lua_newtable(L);
      lua_setfield(L, -2, "by_doc");
      j->row_of[id] = i + 1;
    }
    lua_rawseti(L, rows, i + 1);
  }
  if (o.by_doc) {
    for (size_t k = 0; k < f->ncells; k++) {
      const tr_freq_cell *cl = &f->cells[k];
      if (j->row_of[cl->term] == 0) continue;
      lua_rawgeti(L, rows, j->row_of[cl->term]);
      lua_getfield(L, -1, "by_doc");
      lua_pushinteger(L, (lua_Integer)cl->count);
      lua_setfield(L, -2, tr_corpus_doc(lc->c, cl->doc)->id);
      lua_pop(L, 2);
    }
  }
  lua_setfield(L, res, "rows");
  set_int(L, "N", (lua_Integer)f->N);
  set_int(L, "tokens", (lua_Integer)f->tokens);
  set_int(L, "ndocs", (lua_Integer)f->ndocs);
  set_int(L, "ntypes", (lua_Integer)f->terms.n);
  if (o.target) {
    set_int(L, "N_target", (lua_Integer)f->N_target);
    set_int(L, "tokens_target", (lua_Integer)f->tokens_target);
    set_int(L, "ntarget", (lua_Integer)f->ntarget);
  }
  lua_createtable(L, (int)f->ndocs, 0);
  for (size_t d = 0; d < f->ndocs; d++) {
    lua_pushinteger(L, (lua_Integer)f->doc_size[d]);
    lua_rawseti(L, -2, (lua_Integer)d + 1);
  }
  lua_setfield(L, res, "sizes");
  return 1;
}

/* ------------------------------------------------------------------ */
/* collocations                                                        */
/* ------------------------------------------------------------------ */

/* _stats.colloc(c, node, opts) -> {rows = {{term, o11, left, right,
** f_coll, stop}}, f_node, N, window, left, right, node_tokens}. Rows in
** no particular order; o11 >= min and f_coll >= min_freq. */
static int s_colloc(lua_State *L) {
  LCorpus *lc = tr_l_checkcorpus(L, 1);
  size_t nlen;
  const char *node = luaL_checklstring(L, 2, &nlen);
  int t = lua_istable(L, 3) ? 3 : 0;
  lua_settop(L, 3);
  Job *j = new_job(L);
  tr_colloc_opts o;
  memset(&o, 0, sizeof o);
  o.node = node;
  o.node_len = nlen;
  lua_Integer win = opt_int(L, t, "window", 5);
  o.left = (unsigned)opt_int(L, t, "left", win);
  o.right = (unsigned)opt_int(L, t, "right", win);
  o.sentence = opt_bool(L, t, "sentence", 1);
  o.punct = opt_bool(L, t, "punct", 0);
  uint64_t min = (uint64_t)opt_int(L, t, "min", 1);
  uint64_t min_freq = (uint64_t)opt_int(L, t, "min_freq", 1);
  int keep_stop = opt_bool(L, t, "stopwords", 1);
  tr_walk_opts w;
  read_walk(L, t, lc, &w);
  if (tr_colloc_run(&j->col, lc->c, &o, &w, &j->err) != 0) {
    if (j->err) return job_nil(L, j, "");
    return job_fail(L, j);
  }
  const tr_colloc *k = &j->col;
  lua_createtable(L, 0, 8);
  int res = lua_gettop(L);
  lua_newtable(L);
  lua_Integer nr = 0;
  for (size_t id = 0; id < k->f.terms.n; id++) {
    if (k->o11[id] < min || k->o11[id] == 0 || k->f.count[id] < min_freq)
      continue;
    if (!keep_stop && k->f.stop[id]) continue;
    size_t len;
    const char *s = tr_intern_str(&k->f.terms, (uint32_t)id, &len);
    lua_createtable(L, 0, 6);
    set_lstr(L, "term", s, len);
    set_int(L, "o11", (lua_Integer)k->o11[id]);
    set_int(L, "left", (lua_Integer)k->o11_left[id]);
    set_int(L, "right", (lua_Integer)(k->o11[id] - k->o11_left[id]));
    set_int(L, "f_coll", (lua_Integer)k->f.count[id]);
    set_bool(L, "stop", k->f.stop[id]);
    lua_rawseti(L, -2, ++nr);
  }
  lua_setfield(L, res, "rows");
  set_int(L, "f_node", (lua_Integer)k->f_node);
  set_int(L, "N", (lua_Integer)k->f.N);
  set_int(L, "window", (lua_Integer)k->window);
  set_int(L, "left", (lua_Integer)o.left);
  set_int(L, "right", (lua_Integer)o.right);
  set_int(L, "node_tokens", (lua_Integer)k->node_tokens);
  return 1;
}

/* ------------------------------------------------------------------ */
/* kwic                                                                */
/* ------------------------------------------------------------------ */

/* What kind of value a pattern attribute takes. */
enum { VAL_STRING, VAL_NUMBER, VAL_BOOL };

static int attr_value(tr_attr a) {
  if (a == TR_A_LENGTH) return VAL_NUMBER;
  if (a == TR_A_ORTH || a == TR_A_TEXT || a == TR_A_LOWER || a == TR_A_NORM ||
      a == TR_A_SHAPE || a == TR_A_KIND)
    return VAL_STRING;
  return VAL_BOOL;
}

/* A block of memory owned by the anchor table at index anchor. */
static void *anchored(lua_State *L, int anchor, size_t size) {
  void *p = lua_newuserdatauv(L, size ? size : 1, 0);
  memset(p, 0, size ? size : 1);
  lua_rawseti(L, anchor, (lua_Integer)luaL_len(L, anchor) + 1);
  return p;
}

/* Fill predicate p (attribute a, operator op) from the value at -1.
** Returns NULL or a message. Strings point into Lua strings held by the
** pattern table. */
static const char *read_pred(lua_State *L, int anchor, tr_pred *p, tr_attr a,
                             tr_pred_op op) {
  int want = attr_value(a), ty = lua_type(L, -1);
  p->attr = a;
  p->op = op;
  if (op == TR_P_IN || op == TR_P_NOT_IN) {
    if (ty != LUA_TTABLE) return "IN and NOT_IN need a list";
    size_t n = lua_rawlen(L, -1);
    if (want == VAL_NUMBER) {
      double *nums = anchored(L, anchor, n * sizeof *nums);
      for (size_t k = 0; k < n; k++) {
        lua_rawgeti(L, -1, (lua_Integer)k + 1);
        int ok;
        nums[k] = lua_tonumberx(L, -1, &ok);
        lua_pop(L, 1);
        if (!ok) return "LENGTH lists hold numbers";
      }
      p->nums = nums;
      p->is_num = 1;
    } else {
      const char **set = anchored(L, anchor, n * sizeof *set);
      size_t *lens = anchored(L, anchor, n * sizeof *lens);
      for (size_t k = 0; k < n; k++) {
        lua_rawgeti(L, -1, (lua_Integer)k + 1);
        if (lua_type(L, -1) != LUA_TSTRING) return "lists hold strings";
        set[k] = lua_tolstring(L, -1, &lens[k]);
        lua_pop(L, 1); /* the string stays in the list */
      }
      p->set = set;
      p->set_len = lens;
    }
    p->nset = n;
    return NULL;
  }
  if (op == TR_P_REGEX && (want != VAL_STRING || ty != LUA_TSTRING))
    return "REGEX needs a string attribute and a string";
  if (op >= TR_P_LT && want != VAL_NUMBER)
    return "comparisons need a numeric attribute such as LENGTH";
  if (want == VAL_STRING && ty == LUA_TSTRING) {
    p->str = lua_tolstring(L, -1, &p->len);
  } else if (want == VAL_NUMBER && ty == LUA_TNUMBER) {
    p->num = lua_tonumber(L, -1);
    p->is_num = 1;
  } else if (want == VAL_BOOL && ty == LUA_TBOOLEAN) {
    p->num = lua_toboolean(L, -1);
    p->is_num = 1;
  } else {
    return want == VAL_STRING ? "this attribute takes a string"
         : want == VAL_NUMBER ? "this attribute takes a number"
                              : "this attribute takes a boolean";
  }
  return NULL;
}

/* Count the predicates of the spec table at index s. */
static size_t count_preds(lua_State *L, int s) {
  size_t n = 0;
  lua_pushnil(L);
  while (lua_next(L, s)) {
    if (lua_type(L, -1) == LUA_TTABLE && lua_rawlen(L, -1) == 0) {
      lua_pushnil(L);
      while (lua_next(L, -2)) {
        n++;
        lua_pop(L, 1);
      }
    } else {
      n++;
    }
    lua_pop(L, 1);
  }
  return n;
}

/* Compile the token pattern at index pt (rules.md's format: a list of
** {ATTR = value | {OP = value}, OP = "+"}) into j->pat. Returns NULL or
** a message (left on the stack). */
static const char *read_pattern(lua_State *L, Job *j, int pt) {
  lua_newtable(L);
  int anchor = lua_gettop(L);
  size_t n = lua_rawlen(L, pt);
  if (n == 0) return "a pattern is a non-empty list of token specs";
  tr_tok_spec *specs = anchored(L, anchor, n * sizeof *specs);
  for (size_t i = 0; i < n; i++) {
    lua_rawgeti(L, pt, (lua_Integer)i + 1);
    int s = lua_gettop(L);
    if (!lua_istable(L, s))
      return lua_pushfstring(L, "token %d: a spec is a table", (int)i + 1);
    tr_tok_spec *sp = &specs[i];
    sp->op = TR_OP_ONE;
    sp->min = sp->max = 1;
    tr_pred *preds = anchored(L, anchor, count_preds(L, s) * sizeof *preds);
    sp->preds = preds;
    lua_pushnil(L);
    while (lua_next(L, s)) {
      size_t klen;
      const char *key = lua_type(L, -2) == LUA_TSTRING
                            ? lua_tolstring(L, -2, &klen) : NULL;
      if (key == NULL)
        return lua_pushfstring(L, "token %d: keys must be attribute names",
                               (int)i + 1);
      if (klen == 2 && (key[0] == 'O' || key[0] == 'o') &&
          (key[1] == 'P' || key[1] == 'p')) {
        const char *e = NULL;
        size_t vlen;
        const char *v = lua_tolstring(L, -1, &vlen);
        if (v == NULL ||
            tr_tok_op_parse(v, vlen, &sp->op, &sp->min, &sp->max, &e) != 0)
          return lua_pushfstring(L, "token %d: bad OP (%s)", (int)i + 1,
                                 e ? e : "not a string");
        lua_pop(L, 1);
        continue;
      }
      tr_attr a = tr_attr_from_name(key, klen);
      if (a == 0)
        return lua_pushfstring(L, "token %d: unknown attribute '%s'",
                               (int)i + 1, key);
      const char *e = NULL;
      if (lua_type(L, -1) == LUA_TTABLE && lua_rawlen(L, -1) == 0) {
        lua_pushnil(L);
        while (e == NULL && lua_next(L, -2)) {
          size_t plen;
          const char *pk = lua_type(L, -2) == LUA_TSTRING
                               ? lua_tolstring(L, -2, &plen) : "?";
          tr_pred_op op = lua_type(L, -2) == LUA_TSTRING
                              ? tr_pred_op_from_name(pk, plen) : 0;
          if (op == 0) e = "unknown predicate";
          else e = read_pred(L, anchor, &preds[sp->npreds++], a, op);
          lua_pop(L, 1);
        }
        if (e) lua_pop(L, 1); /* the key lua_next left */
      } else {
        e = read_pred(L, anchor, &preds[sp->npreds++], a, TR_P_EQ);
      }
      if (e) return lua_pushfstring(L, "token %d: %s: %s", (int)i + 1, key, e);
      lua_pop(L, 1);
    }
    lua_settop(L, s - 1);
  }
  j->pat = tr_patterns_new();
  if (j->pat == NULL) luaL_error(L, "out of memory");
  char *err = NULL;
  if (tr_patterns_add(j->pat, specs, n, 0, 0, 0, TR_GREEDY_LONGEST, &err)) {
    lua_pushstring(L, err ? err : "out of memory");
    free(err);
    return lua_tostring(L, -1);
  }
  lua_settop(L, anchor); /* the anchor stays: specs point into it */
  return NULL;
}

/* Push text[a, b) with line breaks and tabs as spaces. */
static void push_flat(lua_State *L, const char *s, size_t n) {
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (size_t i = 0; i < n; i++) {
    char ch = s[i];
    luaL_addchar(&b, ch == '\n' || ch == '\r' || ch == '\t' ? ' ' : ch);
  }
  luaL_pushresult(&b);
}

static const char *const sort_names[] = {"doc", "left", "right", NULL};

/* _stats.kwic(c, query, opts) -> {lines | hits, total, N, sizes}, or nil
** and a message for a query that does not compile. */
static int s_kwic(lua_State *L) {
  LCorpus *lc = tr_l_checkcorpus(L, 1);
  int t = lua_istable(L, 3) ? 3 : 0;
  lua_settop(L, 3);
  Job *j = new_job(L);
  tr_kwic_opts o;
  memset(&o, 0, sizeof o);
  tr_walk_opts w;
  read_walk(L, t, lc, &w);
  if (lua_type(L, 2) == LUA_TSTRING) {
    o.kind = TR_Q_PHRASE;
    o.phrase = lua_tolstring(L, 2, &o.phrase_len);
  } else {
    luaL_checktype(L, 2, LUA_TTABLE);
    if (lua_getfield(L, 2, "regex") == LUA_TSTRING) {
      size_t len;
      const char *re = lua_tolstring(L, -1, &len);
      o.kind = TR_Q_REGEX;
      j->re = tr_regexes_new(NULL);
      if (j->re == NULL) return luaL_error(L, "out of memory");
      const char *flags = opt_str(L, 2, "flags", NULL);
      if (tr_regexes_add(j->re, re, len, flags, 0, 0, 0, &j->err) != 0)
        return job_nil(L, j, "out of memory");
      o.re = j->re;
    } else if (lua_getfield(L, 2, "pattern") == LUA_TTABLE) {
      o.kind = TR_Q_PATTERN;
      const char *e = read_pattern(L, j, lua_gettop(L));
      if (e) {
        lua_pushnil(L);
        lua_pushfstring(L, "pattern: %s", e);
        return 2;
      }
      o.pat = j->pat;
    } else if (lua_getfield(L, 2, "entity") == LUA_TSTRING) {
      o.kind = TR_Q_MENTIONS;
      read_msrc(L, 1, t, j, lua_tostring(L, -1));
      w.ms = &j->ms;
    } else if (lua_getfield(L, 2, "mentions") == LUA_TTABLE) {
      o.kind = TR_Q_MENTIONS;
      tr_msrc_init(&j->ms);
      j->has_ms = 1;
      read_mention_list(L, 1, j, lua_gettop(L));
      w.ms = &j->ms;
    } else {
      return luaL_error(L, "a query is a string, {regex = s}, {pattern = "
                        "{...}}, {entity = id} or {mentions = list}");
    }
  }
  o.width = 40;
  int ty = opt(L, t, "width");
  if (ty == LUA_TNUMBER) {
    o.width = (unsigned)luaL_checkinteger(L, -1);
  } else if (ty == LUA_TTABLE) {
    int wt = lua_gettop(L);
    lua_Integer tk = opt_int(L, wt, "tokens", 0);
    lua_Integer ch = opt_int(L, wt, "chars", 0);
    if (tk > 0) {
      o.tokens = 1;
      o.width = (unsigned)tk;
    } else if (ch > 0) {
      o.width = (unsigned)ch;
    } else {
      return luaL_error(L, "width is a number of characters or {tokens = n}");
    }
  } else if (ty != LUA_TNIL) {
    return luaL_error(L, "width is a number of characters or {tokens = n}");
  }
  lua_pop(L, 1);
  o.punct = opt_bool(L, t, "punct", 0);
  int sort = opt_choice(L, t, "sort", "doc", sort_names);
  size_t limit = (size_t)opt_int(L, t, "limit", 0);
  int lines = opt_bool(L, t, "lines", 1);
  if (tr_kwic_run(&j->kw, lc->c, &o, &w, &j->err) != 0) {
    if (j->err) return job_nil(L, j, "");
    return job_fail(L, j);
  }
  tr_kwic_sort(&j->kw, sort);
  const tr_kwic *k = &j->kw;
  size_t n = limit && limit < k->n ? limit : k->n;
  lua_createtable(L, 0, 5);
  int res = lua_gettop(L);
  lua_createtable(L, (int)n, 0);
  for (size_t i = 0; i < n; i++) {
    const tr_kwic_hit *h = &k->v[i];
    const tr_doc *d = tr_corpus_doc(lc->c, h->doc);
    lua_createtable(L, 0, 10);
    if (lines) {
      tr_l_pushdoc(L, 1, h->doc);
      lua_setfield(L, -2, "doc");
      push_flat(L, d->text + h->lstart, (size_t)(h->start - h->lstart));
      lua_setfield(L, -2, "left");
      push_flat(L, d->text + h->start, (size_t)(h->stop - h->start));
      lua_setfield(L, -2, "match");
      push_flat(L, d->text + h->stop, (size_t)(h->rstop - h->stop));
      lua_setfield(L, -2, "right");
      set_int(L, "sentence", (lua_Integer)h->sent + 1);
      set_int(L, "token", (lua_Integer)h->tok + 1);
    } else {
      set_int(L, "doc", (lua_Integer)h->doc + 1);
    }
    lua_pushstring(L, d->id);
    lua_setfield(L, -2, "docid");
    set_int(L, "start", (lua_Integer)h->start + 1);
    set_int(L, "stop", (lua_Integer)h->stop);
    set_int(L, "pos", (lua_Integer)h->pos);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, res, lines ? "lines" : "hits");
  set_int(L, "total", (lua_Integer)k->n);
  set_int(L, "N", (lua_Integer)k->N);
  lua_createtable(L, (int)k->ndocs, 0);
  for (size_t d = 0; d < k->ndocs; d++) {
    lua_pushinteger(L, (lua_Integer)k->sizes[d]);
    lua_rawseti(L, -2, (lua_Integer)d + 1);
  }
  lua_setfield(L, res, "sizes");
  return 1;
}

/* ------------------------------------------------------------------ */
/* duplicates                                                          */
/* ------------------------------------------------------------------ */

/* _stats.dups(c, opts) -> {groups = {{kind, exact, members = {{doc,
** docid, paragraph, start, stop, words, jaccard, estimate, exact, text}}}},
** units, candidates, bands, rows}. */
static int s_dups(lua_State *L) {
  LCorpus *lc = tr_l_checkcorpus(L, 1);
  int t = lua_istable(L, 2) ? 2 : 0;
  lua_settop(L, 2);
  Job *j = new_job(L);
  tr_dup_opts o;
  memset(&o, 0, sizeof o);
  o.min_words = (unsigned)opt_int(L, t, "min_words", 5);
  o.shingle = (unsigned)opt_int(L, t, "shingle", 5);
  o.k = (unsigned)opt_int(L, t, "k", 128);
  o.threshold = opt_num(L, t, "threshold", 0.5);
  o.near = opt_bool(L, t, "near", 1);
  static const char *const levels[] = {"both", "paragraphs", "documents", NULL};
  int lv = opt_choice(L, t, "level", "both", levels);
  o.paragraphs = lv != 2;
  o.documents = lv != 1;
  if (o.threshold <= 0 || o.threshold > 1)
    return luaL_error(L, "threshold must be in (0, 1]");
  if (o.k < 1 || o.k > 512) return luaL_error(L, "k must be 1 to 512");
  if (o.shingle < 1) return luaL_error(L, "shingle must be at least 1");
  if (tr_dups_find(&j->du, lc->c, &lc->tok, &o, &j->err) != 0)
    return job_fail(L, j);
  const tr_dups *du = &j->du;
  lua_createtable(L, 0, 5);
  int res = lua_gettop(L);
  lua_createtable(L, (int)du->ngroups, 0);
  for (size_t g = 0; g < du->ngroups; g++) {
    const tr_dup_group *gr = &du->groups[g];
    lua_createtable(L, 0, 4);
    lua_pushstring(L, gr->document ? "document" : "paragraph");
    lua_setfield(L, -2, "kind");
    set_bool(L, "exact", gr->exact);
    lua_createtable(L, (int)gr->n, 0);
    for (size_t i = 0; i < gr->n; i++) {
      const tr_dup_item *it = &du->items[gr->first + i];
      const tr_doc *d = tr_corpus_doc(lc->c, it->doc);
      lua_createtable(L, 0, 10);
      tr_l_pushdoc(L, 1, it->doc);
      lua_setfield(L, -2, "doc");
      lua_pushstring(L, d->id);
      lua_setfield(L, -2, "docid");
      if (it->para != UINT32_MAX) {
        set_int(L, "paragraph", (lua_Integer)it->para + 1);
        set_lstr(L, "text", d->text + it->start, (size_t)(it->stop - it->start));
      }
      set_int(L, "start", (lua_Integer)it->start + 1);
      set_int(L, "stop", (lua_Integer)it->stop);
      set_int(L, "words", (lua_Integer)it->words);
      set_num(L, "jaccard", it->jaccard);
      set_num(L, "estimate", it->estimate);
      set_bool(L, "exact", it->exact);
      lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "members");
    lua_rawseti(L, -2, (lua_Integer)g + 1);
  }
  lua_setfield(L, res, "groups");
  set_int(L, "units", (lua_Integer)du->units);
  set_int(L, "candidates", (lua_Integer)du->candidates);
  set_int(L, "bands", (lua_Integer)du->bands);
  set_int(L, "rows", (lua_Integer)du->rows);
  return 1;
}

/* ------------------------------------------------------------------ */
/* co-occurrence                                                       */
/* ------------------------------------------------------------------ */

static const char *const within_names[] = {"doc", "paragraph", "sentence",
                                           "window", NULL};

/* _stats.cooccur(c, opts) -> {nodes = {{id, type, mentions, units}},
** pairs = {{a, b, count}} (a, b: node numbers), N, within, window}. */
static int s_cooccur(lua_State *L) {
  LCorpus *lc = tr_l_checkcorpus(L, 1);
  int t = lua_istable(L, 2) ? 2 : 0;
  lua_settop(L, 2);
  Job *j = new_job(L);
  tr_cooc_opts o;
  memset(&o, 0, sizeof o);
  o.within = (tr_within)(opt_choice(L, t, "within", "sentence",
                                    within_names) + 1);
  o.window = (unsigned)opt_int(L, t, "window", 10);
  o.punct = opt_bool(L, t, "punct", 0);
  tr_walk_opts w;
  read_walk(L, t, lc, &w);
  read_msrc(L, 1, t, j, NULL);
  w.ms = &j->ms;
  if (tr_cooc_run(&j->co, lc->c, &o, &w, &j->err) != 0) return job_fail(L, j);
  const tr_cooc *k = &j->co;
  lua_createtable(L, 0, 5);
  int res = lua_gettop(L);
  lua_createtable(L, (int)k->nent, 0);
  for (size_t e = 0; e < k->nent; e++) {
    size_t len;
    const char *s = tr_intern_str(&j->ms.ents, (uint32_t)e, &len);
    lua_createtable(L, 0, 4);
    set_lstr(L, "id", s, len);
    if (k->type[e] != UINT32_MAX) {
      s = tr_intern_str(&j->ms.types, k->type[e], &len);
      set_lstr(L, "type", s, len);
    }
    set_int(L, "mentions", (lua_Integer)k->mentions[e]);
    set_int(L, "units", (lua_Integer)k->units[e]);
    lua_rawseti(L, -2, (lua_Integer)e + 1);
  }
  lua_setfield(L, res, "nodes");
  lua_createtable(L, (int)k->npairs, 0);
  for (size_t i = 0; i < k->npairs; i++) {
    lua_createtable(L, 0, 3);
    set_int(L, "a", (lua_Integer)k->pairs[i].a + 1);
    set_int(L, "b", (lua_Integer)k->pairs[i].b + 1);
    set_int(L, "count", (lua_Integer)k->pairs[i].count);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, res, "pairs");
  set_int(L, "N", (lua_Integer)k->N);
  lua_pushstring(L, within_names[o.within - 1]);
  lua_setfield(L, res, "within");
  set_int(L, "window", (lua_Integer)o.window);
  return 1;
}

/* _stats.mentions(c, opts) -> list of {doc (index), docid, start, stop,
** entity, type}: the mentions of a source (rules run on the fly, the
** store, a list), filtered by types, in corpus order. */
static int s_mentions(lua_State *L) {
  LCorpus *lc = tr_l_checkcorpus(L, 1);
  int t = lua_istable(L, 2) ? 2 : 0;
  lua_settop(L, 2);
  Job *j = new_job(L);
  tr_walk_opts wo;
  read_walk(L, t, lc, &wo);
  read_msrc(L, 1, t, j, opt_str(L, t, "entity", NULL));
  wo.ms = &j->ms;
  lua_newtable(L);
  int list = lua_gettop(L);
  lua_Integer n = 0;
  tr_walk w;
  int r = tr_walk_begin(&w, lc->c, &wo, &j->err);
  while (r == 0 && (r = tr_walk_next(&w)) == 1) {
    r = 0;
    for (size_t i = 0; i < w.nm; i++) {
      const tr_mention *m = &w.m[i];
      size_t len;
      const char *s;
      lua_createtable(L, 0, 6);
      set_int(L, "doc", (lua_Integer)m->doc + 1);
      lua_pushstring(L, w.d->id);
      lua_setfield(L, -2, "docid");
      set_int(L, "start", (lua_Integer)m->start + 1);
      set_int(L, "stop", (lua_Integer)m->stop);
      s = tr_intern_str(&j->ms.ents, m->entity, &len);
      set_lstr(L, "entity", s, len);
      s = tr_intern_str(&j->ms.types, m->type, &len);
      set_lstr(L, "type", s, len);
      lua_rawseti(L, list, ++n);
    }
  }
  tr_walk_end(&w);
  if (r < 0) return job_fail(L, j);
  return 1;
}

/* _stats.is_stopword(s) — is the normalised word in the English list? */
static int s_is_stopword(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  lua_pushboolean(L, tr_is_stopword(s, len));
  return 1;
}

/* ------------------------------------------------------------------ */
/* Registration                                                        */
/* ------------------------------------------------------------------ */

/* A Corpus method that lives in trawl.analysis: require it (once; later
** calls find it in package.loaded) and call the function named by
** upvalue 1 with every argument. */
static int lazy_method(lua_State *L) {
  int nargs = lua_gettop(L);
  lua_getglobal(L, "require");
  lua_pushliteral(L, "trawl.analysis");
  lua_call(L, 1, 1);
  lua_pushvalue(L, lua_upvalueindex(1));
  if (lua_gettable(L, -2) != LUA_TFUNCTION)
    return luaL_error(L, "trawl.analysis has no function '%s'",
                      lua_tostring(L, lua_upvalueindex(1)));
  lua_insert(L, 1);
  lua_pop(L, 1);
  lua_call(L, nargs, LUA_MULTRET);
  return lua_gettop(L);
}

static const char *const lazy_names[] = {"freq", "kwic", "collocations",
  "keyness", "dispersion", "cooccur", "timeline", "duplicates", NULL};

static const luaL_Reg stats_funcs[] = {
  {"freq", s_freq}, {"colloc", s_colloc}, {"kwic", s_kwic},
  {"dups", s_dups}, {"cooccur", s_cooccur}, {"mentions", s_mentions},
  {"is_stopword", s_is_stopword},
  {NULL, NULL}
};

/* Add trawl._stats to the table on top and the analysis methods to the
** Corpus metatable (tr_l_corpus_register must have run). */
void tr_l_stats_register(lua_State *L) {
  luaL_newlib(L, stats_funcs);
  lua_setfield(L, -2, "_stats");
  luaL_newmetatable(L, TR_JOB_MT);
  lua_pushcfunction(L, job_gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
  luaL_getmetatable(L, TR_CORPUS_MT);
  lua_getfield(L, -1, "methods");
  for (int i = 0; lazy_names[i]; i++) {
    lua_pushstring(L, lazy_names[i]);
    lua_pushcclosure(L, lazy_method, 1);
    lua_setfield(L, -2, lazy_names[i]);
  }
  lua_pop(L, 2);
}

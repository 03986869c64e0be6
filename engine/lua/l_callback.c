/*
** l_callback.c — running callback rules in their sandbox, and checking a
** ruleset's examples.
**
** A callback gets a read-only view of the document built in the rule's own
** state, and an emit function. Both are backed by a context userdata that
** is marked dead when the call returns, so a rule that keeps them (in a
** global, say) gets an error on later use instead of touching memory that
** belongs to a finished call.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "l_aux.h"
#include "l_rules.h"

/* ------------------------------------------------------------------ */
/* Labels                                                              */
/* ------------------------------------------------------------------ */

const char *tr_l_label_name(const tr_matcher *m, uint32_t v) {
  if (v >= m->nlabels) return "?";
  const tr_label *lb = &m->labels[v];
  if (lb->entity >= 0) return m->rs[lb->ruleset]->entities[lb->entity].id;
  return lb->type;
}

/* The label value for a name, preferring ruleset rsi; UINT32_MAX if none. */
static uint32_t label_value(const tr_matcher *m, size_t rsi, const char *name) {
  uint32_t other = UINT32_MAX;
  for (size_t v = 0; v < m->nlabels; v++) {
    if (strcmp(tr_l_label_name(m, (uint32_t)v), name) != 0) continue;
    if (m->labels[v].ruleset == rsi) return (uint32_t)v;
    if (other == UINT32_MAX) other = (uint32_t)v;
  }
  return other;
}

/* ------------------------------------------------------------------ */
/* The context of one call                                             */
/* ------------------------------------------------------------------ */

#define CALLCTX_MT "trawl.CallbackContext"

typedef struct CallCtx {
  int live;              /* 0 once the call returned */
  const tr_doc *d;
  const tr_analysis *a;
  uint32_t tok_first, tok_count; /* the tokens the view shows */
  tr_matches *out;       /* where emit appends */
  const tr_matcher *m;
  size_t rsi;            /* index of the ruleset in m */
  uint32_t value;        /* the rule's own label */
  int32_t priority;
} CallCtx;

static CallCtx *live_ctx(lua_State *S, int idx) {
  CallCtx *cc = lua_touserdata(S, idx);
  if (cc == NULL || !cc->live)
    luaL_error(S, "a callback's document and emit are only valid during "
               "the call");
  return cc;
}

/* ------------------------------------------------------------------ */
/* Attributes of emitted spans                                         */
/* ------------------------------------------------------------------ */

/* emit's attrs are kept as JSON texts in the rule's own state, in a table
** at this registry key: {doc = <the document's address>, [k] = json}. A
** match carries k in its extra field; the table is replaced when a new
** document starts, so it holds one document's attributes at a time. */
static const char attrs_key = 0;

/* Append s as a JSON string to b. */
static void json_str(luaL_Buffer *b, const char *s, size_t n) {
  luaL_addchar(b, '"');
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (ch == '"' || ch == '\\') {
      luaL_addchar(b, '\\');
      luaL_addchar(b, (char)ch);
    } else if (ch < 0x20) {
      char esc[8];
      snprintf(esc, sizeof esc, "\\u%04x", ch);
      luaL_addstring(b, esc);
    } else {
      luaL_addchar(b, (char)ch);
    }
  }
  luaL_addchar(b, '"');
}

#define MAX_ATTRS 32

/* Store the attrs table at index t (string keys; string, number or
** boolean values) as a JSON object, keys sorted; returns its index. */
static uint32_t store_attrs(lua_State *S, int t, const CallCtx *cc) {
  const char *keys[MAX_ATTRS];
  int nk = 0;
  lua_pushnil(S);
  while (lua_next(S, t)) {
    int vt = lua_type(S, -1);
    if (lua_type(S, -2) != LUA_TSTRING)
      luaL_error(S, "emit: attrs keys must be strings");
    if (vt != LUA_TSTRING && vt != LUA_TNUMBER && vt != LUA_TBOOLEAN)
      luaL_error(S, "emit: attrs value '%s' must be a string, number or "
                 "boolean", lua_tostring(S, -2));
    if (nk == MAX_ATTRS) luaL_error(S, "emit: more than %d attrs", MAX_ATTRS);
    keys[nk++] = lua_tostring(S, -2); /* the table keeps the key alive */
    lua_pop(S, 1);
  }
  for (int i = 1; i < nk; i++) /* sorted: the same attrs, the same text */
    for (int j = i; j > 0 && strcmp(keys[j - 1], keys[j]) > 0; j--) {
      const char *k = keys[j];
      keys[j] = keys[j - 1];
      keys[j - 1] = k;
    }
  luaL_Buffer b;
  luaL_buffinit(S, &b);
  luaL_addchar(&b, '{');
  for (int i = 0; i < nk; i++) {
    if (i) luaL_addstring(&b, ", ");
    json_str(&b, keys[i], strlen(keys[i]));
    luaL_addstring(&b, ": ");
    lua_getfield(S, t, keys[i]);
    if (lua_type(S, -1) == LUA_TBOOLEAN) {
      luaL_addstring(&b, lua_toboolean(S, -1) ? "true" : "false");
      lua_pop(S, 1);
    } else if (lua_type(S, -1) == LUA_TNUMBER) {
      char num[64];
      if (lua_isinteger(S, -1))
        snprintf(num, sizeof num, "%lld", (long long)lua_tointeger(S, -1));
      else {
        double v = lua_tonumber(S, -1);
        if (v != v || v > 1.7976931348623157e308 || v < -1.7976931348623157e308)
          snprintf(num, sizeof num, "null");
        else
          snprintf(num, sizeof num, "%.17g", v);
      }
      lua_pop(S, 1);
      luaL_addstring(&b, num);
    } else {
      size_t n;
      const char *s = lua_tolstring(S, -1, &n);
      lua_pop(S, 1); /* still in the attrs table */
      json_str(&b, s, n);
    }
  }
  luaL_addchar(&b, '}');
  luaL_pushresult(&b);
  int js = lua_gettop(S);
  /* the list of this document's attrs (a new one for a new document) */
  int fresh = lua_rawgetp(S, LUA_REGISTRYINDEX, &attrs_key) != LUA_TTABLE;
  if (!fresh) {
    lua_getfield(S, -1, "doc");
    fresh = lua_touserdata(S, -1) != (void *)cc->d;
    lua_pop(S, 1);
  }
  if (fresh) {
    lua_pop(S, 1);
    lua_createtable(S, 16, 1);
    lua_pushlightuserdata(S, (void *)cc->d);
    lua_setfield(S, -2, "doc");
    lua_pushvalue(S, -1);
    lua_rawsetp(S, LUA_REGISTRYINDEX, &attrs_key);
  }
  lua_Integer k = (lua_Integer)lua_rawlen(S, -1) + 1;
  if (k >= (lua_Integer)UINT32_MAX) luaL_error(S, "emit: too many attrs");
  lua_pushvalue(S, js);
  lua_rawseti(S, -2, k);
  lua_pop(S, 2);
  return (uint32_t)k;
}

const char *tr_l_callback_attrs(void *ud, const tr_match *x) {
  const tr_cbctx *ctx = ud;
  if (!ctx || x->extra == UINT32_MAX || x->rule >= ctx->m->nrules) return NULL;
  size_t rsi = ctx->m->rules[x->rule].ruleset;
  if (rsi >= ctx->n || !ctx->lrs[rsi]->sb) return NULL;
  lua_State *S = tr_sb_state(ctx->lrs[rsi]->sb);
  /* raw reads only: nothing here allocates, so nothing can raise outside
  ** a protected call */
  if (lua_rawgetp(S, LUA_REGISTRYINDEX, &attrs_key) != LUA_TTABLE) {
    lua_pop(S, 1);
    return NULL;
  }
  const char *s = NULL;
  if (lua_rawgeti(S, -1, (lua_Integer)x->extra) == LUA_TSTRING)
    s = lua_tostring(S, -1); /* kept alive by the table */
  lua_pop(S, 2);
  return s;
}

/* emit(start, stop [, label [, score [, attrs]]]) */
static int cb_emit(lua_State *S) {
  CallCtx *cc = live_ctx(S, lua_upvalueindex(1));
  lua_Integer s = luaL_checkinteger(S, 1), e = luaL_checkinteger(S, 2);
  if (s < 1 || e < s || (size_t)e > cc->d->len)
    return luaL_error(S, "emit: span %d..%d is outside the document (1..%d)",
                      (int)s, (int)e, (int)cc->d->len);
  uint32_t value = cc->value;
  if (!lua_isnoneornil(S, 3)) {
    const char *name = luaL_checkstring(S, 3);
    value = label_value(cc->m, cc->rsi, name);
    if (value == UINT32_MAX)
      return luaL_error(S, "emit: unknown label '%s' (not an entity id or a "
                        "TYPE used by these rules)", name);
  }
  double score = luaL_optnumber(S, 4, 1.0);
  if (!(score >= 0 && score <= 1)) /* also refuses NaN */
    return luaL_error(S, "emit: score must be a number in [0, 1]");
  uint32_t extra = UINT32_MAX;
  if (!lua_isnoneornil(S, 5)) {
    luaL_checktype(S, 5, LUA_TTABLE);
    extra = store_attrs(S, 5, cc);
  }
  tr_match x = {(uint64_t)s - 1, (uint64_t)e, TR_NO_TOKEN, 0, 0, value,
                cc->priority, (float)score, extra};
  if (tr_matches_push(cc->out, &x) != 0) return luaL_error(S, "not enough memory");
  return 0;
}

/* Push the list of tokens tok_first.. (tok_count) as tables. */
static void push_tokens(lua_State *S, const CallCtx *cc) {
  const tr_tokens *t = &cc->a->toks;
  lua_createtable(S, (int)cc->tok_count, 0);
  for (uint32_t i = 0; i < cc->tok_count; i++) {
    const tr_token *k = &t->v[cc->tok_first + i];
    lua_createtable(S, 0, 5);
    lua_pushlstring(S, cc->d->text + k->start, k->len);
    lua_setfield(S, -2, "text");
    lua_pushlstring(S, t->norm + k->norm, k->norm_len);
    lua_setfield(S, -2, "norm");
    lua_pushinteger(S, (lua_Integer)k->start + 1);
    lua_setfield(S, -2, "start");
    lua_pushinteger(S, (lua_Integer)(k->start + k->len));
    lua_setfield(S, -2, "stop");
    lua_pushstring(S, tr_kind_name(k->kind));
    lua_setfield(S, -2, "kind");
    lua_rawseti(S, -2, (lua_Integer)i + 1);
  }
}

/* __index of a view: tokens are built on first use (most callbacks only
** read the text). Upvalue 1: the context userdata. */
static int view_index(lua_State *S) {
  CallCtx *cc = live_ctx(S, lua_upvalueindex(1));
  if (lua_type(S, 2) == LUA_TSTRING && strcmp(lua_tostring(S, 2), "tokens") == 0) {
    push_tokens(S, cc);
    lua_pushliteral(S, "tokens");
    lua_pushvalue(S, -2);
    lua_rawset(S, 1);
    return 1;
  }
  return 0;
}

static int view_newindex(lua_State *S) {
  return luaL_error(S, "the document is read-only in a callback");
}

/* Push a view table: fields set raw, tokens lazily (when with_tokens),
** writes refused. Its metatable closes over the context userdata at ci. */
static void push_view(lua_State *S, int ci, int with_tokens) {
  lua_newtable(S);
  lua_createtable(S, 0, 3);
  if (with_tokens) {
    lua_pushvalue(S, ci);
    lua_pushcclosure(S, view_index, 1);
    lua_setfield(S, -2, "__index");
  }
  lua_pushcfunction(S, view_newindex);
  lua_setfield(S, -2, "__newindex");
  lua_pushboolean(S, 0);
  lua_setfield(S, -2, "__metatable");
  lua_setmetatable(S, -2);
}

/* Fields are set before the metatable refuses writes: rawset. */
static void raw_str(lua_State *S, const char *k, const char *v, size_t n) {
  lua_pushstring(S, k);
  lua_pushlstring(S, v, n);
  lua_rawset(S, -3);
}

static void raw_int(lua_State *S, const char *k, lua_Integer v) {
  lua_pushstring(S, k);
  lua_pushinteger(S, v);
  lua_rawset(S, -3);
}

/* Push the document view for cc (tokens: the whole document). */
static void push_doc_view(lua_State *S, int ci, const tr_doc *d,
                          int with_tokens) {
  push_view(S, ci, with_tokens);
  raw_str(S, "id", d->id, strlen(d->id));
  raw_str(S, "text", d->text, d->len);
  static const char *const f[] = {"title", "date", "source"};
  const char *v[] = {d->title, d->date, d->source};
  for (int i = 0; i < 3; i++)
    if (v[i]) raw_str(S, f[i], v[i], strlen(v[i]));
}

/* ------------------------------------------------------------------ */
/* Running a callback                                                  */
/* ------------------------------------------------------------------ */

static LRuleset *find_lrs(const tr_cbctx *ctx, const tr_ruleset *rs,
                          size_t *rsi) {
  for (size_t i = 0; i < ctx->n; i++)
    if (ctx->lrs[i]->rs == rs) {
      *rsi = i;
      return ctx->lrs[i];
    }
  return NULL;
}

/* One run of a callback rule over a document. */
typedef struct CbRun {
  LRuleset *lr;
  const tr_rule *r;
  int ref;               /* the function, in the sandbox registry */
  const tr_doc *d;
  const tr_analysis *a;
  CallCtx *cc;           /* set by cb_run: marked dead when the call ends */
  CallCtx init;          /* what the context starts as */
} CbRun;

/* The whole call runs inside the sandbox's protected, budgeted call:
** building the views allocates in the rule's state, and an allocation
** that hits its memory cap outside a protected call would abort. */
static int cb_run(lua_State *S) {
  CbRun *run = lua_touserdata(S, 1);
  CallCtx *cc = lua_newuserdatauv(S, sizeof *cc, 0);
  *cc = run->init;
  cc->live = 1;
  run->cc = cc;
  /* anchored until the caller marks it dead: a collected context would
  ** leave run->cc dangling */
  lua_pushvalue(S, -1);
  lua_rawsetp(S, LUA_REGISTRYINDEX, run);
  int ci = lua_gettop(S);
  const tr_analysis *a = run->a;
  int per_sentence = run->r->scope_sentence;
  /* The document view is built once per document, not per sentence. */
  cc->tok_first = 0;
  cc->tok_count = per_sentence ? 0 : (uint32_t)a->toks.n;
  push_doc_view(S, ci, run->d, !per_sentence);
  int dv = lua_gettop(S);
  lua_pushvalue(S, ci);
  lua_pushcclosure(S, cb_emit, 1);
  int em = lua_gettop(S);
  size_t nsent = per_sentence ? a->sents.n : 1;
  for (size_t k = 0; k < nsent; k++) {
    lua_rawgeti(S, LUA_REGISTRYINDEX, run->ref);
    if (per_sentence) {
      const tr_span *sp = &a->sents.v[k];
      cc->tok_first = sp->tok_first;
      cc->tok_count = sp->tok_count;
      push_view(S, ci, 1);
      raw_str(S, "text", run->d->text + sp->start, (size_t)(sp->stop - sp->start));
      raw_int(S, "start", (lua_Integer)sp->start + 1);
      raw_int(S, "stop", (lua_Integer)sp->stop);
      lua_pushliteral(S, "doc");
      lua_pushvalue(S, dv);
      lua_rawset(S, -3);
    } else {
      lua_pushvalue(S, dv);
    }
    lua_pushvalue(S, em);
    lua_call(S, 2, 0);
  }
  return 0;
}

int tr_l_run_callback(void *ud, const tr_ruleset *rs, size_t rule,
                      const tr_doc *d, const tr_analysis *a, uint32_t value,
                      tr_matches *out, char **err) {
  const tr_cbctx *ctx = ud;
  size_t rsi = 0;
  LRuleset *lr = find_lrs(ctx, rs, &rsi);
  if (lr == NULL || lr->refs == NULL || lr->refs[rule] == LUA_NOREF) {
    *err = strdup("callback function not found");
    return -1;
  }
  lua_State *S = tr_sb_state(lr->sb);
  int top = lua_gettop(S);
  CbRun run;
  memset(&run, 0, sizeof run);
  run.lr = lr;
  run.r = &rs->rules[rule];
  run.ref = lr->refs[rule];
  run.d = d;
  run.a = a;
  run.init.d = d;
  run.init.a = a;
  run.init.out = out;
  run.init.m = ctx->m;
  run.init.rsi = rsi;
  run.init.value = value;
  run.init.priority = run.r->priority;
  if (!lua_checkstack(S, 4)) {
    *err = strdup("no room on the rule's Lua stack");
    return -1;
  }
  lua_pushcfunction(S, cb_run);
  lua_pushlightuserdata(S, &run);
  int status = tr_sb_call(lr->sb, 1, 0, err);
  if (run.cc) run.cc->live = 0;
  lua_pushnil(S); /* raw set of nil cannot allocate */
  lua_rawsetp(S, LUA_REGISTRYINDEX, &run);
  lua_settop(S, top);
  return status;
}

void tr_l_rules_attach(LRuleset *lr, tr_matcher *m) {
  lr->self = lr;
  lr->ctx.lrs = &lr->self;
  lr->ctx.n = 1;
  lr->ctx.m = m;
  m->callback = tr_l_run_callback;
  m->callback_attrs = tr_l_callback_attrs;
  m->ud = &lr->ctx;
}

/* ------------------------------------------------------------------ */
/* Examples                                                            */
/* ------------------------------------------------------------------ */

static void push_item(lua_State *L, const char *label, const char *text,
                      size_t len) {
  lua_createtable(L, 2, 0);
  lua_pushstring(L, label);
  lua_rawseti(L, -2, 1);
  if (text) {
    lua_pushlstring(L, text, len);
    lua_rawseti(L, -2, 2);
  }
}

/* Does a found match (label, text) satisfy an item? Labels compare with
** the entity id or the type, so {"PERSON", "Kazemi"} accepts an entity
** match of type PERSON. */
static int item_matches(const tr_matcher *m, const tr_match *x, const char *text,
                        const tr_example_item *it) {
  const tr_label *lb = &m->labels[x->value];
  int label_ok = strcmp(tr_l_label_name(m, x->value), it->label) == 0 ||
                 strcmp(lb->type, it->label) == 0;
  if (!label_ok) return 0;
  if (it->text == NULL) return 1;
  size_t n = (size_t)(x->stop - x->start);
  return strlen(it->text) == n && memcmp(it->text, text + x->start, n) == 0;
}

/* rs:check() -> ok, results: each {index, line, text, ok, found = {{label,
** text}}, missing = {...}, unexpected = {...}} */
int tr_l_rules_check(lua_State *L) {
  LRuleset *lr = tr_l_checkrules(L, 1);
  if (!lr->built) return luaL_error(L, "ruleset is not compiled");
  const tr_ruleset *rs = lr->rs;
  int all_ok = 1;
  lua_createtable(L, (int)rs->nexamples, 0);
  for (size_t i = 0; i < rs->nexamples; i++) {
    const tr_example *ex = &rs->examples[i];
    tr_corpus *c = tr_corpus_new();
    tr_doc *d = c ? tr_corpus_add(c, "example", rs->path, ex->text,
                                  strlen(ex->text), 0, NULL) : NULL;
    tr_analysis a;
    tr_analysis_init(&a);
    tr_matches out;
    tr_matches_init(&out);
    tr_regex_caps caps;
    tr_regex_caps_init(&caps);
    if (d == NULL || tr_analyze(d, NULL, &a) != 0 ||
        tr_matcher_run(&lr->m, d, &a, 0, &out, &caps) != 0) {
      tr_analysis_free(&a);
      tr_matches_free(&out);
      tr_regex_caps_free(&caps);
      tr_corpus_free(c);
      return luaL_error(L, "out of memory checking examples");
    }
    /* Build the result; strings come from the example doc's text. */
    lua_createtable(L, 0, 8);
    lua_pushinteger(L, (lua_Integer)i + 1);
    lua_setfield(L, -2, "index");
    lua_pushinteger(L, ex->line);
    lua_setfield(L, -2, "line");
    lua_pushstring(L, ex->text);
    lua_setfield(L, -2, "text");
    lua_createtable(L, (int)out.n, 0);
    for (size_t k = 0; k < out.n; k++) {
      push_item(L, tr_l_label_name(&lr->m, out.v[k].value), d->text + out.v[k].start,
                (size_t)(out.v[k].stop - out.v[k].start));
      lua_rawseti(L, -2, (lua_Integer)k + 1);
    }
    lua_setfield(L, -2, "found");
    int ok = 1;
    lua_newtable(L);
    lua_Integer nm = 0;
    for (size_t e = 0; e < ex->nexpect; e++) {
      int hit = 0;
      for (size_t k = 0; k < out.n && !hit; k++)
        hit = item_matches(&lr->m, &out.v[k], d->text, &ex->expect[e]);
      if (!hit) {
        ok = 0;
        push_item(L, ex->expect[e].label, ex->expect[e].text,
                  ex->expect[e].text ? strlen(ex->expect[e].text) : 0);
        lua_rawseti(L, -2, ++nm);
      }
    }
    lua_setfield(L, -2, "missing");
    lua_newtable(L);
    lua_Integer nu = 0;
    for (size_t e = 0; e < ex->nreject; e++) {
      for (size_t k = 0; k < out.n; k++) {
        if (!item_matches(&lr->m, &out.v[k], d->text, &ex->reject[e])) continue;
        ok = 0;
        push_item(L, tr_l_label_name(&lr->m, out.v[k].value),
                  d->text + out.v[k].start, (size_t)(out.v[k].stop - out.v[k].start));
        lua_rawseti(L, -2, ++nu);
      }
    }
    lua_setfield(L, -2, "unexpected");
    lua_pushboolean(L, ok);
    lua_setfield(L, -2, "ok");
    lua_rawseti(L, -2, (lua_Integer)i + 1);
    all_ok &= ok;
    tr_analysis_free(&a);
    tr_matches_free(&out);
    tr_regex_caps_free(&caps);
    tr_corpus_free(c);
  }
  /* Rules that failed while running the examples fail the check too. */
  for (size_t r = 0; r < rs->nrules; r++) all_ok &= !rs->rules[r].failed;
  lua_pushboolean(L, all_ok);
  lua_insert(L, -2);
  return 2;
}

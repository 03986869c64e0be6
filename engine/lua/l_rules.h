/*
** l_rules.h — rulesets as Lua sees them (trawl.Ruleset): loading, running
** callback rules in their sandbox, checking examples, applying.
*/
#ifndef TRAWL_L_RULES_H
#define TRAWL_L_RULES_H

#include <lua.h>

#include "l_sandbox.h"
#include "rules.h"

#define TR_RULESET_MT "trawl.Ruleset"

/* What a callback needs to find its Lua function: the rulesets a matcher
** was built from, with their sandboxes. */
typedef struct LRuleset LRuleset;
typedef struct tr_cbctx {
  LRuleset **lrs;       /* by ruleset index of the matcher */
  size_t n;
  const tr_matcher *m;  /* for label lookups */
} tr_cbctx;

struct LRuleset {
  tr_ruleset *rs;       /* the ruleset (owned), NULL once freed */
  tr_sandbox *sb;       /* its Lua state: callbacks live there */
  int *refs;            /* callback function refs in sb's registry, by rule */
  tr_matcher m;         /* compiled for this ruleset alone (check, examples) */
  int built;            /* m is valid */
  tr_regex_limits lim;  /* regex limits it was loaded with */
  LRuleset *self;       /* this, as a one-element array for ctx */
  tr_cbctx ctx;         /* callback context of m */
};

/* The Ruleset at arg. [-0, +0, v] */
LRuleset *tr_l_checkrules(lua_State *L, int arg);

/* Point m's callback at the callback runner with ctx (filled in here for
** a one-ruleset matcher). */
void tr_l_rules_attach(LRuleset *lr, tr_matcher *m);

/* The callback runner (a tr_callback_fn); ud is a tr_cbctx. */
int tr_l_run_callback(void *ud, const tr_ruleset *rs, size_t rule,
                      const tr_doc *d, const tr_analysis *a, uint32_t value,
                      tr_matches *out, char **err);

/* The attrs JSON a callback gave emit() for match x (a matcher's
** callback_attrs); ud is a tr_cbctx. */
const char *tr_l_callback_attrs(void *ud, const tr_match *x);

/* rs:check() — run the examples. */
int tr_l_rules_check(lua_State *L);

/* The label name of match value v: entity id, or the type. */
const char *tr_l_label_name(const tr_matcher *m, uint32_t v);

/* Add trawl.rules to the table on top and create the metatable. */
void tr_l_rules_register(lua_State *L);

#endif

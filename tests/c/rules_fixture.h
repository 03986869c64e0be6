/*
** rules_fixture.h — building tr_ruleset values by hand for the C tests of
** rules.c and entities.c (what engine/lua/l_rules.c does from a rule
** file). Every string is malloc'ed, so tr_ruleset_free owns it all, and
** ASan checks that it frees everything. Included by test_rules.c and
** test_entities.c only (not a test executable itself: no test_ prefix).
*/
#ifndef TRAWL_RULES_FIXTURE_H
#define TRAWL_RULES_FIXTURE_H

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"

static char *fx_dup(const char *s) {
  if (!s)
    return NULL;
  char *p = strdup(s);
  assert_non_null(p);
  return p;
}

/* Grow an array of n elements of size sz by one zeroed element. */
static void *fx_grow(void *v, size_t n, size_t sz) {
  char *p = realloc(v, (n + 1) * sz);
  assert_non_null(p);
  memset(p + n * sz, 0, sz);
  return p;
}

static tr_ruleset *fx_ruleset(const char *name, const char *version) {
  tr_ruleset *rs = malloc(sizeof *rs);
  assert_non_null(rs);
  tr_ruleset_init(rs);
  rs->name = fx_dup(name);
  rs->version = fx_dup(version);
  rs->description = fx_dup("test ruleset");
  rs->license = fx_dup("MIT");
  rs->author = fx_dup("tests");
  char path[128];
  snprintf(path, sizeof path, "rules/%s.lua", name);
  rs->path = fx_dup(path);
  rs->loose_hyphens = 1;
  return rs;
}

static void fx_ruleset_free(tr_ruleset *rs) {
  tr_ruleset_free(rs);
  free(rs);
}

/* An entity with aliases (NULL-terminated list; the name is added first,
** as the loader does). Returns its index. */
static size_t fx_entity(tr_ruleset *rs, const char *id, const char *type,
                        const char *name, const char *attrs, int32_t prio,
                        ...) {
  rs->entities = fx_grow(rs->entities, rs->nentities, sizeof *rs->entities);
  tr_entity *e = &rs->entities[rs->nentities];
  e->id = fx_dup(id);
  e->type = fx_dup(type);
  e->name = fx_dup(name);
  e->attrs = fx_dup(attrs);
  e->priority = prio;
  e->line = 10 + (int)rs->nentities;
  e->aliases = fx_grow(NULL, 0, sizeof *e->aliases);
  e->aliases[e->naliases++] = fx_dup(name);
  va_list ap;
  va_start(ap, prio);
  const char *a;
  while ((a = va_arg(ap, const char *)) != NULL) {
    e->aliases = fx_grow(e->aliases, e->naliases, sizeof *e->aliases);
    e->aliases[e->naliases++] = fx_dup(a);
  }
  va_end(ap);
  return rs->nentities++;
}

static void fx_case_sensitive(tr_ruleset *rs, size_t ent, const char *a) {
  tr_entity *e = &rs->entities[ent];
  e->case_sensitive =
    fx_grow(e->case_sensitive, e->ncase_sensitive, sizeof *e->case_sensitive);
  e->case_sensitive[e->ncase_sensitive++] = fx_dup(a);
}

/* A rule; label is an entity id of rs or a TYPE. */
static tr_rule *fx_rule(tr_ruleset *rs, tr_rule_kind kind, const char *id,
                        const char *label, int32_t prio) {
  rs->rules = fx_grow(rs->rules, rs->nrules, sizeof *rs->rules);
  tr_rule *r = &rs->rules[rs->nrules];
  r->id = fx_dup(id);
  r->kind = kind;
  r->label = fx_dup(label);
  r->entity = -1;
  r->priority = prio;
  r->line = 100 + (int)rs->nrules;
  if (label) {
    for (size_t k = 0; k < rs->nentities; k++)
      if (strcmp(rs->entities[k].id, label) == 0) {
        r->entity = (int32_t)k;
        r->type = fx_dup(rs->entities[k].type);
      }
    if (r->entity < 0 && label[0] >= 'A' && label[0] <= 'Z')
      r->type = fx_dup(label);
  }
  rs->nrules++;
  return r;
}

static void fx_alias_rule(tr_ruleset *rs) {
  tr_rule *r = fx_rule(rs, TR_RULE_ALIAS, "aliases", NULL, 0);
  r->line = 0;
}

static tr_rule *fx_regex(tr_ruleset *rs, const char *id, const char *label,
                         const char *re, const char *flags, int32_t prio) {
  tr_rule *r = fx_rule(rs, TR_RULE_REGEX, id, label, prio);
  r->re = fx_dup(re);
  r->re_len = strlen(re);
  r->re_flags = fx_dup(flags);
  return r;
}

/* Token specs for a pattern rule: start with fx_pattern, then add specs
** with fx_spec and predicates with fx_pred_*. */
static tr_rule *fx_pattern(tr_ruleset *rs, const char *id, const char *label,
                           int32_t prio) {
  return fx_rule(rs, TR_RULE_PATTERN, id, label, prio);
}

static void fx_spec(tr_rule *r, tr_tok_op op) {
  r->specs = fx_grow(r->specs, r->nspecs, sizeof *r->specs);
  r->specs[r->nspecs].op = op;
  r->nspecs++;
}

static tr_pred *fx_pred(tr_rule *r, tr_attr attr, tr_pred_op op) {
  tr_tok_spec *s = &r->specs[r->nspecs - 1];
  tr_pred *p = fx_grow((void *)s->preds, s->npreds, sizeof *p);
  s->preds = p;
  p[s->npreds].attr = attr;
  p[s->npreds].op = op;
  return &p[s->npreds++];
}

static void fx_pred_str(tr_rule *r, tr_attr attr, const char *v) {
  tr_pred *p = fx_pred(r, attr, TR_P_EQ);
  p->str = fx_dup(v);
  p->len = strlen(v);
}

static void fx_pred_bool(tr_rule *r, tr_attr attr, int v) {
  tr_pred *p = fx_pred(r, attr, TR_P_EQ);
  p->num = v;
  p->is_num = 1;
}

/* IN over a NULL-terminated list of strings. */
static void fx_pred_in(tr_rule *r, tr_attr attr, ...) {
  tr_pred *p = fx_pred(r, attr, TR_P_IN);
  char **set = NULL;
  size_t *lens = NULL, n = 0;
  va_list ap;
  va_start(ap, attr);
  const char *v;
  while ((v = va_arg(ap, const char *)) != NULL) {
    set = fx_grow(set, n, sizeof *set);
    lens = fx_grow(lens, n, sizeof *lens);
    set[n] = fx_dup(v);
    lens[n++] = strlen(v);
  }
  va_end(ap);
  p->set = (const char *const *)set;
  p->set_len = lens;
  p->nset = n;
}

/* The iraq ruleset of the tests: kh (with the spellings and the acronym),
** kadhimi, an entity nobody mentions; the alias rule, a pattern for
** "Prime Minister [Title] Kadhimi", a date regex with named groups. */
static tr_ruleset *fx_iraq(void) {
  tr_ruleset *rs = fx_ruleset("iraq", "1.0.0");
  fx_entity(rs, "kh", "ORG", "Kataib Hezbollah", "{\"kind\": \"militia\"}", 0,
            "Kata'ib Hezbollah", "KH", (const char *)NULL);
  fx_entity(rs, "kadhimi", "PERSON", "Mustafa al-Kadhimi",
            "{\"role\": \"Prime Minister of Iraq\"}", 0, "Kadhimi",
            "Al-Kazemi", (const char *)NULL);
  fx_entity(rs, "nobody", "PERSON", "Zebulon Quux", NULL, 0,
            (const char *)NULL);
  fx_alias_rule(rs);
  tr_rule *p = fx_pattern(rs, "pm-title", "kadhimi", 0);
  fx_spec(p, TR_OP_ONE);
  fx_pred_str(p, TR_A_LOWER, "prime");
  fx_spec(p, TR_OP_ONE);
  fx_pred_str(p, TR_A_LOWER, "minister");
  fx_spec(p, TR_OP_OPT);
  fx_pred_bool(p, TR_A_IS_TITLE, 1);
  fx_spec(p, TR_OP_ONE);
  fx_pred_in(p, TR_A_LOWER, "kadhimi", "kazemi", (const char *)NULL);
  fx_regex(rs, "date-mdy", "DATE",
           "\\b(?<month>\\d{1,2})/(?<day>\\d{1,2})/(?<year>\\d{2})\\b", NULL,
           0);
  return rs;
}

#endif

/*
** rules.c — rulesets in C and the rule applier: every rule of several
** rulesets compiled into one gazetteer, one token-pattern set and one regex
** set, run over a document in one pass, with callbacks delegated to the
** Lua binding, failing rules disabled, and the overlap policy applied.
**
** rules.h is the contract; docs/rules.md the user's view (labels, the
** acronym rule, overlaps, what a failing rule does).
**
** Failures. A regex (or a REGEX predicate of a pattern) that hits a PCRE2
** limit makes the whole set's call report an error that names the rule
** only in text. Rather than parse messages, the matcher re-runs each live
** rule of that kind alone on the document to find the culprits, marks them
** failed, recompiles the set without them and runs it again. That happens
** once per failing rule; later documents pay nothing for it.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "fuzzy.h"
#include "rules.h"

#if defined(__GNUC__)
#define TR_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define TR_PRINTF(f, a)
#endif

/* An alias of at most this many characters, all capitals (and dots), is
** matched case-sensitively ("KH" does not find "kh"). */
#define TR_ACRONYM_MAX 5

/* ---- rulesets --------------------------------------------------------- */

void tr_ruleset_init(tr_ruleset *rs) { memset(rs, 0, sizeof *rs); }

static void free_strv(char **v, size_t n) {
  if (!v)
    return;
  for (size_t i = 0; i < n; i++)
    free(v[i]);
  free(v);
}

/* A rule owns its specs deeply; the const in tr_tok_spec and tr_pred is
** for the matchers that only read them. */
static void free_specs(tr_tok_spec *specs, size_t n) {
  if (!specs)
    return;
  for (size_t i = 0; i < n; i++) {
    tr_pred *p = (tr_pred *)specs[i].preds;
    for (size_t k = 0; p && k < specs[i].npreds; k++) {
      free((void *)p[k].str);
      if (p[k].set)
        for (size_t j = 0; j < p[k].nset; j++)
          free((void *)p[k].set[j]);
      free((void *)p[k].set);
      free((void *)p[k].set_len);
      free((void *)p[k].nums);
    }
    free(p);
  }
  free(specs);
}

static void free_items(tr_example_item *v, size_t n) {
  if (!v)
    return;
  for (size_t i = 0; i < n; i++) {
    free(v[i].label);
    free(v[i].text);
  }
  free(v);
}

void tr_ruleset_free(tr_ruleset *rs) {
  if (!rs)
    return;
  free(rs->name);
  free(rs->version);
  free(rs->description);
  free(rs->license);
  free(rs->author);
  free(rs->path);
  free(rs->requires);
  for (size_t i = 0; rs->entities && i < rs->nentities; i++) {
    tr_entity *e = &rs->entities[i];
    free(e->id);
    free(e->type);
    free(e->name);
    free_strv(e->aliases, e->naliases);
    free(e->attrs);
    free_strv(e->case_sensitive, e->ncase_sensitive);
  }
  free(rs->entities);
  for (size_t i = 0; rs->rules && i < rs->nrules; i++) {
    tr_rule *r = &rs->rules[i];
    free(r->id);
    free(r->label);
    free(r->type);
    free(r->error);
    free_specs(r->specs, r->nspecs);
    free(r->re);
    free(r->re_flags);
  }
  free(rs->rules);
  for (size_t i = 0; rs->examples && i < rs->nexamples; i++) {
    tr_example *x = &rs->examples[i];
    free(x->text);
    free_items(x->expect, x->nexpect);
    free_items(x->reject, x->nreject);
  }
  free(rs->examples);
  tr_ruleset_init(rs);
}

/* ---- messages --------------------------------------------------------- */

static char *vfmt(const char *fmt, va_list ap) {
  va_list aq;
  va_copy(aq, ap);
  int n = vsnprintf(NULL, 0, fmt, aq);
  va_end(aq);
  if (n < 0)
    return NULL;
  char *s = malloc((size_t)n + 1);
  if (s)
    vsnprintf(s, (size_t)n + 1, fmt, ap);
  return s;
}

static TR_PRINTF(1, 2) char *fmt(const char *f, ...) {
  va_list ap;
  va_start(ap, f);
  char *s = vfmt(f, ap);
  va_end(ap);
  return s;
}

static const char *kind_name(tr_rule_kind k) {
  switch (k) {
  case TR_RULE_ALIAS:
    return "aliases";
  case TR_RULE_PATTERN:
    return "pattern";
  case TR_RULE_REGEX:
    return "regex";
  case TR_RULE_CALLBACK:
    return "callback";
  case TR_RULE_FUZZY:
    return "fuzzy";
  }
  return "rule";
}

/* "PATH:LINE: " (or "PATH: ", or "ruleset 'NAME': " without a path) and
** the rest, as docs/rules.md shows errors. */
static TR_PRINTF(4, 5) char *at_msg(const tr_ruleset *rs, int line,
                                    const char *what, const char *f, ...) {
  va_list ap;
  va_start(ap, f);
  char *rest = vfmt(f, ap);
  va_end(ap);
  if (!rest)
    return NULL;
  char *s;
  const char *name = rs->name ? rs->name : "?";
  if (rs->path && line > 0)
    s = fmt("%s:%d: %s: %s", rs->path, line, what, rest);
  else if (rs->path)
    s = fmt("%s: %s: %s", rs->path, what, rest);
  else
    s = fmt("ruleset '%s': %s: %s", name, what, rest);
  free(rest);
  return s;
}

/* "pattern 'pm-title'" */
static char *rule_what(const tr_rule *r) {
  return fmt("%s '%s'", kind_name(r->kind), r->id ? r->id : "?");
}

static char *rule_msg(const tr_ruleset *rs, const tr_rule *r,
                      const char *msg) {
  char *what = rule_what(r);
  char *s = what ? at_msg(rs, r->line, what, "%s", msg) : NULL;
  free(what);
  return s;
}

/* The matchers' limit reports start "rule N: " with our rule number; the
** stored message names the rule by id instead. */
static const char *strip_rule_no(const char *msg) {
  if (strncmp(msg, "rule ", 5) != 0)
    return msg;
  const char *p = msg + 5;
  if (*p < '0' || *p > '9')
    return msg;
  while (*p >= '0' && *p <= '9')
    p++;
  return p[0] == ':' && p[1] == ' ' ? p + 2 : msg;
}

/* Disable a rule: set failed and its message (the first one stays). A
** message that cannot be made (memory) leaves error NULL, failed set. */
static void fail_rule(const tr_ruleset *rs, tr_rule *r, const tr_doc *d,
                      const char *msg) {
  if (r->failed)
    return;
  r->failed = 1;
  char *what = rule_what(r);
  if (what)
    r->error = at_msg(rs, r->line, what, "document '%s': %s",
                      d && d->id ? d->id : "?",
                      msg ? strip_rule_no(msg) : "failed");
  free(what);
}

/* ---- aliases ---------------------------------------------------------- */

/* docs/rules.md "Acronyms match by case": at most 5 characters, all
** capital letters or dots, at least one letter. */
static int is_acronym(const char *s) {
  const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
  utf8proc_ssize_t len = (utf8proc_ssize_t)strlen(s);
  int nchars = 0, letters = 0;
  while (len > 0) {
    utf8proc_int32_t c;
    utf8proc_ssize_t k = utf8proc_iterate(p, len, &c);
    if (k <= 0)
      return 0;
    if (++nchars > TR_ACRONYM_MAX)
      return 0;
    if (c == '.')
      ;
    else if (utf8proc_category(c) == UTF8PROC_CATEGORY_LU)
      letters++;
    else
      return 0;
    p += k;
    len -= k;
  }
  return letters > 0;
}

static int in_list(char **v, size_t n, const char *s) {
  for (size_t i = 0; v && i < n; i++)
    if (v[i] && strcmp(v[i], s) == 0)
      return 1;
  return 0;
}

static int add_alias(tr_gaz *g, const tr_ruleset *rs, const tr_entity *e,
                     const char *alias, unsigned flags, uint32_t value,
                     uint32_t rule, char **err) {
  const char *gerr = NULL;
  if (tr_gaz_add(g, alias, strlen(alias), value, rule, e->priority, flags,
                 &gerr) == 0)
    return 0;
  char *what = fmt("entity '%s'", e->id ? e->id : "?");
  *err = what ? at_msg(rs, e->line, what, "alias '%s': %s", alias,
                       gerr ? gerr : "cannot be added")
              : NULL;
  free(what);
  return -1;
}

/* Every alias of every entity of ruleset i into the gazetteer. */
static int add_entities(tr_matcher *m, size_t i, uint32_t base,
                        uint32_t rule, char **err) {
  const tr_ruleset *rs = m->rs[i];
  unsigned loose = rs->loose_hyphens ? TR_GAZ_LOOSE_HYPHENS : 0;
  for (size_t k = 0; k < rs->nentities; k++) {
    const tr_entity *e = &rs->entities[k];
    uint32_t value = base + (uint32_t)k;
    for (size_t j = 0; j < e->naliases; j++) {
      const char *a = e->aliases[j];
      if (!a)
        continue;
      unsigned flags = loose;
      if (is_acronym(a) || in_list(e->case_sensitive, e->ncase_sensitive, a))
        flags |= TR_GAZ_CASE_SENSITIVE;
      if (add_alias(m->gaz, rs, e, a, flags, value, rule, err))
        return -1;
    }
    /* A case_sensitive entry that is not an alias is one of its own. */
    for (size_t j = 0; j < e->ncase_sensitive; j++) {
      const char *a = e->case_sensitive[j];
      if (!a || in_list(e->aliases, e->naliases, a))
        continue;
      if (add_alias(m->gaz, rs, e, a, loose | TR_GAZ_CASE_SENSITIVE, value,
                    rule, err))
        return -1;
    }
  }
  return 0;
}

/* The aliases of ruleset i's entities that link by name key. */
static int add_fuzzy(tr_matcher *m, size_t i, uint32_t base, uint32_t rule) {
  const tr_ruleset *rs = m->rs[i];
  if (!m->fuzzy && !(m->fuzzy = tr_fuzzy_new()))
    return -1;
  for (size_t k = 0; k < rs->nentities; k++) {
    const tr_entity *e = &rs->entities[k];
    if (e->fuzzy < 0 || (e->fuzzy == 0 && !rs->fuzzy))
      continue;
    for (size_t j = 0; j < e->naliases; j++)
      if (e->aliases[j] && !is_acronym(e->aliases[j]) &&
          tr_fuzzy_add(m->fuzzy, e->aliases[j], base + (uint32_t)k, rule,
                       e->priority, rs->fuzzy_threshold,
                       e->type && strcmp(e->type, "PERSON") == 0))
        return -1;
  }
  return 0;
}

/* ---- labels ----------------------------------------------------------- */

static int push_label(tr_matcher *m, size_t *cap, size_t ruleset,
                      int32_t entity, const char *type) {
  if (m->nlabels >= UINT32_MAX - 1)
    return -1;
  if (m->nlabels == *cap) {
    size_t c = *cap ? 2 * *cap : 64;
    tr_label *v = realloc(m->labels, c * sizeof *v);
    if (!v)
      return -1;
    m->labels = v;
    *cap = c;
  }
  m->labels[m->nlabels++] = (tr_label){ruleset, entity, type};
  return 0;
}

/* A TYPE is in capitals: [A-Z][A-Z0-9_]* (docs/rules.md). */
static int is_type_name(const char *s) {
  return s && *s >= 'A' && *s <= 'Z';
}

static int32_t find_entity(const tr_ruleset *rs, const char *id) {
  for (size_t k = 0; k < rs->nentities; k++)
    if (rs->entities[k].id && strcmp(rs->entities[k].id, id) == 0)
      return (int32_t)k;
  return -1;
}

/* The label of rule r of ruleset i: its entity's, another ruleset's
** entity's, or the ruleset's label for its TYPE (made on first use). */
static int rule_label(tr_matcher *m, size_t *cap, const uint32_t *base,
                      size_t i, const tr_rule *r, uint32_t *value,
                      char **err) {
  const tr_ruleset *rs = m->rs[i];
  if (r->entity >= 0) {
    if ((size_t)r->entity >= rs->nentities) {
      char *what = rule_what(r);
      *err = what ? at_msg(rs, r->line, what, "entity index %d out of range",
                           (int)r->entity)
                  : NULL;
      free(what);
      return -1;
    }
    *value = base[i] + (uint32_t)r->entity;
    return 0;
  }
  const char *label = r->label;
  if (!label || !*label) {
    char *what = rule_what(r);
    *err = what ? at_msg(rs, r->line, what, "no label") : NULL;
    free(what);
    return -1;
  }
  if (!is_type_name(label)) {
    /* An entity id: this ruleset's, else one applied with it. */
    for (size_t k = 0; k < m->nrs; k++) {
      size_t j = (i + k) % m->nrs;
      int32_t e = find_entity(m->rs[j], label);
      if (e >= 0) {
        *value = base[j] + (uint32_t)e;
        return 0;
      }
    }
    char *what = rule_what(r);
    *err = what ? at_msg(rs, r->line, what,
                         "label '%s' is not an entity id of the rulesets "
                         "applied and not a TYPE", label)
                : NULL;
    free(what);
    return -1;
  }
  const char *type = r->type ? r->type : label;
  for (size_t v = 0; v < m->nlabels; v++)
    if (m->labels[v].ruleset == i && m->labels[v].entity < 0 &&
        strcmp(m->labels[v].type, type) == 0) {
      *value = (uint32_t)v;
      return 0;
    }
  if (push_label(m, cap, i, -1, type)) {
    *err = fmt("ruleset '%s': out of memory", rs->name ? rs->name : "?");
    return -1;
  }
  *value = (uint32_t)(m->nlabels - 1);
  return 0;
}

/* ---- compiling the pattern and regex sets ----------------------------- */

static tr_rule *rule_at(const tr_matcher *m, size_t k) {
  return &m->rs[m->rules[k].ruleset]->rules[m->rules[k].rule];
}

/* A pattern set whose REGEX predicates obey the same limits as regexes. */
static tr_patterns *new_patterns(const tr_regex_limits *lim) {
  tr_patterns *p = tr_patterns_new();
  if (p)
    tr_patterns_set_limits(p, lim->match_limit, lim->depth_limit,
                           lim->heap_limit_kb);
  return p;
}

/* Add rule k (a live pattern or regex rule) to a set. */
static int add_rule(const tr_matcher *m, size_t k, tr_patterns *pats,
                    tr_regexes *res, char **err) {
  const tr_ruleset *rs = m->rs[m->rules[k].ruleset];
  const tr_rule *r = rule_at(m, k);
  char *e = NULL;
  int rc;
  if (r->kind == TR_RULE_PATTERN)
    rc = tr_patterns_add(pats, r->specs, r->nspecs, m->rules[k].value,
                         (uint32_t)k, r->priority, r->greedy, &e);
  else if (!r->re)
    return (*err = rule_msg(rs, r, "no regular expression")), -1;
  else
    rc = tr_regexes_add(res, r->re, r->re_len, r->re_flags,
                        m->rules[k].value, (uint32_t)k, r->priority, &e);
  if (rc == 0)
    return 0;
  *err = rule_msg(rs, r, e ? e : "out of memory");
  free(e);
  return -1;
}

/* (Re)build the set of every live rule of one kind; the set is NULL when
** there is none, so matching skips it. */
static int build_set(tr_matcher *m, tr_rule_kind kind, char **err) {
  tr_patterns *pats = NULL;
  tr_regexes *res = NULL;
  for (size_t k = 0; k < m->nrules; k++) {
    const tr_rule *r = rule_at(m, k);
    if (r->kind != kind || r->failed)
      continue;
    if (!pats && !res) {
      if (kind == TR_RULE_PATTERN)
        pats = new_patterns(&m->lim);
      else
        res = tr_regexes_new(&m->lim);
      if (!pats && !res) {
        *err = fmt("out of memory");
        return -1;
      }
    }
    if (add_rule(m, k, pats, res, err)) {
      tr_patterns_free(pats);
      tr_regexes_free(res);
      return -1;
    }
  }
  if (kind == TR_RULE_PATTERN) {
    tr_patterns_free(m->pats);
    m->pats = pats;
  } else {
    tr_regexes_free(m->res);
    m->res = res;
  }
  return 0;
}

/* ---- build ------------------------------------------------------------ */

void tr_matcher_free(tr_matcher *m) {
  if (!m)
    return;
  tr_gaz_free(m->gaz);
  tr_patterns_free(m->pats);
  tr_regexes_free(m->res);
  tr_fuzzy_free(m->fuzzy);
  free(m->labels);
  free(m->rules);
  free(m->rs);
  memset(m, 0, sizeof *m);
}

int tr_matcher_build(tr_matcher *m, tr_ruleset **rs, size_t nrs,
                     const tr_regex_limits *lim, char **err) {
  uint32_t *base = NULL;  /* first entity label of each ruleset */
  size_t labcap = 0;
  char *e = NULL;
  memset(m, 0, sizeof *m);
  if (err)
    *err = NULL;
  if (lim)
    m->lim = *lim;
  if (nrs && !(m->rs = malloc(nrs * sizeof *m->rs)))
    goto oom;
  if (nrs)
    memcpy(m->rs, rs, nrs * sizeof *rs);
  m->nrs = nrs;
  if (nrs && !(base = malloc(nrs * sizeof *base)))
    goto oom;

  /* Entity labels first, so that any rule can name any entity. */
  size_t nrules = 0;
  for (size_t i = 0; i < nrs; i++) {
    for (size_t j = 0; j < i; j++)
      if (rs[i]->name && rs[j]->name &&
          strcmp(rs[i]->name, rs[j]->name) == 0) {
        e = fmt("ruleset '%s' given twice", rs[i]->name);
        goto fail;
      }
    base[i] = (uint32_t)m->nlabels;
    for (size_t k = 0; k < rs[i]->nentities; k++) {
      const tr_entity *en = &rs[i]->entities[k];
      if (!en->id || !en->type) {
        e = at_msg(rs[i], en->line, "entity", "%s",
                   en->id ? "no type" : "no id");
        goto fail;
      }
      if (push_label(m, &labcap, i, (int32_t)k, en->type))
        goto oom;
    }
    nrules += rs[i]->nrules;
  }
  if (nrules >= UINT32_MAX) {
    e = fmt("too many rules (%zu)", nrules);
    goto fail;
  }
  if (nrules && !(m->rules = malloc(nrules * sizeof *m->rules)))
    goto oom;
  if (!(m->gaz = tr_gaz_new()))
    goto oom;

  /* Number the rules; give each its label; aliases into the gazetteer. */
  size_t naliases = 0;
  for (size_t i = 0; i < nrs; i++) {
    int seen_alias = 0;
    for (size_t j = 0; j < rs[i]->nrules; j++) {
      const tr_rule *r = &rs[i]->rules[j];
      size_t k = m->nrules++;
      m->rules[k] = (tr_rule_ref){i, j, UINT32_MAX};
      switch (r->kind) {
      case TR_RULE_ALIAS:
        if (seen_alias) {
          e = rule_msg(rs[i], r, "a second alias rule");
          goto fail;
        }
        seen_alias = 1;
        if (!r->failed && add_entities(m, i, base[i], (uint32_t)k, &e))
          goto fail;
        naliases += rs[i]->nentities;
        break;
      case TR_RULE_FUZZY:
        if (!r->failed && add_fuzzy(m, i, base[i], (uint32_t)k))
          goto oom;
        break;
      case TR_RULE_PATTERN:
      case TR_RULE_REGEX:
      case TR_RULE_CALLBACK:
        if (!r->failed &&
            rule_label(m, &labcap, base, i, r, &m->rules[k].value, &e))
          goto fail;
        break;
      default:
        e = rule_msg(rs[i], r, "unknown rule kind");
        goto fail;
      }
    }
    if (!seen_alias && rs[i]->nentities) {
      e = fmt("%s: entities but no alias rule",
              rs[i]->path ? rs[i]->path : rs[i]->name ? rs[i]->name : "?");
      goto fail;
    }
  }
  if (naliases == 0) {
    tr_gaz_free(m->gaz); /* nothing to match: skip it at run time */
    m->gaz = NULL;
  } else if (tr_gaz_compile(m->gaz)) {
    goto oom;
  }
  if (build_set(m, TR_RULE_PATTERN, &e) || build_set(m, TR_RULE_REGEX, &e))
    goto fail;
  if (m->fuzzy && tr_fuzzy_compile(m->fuzzy))
    goto oom;
  free(base);
  return 0;
oom:
  free(e);
  e = fmt("out of memory compiling the rules");
fail:
  free(base);
  tr_matcher_free(m);
  if (err)
    *err = e;
  else
    free(e);
  return -1;
}

/* ---- run -------------------------------------------------------------- */

static int valid_utf8(const char *s, size_t len) {
  const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
  while (len > 0) {
    utf8proc_int32_t c;
    /* A character is at most 4 bytes: that bounds the look-ahead. */
    utf8proc_ssize_t k =
      utf8proc_iterate(p, len > 4 ? 4 : (utf8proc_ssize_t)len, &c);
    if (k <= 0)
      return 0;
    p += k;
    len -= (size_t)k;
  }
  return 1;
}

/* One live rule of a set's kind, alone on the document: 0 when it ran,
** 1 when it failed (it is then marked failed), -1 on memory error. */
static int run_alone(tr_matcher *m, size_t k, const tr_doc *d,
                     const tr_analysis *a, const char *text,
                     tr_matches *scratch) {
  tr_ruleset *rs = m->rs[m->rules[k].ruleset];
  tr_rule *r = rule_at(m, k);
  tr_patterns *pats = NULL;
  tr_regexes *res = NULL;
  char *e = NULL;
  int rc;
  if (r->kind == TR_RULE_PATTERN)
    pats = new_patterns(&m->lim);
  else
    res = tr_regexes_new(&m->lim);
  if (!pats && !res)
    return -1;
  if (add_rule(m, k, pats, res, &e)) {
    rc = -1; /* it compiled before: only memory can make it fail now */
    goto done;
  }
  free(e);
  e = NULL;
  scratch->n = 0;
  if (pats)
    rc = tr_patterns_match(pats, text, &a->toks, scratch, &e);
  else
    rc = tr_regexes_match(res, text, d->len, scratch, NULL, &e);
  if (rc != 0 && (res ? rc == -2 : e != NULL)) {
    fail_rule(rs, r, d, e);
    rc = 1;
  } else if (rc != 0) {
    rc = -1;
  }
done:
  free(e);
  tr_patterns_free(pats);
  tr_regexes_free(res);
  return rc;
}

/* Run the pattern or regex set. When it reports a limit, find the failing
** rules (each live rule alone), recompile without them and run again. */
static int run_set(tr_matcher *m, tr_rule_kind kind, const tr_doc *d,
                   const tr_analysis *a, const char *text, tr_matches *out,
                   tr_regex_caps *caps) {
  for (;;) {
    size_t n0 = out->n;
    size_t c0 = caps ? caps->n : 0, l0 = caps ? caps->nlists : 0;
    char *e = NULL;
    int rc, limit;
    if (kind == TR_RULE_PATTERN) {
      if (!m->pats)
        return 0;
      rc = tr_patterns_match(m->pats, text, &a->toks, out, &e);
      limit = rc != 0 && e != NULL;
    } else {
      if (!m->res)
        return 0;
      rc = tr_regexes_match(m->res, text, d->len, out, caps, &e);
      limit = rc == -2;
    }
    free(e);
    if (rc == 0)
      return 0;
    if (!limit)
      return -1;
    out->n = n0;
    if (caps) {
      caps->n = c0;
      caps->nlists = l0;
    }
    /* A text that is not UTF-8 is the document's fault, not a rule's:
    ** the regexes find nothing in it. */
    if (kind == TR_RULE_REGEX && !valid_utf8(text, d->len))
      return 0;
    tr_matches scratch;
    tr_matches_init(&scratch);
    size_t failed = 0;
    for (size_t k = 0; k < m->nrules; k++) {
      const tr_rule *r = rule_at(m, k);
      if (r->kind != kind || r->failed)
        continue;
      int x = run_alone(m, k, d, a, text, &scratch);
      if (x < 0) {
        tr_matches_free(&scratch);
        return -1;
      }
      failed += (size_t)x;
    }
    tr_matches_free(&scratch);
    /* No rule fails alone: give up this kind for this document rather
    ** than loop. */
    if (failed == 0)
      return 0;
    char *be = NULL;
    if (build_set(m, kind, &be)) {
      free(be);
      return -1;
    }
  }
}

static int run_callbacks(tr_matcher *m, const tr_doc *d,
                         const tr_analysis *a, tr_matches *out) {
  if (!m->callback)
    return 0;
  for (size_t k = 0; k < m->nrules; k++) {
    tr_ruleset *rs = m->rs[m->rules[k].ruleset];
    tr_rule *r = rule_at(m, k);
    if (r->kind != TR_RULE_CALLBACK || r->failed)
      continue;
    size_t n0 = out->n;
    char *e = NULL;
    if (m->callback(m->ud, rs, m->rules[k].rule, d, a, m->rules[k].value,
                    out, &e)) {
      fail_rule(rs, r, d, e ? e : "the callback failed");
      free(e);
      out->n = n0;
      continue;
    }
    free(e);
    for (size_t i = n0; i < out->n; i++) {
      tr_match *x = &out->v[i];
      const char *bad = NULL;
      if (x->start > x->stop || x->stop > d->len)
        bad = "a span outside the document";
      else if (x->value >= m->nlabels)
        bad = "an unknown label";
      if (bad) {
        char *msg = fmt("the callback emitted %s", bad);
        fail_rule(rs, r, d, msg ? msg : bad);
        free(msg);
        out->n = n0;
        break;
      }
      x->rule = (uint32_t)k;
    }
  }
  return 0;
}

int tr_matcher_run(tr_matcher *m, const tr_doc *d, const tr_analysis *a,
                   int keep_overlaps, tr_matches *out, tr_regex_caps *caps) {
  const char *text = d->text ? d->text : "";
  tr_matches_clear(out);
  if (caps) {
    caps->n = 0;
    caps->nlists = 0;
  }
  if (m->gaz && tr_gaz_match(m->gaz, text, &a->toks, out))
    return -1;
  if (run_set(m, TR_RULE_PATTERN, d, a, text, out, caps) ||
      run_set(m, TR_RULE_REGEX, d, a, text, out, caps) ||
      run_callbacks(m, d, a, out))
    return -1;
  /* Fuzzy last: a span any rule matched exactly needs no guess. */
  if (m->fuzzy && tr_fuzzy_match(m->fuzzy, text, &a->toks, out))
    return -1;
  /* A rule may have been disabled from outside since the sets were
  ** built (or is the alias rule): its matches go. */
  size_t k = 0;
  for (size_t i = 0; i < out->n; i++) {
    const tr_match *x = &out->v[i];
    if (x->rule < m->nrules && !rule_at(m, x->rule)->failed)
      out->v[k++] = *x;
  }
  out->n = k;
  if (keep_overlaps)
    tr_matches_dedup(out);
  else
    tr_matches_resolve(out);
  return 0;
}

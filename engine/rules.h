/*
** rules.h — a ruleset in C: entities with their aliases, rules (alias
** lists, token patterns, regexes, callbacks), examples, and the matchers
** compiled from them. The Lua loader (engine/lua/l_rules.c) reads a rule
** file in its sandbox and fills one of these; everything here is plain C.
*/
#ifndef TRAWL_RULES_H
#define TRAWL_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "corpus.h"
#include "gazetteer.h"
#include "match.h"
#include "pattern.h"
#include "regex.h"

typedef enum tr_rule_kind {
  TR_RULE_ALIAS = 1,  /* the gazetteer: every alias of every entity */
  TR_RULE_PATTERN,    /* a token pattern */
  TR_RULE_REGEX,      /* a PCRE2 regex */
  TR_RULE_CALLBACK,   /* a Lua function, run by the binding */
  TR_RULE_FUZZY       /* linking by name key: the aliases of the entities
                         with fuzzy on (engine/fuzzy.h) */
} tr_rule_kind;

typedef struct tr_entity {
  char *id;           /* unique in the ruleset */
  char *type;         /* PERSON, ORG, ... or a user type */
  char *name;         /* canonical name */
  char **aliases;     /* every alias, the name included, as written */
  size_t naliases;
  char *attrs;        /* JSON object text, or NULL */
  int32_t priority;   /* for overlaps */
  int line;           /* line in the rule file, or 0 when unknown */
  char **case_sensitive; /* aliases matched with their exact case (the
                         `case_sensitive` list); one that is not also in
                         aliases is added as an alias. Owned, may be NULL */
  size_t ncase_sensitive;
  int fuzzy;          /* 1: link by name key too; -1: never; 0: as the
                         ruleset says */
} tr_entity;

typedef struct tr_rule {
  char *id;           /* rule id ("aliases" for the gazetteer rule) */
  tr_rule_kind kind;
  char *label;        /* entity id or TYPE */
  int32_t entity;     /* index in entities when label is an entity, else -1 */
  char *type;         /* the type mentions get: the entity's, or label */
  int32_t priority;
  int line;           /* line in the rule file, or 0 */
  int scope_sentence; /* callbacks: called per sentence */
  int failed;         /* set when the rule errored or hit a limit */
  char *error;        /* the message, when failed */
  /* TR_RULE_PATTERN: the token specs, owned by the rule (deep): specs is
  ** malloc'ed; each specs[i].preds is a malloc'ed array; in each pred, str,
  ** set, set_len, nums and every set[k] are malloc'ed (or NULL).
  ** tr_ruleset_free frees them all (casting away the const of
  ** tr_tok_spec/tr_pred). */
  tr_tok_spec *specs;
  size_t nspecs;
  int greedy;         /* TR_GREEDY_NONE, _FIRST or _LONGEST */
  /* TR_RULE_REGEX: the pattern (re_len bytes, NUL-terminated too) and its
  ** flags ("i", "x", "m", "s" letters, or NULL), both malloc'ed, owned. */
  char *re;
  size_t re_len;
  char *re_flags;
} tr_rule;

typedef struct tr_example_item {
  char *label;        /* entity id or TYPE */
  char *text;         /* covered text, or NULL (reject: any text) */
} tr_example_item;

typedef struct tr_example {
  char *text;         /* the input */
  tr_example_item *expect, *reject;
  size_t nexpect, nreject;
  int line;
} tr_example;

typedef struct tr_ruleset {
  char *name, *version, *description, *license, *author;
  char *path;         /* the rule file */
  char *requires;     /* JSON object name -> range, or NULL */
  int loose_hyphens;  /* options.loose_hyphens */
  int fuzzy;          /* options.fuzzy: link every entity by name key */
  double fuzzy_threshold; /* options.fuzzy_threshold (0: the default 0.9) */
  tr_entity *entities;
  size_t nentities;
  tr_rule *rules;     /* rules[0] is the alias rule when there are entities */
  size_t nrules;
  tr_example *examples;
  size_t nexamples;
} tr_ruleset;

/* Zero a ruleset. tr_ruleset_free frees every string, array and spec it
** holds (all malloc'ed and owned, NULL allowed anywhere) and zeroes it. */
void tr_ruleset_init(tr_ruleset *rs);
void tr_ruleset_free(tr_ruleset *rs);

/* --- Applying rulesets to documents ---------------------------------- */

/* A callback rule is run by whoever owns the Lua state it lives in: it
** appends matches (rule and value filled in by the callee from the
** arguments) and returns 0, or -1 with a malloc'ed message. rule is the
** index in rs->rules; value is the rule's label (another label of the
** matcher may be used). The matcher then sets each appended match's rule
** to its global number (tr_matcher.rules), and treats a span outside the
** text or a value that is not a label as a failure of the rule. */
typedef int (*tr_callback_fn)(void *ud, const tr_ruleset *rs, size_t rule,
                              const tr_doc *d, const tr_analysis *a,
                              uint32_t value, tr_matches *out, char **err);

/* Several rulesets compiled together: one gazetteer automaton with every
** alias of every ruleset, one pattern set, one regex set. Match values
** index `labels`; match rules index `rules`. */
typedef struct tr_label {
  size_t ruleset;     /* index of its ruleset */
  int32_t entity;     /* entity index in that ruleset, or -1 (type only) */
  const char *type;   /* the mention type */
} tr_label;

typedef struct tr_rule_ref {
  size_t ruleset;     /* index of the ruleset */
  size_t rule;        /* index in that ruleset's rules */
  uint32_t value;     /* the label of its matches (alias rule: UINT32_MAX,
                         each alias carries its entity's label) */
} tr_rule_ref;

typedef struct tr_matcher {
  tr_ruleset **rs;    /* the rulesets (array owned, rulesets not) */
  size_t nrs;
  tr_gaz *gaz;
  tr_patterns *pats;
  tr_regexes *res;
  struct tr_fuzzy *fuzzy; /* aliases linked by name key, or NULL */
  tr_label *labels;   /* by match value */
  size_t nlabels;
  tr_rule_ref *rules; /* by match rule */
  size_t nrules;
  tr_callback_fn callback; /* runs TR_RULE_CALLBACK rules; may be NULL
                              (callback rules are then skipped) */
  void *ud;
  /* The attributes (a JSON object text) the callback attached to its match
  ** x through x->extra, or NULL; called with ud when the match is stored,
  ** before the next callback runs. May be NULL (no attributes). */
  const char *(*callback_attrs)(void *ud, const tr_match *x);
  tr_regex_limits lim;/* the limits regexes were compiled with */
} tr_matcher;

/* Compile rulesets into one matcher. m->rules lists every rule of every
** ruleset, rulesets in the given order and each one's rules in rs->rules
** order: a lower number is "the rule that comes first" of the overlap
** policy. m->labels holds first one label per entity of every ruleset
** (ruleset order, then entity order), then one per distinct (ruleset,
** TYPE) of the type-only rules, in rule order. A rule whose
** label is an entity id of another of the rulesets (a required one) with
** entity == -1 gets that entity's label. The alias rule is the ruleset's
** first TR_RULE_ALIAS rule. Rules already failed are not compiled.
** Ruleset names must differ. m->rs is a copy of the array (the rulesets
** are not owned, and must outlive m). Set callback and ud afterwards.
** Returns 0, or -1 with a malloc'ed message naming the ruleset file,
** line and rule or entity (m is then zeroed, nothing to free). */
int tr_matcher_build(tr_matcher *m, tr_ruleset **rs, size_t nrs,
                     const tr_regex_limits *lim, char **err);
void tr_matcher_free(tr_matcher *m);

/* Run every live rule on one analysed document. keep_overlaps: do not
** resolve overlaps (spaCy's Matcher behaviour). A rule that fails (regex
** limit, callback error) is marked failed in its ruleset and its matches
** for this document are dropped; that is not an error of this call.
** Regex captures go to caps when not NULL. out and caps are cleared
** first; on return out holds the document's matches sorted by start.
** After a rule fails, the matcher is recompiled without it (the same
** document's other rules are re-run alone to tell which one failed), so a
** failed rule costs nothing on later documents. Not thread-safe: it may
** change the rulesets and the matcher. Returns 0 or -1 (memory). */
int tr_matcher_run(tr_matcher *m, const tr_doc *d, const tr_analysis *a,
                   int keep_overlaps, tr_matches *out, tr_regex_caps *caps);

#endif

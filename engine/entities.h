/*
** entities.h — the entity tables of the store: rulesets, entities,
** aliases and mentions, written by applying rulesets to a corpus and read
** by reports, exports and the REPL.
*/
#ifndef TRAWL_ENTITIES_H
#define TRAWL_ENTITIES_H

#include <stddef.h>
#include <stdint.h>

#include "corpus.h"
#include "rules.h"
#include "store.h"

typedef struct tr_apply_opts {
  int keep_overlaps;    /* keep every match (spaCy Matcher behaviour) */
} tr_apply_opts;

typedef struct tr_apply_stats {
  size_t docs;          /* documents processed */
  size_t mentions;      /* mentions stored */
  size_t failed;        /* rules that failed (see each tr_rule.error) */
} tr_apply_stats;

/* Apply the matcher's rulesets to every document of c and store the
** result, in one transaction: for each ruleset, its previous entities,
** aliases and mentions are replaced, and nothing else is touched
** (idempotent). The documents must be in the store (tr_store_sync first).
** A rule that fails on some document is disabled: its mentions from this
** run are removed before commit, the failure is left in its tr_rule, and
** the other rules' mentions are stored. Returns 0, or -1 with *err (then
** the store is unchanged). */
int tr_apply(tr_store *s, const tr_corpus *c, tr_matcher *m,
             const tr_tok_opts *tok, const tr_apply_opts *o,
             tr_apply_stats *st, char **err);

typedef struct tr_entity_row {
  const char *ruleset;  /* name of the ruleset that defines it */
  const char *id, *type, *name;
  const char *attrs;    /* JSON object text or NULL */
  long mentions;        /* number of mentions */
  long docs;            /* documents with at least one mention */
} tr_entity_row;

typedef struct tr_entity_filter {
  const char *type;     /* only this type, or NULL */
  const char *ruleset;  /* only this ruleset, or NULL */
  const char *id;       /* only this entity id, or NULL */
} tr_entity_filter;

/* Entities, most mentioned first, then by id. cb returns non-zero to stop.
** Returns the number of rows, or -1 with *err. */
long tr_entities_query(tr_store *s, const tr_entity_filter *f,
                       int (*cb)(void *ud, const tr_entity_row *r),
                       void *ud, char **err);

typedef struct tr_mention_row {
  const char *doc;      /* document id */
  uint64_t start, stop; /* byte span in the document text (0-based, stop
                           exclusive) */
  const char *text;     /* the covered text */
  const char *entity;   /* entity id, or NULL for type-only mentions */
  const char *type;
  const char *rule;     /* rule id */
  const char *ruleset, *version;
  double score;
  const char *attrs;    /* JSON object (regex named groups...), or NULL */
} tr_mention_row;

typedef struct tr_mention_filter {
  const char *entity;   /* only this entity id, or NULL */
  const char *type;     /* only this type, or NULL */
  const char *doc;      /* only this document, or NULL */
  const char *ruleset;  /* only this ruleset, or NULL */
} tr_mention_filter;

/* Mentions in document order (document id, start). */
long tr_mentions_query(tr_store *s, const tr_mention_filter *f,
                       int (*cb)(void *ud, const tr_mention_row *r),
                       void *ud, char **err);

typedef struct tr_variant_row {
  const char *text;     /* a surface form, as written */
  long count;           /* mentions with exactly this text */
  long docs;            /* documents they occur in */
} tr_variant_row;

/* Surface forms of an entity's mentions, most frequent first. */
long tr_variants_query(tr_store *s, const char *entity,
                       int (*cb)(void *ud, const tr_variant_row *r),
                       void *ud, char **err);

#endif

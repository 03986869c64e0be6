/*
** fuzzy.h — linking by name key: a name-like span of a document that no
** alias matched exactly, but whose name key (engine/names.h) is close to
** an alias's, is a mention of that alias's entity with the similarity as
** its score. Opt-in per ruleset or entity (docs/rules.md, "fuzzy").
*/
#ifndef TRAWL_FUZZY_H
#define TRAWL_FUZZY_H

#include <stddef.h>
#include <stdint.h>

#include "match.h"
#include "tokenize.h"

typedef struct tr_fuzzy tr_fuzzy; /* opaque */

tr_fuzzy *tr_fuzzy_new(void);
void tr_fuzzy_free(tr_fuzzy *f);

/* Add an alias (copied). value, rule and priority go into its matches;
** threshold is the similarity a span needs to be linked to it (0.9 when
** not in (0, 1]). For a person (person != 0) the last part alone finds
** the alias too ("Kazemi" -> "Mustafa Kazemi"). An alias without letters
** is ignored. Returns 0, or -1 on memory error. */
int tr_fuzzy_add(tr_fuzzy *f, const char *alias, uint32_t value,
                 uint32_t rule, int32_t priority, double threshold,
                 int person);

/* Sort the aliases by key; call after the last add. 0 or -1 (memory). */
int tr_fuzzy_compile(tr_fuzzy *f);

/* Append to out a match for every name-like span of the document (runs of
** capitalised words, with the particles al, bin, abu... inside them) whose
** best alias scores at least that alias's threshold, unless a match with the same
** span and value is already in out (exact matches win). extra is the index
** of the alias, for tr_fuzzy_alias. Sorts the matches already in out by
** position. Returns 0 or -1 (memory). */
int tr_fuzzy_match(const tr_fuzzy *f, const char *text, const tr_tokens *toks,
                   tr_matches *out);

/* The alias a fuzzy match resembles, and its name key; NULL if extra is
** not an alias index. */
const char *tr_fuzzy_alias(const tr_fuzzy *f, uint32_t extra,
                           const char **key);

size_t tr_fuzzy_count(const tr_fuzzy *f);

#endif

/*
** gazetteer.h — every alias of every loaded ruleset compiled into one
** Aho-Corasick automaton over normalised tokens, matched in one pass.
**
** An alias is tokenized and normalised exactly as document text is
** (tr_tokenize + norms), so "Kata’ib" finds "Kata'ib" and "KATAIB". With
** loose hyphens, hyphenated tokens are matched by their parts on both
** sides, so "Al-Kazemi" finds "Al Kazemi" and "Al Kazemi" finds
** "Al-Kazemi"; matches still start and stop on token boundaries of the
** document (a part alone never matches inside a hyphenated word).
*/
#ifndef TRAWL_GAZETTEER_H
#define TRAWL_GAZETTEER_H

#include <stddef.h>
#include <stdint.h>

#include "match.h"
#include "tokenize.h"

typedef struct tr_gaz tr_gaz; /* opaque */

enum {
  TR_GAZ_LOOSE_HYPHENS = 1u << 0, /* alias flag: hyphen == space == none
                                     between parts ("Al-Kazemi" ~ "Al Kazemi") */
  TR_GAZ_CASE_SENSITIVE = 1u << 1 /* alias flag: compare the original text
                                     too (for acronyms such as "KH", "MK") */
};

tr_gaz *tr_gaz_new(void);
void tr_gaz_free(tr_gaz *g);

/* Add an alias. value, rule and priority are copied into every tr_match
** this alias produces. flags: TR_GAZ_*. The same alias may be added for
** several values (each match is reported). An alias that yields no
** tokens (empty, only punctuation that normalises away) is refused.
** Returns 0, or -1 with a static message in *err. May be called after
** tr_gaz_compile (the automaton is rebuilt on the next compile). */
int tr_gaz_add(tr_gaz *g, const char *alias, size_t len, uint32_t value,
               uint32_t rule, int32_t priority, unsigned flags,
               const char **err);

/* Build the automaton (failure links). Must be called after the last add
** and before matching. Returns 0 or -1 on memory error. */
int tr_gaz_compile(tr_gaz *g);

/* Append every alias occurrence in the document (text with its tokens)
** to out: one tr_match per (occurrence, value), overlaps included.
** Thread-safe on a compiled gazetteer. Returns 0 or -1 on memory error. */
int tr_gaz_match(const tr_gaz *g, const char *text, const tr_tokens *toks,
                 tr_matches *out);

/* Number of aliases added, and of automaton states (for reports). */
size_t tr_gaz_count(const tr_gaz *g);
size_t tr_gaz_states(const tr_gaz *g);

/* Bytes allocated by the gazetteer (intern table, aliases, automaton). */
size_t tr_gaz_memory(const tr_gaz *g);

/* Tokenizer options for the aliases, which must be those the documents
** are tokenized with (fold_diacritics). Default: none (diacritics kept).
** Only before the first add: returns -1 once aliases were added. */
int tr_gaz_set_options(tr_gaz *g, const tr_tok_opts *opts);

#endif

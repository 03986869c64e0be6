/*
** store.h — the SQLite store: documents, their metadata and text, and an
** FTS5 full-text index. Every write is one transaction.
*/
#ifndef TRAWL_STORE_H
#define TRAWL_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "corpus.h"

#define TR_STORE_SCHEMA 2   /* version of the schema this code writes */

typedef struct tr_store tr_store; /* opaque */

/* Open (creating when create != 0) the store at path and bring its schema
** to TR_STORE_SCHEMA. Returns 0, or -1 with a malloc'ed message in *err
** (free it with free()). A store written by a newer trawl is refused. */
int tr_store_open(const char *path, int create, tr_store **out, char **err);
void tr_store_close(tr_store *s);

/* The store's SQLite connection, for modules that keep tables of their own
** in it (entities.c). Statements prepared on it must be finalized before
** tr_store_close. */
typedef struct sqlite3 sqlite3;
sqlite3 *tr_store_db(tr_store *s);

/* The path the store was opened with, for messages. */
const char *tr_store_path(tr_store *s);

/* The default store for a corpus directory: DIR/.trawl/store.db. Returns a
** malloc'ed path. */
char *tr_store_default_path(const char *corpus_dir);

typedef struct tr_sync_stats {
  size_t added, updated, unchanged, removed; /* documents, by outcome */
} tr_sync_stats;

/* Make the store hold exactly the documents of c: new ones added, changed
** ones (text or metadata) replaced, unchanged ones skipped by hash, those
** no longer in c deleted. One transaction: on any failure, or if the
** process dies, the previous state stays. Returns 0 or -1 with *err. */
int tr_store_sync(tr_store *s, const tr_corpus *c, tr_sync_stats *st,
                  char **err);

/* Load every stored document into c (in id order). Returns 0 or -1. */
int tr_store_load(tr_store *s, tr_corpus *c, char **err);

/* Number of stored documents, or -1 on error. */
long tr_store_count(tr_store *s);

typedef struct tr_hit {
  const char *id;       /* document id */
  double rank;          /* bm25 rank: lower is better */
  const char *snippet;  /* text around the best match, hits in [ ] */
  size_t nspans;        /* number of matched spans */
  const uint64_t *spans;/* nspans pairs: byte start, byte stop (exclusive) */
} tr_hit;

/* Run an FTS5 query (FTS5 syntax: words, "phrases", NEAR, AND/OR/NOT,
** prefix*). Calls cb for each hit, best first, at most limit hits (0: no
** limit); cb returns non-zero to stop. Returns the number of hits, or -1
** with *err (a malformed query is an error, not an empty result). The hit
** and everything it points to are valid only during the callback. */
long tr_store_search(tr_store *s, const char *query, long limit,
                     int (*cb)(void *ud, const tr_hit *h), void *ud,
                     char **err);

/* Check the database (PRAGMA integrity_check) and the full-text index
** (FTS5 'integrity-check'). Returns 0, or -1 with *err saying what is
** wrong. */
int tr_store_check(tr_store *s, char **err);

#endif

/*
** l_aux.h — the few helpers shared by the Lua binding files. Each notes its
** stack effect in the manual's notation [-o, +p, x].
*/
#ifndef TRAWL_L_AUX_H
#define TRAWL_L_AUX_H

#include <lauxlib.h>
#include <lua.h>
#include <stdint.h>

#include "corpus.h"
#include "load.h"
#include "store.h"

/* Metatable names: also the type names in error messages. */
#define TR_CORPUS_MT "trawl.Corpus"
#define TR_DOC_MT "trawl.Doc"
#define TR_TOKEN_MT "trawl.Token"
#define TR_SPAN_MT "trawl.Span"

/* Exit statuses of the trawl command (documented in docs/cli.md). */
enum {
  TR_EXIT_OK = 0,
  TR_EXIT_SCRIPT = 1,   /* the script raised an error */
  TR_EXIT_USAGE = 2,    /* bad command line */
  TR_EXIT_DATA = 3,     /* corpus or store could not be read or written */
  TR_EXIT_INTERRUPT = 130
};

/* A corpus as Lua sees it. User value 1: table of live Doc userdata by
** index (weak values), so one document has one analysis at a time. */
typedef struct LCorpus {
  tr_corpus *c;         /* NULL once closed */
  tr_store *store;      /* NULL when the corpus has no store */
  char *path;           /* what was opened (malloc'ed) */
  char *store_path;     /* the store's file, or NULL */
  tr_tok_opts tok;      /* tokenizer options for every document */
  int problems;         /* registry ref to the list of load diagnostics */
  int busy;             /* queries under way: close waits for them, since a
                           __gc run by a row's allocation may call close */
  int close_pending;    /* close was asked for while busy */
} LCorpus;

/* Around a store query that calls back into Lua: close() is deferred
** while busy. tr_l_corpus_done closes it if it was asked for. */
void tr_l_corpus_busy(LCorpus *lc);
void tr_l_corpus_done(lua_State *L, LCorpus *lc);

/* A document. User value 1: its Corpus userdata (keeps it alive). */
typedef struct LDoc {
  size_t idx;           /* index in the corpus */
  tr_analysis *a;       /* tokens/sentences/paragraphs, computed on demand */
} LDoc;

/* Open path (directory, file, store, "-") as the command-line corpus:
** pushes the Corpus, or nil and a message. Returns the number pushed.
** [-0, +1|2, m] */
int tr_l_open(lua_State *L, const char *path, int bad_utf8, int quiet);

/* Push a new Corpus userdata that owns c (and store, may be NULL).
** [-0, +1, m] */
LCorpus *tr_l_pushcorpus(lua_State *L, tr_corpus *c, tr_store *store,
                         const char *path, const char *store_path);

/* Check that arg is an open Corpus. [-0, +0, v] */
LCorpus *tr_l_checkcorpus(lua_State *L, int arg);

/* Push the Doc userdata for document idx of the corpus at index ci,
** reusing a live one. [-0, +1, m] */
void tr_l_pushdoc(lua_State *L, int ci, size_t idx);

/* The tr_doc behind the Doc at arg; raises if its corpus is closed. Leaves
** the stack as it was. [-0, +0, v] */
tr_doc *tr_l_checkdoc(lua_State *L, int arg, LDoc **ld);

/* The analysis of the Doc at arg, computed on first use. [-0, +0, v] */
tr_analysis *tr_l_analysis(lua_State *L, int arg);

/* Push a JSON object text as a Lua table (nil for NULL). [-0, +1, m] */
void tr_l_pushjson(lua_State *L, const char *json);

/* trawl.json_decode: JSON text to a Lua value. */
int tr_l_json_decode(lua_State *L);

/* Push len bytes of a malloc'ed buffer as a string and free the buffer,
** also when pushing raises (out of memory, a sandbox's cap), which a plain
** lua_pushlstring followed by free() would leak. Returns 1. [-0, +1, m] */
int tr_l_push_malloced(lua_State *L, char *buf, size_t len);

/* strdup that accepts NULL (and returns NULL for it). */
char *tr_l_strdup(const char *s);

/* Raise a Lua error with a malloc'ed message, freeing it first. [-0, +0, v] */
int tr_l_error_free(lua_State *L, char *msg);

/* Openers, called once by tr_l_openlibs. */
int luaopen_trawl(lua_State *L);
void tr_l_corpus_register(lua_State *L);
void tr_l_doc_register(lua_State *L);
void tr_l_entities_register(lua_State *L);
void tr_l_stats_register(lua_State *L);
/* trawl.dates and d:dates() (l_dates.c); tr_l_dates_parse is also the rule
** sandbox's trawl.dates.parse. */
void tr_l_dates_register(lua_State *L);
int tr_l_dates_parse(lua_State *L);
void tr_l_names_register(lua_State *L);

/* Create the trawl library, set package.path to the shipped scripts and
** preload `trawl`. [-0, +0, e] */
void tr_l_openlibs(lua_State *L, const char *scripts_dir);

/* Run the function on top of the stack (with nargs arguments below it)
** under a traceback handler; on error print "trawl: msg\ntraceback" to
** stderr. Returns the lua_pcall status. [-(nargs+1), +0, -] */
int tr_l_docall(lua_State *L, int nargs, int nres);

/* Stop the running script at the next hook: on SIGINT, and when the
** --timeout deadline passes. */
void tr_l_arm_interrupt(lua_State *L);
void tr_l_set_deadline(lua_State *L, double seconds);
/* Non-zero once SIGINT stopped a script. */
int tr_l_interrupted(void);

#endif

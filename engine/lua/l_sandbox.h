/*
** l_sandbox.h — Lua states for code from someone else (rule files): safe
** builtins only, a memory cap, an instruction budget per call.
*/
#ifndef TRAWL_L_SANDBOX_H
#define TRAWL_L_SANDBOX_H

#include <lua.h>
#include <stddef.h>

typedef struct tr_sb_limits {
  size_t memory;         /* bytes the state may hold (default 64 MiB) */
  long long instructions;/* VM instructions per call (default 10 million) */
  double seconds;        /* wall-clock seconds per call (default 2) */
} tr_sb_limits;

typedef struct tr_sandbox tr_sandbox; /* opaque */

/* A fresh state with the rule environment; name tags print output and
** messages. lim may be NULL for the defaults. NULL on memory error. */
tr_sandbox *tr_sb_new(const tr_sb_limits *lim, const char *name);
void tr_sb_free(tr_sandbox *sb);
lua_State *tr_sb_state(tr_sandbox *sb);

/* Load the text file at path (text chunks only, never bytecode) with the
** rule environment and run it under the limits. On success the chunk's
** first result is left on the sandbox stack and 0 is returned; else -1
** with a malloc'ed message in *err ("path:line: ..." where known). */
int tr_sb_dofile(tr_sandbox *sb, const char *path, char **err);

/* Call the function below nargs arguments on the sandbox stack under the
** limits, with nres results. Returns 0, or -1 with a malloc'ed message
** (an error, "instruction budget exceeded", "memory budget exceeded",
** "time limit exceeded"). */
int tr_sb_call(tr_sandbox *sb, int nargs, int nres, char **err);

/* Bytes the state holds now, and the most it held. */
size_t tr_sb_memory(const tr_sandbox *sb, size_t *peak);

#endif

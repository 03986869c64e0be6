/*
** complete.h — what Tab offers at the REPL prompt.
*/
#ifndef TRAWL_COMPLETE_H
#define TRAWL_COMPLETE_H

#include <lua.h>
#include <stddef.h>

#include "lineedit.h"

/* Completions for line[0, cursor) in the session L: commands after ':'
** (commands: NULL-terminated names), file names inside a string literal
** or after :load, else global names, keywords, and the fields and methods
** along a dotted/colon path. Never runs user code; leaves L as it was.
** out is empty when there is nothing to offer. */
void tr_repl_complete(lua_State *L, const char *const *commands,
                      const char *line, size_t cursor, tr_completions *out);

#endif

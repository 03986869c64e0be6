/*
** lineedit.h — the terminal side of the REPL: a prompt with line editing
** (libedit), a history file, Tab completion through a callback, and the
** signals a prompt must handle (Ctrl-C, Ctrl-Z, window resizes).
*/
#ifndef TRAWL_LINEEDIT_H
#define TRAWL_LINEEDIT_H

#include <stddef.h>
#include <stdio.h>

/* What a completer found: replacements for line[start, cursor). */
typedef struct tr_completions {
  char **v;             /* candidates (malloc'ed), sorted, distinct */
  size_t n;
  size_t start;         /* byte offset in the line of the word completed */
  int paths;            /* candidates are file names: list only the last
                           component */
} tr_completions;

typedef void (*tr_complete_fn)(void *ud, const char *line, size_t cursor,
                               tr_completions *out);

void tr_completions_free(tr_completions *c);

/* Outcome of tr_edit_read. */
enum { TR_EDIT_LINE, TR_EDIT_EOF, TR_EDIT_INTERRUPT };

typedef struct tr_edit tr_edit;

/* Line editing on the terminal `in`, drawing on `out`. history: the
** history file (loaded now, rewritten after each entry), or NULL for none.
** Returns NULL when the terminal cannot be used. */
tr_edit *tr_edit_open(FILE *in, FILE *out, const char *history,
                      tr_complete_fn complete, void *ud);
void tr_edit_close(tr_edit *e);

/* Read one line (without its newline) after prompt: returns it
** (malloc'ed) with *status TR_EDIT_LINE, or NULL with TR_EDIT_EOF (Ctrl-D
** on an empty line) or TR_EDIT_INTERRUPT (Ctrl-C: the line is dropped). */
char *tr_edit_read(tr_edit *e, const char *prompt, int *status);

/* Add an entry (possibly several lines) to the history and save it. */
void tr_edit_remember(tr_edit *e, const char *entry);

#endif

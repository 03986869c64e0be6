/*
** repl.c — the interactive prompt. (Being written.)
*/
#include <stdio.h>

#include "repl.h"

int tr_repl_main(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fprintf(stderr, "trawl: repl is not available yet\n");
  return 2;
}

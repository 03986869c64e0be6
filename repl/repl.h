/*
** repl.h — the interactive prompt (trawl repl).
*/
#ifndef TRAWL_REPL_H
#define TRAWL_REPL_H

/* Run `trawl repl [CORPUS] [OPTIONS]`; argv[1] is "repl". Returns the exit
** status (see docs/cli.md). */
int tr_repl_main(int argc, char **argv);

#endif

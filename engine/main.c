/*
** main.c — the trawl command line: run scripts, ingest corpora, open the
** REPL. Exit statuses are documented in docs/cli.md.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "l_aux.h"
#include "load.h"
#include "locate.h"
#include "repl.h"
#include "store.h"

static const char usage_text[] =
  "usage: trawl COMMAND [OPTIONS]\n"
  "\n"
  "commands:\n"
  "  run [OPTIONS] SCRIPT [CORPUS] [ARGS...]   run a Lua script\n"
  "  run [OPTIONS] -e CODE [CORPUS] [ARGS...]  run a Lua chunk\n"
  "  ingest CORPUS [--db FILE] [OPTIONS]       load CORPUS into its store\n"
  "  repl [CORPUS] [OPTIONS]                   explore a corpus interactively\n"
  "  check RULEFILE...                         run the examples of rule files\n"
  "  apply RULEFILE... CORPUS                  store the mentions rules find\n"
  "  export mentions|entities CORPUS [--format jsonl|csv|brat] [--out PATH]\n"
  "  export rules RULEFILE                     a ruleset as spaCy JSONL\n"
  "  import spacy|gazetteer FILE --name NAME   make a rule file from patterns\n"
  "  aliases CORPUS [--rules FILE...]          propose spellings and new entities\n"
  "  version                                   print the version\n"
  "  help                                      print this text\n"
  "\n"
  "options:\n"
  "  --bad-utf8=repair|skip   invalid UTF-8: replace with U+FFFD (default)\n"
  "                           or skip the document\n"
  "  -q, --quiet              no warnings about the corpus on stderr\n"
  "  --timeout SECONDS        (run) stop the script after this long\n"
  "\n"
  "CORPUS is a directory, a .txt/.md/.jsonl/.conllu file, a store (.db),\n"
  "or - for JSON Lines on stdin. See docs/cli.md.\n";

static int usage_error(const char *fmt, const char *arg) {
  fprintf(stderr, "trawl: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\n(trawl help for usage)\n");
  return TR_EXIT_USAGE;
}

typedef struct Opts {
  int bad_utf8;         /* TR_UTF8_REPAIR or TR_UTF8_SKIP */
  int quiet;            /* -q */
  double timeout;       /* --timeout, 0: none */
  const char *db;       /* --db FILE (ingest) */
} Opts;

/* Parse one option at argv[*i]; returns 1 if it was one, 0 if not an
** option, -1 on a bad option (message printed). */
static int parse_opt(int argc, char **argv, int *i, Opts *o, int allow_db) {
  const char *a = argv[*i];
  if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
    o->quiet = 1;
    return 1;
  }
  if (strncmp(a, "--bad-utf8=", 11) == 0) {
    if (strcmp(a + 11, "repair") == 0) o->bad_utf8 = TR_UTF8_REPAIR;
    else if (strcmp(a + 11, "skip") == 0) o->bad_utf8 = TR_UTF8_SKIP;
    else return usage_error("--bad-utf8 takes repair or skip, not '%s'", a + 11), -1;
    return 1;
  }
  if (strcmp(a, "--timeout") == 0) {
    char *end;
    if (*i + 1 >= argc) return usage_error("%s needs a number of seconds", a), -1;
    o->timeout = strtod(argv[++*i], &end);
    if (*end || o->timeout <= 0)
      return usage_error("--timeout needs a positive number of seconds, not '%s'",
                         argv[*i]), -1;
    return 1;
  }
  if (allow_db && strcmp(a, "--db") == 0) {
    if (*i + 1 >= argc) return usage_error("%s needs a file name", a), -1;
    o->db = argv[++*i];
    return 1;
  }
  if (a[0] == '-' && a[1] != '\0')
    return usage_error("unknown option '%s'", a), -1;
  return 0;
}

/* ------------------------------------------------------------------ */
/* trawl run                                                           */
/* ------------------------------------------------------------------ */

static int is_path(const char *s) {
  struct stat st;
  return strcmp(s, "-") == 0 || stat(s, &st) == 0;
}

/* An argument that names no file but reads like a corpus ("corpuss/",
** "news.jsonl"): most likely a typo, better reported than passed on. */
static int looks_like_corpus(const char *s) {
  static const char *const ext[] = {".txt", ".md", ".jsonl", ".conllu",
                                    ".conll", ".tok", ".db", NULL};
  size_t n = strlen(s);
  if (n > 1 && s[n - 1] == '/') return 1;
  for (int i = 0; ext[i]; i++) {
    size_t e = strlen(ext[i]);
    if (n > e && strcmp(s + n - e, ext[i]) == 0) return 1;
  }
  return 0;
}

static const char *scripts_dir(void) {
  const char *p = getenv("TRAWL_PATH");
  return p && *p ? p : TRAWL_SCRIPTS_DIR;
}

static int cmd_run(int argc, char **argv) {
  Opts o = {0};
  int i = 2;
  const char *code = NULL;
  for (; i < argc; i++) {
    if (strcmp(argv[i], "-e") == 0) {
      if (i + 1 >= argc) return usage_error("%s needs a chunk of Lua", "-e");
      code = argv[++i];
      i++;
      break;
    }
    int r = parse_opt(argc, argv, &i, &o, 0);
    if (r < 0) return TR_EXIT_USAGE;
    if (r == 0) break;
  }
  const char *script = NULL;
  if (code == NULL) {
    if (i >= argc) return usage_error("%s", "run needs a SCRIPT or -e CODE");
    script = argv[i++];
  }
  int first_arg = i;           /* arg[1] */
  const char *corpus = NULL;
  if (i < argc && strcmp(argv[i], "--") == 0) first_arg = ++i;
  else if (i < argc && is_path(argv[i])) corpus = argv[i];
  else if (i < argc && looks_like_corpus(argv[i])) {
    fprintf(stderr, "trawl: %s: no such file or directory (use -- before it "
            "to pass it to the script as it is)\n", argv[i]);
    return TR_EXIT_DATA;
  }

  lua_State *L = luaL_newstate();
  if (L == NULL) {
    fprintf(stderr, "trawl: cannot create a Lua state (out of memory)\n");
    return TR_EXIT_SCRIPT;
  }
  int status = TR_EXIT_OK;
  lua_gc(L, LUA_GCGEN, 0, 0);
  tr_l_openlibs(L, scripts_dir());

  /* arg, as the lua interpreter sets it. */
  lua_createtable(L, argc - first_arg, 2);
  lua_pushstring(L, argv[0]);
  lua_rawseti(L, -2, -1);
  lua_pushstring(L, script ? script : "-e");
  lua_rawseti(L, -2, 0);
  for (int k = first_arg; k < argc; k++) {
    lua_pushstring(L, argv[k]);
    lua_rawseti(L, -2, k - first_arg + 1);
  }
  lua_setglobal(L, "arg");

  if (corpus) {
    if (tr_l_open(L, corpus, o.bad_utf8, o.quiet) != 1) {
      fprintf(stderr, "trawl: %s\n", lua_tostring(L, -1));
      lua_close(L);
      return TR_EXIT_DATA;
    }
    lua_setfield(L, LUA_REGISTRYINDEX, "trawl.cli_corpus");
  }

  int lst = code ? luaL_loadbuffer(L, code, strlen(code), "=(command line)")
                 : luaL_loadfile(L, script);
  if (lst != LUA_OK) {
    fprintf(stderr, "trawl: %s\n", lua_tostring(L, -1));
    lua_close(L);
    return lst == LUA_ERRFILE ? TR_EXIT_USAGE : TR_EXIT_SCRIPT;
  }
  for (int k = first_arg; k < argc; k++) lua_pushstring(L, argv[k]);
  tr_l_arm_interrupt(L);
  if (o.timeout > 0) tr_l_set_deadline(L, o.timeout);
  if (tr_l_docall(L, argc - first_arg, 0) != LUA_OK)
    status = tr_l_interrupted() ? TR_EXIT_INTERRUPT : TR_EXIT_SCRIPT;
  fflush(stdout);
  lua_close(L);
  return status;
}

/* ------------------------------------------------------------------ */
/* Commands written in Lua: check, apply, export, import               */
/* ------------------------------------------------------------------ */

/* Run scripts/lib/trawl/cli/NAME.lua with argv[2..] as its arguments. The
** script chooses the exit status with os.exit; a Lua error is status 1. */
static int cmd_lua(const char *name, int argc, char **argv) {
  char path[4096];
  snprintf(path, sizeof path, "%s/lib/trawl/cli/%s.lua", scripts_dir(), name);
  lua_State *L = luaL_newstate();
  if (L == NULL) return TR_EXIT_SCRIPT;
  tr_l_openlibs(L, scripts_dir());
  lua_createtable(L, argc, 1);
  lua_pushfstring(L, "trawl %s", name);
  lua_rawseti(L, -2, 0);
  for (int k = 2; k < argc; k++) {
    lua_pushstring(L, argv[k]);
    lua_rawseti(L, -2, k - 1);
  }
  lua_setglobal(L, "arg");
  int status = TR_EXIT_OK;
  if (luaL_loadfile(L, path) != LUA_OK) {
    fprintf(stderr, "trawl: %s\n", lua_tostring(L, -1));
    status = TR_EXIT_SCRIPT;
  } else {
    tr_l_arm_interrupt(L);
    if (tr_l_docall(L, 0, 0) != LUA_OK)
      status = tr_l_interrupted() ? TR_EXIT_INTERRUPT : TR_EXIT_SCRIPT;
  }
  fflush(stdout);
  lua_close(L);
  return status;
}

/* ------------------------------------------------------------------ */
/* trawl ingest                                                        */
/* ------------------------------------------------------------------ */

/* Diagnostics for -q: only errors reach stderr. */
static void quiet_diag(void *ud, const tr_diag *d) {
  (void)ud;
  if (d->level < TR_ERROR) return;
  if (d->line)
    fprintf(stderr, "trawl: %s:%llu: %s\n", d->path,
            (unsigned long long)d->line, d->msg);
  else
    fprintf(stderr, "trawl: %s: %s\n", d->path, d->msg);
}

static int cmd_ingest(int argc, char **argv) {
  Opts o = {0};
  const char *path = NULL;
  for (int i = 2; i < argc; i++) {
    int r = parse_opt(argc, argv, &i, &o, 1);
    if (r < 0) return TR_EXIT_USAGE;
    if (r == 0) {
      if (path) return usage_error("ingest takes one CORPUS; extra '%s'", argv[i]);
      path = argv[i];
    }
  }
  if (path == NULL) return usage_error("%s", "ingest needs a CORPUS");
  struct stat st;
  int exists = stat(path, &st) == 0, is_dir = exists && S_ISDIR(st.st_mode);
  if (strcmp(path, "-") == 0 && o.db == NULL)
    return usage_error("%s", "ingesting stdin (-) needs --db FILE");
  if (exists && !is_dir && o.db == NULL)
    return usage_error("ingesting '%s' (not a directory) needs --db FILE", path);

  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  tr_corpus *c = tr_corpus_new();
  if (c == NULL) return TR_EXIT_DATA;
  tr_load_opts lo = {o.bad_utf8, o.quiet ? quiet_diag : NULL, NULL};
  tr_load_stats ls;
  int status = TR_EXIT_OK;
  char *err = NULL, *db = NULL;
  tr_store *s = NULL;
  if (tr_load_path(c, path, &lo, &ls) != 0) {
    status = TR_EXIT_DATA;
    goto done;
  }
  db = o.db ? strdup(o.db) : tr_store_for_dir(path, NULL);
  tr_sync_stats ss;
  if (db == NULL) {
    fprintf(stderr, "trawl: %s: no place for a store (not writable, no cache "
            "directory); give --db FILE\n", path);
    status = TR_EXIT_DATA;
    goto done;
  }
  if (tr_store_open(db, 1, &s, &err) != 0 ||
      tr_store_sync(s, c, &ss, &err) != 0) {
    fprintf(stderr, "trawl: %s\n", err ? err : "store error");
    status = TR_EXIT_DATA;
    goto done;
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  printf("%s -> %s: %zu documents (%zu added, %zu updated, %zu unchanged, "
         "%zu removed), %zu skipped, %.2f s\n",
         path, db, tr_corpus_count(c), ss.added, ss.updated, ss.unchanged,
         ss.removed, ls.skipped,
         (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
done:
  free(err);
  free(db);
  if (s) tr_store_close(s);
  tr_corpus_free(c);
  return status;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fputs(usage_text, stderr);
    return TR_EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "run") == 0) return cmd_run(argc, argv);
  if (strcmp(cmd, "ingest") == 0) return cmd_ingest(argc, argv);
  if (strcmp(cmd, "repl") == 0) return tr_repl_main(argc, argv);
  if (strcmp(cmd, "check") == 0 || strcmp(cmd, "apply") == 0 ||
      strcmp(cmd, "export") == 0 || strcmp(cmd, "import") == 0 ||
      strcmp(cmd, "aliases") == 0)
    return cmd_lua(cmd, argc, argv);
  if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
    printf("trawl %s (%s)\n", TRAWL_VERSION, LUA_RELEASE);
    return TR_EXIT_OK;
  }
  if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 ||
      strcmp(cmd, "-h") == 0) {
    fputs(usage_text, stdout);
    return TR_EXIT_OK;
  }
  return usage_error("unknown command '%s'", cmd);
}

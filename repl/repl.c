/*
** repl.c — `trawl repl`: a Lua prompt with the corpus loaded.
**
** Statements are read the way the lua interpreter reads them: a bare
** expression (or `=expr`) shows its values, an incomplete statement goes on
** over ">> " lines. Each runs in a protected call that Ctrl-C can stop
** without losing the session. Values are shown by the Lua module
** trawl.repl (scripts/lib/trawl/repl.lua): the printing policy lives there.
** When stdin is not a terminal the session is a replay: no prompts, no
** banner, only results on stdout and errors on stderr.
*/
#include <dirent.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "complete.h"
#include "l_aux.h"
#include "lineedit.h"
#include "repl.h"

/* Where :help finds the documentation (TRAWL_DOCS overrides it). */
#ifndef TRAWL_DOCS_DIR
#define TRAWL_DOCS_DIR TRAWL_SCRIPTS_DIR "/../docs"
#endif

#define PROMPT "> "
#define PROMPT_MORE ">> "
#define CHUNKNAME "=stdin"

typedef struct Session {
  lua_State *L;
  const char *corpus;   /* the CORPUS argument, or NULL */
  int bad_utf8, quiet;  /* how to open it */
  int ndocs;            /* documents in it, for the banner */
  int printer;          /* registry ref to the trawl.repl module, or LUA_NOREF */
  int interactive;      /* stdin is a terminal */
  int color, err_color; /* colour on stdout, on stderr */
  tr_edit *ed;          /* the line editor, NULL when piped */
  int failed;           /* some statement failed (exit status when piped) */
  int interrupted;      /* Ctrl-C stopped a statement */
  int quit;             /* leave the loop */
  int open_failed;      /* set while opening: the corpus could not be read */
  char **rules;         /* rule files (--rules, :rules), in order; owned */
  int nrules;
} Session;

/* ------------------------------------------------------------------ */
/* Messages                                                            */
/* ------------------------------------------------------------------ */

static void report(Session *S, const char *msg) {
  fflush(stdout);
  fprintf(stderr, "%strawl: %s%s\n", S->err_color ? "\033[31m" : "",
          msg ? msg : "(error without a message)", S->err_color ? "\033[0m" : "");
  fflush(stderr);
  S->failed = 1;
}

static int usage_error(const char *fmt, const char *arg) {
  fprintf(stderr, "trawl: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\n(trawl help for usage)\n");
  return TR_EXIT_USAGE;
}

static char *join(const char *a, const char *sep, const char *b) {
  size_t na = strlen(a), ns = strlen(sep), nb = strlen(b);
  char *s = malloc(na + ns + nb + 1);
  if (s == NULL) return NULL;
  memcpy(s, a, na);
  memcpy(s + na, sep, ns);
  memcpy(s + na + ns, b, nb + 1);
  return s;
}

static int no_color(void) {
  const char *s = getenv("NO_COLOR"); /* https://no-color.org */
  return s != NULL && *s != '\0';
}

static int out_width(void) {
  struct winsize ws;
  if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
      ws.ws_col > 0)
    return ws.ws_col;
  const char *c = getenv("COLUMNS");
  int n = c ? atoi(c) : 0;
  return n > 20 ? n : 80;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------------ */
/* Stopping a statement                                                */
/* ------------------------------------------------------------------ */

/* As in lua.c, the signal handler only sets a hook; the hook raises
** "interrupted" inside Lua and re-arms itself on every line, so a pcall in
** the statement cannot swallow the stop. Unlike `trawl run`, the hook is
** removed once the statement is over, and the session goes on. */
static lua_State *volatile running;          /* the state inside a statement */
static volatile sig_atomic_t stop_requested; /* Ctrl-C during this statement */
static volatile sig_atomic_t keep_on_sigint; /* interactive: survive Ctrl-C */

static void stop_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  lua_sethook(L, stop_hook, LUA_MASKLINE | LUA_MASKCOUNT, 1);
  luaL_error(L, "interrupted");
}

static void on_sigint(int sig) {
  lua_State *L = running;
  if (L != NULL && !stop_requested) {
    stop_requested = 1;
    lua_sethook(L, stop_hook,
                LUA_MASKCALL | LUA_MASKRET | LUA_MASKLINE | LUA_MASKCOUNT, 1);
    return;
  }
  /* Between statements a terminal session ignores Ctrl-C (the prompt
  ** handles its own); a replay stops. A second Ctrl-C while C code does
  ** not come back to Lua kills the process, as with `trawl run`. */
  if (L == NULL && keep_on_sigint) return;
  signal(sig, SIG_DFL);
  raise(sig);
}

static void catch_sigint(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL); /* no SA_RESTART: a blocked read returns */
}

/* Message handler: the error with a traceback, unless the traceback only
** names the prompt itself (the typed line, the C function it called). */
static int msghandler(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  if (msg == NULL) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
      return 1;
    msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  luaL_traceback(L, L, msg, 1);
  const char *tb = lua_tostring(L, -1), *head = strstr(tb, "\nstack traceback:\n");
  if (head == NULL) return 1;
  int useful = 0, first = 1;
  for (const char *p = head + 18; *p && !useful; first = 0) {
    size_t n = strcspn(p, "\n");
    int c_frame = strncmp(p, "\t[C]: ", 6) == 0;
    int chunk = n >= 15 && memcmp(p + n - 15, ": in main chunk", 15) == 0;
    int tail = strncmp(p, "\t(...tail calls...)", 19) == 0;
    useful = !(chunk || tail || (c_frame && (first || strncmp(p, "\t[C]: in ?", 10) == 0)));
    p += n + (p[n] == '\n');
  }
  size_t len = useful ? strlen(tb) : (size_t)(head - tb);
  if (useful && len >= 11 && strcmp(tb + len - 11, "\n\t[C]: in ?") == 0) len -= 11;
  lua_pushlstring(L, tb, len);
  return 1;
}

/* Call the function below its nargs arguments, stoppable by Ctrl-C. On
** success the results replace it; on failure the error is reported and
** nothing is left. Returns the lua_pcall status. */
static int call(Session *S, int nargs, int nresults) {
  lua_State *L = S->L;
  int base = lua_gettop(L) - nargs;
  lua_pushcfunction(L, msghandler);
  lua_insert(L, base);
  catch_sigint();
  stop_requested = 0;
  running = L;
  int status = lua_pcall(L, nargs, nresults, base);
  running = NULL;
  if (stop_requested) {
    lua_sethook(L, NULL, 0, 0);
    S->interrupted = 1;
  }
  lua_remove(L, base);
  if (status != LUA_OK) {
    if (stop_requested && S->interactive) putchar('\n'); /* after the ^C */
    report(S, lua_tostring(L, -1));
    lua_pop(L, 1);
  }
  return status;
}

/* ------------------------------------------------------------------ */
/* Showing values                                                      */
/* ------------------------------------------------------------------ */

/* Without the trawl.repl module: values as the lua interpreter prints
** them. */
static int show_plain(lua_State *L) {
  int n = lua_gettop(L);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (int i = 1; i <= n; i++) {
    if (i > 1) luaL_addchar(&b, '\t');
    luaL_tolstring(L, i, NULL);
    luaL_addvalue(&b);
  }
  luaL_pushresult(&b);
  return 1;
}

/* Push the module function trawl.repl.NAME and its first argument, the
** output context {color, width}; 0 (nothing pushed) without the module. */
static int push_printer(Session *S, const char *name) {
  lua_State *L = S->L;
  if (S->printer == LUA_NOREF) return 0;
  lua_rawgeti(L, LUA_REGISTRYINDEX, S->printer);
  lua_getfield(L, -1, name);
  lua_remove(L, -2);
  lua_createtable(L, 0, 2);
  lua_pushboolean(L, S->color);
  lua_setfield(L, -2, "color");
  lua_pushinteger(L, out_width());
  lua_setfield(L, -2, "width");
  return 1;
}

/* Write the string on top (popped) as lines on stdout. */
static void put_text(Session *S) {
  size_t n;
  const char *s = lua_tolstring(S->L, -1, &n);
  if (s && n > 0) {
    fwrite(s, 1, n, stdout);
    if (s[n - 1] != '\n') putchar('\n');
  }
  fflush(stdout);
  lua_pop(S->L, 1);
}

/* Show the n values on top of the stack (popped). */
static void show(Session *S, int n) {
  lua_State *L = S->L;
  int first = lua_gettop(L) - n + 1;
  if (push_printer(S, "show")) {
    lua_insert(L, first);
    lua_insert(L, first);
    n++;
  } else {
    lua_pushcfunction(L, show_plain);
    lua_insert(L, first);
  }
  if (call(S, n, 1) == LUA_OK) put_text(S);
}

/* Run the function on top and show what it returns; when timed, also how
** long it took (the call only, not the showing). */
static void run(Session *S, int timed) {
  lua_State *L = S->L;
  int base = lua_gettop(L);
  double t0 = now();
  if (call(S, 0, LUA_MULTRET) != LUA_OK) return;
  double dt = now() - t0;
  int n = lua_gettop(L) - base + 1;
  if (n > 0 && !lua_checkstack(L, LUA_MINSTACK)) report(S, "too many results to show");
  else if (n > 0) show(S, n);
  if (timed) {
    char buf[64];
    if (dt < 1) snprintf(buf, sizeof buf, "time: %.3f ms", dt * 1e3);
    else snprintf(buf, sizeof buf, "time: %.3f s", dt);
    printf(S->color ? "\033[2m%s\033[0m\n" : "%s\n", buf);
    fflush(stdout);
  }
  lua_settop(L, base - 1);
}

/* ------------------------------------------------------------------ */
/* The Lua state                                                       */
/* ------------------------------------------------------------------ */

static const char *scripts_dir(void) {
  const char *p = getenv("TRAWL_PATH");
  return p && *p ? p : TRAWL_SCRIPTS_DIR;
}

static int setup(lua_State *L) {
  Session *S = lua_touserdata(L, 1);
  tr_l_openlibs(L, scripts_dir());
  /* The printer is optional: without it values print plainly. */
  lua_getglobal(L, "require");
  lua_pushliteral(L, "trawl.repl");
  if (lua_pcall(L, 1, 1, 0) == LUA_OK) {
    S->printer = luaL_ref(L, LUA_REGISTRYINDEX);
  } else {
    const char *msg = lua_tostring(L, -1); /* its first line is enough */
    fprintf(stderr, "trawl: %.*s (values will print plainly)\n",
            (int)strcspn(msg ? msg : "", "\n"), msg ? msg : "");
    lua_pop(L, 1);
  }
  if (S->corpus) {
    if (tr_l_open(L, S->corpus, S->bad_utf8, S->quiet) != 1) {
      S->open_failed = 1;
      return lua_error(L);
    }
    S->ndocs = (int)luaL_len(L, -1);
    lua_pushvalue(L, -1);
    lua_setfield(L, LUA_REGISTRYINDEX, "trawl.cli_corpus");
    lua_setglobal(L, "corpus");
  }
  return 0;
}

/* A fresh state with the libraries, the printer and the corpus. Returns 0,
** or an exit status (the state is usable anyway, unless out of memory). */
static int open_state(Session *S) {
  S->printer = LUA_NOREF;
  S->open_failed = 0;
  S->L = luaL_newstate();
  if (S->L == NULL) {
    report(S, "cannot create a Lua state (out of memory)");
    return TR_EXIT_SCRIPT;
  }
  lua_gc(S->L, LUA_GCGEN, 0, 0);
  lua_pushcfunction(S->L, setup);
  lua_pushlightuserdata(S->L, S);
  if (lua_pcall(S->L, 1, 0, 0) != LUA_OK) {
    report(S, lua_tostring(S->L, -1));
    lua_pop(S->L, 1);
    return S->open_failed ? TR_EXIT_DATA : TR_EXIT_SCRIPT;
  }
  return 0;
}

/* ------------------------------------------------------------------ */
/* Reading statements                                                  */
/* ------------------------------------------------------------------ */

static char *read_line(Session *S, const char *prompt, int *status) {
  if (S->ed) return tr_edit_read(S->ed, prompt, status);
  char *line = NULL;
  size_t cap = 0;
  ssize_t n = getline(&line, &cap, stdin);
  if (n < 0) {
    free(line);
    *status = TR_EDIT_EOF;
    return NULL;
  }
  while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
  *status = TR_EDIT_LINE;
  return line;
}

static void remember(Session *S, const char *text) {
  if (S->ed) tr_edit_remember(S->ed, text);
}

/* A syntax error that only says the input ended too soon (lua.c's rule):
** pops it and returns 1. */
static int incomplete(lua_State *L, int status) {
  size_t n;
  const char *msg;
  if (status != LUA_ERRSYNTAX) return 0;
  msg = lua_tolstring(L, -1, &n);
  if (n < 5 || strcmp(msg + n - 5, "<eof>") != 0) return 0;
  lua_pop(L, 1);
  return 1;
}

static int load(lua_State *L, const char *prefix, const char *code) {
  char *s = join(prefix, "", code);
  if (s == NULL) {
    lua_pushliteral(L, "out of memory");
    return LUA_ERRMEM;
  }
  int status = luaL_loadbuffer(L, s, strlen(s), CHUNKNAME);
  free(s);
  return status;
}

/* Compile the statement that starts with line, reading more lines while it
** is incomplete. Returns 1 with the function pushed, or 0 when there is
** nothing to run (Ctrl-C, end of input, a syntax error: reported). */
static int compile(Session *S, const char *line) {
  lua_State *L = S->L;
  int eq = line[0] == '=';
  /* A bare expression shows its values: try `return LINE` first. */
  if (!eq) {
    if (load(L, "return ", line) == LUA_OK) {
      remember(S, line);
      return 1;
    }
    lua_pop(L, 1);
  }
  char *text = strdup(line);
  int status = LUA_ERRMEM;
  while (text) {
    status = load(L, eq ? "return " : "", text + eq);
    if (!incomplete(L, status)) break;
    int rs;
    char *more = read_line(S, PROMPT_MORE, &rs);
    if (more == NULL) {
      if (rs == TR_EDIT_INTERRUPT) {
        free(text);
        return 0;
      }
      /* End of input: report what is missing (as lua.c does). Piped, the
      ** next read ends the session; at a terminal, Ctrl-D again does. */
      status = load(L, eq ? "return " : "", text + eq);
      break;
    }
    char *longer = join(text, "\n", more);
    free(more);
    free(text);
    text = longer;
  }
  if (text == NULL) {
    report(S, "out of memory");
    return 0;
  }
  remember(S, text);
  free(text);
  if (status != LUA_OK) {
    report(S, lua_tostring(L, -1));
    lua_pop(L, 1);
    return 0;
  }
  return 1;
}

/* ------------------------------------------------------------------ */
/* Commands                                                            */
/* ------------------------------------------------------------------ */

static void cmd_help(Session *S, char *arg) {
  lua_State *L = S->L;
  const char *dir = getenv("TRAWL_DOCS");
  if (dir == NULL || *dir == '\0') dir = TRAWL_DOCS_DIR;
  if (!push_printer(S, "help")) {
    report(S, ":help needs the trawl.repl module (scripts/lib/trawl/repl.lua)");
    return;
  }
  if (*arg) lua_pushstring(L, arg);
  else lua_pushnil(L);
  lua_pushstring(L, dir);
  lua_newtable(L); /* the documentation files: lua-api.md -> "lua-api" */
  DIR *dp = opendir(dir);
  if (dp) {
    struct dirent *de;
    int n = 0;
    while ((de = readdir(dp)) != NULL) {
      size_t len = strlen(de->d_name);
      if (len > 3 && de->d_name[0] != '.' && strcmp(de->d_name + len - 3, ".md") == 0) {
        lua_pushlstring(L, de->d_name, len - 3);
        lua_rawseti(L, -2, ++n);
      }
    }
    closedir(dp);
  }
  /* help(ctx, topic, dir, files) -> text, or nil and a message */
  if (call(S, 4, 2) != LUA_OK) return;
  if (lua_isnil(L, -2)) {
    report(S, lua_tostring(L, -1));
    lua_pop(L, 2);
    return;
  }
  lua_pop(L, 1);
  put_text(S);
}

static void cmd_load(Session *S, char *arg) {
  size_t n = strlen(arg);
  if (n >= 2 && (arg[0] == '"' || arg[0] == '\'') && arg[n - 1] == arg[0]) {
    arg[n - 1] = '\0'; /* :load "a file.lua" */
    arg++;
  }
  if (*arg == '\0') {
    report(S, "usage: :load FILE");
    return;
  }
  if (luaL_loadfile(S->L, arg) != LUA_OK) {
    report(S, lua_tostring(S->L, -1));
    lua_pop(S->L, 1);
    return;
  }
  run(S, 0);
}

static void cmd_time(Session *S, char *arg) {
  if (*arg == '\0') {
    report(S, "usage: :time EXPR");
    return;
  }
  int status = load(S->L, "return ", arg);
  if (status != LUA_OK) {
    lua_pop(S->L, 1);
    status = load(S->L, "", arg);
  }
  if (status != LUA_OK) {
    report(S, lua_tostring(S->L, -1));
    lua_pop(S->L, 1);
    return;
  }
  run(S, 1);
}

static int apply_rules(Session *S);

/* A new state: edited modules (require) and a changed corpus are read
** again; globals are gone. */
static void cmd_reload(Session *S, char *arg) {
  (void)arg;
  lua_close(S->L);
  S->L = NULL;
  int status = open_state(S);
  if (S->L == NULL) {
    S->quit = 1;
    return;
  }
  if (status == 0) apply_rules(S);
  if (S->interactive) {
    if (status != 0) printf("reloaded, without the corpus\n");
    else if (S->corpus) printf("reloaded: %s (%d documents)\n", S->corpus, S->ndocs);
    else printf("reloaded\n");
  }
}

/* Load and apply the rule files 0..nrules-1 (all of them together, so
** the corpus store holds exactly their mentions) through
** trawl.repl.rules(ctx, files): a summary, or nil and the message. */
static int apply_rules(Session *S) {
  if (S->nrules == 0) return 0;
  if (!push_printer(S, "rules")) {
    report(S, "rule files need the trawl.repl module (scripts/lib/trawl/repl.lua)");
    return -1;
  }
  lua_createtable(S->L, S->nrules, 0);
  for (int i = 0; i < S->nrules; i++) {
    lua_pushstring(S->L, S->rules[i]);
    lua_rawseti(S->L, -2, i + 1);
  }
  if (call(S, 2, 2) != LUA_OK) return -1;
  if (lua_isnil(S->L, -2)) {
    report(S, lua_tostring(S->L, -1));
    lua_pop(S->L, 2);
    return -1;
  }
  lua_pop(S->L, 1);
  if (S->interactive) put_text(S);
  else lua_pop(S->L, 1);
  return 0;
}

static void free_rules(Session *S) {
  for (int i = 0; i < S->nrules; i++) free(S->rules[i]);
  free(S->rules);
  S->rules = NULL;
  S->nrules = 0;
}

/* A usage error after rule file names were copied. */
static int usage_free(Session *S, const char *fmt, const char *arg) {
  free_rules(S);
  return usage_error(fmt, arg);
}

/* :rules FILE — load a rule file and apply it with the ones before. The
** file name is kept (the argument buffer is freed by the caller). */
static void cmd_rules(Session *S, char *arg) {
  if (*arg == '\0') {
    report(S, "usage: :rules FILE");
    return;
  }
  char **v = realloc(S->rules, (size_t)(S->nrules + 1) * sizeof *v);
  char *copy = strdup(arg);
  if (v == NULL || copy == NULL) {
    if (v) S->rules = v;
    free(copy);
    report(S, "out of memory");
    return;
  }
  S->rules = v;
  S->rules[S->nrules++] = copy;
  if (apply_rules(S) != 0) { /* keep the session as it was */
    S->nrules--;
    free(copy);
  }
}

static void cmd_quit(Session *S, char *arg) {
  (void)arg;
  S->quit = 1;
}

static const struct Command {
  const char *name;
  void (*run)(Session *S, char *arg);
} commands[] = {
  {"help", cmd_help}, {"load", cmd_load}, {"quit", cmd_quit},
  {"reload", cmd_reload}, {"rules", cmd_rules}, {"time", cmd_time},
  {"exit", cmd_quit}, {NULL, NULL}
};

/* For completion (exit is left out: quit is enough). */
static const char *const command_names[] = {
  "help", "load", "quit", "reload", "rules", "time", NULL
};

/* `:name [arg]`: a command named by itself or by a unique prefix. */
static void command(Session *S, const char *line) {
  const char *name = line + 1;
  size_t n = strcspn(name, " \t");
  const char *arg = name + n + strspn(name + n, " \t");
  size_t alen = strlen(arg);
  while (alen > 0 && (arg[alen - 1] == ' ' || arg[alen - 1] == '\t')) alen--;

  const struct Command *found = NULL;
  int matches = 0;
  for (const struct Command *c = commands; c->name; c++) {
    if (strlen(c->name) == n && strncmp(c->name, name, n) == 0) {
      found = c; /* an exact name wins over prefixes */
      matches = 1;
      break;
    }
    if (n > 0 && strncmp(c->name, name, n) == 0) {
      found = c;
      matches++;
    }
  }
  if (matches != 1) {
    char msg[160];
    snprintf(msg, sizeof msg, "%s command ':%.*s' (:help lists them)",
             matches ? "ambiguous" : "unknown", (int)(n > 40 ? 40 : n), name);
    report(S, msg);
    return;
  }
  char *copy = malloc(alen + 1);
  if (copy == NULL) {
    report(S, "out of memory");
    return;
  }
  memcpy(copy, arg, alen);
  copy[alen] = '\0';
  found->run(S, copy);
  free(copy);
}

/* ------------------------------------------------------------------ */
/* The session                                                         */
/* ------------------------------------------------------------------ */

static void complete(void *ud, const char *line, size_t cursor,
                     tr_completions *out) {
  Session *S = ud;
  tr_repl_complete(S->L, command_names, line, cursor, out);
}

/* Line editing needs a UTF-8 locale to read and show non-ASCII text. */
static void use_utf8_locale(void) {
  const char *cs;
  if (setlocale(LC_CTYPE, "") && (cs = nl_langinfo(CODESET)) != NULL &&
      (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0))
    return;
  if (setlocale(LC_CTYPE, "C.UTF-8") == NULL) setlocale(LC_CTYPE, "C.utf8");
}

static char *history_file(void) {
  const char *h = getenv("TRAWL_HISTORY");
  if (h) return *h ? strdup(h) : NULL; /* set but empty: no history file */
  h = getenv("HOME");
  return h && *h ? join(h, "/", ".trawl_history") : NULL;
}

static void banner(Session *S) {
  printf("trawl %s (%s)", TRAWL_VERSION, LUA_RELEASE);
  if (S->corpus) printf(" · corpus: %s, %d documents", S->corpus, S->ndocs);
  printf("\n%s=EXPR shows values, :help for help, Ctrl-D quits%s\n",
         S->color ? "\033[2m" : "", S->color ? "\033[0m" : "");
  fflush(stdout);
}

static void loop(Session *S) {
  while (!S->quit) {
    int status;
    char *line = read_line(S, PROMPT, &status);
    if (line == NULL) {
      if (status == TR_EDIT_EOF) break;
      continue; /* Ctrl-C: a fresh prompt */
    }
    const char *s = line + strspn(line, " \t");
    if (s[0] == ':' && s[1] != ':') { /* `::label::` is Lua */
      remember(S, line);
      command(S, s);
    } else if (compile(S, line)) {
      run(S, 0);
    }
    free(line);
    if (!S->interactive && S->interrupted) break;
  }
}

int tr_repl_main(int argc, char **argv) {
  Session S;
  memset(&S, 0, sizeof S);
  S.bad_utf8 = TR_UTF8_REPAIR;
  S.printer = LUA_NOREF;
  int options = 1;
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i];
    if (options && strcmp(a, "--") == 0) options = 0;
    else if (options && (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0)) S.quiet = 1;
    else if (options && strncmp(a, "--bad-utf8=", 11) == 0) {
      if (strcmp(a + 11, "repair") == 0) S.bad_utf8 = TR_UTF8_REPAIR;
      else if (strcmp(a + 11, "skip") == 0) S.bad_utf8 = TR_UTF8_SKIP;
      else return usage_free(&S, "--bad-utf8 takes repair or skip, not '%s'", a + 11);
    } else if (options && strcmp(a, "--rules") == 0) {
      if (i + 1 >= argc) return usage_free(&S, "%s needs a rule file", a);
      char **v = realloc(S.rules, (size_t)(S.nrules + 1) * sizeof *v);
      if (v == NULL) { free_rules(&S); return TR_EXIT_SCRIPT; }
      S.rules = v;
      if ((S.rules[S.nrules] = strdup(argv[++i])) == NULL) {
        free_rules(&S);
        return TR_EXIT_SCRIPT;
      }
      S.nrules++;
    } else if (options && (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)) {
      fputs("usage: trawl repl [CORPUS] [-q] [--bad-utf8=repair|skip] [--rules FILE]...\n"
            "A Lua prompt with CORPUS loaded as `corpus`; :help inside it, "
            "docs/repl.md for more.\n", stdout);
      free_rules(&S);
      return TR_EXIT_OK;
    } else if (options && a[0] == '-' && a[1] != '\0') {
      return usage_free(&S, "unknown option '%s'", a);
    } else if (S.corpus) {
      return usage_free(&S, "repl takes one CORPUS; extra '%s'", a);
    } else {
      S.corpus = a;
    }
  }
  if (S.corpus && strcmp(S.corpus, "-") == 0)
    return usage_free(&S, "%s", "repl reads statements from stdin, so the corpus "
                       "cannot come from there; give a file or directory");

  S.interactive = isatty(STDIN_FILENO);
  S.color = isatty(STDOUT_FILENO) && !no_color();
  S.err_color = isatty(STDERR_FILENO) && !no_color();
  if (S.interactive) use_utf8_locale();

  int status = open_state(&S);
  if (status != 0) {
    if (S.L) lua_close(S.L);
    free_rules(&S);
    return status;
  }
  if (apply_rules(&S) != 0) {
    lua_close(S.L);
    free_rules(&S);
    return TR_EXIT_SCRIPT;
  }
  if (S.interactive) {
    char *hist = history_file();
    /* Draw on the terminal: stdout unless it is redirected. */
    FILE *out = isatty(STDOUT_FILENO) ? stdout : stderr;
    S.ed = tr_edit_open(stdin, out, hist, complete, &S);
    free(hist);
    banner(&S);
  }
  keep_on_sigint = S.interactive;
  catch_sigint();
  loop(&S);
  tr_edit_close(S.ed);
  if (S.L) lua_close(S.L);
  free_rules(&S);
  fflush(stdout);
  if (S.interactive) return TR_EXIT_OK;
  if (S.interrupted) return TR_EXIT_INTERRUPT;
  return S.failed ? TR_EXIT_SCRIPT : TR_EXIT_OK;
}

/*
** l_sandbox.c — Lua states for rule files. A rule file is code from
** someone else: it gets a state of its own (thrown away with the ruleset),
** an allow-list of builtins, an allocator that refuses growth past a cap
** (as ltests.c's debug_realloc does), and a count hook that stops runaway
** code, re-armed on every line so pcall cannot swallow the stop (Redis's
** approach).
*/
#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "l_aux.h"
#include "l_aux.h"
#include "l_sandbox.h"
#include "tokenize.h"

#define HOOK_STEP 1000  /* instructions between two budget checks */

struct tr_sandbox {
  lua_State *L;
  size_t used, peak;    /* bytes held now, and the most held */
  size_t limit;         /* cap on bytes held */
  long long budget;     /* instructions allowed per call */
  long long spent;      /* instructions used by the current call */
  double seconds;       /* wall-clock limit per call */
  double deadline;      /* monotonic time the current call must end by */
  int killed;           /* 0, or why the current call is being stopped */
  int in_call;          /* limits apply only inside tr_sb_call/dofile */
  char *name;           /* ruleset name for messages and print */
};

enum { KILL_NONE = 0, KILL_INSTR, KILL_TIME };

/* ------------------------------------------------------------------ */
/* Memory cap                                                          */
/* ------------------------------------------------------------------ */

static void *sb_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  tr_sandbox *sb = ud;
  if (ptr == NULL) osize = 0; /* osize is a type tag then, not a size */
  if (nsize == 0) {
    free(ptr);
    sb->used -= osize;
    return NULL;
  }
  /* Refuse growth past the cap, never a shrink or a free: Lua must always
  ** be able to release memory and report the error. */
  if (nsize > osize && sb->used - osize + nsize > sb->limit) return NULL;
  void *p = realloc(ptr, nsize);
  if (p == NULL) return NULL;
  sb->used = sb->used - osize + nsize;
  if (sb->used > sb->peak) sb->peak = sb->used;
  return p;
}

/* ------------------------------------------------------------------ */
/* Instruction budget and time limit                                   */
/* ------------------------------------------------------------------ */

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static tr_sandbox *sb_of(lua_State *L) {
  void *ud;
  lua_getallocf(L, &ud);
  return ud;
}

static void sb_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  tr_sandbox *sb = sb_of(L);
  if (!sb->in_call) return;
  if (!sb->killed) {
    sb->spent += HOOK_STEP;
    if (sb->spent > sb->budget) sb->killed = KILL_INSTR;
    else if (sb->seconds > 0 && now() > sb->deadline) sb->killed = KILL_TIME;
  }
  if (sb->killed) {
    /* From now on raise at every line and every instruction, so a pcall
    ** in the rule code only delays the stop by one step. */
    lua_sethook(L, sb_hook, LUA_MASKLINE | LUA_MASKCOUNT, 1);
    luaL_error(L, "stopped");
  }
}

static void arm(tr_sandbox *sb) {
  sb->spent = 0;
  sb->killed = KILL_NONE;
  sb->in_call = 1;
  sb->deadline = now() + sb->seconds;
  lua_sethook(sb->L, sb_hook, LUA_MASKCOUNT, HOOK_STEP);
}

static void disarm(tr_sandbox *sb) {
  sb->in_call = 0;
  lua_sethook(sb->L, sb_hook, LUA_MASKCOUNT, HOOK_STEP);
}

/* ------------------------------------------------------------------ */
/* Safe replacements of builtins                                       */
/* ------------------------------------------------------------------ */

/* print: to stderr, tagged with the ruleset, values through tostring of
** strings and numbers only (a __tostring would run rule code here). */
static int sb_print(lua_State *L) {
  tr_sandbox *sb = sb_of(L);
  int n = lua_gettop(L);
  fprintf(stderr, "[%s]", sb->name);
  for (int i = 1; i <= n; i++) {
    if (lua_type(L, i) == LUA_TSTRING || lua_type(L, i) == LUA_TNUMBER)
      fprintf(stderr, " %s", lua_tostring(L, i));
    else
      fprintf(stderr, " %s", luaL_typename(L, i));
  }
  fputc('\n', stderr);
  return 0;
}

/* setmetatable without __gc: finalizers run with hooks off (lgc.c GCTM),
** so a hostile one could never be stopped. */
static int sb_setmetatable(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  if (lua_type(L, 2) == LUA_TTABLE) {
    lua_pushliteral(L, "__gc");
    if (lua_rawget(L, 2) != LUA_TNIL)
      return luaL_error(L, "__gc metamethods are not allowed in rule files");
    lua_pop(L, 1);
  }
  lua_settop(L, 2);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, 2, 1);
  return 1;
}

/* Lua patterns backtrack inside C, where no hook can stop them: with q
** variable-length items (* + - ?) a match can take about n^q steps on a
** subject of n bytes, and a plain find n*m. So the work a call may do is
** bounded before it starts: what could exceed about a billion steps is
** refused. Rule files have PCRE2 regexes (with match limits) for the hard
** cases. */
#define MAX_STEPS 1e9

static double pattern_cost(const char *p, size_t pn, size_t n, int plain) {
  if (plain) return (double)n * (double)(pn ? pn : 1);
  int q = 0;
  for (size_t i = 0; i < pn; i++) {
    if (p[i] == '%') { i++; continue; }
    if (p[i] == '*' || p[i] == '+' || p[i] == '-' || p[i] == '?') q++;
  }
  double cost = (double)(n ? n : 1);
  for (int k = 0; k < q && cost <= MAX_STEPS; k++) cost *= (double)(n ? n : 1);
  return cost;
}

/* Wrapper for string.find/match/gmatch/gsub (upvalue 1: the original;
** upvalue 2: true for find, whose 4th argument asks for a plain search). */
static int sb_strpat(lua_State *L) {
  size_t n = 0, pn;
  const char *p = lua_tolstring(L, 2, &pn);
  if (lua_type(L, 1) == LUA_TSTRING || lua_type(L, 1) == LUA_TNUMBER)
    lua_tolstring(L, 1, &n);
  int plain = lua_toboolean(L, lua_upvalueindex(2)) && lua_toboolean(L, 4);
  if (p && pattern_cost(p, pn, n, plain) > MAX_STEPS) {
    lua_pushlstring(L, p, pn > 40 ? 40 : pn); /* quote its start only */
    return luaL_error(L, "%s '%s%s' on %d bytes could run too long for a "
                      "rule file (each * + - ? multiplies the work); use a "
                      "regex rule", plain ? "plain search for" : "pattern",
                      lua_tostring(L, -1), pn > 40 ? "..." : "", (int)n);
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}

/* xpcall whose message handler runs after the stack has unwound, under
** the hooks: Lua calls a message handler with hooks off, so a handler that
** loops could never be stopped. */
static int sb_xpcall(lua_State *L) {
  int n = lua_gettop(L);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_pushvalue(L, 1);              /* f */
  for (int i = 3; i <= n; i++) lua_pushvalue(L, i);
  int status = lua_pcall(L, n - 2, LUA_MULTRET, 0);
  if (status == LUA_OK) {
    lua_pushboolean(L, 1);
    lua_replace(L, 1);              /* true in place of f */
    lua_remove(L, 2);               /* drop h */
    for (int i = 3; i <= n; i++) lua_remove(L, 2); /* and the arguments */
    return lua_gettop(L);
  }
  if (status == LUA_ERRMEM) return lua_error(L); /* no room for a handler */
  lua_pushvalue(L, 2);              /* h(err) */
  lua_insert(L, -2);
  lua_call(L, 1, 1);
  lua_pushboolean(L, 0);
  lua_insert(L, -2);
  return 2;
}

/* trawl.normalize inside the sandbox: names are short, so the input is
** limited (NFKC can make a string many times longer, outside the cap). */
static int sb_normalize(lua_State *L) {
  size_t len, outlen;
  const char *s = luaL_checklstring(L, 1, &len);
  if (len > (1u << 16))
    return luaL_error(L, "normalize: %d bytes is more than a rule file may "
                      "normalize at once (64 KiB)", (int)len);
  char *out = tr_normalize(s, len, 0, &outlen);
  if (out == NULL) return luaL_error(L, "not enough memory");
  return tr_l_push_malloced(L, out, outlen);
}

/* trawl.ruleset{...}: marks the table as a ruleset and returns it; the
** checking happens in the loader, with raw access only. */
static int sb_ruleset(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  return 1;
}

static int sb_readonly(lua_State *L) {
  return luaL_error(L, "trawl is read-only in rule files");
}

/* Open the allowed libraries and strip what is not allowed. */
static int sb_setup(lua_State *L) {
  static const luaL_Reg libs[] = {
    {LUA_GNAME, luaopen_base}, {LUA_STRLIBNAME, luaopen_string},
    {LUA_TABLIBNAME, luaopen_table}, {LUA_MATHLIBNAME, luaopen_math},
    {LUA_UTF8LIBNAME, luaopen_utf8}, {NULL, NULL}
  };
  for (const luaL_Reg *l = libs; l->name; l++) {
    luaL_requiref(L, l->name, l->func, 1);
    lua_pop(L, 1);
  }
  /* Allow-list of base functions: everything else goes. */
  static const char *const keep[] = {
    "assert", "error", "ipairs", "pairs", "next", "pcall", "select",
    "tonumber", "tostring", "type", "xpcall", "rawequal", "rawget",
    "rawlen", "rawset", "getmetatable", "setmetatable", "print", "_G",
    "_VERSION", "string", "table", "math", "utf8", NULL
  };
  lua_pushglobaltable(L);
  lua_pushnil(L);
  while (lua_next(L, -2)) { /* clearing fields while traversing is allowed */
    lua_pop(L, 1);
    const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
    int ok = 0;
    for (int i = 0; keep[i]; i++) ok |= strcmp(k, keep[i]) == 0;
    if (!ok) {
      lua_pushvalue(L, -1);
      lua_pushnil(L);
      lua_rawset(L, -4);
    }
  }
  lua_pushcfunction(L, sb_print);
  lua_setfield(L, -2, "print");
  lua_pushcfunction(L, sb_xpcall);
  lua_setfield(L, -2, "xpcall");
  lua_getfield(L, -1, "setmetatable");
  lua_pushcclosure(L, sb_setmetatable, 1);
  lua_setfield(L, -2, "setmetatable");
  /* string: no dump (bytecode), and pattern functions with a check. */
  lua_getfield(L, -1, "string");
  lua_pushnil(L);
  lua_setfield(L, -2, "dump");
  static const char *const pat[] = {"find", "match", "gmatch", "gsub", NULL};
  for (int i = 0; pat[i]; i++) {
    lua_getfield(L, -1, pat[i]);
    lua_pushboolean(L, strcmp(pat[i], "find") == 0);
    lua_pushcclosure(L, sb_strpat, 2);
    lua_setfield(L, -2, pat[i]);
  }
  lua_pop(L, 1);
  /* trawl: a read-only proxy. */
  lua_newtable(L);                      /* proxy */
  lua_newtable(L);                      /* its metatable */
  lua_newtable(L);                      /* the real table */
  lua_pushcfunction(L, sb_ruleset);
  lua_setfield(L, -2, "ruleset");
  lua_pushcfunction(L, sb_normalize);
  lua_setfield(L, -2, "normalize");
  /* trawl.dates.parse (l_dates.c), behind a read-only proxy too */
  lua_newtable(L);
  lua_newtable(L);
  lua_newtable(L);
  lua_pushcfunction(L, tr_l_dates_parse);
  lua_setfield(L, -2, "parse");
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, sb_readonly);
  lua_setfield(L, -2, "__newindex");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
  lua_setfield(L, -2, "dates");
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, sb_readonly);
  lua_setfield(L, -2, "__newindex");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
  lua_setfield(L, -2, "trawl");
  lua_pop(L, 1);
  return 0;
}

/* ------------------------------------------------------------------ */
/* Public functions                                                    */
/* ------------------------------------------------------------------ */

tr_sandbox *tr_sb_new(const tr_sb_limits *lim, const char *name) {
  tr_sandbox *sb = calloc(1, sizeof *sb);
  if (sb == NULL) return NULL;
  sb->limit = lim && lim->memory ? lim->memory : (size_t)64 << 20;
  sb->budget = lim && lim->instructions ? lim->instructions : 10000000LL;
  sb->seconds = lim && lim->seconds > 0 ? lim->seconds : 2.0;
  sb->name = strdup(name ? name : "rules");
  sb->L = lua_newstate(sb_alloc, sb);
  if (sb->L == NULL || sb->name == NULL) {
    tr_sb_free(sb);
    return NULL;
  }
  lua_pushcfunction(sb->L, sb_setup);
  if (lua_pcall(sb->L, 0, 0, 0) != LUA_OK) {
    tr_sb_free(sb);
    return NULL;
  }
  return sb;
}

void tr_sb_free(tr_sandbox *sb) {
  if (sb == NULL) return;
  if (sb->L) lua_close(sb->L);
  free(sb->name);
  free(sb);
}

lua_State *tr_sb_state(tr_sandbox *sb) { return sb->L; }

size_t tr_sb_memory(const tr_sandbox *sb, size_t *peak) {
  if (peak) *peak = sb->peak;
  return sb->used;
}

/* The message for a failed call; pops the error value. */
static char *failure(tr_sandbox *sb, int status) {
  lua_State *L = sb->L;
  char buf[512];
  if (sb->killed == KILL_INSTR)
    snprintf(buf, sizeof buf, "instruction budget exceeded (%lld instructions)",
             sb->budget);
  else if (sb->killed == KILL_TIME)
    snprintf(buf, sizeof buf, "time limit exceeded (%g s)", sb->seconds);
  else if (status == LUA_ERRMEM)
    snprintf(buf, sizeof buf, "memory budget exceeded (%zu MiB)",
             sb->limit >> 20);
  else if (lua_type(L, -1) == LUA_TSTRING)
    snprintf(buf, sizeof buf, "%s", lua_tostring(L, -1));
  else
    snprintf(buf, sizeof buf, "(error object is a %s value)",
             luaL_typename(L, -1));
  lua_pop(L, 1);
  return strdup(buf);
}

int tr_sb_call(tr_sandbox *sb, int nargs, int nres, char **err) {
  arm(sb);
  int status = lua_pcall(sb->L, nargs, nres, 0);
  disarm(sb);
  if (status == LUA_OK) return 0;
  *err = failure(sb, status);
  /* A runaway table is garbage now; give the memory back at once. */
  lua_gc(sb->L, LUA_GCCOLLECT);
  return -1;
}

int tr_sb_dofile(tr_sandbox *sb, const char *path, char **err) {
  /* Loading is limited too: the reader allocates as it parses. */
  arm(sb);
  int status = luaL_loadfilex(sb->L, path, "t");
  disarm(sb);
  if (status != LUA_OK) {
    *err = failure(sb, status);
    return -1;
  }
  if (tr_sb_call(sb, 0, 1, err) != 0) return -1;
  return 0;
}

/*
** l_aux.c — helpers shared by the binding: protected calls with a
** traceback, interrupts and time limits for scripts, JSON to Lua tables.
*/
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "l_aux.h"

/* ------------------------------------------------------------------ */
/* Protected calls                                                     */
/* ------------------------------------------------------------------ */

/* Message handler: add a traceback to string errors (lua.c's msghandler). */
static int msghandler(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  if (msg == NULL) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
      return 1;
    msg = lua_pushfstring(L, "(error object is a %s value)",
                          luaL_typename(L, 1));
  }
  luaL_traceback(L, L, msg, 1);
  return 1;
}

int tr_l_docall(lua_State *L, int nargs, int nres) {
  int base = lua_gettop(L) - nargs;
  lua_pushcfunction(L, msghandler);
  lua_insert(L, base);
  int status = lua_pcall(L, nargs, nres, base);
  lua_remove(L, base);
  if (status != LUA_OK) {
    fprintf(stderr, "trawl: %s\n", lua_tostring(L, -1));
    fflush(stderr);
    lua_pop(L, 1);
  }
  return status;
}

/* ------------------------------------------------------------------ */
/* Interrupts and deadlines                                            */
/* ------------------------------------------------------------------ */

/* The state a signal handler may touch (lua.c keeps the same global). */
static lua_State *interruptL = NULL;
static double deadline = 0;   /* monotonic seconds; 0: none */
static double limit_s = 0;    /* the limit, for the message */
static volatile sig_atomic_t got_sigint = 0; /* Ctrl-C was pressed */

int tr_l_interrupted(void) { return got_sigint != 0; }

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Raise inside Lua; re-armed on every line so a pcall in the script cannot
** swallow the stop for good. */
static void stop_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  lua_sethook(L, stop_hook, LUA_MASKLINE | LUA_MASKCOUNT, 1);
  luaL_error(L, "interrupted");
}

static void deadline_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  if (deadline > 0 && now() > deadline) {
    lua_sethook(L, deadline_hook, LUA_MASKLINE | LUA_MASKCOUNT, 1);
    luaL_error(L, "time limit of %f s exceeded", limit_s);
  }
}

static void on_sigint(int sig) {
  signal(sig, SIG_DFL); /* a second Ctrl-C kills the process */
  got_sigint = 1;
  if (interruptL)
    lua_sethook(interruptL, stop_hook,
                LUA_MASKCALL | LUA_MASKRET | LUA_MASKLINE | LUA_MASKCOUNT, 1);
}

void tr_l_arm_interrupt(lua_State *L) {
  interruptL = L;
  signal(SIGINT, on_sigint);
}

void tr_l_set_deadline(lua_State *L, double seconds) {
  limit_s = seconds;
  deadline = seconds > 0 ? now() + seconds : 0;
  if (deadline > 0)
    lua_sethook(L, deadline_hook, LUA_MASKCOUNT, 10000);
}

/* ------------------------------------------------------------------ */
/* Small conversions                                                   */
/* ------------------------------------------------------------------ */

static void push_jvalue(lua_State *L, json_t *v, int depth) {
  luaL_checkstack(L, 3, "metadata too deeply nested");
  if (depth > 64) {
    lua_pushnil(L);
    return;
  }
  switch (json_typeof(v)) {
  case JSON_OBJECT: {
    const char *k;
    json_t *x;
    lua_createtable(L, 0, (int)json_object_size(v));
    json_object_foreach(v, k, x) {
      push_jvalue(L, x, depth + 1);
      lua_setfield(L, -2, k);
    }
    break;
  }
  case JSON_ARRAY: {
    size_t i;
    json_t *x;
    lua_createtable(L, (int)json_array_size(v), 0);
    json_array_foreach(v, i, x) {
      push_jvalue(L, x, depth + 1);
      lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    break;
  }
  case JSON_STRING:
    lua_pushlstring(L, json_string_value(v), json_string_length(v));
    break;
  case JSON_INTEGER: lua_pushinteger(L, (lua_Integer)json_integer_value(v)); break;
  case JSON_REAL: lua_pushnumber(L, json_real_value(v)); break;
  case JSON_TRUE: lua_pushboolean(L, 1); break;
  case JSON_FALSE: lua_pushboolean(L, 0); break;
  default: lua_pushnil(L); break;
  }
}

void tr_l_pushjson(lua_State *L, const char *text) {
  if (text == NULL) {
    lua_newtable(L);
    return;
  }
  json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);
  if (v == NULL) {
    lua_newtable(L);
    return;
  }
  push_jvalue(L, v, 0);
  json_decref(v);
}

char *tr_l_strdup(const char *s) {
  if (s == NULL) return NULL;
  size_t n = strlen(s) + 1;
  char *p = malloc(n);
  if (p) memcpy(p, s, n);
  return p;
}

int tr_l_error_free(lua_State *L, char *msg) {
  lua_pushstring(L, msg ? msg : "out of memory");
  free(msg);
  return lua_error(L);
}

/* trawl.json_decode(s) -> value | nil, "line L, column C: message" */
int tr_l_json_decode(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  json_error_t e;
  json_t *v = json_loadb(s, len, JSON_DECODE_ANY, &e);
  if (v == NULL) {
    lua_pushnil(L);
    lua_pushfstring(L, "line %d, column %d: %s", e.line, e.column, e.text);
    return 2;
  }
  push_jvalue(L, v, 0);
  json_decref(v);
  return 1;
}

static int push_buffer(lua_State *L) {
  lua_pushlstring(L, lua_touserdata(L, 1), (size_t)lua_tointeger(L, 2));
  return 1;
}

int tr_l_push_malloced(lua_State *L, char *buf, size_t len) {
  lua_pushcfunction(L, push_buffer);
  lua_pushlightuserdata(L, buf);
  lua_pushinteger(L, (lua_Integer)len);
  int status = lua_pcall(L, 2, 1, 0);
  free(buf);
  if (status != LUA_OK) return lua_error(L);
  return 1;
}

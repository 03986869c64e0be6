/*
** complete.c — what Tab offers at the REPL prompt: global names and Lua
** keywords, fields and methods along a dotted/colon path (corpus:do,
** trawl.no, d.corpus:se), file names inside a string literal, commands.
**
** Completion looks at the session's values without running user code:
** tables are read raw, and __index is followed only when it is a table.
** trawl's own userdata are the exception: their __index is ours and has no
** side effects, so `d.corpus:se` can look through a document.
*/
#include <ctype.h>
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <lauxlib.h>
#include <lua.h>

#include "complete.h"
#include "l_aux.h"

enum { MAX_HOPS = 8 }; /* __index tables followed at most */

static const char *const keywords[] = {
  "and", "break", "do", "else", "elseif", "end", "false", "for", "function",
  "goto", "if", "in", "local", "nil", "not", "or", "repeat", "return",
  "then", "true", "until", "while", NULL
};

/* Fields of the userdata whose __index compares names one by one, so
** there is no table to read them from: keep in step with c_index in
** l_corpus.c, d_index and s_index in l_doc.c. (Methods need no list: they
** are read from the metatable's "methods"; Token fields from the name
** table its __index closes over.) */
static const char *const corpus_fields[] = {
  "path", "store", "count", "bytes", "problems", NULL
};
static const char *const doc_fields[] = {
  "id", "title", "date", "source", "author", "path", "text", "len", "index",
  "hash", "meta", "corpus", NULL
};
static const char *const span_fields[] = {
  "text", "start", "stop", "kind", "index", "doc", NULL
};

typedef struct Req {
  const char *line;
  size_t cursor;
  const char *const *commands;
  size_t start;         /* out: where the completed word starts */
  int paths;            /* out: candidates are file names */
} Req;

static int is_keyword(const char *s, size_t n) {
  for (int i = 0; keywords[i]; i++)
    if (strlen(keywords[i]) == n && memcmp(keywords[i], s, n) == 0) return 1;
  return 0;
}

/* A name usable after '.' or ':'. */
static int is_name(const char *s, size_t n) {
  if (n == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_')) return 0;
  for (size_t i = 1; i < n; i++)
    if (!(isalnum((unsigned char)s[i]) || s[i] == '_')) return 0;
  return !is_keyword(s, n);
}

static int has_prefix(const char *s, size_t n, const char *pre, size_t plen) {
  return n >= plen && memcmp(s, pre, plen) == 0;
}

static void add(lua_State *L, int set, const char *s, size_t n) {
  lua_pushlstring(L, s, n);
  lua_pushboolean(L, 1);
  lua_rawset(L, set);
}

static void add_list(lua_State *L, int set, const char *const *names,
                     const char *pre, size_t plen) {
  for (; *names; names++)
    if (has_prefix(*names, strlen(*names), pre, plen))
      add(L, set, *names, strlen(*names));
}

/* The metatable name of a trawl userdata at idx ("trawl.Doc"), or NULL.
** Every such type is ours, so its __index is safe to call. */
static const char *trawl_type(lua_State *L, int idx) {
  const char *found = NULL;
  if (lua_type(L, idx) != LUA_TUSERDATA || !lua_getmetatable(L, idx)) return NULL;
  lua_pushliteral(L, "__name");
  if (lua_rawget(L, -2) == LUA_TSTRING &&
      strncmp(lua_tostring(L, -1), "trawl.", 6) == 0)
    found = lua_tostring(L, -1); /* kept alive by the registry's metatable */
  lua_pop(L, 2);
  return found;
}

/* Raw field idx.field of the table at idx: pushes it (nil when absent). */
static int rawfield(lua_State *L, int idx, const char *field) {
  lua_pushstring(L, field);
  return lua_rawget(L, idx < 0 ? idx - 1 : idx);
}

/* Replace the value on top with its field k, looking through __index
** tables (and through trawl userdata). Returns 0, top popped, when the
** field cannot be known without running code. */
static int index_value(lua_State *L, const char *k, size_t klen) {
  for (int hop = 0; hop < MAX_HOPS; hop++) {
    if (trawl_type(L, -1)) {
      lua_pushlstring(L, k, klen);
      lua_gettable(L, -2);
      lua_remove(L, -2);
      if (!lua_isnil(L, -1)) return 1;
      break;
    }
    if (lua_istable(L, -1)) {
      lua_pushlstring(L, k, klen);
      if (lua_rawget(L, -2) != LUA_TNIL) {
        lua_remove(L, -2);
        return 1;
      }
      lua_pop(L, 1);
    }
    if (!lua_getmetatable(L, -1)) break;
    rawfield(L, -1, "__index");
    lua_remove(L, -2);          /* the metatable */
    lua_remove(L, -2);          /* the value */
    if (!lua_istable(L, -1)) break;
  }
  lua_pop(L, 1);
  return 0;
}

/* Keys of the table at t that are names starting with pre (functions
** only, for methods). */
static void add_keys(lua_State *L, int set, int t, const char *pre,
                     size_t plen, int methods) {
  t = lua_absindex(L, t);
  lua_pushnil(L);
  while (lua_next(L, t)) {
    if (lua_type(L, -2) == LUA_TSTRING) {
      size_t n;
      const char *k = lua_tolstring(L, -2, &n);
      if (has_prefix(k, n, pre, plen) && is_name(k, n) &&
          (!methods || lua_type(L, -1) == LUA_TFUNCTION))
        add(L, set, k, n);
    }
    lua_pop(L, 1);
  }
}

/* Fields (or methods) of the value on top, which is popped. */
static void add_fields(lua_State *L, int set, const char *pre, size_t plen,
                       int methods) {
  int top = lua_gettop(L);
  for (int hop = 0; hop < MAX_HOPS; hop++) {
    const char *type = trawl_type(L, -1);
    if (lua_istable(L, -1)) add_keys(L, set, -1, pre, plen, methods);
    if (!lua_getmetatable(L, -1)) break;
    if (type) { /* methods from the metatable, fields by name */
      if (rawfield(L, -1, "methods") == LUA_TTABLE)
        add_keys(L, set, -1, pre, plen, 0);
      if (methods) break;
      if (strcmp(type, TR_CORPUS_MT) == 0) add_list(L, set, corpus_fields, pre, plen);
      else if (strcmp(type, TR_DOC_MT) == 0) add_list(L, set, doc_fields, pre, plen);
      else if (strcmp(type, TR_SPAN_MT) == 0) add_list(L, set, span_fields, pre, plen);
      else if (rawfield(L, -2, "__index") == LUA_TFUNCTION &&
               lua_getupvalue(L, -1, 1) != NULL && lua_istable(L, -1))
        add_keys(L, set, -1, pre, plen, 0);
      break;
    }
    rawfield(L, -1, "__index");
    lua_replace(L, top); /* continue with the __index table */
    lua_settop(L, top);
    if (!lua_istable(L, -1)) break;
  }
  lua_settop(L, top - 1);
}

/* Names and paths in Lua code: s[base, cursor). */
static void complete_code(lua_State *L, int set, Req *r, size_t base) {
  const char *s = r->line;
  size_t cur = r->cursor, j = cur;
  while (j > base && (isalnum((unsigned char)s[j - 1]) || s[j - 1] == '_' ||
                      s[j - 1] == '.' || s[j - 1] == ':'))
    j--;
  for (size_t k = cur; k >= j + 2; k--) /* after a concatenation `..` */
    if (s[k - 1] == '.' && s[k - 2] == '.') {
      j = k;
      break;
    }
  const char *e = s + j;
  size_t len = cur - j, last = len;
  if (len > 0 && (isdigit((unsigned char)e[0]) || e[0] == '.' || e[0] == ':'))
    return;
  while (last > 0 && e[last - 1] != '.' && e[last - 1] != ':') last--;
  r->start = j + last;
  const char *pre = e + last;
  size_t plen = len - last;
  lua_pushglobaltable(L);
  if (last == 0) {
    add_fields(L, set, pre, plen, 0);
    add_list(L, set, keywords, pre, plen);
    return;
  }
  for (size_t p = 0; p < last - 1;) {
    size_t q = p;
    while (q < last - 1 && e[q] != '.' && e[q] != ':') q++;
    if (q == p || (p > 0 && e[p - 1] == ':')) return; /* not a path */
    if (!index_value(L, e + p, q - p)) return;
    p = q + 1;
  }
  add_fields(L, set, pre, plen, e[last - 1] == ':');
}

/* File names starting with w[0, n), relative to the working directory. */
static void complete_path(lua_State *L, int set, const char *w, size_t n) {
  size_t slash = n;
  while (slash > 0 && w[slash - 1] != '/') slash--;
  const char *base = w + slash;
  size_t blen = n - slash;
  lua_pushlstring(L, w, slash);
  const char *dir = lua_tostring(L, -1);
  /* (a memory error below would leak dp; Lua raises those only when the
  ** process is out of memory) */
  DIR *dp = opendir(slash ? dir : ".");
  if (dp == NULL) return;
  struct dirent *de;
  while ((de = readdir(dp)) != NULL) {
    const char *name = de->d_name;
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) continue;
    if (name[0] == '.' && (blen == 0 || base[0] != '.')) continue;
    if (!has_prefix(name, strlen(name), base, blen)) continue;
    const char *cand = lua_pushfstring(L, "%s%s", dir, name);
    struct stat st;
    if (stat(cand, &st) == 0 && S_ISDIR(st.st_mode)) {
      lua_pushliteral(L, "/");
      lua_concat(L, 2);
    }
    lua_pushboolean(L, 1);
    lua_rawset(L, set);
  }
  closedir(dp);
}

/* Where the cursor is in Lua code s[0, n): 0 in code, 1 in a comment, 2
** in a string whose text starts at *str. */
static size_t long_bracket(const char *s, size_t n, size_t i) {
  size_t k = i + 1; /* s[i] == '[' */
  while (k < n && s[k] == '=') k++;
  return k < n && s[k] == '[' ? k - i - 1 : SIZE_MAX;
}

static size_t long_close(const char *s, size_t n, size_t i, size_t level) {
  for (; i < n; i++) {
    if (s[i] != ']') continue;
    size_t k = i + 1;
    while (k < n && s[k] == '=') k++;
    if (k < n && s[k] == ']' && k - i - 1 == level) return k + 1;
  }
  return SIZE_MAX;
}

static int scan(const char *s, size_t n, size_t *str) {
  size_t i = 0, level;
  while (i < n) {
    char c = s[i];
    if (c == '-' && i + 1 < n && s[i + 1] == '-') {
      i += 2;
      if (i < n && s[i] == '[' && (level = long_bracket(s, n, i)) != SIZE_MAX &&
          (i = long_close(s, n, i + level + 2, level)) != SIZE_MAX)
        continue;
      return 1;
    }
    if (c == '"' || c == '\'') {
      size_t j = i + 1;
      while (j < n && s[j] != c) j += s[j] == '\\' ? 2 : 1;
      if (j >= n) {
        *str = i + 1;
        return 2;
      }
      i = j + 1;
      continue;
    }
    if (c == '[' && (level = long_bracket(s, n, i)) != SIZE_MAX) {
      size_t end = long_close(s, n, i + level + 2, level);
      if (end == SIZE_MAX) {
        *str = i + level + 2;
        return 2;
      }
      i = end;
      continue;
    }
    i++;
  }
  return 0;
}

/* Does the code before a string's opening quote (s[0, q)) make the string
** an entity id: entity("…"), variants("…"), {entity = "…"}? */
static int wants_entity(const char *s, size_t q) {
  static const char *const calls[] = {"entity(", "variants(", "entity=", NULL};
  char tail[16];
  size_t n = 0;
  /* the last non-blank characters before the quote, blanks dropped */
  for (size_t i = q; i > 0 && n < sizeof tail - 1; i--) {
    char c = s[i - 1];
    if (c == ' ' || c == '\t') continue;
    tail[n++] = c;
  }
  for (int k = 0; calls[k]; k++) {
    size_t l = strlen(calls[k]);
    if (n < l) continue;
    int ok = 1;
    for (size_t j = 0; j < l && ok; j++) ok = tail[j] == calls[k][l - 1 - j];
    if (ok) return 1;
  }
  return 0;
}

/* Entity ids of the session's corpus (global `corpus`) starting with w. */
static void complete_entity(lua_State *L, int set, const char *w, size_t n) {
  if (lua_getglobal(L, "corpus") != LUA_TUSERDATA) {
    lua_pop(L, 1);
    return;
  }
  lua_getfield(L, -1, "entities");
  lua_insert(L, -2);
  if (lua_pcall(L, 1, 1, 0) != LUA_OK || !lua_istable(L, -1)) {
    lua_pop(L, 1); /* no store, no entities: nothing to offer */
    return;
  }
  lua_Integer len = (lua_Integer)lua_rawlen(L, -1);
  for (lua_Integer i = 1; i <= len; i++) {
    lua_rawgeti(L, -1, i);
    if (lua_istable(L, -1)) {
      lua_getfield(L, -1, "id");
      size_t idl;
      const char *id = lua_tolstring(L, -1, &idl);
      if (id && has_prefix(id, idl, w, n)) add(L, set, id, idl);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

static int complete_k(lua_State *L) {
  Req *r = lua_touserdata(L, 1);
  const char *s = r->line;
  size_t base = 0, str = 0;
  lua_settop(L, 1);
  lua_newtable(L); /* the candidates, as a set: index 2 */
  if (s[0] == ':') {
    size_t cmd = strcspn(s, " \t"), arg = cmd + strspn(s + cmd, " \t");
    if (r->cursor <= cmd) {
      r->start = 1;
      add_list(L, 2, r->commands, s + 1, r->cursor - 1);
      return 1;
    }
    if (r->cursor < arg || (cmd > 1 && has_prefix("help", 4, s + 1, cmd - 1)))
      return 1;
    if (cmd > 1 && has_prefix("time", 4, s + 1, cmd - 1)) {
      base = arg; /* :time takes Lua */
    } else { /* the others take a file */
      r->start = arg;
      r->paths = 1;
      complete_path(L, 2, s + arg, r->cursor - arg);
      lua_settop(L, 2);
      return 1;
    }
  }
  switch (scan(s + base, r->cursor - base, &str)) {
  case 0: complete_code(L, 2, r, base); break;
  case 2:
    r->start = base + str;
    if (r->start > 0 && wants_entity(s, r->start - 1)) {
      complete_entity(L, 2, s + r->start, r->cursor - r->start);
      break;
    }
    r->paths = 1;
    complete_path(L, 2, s + r->start, r->cursor - r->start);
    break;
  default: break;
  }
  lua_settop(L, 2);
  return 1;
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

void tr_repl_complete(lua_State *L, const char *const *commands,
                      const char *line, size_t cursor, tr_completions *out) {
  Req r = {line, cursor, commands, cursor, 0};
  int top = lua_gettop(L);
  memset(out, 0, sizeof *out);
  if (!lua_checkstack(L, 4)) return;
  lua_pushcfunction(L, complete_k);
  lua_pushlightuserdata(L, &r);
  if (lua_pcall(L, 1, 1, 0) != LUA_OK || !lua_istable(L, -1)) {
    lua_settop(L, top);
    return;
  }
  size_t n = 0;
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    n++;
    lua_pop(L, 1);
  }
  out->v = n ? malloc(n * sizeof *out->v) : NULL;
  if (out->v) {
    lua_pushnil(L);
    while (out->n < n && lua_next(L, -2)) {
      const char *k = lua_tostring(L, -2);
      char *copy = k ? strdup(k) : NULL;
      if (copy) out->v[out->n++] = copy;
      lua_pop(L, 1);
    }
    qsort(out->v, out->n, sizeof *out->v, by_name);
  }
  out->start = r.start;
  out->paths = r.paths;
  lua_settop(L, top);
}

/*
** l_rules.c — loading rule files: trawl.rules.load runs a rule file in its
** own sandbox, checks every field of the ruleset it returns (with raw
** access only, so no code of the file runs during the check), fills a
** tr_ruleset (engine/rules.h) and compiles it once, so every mistake is
** reported at load time with file, line and rule. Also: running callback
** rules, and checking a ruleset's examples.
*/
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "l_aux.h"
#include "l_rules.h"
#include "l_sandbox.h"

/* ------------------------------------------------------------------ */
/* Error collection                                                    */
/* ------------------------------------------------------------------ */

#define MAX_ERRORS 20

typedef struct Loader {
  lua_State *S;         /* the sandbox state holding the returned table */
  const char *path;     /* the rule file */
  char *src;            /* its text, for finding lines */
  tr_ruleset *rs;       /* being filled */
  int *refs;            /* callback function refs in S's registry, by rule */
  char *errs;           /* accumulated messages, one per line */
  size_t nerr, errlen;
  int has_requires;     /* labels may name entities of required rulesets */
  struct IdPos *ids;    /* every `id = "..."` of the source, sorted */
  size_t nids;
  struct IdSet *eset, *rset; /* entity ids and rule ids seen so far */
  int oom;              /* read_ruleset ran out of (C) memory */
} Loader;

static void add_error(Loader *ld, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void add_error(Loader *ld, int line, const char *fmt, ...) {
  if (ld->nerr++ >= MAX_ERRORS) return;
  char msg[768], full[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (line > 0) snprintf(full, sizeof full, "%s:%d: %s\n", ld->path, line, msg);
  else snprintf(full, sizeof full, "%s: %s\n", ld->path, msg);
  size_t n = strlen(full);
  char *e = realloc(ld->errs, ld->errlen + n + 1);
  if (e == NULL) return;
  memcpy(e + ld->errlen, full, n + 1);
  ld->errs = e;
  ld->errlen += n;
}

/* Record a message that already names the file (from the matcher). */
static void add_raw_error(Loader *ld, const char *msg) {
  if (strncmp(msg, ld->path, strlen(ld->path)) != 0) {
    add_error(ld, 0, "%s", msg);
    return;
  }
  if (ld->nerr++ >= MAX_ERRORS) return;
  size_t n = strlen(msg);
  char *e = realloc(ld->errs, ld->errlen + n + 2);
  if (e == NULL) return;
  memcpy(e + ld->errlen, msg, n);
  e[ld->errlen + n] = '\n';
  e[ld->errlen + n + 1] = '\0';
  ld->errs = e;
  ld->errlen += n + 1;
}


static char *xmemdup(const char *s, size_t n) {
  char *p = malloc(n + 1);
  if (p) {
    memcpy(p, s, n);
    p[n] = '\0';
  }
  return p;
}

/* The line of `key = "value"` (or 'value', [[value]]) in the source, the
** first after byte `from`; 0 when not found. Tables lose their lines once
** built, so this is how messages about an entity or rule get one. */
static int find_line_at(const Loader *ld, const char *key, const char *value,
                        size_t vl, int exact_end, int nth) {
  size_t kl = strlen(key);
  for (const char *p = ld->src; (p = strstr(p, value)) != NULL; p++) {
    const char *q = p - 1;
    if (q < ld->src || (*q != '"' && *q != '\'' && *q != '[')) continue;
    if (strncmp(p, value, vl) != 0) continue;
    if (exact_end && p[vl] != *q && !(*q == '[' && p[vl] == ']')) continue;
    while (q > ld->src && (*q == '"' || *q == '\'' || *q == '[')) q--;
    while (q > ld->src && isspace((unsigned char)*q)) q--;
    if (*q != '=') continue;
    q--;
    while (q > ld->src && isspace((unsigned char)*q)) q--;
    if (q - ld->src + 1 < (long)kl || strncmp(q - kl + 1, key, kl) != 0) continue;
    if (nth-- > 0) continue;
    int line = 1;
    for (const char *r = ld->src; r < p; r++) line += *r == '\n';
    return line;
  }
  return 0;
}

/* A value written with escapes ("say \"hi\"") is not in the source as
** it is: then its first characters up to the first one that needs an
** escape are looked for instead. */
static int find_line_nth(const Loader *ld, const char *key, const char *value,
                         int nth) {
  if (ld->src == NULL || value == NULL || *value == '\0') return 0;
  size_t vl = strlen(value);
  int line = find_line_at(ld, key, value, vl, 1, nth);
  size_t plen = strcspn(value, "\"'\\\n\r\t");
  if (line == 0 && plen < vl && plen >= 6) {
    char prefix[128];
    if (plen >= sizeof prefix) plen = sizeof prefix - 1;
    memcpy(prefix, value, plen);
    prefix[plen] = '\0';
    line = find_line_at(ld, key, prefix, plen, 0, nth);
  }
  return line;
}

static int find_line(const Loader *ld, const char *key, const char *value) {
  return find_line_nth(ld, key, value, 0);
}

/* ---- id lines and duplicate ids, in O(n log n) ------------------------ */

/* Looking every id up in the source (find_line) would make a file of n
** entities cost n^2; the `id = "..."` places are indexed once instead, in
** file order per id, and each lookup takes the next unused one. */
typedef struct IdPos {
  const char *v;        /* the value, in the source */
  size_t n;             /* its length */
  size_t pos;           /* byte offset: file order among equal values */
  int line;
  int used;             /* taken by a lookup */
} IdPos;

static int by_value(const void *a, const void *b) {
  const IdPos *x = a, *y = b;
  size_t n = x->n < y->n ? x->n : y->n;
  int c = memcmp(x->v, y->v, n);
  if (c) return c;
  if (x->n != y->n) return x->n < y->n ? -1 : 1;
  return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static void index_ids(Loader *ld) {
  const char *src = ld->src;
  if (src == NULL) return;
  size_t cap = 0;
  int line = 1;
  for (const char *p = src; *p; p++) {
    if (*p == '\n') { line++; continue; }
    if (p[0] != 'i' || p[1] != 'd' || (p > src && (isalnum((unsigned char)p[-1]) || p[-1] == '_')))
      continue;
    const char *q = p + 2;
    while (*q == ' ' || *q == '\t') q++;
    if (*q != '=') continue;
    q++;
    while (*q == ' ' || *q == '\t') q++;
    if (*q != '"' && *q != '\'') continue;
    char quote = *q++;
    const char *e = q;
    while (*e && *e != quote && *e != '\n' && *e != '\\') e++;
    if (*e != quote) continue;
    if (ld->nids == cap) {
      cap = cap ? cap * 2 : 256;
      IdPos *v = realloc(ld->ids, cap * sizeof *v);
      if (v == NULL) return; /* lines are a help, not a must */
      ld->ids = v;
    }
    ld->ids[ld->nids++] = (IdPos){q, (size_t)(e - q), (size_t)(q - src), line, 0};
  }
  if (ld->nids > 1) qsort(ld->ids, ld->nids, sizeof *ld->ids, by_value);
}

/* The line of the next unused `id = "id"` in the file, or 0. */
static int id_line(Loader *ld, const char *id) {
  if (id == NULL) return 0;
  IdPos key = {id, strlen(id), 0, 0, 0};
  size_t lo = 0, hi = ld->nids;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (by_value(&ld->ids[mid], &key) < 0) lo = mid + 1;
    else hi = mid;
  }
  for (size_t i = lo; i < ld->nids && ld->ids[i].n == key.n &&
                      memcmp(ld->ids[i].v, id, key.n) == 0; i++)
    if (!ld->ids[i].used) {
      ld->ids[i].used = 1;
      return ld->ids[i].line;
    }
  return find_line(ld, "id", id); /* written another way ([[...]]) */
}

/* A set of ids (open addressing) remembering where each was first seen. */
typedef struct IdSet {
  const char **k;       /* the ids (owned by the ruleset) */
  int *line;            /* line of the first one */
  size_t n, cap;        /* used and allocated slots (a power of two) */
} IdSet;

static size_t id_hash(const char *s) {
  size_t h = 1469598103934665603u;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211u;
  return h;
}

/* Add id; returns 0 when new, the line of the first one (or -1 when that
** is unknown) when already there, -2 on memory error. */
static int idset_add(IdSet **sp, const char *id, int line) {
  IdSet *set = *sp;
  if (set == NULL && (set = *sp = calloc(1, sizeof *set)) == NULL) return -2;
  if (2 * (set->n + 1) > set->cap) {
    size_t cap = set->cap ? set->cap * 2 : 64;
    const char **k = calloc(cap, sizeof *k);
    int *l = calloc(cap, sizeof *l);
    if (k == NULL || l == NULL) { free(k); free(l); return -2; }
    for (size_t i = 0; i < set->cap; i++) {
      if (!set->k[i]) continue;
      size_t j = id_hash(set->k[i]) & (cap - 1);
      while (k[j]) j = (j + 1) & (cap - 1);
      k[j] = set->k[i];
      l[j] = set->line[i];
    }
    free(set->k);
    free(set->line);
    set->k = k;
    set->line = l;
    set->cap = cap;
  }
  size_t j = id_hash(id) & (set->cap - 1);
  while (set->k[j]) {
    if (strcmp(set->k[j], id) == 0) return set->line[j] ? set->line[j] : -1;
    j = (j + 1) & (set->cap - 1);
  }
  set->k[j] = id;
  set->line[j] = line;
  set->n++;
  return 0;
}

static void idset_free(IdSet *set) {
  if (set == NULL) return;
  free(set->k);
  free(set->line);
  free(set);
}

/* Levenshtein distance, for "did you mean". */
static size_t edit_distance(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b), d[64];
  if (la > 62 || lb > 62) return 99;
  for (size_t j = 0; j <= lb; j++) d[j] = j;
  for (size_t i = 1; i <= la; i++) {
    size_t prev = d[0];
    d[0] = i;
    for (size_t j = 1; j <= lb; j++) {
      size_t cur = d[j];
      size_t sub = prev + (toupper((unsigned char)a[i - 1]) !=
                           toupper((unsigned char)b[j - 1]));
      size_t best = d[j] + 1 < d[j - 1] + 1 ? d[j] + 1 : d[j - 1] + 1;
      d[j] = sub < best ? sub : best;
      prev = cur;
    }
  }
  return d[lb];
}

/* " (did you mean X?)" or "" for the closest of names. */
static const char *suggest(const char *word, const char *const *names,
                           char *buf, size_t cap) {
  size_t best = 3;
  const char *pick = NULL;
  for (size_t i = 0; names[i]; i++) {
    size_t dd = edit_distance(word, names[i]);
    if (dd < best) {
      best = dd;
      pick = names[i];
    }
  }
  if (pick) snprintf(buf, cap, " (did you mean %s?)", pick);
  else buf[0] = '\0';
  return buf;
}

/* ------------------------------------------------------------------ */
/* Raw reads from the sandbox table at the top of S                    */
/* ------------------------------------------------------------------ */

/* Push t[k] (raw) for the table at index t. Returns its type. */
static int rawfield(lua_State *S, int t, const char *k) {
  lua_pushstring(S, k);
  return lua_rawget(S, t < 0 ? t - 1 : t);
}

/* Is s[0..n) valid UTF-8? (Rule files come from anywhere; everything
** after the loader assumes valid text.) */
static int utf8_ok(const char *str, size_t n) {
  const unsigned char *p = (const unsigned char *)str, *e = p + n;
  while (p < e) {
    unsigned c = *p;
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3
               : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || (size_t)(e - p) < len || (len == 2 && c < 0xC2) ||
        (len == 4 && c > 0xF4))
      return 0;
    for (size_t i = 1; i < len; i++)
      if ((p[i] & 0xC0) != 0x80) return 0;
    if (len == 3 && ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] > 0x9F)))
      return 0; /* overlong, surrogate */
    if (len == 4 && ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] > 0x8F)))
      return 0;
    p += len;
  }
  return 1;
}

/* The string t[k], or NULL (absent). A present non-string is an error. */
static const char *opt_string(Loader *ld, int t, const char *k,
                              const char *what, int line) {
  lua_State *S = ld->S;
  int ty = rawfield(S, t, k);
  const char *s = NULL;
  if (ty == LUA_TSTRING) {
    s = lua_tostring(S, -1);
    if (!utf8_ok(s, lua_rawlen(S, -1))) {
      add_error(ld, line, "%s: '%s' is not valid UTF-8", what, k);
      s = NULL;
    }
  } else if (ty != LUA_TNIL)
    add_error(ld, line, "%s: '%s' must be a string, not a %s", what, k,
              lua_typename(S, ty));
  lua_pop(S, 1); /* the string stays alive: it is referenced by t */
  return s;
}

static int is_name(const char *s, int upper) {
  if (s == NULL || *s == '\0') return 0;
  if (upper) {
    if (!isupper((unsigned char)*s)) return 0;
    for (const char *p = s; *p; p++)
      if (!isupper((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '_')
        return 0;
    return 1;
  }
  if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s)) return 0;
  for (const char *p = s; *p; p++)
    if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) &&
        !strchr("_.-", *p))
      return 0;
  return 1;
}

/* MAJOR.MINOR.PATCH[-pre][+build] */
static int is_semver(const char *s) {
  for (int part = 0; part < 3; part++) {
    if (!isdigit((unsigned char)*s)) return 0;
    if (*s == '0' && isdigit((unsigned char)s[1])) return 0;
    while (isdigit((unsigned char)*s)) s++;
    if (part < 2 && *s++ != '.') return 0;
  }
  if (*s == '-' || *s == '+') {
    s++;
    if (!*s) return 0;
    for (; *s; s++)
      if (!isalnum((unsigned char)*s) && !strchr(".-+", *s)) return 0;
  }
  return *s == '\0';
}

/* A version range: comparators separated by spaces, each an optional
** operator (>= <= > < = ^ ~) and a version that may use x or * and may
** leave out parts ("1.x", "^1.2", ">=1.0.0 <2.0.0"). */
static int is_range(const char *s) {
  int n = 0;
  while (*s) {
    while (*s == ' ') s++;
    if (!*s) break;
    if (*s == '>' || *s == '<') { s++; if (*s == '=') s++; }
    else if (*s == '=' || *s == '^' || *s == '~') s++;
    int parts = 0;
    for (;;) {
      if (*s == 'x' || *s == 'X' || *s == '*') s++;
      else if (isdigit((unsigned char)*s)) while (isdigit((unsigned char)*s)) s++;
      else return 0;
      parts++;
      if (*s != '.') break;
      s++;
    }
    if (parts > 3) return 0;
    if (*s == '-') while (*s && *s != ' ') s++;
    if (*s && *s != ' ') return 0;
    n++;
  }
  return n > 0;
}

/* Check that the table at t has only the given keys. */
static void only_keys(Loader *ld, int t, const char *const *keys,
                      const char *what, int line) {
  lua_State *S = ld->S;
  t = lua_absindex(S, t);
  lua_pushnil(S);
  while (lua_next(S, t)) {
    lua_pop(S, 1);
    if (lua_type(S, -1) != LUA_TSTRING) {
      if (lua_type(S, -1) == LUA_TNUMBER)
        add_error(ld, line, "%s: unexpected list item (use named fields)", what);
      else add_error(ld, line, "%s: keys must be names", what);
      continue;
    }
    const char *k = lua_tostring(S, -1);
    int ok = 0;
    for (int i = 0; keys[i]; i++) ok |= strcmp(k, keys[i]) == 0;
    if (!ok) {
      char sug[96];
      add_error(ld, line, "%s: unknown field '%s'%s", what, k,
                suggest(k, keys, sug, sizeof sug));
    }
  }
}

/* Number of items of a list, or -1 (and an error) when t[k] is present
** but not a list. Leaves t[k] pushed when it returns >= 0 and present. */
static lua_Integer list_field(Loader *ld, int t, const char *k,
                              const char *what, int line, int *present) {
  lua_State *S = ld->S;
  int ty = rawfield(S, t, k);
  *present = ty != LUA_TNIL;
  if (ty == LUA_TNIL) {
    lua_pop(S, 1);
    return 0;
  }
  if (ty != LUA_TTABLE) {
    add_error(ld, line, "%s: '%s' must be a list, not a %s", what, k,
              lua_typename(S, ty));
    lua_pop(S, 1);
    *present = 0;
    return -1;
  }
  return (lua_Integer)lua_rawlen(S, -1);
}

/* ------------------------------------------------------------------ */
/* Entities                                                            */
/* ------------------------------------------------------------------ */

static const char *const entity_keys[] = {"id", "type", "name", "aliases",
  "attrs", "priority", "case_sensitive", "fuzzy", NULL};

/* Append the strings of the list at index li to *out (n entries). */
static int string_list(Loader *ld, int li, char ***out, size_t *n,
                       const char *what, int line) {
  lua_State *S = ld->S;
  li = lua_absindex(S, li);
  lua_Integer len = (lua_Integer)lua_rawlen(S, li);
  char **v = realloc(*out, ((size_t)len + *n + 1) * sizeof *v);
  if (v == NULL) return -1;
  *out = v;
  for (lua_Integer i = 1; i <= len; i++) {
    if (lua_rawgeti(S, li, i) != LUA_TSTRING || lua_rawlen(S, -1) == 0)
      add_error(ld, line, "%s: item %d must be a non-empty string", what, (int)i);
    else if (!utf8_ok(lua_tostring(S, -1), lua_rawlen(S, -1)))
      add_error(ld, line, "%s: item %d is not valid UTF-8", what, (int)i);
    else if ((v[(*n)++] = tr_l_strdup(lua_tostring(S, -1))) == NULL)
      return -1;
    lua_pop(S, 1);
  }
  return 0;
}

/* attrs: a table of string/number/boolean values, as JSON text (jansson
** escapes keys and values and refuses what JSON cannot hold: invalid
** UTF-8, infinities, NaN). NULL with an error recorded when it cannot. */
static char *attrs_json(Loader *ld, int t, const char *what, int line) {
  lua_State *S = ld->S;
  t = lua_absindex(S, t);
  json_t *obj = json_object();
  if (obj == NULL) return NULL;
  lua_pushnil(S);
  while (lua_next(S, t)) {
    const char *k = lua_type(S, -2) == LUA_TSTRING ? lua_tostring(S, -2) : NULL;
    json_t *v = NULL;
    int ty = lua_type(S, -1);
    if (k == NULL) {
      add_error(ld, line, "%s: attrs keys must be strings", what);
    } else if (ty == LUA_TSTRING) {
      size_t n;
      const char *str = lua_tolstring(S, -1, &n);
      if ((v = json_stringn(str, n)) == NULL)
        add_error(ld, line, "%s: attrs.%s is not valid UTF-8", what, k);
    } else if (ty == LUA_TNUMBER && lua_isinteger(S, -1)) {
      v = json_integer((json_int_t)lua_tointeger(S, -1));
    } else if (ty == LUA_TNUMBER) {
      if ((v = json_real(lua_tonumber(S, -1))) == NULL)
        add_error(ld, line, "%s: attrs.%s must be a finite number", what, k);
    } else if (ty == LUA_TBOOLEAN) {
      v = json_boolean(lua_toboolean(S, -1));
    } else {
      add_error(ld, line, "%s: attrs.%s must be a string, number or boolean",
                what, k);
    }
    if (v && json_object_set_new(obj, k, v) != 0)
      add_error(ld, line, "%s: attrs key '%s' is not valid UTF-8", what, k);
    lua_pop(S, 1);
  }
  char *out = json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS);
  json_decref(obj);
  return out;
}

static int read_priority(Loader *ld, int t, const char *what, int line,
                         int32_t *out) {
  lua_State *S = ld->S;
  int ty = rawfield(S, t, "priority");
  if (ty == LUA_TNUMBER && lua_isinteger(S, -1))
    *out = (int32_t)lua_tointeger(S, -1);
  else if (ty != LUA_TNIL)
    add_error(ld, line, "%s: priority must be an integer", what);
  lua_pop(S, 1);
  return 0;
}

static int read_entities(Loader *ld, int top, int32_t default_prio) {
  lua_State *S = ld->S;
  int present;
  lua_Integer n = list_field(ld, top, "entities", "ruleset", 0, &present);
  if (!present) return 0;
  tr_ruleset *rs = ld->rs;
  rs->entities = calloc((size_t)n + 1, sizeof *rs->entities);
  if (rs->entities == NULL) return -1;
  for (lua_Integer i = 1; i <= n; i++) {
    char what[160];
    if (lua_rawgeti(S, -1, i) != LUA_TTABLE) {
      add_error(ld, 0, "entity %d: must be a table", (int)i);
      lua_pop(S, 1);
      continue;
    }
    const char *id = opt_string(ld, -1, "id", "entity", 0);
    int line = id_line(ld, id);
    snprintf(what, sizeof what, "entity '%s'", id ? id : "?");
    only_keys(ld, -1, entity_keys, what, line);
    if (id == NULL) {
      add_error(ld, line, "entity %d: 'id' is missing", (int)i);
      lua_pop(S, 1);
      continue;
    }
    if (!is_name(id, 0))
      add_error(ld, line, "%s: id must be lower case letters, digits, '_', '.' "
                "or '-'", what);
    int first = idset_add(&ld->eset, id, line);
    if (first == -2) return -1;
    if (first > 0)
      add_error(ld, line, "%s: duplicate id (first at line %d)", what, first);
    else if (first == -1)
      add_error(ld, line, "%s: duplicate id", what);
    const char *type = opt_string(ld, -1, "type", what, line);
    const char *name = opt_string(ld, -1, "name", what, line);
    if (type == NULL) add_error(ld, line, "%s: 'type' is missing", what);
    else if (!is_name(type, 1))
      add_error(ld, line, "%s: type '%s' must be in capitals (PERSON, ORG, "
                "GPE, LOC, FAC, EVENT or your own)", what, type);
    if (name == NULL) add_error(ld, line, "%s: 'name' is missing", what);
    tr_entity *e = &rs->entities[rs->nentities++];
    e->id = tr_l_strdup(id);
    e->type = tr_l_strdup(type ? type : "");
    e->name = tr_l_strdup(name ? name : id);
    e->line = line;
    e->priority = default_prio;
    read_priority(ld, -1, what, line, &e->priority);
    if (name) {
      e->aliases = malloc(sizeof *e->aliases);
      if (e->aliases == NULL) return -1;
      e->aliases[e->naliases++] = tr_l_strdup(name);
    }
    int pres;
    if (list_field(ld, -1, "aliases", what, line, &pres) >= 0 && pres) {
      if (string_list(ld, -1, &e->aliases, &e->naliases, what, line) != 0)
        return -1;
      lua_pop(S, 1);
    }
    if (list_field(ld, -1, "case_sensitive", what, line, &pres) >= 0 && pres) {
      if (string_list(ld, -1, &e->case_sensitive, &e->ncase_sensitive, what,
                      line) != 0)
        return -1;
      lua_pop(S, 1);
    }
    int fz = rawfield(S, -1, "fuzzy");
    if (fz == LUA_TBOOLEAN) e->fuzzy = lua_toboolean(S, -1) ? 1 : -1;
    else if (fz != LUA_TNIL) add_error(ld, line, "%s: fuzzy must be a boolean", what);
    lua_pop(S, 1);
    int ty = rawfield(S, -1, "attrs");
    if (ty == LUA_TTABLE) e->attrs = attrs_json(ld, -1, what, line);
    else if (ty != LUA_TNIL)
      add_error(ld, line, "%s: attrs must be a table", what);
    lua_pop(S, 2);
  }
  lua_pop(S, 1);
  return 0;
}

/* ------------------------------------------------------------------ */
/* Rules: shared fields                                                */
/* ------------------------------------------------------------------ */

static tr_rule *new_rule(Loader *ld, tr_rule_kind kind) {
  tr_ruleset *rs = ld->rs;
  tr_rule *v = realloc(rs->rules, (rs->nrules + 1) * sizeof *v);
  int *refs = realloc(ld->refs, (rs->nrules + 1) * sizeof *refs);
  if (v == NULL || refs == NULL) {
    if (v) rs->rules = v;
    if (refs) ld->refs = refs;
    return NULL;
  }
  rs->rules = v;
  ld->refs = refs;
  refs[rs->nrules] = LUA_NOREF;
  tr_rule *r = &v[rs->nrules++];
  memset(r, 0, sizeof *r);
  r->kind = kind;
  r->entity = -1;
  return r;
}

/* id, label, priority of a pattern/regex/callback item at the top of S.
** Returns the rule, or NULL when the item is unusable (error recorded). */
static tr_rule *rule_head(Loader *ld, tr_rule_kind kind, const char *section,
                          lua_Integer i, int32_t default_prio, char *what,
                          size_t whatcap, int *line) {
  const char *id = opt_string(ld, -1, "id", section, 0);
  char idbuf[64];
  if (id == NULL) {
    snprintf(idbuf, sizeof idbuf, "%s-%d", section, (int)i);
    id = idbuf;
  }
  *line = id == idbuf ? 0 : id_line(ld, id);
  snprintf(what, whatcap, "%s '%s'", section, id);
  /* The set keeps pointers: an id from idbuf is copied into the rule below
  ** and re-added from there. */
  int first = id == idbuf ? 0 : idset_add(&ld->rset, id, *line);
  if (first == -2) return NULL;
  if (first > 0)
    add_error(ld, *line, "%s: duplicate rule id (first at line %d)", what, first);
  else if (first == -1)
    add_error(ld, *line, "%s: duplicate rule id", what);
  const char *label = opt_string(ld, -1, "label", what, *line);
  if (label == NULL) {
    add_error(ld, *line, "%s: 'label' is missing (an entity id or a TYPE)", what);
    return NULL;
  }
  tr_rule *r = new_rule(ld, kind);
  if (r == NULL) return NULL;
  r->id = tr_l_strdup(id);
  r->label = tr_l_strdup(label);
  r->line = *line;
  r->priority = default_prio;
  read_priority(ld, -1, what, *line, &r->priority);
  for (size_t k = 0; k < ld->rs->nentities; k++)
    if (strcmp(ld->rs->entities[k].id, label) == 0) {
      r->entity = (int32_t)k;
      r->type = tr_l_strdup(ld->rs->entities[k].type);
      r->priority = ld->rs->entities[k].priority;
      read_priority(ld, -1, what, *line, &r->priority);
    }
  if (r->entity < 0) {
    if (is_name(label, 1)) r->type = tr_l_strdup(label);
    else if (!ld->has_requires)
      add_error(ld, *line, "%s: label '%s' is not an entity id of this ruleset "
                "and not a TYPE in capitals", what, label);
    else r->type = tr_l_strdup(""); /* an entity of a required ruleset */
  }
  return r;
}

/* ------------------------------------------------------------------ */
/* Token patterns                                                      */
/* ------------------------------------------------------------------ */

static const char *const attr_names[] = {"ORTH", "TEXT", "LOWER", "NORM",
  "LENGTH", "SHAPE", "IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER",
  "IS_UPPER", "IS_TITLE", "IS_PUNCT", "IS_SPACE", "IS_STOP", "IS_BRACKET",
  "IS_QUOTE", "IS_LEFT_PUNCT", "IS_RIGHT_PUNCT", "LIKE_NUM", "LIKE_URL",
  "LIKE_EMAIL", "KIND", "OP", NULL};

static const char *const pred_names[] = {"IN", "NOT_IN", "REGEX", "==", "!=",
  "<", "<=", ">", ">=", NULL};

enum { VAL_STRING, VAL_NUMBER, VAL_BOOL };

/* What kind of value an attribute takes. */
static int attr_value(tr_attr a) {
  if (a == TR_A_LENGTH) return VAL_NUMBER;
  if (a == TR_A_ORTH || a == TR_A_TEXT || a == TR_A_LOWER || a == TR_A_NORM ||
      a == TR_A_SHAPE || a == TR_A_KIND)
    return VAL_STRING;
  return VAL_BOOL;
}

/* Fill pred from the Lua value at the top for attribute a and operator op.
** Returns 0, or -1 with an error recorded. */
static int read_pred_value(Loader *ld, tr_pred *p, tr_attr a, tr_pred_op op,
                           const char *what, int line, int tok,
                           const char *aname) {
  lua_State *S = ld->S;
  int want = attr_value(a), ty = lua_type(S, -1);
  p->attr = a;
  p->op = op;
  if (op == TR_P_IN || op == TR_P_NOT_IN) {
    if (ty != LUA_TTABLE) {
      add_error(ld, line, "%s: token %d: %s: %s needs a list", what, tok, aname,
                op == TR_P_IN ? "IN" : "NOT_IN");
      return -1;
    }
    size_t n = lua_rawlen(S, -1);
    if (want == VAL_NUMBER) {
      p->nums = calloc(n + 1, sizeof *p->nums);
      if (p->nums == NULL) return -1;
    } else {
      p->set = calloc(n + 1, sizeof *p->set);
      p->set_len = calloc(n + 1, sizeof *p->set_len);
      if (p->set == NULL || p->set_len == NULL) return -1;
    }
    for (size_t k = 1; k <= n; k++) {
      int ity = lua_rawgeti(S, -1, (lua_Integer)k);
      if (want == VAL_NUMBER && ity == LUA_TNUMBER) {
        ((double *)p->nums)[p->nset++] = lua_tonumber(S, -1);
      } else if (want == VAL_STRING && ity == LUA_TSTRING) {
        size_t len;
        const char *str = lua_tolstring(S, -1, &len);
        ((char **)p->set)[p->nset] = xmemdup(str, len);
        ((size_t *)p->set_len)[p->nset++] = len;
      } else {
        add_error(ld, line, "%s: token %d: %s: item %d of the list must be a %s",
                  what, tok, aname, (int)k, want == VAL_STRING ? "string" : "number");
        lua_pop(S, 1);
        return -1;
      }
      lua_pop(S, 1);
    }
    p->is_num = want == VAL_NUMBER;
    return 0;
  }
  if (op == TR_P_REGEX) {
    if (want != VAL_STRING || ty != LUA_TSTRING) {
      add_error(ld, line, "%s: token %d: %s: REGEX needs a string attribute "
                "and a string", what, tok, aname);
      return -1;
    }
  } else if (op >= TR_P_LT && want != VAL_NUMBER) {
    add_error(ld, line, "%s: token %d: %s: comparisons (<, <=, >, >=) need a "
              "numeric attribute such as LENGTH", what, tok, aname);
    return -1;
  }
  if (want == VAL_STRING && ty == LUA_TSTRING) {
    size_t len;
    const char *s = lua_tolstring(S, -1, &len);
    p->str = xmemdup(s, len);
    p->len = len;
  } else if (want == VAL_NUMBER && ty == LUA_TNUMBER) {
    p->num = lua_tonumber(S, -1);
    p->is_num = 1;
  } else if (want == VAL_BOOL && ty == LUA_TBOOLEAN) {
    p->num = lua_toboolean(S, -1);
    p->is_num = 1;
  } else {
    add_error(ld, line, "%s: token %d: %s takes a %s, not a %s", what, tok,
              aname, want == VAL_STRING ? "string" : want == VAL_NUMBER
              ? "number" : "boolean", lua_typename(S, ty));
    return -1;
  }
  return 0;
}

/* Parse an OP string with the pattern module's parser (spaCy's syntax). */
static int parse_op(const char *str, tr_tok_spec *sp) {
  const char *err;
  return tr_tok_op_parse(str, strlen(str), &sp->op, &sp->min, &sp->max, &err);
}

static int read_spec(Loader *ld, tr_tok_spec *sp, const char *what, int line,
                     int tok) {
  lua_State *S = ld->S;
  int t = lua_gettop(S);
  sp->op = TR_OP_ONE;
  sp->min = sp->max = 1;
  size_t cap = 4, n = 0;
  tr_pred *preds = calloc(cap, sizeof *preds);
  if (preds == NULL) return -1;
  sp->preds = preds;
  lua_pushnil(S);
  while (lua_next(S, t)) {
    if (lua_type(S, -2) != LUA_TSTRING) {
      add_error(ld, line, "%s: token %d: keys must be attribute names", what, tok);
      lua_pop(S, 1);
      continue;
    }
    char key[32];
    snprintf(key, sizeof key, "%s", lua_tostring(S, -2));
    for (char *c = key; *c; c++) *c = (char)toupper((unsigned char)*c);
    int ai = -1;
    for (int k = 0; attr_names[k]; k++)
      if (strcmp(key, attr_names[k]) == 0) ai = k;
    if (ai < 0) {
      char sug[96];
      add_error(ld, line, "%s: token %d: unknown attribute '%s'%s", what, tok,
                lua_tostring(S, -2), suggest(key, attr_names, sug, sizeof sug));
      lua_pop(S, 1);
      continue;
    }
    if (strcmp(key, "OP") == 0) {
      if (lua_type(S, -1) != LUA_TSTRING || parse_op(lua_tostring(S, -1), sp))
        add_error(ld, line, "%s: token %d: OP must be one of ! ? + * {n} "
                  "{n,m} {n,} {,m}, not '%s'", what, tok,
                  lua_type(S, -1) == LUA_TSTRING ? lua_tostring(S, -1)
                                                 : luaL_typename(S, -1));
      lua_pop(S, 1);
      continue;
    }
    tr_attr a = (tr_attr)(ai + 1);
    if (lua_type(S, -1) == LUA_TTABLE && lua_rawlen(S, -1) == 0) {
      /* A table of predicates. */
      int pt = lua_gettop(S);
      lua_pushnil(S);
      while (lua_next(S, pt)) {
        const char *pk = lua_type(S, -2) == LUA_TSTRING ? lua_tostring(S, -2) : "?";
        int pi = -1;
        for (int k = 0; pred_names[k]; k++)
          if (strcmp(pk, pred_names[k]) == 0) pi = k;
        if (pi < 0) {
          char sug[96];
          add_error(ld, line, "%s: token %d: %s: unknown predicate '%s'%s", what,
                    tok, key, pk, suggest(pk, pred_names, sug, sizeof sug));
          lua_pop(S, 1);
          continue;
        }
        static const tr_pred_op ops[] = {TR_P_IN, TR_P_NOT_IN, TR_P_REGEX,
          TR_P_EQ, TR_P_NE, TR_P_LT, TR_P_LE, TR_P_GT, TR_P_GE};
        if (n == cap) {
          tr_pred *np = realloc(preds, (cap *= 2) * sizeof *preds);
          if (np == NULL) return -1;
          preds = np;
          sp->preds = preds;
        }
        memset(&preds[n], 0, sizeof *preds);
        read_pred_value(ld, &preds[n], a, ops[pi], what, line, tok, key);
        n++;
        sp->npreds = n;
        lua_pop(S, 1);
      }
    } else {
      if (n == cap) {
        tr_pred *np = realloc(preds, (cap *= 2) * sizeof *preds);
        if (np == NULL) return -1;
        preds = np;
        sp->preds = preds;
      }
      memset(&preds[n], 0, sizeof *preds);
      if (lua_type(S, -1) == LUA_TTABLE)
        add_error(ld, line, "%s: token %d: %s: a list is not a value; use "
                  "{IN = {...}}", what, tok, key);
      else read_pred_value(ld, &preds[n], a, TR_P_EQ, what, line, tok, key);
      n++;
      sp->npreds = n;
    }
    lua_pop(S, 1);
  }
  sp->npreds = n;
  return 0;
}

/* Each kind of rule reads its own fields from the item at the top of S
** into r (whose id, label and priority are read already). Returns -1
** only on memory errors. */
typedef int (*rule_body_fn)(Loader *ld, tr_rule *r, const char *what, int line);

static int pattern_body(Loader *ld, tr_rule *r, const char *what, int line) {
  lua_State *S = ld->S;
  const char *g = opt_string(ld, -1, "greedy", what, line);
  if (g && strcmp(g, "FIRST") == 0) r->greedy = TR_GREEDY_FIRST;
  else if (g && strcmp(g, "LONGEST") == 0) r->greedy = TR_GREEDY_LONGEST;
  else if (g) add_error(ld, line, "%s: greedy must be \"FIRST\" or \"LONGEST\"", what);
  int pres;
  lua_Integer ns = list_field(ld, -1, "pattern", what, line, &pres);
  if (!pres) {
    if (ns == 0) add_error(ld, line, "%s: 'pattern' is missing", what);
    return 0;
  }
  if (ns == 0) add_error(ld, line, "%s: the pattern is empty", what);
  r->specs = calloc((size_t)ns + 1, sizeof *r->specs);
  if (r->specs == NULL) return -1;
  for (lua_Integer k = 1; k <= ns; k++) {
    if (lua_rawgeti(S, -1, k) != LUA_TTABLE)
      add_error(ld, line, "%s: token %d must be a table", what, (int)k);
    else if (read_spec(ld, &r->specs[r->nspecs++], what, line, (int)k) != 0)
      return -1;
    lua_pop(S, 1);
  }
  lua_pop(S, 1);
  return 0;
}

static int regex_body(Loader *ld, tr_rule *r, const char *what, int line) {
  lua_State *S = ld->S;
  const char *fl = opt_string(ld, -1, "flags", what, line);
  if (fl) r->re_flags = tr_l_strdup(fl);
  if (rawfield(S, -1, "re") != LUA_TSTRING || lua_rawlen(S, -1) == 0) {
    add_error(ld, line, "%s: 're' must be a non-empty string", what);
  } else {
    size_t len;
    const char *re = lua_tolstring(S, -1, &len);
    r->re = xmemdup(re, len);
    r->re_len = len;
  }
  lua_pop(S, 1);
  return 0;
}

static int callback_body(Loader *ld, tr_rule *r, const char *what, int line) {
  lua_State *S = ld->S;
  const char *scope = opt_string(ld, -1, "scope", what, line);
  if (scope && strcmp(scope, "sentence") == 0) r->scope_sentence = 1;
  else if (scope && strcmp(scope, "document") != 0)
    add_error(ld, line, "%s: scope must be \"document\" or \"sentence\"", what);
  if (rawfield(S, -1, "fn") != LUA_TFUNCTION) {
    add_error(ld, line, "%s: 'fn' must be a function", what);
    lua_pop(S, 1);
  } else {
    ld->refs[r - ld->rs->rules] = luaL_ref(S, LUA_REGISTRYINDEX);
  }
  return 0;
}

typedef struct RuleSection {
  const char *key;          /* field of the ruleset: "patterns" */
  const char *name;         /* in messages: "pattern" */
  tr_rule_kind kind;
  const char *const *keys;  /* the fields an item may have */
  rule_body_fn body;
} RuleSection;

static const char *const pattern_keys[] = {"id", "label", "pattern",
  "greedy", "priority", NULL};
static const char *const regex_keys[] = {"id", "label", "re", "flags",
  "priority", NULL};
static const char *const callback_keys[] = {"id", "label", "fn", "scope",
  "priority", NULL};

static const RuleSection rule_sections[] = {
  {"patterns", "pattern", TR_RULE_PATTERN, pattern_keys, pattern_body},
  {"regex", "regex", TR_RULE_REGEX, regex_keys, regex_body},
  {"callbacks", "callback", TR_RULE_CALLBACK, callback_keys, callback_body},
};

/* Read one section's list of rules (in file order, after the ones before). */
static int read_rules(Loader *ld, int top, int32_t prio, const RuleSection *sec) {
  lua_State *S = ld->S;
  int present;
  lua_Integer n = list_field(ld, top, sec->key, "ruleset", 0, &present);
  if (!present) return 0;
  for (lua_Integer i = 1; i <= n; i++) {
    char what[160];
    int line;
    if (lua_rawgeti(S, -1, i) != LUA_TTABLE) {
      add_error(ld, 0, "%s %d: must be a table", sec->name, (int)i);
    } else {
      tr_rule *r = rule_head(ld, sec->kind, sec->name, i, prio, what,
                             sizeof what, &line);
      only_keys(ld, -1, sec->keys, what, line);
      if (r && sec->body(ld, r, what, line) != 0) return -1;
    }
    lua_pop(S, 1);
  }
  lua_pop(S, 1);
  return 0;
}

/* ------------------------------------------------------------------ */
/* Examples                                                            */
/* ------------------------------------------------------------------ */

static const char *const example_keys[] = {"text", "expect", "reject", NULL};

static int read_items(Loader *ld, const char *key, tr_example_item **out,
                      size_t *n, int line, int ei, int need_text) {
  lua_State *S = ld->S;
  int pres;
  char what[64];
  snprintf(what, sizeof what, "example %d", ei);
  lua_Integer len = list_field(ld, -1, key, what, line, &pres);
  if (!pres) return 0;
  *out = calloc((size_t)len + 1, sizeof **out);
  if (*out == NULL) return -1;
  for (lua_Integer k = 1; k <= len; k++) {
    if (lua_rawgeti(S, -1, k) != LUA_TTABLE) {
      add_error(ld, line, "%s: %s item %d must be {label, text}", what, key, (int)k);
      lua_pop(S, 1);
      continue;
    }
    int t1 = lua_rawgeti(S, -1, 1), t2 = lua_rawgeti(S, -2, 2);
    if (t1 != LUA_TSTRING || (t2 != LUA_TSTRING && (need_text || t2 != LUA_TNIL)))
      add_error(ld, line, "%s: %s item %d must be {label, text}", what, key, (int)k);
    else {
      tr_example_item *it = &(*out)[(*n)++];
      it->label = tr_l_strdup(lua_tostring(S, -2));
      it->text = t2 == LUA_TSTRING ? tr_l_strdup(lua_tostring(S, -1)) : NULL;
    }
    lua_pop(S, 3);
  }
  lua_pop(S, 1);
  return 0;
}

static int read_examples(Loader *ld, int top) {
  lua_State *S = ld->S;
  int present;
  lua_Integer n = list_field(ld, top, "examples", "ruleset", 0, &present);
  if (!present) return 0;
  tr_ruleset *rs = ld->rs;
  rs->examples = calloc((size_t)n + 1, sizeof *rs->examples);
  if (rs->examples == NULL) return -1;
  for (lua_Integer i = 1; i <= n; i++) {
    if (lua_rawgeti(S, -1, i) != LUA_TTABLE) {
      add_error(ld, 0, "example %d: must be a table", (int)i);
      lua_pop(S, 1);
      continue;
    }
    const char *text = opt_string(ld, -1, "text", "example", 0);
    int line = find_line(ld, "text", text);
    char what[64];
    snprintf(what, sizeof what, "example %d", (int)i);
    only_keys(ld, -1, example_keys, what, line);
    if (text == NULL) {
      add_error(ld, line, "%s: 'text' is missing", what);
      lua_pop(S, 1);
      continue;
    }
    tr_example *ex = &rs->examples[rs->nexamples++];
    ex->text = tr_l_strdup(text);
    ex->line = line;
    if (read_items(ld, "expect", &ex->expect, &ex->nexpect, line, (int)i, 0) ||
        read_items(ld, "reject", &ex->reject, &ex->nreject, line, (int)i, 0))
      return -1;
    lua_pop(S, 1);
  }
  lua_pop(S, 1);
  return 0;
}

/* ------------------------------------------------------------------ */
/* The ruleset                                                         */
/* ------------------------------------------------------------------ */

static const char *const top_keys[] = {"name", "version", "description",
  "license", "author", "requires", "options", "entities", "patterns",
  "regex", "callbacks", "examples", NULL};

static const char *const option_keys[] = {"loose_hyphens", "priority",
  "fuzzy", "fuzzy_threshold", NULL};

/* Fill ld->rs from the table at the top of S. Returns -1 only on memory
** errors; problems with the file are collected in ld->errs. */
static int read_ruleset(Loader *ld) {
  lua_State *S = ld->S;
  tr_ruleset *rs = ld->rs;
  int top = lua_gettop(S);
  if (lua_type(S, top) != LUA_TTABLE) {
    add_error(ld, 0, "the file must return a ruleset (return trawl.ruleset{...}), "
              "not a %s", luaL_typename(S, top));
    return 0;
  }
  only_keys(ld, top, top_keys, "ruleset", 0);
  const char *name = opt_string(ld, top, "name", "ruleset", 0);
  const char *version = opt_string(ld, top, "version", "ruleset", 0);
  const char *desc = opt_string(ld, top, "description", "ruleset", 0);
  if (name == NULL) add_error(ld, 0, "ruleset: 'name' is missing");
  else if (!is_name(name, 0))
    add_error(ld, find_line(ld, "name", name), "ruleset: name '%s' must be lower "
              "case letters, digits, '_', '.' or '-'", name);
  if (version == NULL) add_error(ld, 0, "ruleset: 'version' is missing");
  else if (!is_semver(version))
    add_error(ld, find_line(ld, "version", version), "ruleset: version '%s' is "
              "not a semantic version (MAJOR.MINOR.PATCH)", version);
  if (desc == NULL) add_error(ld, 0, "ruleset: 'description' is missing");
  rs->name = tr_l_strdup(name ? name : "unnamed");
  rs->version = tr_l_strdup(version ? version : "0.0.0");
  rs->description = tr_l_strdup(desc ? desc : "");
  rs->license = tr_l_strdup(opt_string(ld, top, "license", "ruleset", 0));
  rs->author = tr_l_strdup(opt_string(ld, top, "author", "ruleset", 0));
  rs->path = tr_l_strdup(ld->path);
  rs->loose_hyphens = 1;

  /* requires: name -> range, kept as JSON for the store. */
  int ty = rawfield(S, top, "requires");
  if (ty == LUA_TTABLE) {
    ld->has_requires = 1;
    lua_pushnil(S);
    while (lua_next(S, -2)) {
      const char *k = lua_type(S, -2) == LUA_TSTRING ? lua_tostring(S, -2) : NULL;
      const char *v = lua_type(S, -1) == LUA_TSTRING ? lua_tostring(S, -1) : NULL;
      if (k == NULL || v == NULL || !is_range(v))
        add_error(ld, v ? find_line(ld, k ? k : "", v) : 0, "requires: each entry "
                  "must be name = \"version range\" (\">=1.0.0 <2.0.0\", \"^1.2\", "
                  "\"1.x\")");
      lua_pop(S, 1);
    }
    rs->requires = attrs_json(ld, -1, "requires", 0);
  } else if (ty != LUA_TNIL) {
    add_error(ld, 0, "ruleset: requires must be a table of name = range");
  }
  lua_pop(S, 1);

  int32_t prio = 0;
  ty = rawfield(S, top, "options");
  if (ty == LUA_TTABLE) {
    only_keys(ld, -1, option_keys, "options", 0);
    int bt = rawfield(S, -1, "loose_hyphens");
    if (bt == LUA_TBOOLEAN) rs->loose_hyphens = lua_toboolean(S, -1);
    else if (bt != LUA_TNIL) add_error(ld, 0, "options: loose_hyphens must be a boolean");
    lua_pop(S, 1);
    bt = rawfield(S, -1, "fuzzy");
    if (bt == LUA_TBOOLEAN) rs->fuzzy = lua_toboolean(S, -1);
    else if (bt != LUA_TNIL) add_error(ld, 0, "options: fuzzy must be a boolean");
    lua_pop(S, 1);
    bt = rawfield(S, -1, "fuzzy_threshold");
    if (bt == LUA_TNUMBER && lua_tonumber(S, -1) > 0 && lua_tonumber(S, -1) <= 1)
      rs->fuzzy_threshold = lua_tonumber(S, -1);
    else if (bt != LUA_TNIL)
      add_error(ld, 0, "options: fuzzy_threshold must be a number in (0, 1]");
    lua_pop(S, 1);
    read_priority(ld, -1, "options", 0, &prio);
  } else if (ty != LUA_TNIL) {
    add_error(ld, 0, "ruleset: options must be a table");
  }
  lua_pop(S, 1);

  if (read_entities(ld, top, prio) != 0) return -1;
  /* The alias rule comes first: it carries the gazetteer. */
  if (rs->nentities > 0) {
    tr_rule *r = new_rule(ld, TR_RULE_ALIAS);
    if (r == NULL) return -1;
    r->id = tr_l_strdup("aliases");
    r->label = tr_l_strdup("");
    r->type = tr_l_strdup("");
    r->priority = prio;
  }
  /* Linking by name key is a rule of its own, so its mentions say so. */
  int any_fuzzy = 0;
  for (size_t k = 0; k < rs->nentities; k++)
    any_fuzzy |= rs->entities[k].fuzzy > 0 || (rs->fuzzy && rs->entities[k].fuzzy == 0);
  if (any_fuzzy) {
    tr_rule *r = new_rule(ld, TR_RULE_FUZZY);
    if (r == NULL) return -1;
    r->id = tr_l_strdup("fuzzy-aliases");
    r->label = tr_l_strdup("");
    r->type = tr_l_strdup("");
    r->priority = prio;
  }
  for (size_t k = 0; k < sizeof rule_sections / sizeof *rule_sections; k++)
    if (read_rules(ld, top, prio, &rule_sections[k]) != 0) return -1;
  if (read_examples(ld, top) != 0) return -1;
  if (rs->nentities == 0 && rs->nrules == 0)
    add_error(ld, 0, "ruleset: no entities and no rules: nothing to find");
  return 0;
}

/* read_ruleset as a protected call on the rule's state: (table, loader). */
static int read_ruleset_k(lua_State *S) {
  Loader *ld = lua_touserdata(S, 2);
  lua_settop(S, 1);
  ld->oom = read_ruleset(ld) != 0;
  return 0;
}

/* ------------------------------------------------------------------ */
/* Ruleset userdata                                                    */
/* ------------------------------------------------------------------ */

static void lrules_release(LRuleset *lr) {
  if (lr->built) tr_matcher_free(&lr->m);
  lr->built = 0;
  if (lr->rs) {
    tr_ruleset_free(lr->rs);
    free(lr->rs);
    lr->rs = NULL;
  }
  free(lr->refs);
  lr->refs = NULL;
  if (lr->sb) tr_sb_free(lr->sb);
  lr->sb = NULL;
}

LRuleset *tr_l_checkrules(lua_State *L, int arg) {
  LRuleset *lr = luaL_checkudata(L, arg, TR_RULESET_MT);
  if (lr->rs == NULL) luaL_error(L, "attempt to use a freed ruleset");
  return lr;
}

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    size_t got = fread(buf + n, 1, cap - n - 1, f);
    n += got;
    if (got == 0) break;
    if (n + 1 == cap) {
      char *b = realloc(buf, cap *= 2);
      if (b == NULL) { free(buf); buf = NULL; break; }
      buf = b;
    }
  }
  fclose(f);
  if (buf) buf[n] = '\0';
  return buf;
}

/* trawl.rules.load(path [, {memory = MiB, instructions = n, seconds = s,
** match_limit = n}]) -> Ruleset | nil, message */
static int l_load(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  tr_sb_limits lim = {0, 0, 0};
  tr_regex_limits rlim;
  memset(&rlim, 0, sizeof rlim);
  if (lua_istable(L, 2)) {
    lua_getfield(L, 2, "memory");
    lim.memory = (size_t)luaL_optinteger(L, -1, 0) << 20;
    lua_getfield(L, 2, "instructions");
    lim.instructions = (long long)luaL_optinteger(L, -1, 0);
    lua_getfield(L, 2, "seconds");
    lim.seconds = luaL_optnumber(L, -1, 0);
    lua_getfield(L, 2, "match_limit");
    rlim.match_limit = (uint32_t)luaL_optinteger(L, -1, 0);
    lua_pop(L, 4);
  }
  LRuleset *lr = lua_newuserdatauv(L, sizeof *lr, 0);
  memset(lr, 0, sizeof *lr);
  luaL_setmetatable(L, TR_RULESET_MT);
  lr->rs = calloc(1, sizeof *lr->rs);
  const char *base = strrchr(path, '/');
  lr->sb = tr_sb_new(&lim, base ? base + 1 : path);
  if (lr->rs == NULL || lr->sb == NULL) return luaL_error(L, "out of memory");
  tr_ruleset_init(lr->rs);

  Loader ld;
  memset(&ld, 0, sizeof ld);
  ld.S = tr_sb_state(lr->sb);
  ld.path = path;
  ld.src = read_file(path);
  ld.rs = lr->rs;
  char *err = NULL;
  if (ld.src == NULL) {
    lua_pushnil(L);
    lua_pushfstring(L, "%s: cannot read rule file", path);
    return 2;
  }
  index_ids(&ld);
  int ok = tr_sb_dofile(lr->sb, path, &err) == 0;
  if (!ok) {
    /* Messages from the loader already start with the chunk name. */
    add_raw_error(&ld, err ? err : "error");
    free(err);
  } else {
    /* Reading allocates in the rule's state (keys, refs): in a protected
    ** call, so that its memory cap gives an error, not an abort. */
    lua_State *S = ld.S;
    lua_pushcfunction(S, read_ruleset_k);
    lua_insert(S, -2);
    lua_pushlightuserdata(S, &ld);
    int st = lua_pcall(S, 2, 0, 0);
    if (st != LUA_OK) {
      add_error(&ld, 0, "%s", st == LUA_ERRMEM
                ? "memory budget exceeded while reading the ruleset"
                : lua_tostring(S, -1) ? lua_tostring(S, -1) : "error");
      lua_pop(S, 1);
    } else if (ld.oom) {
      free(ld.src);
      free(ld.errs);
      free(ld.refs);
      free(ld.ids);
      idset_free(ld.eset);
      idset_free(ld.rset);
      return luaL_error(L, "out of memory reading %s", path);
    }
  }
  free(ld.ids);
  idset_free(ld.eset);
  idset_free(ld.rset);
  lr->refs = ld.refs;
  if (ok && ld.nerr == 0) {
    /* Compile now: bad patterns and regexes are load errors. */
    if (tr_matcher_build(&lr->m, &lr->rs, 1, &rlim, &err) != 0) {
      add_raw_error(&ld, err ? err : "cannot compile the rules");
      free(err);
    } else {
      lr->built = 1;
      lr->lim = rlim;
      tr_l_rules_attach(lr, &lr->m);
    }
  }
  free(ld.src);
  if (ld.nerr > 0) {
    if (ld.nerr > MAX_ERRORS) {
      char more[64];
      snprintf(more, sizeof more, "... and %zu more errors\n", ld.nerr - MAX_ERRORS);
      lua_pushfstring(L, "%s%s", ld.errs ? ld.errs : "", more);
    } else {
      lua_pushstring(L, ld.errs ? ld.errs : "invalid rule file");
    }
    free(ld.errs);
    /* Drop the trailing newline. */
    size_t n;
    const char *m = lua_tolstring(L, -1, &n);
    if (n && m[n - 1] == '\n') {
      lua_pushlstring(L, m, n - 1);
      lua_remove(L, -2);
    }
    lrules_release(lr);
    lua_pushnil(L);
    lua_insert(L, -2);
    return 2;
  }
  return 1;
}

static int r_gc(lua_State *L) {
  lrules_release(luaL_checkudata(L, 1, TR_RULESET_MT));
  return 0;
}

static void push_str_or_nil(lua_State *L, const char *s) {
  if (s) lua_pushstring(L, s);
  else lua_pushnil(L);
}

static const char *const kind_names[] = {"?", "aliases", "pattern", "regex",
                                         "callback", "fuzzy"};

static const char *const op_strings[] = {"", "", "!", "?", "+", "*", ""};

/* Push one predicate's value (a string, number, boolean or list). */
static void push_pred_value(lua_State *L, const tr_pred *p) {
  if (p->op == TR_P_IN || p->op == TR_P_NOT_IN) {
    lua_createtable(L, (int)p->nset, 0);
    for (size_t k = 0; k < p->nset; k++) {
      if (p->nums) lua_pushnumber(L, p->nums[k]);
      else lua_pushlstring(L, p->set[k], p->set_len ? p->set_len[k] : strlen(p->set[k]));
      lua_rawseti(L, -2, (lua_Integer)k + 1);
    }
  } else if (p->str) {
    lua_pushlstring(L, p->str, p->len);
  } else if (attr_value(p->attr) == VAL_BOOL) {
    lua_pushboolean(L, p->num != 0);
  } else if (p->num == (double)(lua_Integer)p->num) {
    lua_pushinteger(L, (lua_Integer)p->num);
  } else {
    lua_pushnumber(L, p->num);
  }
}

/* Push a token pattern back as the Lua/spaCy tables it came from. */
static void push_specs(lua_State *L, const tr_rule *r) {
  static const char *const pred_keys[] = {"", "==", "!=", "IN", "NOT_IN",
    "REGEX", "<", "<=", ">", ">="};
  lua_createtable(L, (int)r->nspecs, 0);
  for (size_t i = 0; i < r->nspecs; i++) {
    const tr_tok_spec *sp = &r->specs[i];
    lua_newtable(L);
    for (size_t k = 0; k < sp->npreds; k++) {
      const tr_pred *p = &sp->preds[k];
      const char *an = attr_names[p->attr - 1];
      if (p->op == TR_P_EQ) {
        push_pred_value(L, p);
        lua_setfield(L, -2, an);
        continue;
      }
      if (lua_getfield(L, -1, an) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, -3, an);
      }
      push_pred_value(L, p);
      lua_setfield(L, -2, pred_keys[p->op]);
      lua_pop(L, 1);
    }
    if (sp->op == TR_OP_RANGE) {
      if (sp->min == sp->max) lua_pushfstring(L, "{%d}", (int)sp->min);
      else if (sp->max == UINT32_MAX) lua_pushfstring(L, "{%d,}", (int)sp->min);
      else if (sp->min == 0) lua_pushfstring(L, "{,%d}", (int)sp->max);
      else lua_pushfstring(L, "{%d,%d}", (int)sp->min, (int)sp->max);
      lua_setfield(L, -2, "OP");
    } else if (sp->op != TR_OP_ONE) {
      lua_pushstring(L, op_strings[sp->op]);
      lua_setfield(L, -2, "OP");
    }
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
}

static int r_index(lua_State *L) {
  LRuleset *lr = tr_l_checkrules(L, 1);
  const tr_ruleset *rs = lr->rs;
  const char *k = luaL_checkstring(L, 2);
  if (strcmp(k, "name") == 0) lua_pushstring(L, rs->name);
  else if (strcmp(k, "version") == 0) lua_pushstring(L, rs->version);
  else if (strcmp(k, "description") == 0) lua_pushstring(L, rs->description);
  else if (strcmp(k, "license") == 0) push_str_or_nil(L, rs->license);
  else if (strcmp(k, "author") == 0) push_str_or_nil(L, rs->author);
  else if (strcmp(k, "path") == 0) push_str_or_nil(L, rs->path);
  else if (strcmp(k, "requires") == 0) tr_l_pushjson(L, rs->requires);
  else if (strcmp(k, "entities") == 0) {
    lua_createtable(L, (int)rs->nentities, 0);
    for (size_t i = 0; i < rs->nentities; i++) {
      const tr_entity *e = &rs->entities[i];
      lua_createtable(L, 0, 6);
      lua_pushstring(L, e->id);
      lua_setfield(L, -2, "id");
      lua_pushstring(L, e->type);
      lua_setfield(L, -2, "type");
      lua_pushstring(L, e->name);
      lua_setfield(L, -2, "name");
      lua_createtable(L, (int)e->naliases, 0);
      for (size_t a = 0; a < e->naliases; a++) {
        lua_pushstring(L, e->aliases[a]);
        lua_rawseti(L, -2, (lua_Integer)a + 1);
      }
      lua_setfield(L, -2, "aliases");
      tr_l_pushjson(L, e->attrs);
      lua_setfield(L, -2, "attrs");
      lua_pushinteger(L, e->line);
      lua_setfield(L, -2, "line");
      lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
  } else if (strcmp(k, "rules") == 0) {
    lua_createtable(L, (int)rs->nrules, 0);
    for (size_t i = 0; i < rs->nrules; i++) {
      const tr_rule *r = &rs->rules[i];
      lua_createtable(L, 0, 6);
      lua_pushstring(L, r->id);
      lua_setfield(L, -2, "id");
      lua_pushstring(L, kind_names[r->kind <= 5 ? r->kind : 0]);
      lua_setfield(L, -2, "kind");
      lua_pushstring(L, r->label);
      lua_setfield(L, -2, "label");
      push_str_or_nil(L, r->type);
      lua_setfield(L, -2, "type");
      if (r->entity >= 0) {
        lua_pushstring(L, rs->entities[r->entity].id);
        lua_setfield(L, -2, "entity");
      }
      if (r->kind == TR_RULE_PATTERN) {
        push_specs(L, r);
        lua_setfield(L, -2, "pattern");
      } else if (r->kind == TR_RULE_REGEX && r->re) {
        lua_pushlstring(L, r->re, r->re_len);
        lua_setfield(L, -2, "re");
        push_str_or_nil(L, r->re_flags);
        lua_setfield(L, -2, "flags");
      }
      lua_pushinteger(L, r->line);
      lua_setfield(L, -2, "line");
      lua_pushboolean(L, r->failed);
      lua_setfield(L, -2, "failed");
      push_str_or_nil(L, r->error);
      lua_setfield(L, -2, "error");
      lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
  } else {
    lua_getmetatable(L, 1);
    lua_getfield(L, -1, "methods");
    lua_getfield(L, -1, k);
  }
  return 1;
}

static int r_tostring(lua_State *L) {
  LRuleset *lr = luaL_checkudata(L, 1, TR_RULESET_MT);
  if (lr->rs == NULL) lua_pushliteral(L, "trawl.Ruleset (freed)");
  else
    lua_pushfstring(L, "trawl.Ruleset %s %s (%d entities, %d rules)",
                    lr->rs->name, lr->rs->version, (int)lr->rs->nentities,
                    (int)lr->rs->nrules);
  return 1;
}

static const luaL_Reg rules_methods[] = {
  {"check", tr_l_rules_check}, {NULL, NULL}
};

static const luaL_Reg rules_meta[] = {
  {"__index", r_index}, {"__gc", r_gc}, {"__close", r_gc},
  {"__tostring", r_tostring}, {NULL, NULL}
};

static const luaL_Reg rules_funcs[] = {
  {"load", l_load}, {NULL, NULL}
};

void tr_l_rules_register(lua_State *L) {
  luaL_newmetatable(L, TR_RULESET_MT);
  luaL_setfuncs(L, rules_meta, 0);
  lua_newtable(L);
  luaL_setfuncs(L, rules_methods, 0);
  lua_setfield(L, -2, "methods");
  lua_pop(L, 1);
  lua_newtable(L);
  luaL_setfuncs(L, rules_funcs, 0);
  lua_setfield(L, -2, "rules");
}

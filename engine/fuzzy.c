/*
** fuzzy.c — linking by name key (see fuzzy.h).
**
** Aliases are kept sorted by their compact name key. A candidate span's key
** is looked up by its first two bytes (romanizations of one name share
** their start far more often than not once the key has folded the letter
** classes), and the aliases found there are scored with tr_name_similar.
** Candidates are the spans of name-like token runs, up to as many tokens
** as the longest alias has, so the work per document is a few key
** computations per capitalised word.
*/
#include <stdlib.h>
#include <string.h>

#include "fuzzy.h"
#include "names.h"

typedef struct entry {
  tr_name name;       /* parsed alias: key and parts, for scoring */
  char ikey[TR_NAME_KEYMAX + 1]; /* what the entry is found by: the full
                         key, or (a second entry for a person) the key of
                         the last part, so "Kazemi" finds "Mustafa Kazemi" */
  char *alias;        /* the alias as written */
  uint32_t value, rule;
  int32_t priority;
  double threshold;   /* minimum similarity for this alias */
} entry;

struct tr_fuzzy {
  entry *v;           /* aliases, sorted by key after compile */
  size_t n, cap;
  size_t maxtok;      /* most tokens in an alias (spans are no longer) */
};

tr_fuzzy *tr_fuzzy_new(void) { return calloc(1, sizeof(tr_fuzzy)); }

void tr_fuzzy_free(tr_fuzzy *f) {
  if (!f) return;
  for (size_t i = 0; i < f->n; i++) free(f->v[i].alias);
  free(f->v);
  free(f);
}

size_t tr_fuzzy_count(const tr_fuzzy *f) { return f ? f->n : 0; }

static int push(tr_fuzzy *f, const entry *e) {
  if (f->n == f->cap) {
    size_t cap = f->cap ? f->cap * 2 : 64;
    entry *v = realloc(f->v, cap * sizeof *v);
    if (!v) return -1;
    f->v = v;
    f->cap = cap;
  }
  f->v[f->n] = *e;
  if (!(f->v[f->n].alias = strdup(e->alias))) return -1;
  f->n++;
  return 0;
}

int tr_fuzzy_add(tr_fuzzy *f, const char *alias, uint32_t value,
                 uint32_t rule, int32_t priority, double threshold,
                 int person) {
  entry e;
  memset(&e, 0, sizeof e);
  size_t len = strlen(alias);
  if (tr_name_parse(alias, len, 0, &e.name) == 0 || e.name.len == 0) return 0;
  e.alias = (char *)alias; /* copied by push */
  e.value = value;
  e.rule = rule;
  e.priority = priority;
  e.threshold = threshold > 0 && threshold <= 1 ? threshold : 0.9;
  /* Tokens of the alias bound the span length (words, not name parts:
  ** "Abdul Mahdi" is two tokens and one part). */
  size_t words = 1;
  for (const char *p = alias; *p; p++) words += *p == ' ';
  if (words + 1 > f->maxtok) f->maxtok = words + 1; /* room for a title */
  memcpy(e.ikey, e.name.key, sizeof e.ikey);
  if (push(f, &e)) return -1;
  /* A person is often named by the last part alone: index that too.
  ** Not organisations or places: "Forces" is not "Popular Mobilization
  ** Forces". */
  if (person && e.name.ntok > 1) {
    uint8_t last = (uint8_t)(e.name.ntok - 1);
    size_t n = e.name.tok_len[last];
    memcpy(e.ikey, e.name.key + e.name.tok_start[last], n);
    e.ikey[n] = '\0';
    if (n >= 4 && push(f, &e)) return -1;
  }
  return 0;
}

static int by_key(const void *a, const void *b) {
  const entry *x = a, *y = b;
  int c = strcmp(x->ikey, y->ikey);
  if (c) return c;
  return (x->value > y->value) - (x->value < y->value);
}

int tr_fuzzy_compile(tr_fuzzy *f) {
  if (f->n > 1) qsort(f->v, f->n, sizeof *f->v, by_key);
  if (f->maxtok > 6) f->maxtok = 6;
  return 0;
}

const char *tr_fuzzy_alias(const tr_fuzzy *f, uint32_t extra,
                           const char **key) {
  if (!f || extra >= f->n) return NULL;
  if (key) *key = f->v[extra].name.key;
  return f->v[extra].alias;
}

/* ---- candidates -------------------------------------------------------- */

/* Lower-case particles that may stand inside a name ("Qassem al Araji",
** "Ali bin Hussein"); never at its start or end. */
static int is_particle(const char *norm, size_t n) {
  static const char *const p[] = {"al", "el", "bin", "ibn", "bint", "abu",
                                  "abd", "ul", "ad", "as", "ash", "an", "ar",
                                  "at", "az", "ez", "of", "de", NULL};
  for (int i = 0; p[i]; i++)
    if (strlen(p[i]) == n && memcmp(p[i], norm, n) == 0) return 1;
  return 0;
}

/* A word that can be (part of) a name: capitalised or in capitals, or a
** hyphenated word starting with an article ("al-Kadhimi"). */
static int is_namey(const char *text, const tr_tokens *t, size_t i) {
  const tr_token *k = &t->v[i];
  if (k->kind != TR_WORD || k->len < 2) return 0;
  if (k->flags & (TR_F_TITLE | TR_F_UPPER)) return 1;
  unsigned char c = (unsigned char)text[k->start];
  if (c >= 'A' && c <= 'Z') return 1;
  if (k->flags & TR_F_HYPHENATED) {
    const char *norm = t->norm + k->norm;
    const char *dash = memchr(norm, '-', k->norm_len);
    return dash && is_particle(norm, (size_t)(dash - norm));
  }
  return 0;
}

static int is_particle_tok(const tr_tokens *t, size_t i) {
  const tr_token *k = &t->v[i];
  return k->kind == TR_WORD && !(k->flags & TR_F_HYPHENATED) &&
         is_particle(t->norm + k->norm, k->norm_len);
}

/* Does the text between tokens i and i+1 hold a line break? A name does
** not run on across lines ("Maya Carlin\n\nMaya Carlin"). */
static int broken(const char *text, const tr_tokens *t, size_t i) {
  uint64_t a = t->v[i].start + t->v[i].len, b = t->v[i + 1].start;
  return memchr(text + a, '\n', (size_t)(b - a)) != NULL;
}

/* Index of the first alias whose key starts with the 2-byte prefix of key. */
static size_t lower_bound(const tr_fuzzy *f, const char *key) {
  size_t lo = 0, hi = f->n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (strncmp(f->v[mid].ikey, key, 2) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* Is there a match with this span and value among sorted[0..n)? */
static int already(const tr_match *sorted, size_t n, uint64_t start,
                   uint64_t stop, uint32_t value) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (sorted[mid].start < start) lo = mid + 1;
    else hi = mid;
  }
  for (size_t i = lo; i < n && sorted[i].start == start; i++)
    if (sorted[i].stop == stop && sorted[i].value == value) return 1;
  return 0;
}

int tr_fuzzy_match(const tr_fuzzy *f, const char *text, const tr_tokens *toks,
                   tr_matches *out) {
  if (!f || f->n == 0) return 0;
  tr_matches_sort(out);
  size_t nexact = out->n;
  size_t n = toks->n;
  for (size_t r0 = 0; r0 < n;) {
    if (!is_namey(text, toks, r0)) {
      r0++;
      continue;
    }
    /* The run: name words, with particles between them. */
    size_t r1 = r0 + 1;
    while (r1 < n && !broken(text, toks, r1 - 1) &&
           (is_namey(text, toks, r1) ||
            (is_particle_tok(toks, r1) && r1 + 1 < n &&
             !broken(text, toks, r1) && is_namey(text, toks, r1 + 1))))
      r1++;
    /* Leftmost-longest inside the run: "Mustafa Al-Kazemi" is one
    ** mention, not that and "Al-Kazemi" besides. */
    for (size_t i = r0; i < r1;) {
      /* A span does not start with a stop word (a sentence's capitalised
      ** "The" is not part of "The Kazemi") or a lower-case particle, and
      ** does not end with a particle; "Al Kazemi" and "Abu Mahdi" start
      ** with capitalised ones. */
      size_t next = i + 1;
      int lower = (unsigned char)text[toks->v[i].start] >= 'a' &&
                  (unsigned char)text[toks->v[i].start] <= 'z';
      int particle = is_particle_tok(toks, i);
      const char *norm = toks->norm + toks->v[i].norm;
      size_t nl = toks->v[i].norm_len;
      /* English words among the particles ("As", "At", "Of") never start
      ** a name; the Arabic articles and kin words may. */
      int name_start = particle && !lower &&
                       ((nl == 2 && (!memcmp(norm, "al", 2) || !memcmp(norm, "el", 2))) ||
                        (nl == 3 && (!memcmp(norm, "abu", 3) || !memcmp(norm, "bin", 3) ||
                                     !memcmp(norm, "ibn", 3) || !memcmp(norm, "abd", 3))));
      if (particle ? name_start : !(toks->v[i].flags & TR_F_STOP)) {
        size_t jmax = r1 < i + f->maxtok ? r1 : i + f->maxtok;
        for (size_t j = jmax; j-- > i;) {
          if (is_particle_tok(toks, j) || (toks->v[j].flags & TR_F_STOP)) continue;
          uint64_t s = toks->v[i].start;
          uint64_t e = toks->v[j].start + toks->v[j].len;
          tr_name cand;
          if (tr_name_parse(text + s, (size_t)(e - s), 0, &cand) == 0 ||
              cand.len < 4)
            continue; /* "US", "MK": too short to link by sound */
          double best = 0;
          size_t bi = SIZE_MAX;
          for (size_t k = lower_bound(f, cand.key);
               k < f->n && strncmp(f->v[k].ikey, cand.key, 2) == 0; k++) {
            double sc = tr_name_similar(&cand, &f->v[k].name, TR_NP_SUFFIX, NULL);
            if (sc > best) {
              best = sc;
              bi = k;
            }
          }
          if (bi == SIZE_MAX || best < f->v[bi].threshold) continue;
          const entry *en = &f->v[bi];
          next = j + 1; /* matched: go on after it */
          if (already(out->v, nexact, s, e, en->value)) break;
          tr_match x = {s, e, (uint32_t)i, (uint32_t)(j - i + 1), en->rule,
                        en->value, en->priority - 1, (float)best, (uint32_t)bi};
          if (tr_matches_push(out, &x)) return -1;
          break;
        }
      }
      i = next;
    }
    r0 = r1;
  }
  return 0;
}

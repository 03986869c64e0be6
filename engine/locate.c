/*
** locate.c — where a corpus directory's store lives. The default is
** DIR/.trawl/store.db beside the documents; when DIR is not writable (a
** read-only share, a system directory) the store goes to the user's cache,
** named by a hash of DIR's real path so each corpus keeps its own.
*/
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "locate.h"
#include "store.h"

static char *dup_printf2(const char *a, const char *b) {
  size_t n = strlen(a) + strlen(b) + 1;
  char *s = malloc(n);
  if (s) snprintf(s, n, "%s%s", a, b);
  return s;
}

/* mkdir -p for the cache path; errors surface when the store opens. */
static void make_dirs(const char *path) {
  char buf[PATH_MAX];
  size_t n = strlen(path);
  if (n >= sizeof buf) return;
  memcpy(buf, path, n + 1);
  for (char *p = buf + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    mkdir(buf, 0777);
    *p = '/';
  }
  mkdir(buf, 0777);
}

char *tr_store_cache_path(const char *corpus_dir) {
  char real[PATH_MAX];
  if (realpath(corpus_dir, real) == NULL) return NULL;
  const char *xdg = getenv("XDG_CACHE_HOME");
  const char *home = getenv("HOME");
  char base[PATH_MAX];
  if (xdg && *xdg)
    snprintf(base, sizeof base, "%s/trawl/stores", xdg);
  else if (home && *home)
    snprintf(base, sizeof base, "%s/.cache/trawl/stores", home);
  else
    return NULL;
  make_dirs(base);
  char name[64];
  snprintf(name, sizeof name, "/%016llx.db",
           (unsigned long long)XXH3_64bits(real, strlen(real)));
  return dup_printf2(base, name);
}

char *tr_store_for_dir(const char *corpus_dir, int *in_cache) {
  char trawl_dir[PATH_MAX];
  snprintf(trawl_dir, sizeof trawl_dir, "%s/.trawl", corpus_dir);
  struct stat st;
  int usable = stat(trawl_dir, &st) == 0 ? access(trawl_dir, W_OK) == 0
                                         : access(corpus_dir, W_OK) == 0;
  if (in_cache) *in_cache = !usable;
  if (usable) return tr_store_default_path(corpus_dir);
  return tr_store_cache_path(corpus_dir);
}

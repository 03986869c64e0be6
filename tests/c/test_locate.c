/*
** test_locate.c — where a corpus directory's store lives (engine/locate.c).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "locate.h"

static char base[64];

static int setup(void **state) {
  (void)state;
  strcpy(base, "/tmp/trawl-locate-XXXXXX");
  return mkdtemp(base) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
  return system(cmd) == 0 ? 0 : -1;
}

static void test_default_is_beside_the_documents(void **state) {
  (void)state;
  int in_cache = -1;
  char *p = tr_store_for_dir(base, &in_cache);
  assert_non_null(p);
  assert_int_equal(in_cache, 0);
  char want[128];
  snprintf(want, sizeof want, "%s/.trawl/store.db", base);
  assert_string_equal(p, want);
  free(p);
}

static void test_cache_path_is_per_directory(void **state) {
  (void)state;
  char cache[96], a[96], b[96];
  snprintf(cache, sizeof cache, "%s/cache", base);
  snprintf(a, sizeof a, "%s/a", base);
  snprintf(b, sizeof b, "%s/b", base);
  mkdir(a, 0777);
  mkdir(b, 0777);
  setenv("XDG_CACHE_HOME", cache, 1);
  char *pa = tr_store_cache_path(a), *pa2 = tr_store_cache_path(a);
  char *pb = tr_store_cache_path(b);
  assert_non_null(pa);
  assert_non_null(pb);
  assert_string_equal(pa, pa2);
  assert_string_not_equal(pa, pb);
  assert_memory_equal(pa, cache, strlen(cache));
  assert_non_null(strstr(pa, "/trawl/stores/"));
  /* The directories were made, so a store can be created there. */
  char dir[160];
  snprintf(dir, sizeof dir, "%s/trawl/stores", cache);
  struct stat st;
  assert_int_equal(stat(dir, &st), 0);
  assert_null(tr_store_cache_path("/no/such/dir/anywhere"));
  free(pa);
  free(pa2);
  free(pb);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_default_is_beside_the_documents),
    cmocka_unit_test(test_cache_path_is_per_directory),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

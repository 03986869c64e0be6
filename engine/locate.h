/*
** locate.h — choosing the store file for a corpus directory.
*/
#ifndef TRAWL_LOCATE_H
#define TRAWL_LOCATE_H

/* The store file for a corpus directory: DIR/.trawl/store.db when DIR (or
** DIR/.trawl) is writable, else tr_store_cache_path(DIR). *in_cache (if
** not NULL) tells which. Returns a malloc'ed path, or NULL when neither can
** be had. */
char *tr_store_for_dir(const char *corpus_dir, int *in_cache);

/* $XDG_CACHE_HOME/trawl/stores/<hash of DIR's real path>.db (or
** ~/.cache/...), creating the directories. malloc'ed, or NULL. */
char *tr_store_cache_path(const char *corpus_dir);

#endif

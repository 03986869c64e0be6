/*
** lineedit.c — the terminal side of the REPL: libedit's line editor with a
** history file, Tab completion through a callback, and the signals a
** prompt has to handle itself.
**
** libedit can install signal handlers of its own (EL_SIGNAL), but they
** re-send the signal to the whole process group and leave the terminal in
** cooked mode mid-line; we want Ctrl-C to drop the line and Ctrl-Z to
** suspend and come back cleanly. So the key reader is ours (EL_GETCFN): it
** waits with pselect, with our signals blocked everywhere else, so a signal
** is never lost between checking the flags and blocking in read.
*/
#include <errno.h>
#include <histedit.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <unistd.h>
#include <wchar.h>

#include "lineedit.h"

enum {
  HISTORY_SIZE = 1000,  /* entries kept in memory and in the file */
  LIST_MAX = 200        /* completions listed at most */
};

struct tr_edit {
  EditLine *el;
  History *hist;
  FILE *out;
  int fd;               /* the terminal we read keys from */
  char *histfile;       /* NULL: history is not saved */
  int hist_warned;      /* a failed save was reported once already */
  const char *prompt;
  tr_complete_fn complete;
  void *ud;
  sigset_t wait_mask;   /* signal mask while waiting for a key */
  int interrupted;      /* Ctrl-C ended the last read */
};

void tr_completions_free(tr_completions *c) {
  for (size_t i = 0; i < c->n; i++) free(c->v[i]);
  free(c->v);
  c->v = NULL;
  c->n = 0;
}

/* ------------------------------------------------------------------ */
/* Signals at the prompt                                               */
/* ------------------------------------------------------------------ */

static volatile sig_atomic_t got_int, got_tstp, got_cont, got_winch;

static void on_signal(int sig) {
  if (sig == SIGINT) got_int = 1;
  else if (sig == SIGTSTP) got_tstp = 1;
  else if (sig == SIGCONT) got_cont = 1;
  else if (sig == SIGWINCH) got_winch = 1;
}

static const int prompt_signals[] = {SIGINT, SIGTSTP, SIGCONT, SIGWINCH};
#define NPROMPT_SIGNALS (sizeof prompt_signals / sizeof *prompt_signals)

static void catch_signal(int sig, struct sigaction *old) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0; /* no SA_RESTART: the wait must end on a signal */
  sigaction(sig, &sa, old);
}

/* Ctrl-Z: give the shell a sane terminal and stop. The SIGCONT that
** resumes us is caught by the key reader, which takes the terminal back. */
static void suspend(tr_edit *e) {
  sigset_t s;
  el_set(e->el, EL_PREP_TERM, 0);
  signal(SIGTSTP, SIG_DFL);
  sigemptyset(&s);
  sigaddset(&s, SIGTSTP);
  raise(SIGTSTP);                       /* pending: SIGTSTP is blocked */
  sigprocmask(SIG_UNBLOCK, &s, NULL);   /* stops here */
  sigprocmask(SIG_BLOCK, &s, NULL);
  catch_signal(SIGTSTP, NULL);
}

/* The key reader: one character (UTF-8 decoded), 0 at end of input, -1
** with errno EINTR when Ctrl-C was pressed. */
static int edit_getc(EditLine *el, wchar_t *wc) {
  tr_edit *e = NULL;
  char buf[MB_LEN_MAX];
  size_t n = 0;
  el_get(el, EL_CLIENTDATA, &e);
  for (;;) {
    if (got_int) {
      got_int = 0;
      e->interrupted = 1;
      errno = EINTR;
      return -1;
    }
    if (got_tstp) {
      got_tstp = 0;
      suspend(e);
      continue;
    }
    if (got_cont) { /* back from a stop: raw mode again, redraw the line */
      got_cont = 0;
      el_set(el, EL_PREP_TERM, 0);
      el_set(el, EL_PREP_TERM, 1);
      fputc('\r', e->out);
      el_set(el, EL_REFRESH);
      continue;
    }
    if (got_winch) {
      got_winch = 0;
      el_resize(el);
      continue;
    }
    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(e->fd, &rd);
    if (pselect(e->fd + 1, &rd, NULL, NULL, NULL, &e->wait_mask) < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    /* pselect reports waiting input before a pending signal; let the
    ** signal in first, so Ctrl-C drops what was typed before it. */
    sigset_t pending, blocked;
    if (sigpending(&pending) == 0 && sigismember(&pending, SIGINT) == 1) {
      sigprocmask(SIG_SETMASK, &e->wait_mask, &blocked);
      sigprocmask(SIG_SETMASK, &blocked, NULL);
      continue;
    }
    ssize_t r = read(e->fd, buf + n, 1);
    if (r < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return -1;
    }
    if (r == 0) return 0;
    n++;
    mbstate_t mbs;
    memset(&mbs, 0, sizeof mbs);
    size_t m = mbrtowc(wc, buf, n, &mbs);
    if (m == (size_t)-2 && n < sizeof buf) continue; /* more bytes to come */
    if (m == (size_t)-1 || m == (size_t)-2) {        /* not UTF-8: drop */
      n = 0;
      continue;
    }
    return 1;
  }
}

/* ------------------------------------------------------------------ */
/* Completion                                                          */
/* ------------------------------------------------------------------ */

static int term_width(FILE *f) {
  struct winsize ws;
  if (ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

/* Columns taken by s: code points (names are rarely wide). */
static size_t ncols(const char *s) {
  size_t w = 0;
  for (; *s; s++) w += ((unsigned char)*s & 0xC0) != 0x80;
  return w;
}

/* What a listing shows of a candidate: file names without their
** directory. */
static const char *shown(const tr_completions *c, size_t i) {
  const char *s = c->v[i];
  if (!c->paths) return s;
  size_t n = strlen(s);
  if (n > 1 && s[n - 1] == '/') n--;
  while (n > 0 && s[n - 1] != '/') n--;
  return s + n;
}

/* List the candidates in columns below the line, as ls does. */
static void list_candidates(tr_edit *e, const tr_completions *c) {
  size_t count = c->n < LIST_MAX ? c->n : LIST_MAX, w = 1;
  for (size_t i = 0; i < count; i++) {
    size_t k = ncols(shown(c, i));
    if (k > w) w = k;
  }
  size_t cols = (size_t)term_width(e->out) / (w + 2);
  if (cols == 0) cols = 1;
  size_t rows = (count + cols - 1) / cols;
  fputc('\n', e->out);
  for (size_t r = 0; r < rows; r++) {
    for (size_t k = 0; k < cols; k++) {
      size_t i = k * rows + r;
      if (i >= count) break;
      const char *s = shown(c, i);
      int last = k + 1 == cols || i + rows >= count;
      fprintf(e->out, "%s%*s", s, last ? 0 : (int)(w + 2 - ncols(s)), "");
    }
    fputc('\n', e->out);
  }
  if (c->n > count) fprintf(e->out, "… %zu more\n", c->n - count);
}

/* Bound to Tab: insert what all candidates share; when that adds nothing,
** list them. */
static unsigned char edit_complete(EditLine *el, int ch) {
  tr_edit *e = NULL;
  (void)ch;
  el_get(el, EL_CLIENTDATA, &e);
  const LineInfo *li = el_line(el);
  size_t len = (size_t)(li->lastchar - li->buffer);
  size_t cursor = (size_t)(li->cursor - li->buffer);
  char *line = malloc(len + 1);
  if (line == NULL) return CC_ERROR;
  memcpy(line, li->buffer, len);
  line[len] = '\0';
  tr_completions c = {NULL, 0, 0, 0};
  e->complete(e->ud, line, cursor, &c);
  free(line);
  if (c.n == 0 || c.start > cursor) {
    tr_completions_free(&c);
    return CC_REFRESH_BEEP;
  }
  size_t have = cursor - c.start, common = strlen(c.v[0]);
  for (size_t i = 1; i < c.n; i++) {
    size_t k = 0;
    while (k < common && c.v[i][k] == c.v[0][k]) k++;
    common = k;
  }
  /* never stop inside a UTF-8 sequence */
  while (common > have && ((unsigned char)c.v[0][common] & 0xC0) == 0x80) common--;
  unsigned char rc = CC_REFRESH;
  if (common > have) {
    char save = c.v[0][common];
    c.v[0][common] = '\0';
    if (el_insertstr(el, c.v[0] + have) != 0) rc = CC_ERROR;
    c.v[0][common] = save;
  } else if (c.n > 1) {
    list_candidates(e, &c);
    rc = CC_REDISPLAY;
  }
  tr_completions_free(&c);
  return rc;
}

/* ------------------------------------------------------------------ */
/* Opening, reading, history                                           */
/* ------------------------------------------------------------------ */

static char *prompt_fn(EditLine *el) {
  tr_edit *e = NULL;
  el_get(el, EL_CLIENTDATA, &e);
  return (char *)(e && e->prompt ? e->prompt : "> ");
}

tr_edit *tr_edit_open(FILE *in, FILE *out, const char *histfile,
                      tr_complete_fn complete, void *ud) {
  tr_edit *e = calloc(1, sizeof *e);
  if (e == NULL) return NULL;
  e->el = el_init("trawl", in, out, stderr);
  e->hist = history_init();
  if (e->el == NULL || e->hist == NULL) {
    tr_edit_close(e);
    return NULL;
  }
  e->out = out;
  e->fd = fileno(in);
  e->complete = complete;
  e->ud = ud;
  HistEvent ev;
  history(e->hist, &ev, H_SETSIZE, HISTORY_SIZE);
  history(e->hist, &ev, H_SETUNIQUE, 1);
  if (histfile) {
    e->histfile = strdup(histfile);
    history(e->hist, &ev, H_LOAD, histfile); /* a missing file is fine */
  }
  el_set(e->el, EL_CLIENTDATA, e);
  el_set(e->el, EL_EDITOR, "emacs");
  el_set(e->el, EL_PROMPT, prompt_fn);
  el_set(e->el, EL_HIST, history, e->hist);
  el_set(e->el, EL_GETCFN, edit_getc);
  /* el_set would copy these names to wide strings and never free them */
  el_wset(e->el, EL_ADDFN, L"trawl-complete",
          L"complete a name, field, method or file name", edit_complete);
  el_set(e->el, EL_BIND, "^I", "trawl-complete", NULL);
  el_source(e->el, NULL); /* ~/.editrc may rebind keys */
  return e;
}

void tr_edit_close(tr_edit *e) {
  if (e == NULL) return;
  if (e->el) el_end(e->el);
  if (e->hist) history_end(e->hist);
  free(e->histfile);
  free(e);
}

char *tr_edit_read(tr_edit *e, const char *prompt, int *status) {
  struct sigaction old[NPROMPT_SIGNALS];
  sigset_t block, saved;
  sigemptyset(&block);
  for (size_t i = 0; i < NPROMPT_SIGNALS; i++) sigaddset(&block, prompt_signals[i]);
  sigprocmask(SIG_BLOCK, &block, &saved);
  e->wait_mask = saved;
  for (size_t i = 0; i < NPROMPT_SIGNALS; i++) {
    sigdelset(&e->wait_mask, prompt_signals[i]);
    catch_signal(prompt_signals[i], &old[i]);
  }
  got_int = got_tstp = got_cont = got_winch = 0;
  e->prompt = prompt;
  e->interrupted = 0;

  int n = 0;
  const char *s = el_gets(e->el, &n);

  for (size_t i = 0; i < NPROMPT_SIGNALS; i++)
    sigaction(prompt_signals[i], &old[i], NULL);
  sigprocmask(SIG_SETMASK, &saved, NULL);

  if (s == NULL || n <= 0) {
    *status = e->interrupted ? TR_EDIT_INTERRUPT : TR_EDIT_EOF;
    /* leave the abandoned line (or, at the end, the shell's prompt) on a
    ** line of its own */
    fputs(e->interrupted ? "^C\n" : "\n", e->out);
    fflush(e->out);
    return NULL;
  }
  size_t len = (size_t)n;
  while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r')) len--;
  char *line = malloc(len + 1);
  if (line == NULL) {
    *status = TR_EDIT_EOF;
    return NULL;
  }
  memcpy(line, s, len);
  line[len] = '\0';
  *status = TR_EDIT_LINE;
  return line;
}

void tr_edit_remember(tr_edit *e, const char *entry) {
  HistEvent ev;
  if (entry[strspn(entry, " \t\n")] == '\0') return;
  history(e->hist, &ev, H_ENTER, entry);
  if (e->histfile && history(e->hist, &ev, H_SAVE, e->histfile) < 0 &&
      !e->hist_warned) {
    fprintf(stderr, "trawl: cannot save the history to %s\n", e->histfile);
    e->hist_warned = 1;
  }
}

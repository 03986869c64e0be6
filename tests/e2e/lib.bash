# Helpers for the end-to-end tests: sourced, not run.
# TRAWL is the binary under test; TRAWL_TEST_TMP a scratch directory.
set -u
: "${TRAWL:?set TRAWL to the trawl binary}"
TMP=$(mktemp -d "${TRAWL_TEST_TMP:-/tmp}/e2e.XXXXXX" 2>/dev/null || mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PASS=0
FAIL=0

ok() { PASS=$((PASS + 1)); echo "ok - $1"; }
not_ok() { FAIL=$((FAIL + 1)); echo "not ok - $1"; [ -n "${2-}" ] && printf '  %s\n' "$2"; }

# run CMD...: sets OUT, ERR, RC
run() {
  "$@" >"$TMP/out" 2>"$TMP/err"
  RC=$?
  OUT=$(cat "$TMP/out")
  ERR=$(cat "$TMP/err")
}

expect_rc() { # name expected
  if [ "$RC" -eq "$2" ]; then ok "$1 (exit $2)"; else not_ok "$1: exit $RC, expected $2" "$ERR"; fi
}

expect_out() { # name pattern (grep -E on stdout)
  if grep -Eq -- "$2" <<<"$OUT"; then ok "$1"; else not_ok "$1: stdout lacks /$2/" "$OUT"; fi
}

expect_err() { # name pattern (grep -E on stderr)
  if grep -Eq -- "$2" <<<"$ERR"; then ok "$1"; else not_ok "$1: stderr lacks /$2/" "$ERR"; fi
}

finish() {
  echo "$PASS passed, $FAIL failed"
  [ "$FAIL" -eq 0 ]
}

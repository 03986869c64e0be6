# End-to-end tests of trawl ingest: incremental, transactional, killable.
. "$(dirname "$0")/lib.bash"

C="$TMP/c"
mkdir -p "$C"
for i in 1 2 3; do printf 'Document %s about Baghdad.\n' "$i" >"$C/d$i.txt"; done

run "$TRAWL" ingest "$C"
expect_rc "first ingest" 0
expect_out "first ingest counts" "3 documents \(3 added, 0 updated, 0 unchanged, 0 removed\)"
[ -f "$C/.trawl/store.db" ] && ok "default store location" || not_ok "default store location"

run "$TRAWL" ingest "$C"
expect_out "re-ingest skips unchanged" "\(0 added, 0 updated, 3 unchanged, 0 removed\)"

printf 'Document 2, changed.\n' >"$C/d2.txt"
rm "$C/d3.txt"
printf 'Document 4.\n' >"$C/d4.txt"
run "$TRAWL" ingest "$C"
expect_out "incremental counts" "\(1 added, 1 updated, 1 unchanged, 1 removed\)"

# The store alone is a corpus.
run "$TRAWL" run -e 'for d in trawl.corpus():docs() do print(d.id, d.text) end' "$C/.trawl/store.db"
expect_out "store opens as a corpus" "^d2	Document 2, changed\."

# An interrupted ingest leaves the previous state: die after 1 write.
printf 'Document 1, changed again.\n' >"$C/d1.txt"
printf 'Document 5.\n' >"$C/d5.txt"
run env TRAWL_FAULT_ABORT_AFTER=1 "$TRAWL" ingest "$C"
[ "$RC" -ne 0 ] && ok "faulted ingest dies ($RC)" || not_ok "faulted ingest dies"
run "$TRAWL" run -e 'for d in trawl.corpus():docs() do print(d.id, d.text) end' "$C/.trawl/store.db"
expect_out "old text survives the kill" "^d1	Document 1 about Baghdad\.$"
if grep -q "^d5" <<<"$OUT"; then not_ok "no half-written document"; else ok "no half-written document"; fi
run sqlite3 "$C/.trawl/store.db" "PRAGMA integrity_check"
[ "$OUT" = "ok" ] && ok "integrity after kill" || not_ok "integrity after kill" "$OUT"
run "$TRAWL" ingest "$C"
expect_out "ingest after kill completes" "\(1 added, 1 updated, 2 unchanged, 0 removed\)"

# A real SIGKILL in the middle of a large ingest: the store stays usable
# and holds either the old or the new state, never a mix.
B="$TMP/big"
mkdir -p "$B"
OLD=$(printf 'x%.0s' $(seq 1 3000))
NEW=$(printf 'y%.0s' $(seq 1 3000))
for i in $(seq 1 4000); do printf 'Old document %s. %s\n' "$i" "$OLD" >"$B/d$i.txt"; done
"$TRAWL" ingest -q "$B" >/dev/null
for i in $(seq 1 4000); do printf 'New document %s. %s\n' "$i" "$NEW" >"$B/d$i.txt"; done
"$TRAWL" ingest -q "$B" >/dev/null &
pid=$!
sleep 0.3
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
run sqlite3 "$B/.trawl/store.db" "PRAGMA integrity_check; SELECT count(*) FROM documents; SELECT count(DISTINCT substr(text,1,3)) FROM documents;"
[ "$(sed -n 1p <<<"$OUT")" = "ok" ] && ok "integrity after SIGKILL" || not_ok "integrity after SIGKILL" "$OUT"
[ "$(sed -n 2p <<<"$OUT")" = "4000" ] && ok "all documents after SIGKILL" || not_ok "all documents after SIGKILL" "$OUT"
[ "$(sed -n 3p <<<"$OUT")" = "1" ] && ok "old or new, never a mix" || not_ok "old or new, never a mix" "$OUT"

# Files need --db.
run "$TRAWL" ingest "$C/d1.txt"
expect_rc "file without --db" 2
run "$TRAWL" ingest "$C/d1.txt" --db "$TMP/one.db"
expect_rc "file with --db" 0
run "$TRAWL" ingest "$TMP/nothing-here"
expect_rc "missing corpus is a data error" 3

finish

# End-to-end tests of the trawl command line: output, exit codes, messages.
. "$(dirname "$0")/lib.bash"

run "$TRAWL" help
expect_rc "help" 0
expect_out "help lists run" "run \[OPTIONS\] SCRIPT"

run "$TRAWL" frobnicate
expect_rc "unknown command is a usage error" 2
expect_err "unknown command named" "unknown command 'frobnicate'"

run "$TRAWL" run
expect_rc "run without script" 2

run "$TRAWL" run "$TMP/missing.lua"
expect_rc "missing script file" 2
expect_err "missing script named" "missing.lua"

run "$TRAWL" version
expect_out "version" "^trawl [0-9]+\.[0-9]+\.[0-9]+"

# The "done means" script: id, title, date, tokens, sentences per document.
cat >"$TMP/docs.lua" <<'LUA'
for d in trawl.corpus():docs() do
  print(d.id, d.title, d.date or "-", d:ntokens(), d:nsentences())
end
LUA
run "$TRAWL" run "$TMP/docs.lua" corpus/
expect_rc "per-document script" 0
[ "$(wc -l <<<"$OUT")" -eq 5 ] && ok "five documents" || not_ok "five documents" "$OUT"
expect_out "dated document" "^002_fc6652fa48584f3a	.*	2020-07-22	[0-9]+	[0-9]+$"

# arg and ... work as in the lua interpreter.
run "$TRAWL" run -e 'print(arg[0], arg[1], arg[2], select("#", ...))' corpus/ x
expect_out "arg from -e" "^-e	corpus/	x	2$"
run "$TRAWL" run -e 'print(arg[1], pcall(trawl.corpus))' -- corpus/
expect_out "-- stops corpus detection" "^corpus/	false	.*no corpus was given"

# A script error: exit 1 and a traceback with file:line.
printf 'local x = 1\nerror("boom")\n' >"$TMP/err.lua"
run "$TRAWL" run "$TMP/err.lua"
expect_rc "script error" 1
expect_err "error names file and line" "err.lua:2: boom"
expect_err "traceback" "stack traceback"

printf 'x = = 1\n' >"$TMP/syntax.lua"
run "$TRAWL" run "$TMP/syntax.lua"
expect_rc "syntax error" 1
expect_err "syntax error located" "syntax.lua:1:"

# A script that loops forever is stopped by --timeout.
run timeout 20 "$TRAWL" run --timeout 0.5 -e 'while true do end'
expect_rc "timeout" 1
expect_err "timeout message" "time limit"

# pcall cannot swallow the stop.
run timeout 20 "$TRAWL" run --timeout 0.5 -e 'while true do pcall(function() while true do end end) end'
expect_rc "timeout through pcall" 1

# Ctrl-C stops the script (exit 130), even inside pcall.
"$TRAWL" run -e 'while true do pcall(function() while true do end end) end' 2>"$TMP/int.err" &
pid=$!
sleep 0.5
kill -INT "$pid"
wait "$pid"
RC=$?
ERR=$(cat "$TMP/int.err")
expect_rc "SIGINT" 130
expect_err "SIGINT message" "interrupted"

run "$TRAWL" run --timeout nope -e 'x=1'
expect_rc "bad timeout" 2

# Bad input: a directory with invalid UTF-8, binary, empty and good files.
mkdir -p "$TMP/bad"
printf 'Good text here.\n' >"$TMP/bad/good.txt"
printf 'Bad \xff\xfe byte.\n' >"$TMP/bad/broken.txt"
printf 'bin\0ary' >"$TMP/bad/binary.txt"
: >"$TMP/bad/empty.txt"
run "$TRAWL" run -e 'for d in trawl.corpus():docs() do print(d.id) end' "$TMP/bad"
expect_rc "bad files do not stop the run" 0
expect_out "good file loads" "^good$"
expect_out "repaired file loads" "^broken$"
expect_err "invalid UTF-8 named with offset" "broken.txt.*invalid UTF-8.*byte 4"
expect_err "binary file named" "binary.txt.*(binary|NUL)"
expect_err "empty file named" "empty.txt.*empty"
run "$TRAWL" run --bad-utf8=skip -e 'for d in trawl.corpus():docs() do print(d.id) end' "$TMP/bad"
[ "$OUT" = "good" ] && ok "skip mode drops the bad file" || not_ok "skip mode" "$OUT"
run "$TRAWL" run -q -e 'print(#trawl.corpus())' "$TMP/bad"
[ -z "$ERR" ] && ok "-q silences warnings" || not_ok "-q silences warnings" "$ERR"

# JSON Lines on stdin, a malformed line named by number.
printf '{"id":"a","text":"Alpha."}\n{oops\n{"id":"b","text":"Beta."}\n' >"$TMP/in.jsonl"
run "$TRAWL" run -e 'for d in trawl.corpus():docs() do print(d.id, d.text) end' - <"$TMP/in.jsonl"
expect_rc "stdin jsonl" 0
expect_out "stdin doc b" "^b	Beta\.$"
expect_err "malformed line named" ":2:"

# A corrupt store is a data error.
printf 'SQLite format 3\0garbage garbage garbage garbage' >"$TMP/corrupt.db"
run "$TRAWL" run -e 'print(1)' "$TMP/corrupt.db"
expect_rc "corrupt store is a data error" 3
expect_err "corrupt store named" "corrupt.db"

# The main job.
run "$TRAWL" run scripts/reports/overview.lua corpus/ --no-html
expect_rc "overview" 0
expect_out "overview row" "^004 .*2020-12-27"
run "$TRAWL" run scripts/reports/overview.lua corpus/ --bogus
expect_rc "overview bad option" 2

finish

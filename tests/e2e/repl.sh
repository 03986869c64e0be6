# End-to-end tests of `trawl repl`: replayed sessions (piped stdin: exact
# output, exit status) and, through a terminal made by tmux, what a person
# sees: completion, multi-line input, Ctrl-C, history, colour.
. "$(dirname "$0")/lib.bash"

# A private copy of the sample corpus (its store included), so that other
# tests writing corpus/.trawl at the same time do not matter; the REPL
# runs in $TMP, where "corpus/" is that copy.
TRAWL=$(realpath "$TRAWL")
ROOT=$(pwd)
cp -r corpus "$TMP/corpus" && rm -rf "$TMP/corpus/.trawl"
cd "$TMP" || exit 1

# ------------------------------------------------------------------
# Command line
# ------------------------------------------------------------------

run "$TRAWL" repl --bogus </dev/null
expect_rc "unknown option" 2
run "$TRAWL" repl - </dev/null
expect_rc "corpus on stdin refused" 2
expect_err "why stdin is refused" "reads statements from stdin"
run "$TRAWL" repl "$TMP/missing" </dev/null
expect_rc "missing corpus is a data error" 3
expect_err "missing corpus named" "missing"
run "$TRAWL" repl corpus/ a b </dev/null
expect_rc "one corpus only" 2

# ------------------------------------------------------------------
# Replayed sessions
# ------------------------------------------------------------------

cat >"$TMP/session.lua" <<'LUA'
x = 1 + 1
= x
x * 3
function f(a)
  return a * 3
end
= f(x)
error("boom")
= "after"
= {{id = 1, name = "a"}, {id = 22, name = "bb"}}
LUA
run "$TRAWL" repl corpus/ <"$TMP/session.lua"
expected='2
6
6
after
#  id  name
-  --  ----
1   1  a
2  22  bb'
[ "$OUT" = "$expected" ] && ok "piped session: exact stdout" \
  || not_ok "piped session: exact stdout" "$(diff <(echo "$expected") <(echo "$OUT"))"
expect_rc "a failed statement makes the exit status 1" 1
expect_err "error reported with its line" "^trawl: stdin:1: boom$"
[ "$(wc -l <<<"$ERR")" -eq 1 ] && ok "no traceback for an error at the prompt" \
  || not_ok "no traceback for an error at the prompt" "$ERR"

run "$TRAWL" repl corpus/ < <(printf 'y = 5\n= y + 1\n')
[ "$OUT" = "6" ] && [ -z "$ERR" ] && ok "no prompt, banner or echo when piped" \
  || not_ok "no prompt, banner or echo when piped" "$OUT$ERR"
expect_rc "a clean session exits 0" 0

run "$TRAWL" repl corpus/ < <(printf 'function g() error("deep") end\ng()\n')
expect_err "traceback when the error is deeper" "in function 'g'"

run "$TRAWL" repl < <(printf 'x = = 1\n= 7\nfor i = 1, 2 do\n')
expect_out "statements after a syntax error run" "^7$"
expect_err "syntax error reported" "stdin:1: unexpected symbol near '='"
expect_err "unfinished statement at the end reported" "'end' expected.*<eof>"
expect_rc "syntax errors fail the session" 1

# The corpus, as a global and through trawl.corpus().
run "$TRAWL" repl corpus/ < <(printf '= #corpus, trawl.corpus() == corpus\n= corpus\n')
expect_out "corpus global" "^5	true$"
expect_out "corpus shown with its documents" "^trawl.Corpus corpus/ \(5 documents\)$"
expect_out "document rows" "^5  004_bded5637d4401b88  2020-12-27 "

# What is shown: truncation, nesting, tokens in context.
cat >"$TMP/show.lua" <<'LUA'
rows = {} for i = 1, 50 do rows[i] = {id = i, name = "n" .. i} end
= rows
= {a = {b = {c = {d = 1}}}}
= string.rep("x", 5000)
d = trawl.newdoc{text = "alpha bravo charlie delta echo foxtrot golf hotel india juliett kilo lima mike november oscar papa quebec"}
= d:token(10)
require("trawl.repl").options.rows = 2
= rows
LUA
run "$TRAWL" repl < "$TMP/show.lua"
expect_out "rows as an aligned table" "^ #  id  name$"
expect_out "twenty rows shown" "^20  20  n20$"
expect_out "rows left out are counted" "^… 30 more rows$"
expect_out "nesting cut at depth 3" "^\{a = \{b = \{c = \{…\}\}\}\}$"
expect_out "long string cut with a count" "^… 3000 more bytes$"
expect_out "token shown" '^trawl.Token "juliett" \(word, 57-63\) in doc$'
expect_out "token in context" "^  …echo foxtrot golf hotel india \[juliett\] kilo lima mike november oscar…$"
expect_out "options change what is shown" "^… 48 more rows$"
grep -q $'\033' <<<"$OUT" && not_ok "no colour when piped" || ok "no colour when piped"

# Commands.
printf 'return 40 + 2\n' >"$TMP/answer.lua"
cat >"$TMP/commands.lua" <<LUA
:help
:help search
:load $TMP/answer.lua
:time 6 * 7
z = 1
:reload
= z, #corpus
:rules x
:frob
:r
:q
= "not reached"
LUA
run "$TRAWL" repl corpus/ <"$TMP/commands.lua"
expect_out ":help lists commands" "^  :load FILE "
expect_out ":help lists documents" "lua-api"
expect_out ":help search shows the section" "^### c:search\(query"
expect_out ":load runs a file" "^42$"
expect_out ":time shows the time" "^time: [0-9.]+ (ms|s)$"
expect_out ":reload forgets globals, reopens the corpus" "^nil	5$"
expect_err "a missing rule file is named" "x: cannot read rule file"
expect_err "unknown command" "unknown command ':frob'"
expect_err "ambiguous command" "ambiguous command ':r'"
grep -q "not reached" <<<"$OUT" && not_ok ":q stops the session" || ok ":q stops the session"

run "$TRAWL" repl < <(printf ':help zzyzx\n')
expect_err "unknown help topic" "no help about 'zzyzx'"

mkdir "$TMP/mydocs"
printf '# Notes\n\n## Widgets\n\nAll about widgets.\n\n## Other\n' >"$TMP/mydocs/notes.md"
TRAWL_DOCS="$TMP/mydocs" run "$TRAWL" repl < <(printf ':help\n:help widgets\n')
expect_out "TRAWL_DOCS names the documents" "^  notes$"
[ "$(tail -3 <<<"$OUT")" = $'## Widgets\n\nAll about widgets.' ] && ok ":help prints one section" \
  || not_ok ":help prints one section" "$OUT"

# Ctrl-C (SIGINT) stops a replay with status 130.
mkfifo "$TMP/fifo"
"$TRAWL" repl >"$TMP/int.out" 2>"$TMP/int.err" <"$TMP/fifo" &
pid=$!
exec 3>"$TMP/fifo"
echo 'print("spinning") io.stdout:flush() while true do end' >&3
for _ in $(seq 200); do grep -q spinning "$TMP/int.out" && break; sleep 0.05; done
kill -INT "$pid"
wait "$pid"
RC=$?
exec 3>&-
ERR=$(cat "$TMP/int.err")
expect_rc "SIGINT stops a replay" 130
expect_err "SIGINT message" "interrupted"

# Rule files: --rules applies them at start, :rules adds one; piped.
mkdir -p "$TMP/rc"
printf 'Kataib Hezbollah and Al-Kazemi met.\n' >"$TMP/rc/a.txt"
printf 'corpus:entity("kadhimi"):count()\n#rulesets\n:rules %s\n#rulesets\n:rules no/such.lua\n#rulesets\n' "$ROOT/tests/fixtures/rules/callbacks.lua" >"$TMP/rules.lua"
run "$TRAWL" repl "$TMP/rc" --rules $ROOT/tests/fixtures/rules/mini.lua <"$TMP/rules.lua"
[ "$OUT" = "$(printf '1\n1\n2\n2')" ] && ok "repl --rules and :rules" || not_ok "repl --rules and :rules" "$OUT"
expect_err ":rules names a bad file" "no/such.lua"
expect_rc "a failed :rules fails the piped session" 1
run "$TRAWL" repl "$TMP/rc" --rules
expect_rc "--rules without a file" 2

# ------------------------------------------------------------------
# At a terminal (tmux)
# ------------------------------------------------------------------

if ! command -v tmux >/dev/null; then
  echo "ok - # SKIP terminal tests: tmux is not installed"
  finish
  exit
fi

SOCK="$TMP/tmux.sock"
printf 'set -g remain-on-exit on\nset -g history-limit 5000\n' >"$TMP/tmux.conf"
tm() { tmux -S "$SOCK" -f "$TMP/tmux.conf" "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$TMP"' EXIT

# start NAME [VAR=VALUE...]: a session running the REPL on the sample
# corpus, its exit status printed when it ends ("[exit N]").
start() {
  local name=$1
  shift
  tm new-session -d -s "$name" -x 100 -y 40 -c "$TMP" \
    env TERM=screen HOME="$TMP" TRAWL_HISTORY="$TMP/history" "$@" \
    sh -c 'trap : INT; "$@"; echo "[exit $?]"' sh "$TRAWL" repl corpus/
}
keys() { tm send-keys -t "$S" "$@"; }
type_() { tm send-keys -t "$S" -l "$1"; }
screen() { tm capture-pane -p -t "$S" -S -500 "$@"; }

# wait_for NAME PATTERN: poll the screen (10 s at most) for a line
# matching PATTERN (grep -E).
wait_for() {
  for _ in $(seq 200); do
    if screen | grep -Eq -- "$2"; then ok "$1"; return 0; fi
    sleep 0.05
  done
  not_ok "$1: screen lacks /$2/" "$(screen | grep -v '^$' | tail -15)"
  return 1
}

# wait_prompt: until the screen ends with an empty prompt. Keys typed
# while a statement runs go through the terminal in cooked mode, where
# Ctrl-D and Ctrl-C mean other things: wait before sending those.
wait_prompt() {
  for _ in $(seq 200); do
    [ "$(screen | grep -v '^$' | tail -1)" = ">" ] && return 0
    sleep 0.05
  done
  not_ok "prompt did not come back" "$(screen | grep -v '^$' | tail -5)"
}

S=main
start "$S"
wait_for "banner" "Ctrl-D quits"

# Entity ids complete inside entity("..."), once rules are applied.
type_ ':rules '"$ROOT"'/tests/fixtures/rules/mini.lua'
keys Enter
wait_for ":rules at the prompt" "applied iraq-mini"
type_ 'corpus:entity("kad'
keys Tab
wait_for "Tab completes an entity id" '^> corpus:entity\("kadhimi$'
keys C-u
type_ 'trawl.nor'
keys Tab
wait_for "Tab completes a field" '^> trawl\.normalize$'
type_ '("Kata’ib")'
keys Enter
wait_for "completed call runs (UTF-8 typed)" "^kata'ib$"
wait_prompt

type_ 'corpus:do'
keys Tab
keys Tab
wait_for "Tab lists methods" '^doc +docs$'
keys C-u
type_ 'x = corpus:doc(1)'
keys Enter
wait_prompt
type_ 'x.ti'
keys Tab
wait_for "Tab completes a document field" '^> x\.title$'
keys C-u

type_ 'trawl.open("cor'
keys Tab
wait_for "Tab completes a file name in a string" '^> trawl\.open\("corpus/$'
keys C-u
type_ ':lo'
keys Tab
type_ ' cor'
keys Tab
wait_for "Tab completes commands and :load's file" '^> :load corpus/$'
keys C-u

type_ 'function f(a)'
keys Enter
wait_for "continuation prompt" '^>> ?$'
type_ 'return a * 2'
keys Enter
type_ 'end'
keys Enter
type_ '= f(21)'
keys Enter
wait_for "multi-line function works" '^42$'

type_ 'y = 7'
keys Enter
type_ 'print("spinning") while true do pcall(function() while true do end end) end'
keys Enter
wait_for "long computation started" '^spinning$'
keys C-c
wait_for "Ctrl-C stops it" '^trawl: interrupted$'
type_ '= y * 6 + 100'
keys Enter
wait_for "the session survives, variables intact" '^142$'
wait_prompt

type_ 'abc'
keys C-c
type_ '= 6 * 7 + 1'
keys Enter
wait_for "Ctrl-C at the prompt drops the line" '^43$'

type_ '= {1, "a"}'
keys Enter
wait_for "=expr shows a table" '^\{1, "a"\}$'
screen -e | grep -q $'\033\\[36m1' && ok "colour on a terminal" \
  || not_ok "colour on a terminal" "$(screen -e | grep -a 'a"' | cat -v)"

type_ 'hist_marker = 1'
keys Enter
wait_prompt
keys C-d
wait_for "Ctrl-D leaves, exit 0 (and no leaks under ASan)" '^\[exit 0\]$'
[ -s "$TMP/history" ] && ok "history file written" || not_ok "history file written"

S=again
start "$S" NO_COLOR=1
wait_for "second session" "Ctrl-D quits"
wait_prompt
keys Up
wait_for "Up recalls the last session's line" '^> hist_marker = 1$'
keys C-u
type_ '= {1, "a"}'
keys Enter
wait_for "=expr again" '^\{1, "a"\}$'
screen -e | grep -a '{1, "a"}$' | grep -q $'\033\\[3' && not_ok "NO_COLOR: no colour" \
  || ok "NO_COLOR: no colour"
wait_prompt
type_ ':quit'
keys Enter
wait_for ":quit leaves" '^\[exit 0\]$'

finish

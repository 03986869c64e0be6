# The report scripts (scripts/reports/*.lua) on a copy of the sample
# corpus with the sample rules: each exits 0, finishes in under a second,
# prints the rows it should (real content, counted independently where it
# can be), rejects bad options with exit 2; the overview's HTML file is
# self-contained, holds its charts and the sentences behind its numbers
# (checked number by number), is byte-stable with SOURCE_DATE_EPOCH, and
# renders in headless Chromium without a console message. A screenshot and
# the HTML are kept in $TRAWL_TEST_TMP/reports/ for a person to look at.
. "$(dirname "$0")/lib.bash"

ROOT=$(pwd)
R="$ROOT/scripts/reports"
RULES="$ROOT/scripts/rules/iraq-2020.lua"
ABS_TMP="$(cd "$TMP" && pwd)"
KEEP="$(mkdir -p "${TRAWL_TEST_TMP:-/tmp}/reports" && cd "${TRAWL_TEST_TMP:-/tmp}/reports" && pwd)"

# A fresh copy of the corpus: the texts and metadata only, not corpus/.trawl.
fresh() { # fresh DIR
  rm -rf "$1"
  mkdir -p "$1"
  cp "$ROOT"/corpus/*.txt "$ROOT"/corpus/metadata.jsonl "$1"/
}
C="$ABS_TMP/corpus"
fresh "$C"

# timed NAME CMD...: run, then check that it took less than a second.
timed() {
  local name="$1" t0 t1 secs
  shift
  t0=$(date +%s.%N)
  run "$@"
  t1=$(date +%s.%N)
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  if awk -v s="$secs" 'BEGIN { exit !(s < 1.0) }'; then
    ok "$name finishes in under a second (${secs}s)"
  else
    not_ok "$name finishes in under a second (${secs}s)"
  fi
  echo "# time $name ${secs}s"
}

# A Lua check over a file or stdin: lua CODE [ARGS...] (exit 1 on failure).
lua() {
  local code="$1"
  shift
  "$TRAWL" run -e "$code" -- "$@"
}

# ---------------------------------------------------------------------------
# 1. No entities yet: one line saying what to do, no empty tables.
run "$TRAWL" run "$R/actors.lua" "$C"
expect_rc "actors without entities" 1
expect_err "actors without entities says to give --rules" '^actors: no entities: give --rules FILE, e\.g\. --rules scripts/rules/iraq-2020\.lua$'
[ -z "$OUT" ] && ok "actors without entities prints no table" || not_ok "actors without entities prints no table" "$OUT"
run "$TRAWL" run "$R/network.lua" "$C"
expect_rc "network without entities" 1
expect_err "network without entities says so" 'no entities: give --rules FILE'
run "$TRAWL" run "$R/overview.lua" "$C" --no-html
expect_rc "overview without entities still reports" 0
expect_out "overview without entities: one line about actors" '^Actors: no entities: give --rules FILE'
expect_out "overview without entities: documents" '^004 +Iraq’s PM Kazemi'

# ---------------------------------------------------------------------------
# 2. The README's way: --rules applies the sample rules, then reports.
fresh "$C"
mkdir -p "$ABS_TMP/cwd"
cd "$ABS_TMP/cwd"
timed "overview --rules (apply included)" "$TRAWL" run "$R/overview.lua" "$C" --rules "$RULES"
cd "$ROOT"
expect_rc "overview --rules" 0
expect_out "overview: corpus line" "^$C: 5 documents, [0-9,]+ words, [0-9,]+ sentences; 2 of 5 dated, 2020-07-22 to 2020-12-27$"
expect_out "overview: rules line" '^Rules applied: iraq-2020 1\.0\.0 \(635 mentions stored\)'
expect_out "overview: repeated passages" '^Repeated passages: 3 passages repeat an earlier one \(1 word for word, 2 with small changes; in 000\): counted once'
expect_out "overview: documents table" '^002 +Tightrope over the Tigris.* 2020-07-22 +INSS +1659 +52 '
expect_out "overview: top actor with spellings" '^PERSON +Mustafa al-Kadhimi +77 +5 +Al-Kazemi 29, Kadhimi 15'
expect_out "overview: militia with spellings" 'Kataib Hezbollah +26 +4 +Kataib Hezbollah 8, KH 6'
expect_out "overview: sources left out" '^Left out as sources, not actors .*Twitter 22'
expect_out "overview: top terms" '^Top 15 terms \(stop words left out\): iraq 62, iraqi 62, militias 59'
expect_out "overview: key dates" '^2020-12-25 +16 +004 +Asaib Ahl al-Haq 10'
expect_out "overview: strongest link" '^Mustafa al-Kadhimi +Iraq +18 '
expect_out "overview: says where the HTML went (absolute path)" "^HTML report: $ABS_TMP/cwd/overview.html \\(open it in a browser\\)$"
[ -s "$ABS_TMP/cwd/overview.html" ] && ok "overview.html written in the current directory" ||
  not_ok "overview.html written in the current directory"
run "$TRAWL" run "$R/overview.lua" "$C" --no-html
expect_out "overview without --rules names the rules in the store" '^Actors from the store: iraq-2020 1\.0\.0$'
[ -z "$(grep '^HTML report' <<<"$OUT")" ] && ok "overview --no-html writes no HTML" || not_ok "overview --no-html writes no HTML"

# From here on the store has the entities: time the reports alone.
H="$ABS_TMP/overview.html"
timed "overview" "$TRAWL" run "$R/overview.lua" "$C" --html "$H"
expect_rc "overview" 0
expect_out "overview --html names the file" "^HTML report: $H "

timed "actors" "$TRAWL" run "$R/actors.lua" "$C"
expect_rc "actors" 0
expect_out "actors: heading per type" '^PERSON: 40 entities, [0-9]+ mentions'
expect_out "actors: kadhimi row" '^kadhimi +Mustafa al-Kadhimi +77 +5 +12 +Al-Kazemi 29'
expect_out "actors: repeats note" '^7 mentions in repeated passages not counted'
run "$TRAWL" run "$R/actors.lua" "$C" --format csv --top 0
n=$(awk -F, '$2 == "kadhimi" { print $6 }' <<<"$OUT")
[ "${n:-0}" -ge 5 ] && ok "actors csv: kadhimi has $n spellings (>= 5)" || not_ok "actors csv: kadhimi has >= 5 spellings" "$(head -3 <<<"$OUT")"
run "$TRAWL" run "$R/actors.lua" "$C" --entity kadhimi
expect_rc "actors --entity" 0
expect_out "actors --entity: summary" '^Mustafa al-Kadhimi \(PERSON, id kadhimi\): 77 mentions in 5 documents, 12 spellings'
expect_out "actors --entity: sentences" '^Sentences \([0-9]+\)'
expect_out "actors --entity: a sentence" '^002 +9 +1 +Mustafa al-Kadhimi +Mustafa al-Kadhimi, former director'
run "$TRAWL" run "$R/actors.lua" "$C" --keep-duplicates --format csv --top 1 --type PERSON
expect_out "actors --keep-duplicates counts every copy (79)" '^PERSON,kadhimi,Mustafa al-Kadhimi,79,5,'
run "$TRAWL" run "$R/actors.lua" "$C" --format json --type ORG --top 2
lua 'local j = require("trawl.json").decode(io.read("a")); assert(#j == 2 and j[1].id == "aah" and j[1].spellings[1].text == "AAH" and j[1].spellings[1].count == 16)' <<<"$OUT" &&
  ok "actors --format json parses, spellings as a list" || not_ok "actors --format json" "$OUT"

timed "network" "$TRAWL" run "$R/network.lua" "$C" --graphml "$ABS_TMP/n.graphml" --gexf "$ABS_TMP/n.gexf" --dot "$ABS_TMP/n.dot" --html "$ABS_TMP/n.html"
expect_rc "network" 0
expect_out "network: strongest link" '^Mustafa al-Kadhimi +Iraq +18 +3\.0 '
expect_out "network: kadhimi–kh link" '^Mustafa al-Kadhimi +Kataib Hezbollah +6 '
expect_out "network: exports named" "^GEXF: $ABS_TMP/n.gexf$"
grep -q '</graphml>' "$ABS_TMP/n.graphml" && grep -q '<node id="kadhimi"' "$ABS_TMP/n.graphml" && ok "GraphML written" || not_ok "GraphML written"
grep -q '</gexf>' "$ABS_TMP/n.gexf" && ok "GEXF written" || not_ok "GEXF written"
grep -q '"kadhimi" -- "kh"' "$ABS_TMP/n.dot" && ok "DOT written with the kadhimi–kh edge" || not_ok "DOT written" "$(head -5 "$ABS_TMP/n.dot")"
grep -q 'class="chart chart-network"' "$ABS_TMP/n.html" && ok "network --html draws the network" || not_ok "network --html"
run "$TRAWL" run "$R/network.lua" "$C" --format csv --top 0
expect_out "network csv: kadhimi,kh edge" '^kadhimi,kh,Mustafa al-Kadhimi,Kataib Hezbollah,6,'
run "$TRAWL" run "$R/network.lua" "$C" --sentences --top 1
expect_out "network --sentences: the sentences behind the link" '^  \[002 9\] Mustafa al-Kadhimi, former director'
# The links are the library's co-occurrence counts (c:cooccur), sentence by sentence.
"$TRAWL" run -e 'local report = require "trawl.report"
  local c = trawl.corpus()
  local rep = report.repeats(c, {})
  local actors = report.actors(c, {}, rep)
  local co = report.cooccurrence(c, actors, rep)
  local lib = {}
  for _, e in ipairs(c:cooccur{skip_duplicates = "near"}.edges) do lib[e.source .. " " .. e.target] = e.weight lib[e.target .. " " .. e.source] = e.weight end
  for _, e in ipairs(co.edges) do
    assert(lib[e.source .. " " .. e.target] == e.weight, e.source .. "-" .. e.target)
    assert(#e.sentences == e.weight)
  end
  print(#co.edges)' "$C" >"$TMP/co" 2>&1 && ok "network links = c:cooccur weights ($(cat "$TMP/co") links)" || not_ok "network links = c:cooccur weights" "$(cat "$TMP/co")"

timed "timeline" "$TRAWL" run "$R/timeline.lua" "$C"
expect_rc "timeline" 0
expect_out "timeline: 2020-12-25 events" '^2020-12-25 +004 +3 +Christmas Day +Mustafa al-Kadhimi, Counter Terrorism S'
expect_out "timeline: 2020-12-26 events" '^2020-12-26 +004 '
expect_out "timeline: time of day in words" '^2020-12-25 night +004 +46 +tonight'
expect_out "timeline: undated note" 'more expressions have no known year \(e\.g\. .May 7. in 000\)'
run "$TRAWL" run "$R/timeline.lua" "$C" --assume-year 2020 --entity kh
expect_out "timeline --assume-year: the June 25 raid" '^2020-06-25 \(assumed\) +000 +9 +June 25 '
run "$TRAWL" run "$R/timeline.lua" "$C" --from 2020-12-26 --to 2020-12-26 --format csv
bad=$(tail -n +2 <<<"$OUT" | grep -vc '^2020-12-26,')
[ "$bad" -eq 0 ] && [ "$(wc -l <<<"$OUT")" -gt 5 ] && ok "timeline --from/--to keeps that day only" || not_ok "timeline --from/--to" "$OUT"

timed "kwic" "$TRAWL" run "$R/kwic.lua" "$C" Hezbollah
expect_rc "kwic" 0
expect_out "kwic: hits" "^$C: 21 hits of 'Hezbollah'"
# Every line has the match in the same display column (centred on it).
grep -E '^[0-9]{3}:[0-9]+ ' <<<"$OUT" >"$TMP/kwic"
cols=$(lua 'local cols = {}
  for line in io.lines(arg[1]) do
    local i = line:find("  Hezbollah  ", 1, true)
    assert(i, line)
    cols[trawl.width(line:sub(1, i))] = true
  end
  local n = 0 for _ in pairs(cols) do n = n + 1 end
  print(n)' "$TMP/kwic")
lines=$(wc -l <"$TMP/kwic")
[ "$lines" -eq 21 ] && [ "$cols" = "1" ] && ok "kwic: 21 lines, the match in one column" ||
  not_ok "kwic: 21 lines, the match in one column ($lines lines, $cols columns)" "$(head -3 "$TMP/kwic")"
run "$TRAWL" run "$R/kwic.lua" "$C" --entity kh --format csv
[ "$(tail -n +2 <<<"$OUT" | wc -l)" -eq 26 ] && ok "kwic --entity kh: 26 mentions" || not_ok "kwic --entity kh: 26 mentions" "$OUT"
run "$TRAWL" run "$R/kwic.lua" "$C" 'Kata.?ib' --regex --limit 3
expect_out "kwic --regex" "^$C: 11 hits of /Kata\\.\\?ib/ \\(first 3 shown\\)"

timed "keywords" "$TRAWL" run "$R/keywords.lua" "$C" --docs 004
expect_rc "keywords" 0
expect_out "keywords: target line" '^004 “Iraq’s PM Kazemi.*”: 1,993 words in the target'
expect_out "keywords: top keyword of 004" '^twitter +22 +0 +54\.5 +\+6\.78'
run "$TRAWL" run "$R/keywords.lua" "$C" --top 3
n=$(grep -cE '^00[0-4] “' <<<"$OUT")
[ "$n" -eq 5 ] && ok "keywords without --docs: one table per document" || not_ok "keywords per document ($n)" "$OUT"

timed "collocations" "$TRAWL" run "$R/collocations.lua" "$C" militias
expect_rc "collocations" 0
expect_out "collocations: node line" "^$C: 'militias' occurs 59 times"
expect_out "collocations: shiite first" '^shiite +6 +10 +5 +1 +18\.9 +low'

timed "duplicates" "$TRAWL" run "$R/duplicates.lua" "$C"
expect_rc "duplicates" 0
expect_out "duplicates: summary" "^$C: 3 passages repeated, 3 copies \\(81 words\\)"
expect_out "duplicates: a near copy" '^1 +copy +000 +51 +41 +0\.64 +Smuggling has always been'
expect_out "duplicates: an exact copy" '^3 +copy +000 +49 +21 +1\.00 +exact +Since taking office'

# ---------------------------------------------------------------------------
# 3. Bad options and arguments: exit 2 with one line naming the problem.
bad() { # bad NAME PATTERN CMD...
  local name="$1" pat="$2"
  shift 2
  run "$@"
  expect_rc "$name" 2
  expect_err "$name: message" "$pat"
}
for rep in overview actors network timeline kwic keywords collocations duplicates; do
  bad "$rep --bogus" "^$rep: unknown option '--bogus' \\(see --help\\)$" "$TRAWL" run "$R/$rep.lua" "$C" --bogus
  run "$TRAWL" run "$R/$rep.lua" --help
  expect_rc "$rep --help" 0
  expect_out "$rep --help: usage" "^Usage: trawl run scripts/reports/$rep\\.lua CORPUS"
  run "$TRAWL" run "$R/$rep.lua"
  expect_rc "$rep without a corpus" 2
  run "$TRAWL" run "$R/$rep.lua" "$ABS_TMP/no-such-dir"
  expect_rc "$rep with a missing corpus" 3
done
bad "actors --top x" "^actors: --top wants a whole number, not 'x'$" "$TRAWL" run "$R/actors.lua" "$C" --top x
bad "actors --format xml" "^actors: --format must be one of table, md, csv, json, jsonl, not 'xml'$" "$TRAWL" run "$R/actors.lua" "$C" --format xml
bad "actors --top without value" "^actors: --top wants a value" "$TRAWL" run "$R/actors.lua" "$C" --top
bad "network --sort bad" "^network: --sort must be one of" "$TRAWL" run "$R/network.lua" "$C" --sort size
bad "timeline --from junk" "^timeline: --from wants a date" "$TRAWL" run "$R/timeline.lua" "$C" --from yesterday
bad "kwic without a query" "^kwic: missing QUERY" "$TRAWL" run "$R/kwic.lua" "$C"
bad "kwic bad regex" "^kwic: /\\(/: " "$TRAWL" run "$R/kwic.lua" "$C" '(' --regex
bad "keywords unknown doc" "^keywords: no document '999'" "$TRAWL" run "$R/keywords.lua" "$C" --docs 999
bad "collocations without a node" "^collocations: missing NODE" "$TRAWL" run "$R/collocations.lua" "$C"
bad "collocations bad measure" "^collocations: --measure must be one of" "$TRAWL" run "$R/collocations.lua" "$C" x --measure pmi
bad "duplicates --threshold 2" "^duplicates: --threshold must be at most 1$" "$TRAWL" run "$R/duplicates.lua" "$C" --threshold 2
bad "overview extra argument" "^overview: unexpected argument 'extra'" "$TRAWL" run "$R/overview.lua" "$C" extra
run "$TRAWL" run "$R/actors.lua" "$C" --rules "$ABS_TMP/no-such-rules.lua"
expect_rc "actors --rules missing file" 1
expect_err "actors --rules missing file: message" 'cannot read'

# ---------------------------------------------------------------------------
# 4. The overview's HTML file.
# Self-contained: nothing loaded from anywhere.
if grep -Eq '(src|href)="https?:|<link|<img|<script src|@import|url\(' "$H"; then
  not_ok "overview.html loads nothing from outside" "$(grep -Eo '.{20}((src|href)="https?:|<link|<img|@import|url\().{30}' "$H" | head -3)"
else
  ok "overview.html loads nothing from outside"
fi
nsvg=$(grep -o '<svg class="plot"' "$H" | wc -l)
[ "$nsvg" -ge 6 ] && ok "overview.html has $nsvg charts" || not_ok "overview.html has 6 charts (found $nsvg)"
for kind in bars network timeline dispersion; do
  grep -q "class=\"chart chart-$kind\"" "$H" && ok "overview.html: $kind chart" || not_ok "overview.html: $kind chart"
done
for s in in-brief documents actors who-appears-with-whom what-happened-when where-the-actors-appear frequent-terms repeated-passages; do
  grep -q "<section id=\"$s\"" "$H" && ok "overview.html: section $s" || not_ok "overview.html: section $s"
done
grep -q '<time datetime="2020-12-25">25 Dec 2020</time>' "$H" && ok "overview.html: timeline lists 25 Dec 2020" ||
  not_ok "overview.html: timeline lists 25 Dec 2020"
grep -q '<a href="#actor-kadhimi">Mustafa al-Kadhimi</a>' "$H" && ok "overview.html: the summary links to the evidence" ||
  not_ok "overview.html: the summary links to the evidence"

# Traceability, number by number: each actor's count is the number of
# mentions marked in its sentences, each link's count the number of its
# sentences, each term's count the number of its concordance lines.
lua 'local page = assert(io.open(arg[1])):read("a")
  local checked = {actors = 0, links = 0, terms = 0}
  for id, head, body in page:gmatch([[<details class="evidence[^"]*" id="([^"]+)"><summary>(.-)</summary><div class="body">(.-)</div></details>]]) do
    if id:find("^actor%-") then
      local n, s = head:match("— (%d+) mentions? in (%d+) sentences?")
      local _, marks = body:gsub("<mark>", "")
      local _, items = body:gsub("<li>", "")
      assert(tonumber(n) == marks, id .. ": " .. n .. " mentions, " .. marks .. " marked")
      assert(tonumber(s) == items, id .. ": " .. s .. " sentences, " .. items .. " listed")
      checked.actors = checked.actors + 1
    elseif id:find("^link%-") then
      local n = head:match("(%d+) sentences?")
      local _, items = body:gsub("<li>", "")
      assert(tonumber(n) == items, id .. ": " .. n .. " sentences, " .. items .. " listed")
      checked.links = checked.links + 1
    elseif id:find("^term%-") then
      local n = head:match("(%d+) occurrences?")
      local _, rows = body:gsub("<tr>", "")
      assert(tonumber(n) == rows, id .. ": " .. n .. " occurrences, " .. rows .. " lines")
      checked.terms = checked.terms + 1
    end
  end
  assert(checked.actors >= 20 and checked.links >= 20 and checked.terms >= 10)
  print(checked.actors .. " actors, " .. checked.links .. " links, " .. checked.terms .. " terms")' "$H" >"$TMP/trace" 2>&1 &&
  ok "overview.html: every count = the sentences behind it ($(cat "$TMP/trace"))" ||
  not_ok "overview.html: every count = the sentences behind it" "$(cat "$TMP/trace")"
grep -q 'id="actor-kadhimi"><summary><strong>Mustafa al-Kadhimi</strong> <span class="count">(PERSON) — 77 mentions' "$H" &&
  ok "overview.html: kadhimi's evidence block" || not_ok "overview.html: kadhimi's evidence block"
grep -q '<mark>Kataib Hezbollah</mark>' "$H" && ok "overview.html: mentions marked in their sentences" ||
  not_ok "overview.html: mentions marked in their sentences"

# Byte-stable with a fixed date.
SOURCE_DATE_EPOCH=0 "$TRAWL" run "$R/overview.lua" "$C" --html "$ABS_TMP/a.html" >/dev/null 2>&1
SOURCE_DATE_EPOCH=0 "$TRAWL" run "$R/overview.lua" "$C" --html "$ABS_TMP/b.html" >/dev/null 2>&1
cmp -s "$ABS_TMP/a.html" "$ABS_TMP/b.html" && grep -q 'on 1970-01-01 00:00 UTC' "$ABS_TMP/a.html" &&
  ok "overview.html is byte-stable with SOURCE_DATE_EPOCH" || not_ok "overview.html is byte-stable with SOURCE_DATE_EPOCH"
cp "$H" "$KEEP/overview.html"

# ---------------------------------------------------------------------------
# 5. In a browser: headless Chromium (as tests/e2e/html_chromium.sh).
CHROMIUM=""
for b in chromium chromium-browser google-chrome; do
  if command -v "$b" >/dev/null 2>&1; then CHROMIUM=$(command -v "$b"); break; fi
done
if [ -z "$CHROMIUM" ] && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "# chromium missing: apt-get install -y chromium"
  DEBIAN_FRONTEND=noninteractive timeout 240 apt-get install -y -qq chromium >"$TMP/apt.log" 2>&1 ||
    { apt-get update -qq >/dev/null 2>&1 &&
      DEBIAN_FRONTEND=noninteractive timeout 240 apt-get install -y -qq chromium >"$TMP/apt.log" 2>&1; }
  command -v chromium >/dev/null 2>&1 && CHROMIUM=$(command -v chromium)
fi
if [ -z "$CHROMIUM" ]; then
  echo "# skipped the browser checks: chromium is not installed (apt-get install chromium)"
else
  browser() { # browser OUTFILE ERRFILE FLAGS... URL
    local o="$1" e="$2"
    shift 2
    timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
      --disable-background-networking --disable-component-update --disable-sync \
      --user-data-dir="$ABS_TMP/chrome" --enable-logging=stderr --v=0 "$@" >"$o" 2>"$e"
  }
  console_lines() { grep -E ':CONSOLE[:(]|Uncaught|Refused to' "$1" || true; }
  browser "$TMP/dom.html" "$TMP/dom.log" --dump-dom "file://$H"
  RC=$?; ERR=$(tail -5 "$TMP/dom.log")
  expect_rc "chromium loads overview.html" 0
  n=$(grep -o '<svg class="plot"' "$TMP/dom.html" | wc -l)
  [ "$n" -eq "$nsvg" ] && ok "chromium: $n charts in the DOM" || not_ok "chromium: $nsvg charts in the DOM (found $n)"
  grep -q '<details class="evidence" id="actor-kadhimi">' "$TMP/dom.html" && ok "chromium: evidence blocks in the DOM" ||
    not_ok "chromium: evidence blocks in the DOM"
  c=$(console_lines "$TMP/dom.log")
  [ -z "$c" ] && ok "chromium: no console messages" || not_ok "chromium: no console messages" "$c"
  rm -f "$KEEP/overview.png"
  browser "$TMP/shot.out" "$TMP/shot.log" --hide-scrollbars --window-size=1366,900 \
    --screenshot="$KEEP/overview.png" "file://$H"
  if [ -s "$KEEP/overview.png" ] && [ "$(wc -c <"$KEEP/overview.png")" -gt 20000 ]; then
    ok "screenshot: $KEEP/overview.png"
  else
    not_ok "screenshot" "$(tail -5 "$TMP/shot.log")"
  fi
  rm -f "$KEEP/overview.pdf"
  browser "$TMP/pdf.out" "$TMP/pdf.log" --no-pdf-header-footer --print-to-pdf="$KEEP/overview.pdf" "file://$H"
  [ "$(head -c 5 "$KEEP/overview.pdf" 2>/dev/null)" = "%PDF-" ] && ok "printed to PDF: $KEEP/overview.pdf" ||
    not_ok "printed to PDF" "$(tail -5 "$TMP/pdf.log")"
fi

# Impossible dates are refused, real ones accepted.
run "$TRAWL" run "$R/timeline.lua" "$C" --from 2020-13
expect_rc "timeline --from 2020-13" 2
run "$TRAWL" run "$R/timeline.lua" "$C" --to 2020-02-30
expect_rc "timeline --to 2020-02-30" 2
run "$TRAWL" run "$R/timeline.lua" "$C" --from 2020-02-29
expect_rc "timeline --from 2020-02-29 (leap day)" 0

# --rules on a single file: its store is kept in the user's cache.
cp "$C"/004*.txt "$TMP/one.txt"
run env XDG_CACHE_HOME="$TMP/cache" "$TRAWL" run "$R/actors.lua" "$TMP/one.txt" --rules scripts/rules/iraq-2020.lua
expect_rc "actors on a single file with --rules" 0
expect_out "single-file actors" "^kadhimi "
ls "$TMP/cache/trawl/stores/"file-*one.txt.db >/dev/null 2>&1 && ok "single-file store in the cache" || not_ok "single-file store in the cache"

finish

# End-to-end tests of trawl check, apply, export and import.
. "$(dirname "$0")/lib.bash"

MINI=tests/fixtures/rules/mini.lua
C="$TMP/c"
mkdir -p "$C"
printf 'Kataib Hezbollah attacked. Al Kazemi answered on 12/25/20.\n' >"$C/a.txt"
printf 'Prime Minister Kadhimi met KH leaders. Kata’ib Hezbollah left.\n' >"$C/b.txt"

run "$TRAWL" check "$MINI"
expect_rc "check passes" 0
expect_out "check summary" "^4 passed, 0 failed$"
expect_out "check lists examples" "PASS .*mini.lua:[0-9]+ example 1"

# A failing example: exit 1, expected vs found.
sed 's/{"kadhimi", "Al-Kazemi"}/{"kadhimi", "Al-Kazimi"}/' "$MINI" >"$TMP/fail.lua"
run "$TRAWL" check "$TMP/fail.lua"
expect_rc "failing example" 1
expect_out "fail line" "FAIL .*fail.lua:[0-9]+ example 1"
expect_out "expected shown" "expected: kadhimi \"Al-Kazimi\""
expect_out "found shown" "found: kadhimi \"Al-Kazemi\""
expect_out "fail summary" "^3 passed, 1 failed$"

# An invalid rule file: exit 1 and a located message.
printf 'return trawl.ruleset {\n  name = "x", version = "1.0.0", description = "d",\n  patterns = { { id = "p", label = "ORG", pattern = { {LOWR = "x"} } } },\n}\n' >"$TMP/bad.lua"
run "$TRAWL" check "$TMP/bad.lua"
expect_rc "invalid rule file" 1
expect_err "located error" "bad.lua:3: pattern 'p': token 1: unknown attribute 'LOWR' \(did you mean LOWER\?\)"

# requires: a missing or out-of-range ruleset is named.
printf 'return trawl.ruleset {\n  name = "dep", version = "1.0.0", description = "d",\n  requires = { ["iraq-mini"] = ">=2.0.0" },\n  entities = { { id = "x", type = "ORG", name = "Xco" } },\n}\n' >"$TMP/dep.lua"
run "$TRAWL" check "$TMP/dep.lua" "$MINI"
expect_rc "unsatisfied requires" 1
expect_err "requires message" "requires 'iraq-mini' >=2.0.0, but .*mini.lua is 1.0.0"

run "$TRAWL" apply "$MINI" "$C"
expect_rc "apply" 0
expect_out "apply summary" "applied iraq-mini 1.0.0 to 2 documents: 6 mentions"
expect_out "actors table" "^kadhimi +PERSON +Mustafa al-Kadhimi +2 +2 "

run "$TRAWL" apply "$MINI" "$TMP/nowhere"
expect_rc "apply to a missing corpus" 3
run "$TRAWL" apply "$MINI"
expect_rc "apply without corpus" 2

run "$TRAWL" export mentions "$C"
expect_rc "export jsonl" 0
expect_out "jsonl line" '^\{"cend":16,"cstart":0,"doc":"a","end":16,"entity":"kh","rule":"aliases","ruleset":"iraq-mini","score":1,"start":0,"text":"Kataib Hezbollah","type":"ORG","version":"1.0.0"\}$'
expect_out "jsonl regex attrs" '"attrs":\{"d":"25","m":"12","y":"20"\}'
# Character offsets differ from bytes after the curly apostrophe.
expect_out "char offsets" '"cend":56,"cstart":39,"doc":"b","end":58,"entity":"kh".*"start":39'

run "$TRAWL" export mentions "$C" --format csv --type PERSON
expect_out "csv header" "^doc,start,end,cstart,cend,text,entity,type,rule,ruleset,version,score"
expect_out "csv row" "^a,27,36,27,36,Al Kazemi,kadhimi,PERSON,aliases,iraq-mini,1.0.0,1"

run "$TRAWL" export mentions "$C" --format brat --out "$TMP/brat"
expect_rc "brat" 0
grep -q "^T1	ORG 0 16	Kataib Hezbollah$" "$TMP/brat/a.ann" && ok "brat ann" || not_ok "brat ann" "$(cat "$TMP/brat/a.ann")"
grep -q "AnnotatorNotes T1	kh" "$TMP/brat/a.ann" && ok "brat note" || not_ok "brat note"
cmp -s "$C/b.txt" "$TMP/brat/b.txt" && ok "brat text" || not_ok "brat text"

run "$TRAWL" export entities "$C" --format csv
expect_out "entities csv" "^kadhimi,PERSON,Mustafa al-Kadhimi,iraq-mini,2,2"

run "$TRAWL" export rules "$MINI"
expect_out "spaCy phrase pattern" '^\{"id":"kadhimi","label":"PERSON","pattern":"Kazime"\}$'
expect_out "spaCy token pattern" '"pattern":\[\{"LOWER":"prime"\},\{"LOWER":"minister"\},\{"IS_TITLE":true,"OP":"\?"\}'

# Round trip: export to spaCy JSONL, import it back as a rule file.
"$TRAWL" export rules "$MINI" --out "$TMP/mini.jsonl" 2>/dev/null
run "$TRAWL" import spacy "$TMP/mini.jsonl" --name mini-back --out "$TMP/back.lua"
expect_rc "import spacy" 0
run "$TRAWL" run -e 'local rs = assert(trawl.rules.load(arg[1])) print(#rs.entities, #rs.rules)' -- "$TMP/back.lua"
expect_out "imported ruleset loads" "^2	2$"

printf '# actors\nKataib Hezbollah\tkh\tORG\nKH\tkh\tORG\nAl-Kazemi\tkadhimi\tPERSON\nBaghdad\n' >"$TMP/list.txt"
run "$TRAWL" import gazetteer "$TMP/list.txt" --name listed --type GPE --out "$TMP/list.lua"
expect_rc "import gazetteer" 0
run "$TRAWL" run -e 'local rs = assert(trawl.rules.load(arg[1])) for _, e in ipairs(rs.entities) do print(e.id, e.type, #e.aliases) end' -- "$TMP/list.lua"
expect_out "gazetteer kh" "^kh	ORG	2$"
expect_out "gazetteer default type" "^baghdad	GPE	1$"

finish

# End-to-end tests of `trawl aliases` on the sample corpus: with the full
# sample ruleset it proposes nothing false; with the ruleset reduced to
# canonical names (tests/fixtures/names/iraq-canonical.lua) it proposes the
# spellings the full ruleset lists, with evidence, and a patch that loads.
. "$(dirname "$0")/lib.bash"

CANON=tests/fixtures/names/iraq-canonical.lua
FULL=scripts/rules/iraq-2020.lua

# The proposals of one entity block of the report: lines '  + "FORM" ...'.
block() { # entity-id
  awk -v id="$1" '
    /^[a-z0-9._-]+  [A-Z_]+  / { inblk = ($1 == id); next }
    /^$/ { next }
    /^==/ { inblk = 0 }
    inblk && /^  \+ / { print }' <<<"$OUT"
}
has_alias() { # name entity form
  if block "$2" | grep -Fq -- "+ \"$3\""; then ok "$1"; else not_ok "$1: no \"$3\" for $2" "$(block "$2")"; fi
}
no_alias() { # name entity form
  if block "$2" | grep -Fq -- "+ \"$3\""; then not_ok "$1: \"$3\" proposed for $2" "$(block "$2")"; else ok "$1"; fi
}

# ---- usage -------------------------------------------------------------
run "$TRAWL" aliases
expect_rc "no corpus is a usage error" 2
expect_err "usage printed" "usage: trawl aliases CORPUS"
run "$TRAWL" aliases corpus/ --bogus
expect_rc "unknown option" 2
run "$TRAWL" aliases corpus/ --threshold 2
expect_rc "threshold out of range" 2
run "$TRAWL" aliases corpus/ --min-count 0
expect_rc "min-count must be positive" 2
run "$TRAWL" aliases --help
expect_rc "help" 0
run "$TRAWL" aliases no/such/corpus
expect_rc "missing corpus" 3
run "$TRAWL" aliases corpus/ --rules no/such/rules.lua
expect_rc "missing rule file" 3
run "$TRAWL" help
expect_out "help lists aliases" "aliases CORPUS"

# ---- the full sample ruleset: nothing false ------------------------------
run "$TRAWL" aliases corpus/ --rules "$FULL"
expect_rc "full ruleset" 0
expect_out "full: header" "^trawl aliases: corpus/ \(5 documents\), rules $FULL"
expect_out "full: no new aliases" "New aliases for known entities \(0\)"
n=$(grep -c '^  + ' <<<"$OUT")
[ "$n" -eq 0 ] && ok "full: no alias proposed" || not_ok "full: $n aliases proposed" "$OUT"
expect_out "full: Katyusha is the one name the rules leave out" '^\[1\] Katyusha  UNKNOWN  3x in 3 docs'
if grep -Eq '^\[2\]' <<<"$OUT"; then not_ok "full: only one new entity" "$OUT"; else ok "full: only one new entity"; fi

# ---- canonical names only: the spellings come back -----------------------
run "$TRAWL" aliases corpus/ --rules "$CANON"
expect_rc "canonical ruleset" 0
for f in "Kazemi" "Kadhimi" "Al-Kazemi" "al-Kadhimi" "Al Kazime" "Mustafa Kazemi" \
         "Mustafa Al-Kazemi" "@MAKadhimi" "MK"; do
  has_alias "PM: $f" kadhimi "$f"
done
for f in "Kata'ib Hezbollah" "Khataib Hezbollah" "Kathaib Hezbollah" "KH"; do
  has_alias "KH: $f" kh "$f"
done
for f in "AAH" "Asaib" "Asaib Ahl AlHaq" "Asa’ib Ahl al-Haq"; do
  has_alias "AAH: $f" aah "$f"
done
has_alias "PMF: PMF (defined in 002)" pmf "PMF"
has_alias "Qaani: Ismail Qaani" qaani "Ismail Qaani"
has_alias "Soleimani: Qasim Soleimani" soleimani "Qasim Soleimani"
has_alias "Khazali: Qais Khazali" al-khazali "Qais Khazali"
has_alias "al-Araji: Qassem al-Araji" al-araji "Qassem al-Araji"
has_alias "al-Araji: @qassimalaraji" al-araji "@qassimalaraji"
has_alias "Azirjawi: Hissam al-Azirjawi" al-azirjawi "Hissam al-Azirjawi"
has_alias "Muhandis: Abu Muhandis" al-muhandis "Abu Muhandis"
has_alias "Fayyadh: Falah al-Fayyad" al-fayyadh "Falah al-Fayyad"
has_alias "Karrada: Kararda" karrada "Kararda"
has_alias "Green Zone: GZ" green-zone "GZ"
# the false merges: a given name alone, another man, another group
no_alias "not Mustafa for the PM" kadhimi "Mustafa"
no_alias "not Qais alone" al-khazali "Qais"
no_alias "not Hezbollah Brigades for the Lebanese Hezbollah" hezbollah "Hezbollah Brigades"
no_alias "not Qassem al-Araji for Soleimani" soleimani "Qassem al-Araji"
no_alias "not Qassem Soleimani for al-Araji" al-araji "Qassem Soleimani"
no_alias "not Hamidawi for al-Hakim" al-hakim "Hamidawi"
no_alias "not Tweeted for Twitter" twitter "Tweeted"
no_alias "not Iranian-backed for Iran" iran "Iranian-backed"
# evidence: count, documents, example sentence, score, similar alias
expect_out "evidence line" '^  \+ "Kazemi" +9x in 2 docs +0\.9[0-9]  similar ~ "Mustafa al-Kadhimi"$'
expect_out "example sentence" '^      004: .*Kazemi'
expect_out "acronym evidence" 'defined as "Asaib Ahl Al-Haq" in 004'
expect_out "new entity with its acronym" '^\[1\] Popular Mobilization Units  ORG  7x in 2 docs'
expect_out "acronym joins its new entity" 'PMU \(5, defined as Popular Mobilization Units\)'
expect_out "new entity clusters two spellings" 'forms: Al-Khadra \(1\), Al-Khadr \(1\)'
expect_out "the patch follows the report" "^return trawl.ruleset \{"

# ---- the patch ------------------------------------------------------------
run "$TRAWL" aliases corpus/ --rules "$CANON" --patch "$TMP/patch.lua"
expect_rc "patch written" 0
expect_out "patch named" "patch written to $TMP/patch.lua"
grep -q '^return trawl.ruleset' <<<"$OUT" && not_ok "patch not in the report" || ok "patch not in the report"
run "$TRAWL" check "$TMP/patch.lua"
expect_rc "the patch is a valid rule file" 0
run cat "$TMP/patch.lua"
expect_out "patch: add-to block" "^    -- add to entity 'kadhimi' \($CANON:[0-9]+\):"
expect_out "patch: alias with its evidence" '^        "Al-Kazemi",  -- 31x in 3 docs; '
expect_out "patch: new entity" '^    \{ id = "al-khadra", type = "UNKNOWN", name = "Al-Khadra",'

# ---- options ---------------------------------------------------------------
run "$TRAWL" aliases corpus/ --rules "$CANON" --types PERSON
expect_rc "--types" 0
if grep -Eq '^\[[0-9]+\] .*  (ORG|UNKNOWN|GPE)  ' <<<"$OUT"; then not_ok "--types PERSON: other types proposed" "$OUT"; else ok "--types PERSON"; fi
no_alias "--types PERSON: no ORG aliases" kh "KH"
run "$TRAWL" aliases corpus/ --rules "$CANON" --min-count 5
expect_out "--min-count 5 keeps PMU" '^\[1\] Popular Mobilization Units'
if grep -q 'Al-Khadra  ' <<<"$OUT"; then not_ok "--min-count 5 drops 2x names" "$OUT"; else ok "--min-count 5 drops 2x names"; fi
run "$TRAWL" aliases corpus/ --rules "$CANON" --threshold 0.99
no_alias "--threshold 0.99: no similar-only proposals" kadhimi "Kazemi"
has_alias "--threshold 0.99: same keys still" kadhimi "Mustafa Kazemi"

# ---- JSON -----------------------------------------------------------------
run "$TRAWL" aliases corpus/ --rules "$CANON" --json
expect_rc "--json" 0
printf '%s' "$OUT" > "$TMP/out.json"
run "$TRAWL" run -e '
local f = assert(io.open(arg[1], "rb"))
local j = trawl.json_decode(f:read("a"))
f:close()
local n = 0
for _, a in ipairs(j.aliases) do
  if a.entity == "kadhimi" and a.form == "Kazemi" then
    assert(a.count == 9 and #a.docs == 2 and a.score >= 0.85 and a.example.sentence:find("Kazemi"))
    n = n + 1
  end
end
assert(n == 1, "Kazemi for kadhimi")
assert(#j.entities >= 5 and j.entities[1].name == "Popular Mobilization Units")
assert(j.patch:find("return trawl.ruleset", 1, true))
print(("json ok %d %d"):format(#j.aliases, #j.entities))' -- "$TMP/out.json"
expect_out "--json is JSON with aliases, entities, patch" "^json ok [0-9]+ [0-9]+$"

# ---- no rules: new entities only ---------------------------------------------
run "$TRAWL" aliases corpus/
expect_rc "no rules" 0
expect_out "no rules: the PM's spellings in one cluster" '^\[1\] Al-Kazemi  PERSON  72x in 5 docs'
expect_out "no rules: the forms" 'forms: Al-Kazemi \(31\), Kadhimi \(13\), al-Kadhimi \(11\), Kazemi \(9\)'

finish

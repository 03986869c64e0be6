# End-to-end test of the shipped sample ruleset, scripts/rules/iraq-2020.lua:
# its examples pass, it applies to the sample corpus, and the actors table it
# gives is the one an analyst who read the five articles would write.
# The expected counts and spellings were established by grepping corpus/
# (see scripts/rules/README.md), not by running the rules.
. "$(dirname "$0")/lib.bash"

RULES=scripts/rules/iraq-2020.lua

# ---- trawl check -----------------------------------------------------
run "$TRAWL" check "$RULES"
expect_rc "check" 0
expect_out "check: all examples pass" "^[0-9]+ passed, 0 failed$"
n=$(sed -nE 's/^([0-9]+) passed, 0 failed$/\1/p' <<<"$OUT")
[ "${n:-0}" -ge 15 ] && ok "check: at least 15 examples ($n)" || not_ok "check: at least 15 examples" "$OUT"
expect_out "check: header" "iraq-2020 1\.0\.0 — [0-9]+ entities"

# ---- trawl apply, on a copy (apply writes the corpus store) ---------
# (the files only: not a store corpus/.trawl left by other runs)
mkdir "$TMP/corpus"
cp corpus/* "$TMP/corpus/"
chmod -R u+w "$TMP/corpus"
run "$TRAWL" apply "$RULES" "$TMP/corpus"
expect_rc "apply" 0
expect_out "apply: summary" "applied iraq-2020 1\.0\.0 to 5 documents: [0-9]+ mentions"
expect_out "apply: actors table has the PM" "^kadhimi +PERSON +Mustafa al-Kadhimi +[0-9]+ +5 "
[ -z "$ERR" ] && ok "apply: nothing on stderr" || not_ok "apply: nothing on stderr" "$ERR"

# Applying again replaces the mentions instead of adding to them.
run "$TRAWL" run -e 'print(#trawl.corpus():mentions())' "$TMP/corpus"
first=$OUT
run "$TRAWL" apply -q "$RULES" "$TMP/corpus"
run "$TRAWL" run -e 'print(#trawl.corpus():mentions())' "$TMP/corpus"
[ "$OUT" = "$first" ] && ok "apply twice: same mentions ($first)" || not_ok "apply twice" "$first then $OUT"

# ---- the actors table --------------------------------------------------
# Each line the chunk prints is "ok NAME" or "not ok NAME: DETAIL".
read -r -d '' ACTORS <<'LUA'
local c = trawl.corpus()
local function check(name, cond, detail)
  if cond then print("ok " .. name)
  else print("not ok " .. name .. ": " .. tostring(detail or "")) end
end
local function set(list, field)
  local s = {}
  for _, x in ipairs(list) do s[field and x[field] or x] = true end
  return s
end
local function keys(s)
  local v = {}
  for k in pairs(s) do v[#v + 1] = k end
  table.sort(v)
  return table.concat(v, " | ")
end
local function entity(id)
  local e = c:entity(id)
  check(id .. " is in the table", e ~= nil)
  return e or { nmentions = 0, ndocs = 0, variants = function() return {} end,
                mentions = function() return {} end }
end

-- The prime minister: every spelling, in all five articles, and nothing else.
local pm = entity("kadhimi")
local pmv = set(pm:variants(), "text")
local nv = 0 for _ in pairs(pmv) do nv = nv + 1 end
check("kadhimi: >= 5 distinct spellings", nv >= 5, keys(pmv))
check("kadhimi: in all 5 documents", pm.ndocs == 5, pm.ndocs)
check("kadhimi: 79 mentions", pm.nmentions == 79, pm.nmentions)
for _, s in ipairs{"Al-Kazemi", "al-Kadhimi", "Kadhimi", "Kazemi", "Mustafa al-Kadhimi",
                   "Mustafa Al-Kazemi", "Mustafa Kazemi", "Al Kazime", "@MAKadhimi", "MK"} do
  check("kadhimi: spelling " .. s, pmv[s], keys(pmv))
end
local allow = set{"Mustafa al-Kadhimi", "al-Kadhimi", "Al-Kadhimi", "Kadhimi",
  "@MAKadhimi", "MK", "Mustafa Al-Kazemi", "Mustafa Kazemi", "Al-Kazemi",
  "al-Kazemi", "Kazemi", "Al Kazime"}
local bad = {}
for _, m in ipairs(pm:mentions()) do
  if not allow[m.text] then bad[#bad + 1] = m.docid .. ":" .. m.start .. " " .. m.text end
  -- the mention's bytes are the document's
  if m.doc.text:sub(m.start, m.stop) ~= m.text then bad[#bad + 1] = "offsets " .. m.text end
end
check("kadhimi: every mention is a Kadhimi spelling", #bad == 0, table.concat(bad, "; "))
local docs = {}
for _, m in ipairs(pm:mentions()) do docs[m.docid] = (docs[m.docid] or 0) + 1 end
check("kadhimi: 'Kazime' in 003's title", docs["003_21d5d0816ff0cbf2"] and pmv["Al Kazime"])

-- Possessives and compounds are found, without their "'s" or suffix.
local rules = set(pm:mentions(), "rule")
local poss = 0
for _, m in ipairs(pm:mentions()) do
  if m.doc.text:sub(m.stop + 1, m.stop + 4):match("^[’']s") then poss = poss + 1 end
end
check("kadhimi: possessives found by the aliases (Kadhimi’s, Al-Kazemi's)", poss >= 9, tostring(poss))
check("kadhimi: compounds found (Kadhimi-fasa’il, MK-fasa’il)", rules["pm-compound"], keys(rules))
local clitic = {}
for _, m in ipairs(c:mentions()) do
  if m.text:find("['’]s$") and m.text ~= "Prime Minister's Office" then
    clitic[#clitic + 1] = m.docid .. " " .. m.text
  end
end
check("no mention ends in 's", #clitic == 0, table.concat(clitic, "; "))

-- Kataib Hezbollah.
local kh = entity("kh")
local khv = set(kh:variants(), "text")
for _, s in ipairs{"Kataib Hezbollah", "Kata'ib Hezbollah", "Khataib Hezbollah",
                   "Kathaib Hezbollah", "Hezbollah Brigades", "Hezbollah brigades", "KH"} do
  check("kh: spelling " .. s, khv[s], keys(khv))
end
check("kh: 26 mentions in 4 documents", kh.nmentions == 26 and kh.ndocs == 4,
      kh.nmentions .. " in " .. kh.ndocs)
local lower = {}
for _, m in ipairs(kh:mentions()) do
  if m.text ~= "KH" and not m.text:find("Hezbollah") then lower[#lower + 1] = m.text end
end
check("kh: no other text (no 'kh')", #lower == 0, table.concat(lower, ", "))
-- Bare "Hezbollah" (Lebanese) never occurs alone in the articles.
local hz = c:entity("hezbollah")
check("hezbollah (Lebanese): no mention", hz == nil or hz.nmentions == 0, hz and hz.nmentions)
local nuj = entity("nujaba")
check("nujaba: Harakat Hezbollah al-Nujaba", nuj.nmentions == 1)

-- Asaib Ahl al-Haq and its leader.
local aah = entity("aah")
local aahv = set(aah:variants(), "text")
for _, s in ipairs{"AAH", "Asaib Ahl al-Haq", "Asaib Ahl Al-Haq", "Asa’ib Ahl al-Haq",
                   "Asaib Ahl AlHaq", "Asaib", "AHH"} do
  check("aah: spelling " .. s, aahv[s], keys(aahv))
end
check("aah: 31 mentions", aah.nmentions == 31, aah.nmentions)
local kz = entity("al-khazali")
local kzv = set(kz:variants(), "text")
for _, s in ipairs{"Qais al-Khazali", "Qais Khazali", "Khazali"} do
  check("al-khazali: spelling " .. s, kzv[s], keys(kzv))
end
check("al-khazali: in 000 and 004", kz.ndocs == 2, kz.ndocs)

-- The PMF, in all five articles, and the other actors of the brief.
local pmf = entity("pmf")
local pmfv = set(pmf:variants(), "text")
for _, s in ipairs{"PMF", "PMU", "Popular Mobilization Forces", "Popular Mobilization Units",
                   "Al-Hashd Al-Shaabi", "Hashd"} do
  check("pmf: spelling " .. s, pmfv[s], keys(pmfv))
end
check("pmf: in all 5 documents", pmf.ndocs == 5, pmf.ndocs)
for id, spellings in pairs{
  ["al-muhandis"] = {"Abu Mahdi al-Muhandis", "Abu Muhandis", "Muhandis"},
  soleimani = {"Qassem Soleimani", "Qasim Soleimani", "Soleimani"},
  khamenei = {"Ali Khamenei", "Khamenei"},
  ["al-sistani"] = {"Ali al-Sistani"},
  ["al-fayyadh"] = {"Falah al-Fayyad"},
  ["al-araji"] = {"Qassem al-Araji", "Qasim al-Araji", "Al-Araji", "@qassimalaraji"},
  qaani = {"Esmail Qaani", "Ismail Qaani", "Qaani"},
  ["green-zone"] = {"Green Zone", "#Green_Zone", "GZ"},
  ["us-embassy"] = {"US Embassy", "U.S. embassy", "@USEmbBaghdad"},
  ["camp-taji"] = {"Taji Base"},
} do
  local e = entity(id)
  local v = set(e:variants(), "text")
  for _, s in ipairs(spellings) do check(id .. ": spelling " .. s, v[s], keys(v)) end
end

-- Places: every article is about Iraq; "us" (the pronoun) is not the US.
local iraq = entity("iraq")
check("iraq: in all 5 documents", iraq.ndocs == 5, iraq.ndocs)
local us = entity("us")
local usv = set(us:variants(), "text")
check("us: only United States, US, U.S.", keys(usv) == "U.S. | US | United States", keys(usv))

-- The whole table: known types, persons listed, no overlapping mentions.
local types = set{"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "DATE", "HANDLE"}
local badtype = {}
for _, e in ipairs(c:entities()) do
  if not types[e.type] then badtype[#badtype + 1] = e.id .. "=" .. e.type end
end
check("entity types", #badtype == 0, table.concat(badtype, ", "))
local persons = c:entities{type = "PERSON"}
check("persons: the PM is the most mentioned", persons[1] and persons[1].id == "kadhimi",
      persons[1] and persons[1].id)
check("persons: >= 30 people", #persons >= 30, #persons)
local last, overl = {}, {}
for _, m in ipairs(c:mentions()) do
  local l = last[m.docid]
  if l and m.start <= l.stop then overl[#overl + 1] = m.docid .. " " .. l.text .. "/" .. m.text end
  if not l or m.stop > l.stop then last[m.docid] = m end
end
check("no overlapping mentions", #overl == 0, table.concat(overl, "; "))
local dates = c:mentions{type = "DATE"}
local mdy = 0
for _, m in ipairs(dates) do if m.text:find("^%d+/%d+/%d+$") then mdy = mdy + 1 end end
check("DATE: the 35 dates like 12/25/20 in 004's sources", mdy == 35, mdy)
LUA

run "$TRAWL" run -e "$ACTORS" "$TMP/corpus"
expect_rc "actors script" 0
while IFS= read -r line; do
  case "$line" in
    "ok "*) ok "${line#ok }" ;;
    "not ok "*) not_ok "${line#not ok }" ;;
  esac
done <<<"$OUT"
[ -n "$ERR" ] && echo "$ERR" >&2

# ---- spellings that are not in the corpus still work -------------------
mkdir -p "$TMP/mini"
printf 'Kata’ib Hezbollah’s fighters met Al Kazemi. Hezbollah stayed in Lebanon.\n' >"$TMP/mini/a.txt"
run "$TRAWL" apply -q "$RULES" "$TMP/mini"
expect_rc "apply to a small corpus" 0
run "$TRAWL" run -e '
  local c = trawl.corpus()
  for _, m in ipairs(c:mentions()) do print(m.entity or m.type, m.text) end' "$TMP/mini"
expect_out "curly apostrophe, possessive: Kata’ib Hezbollah" "^kh	Kata’ib Hezbollah$"
expect_out "hyphen as space: Al Kazemi" "^kadhimi	Al Kazemi$"
expect_out "bare Hezbollah is the Lebanese party" "^hezbollah	Hezbollah$"

finish

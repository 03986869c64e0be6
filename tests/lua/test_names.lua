-- LuaUnit tests of trawl.names: keys, similarity and its details, the pair
-- search, clustering, acronyms from documents and strings, and the quality
-- thresholds on the labelled pairs (tests/fixtures/names/pairs.tsv).
local lu = require "luaunit"
local trawl = require "trawl"
local names = require "trawl.names"

local PAIRS = "tests/fixtures/names/pairs.tsv"

TestKey = {}

function TestKey:test_module()
  lu.assertIs(names, trawl.names)   -- the Lua helpers extend the C module
  lu.assertIsFunction(names.cluster)
end

function TestKey:test_one_key_for_the_pm()
  for _, s in ipairs{"Kadhimi", "al-Kadhimi", "Al-Kazemi", "Kazemi", "Kazime", "Al Kazime"} do
    lu.assertEquals(names.key(s), "kazimi", s)
  end
end

function TestKey:test_options()
  lu.assertEquals(names.key("Asa’ib Ahl al-Haq", {spaces = true}), "asaib ahl hak")
  lu.assertEquals(names.key("Qasim al-Araji", {articles = true}), "kasimalaraji")
  lu.assertEquals(names.key("Qasim al-Araji", {articles = true, spaces = true}), "kasim al araji")
  lu.assertEquals(names.key(""), "")
  lu.assertErrorMsgContains("string expected", names.key, nil)
  lu.assertErrorMsgContains("table expected", names.key, "x", 3)
end

TestSimilar = {}

function TestSimilar:test_details()
  local s, d = names.similar("Kazemi", "Mustafa al-Kadhimi")
  lu.assertTrue(s > 0.9)
  lu.assertEquals(d.key_a, "kazimi")
  lu.assertEquals(d.key_b, "mustafakazimi")
  lu.assertFalse(d.same_key)
  lu.assertTrue(d.partial)
  for _, k in ipairs{"edit", "jaro_winkler", "tokens"} do
    lu.assertTrue(d[k] >= 0 and d[k] <= 1, k)
  end
  s, d = names.similar("Qaani", "Ghaani")
  lu.assertEquals(s, 1)
  lu.assertTrue(d.same_key)
end

function TestSimilar:test_issue_links_and_negatives()
  for _, p in ipairs{{"Kazemi", "Kadhimi"}, {"Qaani", "Ghaani"}, {"Khazali", "Khaz'ali"},
      {"Qassem", "Qasim"}, {"Hissam", "Hossam"}, {"Asaib", "Asa’ib"},
      {"Kataib", "Khataib"}, {"Khataib", "Kathaib"}, {"Kathaib", "Kata'ib"},
      {"Muhandis", "Mohandes"}} do
    lu.assertTrue(names.similar(p[1], p[2]) >= names.THRESHOLD, p[1] .. " ~ " .. p[2])
  end
  for _, p in ipairs{{"Qassem al-Araji", "Qassem Soleimani"},
      {"Ali Khamenei", "Ali al-Sistani"}, {"Hakim", "Hamidawi"}} do
    lu.assertTrue(names.similar(p[1], p[2]) < names.THRESHOLD, p[1] .. " ~ " .. p[2])
  end
end

function TestSimilar:test_partial_modes()
  lu.assertTrue(names.similar("Nineveh", "Nineveh Governorate", {partial = "prefix"}) >= 0.85)
  lu.assertTrue(names.similar("Nineveh", "Nineveh Governorate") < 0.85)
  lu.assertTrue(names.similar("Kazemi", "Mustafa Kazemi", {partial = "none"}) < 0.85)
  lu.assertTrue(names.similar("Kazemi", "Mustafa Kazemi", {partial = "both"}) >= 0.85)
  lu.assertErrorMsgContains("invalid option", names.similar, "a", "b", {partial = "middle"})
end

function TestSimilar:test_distance_and_jaro_winkler()
  lu.assertEquals(names.distance("kazimi", "kazimi"), 0)
  lu.assertTrue(names.distance("kazim", "kadim") < names.distance("kazim", "karim"))
  lu.assertAlmostEquals(names.jaro_winkler("martha", "marhta"), 0.961, 0.001)
end

TestPairs = {}

function TestPairs:test_pairs()
  local list = {"Kazemi", "Qassem Soleimani", "Mustafa al-Kadhimi", "Qassem al-Araji",
                "Al Kazime", "Qasim Soleimani"}
  local found = {}
  for _, p in ipairs(names.pairs(list)) do
    lu.assertTrue(p[1] < p[2])
    lu.assertTrue(p[3] >= 0.85)
    found[p[1] .. "-" .. p[2]] = true
  end
  lu.assertTrue(found["1-3"] and found["1-5"] and found["3-5"] and found["2-6"])
  lu.assertNil(found["2-4"])
  lu.assertEquals(#names.pairs({}), 0)
  lu.assertEquals(#names.pairs(list, {threshold = 1.01}), 0)
  lu.assertErrorMsgContains("not a string", names.pairs, {"a", {}})
end

function TestPairs:test_cluster_keeps_chains_apart()
  local list = {"Qassem al-Araji", "Qassem", "Qassem Soleimani", "Qasim al-Araji",
                "Soleimani", "Kazemi", "Al-Kazemi", "Mustafa al-Kadhimi"}
  local clusters, of = names.cluster(list)
  lu.assertEquals(of[1], of[4])           -- the two spellings of al-Araji
  lu.assertEquals(of[3], of[5])           -- Soleimani, with and without a given name
  lu.assertNotEquals(of[1], of[3])        -- al-Araji is not Soleimani
  lu.assertEquals(of[6], of[8])
  lu.assertEquals(of[7], of[8])
  local seen = 0
  for _, m in ipairs(clusters) do seen = seen + #m end
  lu.assertEquals(seen, #list)
end

TestAcronyms = {}

function TestAcronyms:test_from_text()
  local text = "Afterward the Interior Ministry arrested Asaib Ahl Al-Haq (AAH) commander."
  local a = names.acronyms(text)
  lu.assertEquals(#a, 1)
  lu.assertEquals(a[1].short, "AAH")
  lu.assertEquals(a[1].long, "Asaib Ahl Al-Haq")
  lu.assertEquals(text:sub(a[1].short_start, a[1].short_stop), "AAH")
  lu.assertEquals(text:sub(a[1].long_start, a[1].long_stop), "Asaib Ahl Al-Haq")
end

function TestAcronyms:test_from_documents()
  local c = assert(trawl.open("corpus/", {quiet = true, store = false}))
  local found = {}
  for d in c:docs() do
    for _, a in ipairs(names.acronyms(d)) do
      lu.assertEquals(d:sub(a.short_start, a.short_stop), a.short)
      lu.assertEquals(d:sub(a.long_start, a.long_stop), a.long)
      found[#found + 1] = a.short .. "=" .. a.long
    end
  end
  table.sort(found)
  lu.assertEquals(found, {"AAH=Asaib Ahl Al-Haq", "CTS=Counter Terror Service",
    "GCC=Gulf Cooperation Council", "KH=Kataib Hezbollah",
    "PMF=Popular Mobilization Forces", "PMU=Popular Mobilization Units"})
  local d = c:doc(1)
  c:close()
  lu.assertErrorMsgContains("closed corpus", names.acronyms, d)
end

function TestAcronyms:test_long_form_and_is_acronym()
  local lf, i, j = names.long_form("GCC", "Iraq, the United States, and the Gulf Cooperation Council")
  lu.assertEquals(lf, "Gulf Cooperation Council")
  lu.assertEquals(("Iraq, the United States, and the Gulf Cooperation Council"):sub(i, j), lf)
  lu.assertNil(names.long_form("AAH", "the 2nd major Kadhimi-fasa’il confrontation"))
  lu.assertTrue(names.is_acronym("U.S."))
  lu.assertFalse(names.is_acronym("Twitter"))
end

TestQuality = {}

-- The targets of issue 4: clustering F1 of 0.9 or more on the labelled
-- pairs, and none of the hard negatives merged.
function TestQuality:test_labelled_pairs()
  local pairs_ = names.read_pairs(PAIRS)
  lu.assertTrue(#pairs_ >= 150, "at least 150 labelled pairs")
  local hard = 0
  for _, p in ipairs(pairs_) do
    if p.note:match("^hard negative") then hard = hard + 1 end
  end
  lu.assertTrue(hard >= 3)
  local r = names.evaluate(pairs_)
  lu.assertTrue(r.clustering.f1 >= 0.9, ("clustering F1 %.3f"):format(r.clustering.f1))
  lu.assertTrue(r.scoring.f1 >= 0.9, ("scoring F1 %.3f"):format(r.scoring.f1))
  lu.assertEquals(#r.hard_merged, 0)
end

os.exit(lu.LuaUnit.run())

-- LuaUnit tests of the analysis library (scripts/lib/trawl/analysis.lua
-- over engine/stats.h): every measure against values worked out by hand
-- here, with the formula written next to them, then freq, kwic,
-- collocations, keyness, dispersion, cooccur, timeline and duplicates on
-- small fixtures and on the sample corpus.
--   trawl run tests/lua/test_analysis.lua
local lu = require "luaunit"
local trawl = require "trawl"
local an = require "trawl.analysis"

local tmp = (os.getenv("TRAWL_TEST_TMP") or "/tmp") .. "/analysis"
os.execute("rm -rf '" .. tmp .. "' && mkdir -p '" .. tmp .. "'")

local log, sqrt = math.log, math.sqrt
local function log2(x) return log(x) / log(2) end
local EPS = 1e-9

local function near(a, b, eps, msg)
  lu.assertTrue(a ~= nil, msg)
  lu.assertAlmostEquals(a, b, eps or EPS, msg)
end

-- A JSON Lines corpus of the given records (no store).
local function jsonl(name, records)
  local json = require "trawl.json"
  local path = tmp .. "/" .. name .. ".jsonl"
  local f = assert(io.open(path, "wb"))
  for _, r in ipairs(records) do f:write(json.encode(r), "\n") end
  f:close()
  return assert(trawl.open(path, {quiet = true}))
end

-- The fixture: three short documents, two with a date.
local A = "On 25 June 2020 Kataib Hezbollah attacked the Green Zone. The militias denied it.\n\nKata’ib Hezbollah said nothing."
local B = "On 26 December 2020 Kadhimi met Kataib Hezbollah leaders in Baghdad. Kadhimi left.\n\nThe militias left Baghdad."
local C = "Militias and militias. Kadhimi spoke yesterday."
local TEXT = {a = A, b = B, c = C}
local function fixture()
  return jsonl("fix", {
    {id = "a", date = "2020-06-25", text = A},
    {id = "b", date = "2020-12-27", text = B},
    {id = "c", text = C},
  })
end

-- A mention of the nth occurrence of s in document id.
local function mention(id, s, nth, entity, type)
  local from = 1
  for _ = 1, nth - 1 do from = select(2, TEXT[id]:find(s, from, true)) + 1 end
  local i, j = TEXT[id]:find(s, from, true)
  return {docid = id, start = i, stop = j, entity = entity, type = type, text = s}
end

local MENTIONS = {
  mention("a", "Kataib Hezbollah", 1, "kh", "ORG"),
  mention("a", "Green Zone", 1, "green-zone", "LOC"),
  mention("a", "Kata’ib Hezbollah", 1, "kh", "ORG"),
  mention("b", "Kadhimi", 1, "kadhimi", "PERSON"),
  mention("b", "Kataib Hezbollah", 1, "kh", "ORG"),
  mention("b", "Baghdad", 1, "baghdad", "GPE"),
  mention("b", "Kadhimi", 2, "kadhimi", "PERSON"),
  mention("b", "Baghdad", 2, "baghdad", "GPE"),
  mention("c", "Kadhimi", 1, "kadhimi", "PERSON"),
}

-- ---------------------------------------------------------------------
TestMeasures = {}

-- One 2x2 table, every measure by hand:
--   o11 = 10  o12 = 40   | r1 = 50
--   o21 = 90  o22 = 9860 | r2 = 9950      N = 10000
--   c1 = 100  c2 = 9900
-- e11 = r1 c1 / N = 50 * 100 / 10000 = 0.5
-- e12 = 50 * 9900 / 10000 = 49.5; e21 = 9950 * 100 / 10000 = 99.5;
-- e22 = 9950 * 9900 / 10000 = 9850.5
function TestMeasures:test_hand_table()
  local t = an.contingency(10, 40, 90, 9860)
  lu.assertEquals({t.r1, t.r2, t.c1, t.c2, t.n}, {50, 9950, 100, 9900, 10000})
  near(t.e11, 0.5)
  near(t.e12, 49.5)
  near(t.e21, 99.5)
  near(t.e22, 9850.5)
  local m = an.measures(t)
  -- G2 = 2 (10 ln(10/0.5) + 40 ln(40/49.5) + 90 ln(90/99.5)
  --         + 9860 ln(9860/9850.5)) = 43.8137119716
  local g = 2 * (10 * log(10 / 0.5) + 40 * log(40 / 49.5) + 90 * log(90 / 99.5)
                 + 9860 * log(9860 / 9850.5))
  near(g, 43.81371197162112)
  near(m.llr, g)
  -- p = P(chi2_1 >= G2) = erfc(sqrt(G2 / 2)) = 3.6117e-11
  near(m.p, 3.611658020511541e-11, 1e-16)
  -- MI = log2(o11 / e11) = log2(20) = 4.3219280949
  near(m.mi, log2(10 / 0.5))
  near(m.mi, 4.321928094887363)
  -- MI3 = log2(o11^3 / e11) = log2(2000) = 10.9657842847
  near(m.mi3, 10.965784284662087)
  -- t = (o11 - e11) / sqrt(o11) = 9.5 / sqrt(10) = 3.0041637772
  near(m.t, 9.5 / sqrt(10))
  near(m.t, 3.00416377715996)
  -- z = (o11 - e11) / sqrt(e11) = 9.5 / sqrt(0.5) = 13.4350288425
  near(m.z, 13.435028842544401)
  -- Dice = 2 o11 / (r1 + c1) = 20 / 150; logDice = 14 + log2(Dice)
  near(m.dice, 20 / 150)
  near(m.logdice, 11.09310940439148)
  -- log ratio = log2(((o11 + .5) / r1) / ((o21 + .5) / r2))
  --           = log2((10.5 / 50) / (90.5 / 9950)) = 4.5290961562
  near(m.log_ratio, 4.529096156239204)
  -- low: o11 < 5 or e11 < 1; here e11 = 0.5
  lu.assertTrue(m.low)
  -- With o11 = 10 and e11 >= 1 it is not low: 10, 40, 90, 860 (N 1000):
  -- e11 = 50 * 100 / 1000 = 5.
  local t2 = an.contingency(10, 40, 90, 860)
  near(t2.e11, 5)
  lu.assertFalse(an.measures(t2).low)
  -- And o11 = 4 is low whatever e11 is.
  lu.assertTrue(an.measures(an.contingency(4, 0, 0, 4)).low)
end

-- Dice takes the two items' own frequencies when given (collocations:
-- f_node and f_coll): 2 * 10 / (20 + 30) = 0.4, logDice = 14 + log2(0.4).
function TestMeasures:test_dice_with_frequencies()
  local m = an.measures(an.contingency(10, 40, 90, 9860), 20, 30)
  near(m.dice, 0.4)
  near(m.logdice, 14 + log2(0.4))
end

-- Under-use: o11 < e11 gives a negative G2.
--   o11 = 2, o12 = 998, o21 = 98, o22 = 8902 (N 10000); e11 = 1000 * 100
--   / 10000 = 10; G2 = 2 (2 ln(2/10) + 998 ln(998/990) + 98 ln(98/90)
--   + 8902 ln(8902/8910)) = 10.3248369091, reported as -10.3248...
function TestMeasures:test_signed_llr()
  local t = an.contingency(2, 998, 98, 8902)
  near(t.e11, 10)
  local g = 2 * (2 * log(2 / 10) + 998 * log(998 / 990) + 98 * log(98 / 90)
                 + 8902 * log(8902 / 8910))
  near(g, 10.324836909147256, 1e-9)
  near(an.llr(t), -g)
end

-- Zero cells contribute 0 (the limit of o ln o).
function TestMeasures:test_zero_cells()
  local t = an.contingency(5, 0, 0, 5)
  -- e11 = 5 * 5 / 10 = 2.5, e22 = 2.5; G2 = 2 (5 ln 2 + 5 ln 2) = 20 ln 2
  near(an.llr(t), 20 * log(2))
  -- log ratio with 0.5 smoothing: log2((5.5 / 5) / (0.5 / 5)) = log2(11)
  near(an.measures(t).log_ratio, log2(11))
end

-- Keyness: a = 30 of n1 = 1000 in the target, b = 70 of n2 = 9000 in the
-- rest. Table: 30, 970, 70, 8930; e11 = 1000 * 100 / 10000 = 10.
-- G2 = 2 (30 ln(30/10) + 970 ln(970/990) + 70 ln(70/90) + 8930 ln(8930/8910))
--    = 31.1843662218; log ratio = log2((30.5/1000) / (70.5/9000)) = 1.96111
function TestMeasures:test_keyness_row()
  local r = an.keyness_row(30, 1000, 70, 9000)
  lu.assertEquals({r.o11, r.o12, r.o21, r.o22}, {30, 970, 70, 8930})
  near(r.e11, 10)
  local g = 2 * (30 * log(3) + 970 * log(970 / 990) + 70 * log(70 / 90)
                 + 8930 * log(8930 / 8910))
  near(r.llr, g)
  near(r.llr, 31.18436622183644)
  near(r.log_ratio, 1.9611109866064051)
  near(r.rel_target, 30000)
  near(r.rel_rest, 70 / 9000 * 1e6)
  lu.assertFalse(r.low)
  -- a + b < 5 is low
  lu.assertTrue(an.keyness_row(2, 1000, 2, 9000).low)
end

-- Gries' DP: parts of sizes 10, 20, 30, 40 and all 4 hits in the first:
-- observed shares 1, 0, 0, 0; expected .1, .2, .3, .4;
-- DP = (0.9 + 0.2 + 0.3 + 0.4) / 2 = 0.9; DP_norm = 0.9 / (1 - 0.1) = 1.
function TestMeasures:test_dp()
  local dp, dpn = an.dp({4, 0, 0, 0}, {10, 20, 30, 40})
  near(dp, 0.9)
  near(dpn, 1)
  -- Spread as the sizes: 1, 2, 3, 4 -> DP 0.
  near((an.dp({1, 2, 3, 4}, {10, 20, 30, 40})), 0)
  lu.assertNil(an.dp({0, 0}, {5, 5}))
end

-- Juilland's D on relative frequencies r = f / s:
-- even (2, 2, 2, 2 of 10 each): sd 0 -> D = 1;
-- all in one (4, 0, 0, 0 of 10 each): r = .4, 0, 0, 0; mean .1;
-- sd = sqrt((.3^2 + 3 * .1^2) / 4) = sqrt(.03); D = 1 - (sqrt(.03)/.1)/sqrt(3) = 0
function TestMeasures:test_juilland()
  near(an.juilland({2, 2, 2, 2}, {10, 10, 10, 10}), 1)
  near(an.juilland({4, 0, 0, 0}, {10, 10, 10, 10}), 0, 1e-12)
  -- 3, 1 of 10, 10: r = .3, .1; mean .2; sd .1; D = 1 - (.1/.2)/1 = .5
  near(an.juilland({3, 1}, {10, 10}), 0.5)
  lu.assertNil(an.juilland({3}, {10}))
end

-- ---------------------------------------------------------------------
TestCollocations = {}

-- Counted tokens: d1 "a b node c d . E node f ." (8), d2 "c x y z ." (4):
-- N = 12, node twice; window 1 -> b, c, e, f: r1 = 4.
-- Collocate c: o11 = 1, f_coll = 2 -> o12 = 4 - 1 = 3, o21 = 2 - 1 = 1,
-- o22 = 12 - 4 - 1 = 7; e11 = r1 * c1 / N = 4 * 2 / 12 = 2/3.
function TestCollocations:test_hand_counts()
  local c = jsonl("colloc", {{id = "d1", text = "a b node c d. E node f."},
                             {id = "d2", text = "c x y z."}})
  local rows = assert(c:collocations("node", {window = 1}))
  lu.assertEquals(rows.f_node, 2)
  lu.assertEquals(rows.N, 12)
  lu.assertEquals(rows.r1, 4)
  lu.assertEquals(#rows, 4)
  local byterm = {}
  for _, r in ipairs(rows) do byterm[r.term] = r end
  local r = byterm.c
  lu.assertEquals({r.o11, r.o12, r.o21, r.o22}, {1, 3, 1, 7})
  lu.assertEquals({r.f_node, r.f_coll, r.left, r.right}, {2, 2, 0, 1})
  near(r.e11, 2 / 3)
  -- MI = log2(1 / (2/3)) = log2(1.5)
  near(r.mi, log2(1.5))
  near(r.mi3, log2(1 / (2 / 3)))
  near(r.t, (1 - 2 / 3) / 1)
  near(r.z, (1 - 2 / 3) / sqrt(2 / 3))
  -- G2 over 1, 3, 1, 7 with e = 4*2/12, 4*10/12, 8*2/12, 8*10/12
  local g = 2 * (1 * log(1 / (8 / 12)) + 3 * log(3 / (40 / 12)) +
                 1 * log(1 / (16 / 12)) + 7 * log(7 / (80 / 12)))
  near(r.llr, g)
  -- Dice on f_node and f_coll: 2 * 1 / (2 + 2) = 0.5
  near(r.dice, 0.5)
  near(r.logdice, 13)
  -- log ratio = log2(((1 + .5) / 4) / ((1 + .5) / 8)) = log2(2) = 1
  near(r.log_ratio, 1)
  lu.assertTrue(r.low)
  lu.assertTrue(rows.low) -- the node occurs fewer than 5 times
  lu.assertStrContains(rows.note, "2 times")
  -- Collocate b: left of the node; f_coll 1 -> o21 = 0.
  lu.assertEquals({byterm.b.left, byterm.b.right, byterm.b.o21}, {1, 0, 0})
end

function TestCollocations:test_options()
  local c = jsonl("colloc2", {{id = "d1", text = "a b node c d. E node f."}})
  -- Window 2 in sentences: a b [node] c d; E [node] f -> r1 = 6.
  lu.assertEquals(c:collocations("node", {window = 2}).r1, 6)
  -- Left 2, right 0: a b [node]; E [node] -> 3; across sentences the
  -- second window also takes d -> 4.
  local r = c:collocations("node", {left = 2, right = 0})
  lu.assertEquals(r.r1, 3)
  lu.assertEquals(c:collocations("node", {left = 2, right = 0, sentence = false}).r1, 4)
  -- min: o11 >= 2 leaves nothing; sorting by another measure; top.
  lu.assertEquals(#c:collocations("node", {window = 2, min = 2}), 0)
  local mi = c:collocations("node", {window = 2, measure = "mi", top = 2})
  lu.assertEquals(#mi, 2)
  lu.assertEquals(mi.measure, "mi")
  lu.assertTrue(mi[1].mi >= mi[2].mi)
  lu.assertErrorMsgContains("unknown measure", function()
    c:collocations("node", {measure = "nope"})
  end)
  local none, err = c:collocations("   ")
  lu.assertNil(none)
  lu.assertStrContains(err, "no tokens")
end

-- ---------------------------------------------------------------------
TestFreq = {}

-- Counted tokens by hand: a 10 + 4 + 4 = 18, b 11 + 2 + 4 = 17, c 3 + 3 = 6.
function TestFreq:test_counts()
  local c = fixture()
  local f = c:freq()
  lu.assertEquals(f.N, 41)
  lu.assertEquals(f.sizes, {18, 17, 6})
  lu.assertEquals(f.ndocs, 3)
  local by = {}
  for _, r in ipairs(f) do by[r.term] = r end
  -- militias: a 1, b 1, c 2 ("Militias and militias")
  lu.assertEquals(by.militias.count, 4)
  lu.assertEquals(by.militias.docs, 3)
  near(by.militias.rel, 4 / 41 * 1e6)
  near(by.militias.range, 1)
  lu.assertTrue(by.militias.low) -- fewer than 5
  lu.assertEquals(by.kadhimi.count, 3)
  lu.assertEquals(by.kataib.count, 2)
  lu.assertEquals(by["kata'ib"].count, 1) -- Kata’ib, normalised
  lu.assertEquals(f[1].term, "militias") -- 4, the most frequent
  lu.assertNil(by["."])
  lu.assertTrue(by.the.stop)
end

function TestFreq:test_options()
  local c = fixture()
  -- Stop words out, top, min.
  local f = c:freq{stopwords = false, top = 3}
  lu.assertEquals(#f, 3)
  for _, r in ipairs(f) do lu.assertFalse(r.stop) end
  local m = c:freq{min = 3}
  for _, r in ipairs(m) do lu.assertTrue(r.count >= 3) end
  -- Words as written: "Militias" and "militias" apart.
  local w = c:freq{unit = "word"}
  local by = {}
  for _, r in ipairs(w) do by[r.term] = r.count end
  lu.assertEquals(by.militias, 3)
  lu.assertEquals(by.Militias, 1)
  lu.assertEquals(by["Kata’ib"], 1)
  -- Punctuation counted: 6 + 4 + 2 = 12 more tokens ("." "." "." in a; ...)
  local p = c:freq{punct = true}
  lu.assertEquals(p.N, 41 + 3 + 3 + 2)
  -- Bigrams: "kataib hezbollah" twice; none across a sentence end.
  local g = c:freq{unit = "ngram", n = 2}
  local bg = {}
  for _, r in ipairs(g) do bg[r.term] = r.count end
  lu.assertEquals(bg["kataib hezbollah"], 2)
  lu.assertNil(bg["zone the"])
  lu.assertEquals(g.unit, "ngram")
  -- Per document.
  local d = c:freq{by_doc = true}
  for _, r in ipairs(d) do
    if r.term == "militias" then
      lu.assertEquals(r.by_doc, {a = 1, b = 1, c = 2})
      near(r.by_doc_rel.c, 2 / 6 * 1e6)
    end
  end
  lu.assertErrorMsgContains("must be one of", function() c:freq{unit = "lemma"} end)
  lu.assertErrorMsgContains("n must be 2 to 8", function() c:freq{unit = "ngram", n = 9} end)
end

function TestFreq:test_entities()
  local c = fixture()
  local f = c:freq{unit = "entity", mentions = MENTIONS}
  local by = {}
  for _, r in ipairs(f) do by[r.term] = r end
  lu.assertEquals(by.kh.count, 3)
  lu.assertEquals(by.kh.docs, 2)
  lu.assertEquals(by.kadhimi.count, 3)
  lu.assertEquals(by.baghdad.count, 2)
  near(by.kh.rel, 3 / 41 * 1e6) -- per million tokens
  lu.assertEquals(f.N, 9)
  local p = c:freq{unit = "entity", mentions = MENTIONS, types = "PERSON"}
  lu.assertEquals(#p, 1)
  -- The same from rules run on the fly.
  local rs = assert(trawl.rules.load("tests/fixtures/rules/mini.lua"))
  local r = c:freq{unit = "entity", rules = rs}
  local byr = {}
  for _, x in ipairs(r) do byr[x.term] = x end
  lu.assertEquals(byr.kh.count, 3)
  lu.assertEquals(byr.kadhimi.count, 3)
  lu.assertEquals(byr.kh.name, "Kataib Hezbollah")
  lu.assertErrorMsgContains("has no store", function() c:freq{unit = "entity"} end)
end

-- ---------------------------------------------------------------------
TestKwic = {}

function TestKwic:test_phrase_on_norms()
  local c = fixture()
  local lines = assert(c:kwic("Kata'ib hezbollah", {width = 10}))
  lu.assertEquals(#lines, 1)
  local l = lines[1]
  lu.assertEquals(l.match, "Kata’ib Hezbollah")
  lu.assertEquals(l.docid, "a")
  lu.assertEquals(A:sub(l.start, l.stop), "Kata’ib Hezbollah")
  lu.assertEquals(l.left, "nied it.  ") -- 10 characters, line breaks as spaces
  lu.assertEquals(l.right, " said noth")
  lu.assertEquals(l.sentence, 3)
  lu.assertEquals(l.doc.id, "a")
  lu.assertEquals(l.doc:sentence(l.sentence).text, "Kata’ib Hezbollah said nothing.")
  lu.assertEquals(l.pos, 14) -- 10 + 4 counted tokens before it
  local two = c:kwic("kataib hezbollah")
  lu.assertEquals(#two, 2)
  lu.assertEquals(two.total, 2)
end

function TestKwic:test_width_sort_limit()
  local c = fixture()
  local t = c:kwic("militias", {width = {tokens = 2}})
  lu.assertEquals(#t, 4)
  lu.assertEquals(t[1].left, ". The ") -- two tokens: "." and "The"
  lu.assertEquals(t[1].right, " denied it")
  -- Sorted by the word on the left: and, the, the, (none) -> "" first.
  local s = c:kwic("militias", {sort = "left"})
  local firsts = {}
  for _, l in ipairs(s) do firsts[#firsts + 1] = l.left:match("(%S+)%s*$") or "" end
  lu.assertEquals(s[1].left, "") -- "Militias" starts document c
  lu.assertEquals(firsts[2], "and")
  local r = c:kwic("militias", {sort = "right"})
  lu.assertEquals(r[1].right:match("^%s*(%S+)"), "and")
  local lim = c:kwic("militias", {limit = 2})
  lu.assertEquals(#lim, 2)
  lu.assertEquals(lim.total, 4)
end

function TestKwic:test_regex_pattern_entity()
  local c = fixture()
  local re = assert(c:kwic({regex = "kata.?ib", flags = "i"}))
  lu.assertEquals(#re, 3)
  local bad, err = c:kwic({regex = "(unclosed"})
  lu.assertNil(bad)
  lu.assertStrContains(err, "missing closing parenthesis")
  local p = assert(c:kwic({pattern = {{LOWER = "kataib"}, {LOWER = "hezbollah"}}}))
  lu.assertEquals(#p, 2)
  lu.assertEquals(p[1].match, "Kataib Hezbollah")
  local p2 = assert(c:kwic({pattern = {{IS_TITLE = true, OP = "+"}, {LOWER = "left"}}}))
  lu.assertEquals(#p2, 1)
  lu.assertEquals(p2[1].match, "Kadhimi left")
  local nop, perr = c:kwic({pattern = {{LOWERR = "x"}}})
  lu.assertNil(nop)
  lu.assertStrContains(perr, "unknown attribute")
  local e = assert(c:kwic({entity = "kh"}, {mentions = MENTIONS}))
  lu.assertEquals(#e, 3)
  lu.assertEquals(e[2].match, "Kata’ib Hezbollah")
  local rs = assert(trawl.rules.load("tests/fixtures/rules/mini.lua"))
  lu.assertEquals(#assert(c:kwic({entity = "kadhimi"}, {rules = rs})), 3)
end

-- ---------------------------------------------------------------------
TestKeyness = {}

-- Target c (6 tokens) against a + b (35): militias 2 of 6 vs 2 of 35.
function TestKeyness:test_target()
  local c = fixture()
  local k = assert(c:keyness({"c"}))
  lu.assertEquals(k.N_target, 6)
  lu.assertEquals(k.N_rest, 35)
  local by = {}
  for _, r in ipairs(k) do by[r.term] = r end
  local r = by.militias
  lu.assertEquals({r.target, r.rest, r.o11, r.o12, r.o21, r.o22}, {2, 2, 2, 4, 2, 33})
  local e11 = 6 * 4 / 41
  near(r.e11, e11)
  local e12, e21, e22 = 6 * 37 / 41, 35 * 4 / 41, 35 * 37 / 41
  near(r.llr, 2 * (2 * log(2 / e11) + 4 * log(4 / e12) + 2 * log(2 / e21)
                   + 33 * log(33 / e22)))
  near(r.log_ratio, log2((2.5 / 6) / (2.5 / 35)))
  lu.assertTrue(r.low)
  -- The same target as a predicate, and most key first.
  local k2 = assert(c:keyness(function(d) return d.id == "c" end))
  lu.assertEquals(k2[1].term, k[1].term)
  lu.assertTrue(k[1].llr >= k[2].llr)
  local none, err = c:keyness({})
  lu.assertNil(none)
  lu.assertStrContains(err, "no documents")
end

-- ---------------------------------------------------------------------
TestDispersion = {}

-- militias: 1, 1, 2 hits in parts of 18, 17, 6 tokens (N 41).
function TestDispersion:test_hand()
  local c = fixture()
  local d = assert(c:dispersion("militias"))
  lu.assertEquals(d.total, 4)
  lu.assertEquals(d.range, 3)
  local dp = 0.5 * (math.abs(1 / 4 - 18 / 41) + math.abs(1 / 4 - 17 / 41) +
                    math.abs(2 / 4 - 6 / 41))
  near(d.dp, dp)
  near(d.dp_norm, dp / (1 - 6 / 41))
  local r = {1 / 18, 1 / 17, 2 / 6}
  local mean = (r[1] + r[2] + r[3]) / 3
  local sd = sqrt(((r[1] - mean) ^ 2 + (r[2] - mean) ^ 2 + (r[3] - mean) ^ 2) / 3)
  near(d.juilland_d, 1 - (sd / mean) / sqrt(2))
  lu.assertEquals(d.docs[3].docid, "c")
  lu.assertEquals(d.docs[3].count, 2)
  lu.assertEquals(d.docs[3].offsets, {1, (C:find("militias", 1, true))})
  near(d.docs[3].positions[2], (C:find("militias", 1, true) - 1) / #C)
  near(d.docs[3].rel, 2 / 6 * 1e6)
  lu.assertTrue(d.low)
  -- An entity.
  local e = assert(c:dispersion({entity = "kadhimi"}, {mentions = MENTIONS}))
  lu.assertEquals(e.total, 3)
  lu.assertEquals(e.range, 2)
end

-- ---------------------------------------------------------------------
TestCooccur = {}

-- Sentences (N = 8): a1 {kh, green-zone} a2 {} a3 {kh}; b1 {kadhimi, kh,
-- baghdad} b2 {kadhimi} b3 {baghdad}; c1 {} c2 {kadhimi}.
-- Units: kh 3, kadhimi 3, baghdad 2, green-zone 1.
function TestCooccur:test_sentences()
  local c = fixture()
  local g = c:cooccur{mentions = MENTIONS}
  lu.assertEquals(g.N, 8)
  lu.assertEquals(g.within, "sentence")
  local nodes = {}
  for _, n in ipairs(g.nodes) do nodes[n.id] = n end
  lu.assertEquals(nodes.kh.weight, 3)
  lu.assertEquals(nodes.kh.units, 3)
  lu.assertEquals(nodes.kh.type, "ORG")
  lu.assertEquals(nodes.baghdad.units, 2)
  lu.assertEquals(#g.edges, 4)
  local e
  for _, x in ipairs(g.edges) do
    if (x.source == "kh" and x.target == "kadhimi") or (x.source == "kadhimi" and x.target == "kh") then e = x end
  end
  -- kh-kadhimi: o11 1, r1 3, c1 3, N 8 -> 1, 2, 2, 3; e11 = 9/8.
  lu.assertEquals({e.o11, e.o12, e.o21, e.o22, e.weight}, {1, 2, 2, 3, 1})
  near(e.e11, 9 / 8)
  local e12, e21, e22 = 3 * 5 / 8, 5 * 3 / 8, 5 * 5 / 8
  near(e.llr, -2 * (1 * log(1 / (9 / 8)) + 2 * log(2 / e12) + 2 * log(2 / e21)
                    + 3 * log(3 / e22)))
  near(e.dice, 2 * 1 / (3 + 3))
  lu.assertTrue(e.low)
end

-- The graph is in the format of the output helpers (when present).
function TestCooccur:test_graph_format()
  local ok, out = pcall(require, "trawl.out")
  local g = fixture():cooccur{mentions = MENTIONS}
  local ids = {}
  for _, n in ipairs(g.nodes) do ids[n.id] = true end
  for _, e in ipairs(g.edges) do lu.assertTrue(ids[e.source] and ids[e.target]) end
  if ok and type(out) == "table" and out.graphml then
    local xml = out.graphml(g)
    lu.assertStrContains(xml, "<graphml")
    lu.assertStrContains(xml, 'id="kh"')
  end
end

function TestCooccur:test_units_and_types()
  local c = fixture()
  -- Documents: kh in a, b; kadhimi in b, c -> kh-kadhimi 1 of N 3.
  local d = c:cooccur{mentions = MENTIONS, within = "doc"}
  lu.assertEquals(d.N, 3)
  -- Paragraphs: a {kh, gz} {kh}; b {kadhimi, kh, baghdad} {baghdad}; c
  -- {kadhimi} -> N 5; kadhimi-baghdad 1.
  local p = c:cooccur{mentions = MENTIONS, within = "paragraph"}
  lu.assertEquals(p.N, 5)
  -- Only PERSON and GPE: kadhimi-baghdad alone.
  local t = c:cooccur{mentions = MENTIONS, types = {"PERSON", "GPE"}}
  lu.assertEquals(#t.nodes, 2)
  lu.assertEquals(#t.edges, 1)
  lu.assertEquals(t.edges[1].weight, 1)
  -- Window 3: b Kadhimi(4) met Kataib(6) ... Baghdad(10); Kadhimi(11):
  -- pairs 2 apart: kadhimi-kh; Baghdad(10)-Kadhimi(11): 1 apart.
  local w = c:cooccur{mentions = MENTIONS, within = "window", window = 3}
  lu.assertEquals(w.N, 41)
  local got = {}
  for _, x in ipairs(w.edges) do got[x.source .. "-" .. x.target] = x.weight end
  lu.assertEquals(got["kadhimi-kh"] or got["kh-kadhimi"], 1)
  lu.assertEquals(got["kadhimi-baghdad"] or got["baghdad-kadhimi"], 1)
  -- The min filter on edge weight.
  lu.assertEquals(#c:cooccur{mentions = MENTIONS, min = 2}.edges, 0)
end

-- ---------------------------------------------------------------------
TestTimeline = {}

function TestTimeline:test_events()
  local c = fixture()
  local tl, err = c:timeline{mentions = MENTIONS}
  if not tl then
    lu.assertStrContains(err, "dates are not available")
    return
  end
  lu.assertEquals(#tl.events, 2)
  local e1, e2 = tl.events[1], tl.events[2]
  lu.assertEquals(e1.date, "2020-06-25")
  lu.assertEquals(e1.docid, "a")
  lu.assertEquals(e1.sentence, 1)
  lu.assertEquals(e1.entities, {"kh", "green-zone"})
  lu.assertEquals(e1.text, "On 25 June 2020 Kataib Hezbollah attacked the Green Zone.")
  lu.assertEquals(e2.date, "2020-12-26")
  lu.assertEquals(e2.entities, {"kadhimi", "kh", "baghdad"})
  -- "yesterday" in c, which has no date: no calendar value.
  for _, u in ipairs(tl.undated) do lu.assertNil(tostring(u.date):match("^%d%d%d")) end
  local only = c:timeline{mentions = MENTIONS, types = "GPE"}
  lu.assertEquals(only.events[1].entities, {})
  lu.assertEquals(#c:timeline{mentions = MENTIONS, types = "GPE", entities_only = true}.events, 1)
end

-- ---------------------------------------------------------------------
TestDuplicates = {}

-- Counted-token norms of a span, as the C side takes them.
local function words_of(span)
  local w = {}
  for t in span:tokens() do
    if t.kind ~= "punct" and t.kind ~= "symbol" then w[#w + 1] = t.norm end
  end
  return w
end

-- Jaccard of the sets of 5-word shingles, worked out in Lua.
local function jaccard(a, b)
  local function set(w)
    local s, n = {}, 0
    for i = 1, math.max(1, #w - 4) do
      local k = table.concat(w, " ", i, math.min(#w, i + 4))
      if not s[k] then s[k] = true; n = n + 1 end
    end
    return s, n
  end
  local sa, na = set(a)
  local sb, nb = set(b)
  local inter = 0
  for k in pairs(sa) do if sb[k] then inter = inter + 1 end end
  return inter / (na + nb - inter)
end

-- The sample corpus repeats paragraphs: document 000 ends with copies of
-- its paragraphs 31, 32, 21 and 22 (as 48 .. 51); only 32/49 is exact.
function TestDuplicates:test_sample_corpus()
  local c = assert(trawl.open("corpus", {quiet = true}))
  local exact = c:duplicates{near = false}
  lu.assertEquals(#exact, 1)
  lu.assertTrue(exact[1].exact)
  lu.assertEquals(exact[1].members[1].paragraph, 32)
  lu.assertEquals(exact[1].members[2].paragraph, 49)
  local g = c:duplicates{threshold = 0.3}
  lu.assertEquals(#g, 4)
  lu.assertEquals(g.copies, 4)
  local pairs_found = {}
  for _, grp in ipairs(g) do
    lu.assertEquals(grp.kind, "paragraph")
    lu.assertEquals(#grp.members, 2)
    local a, b = grp.members[1], grp.members[2]
    lu.assertEquals(a.docid, "000_1af78644860d8528")
    pairs_found[#pairs_found + 1] = a.paragraph .. "/" .. b.paragraph
    local d = a.doc
    local j = jaccard(words_of(d:paragraph(a.paragraph)), words_of(d:paragraph(b.paragraph)))
    near(b.jaccard, j, 1e-12, pairs_found[#pairs_found])
    lu.assertEquals(b.text, d:paragraph(b.paragraph).text)
    lu.assertEquals(b.words, #words_of(d:paragraph(b.paragraph)))
  end
  lu.assertEquals(pairs_found, {"21/50", "22/51", "31/48", "32/49"})
  -- At the default threshold (0.5): 22/51 (0.64), 31/48 (0.5), 32/49 (1).
  lu.assertEquals(#c:duplicates(), 3)
  -- No two documents are near copies.
  lu.assertEquals(#c:duplicates{level = "documents", threshold = 0.3}, 0)
end

-- skip_duplicates: the second copy of a repeated paragraph counts for
-- nothing in freq, kwic and collocations.
function TestDuplicates:test_skip()
  local c = assert(trawl.open("corpus", {quiet = true}))
  local d = c:doc("000")
  local p = {}
  for i = 48, 51 do p[i] = #words_of(d:paragraph(i)) end
  local all = c:freq{top = 1}
  local once = c:freq{top = 1, skip_duplicates = true}
  lu.assertEquals(all.N - once.N, p[49])
  local near_once = c:freq{top = 1, skip_duplicates = "near", threshold = 0.3}
  lu.assertEquals(all.N - near_once.N, p[48] + p[49] + p[50] + p[51])
  lu.assertEquals(c:kwic("enhance").total, 2)
  lu.assertEquals(c:kwic("enhance", {skip_duplicates = true}).total, 1)
  lu.assertEquals(c:collocations("enhance").f_node, 2)
  lu.assertEquals(c:collocations("enhance", {skip_duplicates = true}).f_node, 1)
end

-- ---------------------------------------------------------------------
TestSample = {}

-- Every analysis finishes on corpus/ in well under a second.
function TestSample:test_speed_on_corpus()
  local c = assert(trawl.open("corpus", {quiet = true}))
  local rs = assert(trawl.rules.load("scripts/rules/iraq-2020.lua"))
  local runs = {
    freq = function() return c:freq{top = 20} end,
    bigrams = function() return c:freq{unit = "ngram", n = 2, top = 20} end,
    kwic = function() return c:kwic("militias", {sort = "left"}) end,
    collocations = function() return c:collocations("militias") end,
    keyness = function() return c:keyness({"004_bded5637d4401b88"}) end,
    dispersion = function() return c:dispersion("militias") end,
    cooccur = function() return c:cooccur{rules = rs} end,
    duplicates = function() return c:duplicates() end,
    timeline = function() return c:timeline{rules = rs} end,
  }
  for name, f in pairs(runs) do
    local t0 = os.clock()
    lu.assertNotNil(f(), name)
    local dt = os.clock() - t0
    lu.assertTrue(dt < 1, ("%s took %.3f s"):format(name, dt))
  end
end

function TestSample:test_methods_and_low_flags()
  local c = assert(trawl.open("corpus", {quiet = true}))
  for _, m in ipairs{"freq", "kwic", "collocations", "keyness", "dispersion",
                     "cooccur", "timeline", "duplicates"} do
    lu.assertEquals(type(c[m]), "function", m)
  end
  -- A rare node is flagged, a frequent one not.
  lu.assertTrue(c:collocations("tightrope").low)
  lu.assertNil(c:collocations("militias").low)
  lu.assertTrue(an.is_stopword("The"))
  lu.assertFalse(an.is_stopword("militias"))
end

os.exit(lu.LuaUnit.run())

-- LuaUnit tests of temporal expressions from Lua: trawl.dates.parse,
-- d:dates(), the dates rule file and its DATE mentions, and the accuracy
-- thresholds on the labelled sets (tests/fixtures/dates/).
local lu = require "luaunit"
local trawl = require "trawl"
local Q = dofile("tests/fixtures/dates/eval.lua")

local tmp = (os.getenv("TRAWL_TEST_TMP") or "/tmp") .. "/dates"
os.execute("rm -rf '" .. tmp .. "' && mkdir -p '" .. tmp .. "'")

local function by_text(list)
  local t = {}
  for _, x in ipairs(list) do t[x.text] = x end
  return t
end

TestParse = {}

function TestParse:test_fields()
  local text = "On June 25, forces stormed it; in late June, more came."
  local list = trawl.dates.parse(text, "2020-07-22")
  lu.assertEquals(#list, 2)
  local x = list[1]
  lu.assertEquals(x.text, "June 25")
  lu.assertEquals(text:sub(x.start, x.stop), x.text)
  lu.assertEquals(x.type, "DATE")
  lu.assertEquals(x.value, "2020-06-25")
  lu.assertEquals(x.anchor, "document date")
  lu.assertNil(x.mod)
  lu.assertEquals(list[2].text, "late June")
  lu.assertEquals(list[2].mod, "END")
end

function TestParse:test_no_reference()
  local t = by_text(trawl.dates.parse("On June 25 and last year, for 48 hours."))
  lu.assertEquals(t["June 25"].value, "XXXX-06-25")
  lu.assertEquals(t["June 25"].anchor, "none")
  lu.assertEquals(t["last year"].value, "XXXX")
  lu.assertEquals(t["48 hours"].type, "DURATION")
  lu.assertEquals(t["48 hours"].value, "PT48H")
end

function TestParse:test_examples_of_the_issue()
  local ref = "2020-07-22"
  local cases = {
    {"It ended July 22, 2020.", "2020-07-22"}, {"Filed 12/25/20.", "2020-12-25"},
    {"On 25 June 2020 it began.", "2020-06-25"}, {"In 2009 it began.", "2009"},
    {"They met in December.", "2019-12"}, {"He came last May.", "2020-05"},
    {"It rose last year.", "2019"}, {"Votes come next year.", "2021"},
    {"In late June it rained.", "2020-06", "END"},
    {"In early July it rained.", "2020-07", "START"},
    {"for two decades", "P20Y"}, {"for 48 hours", "PT48H"},
  }
  for _, c in ipairs(cases) do
    local x = trawl.dates.parse(c[1], ref)[1]
    lu.assertNotNil(x, c[1])
    lu.assertEquals(x.value, c[2], c[1])
    lu.assertEquals(x.mod, c[3], c[1])
  end
  local t = by_text(trawl.dates.parse(
    "Sunday, December 27, 2020\n\nOn Christmas Day and in week 52.", nil))
  lu.assertEquals(t["Sunday, December 27, 2020"].value, "2020-12-27")
  lu.assertEquals(t["Christmas Day"].value, "2020-12-25")
  lu.assertEquals(t["Christmas Day"].anchor, "dateline 2020-12-27")
  lu.assertEquals(trawl.dates.parse("this week", "2020-12-27")[1].value, "2020-W52")
end

function TestParse:test_not_dates()
  for _, s in ipairs{"He may go.", "May God help.", "The Mayor spoke.",
                     "https://x.org/2020/06/25", "@user2020", "#June25",
                     "February 30, 2020", "13/45/20", "v1.2.3", "version 1.2.3",
                     "No. 1351"} do
    lu.assertEquals(#trawl.dates.parse(s, "2020-07-22"), 0, s)
  end
end

function TestParse:test_errors()
  lu.assertErrorMsgContains("bad argument #1", trawl.dates.parse)
  lu.assertErrorMsgContains("bad argument #1", trawl.dates.parse, {})
  -- an unusable reference is no reference
  lu.assertEquals(trawl.dates.parse("June 25", "soon")[1].value, "XXXX-06-25")
end

TestDoc = {}

function TestDoc:test_doc_dates_use_the_document_date()
  local d = trawl.newdoc{text = "On Sunday, troops left. The attack on June 25 failed.",
                         date = "2020-07-22"}
  local list = d:dates()
  lu.assertEquals(#list, 2)
  lu.assertEquals(list[1].value, "2020-07-19")
  lu.assertEquals(list[2].value, "2020-06-25")
  lu.assertEquals(d:sub(list[2].start, list[2].stop), "June 25")
end

function TestDoc:test_corpus_documents()
  local c <close> = assert(trawl.open("corpus/", {quiet = true, store = false}))
  local t = by_text(c:doc("004"):dates())
  lu.assertEquals(t["Christmas Day"].value, "2020-12-25")
  lu.assertEquals(t["December 20"].value, "2020-12-20")
  lu.assertEquals(t["Later in the day"].anchor, "previous date 2020-12-25")
  t = by_text(c:doc("000"):dates())
  lu.assertEquals(t["the 29th of the same month"].value, "XXXX-06-29")
  lu.assertEquals(t["the end of 2019"].mod, "END")
end

TestQuality = {}

function TestQuality:test_corpus_set()
  local r = Q.corpus("corpus/")
  lu.assertTrue(r.n >= 60, "the corpus set has at least 60 rows")
  lu.assertTrue(r.ok / r.n >= 0.90,
    ("corpus accuracy %d/%d is below 90%%"):format(r.ok, r.n))
end

function TestQuality:test_general_set()
  local r = Q.general()
  lu.assertTrue(r.n >= 60, "the general set has at least 60 rows")
  lu.assertTrue(r.ok / r.n >= 0.90,
    ("general accuracy %d/%d is below 90%%"):format(r.ok, r.n))
end

TestRules = {}

function TestRules:test_rule_file_examples()
  local rs = assert(trawl.rules.load("scripts/rules/dates.lua"))
  local ok, results = rs:check()
  for _, r in ipairs(results) do lu.assertTrue(r.ok, r.text) end
  lu.assertTrue(ok)
end

function TestRules:test_sandbox_has_parse_read_only()
  local path = tmp .. "/sb.lua"
  local f = assert(io.open(path, "wb"))
  f:write([[
local ok = pcall(function() trawl.dates.parse = nil end)
assert(not ok, "trawl.dates must be read-only")
return trawl.ruleset {
  name = "sb", version = "1.0.0", description = "t",
  callbacks = { { id = "d", label = "WHEN", fn = function(doc, emit)
    for _, x in ipairs(trawl.dates.parse(doc.text, "2020-07-22")) do
      if x.value == "2020-06-25" then emit(x.start, x.stop) end
    end
  end } },
  examples = { { text = "On June 25 they met.", expect = { {"WHEN", "June 25"} } } },
}
]])
  f:close()
  local rs = assert(trawl.rules.load(path))
  lu.assertTrue((rs:check()))
end

function TestRules:test_apply_stores_dates()
  local dir = tmp .. "/corpus"
  os.execute("rm -rf '" .. dir .. "' && mkdir -p '" .. dir .. "' && cp corpus/*.txt corpus/metadata.jsonl '" .. dir .. "'")
  local c <close> = assert(trawl.open(dir, {quiet = true}))
  local st = assert(c:apply(trawl.rules.load("scripts/rules/dates.lua")))
  lu.assertEquals(#st.failed, 0)
  local ms = c:mentions{type = "DATE", ruleset = "dates"}
  lu.assertTrue(#ms >= 120)
  local found
  for _, m in ipairs(ms) do
    if m.text == "Christmas Day" then found = m end
  end
  lu.assertNotNil(found)
  lu.assertEquals(found.docid:sub(1, 3), "004")
  -- the TIMEX3 value travels in the mention's attrs
  lu.assertEquals(found.attrs.value, "2020-12-25")
  lu.assertEquals(found.attrs.type, "DATE")
  lu.assertEquals(found.attrs.anchor, "document date")
end

os.exit(lu.LuaUnit.run())

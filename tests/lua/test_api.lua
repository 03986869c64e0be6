-- LuaUnit tests of the trawl Lua API, run inside the trawl binary:
--   trawl run tests/lua/test_api.lua
local lu = require "luaunit"
local trawl = require "trawl"

local CORPUS = "corpus"
local tmp = os.getenv("TRAWL_TEST_TMP") or "/tmp"
os.execute("mkdir -p '" .. tmp .. "'")

local function write(path, bytes)
  local f = assert(io.open(path, "wb"))
  f:write(bytes)
  f:close()
end

local function tokens_of(text)
  local d = trawl.newdoc{text = text}
  local out = {}
  for t in d:tokens() do out[#out + 1] = t.text end
  return out, d
end

TestOpen = {}

function TestOpen:test_directory_in_stable_order()
  local c = assert(trawl.open(CORPUS, {quiet = true}))
  lu.assertEquals(#c, 5)
  lu.assertEquals(c.count, 5)
  local ids = {}
  for d in c:docs() do ids[#ids + 1] = d.id end
  lu.assertEquals(ids, {"000_1af78644860d8528", "001_3dc81e1ea7d977a8",
    "002_fc6652fa48584f3a", "003_21d5d0816ff0cbf2", "004_bded5637d4401b88"})
  lu.assertTrue(c.bytes > 40000)
  lu.assertStrContains(c.store, ".trawl/store.db")
end

function TestOpen:test_metadata_and_header_dates()
  local c = assert(trawl.open(CORPUS, {quiet = true}))
  local d = assert(c:doc("002"))
  lu.assertEquals(d.date, "2020-07-22")
  lu.assertEquals(c:doc("004").date, "2020-12-27")
  lu.assertStrContains(c:doc("004").title, "Kazemi")
  for doc in c:docs() do
    lu.assertTrue(#doc.title > 0, doc.id .. " has a title")
    lu.assertEquals(#doc.hash, 16)
    lu.assertEquals(doc.len, #doc.text)
  end
end

function TestOpen:test_doc_lookup()
  local c = assert(trawl.open(CORPUS, {quiet = true}))
  lu.assertEquals(c:doc(1).id, "000_1af78644860d8528")
  lu.assertEquals(c:doc("004_bded5637d4401b88").index, 5)
  local d, err = c:doc("00")
  lu.assertNil(d)
  lu.assertStrContains(err, "ambiguous")
  d, err = c:doc("nope")
  lu.assertNil(d)
  lu.assertStrContains(err, "no document")
  lu.assertNil(c:doc(99))
  -- The same document is the same object while it is alive.
  lu.assertTrue(rawequal(c:doc(2), c:doc("001")))
end

function TestOpen:test_missing_path_is_nil_and_message()
  local c, err = trawl.open("no/such/dir")
  lu.assertNil(c)
  lu.assertStrContains(err, "no/such/dir")
end

function TestOpen:test_bad_files_are_named_and_good_ones_load()
  local dir = tmp .. "/api_bad"
  os.execute("rm -rf '" .. dir .. "' && mkdir -p '" .. dir .. "'")
  write(dir .. "/good.txt", "A good file.\n")
  write(dir .. "/bad.txt", "caf\xe9 ok\n")
  write(dir .. "/bin.txt", "ab\0cd")
  write(dir .. "/empty.txt", "")
  local c = assert(trawl.open(dir, {quiet = true, store = false}))
  local ids = {}
  for d in c:docs() do ids[#ids + 1] = d.id end
  lu.assertEquals(ids, {"bad", "good"})
  lu.assertStrContains(c:doc("bad").text, "caf\u{FFFD}")
  local named = {}
  for _, p in ipairs(c.problems) do named[p.path:match("[^/]*$")] = p end
  lu.assertNotNil(named["bad.txt"])
  lu.assertNotNil(named["bin.txt"])
  lu.assertNotNil(named["empty.txt"])
  lu.assertEquals(named["bad.txt"].offset, 3)
  c = assert(trawl.open(dir, {quiet = true, store = false, bad_utf8 = "skip"}))
  lu.assertEquals(#c, 1)
  lu.assertErrorMsgContains("bad_utf8", trawl.open, dir, {bad_utf8 = "drop"})
end

function TestOpen:test_jsonl_file_keeps_metadata()
  local f = tmp .. "/api.jsonl"
  write(f, '{"id":"a","text":"One.","title":"T","lang":"en"}\n' ..
           'not json\n' ..
           '{"id":"b","text":"Two.","date":"2020-06-25"}\n')
  local c = assert(trawl.open(f, {quiet = true}))
  lu.assertEquals(#c, 2)
  lu.assertEquals(c:doc("a").meta.lang, "en")
  lu.assertEquals(c:doc("b").date, "2020-06-25")
  lu.assertEquals(c.problems[1].line, 2)
end

TestDoc = {}

function TestDoc:test_tokens_fields()
  local c = assert(trawl.open(CORPUS, {quiet = true}))
  local d = c:doc("002")
  local found
  for t in d:tokens() do
    if t.norm == "kata'ib" then found = t break end
  end
  lu.assertNotNil(found, "Kata'ib is one token")
  lu.assertEquals(found.kind, "word")
  lu.assertEquals(d.text:sub(found.start, found.stop), found.text)
  lu.assertEquals(d:sub(found.start, found.stop), found.text)
  lu.assertTrue(found.is_title)
  lu.assertEquals(found.shape, "Xxxx'xx")
  lu.assertTrue(found.doc == d)
  lu.assertEquals(d:token(found.index), found)
end

function TestDoc:test_kinds_on_the_corpus()
  local c = assert(trawl.open(CORPUS, {quiet = true}))
  local kinds = {}
  for t in c:doc("004"):tokens() do kinds[t.text] = t.kind end
  lu.assertEquals(kinds["@MAKadhimi"], "mention")
  lu.assertEquals(kinds["#Green_Zone"], "hashtag")
  lu.assertEquals(kinds["12/25/20"], "number")
  lu.assertEquals(kinds["U.S."], "word")
end

function TestDoc:test_hyphenated_parts()
  local toks, d = tokens_of("Mustafa Al-Kazemi visited.")
  lu.assertEquals(toks, {"Mustafa", "Al-Kazemi", "visited", "."})
  local t = d:token(2)
  lu.assertTrue(t.is_hyphenated)
  lu.assertEquals(t.parts, {"Al", "Kazemi"})
  lu.assertEquals(t.norm, "al-kazemi")
end

function TestDoc:test_token_ranges_and_negative_index()
  local _, d = tokens_of("a b c d")
  local got = {}
  for t in d:tokens(2, 3) do got[#got + 1] = t.text end
  lu.assertEquals(got, {"b", "c"})
  lu.assertEquals(d:token(-1).text, "d")
  lu.assertNil(d:token(5))
  lu.assertEquals(d:ntokens(), 4)
end

function TestDoc:test_sentences_and_paragraphs()
  local d = trawl.newdoc{text = "A headline\n\nMr. Smith went to Washington, D.C. on Monday. He said “no.” Then he left.\n\nSecond paragraph."}
  local s = {}
  for x in d:sentences() do s[#s + 1] = x.text end
  lu.assertEquals(s, {"A headline",
    "Mr. Smith went to Washington, D.C. on Monday.",
    "He said “no.”", "Then he left.", "Second paragraph."})
  lu.assertEquals(d:nparagraphs(), 3)
  local p = d:paragraph(2)
  lu.assertEquals(p.kind, "paragraph")
  lu.assertEquals(d:sub(p.start, p.stop), p.text)
  local first = d:sentence(2)
  local words = {}
  for t in first:tokens() do words[#words + 1] = t.text end
  lu.assertEquals(words[1], "Mr.")
  lu.assertEquals(first:ntokens(), #words)
end

function TestDoc:test_sub_and_span()
  local d = trawl.newdoc{text = "Kataib Hezbollah fired rockets."}
  lu.assertEquals(d:sub(1, 6), "Kataib")
  lu.assertEquals(d:sub(-8), "rockets.")
  local sp = d:span(1, 16)
  lu.assertEquals(sp.text, "Kataib Hezbollah")
  lu.assertEquals(sp:ntokens(), 2)
  lu.assertEquals(#sp, 16)
end

function TestDoc:test_newdoc_from_tokens_keeps_tokenization()
  local d = trawl.newdoc{tokens = {"New", "York-based", "U.S", "firm"}, id = "x", title = "T"}
  lu.assertEquals(d.text, "New York-based U.S firm")
  local got = {}
  for t in d:tokens() do got[#got + 1] = t.text end
  lu.assertEquals(got, {"New", "York-based", "U.S", "firm"})
  lu.assertEquals(d.id, "x")
  lu.assertEquals(d.title, "T")
  lu.assertEquals(d:nsentences(), 1)
  lu.assertErrorMsgContains("text or tokens", trawl.newdoc, {})
  lu.assertErrorMsgContains("token 2 is not a non-empty string", trawl.newdoc,
    {tokens = {"a", 12, "b"}})
end

function TestDoc:test_token_keeps_document_alive()
  local t, s
  do
    local c = assert(trawl.open(CORPUS, {quiet = true, store = false}))
    local d = c:doc(1)
    t = d:token(3)
    s = d:sentence(1)
  end
  collectgarbage()
  collectgarbage()
  lu.assertTrue(#t.text > 0)
  lu.assertTrue(#s.text > 0)
  lu.assertEquals(t.doc.corpus.count, 5)
end

function TestDoc:test_closed_corpus_is_an_error_not_a_crash()
  local c = assert(trawl.open(CORPUS, {quiet = true, store = false}))
  local d = c:doc(1)
  local t = d:token(1)
  c:close()
  c:close() -- idempotent
  lu.assertErrorMsgContains("closed", function() return d.text end)
  lu.assertErrorMsgContains("closed", function() return t.text end)
  lu.assertErrorMsgContains("closed", function() return #c end)
end

function TestDoc:test_wrong_types_raise()
  lu.assertErrorMsgContains("trawl.Doc expected", trawl.newdoc{text = "x"}.tokens, {})
end

TestSearch = {}

function TestSearch:test_search_with_spans()
  local c = assert(trawl.open(CORPUS, {quiet = true}))
  local hits = assert(c:search("Hezbollah"))
  lu.assertTrue(#hits >= 3)
  for _, h in ipairs(hits) do
    lu.assertTrue(#h.spans > 0)
    for _, sp in ipairs(h.spans) do
      lu.assertEquals(h.doc:sub(sp[1], sp[2]):lower(), "hezbollah")
    end
    lu.assertStrContains(h.snippet, "[")
  end
  local r, err = c:search('"unbalanced')
  lu.assertNil(r)
  lu.assertStrContains(err, "unbalanced")
  lu.assertEquals(#assert(c:search("Hezbollah", {limit = 1})), 1)
end

function TestSearch:test_no_store_is_an_error()
  local c = assert(trawl.open(CORPUS, {quiet = true, store = false}))
  lu.assertErrorMsgContains("no store", c.search, c, "x")
end

TestFree = {}

function TestFree:test_normalize()
  lu.assertEquals(trawl.normalize("Kata’ib — ﬁve"), "kata'ib - five")
  lu.assertEquals(trawl.normalize("Sánchez", {diacritics = true}), "sanchez")
end

function TestFree:test_width_and_fmt()
  lu.assertEquals(trawl.width("abc"), 3)
  lu.assertEquals(trawl.width("日本"), 4)
  local fmt = require "trawl.fmt"
  local out = fmt.table({{a = "日本", b = 1}, {a = "x", b = 22}},
    {{"a"}, {"b", align = "right"}})
  lu.assertEquals(out, "a      b\n----  --\n日本   1\nx     22")
  lu.assertEquals(fmt.cut("abcdef", 4), "abc…")
  lu.assertEquals(trawl.kinds[1], "word")
  lu.assertStrMatches(trawl.version, "%d+%.%d+%.%d+")
end

os.exit(lu.LuaUnit.run())

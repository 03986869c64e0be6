-- LuaUnit tests of trawl.repl, how the REPL shows values and answers
-- :help. Run inside the trawl binary from the repository root:
--   trawl run tests/lua/test_repl_print.lua
local lu = require "luaunit"
local trawl = require "trawl"
local repl = require "trawl.repl"

local PLAIN = {color = false, width = 80}
local COLOR = {color = true, width = 80}
local DEFAULTS = {}
for k, v in pairs(repl.options) do DEFAULTS[k] = v end

local function show(...) return repl.show(PLAIN, ...) end

local function lines(s)
  local out = {}
  for l in (s .. "\n"):gmatch("(.-)\n") do out[#out + 1] = l end
  return out
end

-- A document of twenty words, one token each (plus the final stop).
local WORDS = "alpha bravo charlie delta echo foxtrot golf hotel india juliett " ..
  "kilo lima mike november oscar papa quebec romeo sierra tango."

TestShow = {}

function TestShow:tearDown()
  for k, v in pairs(DEFAULTS) do repl.options[k] = v end
end

function TestShow:test_scalars()
  lu.assertEquals(show(42), "42")
  lu.assertEquals(show(1.5), "1.5")
  lu.assertEquals(show(nil), "nil")
  lu.assertEquals(show(true, nil, "x"), "true\tnil\tx")
  lu.assertEquals(show(), "")
  local many = {}
  for i = 1, 40 do many[i] = i end
  lu.assertStrContains(show(table.unpack(many)), "\t30\t… 10 more values", false)
  lu.assertEquals(show("two\nlines"), "two\nlines") -- strings as print shows them
  lu.assertStrMatches(show(print), "function <C>")
  lu.assertStrMatches(show(function() end), "function <.-test_repl_print.lua:%d+>")
end

function TestShow:test_nested_tables()
  lu.assertEquals(show({}), "{}")
  lu.assertEquals(show({1, "a", true}), '{1, "a", true}')
  lu.assertEquals(show({b = 2, a = 1, [10] = "x"}), '{[10] = "x", a = 1, b = 2}')
  lu.assertEquals(show({s = "tab\there \"q\""}), '{s = "tab\\there \\"q\\""}')
  lu.assertEquals(show({["end"] = 1, ["a b"] = 2}), '{["a b"] = 2, ["end"] = 1}')
  lu.assertEquals(show({a = {b = {c = {d = 1}}}}), "{a = {b = {c = {…}}}}")
  local t = {}
  t.self = t
  lu.assertEquals(show(t), "{self = <cycle>}")
  local shared = {1}
  lu.assertEquals(show({x = shared, y = shared}), "{x = {1}, y = {1}}")
end

function TestShow:test_limits()
  local list = {}
  for i = 1, 40 do list[i] = i end
  local out = show(list)
  lu.assertStrContains(out, "30,\n  … 10 more\n}")
  lu.assertNotStrContains(out, "31")
  repl.options.items = 3
  lu.assertEquals(show({1, 2, 3, 4, 5}), "{1, 2, 3, … 2 more}")
  local long = show({s = string.rep("é", 100)})
  lu.assertEquals(trawl.width(long), #'{s = ""}' + repl.options.inline)
  lu.assertStrContains(long, "…")
end

function TestShow:test_wide_tables_break_into_lines()
  local t = {}
  for i = 1, 8 do t["key" .. i] = string.rep("v", 10) end
  local out = show(t)
  local ls = lines(out)
  lu.assertEquals(ls[1], "{")
  lu.assertEquals(ls[2], '  key1 = "vvvvvvvvvv",')
  lu.assertEquals(ls[#ls], "}")
  for _, l in ipairs(ls) do lu.assertTrue(trawl.width(l) <= 80, l) end
end

function TestShow:test_long_string_is_cut()
  local out = show(string.rep("x", 5000))
  local ls = lines(out)
  lu.assertEquals(#ls, 2)
  lu.assertEquals(#ls[1], repl.options.bytes)
  lu.assertEquals(ls[2], "… 3000 more bytes")
  repl.options.lines = 2
  lu.assertEquals(show("a\nb\nc\nd"), "a\nb\n… 4 more bytes")
  lu.assertEquals(show("a\nb\n"), "a\nb\n") -- only blanks left: nothing to say
  -- never in the middle of a character
  repl.options.bytes = 3
  lu.assertEquals(lines(show("aéé"))[1], "aé")
end

function TestShow:test_rows_as_aligned_table()
  lu.assertEquals(show({{id = 1, name = "a"}, {id = 22, name = "bb"}}),
    "#  id  name\n" ..
    "-  --  ----\n" ..
    "1   1  a\n" ..
    "2  22  bb")
  -- keys missing in some rows are blank; control characters become spaces
  lu.assertEquals(show({{x = "a\nb"}, {y = 1.23456}}),
    "#  x        y\n" ..
    "-  ---  -----\n" ..
    "1  a b\n" ..
    "2       1.235")
end

function TestShow:test_rows_are_cut_with_a_count()
  local rows = {}
  for i = 1, 50 do rows[i] = {n = i} end
  local ls = lines(show(rows))
  lu.assertEquals(#ls, 2 + repl.options.rows + 1)
  lu.assertEquals(ls[#ls], "… 30 more rows")
end

function TestShow:test_rows_fit_the_width()
  local rows = {}
  for i = 1, 3 do
    rows[i] = {id = "doc" .. i, text = string.rep("word ", 40), n = i}
  end
  for _, l in ipairs(lines(repl.show({width = 60}, rows))) do
    lu.assertTrue(trawl.width(l) <= 60, l)
  end
end

function TestShow:test_repeated_column_is_dropped()
  local c = assert(trawl.open("corpus", {quiet = true}))
  local hits = assert(c:search("militia", {limit = 2}))
  local head = lines(show(hits))[1]
  lu.assertStrMatches(head, "#%s+id%s+rank%s+snippet%s+spans")
end

function TestShow:test_token_with_context()
  local d = trawl.newdoc{text = WORDS}
  lu.assertEquals(show(d:token(10)),
    'trawl.Token "juliett" (word, 57-63) in doc\n' ..
    "  …echo foxtrot golf hotel india [juliett] kilo lima mike november oscar…")
  lu.assertEquals(show(d:token(1)),
    'trawl.Token "alpha" (word, 1-5) in doc\n' ..
    "  [alpha] bravo charlie delta echo foxtrot golf…")
end

function TestShow:test_span_with_context()
  local d = trawl.newdoc{text = WORDS}
  lu.assertEquals(show(d:span(7, 19)),
    "trawl.Span span, bytes 7-19, 2 tokens, in doc\n" ..
    "  alpha [bravo charlie] delta echo foxtrot golf hotel india…")
  local p = trawl.newdoc{text = string.rep("Word after word. ", 60)}
  local ls = lines(show(p:paragraph(1)))
  lu.assertStrMatches(ls[1], "trawl.Span paragraph 1, bytes 1%-%d+, %d+ tokens, in doc")
  lu.assertStrMatches(ls[#ls], "  … %d+ more bytes")
end

function TestShow:test_lists_of_tokens_docs_spans()
  local d = trawl.newdoc{text = WORDS}
  local toks = {}
  for t in d:tokens(1, 3) do toks[#toks + 1] = t end
  local ls = lines(show(toks))
  lu.assertStrMatches(ls[1], "#%s+text%s+kind%s+doc%s+start%s+context")
  lu.assertStrContains(ls[5], "^3%s+charlie%s+word%s+doc%s+13%s+alpha bravo %[charlie%]", true)
  ls = lines(show({d:sentence(1)}))
  lu.assertStrMatches(ls[1], "#%s+kind%s+doc%s+start%s+stop%s+text")
  ls = lines(show({d}))
  lu.assertStrMatches(ls[1], "#%s+id%s+date%s+title%s+bytes")
end

function TestShow:test_doc_and_corpus()
  local c = assert(trawl.open("corpus", {quiet = true}))
  local ls = lines(show(c:doc("002")))
  lu.assertStrContains(ls[1], '^trawl%.Doc 002_fc6652fa48584f3a "', true)
  lu.assertStrContains(ls[2], "date 2020-07-22")
  lu.assertStrMatches(ls[#ls], "  … %d+ more bytes")
  ls = lines(show(c))
  lu.assertEquals(ls[1], "trawl.Corpus corpus (5 documents)")
  lu.assertStrMatches(ls[3], "#%s+id%s+date%s+title%s+bytes")
  lu.assertEquals(#ls, 2 + 2 + 5) -- head, info, table head and rule, rows
end

function TestShow:test_closed_corpus_does_not_break_showing()
  local c = assert(trawl.open("corpus", {quiet = true, store = false}))
  local d = c:doc(1)
  c:close()
  lu.assertStrContains(show(d), "closed corpus")
end

function TestShow:test_color_only_when_asked()
  lu.assertEquals(repl.show(COLOR, 42), "\27[36m42\27[0m")
  lu.assertStrContains(repl.show(COLOR, {a = "x"}), '\27[32m"x"\27[0m')
  lu.assertNotStrContains(show({a = "x", 1, true}), "\27")
  local d = trawl.newdoc{text = WORDS}
  lu.assertStrContains(repl.show(COLOR, d:token(2)), "\27[1;4mbravo\27[0m")
  local rows = lines(repl.show(COLOR, {{n = 1}}))
  lu.assertEquals(rows[1], "\27[1m#  n\27[0m")
end

TestHelp = {}

local DOCS = "docs"
local FILES = {"lua-api", "cli", "guide"}

function TestHelp:test_overview_lists_commands_and_documents()
  local text = assert(repl.help(PLAIN, nil, DOCS, {"lua-api", "cli"}))
  for _, want in ipairs{":help", ":load FILE", ":time EXPR", ":reload", ":quit",
                        "cli, lua-api"} do
    lu.assertStrContains(text, want)
  end
  text = assert(repl.help(PLAIN, nil, "/nowhere", {}))
  lu.assertStrContains(text, "none found in /nowhere")
end

function TestHelp:test_a_document_by_name()
  local text = assert(repl.help(PLAIN, "cli", DOCS, FILES))
  lu.assertStrMatches(lines(text)[1], "# The trawl command")
  lu.assertEquals(assert(repl.help(PLAIN, "cli.md", DOCS, FILES)), text)
end

function TestHelp:test_a_section_by_name()
  local text = assert(repl.help(PLAIN, "search", DOCS, FILES))
  local ls = lines(text)
  lu.assertStrContains(ls[1], "^### c:search%(", true)
  lu.assertStrContains(text, "FTS5")
  lu.assertNotStrContains(text, "## Document") -- stops at the next heading
  lu.assertStrContains(lines(assert(repl.help(PLAIN, "open", DOCS, FILES)))[1],
    "^### trawl%.open%(", true)
  lu.assertStrMatches(lines(assert(repl.help(PLAIN, "Token", DOCS, FILES)))[1],
    "^## Token")
end

function TestHelp:test_table_rows_by_name()
  local text = assert(repl.help(PLAIN, "tokens", DOCS, FILES))
  lu.assertStrContains(text, "d:tokens(")
  lu.assertStrContains(text, "s:tokens()")
  lu.assertStrContains(text, "| method | value |")
end

function TestHelp:test_unknown_topic()
  local text, err = repl.help(PLAIN, "zzyzx", DOCS, FILES)
  lu.assertNil(text)
  lu.assertStrContains(err, "no help about 'zzyzx'")
end

os.exit(lu.LuaUnit.run())

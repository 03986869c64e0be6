-- LuaUnit tests of rule files: loading, validation messages, the sandbox,
-- examples, applying to a corpus and reading the entity tables.
local lu = require "luaunit"
local trawl = require "trawl"

local tmp = (os.getenv("TRAWL_TEST_TMP") or "/tmp") .. "/rules"
os.execute("rm -rf '" .. tmp .. "' && mkdir -p '" .. tmp .. "'")
local MINI = "tests/fixtures/rules/mini.lua"

local function write(name, text)
  local path = tmp .. "/" .. name
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
  return path
end

-- A rule file from a body: the ruleset fields around what a test adds.
local function ruleset(body, name)
  return write((name or "t") .. ".lua", ([[
return trawl.ruleset {
  name = "t", version = "1.0.0", description = "test",
  entities = { { id = "iraq", type = "GPE", name = "Iraq" } },
%s
}
]]):format(body))
end

local function load_err(body)
  local rs, err = trawl.rules.load(ruleset(body))
  lu.assertNil(rs, "expected a load error")
  return err
end

-- A corpus directory of its own with two documents.
local function small_corpus(name)
  local dir = tmp .. "/" .. name
  os.execute("rm -rf '" .. dir .. "' && mkdir -p '" .. dir .. "'")
  local f = assert(io.open(dir .. "/a.txt", "wb"))
  f:write("Kataib Hezbollah attacked. Al Kazemi answered on 12/25/20.\n")
  f:close()
  f = assert(io.open(dir .. "/b.txt", "wb"))
  f:write("Prime Minister Kadhimi met KH leaders in Iraq. The militias left.\n")
  f:close()
  return assert(trawl.open(dir, {quiet = true}))
end

TestLoad = {}

function TestLoad:test_mini_loads()
  local rs = assert(trawl.rules.load(MINI))
  lu.assertEquals(rs.name, "iraq-mini")
  lu.assertEquals(rs.version, "1.0.0")
  lu.assertEquals(#rs.entities, 2)
  lu.assertEquals(rs.entities[1].id, "kadhimi")
  lu.assertEquals(rs.entities[1].attrs.role, "Prime Minister of Iraq")
  lu.assertEquals(rs.entities[1].line, 11)
  local kinds = {}
  for _, r in ipairs(rs.rules) do kinds[#kinds + 1] = r.kind end
  lu.assertEquals(kinds, {"aliases", "pattern", "regex"})
  lu.assertEquals(rs.rules[2].pattern[4].LOWER.IN, {"kadhimi", "kazemi"})
  lu.assertEquals(rs.rules[2].pattern[3].OP, "?")
  lu.assertStrContains(tostring(rs), "iraq-mini")
end

function TestLoad:test_examples_pass()
  local rs = assert(trawl.rules.load(MINI))
  local ok, results = rs:check()
  for _, r in ipairs(results) do
    lu.assertTrue(r.ok, ("example %d: %s"):format(r.index, r.text))
  end
  lu.assertTrue(ok)
  lu.assertEquals(#results, 4)
end

function TestLoad:test_failing_example_reports_expected_and_found()
  local rs = assert(trawl.rules.load(ruleset([[
  examples = { { text = "Iraq today.", expect = { {"iraq", "Iraq"}, {"GPE", "Syria"} },
                 reject = { {"iraq"} } } },]])))
  local ok, results = rs:check()
  lu.assertFalse(ok)
  lu.assertEquals(results[1].missing, {{"GPE", "Syria"}})
  lu.assertEquals(results[1].unexpected, {{"iraq", "Iraq"}})
  lu.assertEquals(results[1].found, {{"iraq", "Iraq"}})
end

function TestLoad:test_errors_name_file_line_and_rule()
  local cases = {
    {[[patterns = { { id = "p1", label = "iraq", pattern = { {LOWERR = "x"} } } },]],
     "pattern 'p1': token 1: unknown attribute 'LOWERR' %(did you mean LOWER%?%)"},
    {[[patterns = { { id = "p2", label = "iraq", pattern = { {LOWER = "x", OP = "{3,1}"} } } },]],
     "pattern 'p2': token 1: OP must be one of"},
    {[[patterns = { { id = "p3", label = "iraq", pattern = { {LOWER = "x", OP = "++"} } } },]],
     "OP must be one of"},
    {[[patterns = { { id = "p4", label = "iraq", pattern = { {LENGTH = "long"} } } },]],
     "LENGTH takes a number, not a string"},
    {[[patterns = { { id = "p5", label = "iraq", pattern = { {IS_ALPHA = {REGEX = "x"}} } } },]],
     "REGEX needs a string attribute"},
    {[[patterns = { { id = "p6", label = "kadimi", pattern = { {LOWER = "x"} } } },]],
     "label 'kadimi' is not an entity id of this ruleset and not a TYPE"},
    {[[regex = { { id = "r1", label = "DATE", re = "(unclosed" } },]],
     "r1"},
    {[[regex = { { id = "r2", label = "DATE", re = "x", flags = "q" } },]],
     "r2"},
    {[[entitees = {},]], "unknown field 'entitees' %(did you mean entities%?%)"},
    {[[patterns = { { id = "p7", label = "iraq", pattern = {} } },]], "the pattern is empty"},
    {[[patterns = { { id = "p8", label = "iraq", pattern = { {LOWER = {IN = "x"}} } } },]],
     "IN needs a list"},
    {[[callbacks = { { id = "c1", label = "X", fn = "not a function" } },]],
     "'fn' must be a function"},
    {[[examples = { { expect = {} } },]], "'text' is missing"},
  }
  for _, c in ipairs(cases) do
    local err = load_err(c[1])
    lu.assertStrContains(err, tmp .. "/t.lua", false)
    lu.assertStrMatches(err, ".*" .. c[2] .. ".*")
  end
end

function TestLoad:test_regex_error_has_pcre_message_and_line()
  local err = load_err([[
  regex = {
    { id = "bad", label = "DATE", re = "(unclosed" },
  },]])
  lu.assertStrContains(err, "t.lua:5: regex")
  lu.assertStrContains(err, "regex 'bad'")
  lu.assertStrContains(err, "missing closing parenthesis")
end

function TestLoad:test_duplicate_ids_and_metadata()
  local path = write("dup.lua", [[
return trawl.ruleset {
  name = "Bad Name", version = "1.0", description = "x",
  entities = {
    { id = "a", type = "ORG", name = "A" },
    { id = "a", type = "person", name = "B" },
  },
}]])
  local rs, err = trawl.rules.load(path)
  lu.assertNil(rs)
  lu.assertStrContains(err, "name 'Bad Name'")
  lu.assertStrContains(err, "version '1.0' is not a semantic version")
  lu.assertStrContains(err, "dup.lua:5: entity 'a': duplicate id (first at line 4)")
  lu.assertStrContains(err, "type 'person' must be in capitals")
end

function TestLoad:test_not_a_ruleset_and_syntax_errors()
  local rs, err = trawl.rules.load(write("num.lua", "return 42"))
  lu.assertNil(rs)
  lu.assertStrContains(err, "must return a ruleset")
  rs, err = trawl.rules.load(write("syn.lua", "return trawl.ruleset {\n  name = \n}"))
  lu.assertNil(rs)
  lu.assertStrContains(err, "syn.lua:3:")
  rs, err = trawl.rules.load(tmp .. "/missing.lua")
  lu.assertNil(rs)
  lu.assertStrContains(err, "missing.lua")
end

TestSandbox = {}

local function hostile(code)
  return write("h.lua", code)
end

function TestSandbox:test_no_io_os_debug_load()
  for _, name in ipairs{"io", "os", "debug", "package", "require", "load",
                        "loadstring", "dofile", "loadfile", "collectgarbage"} do
    local rs, err = trawl.rules.load(hostile(("local x = %s.x; return 1"):format(name)))
    lu.assertNil(rs)
    lu.assertStrContains(err, "h.lua:1:")
  end
  local rs, err = trawl.rules.load(hostile("return string.dump(print)"))
  lu.assertNil(rs)
  lu.assertStrContains(err, "dump")
end

function TestSandbox:test_trawl_is_read_only()
  local rs, err = trawl.rules.load(hostile("trawl.ruleset = nil return 1"))
  lu.assertNil(rs)
  lu.assertStrContains(err, "read-only")
end

function TestSandbox:test_infinite_loop_at_load_stops_fast()
  local t0 = os.clock()
  local rs, err = trawl.rules.load(hostile("while true do end"))
  lu.assertNil(rs)
  lu.assertStrContains(err, "instruction budget exceeded")
  lu.assertTrue(os.clock() - t0 < 1)
end

function TestSandbox:test_pcall_cannot_swallow_the_stop()
  local t0 = os.clock()
  local rs, err = trawl.rules.load(hostile(
    "while true do pcall(function() while true do end end) end"))
  lu.assertNil(rs)
  lu.assertStrContains(err, "instruction budget exceeded")
  lu.assertTrue(os.clock() - t0 < 1)
end

function TestSandbox:test_runaway_table_hits_memory_cap()
  local t0 = os.clock()
  local rs, err = trawl.rules.load(hostile(
    "local t = {} for i = 1, 1e9 do t[i] = ('x'):rep(100) .. i end"), {memory = 16})
  lu.assertNil(rs)
  lu.assertStrContains(err, "memory budget exceeded")
  lu.assertTrue(os.clock() - t0 < 1)
  rs, err = trawl.rules.load(hostile("local s = ('x'):rep(1e9)"), {memory = 16})
  lu.assertNil(rs)
  lu.assertStrContains(err, "memory budget exceeded")
end

function TestSandbox:test_gc_metamethods_refused()
  local rs, err = trawl.rules.load(hostile(
    "setmetatable({}, {__gc = function() while true do end end})"))
  lu.assertNil(rs)
  lu.assertStrContains(err, "__gc")
end

function TestSandbox:test_complex_lua_patterns_refused()
  local rs, err = trawl.rules.load(hostile(
    "return ('a'):rep(5000):find('.-.-.-.-.-.-.-b')"))
  lu.assertNil(rs)
  lu.assertStrContains(err, "could run too long")
  -- "?" counts, a plain find of a long needle is bounded, small work is fine.
  rs, err = trawl.rules.load(hostile(
    "return ('a'):rep(40):find(('a?'):rep(40) .. ('a'):rep(40))"))
  lu.assertNil(rs)
  lu.assertStrContains(err, "could run too long")
  rs, err = trawl.rules.load(hostile(
    "return ('a'):rep(2e6):find(('a'):rep(1e6) .. 'b', 1, true)"))
  lu.assertNil(rs)
  lu.assertStrContains(err, "could run too long")
end

function TestSandbox:test_xpcall_handler_cannot_hang()
  local t0 = os.clock()
  local rs, err = trawl.rules.load(hostile(
    "xpcall(function() while true do end end, function() while true do end end)"))
  lu.assertNil(rs)
  lu.assertStrContains(err, "instruction budget exceeded")
  lu.assertTrue(os.clock() - t0 < 1)
  -- xpcall still works as Lua's for rule code that uses it.
  local ok = assert(trawl.rules.load(write("xp.lua", [[
local ok, r = xpcall(function() error("boom") end, function(m) return "handled " .. m end)
assert(not ok and r:find("handled"))
assert(select("#", xpcall(function() return 1, 2 end, print)) == 3)
return trawl.ruleset { name = "xp", version = "1.0.0", description = "d",
  entities = { { id = "a", type = "ORG", name = "Abc" } } }]])))
  lu.assertEquals(ok.name, "xp")
end

function TestSandbox:test_normalize_is_bounded()
  local rs, err = trawl.rules.load(hostile(
    "return trawl.normalize(('\u{FDFA}'):rep(100000))"), {memory = 1})
  lu.assertNil(rs)
  lu.assertStrContains(err, "normalize")
end

function TestSandbox:test_memory_cap_during_setup_is_an_error_not_an_abort()
  -- A callback rule on a document larger than the rule's memory cap: the
  -- view cannot be built; the rule fails, the process lives.
  local dir = tmp .. "/bigdoc"
  os.execute("rm -rf '" .. dir .. "' && mkdir -p '" .. dir .. "'")
  local f = assert(io.open(dir .. "/a.txt", "wb"))
  f:write(("word "):rep(400000))
  f:close()
  local c = assert(trawl.open(dir, {quiet = true}))
  local rs = assert(trawl.rules.load(ruleset([[
  callbacks = { { id = "cb", label = "X", fn = function(doc, emit) emit(1, 4) end } },]]),
    {memory = 1}))
  local st = assert(c:apply(rs))
  lu.assertEquals(#st.failed, 1)
  lu.assertStrContains(st.failed[1].error, "memory")
end

function TestSandbox:test_hostile_callback_is_contained()
  local c = small_corpus("hostile")
  local rs = assert(trawl.rules.load(ruleset([[
  callbacks = {
    { id = "loop", label = "X", fn = function(doc, emit) emit(1, 2) while true do end end },
    { id = "escape", label = "X", fn = function(doc, emit)
        local ok = pcall(function() return io end)
        emit(1, 3)
        return load("return 1")()
      end },
    { id = "fine", label = "FINE", fn = function(doc, emit) emit(1, 4) end },
  },]])))
  local t0 = os.clock()
  local st = assert(c:apply(rs))
  lu.assertTrue(os.clock() - t0 < 3)
  local failed = {}
  for _, f in ipairs(st.failed) do failed[f.rule] = f.error end
  lu.assertStrContains(failed.loop, "instruction budget exceeded")
  lu.assertStrContains(failed.escape, "load")
  lu.assertNil(failed.fine)
  -- The failed rules added nothing; the others are stored.
  local rules = {}
  for _, m in ipairs(c:mentions()) do rules[m.rule] = (rules[m.rule] or 0) + 1 end
  lu.assertNil(rules.loop)
  lu.assertNil(rules.escape)
  lu.assertEquals(rules.fine, 2)
  lu.assertEquals(rules.aliases, 1)
end

function TestSandbox:test_catastrophic_regex_is_contained()
  local c = small_corpus("regex")
  local rs = assert(trawl.rules.load(ruleset([[
  regex = {
    { id = "evil", label = "X", re = "(a|aa)+(a|aa)+(a|aa)+$" },
    { id = "ok", label = "DATE", re = [=[\d+/\d+/\d+]=] },
  },]]), {match_limit = 10000}))
  -- A text that makes the evil pattern backtrack.
  local f = assert(io.open(tmp .. "/regex/c.txt", "wb"))
  f:write(("a"):rep(40) .. "!\n")
  f:close()
  c = assert(trawl.open(tmp .. "/regex", {quiet = true}))
  local t0 = os.clock()
  local st = assert(c:apply(rs))
  lu.assertTrue(os.clock() - t0 < 2)
  lu.assertEquals(#st.failed, 1)
  lu.assertEquals(st.failed[1].rule, "evil")
  lu.assertEquals(#c:mentions{type = "X"}, 0)
  lu.assertEquals(#c:mentions{type = "DATE"}, 1)
end

TestApply = {}

function TestApply:test_apply_and_query()
  local c = small_corpus("apply")
  local rs = assert(trawl.rules.load(MINI))
  local st = assert(c:apply(rs))
  lu.assertEquals(st.docs, 2)
  lu.assertEquals(#st.failed, 0)
  local k = assert(c:entity("kadhimi"))
  lu.assertEquals(k.type, "PERSON")
  lu.assertEquals(k:count(), 2)
  lu.assertEquals(k.ndocs, 2)
  local texts = {}
  for _, m in ipairs(k:mentions()) do texts[#texts + 1] = m.text end
  lu.assertEquals(texts, {"Al Kazemi", "Prime Minister Kadhimi"})
  local kh = c:entity("kh")
  local forms = {}
  for _, v in ipairs(kh:variants()) do forms[v.text] = v.count end
  lu.assertEquals(forms, {["Kataib Hezbollah"] = 1, KH = 1})
  local dates = c:mentions{type = "DATE"}
  lu.assertEquals(#dates, 1)
  lu.assertEquals(dates[1].attrs, {m = "12", d = "25", y = "20"})
  -- Byte spans point at the text.
  for _, m in ipairs(c:mentions()) do
    lu.assertEquals(m.doc:sub(m.start, m.stop), m.text)
  end
  -- Sentence and context of a mention.
  local m = k:mentions()[1]
  lu.assertEquals(m:sentence().text, "Al Kazemi answered on 12/25/20.")
  local left, mid, right = m:context(2)
  lu.assertEquals(mid, "Al Kazemi")
  lu.assertStrContains(left, "attacked")
  lu.assertStrContains(right, "answered")
  -- Iterating entities, as a list or with for-in.
  local ids = {}
  for e in c:entities{type = "PERSON"} do ids[#ids + 1] = e.id end
  lu.assertEquals(ids, {"kadhimi"})
  local docs = k:docs()
  lu.assertEquals(#docs, 2)
end

function TestApply:test_reapply_is_idempotent_and_scoped()
  local c = small_corpus("idem")
  local rs = assert(trawl.rules.load(MINI))
  local other = assert(trawl.rules.load(ruleset("", "other")))
  assert(c:apply(rs))
  assert(c:apply(other))
  local n1 = #c:mentions()
  assert(c:apply(rs))
  lu.assertEquals(#c:mentions(), n1)
  lu.assertEquals(#c:mentions{ruleset = "t"}, 1)
end

function TestApply:test_keep_overlaps()
  local c = small_corpus("overlaps")
  local rs = assert(trawl.rules.load(MINI))
  assert(c:apply(rs, {overlaps = "keep"}))
  local b = {}
  for _, m in ipairs(c:mentions{doc = "b"}) do b[#b + 1] = m.text end
  -- Both the pattern and the alias inside it are kept.
  lu.assertItemsEquals(b, {"Prime Minister Kadhimi", "Kadhimi", "KH"})
  assert(c:apply(rs))
  b = {}
  for _, m in ipairs(c:mentions{doc = "b"}) do b[#b + 1] = m.text end
  lu.assertItemsEquals(b, {"Prime Minister Kadhimi", "KH"})
end

function TestApply:test_callbacks()
  local c = small_corpus("callbacks")
  local rs = assert(trawl.rules.load("tests/fixtures/rules/callbacks.lua"))
  local ok, results = rs:check()
  lu.assertTrue(ok, results[1] and results[1].text)
  assert(c:apply(rs))
  local refs = c:mentions{type = "MILITIA_REF"}
  lu.assertEquals(#refs, 1)
  lu.assertEquals(refs[1].text, "The militias")
  local first = c:mentions{type = "FIRST"}
  lu.assertEquals(#first, 2)
  lu.assertAlmostEquals(first[1].score, 0.5, 1e-6)
end

function TestApply:test_fuzzy_linking_is_opt_in_and_explained()
  local c = small_corpus("fuzzy")
  local path = write("fuzzy.lua", [[
return trawl.ruleset {
  name = "fz", version = "1.0.0", description = "fuzzy",
  options = { fuzzy = true, fuzzy_threshold = 0.9 },
  entities = {
    { id = "kadhimi", type = "PERSON", name = "Mustafa al-Kadhimi" },
    { id = "kh", type = "ORG", name = "Kataib Hezbollah", fuzzy = false },
  },
}]])
  local rs = assert(trawl.rules.load(path))
  lu.assertEquals(rs.rules[2].kind, "fuzzy")
  assert(c:apply(rs))
  local got = {}
  for _, m in ipairs(c:mentions{entity = "kadhimi"}) do
    lu.assertEquals(m.rule, "fuzzy-aliases")
    lu.assertTrue(m.score >= 0.9 and m.score <= 1)
    lu.assertEquals(m.attrs.alias, "Mustafa al-Kadhimi")
    lu.assertEquals(m.attrs.linked, "name key")
    got[#got + 1] = m.text
  end
  lu.assertEquals(got, {"Al Kazemi", "Kadhimi"})
  -- kh has fuzzy = false: only its exact name is found.
  lu.assertEquals(#c:mentions{entity = "kh"}, 1)
  -- Without the option nothing is linked by key.
  local plain = assert(trawl.rules.load(ruleset("", "plain")))
  lu.assertEquals(#plain.rules, 1)
end

function TestApply:test_a_rule_failing_late_does_not_hide_others()
  -- The callback wins "Kataib Hezbollah" in a.txt (longer span), then
  -- fails on b.txt: the alias mention in a.txt must be stored all the same.
  local c = small_corpus("late")
  local rs = assert(trawl.rules.load(write("late.lua", [[
return trawl.ruleset {
  name = "late", version = "1.0.0", description = "d",
  entities = { { id = "kh", type = "ORG", name = "Kataib Hezbollah" } },
  callbacks = { { id = "grab", label = "X", fn = function(doc, emit)
    if doc.id == "b" then error("late failure") end
    emit(1, 26)
  end } },
}]])))
  local st = assert(c:apply(rs))
  lu.assertEquals(#st.failed, 1)
  lu.assertStrContains(st.failed[1].error, "late failure")
  local kh = c:mentions{entity = "kh"}
  lu.assertEquals(#kh, 1)
  lu.assertEquals(kh[1].docid, "a")
  lu.assertEquals(#c:mentions{type = "X"}, 0)
end

function TestApply:test_bad_values_are_load_errors_not_apply_failures()
  local path = write("vals.lua", ([[
return trawl.ruleset {
  name = "v", version = "1.0.0", description = "d",
  entities = {
    { id = "a", type = "ORG", name = "Abc", attrs = { [%q] = "v", w = 1/0 } },
    { id = "b", type = "ORG", name = "B\xff\xfe" },
  },
}]]):format(("k"):rep(3000)))
  local rs, e = trawl.rules.load(path)
  lu.assertNil(rs)
  lu.assertStrContains(e, "attrs.w must be a finite number")
  lu.assertStrContains(e, "'name' is not valid UTF-8")
  -- A NaN score fails the rule, not the apply.
  local c = small_corpus("nan")
  local r2 = assert(trawl.rules.load(ruleset([[
  callbacks = { { id = "nan", label = "X", fn = function(doc, emit) emit(1, 2, nil, 0/0) end } },]])))
  local st = assert(c:apply(r2))
  lu.assertStrContains(st.failed[1].error, "score must be a number in [0, 1]")
  -- Long attrs keys are stored whole.
  local r3 = assert(trawl.rules.load(write("long.lua", ([[
return trawl.ruleset { name = "lg", version = "1.0.0", description = "d",
  entities = { { id = "iraq", type = "GPE", name = "Iraq", attrs = { [%q] = %q } } } }]]):format(
    ("k"):rep(3000), ("v"):rep(2000)))))
  local attrs = r3.entities[1].attrs
  lu.assertEquals(#attrs[("k"):rep(3000)], 2000)
end

function TestApply:test_no_store_is_an_error()
  local c = assert(trawl.open("corpus", {quiet = true, store = false}))
  local rs = assert(trawl.rules.load(MINI))
  lu.assertErrorMsgContains("no store", c.apply, c, rs)
end

os.exit(lu.LuaUnit.run())

--- trawl.report — what the report scripts in scripts/reports/ share:
-- option parsing with one help text per report (the script's own header
-- comment), opening the corpus and applying --rules, counting repeated
-- passages once, the actors of a corpus with their mentions, spellings and
-- sentences, tabular output in five formats, and the pieces of HTML that
-- link a number in a report to the sentences behind it.
--
--   local report = require "trawl.report"
--   local o = report.options(arg, {name = "actors",
--     options = {"rules", "ruleset", "format", "out", "keep-duplicates",
--                {"--top", "N", kind = "int", default = 30}}})
--   local c = report.open(o)                -- the corpus, rules applied
--   local actors = report.actors(c, o)      -- nil + one line when none
--
-- Exit statuses, the same in every report: 0 done; 1 the report could not
-- be made (no entities, a rule file failed); 2 a bad option or argument;
-- 3 the corpus cannot be read.
local trawl = require "trawl"
local out = require "trawl.out"
local html = require "trawl.html"

local M = {}

-- ---------------------------------------------------------------------
-- Messages and exits
-- ---------------------------------------------------------------------

-- The report's name, for messages ("actors: unknown option ...").
local NAME = "report"

--- Print "NAME: message" on stderr and exit with status (default 2).
function M.fail(msg, status)
  io.stderr:write(NAME, ": ", msg, "\n")
  os.exit(status or 2)
end
local fail = M.fail

-- ---------------------------------------------------------------------
-- Help: the script's header comment
-- ---------------------------------------------------------------------

--- The leading comment block of a script file, without the comment
-- markers: every report documents itself once, in its header, and
-- --help prints exactly that, so the help and the source cannot drift.
function M.header(path)
  local f = path and io.open(path, "r")
  if not f then return nil end
  local lines = {}
  for line in f:lines() do
    local body = line:match("^%-%-%-? ?(.*)$")
    if not body then break end
    lines[#lines + 1] = body
  end
  f:close()
  return table.concat(lines, "\n")
end

-- ---------------------------------------------------------------------
-- Options
-- ---------------------------------------------------------------------

-- The options most reports take, by name. A report lists the names it
-- accepts and adds its own specs; a spec is {flag, METAVAR, kind =,
-- default =, choices =, min =, key =}.
--   kind: "flag" (no value), "int", "num", "string", "choice", "list"
--   (comma-separated, may repeat), "multi" (may repeat: a list).
local STANDARD = {
  ["rules"] = {"--rules", "FILE", kind = "multi"},
  ["ruleset"] = {"--ruleset", "NAME", kind = "list"},
  ["format"] = {"--format", "FORMAT", kind = "choice", default = "table",
    choices = {"table", "md", "csv", "json", "jsonl"}},
  ["out"] = {"--out", "FILE", kind = "string"},
  ["top"] = {"--top", "N", kind = "int", min = 0},
  ["type"] = {"--type", "TYPE", kind = "list"},
  ["keep-duplicates"] = {"--keep-duplicates", kind = "flag"},
  ["html"] = {"--html", "FILE", kind = "string"},
}

-- "--keep-duplicates" -> "keep_duplicates"
local function key_of(spec)
  return spec.key or spec[1]:gsub("^%-%-", ""):gsub("%-", "_")
end

local function convert(spec, v)
  local k = spec.kind
  if k == "int" then
    local n = math.tointeger(tonumber(v))
    if not n then fail(("%s wants a whole number, not '%s'"):format(spec[1], v)) end
    if spec.min and n < spec.min then fail(("%s must be at least %d"):format(spec[1], spec.min)) end
    return n
  elseif k == "num" then
    local n = tonumber(v)
    if not n then fail(("%s wants a number, not '%s'"):format(spec[1], v)) end
    if spec.min and n < spec.min then fail(("%s must be at least %s"):format(spec[1], spec.min)) end
    if spec.max and n > spec.max then fail(("%s must be at most %s"):format(spec[1], spec.max)) end
    return n
  elseif k == "choice" then
    for _, c in ipairs(spec.choices) do if c == v then return v end end
    fail(("%s must be one of %s, not '%s'"):format(spec[1], table.concat(spec.choices, ", "), v))
  end
  if v == "" then fail(spec[1] .. " wants a value") end
  return v
end

--- Parse a report's command line. `argv` is the script's `arg`; `def`
-- is {name, options = {names of STANDARD options or specs}, args = {
-- {"QUERY", required = true}, ...}, defaults = {name of a STANDARD option
-- = its default in this report}}. Returns a table of values by key
-- (dashes become underscores), with o.args the positional arguments,
-- o.name the report. --help prints the script's header and exits 0; a bad
-- option or argument prints one line and exits 2.
function M.options(argv, def)
  NAME = def.name
  local specs, byflag = {}, {}
  for _, s in ipairs(def.options or {}) do
    local spec = type(s) == "string" and STANDARD[s] or s
    if not spec then error("report: unknown standard option " .. tostring(s), 2) end
    if type(s) == "string" and def.defaults and def.defaults[s] ~= nil then
      local copy = {}
      for k, v in pairs(spec) do copy[k] = v end
      copy.default = def.defaults[s]
      spec = copy
    end
    specs[#specs + 1] = spec
    byflag[spec[1]] = spec
    if spec.short then byflag[spec.short] = spec end
  end
  local o = {name = def.name, args = {}}
  for _, spec in ipairs(specs) do
    local k = key_of(spec)
    if spec.kind == "flag" then o[k] = spec.default or false
    elseif spec.kind == "multi" or spec.kind == "list" then o[k] = {}
    else o[k] = spec.default end
  end

  for _, a in ipairs(argv) do
    if a == "-h" or a == "--help" then
      print(M.header(argv[0]) or ("usage: trawl run " .. tostring(argv[0]) .. " CORPUS [options]"))
      os.exit(0)
    end
  end

  -- The corpus is arg[1] when trawl opened it (trawl run opens the first
  -- argument when it exists on disk); the options follow it.
  local have, c = pcall(trawl.corpus)
  local first = 1
  if have then first = 2 end
  o.corpus = have and c or nil

  local i, only_args = first, false
  while argv[i] ~= nil do
    local a = argv[i]
    if only_args or a == "-" or a:sub(1, 1) ~= "-" or tonumber(a) then
      o.args[#o.args + 1] = a
    elseif a == "--" then
      only_args = true
    else
      local flag, inline = a:match("^(%-%-[^=]+)=(.*)$")
      flag = flag or a
      local spec = byflag[flag]
      if not spec then fail(("unknown option '%s' (see --help)"):format(flag)) end
      local k = key_of(spec)
      if spec.kind == "flag" then
        if inline then fail(flag .. " takes no value") end
        o[k] = true
      else
        local v = inline
        if v == nil then
          i = i + 1
          v = argv[i]
          if v == nil then fail(("%s wants a value: %s %s"):format(flag, flag, spec[2] or "VALUE")) end
        end
        if spec.kind == "multi" then
          o[k][#o[k] + 1] = convert(spec, v)
        elseif spec.kind == "list" then
          for item in v:gmatch("[^,]+") do
            item = item:match("^%s*(.-)%s*$")
            if item ~= "" then o[k][#o[k] + 1] = item end
          end
        else
          o[k] = convert(spec, v)
        end
      end
    end
    i = i + 1
  end

  -- Without a corpus, the first argument was meant to be one.
  if not o.corpus then
    if #o.args > 0 then
      -- trawl run opens only the first argument as the corpus.
      local f = io.open(o.args[1], "r")
      if f then
        f:close()
        fail(("the corpus comes first: trawl run %s %s [options]"):format(tostring(argv[0]), o.args[1]))
      end
      fail(("'%s' is not a corpus: no such file or directory"):format(o.args[1]), 3)
    end
    fail(("no corpus given (usage: trawl run %s CORPUS [options]; see --help)"):format(tostring(argv[0])))
  end
  local wanted = def.args or {}
  for k, a in ipairs(wanted) do
    if a.required and o.args[k] == nil then
      fail(("missing %s (usage: trawl run %s CORPUS %s [options])"):format(a[1], tostring(argv[0]), a[1]))
    end
  end
  if #o.args > #wanted then
    fail(("unexpected argument '%s' (see --help)"):format(o.args[#wanted + 1]))
  end
  return o
end

-- ---------------------------------------------------------------------
-- The corpus, with rules applied
-- ---------------------------------------------------------------------

--- The corpus of the command line, with the rule files of --rules applied
-- first (so the store has their entities). o.rulesets gets the names of
-- the applied rulesets, "name version" strings in o.rules_applied. A rule
-- file that does not load, or a rule that fails, exits 1; a corpus
-- without a store exits 3.
function M.open(o)
  local c = o.corpus
  o.rulesets_applied = {}
  o.rules_applied = {}
  if o.rules and #o.rules > 0 then
    local sets = {}
    for _, path in ipairs(o.rules) do
      local rs, err = trawl.rules.load(path)
      if not rs then fail(err, 1) end
      sets[#sets + 1] = rs
      o.rulesets_applied[#o.rulesets_applied + 1] = rs.name
      o.rules_applied[#o.rules_applied + 1] = rs.name .. " " .. rs.version
    end
    if not c.store then
      -- A single file has no store of its own: keep one in the user's
      -- cache, named after the file, so --rules works on it too (and the
      -- next run finds it up to date).
      if c.path == "-" then
        fail("--rules needs a corpus with a store: stdin has none; "
          .. "`trawl ingest - --db FILE` first, then report on FILE", 3)
      end
      local home = os.getenv("XDG_CACHE_HOME")
      home = (home and home ~= "") and home or ((os.getenv("HOME") or "/tmp") .. "/.cache")
      local dir = home .. "/trawl/stores"
      os.execute("mkdir -p '" .. dir:gsub("'", "'\\''") .. "'")
      local abs = c.path:sub(1, 1) == "/" and c.path or ((os.getenv("PWD") or ".") .. "/" .. c.path)
      local name = abs:gsub("[^%w%.%-]", "_")
      local c2, err = trawl.open(c.path, {store = dir .. "/file-" .. name .. ".db", quiet = true})
      if not c2 or not c2.store then fail("--rules: " .. (err or "cannot make a store"), 3) end
      c = c2
      o.corpus = c
    end
    local st, err = c:apply(sets)
    if not st then fail(err, 3) end
    for _, f in ipairs(st.failed) do
      fail(("%s:%d: rule '%s' of %s failed: %s"):format(f.path, f.line, f.rule, f.ruleset, f.error), 1)
    end
    o.applied_mentions = st.mentions
  end
  -- Which rulesets' mentions count: --ruleset, else those just applied,
  -- else every ruleset in the store.
  local filter = {}
  local names = (o.ruleset and #o.ruleset > 0) and o.ruleset or o.rulesets_applied
  for _, n in ipairs(names) do filter[n] = true end
  o.ruleset_filter = next(filter) and filter or nil
  return c
end

-- ---------------------------------------------------------------------
-- Documents
-- ---------------------------------------------------------------------

--- Short document ids: the part before the first "_" when that is unique
-- in the corpus (the sample corpus's "000_1af78644860d8528" is "000"),
-- else the whole id. c:doc() accepts the short id too (unique prefix).
function M.short_ids(c)
  local short, seen = {}, {}
  for d in c:docs() do
    local s = d.id:match("^([^_]+)_") or d.id
    seen[s] = (seen[s] or 0) + 1
    short[d.id] = s
  end
  for id, s in pairs(short) do if seen[s] > 1 then short[id] = id end end
  return short
end

--- Find documents from a list of ids or unique id prefixes; exits 2 naming
-- the first that is not found.
function M.docs(c, list)
  local docs = {}
  for _, key in ipairs(list) do
    local d, err = c:doc(key)
    if not d then
      err = tostring(err or "")
      fail(err:find(key, 1, true) and err or ("no document '%s': %s"):format(key, err), 2)
    end
    docs[#docs + 1] = d
  end
  return docs
end

--- Sentence lookup: s = at(doc, pos) gives the sentence holding byte pos of
-- the document, as {index, start, stop, text}. Sentences are split once
-- per document and found by binary search.
function M.sentences(c)
  local cache = {}
  local function spans(d)
    local list = cache[d.id]
    if not list then
      list = {}
      for s in d:sentences() do
        list[#list + 1] = {index = s.index, start = s.start, stop = s.stop, text = s.text, docid = d.id}
      end
      cache[d.id] = list
    end
    return list
  end
  return function(d, pos)
    if type(d) == "string" then d = c:doc(d) end
    local list = spans(d)
    local lo, hi = 1, #list
    while lo <= hi do
      local mid = (lo + hi) // 2
      local s = list[mid]
      if pos < s.start then hi = mid - 1
      elseif pos > s.stop then lo = mid + 1
      else return s end
    end
    -- Between two sentences (whitespace): the one before.
    return list[math.max(1, math.min(hi, #list))]
  end, spans
end

-- ---------------------------------------------------------------------
-- Repeated passages
-- ---------------------------------------------------------------------

--- The corpus's repeated passages (c:duplicates: exact and near-exact
-- repeats of paragraphs and documents). Returns {groups, copies, exact,
-- near, skip = function(docid, pos) -> true when pos lies in a copy (a
-- repeat after the first occurrence), mode}. Unless o.keep_duplicates,
-- reports count each repeated passage once: they leave out what lies in
-- the copies, and pass mode ("near", the library's skip_duplicates) to
-- the analysis functions, so every figure counts the same text.
function M.repeats(c, o)
  local groups = c:duplicates{}
  local r = {groups = groups, copies = 0, exact = 0, near = 0, words = 0, ranges = {}}
  for _, g in ipairs(groups) do
    for k = 2, #g.members do
      local m = g.members[k]
      r.copies = r.copies + 1
      if m.exact then r.exact = r.exact + 1 else r.near = r.near + 1 end
      r.words = r.words + (m.words or 0)
      local list = r.ranges[m.docid] or {}
      list[#list + 1] = {m.start, m.stop}
      r.ranges[m.docid] = list
    end
  end
  r.counted_once = not o.keep_duplicates and r.copies > 0
  r.mode = r.counted_once and "near" or nil
  function r.skip(docid, pos)
    if not r.counted_once then return false end
    for _, span in ipairs(r.ranges[docid] or {}) do
      if pos >= span[1] and pos <= span[2] then return true end
    end
    return false
  end
  return r
end

--- One sentence about the repeated passages, for the notes of reports.
function M.repeats_note(r, short)
  if r.copies == 0 then return nil end
  local where, seen = {}, {}
  for _, g in ipairs(r.groups) do
    for k = 2, #g.members do
      local id = short and short[g.members[k].docid] or g.members[k].docid
      if not seen[id] then seen[id] = true where[#where + 1] = id end
    end
  end
  local how = {}
  if r.exact > 0 then how[#how + 1] = r.exact .. " word for word" end
  if r.near > 0 then how[#how + 1] = r.near .. " with small changes" end
  local s = ("%d %s repeat%s an earlier one (%s; in %s)"):format(r.copies,
    r.copies == 1 and "passage" or "passages", r.copies == 1 and "s" or "",
    table.concat(how, ", "), table.concat(where, ", "))
  if r.counted_once then
    return s .. ": counted once here (--keep-duplicates counts every copy)."
  end
  return s .. ": every copy is counted (--keep-duplicates)."
end

-- ---------------------------------------------------------------------
-- Actors
-- ---------------------------------------------------------------------

-- Media, platforms and publishers are where the words come from, not who
-- acts in them: the sample ruleset marks them with attrs.kind (see
-- scripts/rules/README.md). Reports about who acts leave them out unless
-- --keep-sources.
local SOURCE_KINDS = {"media", "platform", "publisher"}

--- Is the entity a source (medium, platform, publisher) rather than an actor?
function M.is_source(e)
  local kind = e.attrs and e.attrs.kind
  if type(kind) ~= "string" then return false end
  kind = kind:lower()
  for _, k in ipairs(SOURCE_KINDS) do
    if kind == k or kind:sub(1, #k + 1) == k .. " " then return true end
  end
  return false
end

--- The actors of the corpus: every entity with mentions (from the store,
-- the rulesets of o.ruleset_filter), counting each repeated passage once
-- unless o.keep_duplicates. Each actor is {id, name, type, attrs, source,
-- mentions (count), docs (count), bydoc = {docid = count}, spellings =
-- {{text, count}, most frequent first}, list = {mentions in corpus
-- order}}; the list is sorted by mentions, then id. Also returns the number
-- of mentions left out as repeats. o.type (a list) keeps those types only.
function M.actors(c, o, rep)
  if not c.store then return {}, 0 end
  local info = {}
  for _, e in ipairs(c:entities()) do info[e.id] = e end
  local want
  if o.type and #o.type > 0 then
    want = {}
    for _, t in ipairs(o.type) do want[t:upper()] = true end
  end
  local byid, list, skipped = {}, {}, 0
  for _, m in ipairs(c:mentions()) do
    local e = m.entity and info[m.entity]
    if e and (not o.ruleset_filter or o.ruleset_filter[m.ruleset])
       and (not want or want[m.type]) then
      if rep and rep.skip(m.docid, m.start) then
        skipped = skipped + 1
      else
        local a = byid[m.entity]
        if not a then
          a = {id = e.id, name = e.name, type = e.type, attrs = e.attrs or {}, mentions = 0,
               docs = 0, bydoc = {}, spell = {}, list = {}, ruleset = e.ruleset}
          a.source = M.is_source(a)
          byid[m.entity] = a
          list[#list + 1] = a
        end
        a.mentions = a.mentions + 1
        if not a.bydoc[m.docid] then a.docs = a.docs + 1 end
        a.bydoc[m.docid] = (a.bydoc[m.docid] or 0) + 1
        a.spell[m.text] = (a.spell[m.text] or 0) + 1
        a.list[#a.list + 1] = m
      end
    end
  end
  for _, a in ipairs(list) do
    local sp = {}
    for text, n in pairs(a.spell) do sp[#sp + 1] = {text = text, count = n} end
    table.sort(sp, function(x, y)
      if x.count ~= y.count then return x.count > y.count end
      return x.text < y.text
    end)
    a.spellings, a.spell = sp, nil
  end
  table.sort(list, function(x, y)
    if x.mentions ~= y.mentions then return x.mentions > y.mentions end
    return x.id < y.id
  end)
  return list, skipped
end

--- The line a report prints when there are no entities to report on.
M.NO_ENTITIES = "no entities: give --rules FILE, e.g. --rules scripts/rules/iraq-2020.lua"

--- Spellings as text: "Al-Kazemi 30, Kadhimi 15, …" (at most n, then "+k more").
function M.spellings_text(a, n)
  local parts = {}
  for i, s in ipairs(a.spellings) do
    if n and n > 0 and i > n then
      parts[#parts + 1] = ("+%d more"):format(#a.spellings - n)
      break
    end
    parts[#parts + 1] = s.text .. " " .. s.count
  end
  return table.concat(parts, ", ")
end

--- Co-occurrence of actors within sentences: every pair of different
-- actors mentioned in the same sentence, with the sentences. Returns
-- {nodes (the actors given), edges = {{source, target, weight (shared
-- sentences), sentences = {...}, llr, dice, ...}}, N (sentences counted)}.
-- Association measures come from trawl.analysis over the 2x2 table of
-- sentences (o11 both, r1 with source, c1 with target, N all sentences).
function M.cooccurrence(c, actors, rep)
  local an = require "trawl.analysis"
  local at = M.sentences(c)
  local units = {}       -- "docid\0index" -> {sentence, set of actor ids}
  local order = {}
  local nunits = {}      -- actor id -> sentences holding it
  for _, a in ipairs(actors) do
    local seen = {}
    for _, m in ipairs(a.list) do
      local s = at(m.doc, m.start)
      local key = m.docid .. "\0" .. string.format("%08d", s.index)
      local u = units[key]
      if not u then
        u = {sentence = s, docid = m.docid, ids = {}, marks = {}}
        units[key] = u
        order[#order + 1] = key
      end
      u.ids[a.id] = true
      u.marks[#u.marks + 1] = m
      if not seen[key] then seen[key] = true nunits[a.id] = (nunits[a.id] or 0) + 1 end
    end
  end
  table.sort(order)
  local N = 0
  for d in c:docs() do
    for s in d:sentences() do
      if not (rep and rep.skip(d.id, s.start)) then N = N + 1 end
    end
  end
  local rank = {}
  for i, a in ipairs(actors) do rank[a.id] = i end
  local pairs_, plist = {}, {}
  for _, key in ipairs(order) do
    local u = units[key]
    local ids = {}
    for id in pairs(u.ids) do ids[#ids + 1] = id end
    table.sort(ids, function(x, y) return rank[x] < rank[y] end)
    for i = 1, #ids do
      for j = i + 1, #ids do
        local pk = ids[i] .. "\0" .. ids[j]
        local p = pairs_[pk]
        if not p then
          p = {source = ids[i], target = ids[j], weight = 0, sentences = {}}
          pairs_[pk] = p
          plist[#plist + 1] = p
        end
        p.weight = p.weight + 1
        p.sentences[#p.sentences + 1] = u
      end
    end
  end
  for _, p in ipairs(plist) do
    local a, b = nunits[p.source], nunits[p.target]
    local t = an.contingency(p.weight, a - p.weight, b - p.weight, N - a - b + p.weight)
    local m = an.measures(t, a, b)
    p.llr, p.dice, p.logdice, p.mi, p.low = m.llr, m.dice, m.logdice, m.mi, m.low
    p.o11, p.e11 = t.o11, t.e11
  end
  table.sort(plist, function(x, y)
    if x.weight ~= y.weight then return x.weight > y.weight end
    if rank[x.source] ~= rank[y.source] then return rank[x.source] < rank[y.source] end
    return rank[x.target] < rank[y.target]
  end)
  return {edges = plist, N = N, units = nunits}
end

--- The dated events of the corpus (c:timeline), with the actors of each
-- event's sentence taken from `actors` (sources left out unless
-- o.keep_sources), events in repeated passages left out (rep), and, with
-- o.assume_year, expressions with a month or day but no year ("June 25"
-- in an undated document: XXXX-06-25) placed in that year, marked
-- `assumed`. Returns {events, undated, names = {id = name}, assumed (how
-- many), assumable (how many could be), undated_example, has(ev, id)}, or
-- nil and a message.
function M.timeline(c, o, rep, actors)
  local mentions, names = {}, {}
  for _, a in ipairs(actors or {}) do
    names[a.id] = a.name
    if not a.source or o.keep_sources then
      for _, m in ipairs(a.list) do mentions[#mentions + 1] = m end
    end
  end
  table.sort(mentions, function(x, y)
    if x.docid ~= y.docid then return x.docid < y.docid end
    return x.start < y.start
  end)
  local tl, err = c:timeline{mentions = mentions}
  if not tl then return nil, err end
  local undated_docs = {}
  for d in c:docs() do if not d.date then undated_docs[d.id] = true end end
  local events, undated = {}, {}
  local r = {names = names, assumed = 0, assumable = 0}
  for _, ev in ipairs(tl.events) do
    if not (rep and rep.skip(ev.docid, ev.start)) then events[#events + 1] = ev end
  end
  for _, ev in ipairs(tl.undated) do
    if not (rep and rep.skip(ev.docid, ev.start)) then
      -- A month (and day) without a year, in a document without a date.
      local rest = type(ev.date) == "string" and ev.date:match("^XXXX(%-%d%d.*)$")
      if rest and undated_docs[ev.docid] then
        r.assumable = r.assumable + 1
        if not r.undated_example then
          r.undated_example = ("e.g. '%s' in %s"):format(ev.date_text, ev.docid:match("^([^_]+)_") or ev.docid)
        end
      end
      if rest and undated_docs[ev.docid] and o.assume_year then
        ev.date = string.format("%04d", o.assume_year) .. rest
        ev.assumed = true
        r.assumed = r.assumed + 1
        events[#events + 1] = ev
      else
        undated[#undated + 1] = ev
      end
    end
  end
  if r.assumed > 0 then
    -- The placed events join the others in date order, then corpus order.
    local order = {}
    for d in c:docs() do order[d.id] = d.index end
    table.sort(events, function(x, y)
      if x.date ~= y.date then return x.date < y.date end
      if x.docid ~= y.docid then return order[x.docid] < order[y.docid] end
      return x.start < y.start
    end)
  end
  if not r.undated_example and undated[1] then
    r.undated_example = ("e.g. '%s'"):format(undated[1].date_text)
  end
  r.events, r.undated = events, undated
  function r.has(ev, id)
    for _, x in ipairs(ev.entities) do if x == id then return true end end
    return false
  end
  return r
end

-- ---------------------------------------------------------------------
-- Output of tables
-- ---------------------------------------------------------------------

--- A buffer for a report's output: b:add(text) collects, b:table(title,
-- rows, cols) formats rows in o.format (table, md, csv, json, jsonl),
-- b:note(text) adds a note (on stdout for table/md, on stderr for the
-- formats read by programs, so their output stays parseable), b:flush()
-- writes everything to o.out or stdout.
function M.output(o)
  local b = {parts = {}, format = o.format or "table"}
  local machine = b.format == "csv" or b.format == "json" or b.format == "jsonl"
  b.machine = machine
  function b:add(s)
    self.parts[#self.parts + 1] = s
  end
  function b:line(s)
    if not machine then self:add((s or "") .. "\n") end
  end
  function b:note(s)
    if not s then return end
    if machine then io.stderr:write(NAME, ": ", s, "\n")
    elseif b.format == "md" then self:add("\n*" .. s:gsub("([*_])", "\\%1") .. "*\n")
    else self:add(s .. "\n") end
  end
  -- The keys of the columns, for the formats that name fields.
  local function keys_of(rows, cols)
    local keys = {}
    for i, col in ipairs(out.columns(rows, cols)) do keys[i] = col.key end
    return keys
  end
  function b:table(title, rows, cols)
    local f = b.format
    if f == "table" then
      if title then self:add("\n" .. title .. "\n") end
      self:add(#rows > 0 and out.table(rows, cols) or "(none)\n")
    elseif f == "md" then
      if title then self:add("\n## " .. title .. "\n\n") end
      self:add(#rows > 0 and out.markdown(rows, cols) or "(none)\n")
    elseif f == "csv" then
      self:add(out.csv(rows, cols))
    elseif f == "json" then
      -- JSON gets the same columns as the table, as an array of objects.
      local keys = keys_of(rows, cols)
      local list = {}
      for i, row in ipairs(rows) do
        local r = {}
        for _, k in ipairs(keys) do r[k] = row[k] end
        list[i] = r
      end
      self:add(out.json(setmetatable(list, require("trawl.json").array), {indent = 2}))
    elseif f == "jsonl" then
      if #rows > 0 then self:add(out.jsonl(rows, keys_of(rows, cols))) end
    end
  end
  function b:flush()
    local text = table.concat(self.parts)
    if self.format == "table" then text = text:gsub("^\n", "") end
    local ok, err = out.write(o.out, text)
    if not ok then fail(err, 3) end
  end
  return b
end

-- ---------------------------------------------------------------------
-- HTML pieces
-- ---------------------------------------------------------------------

--- A new html report: the generated-by date is SOURCE_DATE_EPOCH when set
-- (reproducible output, as for other build tools), else now.
function M.html_report(opts)
  local epoch = tonumber(os.getenv("SOURCE_DATE_EPOCH") or "")
  if epoch and not opts.date then opts.date = os.date("!%Y-%m-%d %H:%M UTC", math.floor(epoch)) end
  return html.report(opts)
end

--- Add raw HTML to the current section of an html report. The html module
-- escapes everything it is given; the evidence blocks (sentences with the
-- mention marked, inside <details>) are built here from escaped pieces.
function M.raw(r, s)
  r:_add(s)
  return r
end

--- The text of a sentence, escaped, with the byte ranges `marks` ({start,
-- stop} as document positions) in <mark>. `s` is {start, stop, text}.
function M.marked(s, marks)
  local ranges = {}
  for _, m in ipairs(marks or {}) do
    local a, b = (m.start or m[1]) - s.start + 1, (m.stop or m[2]) - s.start + 1
    if a >= 1 and b <= #s.text and a <= b then ranges[#ranges + 1] = {a, b} end
  end
  table.sort(ranges, function(x, y) return x[1] < y[1] end)
  local parts, pos = {}, 1
  for _, r in ipairs(ranges) do
    if r[1] >= pos then
      parts[#parts + 1] = html.escape(s.text:sub(pos, r[1] - 1))
      parts[#parts + 1] = "<mark>" .. html.escape(s.text:sub(r[1], r[2])) .. "</mark>"
      pos = r[2] + 1
    end
  end
  parts[#parts + 1] = html.escape(s.text:sub(pos))
  return (table.concat(parts):gsub("%s+", " "))
end

--- An absolute path for messages ("the report is in /home/x/overview.html").
function M.absolute(path)
  if path:sub(1, 1) == "/" then return path end
  local cwd = os.getenv("PWD")
  if not cwd or cwd == "" then
    local p = io.popen("pwd")
    cwd = p and p:read("l") or "."
    if p then p:close() end
  end
  return (cwd:gsub("/$", "")) .. "/" .. path:gsub("^%./", "")
end

--- Write an html report to path; exits 3 when the file cannot be written.
-- Returns the absolute path.
function M.write_html(path, r)
  local ok, err = out.write(path, r:render())
  if not ok then fail(err, 3) end
  return M.absolute(path)
end

-- TIMEX3 parts of the day, for people.
local DAYPARTS = {MO = "morning", MI = "midday", AF = "afternoon", EV = "evening", NI = "night", DT = "daytime"}

--- A TIMEX value for people: "2020-12-25TNI" -> "2020-12-25 night",
-- "2020-12-25T14:30" -> "2020-12-25 14:30"; other values as they are.
function M.when(v)
  if type(v) ~= "string" then return tostring(v) end
  local day, t = v:match("^(%d%d%d%d%-%d%d%-%d%d)T(.+)$")
  if not day then return v end
  return day .. " " .. (DAYPARTS[t] or t)
end

--- Thousands separators for numbers people read: 6938 -> "6,938".
function M.n(v)
  local s = tostring(math.tointeger(v) or v)
  local neg, int, rest = s:match("^(-?)(%d+)(.*)$")
  if not int then return s end
  int = int:reverse():gsub("(%d%d%d)", "%1,"):reverse():gsub("^,", "")
  return neg .. int .. rest
end

return M

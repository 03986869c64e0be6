--- actors — who is mentioned in this corpus, how often, in how many
-- documents, and under which spellings?
--
-- Usage: trawl run scripts/reports/actors.lua CORPUS [options]
--
-- The entities of the corpus store (put there by `trawl apply` or by
-- --rules), grouped by type, most mentioned first: mentions, documents and
-- every spelling with its count. With --entity ID, one actor in full:
-- spellings, mentions per document and every sentence that mentions it.
-- Repeated passages are counted once unless --keep-duplicates.
--
-- Options:
--   --rules FILE        apply this rule file first (repeatable)
--   --ruleset NAME      only the mentions of these rulesets (comma list)
--   --type TYPE         only these types (comma list: PERSON,ORG)
--   --top N             at most N actors per type (default 10; 0: all)
--   --min N             only actors with at least N mentions (default 1)
--   --spellings N       spellings shown per actor (default 6; 0: all)
--   --entity ID         one actor in full, with every sentence
--   --keep-duplicates   count every copy of a repeated passage
--   --format FORMAT     table (default), md, csv, json, jsonl
--   --out FILE          write to FILE instead of stdout
--
-- Exit status: 0 done; 1 no entities (give --rules) or a rule file failed;
-- 2 bad option; 3 the corpus cannot be read.
--
-- Example:
--   trawl run scripts/reports/actors.lua corpus/ --rules scripts/rules/iraq-2020.lua --type PERSON
--   trawl run scripts/reports/actors.lua corpus/ --entity kadhimi
local report = require "trawl.report"

local o = report.options(arg, {name = "actors",
  options = {"rules", "ruleset", "type", "top", "keep-duplicates", "format", "out",
    {"--min", "N", kind = "int", min = 1, default = 1},
    {"--spellings", "N", kind = "int", min = 0, default = 6},
    {"--entity", "ID", kind = "string"}},
  defaults = {top = 10}})
local c = report.open(o)
local short = report.short_ids(c)
local rep = report.repeats(c, o)
local actors, skipped = report.actors(c, o, rep)
if #actors == 0 then report.fail(report.NO_ENTITIES, 1) end
local b = report.output(o)

local function skipped_note()
  if skipped > 0 then
    return ("%d %s in repeated passages not counted (--keep-duplicates counts them)."):format(
      skipped, skipped == 1 and "mention" or "mentions")
  end
end

-- One actor in full: the evidence behind its numbers.
if o.entity then
  local a
  for _, x in ipairs(actors) do if x.id == o.entity then a = x end end
  if not a then
    report.fail(("no mentions of entity '%s' (the entities are listed by this report without --entity)")
      :format(o.entity), 1)
  end
  local at = report.sentences(c)
  b:line(("%s (%s, id %s): %d mentions in %d documents, %d spellings"):format(a.name, a.type, a.id,
    a.mentions, a.docs, #a.spellings))
  local role = a.attrs.role
  if role then b:line("  " .. tostring(role)) end
  local rows = {}
  for i, s in ipairs(a.spellings) do rows[i] = {spelling = s.text, mentions = s.count} end
  b:table("Spellings", rows, {{"spelling"}, {"mentions"}})
  local drows = {}
  for d in c:docs() do
    if a.bydoc[d.id] then drows[#drows + 1] = {doc = short[d.id], title = d.title, mentions = a.bydoc[d.id]} end
  end
  b:table("Mentions per document", drows, {{"doc"}, {"title", max = 60}, {"mentions"}})
  -- Every sentence, once, with its mentions: the sentences behind the count.
  local srows, last = {}, nil
  for _, m in ipairs(a.list) do
    local s = at(m.doc, m.start)
    local key = m.docid .. "#" .. s.index
    if key ~= last then
      srows[#srows + 1] = {doc = short[m.docid], sentence = s.index, mentions = 0, spellings = {},
        text = s.text:gsub("%s+", " ")}
      last = key
    end
    local r = srows[#srows]
    r.mentions = r.mentions + 1
    r.spellings[#r.spellings + 1] = m.text
  end
  b:table(("Sentences (%d)"):format(#srows), srows,
    {{"doc"}, {"sentence", title = "sent"}, {"mentions", title = "n"}, {"spellings", max = 24},
     {"text", max = b.format == "table" and 110 or nil}})
  b:note(skipped_note())
  b:flush()
  return
end

local min = o.min
local bytype, types = {}, {}
for _, a in ipairs(actors) do
  if a.mentions >= min then
    local t = bytype[a.type]
    if not t then
      t = {type = a.type, list = {}, mentions = 0}
      bytype[a.type] = t
      types[#types + 1] = t
    end
    t.list[#t.list + 1] = a
    t.mentions = t.mentions + a.mentions
  end
end
-- Types with the most mentions first: the order of actors, aggregated.
table.sort(types, function(x, y)
  if x.mentions ~= y.mentions then return x.mentions > y.mentions end
  return x.type < y.type
end)

local function row(a)
  return {type = a.type, id = a.id, name = a.name, mentions = a.mentions, docs = a.docs,
    nspellings = #a.spellings, spellings = report.spellings_text(a, o.spellings)}
end
local cols = {{"type"}, {"id", max = 20}, {"name", max = 32}, {"mentions"}, {"docs"},
  {"nspellings", title = "spellings"}, {"spellings", title = "spelled as (mentions)", max = 70}}

local total, nent = 0, 0
for _, t in ipairs(types) do total, nent = total + t.mentions, nent + #t.list end
if not b.machine then
  b:line(("%s: %d mentions of %d entities in %d documents%s"):format(c.path, total, nent, #c,
    #o.rules_applied > 0 and (" (rules: " .. table.concat(o.rules_applied, ", ") .. ")") or ""))
end

if b.machine then
  -- One flat table for programs: every actor, type as a column.
  local rows = {}
  for _, t in ipairs(types) do
    for k, a in ipairs(t.list) do
      if o.top == 0 or k <= o.top then
        local r = row(a)
        -- Programs get the spellings as a list of {text, count}.
        r.spellings = {}
        for i, s in ipairs(a.spellings) do r.spellings[i] = {text = s.text, count = s.count} end
        if b.format == "csv" then r.spellings = report.spellings_text(a, 0) end
        rows[#rows + 1] = r
      end
    end
  end
  b:table(nil, rows, {"type", "id", "name", "mentions", "docs", "nspellings", "spellings"})
else
  for _, t in ipairs(types) do
    local rows = {}
    for k, a in ipairs(t.list) do
      if o.top == 0 or k <= o.top then rows[#rows + 1] = row(a) end
    end
    local more = #t.list - #rows
    b:table(("%s: %d %s, %d mentions%s"):format(t.type, #t.list, #t.list == 1 and "entity" or "entities",
      t.mentions, more > 0 and (" (top " .. #rows .. " shown; --top 0 for all)") or ""), rows,
      {cols[2], cols[3], cols[4], cols[5], cols[6], cols[7]})
  end
  b:line()
  b:line("Every sentence behind an actor's numbers: --entity ID (e.g. --entity " .. actors[1].id .. ").")
end
b:note(skipped_note())
b:flush()

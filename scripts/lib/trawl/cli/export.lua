--- trawl export — write what trawl found in a form other tools read.
--   trawl export mentions CORPUS [--format jsonl|csv|brat] [--out PATH] [filters]
--   trawl export entities CORPUS [--format jsonl|csv] [--out PATH] [filters]
--   trawl export rules RULEFILE [--out PATH]      (spaCy EntityRuler JSONL)
-- Filters: --type T, --ruleset NAME, --entity ID, --doc ID.
-- Offsets: jsonl and csv give 0-based byte offsets, end exclusive (start,
-- end) and the same in characters (cstart, cend); brat uses characters.
local trawl = require "trawl"
local json = require "trawl.json"
local csv = require "trawl.csv"

local usage = [[
usage: trawl export mentions CORPUS [--format jsonl|csv|brat] [--out PATH] [FILTERS]
       trawl export entities CORPUS [--format jsonl|csv] [--out PATH] [FILTERS]
       trawl export rules RULEFILE [--out PATH]
filters: --type T  --ruleset NAME  --entity ID  --doc ID]]

local function die(code, msg)
  io.stderr:write(msg, "\n")
  os.exit(code)
end

local what, target = arg[1], arg[2]
if what == "-h" or what == "--help" then print(usage) os.exit(0) end
if not what or not target then die(2, usage) end
local opts, i = {format = "jsonl"}, 3
local takes = {["--format"] = "format", ["--out"] = "out", ["--type"] = "type",
  ["--ruleset"] = "ruleset", ["--entity"] = "entity", ["--doc"] = "doc"}
while arg[i] do
  local k = takes[arg[i]]
  if not k or not arg[i + 1] then die(2, "trawl export: bad option '" .. arg[i] .. "'\n" .. usage) end
  opts[k] = arg[i + 1]
  i = i + 2
end

local function output()
  if not opts.out then return io.stdout end
  local f, err = io.open(opts.out, "wb")
  if not f then die(3, "trawl: " .. err) end
  return f
end

-- Character offset of each byte offset, for one document, computed in one
-- sweep over sorted offsets.
local function char_offsets(text, offsets)
  local sorted = {}
  for _, o in ipairs(offsets) do sorted[#sorted + 1] = o end
  table.sort(sorted)
  local map, pos, chars = {}, 0, 0
  for _, o in ipairs(sorted) do
    if o > pos then
      chars = chars + (utf8.len(text, pos + 1, o) or (o - pos))
      pos = o
    end
    map[o] = chars
  end
  return map
end

if what == "rules" then
  local rs, err = trawl.rules.load(target)
  if not rs then die(1, err) end
  local out = output()
  local n, skipped = 0, 0
  for _, e in ipairs(rs.entities) do
    for _, a in ipairs(e.aliases) do
      out:write(json.encode{label = e.type, pattern = a, id = e.id}, "\n")
      n = n + 1
    end
  end
  for _, r in ipairs(rs.rules) do
    if r.kind == "pattern" then
      out:write(json.encode{label = r.type, pattern = r.pattern,
        id = r.entity and r.label or r.id}, "\n")
      n = n + 1
    elseif r.kind ~= "aliases" then
      skipped = skipped + 1
      io.stderr:write(("trawl export: %s rule '%s' has no spaCy equivalent; left out\n"):format(r.kind, r.id))
    end
  end
  if out ~= io.stdout then out:close() end
  io.stderr:write(("%d patterns written, %d rules left out\n"):format(n, skipped))
  os.exit(0)
end

local c, err = trawl.open(target, {quiet = true})
if not c then die(3, "trawl: " .. err) end
if not c.store then
  die(3, ("trawl: %s has no store: export reads the entity tables of a corpus "
    .. "directory (or a store file); apply rules to it first"):format(target))
end

if what == "entities" then
  if opts.format ~= "jsonl" and opts.format ~= "csv" then
    die(2, "trawl export entities: --format must be jsonl or csv")
  end
  local out = output()
  if opts.format == "csv" then
    out:write(csv.row{"id", "type", "name", "ruleset", "mentions", "docs"})
  end
  for _, e in ipairs(c:entities{type = opts.type, ruleset = opts.ruleset}) do
    if not opts.entity or e.id == opts.entity then
      if opts.format == "csv" then
        out:write(csv.row{e.id, e.type, e.name, e.ruleset, e.nmentions, e.ndocs})
      else
        out:write(json.encode{id = e.id, type = e.type, name = e.name, ruleset = e.ruleset,
          mentions = e.nmentions, docs = e.ndocs, attrs = next(e.attrs) and e.attrs or nil}, "\n")
      end
    end
  end
  if out ~= io.stdout then out:close() end
  os.exit(0)
end

if what ~= "mentions" then die(2, usage) end
-- --doc takes what c:doc takes (a unique id prefix like "004" too).
if opts.doc then
  local d, derr = c:doc(opts.doc)
  if not d then die(3, "trawl: " .. derr) end
  opts.doc = d.id
end
if opts.entity and not c:entity(opts.entity) then
  local _, eerr = c:entity(opts.entity)
  die(3, "trawl: " .. eerr)
end
local ms = c:mentions{type = opts.type, ruleset = opts.ruleset, entity = opts.entity, doc = opts.doc}
if #ms == 0 and (opts.type or opts.ruleset) then
  io.stderr:write("trawl: no mentions match the filters (types are in capitals: PERSON, ORG...)\n")
end

-- Group by document for character offsets.
local bydoc, order = {}, {}
for _, m in ipairs(ms) do
  if not bydoc[m.docid] then bydoc[m.docid] = {} order[#order + 1] = m.docid end
  table.insert(bydoc[m.docid], m)
end

if opts.format == "brat" then
  if not opts.out then die(2, "trawl export mentions --format brat needs --out DIR") end
  os.execute("mkdir -p '" .. opts.out:gsub("'", "'\\''") .. "'")
  local written = 0
  for d in c:docs() do
    if not opts.doc or d.id == opts.doc then
      local list = bydoc[d.id] or {}
      local offs = {}
      for _, m in ipairs(list) do offs[#offs + 1] = m.start - 1 offs[#offs + 1] = m.stop end
      local cmap = char_offsets(d.text, offs)
      local name = opts.out .. "/" .. d.id:gsub("[/\\]", "__")
      local ft = assert(io.open(name .. ".txt", "wb"))
      ft:write(d.text)
      ft:close()
      local fa = assert(io.open(name .. ".ann", "wb"))
      for k, m in ipairs(list) do
        -- brat text bound lines cannot hold newlines: use the first line.
        fa:write(("T%d\t%s %d %d\t%s\n"):format(k, m.type, cmap[m.start - 1], cmap[m.stop],
          m.text:gsub("\n", " ")))
        if m.entity then fa:write(("#%d\tAnnotatorNotes T%d\t%s\n"):format(k, k, m.entity)) end
      end
      fa:close()
      written = written + 1
    end
  end
  io.stderr:write(("%d documents written to %s (brat standoff: .txt and .ann)\n"):format(written, opts.out))
  os.exit(0)
end

if opts.format ~= "jsonl" and opts.format ~= "csv" then
  die(2, "trawl export mentions: --format must be jsonl, csv or brat")
end
local out = output()
if opts.format == "csv" then
  out:write(csv.row{"doc", "start", "end", "cstart", "cend", "text", "entity", "type",
    "rule", "ruleset", "version", "score"})
end
for _, id in ipairs(order) do
  local list = bydoc[id]
  local offs = {}
  for _, m in ipairs(list) do offs[#offs + 1] = m.start - 1 offs[#offs + 1] = m.stop end
  local cmap = char_offsets(list[1].doc.text, offs)
  for _, m in ipairs(list) do
    if opts.format == "csv" then
      out:write(csv.row({m.docid, m.start - 1, m.stop, cmap[m.start - 1], cmap[m.stop], m.text,
        m.entity, m.type, m.rule, m.ruleset, m.version, m.score}, 12))
    else
      out:write(json.encode{doc = m.docid, start = m.start - 1, ["end"] = m.stop,
        cstart = cmap[m.start - 1], cend = cmap[m.stop], text = m.text, entity = m.entity,
        type = m.type, rule = m.rule, ruleset = m.ruleset, version = m.version,
        score = m.score, attrs = m.attrs}, "\n")
    end
  end
end
if out ~= io.stdout then out:close() end
os.exit(0)

--- trawl import — turn other tools' pattern files into a trawl rule file
-- (written to stdout or --out, for review before sharing).
--   trawl import spacy PATTERNS.jsonl --name NAME [--version V] [--out FILE]
--   trawl import gazetteer LIST.txt --name NAME --type TYPE [--version V] [--out FILE]
-- spaCy: EntityRuler/SpanRuler JSONL lines {"label", "pattern", "id"}; a
-- phrase pattern (a string) becomes an alias of the entity named by its id
-- (or of a new entity per distinct text, typed by label); a token pattern
-- becomes a pattern rule labelled with its id's entity, else its label.
-- Gazetteer: one alias per line, optionally "alias<TAB>id<TAB>type"; lines
-- starting with # and blank lines are skipped.
local json = require "trawl.json"

local usage = [=[
usage: trawl import spacy PATTERNS.jsonl --name NAME [--version V] [--out FILE]
       trawl import gazetteer LIST.txt --name NAME --type TYPE [--version V] [--out FILE]]=]

local function die(code, msg)
  io.stderr:write(msg, "\n")
  os.exit(code)
end

local kind, path = arg[1], arg[2]
if kind == "-h" or kind == "--help" then print(usage) os.exit(0) end
if (kind ~= "spacy" and kind ~= "gazetteer") or not path then die(2, usage) end
local opts, i = {version = "1.0.0"}, 3
while arg[i] do
  local k = arg[i]:match("^%-%-(%w+)$")
  if not k or not arg[i + 1] or not ({name = 1, version = 1, out = 1, type = 1})[k] then
    die(2, "trawl import: bad option '" .. arg[i] .. "'\n" .. usage)
  end
  opts[k] = arg[i + 1]
  i = i + 2
end
if not opts.name then die(2, "trawl import: --name is required\n" .. usage) end
if kind == "gazetteer" and not (opts.type or ""):match("^[A-Z][A-Z0-9_]*$") then
  die(2, "trawl import gazetteer: --type TYPE (in capitals) is required")
end

local f, ferr = io.open(path, "rb")
if not f then die(3, "trawl: " .. ferr) end

local function slug(s)
  s = s:lower():gsub("[^%w]+", "-"):gsub("^%-+", ""):gsub("%-+$", "")
  return s ~= "" and s or "entity"
end

local entities, by_id, patterns = {}, {}, {}
local function entity(id, etype, name, line)
  local e = by_id[id]
  if not e then
    e = {id = id, type = etype, name = name, aliases = {}, seen = {}}
    by_id[id] = e
    entities[#entities + 1] = e
  elseif e.type ~= etype then
    io.stderr:write(("%s:%d: id '%s' has type %s here and %s before; kept %s\n"):format(
      path, line, id, etype, e.type, e.type))
  end
  return e
end
local function alias(e, a)
  if a ~= e.name and not e.seen[a] then
    e.seen[a] = true
    e.aliases[#e.aliases + 1] = a
  end
end

local n = 0
for line in f:lines() do
  n = n + 1
  if kind == "spacy" then
    if line:match("%S") then
      local p, err = json.decode(line)
      if type(p) ~= "table" then
        io.stderr:write(("%s:%d: skipped: %s\n"):format(path, n, err or "not a JSON object"))
      elseif type(p.label) ~= "string" or not p.pattern then
        io.stderr:write(("%s:%d: skipped: needs label and pattern\n"):format(path, n))
      else
        local label = p.label:upper():gsub("[^A-Z0-9_]", "_")
        if type(p.pattern) == "string" then
          local e = entity(p.id and slug(p.id) or slug(label .. "-" .. p.pattern), label, p.pattern, n)
          alias(e, p.pattern)
        else
          local id = p.id and slug(p.id)
          if id then entity(id, label, p.id, n) end
          patterns[#patterns + 1] = {id = "p" .. n, label = id or label, pattern = p.pattern}
        end
      end
    end
  elseif line:match("%S") and not line:match("^#") then
    line = line:gsub("\r$", "") -- CRLF files
    local f = {}
    for field in (line .. "\t"):gmatch("([^\t]*)\t") do f[#f + 1] = field end
    local a, id, t = (f[1] or ""):gsub("^%s+", ""):gsub("%s+$", ""), f[2] or "", f[3] or ""
    if a == "" or #f > 3 then
      io.stderr:write(("%s:%d: skipped: expected ALIAS[<TAB>ID[<TAB>TYPE]]\n"):format(path, n))
      goto continue
    end
    local e = entity(id ~= "" and slug(id) or slug(a), t ~= "" and t or opts.type, a, n)
    alias(e, a)
  end
  ::continue::
end
f:close()

-- Lua source for a value, keys sorted, strings with %q.
local function lit(v, indent)
  if type(v) == "string" then return ("%q"):format(v):gsub("\\\n", "\\n") end
  if type(v) ~= "table" then return tostring(v) end
  local parts = {}
  if #v > 0 then
    for _, x in ipairs(v) do parts[#parts + 1] = lit(x, indent) end
    return "{ " .. table.concat(parts, ", ") .. " }"
  end
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = k end
  table.sort(keys)
  for _, k in ipairs(keys) do
    local key = k:match("^[%a_][%w_]*$") and k or ("[%q]"):format(k)
    parts[#parts + 1] = key .. " = " .. lit(v[k], indent)
  end
  return "{ " .. table.concat(parts, ", ") .. " }"
end

local out = opts.out and assert(io.open(opts.out, "wb")) or io.stdout
out:write(("--- %s: imported from %s by trawl import %s.\n"):format(opts.name, path, kind))
out:write("-- Review the entities and add examples before sharing: trawl check FILE.\n")
out:write("return trawl.ruleset {\n")
out:write(("  name = %q,\n  version = %q,\n"):format(opts.name, opts.version))
out:write(("  description = %q,\n"):format("Imported from " .. path:match("[^/]*$")))
out:write("  entities = {\n")
for _, e in ipairs(entities) do
  out:write(("    { id = %q, type = %q, name = %s,\n      aliases = %s },\n"):format(
    e.id, e.type, lit(e.name), #e.aliases > 0 and lit(e.aliases) or "{}"))
end
out:write("  },\n")
if #patterns > 0 then
  out:write("  patterns = {\n")
  for _, p in ipairs(patterns) do
    out:write(("    { id = %q, label = %q,\n      pattern = %s },\n"):format(p.id, p.label, lit(p.pattern)))
  end
  out:write("  },\n")
end
out:write("}\n")
if out ~= io.stdout then out:close() end
io.stderr:write(("%d entities, %d patterns\n"):format(#entities, #patterns))

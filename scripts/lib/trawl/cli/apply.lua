--- trawl apply [--keep-overlaps] RULEFILE... CORPUS — apply rule files to a
-- corpus: mentions go to the corpus store's entity tables (replacing the
-- previous mentions of the same rulesets), and a summary is printed.
-- Exit status: 0 done; 1 a rule file is invalid or a rule failed; 2 usage;
-- 3 the corpus or store cannot be used.
local trawl = require "trawl"
local fmt = require "trawl.fmt"
local semver = require "trawl.semver"

local usage = "usage: trawl apply [--keep-overlaps] [-q] RULEFILE... CORPUS"
local args, keep, quiet = {}, false, false
for _, a in ipairs(arg) do
  if a == "--keep-overlaps" then keep = true
  elseif a == "-q" or a == "--quiet" then quiet = true
  elseif a == "-h" or a == "--help" then print(usage) os.exit(0)
  elseif a:sub(1, 1) == "-" and a ~= "-" then
    io.stderr:write("trawl apply: unknown option '", a, "'\n", usage, "\n")
    os.exit(2)
  else args[#args + 1] = a end
end
if #args < 2 then
  io.stderr:write(usage, "\n")
  os.exit(2)
end
local corpus_path = table.remove(args)

local rulesets = {}
for _, f in ipairs(args) do
  local rs, err = trawl.rules.load(f)
  if not rs then
    io.stderr:write(err, "\n")
    os.exit(1)
  end
  rulesets[#rulesets + 1] = rs
end
local problems = semver.check_requires(rulesets)
if #problems > 0 then
  io.stderr:write(table.concat(problems, "\n"), "\n")
  os.exit(1)
end

local c, err = trawl.open(corpus_path, {quiet = quiet})
if not c then
  io.stderr:write("trawl: ", err, "\n")
  os.exit(3)
end
local t0 = os.clock()
local ok, st, aerr = pcall(c.apply, c, rulesets, {overlaps = keep and "keep" or "resolve"})
if not ok then -- no store (a single file without --db): a data error
  io.stderr:write("trawl: ", tostring(st), "\n")
  os.exit(3)
end
if not st then
  io.stderr:write("trawl: ", aerr, "\n")
  os.exit(3)
end
for _, f in ipairs(st.failed) do
  io.stderr:write(("trawl: %s:%d: rule '%s' of %s failed and was disabled (its mentions are not stored): %s\n"):format(
    f.path, f.line, f.rule, f.ruleset, f.error))
end
local names = {}
for _, rs in ipairs(rulesets) do names[#names + 1] = rs.name .. " " .. rs.version end
print(("%s: applied %s to %d documents: %d mentions in %.2f s (store %s)"):format(
  corpus_path, table.concat(names, ", "), st.docs, st.mentions, os.clock() - t0, c.store))

local rows = {}
for _, rs in ipairs(rulesets) do
  for _, e in ipairs(c:entities{ruleset = rs.name}) do
    if e.nmentions > 0 then
      local vs = {}
      for i, v in ipairs(e:variants()) do
        if i > 4 then vs[#vs + 1] = "…" break end
        vs[#vs + 1] = v.text
      end
      rows[#rows + 1] = {entity = e.id, type = e.type, name = e.name,
        mentions = e.nmentions, docs = e.ndocs, spellings = table.concat(vs, ", ")}
    end
  end
end
table.sort(rows, function(a, b)
  if a.mentions ~= b.mentions then return a.mentions > b.mentions end
  return a.entity < b.entity
end)
if #rows > 0 then
  print()
  print(fmt.table(rows, {{"entity", max = 18}, {"type"}, {"name", max = 28},
    {"mentions", align = "right"}, {"docs", align = "right"}, {"spellings", max = 50}}))
end
os.exit(#st.failed == 0 and 0 or 1)

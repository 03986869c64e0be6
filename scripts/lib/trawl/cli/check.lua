--- trawl check RULEFILE... — load each rule file (in its sandbox), run its
-- examples, and report each one with what was expected and what was found.
-- Exit status: 0 all pass; 1 an example failed, a rule failed, or a file
-- is invalid; 2 usage.
local trawl = require "trawl"
local semver = require "trawl.semver"

local files = {}
for _, a in ipairs(arg) do
  if a == "-h" or a == "--help" then
    print("usage: trawl check RULEFILE...")
    os.exit(0)
  elseif a:sub(1, 1) == "-" then
    io.stderr:write("trawl check: unknown option '", a, "'\n")
    os.exit(2)
  else
    files[#files + 1] = a
  end
end
if #files == 0 then
  io.stderr:write("usage: trawl check RULEFILE...\n")
  os.exit(2)
end

local function items(list)
  local out = {}
  for _, it in ipairs(list) do
    out[#out + 1] = it[2] and ("%s %q"):format(it[1], it[2]) or it[1]
  end
  return #out > 0 and table.concat(out, ", ") or "nothing"
end

local passed, failed, bad = 0, 0, 0
local loaded = {}
for _, f in ipairs(files) do
  local rs, err = trawl.rules.load(f)
  if not rs then
    io.stderr:write(err, "\n")
    bad = bad + 1
  else
    loaded[#loaded + 1] = rs
    local ok, results = rs:check()
    print(("%s: %s %s — %d entities, %d rules, %d examples"):format(
      f, rs.name, rs.version, #rs.entities, #rs.rules, #results))
    for _, r in ipairs(results) do
      local where = ("%s:%d"):format(f, r.line)
      if r.ok then
        passed = passed + 1
        print(("  PASS %s example %d"):format(where, r.index))
      else
        failed = failed + 1
        print(("  FAIL %s example %d: %q"):format(where, r.index, r.text))
        if #r.missing > 0 then print("       expected: " .. items(r.missing)) end
        if #r.unexpected > 0 then print("       must not find: " .. items(r.unexpected)) end
        print("       found: " .. items(r.found))
      end
    end
    for _, rule in ipairs(rs.rules) do
      if rule.failed then
        bad = bad + 1
        io.stderr:write(("%s:%d: rule '%s' failed: %s\n"):format(f, rule.line, rule.id, rule.error))
      end
    end
  end
end
for _, p in ipairs(semver.check_requires(loaded)) do
  io.stderr:write(p, "\n")
  bad = bad + 1
end
print(("%d passed, %d failed"):format(passed, failed))
if bad > 0 then print(("%d rule file problem%s"):format(bad, bad == 1 and "" or "s")) end
os.exit((failed == 0 and bad == 0) and 0 or 1)

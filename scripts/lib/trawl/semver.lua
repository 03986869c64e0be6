--- trawl.semver — semantic versions and the ranges rule files use in
-- `requires`: ">=1.2.0", "<2.0.0", "=1.2.3", "^1.2", "~1.2.3", "1.x",
-- and space-separated combinations (all must hold).
--
--   local semver = require "trawl.semver"
--   assert(semver.satisfies("1.4.2", ">=1.2.0 <2.0.0"))
local semver = {}

--- Parse "1.2.3[-pre][+build]" into {major, minor, patch, pre}.
function semver.parse(v)
  local a, b, c, rest = v:match("^(%d+)%.(%d+)%.(%d+)(.*)$")
  if not a then return nil end
  local pre = rest:match("^%-([%w%.%-]+)")
  return {tonumber(a), tonumber(b), tonumber(c), pre = pre}
end

--- Compare two parsed versions: -1, 0 or 1 (pre-releases sort first).
function semver.compare(x, y)
  for i = 1, 3 do
    if x[i] ~= y[i] then return x[i] < y[i] and -1 or 1 end
  end
  if x.pre == y.pre then return 0 end
  if not x.pre then return 1 end
  if not y.pre then return -1 end
  return x.pre < y.pre and -1 or 1
end

-- A partial version "1", "1.2", "1.x": the parts given, nil for wildcards.
local function partial(s)
  local parts = {}
  for p in s:gmatch("[^%.]+") do
    parts[#parts + 1] = p:match("^%d+$") and tonumber(p) or nil
    if not p:match("^%d+$") and not p:match("^[xX*]$") then return nil end
  end
  return parts
end

local function check(v, op, s)
  -- A full version may carry a pre-release ("2.0.0-beta.1"): compare it
  -- as one; partial versions ("1.x", "^1.2") have none.
  local full = semver.parse(s)
  local p = full or partial(s)
  if not p then return nil end
  local lo = full or {p[1] or 0, p[2] or 0, p[3] or 0}
  local cmp = semver.compare(v, lo)
  if op == ">=" then return cmp >= 0
  elseif op == ">" then return cmp > 0
  elseif op == "<=" then return cmp <= 0
  elseif op == "<" then return cmp < 0
  elseif op == "^" then
    if cmp < 0 then return false end
    if (p[1] or 0) > 0 then return v[1] == p[1] end
    if (p[2] or 0) > 0 then return v[1] == 0 and v[2] == p[2] end
    return v[1] == 0 and v[2] == 0 and v[3] == (p[3] or 0)
  elseif op == "~" then
    return cmp >= 0 and v[1] == lo[1] and (p[2] == nil or v[2] == lo[2])
  else -- "=" or none: the given parts must match
    for i = 1, 3 do
      if p[i] ~= nil and v[i] ~= p[i] then return false end
    end
    return true
  end
end

--- Does version string v satisfy range string r? (nil, message on bad input)
function semver.satisfies(v, r)
  local pv = semver.parse(v)
  if not pv then return nil, "not a version: " .. tostring(v) end
  for term in r:gmatch("%S+") do
    local op, rest = term:match("^([<>=^~]*)(.+)$")
    local ok = check(pv, op, rest)
    if ok == nil then return nil, "not a version range: " .. r end
    if not ok then return false end
  end
  return true
end

--- Check the `requires` of a list of rulesets against each other: returns
-- a list of messages (empty when every requirement is met).
function semver.check_requires(rulesets)
  local by = {}
  for _, rs in ipairs(rulesets) do by[rs.name] = rs end
  local problems = {}
  for _, rs in ipairs(rulesets) do
    for name, range in pairs(rs.requires or {}) do
      local dep = by[name]
      if not dep then
        problems[#problems + 1] = ("%s: requires ruleset '%s' %s, which was not given"):format(rs.path, name, range)
      else
        local ok, err = semver.satisfies(dep.version, range)
        if not ok then
          problems[#problems + 1] = ("%s: requires '%s' %s, but %s is %s%s"):format(
            rs.path, name, range, dep.path, dep.version, err and (" (" .. err .. ")") or "")
        end
      end
    end
  end
  return problems
end

return semver

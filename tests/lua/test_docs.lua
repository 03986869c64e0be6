-- Runs every ```lua block of the docs, so the examples cannot drift from
-- the code. Each block runs in a fresh environment with the globals.
local lu = require "luaunit"
local trawl = require "trawl"

local function blocks(path)
  local f = assert(io.open(path))
  local text = f:read("a")
  f:close()
  local out = {}
  for pre, code in text:gmatch("()```lua\n(.-)\n```") do
    local _, n = text:sub(1, pre):gsub("\n", "")
    out[#out + 1] = {code = code, line = n + 1}
  end
  return out
end

TestDocs = {}

for _, file in ipairs{"docs/lua-api.md", "docs/guide.md", "docs/corpus.md",
                       "docs/store.md", "docs/tokenizer.md", "docs/output.md",
                       "docs/analysis.md", "docs/dates.md"} do
  local ok, list = pcall(blocks, file)
  if ok then
    for _, b in ipairs(list) do
      local name = ("test_%s_line_%d"):format(file:match("([%w_-]+)%.md$"):gsub("-", "_"), b.line)
      TestDocs[name] = function()
        local env = setmetatable({print = function() end}, {__index = _G})
        local chunk = assert(load(b.code, "=" .. file .. ":" .. b.line, "t", env))
        chunk()
      end
    end
  end
end

-- The rule files in docs/rules.md must load and pass their examples.
for _, b in ipairs(blocks("docs/rules.md")) do
  TestDocs["test_rules_md_line_" .. b.line] = function()
    local path = (os.getenv("TRAWL_TEST_TMP") or "/tmp") .. "/docs_rules.lua"
    os.execute("mkdir -p '" .. path:match("^(.*)/") .. "'")
    local f = assert(io.open(path, "wb"))
    f:write(b.code)
    f:close()
    local rs = assert(trawl.rules.load(path))
    local ok, results = rs:check()
    for _, r in ipairs(results) do lu.assertTrue(r.ok, r.text) end
    lu.assertTrue(ok)
  end
end

os.exit(lu.LuaUnit.run())

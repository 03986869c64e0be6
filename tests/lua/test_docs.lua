-- Runs every ```lua block of the docs, so the examples cannot drift from
-- the code. Each block runs in a fresh environment with the globals.
local lu = require "luaunit"

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
                       "docs/store.md", "docs/tokenizer.md"} do
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

os.exit(lu.LuaUnit.run())

-- Every function and method of the Lua API is documented: its name appears
-- in the docs as it is called (trawl.open, c:search, d:tokens, ...). A new
-- method without documentation fails here.
local lu = require "luaunit"
local trawl = require "trawl"

local function read(path)
  local f = assert(io.open(path))
  local s = f:read("a")
  f:close()
  return s
end

local docs = read("docs/lua-api.md") .. read("docs/analysis.md") ..
  read("docs/names.md") .. read("docs/dates.md")

local function documented(call)
  return docs:find(call, 1, true) ~= nil
end

TestApiDocs = {}

function TestApiDocs:test_module_functions()
  local missing = {}
  for name, v in pairs(trawl) do
    if type(v) == "function" and name:sub(1, 1) ~= "_" and name ~= "json_decode"
       and not documented("trawl." .. name) then
      missing[#missing + 1] = "trawl." .. name
    end
  end
  for _, sub in ipairs{"rules", "dates", "names"} do
    for name, v in pairs(trawl[sub]) do
      if type(v) == "function" and not documented("trawl." .. sub .. "." .. name)
         and not documented(sub .. "." .. name) then
        missing[#missing + 1] = "trawl." .. sub .. "." .. name
      end
    end
  end
  table.sort(missing)
  lu.assertEquals(missing, {})
end

function TestApiDocs:test_methods()
  local c = assert(trawl.open("corpus", {quiet = true, store = false}))
  local d = c:doc(1)
  local objects = {
    {"c:", getmetatable(c)}, {"d:", getmetatable(d)},
    {"s:", getmetatable(d:sentence(1))},
  }
  local missing = {}
  for _, o in ipairs(objects) do
    for name in pairs(o[2].methods) do
      if not documented(o[1] .. name) then missing[#missing + 1] = o[1] .. name end
    end
  end
  table.sort(missing)
  lu.assertEquals(missing, {})
end

function TestApiDocs:test_token_fields()
  local t = trawl.newdoc{text = "Al-Kazemi"}:token(1)
  local missing = {}
  for _, f in ipairs{"text", "norm", "start", "stop", "kind", "shape", "index",
                     "doc", "parts", "flags", "is_alpha", "is_stop", "like_num",
                     "is_hyphenated", "space_after", "is_abbrev"} do
    lu.assertTrue(t[f] ~= nil, "token field " .. f)
    if not documented("t." .. f) then missing[#missing + 1] = "t." .. f end
  end
  lu.assertEquals(missing, {})
end

os.exit(lu.LuaUnit.run())

--- trawl.json — JSON for exports. encode() writes compact JSON with keys
-- sorted (stable output for diffs and golden files); decode() is jansson's
-- parser through trawl.json_decode.
--
--   local json = require "trawl.json"
--   print(json.encode{doc = "004", start = 10, tags = {"a", "b"}})
local trawl = require "trawl"

local json = {}

local escapes = {
  ['"'] = '\\"', ['\\'] = '\\\\', ['\b'] = '\\b', ['\f'] = '\\f',
  ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t',
}

local function str(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    return escapes[c] or string.format("\\u%04x", c:byte())
  end) .. '"'
end

local function is_array(t)
  local n = #t
  if n == 0 then return next(t) == nil and getmetatable(t) == json.array end
  for k in pairs(t) do
    if math.type(k) ~= "integer" or k < 1 or k > n then return false end
  end
  return true
end

--- Mark an empty table as an array (encodes as [] rather than {}).
json.array = {}

local function enc(v, out, depth)
  local t = type(v)
  if depth > 100 then error("json.encode: nesting too deep") end
  if v == nil or v == json.null then out[#out + 1] = "null"
  elseif t == "boolean" then out[#out + 1] = tostring(v)
  elseif t == "number" then
    if v ~= v or v == math.huge or v == -math.huge then
      error("json.encode: cannot encode " .. tostring(v))
    end
    out[#out + 1] = math.type(v) == "integer" and tostring(v) or string.format("%.14g", v)
  elseif t == "string" then out[#out + 1] = str(v)
  elseif t == "table" then
    if is_array(v) then
      out[#out + 1] = "["
      for i = 1, #v do
        if i > 1 then out[#out + 1] = "," end
        enc(v[i], out, depth + 1)
      end
      out[#out + 1] = "]"
    else
      local keys = {}
      for k in pairs(v) do
        if type(k) ~= "string" then error("json.encode: object keys must be strings") end
        keys[#keys + 1] = k
      end
      table.sort(keys)
      out[#out + 1] = "{"
      for i, k in ipairs(keys) do
        if i > 1 then out[#out + 1] = "," end
        out[#out + 1] = str(k)
        out[#out + 1] = ":"
        enc(v[k], out, depth + 1)
      end
      out[#out + 1] = "}"
    end
  else
    error("json.encode: cannot encode a " .. t)
  end
end

--- A value that encodes as null inside tables.
json.null = setmetatable({}, {__tostring = function() return "null" end})

--- Encode a Lua value as compact JSON (object keys sorted).
function json.encode(v)
  local out = {}
  enc(v, out, 0)
  return table.concat(out)
end

--- Decode JSON text: value, or nil and a message with line and column.
function json.decode(s)
  return trawl.json_decode(s)
end

return json

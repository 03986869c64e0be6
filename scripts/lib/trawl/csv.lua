--- trawl.csv — RFC 4180 CSV: fields with a comma, quote, CR or LF are
-- quoted, quotes doubled; lines end with CRLF.
--
--   local csv = require "trawl.csv"
--   io.write(csv.row{"doc", "text"}, csv.row{"004", 'say "hi"'})
local csv = {}

local function field(v)
  if v == nil then return "" end
  v = tostring(v)
  if v:find('[,"\r\n]') then return '"' .. v:gsub('"', '""') .. '"' end
  return v
end

--- One CSV record (with its CRLF) from a list of values (nil = empty).
function csv.row(values, n)
  local out = {}
  for i = 1, n or #values do out[i] = field(values[i]) end
  return table.concat(out, ",") .. "\r\n"
end

return csv

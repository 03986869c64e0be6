--- trawl.fmt — text tables for terminals: columns aligned by display
-- width (so "Kata’ib" and Arabic or CJK text line up), cells cut with "…".
--
--   local fmt = require "trawl.fmt"
--   print(fmt.table({{id = "a", n = 3}}, {{"id"}, {"n", align = "right"}}))
local trawl = require "trawl"

local fmt = {}

-- Cut s to at most w display columns, ending with "…" when cut.
function fmt.cut(s, w)
  s = tostring(s)
  if trawl.width(s) <= w then return s end
  local out, used = {}, 0
  -- utf8.charpattern rather than utf8.codes: invalid bytes must not stop
  -- a table from printing (trawl.width counts them as one column).
  for ch in s:gmatch(utf8.charpattern) do
    local cw = trawl.width(ch)
    if used + cw > w - 1 then break end
    out[#out + 1] = ch
    used = used + cw
  end
  return table.concat(out) .. "…"
end

local function pad(s, w, right)
  local gap = string.rep(" ", w - trawl.width(s))
  return right and gap .. s or s .. gap
end

--- Format rows (a list of tables) as an aligned table.
-- cols: list of { key, title = key, align = "left"|"right", max = columns }.
-- Cells that are nil print as "". Control characters become spaces.
function fmt.table(rows, cols)
  local widths, cells = {}, {}
  for c, col in ipairs(cols) do
    local title = col.title or col[1]
    widths[c] = trawl.width(title)
  end
  for r, row in ipairs(rows) do
    cells[r] = {}
    for c, col in ipairs(cols) do
      local v = row[col[1]]
      local s = v == nil and "" or tostring(v):gsub("[%c]", " ")
      if col.max then s = fmt.cut(s, col.max) end
      cells[r][c] = s
      widths[c] = math.max(widths[c], trawl.width(s))
    end
  end
  local lines, head, rule = {}, {}, {}
  for c, col in ipairs(cols) do
    head[c] = pad(col.title or col[1], widths[c], col.align == "right")
    rule[c] = string.rep("-", widths[c])
  end
  lines[1] = table.concat(head, "  "):gsub("%s+$", "")
  lines[2] = table.concat(rule, "  ")
  for r = 1, #rows do
    local out = {}
    for c, col in ipairs(cols) do
      out[c] = pad(cells[r][c], widths[c], col.align == "right")
    end
    lines[#lines + 1] = table.concat(out, "  "):gsub("%s+$", "")
  end
  return table.concat(lines, "\n")
end

return fmt

--- trawl.html — a self-contained HTML report: one file with inline CSS and
-- inline SVG charts (bars, a co-occurrence network, a timeline, dispersion
-- plots), tables and concordances. Nothing is loaded from anywhere (a
-- Content-Security-Policy in the page forbids it), every text is escaped,
-- and every number drawn is also given as text: in the chart's tooltips
-- (SVG <title>) and in a data table under each chart.
--
--   local html = require "trawl.html"
--   local out = require "trawl.out"
--   local r = html.report{title = "Iraq 2020", subtitle = "Five news articles"}
--   r:section("Frequent terms", "Content words, stop words left out.")
--   r:bars{title = "Top terms", unit = "occurrences",
--          items = {{"militia", 41}, {"Kadhimi", 37}, {"rockets", 12}}}
--   out.write(os.tmpname(), r:render())
--
-- Charts are drawn in a fixed coordinate space (viewBox 880 units wide) and
-- scale with the page, so the same file reads on a 1366×768 laptop and
-- prints on A4. Layouts are deterministic (the network layout uses a fixed
-- seed), so the same data gives the same bytes.
local trawl = require "trawl"
local fmt = require "trawl.fmt"
local out = require "trawl.out"

local html = {}

local W = 880          -- chart width in SVG units
local FONT = 13        -- chart label size in SVG units
local CHAR = 0.6       -- average glyph width in ems, for estimating text widths

-- Escaping -------------------------------------------------------------------

local entities = {["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&#39;"}

-- Every piece of data goes through esc(): invalid UTF-8 and control
-- characters are replaced first (out.clean), then markup characters.
local function esc(s)
  if s == nil then return "" end
  return (out.clean(s):gsub("[&<>\"']", entities))
end
html.escape = esc

-- Plain-text form of any cell value (lists joined, numbers full precision).
local function text_of(v)
  return out.cell({v}, {1})
end

-- The name of the document an item comes from: its docid, or the id of
-- its doc (analysis results carry the document itself), or doc as given.
local function doc_name(item)
  local v = item.docid
  if v == nil then v = item.doc end
  if v == nil then return nil end
  return text_of(v)
end

-- Numbers ----------------------------------------------------------------------

-- Short numbers for chart labels: integers as they are, others with a few
-- significant digits and no trailing zeros. The data tables keep full
-- precision, so a rounded label can always be traced.
local function short(v, f)
  if type(f) == "function" then return tostring(f(v)) end
  if type(v) ~= "number" then return text_of(v) end
  if type(f) == "string" then return string.format(f, v) end
  if math.type(v) == "integer" or (v == math.floor(v) and math.abs(v) < 1e15) then
    return string.format("%d", v)
  end
  local a, s = math.abs(v)
  if a >= 100 then s = string.format("%.1f", v)
  elseif a >= 1 then s = string.format("%.2f", v)
  else s = string.format("%.3g", v) end
  if s:find("%.") and not s:find("e") then s = s:gsub("0+$", ""):gsub("%.$", "") end
  return s
end
html.short = short

-- Coordinates with one decimal, "-0" folded to "0": stable bytes.
local function n1(x)
  local s = string.format("%.1f", x):gsub("%.0$", "")
  if s == "-0" then s = "0" end
  return s
end

-- Estimated width of a label in SVG units. There are no font metrics
-- here; display columns times an average glyph width is close enough for
-- layout, and labels are cut with room to spare.
local function textw(s, size)
  return trawl.width(s) * (size or FONT) * CHAR
end

-- Cut to fit a width in SVG units.
local function fit(s, width, size)
  local cols = math.max(2, math.floor(width / ((size or FONT) * CHAR)))
  return fmt.cut(s, cols)
end

-- The last w display columns of s, starting with "…" when cut: the left
-- context of a concordance line keeps the words nearest the match.
local function cut_left(s, w)
  s = tostring(s)
  if trawl.width(s) <= w then return s end
  local chars = {}
  for _, cp in utf8.codes(s, true) do chars[#chars + 1] = utf8.char(cp) end
  local keep, used = {}, 0
  for i = #chars, 1, -1 do
    local cw = trawl.width(chars[i])
    if used + cw > w - 1 then break end
    keep[#keep + 1] = chars[i]
    used = used + cw
  end
  local outs = {"…"}
  for i = #keep, 1, -1 do outs[#outs + 1] = keep[i] end
  return table.concat(outs)
end
html.cut_left = cut_left

-- "Nice" axis ticks (1, 2, 2.5, 5 × 10^k) covering lo..hi.
local function ticks(lo, hi, count)
  if hi <= lo then hi = lo + 1 end
  local raw = (hi - lo) / (count or 5)
  local mag = 10 ^ math.floor(math.log(raw, 10))
  local r = raw / mag
  local step = (r <= 1 and 1 or r <= 2 and 2 or r <= 2.5 and 2.5 or r <= 5 and 5 or 10) * mag
  local a = math.floor(lo / step + 1e-9)
  local b = math.ceil(hi / step - 1e-9)
  local list = {}
  for i = a, b do
    local v = i * step
    if math.abs(v) < step * 1e-9 then v = 0 end
    list[#list + 1] = v
  end
  return list
end
html.ticks = ticks

-- Types get colours in order of first appearance (same palette as the DOT
-- export), so a legend lists them in a stable order.
local function type_colours(list, field)
  local colour, order = {}, {}
  for _, item in ipairs(list) do
    local t = item[field]
    if t ~= nil and colour[t] == nil then
      order[#order + 1] = t
      colour[t] = out.palette[(#order - 1) % #out.palette + 1]
    end
  end
  return colour, order
end

-- Markdown-ish text ------------------------------------------------------------

-- Links may point inside the page, to relative paths or to web pages
-- (following a link loads nothing into the report); other schemes such as
-- javascript: are shown as text.
local function safe_href(h)
  local scheme = h:match("^(%a[%w+.-]*):")
  return scheme == nil or scheme == "http" or scheme == "https" or scheme == "mailto"
end

-- Inline markup on escaped text: `code`, **bold**, *emphasis*, [text](href).
local function inline(s)
  s = esc(s)
  local codes = {}
  -- Code spans are set aside first so nothing inside them is reformatted.
  -- \0 cannot occur in escaped text (esc replaces control characters).
  s = s:gsub("`([^`]+)`", function(c)
    codes[#codes + 1] = "<code>" .. c .. "</code>"
    return "\0" .. #codes .. "\0"
  end)
  s = s:gsub("%*%*(%S.-%S?)%*%*", "<strong>%1</strong>")
  s = s:gsub("%*(%S[^*]-)%*", function(body)
    if body:sub(-1):find("%s") then return nil end
    return "<em>" .. body .. "</em>"
  end)
  s = s:gsub("%[([^%]]+)%]%(([^%s%)]+)%)", function(label, href)
    if not safe_href(href) then return nil end
    return '<a href="' .. href .. '">' .. label .. "</a>"
  end)
  s = s:gsub("%z(%d+)%z", function(i) return codes[tonumber(i)] end)
  return s
end

-- Paragraphs split by blank lines; "- " lines make a list, "1. " lines a
-- numbered list, "### " a heading.
local function markdown(text)
  local parts = {}
  text = tostring(text):gsub("\r\n?", "\n")
  for block in (text .. "\n\n"):gmatch("(.-)\n%s*\n") do
    block = block:gsub("^%s+", ""):gsub("%s+$", "")
    if block ~= "" then
      local lines = {}
      for line in (block .. "\n"):gmatch("(.-)\n") do lines[#lines + 1] = line end
      local function all(pat)
        for _, l in ipairs(lines) do if not l:find(pat) then return false end end
        return true
      end
      local level, head = block:match("^(#+)%s+(.*)$")
      if level and #lines == 1 then
        local h = math.min(#level + 2, 6)
        parts[#parts + 1] = ("<h%d>%s</h%d>"):format(h, inline(head), h)
      elseif all("^%s*[-*]%s") then
        local items = {}
        for _, l in ipairs(lines) do items[#items + 1] = "<li>" .. inline(l:gsub("^%s*[-*]%s+", "")) .. "</li>" end
        parts[#parts + 1] = "<ul>" .. table.concat(items) .. "</ul>"
      elseif all("^%s*%d+[.)]%s") then
        local items = {}
        for _, l in ipairs(lines) do items[#items + 1] = "<li>" .. inline(l:gsub("^%s*%d+[.)]%s+", "")) .. "</li>" end
        parts[#parts + 1] = "<ol>" .. table.concat(items) .. "</ol>"
      else
        parts[#parts + 1] = "<p>" .. inline(table.concat(lines, "\n")) .. "</p>"
      end
    end
  end
  return table.concat(parts, "\n")
end
html.markdown = markdown

-- Tables -----------------------------------------------------------------------

-- An HTML table of rows with out's column specs; numbers right-aligned
-- with tabular figures, every cell escaped.
local function data_table(rows, cols, caption)
  cols = out.columns(rows, cols)
  local L = {'<div class="table-wrap"><table class="data">'}
  if caption then L[#L + 1] = "<caption>" .. esc(caption) .. "</caption>" end
  local head = {}
  for _, col in ipairs(cols) do
    head[#head + 1] = ('<th scope="col"%s>%s</th>'):format(
      col.align == "right" and ' class="num"' or "", esc(col.title))
  end
  L[#L + 1] = "<thead><tr>" .. table.concat(head) .. "</tr></thead>"
  L[#L + 1] = "<tbody>"
  for _, row in ipairs(rows) do
    local cells = {}
    for _, col in ipairs(cols) do
      cells[#cells + 1] = ("<td%s>%s</td>"):format(col.align == "right" and ' class="num"' or "",
        esc(out.cell(row, col)))
    end
    L[#L + 1] = "<tr>" .. table.concat(cells) .. "</tr>"
  end
  L[#L + 1] = "</tbody></table></div>"
  return table.concat(L, "\n")
end

-- Figures ------------------------------------------------------------------------

-- One chart: caption, the SVG (title + desc for screen readers, a viewBox
-- so it scales), an optional note, and the data behind it in <details>.
local function figure(r, kind, spec, body, h, desc, data, note)
  r.nfig = r.nfig + 1
  local id = "fig-" .. r.nfig
  local title = spec.title or (kind:sub(1, 1):upper() .. kind:sub(2))
  r:_toc_item(id, "Figure " .. r.nfig .. ". " .. title)
  local L = {}
  L[#L + 1] = ('<figure class="chart chart-%s" id="%s">'):format(kind, id)
  L[#L + 1] = ('<figcaption><span class="fig-no">Figure %d.</span> %s</figcaption>'):format(
    r.nfig, esc(title))
  if spec.intro then L[#L + 1] = '<div class="fig-intro">' .. markdown(spec.intro) .. "</div>" end
  if body then
    L[#L + 1] = ('<div class="plot-wrap"><svg class="plot" viewBox="0 0 %d %s" width="%d" height="%s"' ..
      ' role="img" aria-labelledby="%s-t %s-d">'):format(W, n1(h), W, n1(h), id, id)
    L[#L + 1] = ('<title id="%s-t">%s</title>'):format(id, esc(title))
    L[#L + 1] = ('<desc id="%s-d">%s</desc>'):format(id, esc(desc))
    L[#L + 1] = body
    L[#L + 1] = "</svg></div>"
  else
    L[#L + 1] = '<p class="empty">No data.</p>'
  end
  if note then L[#L + 1] = '<p class="note">' .. note .. "</p>" end
  if data then
    L[#L + 1] = ('<details class="data"><summary>Data behind figure %d</summary>'):format(r.nfig)
    L[#L + 1] = data
    L[#L + 1] = "</details>"
  end
  L[#L + 1] = "</figure>"
  r:_add(table.concat(L, "\n"))
  return id
end

-- Bars -------------------------------------------------------------------------

local function item_of(it)
  return it.label or it[1], it.value or it[2]
end

local function bars_svg(spec)
  local items = spec.items or {}
  local fmtv = spec.format
  local n = #items
  local row, barh, top = 24, 15, 6
  local labels, values, shown = {}, {}, {}
  local lo, hi, lw, vw = 0, 0, 0, 0
  for i, it in ipairs(items) do
    local label, v = item_of(it)
    labels[i] = text_of(label)
    values[i] = tonumber(v) or 0
    shown[i] = short(values[i], fmtv)
    lo, hi = math.min(lo, values[i]), math.max(hi, values[i])
    lw = math.max(lw, textw(labels[i]))
    vw = math.max(vw, textw(shown[i]))
  end
  lw = math.min(lw, 260)
  local tk = ticks(lo, hi, 5)
  local dlo, dhi = tk[1], tk[#tk]
  local negative = lo < 0
  local x0 = 8 + lw + 10
  -- Positive-only charts print values after the bar; with negative bars
  -- the values get a column of their own so no label meets a bar.
  local x1 = W - vw - 14
  local function x(v) return x0 + (v - dlo) / (dhi - dlo) * (x1 - x0) end
  local ybot = top + n * row
  local h = ybot + 34
  local B = {}
  B[#B + 1] = '<g class="grid">'
  for _, t in ipairs(tk) do
    B[#B + 1] = ('<line x1="%s" y1="%d" x2="%s" y2="%d"%s/>'):format(n1(x(t)), top - 2, n1(x(t)),
      ybot + 2, t == 0 and ' class="zero"' or "")
  end
  B[#B + 1] = "</g>"
  B[#B + 1] = '<g class="axis">'
  for _, t in ipairs(tk) do
    B[#B + 1] = ('<text x="%s" y="%d" text-anchor="middle">%s</text>'):format(n1(x(t)), ybot + 17,
      esc(short(t, fmtv)))
  end
  if spec.unit then
    B[#B + 1] = ('<text class="unit" x="%s" y="%d" text-anchor="end">%s</text>'):format(n1(x1), ybot + 32,
      esc(spec.unit))
  end
  B[#B + 1] = "</g>"
  local unit = spec.unit and (" " .. spec.unit) or ""
  for i = 1, n do
    local v = values[i]
    local y = top + (i - 1) * row
    local a, b = x(math.min(v, 0)), x(math.max(v, 0))
    local colour = items[i].color or (v < 0 and "#c0504d" or spec.color or out.palette[1])
    B[#B + 1] = ('<g class="bar"><title>%s: %s%s</title>'):format(esc(labels[i]), esc(out.number(v)), esc(unit))
    B[#B + 1] = ('<text class="label" x="%s" y="%s" text-anchor="end">%s</text>'):format(
      n1(x0 - 8), n1(y + row / 2 + 4.5), esc(fit(labels[i], lw)))
    B[#B + 1] = ('<rect x="%s" y="%s" width="%s" height="%d" fill="%s"/>'):format(n1(a),
      n1(y + (row - barh) / 2), n1(math.max(b - a, 0.5)), barh, colour)
    if negative then
      B[#B + 1] = ('<text class="value" x="%d" y="%s" text-anchor="end">%s</text>'):format(W - 6,
        n1(y + row / 2 + 4.5), esc(shown[i]))
    else
      B[#B + 1] = ('<text class="value" x="%s" y="%s">%s</text>'):format(n1(b + 5),
        n1(y + row / 2 + 4.5), esc(shown[i]))
    end
    B[#B + 1] = "</g>"
  end
  return table.concat(B, "\n"), h
end

-- Network ----------------------------------------------------------------------

-- A small linear congruential generator: the layout must not depend on
-- math.random's state (seeded per run in Lua 5.4) or change a script's.
local function lcg(seed)
  local s = seed % 2147483648
  return function()
    s = (s * 1103515245 + 12345) % 2147483648
    return s / 2147483648
  end
end

--- Fruchterman–Reingold layout of a graph in a w×h box: returns x, y lists
-- in node order. Attraction grows with edge weight (scaled to the largest
-- weight) so strongly linked nodes sit closer; a weak pull to the centre
-- keeps separate components on the page. Fixed seed: same graph, same
-- picture.
function html.layout(g, w, h, opts)
  opts = opts or {}
  local nodes, edges = g.nodes, g.edges or {}
  local n = #nodes
  local rnd = lcg(opts.seed or 42)
  local index = {}
  for i, node in ipairs(nodes) do index[tostring(node.id)] = i end
  local x, y = {}, {}
  for i = 1, n do x[i] = rnd() * w y[i] = rnd() * h end
  if n <= 1 then
    if n == 1 then x[1], y[1] = w / 2, h / 2 end
    return x, y
  end
  local maxw = 0
  for _, e in ipairs(edges) do maxw = math.max(maxw, tonumber(e.weight) or 1) end
  if maxw <= 0 then maxw = 1 end
  local links = {}
  for _, e in ipairs(edges) do
    local a, b = index[tostring(e.source)], index[tostring(e.target)]
    if a and b and a ~= b then
      links[#links + 1] = {a, b, 0.35 + 0.65 * math.max(tonumber(e.weight) or 1, 0) / maxw}
    end
  end
  local k = math.sqrt(w * h / n) * 0.8
  local k2 = k * k
  local iters = opts.iterations or 200
  local t0 = w / 8
  local cx, cy = w / 2, h / 2
  local gravity = opts.gravity or 0.02
  local dx, dy = {}, {}
  for it = 1, iters do
    for i = 1, n do dx[i], dy[i] = 0, 0 end
    for i = 1, n - 1 do
      local xi, yi = x[i], y[i]
      for j = i + 1, n do
        local ex, ey = xi - x[j], yi - y[j]
        local d2 = ex * ex + ey * ey
        if d2 < 1e-4 then
          ex, ey = rnd() - 0.5, rnd() - 0.5
          d2 = ex * ex + ey * ey + 1e-4
        end
        local f = k2 / d2 -- (k²/d) along the unit vector (e/d)
        dx[i], dy[i] = dx[i] + ex * f, dy[i] + ey * f
        dx[j], dy[j] = dx[j] - ex * f, dy[j] - ey * f
      end
    end
    for _, l in ipairs(links) do
      local a, b = l[1], l[2]
      local ex, ey = x[a] - x[b], y[a] - y[b]
      local d = math.sqrt(ex * ex + ey * ey)
      if d > 0 then
        local f = d / k * l[3] -- (d²/k) along e/d
        dx[a], dy[a] = dx[a] - ex * f, dy[a] - ey * f
        dx[b], dy[b] = dx[b] + ex * f, dy[b] + ey * f
      end
    end
    local t = t0 * (1 - (it - 1) / iters)
    for i = 1, n do
      -- gravity: proportional to the distance from the centre
      local gx, gy = dx[i] - (x[i] - cx) * gravity, dy[i] - (y[i] - cy) * gravity
      local len = math.sqrt(gx * gx + gy * gy)
      if len > 0 then
        local step = math.min(len, t)
        x[i] = x[i] + gx / len * step
        y[i] = y[i] + gy / len * step
      end
    end
  end
  -- Positions are not clamped to the box while they move (that piles
  -- nodes up along its edges); the result is scaled into it at the end.
  local minx, maxx, miny, maxy = math.huge, -math.huge, math.huge, -math.huge
  for i = 1, n do
    minx, maxx = math.min(minx, x[i]), math.max(maxx, x[i])
    miny, maxy = math.min(miny, y[i]), math.max(maxy, y[i])
  end
  for i = 1, n do
    x[i] = maxx > minx and (x[i] - minx) / (maxx - minx) * w or w / 2
    y[i] = maxy > miny and (y[i] - miny) / (maxy - miny) * h or h / 2
  end
  return x, y
end

-- Whether the segment a–b crosses a box {x1, y1, x2, y2} (Liang–Barsky
-- clipping): a label is easier to read where no line runs through it.
local function crosses(ax, ay, bx, by, box)
  local t0, t1 = 0, 1
  local dx, dy = bx - ax, by - ay
  for _, c in ipairs{{-dx, ax - box[1]}, {dx, box[3] - ax}, {-dy, ay - box[2]}, {dy, box[4] - ay}} do
    local p, q = c[1], c[2]
    if p == 0 then
      if q < 0 then return false end
    else
      local r = q / p
      if p < 0 then if r > t1 then return false elseif r > t0 then t0 = r end
      else if r < t0 then return false elseif r < t1 then t1 = r end end
    end
  end
  return true
end

-- Overlap of two boxes {x1, y1, x2, y2}, as an area.
local function overlap(a, b)
  local w = math.min(a[3], b[3]) - math.max(a[1], b[1])
  local h = math.min(a[4], b[4]) - math.max(a[2], b[2])
  if w <= 0 or h <= 0 then return 0 end
  return w * h
end

local function network_svg(g, spec)
  -- Nodes without links are left out of the drawing (unless asked for):
  -- pushed apart by the layout, they would ring the picture and squeeze
  -- the linked nodes, which are the point of it, into its middle.
  local linked = {}
  for _, e in ipairs(g.edges or {}) do
    if tostring(e.source) ~= tostring(e.target) then
      linked[tostring(e.source)], linked[tostring(e.target)] = true, true
    end
  end
  local nodes, hidden = {}, 0
  for _, node in ipairs(g.nodes) do
    if spec.isolated or next(linked) == nil or linked[tostring(node.id)] then nodes[#nodes + 1] = node
    else hidden = hidden + 1 end
  end
  local edges = g.edges or {}
  g = {nodes = nodes, edges = edges, directed = g.directed}
  local n = #nodes
  local colour, types = type_colours(nodes, "type")
  local legend_h = 30
  local h = math.floor(math.min(640, math.max(380, 150 + 26 * math.sqrt(n) * 4)))
  local maxnw, maxew = 0, 0
  for _, node in ipairs(nodes) do maxnw = math.max(maxnw, tonumber(node.weight) or 1) end
  for _, e in ipairs(edges) do maxew = math.max(maxew, tonumber(e.weight) or 1) end
  if maxnw <= 0 then maxnw = 1 end
  if maxew <= 0 then maxew = 1 end
  local radius, label = {}, {}
  for i, node in ipairs(nodes) do
    radius[i] = 4 + 11 * math.sqrt(math.max(tonumber(node.weight) or 1, 0) / maxnw)
    label[i] = text_of(node.label or node.id)
  end
  -- Lay out in the unit box, then fit the drawing into the area below the
  -- legend with margins wide enough for labels.
  local mx, top, bottom = 90, legend_h + 26, 22
  local lx, ly = html.layout(g, W - 2 * mx, h - top - bottom, {seed = spec.seed})
  local minx, maxx, miny, maxy = math.huge, -math.huge, math.huge, -math.huge
  for i = 1, n do
    minx, maxx = math.min(minx, lx[i]), math.max(maxx, lx[i])
    miny, maxy = math.min(miny, ly[i]), math.max(maxy, ly[i])
  end
  local px, py = {}, {}
  for i = 1, n do
    px[i] = maxx > minx and mx + (lx[i] - minx) / (maxx - minx) * (W - 2 * mx) or W / 2
    py[i] = maxy > miny and top + (ly[i] - miny) / (maxy - miny) * (h - top - bottom) or (top + h - bottom) / 2
  end
  local index = {}
  for i, node in ipairs(nodes) do index[tostring(node.id)] = i end
  local B = {}
  -- Legend: one swatch per type, then what size and width mean.
  B[#B + 1] = '<g class="legend">'
  local lxp = 8
  for _, t in ipairs(types) do
    B[#B + 1] = ('<circle cx="%s" cy="14" r="6" fill="%s"/><text x="%s" y="18.5">%s</text>'):format(
      n1(lxp + 6), colour[t], n1(lxp + 16), esc(fit(text_of(t), 160)))
    lxp = lxp + 16 + textw(fit(text_of(t), 160)) + 18
  end
  local sizes = ("circle size: %s · line width: %s"):format(spec.node_weight or "weight",
    spec.edge_weight or "weight")
  B[#B + 1] = ('<text class="muted" x="%d" y="18.5" text-anchor="end">%s</text>'):format(W - 8, esc(sizes))
  B[#B + 1] = "</g>"
  if g.directed then
    B[#B + 1] = ('<defs><marker id="%s-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7"' ..
      ' markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#8a949e"/></marker></defs>')
      :format(spec._id)
  end
  B[#B + 1] = '<g class="edges">'
  for _, e in ipairs(edges) do
    local a, b = index[tostring(e.source)], index[tostring(e.target)]
    if a and b and a ~= b then
      local wgt = tonumber(e.weight) or 1
      local x1, y1, x2, y2 = px[a], py[a], px[b], py[b]
      if g.directed then
        -- End the line at the target's rim so the arrowhead shows.
        local d = math.sqrt((x2 - x1) ^ 2 + (y2 - y1) ^ 2)
        if d > 0 then
          x2, y2 = x2 - (x2 - x1) / d * (radius[b] + 2), y2 - (y2 - y1) / d * (radius[b] + 2)
        end
      end
      local tip = ("%s %s %s: %s"):format(label[a], g.directed and "→" or "–", label[b],
        out.number(wgt)) .. (e.label and (" (" .. text_of(e.label) .. ")") or "")
      B[#B + 1] = ('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke-width="%s"%s><title>%s</title></line>')
        :format(n1(x1), n1(y1), n1(x2), n1(y2), n1(0.8 + 5.2 * math.max(wgt, 0) / maxew),
          g.directed and (' marker-end="url(#' .. spec._id .. '-arrow)"') or "", esc(tip))
    end
  end
  B[#B + 1] = "</g>"
  B[#B + 1] = '<g class="nodes">'
  for i, node in ipairs(nodes) do
    local tip = label[i] .. (node.type and (" (" .. text_of(node.type) .. ")") or "") ..
      (node.weight and (": " .. out.number(node.weight)) or "")
    B[#B + 1] = ('<circle cx="%s" cy="%s" r="%s" fill="%s"><title>%s</title></circle>'):format(
      n1(px[i]), n1(py[i]), n1(radius[i]), node.type and colour[node.type] or "#6b7785", esc(tip))
  end
  B[#B + 1] = "</g>"
  -- Labels: heaviest nodes first, each at the candidate spot (right,
  -- left, above, below) that overlaps the fewest labels and circles.
  local order = {}
  for i = 1, n do order[i] = i end
  table.sort(order, function(a, b)
    local wa, wb = tonumber(nodes[a].weight) or 0, tonumber(nodes[b].weight) or 0
    if wa ~= wb then return wa > wb end
    return a < b
  end)
  local limit = spec.labels or 80
  local placed, circles = {}, {}
  for i = 1, n do
    circles[i] = {px[i] - radius[i], py[i] - radius[i], px[i] + radius[i], py[i] + radius[i]}
  end
  local segs = {}
  for _, e in ipairs(edges) do
    local a, b = index[tostring(e.source)], index[tostring(e.target)]
    if a and b and a ~= b then segs[#segs + 1] = {px[a], py[a], px[b], py[b]} end
  end
  local L, skipped = {}, 0
  for rank, i in ipairs(order) do
    if rank > limit then skipped = skipped + 1 goto next_label end
    local s = fit(label[i], 240)
    local tw, th = textw(s), FONT + 2
    local r = radius[i]
    local cands = {
      {px[i] + r + 4, py[i] + 4.5, "start", {px[i] + r + 3, py[i] - th / 2, px[i] + r + 5 + tw, py[i] + th / 2}},
      {px[i] - r - 4, py[i] + 4.5, "end", {px[i] - r - 5 - tw, py[i] - th / 2, px[i] - r - 3, py[i] + th / 2}},
      {px[i], py[i] - r - 5, "middle", {px[i] - tw / 2, py[i] - r - 4 - th, px[i] + tw / 2, py[i] - r - 4}},
      {px[i], py[i] + r + 14, "middle", {px[i] - tw / 2, py[i] + r + 2, px[i] + tw / 2, py[i] + r + 2 + th}},
    }
    local best, bestscore, bestclash
    for c, cand in ipairs(cands) do
      local box = cand[4]
      local score, clash = c * 0.01, 0
      if box[1] < 2 or box[3] > W - 2 or box[2] < legend_h or box[4] > h - 2 then score = score + 1e6 end
      for _, p in ipairs(placed) do clash = clash + overlap(box, p) end
      score = score + clash * 4
      for j = 1, n do if j ~= i then score = score + overlap(box, circles[j]) end end
      for _, seg in ipairs(segs) do
        if crosses(seg[1], seg[2], seg[3], seg[4], box) then score = score + 150 end
      end
      if not bestscore or score < bestscore then best, bestscore, bestclash = cand, score, clash end
    end
    -- A label that would cover much of another is left out (the node
    -- keeps its tooltip, and the data table has it): overlapping labels
    -- are unreadable, so drawing them helps no one.
    if bestclash > 0.15 * tw * th then
      skipped = skipped + 1
    else
      placed[#placed + 1] = best[4]
      L[#L + 1] = ('<text x="%s" y="%s" text-anchor="%s">%s</text>'):format(n1(best[1]), n1(best[2]),
        best[3], esc(s))
    end
    ::next_label::
  end
  B[#B + 1] = '<g class="labels">'
  for _, l in ipairs(L) do B[#B + 1] = l end
  B[#B + 1] = "</g>"
  return table.concat(B, "\n"), h, skipped, hidden
end

-- Timeline ---------------------------------------------------------------------

local MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

local function leap(y) return y % 4 == 0 and (y % 100 ~= 0 or y % 400 == 0) end
local function mdays(y, m)
  return ({31, leap(y) and 29 or 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31})[m]
end

-- Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm):
-- pure arithmetic, no time zones, any year.
local function days(y, m, d)
  y = m <= 2 and y - 1 or y
  local era = (y >= 0 and y or y - 399) // 400
  local yoe = y - era * 400
  local doy = (153 * (m + (m > 2 and -3 or 9)) + 2) // 5 + d - 1
  local doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
  return era * 146097 + doe - 719468
end

--- A TIMEX-style date ("2020", "2020-06", "2020-06-25", with an optional
-- time after it) as {y, m, d, precision, first, last} where first/last
-- are day numbers of the span it covers; nil when the year is not known
-- ("XXXX-06-25") or the text is no date. A known year with unknown later
-- parts ("2020-XX-25") counts as the whole year.
function html.parse_date(s)
  if math.type(s) == "integer" then s = string.format("%04d", s) end
  if type(s) ~= "string" then return nil end
  local y, rest = s:match("^(%d%d%d%d)(.*)$")
  if not y then
    -- A decade: "202X" (TIMEX) spans 2020–2029.
    local dec = s:match("^(%d%d%d)X")
    if not dec then return nil end
    y = tonumber(dec) * 10
    return {y = y, precision = "decade", first = days(y, 1, 1), last = days(y + 9, 12, 31)}
  end
  y = tonumber(y)
  local m = rest:match("^%-(%d%d)")
  m = m and tonumber(m)
  if m and (m < 1 or m > 12) then m = nil end
  local d = m and rest:match("^%-%d%d%-(%d%d)")
  d = d and tonumber(d)
  if d and (d < 1 or d > mdays(y, m)) then d = nil end
  if d then
    local n = days(y, m, d)
    return {y = y, m = m, d = d, precision = "day", first = n, last = n}
  elseif m then
    return {y = y, m = m, precision = "month", first = days(y, m, 1), last = days(y, m, mdays(y, m))}
  end
  return {y = y, precision = "year", first = days(y, 1, 1), last = days(y, 12, 31)}
end

local function date_text(p)
  if p.precision == "decade" then return p.y .. "s" end
  if p.precision == "day" then return ("%d %s %d"):format(p.d, MONTHS[p.m], p.y) end
  if p.precision == "month" then return ("%s %d"):format(MONTHS[p.m], p.y) end
  return tostring(p.y)
end

local function iso(p)
  if p.precision == "decade" then return nil end -- no valid <time> form
  if p.precision == "day" then return ("%04d-%02d-%02d"):format(p.y, p.m, p.d) end
  if p.precision == "month" then return ("%04d-%02d"):format(p.y, p.m) end
  return ("%04d"):format(p.y)
end

-- Axis ticks for a day range: half-months, months (every 1–6) or years
-- (every 1, 2, 5, 10, …), whichever gives at most about a dozen.
local function time_ticks(lo, hi)
  local span = hi - lo
  local list = {}
  -- First and last civil year/month in range, from day numbers: walk
  -- years from an estimate (cheap; ranges are small).
  local y0 = 1970 + math.floor(lo / 365.2425) - 1
  while days(y0 + 1, 1, 1) <= lo do y0 = y0 + 1 end
  local y1 = 1970 + math.floor(hi / 365.2425) + 1
  if span <= 80 then
    for y = y0, y1 do
      for m = 1, 12 do
        for _, d in ipairs{1, 15} do
          local n = days(y, m, d)
          if n >= lo and n <= hi then
            list[#list + 1] = {n, d == 1 and (MONTHS[m] .. (m == 1 and (" " .. y) or "")) or ("15 " .. MONTHS[m])}
          end
        end
      end
    end
    if #list > 0 and not list[1][2]:find("%d%d%d%d") then list[1][2] = list[1][2] .. " " .. y0 end
  elseif span <= 3 * 366 then
    local step = 1
    for _, s in ipairs{1, 2, 3, 6} do step = s if span / 30.4 / s <= 13 then break end end
    for y = y0, y1 do
      for m = 1, 12, step do
        local n = days(y, m, 1)
        if n >= lo and n <= hi then
          list[#list + 1] = {n, m == 1 and (MONTHS[m] .. " " .. y) or MONTHS[m], m == 1, y = y}
        end
      end
    end
    -- The first tick names its year too, so the axis can be read alone.
    if #list > 0 and list[1][3] ~= true then list[1][2] = list[1][2] .. " " .. list[1].y end
  else
    local years = span / 365.2425
    local step = 1
    for _, s in ipairs{1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000} do
      step = s
      if years / s <= 12 then break end
    end
    for y = (y0 // step) * step, y1, step do
      local n = days(y, 1, 1)
      if n >= lo and n <= hi then list[#list + 1] = {n, tostring(y), true} end
    end
  end
  return list
end

local function timeline_parts(spec)
  local dated, undated = {}, {}
  for i, ev in ipairs(spec.events or {}) do
    local p = html.parse_date(ev.date)
    if p then dated[#dated + 1] = {ev = ev, p = p, i = i} else undated[#undated + 1] = ev end
  end
  for _, ev in ipairs(spec.undated or {}) do undated[#undated + 1] = ev end
  table.sort(dated, function(a, b)
    if a.p.first ~= b.p.first then return a.p.first < b.p.first end
    if a.p.last ~= b.p.last then return a.p.last < b.p.last end
    return a.i < b.i
  end)
  return dated, undated
end

local function event_label(ev)
  return text_of(ev.label or ev.text or "")
end

-- Events that would be drawn on top of each other become one mark: days
-- less than a few units apart on the axis, or spans that are the same
-- month, year or decade. A mark of several events is labelled with its
-- dates and count; the list under the chart has every event.
local function timeline_marks(dated, x, gap)
  local marks = {}
  for _, d in ipairs(dated) do
    local p = d.p
    local joined = false
    if p.precision == "day" then
      local px = x(p.first + 0.5)
      for k = #marks, math.max(1, #marks - 3), -1 do
        local m = marks[k]
        if m.day and px - m.x0 < gap then
          m.items[#m.items + 1] = d
          m.x1, m.last = px, math.max(m.last, p.first)
          joined = true
          break
        end
      end
      if not joined then
        marks[#marks + 1] = {day = true, x0 = px, x1 = px, first = p.first, last = p.first, items = {d}}
      end
    else
      for k = #marks, 1, -1 do
        local m = marks[k]
        if gap > 0 and not m.day and m.first == p.first and m.last == p.last then
          m.items[#m.items + 1] = d
          joined = true
          break
        end
      end
      if not joined then
        marks[#marks + 1] = {day = false, x0 = x(p.first), x1 = x(p.last + 1), first = p.first, last = p.last,
          items = {d}}
      end
    end
  end
  return marks
end

local function timeline_svg(spec, dated)
  local evs = {}
  for k, d in ipairs(dated) do evs[k] = d.ev end
  local colour, types = type_colours(evs, "type")
  local lo, hi = math.huge, -math.huge
  for _, d in ipairs(dated) do
    lo, hi = math.min(lo, d.p.first), math.max(hi, d.p.last + 1)
  end
  -- Pad the range so marks at the ends are not on the border; at least a
  -- month wide so a single day still gets an axis.
  local span = hi - lo
  if span < 30 then lo, hi = lo - (30 - span) / 2, hi + (30 - span) / 2 span = 30 end
  lo, hi = lo - math.max(2, span * 0.03), hi + math.max(2, span * 0.03)
  local x0, x1 = 16, W - 16
  local function x(day) return x0 + (day - lo) / (hi - lo) * (x1 - x0) end
  -- Labels go in lanes above the axis. A day's label starts at its dot
  -- (or ends there, if that puts it in a lower lane); a span is a bar in
  -- its lane, labelled from its start. Each mark takes the lowest lane
  -- where its box meets no other, so no labels overlap; past max_lanes a
  -- mark keeps only its tooltip.
  local maxlanes = spec.max_lanes or 10
  local maxlabel = spec.label_width or 240
  -- Lanes for the labels of a list of marks: lanes, and how many marks
  -- found no room.
  local function place(marks)
    local lanes, unlabelled = {}, 0
    local function free(lane, a, b)
      for _, box in ipairs(lanes[lane] or {}) do
        if a < box[2] + 10 and b > box[1] - 10 then return false end
      end
      return true
    end
    -- Marks holding more events choose lanes first, so a crowded day is
    -- labelled before the single events around it.
    local order = {}
    for k = 1, #marks do order[k] = k end
    table.sort(order, function(a, b)
      if #marks[a].items ~= #marks[b].items then return #marks[a].items > #marks[b].items end
      return a < b
    end)
    for _, k in ipairs(order) do
      local m = marks[k]
      local n = #m.items
      local first = m.items[1].p
      local text
      if n == 1 then
        text = event_label(m.items[1].ev)
      else
        local lastp = m.items[n].p
        local when = date_text(first)
        if m.day and lastp.first ~= first.first then
          when = first.y == lastp.y and first.m == lastp.m and ("%d–%d %s %d"):format(first.d, lastp.d, MONTHS[first.m], first.y)
            or (date_text(first) .. " – " .. date_text(lastp))
        end
        text = ("%s: %d events"):format(when, n)
      end
      local s = fit(text, maxlabel, 12)
      local tw = textw(s, 12) + 4
      local opts
      if m.day then
        opts = {{m.x0, m.x0 + tw, "start", m.x0}, {m.x1 - tw, m.x1, "end", m.x1}}
      else
        opts = {{m.x0, math.max(m.x1, m.x0 + tw), "start", m.x0}, {math.min(m.x0, m.x1 - tw), m.x1, "end", m.x1}}
      end
      local best
      for _, o in ipairs(opts) do
        if o[1] >= 2 and o[2] <= W - 2 then
          local lane = 1
          while not free(lane, o[1], o[2]) do lane = lane + 1 end
          if not best or lane < best.lane then
            best = {a = o[1], b = o[2], anchor = o[3], tx = o[4], lane = lane}
          end
        end
      end
      if best and best.lane <= maxlanes then
        lanes[best.lane] = lanes[best.lane] or {}
        table.insert(lanes[best.lane], {best.a, best.b})
        best.s = s
        m.label = best
      else
        unlabelled = unlabelled + 1
      end
    end
    return lanes, unlabelled
  end
  -- Events are kept apart while there is room for every label; when there
  -- is not, nearby days are merged into one mark, then wider ones.
  local marks, lanes, unlabelled
  for _, gap in ipairs{0, 6, 16} do
    local m = timeline_marks(dated, x, gap)
    local l, u = place(m)
    if not marks or u < unlabelled then marks, lanes, unlabelled = m, l, u end
    if u == 0 then break end
  end
  local nl = math.max(#lanes, 1)
  local laneh, top = 22, (#types > 0 and 34 or 10)
  local axis = top + nl * laneh + 10
  local h = axis + 34
  local function lane_y(lane) return axis - 13 - (lane - 1) * laneh end
  local B = {}
  if #types > 0 then
    B[#B + 1] = '<g class="legend">'
    local lx = 8
    for _, t in ipairs(types) do
      B[#B + 1] = ('<circle cx="%s" cy="14" r="5" fill="%s"/><text x="%s" y="18.5">%s</text>'):format(
        n1(lx + 5), colour[t], n1(lx + 14), esc(fit(text_of(t), 160)))
      lx = lx + 14 + textw(fit(text_of(t), 160)) + 18
    end
    B[#B + 1] = "</g>"
  end
  B[#B + 1] = '<g class="axis">'
  B[#B + 1] = ('<line class="baseline" x1="%d" y1="%s" x2="%d" y2="%s"/>'):format(x0, n1(axis), x1, n1(axis))
  for _, t in ipairs(time_ticks(math.ceil(lo), math.floor(hi))) do
    local tx = x(t[1])
    B[#B + 1] = ('<line x1="%s" y1="%s" x2="%s" y2="%s"/>'):format(n1(tx), n1(axis), n1(tx), n1(axis + 6))
    B[#B + 1] = ('<text x="%s" y="%s" text-anchor="middle"%s>%s</text>'):format(n1(tx), n1(axis + 20),
      t[3] and ' class="major"' or "", esc(t[2]))
  end
  B[#B + 1] = "</g>"
  -- Leaders first, then marks and labels on white boxes: a leader passing
  -- behind a lower label is hidden there instead of crossing its text.
  B[#B + 1] = '<g class="leaders">'
  for _, m in ipairs(marks) do
    local pl = m.label
    if pl then
      local ly = lane_y(pl.lane)
      if m.day then
        B[#B + 1] = ('<line x1="%s" y1="%s" x2="%s" y2="%s"/>'):format(n1(pl.tx), n1(ly - 10), n1(pl.tx), n1(axis - 5))
      else
        for _, ex in ipairs{m.x0, m.x1} do
          B[#B + 1] = ('<line class="dashed" x1="%s" y1="%s" x2="%s" y2="%s"/>'):format(n1(ex), n1(ly + 4),
            n1(ex), n1(axis))
        end
      end
    end
  end
  B[#B + 1] = "</g>"
  B[#B + 1] = '<g class="events">'
  for _, m in ipairs(marks) do
    local n = #m.items
    -- One colour per mark: its events' type when they share one.
    local t = m.items[1].ev.type
    for _, d in ipairs(m.items) do if d.ev.type ~= t then t = nil break end end
    local c = t ~= nil and colour[t] or (#types > 0 and "#5a6675" or out.palette[1])
    local tips = {}
    for k, d in ipairs(m.items) do
      if k > 15 then tips[#tips + 1] = ("… and %d more"):format(n - 15) break end
      local dn = doc_name(d.ev)
      tips[#tips + 1] = date_text(d.p) .. ": " .. event_label(d.ev) .. (dn and (" [" .. dn .. "]") or "")
    end
    B[#B + 1] = "<g><title>" .. esc(table.concat(tips, "\n")) .. "</title>"
    local pl = m.label
    if pl then
      local ly = lane_y(pl.lane)
      B[#B + 1] = ('<rect class="halo" x="%s" y="%s" width="%s" height="15"/>'):format(
        n1(pl.anchor == "start" and pl.tx + 1 or pl.tx - (pl.b - pl.a) + 1), n1(ly - 11), n1(pl.b - pl.a - 2))
      if not m.day then
        B[#B + 1] = ('<rect class="span" x="%s" y="%s" width="%s" height="6" rx="3" fill="%s"/>')
          :format(n1(m.x0), n1(ly + 3), n1(math.max(m.x1 - m.x0, 4)), c)
      end
      B[#B + 1] = ('<text x="%s" y="%s" text-anchor="%s">%s</text>'):format(
        n1(pl.anchor == "start" and pl.tx + 3 or pl.tx - 3), n1(ly), pl.anchor, esc(pl.s))
    elseif not m.day then
      -- No room for its label: the span still shows, on the axis.
      B[#B + 1] = ('<rect class="span" x="%s" y="%s" width="%s" height="6" rx="3" fill="%s"/>')
        :format(n1(m.x0), n1(axis - 9), n1(math.max(m.x1 - m.x0, 4)), c)
    end
    if m.day then
      if m.x1 - m.x0 >= 1 then
        B[#B + 1] = ('<rect class="days" x="%s" y="%s" width="%s" height="10" rx="5" fill="%s"/>'):format(
          n1(m.x0 - 5), n1(axis - 5), n1(m.x1 - m.x0 + 10), c)
      else
        B[#B + 1] = ('<circle cx="%s" cy="%s" r="%d" fill="%s"/>'):format(n1(m.x0), n1(axis), n > 1 and 6 or 5, c)
      end
    end
    B[#B + 1] = "</g>"
  end
  B[#B + 1] = "</g>"
  return table.concat(B, "\n"), h, unlabelled
end

local function entity_names(list)
  local names = {}
  for _, e in ipairs(list or {}) do
    names[#names + 1] = type(e) == "table" and text_of(e.name or e.label or e.text or e.id or e[1]) or text_of(e)
  end
  return names
end

local function event_item(ev, when, datetime)
  local L = {"<li>"}
  if datetime then
    L[#L + 1] = ('<time datetime="%s">%s</time>'):format(esc(datetime), esc(when))
  else
    L[#L + 1] = ('<span class="when">%s</span>'):format(esc(when))
  end
  -- A label in bold, its text under it; a text alone stays plain (it is
  -- usually a whole sentence).
  if ev.label then
    L[#L + 1] = " <strong>" .. esc(text_of(ev.label)) .. "</strong>"
  else
    L[#L + 1] = " " .. esc(event_label(ev))
  end
  local dn = doc_name(ev)
  if dn then L[#L + 1] = ' <span class="doc">' .. esc(dn) .. "</span>" end
  if ev.text and ev.label then L[#L + 1] = '<div class="ev-text">' .. esc(text_of(ev.text)) .. "</div>" end
  local names = entity_names(ev.entities)
  if #names > 0 then
    local chips = {}
    for _, s in ipairs(names) do chips[#chips + 1] = '<span class="chip">' .. esc(s) .. "</span>" end
    L[#L + 1] = '<div class="entities">' .. table.concat(chips, " ") .. "</div>"
  end
  L[#L + 1] = "</li>"
  return table.concat(L)
end

-- Dispersion ---------------------------------------------------------------------

local function dispersion_svg(terms, docs, counts)
  local nd, nt = #docs, #terms
  local lw = 0
  for _, t in ipairs(terms) do lw = math.max(lw, textw(t.name)) end
  lw = math.min(lw, 190)
  local x0, x1 = 8 + lw + 12, W - 56
  local head, row, tick = 34, 28, 18
  local bw = (x1 - x0) / nd
  local h = head + nt * row + 8
  local B = {}
  -- Document headers: the id cut to the band, or its number when bands
  -- are too narrow for any name (the data table lists the numbers).
  local numbered = bw < textw("00000", 12)
  B[#B + 1] = '<g class="docs">'
  for k, d in ipairs(docs) do
    local bx = x0 + (k - 1) * bw
    local name = numbered and tostring(k) or fit(d.label, bw - 6, 12)
    B[#B + 1] = ('<g><title>%s</title><rect class="band%s" x="%s" y="%d" width="%s" height="%d"/>' ..
      '<text x="%s" y="%d" text-anchor="middle">%s</text></g>'):format(
      esc(("Document %d: %s"):format(k, d.label)), k % 2 == 0 and " even" or "", n1(bx), head - 4, n1(bw),
      nt * row + 4, n1(bx + bw / 2), head - 10, esc(name))
  end
  B[#B + 1] = ('<text class="muted" x="%d" y="%d" text-anchor="end">hits</text>'):format(W - 8, head - 10)
  B[#B + 1] = "</g>"
  for ti, t in ipairs(terms) do
    local y = head + (ti - 1) * row
    local mid = y + row / 2
    B[#B + 1] = ('<g class="term"><text class="label" x="%s" y="%s" text-anchor="end">%s</text>'):format(
      n1(x0 - 10), n1(mid + 4.5), esc(fit(t.name, lw)))
    B[#B + 1] = ('<line class="row" x1="%s" y1="%s" x2="%s" y2="%s"/>'):format(n1(x0), n1(mid), n1(x1), n1(mid))
    for k, d in ipairs(docs) do
      local hits = t.bydoc[d.id]
      if hits and #hits > 0 then
        local bx = x0 + (k - 1) * bw
        local path, where = {}, {}
        for _, pos in ipairs(hits) do
          local hx = bx + 1 + math.min(math.max(pos, 0), 1) * (bw - 2)
          path[#path + 1] = ("M%s %sV%s"):format(n1(hx), n1(mid - tick / 2), n1(mid + tick / 2))
          where[#where + 1] = string.format("%.0f%%", math.min(math.max(pos, 0), 1) * 100)
        end
        B[#B + 1] = ('<g class="hits"><title>%s in %s: %d %s at %s</title>' ..
          '<rect class="hit-area" x="%s" y="%s" width="%s" height="%d"/><path d="%s"/></g>'):format(
          esc(t.name), esc(d.label), #hits, #hits == 1 and "hit" or "hits", table.concat(where, ", "),
          n1(bx), n1(y + 2), n1(bw), row - 4, table.concat(path))
      end
    end
    B[#B + 1] = ('<text class="value" x="%d" y="%s" text-anchor="end">%d</text></g>'):format(
      W - 8, n1(mid + 4.5), counts[ti])
  end
  return table.concat(B, "\n"), h, numbered
end

-- The report -----------------------------------------------------------------------

local CSS = [[
:root{--ink:#1c2430;--muted:#5a6675;--line:#d5dce4;--soft:#f3f5f8;--accent:#0a58a8}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0 auto;max-width:1060px;padding:28px 40px 40px;color:var(--ink);background:#fff;
font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Helvetica Neue",Arial,"DejaVu Sans",sans-serif}
a{color:var(--accent)}
header.report{border-bottom:2px solid var(--ink);padding-bottom:14px;margin-bottom:22px}
h1{font-size:1.95rem;line-height:1.2;margin:0 0 6px}
.subtitle{font-size:1.12rem;color:var(--muted);margin:0 0 8px}
.generated{font-size:.85rem;color:var(--muted);margin:0}
nav.toc{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:10px 22px 12px;margin:0 0 26px;font-size:.95rem}
nav.toc h2{font-size:.85rem;letter-spacing:.06em;text-transform:uppercase;color:var(--muted);margin:0 0 6px;border:0;padding:0}
nav.toc ol{margin:0;padding-left:1.5em}
nav.toc>ol{columns:2 300px;column-gap:40px}
nav.toc>ol>li{break-inside:avoid}
nav.toc li{margin:2px 0}
nav.toc ol ol{list-style:none;padding-left:.2em;font-size:.88rem;color:var(--muted)}
nav.toc ol ol a{color:var(--muted)}
section{margin:0 0 34px}
h2{font-size:1.45rem;line-height:1.25;border-bottom:1px solid var(--line);padding-bottom:5px;margin:34px 0 12px}
h3{font-size:1.15rem;margin:22px 0 8px}
h4{font-size:1rem;margin:18px 0 6px}
p{margin:0 0 12px;max-width:72ch}
.intro{color:var(--ink)}
code{font-family:ui-monospace,"DejaVu Sans Mono","Liberation Mono",Menlo,Consolas,monospace;font-size:.9em;background:var(--soft);padding:0 .25em;border-radius:3px}
figure{margin:20px 0 30px}
figcaption{font-weight:600;margin:0 0 8px;font-size:1.02rem}
.fig-no{color:var(--muted)}
.fig-intro p{font-size:.95rem;color:var(--muted)}
.plot-wrap{border:1px solid var(--line);border-radius:6px;padding:10px 10px 6px;background:#fff}
svg.plot{display:block;width:100%;height:auto;max-width:100%;overflow:visible}
svg.plot text{font-family:inherit;font-size:13px;fill:var(--ink)}
svg.plot .muted,svg.plot .axis text,svg.plot .docs text{fill:var(--muted);font-size:12px}
svg.plot .axis .major{fill:var(--ink);font-weight:600}
svg.plot .grid line{stroke:#e3e8ee;stroke-width:1}
svg.plot .grid line.zero{stroke:#7d8896}
svg.plot .axis line{stroke:#7d8896;stroke-width:1}
svg.plot .axis .baseline{stroke:var(--ink);stroke-width:1.5}
svg.plot .value{font-size:12px;fill:var(--muted);font-variant-numeric:tabular-nums}
svg.plot .edges line{stroke:#8a949e;stroke-opacity:.55;stroke-linecap:round}
svg.plot .nodes circle{stroke:#fff;stroke-width:1.5}
svg.plot .labels text{font-size:12.5px;paint-order:stroke;stroke:#fff;stroke-width:3.5px;stroke-linejoin:round}
svg.plot .leaders line{stroke:#b3bcc6;stroke-width:1}
svg.plot .events text{font-size:12px}
svg.plot .events .halo{fill:#fff;fill-opacity:.92}
svg.plot .events .span{fill-opacity:.8}
svg.plot .leaders .dashed{stroke-dasharray:3 3}
svg.plot .events circle,svg.plot .events .days{stroke:#fff;stroke-width:1.5}
svg.plot .band{fill:#f6f8fa;stroke:#e1e6ec}
svg.plot .band.even{fill:#ffffff}
svg.plot .term .row{stroke:#e1e6ec}
svg.plot .hits path{stroke:#0b4f8a;stroke-width:1.6}
svg.plot .hit-area{fill:transparent}
.note,.empty{font-size:.88rem;color:var(--muted);margin:6px 0 0}
details.data{margin-top:8px;font-size:.9rem}
details.data summary{cursor:pointer;color:var(--accent);width:max-content}
details.data[open] summary{margin-bottom:6px}
.table-wrap{overflow-x:auto;max-width:100%}
table.data{border-collapse:collapse;font-size:.92rem;font-variant-numeric:tabular-nums;margin:4px 0 10px}
table.data caption{text-align:left;font-weight:600;padding:4px 0;color:var(--muted)}
table.data th,table.data td{padding:4px 12px 4px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
table.data th{background:var(--soft);font-weight:600;border-bottom:1px solid #b9c3ce}
table.data .num{text-align:right}
table.data tbody tr:nth-child(even) td{background:#fafbfc}
.kwic-wrap{overflow-x:auto;border:1px solid var(--line);border-radius:6px}
table.kwic{border-collapse:collapse;font-family:ui-monospace,"DejaVu Sans Mono","Liberation Mono",Menlo,Consolas,monospace;font-size:13.5px;width:100%}
table.kwic th{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-size:.8rem;color:var(--muted);font-weight:600;text-align:left;padding:5px 8px;background:var(--soft);border-bottom:1px solid var(--line)}
table.kwic td{white-space:pre;padding:2px 8px;border-bottom:1px solid #eef1f4}
table.kwic td.left{text-align:right;color:#3d4754}
table.kwic td.match{font-weight:700;color:#0a4c90;text-align:center;padding:2px 2px}
table.kwic td.right{color:#3d4754}
table.kwic td.doc{color:var(--muted);font-size:12px}
table.kwic th.left{text-align:right}
ol.events,ul.events{padding-left:2.2em;margin:8px 0 12px}
ol.events li,ul.events li{margin:0 0 8px}
ol.events time,ul.events .when{font-variant-numeric:tabular-nums;font-weight:600;margin-right:.3em}
span.doc{font-size:.82rem;color:var(--muted);background:var(--soft);border:1px solid var(--line);border-radius:3px;padding:0 .35em;white-space:nowrap}
.ev-text{color:#3d4754;font-size:.93rem;max-width:80ch}
.chip{display:inline-block;font-size:.8rem;border:1px solid var(--line);border-radius:10px;padding:0 .55em;margin:2px 2px 0 0;color:#3d4754}
footer{margin-top:40px;padding-top:10px;border-top:1px solid var(--line);font-size:.82rem;color:var(--muted)}
@page{size:A4;margin:14mm 13mm 16mm}
@media print{
body{max-width:none;padding:0;font-size:10.5pt;line-height:1.45}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
a{color:inherit;text-decoration:none}
nav.toc{background:none;border:1px solid #999}
h2,h3,h4,figcaption,.intro{break-after:avoid}
.plot-wrap,svg.plot,table.data tr,table.kwic tr,ol.events li,p{break-inside:avoid}
.plot-wrap{border-color:#bbb}
details.data summary{display:none}
details.data::details-content{content-visibility:visible;display:block}
.table-wrap,.kwic-wrap{overflow:visible}
table.kwic{font-size:8.5pt}
footer{break-before:avoid}
}
]]

-- Opens every <details> before printing, so the data tables print too.
-- Its hash is in the page's Content-Security-Policy, which lets exactly
-- this script run and nothing else (no other inline or remote script).
-- After changing it, recompute the hash:
--   printf '%s' 'SCRIPT' | openssl dgst -sha256 -binary | base64
-- (tests/e2e/html_chromium.sh fails on a mismatch: Chromium logs the
-- blocked script).
local SCRIPT = 'addEventListener("beforeprint",function(){document.querySelectorAll("details").forEach(function(d){d.open=true})});'
local SCRIPT_HASH = "sha256-GpTnJ7XwVcMMKWdObwMqkWrQ+v6uUITCf5S1AORc+yA="

local Report = {}
Report.__index = Report

--- A new report. opts: title, subtitle, lang ("en"), date (shown in the
-- generated-by line; default now, UTC — give a fixed one for golden
-- files), version (default trawl.version), toc (false to leave out the
-- table of contents).
function html.report(opts)
  opts = opts or {}
  return setmetatable({
    title = opts.title or "trawl report", subtitle = opts.subtitle, lang = opts.lang or "en",
    date = opts.date, version = opts.version or trawl.version, toc = opts.toc ~= false,
    sections = {}, pre = {}, nfig = 0, ntab = 0, ids = {},
  }, Report)
end

-- Section ids from titles ("Frequent terms" → "frequent-terms"), made
-- unique; titles with no ASCII letters get "section-N".
function Report:_slug(title)
  local s = text_of(title):lower():gsub("[^%w]+", "-"):gsub("^%-+", ""):gsub("%-+$", "")
  if s == "" then s = "section-" .. (#self.sections + 1) end
  local base, k = s, 1
  while self.ids[s] do k = k + 1 s = base .. "-" .. k end
  self.ids[s] = true
  return s
end

function Report:_add(html_)
  local sec = self.sections[#self.sections]
  local list = sec and sec.blocks or self.pre
  list[#list + 1] = html_
end

function Report:_toc_item(id, title)
  local sec = self.sections[#self.sections]
  if sec then sec.items[#sec.items + 1] = {id = id, title = title} end
end

--- Start a section: a numbered heading in the table of contents, with an
-- optional intro paragraph (markdown-ish, as r:text).
function Report:section(title, intro)
  local sec = {title = text_of(title), id = self:_slug(title), blocks = {}, items = {}}
  self.sections[#self.sections + 1] = sec
  if intro then self:_add('<div class="intro">' .. markdown(intro) .. "</div>") end
  return self
end

--- Text: paragraphs split by blank lines, "- " lists, "1. " lists,
-- "### " headings, **bold**, *emphasis*, `code`, [links](#anchor).
function Report:text(s)
  self:_add(markdown(s))
  return self
end

--- A table of rows with out's column specs ({key, title, align, format}).
-- opts.title numbers it ("Table N.") and lists it in the contents.
function Report:table(rows, cols, opts)
  opts = opts or {}
  if opts.title then
    self.ntab = self.ntab + 1
    local id = "tab-" .. self.ntab
    self:_toc_item(id, "Table " .. self.ntab .. ". " .. opts.title)
    self:_add(('<figure class="table" id="%s"><figcaption><span class="fig-no">Table %d.</span> %s</figcaption>\n%s%s</figure>')
      :format(id, self.ntab, esc(opts.title), data_table(rows, cols),
        opts.note and ('\n<p class="note">' .. inline(opts.note) .. "</p>") or ""))
  else
    self:_add(data_table(rows, cols))
  end
  return self
end

--- A horizontal bar chart: spec {title, items = {{label, value}, …} or
-- {{label =, value =}, …}, unit, format, color, intro, note}. Negative
-- values draw to the left of a zero line.
function Report:bars(spec)
  local body, h = nil, 0
  if spec.items and #spec.items > 0 then body, h = bars_svg(spec) end
  local rows = {}
  for i, it in ipairs(spec.items or {}) do
    local label, v = item_of(it)
    rows[i] = {rank = i, label = text_of(label), value = tonumber(v) or 0}
  end
  local data = #rows > 0 and data_table(rows, {{"rank", title = "#"}, {"label", title = "Label"},
    {"value", title = spec.unit and ("Value (" .. spec.unit .. ")") or "Value"}}) or nil
  local desc = ("Bar chart of %d items%s."):format(#rows, spec.unit and (", " .. spec.unit) or "")
  figure(self, "bars", spec, body, h, desc, data, spec.note and inline(spec.note))
  return self
end

--- A network drawing of a graph {nodes = {{id, label, type, weight}, …},
-- edges = {{source, target, weight, label}, …}, directed}: force-directed
-- layout, circle size by node weight, line width by edge weight, colour by
-- type with a legend. opts (or graph fields): title, intro, note,
-- node_weight / edge_weight (what the weights mean, for the legend),
-- labels (how many nodes to label, heaviest first; default 80), isolated
-- (true: draw nodes without links too; by default they are only in the
-- data table), seed.
function Report:network(g, opts)
  opts = opts or {}
  local spec = setmetatable({}, {__index = function(_, k) if opts[k] ~= nil then return opts[k] end return g[k] end})
  out.check_graph(g)
  spec._id = "fig-" .. (self.nfig + 1)
  local body, h, unlabelled, hidden = nil, 0, 0, 0
  if #g.nodes > 0 then body, h, unlabelled, hidden = network_svg(g, spec) end
  local label = {}
  local degree = {}
  for _, n in ipairs(g.nodes) do label[tostring(n.id)] = text_of(n.label or n.id) degree[tostring(n.id)] = 0 end
  for _, e in ipairs(g.edges or {}) do
    degree[tostring(e.source)] = degree[tostring(e.source)] + 1
    degree[tostring(e.target)] = degree[tostring(e.target)] + 1
  end
  local nrows, erows = {}, {}
  for i, n in ipairs(g.nodes) do
    nrows[i] = {label = label[tostring(n.id)], id = text_of(n.id), type = n.type, weight = n.weight,
      degree = degree[tostring(n.id)]}
  end
  for i, e in ipairs(g.edges or {}) do
    erows[i] = {source = label[tostring(e.source)], target = label[tostring(e.target)], weight = e.weight,
      label = e.label}
  end
  local data = data_table(nrows, {{"label", title = "Node"}, {"id", title = "Id"}, {"type", title = "Type"},
      {"weight", title = spec.node_weight and ("Weight (" .. spec.node_weight .. ")") or "Weight", align = "right"},
      {"degree", title = "Links", align = "right"}}, "Nodes") ..
    "\n" .. data_table(erows, {{"source", title = g.directed and "From" or "Node"},
      {"target", title = g.directed and "To" or "Node"},
      {"weight", title = spec.edge_weight and ("Weight (" .. spec.edge_weight .. ")") or "Weight", align = "right"},
      {"label", title = "Label"}}, "Links")
  local notes = {}
  if spec.note then notes[#notes + 1] = inline(spec.note) end
  if hidden > 0 then
    notes[#notes + 1] = esc(("%d %s without links %s not drawn."):format(hidden, hidden == 1 and "node" or "nodes",
      hidden == 1 and "is" or "are"))
  end
  if unlabelled > 0 then
    notes[#notes + 1] = esc(("%d %s drawn without a label, where it would cover another."):format(unlabelled,
      unlabelled == 1 and "node is" or "nodes are"))
  end
  if hidden > 0 or unlabelled > 0 then notes[#notes + 1] = "Every node is in the data table." end
  local desc = ("Network of %d nodes and %d links."):format(#g.nodes, #(g.edges or {}))
  figure(self, "network", spec, body, h, desc, data, #notes > 0 and table.concat(notes, " ") or nil)
  return self
end

--- A timeline: spec {title, events = {{date, label, text, doc, entities,
-- type}, …}}. Dates are TIMEX-style (YYYY, YYYY-MM, YYYY-MM-DD); days are
-- dots, months and years are bars over their span; events with no known
-- year are listed as undated. An ordered list of the events follows.
function Report:timeline(spec)
  local dated, undated = timeline_parts(spec)
  local body, h, unlabelled = nil, 0, 0
  if #dated > 0 then body, h, unlabelled = timeline_svg(spec, dated) end
  local L = {}
  if #dated > 0 then
    L[#L + 1] = '<ol class="events">'
    for _, d in ipairs(dated) do L[#L + 1] = event_item(d.ev, date_text(d.p), iso(d.p)) end
    L[#L + 1] = "</ol>"
  end
  if #undated > 0 then
    L[#L + 1] = ("<h4>Undated (%d)</h4>"):format(#undated)
    L[#L + 1] = '<ul class="events">'
    for _, ev in ipairs(undated) do
      -- The words of the text and the TIMEX value, when both are known.
      local when = ev.date_text and ev.date and (text_of(ev.date_text) .. " (" .. text_of(ev.date) .. ")")
        or ev.date and text_of(ev.date) or ev.date_text and text_of(ev.date_text) or "no date"
      L[#L + 1] = event_item(ev, when)
    end
    L[#L + 1] = "</ul>"
  end
  local desc = ("Timeline of %d dated events%s."):format(#dated,
    #undated > 0 and (" (" .. #undated .. " undated events listed below)") or "")
  local notes = {}
  if spec.note then notes[#notes + 1] = inline(spec.note) end
  if unlabelled > 0 then
    notes[#notes + 1] = esc(("%d %s no room for a label (hover for the events);"):format(unlabelled,
      unlabelled == 1 and "mark had" or "marks had")) .. " every event is listed below."
  end
  local id = figure(self, "timeline", spec, body, h, desc, nil, #notes > 0 and table.concat(notes, " ") or nil)
  -- The event list is part of the figure, so it goes in before </figure>.
  local blocks = self.sections[#self.sections] and self.sections[#self.sections].blocks or self.pre
  blocks[#blocks] = blocks[#blocks]:gsub("</figure>$", function()
    return '<div class="event-list" aria-label="Events of ' .. id .. '">\n' .. table.concat(L, "\n") ..
      "\n</div>\n</figure>"
  end)
  return self
end

--- A dispersion plot: spec {title, terms = {{term, hits = {{doc, pos}, …}},
-- …}, docs = {id or {id, label}, …}}: one row per term, one band per
-- document, a tick at each hit's relative position (0..1) in its document.
function Report:dispersion(spec)
  local docs, known = {}, {}
  local function add_doc(d)
    local id = type(d) == "table" and (d.id or d[1]) or d
    id = text_of(id)
    if not known[id] then
      known[id] = true
      docs[#docs + 1] = {id = id, label = type(d) == "table" and text_of(d.label or d.title or id) or id}
    end
  end
  for _, d in ipairs(spec.docs or {}) do add_doc(d) end
  local given = #docs > 0
  local terms, counts, dropped = {}, {}, 0
  for ti, t in ipairs(spec.terms or {}) do
    local name = text_of(t.label or t.term or t[1])
    local bydoc, total = {}, 0
    local hits = t.hits
    if not hits and t.docs then
      -- The shape of analysis.dispersion: docs = {{docid, positions}, …}.
      hits = {}
      for _, d in ipairs(t.docs) do
        for _, pos in ipairs(d.positions or {}) do hits[#hits + 1] = {doc = d.docid or d.doc, pos = pos} end
      end
    end
    for _, hit in ipairs(hits or {}) do
      local doc = doc_name(hit) or text_of(hit[1])
      if not known[doc] and not given then add_doc(doc) end
      if known[doc] then
        bydoc[doc] = bydoc[doc] or {}
        table.insert(bydoc[doc], tonumber(hit.pos or hit[2]) or 0)
        total = total + 1
      else
        dropped = dropped + 1
      end
    end
    for _, list in pairs(bydoc) do table.sort(list) end
    terms[ti] = {name = name, bydoc = bydoc}
    counts[ti] = total
  end
  local body, h, numbered = nil, 0, false
  if #terms > 0 and #docs > 0 then body, h, numbered = dispersion_svg(terms, docs, counts) end
  -- Data: hits per document (rows, so a long corpus makes a long table
  -- rather than one too wide to print) and term (columns).
  local cols = {{"n", title = "#"}, {"doc", title = "Document"}}
  for ti, t in ipairs(terms) do cols[#cols + 1] = {"t" .. ti, title = t.name, align = "right"} end
  local rows = {}
  for k, d in ipairs(docs) do
    local row = {n = k, doc = d.label}
    for ti, t in ipairs(terms) do row["t" .. ti] = t.bydoc[d.id] and #t.bydoc[d.id] or 0 end
    rows[k] = row
  end
  if #docs > 0 then
    local total = {doc = "Total"}
    for ti in ipairs(terms) do total["t" .. ti] = counts[ti] end
    rows[#rows + 1] = total
  end
  local notes = {}
  if spec.note then notes[#notes + 1] = inline(spec.note) end
  if numbered then notes[#notes + 1] = "Documents are numbered as in the data table." end
  if dropped > 0 then notes[#notes + 1] = esc(("%d hits in documents not listed were left out."):format(dropped)) end
  local desc = ("Dispersion of %d terms over %d documents: one row per term, one band per document," ..
    " a tick per hit at its relative position."):format(#terms, #docs)
  figure(self, "dispersion", spec, body, h, desc, #rows > 0 and data_table(rows, cols) or nil,
    #notes > 0 and table.concat(notes, " ") or nil)
  return self
end

--- A concordance (keyword in context): lines {{left, match, right, doc,
-- sentence}, …}, aligned on the match in a monospace table. opts: title,
-- width (display columns of context each side, default 45).
function Report:kwic(lines, opts)
  opts = opts or {}
  local width = opts.width or 45
  local L = {}
  local title = opts.title or "Concordance"
  self.nfig = self.nfig + 1
  local id = "fig-" .. self.nfig
  self:_toc_item(id, "Figure " .. self.nfig .. ". " .. title)
  L[#L + 1] = ('<figure class="kwic-block" id="%s">'):format(id)
  L[#L + 1] = ('<figcaption><span class="fig-no">Figure %d.</span> %s</figcaption>'):format(self.nfig, esc(title))
  L[#L + 1] = '<div class="kwic-wrap"><table class="kwic">'
  L[#L + 1] = '<thead><tr><th>Doc</th><th class="left">Left context</th><th>Match</th><th>Right context</th></tr></thead>'
  L[#L + 1] = "<tbody>"
  for _, l in ipairs(lines) do
    local left = text_of(l.left):gsub("%s+", " ")
    local right = text_of(l.right):gsub("%s+", " ")
    -- The sentence is the row's tooltip; analysis lines give its number.
    local tip = l.sentence
    if math.type(tip) == "integer" then tip = "sentence " .. tip end
    tip = tip and text_of(tip)
    left = cut_left(left, width)
    -- A cut context starts and ends at a word, not in the middle of one.
    if left:sub(1, 3) == "…" then left = left:gsub("^…[^ ]* ", "… ", 1) end
    right = fmt.cut(right, width)
    if right:sub(-3) == "…" then right = right:gsub(" [^ ]*…$", " …", 1) end
    L[#L + 1] = ('<tr%s><td class="doc">%s</td><td class="left">%s</td><td class="match">%s</td>' ..
      '<td class="right">%s</td></tr>'):format(
      tip and (' title="' .. esc(tip) .. '"') or "",
      esc(fmt.cut(doc_name(l) or "", 14)), esc(left), esc(text_of(l.match)), esc(right))
  end
  L[#L + 1] = "</tbody></table></div>"
  L[#L + 1] = ('<p class="note">%d lines.%s</p>'):format(#lines,
    opts.note and (" " .. inline(opts.note)) or "")
  L[#L + 1] = "</figure>"
  self:_add(table.concat(L, "\n"))
  return self
end

--- The whole report as one HTML document (a string).
function Report:render()
  local date = self.date or os.date("!%Y-%m-%d %H:%M UTC")
  local generated = ("Generated by trawl %s on %s."):format(self.version, date)
  local L = {
    "<!DOCTYPE html>",
    ('<html lang="%s">'):format(esc(self.lang)),
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    ('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\';' ..
      ' img-src data:; script-src \'%s\'; base-uri \'none\'; form-action \'none\'">'):format(SCRIPT_HASH),
    ('<meta name="generator" content="trawl %s">'):format(esc(self.version)),
    "<title>" .. esc(self.title) .. "</title>",
    "<style>\n" .. CSS .. "</style>",
    "</head>",
    "<body>",
    '<header class="report">',
    "<h1>" .. esc(self.title) .. "</h1>",
  }
  if self.subtitle then L[#L + 1] = '<p class="subtitle">' .. esc(self.subtitle) .. "</p>" end
  L[#L + 1] = '<p class="generated">' .. esc(generated) .. "</p>"
  L[#L + 1] = "</header>"
  if self.toc and #self.sections > 0 then
    L[#L + 1] = '<nav class="toc" aria-labelledby="toc-title"><h2 id="toc-title">Contents</h2><ol>'
    for _, sec in ipairs(self.sections) do
      local sub = ""
      if #sec.items > 0 then
        local items = {}
        for _, it in ipairs(sec.items) do
          items[#items + 1] = ('<li><a href="#%s">%s</a></li>'):format(it.id, esc(it.title))
        end
        sub = "<ol>" .. table.concat(items) .. "</ol>"
      end
      L[#L + 1] = ('<li><a href="#%s">%s</a>%s</li>'):format(esc(sec.id), esc(sec.title), sub)
    end
    L[#L + 1] = "</ol></nav>"
  end
  L[#L + 1] = "<main>"
  for _, b in ipairs(self.pre) do L[#L + 1] = b end
  for k, sec in ipairs(self.sections) do
    L[#L + 1] = ('<section id="%s" aria-labelledby="%s-h">'):format(esc(sec.id), esc(sec.id))
    L[#L + 1] = ('<h2 id="%s-h">%d. %s</h2>'):format(esc(sec.id), k, esc(sec.title))
    for _, b in ipairs(sec.blocks) do L[#L + 1] = b end
    L[#L + 1] = "</section>"
  end
  L[#L + 1] = "</main>"
  L[#L + 1] = "<footer>" .. esc(generated) ..
    " Every chart's numbers are in its tooltips and in the data table below it.</footer>"
  L[#L + 1] = "<script>" .. SCRIPT .. "</script>"
  L[#L + 1] = "</body>"
  L[#L + 1] = "</html>"
  return table.concat(L, "\n") .. "\n"
end

return html

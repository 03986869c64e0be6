--- trawl.out — analysis results as text for people and other tools:
-- aligned terminal tables, Markdown, CSV, JSON, JSON Lines, and graphs as
-- GraphML, GEXF and DOT. Every function takes plain data (lists of tables,
-- a graph table) and returns the whole document as a string ending with a
-- newline; out.write puts it in a file or on stdout.
--
--   local out = require "trawl.out"
--   local rows = {{term = "militia", n = 12, ll = 40.123}, {term = "Kata’ib", n = 7, ll = 18.5}}
--   local cols = {{"term", title = "Term"}, {"n", title = "Count"}, {"ll", format = "%.1f"}}
--   io.write(out.table(rows, cols))            -- aligned by display width
--   out.write(os.tmpname(), out.csv(rows, cols))
--
-- A column spec is {key, title = key, align = "left"|"right", max = columns,
-- format = "%.2f" or function(value, row) → string}. Without align, a column
-- whose values are all numbers is right-aligned. `max` cuts cells in the
-- terminal table only; `format` shapes cells for people (table, Markdown,
-- HTML) while CSV and JSON keep full precision for tools.
local trawl = require "trawl"
local fmt = require "trawl.fmt"
local json = require "trawl.json"
local csv = require "trawl.csv"

local out = {}

-- Colours for node types, shared with trawl.html so a type has the same
-- colour in a DOT drawing and in a report. Okabe–Ito-like hues that stay
-- distinct for colour-blind readers and in greyscale print.
out.palette = {"#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00",
  "#56b4e9", "#8c6d31", "#7f7f7f", "#b2182b", "#4d9221"}

-- Numbers print the same everywhere: integers (and floats with an integral
-- value) as integers, other floats with 14 significant digits, like
-- trawl.json, so a value survives a round trip and golden files are stable.
local function number(v)
  if math.type(v) == "integer" then return tostring(v) end
  if v ~= v then return "nan" end
  if v == math.huge then return "inf" elseif v == -math.huge then return "-inf" end
  if v == math.floor(v) and math.abs(v) < 2^53 then return string.format("%d", v) end
  return (string.format("%.14g", v))
end
out.number = number

local function is_list(t)
  return type(t) == "table" and (#t > 0 or next(t) == nil)
end

-- Documents, tokens and other userdata in results (analysis rows carry
-- `doc = d`) stand for their id: an address would differ on every run.
local function ident(v)
  local ok, id = pcall(function() return v.id end)
  if ok and id ~= nil then return id end
  return tostring(v)
end

-- A copy of v that trawl.json can encode: userdata replaced by ident().
local function portable(v, depth)
  local t = type(v)
  if t == "userdata" then return ident(v) end
  if t ~= "table" or v == json.null then return v end
  if depth > 100 then error("json.encode: nesting too deep", 0) end
  local copy = {}
  for k, x in pairs(v) do copy[k] = portable(x, depth + 1) end
  if getmetatable(v) == json.array then setmetatable(copy, json.array) end
  return copy
end

-- A cell as text: nil → "", numbers as above, booleans as words, lists of
-- scalars joined with ", ", other tables as JSON.
local function plain(v)
  local t = type(v)
  if v == nil then return ""
  elseif t == "userdata" then return plain(ident(v))
  elseif t == "number" then return number(v)
  elseif t == "string" then return v
  elseif t == "table" and is_list(v) then
    local parts = {}
    for i = 1, #v do
      if type(v[i]) == "table" then return json.encode(portable(v, 0)) end
      parts[i] = plain(v[i])
    end
    return table.concat(parts, ", ")
  elseif t == "table" then return json.encode(portable(v, 0))
  end
  return tostring(v)
end

--- The text of one cell for people: col.format applied to numbers (a
-- string.format pattern) or to any value (a function(value, row)).
function out.cell(row, col)
  local v = row[col.key or col[1]]
  if type(v) == "userdata" then v = ident(v) end
  local f = col.format
  if type(f) == "function" then return tostring(f(v, row) or "") end
  if type(f) == "string" and type(v) == "number" then return string.format(f, v) end
  return plain(v)
end

--- Column specs, completed: every spec gets key, title and align. Without
-- cols, one column per key found in the rows, sorted by name.
function out.columns(rows, cols)
  if not cols then
    local seen, keys = {}, {}
    for _, row in ipairs(rows) do
      for k in pairs(row) do
        if type(k) == "string" and not seen[k] then seen[k] = true keys[#keys + 1] = k end
      end
    end
    table.sort(keys)
    cols = {}
    for i, k in ipairs(keys) do cols[i] = {k} end
  end
  local done = {}
  for i, col in ipairs(cols) do
    if type(col) == "string" then col = {col} end
    local key = col.key or col[1]
    if key == nil then error("out: column " .. i .. " has no key", 3) end
    local align = col.align
    if align == nil then
      -- Right-align numbers (so digits line up) unless told otherwise.
      local any, all = false, true
      for _, row in ipairs(rows) do
        local v = row[key]
        if v ~= nil then
          any = true
          if type(v) ~= "number" then all = false break end
        end
      end
      align = (any and all) and "right" or "left"
    end
    done[i] = {key, key = key, title = col.title or tostring(key), align = align,
      max = col.max, format = col.format}
  end
  return done
end

-- Terminal tables -----------------------------------------------------------

--- An aligned text table (fmt.table underneath, so columns line up by
-- display width). opts.color = true makes the header bold and the rule dim
-- with ANSI escapes — only when asked, since files and pipes want none.
function out.table(rows, cols, opts)
  cols = out.columns(rows, cols)
  opts = opts or {}
  -- Cells are formatted here and handed to fmt as strings, so fmt keeps
  -- doing the width work and `format` behaves as in the other formats.
  local srows, scols = {}, {}
  for r, row in ipairs(rows) do
    local s = {}
    for c, col in ipairs(cols) do s[c] = out.cell(row, col) end
    srows[r] = s
  end
  for c, col in ipairs(cols) do
    scols[c] = {c, title = col.title, align = col.align, max = col.max}
  end
  local text = fmt.table(srows, scols)
  if opts.color then
    local head, rule, rest = text:match("^([^\n]*)\n([^\n]*)(.*)$")
    text = "\27[1m" .. head .. "\27[0m\n\27[2m" .. rule .. "\27[0m" .. rest
  end
  return text .. "\n"
end

-- Markdown ------------------------------------------------------------------

-- Escape what would change a GitHub/CommonMark table cell: the pipe that
-- ends a cell, backslash, and inline markup characters; line breaks would
-- end the row, so they become spaces.
local function md_escape(s)
  s = s:gsub("[\r\n\t]+", " ")
  return (s:gsub("[\\|*_`%[%]<>]", "\\%0"))
end

--- A Markdown (GFM) table: a header, an alignment row (---: for right)
-- and one row per item, padded by display width so the source reads well.
function out.markdown(rows, cols)
  cols = out.columns(rows, cols)
  local cells, widths = {}, {}
  for c, col in ipairs(cols) do
    cells[c] = {md_escape(col.title)}
    widths[c] = math.max(3, trawl.width(cells[c][1]))
  end
  for r, row in ipairs(rows) do
    for c, col in ipairs(cols) do
      local s = md_escape(out.cell(row, col))
      cells[c][r + 1] = s
      widths[c] = math.max(widths[c], trawl.width(s))
    end
  end
  local function line(r)
    local parts = {}
    for c, col in ipairs(cols) do
      local s = cells[c][r]
      local gap = string.rep(" ", widths[c] - trawl.width(s))
      parts[c] = col.align == "right" and gap .. s or s .. gap
    end
    return "| " .. table.concat(parts, " | ") .. " |"
  end
  local lines = {line(1)}
  local rule = {}
  for c, col in ipairs(cols) do
    rule[c] = col.align == "right" and string.rep("-", widths[c] - 1) .. ":"
      or col.align == "center" and ":" .. string.rep("-", widths[c] - 2) .. ":"
      or string.rep("-", widths[c])
  end
  lines[2] = "| " .. table.concat(rule, " | ") .. " |"
  for r = 1, #rows do lines[#lines + 1] = line(r + 1) end
  return table.concat(lines, "\n") .. "\n"
end

-- CSV, JSON, JSON Lines -----------------------------------------------------

-- Values for tools: full precision, lists and tables as JSON text.
local function raw(v)
  if type(v) == "table" then return json.encode(portable(v, 0)) end
  if type(v) == "number" then return number(v) end
  if type(v) == "userdata" then return raw(ident(v)) end
  return v
end

--- CSV (RFC 4180, CRLF line ends) with a header row. The header holds the
-- keys (names tools can use); opts.titles = true uses the titles instead.
-- opts.bom = true starts with a UTF-8 byte order mark, for spreadsheets
-- that otherwise guess a legacy encoding.
function out.csv(rows, cols, opts)
  cols = out.columns(rows, cols)
  opts = opts or {}
  local n = #cols
  local head, parts = {}, {}
  for c, col in ipairs(cols) do head[c] = opts.titles and col.title or col.key end
  parts[1] = (opts.bom and "\239\187\191" or "") .. csv.row(head, n)
  for r, row in ipairs(rows) do
    local vals = {}
    for c, col in ipairs(cols) do vals[c] = raw(row[col.key]) end
    parts[r + 1] = csv.row(vals, n)
  end
  return table.concat(parts)
end

local function is_array(t)
  local n = #t
  if n == 0 then return next(t) == nil and getmetatable(t) == json.array end
  for k in pairs(t) do
    if math.type(k) ~= "integer" or k < 1 or k > n then return false end
  end
  return true
end

-- Indented JSON: the structure is laid out here and every scalar is
-- encoded by trawl.json, so both forms agree on strings and numbers.
local function pretty(v, step, pad, out_)
  if type(v) ~= "table" or v == json.null then
    out_[#out_ + 1] = json.encode(v)
    return
  end
  local inner = pad .. step
  if is_array(v) then
    if #v == 0 then out_[#out_ + 1] = "[]" return end
    out_[#out_ + 1] = "[\n"
    for i = 1, #v do
      out_[#out_ + 1] = inner
      pretty(v[i], step, inner, out_)
      out_[#out_ + 1] = i < #v and ",\n" or "\n"
    end
    out_[#out_ + 1] = pad .. "]"
  else
    local keys = {}
    for k in pairs(v) do
      if type(k) ~= "string" then error("json.encode: object keys must be strings", 0) end
      keys[#keys + 1] = k
    end
    table.sort(keys)
    if #keys == 0 then out_[#out_ + 1] = "{}" return end
    out_[#out_ + 1] = "{\n"
    for i, k in ipairs(keys) do
      out_[#out_ + 1] = inner .. json.encode(k) .. ": "
      pretty(v[k], step, inner, out_)
      out_[#out_ + 1] = i < #keys and ",\n" or "\n"
    end
    out_[#out_ + 1] = pad .. "}"
  end
end

--- JSON text of any value (keys sorted), compact, or indented with
-- opts.indent spaces. Documents and other userdata become their id.
function out.json(value, opts)
  opts = opts or {}
  value = portable(value, 0)
  if opts.indent then
    local parts = {}
    pretty(value, string.rep(" ", opts.indent), "", parts)
    return table.concat(parts) .. "\n"
  end
  return json.encode(value) .. "\n"
end

--- JSON Lines: one compact object per row. With cols, each object has
-- exactly those keys (missing values as null), so every line has the same
-- shape. Documents and other userdata become their id.
function out.jsonl(rows, cols)
  local parts = {}
  if cols then cols = out.columns(rows, cols) end
  for r, row in ipairs(rows) do
    local obj = row
    if cols then
      obj = {}
      for _, col in ipairs(cols) do
        local v = row[col.key]
        if v == nil then v = json.null end
        obj[tostring(col.key)] = v
      end
    end
    parts[r] = json.encode(portable(obj, 0)) .. "\n"
  end
  return table.concat(parts)
end

--- Write text to a file, or to stdout when path is nil or "-".
-- Returns true, or nil and a message when the file cannot be written.
function out.write(path, text)
  if path == nil or path == "-" then
    io.stdout:write(text)
    io.stdout:flush()
    return true
  end
  local f, err = io.open(path, "wb")
  if not f then return nil, err end
  local ok, werr = f:write(text)
  f:close()
  if not ok then return nil, werr end
  return true
end

-- Graphs --------------------------------------------------------------------

-- Bytes that are not valid UTF-8 become U+FFFD, and characters XML 1.0
-- forbids (most C0 controls) become U+FFFD too: a graph file with one bad
-- label must still load in Gephi or yEd.
local function clean(s)
  s = tostring(s)
  if not utf8.len(s) then
    local parts, i, n = {}, 1, #s
    while i <= n do
      local len = utf8.len(s, i, i) and utf8.offset(s, 2, i) - i
      local ch = len and s:sub(i, i + len - 1)
      if ch and utf8.len(ch) then parts[#parts + 1] = ch i = i + len
      else parts[#parts + 1] = "\u{FFFD}" i = i + 1 end
    end
    s = table.concat(parts)
  end
  return (s:gsub("[%z\1-\8\11\12\14-\31\127]", "\u{FFFD}"))
end
out.clean = clean

local xml_entities = {["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;",
  ['"'] = "&quot;", ["'"] = "&apos;", ["\n"] = "&#10;", ["\r"] = "&#13;", ["\t"] = "&#9;"}

-- XML escaping for text and attribute values alike; line breaks and tabs
-- as character references so attribute normalisation cannot eat them.
local function xml(s)
  return (clean(s):gsub("[&<>\"'\n\r\t]", xml_entities))
end
out.xml_escape = xml

-- Checks the graph and gathers its attributes: known ones (label, type,
-- weight) first, then any other scalar fields in name order, each with the
-- one type all its values share.
local reserved = {node = {id = true}, edge = {source = true, target = true, id = true}}
local known = {node = {"label", "type", "weight"}, edge = {"label", "weight"}}

local function attributes(list, what)
  local kinds, names, isknown = {}, {}, {}
  for _, k in ipairs(known[what]) do isknown[k] = true end
  for _, item in ipairs(list) do
    for k, v in pairs(item) do
      if type(k) == "string" and not reserved[what][k] then
        local t = type(v)
        local kind = t == "number" and (math.type(v) == "integer" and "long" or "double")
          or t == "boolean" and "boolean" or "string"
        local old = kinds[k]
        if old == nil then kinds[k] = kind
        elseif old ~= kind then
          kinds[k] = ((old == "long" or old == "double") and (kind == "long" or kind == "double"))
            and "double" or "string"
        end
      end
    end
  end
  if kinds.weight == "long" then kinds.weight = "double" end -- weights may be fractional elsewhere
  for _, k in ipairs(known[what]) do if kinds[k] then names[#names + 1] = k end end
  local extra = {}
  for k in pairs(kinds) do if not isknown[k] then extra[#extra + 1] = k end end
  table.sort(extra)
  for _, k in ipairs(extra) do names[#names + 1] = k end
  return names, kinds
end

local function value_text(v, kind)
  if kind == "string" then return clean(plain(v)) end
  if type(v) == "number" then return number(v) end
  return tostring(v)
end

--- Checks a graph ({nodes, edges, directed}) and returns it with node ids
-- as strings and edges whose ends exist; raises on a node without id, a
-- duplicate id or an edge to an unknown node (programming errors).
function out.check_graph(g)
  if type(g) ~= "table" or type(g.nodes) ~= "table" then
    error("out: a graph needs a list of nodes", 3)
  end
  local seen = {}
  for i, n in ipairs(g.nodes) do
    if n.id == nil then error("out: node " .. i .. " has no id", 3) end
    local id = tostring(n.id)
    if seen[id] then error("out: duplicate node id '" .. id .. "'", 3) end
    seen[id] = i
  end
  for i, e in ipairs(g.edges or {}) do
    for _, end_ in ipairs{"source", "target"} do
      if e[end_] == nil or not seen[tostring(e[end_])] then
        error(("out: edge %d: unknown %s node '%s'"):format(i, end_, tostring(e[end_])), 3)
      end
    end
  end
  return seen
end

--- GraphML (yEd, Gephi, NetworkX, igraph): every node and edge field
-- becomes a typed <data> attribute.
function out.graphml(g)
  out.check_graph(g)
  local edges = g.edges or {}
  local nnames, nkinds = attributes(g.nodes, "node")
  local enames, ekinds = attributes(edges, "edge")
  local L = {
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"' ..
      ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"' ..
      ' xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns' ..
      ' http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
  }
  -- Key ids are derived from the names (n_label, e_weight) so files diff
  -- well; a running number keeps odd names distinct.
  local function keyid(prefix, name, i)
    local s = name:gsub("[^%w_.-]", "_")
    if s ~= name then s = s .. "_" .. i end
    return prefix .. s
  end
  local nkey, ekey = {}, {}
  for i, k in ipairs(nnames) do
    nkey[k] = keyid("n_", k, i)
    L[#L + 1] = ('  <key id="%s" for="node" attr.name="%s" attr.type="%s"/>')
      :format(xml(nkey[k]), xml(k), nkinds[k])
  end
  for i, k in ipairs(enames) do
    ekey[k] = keyid("e_", k, i)
    L[#L + 1] = ('  <key id="%s" for="edge" attr.name="%s" attr.type="%s"/>')
      :format(xml(ekey[k]), xml(k), ekinds[k])
  end
  L[#L + 1] = ('  <graph id="%s" edgedefault="%s">'):format(xml(g.id or g.name or "G"),
    g.directed and "directed" or "undirected")
  local function datas(item, names, keys, kinds, pad)
    local parts = {}
    for _, k in ipairs(names) do
      local v = item[k]
      if v ~= nil then
        parts[#parts + 1] = ('%s<data key="%s">%s</data>'):format(pad, xml(keys[k]),
          xml(value_text(v, kinds[k])))
      end
    end
    return parts
  end
  for _, n in ipairs(g.nodes) do
    local d = datas(n, nnames, nkey, nkinds, "      ")
    if #d == 0 then
      L[#L + 1] = ('    <node id="%s"/>'):format(xml(n.id))
    else
      L[#L + 1] = ('    <node id="%s">'):format(xml(n.id))
      table.move(d, 1, #d, #L + 1, L)
      L[#L + 1] = "    </node>"
    end
  end
  for i, e in ipairs(edges) do
    local head = ('    <edge id="%s" source="%s" target="%s"'):format(xml(e.id or ("e" .. (i - 1))),
      xml(e.source), xml(e.target))
    local d = datas(e, enames, ekey, ekinds, "      ")
    if #d == 0 then
      L[#L + 1] = head .. "/>"
    else
      L[#L + 1] = head .. ">"
      table.move(d, 1, #d, #L + 1, L)
      L[#L + 1] = "    </edge>"
    end
  end
  L[#L + 1] = "  </graph>"
  L[#L + 1] = "</graphml>"
  return table.concat(L, "\n") .. "\n"
end

--- GEXF 1.3 (Gephi): label and edge weight are native attributes; type,
-- node weight and any other fields are declared <attribute>s.
function out.gexf(g)
  out.check_graph(g)
  local edges = g.edges or {}
  local nnames, nkinds = attributes(g.nodes, "node")
  local enames, ekinds = attributes(edges, "edge")
  local gexf_type = {long = "long", double = "double", boolean = "boolean", string = "string"}
  local L = {
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gexf xmlns="http://gexf.net/1.3" version="1.3">',
    '  <meta>',
    '    <creator>trawl</creator>',
  }
  if g.title or g.description then
    L[#L + 1] = "    <description>" .. xml(g.description or g.title) .. "</description>"
  end
  L[#L + 1] = '  </meta>'
  L[#L + 1] = ('  <graph mode="static" defaultedgetype="%s">'):format(
    g.directed and "directed" or "undirected")
  -- Native GEXF fields are not repeated as attributes.
  local native = {node = {label = true}, edge = {label = true, weight = true}}
  local function declare(class, names, kinds)
    local list = {}
    for _, k in ipairs(names) do
      if not native[class][k] then list[#list + 1] = k end
    end
    if #list == 0 then return list end
    L[#L + 1] = ('    <attributes class="%s">'):format(class)
    for _, k in ipairs(list) do
      L[#L + 1] = ('      <attribute id="%s" title="%s" type="%s"/>'):format(xml(k), xml(k),
        gexf_type[kinds[k]])
    end
    L[#L + 1] = "    </attributes>"
    return list
  end
  local nattr = declare("node", nnames, nkinds)
  local eattr = declare("edge", enames, ekinds)
  local function attvalues(item, list, kinds, pad)
    local parts = {}
    for _, k in ipairs(list) do
      if item[k] ~= nil then
        parts[#parts + 1] = ('%s  <attvalue for="%s" value="%s"/>'):format(pad, xml(k),
          xml(value_text(item[k], kinds[k])))
      end
    end
    if #parts == 0 then return nil end
    table.insert(parts, 1, pad .. "<attvalues>")
    parts[#parts + 1] = pad .. "</attvalues>"
    return parts
  end
  L[#L + 1] = "    <nodes>"
  for _, n in ipairs(g.nodes) do
    local head = ('      <node id="%s" label="%s"'):format(xml(n.id), xml(n.label or n.id))
    local a = attvalues(n, nattr, nkinds, "        ")
    if a then
      L[#L + 1] = head .. ">"
      table.move(a, 1, #a, #L + 1, L)
      L[#L + 1] = "      </node>"
    else
      L[#L + 1] = head .. "/>"
    end
  end
  L[#L + 1] = "    </nodes>"
  L[#L + 1] = "    <edges>"
  for i, e in ipairs(edges) do
    local head = ('      <edge id="%s" source="%s" target="%s"'):format(
      xml(e.id or (i - 1)), xml(e.source), xml(e.target))
    if type(e.weight) == "number" then head = head .. ' weight="' .. number(e.weight) .. '"' end
    if e.label ~= nil then head = head .. ' label="' .. xml(plain(e.label)) .. '"' end
    local a = attvalues(e, eattr, ekinds, "        ")
    if a then
      L[#L + 1] = head .. ">"
      table.move(a, 1, #a, #L + 1, L)
      L[#L + 1] = "      </edge>"
    else
      L[#L + 1] = head .. "/>"
    end
  end
  L[#L + 1] = "    </edges>"
  L[#L + 1] = "  </graph>"
  L[#L + 1] = "</gexf>"
  return table.concat(L, "\n") .. "\n"
end

-- DOT strings are always quoted: only the quote needs escaping for the
-- parser, and backslashes are doubled because Graphviz reads \n, \l, \N
-- in labels as escapes; a real line break becomes \n.
local function dot_str(s)
  s = clean(plain(s)):gsub("\\", "\\\\"):gsub('"', '\\"'):gsub("\r\n?", "\n"):gsub("\n", "\\n")
  return '"' .. s .. '"'
end
out.dot_quote = dot_str

--- DOT (Graphviz): nodes and edges with their fields as attributes, plus
-- a fill colour per type and a pen width by edge weight so `dot -Tsvg`
-- gives a readable first drawing.
function out.dot(g)
  out.check_graph(g)
  local edges = g.edges or {}
  local L = {}
  L[1] = (g.directed and "digraph " or "graph ") .. dot_str(g.name or g.title or "trawl") .. " {"
  L[2] = '  graph [overlap=false, splines=true];'
  L[3] = '  node [shape=ellipse, style=filled, fontname="Helvetica"];'
  -- Types get palette colours in order of first appearance.
  local colour, ntypes = {}, 0
  for _, n in ipairs(g.nodes) do
    if n.type ~= nil and not colour[n.type] then
      ntypes = ntypes + 1
      colour[n.type] = out.palette[(ntypes - 1) % #out.palette + 1]
    end
  end
  local maxw = 0
  for _, e in ipairs(edges) do
    if type(e.weight) == "number" and e.weight > maxw then maxw = e.weight end
  end
  local function attrs(item, skip, extra)
    local keys = {}
    for k, v in pairs(item) do
      if type(k) == "string" and not skip[k] and type(v) ~= "function" then keys[#keys + 1] = k end
    end
    table.sort(keys)
    local parts = {}
    for _, k in ipairs(keys) do
      local v = item[k]
      local key = k:match("^[%a_][%w_]*$") and k or dot_str(k)
      parts[#parts + 1] = key .. "=" .. (type(v) == "number" and number(v) or dot_str(v))
    end
    for _, x in ipairs(extra) do parts[#parts + 1] = x end
    return #parts > 0 and " [" .. table.concat(parts, ", ") .. "]" or ""
  end
  for _, n in ipairs(g.nodes) do
    local extra = {}
    if n.type ~= nil then
      extra[1] = 'fillcolor="' .. colour[n.type] .. '40", color="' .. colour[n.type] .. '"'
    end
    L[#L + 1] = "  " .. dot_str(n.id) .. attrs(n, {id = true}, extra) .. ";"
  end
  local arrow = g.directed and " -> " or " -- "
  for _, e in ipairs(edges) do
    local extra = {}
    if type(e.weight) == "number" and maxw > 0 then
      extra[1] = ("penwidth=%.2f"):format(1 + 4 * math.max(e.weight, 0) / maxw)
    end
    L[#L + 1] = "  " .. dot_str(e.source) .. arrow .. dot_str(e.target) ..
      attrs(e, {source = true, target = true, id = true}, extra) .. ";"
  end
  L[#L + 1] = "}"
  return table.concat(L, "\n") .. "\n"
end

return out

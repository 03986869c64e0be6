--- trawl.repl — how `trawl repl` shows values and answers :help. The C side
-- reads and runs statements; everything about presentation lives here, so
-- it can change without a rebuild (:reload reads this file again).
--
--   local repl = require "trawl.repl"
--   print(repl.show({color = false, width = 80}, {1, 2, 3}))
--   repl.options.rows = 50      -- in a session: longer tables
local trawl = require "trawl"
local fmt = require "trawl.fmt"

local M = {}

--- Limits of what is shown; change them in a session.
M.options = {
  rows = 20,      -- rows of a list shown as a table
  items = 30,     -- entries shown of a nested table
  depth = 3,      -- levels of nested tables shown
  bytes = 2000,   -- bytes of a string shown on its own
  lines = 40,     -- lines of a string shown on its own
  inline = 60,    -- columns of a string inside a table
  context = 6,    -- tokens of context on each side of a token or span
  text = 3,       -- lines of text shown for a document or a long span
}

local width = trawl.width
local CHAR = utf8.charpattern

-- ANSI colours by kind of text, used only when ctx.color is set.
local SGR = {
  string = "32", number = "36", boolean = "35", object = "34",
  ["function"] = "34", note = "2", head = "1", mark = "1;4",
}

local function paint(ctx, kind, s)
  if ctx.color and SGR[kind] and s ~= "" then
    return "\27[" .. SGR[kind] .. "m" .. s .. "\27[0m"
  end
  return s
end

local KEYWORDS = {}
for w in ([[and break do else elseif end false for function goto if in local
  nil not or repeat return then true until while]]):gmatch("%a+") do
  KEYWORDS[w] = true
end

-- ------------------------------------------------------------------
-- Small text helpers (never raise on invalid UTF-8: bytes that are not
-- part of a character are skipped when cutting)
-- ------------------------------------------------------------------

-- s cut to at most w columns, ending with "…" when cut.
local function cut(s, w)
  if width(s) <= w then return s end
  if w <= 0 then return "" end
  local out, used = {}, 0
  for ch in s:gmatch(CHAR) do
    local cw = width(ch)
    if used + cw > w - 1 then break end
    out[#out + 1] = ch
    used = used + cw
  end
  return table.concat(out) .. "…"
end

-- s cut to its last w columns, starting with "…" when cut.
local function cut_left(s, w)
  if width(s) <= w then return s end
  if w <= 0 then return "" end
  local chars = {}
  for ch in s:gmatch(CHAR) do chars[#chars + 1] = ch end
  local first, used = #chars + 1, 0
  while first > 1 do
    local cw = width(chars[first - 1])
    if used + cw > w - 1 then break end
    first, used = first - 1, used + cw
  end
  return "…" .. table.concat(chars, "", first)
end

-- Whitespace runs (newlines included) as single spaces.
local function flat(s)
  return (s:gsub("%s+", " "))
end

local ESCAPES = {["\n"] = "\\n", ["\t"] = "\\t", ["\r"] = "\\r",
                 ['"'] = '\\"', ["\\"] = "\\\\"}

local function quote(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    return ESCAPES[c] or ("\\%d"):format(c:byte())
  end) .. '"'
end

-- Words of s filling lines of w columns, at most maxl lines. Returns the
-- lines and the byte position where the shown text ends.
local function wrap(s, w, maxl)
  local lines, line, lw, stop = {}, {}, 0, 0
  for _, word, b in s:gmatch("()(%S+)()") do
    local ww = width(word)
    if lw > 0 and lw + 1 + ww > w then
      lines[#lines + 1] = table.concat(line, " ")
      if #lines == maxl then return lines, stop end
      line, lw = {}, 0
    end
    if ww > w then word, ww = cut(word, w), w end
    line[#line + 1] = word
    lw = lw + (lw > 0 and 1 or 0) + ww
    stop = b - 1
  end
  if #line > 0 then lines[#lines + 1] = table.concat(line, " ") end
  return lines, stop
end

-- "… N more bytes" when s goes on after byte stop with more than blanks.
local function more_bytes(ctx, s, stop)
  if not s:find("%S", stop + 1) then return nil end
  return paint(ctx, "note", ("… %d more bytes"):format(#s - stop))
end

-- ------------------------------------------------------------------
-- Values in one line
-- ------------------------------------------------------------------

-- "trawl.Doc" and the like for trawl's userdata, else nil.
local function trawl_type(v)
  if type(v) ~= "userdata" then return nil end
  local mt = getmetatable(v)
  local name = type(mt) == "table" and rawget(mt, "__name")
  return type(name) == "string" and name:match("^trawl%.") and name or nil
end

local function has_tostring(v)
  local mt = getmetatable(v)
  return type(mt) == "table" and rawget(mt, "__tostring") ~= nil
end

-- tostring that cannot fail (a document of a closed corpus raises).
local function str(v)
  local ok, s = pcall(tostring, v)
  if ok and type(s) == "string" then return s end
  return ("<%s: %s>"):format(trawl_type(v) or type(v), tostring(s))
end

local function fname(f)
  local info = debug.getinfo(f, "S")
  if info.what == "C" then return "function <C>" end
  return ("function <%s:%d>"):format(info.short_src, info.linedefined)
end

-- ------------------------------------------------------------------
-- Nested tables: a tree of pieces first, so the layout (one line or
-- several) is chosen by width and colours are added after measuring
-- ------------------------------------------------------------------

local function leaf(v)
  local tv = type(v)
  if tv == "string" then return {text = quote(cut(v, M.options.inline)), kind = "string"} end
  if tv == "number" then return {text = tostring(v), kind = "number"} end
  if tv == "boolean" or tv == "nil" then return {text = tostring(v), kind = "boolean"} end
  if tv == "function" then return {text = fname(v), kind = "function"} end
  return {text = flat(str(v)), kind = "object"}
end

local function keytext(k)
  if type(k) == "string" and k:match("^[%a_][%w_]*$") and not KEYWORDS[k] then
    return k .. " = "
  end
  return "[" .. leaf(k).text .. "] = "
end

local function keyorder(a, b)
  local ta, tb = type(a), type(b)
  if ta ~= tb then return ta < tb end
  if ta == "number" or ta == "string" then return a < b end
  return tostring(a) < tostring(b)
end

local function build(v, depth, seen)
  if type(v) ~= "table" or has_tostring(v) then return leaf(v) end
  if seen[v] then return {text = "<cycle>", kind = "note"} end
  if next(v) == nil then return {text = "{}", kind = "plain"} end
  if depth >= M.options.depth then return {text = "{…}", kind = "note"} end
  seen[v] = true
  local items, n, max = {}, rawlen(v), M.options.items
  for i = 1, math.min(n, max) do
    items[i] = {node = build(rawget(v, i), depth + 1, seen)}
  end
  local keys = {}
  for k in next, v do
    if not (math.type(k) == "integer" and k >= 1 and k <= n) then keys[#keys + 1] = k end
  end
  table.sort(keys, keyorder)
  for _, k in ipairs(keys) do
    if #items >= max then break end
    items[#items + 1] = {key = keytext(k), node = build(rawget(v, k), depth + 1, seen)}
  end
  seen[v] = nil -- shared (not cyclic) tables show wherever they occur
  return {items = items, more = n + #keys - #items}
end

local function more_items(node)
  return ("… %d more"):format(node.more)
end

-- Columns of a node laid out on one line.
local function measure(node)
  if node.w then return node.w end
  if node.text then
    node.w = width(node.text)
  else
    local w = 2
    for i, it in ipairs(node.items) do
      w = w + (i > 1 and 2 or 0) + (it.key and width(it.key) or 0) + measure(it.node)
    end
    if node.more > 0 then w = w + 2 + width(more_items(node)) end
    node.w = w
  end
  return node.w
end

-- A node as text; avail: columns left on the current line.
local function render(node, ctx, indent, avail)
  if node.text then return paint(ctx, node.kind, node.text) end
  local parts = {}
  if measure(node) <= avail then
    for i, it in ipairs(node.items) do
      parts[i] = (it.key or "") .. render(it.node, ctx, indent, math.huge)
    end
    if node.more > 0 then parts[#parts + 1] = paint(ctx, "note", more_items(node)) end
    return "{" .. table.concat(parts, ", ") .. "}"
  end
  local pad = indent .. "  "
  local w = ctx.width or 80
  -- a list of plain values: as many on a line as fit
  local packed = true
  for _, it in ipairs(node.items) do
    if it.key or not it.node.text then packed = false break end
  end
  if packed then
    local line, lw = {}, #pad
    for _, it in ipairs(node.items) do
      local iw = it.node.w + 2
      if #line > 0 and lw + iw > w then
        parts[#parts + 1] = pad .. table.concat(line, ", ") .. ","
        line, lw = {}, #pad
      end
      line[#line + 1] = render(it.node, ctx, pad, math.huge)
      lw = lw + iw
    end
    parts[#parts + 1] = pad .. table.concat(line, ", ") .. ","
    if node.more > 0 then parts[#parts + 1] = pad .. paint(ctx, "note", more_items(node)) end
    return "{\n" .. table.concat(parts, "\n") .. "\n" .. indent .. "}"
  end
  for i, it in ipairs(node.items) do
    local key = it.key or ""
    parts[i] = pad .. key ..
      render(it.node, ctx, pad, w - #pad - width(key) - 1) .. ","
  end
  if node.more > 0 then parts[#parts + 1] = pad .. paint(ctx, "note", more_items(node)) end
  return "{\n" .. table.concat(parts, "\n") .. "\n" .. indent .. "}"
end

local PLAIN = {color = false}

-- A value on one line, for table cells (short: nested tables in at most 20
-- columns, so they give way to text).
local function inline(v, short)
  local t = trawl_type(v)
  if t == "trawl.Doc" then return v.id end
  if t == "trawl.Token" or t == "trawl.Span" then return v.text end
  if t == "trawl.Corpus" then return v.path end
  if v == nil then return "" end
  if type(v) == "string" then return v end
  if math.type(v) == "float" then return ("%.4g"):format(v) end
  local depth = math.max(0, M.options.depth - 2)
  local s = render(build(v, depth, {}), PLAIN, "", math.huge)
  return short and cut(s, 20) or s
end

-- ------------------------------------------------------------------
-- Lists of rows as aligned tables
-- ------------------------------------------------------------------

-- Rows (lists of cells) under head, fitted to the width: the widest
-- columns give way first. more: rows left out.
local function grid(ctx, head, rows, right, more)
  local ncol, widths, total = #head, {}, 2 * (#head - 1)
  for c = 1, ncol do
    local w = width(head[c])
    for _, r in ipairs(rows) do
      r[c] = flat(r[c])
      w = math.max(w, math.min(width(r[c]), 200))
    end
    widths[c] = w
    total = total + w
  end
  while total > (ctx.width or 80) do
    local widest, wmax = nil, 8
    for c = 1, ncol do
      if widths[c] > wmax then widest, wmax = c, widths[c] end
    end
    if not widest then break end
    widths[widest], total = wmax - 1, total - 1
  end
  local cells, cols = {}, {}
  for i, r in ipairs(rows) do
    cells[i] = {}
    for c = 1, ncol do cells[i][c] = cut(r[c], widths[c]) end
  end
  for c = 1, ncol do
    cols[c] = {c, title = cut(head[c], widths[c]), align = right[c] and "right" or nil}
  end
  local text = fmt.table(cells, cols)
  if ctx.color then
    text = text:gsub("^([^\n]*)\n([^\n]*)", function(h, rule)
      return paint(ctx, "head", h) .. "\n" .. paint(ctx, "note", rule)
    end)
  end
  if more > 0 then
    text = text .. "\n" .. paint(ctx, "note", ("… %d more row%s"):format(more, more == 1 and "" or "s"))
  end
  return text
end

-- Is v a list of records (tables with string keys), or of trawl values of
-- one kind? Returns the kind ("table", "trawl.Doc", ...) and, for
-- records, the keys of all rows.
local function rows_kind(v)
  local n = rawlen(v)
  if n == 0 then return nil end
  for k in next, v do
    if not (math.type(k) == "integer" and k >= 1 and k <= n) then return nil end
  end
  local kind, keys, seen = nil, {}, {}
  for i = 1, n do
    local r = rawget(v, i)
    local t = trawl_type(r) or (type(r) == "table" and not has_tostring(r) and "table")
    if not t or (kind and kind ~= t) then return nil end
    kind = t
    if t == "table" then
      if next(r) == nil or rawlen(r) > 0 then return nil end
      for k in next, r do
        if type(k) ~= "string" then return nil end
        if not seen[k] then
          seen[k] = true
          keys[#keys + 1] = k
          if #keys > 24 then return nil end -- too wide for a table
        end
      end
    end
  end
  return kind, keys
end

local FIRST = {id = 1, name = 2, doc = 3, title = 4, date = 5, text = 6, kind = 7}

local function keys_first(a, b)
  local fa, fb = FIRST[a] or 99, FIRST[b] or 99
  if fa ~= fb then return fa < fb end
  return a < b
end

local context -- below

-- The first `shown` rows of a list of the given kind.
local function rows_of(kind, list, shown, keys)
  local head, rows, right = {"#"}, {}, {true}
  local function add(...)
    for _, h in ipairs{...} do head[#head + 1] = h end
  end
  if kind == "table" then
    table.sort(keys, keys_first)
    add(table.unpack(keys))
    for c, k in ipairs(keys) do
      local numeric = true
      for i = 1, shown do
        local x = rawget(rawget(list, i), k)
        if x ~= nil and type(x) ~= "number" then numeric = false end
      end
      right[c + 1] = numeric
    end
  elseif kind == "trawl.Doc" then
    add("id", "date", "title", "bytes")
    right[5] = true
  elseif kind == "trawl.Token" then
    add("text", "kind", "doc", "start", "context")
    right[5] = true
  elseif kind == "trawl.Span" then
    add("kind", "doc", "start", "stop", "text")
    right[4], right[5] = true, true
  else
    add("value")
  end
  for i = 1, shown do
    local v = rawget(list, i)
    local row = {tostring(i)}
    if kind == "table" then
      for _, k in ipairs(keys) do row[#row + 1] = inline(rawget(v, k), true) end
    elseif kind == "trawl.Doc" then
      row = {row[1], v.id, v.date or "", v.title or "", tostring(v.len)}
    elseif kind == "trawl.Token" then
      row = {row[1], v.text, v.kind, v.doc.id, tostring(v.start),
             context(v.doc, v.start, v.stop, v.index, v.index, PLAIN, 60, 3)}
    elseif kind == "trawl.Span" then
      row = {row[1], v.kind, v.doc.id, tostring(v.start), tostring(v.stop), v.text}
    else
      row[2] = str(v)
    end
    rows[i] = row
  end
  return head, rows, right
end

-- Drop columns that repeat an earlier one cell for cell (a search hit's
-- doc next to its id).
local function drop_repeats(head, rows, right)
  for c = #head, 2, -1 do
    for e = 2, c - 1 do
      local same = true
      for _, r in ipairs(rows) do
        if r[c] ~= r[e] then same = false break end
      end
      if same then
        table.remove(head, c)
        table.remove(right, c)
        for _, r in ipairs(rows) do table.remove(r, c) end
        break
      end
    end
  end
end

local function show_rows(ctx, kind, list, total, keys)
  local shown = math.min(total, M.options.rows)
  local head, rows, right = rows_of(kind, list, shown, keys)
  if kind == "table" then drop_repeats(head, rows, right) end
  return grid(ctx, head, rows, right, total - shown)
end

-- ------------------------------------------------------------------
-- Tokens, spans, documents, corpora
-- ------------------------------------------------------------------

-- Whole characters only: move a byte position off continuation bytes.
local function char_start(s, i)
  while i > 1 and i <= #s and (s:byte(i) & 0xC0) == 0x80 do i = i - 1 end
  return i
end

-- Bytes a..b of document d with a few tokens on each side (tokens
-- first..last are the focus; nil: go by bytes), fitted to avail columns:
-- the focus underlined (or in [brackets] without colour).
function context(d, a, b, first, last, ctx, avail, k)
  k = k or M.options.context
  local len = #d
  local from, to
  if first then
    local n = d:ntokens()
    from = first - k >= 1 and d:token(first - k).start or 1
    to = last + k <= n and d:token(last + k).stop or len
  else
    local text = d.text
    from = char_start(text, math.max(1, a - 8 * k))
    to = char_start(text, math.min(len + 1, b + 8 * k + 1)) - 1
  end
  local before, focus, after = flat(d:sub(from, a - 1)), flat(d:sub(a, b)), flat(d:sub(b + 1, to))
  if from > 1 then before = "…" .. before end
  if to < len then after = after .. "…" end
  local extra = ctx.color and 0 or 2
  if width(focus) + extra > avail - 10 then focus = cut(focus, math.max(avail - 10 - extra, 8)) end
  local room = math.max(avail - width(focus) - extra, 0)
  local lw, rw = room // 2, room - room // 2
  local bw, aw = width(before), width(after)
  if bw < lw then
    lw, rw = bw, rw + lw - bw
  elseif aw < rw then
    lw, rw = lw + rw - aw, aw
  end
  -- cut context at word boundaries: a word cut in half reads as another
  local left, right = cut_left(before, lw), cut(after, rw)
  if left ~= before then left = left:gsub("^…%S*%s*", "…") end
  if right ~= after then right = right:gsub("%s*%S*…$", "…") end
  local mark = ctx.color and paint(ctx, "mark", focus) or "[" .. focus .. "]"
  return left .. mark .. right
end

local function show_token(t, ctx)
  local d, w = t.doc, ctx.width or 80
  return paint(ctx, "object", cut(str(t) .. " in " .. d.id, w)) .. "\n  " ..
    context(d, t.start, t.stop, t.index, t.index, ctx, w - 2)
end

local function show_span(s, ctx)
  local d, w, n = s.doc, ctx.width or 80, s:ntokens()
  local what = s.kind == "span" and "span" or s.kind .. " " .. s.index
  local head = ("trawl.Span %s, bytes %d-%d, %d token%s, in %s"):format(
    what, s.start, s.stop, n, n == 1 and "" or "s", d.id)
  local lines = {paint(ctx, "object", cut(head, w))}
  local text = s.text
  if width(flat(text)) <= w - 20 then
    local first
    for t in s:tokens() do first = t.index break end
    lines[2] = "  " .. context(d, s.start, s.stop, first, first and first + n - 1, ctx, w - 2)
  else
    local wrapped, stop = wrap(text, w - 2, M.options.text * 2)
    for _, l in ipairs(wrapped) do lines[#lines + 1] = "  " .. l end
    local more = more_bytes(ctx, text, stop)
    if more then lines[#lines + 1] = "  " .. more end
  end
  return table.concat(lines, "\n")
end

local function show_doc(d, ctx)
  local w = ctx.width or 80
  local lines, info = {paint(ctx, "object", cut(str(d), w))}, {}
  for _, k in ipairs{"date", "source", "author", "path"} do
    if d[k] then info[#info + 1] = k .. " " .. d[k] end
  end
  local meta = d.meta
  if next(meta) then info[#info + 1] = "meta " .. inline(meta) end
  if #info > 0 then
    lines[#lines + 1] = "  " .. paint(ctx, "note", cut(table.concat(info, " · "), w - 2))
  end
  local text = d.text
  local wrapped, stop = wrap(text, w - 2, M.options.text)
  for _, l in ipairs(wrapped) do lines[#lines + 1] = "  " .. l end
  local more = more_bytes(ctx, text, stop)
  if more then lines[#lines + 1] = "  " .. more end
  return table.concat(lines, "\n")
end

local function show_corpus(c, ctx)
  local w = ctx.width or 80
  local lines, info = {paint(ctx, "object", cut(str(c), w))}, {}
  if c.store then info[#info + 1] = "store " .. c.store end
  info[#info + 1] = c.bytes .. " bytes"
  local problems = #c.problems
  if problems > 0 then info[#info + 1] = problems .. " load problems (.problems)" end
  lines[2] = "  " .. paint(ctx, "note", cut(table.concat(info, " · "), w - 2))
  local docs = {}
  for d in c:docs() do
    if #docs >= M.options.rows then break end
    docs[#docs + 1] = d
  end
  if #docs > 0 then
    local head, rows, right = rows_of("trawl.Doc", docs, #docs)
    lines[3] = grid(ctx, head, rows, right, #c - #docs)
  end
  return table.concat(lines, "\n")
end

-- A string on its own: as it is (like print), up to a limit.
local function show_string(s, ctx)
  local o = M.options
  local stop = #s
  if stop > o.bytes then stop = char_start(s, o.bytes + 1) - 1 end
  local pos = 0
  for _ = 1, o.lines do
    pos = s:find("\n", pos + 1, true)
    if not pos or pos > stop then break end
  end
  if pos and pos < stop then stop = pos - 1 end
  local more = more_bytes(ctx, s, stop)
  return more and s:sub(1, stop) .. "\n" .. more or s
end

local function show1(v, ctx)
  local t = trawl_type(v)
  if t == "trawl.Token" then return show_token(v, ctx) end
  if t == "trawl.Span" then return show_span(v, ctx) end
  if t == "trawl.Doc" then return show_doc(v, ctx) end
  if t == "trawl.Corpus" then return show_corpus(v, ctx) end
  if type(v) == "string" then return show_string(v, ctx) end
  if type(v) == "table" and not has_tostring(v) then
    local kind, keys = rows_kind(v)
    if kind then return show_rows(ctx, kind, v, rawlen(v), keys) end
  end
  return render(build(v, 0, {}), ctx, "", ctx.width or 80)
end

--- The values a statement returned, as text for people. ctx: {color =
-- use ANSI colours, width = columns}. Values that cannot be shown (a
-- closed corpus) fall back to tostring.
function M.show(ctx, ...)
  local out, multi = {}, false
  local n = select("#", ...)
  for i = 1, math.min(n, M.options.items) do
    local v = (select(i, ...))
    local ok, s = pcall(show1, v, ctx)
    if not ok then s = str(v) end
    out[i] = s
    multi = multi or s:find("\n", 1, true) ~= nil
  end
  if n > #out then out[#out + 1] = paint(ctx, "note", ("… %d more values"):format(n - #out)) end
  return table.concat(out, multi and "\n" or "\t")
end

-- ------------------------------------------------------------------
-- :help
-- ------------------------------------------------------------------

local OVERVIEW = [[
Commands
  EXPR, =EXPR      show the values of an expression
  :help [TOPIC]    this text; a document by name; the part of lua-api.md about
                   a name (:help search, :help open, :help Token, :help tokens)
  :load FILE       run a Lua file in this session
  :time EXPR       run EXPR, show its values and how long it took
  :rules FILE      load a rule file and apply it to the corpus (with the
                   session's other rule files); then corpus:entities(),
                   corpus:entity("id"):variants(), corpus:cooccur{...}
  :reload          a fresh Lua state: globals are gone, modules and the corpus
                   are read again, rule files applied again
  :quit            leave (Ctrl-D does too)
Keys
  Tab              complete names, fields, methods; file names inside strings;
                   entity ids inside entity("...")
  Up, Down         history ($TRAWL_HISTORY, default ~/.trawl_history)
  Ctrl-C           stop a running statement, or clear the line
Globals
  corpus           the corpus given on the command line (also trawl.corpus())
  rulesets         the rule files loaded with --rules or :rules
  trawl            the trawl module; require "trawl.repl" sets how values show

Who is mentioned with an actor? (after --rules or :rules)
  for _, e in ipairs(corpus:cooccur{within = "sentence"}.edges) do
    if e.source == "al-khazali" or e.target == "al-khazali" then
      print(e.source, e.target, e.weight) end end]]

local function read_file(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("a")
  f:close()
  return s
end

-- Headings of a markdown text (outside code fences), each with the range of
-- lines its section covers.
local function sections(text)
  local lines, secs, fence = {}, {}, false
  for l in (text:gsub("\n?$", "\n")):gmatch("(.-)\n") do lines[#lines + 1] = l end
  for i, l in ipairs(lines) do
    if l:match("^```") then
      fence = not fence
    elseif not fence then
      local hashes, title = l:match("^(#+)%s+(.-)%s*$")
      if hashes then secs[#secs + 1] = {level = #hashes, title = title, first = i} end
    end
  end
  for j, s in ipairs(secs) do
    s.last = #lines
    for k = j + 1, #secs do
      if secs[k].level <= s.level then
        s.last = secs[k].first - 1
        break
      end
    end
    while s.last > s.first and lines[s.last]:match("^%s*$") do s.last = s.last - 1 end
  end
  return secs, lines
end

-- How well a heading matches the topic: 5 its name (`c:search`), 4 the
-- name's last part (`search`), 3 a word of it, 2 a part of a word.
local function score(title, topic)
  local t = title:lower():gsub("`", "")
  local name = (t:match("^([^%s(]+)") or t):gsub("[,;:.]$", "")
  if name == topic then return 5 end
  if name:match("([%w_]+)$") == topic then return 4 end
  for w in t:gmatch("[%w_]+") do
    if w == topic then return 3 end
  end
  return t:find(topic, 1, true) and 2 or 0
end

local function paint_md(ctx, lines, first, last)
  local out = {}
  for i = first, last do
    local l = lines[i]
    out[#out + 1] = l:match("^#+%s") and paint(ctx, "head", l) or l
  end
  return table.concat(out, "\n")
end

-- Table rows of lua-api.md whose first cell names the topic (`d:tokens(`,
-- `t.norm`), under their section's heading and the table's header.
local function rows_about(ctx, secs, lines, topic)
  local found = {}
  for i, l in ipairs(lines) do
    local first = l:match("^|([^|]*)|")
    if first and not l:match("^|%-") then
      for code in first:gmatch("`([^`]+)`") do
        local name = (code:match("^([^(%s]+)") or code):lower()
        if name:match("([%w_]+)$") == topic then
          found[#found + 1] = i
          break
        end
      end
    end
  end
  if #found == 0 then return nil end
  local out, last_head = {}, nil
  for _, i in ipairs(found) do
    local sec
    for _, s in ipairs(secs) do
      if s.first < i then sec = s end
    end
    local top = i
    while top > 1 and lines[top - 1]:match("^|") do top = top - 1 end
    local head = (sec and sec.title or "") .. "\0" .. top
    if head ~= last_head then
      if #out > 0 then out[#out + 1] = "" end
      if sec then out[#out + 1] = paint(ctx, "head", lines[sec.first]) .. "\n" end
      out[#out + 1] = lines[top] .. "\n" .. lines[top + 1]
      last_head = head
    end
    out[#out + 1] = lines[i]
  end
  return table.concat(out, "\n")
end

--- Text for `:help [topic]`: dir is the documentation directory, files the
-- names of its .md files (without .md). Returns the text, or nil and a
-- message.
function M.help(ctx, topic, dir, files)
  table.sort(files)
  local list = #files > 0 and table.concat(files, ", ")
    or ("none found in %s (set TRAWL_DOCS)"):format(dir)
  if not topic or topic == "" then
    return OVERVIEW .. "\nDocuments (:help NAME shows one)\n  " .. list
  end
  local want = topic:lower():gsub("%.md$", "")
  for _, f in ipairs(files) do
    if f:lower() == want then
      local text = read_file(dir .. "/" .. f .. ".md")
      if not text then return nil, "cannot read " .. dir .. "/" .. f .. ".md" end
      local _, lines = sections(text)
      return paint_md(ctx, lines, 1, #lines)
    end
  end
  -- lua-api.md first: its headings by name, then its table rows, then the
  -- headings of every document.
  local docs = {}
  for _, f in ipairs(files) do
    local text = read_file(dir .. "/" .. f .. ".md")
    if text then
      local secs, lines = sections(text)
      local d = {name = f, secs = secs, lines = lines}
      if f == "lua-api" then table.insert(docs, 1, d) else docs[#docs + 1] = d end
    end
  end
  local api = docs[1] and docs[1].name == "lua-api" and docs[1]
  local best, best_doc, best_score = nil, nil, 0
  for _, d in ipairs(docs) do
    for _, s in ipairs(d.secs) do
      local sc = score(s.title, want)
      if sc > best_score then best, best_doc, best_score = s, d, sc end
    end
    if d == api and best_score >= 4 then break end
  end
  if api and best_doc ~= api or best_score < 4 then
    local rows = api and rows_about(ctx, api.secs, api.lines, want)
    if rows then return rows end
  end
  if best then return paint_md(ctx, best_doc.lines, best.first, best.last) end
  return nil, ("no help about '%s' (:help lists the documents)"):format(topic)
end

--- :rules and --rules: load the rule files and apply them, all together, to
-- the session's corpus. The rulesets are kept in the global `rulesets`.
-- Returns a summary, or nil and the message.
function M.rules(ctx, files)
  local trawl = require "trawl"
  local list = {}
  for _, f in ipairs(files) do
    local rs, err = trawl.rules.load(f)
    if not rs then return nil, err end
    list[#list + 1] = rs
  end
  rawset(_G, "rulesets", list)
  local c = rawget(_G, "corpus")
  local names = {}
  for _, rs in ipairs(list) do names[#names + 1] = rs.name .. " " .. rs.version end
  if not c then
    return ("loaded %s (no corpus to apply them to)"):format(table.concat(names, ", "))
  end
  local st, err = c:apply(list)
  if not st then return nil, err end
  local lines = {("applied %s: %d mentions in %d documents; try corpus:entities()"):format(
    table.concat(names, ", "), st.mentions, st.docs)}
  for _, f in ipairs(st.failed) do
    lines[#lines + 1] = ("rule '%s' of %s failed: %s"):format(f.rule, f.ruleset, f.error)
  end
  return table.concat(lines, "\n")
end

return M

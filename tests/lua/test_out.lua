-- LuaUnit tests of the output layer (trawl.out, trawl.html), run inside the
-- trawl binary from the repository root:
--   trawl run tests/lua/test_out.lua
-- Every format has a golden file under tests/golden/out/. A mismatch names
-- the first differing line and leaves the new output beside the build's
-- temporary files; TRAWL_UPDATE_GOLDEN=1 rewrites the golden files (review
-- the diff before committing them).
local lu = require "luaunit"
local trawl = require "trawl"
local out = require "trawl.out"
local html = require "trawl.html"

local GOLDEN = "tests/golden/out/"
local UPDATE = os.getenv("TRAWL_UPDATE_GOLDEN") == "1"
local tmp = (os.getenv("TRAWL_TEST_TMP") or "/tmp") .. "/out"
os.execute("mkdir -p '" .. tmp .. "'")

local function read(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("a")
  f:close()
  return s
end

local function write(path, s)
  local f = assert(io.open(path, "wb"))
  f:write(s)
  f:close()
end

local function lines(s)
  local list = {}
  for l in (s .. (s:sub(-1) == "\n" and "" or "\n")):gmatch("(.-)\n") do list[#list + 1] = l end
  return list
end

-- Compare with a golden file; on a mismatch, fail with the first
-- differing line (and a few around it) and the command to see it all.
local function golden(name, got)
  local path = GOLDEN .. name
  if UPDATE then
    write(path, got)
    return
  end
  local want = read(path)
  if want == nil then
    lu.fail(("no golden file %s: run with TRAWL_UPDATE_GOLDEN=1 to create it"):format(path))
  end
  if want == got then return end
  local gotpath = tmp .. "/" .. name .. ".got"
  write(gotpath, got)
  local a, b = lines(want), lines(got)
  local i = 1
  while i <= math.max(#a, #b) and a[i] == b[i] do i = i + 1 end
  local hint = {("%s differs from the output, first at line %d (golden %d lines, output %d lines):")
    :format(path, i, #a, #b)}
  for k = math.max(1, i - 2), i - 1 do hint[#hint + 1] = "   " .. a[k] end
  for k = i, math.min(i + 2, #a) do hint[#hint + 1] = " - " .. a[k] end
  for k = i, math.min(i + 2, #b) do hint[#hint + 1] = " + " .. b[k] end
  hint[#hint + 1] = ("see: diff -u %s %s   (TRAWL_UPDATE_GOLDEN=1 accepts the output)"):format(path, gotpath)
  lu.fail(table.concat(hint, "\n"))
end

-- assertStrContains prints the whole string on failure; a report is too
-- long for that, so this names only what is missing.
local function has(s, sub)
  if not s:find(sub, 1, true) then lu.fail("output lacks: " .. sub) end
end

-- Sample data ----------------------------------------------------------------

local ROWS = {
  {term = "militia", n = 41, ll = 40.123456, docs = 5, note = "plain", stop = false},
  {term = "Kata’ib", n = 17, ll = 18.5, docs = 3, note = 'say "hi", then | leave', stop = false},
  {term = "日本語", n = 2, ll = 0.1 + 0.2, docs = 1, note = "line one\nline two", stop = true},
  {term = "الحشد", n = 3, ll = -2.25, docs = 1, tags = {"ar", "PMF"}},
  {term = "back\\slash *star* _under_", n = 1, ll = 1e-05},
}
local COLS = {
  {"term", title = "Term", max = 14}, {"n", title = "Count"},
  {"ll", title = "Log-lik.", format = "%.2f"}, {"docs", title = "Docs"},
  {"note", title = "Note"}, {"tags", title = "Tags"},
}

local GRAPH = {
  title = "Entities & co",
  nodes = {
    {id = "kadhimi", label = "Mustafa al-Kadhimi", type = "PERSON", weight = 37},
    {id = "kh", label = "Kata’ib Hezbollah", type = "ORG", weight = 28, founded = 2003},
    {id = "q", label = 'Tricky <"&\'> label\nwith a line break', type = "ORG", weight = 2.5},
    {id = 4, label = "Iran", type = "GPE", weight = 21, state = true},
    {id = "back\\slash", type = "GPE"},
  },
  edges = {
    {source = "kadhimi", target = "kh", weight = 12, label = "raid"},
    {source = "kh", target = 4, weight = 8},
    {source = "q", target = "kadhimi", weight = 0.5, label = "a & b"},
    {source = "back\\slash", target = 4},
  },
}

-- A small well-formedness check for XML: tags balance, attribute values
-- and text hold no bare < or &, and the right root element is used.
local function check_xml(s, root)
  lu.assertStrContains(s, '<?xml version="1.0" encoding="UTF-8"?>')
  local body = s:gsub("^<%?xml[^>]*%?>", "")
  local stack = {}
  local pos = 1
  while true do
    local a, b, close, name, attrs, selfclose = body:find("<(/?)([%w:_.-]+)([^<>]-)(/?)>", pos)
    local text = body:sub(pos, (a or #body + 1) - 1)
    lu.assertNil(text:find("<"), "bare < in text: " .. text)
    for amp in text:gmatch("&[^;]*;?") do lu.assertStrMatches(amp, "&[#%w]+;") end
    if not a then break end
    for _, v in attrs:gmatch('([%w:_.-]+)="([^"]*)"') do
      lu.assertNil(v:find("<"), "bare < in attribute")
      for amp in v:gmatch("&[^;]*;?") do lu.assertStrMatches(amp, "&[#%w]+;") end
    end
    if close == "/" then
      lu.assertEquals(table.remove(stack), name, "closing tag matches")
    elseif selfclose ~= "/" then
      stack[#stack + 1] = name
    end
    if #stack == 0 and close == "" and selfclose ~= "/" then stack.root = name end
    stack.root = stack.root or name
    pos = b + 1
  end
  lu.assertEquals(#stack, 0, "every tag is closed")
  lu.assertEquals(stack.root, root)
end

-- A minimal RFC 4180 reader, to check that CSV reads back as written.
local function read_csv(s)
  local records, record, field, i, n = {}, {}, {}, 1, #s
  local quoted = false
  while i <= n do
    local c = s:sub(i, i)
    if quoted then
      if c == '"' and s:sub(i + 1, i + 1) == '"' then field[#field + 1] = '"' i = i + 1
      elseif c == '"' then quoted = false
      else field[#field + 1] = c end
    elseif c == '"' then quoted = true
    elseif c == "," then record[#record + 1] = table.concat(field) field = {}
    elseif c == "\r" and s:sub(i + 1, i + 1) == "\n" then
      record[#record + 1] = table.concat(field)
      records[#records + 1] = record
      record, field = {}, {}
      i = i + 1
    else field[#field + 1] = c end
    i = i + 1
  end
  return records
end

-- Tables, Markdown -------------------------------------------------------------

TestCells = {}

function TestCells:test_cell_formatting()
  lu.assertEquals(out.cell({v = 3}, {"v"}), "3")
  lu.assertEquals(out.cell({v = 3.0}, {"v"}), "3")
  lu.assertEquals(out.cell({v = 0.1 + 0.2}, {"v"}), "0.3")
  lu.assertEquals(out.cell({v = 1 / 3}, {"v", format = "%.2f"}), "0.33")
  lu.assertEquals(out.cell({v = "x"}, {"v", format = "%.2f"}), "x")
  lu.assertEquals(out.cell({}, {"v"}), "")
  lu.assertEquals(out.cell({v = true}, {"v"}), "true")
  lu.assertEquals(out.cell({v = {"a", 2}}, {"v"}), "a, 2")
  lu.assertEquals(out.cell({v = {k = 1}}, {"v"}), '{"k":1}')
  lu.assertEquals(out.cell({v = 5, w = 2}, {"v", format = function(v, row) return v * row.w end}), "10")
end

function TestCells:test_columns_default_and_alignment()
  local cols = out.columns({{b = 1, a = "x"}, {c = 2.5, a = "y", b = "3"}})
  lu.assertEquals(#cols, 3)
  lu.assertEquals(cols[1].key, "a")
  lu.assertEquals(cols[2].align, "left") -- a string among numbers
  lu.assertEquals(cols[3].align, "right")
  lu.assertEquals(out.columns({{n = 1}}, {{"n", align = "left"}})[1].align, "left")
  lu.assertEquals(out.columns({{n = 1}}, {"n"})[1].title, "n")
  lu.assertErrorMsgContains("no key", out.columns, {}, {{title = "x"}})
end

TestTable = {}

function TestTable:test_golden()
  golden("rows.txt", out.table(ROWS, COLS))
end

function TestTable:test_aligned_by_display_width()
  local t = out.table({{a = "日本", b = 1}, {a = "ab", b = 22}}, {{"a"}, {"b"}})
  local l = lines(t)
  lu.assertEquals(#l, 4)
  -- The second column ends at the same display column on every row.
  lu.assertEquals(trawl.width(l[3]), trawl.width(l[4]))
  lu.assertEquals(l[4], "ab    22")
  lu.assertEquals(t:sub(-1), "\n")
end

function TestTable:test_colour_only_when_asked()
  lu.assertNil(out.table(ROWS, COLS):find("\27", 1, true))
  local c = out.table(ROWS, COLS, {color = true})
  lu.assertStrContains(c, "\27[1mTerm")
  lu.assertEquals(c:gsub("\27%[%d+m", ""), out.table(ROWS, COLS))
end

TestMarkdown = {}

function TestMarkdown:test_golden()
  golden("rows.md", out.markdown(ROWS, COLS))
end

function TestMarkdown:test_escapes_and_alignment_row()
  local md = out.markdown({{a = "x|y", b = 1}, {a = "two\nlines", b = 22}}, {{"a", title = "A|B"}, {"b"}})
  local l = lines(md)
  lu.assertEquals(l[1], "| A\\|B      |   b |")
  lu.assertEquals(l[2], "| --------- | --: |")
  lu.assertEquals(l[3], "| x\\|y      |   1 |")
  lu.assertEquals(l[4], "| two lines |  22 |")
  -- Every row has the same number of unescaped pipes.
  for _, line in ipairs(l) do
    lu.assertEquals(select(2, line:gsub("\\|", ""):gsub("|", "")), 3)
  end
end

-- CSV, JSON ----------------------------------------------------------------------

TestCsv = {}

function TestCsv:test_golden()
  golden("rows.csv", out.csv(ROWS, COLS))
end

function TestCsv:test_reads_back()
  local recs = read_csv(out.csv(ROWS, COLS))
  lu.assertEquals(recs[1], {"term", "n", "ll", "docs", "note", "tags"})
  lu.assertEquals(#recs, #ROWS + 1)
  lu.assertEquals(recs[3][5], 'say "hi", then | leave')
  lu.assertEquals(recs[4][5], "line one\nline two")
  lu.assertEquals(recs[2][3], "40.123456") -- full precision, not the display format
  lu.assertEquals(recs[5][6], '["ar","PMF"]')
  lu.assertEquals(recs[6][4], "")
end

function TestCsv:test_titles_and_bom()
  local s = out.csv({{a = 1}}, {{"a", title = "Alpha"}}, {titles = true, bom = true})
  lu.assertEquals(s, "\239\187\191Alpha\r\n1\r\n")
end

TestJson = {}

function TestJson:test_golden()
  golden("rows.json", out.json(ROWS, {indent = 2}))
  golden("rows.jsonl", out.jsonl(ROWS))
end

function TestJson:test_round_trip()
  local v = {a = {1, 2.5, "x"}, b = {c = true, d = "é\n\"q\""}, e = {}}
  lu.assertEquals(trawl.json_decode(out.json(v)), v)
  lu.assertEquals(trawl.json_decode(out.json(v, {indent = 2})), v)
  lu.assertEquals(out.json({b = 1, a = {}}), '{"a":{},"b":1}\n')
  lu.assertEquals(out.json({}, {indent = 2}), "{}\n")
end

function TestJson:test_jsonl_one_object_per_line()
  local text = out.jsonl(ROWS)
  local l = lines(text)
  lu.assertEquals(#l, #ROWS)
  for i, line in ipairs(l) do lu.assertEquals(trawl.json_decode(line).term, ROWS[i].term) end
  local proj = lines(out.jsonl(ROWS, {"term", "docs"}))
  lu.assertEquals(proj[5], '{"docs":null,"term":"back\\\\slash *star* _under_"}')
  lu.assertEquals(out.jsonl({}), "")
end

TestWrite = {}

function TestWrite:test_file_and_failure()
  local path = os.tmpname()
  lu.assertTrue(out.write(path, "a\r\nb"))
  lu.assertEquals(read(path), "a\r\nb")
  os.remove(path)
  local ok, err = out.write("/no/such/dir/x.txt", "x")
  lu.assertNil(ok)
  lu.assertStrContains(err, "/no/such/dir/x.txt")
  lu.assertTrue(out.write("-", ""))
  lu.assertTrue(out.write(nil, ""))
end

-- Graphs -----------------------------------------------------------------------

TestGraph = {}

function TestGraph:test_graphml_golden_and_well_formed()
  local s = out.graphml(GRAPH)
  golden("graph.graphml", s)
  check_xml(s, "graphml")
  has(s, '<key id="n_weight" for="node" attr.name="weight" attr.type="double"/>')
  has(s, '<key id="n_founded" for="node" attr.name="founded" attr.type="long"/>')
  has(s, '<data key="n_label">Tricky &lt;&quot;&amp;&apos;&gt; label&#10;with a line break</data>')
  has(s, 'edgedefault="undirected"')
end

function TestGraph:test_gexf_golden_and_well_formed()
  local s = out.gexf(GRAPH)
  golden("graph.gexf", s)
  check_xml(s, "gexf")
  has(s, '<edge id="0" source="kadhimi" target="kh" weight="12" label="raid"/>')
  has(s, '<attvalue for="type" value="ORG"/>')
  -- label is native in GEXF, not repeated as an attribute
  lu.assertNil(s:find('attribute id="label"', 1, true))
end

function TestGraph:test_dot_golden_and_quoting()
  local s = out.dot(GRAPH)
  golden("graph.dot", s)
  has(s, 'graph "Entities & co" {')
  has(s, '"q" [label="Tricky <\\"&\'> label\\nwith a line break"')
  has(s, '"back\\\\slash" -- "4"')
  has(s, '"kadhimi" -- "kh" [label="raid", weight=12, penwidth=5.00];')
  local d = out.dot{directed = true, nodes = {{id = "a"}, {id = "b"}}, edges = {{source = "a", target = "b"}}}
  has(d, 'digraph "trawl" {')
  has(d, '"a" -> "b";')
end

function TestGraph:test_directed_xml()
  local g = {directed = true, nodes = {{id = "a"}, {id = "b"}}, edges = {{source = "a", target = "b"}}}
  has(out.graphml(g), 'edgedefault="directed"')
  has(out.gexf(g), 'defaultedgetype="directed"')
  check_xml(out.graphml(g), "graphml")
  check_xml(out.gexf(g), "gexf")
end

function TestGraph:test_bad_bytes_are_replaced()
  local g = {nodes = {{id = "x", label = "caf\xe9 \1 ok"}}, edges = {}}
  local s = out.graphml(g)
  has(s, "caf\u{FFFD} \u{FFFD} ok")
  lu.assertNotNil(utf8.len(s))
  lu.assertNotNil(utf8.len(out.dot(g)))
end

function TestGraph:test_programming_errors_raise()
  lu.assertErrorMsgContains("unknown target node 'z'", out.graphml,
    {nodes = {{id = "a"}}, edges = {{source = "a", target = "z"}}})
  lu.assertErrorMsgContains("duplicate node id 'a'", out.gexf, {nodes = {{id = "a"}, {id = "a"}}})
  lu.assertErrorMsgContains("node 1 has no id", out.dot, {nodes = {{label = "x"}}})
  lu.assertErrorMsgContains("list of nodes", out.dot, {})
end

-- HTML -----------------------------------------------------------------------------

local function sample()
  return dofile(GOLDEN .. "report.lua")()
end

local function count(s, pat)
  return select(2, s:gsub(pat, ""))
end

TestHtml = {}

function TestHtml:test_report_golden()
  golden("report.html", sample():render())
end

function TestHtml:test_self_contained()
  local s = sample():render()
  lu.assertNil(s:find("https?://"), "no URLs")
  lu.assertNil(s:find("<link", 1, true))
  lu.assertNil(s:find("<img", 1, true))
  lu.assertNil(s:find("@import", 1, true))
  lu.assertNil(s:find("url(", 1, true))
  lu.assertNil(s:find("<script[^>]*src"))
  lu.assertEquals(count(s, "<script>"), 1)
  has(s, "Content-Security-Policy")
  has(s, "default-src 'none'")
  has(s, "@page{size:A4")
  has(s, "@media print")
end

function TestHtml:test_charts_and_their_data()
  local s = sample():render()
  for _, kind in ipairs{"bars", "network", "timeline", "dispersion"} do
    has(s, 'class="chart chart-' .. kind .. '"')
  end
  lu.assertEquals(count(s, "<svg "), 5)
  lu.assertEquals(count(s, 'role="img" aria%-labelledby="fig%-%d+%-t fig%-%d+%-d"'), 5)
  lu.assertEquals(count(s, '<details class="data">'), 4) -- the timeline lists its events instead
  has(s, "<title>militia: 41 occurrences</title>")
  has(s, "<title>Mustafa al-Kadhimi – Kata’ib Hezbollah: 12</title>")
  has(s, '<ol class="events">')
  has(s, "<h4>Undated (2)</h4>")
  has(s, '<time datetime="2020-06-25">25 Jun 2020</time>')
  has(s, '<table class="kwic">')
  has(s, "Generated by trawl 0.0.0-test on 2024-01-01.")
  has(s, '<a href="#fig-3">Figure 3. Co-occurrence of entities</a>')
end

function TestHtml:test_everything_escaped()
  local s = sample():render()
  lu.assertNil(s:find("<script>alert", 1, true))
  has(s, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;")
  has(s, "denied any role in the &lt;rocket&gt; attacks")
  local r = html.report{title = "<T>", subtitle = "a&b", date = "x", version = "v"}
  r:section("<S>", "<i>"):bars{title = '"q"', items = {{"<b>", 1}}}
  r:network{nodes = {{id = "<n>", type = "<t>"}}, edges = {}}
  r:table({{k = "<td>"}}, {{"k", title = "<th>"}})
  local h = r:render()
  lu.assertNil(h:find("<[TSbint]>"), "no raw user tags")
  lu.assertNil(h:find("<th>", 1, true))
  has(h, "<title>&lt;T&gt;</title>")
end

function TestHtml:test_deterministic()
  local a = sample():render()
  math.randomseed(1)
  local b = sample():render()
  math.randomseed(99)
  lu.assertEquals(sample():render(), a)
  lu.assertEquals(a, b)
  local r = html.report{}
  lu.assertStrMatches(r:render():match("Generated by trawl [^<]*"),
    "Generated by trawl " .. trawl.version:gsub("%p", "%%%0") .. " on %d%d%d%d%-%d%d%-%d%d %d%d:%d%d UTC%.")
end

function TestHtml:test_markdown_text()
  lu.assertEquals(html.markdown("a **b** *c* `d*e*` [f](#g)"),
    '<p>a <strong>b</strong> <em>c</em> <code>d*e*</code> <a href="#g">f</a></p>')
  lu.assertEquals(html.markdown("- one\n- two\n\n1. x\n2. y\n\n### H"),
    "<ul><li>one</li><li>two</li></ul>\n<ol><li>x</li><li>y</li></ol>\n<h5>H</h5>")
  lu.assertEquals(html.markdown("[x](javascript:alert(1))"), "<p>[x](javascript:alert(1))</p>")
  lu.assertEquals(html.markdown("2 * 3 * 4"), "<p>2 * 3 * 4</p>")
end

function TestHtml:test_parse_date()
  local d = html.parse_date("2020-06-25")
  lu.assertEquals({d.precision, d.y, d.m, d.d}, {"day", 2020, 6, 25})
  lu.assertEquals(d.first, 18438) -- days since 1970-01-01
  lu.assertEquals(html.parse_date("2020-06").precision, "month")
  lu.assertEquals(html.parse_date("2020-06").last - html.parse_date("2020-06").first, 29)
  lu.assertEquals(html.parse_date("2020").precision, "year")
  lu.assertEquals(html.parse_date("2020-02-30").precision, "month")
  lu.assertEquals(html.parse_date("2020-XX-25").precision, "year")
  lu.assertEquals(html.parse_date("2020-06-25T10:30").precision, "day")
  lu.assertNil(html.parse_date("XXXX-06-25"))
  lu.assertNil(html.parse_date("June"))
  lu.assertNil(html.parse_date(nil))
  lu.assertEquals(html.parse_date(2020).precision, "year")
  lu.assertEquals(html.parse_date("1969-12-31").first, -1)
end

-- Boxes drawn behind timeline labels: none may overlap another.
local function halos(s)
  local boxes = {}
  for x, y, w, h in s:gmatch('<rect class="halo" x="([-%d.]+)" y="([-%d.]+)" width="([-%d.]+)" height="([-%d.]+)"') do
    boxes[#boxes + 1] = {tonumber(x), tonumber(y), tonumber(x) + tonumber(w), tonumber(y) + tonumber(h)}
  end
  return boxes
end

function TestHtml:test_timeline_labels_do_not_overlap()
  local events = {}
  for i = 1, 30 do
    events[i] = {date = ("2021-03-%02d"):format(1 + i % 7), label = "Event number " .. i .. " with a long label"}
  end
  events[#events + 1] = {date = "2021", label = "The whole year"}
  events[#events + 1] = {date = "2021-05", label = "May"}
  local s = html.report{date = "x"}:timeline{events = events}:render()
  local boxes = halos(s)
  -- Crowded days are merged into marks with a count; every event is
  -- still in the list below.
  lu.assertTrue(#boxes >= 3)
  has(s, ">1–3 Mar 2021: 14 events</text>")
  lu.assertEquals(count(s:match('<ol class="events">.-</ol>'), "<li>"), 32)
  for i = 1, #boxes do
    local a = boxes[i]
    lu.assertTrue(a[1] >= 0 and a[3] <= 880, "inside the chart")
    for j = i + 1, #boxes do
      local b = boxes[j]
      local apart = a[3] <= b[1] or b[3] <= a[1] or a[4] <= b[2] or b[4] <= a[2]
      lu.assertTrue(apart, ("labels %d and %d overlap"):format(i, j))
    end
  end
end

function TestHtml:test_timeline_keeps_sparse_events_apart()
  local s = html.report{date = "x"}:timeline{events = {
    {date = "2020-06-25", label = "a"}, {date = "2020-06-26", label = "b"},
    {date = "2020-06-26", label = "c"}, {date = "2020-09-01", label = "d"}}}:render()
  lu.assertEquals(#halos(s), 4)
  lu.assertNil(s:find("events</text>", 1, true))
  local many = {}
  for i = 1, 40 do many[i] = {date = "2020-06-25", label = "same day " .. i} end
  local t = html.report{date = "x"}:timeline{events = many, max_lanes = 3}:render()
  has(t, ">25 Jun 2020: 40 events</text>")
  has(t, "… and 25 more</title>")
end

function TestHtml:test_timeline_ticks_follow_the_range()
  local function ticks(evs)
    local s = html.report{date = "x"}:timeline{events = evs}:render()
    local list = {}
    for t in s:match('<g class="axis">(.-)</g>'):gmatch(">([^<]+)</text>") do list[#list + 1] = t end
    return list
  end
  local days = ticks{{date = "2020-06-03"}, {date = "2020-06-28"}}
  lu.assertEquals(days[1], "Jun 2020")
  lu.assertEquals(days[2], "15 Jun")
  local months = ticks{{date = "2020-01-03"}, {date = "2020-12-28"}}
  lu.assertEquals(months[1], "Jan 2020")
  lu.assertEquals(months[2], "Feb")
  local years = ticks{{date = "1990"}, {date = "2020-05"}}
  lu.assertEquals(years[1], "1990")
  lu.assertEquals(years[#years], "2020")
  lu.assertTrue(#years <= 13)
end

function TestHtml:test_network_layout()
  local g = {nodes = {}, edges = {}}
  for i = 1, 20 do g.nodes[i] = {id = i, label = "node " .. i, weight = i} end
  for i = 2, 20 do g.edges[#g.edges + 1] = {source = i, target = (i * 7) % (i - 1) + 1, weight = i % 5} end
  local x1, y1 = html.layout(g, 600, 400)
  math.randomseed(12345)
  local x2, y2 = html.layout(g, 600, 400)
  lu.assertEquals(x1, x2)
  lu.assertEquals(y1, y2)
  for i = 1, 20 do
    lu.assertTrue(x1[i] >= 0 and x1[i] <= 600 and y1[i] >= 0 and y1[i] <= 400)
  end
  -- Distinct positions: no two nodes on top of each other.
  for i = 1, 20 do
    for j = i + 1, 20 do
      lu.assertTrue((x1[i] - x1[j]) ^ 2 + (y1[i] - y1[j]) ^ 2 > 25, "nodes apart")
    end
  end
  local s = html.report{date = "x"}:network(g):render()
  lu.assertEquals(count(s, "<circle "), 20)
  lu.assertEquals(count(s, '<g class="labels">'), 1)
  local labels = s:match('<g class="labels">(.-)</g>')
  lu.assertEquals(count(labels, "<text "), 20)
  local d = html.report{date = "x"}:network{directed = true, nodes = {{id = "a"}, {id = "b"}},
    edges = {{source = "a", target = "b"}}}:render()
  has(d, 'marker-end="url(#fig-1-arrow)"')
  has(d, '<marker id="fig-1-arrow"')
end

function TestHtml:test_dispersion_ticks_and_unknown_docs()
  local s = html.report{date = "x"}:dispersion{docs = {"a", {id = "b", label = "Doc B"}},
    terms = {{term = "x", hits = {{doc = "a", pos = 0.5}, {doc = "b", pos = 0}, {doc = "b", pos = 1},
      {doc = "zzz", pos = 0.5}}}}}:render()
  local ticks = 0
  for d in s:gmatch('<g class="hits">.-<path d="([^"]*)"') do ticks = ticks + count(d, "M") end
  lu.assertEquals(ticks, 3)
  has(s, "x in Doc B: 2 hits at 0%, 100%")
  has(s, "1 hits in documents not listed were left out.")
  -- Without docs, the documents come from the hits in order of appearance.
  local t = html.report{date = "x"}:dispersion{terms = {{term = "y", hits = {{doc = "q", pos = 0.1}, {doc = "p", pos = 0.2}}}}}:render()
  lu.assertTrue(t:find("Document 1: q", 1, true) < t:find("Document 2: p", 1, true))
end

function TestHtml:test_kwic_cuts_at_words()
  local s = html.report{date = "x"}:kwic({{left = string.rep("word ", 20) .. "end", match = "HIT",
    right = "after " .. string.rep("more ", 20), doc = "d1"}}, {width = 20}):render()
  has(s, '<td class="left">… word word word end</td><td class="match">HIT</td>')
  has(s, '<td class="right">after more more …</td>')
  lu.assertEquals(html.cut_left("abcdef", 4), "…def")
  lu.assertEquals(html.cut_left("日本語です", 5), "…です")
end

function TestHtml:test_empty_blocks_and_sections()
  local r = html.report{date = "x"}
  r:section("Same"):bars{title = "Nothing", items = {}}
  r:section("Same"):network{nodes = {}, edges = {}}
  r:section("شيء"):timeline{events = {{date = "XXXX", label = "?"}}}
  r:dispersion{terms = {}, docs = {}}
  local s = r:render()
  lu.assertEquals(count(s, '<p class="empty">No data.</p>'), 4)
  has(s, '<section id="same"')
  has(s, '<section id="same-2"')
  has(s, '<section id="section-3"')
end

function TestHtml:test_bars_negative_values_and_format()
  local s = html.report{date = "x"}:bars{items = {{label = "up", value = 2.5}, {label = "down", value = -1.25}},
    format = "%.1f"}:render()
  has(s, '<text class="value" x="874" y="22.5" text-anchor="end">2.5</text>')
  has(s, '<text class="value" x="874" y="46.5" text-anchor="end">-1.2</text>')
  has(s, "<title>down: -1.25</title>")
  has(s, 'class="zero"')
  lu.assertEquals(html.short(12.3456), "12.35")
  lu.assertEquals(html.short(0.000123456), "0.000123")
  lu.assertEquals(html.short(1234.56), "1234.6")
  lu.assertEquals(html.short(7.0), "7")
  lu.assertEquals(html.ticks(0, 41, 5), {0, 10, 20, 30, 40, 50})
  lu.assertEquals(html.ticks(-6.4, 14.62, 5), {-10, -5, 0, 5, 10, 15})
end

-- Results of the analysis library carry documents (userdata) and their
-- own shapes; they render without conversion.
TestAnalysisShapes = {}

function TestAnalysisShapes:test_documents_become_ids()
  local d = trawl.newdoc{text = "Kadhimi met them.", id = "004_x"}
  local rows = {{doc = d, n = 1, list = {d}}}
  lu.assertStrContains(out.table(rows, {"doc", "n"}), "004_x")
  lu.assertEquals(read_csv(out.csv(rows, {"doc", "list"}))[2], {"004_x", '["004_x"]'})
  lu.assertEquals(out.jsonl(rows), '{"doc":"004_x","list":["004_x"],"n":1}\n')
  lu.assertEquals(out.json({d}), '["004_x"]\n')
  lu.assertStrContains(out.graphml{nodes = {{id = "a", doc = d}}}, '<data key="n_doc">004_x</data>')
end

function TestAnalysisShapes:test_timeline_kwic_dispersion()
  local d = trawl.newdoc{text = "On June 25 the raid began.", id = "002_y"}
  local r = html.report{date = "x"}
  r:timeline{events = {
      {date = "2020-06-25", type = "DATE", text = "On June 25 the raid began.", doc = d, docid = "002_y",
       date_text = "June 25", entities = {"kh"}},
      {date = "202X", type = "DATE", text = "In the 2020s.", doc = d, docid = "002_y"}},
    undated = {{date = "XXXX-06-25", date_text = "June 25", text = "Undated.", doc = d, docid = "002_y"}}}
  r:kwic({{doc = d, docid = "002_y", left = "On June 25 the", match = "raid", right = "began.", sentence = 1}})
  r:dispersion{terms = {{term = "raid", docs = {{docid = "002_y", index = 1, count = 2, positions = {0.5, 0.9}}}}}}
  local s = r:render()
  lu.assertNil(s:find("trawl.doc", 1, true), "no userdata addresses")
  has(s, '<span class="doc">002_y</span>')
  has(s, '<span class="when">2020s</span>')
  has(s, '<span class="when">June 25 (XXXX-06-25)</span>')
  has(s, '<tr title="sentence 1"><td class="doc">002_y</td>')
  has(s, "raid in 002_y: 2 hits at 50%, 90%")
  lu.assertEquals(html.parse_date("202X").last - html.parse_date("202X").first + 1, 3653)
end

os.exit(lu.LuaUnit.run())

--- network — who appears with whom? Which actors are mentioned in the same
-- sentences, how often, and in which sentences?
--
-- Usage: trawl run scripts/reports/network.lua CORPUS [options]
--
-- Two actors are linked when they are mentioned in the same sentence; the
-- weight of a link is the number of such sentences. Each link also gets
-- Dunning's log-likelihood (llr) and Dice over sentences (o11: sentences
-- with both; the table is in docs/reports.md), so a link between two
-- actors that are everywhere can be told from a real association. Media,
-- platforms and publishers (entities whose attrs.kind says so) are
-- sources, not actors, and are left out unless --keep-sources. Repeated
-- passages are counted once unless --keep-duplicates.
--
-- Options:
--   --rules FILE        apply this rule file first (repeatable)
--   --ruleset NAME      only the mentions of these rulesets (comma list)
--   --type TYPE         only actors of these types (comma list)
--   --nodes N           the N most mentioned actors (default 40; 0: all)
--   --min-link N        links of at least N sentences (default 2)
--   --top N             links listed (default 20; 0: all)
--   --sort KEY          weight (default), llr or dice
--   --sentences         print the sentences behind each listed link
--   --keep-sources      keep media, platforms and publishers
--   --keep-duplicates   count every copy of a repeated passage
--   --graphml FILE      write the network as GraphML (yEd, Gephi, NetworkX)
--   --gexf FILE         write it as GEXF (Gephi)
--   --dot FILE          write it as DOT (Graphviz: dot -Tsvg FILE)
--   --html FILE         write a drawing of it, with its data, as HTML
--   --format FORMAT     table (default), md, csv, json, jsonl (the links)
--   --out FILE          write the links to FILE instead of stdout
--
-- The exported files hold every node and link that passes --nodes,
-- --type and --min-link (not only the --top listed); nodes carry their
-- mentions, links their weight, llr and dice.
--
-- Exit status: 0 done; 1 no entities (give --rules) or a rule file failed;
-- 2 bad option; 3 the corpus cannot be read or a file cannot be written.
--
-- Example:
--   trawl run scripts/reports/network.lua corpus/ --rules scripts/rules/iraq-2020.lua --gexf actors.gexf
--   trawl run scripts/reports/network.lua corpus/ --sentences --top 3
local report = require "trawl.report"
local out = require "trawl.out"

local o = report.options(arg, {name = "network",
  options = {"rules", "ruleset", "type", "top", "keep-duplicates", "format", "out", "html",
    {"--nodes", "N", kind = "int", min = 0, default = 40},
    {"--min-link", "N", kind = "int", min = 1, default = 2},
    {"--sort", "KEY", kind = "choice", choices = {"weight", "llr", "dice"}, default = "weight"},
    {"--sentences", kind = "flag"},
    {"--keep-sources", kind = "flag"},
    {"--graphml", "FILE", kind = "string"},
    {"--gexf", "FILE", kind = "string"},
    {"--dot", "FILE", kind = "string"}},
  defaults = {top = 20}})
local c = report.open(o)
local short = report.short_ids(c)
local rep = report.repeats(c, o)
local all = report.actors(c, o, rep)
if #all == 0 then report.fail(report.NO_ENTITIES, 1) end

-- The nodes: the most mentioned actors, sources left out.
local actors, left_out = {}, {}
for _, a in ipairs(all) do
  if a.source and not o.keep_sources then left_out[#left_out + 1] = a
  elseif o.nodes == 0 or #actors < o.nodes then actors[#actors + 1] = a end
end
local co = report.cooccurrence(c, actors, rep)
local byid = {}
for _, a in ipairs(actors) do byid[a.id] = a end

local edges = {}
for _, e in ipairs(co.edges) do
  if e.weight >= o.min_link then edges[#edges + 1] = e end
end
if o.sort ~= "weight" then
  local key = o.sort
  table.sort(edges, function(x, y)
    if x[key] ~= y[key] then return x[key] > y[key] end
    if x.weight ~= y.weight then return x.weight > y.weight end
    return x.source .. "\0" .. x.target < y.source .. "\0" .. y.target
  end)
end

-- The graph for the exports and the drawing: nodes with at least one link.
local linked = {}
for _, e in ipairs(edges) do linked[e.source], linked[e.target] = true, true end
local graph = {nodes = {}, edges = {}, directed = false,
  title = "Actors mentioned in the same sentence (" .. c.path .. ")"}
for _, a in ipairs(actors) do
  if linked[a.id] then
    graph.nodes[#graph.nodes + 1] = {id = a.id, label = a.name, type = a.type, weight = a.mentions,
      mentions = a.mentions, docs = a.docs}
  end
end
for _, e in ipairs(edges) do
  graph.edges[#graph.edges + 1] = {source = e.source, target = e.target, weight = e.weight,
    llr = e.llr, dice = e.dice}
end
local written = {}
local function export(path, text, what)
  if not path then return end
  local ok, err = out.write(path, text)
  if not ok then report.fail(err, 3) end
  written[#written + 1] = what .. ": " .. report.absolute(path)
end
export(o.graphml, o.graphml and out.graphml(graph), "GraphML")
export(o.gexf, o.gexf and out.gexf(graph), "GEXF")
export(o.dot, o.dot and out.dot(graph), "DOT")
if o.html then
  local r = report.html_report{title = "Who appears with whom", subtitle = c.path}
  r:section("Network", ("Two actors are linked when they are mentioned in the same sentence (%d sentences " ..
    "counted); line width shows in how many. The %d most mentioned actors, links of at least %d sentences.")
    :format(co.N, #actors, o.min_link))
  r:network(graph, {title = "Actors mentioned in the same sentence", node_weight = "mentions",
    edge_weight = "shared sentences"})
  written[#written + 1] = "HTML: " .. report.write_html(o.html, r)
end

local b = report.output(o)
local rows = {}
for i, e in ipairs(edges) do
  if o.top ~= 0 and i > o.top then break end
  local docs, seen = {}, {}
  for _, u in ipairs(e.sentences) do
    if not seen[u.docid] then seen[u.docid] = true docs[#docs + 1] = short[u.docid] end
  end
  rows[#rows + 1] = {source = byid[e.source].name, target = byid[e.target].name,
    source_id = e.source, target_id = e.target, sentences = e.weight,
    llr = e.llr, dice = e.dice, low = e.low, docs = table.concat(docs, " "), edge = e}
end
b:line(("%s: %d actors, %d links of at least %d shared sentences (%d sentences counted)"):format(
  c.path, #graph.nodes, #edges, o.min_link, co.N))
local cols = {{"source", title = "actor", max = 30}, {"target", title = "actor", max = 30},
  {"sentences"}, {"llr", format = "%.1f"}, {"dice", format = "%.2f"}, {"docs"}}
if b.machine then
  cols = {"source_id", "target_id", "source", "target", "sentences", "llr", "dice", "low", "docs"}
end
b:table(#edges > #rows and ("Strongest links (top %d; --top 0 for all)"):format(#rows) or "Links", rows, cols)
if o.sentences and not b.machine then
  for _, r in ipairs(rows) do
    b:line()
    b:line(("%s — %s: %d sentences"):format(r.source, r.target, r.sentences))
    for _, u in ipairs(r.edge.sentences) do
      b:line(("  [%s %d] %s"):format(short[u.docid], u.sentence.index, u.sentence.text:gsub("%s+", " ")))
    end
  end
end
if #left_out > 0 and not b.machine then
  local names = {}
  for i, a in ipairs(left_out) do
    if i > 6 then names[#names + 1] = "…" break end
    names[#names + 1] = a.name
  end
  b:note(("Left out as sources, not actors: %s (--keep-sources keeps them)."):format(table.concat(names, ", ")))
end
if not o.sentences and not b.machine and #rows > 0 then
  b:note("The sentences behind each link: --sentences.")
end
b:note(rep.counted_once and report.repeats_note(rep, short) or nil)
for _, w in ipairs(written) do b:note(w) end
b:flush()

--- overview — what is in this corpus? Who are the actors, how do they
-- connect, and what happened when?
--
-- Usage: trawl run scripts/reports/overview.lua CORPUS [options]
--
-- Prints a summary on the terminal — the documents (title, date, source,
-- words, sentences), the most mentioned actors by type with their
-- spellings, the most frequent terms, the key dates and the strongest
-- links between actors — and writes one self-contained HTML report
-- (overview.html in the current directory unless --html) with the
-- documents, actors (chart and table), the network of actors mentioned in
-- the same sentences, a timeline of dated statements, where the actors
-- appear in each document, frequent terms and repeated passages. Every
-- number in the HTML report expands to the sentences behind it.
--
-- Actors come from the corpus store: give --rules the first time (or run
-- trawl apply). Without any, the report says so and shows the rest.
-- Media, platforms and publishers (attrs.kind) are sources, not actors,
-- and are left out unless --keep-sources. Repeated passages are counted
-- once unless --keep-duplicates.
--
-- Options:
--   --rules FILE        apply this rule file first (repeatable)
--   --ruleset NAME      only the mentions of these rulesets (comma list)
--   --html FILE         where to write the HTML report (default overview.html)
--   --no-html           terminal summary only
--   --title TEXT        the HTML report's title
--   --top N             rows per terminal table (default 8)
--   --nodes N           actors in the network (default 30)
--   --min-link N        links of at least N shared sentences (default 2)
--   --assume-year YEAR  place "June 25" of undated documents in YEAR
--   --keep-sources      keep media, platforms and publishers as actors
--   --keep-duplicates   count every copy of a repeated passage
--
-- Set SOURCE_DATE_EPOCH for a fixed "generated on" date (byte-identical
-- reports from the same data).
--
-- Exit status: 0 done; 1 a rule file failed; 2 bad option; 3 the corpus
-- cannot be read or the HTML file cannot be written.
--
-- Example:
--   trawl run scripts/reports/overview.lua corpus/ --rules scripts/rules/iraq-2020.lua
--   trawl run scripts/reports/overview.lua corpus/ --html /tmp/iraq.html --assume-year 2020
local trawl = require "trawl"
local out = require "trawl.out"
local html = require "trawl.html"
local fmt = require "trawl.fmt"
local report = require "trawl.report"

local o = report.options(arg, {name = "overview",
  options = {"rules", "ruleset", "keep-duplicates", "html",
    {"--top", "N", kind = "int", min = 1, default = 8},
    {"--no-html", kind = "flag"},
    {"--title", "TEXT", kind = "string"},
    {"--nodes", "N", kind = "int", min = 2, default = 30},
    {"--min-link", "N", kind = "int", min = 1, default = 2},
    {"--assume-year", "YEAR", kind = "int", min = 1},
    {"--keep-sources", kind = "flag"}},
  defaults = {html = "overview.html"}})
local c = report.open(o)
local short = report.short_ids(c)
local rep = report.repeats(c, o)
local esc = html.escape
local n = report.n
-- Log-likelihood with one decimal; a value that rounds to zero is 0.0, not -0.0.
local function llr1(v) return math.abs(v) < 0.05 and "0.0" or string.format("%.1f", v) end
local function plural(k, one, many) return k .. " " .. (k == 1 and one or (many or one .. "s")) end

-- ---------------------------------------------------------------------
-- The numbers
-- ---------------------------------------------------------------------

-- Documents: size as it is (a document's own words), with the actors and
-- events found in it.
local docs, totals = {}, {words = 0, tokens = 0, sentences = 0}
local dates = {}
for d in c:docs() do
  local words = 0
  for t in d:tokens() do
    if t.kind == "word" or t.kind == "number" then words = words + 1 end
  end
  local row = {doc = short[d.id], id = d.id, title = d.title or "", date = d.date or "", source = d.source or "",
    author = d.author or "", words = words, sentences = d:nsentences(), mentions = 0, events = 0, d = d}
  docs[#docs + 1] = row
  totals.words = totals.words + words
  totals.tokens = totals.tokens + d:ntokens()
  totals.sentences = totals.sentences + d:nsentences()
  if d.date then dates[#dates + 1] = d.date end
end
table.sort(dates)
local bydoc = {}
for _, r in ipairs(docs) do bydoc[r.id] = r end

-- Actors: sources (media, platforms) apart.
local all, skipped = report.actors(c, o, rep)
local actors, sources = {}, {}
for _, a in ipairs(all) do
  if a.source and not o.keep_sources then sources[#sources + 1] = a else actors[#actors + 1] = a end
end
-- The rulesets the actors come from, with their versions (from the
-- mentions: the store records which version of a ruleset found each).
local from_rules = {}
do
  local seen = {}
  for _, a in ipairs(all) do
    for _, m in ipairs(a.list) do
      local k = m.ruleset .. " " .. tostring(m.version)
      if not seen[k] then seen[k] = true from_rules[#from_rules + 1] = k end
    end
  end
  table.sort(from_rules)
end
local nmentions = 0
for _, a in ipairs(actors) do
  nmentions = nmentions + a.mentions
  for id, k in pairs(a.bydoc) do bydoc[id].mentions = bydoc[id].mentions + k end
end

-- Links: actors mentioned in the same sentence (the most mentioned ones).
local top_actors = {}
for i = 1, math.min(o.nodes, #actors) do top_actors[i] = actors[i] end
local co = report.cooccurrence(c, top_actors, rep)
local links = {}
for _, e in ipairs(co.edges) do if e.weight >= o.min_link then links[#links + 1] = e end end
local byid = {}
for _, a in ipairs(all) do byid[a.id] = a end

-- Events: sentences with a date; those that name an actor are "what
-- happened" to someone, the others (citation lines, background) are only
-- counted, unless there are no actors at all.
local tl, terr = report.timeline(c, o, rep, actors)
local events, dated_all = {}, 0
if tl then
  dated_all = #tl.events
  for _, ev in ipairs(tl.events) do
    if #actors == 0 or #ev.entities > 0 then
      events[#events + 1] = ev
      bydoc[ev.docid].events = bydoc[ev.docid].events + 1
    end
  end
end

-- Terms: content words (stop words, punctuation and bare numbers or
-- dates like 12/25/20 left out).
local freq = c:freq{stopwords = false, top = 200, skip_duplicates = rep.mode}
local terms = {}
for _, r in ipairs(freq) do
  if #terms >= 20 then break end
  if r.term:find("%a") or r.term:find("[\128-\255]") then terms[#terms + 1] = r end
end

-- Key dates: the days (or months) with the most events, in date order.
local function day_of(v) return (v:match("^(%d%d%d%d%-%d%d%-%d%d)") or v:match("^(%d%d%d%d%-%d%d)") or v:match("^(%d%d%d%d)")) end
local keydates, bydate = {}, {}
for _, ev in ipairs(events) do
  local k = day_of(ev.date)
  local g = bydate[k]
  if not g then
    g = {date = k, events = {}, docs = {}, who = {}, assumed = false}
    bydate[k] = g
    keydates[#keydates + 1] = g
  end
  g.events[#g.events + 1] = ev
  g.docs[short[ev.docid]] = true
  g.assumed = g.assumed or ev.assumed
  for _, id in ipairs(ev.entities) do g.who[id] = (g.who[id] or 0) + 1 end
end
local function who_text(g, k)
  local list = {}
  for id, cnt in pairs(g.who) do list[#list + 1] = {id = id, n = cnt} end
  table.sort(list, function(x, y)
    if x.n ~= y.n then return x.n > y.n end
    return x.id < y.id
  end)
  local parts = {}
  for i, w in ipairs(list) do
    if i > k then break end
    parts[#parts + 1] = (byid[w.id] and byid[w.id].name or w.id) .. " " .. w.n
  end
  return table.concat(parts, ", ")
end
local busiest = {}
for _, g in ipairs(keydates) do busiest[#busiest + 1] = g end
-- Ties go to the more precise date (a day says more than a year), then
-- to the earlier one.
table.sort(busiest, function(x, y)
  if #x.events ~= #y.events then return #x.events > #y.events end
  if #x.date ~= #y.date then return #x.date > #y.date end
  return x.date < y.date
end)

-- Type colours: the network colours types in order of first appearance
-- among its drawn nodes (trawl.html); the actor bars use the same map, so
-- a type has one colour throughout the page.
local linked = {}
for _, e in ipairs(links) do linked[e.source], linked[e.target] = true, true end
local colour, type_order = {}, {}
local function add_type(t)
  if t and not colour[t] then
    type_order[#type_order + 1] = t
    colour[t] = out.palette[(#type_order - 1) % #out.palette + 1]
  end
end
for _, a in ipairs(top_actors) do if linked[a.id] then add_type(a.type) end end
for _, a in ipairs(actors) do add_type(a.type) end
local COLOUR_NAMES = {["#0072b2"] = "blue", ["#d55e00"] = "vermilion", ["#009e73"] = "green",
  ["#cc79a7"] = "pink", ["#e69f00"] = "orange", ["#56b4e9"] = "sky blue", ["#8c6d31"] = "brown",
  ["#7f7f7f"] = "grey", ["#b2182b"] = "red", ["#4d9221"] = "olive"}

-- ---------------------------------------------------------------------
-- The terminal summary
-- ---------------------------------------------------------------------

local T = {}
local function say(s) T[#T + 1] = (s or "") .. "\n" end
local function tbl(title, rows, cols)
  say()
  say(title)
  T[#T + 1] = #rows > 0 and out.table(rows, cols) or "(none)\n"
end

local span = #dates > 0 and (dates[1] == dates[#dates] and dates[1] or (dates[1] .. " to " .. dates[#dates])) or nil
say(("%s: %s, %s words, %s sentences%s"):format(c.path, plural(#c, "document"), n(totals.words), n(totals.sentences),
  span and ("; %d of %d dated, %s"):format(#dates, #c, span) or "; no document has a date"))
if #o.rules_applied > 0 then
  say(("Rules applied: %s (%s mentions stored)"):format(table.concat(o.rules_applied, ", "), n(o.applied_mentions or 0)))
elseif #from_rules > 0 then
  say(("Actors from the store: %s"):format(table.concat(from_rules, ", ")))
end
local rnote = report.repeats_note(rep, short)
if rnote then say("Repeated passages: " .. rnote) end

-- The terminal shows the first documents only: a corpus of thousands
-- would scroll the rest of the overview away.
local MAX_DOC_ROWS = 20
local shown = docs
if #docs > MAX_DOC_ROWS then
  shown = table.move(docs, 1, MAX_DOC_ROWS, 1, {})
end
tbl("Documents", shown, {{"doc"}, {"title", max = 46}, {"date"}, {"source", max = 16}, {"words"},
  {"sentences"}, {"mentions", title = "actors"}, {"events"}})
if #docs > MAX_DOC_ROWS then
  say(("… and %d more documents (all of them are in the HTML report)"):format(#docs - MAX_DOC_ROWS))
end

if #actors == 0 then
  say()
  say("Actors: " .. report.NO_ENTITIES)
else
  -- The most mentioned actors of each type, types by their mentions.
  local types, seen = {}, {}
  for _, a in ipairs(actors) do
    if not seen[a.type] then seen[a.type] = {type = a.type, list = {}} types[#types + 1] = seen[a.type] end
    table.insert(seen[a.type].list, a)
  end
  local rows = {}
  local per = math.max(1, math.min(3, o.top))
  for _, t in ipairs(types) do
    for k, a in ipairs(t.list) do
      -- One mention is a name dropped, not an actor of the story.
      if k > per or a.mentions < 2 then break end
      rows[#rows + 1] = {type = k == 1 and a.type or "", actor = a.name, mentions = a.mentions, docs = a.docs,
        spellings = report.spellings_text(a, 4)}
    end
  end
  tbl(("Actors: %d, with %s mentions (up to %d of each type, 2 mentions or more; the actors report lists all)")
    :format(#actors, n(nmentions), per), rows,
    {{"type"}, {"actor", max = 28}, {"mentions"}, {"docs"}, {"spellings", title = "spelled as", max = 64}})
  if #sources > 0 then
    local names = {}
    for i, a in ipairs(sources) do
      if i > 5 then names[#names + 1] = "…" break end
      names[#names + 1] = ("%s %d"):format(a.name, a.mentions)
    end
    say(("Left out as sources, not actors (--keep-sources keeps them): %s"):format(table.concat(names, ", ")))
  end
end

do
  local parts = {}
  for i, t in ipairs(terms) do
    if i > math.max(15, o.top) then break end
    parts[#parts + 1] = t.term .. " " .. t.count
  end
  say()
  say(("Top %d terms (stop words left out): %s"):format(#parts, table.concat(parts, ", ")))
end

if tl then
  local rows = {}
  local shown = {}
  for i, g in ipairs(busiest) do
    if i > o.top then break end
    shown[#shown + 1] = g
  end
  table.sort(shown, function(x, y) return x.date < y.date end)
  for _, g in ipairs(shown) do
    local dl = {}
    for d in pairs(g.docs) do dl[#dl + 1] = d end
    table.sort(dl)
    rows[#rows + 1] = {date = g.date .. (g.assumed and " (assumed)" or ""), events = #g.events,
      docs = table.concat(dl, " "), who = who_text(g, 3)}
  end
  tbl(("Key dates: the %s with the most dated sentences%s (the timeline report lists them)"):format(
    #rows == 1 and "date" or (#rows .. " dates"), #actors > 0 and " naming an actor" or ""), rows,
    #actors > 0 and {{"date"}, {"events"}, {"docs"}, {"who", title = "who (sentences)", max = 70}}
      or {{"date"}, {"events"}, {"docs"}})
  local nund = #tl.undated
  if nund > 0 then
    say(("%d more date expressions have no known year (%s)%s."):format(nund, tl.undated_example or "",
      (tl.assumable > 0 and not o.assume_year) and "; --assume-year YEAR places those of undated documents" or ""))
  end
else
  say()
  say("Key dates: " .. tostring(terr))
end

if #links > 0 then
  local rows = {}
  for i, e in ipairs(links) do
    if i > o.top then break end
    rows[#rows + 1] = {a = byid[e.source].name, b = byid[e.target].name, sentences = e.weight, llr = e.llr}
  end
  tbl("Strongest links: actors mentioned in the same sentence (the network report lists them with the sentences)",
    rows, {{"a", title = "actor", max = 30}, {"b", title = "actor", max = 30}, {"sentences"},
      {"llr", format = llr1}})
end

-- ---------------------------------------------------------------------
-- The HTML report
-- ---------------------------------------------------------------------

-- The evidence blocks are <details> built here, so their style comes with
-- them: one small style sheet (the page's Content-Security-Policy allows
-- inline styles). In print, the lists of sentences are left out — the
-- page's print script opens every <details>, and hundreds of sentences
-- would bury the report — and a line says where to find them.
local EVIDENCE_CSS = [[
<style>
.evidence-group{margin:6px 0 22px}
details.evidence{margin:0;border-bottom:1px solid #eef1f4}
details.evidence>summary{cursor:pointer;padding:3px 0;color:var(--ink)}
details.evidence>summary:hover{color:var(--accent)}
details.evidence[open]>summary{font-weight:600}
details.evidence .count{font-variant-numeric:tabular-nums;color:var(--muted)}
details.evidence>.body{margin:4px 0 12px 1.2em;font-size:.93rem}
details.outer>summary{color:var(--accent);padding:4px 0}
details.outer>.body{margin-left:0}
ol.evidence-list{padding-left:1.6em;margin:6px 0}
ol.evidence-list li{margin:0 0 6px;max-width:95ch}
mark{background:#fde68a;color:inherit;padding:0 .1em;border-radius:2px}
.print-only{display:none}
@media print{.evidence-group{display:none}.print-only{display:block;font-size:.88rem;color:#555}}
</style>]]

local at = report.sentences(c)

-- A <details>: summary (HTML) and body (HTML), with an id to link to.
local function details(id, summary, body, class)
  return ('<details class="evidence%s"%s><summary>%s</summary><div class="body">\n%s\n</div></details>'):format(
    class and (" " .. class) or "", id and (' id="' .. esc(id) .. '"') or "", summary, body)
end
local function group(blocks)
  return '<div class="evidence-group">' .. table.concat(blocks, "\n") .. "</div>" ..
    '<p class="print-only">The sentences behind these numbers are in the HTML file: open it in a browser ' ..
    "and click a line marked ▸.</p>"
end

-- A list of sentences, each with its document and number, the mentions
-- in <mark>. `units` = {{sentence = s, docid =, marks = {mentions}}}.
-- At most MAX_EVIDENCE sentences per list: on a large corpus every
-- sentence of every actor would make a report of hundreds of MB; the
-- actors and network reports list them all.
local MAX_EVIDENCE = 200

local function sentence_list(units)
  local L = {'<ol class="evidence-list">'}
  for i, u in ipairs(units) do
    if i > MAX_EVIDENCE then
      L[#L + 1] = ('</ol><p class="more">… and %d more sentences: `trawl run scripts/reports/actors.lua ' ..
        'CORPUS --entity ID` (or the network report with --sentences) lists them all.</p>'):format(#units - MAX_EVIDENCE)
      return table.concat(L, "\n")
    end
    L[#L + 1] = ('<li><span class="doc">%s · sentence %d</span> %s</li>'):format(esc(short[u.docid]),
      u.sentence.index, report.marked(u.sentence, u.marks))
  end
  L[#L + 1] = "</ol>"
  return table.concat(L, "\n")
end

-- Mentions of an actor grouped by sentence, in corpus order.
local function actor_units(a)
  local units, last = {}, nil
  for _, m in ipairs(a.list) do
    local s = at(m.doc, m.start)
    local key = m.docid .. "#" .. s.index
    if key ~= last then
      units[#units + 1] = {sentence = s, docid = m.docid, marks = {}}
      last = key
    end
    table.insert(units[#units].marks, m)
  end
  return units
end

local function actor_anchor(a) return "actor-" .. a.id end
local function edge_anchor(e) return "link-" .. e.source .. "--" .. e.target end

-- "2020-12-25" -> "25 December 2020" (months and years as they are).
local MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August", "September",
  "October", "November", "December"}
local function long_date(v)
  local y, m, d = v:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)")
  if y then return ("%d %s %s"):format(tonumber(d), MONTHS[tonumber(m)], y) end
  y, m = v:match("^(%d%d%d%d)%-(%d%d)")
  if y and MONTHS[tonumber(m)] then return MONTHS[tonumber(m)] .. " " .. y end
  return v
end

-- A timeline figure: events as trawl.html wants them, labelled with the
-- actors they name (the date is on the axis, the sentence in the list).
local function timeline_figure(r, title, list, intro)
  local evs = {}
  for i, ev in ipairs(list) do
    local who = {}
    for _, id in ipairs(ev.entities) do who[#who + 1] = byid[id] and byid[id].name or id end
    local label = who[1] or ev.date_text
    if #who == 2 then label = who[1] .. ", " .. who[2]
    elseif #who > 2 then label = who[1] .. ", " .. who[2] .. " +" .. (#who - 2) end
    evs[i] = {date = ev.date, docid = short[ev.docid] .. " · sentence " .. ev.sentence, entities = who,
      text = ('“%s” — %s'):format(ev.date_text, ev.text:gsub("%s+", " ")),
      label = label .. (ev.assumed and " (year assumed)" or "")}
  end
  r:timeline{title = title, intro = intro, events = evs}
end

if not o.no_html then
  local title = o.title or ("Overview of " .. c.path)
  local r = report.html_report{title = title,
    subtitle = ("%d documents · %s words · %s sentences%s%s"):format(#c, n(totals.words), n(totals.sentences),
      span and (" · %d of %d dated, %s"):format(#dates, #c, span) or "",
      #from_rules > 0 and (" · actors from the rules " .. table.concat(from_rules, ", ")) or "")}
  report.raw(r, EVIDENCE_CSS)

  -- 1. In brief: the three questions answered in words, with links.
  local brief = {}
  if #actors > 0 then
    local names = {}
    for i = 1, math.min(5, #actors) do
      local a = actors[i]
      names[#names + 1] = ("[%s](#%s) (%s, %d mentions in %d of %d documents)"):format(a.name, actor_anchor(a),
        a.type, a.mentions, a.docs, #c)
    end
    brief[#brief + 1] = "- **Who:** " .. #actors .. " actors are mentioned " .. n(nmentions) ..
      " times. The most mentioned: " .. table.concat(names, "; ") .. ". See [Actors](#actors)."
  else
    brief[#brief + 1] = "- **Who:** no actors yet — " .. report.NO_ENTITIES:gsub("^no entities: ", "") .. "."
  end
  if #links > 0 then
    local ls = {}
    for i = 1, math.min(4, #links) do
      local e = links[i]
      ls[#ls + 1] = ("[%s – %s](#%s) (%d sentences)"):format(byid[e.source].name, byid[e.target].name,
        edge_anchor(e), e.weight)
    end
    brief[#brief + 1] = "- **How they connect:** the actors mentioned together most often are " ..
      table.concat(ls, ", ") .. ". See [the network](#who-appears-with-whom)."
  end
  if #events > 0 then
    local b1 = busiest[1]
    local dl = {}
    for d in pairs(b1.docs) do dl[#dl + 1] = d end
    table.sort(dl)
    if #dl > 5 then -- name a few, count the rest
      local more = #dl - 5
      dl = table.move(dl, 1, 5, 1, {})
      dl[#dl + 1] = ("and %d more documents"):format(more)
    end
    brief[#brief + 1] = ("- **What happened when:** %d dated statements name an actor, from %s to %s; " ..
      "the busiest date is %s (%s, in %s; named most: %s). See [the timeline](#what-happened-when)."):format(
      #events, long_date(events[1].date), long_date(events[#events].date), long_date(b1.date),
      plural(#b1.events, "statement"), table.concat(dl, ", "), who_text(b1, 3))
  end
  if rnote then brief[#brief + 1] = "- **Repeated passages:** " .. rnote .. " See [Repeated passages](#repeated-passages)." end
  r:section("In brief", table.concat(brief, "\n") .. "\n\nEvery count below opens on the sentences behind " ..
    "it: click a line marked ▸. The numbers of each chart are in its tooltips and in the data table under it.")

  -- 2. Documents.
  r:section("Documents", ("The %d documents, as loaded from `%s`: words and sentences as the tokenizer counts " ..
    "them; *actors*: mentions of actors; *events*: dated sentences that name an actor."):format(#c, c.path))
  r:table(docs, {{"doc", title = "Doc"}, {"title", title = "Title"}, {"date", title = "Date"},
    {"source", title = "Source"}, {"words", title = "Words"},
    {"sentences", title = "Sentences"}, {"mentions", title = "Actors"}, {"events", title = "Events"}},
    {title = "Documents", note = ("Doc is the start of the document id (%s is `%s`)."):format(docs[1] and docs[1].doc or "",
      docs[1] and docs[1].id or "")})

  -- 3. Actors.
  if #actors > 0 then
    local colours = {}
    for _, t in ipairs(type_order) do colours[#colours + 1] = t .. " " .. COLOUR_NAMES[colour[t]] end
    r:section("Actors", ("Who is mentioned, how often and how spelled: %d actors found by the rules%s. " ..
      "A mention is one occurrence of any spelling of an actor."):format(#actors,
      #from_rules > 0 and (" (" .. table.concat(from_rules, ", ") .. ")") or ""))
    local items = {}
    for i = 1, math.min(20, #actors) do
      local a = actors[i]
      items[#items + 1] = {label = a.name, value = a.mentions, color = colour[a.type]}
    end
    r:bars{title = "The most mentioned actors", unit = "mentions", items = items,
      intro = "Colour shows the type, as in the network: " .. table.concat(colours, ", ") .. "."}
    local rows = {}
    for i = 1, math.min(20, #actors) do
      local a = actors[i]
      rows[i] = {name = a.name, type = a.type, mentions = a.mentions, docs = a.docs,
        spellings = report.spellings_text(a, 0)}
    end
    r:table(rows, {{"name", title = "Actor"}, {"type", title = "Type"}, {"mentions", title = "Mentions"},
      {"docs", title = "Docs"}, {"spellings", title = "Spelled as (mentions)"}},
      {title = "Actors and their spellings",
       note = #actors > 20 and ("The %d most mentioned of %d actors; the actors report lists all."):format(20, #actors) or nil})
    r:text("### The sentences behind each count")
    local L = {}
    for i = 1, math.min(30, #actors) do
      local a = actors[i]
      local units = actor_units(a)
      local per = {}
      for _, d in ipairs(docs) do
        if a.bydoc[d.id] then per[#per + 1] = ("%s: %d"):format(d.doc, a.bydoc[d.id]) end
      end
      local about = a.attrs.role or a.attrs.kind
      L[#L + 1] = details(actor_anchor(a),
        ('<strong>%s</strong> <span class="count">(%s) — %s in %s of %s</span>'):format(esc(a.name), esc(a.type),
          plural(a.mentions, "mention"), plural(#units, "sentence"), plural(a.docs, "document")),
        ("<p>%sSpelled as: %s.<br>Mentions per document: %s.</p>\n%s"):format(
          about and ("<em>" .. esc(about) .. "</em> (from the rules).<br>") or "",
          esc(report.spellings_text(a, 0)), esc(table.concat(per, ", ")), sentence_list(units)))
    end
    report.raw(r, group(L))
    if #actors > 30 then
      r:text(("The other %d actors, and every sentence of any of them: `trawl run scripts/reports/actors.lua %s --entity ID`.")
        :format(#actors - 30, c.path))
    end
    if #sources > 0 then
      local names = {}
      for _, a in ipairs(sources) do names[#names + 1] = ("%s (%d)"):format(a.name, a.mentions) end
      r:text(("Left out as sources rather than actors (the rules mark them as media, platforms or publishers): %s.")
        :format(table.concat(names, ", ")))
    end
    if skipped > 0 then
      r:text(("%d mentions in repeated passages are not counted (see [Repeated passages](#repeated-passages))."):format(skipped))
    end

    -- 4. Network.
    r:section("Who appears with whom", ("Two actors are linked when they are mentioned in the same sentence; " ..
      "line width shows in how many sentences. The %d most mentioned actors, links of at least %d sentences " ..
      "(of the %d sentences counted)."):format(#top_actors, o.min_link, co.N))
    local graph = {nodes = {}, edges = {}}
    for _, a in ipairs(top_actors) do
      if linked[a.id] then
        graph.nodes[#graph.nodes + 1] = {id = a.id, label = a.name, type = a.type, weight = a.mentions}
      end
    end
    for _, e in ipairs(links) do
      graph.edges[#graph.edges + 1] = {source = e.source, target = e.target, weight = e.weight}
    end
    if #graph.edges > 0 then
      r:network(graph, {title = "Actors mentioned in the same sentence", node_weight = "mentions",
        edge_weight = "shared sentences", labels = 40})
      local rows = {}
      for i = 1, math.min(12, #links) do
        local e = links[i]
        rows[i] = {a = byid[e.source].name, b = byid[e.target].name, n = e.weight, llr = e.llr,
          dice = e.dice}
      end
      r:table(rows, {{"a", title = "Actor"}, {"b", title = "Actor"}, {"n", title = "Sentences"},
        {"llr", title = "Log-likelihood", format = llr1}, {"dice", title = "Dice", format = "%.2f"}},
        {title = "Strongest links",
         note = "Log-likelihood: how much more often the two appear together than their own frequencies " ..
           "predict (above 3.84: p < 0.05; near 0 or below: no more than chance, as for actors " ..
           "mentioned everywhere). Dice: shared sentences relative to the sentences of each (0–1)."})
      local L = {}
      for _, e in ipairs(links) do
        local units = {}
        for _, u in ipairs(e.sentences) do
          local marks = {}
          for _, m in ipairs(u.marks) do
            if m.entity == e.source or m.entity == e.target then marks[#marks + 1] = m end
          end
          units[#units + 1] = {sentence = u.sentence, docid = u.docid, marks = marks}
        end
        L[#L + 1] = details(edge_anchor(e), ('<strong>%s – %s</strong> <span class="count">%s</span>'):format(
          esc(byid[e.source].name), esc(byid[e.target].name), plural(e.weight, "sentence")), sentence_list(units))
      end
      report.raw(r, group({details(nil, ("The sentences behind each link (%d links)"):format(#links),
        table.concat(L, "\n"), "outer")}))
    else
      r:text("No two actors share a sentence often enough to draw a network (--min-link).")
    end
  end

  -- 5. Timeline: the main year (the story) apart from the background.
  r:section("What happened when", ("Each event is a sentence holding a date, placed by the date it names: " ..
    "\"June 25\" in an article of 22 July 2020 is 25 June 2020, \"12/25/20\" is 25 December 2020. %s"):format(
    #actors > 0 and ("%d of the %d dated sentences name an actor and are shown here; the others (citation lines, " ..
      "background) are listed by the timeline report."):format(#events, dated_all) or ""))
  if tl and #events > 0 then
    local years, main = {}, nil
    for _, ev in ipairs(events) do
      local y = ev.date:sub(1, 4)
      years[y] = (years[y] or 0) + 1
      if not main or years[y] > years[main] or (years[y] == years[main] and y > main) then main = y end
    end
    if years[main] < #events and years[main] * 2 >= #events then
      local inside, outside = {}, {}
      for _, ev in ipairs(events) do
        if ev.date:sub(1, 4) == main then inside[#inside + 1] = ev else outside[#outside + 1] = ev end
      end
      timeline_figure(r, ("%s: dated statements naming an actor"):format(main), inside,
        ("%d of the %d statements are dated %s. Days are dots, months bars; close events share a mark " ..
         "(hover for them). Every statement is listed under the chart with its sentence."):format(
          #inside, #events, main))
      timeline_figure(r, ("Before and after %s"):format(main), outside,
        "The background the articles give: earlier (and later) dates they mention.")
    else
      timeline_figure(r, "Dated statements naming an actor", events,
        "Days are dots, months and years bars; close events share a mark (hover for them).")
    end
    local notes = {}
    if #tl.undated > 0 then
      notes[#notes + 1] = ("%d more date expressions have no known year (%s): their documents have no date.%s")
        :format(#tl.undated, tl.undated_example or "", (tl.assumable > 0 and not o.assume_year) and
          " If the year is known from elsewhere, `--assume-year YEAR` places those that name a month or day, marked *assumed*." or "")
    end
    if tl.assumed > 0 then
      notes[#notes + 1] = ("%d events have an assumed year (%d, from --assume-year)."):format(tl.assumed, o.assume_year)
    end
    if #notes > 0 then r:text(table.concat(notes, " ")) end
  else
    r:text(tl and "No dated statements." or tostring(terr))
  end

  -- 6. Dispersion: where the most mentioned actors occur in each document.
  if #actors > 0 then
    r:section("Where the actors appear", "Each row is an actor, each band a document; a tick marks a mention, " ..
      "at its position in the document (beginning at the left). An actor spread over every band is a " ..
      "constant of the corpus; one packed into a band is the story of that document.")
    local terms_ = {}
    for i = 1, math.min(8, #actors) do
      local a = actors[i]
      local hits = {}
      for _, m in ipairs(a.list) do
        hits[#hits + 1] = {doc = short[m.docid], pos = (m.start - 1) / math.max(1, #m.doc)}
      end
      terms_[#terms_ + 1] = {term = a.name, hits = hits}
    end
    local dl = {}
    for _, d in ipairs(docs) do dl[#dl + 1] = {id = d.doc, label = d.doc} end
    r:dispersion{title = "Mentions of the most mentioned actors across the documents", terms = terms_, docs = dl}
  end

  -- 7. Terms.
  r:section("Frequent terms", "The most frequent words, as normalised tokens (case and apostrophes folded; " ..
    "hyphenated words stay whole, so *al-kazemi* and *kazemi* are counted apart — the actors section joins " ..
    "the spellings). Stop words, punctuation and numbers are left out.")
  if #terms > 0 then
    local items = {}
    for i, t in ipairs(terms) do items[i] = {label = t.term, value = t.count} end
    r:bars{title = "The most frequent terms", unit = "occurrences", items = items}
    local L = {}
    for _, t in ipairs(terms) do
      -- Copies are left out here rather than by kwic's skip_duplicates,
      -- which would find the repeated passages again for every term.
      local lines = c:kwic(t.term, {width = 60}) or {}
      local rows = {}
      for _, l in ipairs(lines) do if not rep.skip(l.docid, l.start) then
        local left = html.cut_left((l.left:gsub("%s+", " ")), 48)
        local right = l.right:gsub("%s+", " ")
        if trawl.width(right) > 48 then right = fmt.cut(right, 48) end
        rows[#rows + 1] = ('<tr><td class="doc">%s:%d</td><td class="left">%s</td>' ..
          '<td class="match">%s</td><td class="right">%s</td></tr>'):format(esc(short[l.docid]),
          l.sentence, esc(left), esc(l.match), esc(right))
      end end
      L[#L + 1] = details("term-" .. t.term:gsub("[^%w%-]", "_"),
        ('<strong>%s</strong> <span class="count">%s in %s</span>'):format(esc(t.term),
          plural(t.count, "occurrence"), plural(t.docs, "document")),
        '<div class="kwic-wrap"><table class="kwic"><tbody>\n' .. table.concat(rows, "\n") ..
        "\n</tbody></table></div>")
    end
    report.raw(r, group({details(nil, ("Every occurrence of each term, in context (%d terms; " ..
      "doc:sentence at the left)"):format(#terms), table.concat(L, "\n"), "outer")}))
  end

  -- 8. Repeated passages.
  r:section("Repeated passages", rep.copies == 0 and "No passage of the corpus repeats another." or
    (rnote .. " Otherwise a paragraph pasted twice would count every word and mention in it twice."))
  if rep.copies > 0 then
    local rows = {}
    for gi, g in ipairs(rep.groups) do
      for k, m in ipairs(g.members) do
        rows[#rows + 1] = {group = gi, role = k == 1 and "original" or "copy", doc = short[m.docid],
          paragraph = m.paragraph, words = m.words, similarity = k > 1 and m.jaccard or nil,
          text = m.text:gsub("%s+", " ")}
      end
    end
    r:table(rows, {{"group", title = "#"}, {"role", title = "Role"}, {"doc", title = "Doc"},
      {"paragraph", title = "Paragraph"}, {"words", title = "Words"},
      {"similarity", title = "Similarity", format = "%.2f"}, {"text", title = "Text"}},
      {title = "Repeated passages", note = "Similarity: Jaccard similarity of 5-word shingles with the original (1: identical)."})
  end

  -- 9. Method.
  r:section("How this report was made", table.concat({
    ("Made by `trawl run scripts/reports/overview.lua %s%s`. Every part can be looked at more closely with " ..
     "the other reports (each has `--help`):"):format(c.path,
      #o.rules > 0 and (" --rules " .. table.concat(o.rules, " --rules ")) or ""),
    "",
    ("- `trawl run scripts/reports/actors.lua %s --entity ID`: one actor, every sentence"):format(c.path),
    ("- `trawl run scripts/reports/network.lua %s --sentences`: the links and their sentences; `--gexf FILE` for Gephi"):format(c.path),
    ("- `trawl run scripts/reports/timeline.lua %s --undated`: every dated sentence"):format(c.path),
    ("- `trawl run scripts/reports/kwic.lua %s WORD`: every occurrence of a word"):format(c.path),
    ("- `trawl run scripts/reports/keywords.lua %s`: what each document is about"):format(c.path),
    ("- `trawl run scripts/reports/duplicates.lua %s`: the repeated passages"):format(c.path),
    "",
    "Counting: sentences are as the tokenizer splits them (docs/tokenizer.md); a mention is a match of a rule " ..
    "(docs/rules.md), without titles or possessive endings; dates are normalised against each document's date " ..
    "(docs/dates.md). " .. (rep.counted_once and "Passages that repeat an earlier one are counted once." or
      "Repeated passages are counted every time."),
  }, "\n"))
  local path = report.write_html(o.html, r)
  say()
  say("HTML report: " .. path .. " (open it in a browser)")
end
io.write(table.concat(T))

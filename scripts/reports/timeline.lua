--- timeline — what happened when? The dated statements of the corpus, in
-- date order, with the actors they name.
--
-- Usage: trawl run scripts/reports/timeline.lua CORPUS [options]
--
-- An event is a sentence holding a date or time expression ("June 25",
-- "12/25/20", "late June", "two days ago") whose value names a calendar
-- year: expressions are normalised against the document's date (see
-- docs/dates.md), so "two days ago" in a tweet cited as of 12/25/20 is
-- 2020-12-23. Each event lists the actors mentioned in its sentence (from
-- the store: give --rules the first time). Expressions whose year cannot
-- be known ("June 25" in an undated document) are counted, and listed with
-- --undated; --assume-year YEAR places them in that year, marked "assumed".
-- Repeated passages are counted once unless --keep-duplicates.
--
-- Options:
--   --rules FILE        apply this rule file first (repeatable)
--   --ruleset NAME      actors from these rulesets only (comma list)
--   --type TYPE         only actors of these types (comma list)
--   --entity ID         only events whose sentence mentions this actor
--   --with-actors       only events that name at least one actor
--   --from DATE         events on or after DATE (2020, 2020-06, 2020-06-25)
--   --to DATE           events on or before DATE
--   --assume-year YEAR  place "June 25" of undated documents in YEAR
--   --undated           also list the expressions without a known year
--   --keep-sources      keep media, platforms and publishers as actors
--   --keep-duplicates   count every copy of a repeated passage
--   --width N           cut the sentence to N columns (default 100; 0: whole)
--   --html FILE         write the timeline chart and event list as HTML
--   --format FORMAT     table (default), md, csv, json, jsonl
--   --out FILE          write to FILE instead of stdout
--
-- Exit status: 0 done; 1 a rule file failed; 2 bad option; 3 the corpus
-- cannot be read or a file cannot be written.
--
-- Example:
--   trawl run scripts/reports/timeline.lua corpus/ --rules scripts/rules/iraq-2020.lua --from 2020-12
--   trawl run scripts/reports/timeline.lua corpus/ --entity kh --assume-year 2020
local report = require "trawl.report"

local o = report.options(arg, {name = "timeline",
  options = {"rules", "ruleset", "type", "keep-duplicates", "format", "out", "html",
    {"--entity", "ID", kind = "string"},
    {"--with-actors", kind = "flag"},
    {"--from", "DATE", kind = "string"},
    {"--to", "DATE", kind = "string"},
    {"--assume-year", "YEAR", kind = "int", min = 1},
    {"--undated", kind = "flag"},
    {"--keep-sources", kind = "flag"},
    {"--width", "N", kind = "int", min = 0, default = 100}}})
-- A real calendar date: the shape, and a month and day that exist.
local function valid_date(v)
  local y, m, d = v:match("^(%d%d%d%d)%-?(%d?%d?)%-?(%d?%d?)$")
  if not y or not (v:match("^%d%d%d%d$") or v:match("^%d%d%d%d%-%d%d$") or
                   v:match("^%d%d%d%d%-%d%d%-%d%d$")) then
    return false
  end
  m, d = tonumber(m), tonumber(d)
  if m and (m < 1 or m > 12) then return false end
  if d then
    local days = ({31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31})[m]
    local yy = tonumber(y)
    if m == 2 and (yy % 4 == 0 and (yy % 100 ~= 0 or yy % 400 == 0)) then days = 29 end
    if d < 1 or d > days then return false end
  end
  return true
end
for _, k in ipairs{"from", "to"} do
  local v = o[k]
  if v and not valid_date(v) then
    report.fail(("--%s wants a date YYYY, YYYY-MM or YYYY-MM-DD, not '%s'"):format(k, v))
  end
end
local c = report.open(o)
local short = report.short_ids(c)
local rep = report.repeats(c, o)
local actors = report.actors(c, o, rep)

local tl, err = report.timeline(c, o, rep, actors)
if not tl then report.fail(err, 1) end
local events, undated = tl.events, tl.undated

-- Filters on the events.
local function keep(ev)
  if o.entity then
    local found = false
    for _, id in ipairs(ev.entities) do if id == o.entity then found = true end end
    if not found then return false end
  end
  if o.with_actors and #ev.entities == 0 then return false end
  if o.from and ev.date:sub(1, #o.from) < o.from then return false end
  if o.to and ev.date:sub(1, #o.to) > o.to then return false end
  return true
end
local shown = {}
for _, ev in ipairs(events) do if keep(ev) then shown[#shown + 1] = ev end end
if o.entity and not tl.names[o.entity] then
  report.fail(("no actor '%s' in the store (see the actors report)"):format(o.entity), 1)
end

local function names(ids)
  local list = {}
  for i, id in ipairs(ids) do list[i] = tl.names[id] or id end
  return list
end
local b = report.output(o)
local b_machine = b.machine
local function row(ev)
  local text = ev.text:gsub("%s+", " ")
  return {date = (b_machine and ev.date or report.when(ev.date)) .. (ev.assumed and " (assumed)" or ""),
    value = ev.date, doc = short[ev.docid],
    sentence = ev.sentence, expression = ev.date_text, anchor = ev.anchor, assumed = ev.assumed or false,
    actors = table.concat(names(ev.entities), ", "), actor_ids = ev.entities, text = text}
end

local rows = {}
for i, ev in ipairs(shown) do rows[i] = row(ev) end
local first, last = shown[1], shown[#shown]
b:line(("%s: %d dated events%s%s"):format(c.path, #shown,
  first and (", " .. report.when(first.date) .. " to " .. report.when(last.date)) or "",
  #shown < #events and (" (of " .. #events .. ")") or ""))
local width = o.width > 0 and o.width or nil
local cols = {{"date"}, {"doc"}, {"sentence", title = "sent"}, {"expression", max = 26},
  {"actors", max = 40}, {"text", max = width}}
if b.machine then
  cols = {"value", "assumed", "doc", "sentence", "expression", "anchor", "actor_ids", "actors", "text"}
end
b:table(nil, rows, cols)
if o.undated then
  local urows = {}
  for _, ev in ipairs(undated) do
    if not o.entity or tl.has(ev, o.entity) then
      urows[#urows + 1] = {value = ev.date, doc = short[ev.docid], sentence = ev.sentence,
        expression = ev.date_text, actors = table.concat(names(ev.entities), ", "),
        text = ev.text:gsub("%s+", " ")}
    end
  end
  if b.machine then
    io.stderr:write("timeline: --undated is left out of ", o.format, " output (one table per run)\n")
  else
    b:table(("Without a known year (%d)"):format(#urows), urows,
      {{"value"}, {"doc"}, {"sentence", title = "sent"}, {"expression", max = 26}, {"actors", max = 30},
       {"text", max = width}})
  end
elseif #undated > 0 then
  b:note(("%d more expressions have no known year (%s): --undated lists them%s."):format(#undated,
    tl.undated_example or "", tl.assumable > 0 and not o.assume_year and
      ("; --assume-year YEAR places the " .. tl.assumable .. " that name a month or day") or ""))
end
if tl.assumed > 0 then
  b:note(("%d events have an assumed year (%d, --assume-year): their documents have no date."):format(
    tl.assumed, o.assume_year))
end
if #actors == 0 then b:note("Actors: " .. report.NO_ENTITIES) end
b:note(rep.counted_once and report.repeats_note(rep, short) or nil)

if o.html then
  local r = report.html_report{title = "What happened when", subtitle = c.path}
  r:section("Timeline", "Each event is a sentence holding a date; the actors it names are listed with it." ..
    (tl.assumed > 0 and (" Years marked *assumed* come from --assume-year.") or ""))
  local evs = {}
  for i, ev in ipairs(shown) do
    evs[i] = {date = ev.date, text = ev.text, docid = short[ev.docid] .. " · sentence " .. ev.sentence,
      entities = names(ev.entities),
      label = ev.assumed and (ev.date_text .. " (year assumed)") or nil}
  end
  local und = {}
  if o.undated then
    for i, ev in ipairs(undated) do
      und[i] = {date = ev.date, date_text = ev.date_text, text = ev.text, docid = short[ev.docid],
        entities = names(ev.entities)}
    end
  end
  r:timeline{title = "Dated events", events = evs, undated = und}
  b:note("HTML: " .. report.write_html(o.html, r))
end
b:flush()

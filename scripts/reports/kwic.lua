--- kwic — where and how is a word, phrase or actor used? Every occurrence
-- in its context, the match centred (keyword in context, a concordance).
--
-- Usage: trawl run scripts/reports/kwic.lua CORPUS QUERY [options]
--        trawl run scripts/reports/kwic.lua CORPUS --entity ID [options]
--
-- QUERY is a word or a phrase, matched on normalised tokens (case,
-- apostrophes and dashes folded: "kataib" finds "Kataib", "kata'ib" finds
-- "Kata’ib"); with --regex it is a PCRE2 regular expression on the text;
-- with --entity ID the concordance lists the mentions of that actor (from
-- the store: apply rules first), under every spelling. Each line names its
-- document and sentence, so it can be found in the text.
--
-- Options:
--   --regex             QUERY is a regular expression (case-sensitive;
--                       --ignore-case to fold case)
--   --ignore-case       with --regex: match without regard to case
--   --entity ID         the mentions of this actor instead of a QUERY
--   --rules FILE        apply this rule file first (repeatable; for --entity)
--   --width N           columns of context on each side (default 40)
--   --sort ORDER        doc (default: corpus order), left (by the word
--                       before the match) or right (by the word after it)
--   --limit N           at most N lines (default 0: all)
--   --keep-duplicates   list the copies in repeated passages too
--   --html FILE         write the concordance as HTML too
--   --format FORMAT     table (default), md, csv, json, jsonl
--   --out FILE          write to FILE instead of stdout
--
-- Exit status: 0 done (also when nothing matches); 1 a rule file failed;
-- 2 bad option or a regular expression that does not compile; 3 the
-- corpus cannot be read or a file cannot be written.
--
-- Example:
--   trawl run scripts/reports/kwic.lua corpus/ Hezbollah --sort right
--   trawl run scripts/reports/kwic.lua corpus/ 'Kata.?ib' --regex --width 30
--   trawl run scripts/reports/kwic.lua corpus/ --entity kadhimi --rules scripts/rules/iraq-2020.lua
local trawl = require "trawl"
local fmt = require "trawl.fmt"
local html = require "trawl.html"
local report = require "trawl.report"

local o = report.options(arg, {name = "kwic",
  options = {"rules", "ruleset", "keep-duplicates", "format", "out", "html",
    {"--regex", kind = "flag"},
    {"--ignore-case", kind = "flag"},
    {"--entity", "ID", kind = "string"},
    {"--width", "N", kind = "int", min = 5, default = 40},
    {"--sort", "ORDER", kind = "choice", choices = {"doc", "left", "right"}, default = "doc"},
    {"--limit", "N", kind = "int", min = 0, default = 0}},
  args = {{"QUERY"}}})
local q = o.args[1]
if not q and not o.entity then report.fail("missing QUERY (a word or phrase), or --entity ID (see --help)") end
if q and o.entity then report.fail("give either a QUERY or --entity ID, not both") end
if o.regex and not q then report.fail("--regex needs a QUERY") end
local c = report.open(o)
local short = report.short_ids(c)
local rep = report.repeats(c, o)

local query, what
if o.entity then
  if not c.store or not c:entity(o.entity) then
    report.fail(("no entity '%s' in the store (%s)"):format(o.entity,
      (c.store and #c:entities() > 0) and "see the actors report" or report.NO_ENTITIES), 1)
  end
  query = {entity = o.entity}
  what = ("mentions of %s (%s)"):format(c:entity(o.entity).name, o.entity)
elseif o.regex then
  query = {regex = q, flags = o.ignore_case and "i" or nil}
  what = ("/%s/%s"):format(q, o.ignore_case and "i" or "")
else
  query = q
  what = ("'%s'"):format(q)
end

-- Ask for more characters than shown: the context is cut here by display
-- width, at word boundaries.
local lines, err = c:kwic(query, {width = o.width * 2 + 10, sort = o.sort, skip_duplicates = rep.mode,
  limit = o.limit > 0 and o.limit or nil})
if not lines then report.fail(("%s: %s"):format(what, err), 2) end

-- Contexts on one line, cut at a word: the left one from the left.
local function left_of(s, w)
  s = s:gsub("%s+", " ")
  if trawl.width(s) <= w then return s end
  s = html.cut_left(s, w)
  return (s:gsub("^…[^ ]* ", "… ", 1))
end
local function right_of(s, w)
  s = s:gsub("%s+", " ")
  if trawl.width(s) <= w then return s end
  s = fmt.cut(s, w)
  return (s:gsub(" [^ ]*…$", " …", 1))
end
local function pad_left(s, w) return string.rep(" ", w - trawl.width(s)) .. s end
local function pad_right(s, w) return s .. string.rep(" ", w - trawl.width(s)) end

local b = report.output(o)
local total = lines.total or #lines
b:line(("%s: %d %s of %s%s%s"):format(c.path, total, total == 1 and "hit" or "hits", what,
  #lines < total and (" (first " .. #lines .. " shown)") or "",
  total > 0 and b.format == "table" and "; each line starts with document:sentence" or ""))
local rows = {}
for i, l in ipairs(lines) do
  rows[i] = {doc = short[l.docid], sentence = l.sentence, start = l.start, stop = l.stop,
    left = left_of(l.left, o.width), match = l.match:gsub("%s+", " "), right = right_of(l.right, o.width)}
end
if b.format == "table" then
  -- Aligned by hand: the left context right-aligned to a fixed width, so
  -- every match starts in the same column, whatever the script or accents.
  if #rows > 0 then
    local dw = 0
    for _, r in ipairs(rows) do dw = math.max(dw, trawl.width(r.doc .. ":" .. r.sentence)) end
    b:add("\n")
    for _, r in ipairs(rows) do
      b:add(pad_right(r.doc .. ":" .. r.sentence, dw) .. "  " .. pad_left(r.left, o.width) ..
        "  " .. r.match .. "  " .. r.right .. "\n")
    end
  end
elseif b.machine then
  b:table(nil, rows, {"doc", "sentence", "start", "stop", "left", "match", "right"})
else
  b:table(nil, rows, {{"doc"}, {"sentence", title = "sent"}, {"left", align = "right"}, {"match"}, {"right"}})
end
if rep.counted_once and total > 0 then
  b:note("Copies in repeated passages are left out (--keep-duplicates lists them).")
end
if o.html then
  local r = report.html_report{title = "Concordance: " .. what, subtitle = c.path}
  local hl = {}
  for i, l in ipairs(lines) do
    hl[i] = {docid = short[l.docid] .. ":" .. l.sentence, left = l.left, match = l.match, right = l.right,
      sentence = l.sentence}
  end
  r:kwic(hl, {title = what, width = o.width})
  b:note("HTML: " .. report.write_html(o.html, r))
end
b:flush()

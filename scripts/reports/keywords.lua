--- keywords — what is this document (or this group of documents) about,
-- compared with the rest of the corpus? The words it uses much more often
-- than the other documents do (keyness).
--
-- Usage: trawl run scripts/reports/keywords.lua CORPUS [--docs ID,ID] [options]
--
-- For each word: its count in the target and in the rest, Dunning's
-- log-likelihood (llr: how surprising the difference is; above 3.84 is
-- p < 0.05, above 10.83 p < 0.001) and the log ratio (log2 of the ratio of
-- relative frequencies: +1 is twice as frequent, +3 eight times). Words
-- marked low have fewer than 5 occurrences or an expected count below 1:
-- too few to trust. Without --docs, every document is compared with the
-- others in turn. Stop words are left out, and repeated passages counted
-- once, unless asked.
--
-- Options:
--   --docs ID,ID        the target: these documents (ids or unique id
--                       prefixes, e.g. 002,004) against all the others
--   --top N             keywords per target (default 15; 0: all)
--   --min N             only words occurring N times in the corpus (default 3)
--   --sort KEY          llr (default) or log_ratio
--   --negative          also list the words the target uses least
--   --stopwords         keep stop words (the, of, and...)
--   --keep-duplicates   count every copy of a repeated passage
--   --format FORMAT     table (default), md, csv, json, jsonl
--   --out FILE          write to FILE instead of stdout
--
-- Exit status: 0 done; 2 bad option, unknown document, or a target that is
-- the whole corpus; 3 the corpus cannot be read.
--
-- Example:
--   trawl run scripts/reports/keywords.lua corpus/ --docs 004
--   trawl run scripts/reports/keywords.lua corpus/ --top 5 --format md
local report = require "trawl.report"

local o = report.options(arg, {name = "keywords",
  options = {"top", "keep-duplicates", "format", "out",
    {"--docs", "ID,ID", kind = "list"},
    {"--min", "N", kind = "int", min = 1, default = 3},
    {"--sort", "KEY", kind = "choice", choices = {"llr", "log_ratio"}, default = "llr"},
    {"--negative", kind = "flag"},
    {"--stopwords", kind = "flag"}},
  defaults = {top = 15}})
local c = report.open(o)
local short = report.short_ids(c)
local rep = report.repeats(c, o)
if #c < 2 then report.fail("keyness needs at least two documents (a target and the rest)", 2) end

-- The targets: the --docs subset, or each document in turn.
local targets = {}
if #o.docs > 0 then
  local docs = report.docs(c, o.docs)
  local ids, names = {}, {}
  for i, d in ipairs(docs) do ids[i], names[i] = d.id, short[d.id] end
  targets[1] = {ids = ids, name = table.concat(names, "+"), title = #docs == 1 and docs[1].title or nil}
else
  for d in c:docs() do targets[#targets + 1] = {ids = {d.id}, name = short[d.id], title = d.title} end
end

local b = report.output(o)
local all = {}
local cols = {{"term"}, {"target"}, {"rest"}, {"llr", format = "%.1f"}, {"log_ratio", title = "log ratio", format = "%+.2f"},
  {"low", format = function(v) return v and "low" or "" end, title = ""}}
for _, t in ipairs(targets) do
  local rows, err = c:keyness(t.ids, {stopwords = o.stopwords, min = o.min, sort = o.sort,
    skip_duplicates = rep.mode})
  if not rows then report.fail(err, 2) end
  local pos, neg = {}, {}
  for _, r in ipairs(rows) do
    if r.llr > 0 then pos[#pos + 1] = r elseif r.llr < 0 then neg[#neg + 1] = r end
  end
  -- The most under-used first: the end of the list, reversed.
  local under = {}
  for i = #neg, 1, -1 do under[#under + 1] = neg[i] end
  local function cut(list)
    local keep = {}
    for i, r in ipairs(list) do
      if o.top > 0 and i > o.top then break end
      keep[i] = r
      r.doc = t.name
    end
    return keep
  end
  pos, under = cut(pos), cut(under)
  local head = ("%s%s: %s words in the target, %s in the rest"):format(t.name,
    t.title and (" “" .. t.title .. "”") or "", report.n(rows.N_target), report.n(rows.N_rest))
  if b.machine then
    for _, r in ipairs(pos) do all[#all + 1] = r end
    if o.negative then for _, r in ipairs(under) do all[#all + 1] = r end end
  else
    b:table(head, pos, cols)
    if o.negative then b:table("Used least by " .. t.name, under, cols) end
  end
end
if b.machine then
  b:table(nil, all, {"doc", "term", "target", "rest", "llr", "p", "log_ratio", "rel_target", "rel_rest", "low"})
else
  b:line()
  b:line("target, rest: occurrences; llr > 3.84: p < 0.05, > 10.83: p < 0.001; log ratio: log2 of the ratio of " ..
    "relative frequencies. See every occurrence with the kwic report.")
end
b:note(rep.counted_once and report.repeats_note(rep, short) or nil)
b:flush()

--- collocations — which words keep company with a word or phrase? The
-- words found near NODE more often than chance would put them there.
--
-- Usage: trawl run scripts/reports/collocations.lua CORPUS NODE [options]
--
-- NODE is a word or phrase, matched on normalised tokens as in the kwic
-- report. A collocate is counted when it falls within --window tokens of
-- an occurrence of NODE, in the same sentence (unless --across-sentences);
-- punctuation is not counted. For each collocate: o11, its count near
-- NODE; f, its count in the corpus; left/right, how many of o11 are
-- before/after NODE; and the association measure (--measure). Rows marked
-- low (o11 < 5 or an expected count below 1) rest on too few occurrences
-- to trust. The contingency table behind each figure is in the csv/json
-- output (o11, o12, o21, o22, e11) and in docs/reports.md.
--
-- Options:
--   --window N          tokens on each side (default 5)
--   --left N, --right N tokens on one side (default: --window)
--   --measure M         llr (default), logdice, mi, mi3, t, z, dice, log_ratio
--   --min N             at least N co-occurrences (default 2)
--   --top N             collocates listed (default 20; 0: all)
--   --stopwords         keep stop words as collocates
--   --across-sentences  let windows cross sentence boundaries
--   --keep-duplicates   count every copy of a repeated passage
--   --format FORMAT     table (default), md, csv, json, jsonl
--   --out FILE          write to FILE instead of stdout
--
-- Exit status: 0 done (also when NODE does not occur); 2 bad option or
-- missing NODE; 3 the corpus cannot be read.
--
-- Example:
--   trawl run scripts/reports/collocations.lua corpus/ militias --window 4 --measure logdice
--   trawl run scripts/reports/collocations.lua corpus/ "prime minister" --format csv
local report = require "trawl.report"

local MEASURES = {"llr", "logdice", "mi", "mi3", "t", "z", "dice", "log_ratio"}
local o = report.options(arg, {name = "collocations",
  options = {"top", "keep-duplicates", "format", "out",
    {"--window", "N", kind = "int", min = 1, default = 5},
    {"--left", "N", kind = "int", min = 0},
    {"--right", "N", kind = "int", min = 0},
    {"--measure", "M", kind = "choice", choices = MEASURES, default = "llr"},
    {"--min", "N", kind = "int", min = 1, default = 2},
    {"--stopwords", kind = "flag"},
    {"--across-sentences", kind = "flag"}},
  args = {{"NODE", required = true}},
  defaults = {top = 20}})
local node = o.args[1]
local c = report.open(o)
local short = report.short_ids(c)
local rep = report.repeats(c, o)

local rows, err = c:collocations(node, {window = o.window, left = o.left, right = o.right,
  measure = o.measure, min = o.min, top = o.top > 0 and o.top or nil, stopwords = o.stopwords,
  sentence = not o.across_sentences, skip_duplicates = rep.mode})
if not rows then report.fail(("'%s': %s"):format(node, err), 2) end

local b = report.output(o)
if rows.f_node == 0 then
  b:note(("'%s' does not occur in %s (it is matched on normalised tokens; try the kwic report)."):format(node, c.path))
  b:flush()
  return
end
b:line(("%s: '%s' occurs %d times; %d token positions in its windows (%d left, %d right, %s), %s tokens in all"):format(
  c.path, node, rows.f_node, rows.r1, rows.span.left, rows.span.right,
  o.across_sentences and "across sentences" or "within sentences", report.n(rows.N)))
local fmt_measure = ({mi = "%.2f", mi3 = "%.2f", t = "%.2f", z = "%.2f", dice = "%.3f", logdice = "%.2f",
  log_ratio = "%+.2f"})[o.measure] or "%.1f"
local cols = {{"term", title = "collocate"}, {"o11", title = "near"}, {"f_coll", title = "f"}, {"left"}, {"right"},
  {o.measure, format = fmt_measure}, {"low", title = "", format = function(v) return v and "low" or "" end}}
if o.measure ~= "llr" then table.insert(cols, #cols, {"llr", format = "%.1f"}) end
if b.machine then
  cols = {"term", "o11", "o12", "o21", "o22", "e11", "f_coll", "f_node", "N", "left", "right",
    "llr", "p", "mi", "mi3", "t", "z", "dice", "logdice", "log_ratio", "low"}
end
b:table(nil, rows, cols)
if not b.machine then
  b:line()
  b:line(("near: count within the window; f: count in the corpus; %s: %s. The lines behind a row: " ..
    "trawl run scripts/reports/kwic.lua %s '%s'"):format(o.measure, ({
      llr = "log-likelihood, > 3.84: p < 0.05, > 10.83: p < 0.001",
      logdice = "14 + log2(Dice), at most 14; comparable across corpora",
      mi = "log2(observed / expected); favours rare words",
      mi3 = "log2(observed³ / expected)",
      t = "t-score, (observed - expected) / √observed",
      z = "z-score, (observed - expected) / √expected",
      dice = "2 × near / (f + node count)",
      log_ratio = "log2 of the ratio of relative frequencies inside and outside the windows",
    })[o.measure], c.path, node))
end
if rows.note then b:note(rows.note .. ".") end
b:note(rep.counted_once and report.repeats_note(rep, short) or nil)
b:flush()

--- duplicates — which passages does the corpus repeat? Paragraphs and
-- documents that occur more than once, word for word or nearly.
--
-- Usage: trawl run scripts/reports/duplicates.lua CORPUS [options]
--
-- Repeats inflate counts: a paragraph pasted twice doubles every word and
-- mention in it. Each group lists the first occurrence (the original) and
-- its copies, with their document, paragraph number, length in words and
-- similarity to the original (Jaccard similarity of their 5-word
-- shingles: 1 is identical; "exact" when the texts are the same after
-- normalisation). The other reports count each group once (their
-- --keep-duplicates option counts every copy); this report shows what
-- that leaves out.
--
-- Options:
--   --level LEVEL       paragraphs, documents or both (default both)
--   --exact             only word-for-word repeats (no near duplicates)
--   --threshold X       similarity from which passages are near duplicates
--                       (0..1, default 0.5)
--   --min-words N       ignore paragraphs shorter than N words (default 5)
--   --width N           cut texts to N columns (default 100; 0: whole)
--   --format FORMAT     table (default), md, csv, json, jsonl
--   --out FILE          write to FILE instead of stdout
--
-- Exit status: 0 done (also when there are none); 2 bad option; 3 the
-- corpus cannot be read.
--
-- Example:
--   trawl run scripts/reports/duplicates.lua corpus/
--   trawl run scripts/reports/duplicates.lua corpus/ --exact --format csv
local report = require "trawl.report"

local o = report.options(arg, {name = "duplicates",
  options = {"format", "out",
    {"--level", "LEVEL", kind = "choice", choices = {"paragraphs", "documents", "both"}, default = "both"},
    {"--exact", kind = "flag"},
    {"--threshold", "X", kind = "num", min = 0, max = 1, default = 0.5},
    {"--min-words", "N", kind = "int", min = 1, default = 5},
    {"--width", "N", kind = "int", min = 0, default = 100}}})
local c = report.open(o)
local short = report.short_ids(c)

local groups = c:duplicates{level = o.level, near = not o.exact, threshold = o.threshold,
  min_words = o.min_words}
local b = report.output(o)
local rows, copies, words = {}, 0, 0
for gi, g in ipairs(groups) do
  for k, m in ipairs(g.members) do
    if k > 1 then copies, words = copies + 1, words + (m.words or 0) end
    rows[#rows + 1] = {group = gi, kind = g.kind, role = k == 1 and "original" or "copy",
      doc = short[m.docid], docid = m.docid, paragraph = m.paragraph, start = m.start, stop = m.stop,
      words = m.words, text = m.text:gsub("%s+", " "),
      -- The original is what the copies are compared with: no figure of its own.
      similarity = k > 1 and m.jaccard or nil, exact = k > 1 and m.exact or nil}
  end
end
b:line(("%s: %d %s repeated, %d %s (%d words) after the first occurrence%s"):format(c.path, #groups,
  #groups == 1 and "passage" or "passages", copies, copies == 1 and "copy" or "copies", words,
  #groups > 0 and ":" or "."))
if #rows > 0 then
  local width = o.width > 0 and o.width or nil
  local cols = {{"group", title = "#"}, {"role"}, {"doc"}, {"paragraph", title = "para"}, {"words"},
    {"similarity", title = "similar", format = "%.2f"},
    {"exact", format = function(v) return v and "exact" or "" end, title = ""}, {"text", max = width}}
  if b.machine then
    cols = {"group", "kind", "role", "doc", "docid", "paragraph", "start", "stop", "words", "similarity",
      "exact", "text"}
  end
  b:table(nil, rows, cols)
  b:line()
  b:line("similar: Jaccard similarity of 5-word shingles with the original (1 = identical); " ..
    "para: paragraph number in the document.")
  b:line("Other reports count each group once; their --keep-duplicates counts every copy.")
end
b:flush()

-- quality_dates.lua — accuracy of trawl's temporal expressions on the
-- labelled sets (tests/fixtures/dates/), with every miss listed, and the
-- extraction speed on the sample corpus.
--
--   build/trawl run bench/quality_dates.lua          (from the repository root)
--
-- Accuracy: a labelled expression counts when an expression found overlaps
-- it with the same type, TIMEX3 value and modifier (or, for "not a date"
-- rows, when nothing is found there). tests/lua/test_dates.lua asserts the
-- thresholds; this script only reports.

local Q = dofile("tests/fixtures/dates/eval.lua")

local function report(name, r)
  print(("%-8s %3d/%3d  %5.1f%%"):format(name, r.ok, r.n, 100 * r.ok / r.n))
  for _, m in ipairs(r.misses) do
    print(("  miss  [%s] %s\n        want %s\n        got  %s"):format(
      m.doc, m.text, m.want, m.got))
  end
end

local corpus = Q.corpus("corpus/")
local general = Q.general()
print("temporal expressions: accuracy (type, value and mod all right)")
report("corpus", corpus)
report("general", general)
if #corpus.extra > 0 then
  print(("corpus: %d expressions found that the labelled set does not list:")
        :format(#corpus.extra))
  for _, x in ipairs(corpus.extra) do
    print(("  [%s] %s = %s"):format(x.doc, x.text, x.value))
  end
end

-- Speed: d:dates() on the five articles repeated, tokens computed once
-- (extraction alone), and trawl.dates.parse (tokenizing included).
local c = assert(trawl.open("corpus/", {quiet = true, store = false}))
local docs, bytes = {}, 0
for d in c:docs() do
  d:ntokens() -- analyse first: time the extraction only
  docs[#docs + 1] = d
  bytes = bytes + d.len
end
local rounds = 400
local t0 = os.clock()
for _ = 1, rounds do
  for _, d in ipairs(docs) do d:dates() end
end
local dt = os.clock() - t0
local t1 = os.clock()
for _ = 1, rounds // 4 do
  for _, d in ipairs(docs) do trawl.dates.parse(d.text, d.date) end
end
local dt2 = os.clock() - t1
print(("speed: d:dates() %.0f MB/s (tokens given); trawl.dates.parse %.0f MB/s "
       .. "(tokenizing included); %d bytes x %d rounds"):format(
  bytes * rounds / dt / 1e6, bytes * (rounds // 4) / dt2 / 1e6, bytes, rounds))

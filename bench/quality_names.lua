--- Quality of trawl.names on the labelled pairs: precision, recall and F1
-- of pair scoring and of variant clustering, the hard negatives merged,
-- every error, and the speed of similarity and of the pair index.
--   build/trawl run bench/quality_names.lua [PAIRS.tsv] [THRESHOLD]
local names = require "trawl.names"

local path = arg[1] or "tests/fixtures/names/pairs.tsv"
local thr = tonumber(arg[2]) or names.THRESHOLD
local pairs_ = names.read_pairs(path)
local res = names.evaluate(pairs_, {threshold = thr})

local nsame = 0
for _, p in ipairs(pairs_) do if p.same then nsame = nsame + 1 end end
print(("%s: %d pairs (%d same, %d different), %d distinct names, threshold %.2f")
  :format(path, #pairs_, nsame, #pairs_ - nsame, res.names, thr))
print()
print(("%-12s %9s %9s %9s %5s %5s %5s"):format("", "precision", "recall", "F1", "TP", "FP", "FN"))
for _, k in ipairs{"scoring", "clustering"} do
  local t = res[k]
  print(("%-12s %9.3f %9.3f %9.3f %5d %5d %5d"):format(k, t.precision, t.recall, t.f1, t.tp, t.fp, t.fn))
end
print()
print(("hard negatives merged: %d"):format(#res.hard_merged))
for _, p in ipairs(res.hard_merged) do print(("  %s ~ %s (%s)"):format(p.a, p.b, p.note)) end

if #res.errors > 0 then
  print()
  print("errors (score; S = scoring, C = clustering):")
  for _, e in ipairs(res.errors) do
    local p = e.pair
    local what = (e.scored ~= p.same and "S" or " ") .. (e.clustered ~= p.same and "C" or " ")
    print(("  %s %-9s %.3f  %s ~ %s   [%s]"):format(what, p.same and "same" or "different",
      e.score, p.a, p.b, p.note))
  end
end

-- Speed: similarity of string pairs (parsing both names each time), and
-- the pair search over a larger list: the given names and surnames of the
-- labelled set combined, as a corpus of thousands of people would have.
local list = {}
for _, p in ipairs(pairs_) do list[#list + 1] = p.a list[#list + 1] = p.b end
local t0, n = os.clock(), 0
while os.clock() - t0 < 0.5 do
  for _, p in ipairs(pairs_) do names.similar(p.a, p.b) end
  n = n + #pairs_
end
print()
print(("names.similar from Lua (parses both names, builds the details table): %.0f pairs/s")
  :format(n / (os.clock() - t0)))
local firsts, lasts, seen = {}, {}, {}
for _, s in ipairs(list) do
  local f, l = s:match("^(%S+)"), s:match("(%S+)$")
  if f and not seen["f" .. f] then seen["f" .. f] = true firsts[#firsts + 1] = f end
  if l and not seen["l" .. l] then seen["l" .. l] = true lasts[#lasts + 1] = l end
end
local big, have = {}, {}
for i = 1, #firsts do
  for j = 1, #lasts do
    if #big >= 5000 then break end
    local s = firsts[(i * 7 + j) % #firsts + 1] .. " " .. lasts[j]
    if not have[s] then have[s] = true big[#big + 1] = s end
  end
end
t0 = os.clock()
local found = names.pairs(big, {threshold = thr})
print(("names.pairs over %d names: %d similar pairs in %.3f s (CPU)"):format(#big, #found, os.clock() - t0))

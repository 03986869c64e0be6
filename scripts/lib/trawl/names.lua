--- trawl.names, extended: `require "trawl.names"` returns the C module
-- trawl.names (key, similar, pairs, acronyms, long_form, is_acronym,
-- distance, jaro_winkler) with the Lua helpers below added to it:
--
--   names.cluster(list [, opts])      cluster names by similarity
--   names.read_pairs(path)            a labelled pairs file (tests/fixtures/names/pairs.tsv)
--   names.evaluate(pairs [, opts])    precision, recall and F1 of scoring and clustering
--
-- See docs/names.md.
local trawl = require "trawl"
local N = trawl.names

N.THRESHOLD = 0.85   -- default: two names are variants of one name
N.CANNOT = 0.75      -- a pair this dissimilar never ends in one cluster
N.AVERAGE = nil      -- clusters merge only if their average cross score reaches this (nil: the threshold)

--- Cluster a list of names (strings). Candidate pairs come from
-- names.pairs (a bigram index in C, so no all-pairs loop); they are merged
-- best first, as single linkage would, except that two clusters are not
-- merged when any pair across them scores below opts.cannot (0.75) or their
-- average cross score is below opts.average. That keeps chains such as
-- "Qassem al-Araji" - "Qassem" - "Qassem Soleimani" apart.
-- opts: threshold (0.85), partial ("suffix"), cannot (0.75), average (the threshold),
-- partial_of (function(i, j) -> partial mode for that pair, optional).
-- Returns clusters (a list of lists of indices, each sorted, clusters in
-- order of their first member) and of (index -> cluster number).
function N.cluster(list, opts)
  opts = opts or {}
  local thr = opts.threshold or N.THRESHOLD
  local cannot = opts.cannot or N.CANNOT
  local average = opts.average or N.AVERAGE or thr
  local partial = opts.partial or "suffix"
  local edges = N.pairs(list, {threshold = math.min(thr, 0.99), partial = partial})
  table.sort(edges, function(a, b)
    if a[3] ~= b[3] then return a[3] > b[3] end
    if a[1] ~= b[1] then return a[1] < b[1] end
    return a[2] < b[2]
  end)
  local parent, members = {}, {}
  for i = 1, #list do parent[i] = i members[i] = {i} end
  local function find(i)
    while parent[i] ~= i do parent[i] = parent[parent[i]] i = parent[i] end
    return i
  end
  local cache = {}
  local function score(i, j)
    if i > j then i, j = j, i end
    local k = i * (#list + 1) + j
    local s = cache[k]
    if not s then
      local p = opts.partial_of and opts.partial_of(i, j) or partial
      s = N.similar(list[i], list[j], {partial = p})
      cache[k] = s
    end
    return s
  end
  for _, e in ipairs(edges) do
    local ok = true
    if opts.partial_of then ok = score(e[1], e[2]) >= thr end
    local a, b = find(e[1]), find(e[2])
    if ok and a ~= b then
      local sum, n = 0, 0
      for _, i in ipairs(members[a]) do
        for _, j in ipairs(members[b]) do
          local s = score(i, j)
          if s < cannot then ok = false break end
          sum, n = sum + s, n + 1
        end
        if not ok then break end
      end
      if ok and sum / n >= average then
        if #members[a] < #members[b] then a, b = b, a end
        parent[b] = a
        for _, j in ipairs(members[b]) do table.insert(members[a], j) end
        members[b] = nil
      end
    end
  end
  local clusters, of = {}, {}
  for i = 1, #list do
    local r = find(i)
    if r == i then
      local m = members[r]
      table.sort(m)
      clusters[#clusters + 1] = m
    end
  end
  table.sort(clusters, function(a, b) return a[1] < b[1] end)
  for c, m in ipairs(clusters) do
    for _, i in ipairs(m) do of[i] = c end
  end
  return clusters, of
end

--- Read a labelled pairs file: lines "a<TAB>b<TAB>same|different<TAB>note",
-- "#" comments and blank lines skipped. Returns a list of {a, b, same, note, line}.
function N.read_pairs(path)
  local f = assert(io.open(path, "rb"))
  local out, ln = {}, 0
  for line in f:lines() do
    ln = ln + 1
    if line ~= "" and not line:match("^#") then
      local a, b, label, note = line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)\t?(.*)$")
      assert(a and (label == "same" or label == "different"),
        ("%s:%d: expected a<TAB>b<TAB>same|different<TAB>note"):format(path, ln))
      out[#out + 1] = {a = a, b = b, same = label == "same", note = note, line = ln}
    end
  end
  f:close()
  return out
end

local function prf(tp, fp, fn)
  local p = tp + fp > 0 and tp / (tp + fp) or 1
  local r = tp + fn > 0 and tp / (tp + fn) or 1
  local f1 = p + r > 0 and 2 * p * r / (p + r) or 0
  return p, r, f1
end

--- Evaluate scoring and clustering on labelled pairs.
-- Scoring: a pair is predicted "same" when similar(a, b) >= threshold.
-- Clustering: every distinct name of the file is clustered at once with
-- names.cluster; a pair is predicted "same" when both names end in one
-- cluster (so chains through other names count).
-- Returns {scoring = {tp, fp, fn, tn, precision, recall, f1},
--          clustering = {...same fields}, errors = {{pair, score, kind}},
--          hard_merged = {pairs labelled "hard negative" that were merged}}.
function N.evaluate(pairs, opts)
  opts = opts or {}
  local thr = opts.threshold or N.THRESHOLD
  local list, index = {}, {}
  for _, p in ipairs(pairs) do
    for _, s in ipairs{p.a, p.b} do
      if not index[s] then list[#list + 1] = s index[s] = #list end
    end
  end
  local _, of = N.cluster(list, opts)
  local res = {scoring = {tp = 0, fp = 0, fn = 0, tn = 0},
               clustering = {tp = 0, fp = 0, fn = 0, tn = 0},
               errors = {}, hard_merged = {}}
  local function count(t, pred, gold)
    if pred and gold then t.tp = t.tp + 1
    elseif pred then t.fp = t.fp + 1
    elseif gold then t.fn = t.fn + 1
    else t.tn = t.tn + 1 end
  end
  for _, p in ipairs(pairs) do
    local s = N.similar(p.a, p.b, {partial = opts.partial})
    local ps, pc = s >= thr, of[index[p.a]] == of[index[p.b]]
    count(res.scoring, ps, p.same)
    count(res.clustering, pc, p.same)
    if pc ~= p.same or ps ~= p.same then
      res.errors[#res.errors + 1] = {pair = p, score = s, scored = ps, clustered = pc}
    end
    if not p.same and pc and p.note:match("^hard negative") then
      res.hard_merged[#res.hard_merged + 1] = p
    end
  end
  for _, t in ipairs{res.scoring, res.clustering} do
    t.precision, t.recall, t.f1 = prf(t.tp, t.fp, t.fn)
  end
  res.names = #list
  return res
end

return N

--- trawl.analysis — the analysis library: frequency tables, keyword in
-- context, collocations, keyness, dispersion, entity co-occurrence,
-- timelines and duplicate passages. See docs/analysis.md.
--
-- The counting is done in C (engine/stats.h, reached through trawl._stats);
-- every measure is computed here, from contingency tables that are returned
-- with each row, so any figure can be reproduced by hand.
--
-- The public functions are also Corpus methods: c:freq{...} is
-- analysis.freq(c, {...}). The binding installs small stubs on the Corpus
-- method table that require this module on first use.
local trawl = require "trawl"

local S = trawl._stats
local M = {}

local log, sqrt, abs, exp = math.log, math.sqrt, math.abs, math.exp
local LN2 = log(2)
local function log2(x) return log(x) / LN2 end

-- ---------------------------------------------------------------------
-- Measures
-- ---------------------------------------------------------------------

--- The low-count rule of every association row: fewer than 5
-- co-occurrences, or an expected co-occurrence frequency below 1.
M.LOW_O11, M.LOW_E11 = 5, 1

--- A 2x2 contingency table from its four cells, with its margins and
-- expected frequencies (Eij = Ri * Cj / N).
--   o11: A with B    o12: A without B    r1 = o11 + o12
--   o21: B without A o22: neither        r2 = o21 + o22
--   c1 = o11 + o21   c2 = o12 + o22      n = r1 + r2
function M.contingency(o11, o12, o21, o22)
  local r1, r2 = o11 + o12, o21 + o22
  local c1, c2 = o11 + o21, o12 + o22
  local n = r1 + r2
  return {
    o11 = o11, o12 = o12, o21 = o21, o22 = o22,
    r1 = r1, r2 = r2, c1 = c1, c2 = c2, n = n,
    e11 = r1 * c1 / n, e12 = r1 * c2 / n, e21 = r2 * c1 / n, e22 = r2 * c2 / n,
  }
end

-- o * ln(o / e), 0 when o is 0 (its limit).
local function xlogx(o, e)
  if o <= 0 or e <= 0 then return 0 end
  return o * log(o / e)
end

--- Dunning's log-likelihood G2 = 2 * sum Oij ln(Oij / Eij) over the four
-- cells, negative when o11 < e11 (under-use).
function M.llr(t)
  local g = 2 * (xlogx(t.o11, t.e11) + xlogx(t.o12, t.e12) +
                 xlogx(t.o21, t.e21) + xlogx(t.o22, t.e22))
  if g < 0 then g = 0 end -- rounding
  return t.o11 < t.e11 and -g or g
end

--- erfc(x) (Numerical Recipes' erfcc, fractional error < 1.2e-7).
local function erfc(x)
  local z = abs(x)
  local t = 1 / (1 + 0.5 * z)
  local r = t * exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 +
    t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 +
    t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))))
  return x >= 0 and r or 2 - r
end

--- p-value of G2 (or X2) with one degree of freedom: P(chi2_1 >= |g|).
function M.p_value(g)
  return erfc(sqrt(abs(g) / 2))
end

--- Every association measure of a contingency table t (from
-- M.contingency). f1 and f2 are the two items' own frequencies for Dice
-- (default t.r1 and t.c1). Formulas (log2 throughout):
--   mi        = log2(o11 / e11)
--   mi3       = log2(o11^3 / e11)
--   t         = (o11 - e11) / sqrt(o11)
--   z         = (o11 - e11) / sqrt(e11)
--   llr       = M.llr(t), signed; p its chi-square(1) p-value
--   dice      = 2 * o11 / (f1 + f2)
--   logdice   = 14 + log2(dice)
--   log_ratio = log2(((o11 + 0.5) / r1) / ((o21 + 0.5) / r2))
--               (0.5 added to both frequencies, so a zero is no infinity)
--   low       = o11 < 5 or e11 < 1
function M.measures(t, f1, f2)
  f1, f2 = f1 or t.r1, f2 or t.c1
  local o, e = t.o11, t.e11
  local m = {}
  m.mi = (o > 0 and e > 0) and log2(o / e) or -math.huge
  m.mi3 = (o > 0 and e > 0) and log2(o ^ 3 / e) or -math.huge
  m.t = o > 0 and (o - e) / sqrt(o) or 0
  m.z = e > 0 and (o - e) / sqrt(e) or 0
  m.llr = M.llr(t)
  m.p = M.p_value(m.llr)
  m.dice = (f1 + f2) > 0 and 2 * o / (f1 + f2) or 0
  m.logdice = m.dice > 0 and 14 + log2(m.dice) or -math.huge
  if t.r1 > 0 and t.r2 > 0 then
    m.log_ratio = log2(((o + 0.5) / t.r1) / ((t.o21 + 0.5) / t.r2))
  end
  m.low = o < M.LOW_O11 or e < M.LOW_E11
  return m
end

local MEASURES = {llr = true, mi = true, mi3 = true, t = true, z = true,
                  dice = true, logdice = true, log_ratio = true, o11 = true}

-- Sort rows by field `by` (descending), ties by term.
local function sort_rows(rows, by)
  table.sort(rows, function(a, b)
    local x, y = a[by] or -math.huge, b[by] or -math.huge
    if x ~= y then return x > y end
    return tostring(a.term or a.id) < tostring(b.term or b.id)
  end)
end

local function cut(rows, top)
  if top then for i = #rows, top + 1, -1 do rows[i] = nil end end
  return rows
end

-- Call a C pass; its errors are re-raised as "name: message" without the
-- position inside this module (which would point nowhere useful).
local function run(name, f, ...)
  local ok, a, b = pcall(f, ...)
  if not ok then
    local msg = tostring(a):gsub("^[^\n]-analysis%.lua:%d+: ", "")
    error(name .. ": " .. msg, 0)
  end
  return a, b
end

local function check_opts(opts, name)
  if opts ~= nil and type(opts) ~= "table" then
    error(("%s: options must be a table"):format(name), 3)
  end
  return opts or {}
end

-- ---------------------------------------------------------------------
-- Entity labels
-- ---------------------------------------------------------------------

-- id -> {name, type} for the entities of a mention source.
local function entity_info(c, opts)
  local info = {}
  local rules = opts.rules
  if rules then
    if getmetatable(rules) and rules.entities then rules = {rules} end
    for _, rs in ipairs(rules) do
      for _, e in ipairs(rs.entities) do info[e.id] = {name = e.name, type = e.type} end
    end
  elseif opts.mentions then
    for _, m in ipairs(opts.mentions) do
      if m.entity and not info[m.entity] then info[m.entity] = {name = m.entity, type = m.type} end
    end
  elseif c.store then
    for _, e in ipairs(c:entities()) do info[e.id] = {name = e.name, type = e.type} end
  end
  return info
end

-- ---------------------------------------------------------------------
-- freq
-- ---------------------------------------------------------------------

--- c:freq{unit = "norm", n = 2, top =, min =, stopwords = true,
-- punct = false, by_doc = false, skip_duplicates = false, types =,
-- rules =, mentions =} -> rows {term, count, rel, docs, range, low
-- [, by_doc, name, type]}, most frequent first; the list also carries N,
-- tokens, ndocs, ntypes, unit. rel is per million units (tokens, n-grams
-- or, for entities, tokens); range = docs / ndocs; low = count < 5.
function M.freq(c, opts)
  opts = check_opts(opts, "freq")
  local r = run("freq", S.freq, c, opts)
  local unit = opts.unit or "norm"
  local per = unit == "entity" and r.tokens or r.N
  local info = unit == "entity" and entity_info(c, opts) or nil
  local rows = r.rows
  for _, row in ipairs(rows) do
    row.rel = per > 0 and row.count / per * 1e6 or 0
    row.range = r.ndocs > 0 and row.docs / r.ndocs or 0
    row.low = row.count < M.LOW_O11
    if info and info[row.term] then
      row.name, row.type = info[row.term].name, info[row.term].type
    end
    if opts.by_doc then
      row.by_doc_rel = {}
      for d, n in pairs(row.by_doc) do
        local doc = c:doc(d)
        local size = r.sizes[doc.index]
        row.by_doc_rel[d] = size > 0 and n / size * 1e6 or 0
      end
    end
  end
  rows.N, rows.tokens, rows.ndocs, rows.ntypes = r.N, r.tokens, r.ndocs, r.ntypes
  rows.unit, rows.sizes = unit, r.sizes
  return rows
end

-- ---------------------------------------------------------------------
-- kwic
-- ---------------------------------------------------------------------

--- c:kwic(query [, {width = 40 | {tokens = n}, sort = "doc"|"left"|"right",
-- limit =, skip_duplicates =}]) -> lines {doc, docid, start, stop, left,
-- match, right, sentence, token, pos}; the list carries total (hits before
-- limit) and N. query: a word or phrase (matched on norms), {regex = re,
-- flags = "i"}, {pattern = {token specs}}, {entity = id} or
-- {mentions = list}. nil and a message when the query does not compile.
function M.kwic(c, query, opts)
  opts = check_opts(opts, "kwic")
  local r, err = run("kwic", S.kwic, c, query, opts)
  if not r then return nil, err end
  local lines = r.lines
  lines.total, lines.N = r.total, r.N
  return lines
end

-- ---------------------------------------------------------------------
-- collocations
-- ---------------------------------------------------------------------

--- c:collocations(node [, {window = 5, left =, right =, sentence = true,
-- measure = "llr", min = 1, min_freq = 1, top =, stopwords = true,
-- punct = false, skip_duplicates =}]) -> rows sorted by measure (most
-- first), each {term, o11, o12, o21, o22, e11, f_node, f_coll, N, r1,
-- left, right, llr, p, mi, mi3, t, z, dice, logdice, log_ratio, low}.
--
-- The table (Evert's surface co-occurrence): N counted tokens; R1 = r1 =
-- the token positions inside the node's windows (the union of the
-- windows, each position once); C1 = f_coll, the collocate's corpus
-- frequency; o11 its occurrences inside the windows; o12 = r1 - o11,
-- o21 = f_coll - o11, o22 = N - r1 - o21. Dice uses f_node and f_coll.
function M.collocations(c, node, opts)
  opts = check_opts(opts, "collocations")
  local measure = opts.measure or "llr"
  if not MEASURES[measure] then error("collocations: unknown measure '" .. tostring(measure) .. "'", 2) end
  local r, err = run("collocations", S.colloc, c, node, opts)
  if not r then return nil, err end
  local rows = r.rows
  for _, row in ipairs(rows) do
    local o11 = row.o11
    local t = M.contingency(o11, r.window - o11, row.f_coll - o11,
                            r.N - r.window - (row.f_coll - o11))
    local m = M.measures(t, r.f_node, row.f_coll)
    for k, v in pairs(m) do row[k] = v end
    row.o12, row.o21, row.o22, row.e11 = t.o12, t.o21, t.o22, t.e11
    row.f_node, row.N, row.r1 = r.f_node, r.N, r.window
  end
  sort_rows(rows, measure)
  cut(rows, opts.top)
  rows.node, rows.f_node, rows.N, rows.r1 = node, r.f_node, r.N, r.window
  rows.span = {left = r.left, right = r.right}
  rows.measure = measure
  if r.f_node < M.LOW_O11 then
    rows.low = true
    rows.note = ("the node occurs %d times: too few for the measures to mean much"):format(r.f_node)
  end
  return rows
end

-- ---------------------------------------------------------------------
-- keyness
-- ---------------------------------------------------------------------

--- The keyness figures of one term: a occurrences in a target of size
-- n1, b in the rest of size n2. Table: o11 = a, o12 = n1 - a, o21 = b,
-- o22 = n2 - b. llr is the four-cell G2, signed (negative: the target
-- uses the term less); log_ratio = log2(((a + 0.5) / n1) / ((b + 0.5) /
-- n2)); low = a + b < 5 or e11 < 1.
function M.keyness_row(a, n1, b, n2)
  local t = M.contingency(a, n1 - a, b, n2 - b)
  local g = M.llr(t)
  return {
    o11 = t.o11, o12 = t.o12, o21 = t.o21, o22 = t.o22, e11 = t.e11,
    llr = g, p = M.p_value(g),
    log_ratio = log2(((a + 0.5) / n1) / ((b + 0.5) / n2)),
    rel_target = n1 > 0 and a / n1 * 1e6 or 0,
    rel_rest = n2 > 0 and b / n2 * 1e6 or 0,
    low = (a + b) < M.LOW_O11 or t.e11 < M.LOW_E11,
  }
end

-- The target: a list of documents (Doc, id or index) or a predicate.
local function target_list(c, target)
  if type(target) == "function" then
    local out = {}
    for d in c:docs() do if target(d) then out[#out + 1] = d.index end end
    return out
  elseif type(target) == "string" or (type(target) == "userdata") then
    return {target}
  elseif type(target) == "table" then
    return target
  end
  error("keyness: the target is a list of documents or a function(doc)", 3)
end

--- c:keyness(target [, {unit = "norm", n =, min = 1, top =, sort = "llr",
-- stopwords = true, punct = false, skip_duplicates =}]) -> rows {term,
-- target, rest, o11, o12, o21, o22, e11, llr, p, log_ratio, rel_target,
-- rel_rest, low}, most key first (positive llr, then negative). target:
-- documents (Doc, id or index, or a list of them) or function(doc).
function M.keyness(c, target, opts)
  opts = check_opts(opts, "keyness")
  local list = target_list(c, target)
  local o = {}
  for k, v in pairs(opts) do o[k] = v end
  o.target, o.top, o.min = list, nil, 1
  local r = run("keyness", S.freq, c, o)
  local n1, n2 = r.N_target, r.N - r.N_target
  if r.ntarget == 0 then return nil, "keyness: the target has no documents" end
  if r.ntarget == r.ndocs then return nil, "keyness: the target is the whole corpus" end
  local rows = {}
  local min = opts.min or 1
  for _, f in ipairs(r.rows) do
    if f.count >= min then
      local row = M.keyness_row(f.target, n1, f.count - f.target, n2)
      row.term, row.target, row.rest = f.term, f.target, f.count - f.target
      rows[#rows + 1] = row
    end
  end
  sort_rows(rows, opts.sort or "llr")
  cut(rows, opts.top)
  rows.N_target, rows.N_rest, rows.ntarget = n1, n2, r.ntarget
  return rows
end

-- ---------------------------------------------------------------------
-- dispersion
-- ---------------------------------------------------------------------

--- Gries' DP of frequencies f[i] over parts of sizes s[i]:
--   DP = 0.5 * sum |f[i] / F - s[i] / S|       (F = sum f, S = sum s)
--   DP_norm = DP / (1 - min(s[i] / S))           (Lijffijt & Gries 2012)
-- 0: spread exactly as the parts' sizes; near 1: all in one small part.
function M.dp(f, s)
  local F, Ssum, min = 0, 0, math.huge
  for i = 1, #s do F, Ssum = F + f[i], Ssum + s[i] end
  if F == 0 or Ssum == 0 then return nil end
  local dp = 0
  for i = 1, #s do
    local e = s[i] / Ssum
    dp = dp + abs(f[i] / F - e)
    if e < min then min = e end
  end
  dp = dp / 2
  return dp, (min < 1) and dp / (1 - min) or nil
end

--- Juilland's D over n parts, on each part's relative frequency
-- r[i] = f[i] / s[i] (parts of size 0 left out):
--   D = 1 - (sd(r) / mean(r)) / sqrt(n - 1)   (sd: population)
-- 1: even; 0: all in one part. nil with fewer than 2 parts or no hit.
function M.juilland(f, s)
  local r = {}
  for i = 1, #s do if s[i] > 0 then r[#r + 1] = f[i] / s[i] end end
  local n = #r
  if n < 2 then return nil end
  local mean = 0
  for i = 1, n do mean = mean + r[i] end
  mean = mean / n
  if mean == 0 then return nil end
  local var = 0
  for i = 1, n do var = var + (r[i] - mean) ^ 2 end
  local sd = sqrt(var / n)
  return 1 - (sd / mean) / sqrt(n - 1)
end

--- c:dispersion(term [, opts]) -> {term, total, N, ndocs, range, dp,
-- dp_norm, juilland_d, low, docs = {{docid, index, count, size, rel,
-- positions, offsets}}}. term: a word or phrase, or any kwic query table
-- ({entity = id}, {regex = ...}). Parts are the documents, their sizes
-- counted tokens; positions are relative (hit start byte / document
-- length, 0..1), offsets the byte positions. low: fewer than 5 hits.
function M.dispersion(c, term, opts)
  opts = check_opts(opts, "dispersion")
  local o = {}
  for k, v in pairs(opts) do o[k] = v end
  o.lines = false
  local r, err = run("dispersion", S.kwic, c, term, o)
  if not r then return nil, err end
  local docs, f, s = {}, {}, {}
  for i = 1, #r.sizes do f[i], s[i] = 0, r.sizes[i] end
  local byidx = {}
  for _, h in ipairs(r.hits) do
    local e = byidx[h.doc]
    if not e then
      local d = c:doc(h.doc)
      e = {docid = h.docid, index = h.doc, count = 0, size = r.sizes[h.doc],
           positions = {}, offsets = {}, len = #d}
      byidx[h.doc] = e
      docs[#docs + 1] = e
    end
    e.count = e.count + 1
    e.offsets[#e.offsets + 1] = h.start
    e.positions[#e.positions + 1] = e.len > 0 and (h.start - 1) / e.len or 0
    f[h.doc] = f[h.doc] + 1
  end
  for _, e in ipairs(docs) do
    e.rel = e.size > 0 and e.count / e.size * 1e6 or 0
    e.len = nil
  end
  table.sort(docs, function(a, b) return a.index < b.index end)
  local dp, dpn = M.dp(f, s)
  local out = {
    term = term, total = r.total, N = r.N, ndocs = #r.sizes, docs = docs,
    range = #docs, dp = dp, dp_norm = dpn, juilland_d = M.juilland(f, s),
    low = r.total < M.LOW_O11,
  }
  if out.low then
    out.note = ("%d hits: too few for a dispersion measure to mean much"):format(r.total)
  end
  return out
end

-- ---------------------------------------------------------------------
-- cooccur
-- ---------------------------------------------------------------------

--- c:cooccur{types =, within = "sentence"|"paragraph"|"doc"|"window",
-- window = 10, min = 1, rules =, mentions =, ruleset =,
-- skip_duplicates =} -> graph {nodes = {{id, label, type, weight, units}},
-- edges = {{source, target, weight, llr, p, dice, logdice, mi, o11, o12,
-- o21, o22, e11, low}}, within, N}. Node weight: mentions; edge weight:
-- co-occurrences (units holding both; window: pairs of mentions at most
-- `window` counted tokens apart). Tables: units — o11 = both, r1 = units
-- with source, c1 = units with target, N = units; window — r1 = 2 *
-- window * mentions(source), c1 = mentions(target), N = counted tokens.
function M.cooccur(c, opts)
  opts = check_opts(opts, "cooccur")
  local r = run("cooccur", S.cooccur, c, opts)
  local info = entity_info(c, opts)
  local graph = {nodes = {}, edges = {}, within = r.within, N = r.N,
                 directed = false}
  if r.within == "window" then graph.window = r.window end
  for i, n in ipairs(r.nodes) do
    local inf = info[n.id] or {}
    graph.nodes[i] = {id = n.id, label = inf.name or n.id,
                      type = n.type or inf.type, weight = n.mentions,
                      units = n.units}
  end
  local min = opts.min or 1
  for _, p in ipairs(r.pairs) do
    if p.count >= min then
      local a, b = r.nodes[p.a], r.nodes[p.b]
      local t
      if r.within == "window" then
        local r1 = 2 * r.window * a.mentions
        t = M.contingency(p.count, r1 - p.count, b.mentions - p.count,
                          r.N - r1 - b.mentions + p.count)
      else
        t = M.contingency(p.count, a.units - p.count, b.units - p.count,
                          r.N - a.units - b.units + p.count)
      end
      local m = M.measures(t, a.units, b.units)
      graph.edges[#graph.edges + 1] = {
        source = a.id, target = b.id, weight = p.count,
        llr = m.llr, p = m.p, dice = m.dice, logdice = m.logdice, mi = m.mi,
        o11 = t.o11, o12 = t.o12, o21 = t.o21, o22 = t.o22, e11 = t.e11,
        low = m.low,
      }
    end
  end
  return graph
end

-- ---------------------------------------------------------------------
-- timeline
-- ---------------------------------------------------------------------

--- c:timeline{types =, rules =, mentions =, entities_only = false} ->
-- {events = {{date, type, text, doc, docid, sentence, start, stop,
-- date_text, anchor, entities}}, undated = {...}}. An event is a sentence
-- holding a DATE or TIME expression (d:dates(), normalised against the
-- document's date) whose TIMEX value names a calendar year or decade, with
-- the entities mentioned in that sentence (ids from the store, or from the
-- given rules or mentions; `types` filters them). Events are in date order
-- (the TIMEX value's text: ISO dates sort correctly, "2020" before
-- "2020-06" before "2020-06-25"), then corpus order; one event per
-- sentence and value. DATE and TIME expressions without such a value
-- ("today" as PRESENT_REF, "June 25" as XXXX-06-25 when no year is known)
-- are listed in `undated`, in corpus order; durations and sets are not
-- events. nil and "dates are not available" when this trawl has no
-- d:dates().
function M.timeline(c, opts)
  opts = check_opts(opts, "timeline")
  local first = c:doc(1)
  if first and type(first.dates) ~= "function" then
    return nil, "dates are not available (this trawl has no d:dates())"
  end
  local want = nil
  if opts.types then
    want = {}
    for _, t in ipairs(type(opts.types) == "table" and opts.types or {opts.types}) do want[t] = true end
  end
  -- Entities by document: from the mention source, if there is one.
  local mentions
  if opts.mentions or opts.rules then
    mentions = run("timeline", S.mentions, c, {mentions = opts.mentions, rules = opts.rules})
  elseif c.store then
    mentions = c:mentions()
  end
  local by_doc = {}
  for _, m in ipairs(mentions or {}) do
    if m.entity and m.type ~= "DATE" and (not want or want[m.type]) then
      local l = by_doc[m.docid]
      if not l then l = {}; by_doc[m.docid] = l end
      l[#l + 1] = m
    end
  end
  local events, undated = {}, {}
  for d in c:docs() do
    local dates = d:dates()
    local sents, seen = nil, {}
    for _, dt in ipairs(dates) do
      if dt.type == "DATE" or dt.type == "TIME" then
        if not sents then
          sents = {}
          for s in d:sentences() do sents[#sents + 1] = s end
        end
        local s
        for _, x in ipairs(sents) do
          if x.start <= dt.start and dt.start <= x.stop then s = x break end
        end
        if s then
          local ents, have = {}, {}
          for _, m in ipairs(by_doc[d.id] or {}) do
            if m.start >= s.start and m.start <= s.stop and not have[m.entity] then
              have[m.entity] = true
              ents[#ents + 1] = m.entity
            end
          end
          local dated = type(dt.value) == "string" and dt.value:match("^%d%d%d") ~= nil
          local ev = {date = dt.value, type = dt.type, text = s.text, doc = d,
                      docid = d.id, sentence = s.index, start = s.start,
                      stop = s.stop, date_text = dt.text, anchor = dt.anchor,
                      entities = ents}
          local key = s.index .. "\0" .. tostring(dt.value)
          if (not opts.entities_only or #ents > 0) and not seen[key] then
            seen[key] = true
            if dated then events[#events + 1] = ev
            else undated[#undated + 1] = ev end
          end
        end
      end
    end
  end
  for i, e in ipairs(events) do e.order = i end
  table.sort(events, function(a, b)
    if a.date ~= b.date then return a.date < b.date end
    return a.order < b.order
  end)
  for _, e in ipairs(events) do e.order = nil end
  return {events = events, undated = undated}
end

-- ---------------------------------------------------------------------
-- duplicates
-- ---------------------------------------------------------------------

--- c:duplicates{level = "both"|"paragraphs"|"documents", near = true,
-- threshold = 0.5, shingle = 5, k = 128, min_words = 5} -> groups
-- {kind, exact, members = {{doc, docid, paragraph, start, stop, words,
-- jaccard, estimate, exact, text}}}, each group in corpus order (the first
-- member is the original); the list carries units, candidates, bands, rows
-- and `copies` (members after the first of each group).
function M.duplicates(c, opts)
  opts = check_opts(opts, "duplicates")
  local r = run("duplicates", S.dups, c, opts)
  local groups = r.groups
  local copies = 0
  for _, g in ipairs(groups) do
    copies = copies + #g.members - 1
    -- Document groups come without a passage: give them the document's
    -- opening, so every member has the fields docs/analysis.md lists.
    for _, m in ipairs(g.members) do
      if m.text == nil and m.doc then
        m.text = m.doc.text:sub(1, 300):gsub("[\128-\191]*$", "")
        m.paragraph = m.paragraph or 0
        m.start = m.start or 1
        m.stop = m.stop or m.doc.len
      end
    end
  end
  groups.units, groups.candidates = r.units, r.candidates
  groups.bands, groups.rows, groups.copies = r.bands, r.rows, copies
  return groups
end

--- Is the (normalised) word in trawl's English stop-word list?
function M.is_stopword(w)
  return S.is_stopword(trawl.normalize(w))
end

return M

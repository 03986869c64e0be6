--- overview — what is in this corpus?
-- Usage: trawl run scripts/reports/overview.lua CORPUS [--top N]
-- Prints one line per document (id, title, date, source, words, sentences)
-- and the most frequent content terms of the whole corpus: normalised
-- word forms that are not stop words, single letters or punctuation.
local trawl = require "trawl"
local fmt = require "trawl.fmt"

local top = 15
local i = 2
while arg[i] do
  if arg[i] == "--top" and tonumber(arg[i + 1]) then
    top = math.tointeger(tonumber(arg[i + 1])) or top
    i = i + 2
  else
    io.stderr:write("overview: unknown option '", arg[i], "' (use --top N)\n")
    os.exit(2)
  end
end

local c = trawl.corpus()
local rows, terms = {}, {}
local ntok, nsent, nwords = 0, 0, 0
for d in c:docs() do
  local words = 0
  for t in d:tokens() do
    local k = t.kind
    if k == "word" or k == "number" then
      words = words + 1
      if k == "word" and not t.is_stop and utf8.len(t.norm) > 1 then
        terms[t.norm] = (terms[t.norm] or 0) + 1
      end
    end
  end
  ntok = ntok + d:ntokens()
  nsent = nsent + d:nsentences()
  nwords = nwords + words
  rows[#rows + 1] = {
    id = d.id, title = d.title, date = d.date or "", source = d.source or "",
    words = words, sentences = d:nsentences(),
  }
end

print(string.format("%s: %d documents, %.1f KB, %d words, %d tokens, %d sentences",
  c.path, #c, c.bytes / 1024, nwords, ntok, nsent))
print()
print(fmt.table(rows, {
  {"id", max = 22}, {"title", max = 48}, {"date"}, {"source", max = 20},
  {"words", align = "right"}, {"sentences", align = "right"},
}))

local list = {}
for term, n in pairs(terms) do list[#list + 1] = {term = term, count = n} end
table.sort(list, function(a, b)
  if a.count ~= b.count then return a.count > b.count end
  return a.term < b.term
end)
for k = top + 1, #list do list[k] = nil end
print()
print(string.format("Top %d terms (normalised, stop words left out):", #list))
print(fmt.table(list, {{"term"}, {"count", align = "right"}}))

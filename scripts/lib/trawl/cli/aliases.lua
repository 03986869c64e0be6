--- trawl aliases CORPUS [--rules FILE...] [OPTIONS] — the spellings an
-- analyst would otherwise find by reading: candidate names in the corpus
-- (capitalised sequences, handles, hashtags, acronyms, and forms next to
-- known aliases), clustered with trawl.names, proposed as new aliases of
-- the known entities of the rule files and as new entities, with evidence.
-- Prints a report, then a rule-file patch (or writes it with --patch).
-- See docs/names.md. Exit status: 0 done; 2 usage; 3 corpus or rules
-- unreadable.
local trawl = require "trawl"
local names = require "trawl.names"
local json = require "trawl.json"

local usage = [[
usage: trawl aliases CORPUS [--rules FILE...] [OPTIONS]
options:
  --rules FILE...   rule files whose entities are known (the flag repeats too)
  --min-count N     occurrences a new entity needs (default 2; new aliases
                    of known entities need 1)
  --threshold X     similarity for two spellings of one name (default 0.85)
  --types T,T       propose only these types (default PERSON,ORG,GPE,LOC,
                    FAC,EVENT,UNKNOWN; also NORP, DATE, TITLE)
  --patch FILE      write the rule-file patch to FILE instead of stdout
  --json            machine-readable output (report and patch as JSON)]]

local on_exit -- removes the scratch store, once there is one

local function die(code, msg)
  if on_exit then on_exit() end
  io.stderr:write(msg, "\n")
  os.exit(code)
end

-- ---------------------------------------------------------------------
-- Options
-- ---------------------------------------------------------------------

local opts = {rules = {}, min_count = 2, threshold = names.THRESHOLD,
  types = {PERSON = true, ORG = true, GPE = true, LOC = true, FAC = true,
           EVENT = true, UNKNOWN = true}}
do
  local i = 1
  while arg[i] do
    local a = arg[i]
    local function value()
      i = i + 1
      if not arg[i] then die(2, "trawl aliases: " .. a .. " needs a value\n" .. usage) end
      return arg[i]
    end
    if a == "-h" or a == "--help" then print(usage) os.exit(0)
    elseif a == "--rules" then
      table.insert(opts.rules, value())
      -- "--rules a.lua b.lua": more rule files may follow one flag
      while arg[i + 1] and arg[i + 1]:match("%.lua$") and arg[i + 1]:sub(1, 1) ~= "-" do
        i = i + 1
        table.insert(opts.rules, arg[i])
      end
    elseif a == "--min-count" then
      opts.min_count = math.tointeger(tonumber(value()))
      if not opts.min_count or opts.min_count < 1 then die(2, "trawl aliases: --min-count needs a positive integer") end
    elseif a == "--threshold" then
      opts.threshold = tonumber(value())
      if not opts.threshold or opts.threshold <= 0 or opts.threshold > 1 then
        die(2, "trawl aliases: --threshold needs a number in (0, 1]")
      end
    elseif a == "--types" then
      opts.types = {}
      for t in value():gmatch("[^,%s]+") do opts.types[t:upper()] = true end
    elseif a == "--patch" then opts.patch = value()
    elseif a == "--json" then opts.json = true
    elseif a:sub(1, 1) == "-" and a ~= "-" then die(2, "trawl aliases: unknown option '" .. a .. "'\n" .. usage)
    elseif opts.corpus then die(2, "trawl aliases: one CORPUS only; extra '" .. a .. "'")
    else opts.corpus = a end
    i = i + 1
  end
  if not opts.corpus then die(2, usage) end
end
local THR = opts.threshold

-- ---------------------------------------------------------------------
-- Word lists
-- ---------------------------------------------------------------------

local function set(list)
  local s = {}
  for _, w in ipairs(list) do s[w] = true end
  return s
end

-- Titles and offices written before names: not part of a name, a PERSON cue.
local TITLES = set{"Prime", "Minister", "PM", "President", "General", "Gen",
  "Major", "Brigadier", "Rear", "Admiral", "Secretary-General", "Secretary",
  "Mr", "Mrs", "Ms", "Dr", "Crown", "Prince", "Grand", "Ayatollah", "King",
  "Queen", "Commander", "Colonel", "Col", "Lieutenant", "Captain", "Sheikh",
  "Imam", "Mullah", "Premier", "Senator", "Governor", "Deputy", "Chairman",
  "Speaker", "Ambassador", "Judge", "Spox", "Sgt", "Lt", "Maj", "Adm",
  "Vice", "Chief", "Marshal", "Emir", "Sultan", "Cleric", "Leader", "Adviser",
  "Advisor", "Spokesman", "Spokeswoman", "Spokesperson", "Director"}
-- Particles and articles that may stand lower-case inside a name.
local CONNECTORS = set{"al", "el", "ul", "bin", "ibn", "bint", "abu", "of",
  "for", "de", "van", "von"}
-- Articles that start a hyphenated name part: al-Kadhimi, ash-Shaabi.
local ARTICLE_PART = set{"al", "el", "ul", "ad", "an", "ar", "as", "ash", "at",
  "az", "adh", "ath", "bin", "ibn", "abu", "bint"}
-- Prepositions before places: "in Baghdad", "to Erbil".
local PLACE_PREP = set{"in", "to", "from", "into", "near", "across", "inside", "outside"}
local DETERMINERS = set{"a", "an", "the", "this", "that", "these", "those"}
local MONTHS = set{"January", "February", "March", "April", "May", "June", "July",
  "August", "September", "October", "November", "December", "Monday", "Tuesday",
  "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Christmas", "Ramadan",
  "Eid", "Easter", "Nowruz"}
-- Nationalities and religious groups (NORP), beyond what the -i/-ian rule finds.
local NORP = set{"Shiite", "Shiites", "Shia", "Sunni", "Sunnis", "Kurdish",
  "Kurds", "Kurd", "Arab", "Arabs", "Persian", "Persians", "Turkish", "Western",
  "European", "Europeans", "American", "Americans", "British", "French",
  "Islamist", "Islamists", "Muslim", "Muslims", "Christian", "Christians",
  "Jewish", "Yazidi", "Yazidis", "Turkmen", "Assyrian", "Baathist", "Israeli",
  "Israelis", "Lebanese", "Saudi", "Saudis", "Syrian", "Syrians", "Emirati",
  "Islamic", "Iranian", "Iranians", "Iraqi", "Iraqis"}
-- Last words that make an organisation, a place; first words of an
-- Arabic organisation name.
local ORG_LAST = set{"brigades", "brigade", "forces", "force", "party",
  "movement", "council", "organization", "organisation", "alliance", "front",
  "army", "ministry", "agency", "service", "directorate", "committee",
  "commission", "authority", "corps", "guard", "guards", "militia", "militias",
  "group", "institute", "university", "school", "news", "press", "post",
  "times", "tv", "channel", "bank", "company", "coalition", "union", "league",
  "office", "division", "battalion", "units", "unit", "police", "network",
  "foundation", "center", "centre", "association", "bloc", "court"}
-- Words an organisation's name can go without: "Badr" for Badr
-- Organization, "Quds" for Quds Force (not "Google" for Google News).
local ORG_DROPPABLE = set{"organization", "organisation", "force", "forces",
  "brigade", "brigades", "movement", "party", "alliance", "front", "army",
  "militia", "group", "corps", "guards"}
local ORG_FIRST = set{"kataib", "kata'ib", "khataib", "kathaib", "harakat",
  "saraya", "asaib", "asa'ib", "hizb", "hezb", "jaish", "liwa", "ansar",
  "jabhat", "majlis", "ministry", "council", "university", "institute", "bank"}
local GPE_LAST = set{"city", "province", "governorate", "governate", "region",
  "district", "republic", "kingdom", "emirate", "county", "valley",
  "mountains", "river", "street", "square", "bridge", "zone", "base", "camp"}
local GIVEN = set{"mohammed", "muhammad", "mohamed", "mohammad", "ali",
  "hassan", "hasan", "hussein", "hossein", "husayn", "ahmad", "ahmed",
  "mustafa", "mostafa", "qassem", "qasim", "qais", "hadi", "abbas", "jaafar",
  "jafar", "haider", "haidar", "nuri", "nouri", "ammar", "falih", "falah",
  "hamid", "hamed", "kazem", "kadhim", "mahmoud", "mahmud", "ismail",
  "esmail", "omar", "umar", "khalid", "khaled", "saad", "adel", "adil",
  "abdul", "abdel", "abu", "yousef", "yusuf", "ibrahim", "ebrahim", "salman",
  "reza", "javad", "jawad", "mohsen", "zainab", "fatima", "said", "saeed",
  "tariq", "tareq", "walid", "ayad", "iyad", "muqtada", "hossam", "hissam",
  "jawad", "mike", "donald", "maya", "yaron", "thomas", "tamer", "hamdi",
  "hiwa", "nafiseh", "mehmet", "shelley", "adrija", "abduljalil", "qubad",
  "masoud", "massoud", "bashar", "hafez", "saddam", "osama", "ayman"}

-- ---------------------------------------------------------------------
-- Helpers
-- ---------------------------------------------------------------------

-- The form a gazetteer alias matches: case-folded, quotes and dashes
-- unified, hyphen and space equal (loose_hyphens).
local function canon(s)
  return (trawl.normalize(s):gsub("[%-]", " "):gsub("%s+", " "):gsub("^ ", ""):gsub(" $", ""))
end

local function is_cap(text)
  local c = text:match("^[%z\1-\127\194-\244][\128-\191]*")
  if not c or c == "" then return false end
  if #c == 1 then return c:match("%u") ~= nil end
  return trawl.normalize(c) ~= c -- a non-ASCII letter that folds is upper case
end

local function strip_dot(s) return (s:gsub("%.$", "")) end

local function plural(n, word) return ("%d %s%s"):format(n, word, n == 1 and "" or "s") end

local function short_sentence(text, form)
  text = text:gsub("%s+", " ")
  if #text <= 160 then return text end
  local at = text:find(form, 1, true) or 1
  local a = math.max(1, at - 60)
  local b = math.min(#text, at + #form + 80)
  -- stay on UTF-8 boundaries
  while a > 1 and text:byte(a) and text:byte(a) >= 0x80 and text:byte(a) < 0xC0 do a = a - 1 end
  while b < #text and text:byte(b + 1) and text:byte(b + 1) >= 0x80 and text:byte(b + 1) < 0xC0 do b = b + 1 end
  return (a > 1 and "…" or "") .. text:sub(a, b) .. (b < #text and "…" or "")
end

local function slug(s)
  local k = trawl.normalize(s, {diacritics = true}):gsub("[’']", ""):gsub("[^%w]+", "-")
  k = k:gsub("^%-+", ""):gsub("%-+$", "")
  if k == "" or not k:match("^[a-z0-9]") then k = "e-" .. k end
  return k
end

local function is_acronym_text(t)
  local letters = select(2, t:gsub("%a", ""))
  return letters >= 2 and #t <= 8 and not t:find("%l") and t:match("^%u") ~= nil
end

-- ---------------------------------------------------------------------
-- Known entities
-- ---------------------------------------------------------------------

local rulesets, entities, covered = {}, {}, {}
local entity_by_id = {}
for _, path in ipairs(opts.rules) do
  local rs, err = trawl.rules.load(path)
  if not rs then die(3, err) end
  rulesets[#rulesets + 1] = rs
  for _, e in ipairs(rs.entities) do
    local ent = {id = e.id, type = e.type, name = e.name, aliases = e.aliases,
                 ruleset = rs.name, path = path, line = e.line,
                 proposals = {}, docs = {}}
    entities[#entities + 1] = ent
    entity_by_id[e.id] = entity_by_id[e.id] or ent
    for _, a in ipairs(e.aliases) do covered[canon(a)] = ent end
  end
end

-- ---------------------------------------------------------------------
-- Candidates
-- ---------------------------------------------------------------------

-- With rules, the corpus goes into a scratch store and the rules are
-- applied: every span a rule matches (aliases, patterns, regexes) is
-- known, and candidates inside one are not "missed". Without a store
-- (or if applying fails) only the aliases' own spellings count as known.
local scratch = #rulesets > 0 and os.tmpname() or nil
local function cleanup()
  if scratch then
    for _, suf in ipairs{"", "-wal", "-shm", "-journal"} do os.remove(scratch .. suf) end
  end
end
on_exit = cleanup
-- and on a Lua error too: a to-be-closed variable of the main chunk
local scratch_guard <close> = setmetatable({}, {__close = function() cleanup() end})
local corpus, err = trawl.open(opts.corpus, {quiet = true, store = scratch or false})
if not corpus and scratch then
  cleanup()
  scratch = nil
  corpus, err = trawl.open(opts.corpus, {quiet = true, store = false})
end
if not corpus then die(3, "trawl: " .. err) end
local mentioned = {}   -- doc id -> sorted list of {start, stop}
local nmentions = 0
local mentioned_in = {} -- entity id -> set of doc ids where the rules found it
if scratch then
  local st, aerr = corpus:apply(rulesets)
  if st then
    for _, m in ipairs(corpus:mentions()) do
      -- a bare handle regex says nothing about whose handle it is
      if m.entity then
        mentioned_in[m.entity] = mentioned_in[m.entity] or {}
        mentioned_in[m.entity][m.docid] = true
      end
      if m.entity or m.type ~= "HANDLE" then
        mentioned[m.docid] = mentioned[m.docid] or {}
        table.insert(mentioned[m.docid], {m.start, m.stop})
        nmentions = nmentions + 1
      end
    end
    for _, list in pairs(mentioned) do
      table.sort(list, function(a, b) return a[1] < b[1] end)
    end
  else
    io.stderr:write("trawl aliases: applying the rules failed (", tostring(aerr),
      "); only alias spellings count as known\n")
  end
end

-- Does [start, stop] overlap a span the rules matched? Returns false,
-- "inside" (within one span) or "partial".
local function in_mention(docid, start, stop)
  local list = mentioned[docid]
  if not list then return false end
  local lo, hi = 1, #list
  while lo <= hi do -- the last span starting at or before stop
    local mid = (lo + hi) // 2
    if list[mid][1] <= stop then lo = mid + 1 else hi = mid - 1 end
  end
  local hit = false
  for k = hi, math.max(1, hi - 8), -1 do
    if list[k][2] >= start then
      if list[k][1] <= start and list[k][2] >= stop then return "inside" end
      hit = "partial"
    end
  end
  return hit
end
local skipped = 0

-- Pass 1: which words occur in lower case (common words), and which
-- occur capitalised inside a sentence (names).
-- A headline in title case ("Iraq's PM Kazemi Might Finally Be Standing
-- Up"): capitals there say nothing about names.
local function title_case(words, caps) return words >= 4 and caps >= 0.6 * words end
local lower, capmid = {}, {}
for d in corpus:docs() do
  for s in d:sentences() do
    local toks, nwords, ncaps = {}, 0, 0
    for t in s:tokens() do
      if t.kind == "word" then
        toks[#toks + 1] = {text = t.text, norm = t.norm}
        if t.text:match("^%a") then
          nwords = nwords + 1
          if is_cap(t.text) then ncaps = ncaps + 1 end
        end
      end
    end
    local tc = title_case(nwords, ncaps)
    for k, t in ipairs(toks) do
      for part in t.text:gmatch("[^%-]+") do
        if part:match("^%l") and not ARTICLE_PART[part] then
          local n = trawl.normalize(part)
          lower[n] = (lower[n] or 0) + 1
        end
      end
      if k > 1 and not tc and is_cap(t.text) then capmid[t.norm] = true end
    end
  end
end
local function common(norm) return (lower[norm] or 0) > 0 end

local forms = {}      -- text -> candidate
local order = {}      -- candidates in order of first occurrence
local defs = {}       -- acronym definitions: short -> {canon(long) -> {long, count, docs}}

-- A word that only qualifies a name: "Iranian" Quds Force, "Kurdish"
-- Peshmerga, "US" embassy.
local function modifier(t)
  local n = t.norm or trawl.normalize(t.text)
  return common(n) or NORP[t.text] or TITLES[strip_dot(t.text)] or DETERMINERS[n]
      or t.text:match("^%l") ~= nil or is_acronym_text(t.text)
end

-- toks (optional): the tokens of the candidate. An occurrence the rules
-- matched is not a missed spelling; one that only adds a modifier to a
-- match is not either ("Iranian Quds Force"), but one that adds a name
-- word is ("Khataib Hezbollah" around a match of "Hezbollah").
local function candidate(text, kind, body, d, sentence, cue, headline, start, stop, toks)
  local ov = start and in_mention(d.id, start, stop)
  if ov == "inside" or (ov and not toks) then
    skipped = skipped + 1
    return nil
  elseif ov then
    local significant = false
    for _, t in ipairs(toks) do
      if not in_mention(d.id, t.start, t.stop) and not modifier(t) then significant = true end
    end
    if not significant then
      skipped = skipped + 1
      return nil
    end
  end
  text = text:gsub("%s+", " ")
  local c = forms[text]
  if not c then
    c = {text = text, kind = kind, body = body or text, count = 0, docs = {},
         ndocs = 0, cues = {}, example = {doc = d.id, sentence = sentence}}
    forms[text] = c
    order[#order + 1] = c
  end
  if not headline then c.normal = true end
  c.count = c.count + 1
  if not c.docs[d.id] then c.docs[d.id] = true c.ndocs = c.ndocs + 1 end
  if cue then c.cues[cue] = (c.cues[cue] or 0) + 1 end
  return c
end

-- Is token t (a table) a name word? A hyphenated word is one when every
-- part is capitalised or an article: al-Kadhimi, Abdul-Mahdi; not
-- Iran-backed, pro-Iran, IRGC-linked.
local function name_like(t)
  if t.kind ~= "word" then return false end
  if t.norm == "'s" then return false end
  if t.text:find("-", 1, true) then
    local n, caps = 0, 0
    for part in t.text:gmatch("[^%-]+") do
      n = n + 1
      if is_cap(part) then caps = caps + 1
      elseif not ARTICLE_PART[part] then return false end
    end
    return caps > 0
  end
  return is_cap(t.text)
end


for d in corpus:docs() do
  for _, a in ipairs(names.acronyms(d)) do
    local k = canon(a.long)
    defs[a.short] = defs[a.short] or {}
    local e = defs[a.short][k]
    if not e then
      e = {long = a.long, count = 0, docs = {}, doc = d.id}
      defs[a.short][k] = e
    end
    e.count = e.count + 1
    e.docs[d.id] = true
  end
  for s in d:sentences() do
    local toks, nwords, ncaps = {}, 0, 0
    for t in s:tokens() do
      local x = {text = t.text, norm = t.norm, kind = t.kind, start = t.start,
                 stop = t.stop, stop_word = t.is_stop}
      toks[#toks + 1] = x
      if t.kind == "word" and t.text:match("^%a") then
        nwords = nwords + 1
        if is_cap(t.text) then ncaps = ncaps + 1 end
      end
    end
    local stext = s.text
    -- A headline in title case: its capitalised common words are not names.
    local titlecase = title_case(nwords, ncaps)
    local firstword
    for i, t in ipairs(toks) do
      if t.kind == "word" then firstword = i break end
    end
    local function in_name(i)
      local t = toks[i]
      if not name_like(t) then return false end
      if titlecase then
        if t.stop_word then return false end
        for part in t.text:gmatch("[^%-]+") do
          local n = trawl.normalize(part)
          if common(n) and not capmid[n] then return false end
        end
      end
      return true
    end
    -- handles, hashtags
    for _, t in ipairs(toks) do
      if t.kind == "mention" then
        candidate(t.text, "handle", t.text:sub(2), d, stext, nil, false, t.start, t.stop)
      elseif t.kind == "hashtag" then
        candidate(t.text, "hashtag", (t.text:sub(2):gsub("_", " ")), d, stext, nil, false, t.start, t.stop)
      end
    end
    -- capitalised sequences
    local i = 1
    while i <= #toks do
      if in_name(i) then
        local j = i
        while j < #toks do
          local nx = toks[j + 1]
          if in_name(j + 1) then
            j = j + 1
          elseif nx.kind == "word" and CONNECTORS[nx.text] and j + 2 <= #toks and in_name(j + 2) then
            j = j + 2
          elseif nx.text == "and" and j + 2 <= #toks and in_name(j + 2) then
            -- "Federal Intelligence and Investigation Agency": only when
            -- the run after "and" ends with an organisation word
            local e = j + 2
            while e < #toks and in_name(e + 1) do e = e + 1 end
            if ORG_LAST[toks[e].norm] then j = e else break end
          else
            break
          end
        end
        -- split at title words; each piece is trimmed
        local pieces, cur, cue = {}, {}, nil
        local prev = toks[i - 1]
        if prev and prev.kind == "word" and TITLES[strip_dot(prev.text)] then cue = "title" end
        if prev and PLACE_PREP[prev.text] then cue = "place" end
        local k = i
        while k <= j do
          local t = toks[k]
          if TITLES[strip_dot(t.text)] then
            if #cur > 0 then pieces[#pieces + 1] = {toks = cur, cue = cue} end
            cur, cue = {}, "title"
            -- "Secretary of State", "Minister of Defense": all title
            if k + 2 <= j and toks[k + 1].text == "of" then k = k + 2 end
          else
            cur[#cur + 1] = k
          end
          k = k + 1
        end
        if #cur > 0 then pieces[#pieces + 1] = {toks = cur, cue = cue} end
        for _, p in ipairs(pieces) do
          local a, b = 1, #p.toks
          local function drop_first()
            local t = toks[p.toks[a]]
            -- an article opens a name: Al Kazime, al-Kadhimi, Abu Muhandis
            local n = trawl.normalize(t.text)
            if t.text:find("-", 1, true) and ARTICLE_PART[n:match("^[^%-]+")] then return false end
            if a < b and (n == "al" or n == "el" or n == "abu" or n == "bin" or n == "ibn") then return false end
            if is_acronym_text(t.text) then return false end
            if CONNECTORS[t.text] or t.stop_word or DETERMINERS[t.norm] then return true end
            -- a capital that only marks the start of a sentence: a word
            -- alone there must be seen capitalised inside sentences too
            if p.toks[a] == firstword then
              if a == b then return not capmid[t.norm] or common(t.norm) end
              return common(t.norm) and not capmid[t.norm]
            end
            return false
          end
          while a <= b and drop_first() do a = a + 1 end
          while b >= a and (CONNECTORS[toks[p.toks[b]].text] or toks[p.toks[b]].stop_word) do b = b - 1 end
          if a <= b then
            local t1, t2 = toks[p.toks[a]], toks[p.toks[b]]
            local text = d:sub(t1.start, t2.stop)
            local single = a == b
            if not (single and t1.kind ~= "word") then
              local kind = single and is_acronym_text(t1.text) and "acronym" or "name"
              local span = {}
              for q = a, b do span[#span + 1] = toks[p.toks[q]] end
              candidate(text, kind, nil, d, stext, p.cue, titlecase, t1.start, t2.stop, span)
            end
          end
        end
        i = j + 1
      else
        i = i + 1
      end
    end
  end
end

-- Forms next to known aliases that the capitalisation rules missed
-- ("kataib hezbollah" in lower case, a name inside a headline): windows of
-- as many tokens as a known alias, around a token that spells one of its
-- parts.
do
  local by_part = {}
  for _, e in ipairs(entities) do
    for _, a in ipairs(e.aliases) do
      local parts = names.key(a, {spaces = true})
      local n = select(2, parts:gsub(" ", "")) + 1
      if n >= 2 and not a:match("^[@#]") then
        for p in parts:gmatch("%S+") do
          if #p >= 4 then
            by_part[p] = by_part[p] or {}
            table.insert(by_part[p], {alias = a, n = n})
          end
        end
      end
    end
  end
  if next(by_part) then
    for d in corpus:docs() do
      for s in d:sentences() do
        local toks = {}
        for t in s:tokens() do
          toks[#toks + 1] = {text = t.text, kind = t.kind, start = t.start, stop = t.stop, sw = t.is_stop}
        end
        for i, t in ipairs(toks) do
          local list = t.kind == "word" and by_part[names.key(t.text)]
          for _, hit in ipairs(list or {}) do
            for first = math.max(1, i - hit.n + 1), i do
              local last = first + hit.n - 1
              local ok = last <= #toks
              for k = first, math.min(last, #toks) do
                local x = toks[k]
                if x.kind ~= "word" or x.sw or x.text == "’s" or x.text == "'s" then ok = false end
                -- words of the language are not spellings of a name
                for part in x.text:gmatch("[^%-]+") do
                  local n = trawl.normalize(part)
                  if common(n) and not ARTICLE_PART[n] then ok = false end
                end
              end
              if ok then
                local text = d:sub(toks[first].start, toks[last].stop):gsub("%s+", " ")
                local parts = select(2, names.key(text, {spaces = true}):gsub(" ", "")) + 1
                if parts == hit.n and not covered[canon(text)] and not forms[text]
                   and names.similar(text, hit.alias) >= THR then
                  local c = candidate(text, "name", nil, d, s.text, nil, false,
                                      toks[first].start, toks[last].stop)
                  if c then c.near = hit.alias end
                end
              end
            end
          end
        end
      end
    end
  end
end

-- ---------------------------------------------------------------------
-- Types
-- ---------------------------------------------------------------------

local function guess_type(c)
  local text = c.body
  local words = {}
  for w in text:gmatch("[^%s]+") do words[#words + 1] = w end
  local lw = {}
  for k, w in ipairs(words) do lw[k] = trawl.normalize(w) end
  if #words == 1 and MONTHS[text] then return "DATE" end
  if NORP[text] then return "NORP" end
  local all_titles = true
  for _, w in ipairs(words) do if not TITLES[strip_dot(w)] then all_titles = false end end
  if all_titles then return "TITLE" end
  if #words == 1 and text:match("^%u%l+$") then
    -- a demonym: Iraqi, Iranian, Iraqis, Americans (the word minus its
    -- ending is a place the corpus or the rules name)
    for _, suf in ipairs{"ians", "ian", "is", "i", "ans", "an", "ish", "ese", "ites", "ite"} do
      local stem = text:sub(1, -#suf - 1)
      if text:sub(-#suf) == suf and #stem >= 3 then
        local k = canon(stem)
        if covered[k] or forms[stem] or covered[canon(stem .. "a")] then return "NORP" end
      end
    end
  end
  if c.kind == "handle" then return "UNKNOWN" end
  if ORG_LAST[lw[#lw]] or ORG_FIRST[lw[1]] then return "ORG" end
  if GPE_LAST[lw[#lw]] then return "GPE" end
  if (c.cues.title or 0) > 0 then return "PERSON" end
  if #words >= 2 and GIVEN[(lw[1]:gsub("%-.*", ""))] then return "PERSON" end
  for _, w in ipairs(lw) do
    if w == "bin" or w == "ibn" or w == "abu" or w == "bint" then return "PERSON" end
  end
  local place = c.cues.place or 0
  if place >= 2 and place * 3 >= c.count and c.kind ~= "acronym" then return "GPE" end
  return "UNKNOWN"
end

-- ---------------------------------------------------------------------
-- Matching candidates to known entities
-- ---------------------------------------------------------------------

local function partial_for(etype)
  return etype == "PERSON" and "suffix" or "both"
end

local PLACE = set{"GPE", "LOC", "FAC"}

-- The words of a name, hyphenated parts apart: {text, lower, key}.
local function words_of(s)
  local out = {}
  for w in s:gmatch("[^%s]+") do
    for p in w:gmatch("[^%-]+") do
      out[#out + 1] = {text = p, lower = trawl.normalize(p), key = names.key(p)}
    end
  end
  return out
end

-- Words of a that have no similar word in b (articles and particles never).
local function extras(a, b)
  local out = {}
  for _, w in ipairs(a) do
    if not (ARTICLE_PART[w.lower] or CONNECTORS[w.lower] or w.lower == "the") then
      local found = false
      for _, v in ipairs(b) do
        if w.key == v.key or names.similar(w.text, v.text) >= 0.75 then found = true break end
      end
      if not found then out[#out + 1] = w end
    end
  end
  return out
end

-- Does candidate c name the entity of a similar alias, or something else
-- with the same words in it? Words the candidate adds or lacks decide:
-- a person may gain given names (Mustafa Kazemi ~ Kazemi) but not titles
-- or nationalities; a place may gain or lack "Governorate", "Republic of";
-- an organisation may lack "Force" or "News" (Quds, Sabreen) but gains
-- nothing ("Hezbollah Brigades" is not "Hezbollah", "Iranian Quds Force"
-- is left to the analyst).
local function acceptable(c, alias, etype)
  local cw, aw = words_of(c.body), words_of(alias)
  for _, w in ipairs(extras(cw, aw)) do
    if etype == "PERSON" then
      if not is_cap(w.text) or common(w.lower) or NORP[w.text] or TITLES[strip_dot(w.text)]
         or is_acronym_text(w.text) or ORG_LAST[w.lower] or GPE_LAST[w.lower] then
        return false
      end
    elseif PLACE[etype] then
      if not GPE_LAST[w.lower] then return false end
    else
      return false
    end
  end
  for _, w in ipairs(extras(aw, cw)) do
    if PLACE[etype] then
      if not (GPE_LAST[w.lower] or (#w.key <= 2 and not w.key:find("%d"))) then return false end
    elseif etype ~= "PERSON" then
      local head = #cw == 1 and ORG_FIRST[cw[1].lower] and aw[1].key == cw[1].key
      if not (ORG_DROPPABLE[w.lower] or head) then return false end
      -- what is left must be distinctive: "Quds", "Sabreen"; not
      -- "Counter-Terrorism" or "Iraqi Government"
      for _, v in ipairs(cw) do
        if common(v.lower) then return false end
      end
    end
  end
  -- a lone word must be a name, not a common or generic word
  if #cw == 1 then
    local w = cw[1]
    if common(w.lower) or ORG_LAST[w.lower] or GPE_LAST[w.lower] or NORP[w.text] then
      return false
    end
  end
  return true
end

-- Function words an acronym skips: "Institute for National Security Studies".
local SKIP = set{"of", "the", "and", "for", "al", "el", "ul", "bin", "ibn",
  "de", "in", "on", "at", "a", "an", "&"}

-- Does short form sf spell the initials of alias (with or without its
-- function words)? U.S. = United States, GZ = Green Zone, MK = Mustafa
-- al-Kadhimi; MOIS is not Mohammed bin Salman.
local function initials_of(sf, alias)
  local letters = sf:gsub("[^%w]", ""):upper()
  local content, all = {}, {}
  for w in alias:gmatch("[^%s%-]+") do
    w = w:gsub("^[^%w]+", "")
    if w ~= "" then
      local first = w:sub(1, 1):upper()
      all[#all + 1] = first
      if not SKIP[trawl.normalize(w)] then content[#content + 1] = first end
    end
  end
  return #letters >= 2 and (letters == table.concat(content) or letters == table.concat(all))
end

local proposals = {}   -- candidate -> {entity, alias, score, detail, how}
local ambiguous = {}

local function propose(c, ent, alias, score, how)
  local p = proposals[c]
  if p and p.entity ~= ent and math.abs(p.score - score) < 0.01 then
    ambiguous[#ambiguous + 1] = {form = c, a = p.entity, b = ent, score = score}
    p.ambiguous = true
    return
  end
  if not p or score > p.score then
    proposals[c] = {entity = ent, alias = alias, score = score, how = how}
  end
end

local uncovered = {}
for _, c in ipairs(order) do
  if not covered[canon(c.text)] then
    c.type = guess_type(c)
    uncovered[#uncovered + 1] = c
  end
end

-- names and hashtags: similar to an alias
do
  local list, known = {}, {}
  for _, e in ipairs(entities) do
    for _, a in ipairs(e.aliases) do
      if not a:match("^[@#]") and not is_acronym_text(a) then
        local form = a:gsub("_", " ")
        -- a citation ("Alaca, Mehmet") names the person given name first
        local sur, given = form:match("^([^,]+),%s*([^,]+)$")
        if e.type == "PERSON" and sur then form = given .. " " .. sur end
        list[#list + 1] = form
        known[#list] = {entity = e, alias = a}
      end
    end
  end
  local nk = #list
  local cands = {}
  for _, c in ipairs(uncovered) do
    if (c.kind == "name" or c.kind == "hashtag")
       and c.type ~= "NORP" and c.type ~= "DATE" and c.type ~= "TITLE" then
      list[#list + 1] = c.body
      cands[#list] = c
    end
  end
  for _, pr in ipairs(names.pairs(list, {threshold = THR, partial = "both"})) do
    local i, j = pr[1], pr[2]
    local k, c = known[i], cands[j]
    if k and c then
      local score, det = names.similar(c.body, list[i], {partial = partial_for(k.entity.type)})
      -- one word against one word: a letter changes a lot in a short
      -- name, so below 0.9 a spelling needs two occurrences (Twitter is
      -- not "Tweeted")
      local short = not c.body:find("[%s%-]") and not list[i]:find("[%s%-]")
      local enough = det.same_key or not short or score >= 0.9 or c.count >= 2
      if score >= THR and enough and (det.same_key or acceptable(c, list[i], k.entity.type)) then
        propose(c, k.entity, k.alias, score, det.same_key and ("same key " .. det.key_a) or "similar")
      end
    end
  end
end

-- handles: the name written in one run (@qassimalaraji), or the initials
-- of the first parts and the last parts (@MAKadhimi: Mustafa al-Kadhimi)
local function handle_match(h, alias)
  local hk = names.key(h, {articles = true})
  if #hk < 5 then return nil end
  if hk == names.key(alias, {articles = true}) or hk == names.key(alias) then
    return 0.95, "handle spells the name"
  end
  local parts = {}
  for p in names.key(alias, {articles = true, spaces = true}):gmatch("%S+") do parts[#parts + 1] = p end
  for k = #parts, 2, -1 do
    local tail = table.concat(parts, "", k)
    if #tail >= 5 and #hk > #tail and hk:sub(-#tail) == tail then
      local pre = hk:sub(1, #hk - #tail)
      local all, content = {}, {}
      for q = 1, k - 1 do
        all[#all + 1] = parts[q]:sub(1, 1)
        if parts[q] ~= "al" then content[#content + 1] = parts[q]:sub(1, 1) end
      end
      if pre == table.concat(all) or pre == table.concat(content) then
        return 0.9, "handle: initials and surname"
      end
    end
  end
  return nil
end

for _, c in ipairs(uncovered) do
  if c.kind == "handle" then
    for _, e in ipairs(entities) do
      for _, a in ipairs(e.aliases) do
        if not a:match("^[@#]") and not is_acronym_text(a) then
          local score, how = handle_match(c.body, a)
          if score then propose(c, e, a, score, how) end
        end
      end
    end
  end
end

-- where each entity is named: by the rules, and by the forms just proposed
local entity_docs = {}
for _, e in ipairs(entities) do
  for id in pairs(mentioned_in[e.id] or {}) do
    entity_docs[e] = entity_docs[e] or {}
    entity_docs[e][id] = true
  end
end
for _, c in ipairs(order) do
  local ent = covered[canon(c.text)] or (proposals[c] and not proposals[c].ambiguous and proposals[c].entity)
  if ent then
    entity_docs[ent] = entity_docs[ent] or {}
    for id in pairs(c.docs) do entity_docs[ent][id] = true end
  end
end

-- acronyms: defined in the text, or the initials of a name in the same
-- document (or, for 3 letters or more, of exactly one name in the rules)
local function entity_of_long(long)
  local ent = covered[canon(long)]
  if ent then return ent, long, 1 end
  local c = forms[long:gsub("%s+", " ")]
  if c and proposals[c] and not proposals[c].ambiguous then
    return proposals[c].entity, proposals[c].alias, proposals[c].score
  end
  local best, ba, bs = nil, nil, 0
  for _, e in ipairs(entities) do
    for _, a in ipairs(e.aliases) do
      if not is_acronym_text(a) and not a:match("^[@#]") then
        local s = names.similar(long, a, {partial = "none"})
        if s >= THR and s > bs then best, ba, bs = e, a, s end
      end
    end
  end
  return best, ba, bs
end

for _, c in ipairs(uncovered) do
  if c.kind == "acronym" and c.type ~= "TITLE" then
    local done = false
    for _, def in pairs(defs[c.text] or {}) do
      local ent, alias = entity_of_long(def.long)
      if ent then
        propose(c, ent, alias, 0.95, ("defined as \"%s\" in %s"):format(def.long, def.doc))
        done = true
      end
    end
    if not done then
      local found, scope = {}, nil
      for _, e in ipairs(entities) do
        local docs = entity_docs[e] or {}
        local same = false
        for id in pairs(c.docs) do if docs[id] then same = true end end
        for _, a in ipairs(e.aliases) do
          if a:find("[%s%-]") and not is_acronym_text(a) and initials_of(c.text, a) then
            found[#found + 1] = {entity = e, alias = a, same = same}
            break
          end
        end
      end
      local same = {}
      for _, f in ipairs(found) do if f.same then same[#same + 1] = f end end
      local pick
      if #same == 1 then pick, scope = same[1], "same document"
      elseif #same == 0 and #found == 1 and #c.text:gsub("[^%w]", "") >= 3 then
        pick, scope = found[1], "elsewhere in the corpus"
      end
      if pick then
        propose(c, pick.entity, pick.alias, scope == "same document" and 0.9 or 0.8,
          ("initials of \"%s\" (%s)"):format(pick.alias, scope))
      elseif #same > 1 then
        ambiguous[#ambiguous + 1] = {form = c, a = same[1].entity, b = same[2].entity, score = 0.9}
      end
    end
  end
end

-- ---------------------------------------------------------------------
-- New entities: clusters of what matches nothing
-- ---------------------------------------------------------------------

local rest = {}
for _, c in ipairs(uncovered) do
  local lone_common = c.kind == "name" and not c.body:find("[%s%-]") and common(trawl.normalize(c.body))
  if not proposals[c] and c.kind ~= "handle" and not lone_common then rest[#rest + 1] = c end
end
-- names cluster by similarity; an acronym stays alone (it joins a name
-- only through a definition, below)
local bodies, idx = {}, {}
for k, c in ipairs(rest) do
  if c.kind ~= "acronym" then bodies[#bodies + 1] = c.body idx[#bodies] = k end
end
local clusters = {}
for _, m in ipairs((names.cluster(bodies, {threshold = THR}))) do
  local v = {}
  for _, i in ipairs(m) do v[#v + 1] = idx[i] end
  clusters[#clusters + 1] = v
end
for k, c in ipairs(rest) do
  if c.kind == "acronym" then clusters[#clusters + 1] = {k} end
end
local new_entities, below = {}, {}
local used_ids = {}
for _, e in ipairs(entities) do used_ids[e.id] = true end
local cluster_of_form = {}
for _, m in ipairs(clusters) do
  local cl = {forms = {}, count = 0, docs = {}, ndocs = 0}
  for _, k in ipairs(m) do
    local c = rest[k]
    cl.forms[#cl.forms + 1] = c
    cl.count = cl.count + c.count
    for id in pairs(c.docs) do
      if not cl.docs[id] then cl.docs[id] = true cl.ndocs = cl.ndocs + 1 end
    end
  end
  table.sort(cl.forms, function(a, b)
    if a.count ~= b.count then return a.count > b.count end
    if #a.text ~= #b.text then return #a.text > #b.text end
    return a.text < b.text
  end)
  -- the name: the most frequent form that is not an acronym or a hashtag
  cl.canonical = cl.forms[1]
  for _, c in ipairs(cl.forms) do
    if c.kind == "name" then cl.canonical = c break end
  end
  -- the type most of its occurrences suggest (Khazali is a PERSON because
  -- "Qais al-Khazali" is)
  local votes, best = {}, nil
  for _, c in ipairs(cl.forms) do
    local t = c.type or guess_type(c)
    -- given names and titles are better evidence than a preposition
    if t ~= "UNKNOWN" then votes[t] = (votes[t] or 0) + c.count * (t == "PERSON" and 2 or 1) end
  end
  for t, n in pairs(votes) do
    if not best or n > votes[best] or (n == votes[best] and t < best) then best = t end
  end
  cl.type = best or "UNKNOWN"
  for _, c in ipairs(cl.forms) do cluster_of_form[c] = cl end
  new_entities[#new_entities + 1] = cl
end
-- acronyms defined by a new entity's name join it
for _, cl in ipairs(new_entities) do
  for _, c in ipairs(cl.forms) do
    if c.kind == "acronym" then
      for _, def in pairs(defs[c.text] or {}) do
        local lc = forms[def.long:gsub("%s+", " ")]
        local target = lc and cluster_of_form[lc]
        if target and target ~= cl and not c.moved then
          c.moved = true
          c.defined_as = def.long
          table.insert(target.forms, c)
          target.count = target.count + c.count
          for id in pairs(c.docs) do
            if not target.docs[id] then target.docs[id] = true target.ndocs = target.ndocs + 1 end
          end
          cl.count = cl.count - c.count
        end
      end
    end
  end
end
do
  local kept = {}
  for _, cl in ipairs(new_entities) do
    local forms_left = {}
    for _, c in ipairs(cl.forms) do
      if not (c.moved and cluster_of_form[c] == cl) then forms_left[#forms_left + 1] = c end
    end
    cl.forms = forms_left
    local normal = false
    for _, c in ipairs(cl.forms) do if c.normal then normal = true end end
    if #cl.forms > 0 and normal then
      if cl.count < opts.min_count then
        if opts.types[cl.type] then below[#below + 1] = cl end
      elseif opts.types[cl.type] then
        local id = slug(cl.canonical.body)
        local base, n = id, 1
        while used_ids[id] do n = n + 1 id = base .. "-" .. n end
        used_ids[id] = true
        cl.id = id
        kept[#kept + 1] = cl
      end
    end
  end
  table.sort(kept, function(a, b)
    if a.count ~= b.count then return a.count > b.count end
    return a.canonical.text < b.canonical.text
  end)
  new_entities = kept
end

-- ---------------------------------------------------------------------
-- Results per known entity
-- ---------------------------------------------------------------------

local nprop = 0
for c, p in pairs(proposals) do
  if not p.ambiguous and opts.types[p.entity.type] then
    table.insert(p.entity.proposals, {form = c, alias = p.alias, score = p.score, how = p.how})
    nprop = nprop + 1
  end
end
for _, e in ipairs(entities) do
  table.sort(e.proposals, function(a, b)
    if a.form.count ~= b.form.count then return a.form.count > b.form.count end
    return a.form.text < b.form.text
  end)
end

local function docs_list(docs)
  local v = {}
  for id in pairs(docs) do v[#v + 1] = id end
  table.sort(v)
  return v
end

-- ---------------------------------------------------------------------
-- The patch
-- ---------------------------------------------------------------------

local function patch_text()
  local out = {}
  local function w(s) out[#out + 1] = s end
  local rsname = #rulesets > 0 and rulesets[1].name or "corpus"
  w(("--- %s-proposed: spellings and entities proposed by `trawl aliases` for review."):format(rsname))
  w(("-- trawl aliases %s%s --threshold %.2f --min-count %d"):format(opts.corpus,
    #opts.rules > 0 and (" --rules " .. table.concat(opts.rules, " --rules ")) or "", THR, opts.min_count))
  w("--")
  w("-- Merge by hand: for an entity that exists already (\"add to entity\"),")
  w("-- copy the new strings into its aliases list in the file named; a new")
  w("-- entity can be copied as it is. Delete what you do not want first.")
  w("-- This file is a valid rule file itself: trawl check FILE loads it.")
  w("return trawl.ruleset {")
  w(("  name = %q,"):format(slug(rsname .. "-proposed")))
  w("  version = \"0.0.1\",")
  w("  description = \"Proposed by trawl aliases: review before merging\",")
  w("  entities = {")
  for _, e in ipairs(entities) do
    if #e.proposals > 0 then
      w(("    -- add to entity '%s' (%s:%d):"):format(e.id, e.path, e.line or 0))
      w(("    { id = %q, type = %q, name = %q,"):format(e.id, e.type, e.name))
      w("      aliases = {")
      for _, p in ipairs(e.proposals) do
        w(("        %q,  -- %dx in %s; %s ~ %q %.2f"):format(p.form.text, p.form.count,
          plural(p.form.ndocs, "doc"), p.how, p.alias, p.score))
      end
      w("      } },")
    end
  end
  for _, cl in ipairs(new_entities) do
    w(("    -- new entity: %dx in %s"):format(cl.count, plural(cl.ndocs, "doc")))
    local aliases = {}
    for _, c in ipairs(cl.forms) do
      if c ~= cl.canonical then aliases[#aliases + 1] = ("%q"):format(c.text) end
    end
    w(("    { id = %q, type = %q, name = %q%s },"):format(cl.id, cl.type, cl.canonical.text,
      #aliases > 0 and (",\n      aliases = { " .. table.concat(aliases, ", ") .. " }") or ""))
  end
  w("  },")
  w("}")
  return table.concat(out, "\n") .. "\n"
end

-- ---------------------------------------------------------------------
-- Output
-- ---------------------------------------------------------------------

local patch = patch_text()
local ndocs = #corpus
corpus:close()
cleanup()
if opts.patch then
  local f, e = io.open(opts.patch, "wb")
  if not f then die(3, "trawl: " .. e) end
  f:write(patch)
  f:close()
end

if opts.json then
  local out = {corpus = opts.corpus, rules = opts.rules, threshold = THR,
    min_count = opts.min_count, documents = ndocs, candidates = #order,
    aliases = json.array and setmetatable({}, json.array) or {},
    entities = json.array and setmetatable({}, json.array) or {},
    ambiguous = json.array and setmetatable({}, json.array) or {}}
  for _, e in ipairs(entities) do
    for _, p in ipairs(e.proposals) do
      table.insert(out.aliases, {entity = e.id, type = e.type, name = e.name, ruleset = e.ruleset,
        form = p.form.text, count = p.form.count, docs = docs_list(p.form.docs),
        example = {doc = p.form.example.doc, sentence = p.form.example.sentence},
        score = math.floor(p.score * 1000 + 0.5) / 1000, similar_to = p.alias, evidence = p.how})
    end
  end
  for _, cl in ipairs(new_entities) do
    local fl = {}
    for _, c in ipairs(cl.forms) do
      fl[#fl + 1] = {form = c.text, count = c.count, docs = docs_list(c.docs), kind = c.kind}
    end
    table.insert(out.entities, {id = cl.id, type = cl.type, name = cl.canonical.text, forms = fl,
      count = cl.count, docs = docs_list(cl.docs),
      example = {doc = cl.canonical.example.doc, sentence = cl.canonical.example.sentence}})
  end
  for _, a in ipairs(ambiguous) do
    table.insert(out.ambiguous, {form = a.form.text, entities = {a.a.id, a.b.id}})
  end
  if not opts.patch then out.patch = patch end
  print(json.encode(out))
  os.exit(0)
end

local nrules = 0
for _, e in ipairs(entities) do nrules = nrules + #e.aliases end
print(("trawl aliases: %s (%s), %s"):format(opts.corpus, plural(ndocs, "document"),
  #rulesets > 0 and ("rules " .. table.concat(opts.rules, ", ") ..
    (" (%s, %s)"):format(plural(#entities, "entity"):gsub("entitys", "entities"), plural(nrules, "alias"):gsub("aliass", "aliases")))
  or "no rules"))
if #rulesets > 0 then
  print(("the rules found %s; %s inside them skipped"):format(plural(nmentions, "mention"),
    plural(skipped, "candidate occurrence")))
end
print(("%s found, %d spelled as aliases; threshold %.2f"):format(
  plural(#order, "candidate form"), #order - #uncovered, THR))
print()
print(("== New aliases for known entities (%d) =="):format(nprop))
if nprop == 0 then print("  none: the rules cover every spelling found") end
for _, e in ipairs(entities) do
  if #e.proposals > 0 then
    print()
    print(("%s  %s  %s  (%s)"):format(e.id, e.type, e.name, e.ruleset))
    for _, p in ipairs(e.proposals) do
      local f = p.form
      print(("  + %-24s %3dx in %-7s %.2f  %s ~ %q"):format(("%q"):format(f.text), f.count,
        plural(f.ndocs, "doc"), p.score, p.how, p.alias))
      print(("      %s: %s"):format(f.example.doc:sub(1, 3), short_sentence(f.example.sentence, f.text)))
    end
  end
end
print()
print(("== New entities (%d) =="):format(#new_entities))
for k, cl in ipairs(new_entities) do
  local fl = {}
  for _, c in ipairs(cl.forms) do
    fl[#fl + 1] = ("%s (%d%s)"):format(c.text, c.count, c.defined_as and (", defined as " .. c.defined_as) or "")
  end
  print()
  print(("[%d] %s  %s  %dx in %s  id %s"):format(k, cl.canonical.text, cl.type, cl.count,
    plural(cl.ndocs, "doc"), cl.id))
  print("      forms: " .. table.concat(fl, ", "))
  print(("      %s: %s"):format(cl.canonical.example.doc:sub(1, 3),
    short_sentence(cl.canonical.example.sentence, cl.canonical.text)))
end
if #ambiguous > 0 or #below > 0 then
  print()
  print("== Not proposed ==")
  for _, a in ipairs(ambiguous) do
    print(("  %q: as good a match for '%s' as for '%s'"):format(a.form.text, a.a.id, a.b.id))
  end
  if #below > 0 then
    local v = {}
    for _, cl in ipairs(below) do v[#v + 1] = ("%s (%s)"):format(cl.canonical.text, cl.type) end
    table.sort(v)
    print(("  %d names found fewer than %d times (--min-count):"):format(#below, opts.min_count))
    local line = "   "
    for _, x in ipairs(v) do
      if #line + #x + 2 > 78 then print(line) line = "   " end
      line = line .. " " .. x .. ","
    end
    print((line:gsub(",$", "")))
  end
end
if not opts.patch then
  print()
  print("== Patch (scripts/rules format; --patch FILE writes it) ==")
  io.write(patch)
else
  print()
  print("patch written to " .. opts.patch)
end
os.exit(0)

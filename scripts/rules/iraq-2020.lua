--- iraq-2020: the actors of the 2020 confrontations between Iraq's prime
-- minister, Mustafa al-Kadhimi, and the Iran-backed militias, as named in
-- the five articles of corpus/ (every spelling, acronym and handle that
-- occurs there; see scripts/rules/README.md for how they were collected).
--
-- Types: PERSON, ORG, GPE, LOC, FAC, EVENT (entities); ORG (unnamed
-- "Nth Brigade" units, pattern); DATE and HANDLE (regexes).
--
-- Example input:
--   "Kataib Hezbollah’s (KH) men threatened Al-Kazemi in Baghdad on 12/26/20."
-- gives  kh "Kataib Hezbollah", kh "KH", kadhimi "Al-Kazemi",
--        baghdad "Baghdad", DATE "12/26/20".
--
-- Choices worth knowing (details in the README):
--   * Bare "Hezbollah" is the Lebanese party (entity "hezbollah"). In these
--     articles it never occurs alone: every "Hezbollah" is part of
--     "Kataib Hezbollah" (and its spellings), "Hezbollah Brigades" (= KH) or
--     "Harakat Hezbollah al-Nujaba", which are longer and win.
--   * Titles are not part of a mention: "Prime Minister Mustafa al-Kadhimi"
--     gives the mention "Mustafa al-Kadhimi", so the variants of an entity
--     are its spellings only.
--   * trawl's aliases do not match a possessive ("Kadhimi’s" is one token),
--     so the callback "possessive" finds "X’s" for every alias X and emits
--     the span of X alone.
--   * Hyphenated modifiers ("Iran-backed", "pro-Iran", "Iraqi-US") are not
--     mentions of the country; the two noun compounds naming the PM as a
--     party ("Kadhimi-fasa’il", "MK-fasa’il") are (regex "pm-compound").

-- ---------------------------------------------------------------------
-- Entities
-- ---------------------------------------------------------------------

local entities = {
  -- ---- people: Iraq's government and state ----------------------------
  { id = "kadhimi", type = "PERSON", name = "Mustafa al-Kadhimi",
    aliases = { "al-Kadhimi", "Kadhimi", "@MAKadhimi", "MK",
                "Mustafa Al-Kazemi", "Mustafa Kazemi", "Al-Kazemi", "Kazemi",
                "Al Kazime", "Kazime" },
    attrs = { role = "Prime Minister of Iraq (from May 2020)",
              former = "director of the Iraqi National Intelligence Service",
              twitter = "@MAKadhimi" } },
  { id = "abdul-mahdi", type = "PERSON", name = "Adel Abdul-Mahdi",
    aliases = { "Abdul-Mahdi" },
    attrs = { role = "Prime Minister of Iraq (2018-2020), Kadhimi's predecessor" } },
  { id = "al-abadi", type = "PERSON", name = "Haider al-Abadi",
    aliases = { "al-Abadi" },
    attrs = { role = "Prime Minister of Iraq (2014-2018)" } },
  { id = "al-maliki", type = "PERSON", name = "Nuri al-Maliki",
    aliases = { "al-Maliki" },
    attrs = { role = "Prime Minister of Iraq (2006-2014)" } },
  { id = "al-jaafari", type = "PERSON", name = "Ibrahim al-Jaafari",
    attrs = { role = "Prime Minister of Iraq (2005-2006)" } },
  { id = "allawi", type = "PERSON", name = "Iyad Allawi",
    attrs = { role = "Prime Minister of Iraq (2004-2005)" } },
  { id = "al-araji", type = "PERSON", name = "Qasim al-Araji",
    aliases = { "Qassem al-Araji", "Al-Araji", "@qassimalaraji" },
    attrs = { role = "National Security Adviser of Iraq",
              affiliation = "Badr Organization", twitter = "@qassimalaraji" } },
  { id = "al-fayyadh", type = "PERSON", name = "Falih al-Fayyadh",
    aliases = { "Falah al-Fayyad" },
    attrs = { role = "chairman of the PMF; head of the Iraq National Security Council (dismissed 2020)",
              affiliation = "Popular Mobilization Forces" } },
  { id = "al-saadi", type = "PERSON", name = "Abdel Wahab al-Saadi",
    attrs = { role = "commander of the Counter Terrorism Service" } },
  { id = "al-zahiri", type = "PERSON", name = "Hamid Al-Zahiri",
    attrs = { role = "commander of the Special Division (Major General)" } },
  { id = "al-sistani", type = "PERSON", name = "Ali al-Sistani",
    attrs = { role = "Grand Ayatollah, Shiite religious authority in Najaf",
              note = "his 2014 fatwa led to the Popular Mobilization Forces" } },
  { id = "al-hakim", type = "PERSON", name = "Ammar al-Hakim",
    aliases = { "Al-Hakim", "Hakim" },
    attrs = { role = "Shiite cleric, head of the National Wisdom Movement",
              affiliation = "National Wisdom Movement" } },
  { id = "al-amiri", type = "PERSON", name = "Hadi al-Amiri",
    aliases = { "Hadi Al-Ameri" },
    attrs = { role = "leader of the Fatah Alliance and of the Badr Organization",
              affiliation = "Badr Organization" } },

  -- ---- people: militias ----------------------------------------------
  { id = "al-khazali", type = "PERSON", name = "Qais al-Khazali",
    aliases = { "Qais Khazali", "Khazali",
                "Qais" },   -- alone once, in a hashtag quote: “Qais! let us…”
    attrs = { role = "secretary-general (leader) of Asaib Ahl al-Haq",
              affiliation = "Asaib Ahl al-Haq" } },
  { id = "al-muhandis", type = "PERSON", name = "Abu Mahdi al-Muhandis",
    aliases = { "Abu Muhandis", "Muhandis" },
    attrs = { role = "deputy chairman and de facto leader of the PMF; founder of Kataib Hezbollah",
              affiliation = "Popular Mobilization Forces; Kataib Hezbollah",
              died = "2020-01-03" } },
  { id = "al-hamidawi", type = "PERSON", name = "Ahmad al-Hamidawi",
    attrs = { role = "secretary-general of Kataib Hezbollah",
              affiliation = "Kataib Hezbollah" } },
  { id = "al-husseini", type = "PERSON", name = "Jaafar al-Husseini",
    attrs = { role = "spokesman of Kataib Hezbollah", affiliation = "Kataib Hezbollah" } },
  { id = "al-azirjawi", type = "PERSON", name = "Hossam al-Azirjawi",
    aliases = { "Hissam al-Azirjawi", "Azirjawi" },
    attrs = { role = "commander of AAH's missile unit, arrested December 2020",
              affiliation = "Asaib Ahl al-Haq" } },
  { id = "talibawi", type = "PERSON", name = "Jawad Talibawi",
    attrs = { role = "senior figure in Asaib Ahl al-Haq", affiliation = "Asaib Ahl al-Haq" } },
  { id = "rabiee", type = "PERSON", name = "Mahmoud Rabi’ee",
    attrs = { role = "spokesman of AAH's political wing, Sadiqoun",
              affiliation = "Asaib Ahl al-Haq" } },

  -- ---- people: Iran ---------------------------------------------------
  { id = "khamenei", type = "PERSON", name = "Ali Khamenei",
    aliases = { "Khamenei" },
    attrs = { role = "Supreme Leader of Iran" } },
  { id = "soleimani", type = "PERSON", name = "Qassem Soleimani",
    aliases = { "Qasim Soleimani", "Soleimani" },
    attrs = { role = "commander of the IRGC Quds Force (Major General)",
              affiliation = "IRGC Quds Force", died = "2020-01-03" } },
  { id = "qaani", type = "PERSON", name = "Esmail Qaani",
    aliases = { "Ismail Qaani", "Qaani" },
    attrs = { role = "commander of the IRGC Quds Force (from January 2020)",
              affiliation = "IRGC Quds Force" } },
  { id = "shamkhani", type = "PERSON", name = "Ali Shamkhani",
    aliases = { "Shamkhani" },
    attrs = { role = "secretary of Iran's Supreme National Security Council (Rear Admiral)" } },

  -- ---- people: others ---------------------------------------------------
  { id = "pompeo", type = "PERSON", name = "Mike Pompeo",
    attrs = { role = "US Secretary of State" } },
  { id = "trump", type = "PERSON", name = "Donald Trump",
    aliases = { "Trump" },
    attrs = { role = "President of the United States" } },
  { id = "mbs", type = "PERSON", name = "Mohammed bin Salman",
    attrs = { role = "Crown Prince of Saudi Arabia" } },

  -- ---- people: authors, analysts and sources -------------------------
  { id = "kittelson", type = "PERSON", name = "Shelley Kittelson",
    attrs = { role = "journalist, author of 000" } },
  { id = "carlin", type = "PERSON", name = "Maya Carlin",
    attrs = { role = "analyst, Center for Security Policy; author of 001" } },
  { id = "schneider", type = "PERSON", name = "Yaron Schneider",
    attrs = { role = "INSS researcher, author of 002" } },
  { id = "hage", type = "PERSON", name = "Abduljalil Hage",
    attrs = { role = "author of 003" } },
  { id = "saha", type = "PERSON", name = "Adrija Saha",
    attrs = { role = "editor of 003" } },
  { id = "alaca", type = "PERSON", name = "Mehmet Alaca",
    aliases = { "Alaca, Mehmet" }, attrs = { role = "analyst cited on Twitter (004)" } },
  { id = "badawi", type = "PERSON", name = "Tamer Badawi",
    aliases = { "Badawi, Tamer" }, attrs = { role = "analyst cited on Twitter (004)" } },
  { id = "habib", type = "PERSON", name = "Mustafa Habib",
    aliases = { "Habib, Mustafa" }, attrs = { role = "journalist cited on Twitter (004)" } },
  { id = "kohnavard", type = "PERSON", name = "Nafiseh Kohnavard",
    aliases = { "Kohnavard, Nafiseh" }, attrs = { role = "journalist cited on Twitter (004)" } },
  { id = "malik", type = "PERSON", name = "Hamdi Malik",
    aliases = { "Malik, Hamdi" }, attrs = { role = "analyst cited on Twitter (004)" } },
  { id = "shilani", type = "PERSON", name = "Hiwa Shilani",
    aliases = { "Shilani, Hiwa" }, attrs = { role = "journalist, Kurdistan 24 (004)" } },
  { id = "tom-cat", type = "PERSON", name = "Tom Cat",
    attrs = { role = "pseudonymous Twitter account cited in 004" } },
  { id = "lyell", type = "PERSON", name = "Thomas Lyell",
    aliases = { "Lyell, Thomas" },
    attrs = { role = "author of The Ins & Outs Of Mesopotamia (blog sidebar of 004)" } },

  -- ---- militias and the PMF ------------------------------------------
  { id = "kh", type = "ORG", name = "Kataib Hezbollah",
    aliases = { "Kata'ib Hezbollah", "Khataib Hezbollah", "Kathaib Hezbollah",
                "Hezbollah Brigades", "KH" },
    attrs = { kind = "militia", affiliation = "Iran-backed; PMF brigades 45, 46 and 47",
              leader = "Ahmad al-Hamidawi (secretary-general)",
              us_terrorist_designation = 2009 } },
  { id = "aah", type = "ORG", name = "Asaib Ahl al-Haq",
    aliases = { "Asa'ib Ahl al-Haq", "Asaib Ahl AlHaq", "Asaib", "AAH",
                "AHH" },   -- "AHH": a typo for AAH in a tweet quoted in 004
    attrs = { kind = "militia", affiliation = "Iran-backed; part of the PMF",
              leader = "Qais al-Khazali", political_wing = "Sadiqoun" } },
  { id = "nujaba", type = "ORG", name = "Harakat Hezbollah al-Nujaba",
    attrs = { kind = "militia", affiliation = "Iran-backed; part of the PMF" } },
  { id = "badr", type = "ORG", name = "Badr Organization",
    aliases = { "Badr" },
    attrs = { kind = "militia and political party", affiliation = "Iran-backed; part of the PMF",
              leader = "Hadi al-Amiri" } },
  { id = "ashab-al-kahf", type = "ORG", name = "Ashab al-Kahf",
    aliases = { "Asbah al-Kahf" },   -- so spelled in the tweet quoted in 004
    attrs = { kind = "militia front group", affiliation = "Iran-backed" } },
  { id = "pmf", type = "ORG", name = "Popular Mobilization Forces",
    aliases = { "Popular Mobilization Units", "Popular Mobilization Militia",
                "PMF", "PMU", "al-Hashd al-Shaabi", "Hashd", "Hashd Commission",
                "popular crowd" },   -- 000, machine-translated: "popular crowd groups"
    attrs = { kind = "state-sponsored umbrella of militias",
              founded = "June 2014, after al-Sistani's fatwa",
              chairman = "Falih al-Fayyadh" } },
  { id = "pmf-brigade-45", type = "ORG", name = "45th Brigade",
    attrs = { kind = "PMF brigade", parent = "Popular Mobilization Forces",
              affiliation = "Kataib Hezbollah" } },
  { id = "pmf-security", type = "ORG", name = "PMF Security Directorate",
    aliases = { "Hashd security directorate", "Hashd security" },
    attrs = { kind = "PMF directorate", parent = "Popular Mobilization Forces",
              note = "said in 004 to be controlled by KH" } },
  { id = "sadiqoun", type = "ORG", name = "Sadiqoun",
    aliases = { "Sadiqon" },
    attrs = { kind = "political party", affiliation = "political wing of Asaib Ahl al-Haq" } },
  { id = "hezbollah", type = "ORG", name = "Hezbollah",
    attrs = { kind = "Lebanese party and militia",
              note = "bare 'Hezbollah'; never alone in the corpus (see header)" } },
  { id = "peshmerga", type = "ORG", name = "Peshmerga",
    attrs = { kind = "armed forces of the Kurdistan Region" } },

  -- ---- Iraqi parties and state bodies --------------------------------
  { id = "fatah", type = "ORG", name = "Fatah Alliance",
    aliases = { "Al-Fateh Alliance" },
    attrs = { kind = "parliamentary bloc", note = "represents the PMF", leader = "Hadi al-Amiri" } },
  { id = "hikma", type = "ORG", name = "National Wisdom Movement",
    attrs = { kind = "political party", leader = "Ammar al-Hakim" } },
  { id = "isci", type = "ORG", name = "Supreme Islamic Council",
    attrs = { kind = "political party", note = "led by Ammar al-Hakim 2009-2017" } },
  { id = "parliament", type = "ORG", name = "Council of Representatives of Iraq",
    aliases = { "Iraqi parliament" },
    attrs = { kind = "legislature" } },
  { id = "igc", type = "ORG", name = "Iraqi Governing Council",
    attrs = { kind = "interim government body (2003-2004)" } },
  { id = "pm-office", type = "ORG", name = "Prime Minister's Office",
    attrs = { kind = "government office" } },
  { id = "cts", type = "ORG", name = "Counter Terrorism Service",
    aliases = { "Counter Terror Service", "Iraq Counter Terrorism Service", "CTS",
                "counterterrorism forces", "anti-terrorist forces",
                "anti-terrorism forces", "anti-terrorism unit" },
    attrs = { kind = "Iraqi special forces", commander = "Abdel Wahab al-Saadi" } },
  { id = "isf", type = "ORG", name = "Iraqi Security Forces",
    aliases = { "ISF" },
    attrs = { kind = "Iraqi armed and police forces" } },
  { id = "federal-police", type = "ORG", name = "Federal Police",
    attrs = { kind = "Iraqi police force", parent = "Interior Ministry" } },
  { id = "special-division", type = "ORG", name = "Special Division",
    attrs = { kind = "Iraqi security unit", commander = "Hamid Al-Zahiri" } },
  { id = "jfc", type = "ORG", name = "Joint Forces Command",
    attrs = { kind = "Iraqi military command" } },
  { id = "interior-ministry", type = "ORG", name = "Interior Ministry",
    attrs = { kind = "Iraqi ministry" } },
  { id = "mod", type = "ORG", name = "Ministry of Defense",
    attrs = { kind = "Iraqi ministry" } },
  { id = "mofa", type = "ORG", name = "Ministry of Foreign Affairs",
    attrs = { kind = "Iraqi ministry" } },
  { id = "inis", type = "ORG", name = "Iraqi National Intelligence Service",
    attrs = { kind = "Iraqi intelligence agency", note = "directed by Kadhimi before he became PM" } },
  { id = "fiia", type = "ORG", name = "Federal Intelligence and Investigation Agency",
    attrs = { kind = "Iraqi intelligence agency" } },
  { id = "insc", type = "ORG", name = "Iraq National Security Council",
    attrs = { kind = "Iraqi state body" } },
  { id = "anti-corruption-council", type = "ORG", name = "Anti-Corruption Council",
    attrs = { kind = "Iraqi state body", note = "established by Kadhimi" } },

  -- ---- Iran, the US and others ----------------------------------------
  { id = "irgc", type = "ORG", name = "Islamic Revolutionary Guard Corps",
    aliases = { "Iranian Revolutionary Guards", "Revolutionary Guards", "IRGC" },
    attrs = { kind = "Iranian armed force" } },
  { id = "quds-force", type = "ORG", name = "Quds Force",
    attrs = { kind = "IRGC external operations branch", parent = "IRGC" } },
  { id = "mois", type = "ORG", name = "Ministry of Intelligence of Iran",
    aliases = { "MOIS", "Itla'at", "Ita'at" },
    attrs = { kind = "Iranian intelligence agency" } },
  { id = "isis", type = "ORG", name = "Islamic State",
    aliases = { "ISIS" },
    attrs = { kind = "jihadist group" } },
  { id = "cia", type = "ORG", name = "CIA", attrs = { kind = "US intelligence agency" } },
  { id = "fbi", type = "ORG", name = "FBI", attrs = { kind = "US federal police" } },
  { id = "isa", type = "ORG", name = "Israel Security Agency",
    attrs = { kind = "Israeli security agency" } },
  { id = "un", type = "ORG", name = "United Nations", aliases = { "UN" },
    attrs = { kind = "international organisation" } },
  { id = "coalition", type = "ORG", name = "International Coalition",
    attrs = { kind = "US-led coalition against ISIS" } },
  { id = "gcc", type = "ORG", name = "Gulf Cooperation Council", aliases = { "GCC" },
    attrs = { kind = "international organisation" } },

  -- ---- publishers, media, institutes, platforms ------------------------
  { id = "jpost", type = "ORG", name = "Jerusalem Post", attrs = { kind = "media" } },
  { id = "inss", type = "ORG", name = "Institute for National Security Studies",
    aliases = { "INSS" }, attrs = { kind = "think tank" } },
  { id = "csp", type = "ORG", name = "Center for Security Policy", attrs = { kind = "think tank" } },
  { id = "idc", type = "ORG", name = "IDC Herzliya", attrs = { kind = "university" } },
  { id = "lauder", type = "ORG", name = "Lauder School of Government",
    attrs = { kind = "university school", parent = "IDC Herzliya" } },
  { id = "reuters", type = "ORG", name = "Reuters", attrs = { kind = "media" } },
  { id = "foreign-policy", type = "ORG", name = "Foreign Policy", attrs = { kind = "media" } },
  { id = "al-aalem", type = "ORG", name = "Al Aalem", attrs = { kind = "media" } },
  { id = "al-arabiya", type = "ORG", name = "Al Arabiya", attrs = { kind = "media" } },
  { id = "bas-news", type = "ORG", name = "Bas News", attrs = { kind = "media" } },
  { id = "al-hurra", type = "ORG", name = "Al Hurra", attrs = { kind = "media" } },
  { id = "al-mada", type = "ORG", name = "Al Mada", attrs = { kind = "media" } },
  { id = "al-maalomah", type = "ORG", name = "Al Maalomah", attrs = { kind = "media" } },
  { id = "al-masalah", type = "ORG", name = "Al Masalah", attrs = { kind = "media" } },
  { id = "nrt", type = "ORG", name = "NRT", attrs = { kind = "media" } },
  { id = "rudaw", type = "ORG", name = "Rudaw", attrs = { kind = "media" } },
  { id = "shafaaq", type = "ORG", name = "Shafaaq News", attrs = { kind = "media" } },
  { id = "kurdistan24", type = "ORG", name = "Kurdistan 24", attrs = { kind = "media" } },
  { id = "sabreen", type = "ORG", name = "Sabreen News",
    attrs = { kind = "media (Telegram channel)" } },
  { id = "westphalia", type = "ORG", name = "Westphalia Press", attrs = { kind = "publisher" } },
  { id = "google-news", type = "ORG", name = "Google News", attrs = { kind = "platform" } },
  { id = "twitter", type = "ORG", name = "Twitter", attrs = { kind = "platform" } },
  { id = "telegram", type = "ORG", name = "Telegram", attrs = { kind = "platform" } },

  -- ---- countries, cities, regions (GPE) ------------------------------
  { id = "iraq", type = "GPE", name = "Iraq",
    aliases = { "Republic of Iraq", "#Iraq" } },
  { id = "iran", type = "GPE", name = "Iran" },
  { id = "us", type = "GPE", name = "United States", aliases = { "US", "U.S." } },
  { id = "israel", type = "GPE", name = "Israel" },
  { id = "syria", type = "GPE", name = "Syria" },
  { id = "lebanon", type = "GPE", name = "Lebanon" },
  { id = "kuwait", type = "GPE", name = "Kuwait" },
  { id = "saudi-arabia", type = "GPE", name = "Saudi Arabia" },
  { id = "afghanistan", type = "GPE", name = "Afghanistan" },
  { id = "baghdad", type = "GPE", name = "Baghdad", aliases = { "#Baghdad" },
    attrs = { country = "Iraq", capital = true } },
  { id = "tehran", type = "GPE", name = "Tehran", attrs = { country = "Iran", capital = true } },
  { id = "washington", type = "GPE", name = "Washington, D.C.",
    aliases = { "Washington D.C.", "Washington DC", "Washington" },
    attrs = { country = "United States", capital = true } },
  { id = "mosul", type = "GPE", name = "Mosul", attrs = { country = "Iraq" } },
  { id = "erbil", type = "GPE", name = "Erbil", attrs = { country = "Iraq" } },
  { id = "kurdistan-region", type = "GPE", name = "Kurdistan Region",
    aliases = { "Kurdistan Region of Iraq" }, attrs = { country = "Iraq" } },
  { id = "nineveh", type = "GPE", name = "Nineveh Governorate",
    aliases = { "Nineveh province", "Nineveh" }, attrs = { country = "Iraq" } },
  { id = "anbar", type = "GPE", name = "Anbar Governorate",
    aliases = { "Anbar Governate", "Anbar" }, attrs = { country = "Iraq" } },
  { id = "al-qaim", type = "GPE", name = "al-Qa'im",
    attrs = { country = "Iraq", note = "border crossing with Syria" } },
  { id = "karrada", type = "GPE", name = "Karrada",
    aliases = { "Kararda" },   -- so misspelled in a tweet quoted in 004
    attrs = { city = "Baghdad" } },
  { id = "rasafa", type = "GPE", name = "Rasafa", attrs = { city = "Baghdad" } },
  { id = "sadr-city", type = "GPE", name = "Sadr City", attrs = { city = "Baghdad" } },
  { id = "ali-al-saleh", type = "GPE", name = "Ali al-Saleh", attrs = { city = "Baghdad" } },

  -- ---- other places (LOC) and facilities (FAC) -----------------------
  { id = "green-zone", type = "LOC", name = "Green Zone",
    aliases = { "#Green_Zone", "GZ", "Al-Khadra", "Al-Khadr",
                "Green Square" },   -- 003's (mis)translation of the same zone
    attrs = { city = "Baghdad", note = "fortified district of government buildings and embassies" } },
  { id = "middle-east", type = "LOC", name = "Middle East" },
  { id = "tigris", type = "LOC", name = "Tigris", attrs = { kind = "river" } },
  { id = "sector-75", type = "LOC", name = "Sector 75", attrs = { city = "Baghdad (Sadr City)" } },
  { id = "us-embassy", type = "FAC", name = "US Embassy in Baghdad",
    aliases = { "US Embassy", "U.S. embassy", "United States embassy",
                "American embassy", "@USEmbBaghdad" },
    attrs = { location = "Green Zone, Baghdad", twitter = "@USEmbBaghdad" } },
  { id = "camp-taji", type = "FAC", name = "Camp Taji",
    aliases = { "Taji Base" },
    attrs = { location = "north of Baghdad", note = "hosts US troops" } },
  { id = "palestine-street", type = "FAC", name = "Palestine Street",
    attrs = { city = "Baghdad" } },
  { id = "muthanna-bridge", type = "FAC", name = "Muthanna Bridge",
    attrs = { city = "Baghdad" } },

  -- ---- events ----------------------------------------------------------
  { id = "invasion-2003", type = "EVENT", name = "2003 invasion of Iraq",
    aliases = { "US invasion of Iraq", "US invasion" } },
  { id = "strategic-dialogue", type = "EVENT", name = "US-Iraq Strategic Dialogue",
    aliases = { "Iraqi-US strategic dialogue", "strategic dialogue" },
    attrs = { began = "June 2020" } },
}

-- ---------------------------------------------------------------------
-- Possessives: "Kadhimi’s", "Al-Kazemi's", "AAH’s", "Kataib Hezbollah’s"
-- are single tokens, which an alias does not match. Index every alias by
-- its normalised words (hyphen = space, as loose_hyphens does), and let the
-- callback emit the span before the "'s".
-- ---------------------------------------------------------------------

local POSS, MAXWORDS = {}, 1

local function words_key(s)
  local k = trawl.normalize(s):gsub("%-", " "):gsub("%s+", " ")
  return (k:gsub("^ ", ""):gsub(" $", ""))
end

local function is_acronym(s)
  return #s <= 5 and s:find("^[A-Z.]+$") ~= nil and s:find("[A-Z]") ~= nil
end

for _, e in ipairs(entities) do
  local all = { e.name }
  for _, a in ipairs(e.aliases or {}) do all[#all + 1] = a end
  for _, a in ipairs(all) do
    if not a:find("^[@#]") then   -- "@x’s" and "#x’s" are split by the tokenizer
      local k = words_key(a)
      if POSS[k] == nil then
        POSS[k] = { id = e.id, exact = is_acronym(a) and a or nil }
      end
      local n = select(2, k:gsub(" ", "")) + 1
      if n > MAXWORDS then MAXWORDS = n end
    end
  end
end

local function possessive(doc, emit)
  local toks = doc.tokens
  for i = 1, #toks do
    local t = toks[i]
    local norm = t.norm
    if t.kind == "word" and #norm > 2 and norm:sub(-2) == "'s" then
      -- the token's text without its apostrophe (any style) and s
      local body = t.text:sub(1, -2)
      local stem = body:sub(1, utf8.offset(body, -1) - 1)
      -- keys[k + 1]: the words of tokens i-k .. i, the last one's stem
      local keys = { (norm:sub(1, -3):gsub("%-", " ")) }
      for k = 1, math.min(MAXWORDS - 1, i - 1) do
        local p = toks[i - k]
        if p.kind ~= "word" and p.kind ~= "number" then break end
        keys[k + 1] = p.norm:gsub("%-", " ") .. " " .. keys[k]
      end
      for k = #keys - 1, 0, -1 do   -- the longest alias wins
        local hit = POSS[keys[k + 1]]
        if hit and (hit.exact == nil or (k == 0 and stem == hit.exact)) then
          emit(toks[i - k].start, t.start + #stem - 1, hit.id)
          break
        end
      end
    end
  end
end

-- ---------------------------------------------------------------------
-- The ruleset
-- ---------------------------------------------------------------------

local MONTH = "(?:January|February|March|April|May|June|July|August|September|October|November|December)"

return trawl.ruleset {
  name = "iraq-2020",
  version = "1.0.0",
  description = "People, militias, organisations, places and events of the 2020 Iraqi government–militia confrontations (the sample corpus)",
  license = "CC-BY-4.0",
  author = "trawl authors",

  entities = entities,

  patterns = {   -- spaCy Matcher semantics
    -- The PMF under any of its English names, British spelling included.
    { id = "pmf-names", label = "pmf",
      pattern = { {LOWER = "popular"},
                  {LOWER = {IN = {"mobilization", "mobilisation"}}},
                  {LOWER = {IN = {"forces", "units", "committees", "commission",
                                  "militia", "militias", "authority", "front"}}} } },
    -- Kataib Hezbollah in other transliterations ("Kata’ib Hizballah"...).
    { id = "kh-names", label = "kh",
      pattern = { {NORM = {IN = {"kataib", "kata'ib", "khataib", "kathaib",
                                 "kita'ib", "kitaib"}}},
                  {NORM = {IN = {"hezbollah", "hizballah", "hizbollah",
                                 "hizbullah", "hezbullah"}}} } },
    -- Asaib Ahl al-Haq in other transliterations ("Asa’ib Ahl al-Haqq").
    { id = "aah-names", label = "aah",
      pattern = { {NORM = {IN = {"asaib", "asa'ib", "assaib"}}},
                  {NORM = {IN = {"ahl", "ahel"}}},
                  {NORM = {IN = {"al-haq", "al-haqq", "alhaq", "alhaqq"}}} } },
    -- Units named by number: "the 30th Brigade". The 45th (Kataib
    -- Hezbollah's PMF brigade) is an entity, which wins on the same span.
    { id = "brigade-ordinal", label = "ORG",
      pattern = { {TEXT = {REGEX = "^[0-9]+(st|nd|rd|th)$"}},
                  {LOWER = {IN = {"brigade", "division", "battalion"}}} } },
  },

  regex = {
    -- Dates as the sources list of 004 writes them: 12/25/20.
    { id = "date-mdy", label = "DATE",
      re = [[(?<![\d/])(?<month>\d{1,2})/(?<day>\d{1,2})/(?<year>\d{2}|\d{4})(?![\d/])]] },
    -- "July 22, 2020", "Sunday, July 5", "May 7", "June 2014".
    { id = "date-month", label = "DATE",
      re = [[\b(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),\s+)?]]
           .. MONTH .. [[\s+(?:\d{1,2}(?:st|nd|rd|th)?(?:,\s*\d{4})?|\d{4})\b]] },
    -- A month alone after "in", "late", "early", "last", "since": "In
    -- late June", "since taking office last May" (not "a May rally").
    { id = "date-month-alone", label = "DATE",
      re = [[(?<=\bin |\bIn |\blate |\bearly |\blast |\bsince |\bSince )]] .. MONTH .. [[\b]] },
    { id = "date-christmas", label = "DATE", re = [[\bChristmas(?:\s+[Dd]ay)?\b]] },
    -- Twitter handles; those of known actors are entity aliases and win.
    { id = "handle", label = "HANDLE", re = [[(?<![\w@])@\w{1,30}\b]] },
    -- The PM named as a party in a noun compound: "Kadhimi-fasa’il
    -- confrontation", "MK-fasa’il mediation" (a hyphenated word is one
    -- token, so an alias cannot match its first part).
    { id = "pm-compound", label = "kadhimi",
      re = [[(?<![\w@-])(?:Kadhimi|Kazemi|MK)(?=-\p{Ll})]] },
    -- 003's heading "The Initial Vision Ofal-Kazemi Era" ("Of al-Kazemi").
    { id = "pm-run-on", label = "kadhimi", re = [[(?<=\bOf)al-Kazemi\b]] },
    -- 004's "Asaib Ahl al-Haqissued" ("al-Haq issued").
    { id = "aah-run-on", label = "aah",
      re = [[\bAsa['’]?ib Ahl [Aa]l-?Haq(?=issued\b)]] },
  },

  callbacks = {
    -- label: a default only; every emit names the entity it found.
    { id = "possessive", label = "ORG", fn = possessive },
  },

  examples = {
    -- the example of the header
    { text = "Kataib Hezbollah’s (KH) men threatened Al-Kazemi in Baghdad on 12/26/20.",
      expect = { {"kh", "Kataib Hezbollah"}, {"kh", "KH"}, {"kadhimi", "Al-Kazemi"},
                 {"baghdad", "Baghdad"}, {"DATE", "12/26/20"} } },
    -- the PM
    { text = "Al-Kazemi visited the Iraqi border with Iran.",
      expect = { {"kadhimi", "Al-Kazemi"}, {"iran", "Iran"} } },
    { text = "Iraq’s Prime Minister Mustafa Kazemi has taken a second stand.",
      expect = { {"kadhimi", "Mustafa Kazemi"}, {"iraq", "Iraq"} },
      reject = { {"kadhimi", "Prime Minister Mustafa Kazemi"} } },
    { text = "Al Kazime and the Iraqi Hope", expect = { {"kadhimi", "Al Kazime"} } },
    { text = "to force PM @MAKadhimi to free an AAH member",
      expect = { {"kadhimi", "@MAKadhimi"}, {"aah", "AAH"} },
      reject = { {"HANDLE"} } },
    { text = "after PM @MAKadhimi’s tweet", expect = { {"kadhimi", "@MAKadhimi"} } },
    { text = "Kadhimi’s actions so far; Al-Kazemi's efforts; al-Kadhimi's appointment.",
      expect = { {"kadhimi", "Kadhimi"}, {"kadhimi", "Al-Kazemi"}, {"kadhimi", "al-Kadhimi"} },
      reject = { {"kadhimi", "Kadhimi’s"} } },
    { text = "So far, the 2nd major Kadhimi-fasa’il confrontation (AAH). MK also compromised.",
      expect = { {"kadhimi", "Kadhimi"}, {"kadhimi", "MK"}, {"aah", "AAH"} } },
    { text = "The mk scale and the Mk II.", reject = { {"kadhimi"} } },
    { text = "The Initial Vision Ofal-Kazemi Era", expect = { {"kadhimi", "al-Kazemi"} } },
    -- Kataib Hezbollah, and bare Hezbollah
    { text = "Kata’ib Hezbollah fired rockets on 12/25/20.",
      expect = { {"kh", "Kata’ib Hezbollah"}, {"DATE", "12/25/20"} } },
    { text = "In June, the Counter Terror Service (CTS) raided Kataib Hezbollah’s (KH) headquarters.",
      expect = { {"cts", "Counter Terror Service"}, {"cts", "CTS"},
                 {"kh", "Kataib Hezbollah"}, {"kh", "KH"} } },
    { text = "Khataib Hezbollah is an umbrella group of the Popular Mobilization Units (PMU).",
      expect = { {"kh", "Khataib Hezbollah"}, {"pmf", "Popular Mobilization Units"}, {"pmf", "PMU"} } },
    { text = "Kathaib Hezbollah Secretary-General Ahmad al-Hamidawi released a statement.",
      expect = { {"kh", "Kathaib Hezbollah"}, {"al-hamidawi", "Ahmad al-Hamidawi"} } },
    { text = 'The spokesman for the "Hezbollah Brigades", Jaafar al-Husseini, said so.',
      expect = { {"kh", "Hezbollah Brigades"}, {"al-husseini", "Jaafar al-Husseini"} },
      reject = { {"hezbollah"} } },
    { text = "Kataib Hezbollah and Harakat Hezbollah al-Nujaba responded.",
      expect = { {"kh", "Kataib Hezbollah"}, {"nujaba", "Harakat Hezbollah al-Nujaba"} },
      reject = { {"hezbollah"} } },
    { text = "Hezbollah fighters went back to Lebanon.",
      expect = { {"hezbollah", "Hezbollah"}, {"lebanon", "Lebanon"} }, reject = { {"kh"} } },
    { text = "The kh sound in Kathmandu.", reject = { {"kh"} } },
    { text = "Kata’ib Hizballah and Kitaib Hezbollah", expect = { {"kh", "Kata’ib Hizballah"}, {"kh", "Kitaib Hezbollah"} } },
    -- Asaib Ahl al-Haq
    { text = "the leader of Asaib Ahl al-Haq, Qais Khazali, one of the popular crowd groups",
      expect = { {"aah", "Asaib Ahl al-Haq"}, {"al-khazali", "Qais Khazali"}, {"pmf", "popular crowd"} } },
    { text = "militias Asaib Ahl al-Haqissued a video", expect = { {"aah", "Asaib Ahl al-Haq"} } },
    { text = "He is the commander of AAH’s missile unit. The AHH member was released.",
      expect = { {"aah", "AAH"}, {"aah", "AHH"} } },
    { text = "Ahh, said the aah-ing crowd.", reject = { {"aah"} } },
    { text = "to defend Asa’ib Ahl al-Haq, with Asaib Ahl AlHaq",
      expect = { {"aah", "Asa’ib Ahl al-Haq"}, {"aah", "Asaib Ahl AlHaq"} } },
    -- the PMF and its parts
    { text = "members of the 45th Brigade of the Popular Mobilization Forces and the 30th Brigade",
      expect = { {"pmf-brigade-45", "45th Brigade"}, {"pmf", "Popular Mobilization Forces"},
                 {"ORG", "30th Brigade"} } },
    { text = "handed over to the Al-Hashd Al-Shaabi.", expect = { {"pmf", "Al-Hashd Al-Shaabi"} } },
    { text = "handed over to the Hashd security directorate, controlled by KH",
      expect = { {"pmf-security", "Hashd security directorate"}, {"kh", "KH"} },
      reject = { {"pmf"} } },
    { text = "the Popular Mobilisation Committees", expect = { {"pmf", "Popular Mobilisation Committees"} } },
    -- places and facilities
    { text = "a rocket targeting Baghdad’s fortified Green Zone, home to the US Embassy",
      expect = { {"baghdad", "Baghdad"}, {"green-zone", "Green Zone"}, {"us-embassy", "US Embassy"} },
      reject = { {"us"} } },
    { text = "bombing U.S. embassy in Baghdad and other U.S. targets",
      expect = { {"us-embassy", "U.S. embassy"}, {"us", "U.S."}, {"baghdad", "Baghdad"} } },
    { text = "they would like us to leave", reject = { {"us"} } },
    { text = "aimed at the Taji Base north of Baghdad", expect = { {"camp-taji", "Taji Base"} } },
    -- people of Iran and the PMF
    { text = "the killing of Major General Qassem Soleimani, alongside Abu Mahdi al-Muhandis",
      expect = { {"soleimani", "Qassem Soleimani"}, {"al-muhandis", "Abu Mahdi al-Muhandis"} } },
    { text = "Quds Force commander General Ismail Qaani was in Baghdad",
      expect = { {"quds-force", "Quds Force"}, {"qaani", "Ismail Qaani"}, {"baghdad", "Baghdad"} } },
    { text = "NSA’s Qassem al-Araji intervened; advisor @qassimalaraji agreed",
      expect = { {"al-araji", "Qassem al-Araji"}, {"al-araji", "@qassimalaraji"} } },
    -- dates and handles
    { text = "On July 11, Al-Kazemi visited; INSS Insight No. 1351, July 22, 2020",
      expect = { {"DATE", "July 11"}, {"DATE", "July 22, 2020"}, {"kadhimi", "Al-Kazemi"},
                 {"inss", "INSS"} } },
    { text = "On Sunday, July 5, the military said; in late June and since May it had warned.",
      expect = { {"DATE", "Sunday, July 5"}, {"DATE", "June"}, {"DATE", "May"} } },
    { text = "It may rain. May I? Theresa May spoke.", reject = { {"DATE"} } },
    { text = "as @SomeAnalyst wrote", expect = { {"HANDLE", "@SomeAnalyst"} } },
  },
}

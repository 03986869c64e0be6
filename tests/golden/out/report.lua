-- The sample report behind tests/golden/out/report.html and the headless
-- Chromium test (tests/e2e/html_chromium.sh): every block type of
-- trawl.html, from fixed data about the sample corpus (the numbers are
-- made up for the test, not computed). Returns a function that builds the
-- report; the date and version are fixed so the HTML is byte-stable.
local html = require "trawl.html"

return function()
  local r = html.report{
    title = "Iraq 2020: militias and the prime minister",
    subtitle = "Sample report — five English news articles (corpus/)",
    date = "2024-01-01", version = "0.0.0-test",
  }

  r:section("About this report",
    "This report shows every kind of block **trawl.html** draws, from fixed data.\n\n" ..
    "- Frequencies as *bars*, keyness as bars around zero\n" ..
    "- A co-occurrence `network`, a timeline and a dispersion plot\n" ..
    "- A concordance and a plain table\n\n" ..
    "Text is escaped: <script>alert(\"x\")</script> & \"quotes\" stay text. " ..
    "See [the timeline](#events-in-2020).")

  r:section("Frequent terms", "Content words, stop words left out, counted over all documents.")
  r:bars{title = "Most frequent terms", unit = "occurrences", items = {
    {"militia", 41}, {"Kadhimi", 37}, {"Iraq", 35}, {"Hezbollah", 28}, {"rockets", 19},
    {"Kata’ib", 17}, {"Baghdad", 15}, {"U.S.", 14}, {"raid", 11},
    {"Popular Mobilization Forces", 9}, {"الحشد الشعبي", 3},
  }}
  r:bars{title = "Keyness of document 002 against the rest", unit = "log-likelihood",
    note = "Positive: more frequent in 002 than elsewhere; negative: less frequent.",
    items = {{label = "Dora", value = 14.62}, {label = "detained", value = 11.3},
      {label = "raid", value = 9.875}, {label = "counter-terrorism", value = 7.5},
      {label = "election", value = -3.25}, {label = "embassy", value = -6.4}}}
  r:table({
    {id = "000", title = "Kadhimi vows to rein in militias", date = "2020-05-07", words = 812},
    {id = "002", title = "Raid on Kata’ib Hezbollah in Dora", date = "2020-06-26", words = 1034},
    {id = "004", title = "Rockets hit the Green Zone | again", date = "2020-12-27", words = 655},
  }, {{"id", title = "Doc"}, {"title", title = "Title"}, {"date", title = "Date"},
      {"words", title = "Words"}}, {title = "Documents", note = "Word counts leave out punctuation."})

  r:section("Who appears with whom", "Entities that are mentioned in the same sentence.")
  r:network({
    nodes = {
      {id = "kadhimi", label = "Mustafa al-Kadhimi", type = "PERSON", weight = 37},
      {id = "kh", label = "Kata’ib Hezbollah", type = "ORG", weight = 28},
      {id = "pmf", label = "Popular Mobilization Forces", type = "ORG", weight = 16},
      {id = "aah", label = "Asa’ib Ahl al-Haq", type = "ORG", weight = 8},
      {id = "muhandis", label = "Abu Mahdi al-Muhandis", type = "PERSON", weight = 9},
      {id = "soleimani", label = "Qassem Soleimani", type = "PERSON", weight = 7},
      {id = "trump", label = "Donald Trump", type = "PERSON", weight = 5},
      {id = "baghdad", label = "Baghdad", type = "GPE", weight = 15},
      {id = "iran", label = "Iran", type = "GPE", weight = 21},
      {id = "us", label = "United States", type = "GPE", weight = 18},
      {id = "greenzone", label = "Green Zone", type = "FAC", weight = 6},
      {id = "dora", label = "Dora", type = "GPE", weight = 3},
    },
    edges = {
      {source = "kadhimi", target = "kh", weight = 12}, {source = "kadhimi", target = "pmf", weight = 7},
      {source = "kadhimi", target = "us", weight = 9}, {source = "kadhimi", target = "iran", weight = 6},
      {source = "kadhimi", target = "trump", weight = 4}, {source = "kadhimi", target = "baghdad", weight = 5},
      {source = "kh", target = "iran", weight = 8}, {source = "kh", target = "pmf", weight = 6},
      {source = "kh", target = "dora", weight = 3}, {source = "kh", target = "us", weight = 5},
      {source = "pmf", target = "muhandis", weight = 6}, {source = "muhandis", target = "soleimani", weight = 7},
      {source = "soleimani", target = "iran", weight = 5}, {source = "soleimani", target = "us", weight = 3},
      {source = "aah", target = "pmf", weight = 3}, {source = "aah", target = "iran", weight = 2},
      {source = "greenzone", target = "us", weight = 4}, {source = "greenzone", target = "baghdad", weight = 3},
      {source = "trump", target = "us", weight = 2}, {source = "baghdad", target = "dora", weight = 2},
    },
  }, {title = "Co-occurrence of entities", node_weight = "mentions", edge_weight = "shared sentences"})

  r:section("Events in 2020", "Dated events found in the documents, in date order.")
  r:timeline{title = "Timeline", events = {
    {date = "2020-01-03", label = "Soleimani and al-Muhandis killed", doc = "000",
     text = "A U.S. drone strike near Baghdad airport kills both men.",
     entities = {"Qassem Soleimani", "Abu Mahdi al-Muhandis"}},
    {date = "2020-05-07", label = "Kadhimi sworn in", doc = "000", entities = {"Mustafa al-Kadhimi"}},
    {date = "2020-06-25", label = "Raid on Kata’ib Hezbollah in Dora", doc = "002",
     text = "Counter-terrorism forces detain fourteen members.", entities = {{name = "Kata’ib Hezbollah"}}},
    {date = "2020-06-26", label = "Detainees handed to the PMF", doc = "002"},
    {date = "2020-06-29", label = "Most detainees released", doc = "002"},
    {date = "2020-07", label = "Rocket attacks on the Green Zone", doc = "003"},
    {date = "2020-07-06", label = "Hisham al-Hashimi shot dead", doc = "003"},
    {date = "2020-08-20", label = "Kadhimi meets Trump in Washington", doc = "001"},
    {date = "2020-12-20", label = "Rockets hit the U.S. embassy compound", doc = "004"},
    {date = "2020-12-27", label = "Kadhimi: “we will not allow Iraq to become a battlefield”", doc = "004"},
    {date = "2020", label = "Year of the militia crisis", doc = "001"},
    {date = "XXXX-06-25", label = "Anniversary mentioned without a year", doc = "003"},
    {date = "sometime", label = "Undated promise of elections", doc = "001"},
  }}

  r:section("Where the terms occur", "Each tick is one occurrence, at its relative position in the document.")
  r:dispersion{title = "Dispersion of five terms",
    docs = {"000_1af78644860d8528", "001_3dc81e1ea7d977a8", "002_fc6652fa48584f3a",
            "003_21d5d0816ff0cbf2", "004_bded5637d4401b88"},
    terms = {
      {term = "Kadhimi", hits = {{doc = "000_1af78644860d8528", pos = 0.02}, {doc = "000_1af78644860d8528", pos = 0.31},
        {doc = "000_1af78644860d8528", pos = 0.77}, {doc = "001_3dc81e1ea7d977a8", pos = 0.1},
        {doc = "002_fc6652fa48584f3a", pos = 0.05}, {doc = "002_fc6652fa48584f3a", pos = 0.6},
        {doc = "004_bded5637d4401b88", pos = 0.12}, {doc = "004_bded5637d4401b88", pos = 0.95}}},
      {term = "Kata’ib", hits = {{doc = "002_fc6652fa48584f3a", pos = 0.08}, {doc = "002_fc6652fa48584f3a", pos = 0.2},
        {doc = "002_fc6652fa48584f3a", pos = 0.22}, {doc = "002_fc6652fa48584f3a", pos = 0.5},
        {doc = "003_21d5d0816ff0cbf2", pos = 0.4}}},
      {term = "rockets", hits = {{doc = "003_21d5d0816ff0cbf2", pos = 0.15}, {doc = "004_bded5637d4401b88", pos = 0.03},
        {doc = "004_bded5637d4401b88", pos = 0.09}, {doc = "004_bded5637d4401b88", pos = 0.5}}},
      {term = "election", hits = {{doc = "001_3dc81e1ea7d977a8", pos = 0.85}}},
      {term = "drone", hits = {}},
    }}
  r:kwic({
    {doc = "002", left = "forces raided a building used by the Iran-backed", match = "Kata’ib Hezbollah",
     right = "militia in Dora, south of Baghdad, on Thursday night", sentence = "Iraqi forces raided …"},
    {doc = "002", left = "Fourteen members of", match = "Kata’ib Hezbollah", right = "were detained."},
    {doc = "003", left = "A spokesman for", match = "Kata’ib Hezbollah",
     right = "denied any role in the <rocket> attacks & said so \"twice\"."},
    {doc = "004", left = "Rockets have been blamed on groups such as", match = "Kata’ib Hezbollah",
     right = "and Asa’ib Ahl al-Haq."},
  }, {title = "Kata’ib Hezbollah in context"})
  return r
end

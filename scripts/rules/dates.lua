--- dates: temporal expressions as DATE mentions, with their TIMEX3 values.
--
-- A callback rule: trawl.dates.parse finds and normalises every temporal
-- expression of a document against the document's date (rules:
-- docs/dates.md), and each becomes a mention of type DATE whose attrs hold
-- the TIMEX3 type (DATE, TIME, DURATION, SET), value ("2020-06-25", "P20Y",
-- "XXXX-06-25" when the year is unknown), anchor (how the value was
-- obtained) and mod ("END" for "late June"...). So timelines and exports
-- read dates from the entity tables like any other mention:
--
--   trawl apply scripts/rules/dates.lua corpus/
--   trawl run -e 'for _, m in ipairs(trawl.corpus():mentions{type = "DATE"}) do
--     print(m.docid, m.text, m.attrs.value) end' corpus/
--
-- Example input: "On June 25, the forces stormed the headquarters."
-- (document date 2020-07-22) gives DATE "June 25" with value 2020-06-25.
return trawl.ruleset {
  name = "dates",
  version = "1.0.0",
  description = "Temporal expressions normalised to TIMEX3 values",
  license = "MIT",
  author = "trawl authors",
  -- equally long overlapping mentions (another ruleset's DATE regex on
  -- "12/25/20") go to these, which carry the normalised value
  options = { priority = 10 },

  callbacks = {
    { id = "timex", label = "DATE",
      fn = function(doc, emit)
        for _, x in ipairs(trawl.dates.parse(doc.text, doc.date)) do
          emit(x.start, x.stop, nil, 1, {
            type = x.type, value = x.value, anchor = x.anchor, mod = x.mod })
        end
      end },
  },

  examples = {
    { text = "On June 25, 2020, the forces stormed the headquarters.",
      expect = { {"DATE", "June 25, 2020"} } },
    { text = "Most were released on the 29th of the same month, after June 25.",
      expect = { {"DATE", "the 29th of the same month"}, {"DATE", "June 25"} } },
    { text = "Sunday, December 27, 2020: a Christmas day confrontation lasted 48 hours.",
      expect = { {"DATE", "Sunday, December 27, 2020"}, {"DATE", "Christmas day"},
                 {"DATE", "48 hours"} } },
    { text = "Sources: Twitter, 12/25/20", expect = { {"DATE", "12/25/20"} } },
    { text = "He may visit the Mayor in May 2021.",
      expect = { {"DATE", "May 2021"} }, reject = { {"DATE", "may"}, {"DATE", "Mayor"} } },
    { text = "See https://x.org/2020/06/25 and v1.2.3 from @user2020.",
      reject = { {"DATE"} } },
  },
}

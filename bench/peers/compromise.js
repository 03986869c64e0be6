// compromise.js — compromise as a peer: the tokenizer-only build
// (compromise/one) and nlp.tokenize(), which splits sentences and terms
// without running the tagger. Terms keep their punctuation attached (it is
// not a token of its own), so its token counts are lower than the others'.
'use strict';
const { bench } = require('./common');

bench('compromise', () => {
  const nlp = require('compromise/one');
  return (text) => {
    const doc = nlp.tokenize(text);
    let terms = 0;
    for (const s of doc.document) terms += s.length;
    return [terms, doc.document.length];
  };
});

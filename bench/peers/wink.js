// wink.js — wink-nlp with wink-eng-lite-web-model as a peer: readDoc() with
// the pipe cut down to sentence boundary detection (['sbd']), so it does
// tokenization plus sentence splitting and no POS/NER/sentiment work.
// Counts doc.tokens() and doc.sentences().
'use strict';
const { bench } = require('./common');

bench('wink-nlp', () => {
  const winkNLP = require('wink-nlp');
  const model = require('wink-eng-lite-web-model');
  const nlp = winkNLP(model, ['sbd']);
  return (text) => {
    const doc = nlp.readDoc(text);
    return [doc.tokens().length(), doc.sentences().length()];
  };
});

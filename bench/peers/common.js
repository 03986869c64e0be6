// common.js — shared harness of the JavaScript peers: reads the corpus file,
// splits it into documents at form feeds (optionally only the leading
// documents up to --max-bytes), times run(doc) over all documents --runs
// times with a monotonic clock, and prints the best run as the RESULT line
// that bench/run collects. Reading and splitting the file, loading the
// library and its model are timed apart (load_seconds) and not counted.
'use strict';
const fs = require('fs');

function parseArgs(argv) {
  const o = { runs: 3, maxBytes: Infinity, file: null };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') o.runs = Number(argv[++i]);
    else if (argv[i] === '--max-bytes') o.maxBytes = Number(argv[++i]);
    else o.file = argv[i];
  }
  if (!o.file) {
    console.error('usage: node PEER.js [--runs N] [--max-bytes N] FILE');
    process.exit(2);
  }
  return o;
}

// setup() loads the library and returns run(text) -> [tokens, sentences].
function bench(tool, setup) {
  const o = parseArgs(process.argv.slice(2));
  const t0 = process.hrtime.bigint();
  const run = setup();
  const buf = fs.readFileSync(o.file);
  const docs = [];
  let bytes = 0;
  for (let start = 0; start < buf.length && bytes < o.maxBytes;) {
    let end = buf.indexOf(0x0c, start);
    if (end < 0) end = buf.length;
    if (end > start) {
      docs.push(buf.toString('utf8', start, end));
      bytes += end - start;
    }
    start = end + 1;
  }
  const load = Number(process.hrtime.bigint() - t0) / 1e9;

  let best = Infinity;
  let tokens = 0;
  let sentences = 0;
  for (let r = 0; r < o.runs; r++) {
    let rt = 0;
    let rs = 0;
    const s = process.hrtime.bigint();
    for (const d of docs) {
      const [t, n] = run(d);
      rt += t;
      rs += n;
    }
    const secs = Number(process.hrtime.bigint() - s) / 1e9;
    console.error(`  run ${r + 1}: ${secs.toFixed(3)} s, ${(bytes / 1e6 / secs).toFixed(2)} MB/s`);
    best = Math.min(best, secs);
    tokens = rt;
    sentences = rs;
  }
  console.log(`RESULT tool=${tool} bytes=${bytes} docs=${docs.length} seconds=${best.toFixed(6)} ` +
    `tokens=${tokens} sentences=${sentences} load_seconds=${load.toFixed(6)} runs=${o.runs}`);
}

module.exports = { bench };

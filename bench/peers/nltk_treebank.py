#!/usr/bin/python3
"""nltk_treebank.py — NLTK as a peer: PunktSentenceTokenizer() splits each
document into sentences, then TreebankWordTokenizer tokenizes each sentence
(the Treebank tokenizer expects one sentence at a time).

The Punkt splitter is used untrained: PunktSentenceTokenizer() with its
default parameters, which needs no downloaded data (no 'punkt' model, no
abbreviation list), so it breaks after every '.', '?' or '!' that Punkt's
built-in heuristics accept. Run with Debian's /usr/bin/python3, which sees
python3-nltk. Same protocol as common.js: documents at form feeds, best of
--runs, load time reported apart, RESULT line at the end."""
import sys
import time


def main():
    runs, max_bytes, path = 3, None, None
    args = sys.argv[1:]
    i = 0
    while i < len(args):
        if args[i] == '--runs':
            runs = int(args[i + 1]); i += 2
        elif args[i] == '--max-bytes':
            max_bytes = int(args[i + 1]); i += 2
        else:
            path = args[i]; i += 1
    if path is None:
        sys.exit('usage: nltk_treebank.py [--runs N] [--max-bytes N] FILE')

    t0 = time.perf_counter()
    from nltk.tokenize import TreebankWordTokenizer
    from nltk.tokenize.punkt import PunktSentenceTokenizer
    sent_tok = PunktSentenceTokenizer()
    word_tok = TreebankWordTokenizer()
    with open(path, 'rb') as f:
        raw = f.read()
    docs, nbytes = [], 0
    for part in raw.split(b'\f'):
        if max_bytes is not None and nbytes >= max_bytes:
            break
        if part:
            docs.append(part.decode('utf-8'))
            nbytes += len(part)
    load = time.perf_counter() - t0

    best, tokens, sentences = None, 0, 0
    for r in range(runs):
        rt = rs = 0
        s = time.perf_counter()
        for d in docs:
            sents = sent_tok.tokenize(d)
            rs += len(sents)
            for sent in sents:
                rt += len(word_tok.tokenize(sent))
        secs = time.perf_counter() - s
        print(f'  run {r + 1}: {secs:.3f} s, {nbytes / 1e6 / secs:.2f} MB/s',
              file=sys.stderr)
        best = secs if best is None else min(best, secs)
        tokens, sentences = rt, rs
    print(f'RESULT tool=nltk bytes={nbytes} docs={len(docs)} seconds={best:.6f} '
          f'tokens={tokens} sentences={sentences} load_seconds={load:.6f} '
          f'runs={runs}')


if __name__ == '__main__':
    main()

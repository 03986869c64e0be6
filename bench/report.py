#!/usr/bin/python3
"""report.py — turns the RESULT lines that bench/run collected into the
benchmark table and the two target checks.

    report.py RESULTS_FILE

Each line of RESULTS_FILE is "CORPUS RESULT key=value ..." as printed by
bench_tokenize, peers/*.js, peers/nltk_treebank.py and peers/wc.sh. MB are
10^6 bytes. "vs trawl" is trawl's MB/s divided by the tool's MB/s on the same
corpus: how many times faster trawl is. The peers of the 20x target are the
NLP tokenizers (wink-nlp, compromise, nltk); wc -w is only the floor.
Exit status: 0 when both targets pass, 1 when one fails."""
import sys

TARGET_MBPS = 150.0
TARGET_RATIO = 20.0
NAMES = {
    'trawl': 'trawl',
    'wc-w': 'wc -w (floor)',
    'wink-nlp': 'wink-nlp',
    'compromise': 'compromise',
    'nltk': 'nltk treebank+punkt',
}
PEERS = ('wink-nlp', 'compromise', 'nltk')


def read(path):
    rows = []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) < 3 or parts[1] != 'RESULT':
                continue
            r = dict(p.split('=', 1) for p in parts[2:])
            r['corpus'] = parts[0]
            for k in ('bytes', 'tokens', 'sentences', 'docs', 'runs'):
                r[k] = int(r[k])
            for k in ('seconds', 'load_seconds'):
                r[k] = float(r[k])
            r['mbps'] = r['bytes'] / 1e6 / r['seconds']
            r['tps'] = r['tokens'] / r['seconds']
            rows.append(r)
    return rows


def human(n):
    for unit, div in (('G', 1e9), ('M', 1e6), ('k', 1e3)):
        if n >= div:
            return f'{n / div:.2f}{unit}'
    return f'{n:.0f}'


def main():
    rows = read(sys.argv[1])
    corpora = []
    for r in rows:
        if r['corpus'] not in corpora:
            corpora.append(r['corpus'])
    trawl = {r['corpus']: r for r in rows if r['tool'] == 'trawl'}

    head = ('tool', 'corpus', 'MB', 'seconds', 'MB/s', 'tokens', 'tokens/s',
            'vs trawl', 'sentences', 'load s')
    table = [head]
    for c in corpora:
        for r in rows:
            if r['corpus'] != c:
                continue
            t = trawl.get(c)
            ratio = f"{t['mbps'] / r['mbps']:.1f}x" if t else 'n/a'
            table.append((NAMES.get(r['tool'], r['tool']), c,
                          f"{r['bytes'] / 1e6:.1f}", f"{r['seconds']:.3f}",
                          f"{r['mbps']:.2f}", str(r['tokens']),
                          human(r['tps']), ratio,
                          str(r['sentences']) if r['sentences'] >= 0 else '-',
                          f"{r['load_seconds']:.3f}"))
    widths = [max(len(row[i]) for row in table) for i in range(len(head))]
    for n, row in enumerate(table):
        cells = [row[i].ljust(widths[i]) if i < 2 else row[i].rjust(widths[i])
                 for i in range(len(head))]
        print('  '.join(cells).rstrip())
        if n == 0:
            print('  '.join('-' * w for w in widths))
    print()

    ok = True
    if not trawl:
        print(f'FAIL  trawl >= {TARGET_MBPS:.0f} MB/s on one core: '
              'trawl did not run (not built?)')
        print(f'FAIL  trawl >= {TARGET_RATIO:.0f}x the fastest peer: '
              'trawl did not run')
        return 1
    speeds = [f"{c} {trawl[c]['mbps']:.1f} MB/s" for c in corpora if c in trawl]
    good = all(trawl[c]['mbps'] >= TARGET_MBPS for c in corpora if c in trawl)
    good = good and all(c in trawl for c in corpora)
    ok = ok and good
    print(f"{'PASS' if good else 'FAIL'}  trawl >= {TARGET_MBPS:.0f} MB/s on "
          f"one core: {', '.join(speeds)}")
    notes, good = [], True
    for c in corpora:
        peers = [r for r in rows if r['corpus'] == c and r['tool'] in PEERS]
        if c not in trawl or not peers:
            good = False
            notes.append(f'{c} no {"trawl" if c not in trawl else "peer"} result')
            continue
        fast = max(peers, key=lambda r: r['mbps'])
        ratio = trawl[c]['mbps'] / fast['mbps']
        good = good and ratio >= TARGET_RATIO
        notes.append(f"{c} {ratio:.1f}x {NAMES[fast['tool']]} "
                     f"({fast['mbps']:.2f} MB/s)")
    ok = ok and good
    print(f"{'PASS' if good else 'FAIL'}  trawl >= {TARGET_RATIO:.0f}x the "
          f"fastest peer: {', '.join(notes)}")
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())

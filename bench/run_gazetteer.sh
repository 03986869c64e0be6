#!/usr/bin/env bash
# bench/run_gazetteer.sh — the gazetteer benchmark: trawl's Aho-Corasick
# gazetteer (bench_gazetteer.c) with 100,000 synthetic aliases, next to
# ripgrep searching the same aliases as fixed strings (`rg -F -f`) in the
# raw text, on the corpora bench/run prepares in bench/work/data (sample,
# brown). bench/run calls it at its end; it also runs alone, as
# `bash bench/run_gazetteer.sh`, building what it needs (and, without a
# previous bench/run, making the sample corpus itself from corpus/*.txt).
#
# trawl is timed on tr_gaz_match alone (tokenizing is timed apart and
# shown), best of BENCH_RUNS runs, after building the gazetteer (add +
# compile, timed and shown). ripgrep has no tokens: its figure is raw-text
# throughput, the time rg itself reports spending on the search (--stats:
# "seconds spent searching"), best of BENCH_RUNS; its start-up and the
# compiling of the 100,000 patterns are shown apart. rg runs once as is
# (-F, case-sensitive) and once with -i (trawl folds case). Match counts
# are not comparable: rg counts substrings, trawl whole-token matches.
#
# Settings (environment), shared with bench/run:
#   BENCH_RUNS=3   timed runs, the best is reported
#   BENCH_CPU=0    the core every tool is pinned to (taskset -c)
#   BENCH_MB=50    size of the sample corpus when this script makes it
#   TRAWL_SRC=     source tree to build trawl from (default: this repo)
#   GAZ_ALIASES=100000  aliases to generate
#   BENCH_BUILD=   build directory (default: bench/work/build, as bench/run)
#   RG_TIMEOUT=60  seconds before one rg run is given up (rg -i builds a
#                  huge automaton from 100,000 patterns and may not finish)
# Exit status: 0 when both targets pass (build < 1 s, match >= 50 MB/s on
# every corpus), 1 when one fails, 2 on an error.
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$BENCH")
ROOT=${TRAWL_SRC:-$REPO}
WORK=$BENCH/work
DATA=$WORK/data
BUILD=${BENCH_BUILD:-$WORK/build}
GAZ=$WORK/gazetteer
RUNS=${BENCH_RUNS:-3}
CPU=${BENCH_CPU:-0}
MB=${BENCH_MB:-50}
NALIAS=${GAZ_ALIASES:-100000}
RG_TIMEOUT=${RG_TIMEOUT:-60}
PY=/usr/bin/python3

say() { printf '== %s\n' "$*" >&2; }
die() { printf 'bench/run_gazetteer.sh: %s\n' "$*" >&2; exit 2; }
mkdir -p "$WORK" "$DATA" "$GAZ"
pin=(taskset -c "$CPU")
command -v taskset >/dev/null || pin=()

# --- 1. ripgrep ---------------------------------------------------------------
if ! command -v rg >/dev/null; then
  say "installing ripgrep"
  { apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ripgrep; } >&2 ||
    say "ripgrep could not be installed: it is left out"
fi

# --- 2. Build bench_gazetteer with -O2 -----------------------------------------
BIN='' how_built=''
log=$GAZ/build.log
: >"$log"
if [[ -f $BUILD/CMakeCache.txt ]] &&
   ! grep -qx "CMAKE_HOME_DIRECTORY:INTERNAL=$ROOT" "$BUILD/CMakeCache.txt"; then
  rm -rf "$BUILD"   # configured for another source tree
fi
say "building bench_gazetteer (cmake -DTRAWL_BENCH=ON, -O2) in bench/work/build"
if cmake -S "$ROOT" -B "$BUILD" -DTRAWL_BENCH=ON -DBUILD_TESTING=OFF \
     -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS_RELEASE='-O2 -DNDEBUG' \
     >>"$log" 2>&1 &&
   cmake --build "$BUILD" --target bench_gazetteer -j "$(nproc)" >>"$log" 2>&1; then
  BIN=$BUILD/bench/bench_gazetteer how_built="cmake -DTRAWL_BENCH=ON, -O2"
else
  # The tree is being worked on: build from the four files it needs.
  say "cmake build failed (see bench/work/gazetteer/build.log); trying the needed engine files alone"
  read -ra pc <<<"$(pkg-config --cflags --libs libutf8proc)"
  if cc -std=c11 -O2 -DNDEBUG -Wall -Wextra -Wpedantic \
       -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I"$ROOT/engine" \
       "$BENCH/bench_gazetteer.c" "$ROOT/engine/gazetteer.c" \
       "$ROOT/engine/match.c" "$ROOT/engine/tokenize.c" \
       "$ROOT/engine/stopwords.c" "${pc[@]}" -lm \
       -o "$GAZ/bench_gazetteer" >>"$log" 2>&1; then
    BIN=$GAZ/bench_gazetteer
    how_built="direct cc -O2 of gazetteer.c, match.c, tokenize.c, stopwords.c (the cmake build failed)"
  else
    die "bench_gazetteer could not be built (see bench/work/gazetteer/build.log)"
  fi
fi

# --- 3. Corpora and the alias source ------------------------------------------
if [[ ! -f $DATA/sample.txt ]]; then
  say "making bench/work/data/sample.txt (corpus/*.txt repeated to >= $MB MiB)"
  "$PY" - "$REPO/corpus" "$DATA/sample.txt" $((MB * 1048576)) <<'EOF'
import glob, os, sys
docs = [open(p, 'rb').read() for p in sorted(glob.glob(os.path.join(sys.argv[1], '*.txt')))]
out, size = [], 0
while size < int(sys.argv[3]):
    for d in docs:
        out.append(d)
        size += len(d) + 1
open(sys.argv[2], 'wb').write(b'\f'.join(out))
EOF
fi
corpora=(sample)
[[ -f $DATA/brown.txt ]] && corpora+=(brown)
if [[ -f $DATA/brown-once.txt ]]; then
  source_text=$DATA/brown-once.txt source_name="the Brown corpus (brown-once.txt)"
else
  source_text=$DATA/sample.txt source_name="the sample corpus"
fi

# --- 4. Run -----------------------------------------------------------------------
results=$GAZ/results.txt
aliases=$GAZ/aliases.txt
: >"$results"
now_ns() { date +%s%N; }
# One rg run over file $2 with the flags in the array named $1. Prints
# "scan_seconds setup_seconds matches": scan is rg's own "seconds spent
# searching" (--stats), setup the wall time outside rg's own total
# (start-up, compiling the patterns). Fails when rg does (status 2; 1 only
# means no match) or times out.
rg_once() {
  local -n fl=$1
  local t0 t1 rc=0 scan total matches
  t0=$(now_ns)
  timeout "$RG_TIMEOUT" "${pin[@]}" rg "${fl[@]}" --stats -f "$aliases" "$2" \
    >"$GAZ/out" 2>>"$GAZ/rg.log" || rc=$?
  t1=$(now_ns)
  ((rc <= 1)) || return 1
  scan=$(sed -n 's/^\([0-9.]*\) seconds spent searching$/\1/p' "$GAZ/out")
  total=$(sed -n 's/^\([0-9.]*\) seconds$/\1/p' "$GAZ/out")
  matches=$(sed -n 's/^\([0-9]*\) matches$/\1/p' "$GAZ/out")
  [[ -n $scan && -n $total ]] || return 1
  awk -v s="$scan" -v t="$total" -v w="$((t1 - t0))" -v m="${matches:-0}" \
    'BEGIN { printf "%.6f %.6f %d\n", s, w / 1e9 - t, m }'
}
: >"$GAZ/rg.log"
declare -A rg_failed=()   # variant -> why it was given up
for corpus in "${corpora[@]}"; do
  f=$DATA/$corpus.txt
  say "trawl gazetteer on $corpus"
  if out=$("${pin[@]}" "$BIN" -r "$RUNS" -n "$NALIAS" -w "$source_text" \
             -a "$aliases" "$f"); then
    printf '%s\n' "$out" | grep -v '^RESULT ' >&2
    grep '^RESULT ' <<<"$out" | sed "s/^/$corpus /" >>"$results"
  else
    say "bench_gazetteer failed on $corpus: left out of the table"
  fi
  if command -v rg >/dev/null && [[ -s $aliases ]]; then
    bytes=$(stat -c %s "$f")
    for variant in rg-F rg-F-i; do
      # rg's default size limits refuse 100,000 patterns with -i.
      flags=(-F --count-matches --no-config --regex-size-limit 4G
             --dfa-size-limit 4G)
      [[ $variant == rg-F-i ]] && flags+=(-i)
      [[ -n ${rg_failed[$variant]:-} ]] && continue
      say "$variant on $corpus"
      best=''
      for ((r = 0; r < RUNS; r++)); do
        if ! line=$(rg_once flags "$f"); then
          rg_failed[$variant]="failed, or a run took over ${RG_TIMEOUT} s, on $corpus"
          say "$variant ${rg_failed[$variant]} (bench/work/gazetteer/rg.log): left out"
          best=''
          break
        fi
        if [[ -z $best ]] ||
           awk -v a="${line%% *}" -v b="${best%% *}" 'BEGIN { exit !(a < b) }'; then
          best=$line
        fi
      done
      [[ -n $best ]] || continue
      read -r scan setup matches <<<"$best"
      printf '%s RESULT tool=%s bytes=%s docs=1 seconds=%s tokens=0 sentences=-1 load_seconds=%s runs=%s matches=%s\n' \
        "$corpus" "$variant" "$bytes" "$scan" "$setup" "$RUNS" "$matches" >>"$results"
    done
  fi
done

# --- 5. Report ----------------------------------------------------------------------
report=$WORK/report_gazetteer.txt
cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
rg_version=$( (rg --version 2>/dev/null || echo 'rg: not installed') | sed -n 1p)
{
  echo
  echo "trawl gazetteer benchmark — $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "machine: ${cpu_model:-?}, $(nproc) cores; every tool pinned to core $CPU"
  echo "trawl: $how_built; $NALIAS aliases generated from $source_name"
  echo "  (40% phrases of the source, 57% name-like, 3% acronyms; loose hyphens,"
  echo "  acronyms case-sensitive); aliases in bench/work/gazetteer/aliases.txt"
  echo "peer: $rg_version, rg -F --count-matches -f aliases.txt FILE (and -i)"
  echo "timed: trawl = tr_gaz_match only (tokenize shown apart), best of $RUNS;"
  echo "  rg = its own 'seconds spent searching' (--stats), best of $RUNS. 'setup s' ="
  echo "  trawl add + compile, rg start-up + compiling the patterns. MB = 10^6 bytes."
  echo "  Matches are not comparable: rg counts substrings, trawl whole tokens."
  for v in "${!rg_failed[@]}"; do
    echo "  $v left out: ${rg_failed[$v]} (see bench/work/gazetteer/rg.log)"
  done
  echo
} | tee "$report"
set +e
"$PY" - "$results" <<'EOF' | tee -a "$report"
import sys
rows = []
for line in open(sys.argv[1]):
    p = line.split()
    if len(p) < 3 or p[1] != 'RESULT':
        continue
    r = dict(x.split('=', 1) for x in p[2:])
    r['corpus'] = p[0]
    if float(r['seconds']) <= 0:
        continue
    r['mbps'] = int(r['bytes']) / 1e6 / float(r['seconds'])
    rows.append(r)
trawl = {r['corpus']: r for r in rows if r['tool'] == 'trawl-gaz'}
head = ('tool', 'corpus', 'MB', 'seconds', 'MB/s', 'matches', 'matches/s',
        'vs trawl', 'setup s', 'tokenize MB/s')
table = [head]
for r in rows:
    t = trawl.get(r['corpus'])
    tok = (f"{int(r['bytes']) / 1e6 / float(r['tokenize_seconds']):.1f}"
           if 'tokenize_seconds' in r else '-')
    setup = (float(r['add_seconds']) + float(r['compile_seconds'])
             if 'add_seconds' in r else float(r['load_seconds']))
    table.append((r['tool'], r['corpus'], f"{int(r['bytes']) / 1e6:.1f}",
                  f"{float(r['seconds']):.3f}", f"{r['mbps']:.1f}",
                  r.get('matches', '-'),
                  f"{int(r.get('matches', 0)) / float(r['seconds']):.0f}",
                  f"{t['mbps'] / r['mbps']:.2f}x" if t else 'n/a',
                  f"{setup:.3f}", tok))
w = [max(len(row[i]) for row in table) for i in range(len(head))]
for n, row in enumerate(table):
    print('  '.join(c.ljust(w[i]) if i < 2 else c.rjust(w[i])
                    for i, c in enumerate(row)).rstrip())
    if n == 0:
        print('  '.join('-' * x for x in w))
print()
ok = True
if trawl:
    t = next(iter(trawl.values()))
    print(f"trawl gazetteer: {t['aliases']} aliases, {t['states']} states, "
          f"{int(t['memory_bytes']) / 1e6:.1f} MB; add {float(t['add_seconds']):.3f} s"
          f" + compile {float(t['compile_seconds']):.3f} s ('setup s' of trawl)")
    build = max(float(r['add_seconds']) + float(r['compile_seconds'])
                for r in trawl.values())
    good = build < 1.0
    ok &= good
    print(f"{'PASS' if good else 'FAIL'}  build (add + compile) {t['aliases']} "
          f"aliases < 1 s: {build:.3f} s")
    good = all(r['mbps'] >= 50 for r in trawl.values())
    ok &= good
    print(f"{'PASS' if good else 'FAIL'}  match >= 50 MB/s on one core: " +
          ', '.join(f"{c} {r['mbps']:.1f} MB/s" for c, r in trawl.items()))
else:
    ok = False
    print('FAIL  trawl did not run')
sys.exit(0 if ok else 1)
EOF
status=${PIPESTATUS[0]}
echo "(table saved in bench/work/report_gazetteer.txt)" | tee -a "$report"
exit "$status"

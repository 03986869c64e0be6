#!/usr/bin/env bash
# bench/bench_analysis.sh — time against corpus size for the analysis
# library's four big passes: freq, collocations, kwic and cooccur
# (docs/analysis.md), on the sample corpus replicated to 10 MB, 100 MB and
# 1 GB, plus corpus/ itself.
#
# Data: bench/work/analysis/data/<size>/ (git-ignored), directories of
# .txt files, each one the five texts of corpus/ joined by blank lines
# (44 KB, the sample's own document size), as many as it takes to reach
# the size (MB = 10^6 bytes). A directory of files is read by the
# zero-copy loader (each file mapped read-only, never copied), opened with
# {store = false} so no SQLite store is written. Made once, reused later.
#
# What runs, each in its own process under /usr/bin/time -v (for the peak
# resident set; the file mappings count in it):
#   freq          c:freq{top = 100}                         norms, whole table
#   collocations  c:collocations("militias", {window = 5})  every collocate, all measures
#   kwic          c:kwic("popular mobilization", {sort = "left"})  every line built
#   cooccur       c:cooccur{rules = iraq-2020, within = "sentence"}  rules run on the fly
# "seconds" is the CPU time of the operation alone (os.clock around the
# call: loading is timed apart as "load s"), so other work on the machine
# does not blur it; "wall s" is the whole process. MB/s = corpus MB /
# seconds. Linearity: for each operation, seconds per MB at every size
# must be within +-50% of its value at the middle size (100 MB).
#
# Settings (environment):
#   BENCH_SIZES="10 100 1000"   sizes in MB (the middle one is the reference)
#   BENCH_BUILD=bench/work/build-analysis   build directory (-O2)
# Exit status: 0 when every check passes, 1 when one fails, 2 on an error.
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$BENCH")
WORK=$BENCH/work/analysis
BUILD=${BENCH_BUILD:-$BENCH/work/build-analysis}
SIZES=${BENCH_SIZES:-"10 100 1000"}
mkdir -p "$WORK/data"

die() { echo "bench_analysis: $*" >&2; exit 2; }
command -v cmake >/dev/null || die "cmake is missing"
[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time) is missing: apt-get install time"

# ---- build -O2 -------------------------------------------------------
echo "building trawl (-O2) in $BUILD ..."
cmake -S "$REPO" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_FLAGS_RELEASE="-O2 -DNDEBUG" -DBUILD_TESTING=OFF \
  >"$WORK/build.log" 2>&1 || die "cmake failed, see $WORK/build.log"
cmake --build "$BUILD" -j2 --target trawl >>"$WORK/build.log" 2>&1 ||
  die "build failed, see $WORK/build.log"
TRAWL=$BUILD/trawl

# ---- data ------------------------------------------------------------
# Writes DIR/d000001.txt ... until MB * 10^6 bytes; DIR/.complete marks a
# finished set (so an interrupted run is redone, not reused).
cat >"$WORK/make_data.lua" <<'EOF'
local dir, mb, src = arg[1], tonumber(arg[2]), arg[3]
local parts = {}
for _, f in ipairs{"000_1af78644860d8528", "001_3dc81e1ea7d977a8",
                   "002_fc6652fa48584f3a", "003_21d5d0816ff0cbf2",
                   "004_bded5637d4401b88"} do
  local h = assert(io.open(src .. "/" .. f .. ".txt", "rb"))
  parts[#parts + 1] = h:read("a")
  h:close()
end
local unit = table.concat(parts, "\n\n") .. "\n"
local n, total = 0, 0
while total < mb * 1e6 do
  n = n + 1
  local h = assert(io.open(("%s/d%06d.txt"):format(dir, n), "wb"))
  h:write(unit)
  h:close()
  total = total + #unit
end
local h = assert(io.open(dir .. "/.complete", "w"))
h:write(n, " ", total, "\n")
h:close()
EOF
for mb in $SIZES; do
  dir=$WORK/data/${mb}MB
  if [ ! -f "$dir/.complete" ]; then
    echo "making $dir ..."
    rm -rf "$dir"
    mkdir -p "$dir"
    "$TRAWL" run "$WORK/make_data.lua" -- "$dir" "$mb" "$REPO/corpus" ||
      die "cannot make $dir"
  fi
done

# ---- the timed operations ---------------------------------------------
cat >"$WORK/op.lua" <<'EOF'
-- trawl run op.lua -- CORPUS OP RULES: one operation, timed in CPU s.
local trawl = require "trawl"
local path, op, rules = arg[1], arg[2], arg[3]
local t0 = os.clock()
local c = assert(trawl.open(path, {quiet = true, store = false}))
local load = os.clock() - t0
local rs = op == "cooccur" and assert(trawl.rules.load(rules)) or nil
local what
t0 = os.clock()
if op == "freq" then
  local f = c:freq{top = 100}
  what = ("%d tokens, %d types"):format(f.N, f.ntypes)
elseif op == "collocations" then
  local r = assert(c:collocations("militias", {window = 5}))
  what = ("node %d times, %d collocates"):format(r.f_node, #r)
elseif op == "kwic" then
  local l = assert(c:kwic("popular mobilization", {sort = "left"}))
  what = ("%d lines"):format(#l)
elseif op == "cooccur" then
  local g = c:cooccur{rules = rs, within = "sentence"}
  what = ("%d nodes, %d edges"):format(#g.nodes, #g.edges)
else
  error("unknown op " .. tostring(op))
end
local secs = os.clock() - t0
print(("RESULT bytes=%d docs=%d load=%.3f seconds=%.3f what=%s"):format(
  c.bytes, #c, load, secs, what))
EOF

OPS="freq collocations kwic cooccur"
RESULTS=$WORK/results.txt
: >"$RESULTS"

run_one() { # label dir op
  local label=$1 dir=$2 op=$3 out err
  out=$("/usr/bin/time" -v -o "$WORK/time.txt" "$TRAWL" run "$WORK/op.lua" -- \
        "$dir" "$op" "$REPO/scripts/rules/iraq-2020.lua" 2>"$WORK/err.txt") ||
    { cat "$WORK/err.txt" >&2; die "$op on $label failed"; }
  local line rss wall
  line=$(printf '%s\n' "$out" | grep '^RESULT ') || die "$op on $label: no result"
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time.txt")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$WORK/time.txt")
  echo "$label $op $line rss_kb=$rss wall=$wall" >>"$RESULTS"
}

echo "timing ..."
for op in $OPS; do run_one "corpus/" "$REPO/corpus" "$op"; done
for mb in $SIZES; do
  for op in $OPS; do
    echo "  ${mb} MB $op"
    run_one "${mb}MB" "$WORK/data/${mb}MB" "$op"
  done
done

# ---- the table ----------------------------------------------------------
REF=$(echo $SIZES | awk '{print $(int((NF + 1) / 2))}')
awk -v ref="${REF}MB" '
function field(k,   i, a) {
  for (i = 3; i <= NF; i++) { split($i, a, "="); if (a[1] == k) return a[2] }
  return ""
}
function wall_s(w,   p, n) { # h:mm:ss or m:ss.ss
  n = split(w, p, ":"); return n == 3 ? p[1] * 3600 + p[2] * 60 + p[3] : p[1] * 60 + p[2]
}
{
  label = $1; op = $2
  mb = field("bytes") / 1e6; s = field("seconds")
  key = label SUBSEP op
  size[key] = mb; secs[key] = s; load[key] = field("load")
  rss[key] = field("rss_kb") / 1024; wall[key] = wall_s(field("wall"))
  sub(/.*what=/, ""); sub(/ rss_kb=.*/, ""); what[key] = $0
  if (!(label in seen)) { seen[label] = 1; labels[++nl] = label }
  if (!(op in seenop)) { seenop[op] = 1; ops[++no] = op }
}
END {
  printf "%-9s %-13s %9s %9s %9s %8s %8s %10s  %s\n", "size", "op", "MB", "seconds",
         "MB/s", "load s", "wall s", "peak RSS", "result"
  for (i = 1; i <= nl; i++) for (j = 1; j <= no; j++) {
    k = labels[i] SUBSEP ops[j]
    printf "%-9s %-13s %9.1f %9.3f %9.1f %8.3f %8.2f %7.0f MB  %s\n", labels[i], ops[j],
           size[k], secs[k], (secs[k] > 0 ? size[k] / secs[k] : 0), load[k], wall[k],
           rss[k], what[k]
  }
  fail = 0
  print ""
  print "every operation on corpus/ under 1 s:"
  for (j = 1; j <= no; j++) {
    k = "corpus/" SUBSEP ops[j]
    ok = secs[k] < 1 && wall[k] < 1
    if (!ok) fail = 1
    printf "  %-13s %.3f s (wall %.2f s)  %s\n", ops[j], secs[k], wall[k], ok ? "ok" : "FAIL"
  }
  print ""
  print "linearity: seconds per MB at each size / at " ref " (must be within 0.5 .. 1.5):"
  for (j = 1; j <= no; j++) {
    r = ref SUBSEP ops[j]
    base = secs[r] / size[r]
    line = sprintf("  %-13s", ops[j]); ok = 1
    for (i = 1; i <= nl; i++) {
      if (labels[i] == "corpus/") continue
      k = labels[i] SUBSEP ops[j]
      x = (secs[k] / size[k]) / base
      if (x < 0.5 || x > 1.5) ok = 0
      line = line sprintf("  %s %.2f", labels[i], x)
    }
    if (!ok) fail = 1
    print line "  " (ok ? "ok" : "FAIL")
  }
  exit fail
}' "$RESULTS" | tee "$WORK/report.txt"

#!/usr/bin/env bash
# wc.sh — `wc -w` as the floor: counting white-space separated words is the
# least work any tokenizer does. Runs LC_ALL=C wc -w (byte-wise, the fastest
# mode) on the whole file RUNS times, best run reported. wc cannot separate
# reading from counting, so its time includes reading the (page-cached)
# file; its process start-up, measured on an empty input, is subtracted and
# reported as load time. No sentences.
#   bash wc.sh [--runs N] FILE      (prints the same RESULT line as the rest)
set -euo pipefail
runs=3
if [[ ${1:-} == --runs ]]; then runs=$2; shift 2; fi
file=${1:?usage: wc.sh [--runs N] FILE}

# Best wall time in nanoseconds of "$@" over $runs runs into $best; the
# output of the last run into $last.
best_of() {
  local t0 t1 s
  best=
  for ((r = 0; r < runs; r++)); do
    t0=$(date +%s%N)
    last=$("$@")
    t1=$(date +%s%N)
    s=$(( t1 - t0 ))
    if [[ -z $best || $s -lt $best ]]; then best=$s; fi
  done
}

best_of env LC_ALL=C wc -w /dev/null
start_ns=$best
best_of env LC_ALL=C wc -w "$file"
total_ns=$best
words=${last%% *}
bytes=$(stat -c %s "$file")
awk -v b="$bytes" -v t="$total_ns" -v s="$start_ns" -v w="$words" -v r="$runs" 'BEGIN {
  secs = (t - s) / 1e9; if (secs <= 0) secs = t / 1e9
  printf "RESULT tool=wc-w bytes=%d docs=1 seconds=%.6f tokens=%d sentences=-1 load_seconds=%.6f runs=%d\n",
    b, secs, w, s / 1e9, r }'

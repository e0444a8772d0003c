#!/usr/bin/env bash
# Measures the bug zoo table of docs/bugzoo.md: for every program, the
# buggy variant over seeds 1..N with asyncio's defaults, with the generic
# swarm and with the one setting that targets its bug; the fixed variant
# over the same seeds with the swarm; and the determinism check (every
# seed in two processes) on the first 1,000 swarm seeds of both variants.
#
#   scenarios/bugzoo/measure.sh [BUILD_DIR] [SEEDS] [JOBS]
#   (defaults: build/release 10000 2)
#
# Prints one markdown row per program, as the docs' table has them.
set -euo pipefail

build=${1:-build/release}
seeds=${2:-10000}
jobs=${3:-2}
sweep="$build/tools/detio_sweep/detio-sweep"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# program | the bug | what finds it | the setting that targets it (knobs)
targets=(
  "pool_leak|asyncpg#467, #548 (bpo-37658)|wake-up cancel, coalescing|inject=1,inject_at=wakeup,inject_rate=0.05"
  "semaphore_wedge|CPython gh-90155, python/asyncio#270|wake-up cancel, coalescing|inject=1,inject_at=wakeup,inject_rate=0.05"
  "queue_handoff|CPython bpo-23812 (python/asyncio#256)|wake-up cancel, coalescing|inject=1,inject_at=wakeup,inject_rate=0.05"
  "condition_notify|CPython gh-112202|wake-up cancel, coalescing|inject=1,inject_at=wakeup,inject_rate=0.05"
  "redis_off_by_one|redis-py#2624 (CVE-2023-28858)|timeouts (defaults), cancel injection|inject=1,inject_rate=0.02"
  "lock_release_cancelled|redis-py#3847|timeouts (defaults), early timeouts|inject=1,early_timeouts=on,inject_rate=0.02"
  "connector_limit|aiohttp#4936|coalescing|coalesce=200"
  "retry_twice|apify-client-python#990 (aiohttp#7363)|timeouts (defaults), early timeouts|inject=1,early_timeouts=on,inject_rate=0.02"
  "wait_for_swallows_cancel|CPython gh-86296 (bpo-42130)|coalescing|coalesce=200"
)

# sweep_stats <label> <detio-sweep args...>: "first/failures" ("-/0" if none).
sweep_stats() {
  local label=$1
  shift
  local failures="$work/$label.txt"
  rm -f "$failures"
  local out
  out=$("$sweep" --seeds "1..$seeds" --jobs "$jobs" --no-progress --failures="$failures" "$@" 2>/dev/null || true)
  local n
  n=$(printf '%s\n' "$out" | sed -n 's/^  failures: *\([0-9]*\).*/\1/p')
  local first=-
  [[ -s "$failures" ]] && first=$(sort -n "$failures" | head -1 | cut -f1)
  echo "$first / ${n:-?}"
}

determinism() {
  local out
  out=$("$sweep" --determinism --swarm --seeds 1..1000 --jobs "$jobs" --no-progress --failures= "$@" 2>/dev/null || true)
  printf '%s\n' "$out" | sed -n 's/^  determinism: *\([0-9]*\) hash differences.*/\1/p'
}

echo "| program | bug | found by | defaults | swarm | targeted setting | targeted | fixed, swarm | determinism |"
echo "|---|---|---|---|---|---|---|---|---|"
firsts=()
for entry in "${targets[@]}"; do
  IFS='|' read -r program bug found_by knobs <<< "$entry"
  exe="$build/scenarios/bugzoo/bugzoo_$program"
  defaults=$(sweep_stats "$program-defaults" -- "$exe")
  swarm=$(sweep_stats "$program-swarm" --swarm -- "$exe")
  firsts+=("${swarm%% *}")
  targeted=$(sweep_stats "$program-targeted" --knobs "$knobs" -- "$exe")
  fixed=$(sweep_stats "$program-fixed" --swarm -- "$exe" -- --fixed)
  diffs_buggy=$(determinism -- "$exe")
  diffs_fixed=$(determinism -- "$exe" -- --fixed)
  echo "| \`$program\` | $bug | $found_by | $defaults | $swarm | \`$knobs\` | $targeted | ${fixed#* / } | $diffs_buggy + $diffs_fixed |"
done
found=$(printf '%s\n' "${firsts[@]}" | grep -c '^[0-9]' || true)
median=$(printf '%s\n' "${firsts[@]}" | grep '^[0-9]' | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
echo
echo "swarm: found ${found} of ${#firsts[@]} bugs; median first failing seed ${median}"

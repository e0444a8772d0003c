#!/usr/bin/env bash
# The whole detio test suite: the one command CI runs (.ci/run).
#   bash scripts/test.sh                 # presets release asan tsan fuzz gcc-asan
#   bash scripts/test.sh gcc             # g++ Release
#   bash scripts/test.sh release asan    # just these presets
# For each preset: configure, build, ctest (build/<preset>). Every preset is
# run even if an earlier one fails; the exit status is non-zero if any failed.
# Logs: build/<preset>/{configure,build,test}.log.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/deps.sh

# One function, called on the last line: bash reads it whole before running
# it, so editing or checking out this file mid-run cannot change the run.
main() {
  presets=("$@")
  if ((${#presets[@]} == 0)); then
    # clang by default (g++ 12's coroutine bug: README); gcc-asan builds
    # everything with g++ 12 too and runs the suite under ASan+UBSan.
    presets=(release asan tsan fuzz gcc-asan)
  fi

  detio_ensure_deps
  jobs=$(detio_jobs)

  # Runs one step of a preset, output to its log; on failure shows the tail.
  step() {
    local name=$1 log=$2
    shift 2
    if "$@" >"$log" 2>&1; then
      return 0
    fi
    echo "  $name FAILED; last lines of $log:" >&2
    tail -n 60 "$log" | sed 's/^/    /' >&2
    return 1
  }

  summary=()
  failed=0
  suite_start=$SECONDS
  for preset in "${presets[@]}"; do
    start=$SECONDS
    dir="build/$preset"
    mkdir -p "$dir"
    echo "== $preset: configure, build, test (-j$jobs)"
    result="ok"
    tests=""
    if ! step configure "$dir/configure.log" cmake --preset "$preset"; then
      result="FAILED (configure)"
    elif ! step build "$dir/build.log" cmake --build --preset "$preset" --parallel "$jobs"; then
      result="FAILED (build)"
    else
      if ! step test "$dir/test.log" ctest --preset "$preset" --output-on-failure -j "$jobs"; then
        result="FAILED (tests)"
      fi
      tests=$(grep -E 'tests passed, [0-9]+ tests? failed out of' "$dir/test.log" | tail -n 1 || true)
      grep -E '^\s+[0-9]+ - .* \((Failed|Timeout|Not Run|SEGFAULT|Subprocess aborted|Exception)' "$dir/test.log" |
        sed 's/^\s*/    failed: /' || true
    fi
    elapsed=$((SECONDS - start))
    [[ "$result" == ok ]] || failed=1
    line=$(printf '%-8s %-20s %4ds  %s' "$preset" "$result" "$elapsed" "$tests")
    echo "  $line"
    summary+=("$line")
  done

  echo
  echo "== summary ($((SECONDS - suite_start))s)"
  printf '  %s\n' "${summary[@]}"
  if ((failed)); then
    echo "test.sh: FAILED" >&2
    exit 1
  fi
  echo "test.sh: all presets passed"
}

main "$@"

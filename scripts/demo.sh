#!/usr/bin/env bash
# The main job: install what is missing, build Release, and run the
# job_queue scenario over many seeds in virtual time.
#   bash scripts/demo.sh                    # seeds 1..2000
#   bash scripts/demo.sh --seeds 1..20000   # any job_queue arguments
#   bash scripts/demo.sh --seeds 42 --verbose
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/deps.sh

detio_ensure_deps
jobs=$(detio_jobs)

echo "== configure + build (preset release, -j$jobs)"
mkdir -p build/release
if ! cmake --preset release >build/release/configure.log 2>&1; then
  tail -n 40 build/release/configure.log >&2
  echo "demo.sh: configure failed (full log: build/release/configure.log)" >&2
  exit 1
fi
cmake --build --preset release --parallel "$jobs" --target job_queue

echo "== job_queue $*"
exec build/release/scenarios/job_queue "$@"

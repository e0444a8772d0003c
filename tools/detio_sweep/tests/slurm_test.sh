#!/usr/bin/env bash
# detio-sweep --slurm on a real Slurm: a one-node cluster on this machine
# (scripts/slurm-local.sh; started here unless it runs already, and stopped
# again if started here). The toy scenario fails on the seeds divisible by 97.
#   1. --slurm 4 over 1..3000 gives the failing seeds, seed count, summary and
#      exit status of an unsharded local run; `merge` of its shard files too.
#   2. One array task cancelled mid-run (scancel, while its child process
#      hangs inside seed 1002 of shard 2/4) fails the run, naming shard 2/4.
#   3. SIGTERM to detio-sweep --slurm cancels its job.
#   bash slurm_test.sh DETIO_SWEEP TOY WORK_DIR
# Exit status 77 (ctest: skipped) when not root: slurmd needs it.
set -euo pipefail
sweep=$1 toy=$2 work=$3
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
source "$repo/scripts/lib/wait_for.sh"

if ((EUID != 0)); then
  echo "SKIP: a local Slurm cluster needs root"
  exit 77
fi

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# One Slurm test per machine at a time: a second one would stop the
# cluster under the first.
exec 9>"${TMPDIR:-/tmp}/detio-slurm-test.lock"
flock 9

rm -rf "$work"
mkdir -p "$work"
cd "$work"
started=0
stop_cluster() {
  if ((started)); then bash "$repo/scripts/slurm-local.sh" stop || true; fi
}
trap stop_cluster EXIT
if ! bash "$repo/scripts/slurm-local.sh" status >/dev/null; then
  bash "$repo/scripts/slurm-local.sh" start
  started=1
fi

# The summary without its time line and the failures file's name.
comparable() { sed -e '/^  time: /d' -e 's/(seeds written to [^)]*)/(seeds written)/' "$1"; }

echo "== local run and --slurm 4"
rc=0
"$sweep" --seeds 1..3000 --jobs 2 --no-progress --failures local.txt "$toy" >local.out || rc=$?
[[ $rc == 1 ]] || fail "the local run exited $rc, want 1: $(cat local.out)"
rc=0
"$sweep" --slurm 4 --slurm-dir "$work/job" --seeds 1..3000 --no-progress --failures slurm.txt "$toy" \
  >slurm.out 2>slurm.err || rc=$?
cat slurm.out slurm.err
[[ $rc == 1 ]] || fail "--slurm 4 exited $rc, want 1 (as the local run)"
cmp local.txt slurm.txt || fail "the failures files differ"
[[ $(wc -l <slurm.txt) == 30 ]] || fail "slurm.txt lists $(wc -l <slurm.txt) seeds, want 30"
diff <(comparable local.out) <(comparable slurm.out) || fail "the summaries differ"
grep -q '^  run:          3000 seeds$' slurm.out || fail "--slurm did not run 3000 seeds"
grep -q 'processes in 4 shards' slurm.out || fail "no shards in the summary"
grep -q '^#SBATCH --array=0-3$' job/sweep.sbatch || fail "the sbatch script has no 4-task array"
rc=0
"$sweep" merge --failures merged.txt job/shard-{0,1,2,3}.json >merged.out || rc=$?
[[ $rc == 1 ]] || fail "merge exited $rc, want 1"
cmp local.txt merged.txt || fail "merge's failures file differs"
diff <(comparable local.out) <(comparable merged.out) || fail "merge's summary differs"

echo "== scancel of one array task mid-run"
rm -f hang.pid
rc=0
TOY_HANG_SEED=1002 TOY_HANG_MARKER="$work/hang.pid" \
  "$sweep" --slurm 4 --slurm-dir "$work/cancel" --timeout 600 --seeds 1..3000 --failures cancel.txt "$toy" \
  >cancel.out 2>cancel.err &
sweep_pid=$!
# The task of shard 2/4 is inside seed 1002 once its child wrote hang.pid.
wait_for 300 test -s hang.pid || fail "shard 2/4 never reached seed 1002: $(cat cancel.err)"
job=$(sed -n 's/.*submitted Slurm job \([0-9]*\) .*/\1/p' cancel.err)
[[ -n "$job" ]] || fail "no job id in: $(cat cancel.err)"
hung=$(<hang.pid)
kill -0 "$hung" || fail "the hanging child $hung is not running"
scancel "${job}_2"
wait "$sweep_pid" || rc=$?
cat cancel.out cancel.err
[[ $rc == 1 ]] || fail "the run with a cancelled task exited $rc, want 1"
grep -q "^    shard 2/4: Slurm array task ${job}_2 ended CANCELLED" cancel.out ||
  fail "the summary does not name shard 2/4 as cancelled"
grep -q '^  lost shards:  1 of 4 ' cancel.out || fail "not one lost shard"
grep -q '^  run:          2250 seeds$' cancel.out || fail "the other 3 shards' 2250 seeds are not counted"
grep -q '^FAIL$' cancel.out || fail "no FAIL"
[[ ! -e cancel/shard-2.json ]] || fail "the cancelled shard wrote results"
# Mid-run: its log has a failure it found before seed 1002 (970, in the same
# child process), then Slurm's word that it was cancelled.
grep -q '^FAIL seed 970: ' cancel/shard-2.log || fail "shard 2/4 had not run its seeds before 1002"
grep -q 'CANCELLED AT' cancel/shard-2.log || fail "shard 2/4's log does not say it was cancelled"
wait_for 60 eval "! kill -0 $hung 2>/dev/null" || fail "the cancelled task's child $hung still runs"

echo "== SIGTERM to detio-sweep --slurm cancels its job"
rm -f hang.pid
rc=0
TOY_HANG_SEED=1002 TOY_HANG_MARKER="$work/hang.pid" \
  "$sweep" --slurm 4 --slurm-dir "$work/term" --timeout 600 --seeds 1..3000 "$toy" >term.out 2>term.err &
sweep_pid=$!
wait_for 300 test -s hang.pid || fail "shard 2/4 never reached seed 1002: $(cat term.err)"
job=$(sed -n 's/.*submitted Slurm job \([0-9]*\) .*/\1/p' term.err)
kill -TERM "$sweep_pid"
wait "$sweep_pid" || rc=$?
cat term.err
[[ $rc == 143 ]] || fail "detio-sweep exited $rc after SIGTERM, want 143"
grep -q "interrupted: cancelled Slurm job $job" term.err || fail "it did not say it cancelled job $job"
wait_for 60 eval '[[ -z "$(squeue -h -j '"$job"' -t pending,running,completing 2>/dev/null)" ]]' ||
  fail "job $job still has tasks: $(squeue -j "$job")"
echo "PASS"

// detio-sweep --slurm N: the sweep as an N-task Slurm job array. It writes
// an sbatch script into a directory the nodes share (--slurm-dir), in which
// array task i runs `detio-sweep --shard i/N --results DIR/shard-i.json`
// with the sweep's flags; submits it (sbatch --parsable, plus --slurm-args);
// polls squeue until every task has ended; merges the shards' results
// (merge.h) and reports as a local run would (summary.h). A task that ended
// without results (cancelled, killed, timed out, its node failed) is a lost
// shard, named with its Slurm state and the end of its log; the run then
// fails. SIGINT or SIGTERM cancels the job (scancel) before exiting.
#pragma once

#include <string>

#include "flags.h"

namespace detio_sweep {

// The sbatch script for the sweep: array tasks 0..N-1, --cpus-per-task
// (--jobs, or 1 without it), output in dir/shard-%a.log, run in `workdir`.
// `self`: the detio-sweep the tasks run.
std::string sbatch_script(const Config& config, const std::string& dir, const std::string& workdir,
                          const std::string& self);

// Runs the sweep on Slurm; returns the exit status.
int run_on_slurm(const Config& config);

}  // namespace detio_sweep

// The end of every sweep, local, merged or on Slurm: the summary on stdout
// (the same lines for the same results, wherever they were run), the
// --failures file, the --results file and the exit status.
#pragma once

#include "results.h"

namespace detio_sweep {

// Prints the summary (or, for a sweep that could not run, its reason on
// stderr), writes config.failures_file and config.results_file, and returns
// results.exit_status().
int report(const SweepResults& results);

// How many failures the summary shows in full (and recheck.h re-runs).
inline constexpr std::size_t kFailuresInSummary = 5;

}  // namespace detio_sweep

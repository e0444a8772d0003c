// detio-sweep's command line: one table of flags drives both the parser and
// --help, so every flag is documented.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "detio/sim/seed_range.h"

namespace detio_sweep {

struct Config {
  detio::sim::SeedRange seeds{1, 1000};
  // Seeds listed in a file (--seeds-from); when set, `seeds` is unused.
  std::optional<std::vector<std::uint64_t>> seed_list;
  detio::sim::Shard shard{};
  int jobs = 1;
  bool jobs_given = false;  // --jobs was on the command line
  std::uint64_t chunk = 0;  // 0: auto
  bool gtest = false;
  bool swarm = false;
  std::string knobs;
  bool determinism = false;
  std::string failures_file = "detio-failures.txt";
  std::uint64_t max_failures = 0;  // 0: no limit
  bool shrink = false;
  double timeout_seconds = 60;
  std::optional<std::uint64_t> replay;
  std::string trace_prefix;
  bool progress = true;
  bool verbose = false;
  // --results: the sweep's results as JSON (results.h).
  std::string results_file;
  // --slurm N: run as an N-task Slurm job array (slurm.h).
  std::uint64_t slurm_tasks = 0;
  std::string slurm_args;  // extra sbatch arguments, as shell words
  std::string slurm_dir;   // its files (default: a new ./detio-slurm-XXXXXX)
  // `detio-sweep merge FILE...`: the results files to merge.
  bool merge = false;
  std::vector<std::string> merge_files;
  // The program to sweep and its own arguments.
  std::vector<std::string> command;
};

// Parses argv. Prints help and exits 0 for --help; prints the problem and
// exits 2 for a bad command line.
Config parse_flags(int argc, char** argv);

// The --help text.
std::string help_text();

}  // namespace detio_sweep

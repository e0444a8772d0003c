// The sweep itself: splits the seeds into chunks, keeps --jobs child
// processes busy (a new chunk as soon as one finishes), reads their
// per-seed lines, feeds the progress bar, and collects failures.
//
// A child that dies (a crash, an abort, a sanitizer report) or stays silent
// past --timeout fails the seed it was on; the rest of its chunk goes to a
// new child, so one crash does not hide the seeds after it. With
// --determinism every chunk runs twice, in two processes, and a seed whose
// two results (verdict or trace hash) differ is a failure.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "flags.h"
#include "progress.h"

namespace detio_sweep {

struct SeedFailure {
  std::uint64_t seed = 0;
  std::string message;
  // The seeds its child process was started with (with the sweep's shard
  // passed on if chunk_sharded); it ran those before `seed` first.
  detio::sim::SeedRange chunk{};
  bool chunk_sharded = false;
  // Its two runs (--determinism) differed.
  bool nondeterministic = false;
  // Re-run alone (recheck.h), it passed: it fails only after the seeds
  // before it in the same process.
  bool passes_alone = false;
};

struct SweepStats {
  std::uint64_t planned = 0;    // seeds to run (in the shard)
  std::uint64_t completed = 0;  // seeds with all their results in
  std::vector<SeedFailure> failures;  // sorted by seed
  std::uint64_t hash_differences = 0;  // --determinism
  // --determinism: (seed, trace hash) of every seed whose two runs agreed.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> trace_hashes;
  std::uint64_t crashes = 0;           // children that died or timed out
  std::uint64_t processes = 0;         // children started
  bool stopped_early = false;          // --max-failures reached
  std::string fatal;                   // non-empty: the sweep could not run
};

// How many seeds of the configured range (or list) are in the shard.
std::uint64_t planned_seeds(const Config& config);

SweepStats run_sweep(const Config& config, Progress& progress);

}  // namespace detio_sweep

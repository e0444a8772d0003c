// sim::sweep(body, options): run a test body once per seed of a range (or
// of one shard of it), each seed with its own Options, and report failing
// seeds with a one-line replay command.
//
//   auto result = detio::sim::sweep([](const detio::sim::Options& o) {
//     detio::sim::run(my_test(), o);
//   }, {.seeds = {1, 10000}});
//   if (!result.ok()) ...  // result.failures[0].replay
//
// A seed's Options are a pure function of (SweepOptions, seed):
// options_for_seed() = base, with .seed = seed, then the swarm choice for
// that seed (if swarm is on), then the knobs. Replaying a seed therefore
// needs only the seed (and the knobs of a shrunk failure):
//
//   DETIO_SEED=42 ./my_test                     one seed (exact replay)
//   DETIO_SEEDS=1..5000 ./my_test               a range
//   DETIO_SHARD=2/4 ./my_test                   seeds s with s % 4 == 2
//   DETIO_SHRINK='faults=off,inject=1' ...      knobs (see knobs.h)
//   DETIO_SWARM=1 / DETIO_SWARM=0               swarm mode on / off
//   DETIO_TRACE=trace ...                       write the trace of a
//       single-seed run (trace.txt, trace.json) or of every failing seed
//       (trace-<seed>.txt, trace-<seed>.json; they are re-run traced)
//   DETIO_KEEP_GOING=1                          do not stop at the first failure
//   DETIO_NO_SHRINK=1                           do not shrink failures
//   DETIO_PROTOCOL=1                            print one machine-readable
//       line per seed on stdout: "detio-seed <n> ok|fail <hash> <message>"
//       (then "detio-shrunk <n> <knobs|-> <message>" after a shrink and
//       "detio-trace <file>" per trace file written), as
//       detio-sweep reads them
//
// The environment is read when use_env is set (the default), after the
// caller's settings, so it overrides them. Failures are printed on `report`
// (stderr by default) as they happen:
//
//   detio: seed 42 FAILED: detio::sim::DeadlockError: deadlock: ...
//     mix: faults reset=0.0031; buggify 0.25; inject cancel rate 0.02 max 1
//     replay: DETIO_SEED=42 /path/to/test --gtest_filter=Suite.Name
//
// Hang detection: a run without a Budget gets default_budget, so a run that
// never ends (a livelock, a retry loop that never gives up) fails with
// HangError listing the blocked tasks and where they wait.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "detio/sim/knobs.h"
#include "detio/sim/run.h"
#include "detio/sim/seed_range.h"
#include "detio/sim/seed_run.h"
#include "detio/sim/shrink.h"
#include "detio/sim/swarm.h"

namespace detio::sim {

struct SeedFailure {
  std::uint64_t seed = 0;
  std::string message;
  std::uint64_t hash = 0;
  // describe_mix() of the seed's Options.
  std::string mix;
  std::string replay;
};

struct SweepOptions {
  SeedRange seeds{1, 100};
  Shard shard{};
  // The Options every seed starts from (.seed and .trace are replaced).
  Options base{};
  // Swarm mode: each seed picks its own fault mix (see swarm.h).
  bool swarm = false;
  SwarmOptions swarm_options{};
  // Applied to every seed after the swarm choice (DETIO_SHRINK).
  Knobs knobs{};
  bool stop_on_first_failure = true;
  // Failures kept in SweepResult::failures (all are counted).
  std::size_t max_failures_kept = 100;
  // Shrink the first failure (see shrink.h).
  bool shrink = true;
  int max_shrink_runs = 200;
  // Given to runs whose base Options have no budget at all.
  Budget default_budget{.max_virtual_time = std::chrono::hours(24 * 7), .max_steps = 10'000'000};
  // Read the DETIO_* variables above.
  bool use_env = true;
  // The command a replay line runs (default: this program's path). Only
  // used by the default replay_line.
  std::string replay_command;
  // Builds a replay line; the default is
  // "DETIO_SEED=<n> [DETIO_SHRINK='<knobs>'] <replay_command>".
  std::function<std::string(std::uint64_t seed, const Knobs& knobs)> replay_line;
  // Trace files for failing seeds (see DETIO_TRACE); empty: none.
  std::string trace_prefix;
  // Human-readable failure reports; nullptr: silent.
  std::FILE* report = stderr;
  // Machine-readable per-seed lines (see DETIO_PROTOCOL); nullptr: none.
  std::FILE* protocol = nullptr;
  // Called after every seed.
  std::function<void(const SeedReport&)> on_seed;
};

struct SweepResult {
  // Seeds run (those of the range in the shard, fewer if it stopped early).
  std::uint64_t seeds_run = 0;
  std::uint64_t failure_count = 0;
  std::vector<SeedFailure> failures;
  // The shrunk first failure, if shrinking ran.
  std::optional<ShrinkResult> shrunk;
  // Trace files written.
  std::vector<std::string> trace_files;
  bool ok() const noexcept { return failure_count == 0; }
};

// Reads the DETIO_* variables into `options`. Throws detio::ValueError for
// a malformed value (naming the variable).
void apply_env(SweepOptions& options);

// The Options of one seed: base, seed, swarm choice, knobs, default budget.
Options options_for_seed(const SweepOptions& options, std::uint64_t seed);

// The replay line for `seed` with `knobs` (options.replay_line if set).
std::string replay_line(const SweepOptions& options, std::uint64_t seed, const Knobs& knobs);

// The knobs a replay line of `seed` carries: `knobs`, and in swarm mode
// the seed's whole mix (mix_knobs), so the line says what ran.
Knobs replay_knobs(const SweepOptions& options, std::uint64_t seed, const Knobs& knobs);

// This program's path (/proc/self/exe), for replay lines.
std::string self_path();

// Runs the sweep. Throws detio::ValueError for a reversed seed range
// (first > last) or a shard outside its count (not 0 <= index < count).
SweepResult sweep(const SweepBody& body, SweepOptions options = {});

}  // namespace detio::sim

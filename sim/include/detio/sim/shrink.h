// Failing-seed shrinking: given a seed whose run fails, look for a simpler
// run of the same seed that still fails, and report the simplest one found
// as knobs (see knobs.h) with a replay line.
//
// Strategy (greedy; every accepted step restarts the list, and a candidate
// already tried is never run again; at most `max_runs` re-runs):
//   1. all network faults off (faults=off), then each fault kind off, then
//      each remaining rate divided by 4;
//   2. cancellation injection off (inject=0), else a lower bound;
//   3. schedule exploration back to asyncio's order and timing: ready=fifo,
//      slack=0 (else halved), coalesce=0 (else halved), shuffle=off;
//   4. buggify=0;
//   5. every user knob the body read with sim::knob() (an operation count,
//      a number of clients) tried at 1, v/8, v/4, v/2 and 3v/4, smallest
//      first.
// A candidate is accepted when the run fails at all (not necessarily with
// the same message: the report shows the message of the simplest run). A
// knob that changes nothing (buggify=0 in code without buggify sites) is
// accepted too: it tells that the feature is not needed to fail.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "detio/sim/knobs.h"
#include "detio/sim/seed_run.h"

namespace detio::sim {

struct ShrinkResult {
  std::uint64_t seed = 0;
  // The simplest failing variant: these knobs on top of the seed's Options
  // (empty: nothing simpler failed).
  Knobs knobs;
  std::string message;
  std::uint64_t hash = 0;
  // describe_mix() of the simplest variant's Options.
  std::string mix;
  // The user knobs it read and their values.
  std::map<std::string, std::int64_t, std::less<>> user_knobs;
  // How many re-runs the search made, and how many steps it accepted.
  int runs = 0;
  int steps = 0;
  // The command that replays the simplest variant.
  std::string replay;
};

struct ShrinkOptions {
  int max_runs = 200;
  // Builds the replay line for a seed with knobs (the sweep provides it).
  std::function<std::string(std::uint64_t seed, const Knobs& knobs)> replay_line;
};

// `options` are the failing seed's Options before knobs (base + swarm);
// `start` the knobs of the failing run and `failure` its report.
ShrinkResult shrink(const SweepBody& body, const Options& options, const Knobs& start, const SeedReport& failure,
                    const ShrinkOptions& shrink_options = {});

}  // namespace detio::sim

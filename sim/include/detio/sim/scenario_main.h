// The detio-sweep protocol for scenario programs: a scenario binary that
// adopts it can be driven by detio-sweep (--jobs, --shard, --replay, the
// determinism check) with one line:
//
//   DETIO_SCENARIO_MAIN([](const detio::sim::Options& o) {
//     detio::sim::run(my_scenario(), o);   // throws on a broken invariant
//   })
//
// or, in a program with a main of its own, first thing in main():
//
//   if (detio::sim::is_scenario_protocol(argc, argv))
//     return detio::sim::scenario_main(argc, argv, body);
//
// A scenario with arguments of its own takes them after `--` (detio-sweep
// passes them through: `detio-sweep --seeds 1..100 -- ./prog -- --fixed`)
// and a body that also receives them:
//
//   DETIO_SCENARIO_MAIN([](const detio::sim::Options& o,
//                          const std::vector<std::string>& args) { ... })
//
// The protocol (flags after the program name, in any order, before `--`):
//   --detio-seeds A..B     run these seeds (required; "N" for one seed)
//   --detio-shard I/N      only the seeds s with s % N == I
//   --detio-knobs K        knobs on top of every seed (see knobs.h)
//   --detio-swarm          swarm mode: each seed picks its fault mix
//   --detio-trace PREFIX   a single seed: write PREFIX.txt and PREFIX.json;
//                          a range: the same for every failing seed
//                          (PREFIX-<seed>.*)
//   --detio-stop           stop at the first failure (default: keep going)
//   --detio-shrink         shrink the first failure
// Output on stdout, one line per seed, flushed as it goes:
//   detio-seed <n> ok <hash16>
//   detio-seed <n> fail <hash16> <message on one line>
// then "detio-shrunk <n> <knobs or -> <message>" after a shrink and
// "detio-trace <file>" per trace file written. Human-readable failure
// reports go to stderr. Exit status: 0 if every seed passed, 1 if any
// failed, 2 for bad flags.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "detio/sim/sweep.h"

namespace detio::sim {

// Whether argv asks for the protocol (has a --detio-seeds flag).
bool is_scenario_protocol(int argc, char** argv);

// A scenario body that also receives the program's own arguments (those
// after `--`).
using ScenarioBody = std::function<void(const Options&, const std::vector<std::string>& args)>;

// Runs the protocol. `defaults` supplies the base Options, swarm settings
// and so on; the flags above override them. Replay lines repeat the
// arguments after `--`. A SweepBody scenario takes no arguments: any after
// `--` are a usage error.
int scenario_main(int argc, char** argv, const SweepBody& body, SweepOptions defaults = {});
int scenario_main(int argc, char** argv, const ScenarioBody& body, SweepOptions defaults = {});

}  // namespace detio::sim

#define DETIO_SCENARIO_MAIN(...)                                  \
  int main(int argc, char** argv) {                               \
    return ::detio::sim::scenario_main(argc, argv, __VA_ARGS__); \
  }

// Swarm testing (Groce et al.; TigerBeetle's VOPR): instead of running every
// seed with one average mix, each seed first draws its whole configuration:
// which network fault kinds are on and at what rates, buggify, and the
// schedule exploration and cancellation injection it runs with (some seeds
// FIFO with exact timers and nothing injected, as asyncio runs; some with a
// random ready order, coalesced timers and wake-up cancels; ...). The choice
// comes from the seed's own "swarm" stream, so it is a pure function of
// (seed, SwarmOptions, base Options): replaying the seed replays the mix,
// and mix_knobs() spells it out for a replay line.
//
// Each dimension is varied only when its flag is on (all are by default).
// A dimension that is off keeps the base Options' values.
#pragma once

#include <string>

#include "detio/sim/knobs.h"
#include "detio/time.h"

namespace detio::sim {

struct Options;

struct SwarmOptions {
  // Network faults (net::FaultOptions: reset, delay, clog, partition,
  // refuse): each kind on with probability 1/2, at a rate log-uniform in
  // [max_fault_rate / 64, max_fault_rate] per inter-host data segment
  // (refuse: per inter-host connection attempt).
  bool faults = true;
  double max_fault_rate = 0.02;
  // buggify(): the fraction of enabled sites, one of 0, 0.1, 0.25, 0.5.
  bool buggify = true;
  // Timers: slack on a third of the seeds (log-uniform in [1us,
  // max_timer_slack]), same-instant shuffling on half, and coalescing on
  // half (a window log-uniform in [max_timer_coalescing / 100,
  // max_timer_coalescing]), each drawn on its own.
  bool explore_timers = true;
  Duration max_timer_slack = std::chrono::milliseconds(2);
  Duration max_timer_coalescing = std::chrono::milliseconds(1);
  // Ready order: FIFO, random or PCT (1..max_pct_depth change points), a
  // third of the seeds each.
  bool explore_ready_order = true;
  int max_pct_depth = 5;
  // Cancellation injection on three seeds in four: at suspension points or
  // at wake-ups (half each), as a cancel or as an early timeout (half
  // each), at a rate log-uniform in [max_inject_rate / 1000,
  // max_inject_rate] per point, at most 1..max_injections per run.
  bool inject = true;
  double max_inject_rate = 0.1;
  int max_injections = 3;
};

// Replaces the varied fields of `options` with the choice for
// options.seed. Fields of dimensions that are off are left as they are.
void apply_swarm(Options& options, const SwarmOptions& swarm);

// Knobs that set every field a swarm may vary to its value in `options`:
// applied to any Options they reproduce this mix exactly (rates are
// written in full, durations in whole microseconds as the swarm draws
// them).
Knobs mix_knobs(const Options& options);

// One line describing the fault / exploration / injection settings of
// `options`, e.g. "faults reset=0.0031 clog=0.012; buggify 0.25; ready
// random; coalesce 120us; inject cancel at wake-ups rate 0.02 max 2"
// ("no faults" when all are off).
std::string describe_mix(const Options& options);

}  // namespace detio::sim

// Swarm testing (Groce et al.; TigerBeetle's VOPR): instead of running every
// seed with one average mix of faults, each seed first picks which fault
// kinds are on and at what rates, so a sweep covers many different mixes
// (some seeds with only resets, some with heavy clogging and nothing else,
// some fault-free). The choice is drawn from the seed's own "swarm" stream,
// so it is a pure function of (seed, SwarmOptions, base Options): replaying
// the seed replays the same mix.
//
// Each dimension is varied only when its flag is on. Faults and buggify are
// on by default; schedule exploration and cancellation injection change
// asyncio guarantees a test may rely on (exact timer deadlines, FIFO ready
// order, no spontaneous cancels), so they are opt-in.
#pragma once

#include <string>

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
  // Timer slack (up to max_timer_slack, on half the seeds) and same-instant
  // timer shuffling (half the seeds).
  bool explore_timers = false;
  Duration max_timer_slack = std::chrono::milliseconds(2);
  // Ready order: FIFO, random or PCT, a third of the seeds each.
  bool explore_ready_order = false;
  // Cancellation injection on half the seeds, at a rate log-uniform in
  // [max_inject_rate / 32, max_inject_rate], with a bound of
  // 1..max_injections per run and early timeouts on half of those.
  bool inject = false;
  double max_inject_rate = 0.05;
  int max_injections = 3;
};

// Replaces the varied fields of `options` with the choice for
// options.seed. Fields of dimensions that are off are left as they are.
void apply_swarm(Options& options, const SwarmOptions& swarm);

// One line describing the fault / exploration / injection settings of
// `options`, e.g. "faults reset=0.0031 clog=0.012; buggify 0.25; ready
// random; inject cancel rate 0.02 max 2" ("no faults" when all are off).
std::string describe_mix(const Options& options);

}  // namespace detio::sim

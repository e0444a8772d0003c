// A small job service run in virtual time: a dispatcher submits jobs at
// random moments into a channel, N workers take them one at a time and run
// each under a per-job timeout (detio::wait_for), and a client cancels some
// jobs, queued or running. Everything random is drawn from
// detio::sim::random(), so one seed is one exact run.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <detio/sim/run.h>

namespace job_queue {

struct Report {
  std::uint64_t seed = 0;
  int workers = 0;
  int jobs = 0;
  int done = 0;
  int timed_out = 0;
  int cancelled = 0;
  // Virtual time at the end of the run, in nanoseconds.
  std::int64_t virtual_ns = 0;
  // The run's trace hash (it covers the event log): equal for two runs of
  // the same seed.
  std::uint64_t trace_hash = 0;
  // Invariant violations (empty when the run is correct).
  std::vector<std::string> violations;
  // The event log itself ("<virtual ns> <what>"), only when asked for.
  std::vector<std::string> log;
};

// Runs one seed (options.seed) under detio::sim::run. Never throws: an
// exception escaping the simulation is reported as a violation. With
// `keep_log`, the log is read from options.trace, or from a trace of its
// own if options.trace is not set.
Report run_seed(detio::sim::Options options, bool keep_log);

}  // namespace job_queue

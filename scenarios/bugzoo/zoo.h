// The bug zoo's shared harness. Every zoo program is a small asyncio-style
// program with the shape of a documented bug, in two variants: buggy (the
// default) and fixed (`-- --fixed`, or the switch knob fixed=1). Each speaks
// the detio scenario protocol, so a generic sweep finds the bug:
//
//   detio-sweep --swarm --seeds 1..10000 -- bugzoo_pool_leak
//   detio-sweep --swarm --seeds 1..10000 -- bugzoo_pool_leak -- --fixed
//
// A run fails by throwing BugFound (a broken invariant, named) or by ending
// in a deadlock or hang, which zoo_main reports as the bug it shows.
#pragma once

#include <detio/detio.h>
#include <detio/sim/scenario_main.h>

#include <stdexcept>
#include <string>

namespace bugzoo {

// A broken invariant: what the bug does.
class BugFound : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline void expect(bool ok, const std::string& what) {
  if (!ok) throw BugFound(what);
}

// A zoo program: the scenario for one variant, and what a deadlock or a
// hang of it means (the bug's symptom, e.g. "the semaphore is wedged").
struct Program {
  detio::Task<void> (*scenario)(bool fixed);
  const char* stuck_means;
};

// Parses `-- --fixed`, then runs the scenario protocol. Exit status 2 for
// an unknown argument of its own.
int zoo_main(int argc, char** argv, Program program);

// The current simulated time in milliseconds, for messages.
inline double now_ms() { return std::chrono::duration<double, std::milli>(detio::now().time_since_epoch()).count(); }

// A uniformly random duration in [lo, hi], from the run's seed.
inline detio::Duration between(detio::Duration lo, detio::Duration hi) { return detio::sim::random().duration(lo, hi); }

}  // namespace bugzoo

#define BUGZOO_MAIN(...) \
  int main(int argc, char** argv) { return ::bugzoo::zoo_main(argc, argv, ::bugzoo::Program{__VA_ARGS__}); }

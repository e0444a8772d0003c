// Seeded schedule exploration and fault injection for one simulation run.
// Everything is drawn from the run's seed, so a failing run replays exactly.
// The defaults keep asyncio's guarantees (FIFO call_soon/create_task order,
// timers at their exact deadlines) and inject nothing.
#pragma once

#include <cstdint>
#include <optional>

#include "detio/time.h"

namespace detio::sim {

enum class ReadyOrder {
  kFifo,    // asyncio's order
  kRandom,  // each batch of ready task steps in a seeded random order
  kPct,     // PCT: seeded task priorities with a few seeded change points
};

struct ExploreOptions {
  // A user timer (sleep, timeout, wait_for) fires somewhere in
  // [deadline, deadline + timer_slack].
  Duration timer_slack{0};
  // The order of user timers due at the same instant comes from the seed.
  bool shuffle_same_instant = false;
  ReadyOrder ready_order = ReadyOrder::kFifo;
  // kPct: how many times a task's priority drops during the run.
  int pct_change_points = 3;
  // kPct: the step range over which change points are drawn.
  std::uint64_t pct_horizon = 10000;
};

// Cancellation injection: at seeded suspension points (the k-th await of a
// task) the simulator delivers cancel() to the task, or expires its
// innermost timeout/wait_for early, exactly like a real cancel would.
struct InjectOptions {
  bool cancel = false;
  // Prefer expiring the task's innermost timeout when it has one.
  bool early_timeouts = false;
  // Probability that a given suspension point is chosen.
  double rate = 0.01;
  // At most this many injections per run (PCT-style bound).
  int max_per_run = 1;
  // Never inject into the main task (its CancelledError would end the run).
  bool spare_main = true;
};

// Hang detection: a run exceeding either budget fails with HangError.
struct Budget {
  std::optional<Duration> max_virtual_time;
  std::optional<std::uint64_t> max_steps;
};

}  // namespace detio::sim

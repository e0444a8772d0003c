// Seeded schedule exploration and fault injection for one simulation run.
// Everything is drawn from the run's seed, so a failing run replays exactly.
// The defaults keep asyncio's guarantees (FIFO call_soon/create_task order,
// timers at their exact deadlines) and inject nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

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
  // Timer coalescing, as on a loaded asyncio loop that runs whatever is
  // due when it gets round to it: each iteration also fires the timers due
  // within this window after now(), and the clock moves on to the latest
  // of them. Timers never fire early; near-simultaneous ones land in the
  // same iteration and race. 0: asyncio's exact timing.
  Duration timer_coalescing{0};
  // The order of user timers due at the same instant comes from the seed.
  bool shuffle_same_instant = false;
  ReadyOrder ready_order = ReadyOrder::kFifo;
  // kPct: how many times a task's priority drops during the run.
  int pct_change_points = 3;
  // kPct: the step range over which change points are drawn.
  std::uint64_t pct_horizon = 10000;
};

// Where injected cancels land.
enum class InjectAt {
  // As the task suspends: every await that parks it, and every sleep(0).
  kSuspend,
  // At wake-ups: the future the task awaited has resolved and the task has
  // not resumed yet (asyncio's _must_cancel window: the task resumes with
  // CancelledError and the result is lost, e.g. a pooled connection handed
  // to a waiter whose wait_for just timed out).
  kWakeup,
};

// Cancellation injection: at seeded points of a task (the k-th await, or
// the k-th wake-up) the simulator delivers cancel() to the task, or
// expires its innermost timeout/wait_for early, exactly like a real cancel
// would.
struct InjectOptions {
  bool cancel = false;
  InjectAt at = InjectAt::kSuspend;
  // Expire the task's innermost timeout instead of cancelling; only tasks
  // inside a timeout with a deadline are then injected.
  bool early_timeouts = false;
  // Probability that a given suspension point is chosen.
  double rate = 0.01;
  // At most this many injections per run (PCT-style bound).
  int max_per_run = 1;
  // Never inject into the main task (its CancelledError would end the run).
  bool spare_main = true;
  // Aimed injection: only tasks whose name matches `tasks`, and none whose
  // name matches `spare_tasks`. Glob patterns (* any run, ? one character),
  // several separated by '|': "worker-*|client?". Empty `tasks`: any task.
  std::string tasks{};
  std::string spare_tasks{};
};

// Hang detection: a run exceeding either budget fails with HangError.
struct Budget {
  std::optional<Duration> max_virtual_time;
  std::optional<std::uint64_t> max_steps;
};

}  // namespace detio::sim

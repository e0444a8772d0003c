// detio::sim::run(main, Options{.seed = n}): run `main` on the virtual-time
// loop. Time stands still while anything is ready and jumps straight to the
// next timer when nothing is; it never reads a wall clock. A run whose main
// task can never finish (nothing ready, no timer pending) ends with
// DeadlockError naming the blocked tasks instead of hanging. Same seed, same
// binary: the same run, bit for bit.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "detio/errors.h"
#include "detio/internal/loop_core.h"
#include "detio/internal/runner_core.h"
#include "detio/net/options.h"
#include "detio/net/trace.h"
#include "detio/sim/explore.h"
#include "detio/sim/random.h"
#include "detio/sim/trace.h"
#include "detio/task_handle.h"

namespace detio::net::internal {
class SimNetwork;
}

namespace detio::sim::internal {
class NetworkTraceSink;
class NodeTable;
class RunHooks;
}

namespace detio::sim {

// The budget of a run whose Options::budget sets neither limit, so that no
// run hangs: a livelock in zero virtual time (a loop of sleep(0)) ends after
// max_steps steps, one that only moves the clock after max_virtual_time.
// Set either limit to override it (e.g. {.max_steps = UINT64_MAX}).
inline constexpr Budget kDefaultBudget{.max_virtual_time = std::chrono::hours(24 * 365), .max_steps = 50'000'000};

struct Options {
  // Drives every nondeterministic choice of the run.
  std::uint64_t seed = 0;
  // The simulated network: link latency, jitter and bandwidth, buffers.
  net::NetworkOptions network{};
  // Random network faults, drawn from the seed; all off by default.
  net::FaultOptions faults{};
  // The fraction of sim::buggify() call sites enabled in a run (which ones
  // is drawn from the seed); 0 turns buggify off.
  double buggify = 0.25;
  // Seeded schedule exploration (timer slack, same-instant order, ready
  // order); all off by default.
  ExploreOptions explore{};
  // Seeded cancellation injection; off by default.
  InjectOptions inject{};
  // Hang detection: exceeding a budget ends the run with HangError. A
  // budget that sets neither limit means kDefaultBudget (below).
  Budget budget{};
  // If set, filled with the run's events (else only the hash is kept; see
  // last_trace_hash()).
  Trace* trace = nullptr;
};

// A run that exceeded its Budget: the blocked tasks and where they wait.
class HangError : public Error {
 public:
  HangError(std::string message, std::vector<std::string> blocked)
      : Error(std::move(message)), blocked_(std::move(blocked)) {}
  const std::vector<std::string>& blocked_tasks() const noexcept { return blocked_; }

 private:
  std::vector<std::string> blocked_;
};

// The trace hash of the last simulation run that ended on this thread.
std::uint64_t last_trace_hash() noexcept;

class DeadlockError : public Error {
 public:
  DeadlockError(std::string message, std::vector<std::string> blocked)
      : Error(std::move(message)), blocked_(std::move(blocked)) {}
  // "name: what it waits on", one per unfinished task, in creation order.
  const std::vector<std::string>& blocked_tasks() const noexcept { return blocked_; }

 private:
  std::vector<std::string> blocked_;
};

namespace internal {

// One simulation run: the loop, the seeded streams, and the driver.
class Simulation {
 public:
  explicit Simulation(const Options& options);
  Simulation(const Simulation&) = delete;
  ~Simulation();

  static constexpr char kBackendTag = 0;  // see LoopCore::backend()
  // The simulation of the running loop, or nullptr.
  static Simulation* current() noexcept;
  // As current(), but throws RuntimeError naming `what` outside a sim run.
  static Simulation& running(const char* what);

  detio::internal::LoopCore& loop() noexcept { return loop_; }
  const Options& options() const noexcept { return options_; }
  Random& stream(std::string_view name);
  // This run's trace (its hash always; events if Options::trace is set).
  Trace& trace() noexcept { return *trace_; }
  void record(TraceKind kind, const detio::internal::TaskStateBase* task, std::string detail);
  // The simulated network (the loop's Network), owned by the run.
  net::internal::SimNetwork& network() noexcept { return *network_; }
  // The network's trace so far (see sim::network_trace()).
  const net::Trace& network_trace() const noexcept;
  // The run's nodes (sim::spawn_node and friends), told to the network.
  NodeTable& nodes() noexcept { return *nodes_; }

  // --- LoopBackend (detio/internal/run_main.h) ---
  // Jumps to the deadline; false when there is none (nothing can happen).
  bool poll(detio::internal::LoopCore& loop, std::optional<TimePoint> deadline);
  // The budget (Options::budget, or kDefaultBudget) is spent, also at
  // shutdown after main finished. Called once per loop iteration: steps
  // are task steps plus the iterations that ran only callbacks.
  bool out_of_budget() const;
  // DeadlockError (HangError if hung) naming the blocked tasks; `main` is
  // empty for a hang at shutdown.
  std::exception_ptr cannot_finish(const TaskHandleBase& main, bool hung);

 private:
  std::uint64_t budget_steps() const noexcept;

  struct Streams;
  Options options_;
  Budget budget_;
  // Bookkeeping of out_of_budget() (const for the LoopBackend concept).
  mutable std::uint64_t steps_seen_ = 0;
  mutable std::uint64_t idle_iterations_ = 0;
  detio::internal::LoopCore loop_;
  std::unique_ptr<Streams> streams_;
  Trace hash_only_trace_{false};
  Trace* trace_;
  std::unique_ptr<RunHooks> hooks_;
  // Where the network records; outlives it.
  std::unique_ptr<NetworkTraceSink> network_trace_;
  // Destroyed before the loop, after LoopCore::shutdown() freed the tasks.
  std::unique_ptr<net::internal::SimNetwork> network_;
  std::unique_ptr<NodeTable> nodes_;
};

}  // namespace internal

template <class T>
T run(Task<T> main, Options options = {}) {
  detio::internal::RunnerCore<internal::Simulation> runner("detio::sim::run()", options);
  return runner.run_then_close(std::move(main));
}

// A frameless awaitable (sim::run(sleep(1s))) runs as the Task it stands for.
template <detio::internal::ConvertsToTask A>
typename A::value_type run(A main, Options options = {}) {
  return run(std::move(main).as_task(), std::move(options));
}

// sim::Runner (asyncio.Runner in virtual time): one simulation (one seed,
// one clock, one network) for several run() calls. Tasks a run() leaves
// pending carry on in the next one; close() (or the destructor) ends them
// as sim::run does, and the trace and its hash cover the whole runner.
// After close(), or after a run() that deadlocked or hung, run() throws
// RuntimeError.
class Runner {
 public:
  explicit Runner(Options options = {}) : core_("detio::sim::Runner", options) {}
  template <class T>
  T run(Task<T> main) {
    return core_.run(std::move(main));
  }
  template <detio::internal::ConvertsToTask A>
  typename A::value_type run(A main) {
    return run(std::move(main).as_task());
  }
  void close() { core_.close(); }

 private:
  detio::internal::RunnerCore<internal::Simulation> core_;
};

}  // namespace detio::sim

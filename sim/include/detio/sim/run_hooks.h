// The simulator's LoopObserver and SchedulePolicy for one run: records the
// trace (and its hash), counts steps for the hang budget, makes the seeded
// scheduling choices of ExploreOptions (slack, same-instant order,
// coalescing, ready order) and performs InjectOptions.
#pragma once

#include <map>
#include <string>

#include "detio/internal/loop_core.h"
#include "detio/sim/explore.h"
#include "detio/sim/random.h"
#include "detio/sim/trace.h"

namespace detio::sim::internal {

class RunHooks final : public detio::internal::LoopObserver, public detio::internal::SchedulePolicy {
 public:
  RunHooks(detio::internal::LoopCore& loop, const ExploreOptions& explore, const InjectOptions& inject,
           Trace& trace, Random& schedule_random, Random& inject_random);
  RunHooks(const RunHooks&) = delete;
  ~RunHooks() = default;

  void record(TraceKind kind, const detio::internal::TaskStateBase* task, std::string_view detail);
  std::uint64_t steps() const noexcept { return steps_; }
  int injections() const noexcept { return injections_; }

  // LoopObserver
  void on_spawn(detio::internal::TaskStateBase& task) override;
  void on_step(detio::internal::TaskStateBase& task) override;
  void on_suspend(detio::internal::TaskStateBase& task) override;
  void on_wakeup(detio::internal::TaskStateBase& task) override;
  void on_cancel(detio::internal::TaskStateBase& task, std::string_view message) override;
  void on_finish(detio::internal::TaskStateBase& task) override;
  void on_timer(TimePoint due) override;

  // SchedulePolicy
  TimePoint timer_deadline(TimePoint now, TimePoint when) override;
  std::uint64_t timer_sequence(std::uint64_t counter) override;
  TimePoint timer_horizon(TimePoint now) override;
  void order_batch(detio::internal::ReadyList& batch) override;

 private:
  std::uint64_t pct_priority(std::uint64_t task);
  // Whether InjectOptions allow an injection into `task` now (before the
  // seeded draw: tasks outside the aim never consume one).
  bool may_inject(const detio::internal::TaskStateBase& task) const;
  // The seeded draw at an injection point of kind `at`, and the injection.
  void maybe_inject(detio::internal::TaskStateBase& task, InjectAt at);

  detio::internal::LoopCore& loop_;
  ExploreOptions explore_;
  InjectOptions inject_;
  Trace& trace_;
  Random& schedule_random_;
  Random& inject_random_;
  std::uint64_t steps_ = 0;
  int injections_ = 0;
  bool injecting_ = false;
  // kPct state: priorities by task number, and the steps at which the
  // running task's priority drops.
  std::map<std::uint64_t, std::uint64_t> priorities_;
  std::map<std::uint64_t, bool> change_points_;
  std::uint64_t lowest_priority_ = std::uint64_t{1} << 40;
};

}  // namespace detio::sim::internal

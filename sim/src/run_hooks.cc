#include "detio/sim/run_hooks.h"

#include <fmt/format.h>

#include <vector>

#include "detio/internal/task_state.h"
#include "detio/internal/timeout_scope.h"
#include "detio/sim/task_pattern.h"

namespace detio::sim::internal {

using detio::internal::ReadyNode;
using detio::internal::TaskStateBase;

namespace {
constexpr std::uint64_t kFirstDemoted = std::uint64_t{1} << 40;
}  // namespace

RunHooks::RunHooks(detio::internal::LoopCore& loop, const ExploreOptions& explore, const InjectOptions& inject,
                   Trace& trace, Random& schedule_random, Random& inject_random)
    : loop_(loop),
      explore_(explore),
      inject_(inject),
      trace_(trace),
      schedule_random_(schedule_random),
      inject_random_(inject_random) {
  // Only injection acts at suspensions and wake-ups; only a non-FIFO ready
  // order reorders a batch (both options are fixed for the run).
  watches_suspend_ = inject_.cancel && inject_.at == InjectAt::kSuspend;
  watches_wakeup_ = inject_.cancel && inject_.at == InjectAt::kWakeup;
  reorders_batches_ = explore_.ready_order != ReadyOrder::kFifo;
  if (explore_.ready_order == ReadyOrder::kPct) {
    for (int i = 0; i < explore_.pct_change_points; ++i) {
      change_points_[static_cast<std::uint64_t>(
          schedule_random_.uniform(1, static_cast<std::int64_t>(std::max<std::uint64_t>(explore_.pct_horizon, 1))))] =
          true;
    }
  }
}

void RunHooks::record(TraceKind kind, const TaskStateBase* task, std::string_view detail) {
  trace_.record(loop_.now(), kind, task ? task->owner() : loop_.current_owner(), task ? task->number() : 0, detail);
}

void RunHooks::on_spawn(TaskStateBase& task) {
  if (trace_.keeps_events()) trace_.set_task_name(task.number(), task.name());
  record(TraceKind::kSpawn, &task, "");
}

void RunHooks::on_step(TaskStateBase& task) {
  ++steps_;
  if (!change_points_.empty() && change_points_.count(steps_)) {
    // PCT change point: the task running now drops below every other.
    priorities_[task.number()] = --lowest_priority_;
  }
  record(TraceKind::kStep, &task, "");
}

bool RunHooks::may_inject(const TaskStateBase& task) const {
  if (!inject_.cancel || injecting_ || injections_ >= inject_.max_per_run) return false;
  if (inject_.spare_main && task.number() == 1) return false;
  if (!inject_.tasks.empty() && !matches_task_pattern(inject_.tasks, task.name())) return false;
  if (!inject_.spare_tasks.empty() && matches_task_pattern(inject_.spare_tasks, task.name())) return false;
  if (inject_.early_timeouts) {
    const detio::internal::TimeoutScope* scope = task.innermost_timeout();
    if (!scope || !scope->can_expire()) return false;
  }
  return true;
}

void RunHooks::maybe_inject(TaskStateBase& task, InjectAt at) {
  if (inject_.at != at || !may_inject(task) || !inject_random_.chance(inject_.rate)) return;
  ++injections_;
  injecting_ = true;  // the cancel below may suspend nothing, but be safe
  const char* where = at == InjectAt::kWakeup ? " at wake-up" : "";
  if (inject_.early_timeouts) {
    task.innermost_timeout()->expire_now();
    record(TraceKind::kInjection, &task, fmt::format("timeout expired early{}", where));
  } else {
    record(TraceKind::kInjection, &task, fmt::format("cancel{}", where));
    task.cancel_task("injected by detio::sim");
  }
  injecting_ = false;
}

void RunHooks::on_suspend(TaskStateBase& task) { maybe_inject(task, InjectAt::kSuspend); }

void RunHooks::on_wakeup(TaskStateBase& task) { maybe_inject(task, InjectAt::kWakeup); }

void RunHooks::on_cancel(TaskStateBase& task, std::string_view message) {
  record(TraceKind::kCancel, &task, std::string(message));
}

void RunHooks::on_finish(TaskStateBase& task) {
  const char* how = task.cancelled() ? "cancelled" : task.failed() ? "failed" : "ok";
  record(TraceKind::kFinish, &task, how);
}

void RunHooks::on_timer(TimePoint due) {
  // The due time (which slack may have moved) is in the hash either way.
  trace_.record(loop_.now(), TraceKind::kTimer, 0, static_cast<std::uint64_t>(due.time_since_epoch().count()),
                trace_.keeps_events() ? fmt::format("due {:.6f}s", std::chrono::duration<double>(
                                                                     due.time_since_epoch()).count())
                                      : std::string());
}

TimePoint RunHooks::timer_deadline(TimePoint, TimePoint when) {
  if (explore_.timer_slack <= Duration::zero()) return when;
  Duration slack = schedule_random_.duration(Duration::zero(), explore_.timer_slack);
  return detio::internal::deadline_after(when, slack);
}

TimePoint RunHooks::timer_horizon(TimePoint now) {
  if (explore_.timer_coalescing <= Duration::zero()) return now;
  return detio::internal::deadline_after(now, explore_.timer_coalescing);
}

std::uint64_t RunHooks::timer_sequence(std::uint64_t counter) {
  // Random keys order the timers due at one instant; the counter in the low
  // bits keeps keys unique.
  if (!explore_.shuffle_same_instant) return counter;
  return (schedule_random_.next_u64() << 24) | (counter & 0xffffff);
}

std::uint64_t RunHooks::pct_priority(std::uint64_t task) {
  auto it = priorities_.find(task);
  if (it == priorities_.end()) {
    // Initial priorities sit above every priority a change point assigns.
    it = priorities_.emplace(task, kFirstDemoted + 1 + (schedule_random_.next_u64() >> 2)).first;
  }
  return it->second;
}

void RunHooks::order_batch(detio::internal::ReadyList& batch) {
  if (explore_.ready_order == ReadyOrder::kFifo) return;
  std::vector<ReadyNode*> nodes;
  std::vector<std::size_t> task_slots;
  while (ReadyNode* n = batch.pop_front()) {
    if (TaskStateBase::task_of_step(n)) task_slots.push_back(nodes.size());
    nodes.push_back(n);
  }
  // Only task steps move, among the slots task steps had; callbacks and
  // timers keep their places.
  std::vector<ReadyNode*> steps;
  for (std::size_t slot : task_slots) steps.push_back(nodes[slot]);
  if (explore_.ready_order == ReadyOrder::kRandom) {
    for (std::size_t i = steps.size(); i > 1; --i) {
      std::swap(steps[i - 1], steps[static_cast<std::size_t>(schedule_random_.uniform(0, static_cast<std::int64_t>(i - 1)))]);
    }
  } else {
    std::stable_sort(steps.begin(), steps.end(), [&](ReadyNode* a, ReadyNode* b) {
      return pct_priority(TaskStateBase::task_of_step(a)->number()) >
             pct_priority(TaskStateBase::task_of_step(b)->number());
    });
  }
  for (std::size_t i = 0; i < task_slots.size(); ++i) nodes[task_slots[i]] = steps[i];
  for (ReadyNode* n : nodes) batch.push_back(n);
}

}  // namespace detio::sim::internal

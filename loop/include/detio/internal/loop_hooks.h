// Hooks the simulator installs on a LoopCore; the real backend installs
// none, so they cost it one null check each.
//  - LoopObserver sees what happens (for traces and the trace hash) and may
//    act at suspension points and wake-ups (cancellation injection).
//  - SchedulePolicy makes the seeded choices: timer slack, the order of
//    timers due at the same instant, the timers one iteration fires
//    (coalescing), the order of task steps in a batch.
#pragma once

#include <cstdint>
#include <string_view>

#include "detio/internal/ready_node.h"
#include "detio/time.h"

namespace detio::internal {

class TaskStateBase;

class LoopObserver {
 public:
  virtual void on_spawn(TaskStateBase& task) = 0;
  virtual void on_step(TaskStateBase& task) = 0;
  // The task just suspended: parked on a future (its fut_waiter is set) or
  // yielded (sleep(0)). A cancel delivered now behaves exactly like one
  // from another task.
  virtual void on_suspend(TaskStateBase& task) = 0;
  // The future the task awaited has settled and the task is about to
  // resume: a cancel delivered now takes asyncio's _must_cancel path (the
  // task resumes with CancelledError, the future's result is lost).
  virtual void on_wakeup(TaskStateBase& task) = 0;
  virtual void on_cancel(TaskStateBase& task, std::string_view message) = 0;
  virtual void on_finish(TaskStateBase& task) = 0;
  virtual void on_timer(TimePoint due) = 0;

  // Whether on_suspend / on_wakeup may act at all: the loop skips the call
  // when they would not (a run without injection), as each task switch
  // passes both.
  bool watches_suspend() const noexcept { return watches_suspend_; }
  bool watches_wakeup() const noexcept { return watches_wakeup_; }

 protected:
  ~LoopObserver() = default;
  bool watches_suspend_ = true;
  bool watches_wakeup_ = true;
};

class SchedulePolicy {
 public:
  // When a user-level timer (sleep, timeout) due at `when` really fires.
  virtual TimePoint timer_deadline(TimePoint now, TimePoint when) = 0;
  // The tie-break key of a user-level timer (lower fires first among
  // timers due at the same instant); `counter` gives FIFO order.
  virtual std::uint64_t timer_sequence(std::uint64_t counter) = 0;
  // Timers due up to this instant fire in the iteration starting at `now`
  // (now itself: asyncio's exact timing); the clock then moves on to the
  // latest deadline fired, as on a loop that woke up late.
  virtual TimePoint timer_horizon(TimePoint now) = 0;
  // May reorder the task steps of one ready batch; other nodes keep FIFO.
  virtual void order_batch(ReadyList& batch) = 0;
  // False if order_batch never reorders (FIFO): the loop skips the call.
  bool reorders_batches() const noexcept { return reorders_batches_; }

 protected:
  ~SchedulePolicy() = default;
  bool reorders_batches_ = true;
};

}  // namespace detio::internal

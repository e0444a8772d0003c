// What a sleeping task is parked on: the timer, and the task it wakes. No
// future in between: the timer firing queues the task's step, as asyncio's
// TimerHandle -> future -> Task.__wakeup chain does, in as many iterations.
#pragma once

#include <coroutine>
#include <exception>
#include <string_view>

#include "detio/internal/timer_heap.h"
#include "detio/internal/wait_target.h"

namespace detio::internal {

class LoopCore;
class TaskStateBase;

class SleepWaiter final : public WaitTarget, TimerNode {
 public:
  SleepWaiter() noexcept : WaitTarget("sleep", &SleepWaiter::cancel_sleep), TimerNode(&SleepWaiter::fire) {}

  // Arms the timer for `when` and parks `task` on it, resuming at `resume_at`.
  void park(TaskStateBase& task, LoopCore& loop, TimePoint when, std::coroutine_handle<> resume_at);
  // On resume: throws CancelledError if the sleep was cancelled (or a
  // cancel arrived after the timer fired).
  void resume(TaskStateBase& task);

 private:
  static void fire(ReadyNode* node, Action action);
  static bool cancel_sleep(WaitTarget* self, std::string_view message);

  TaskStateBase* task_ = nullptr;
  bool fired_ = false;
  // Set by cancel(): the error the task resumes with.
  std::exception_ptr cancelled_;
};

}  // namespace detio::internal

// Awaiting a FutureBase from inside a task: the one suspension mechanism
// every detio awaitable is built on (asyncio's `yield fut` in Task.__step).
#pragma once

#include <coroutine>

#include "detio/internal/task_state.h"

namespace detio::internal {

class FutureAwaiter {
 public:
  explicit FutureAwaiter(FutureBase& fut) noexcept : fut_(fut) {}

  bool await_ready() {
    if (fut_.done()) return true;
    task_ = &running_task("await");
    if (task_ == &fut_) throw RuntimeError("Task cannot await on itself: " + task_->name());
    return false;
  }
  void await_suspend(std::coroutine_handle<> h) { task_->suspend_on(&fut_, h); }
  // Throws CancelledError for a cancel that arrived after the future
  // settled, else the future's own exception or cancellation.
  void await_resume() const {
    if (task_) task_->throw_if_cancel_pending();
    fut_.rethrow_if_failed();
  }

 private:
  FutureBase& fut_;
  TaskStateBase* task_ = nullptr;
};

// `co_await yield_now()`: give every other ready task a turn (sleep(0)).
struct YieldAwaiter {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    task_ = &running_task("sleep");
    task_->yield(h);
  }
  void await_resume() const { task_->throw_if_cancel_pending(); }

  TaskStateBase* task_ = nullptr;
};

}  // namespace detio::internal

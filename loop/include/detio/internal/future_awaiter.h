// Awaiting a FutureBase from inside a task: the one suspension mechanism
// every detio awaitable is built on (asyncio's `yield fut` in Task.__step).
#pragma once

#include <coroutine>

#include "detio/internal/cancelled_errors.h"
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
  // A cancel that arrived after the future settled wins over its result
  // or exception, but not over a CancelledError it already carries (the
  // first cancel's message is kept, as asyncio's Task.__step does).
  void await_resume() const {
    if (task_ && task_->cancel_pending()) {
      if (fut_.cancelled() || holds_cancelled_error(fut_.exception())) {
        task_->clear_cancel_pending();
      } else {
        task_->throw_if_cancel_pending();
      }
    }
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

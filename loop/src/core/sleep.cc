#include "detio/sleep.h"

#include "detio/internal/task_state.h"

namespace detio {

namespace internal {

void SleepWaiter::park(TaskStateBase& task, LoopCore& loop, TimePoint when, std::coroutine_handle<> resume_at) {
  task_ = &task;
  fired_ = false;
  cancelled_ = nullptr;
  loop.call_at_user(this, when);
  task.park(this, resume_at);
}

void SleepWaiter::resume(TaskStateBase& task) {
  if (cancelled_) {
    // The first cancel's CancelledError wins over later ones.
    task.clear_cancel_pending();
    std::rethrow_exception(cancelled_);
  }
  task.throw_if_cancel_pending();
}

void SleepWaiter::fire(ReadyNode* node, Action action) {
  auto* self = static_cast<SleepWaiter*>(static_cast<TimerNode*>(node));
  if (action != Action::kRun) return;
  self->fired_ = true;
  self->task_->wake();
}

bool SleepWaiter::cancel_sleep(WaitTarget* target, std::string_view message) {
  auto* self = static_cast<SleepWaiter*>(target);
  if (self->fired_ || self->cancelled_) return false;
  // Off the heap, or out of the ready queue if it is already due.
  self->TimerNode::cancel();
  self->cancelled_ = std::make_exception_ptr(CancelledError(std::string(message)));
  self->task_->wake();
  return true;
}

}  // namespace internal

bool Sleep::await_ready() {
  task_ = &internal::running_task("sleep");
  return false;
}

void Sleep::await_suspend(std::coroutine_handle<> caller) {
  internal::LoopCore& loop = internal::running_loop();
  const TimePoint when = absolute_ ? TimePoint(time_) : internal::deadline_after(loop.now(), time_);
  yielded_ = when <= loop.now();
  if (yielded_) {
    task_->yield(caller);
  } else {
    waiter_.park(*task_, loop, when, caller);
  }
}

void Sleep::await_resume() {
  if (yielded_) {
    task_->throw_if_cancel_pending();
  } else {
    waiter_.resume(*task_);
  }
}

namespace {
Task<void> await_sleep(Sleep sleep) { co_await sleep; }
}  // namespace

Task<void> Sleep::as_task() && { return await_sleep(std::move(*this)); }

}  // namespace detio

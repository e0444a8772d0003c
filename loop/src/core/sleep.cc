#include "detio/sleep.h"

#include "detio/internal/task_state.h"

namespace detio {

bool Sleep::await_ready() const {
  internal::running_task("sleep");
  return false;
}

void Sleep::await_suspend(std::coroutine_handle<> caller) const {
  internal::LoopCore& loop = internal::running_loop();
  internal::TaskStateBase& task = *loop.current_task();
  const TimePoint when = absolute_ ? TimePoint(time()) : internal::deadline_after(loop.now(), time());
  if (when <= loop.now()) {
    task.yield(caller);
  } else {
    task.sleep_until(when, caller);
  }
}

// A yield is never a cancelled wait, so this covers both.
void Sleep::await_resume() const { internal::current_task_state()->resume_from_wait(); }

namespace {
Task<void> await_sleep(Sleep sleep) { co_await sleep; }
}  // namespace

Task<void> Sleep::as_task() && { return await_sleep(std::move(*this)); }

}  // namespace detio

// What a suspended task is parked on (asyncio's Task._fut_waiter): a future
// (FutureBase), or the small waiter of a frameless awaitable (a primitive's
// queue) that wakes the task itself. The task forwards cancel() to it: true
// means the wait was cancelled and the task will wake with CancelledError;
// false (already settled) leaves the cancel pending.
#pragma once

#include <coroutine>
#include <string_view>

namespace detio::internal {

class WaitTarget;
class TaskStateBase;

// What kind of target it is: one static description per kind, so a target
// costs one pointer (a million parked tasks each hold one or more).
struct WaitKind {
  using CancelFn = bool (*)(WaitTarget*, std::string_view message);
  using RewaitFn = bool (*)(WaitTarget*, TaskStateBase& task, std::coroutine_handle<> resume_at);
  // What the task waits on, for deadlock and hang reports.
  const char* label;
  CancelFn cancel;
  // For a frameless awaitable whose wait is a loop (Queue.get waits again
  // when another task took the item first): called on the woken task's
  // step, as the task, before it resumes. True means it parked the task
  // again (on `resume_at`), so the step does not resume it.
  RewaitFn rewait = nullptr;
};

class WaitTarget {
 public:
  using CancelFn = WaitKind::CancelFn;

  WaitTarget(const WaitTarget&) = delete;
  WaitTarget& operator=(const WaitTarget&) = delete;

  bool cancel(std::string_view message) { return kind_->cancel(this, message); }
  const char* label() const noexcept { return kind_->label; }
  const WaitKind& kind() const noexcept { return *kind_; }

 protected:
  explicit WaitTarget(const WaitKind* kind) noexcept : kind_(kind) {}
  ~WaitTarget() = default;

 private:
  const WaitKind* kind_;
};

}  // namespace detio::internal

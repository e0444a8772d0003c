// What a suspended task is parked on (asyncio's Task._fut_waiter): a future
// (FutureBase), or the small waiter of a frameless awaitable (sleep, a
// primitive's queue) that wakes the task itself. The task forwards
// cancel() to it: true means the wait was cancelled and the task will wake
// with CancelledError; false (already settled) leaves the cancel pending.
#pragma once

#include <string_view>

namespace detio::internal {

class WaitTarget {
 public:
  using CancelFn = bool (*)(WaitTarget*, std::string_view message);

  WaitTarget(const WaitTarget&) = delete;
  WaitTarget& operator=(const WaitTarget&) = delete;

  bool cancel(std::string_view message) { return cancel_fn_(this, message); }
  // What the task waits on, for deadlock and hang reports.
  const char* label() const noexcept { return label_; }
  CancelFn cancel_fn() const noexcept { return cancel_fn_; }

 protected:
  WaitTarget(const char* label, CancelFn cancel_fn) noexcept : label_(label), cancel_fn_(cancel_fn) {}
  ~WaitTarget() = default;

 private:
  const char* label_;
  CancelFn cancel_fn_;
};

}  // namespace detio::internal

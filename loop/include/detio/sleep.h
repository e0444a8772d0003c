// detio::sleep(d): suspend the calling task for `d` of loop time. A zero or
// negative duration yields once to every other ready task (asyncio.sleep(0)).
// The deadline is taken when the sleep is awaited. The returned awaitable
// needs no coroutine frame; it converts to a Task<void> where one is needed
// (create_task(sleep(1s)), gather, wait_for, timeout).
#pragma once

#include <coroutine>

#include "detio/internal/sleep_waiter.h"
#include "detio/task.h"
#include "detio/time.h"

namespace detio {

namespace internal {
class TaskStateBase;
}

class [[nodiscard]] Sleep {
 public:
  using value_type = void;

  // Sleeps for `d` from when it is awaited.
  explicit Sleep(Duration d) noexcept : time_(d), absolute_(false) {}
  // Sleeps until loop time `when`.
  explicit Sleep(TimePoint when) noexcept : time_(when.time_since_epoch()), absolute_(true) {}
  // Only an awaitable that is not being awaited may be moved.
  Sleep(Sleep&& other) noexcept : time_(other.time_), absolute_(other.absolute_) {}
  Sleep& operator=(Sleep&&) = delete;

  bool await_ready();
  void await_suspend(std::coroutine_handle<> caller);
  void await_resume();

  // The same sleep as a Task (a coroutine frame that awaits it).
  Task<void> as_task() &&;
  operator Task<void>() && { return std::move(*this).as_task(); }

 private:
  Duration time_;
  bool absolute_;
  bool yielded_ = false;
  internal::TaskStateBase* task_ = nullptr;
  internal::SleepWaiter waiter_;
};

inline Sleep sleep(Duration d) noexcept { return Sleep(d); }

// Suspends until the loop time reaches `when` (yields once if already past).
inline Sleep sleep_until(TimePoint when) noexcept { return Sleep(when); }

// asyncio.sleep(delay, result): sleeps, then returns `result`.
template <class T>
Task<T> sleep(Duration d, T result) {
  co_await sleep(d);
  co_return result;
}

}  // namespace detio

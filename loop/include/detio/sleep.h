// detio::sleep(d): suspend the calling task for `d` of loop time. A zero or
// negative duration yields once to every other ready task (asyncio.sleep(0)).
// The deadline is taken when the sleep is awaited. The returned awaitable
// needs no coroutine frame; it converts to a Task<void> where one is needed
// (create_task(sleep(1s)), gather, wait_for, timeout). The timer is the
// sleeping task's own (its ready node), so a sleep costs no allocation.
#pragma once

#include <coroutine>
#include <cstdint>

#include "detio/task.h"
#include "detio/time.h"

namespace detio {

class [[nodiscard]] Sleep {
 public:
  using value_type = void;

  // Sleeps for `d` from when it is awaited.
  explicit Sleep(Duration d) noexcept : time_(clamp(d.count())), absolute_(0) {}
  // Sleeps until loop time `when`.
  explicit Sleep(TimePoint when) noexcept : time_(clamp(when.time_since_epoch().count())), absolute_(1) {}
  // Only an awaitable that is not being awaited may be moved.
  Sleep(Sleep&& other) noexcept : time_(other.time_), absolute_(other.absolute_) {}
  Sleep& operator=(Sleep&&) = delete;

  bool await_ready() const;
  void await_suspend(std::coroutine_handle<> caller) const;
  void await_resume() const;

  // The same sleep as a Task (a coroutine frame that awaits it).
  Task<void> as_task() &&;
  operator Task<void>() && { return std::move(*this).as_task(); }

 private:
  // One word, so the frame of `co_await sleep(d)` stays small: the time in
  // 63 bits, where the extremes stand for Duration::max()/min() ("never";
  // anything past them is 146 years away).
  static constexpr std::int64_t kMax = (std::int64_t{1} << 62) - 1;
  static constexpr std::int64_t kMin = -(std::int64_t{1} << 62);
  static constexpr std::int64_t clamp(std::int64_t t) noexcept { return t > kMax ? kMax : t < kMin ? kMin : t; }
  Duration time() const noexcept {
    return time_ == kMax ? Duration::max() : time_ == kMin ? Duration::min() : Duration(time_);
  }

  std::int64_t time_ : 63;
  std::int64_t absolute_ : 1;
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

// detio::Event (asyncio.Event): a flag tasks can wait for. set() wakes every
// waiting task and lets later wait() calls return at once until clear().
// Waiters woken by set() return even if the flag is cleared (or the Event
// destroyed) before they run; a cancelled wait() leaves the Event untouched.
#pragma once

#include "detio/internal/future_base.h"
#include "detio/task.h"

namespace detio {

class Event {
 public:
  Event() noexcept = default;
  // `wait_kind` (a plain_wait(label) with static storage) names what
  // waiters block on in DeadlockError reports.
  explicit Event(const internal::WaitKind* wait_kind) noexcept : wait_kind_(wait_kind) {}
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;

  bool is_set() const noexcept { return value_; }
  // Sets the flag and wakes all waiters (a no-op if already set).
  void set() noexcept;
  void clear() noexcept { value_ = false; }
  // Returns at once if the flag is set, else waits until set() is called;
  // returns true, as asyncio's Event.wait() does.
  Task<bool> wait();

 private:
  bool value_ = false;
  static constexpr internal::WaitKind kWait = internal::plain_wait("Event.wait");
  const internal::WaitKind* wait_kind_ = &kWait;
  internal::WaiterList waiters_;
};

}  // namespace detio

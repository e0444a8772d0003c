// detio::Event (asyncio.Event): a flag tasks can wait for. set() wakes every
// waiting task and lets later wait() calls return at once until clear().
// Waiters woken by set() return even if the flag is cleared (or the Event
// destroyed) before they run; a cancelled wait() leaves the Event untouched.
#pragma once

#include <coroutine>

#include "detio/internal/future_awaiter.h"
#include "detio/internal/future_base.h"
#include "detio/task.h"

namespace detio {

class Event {
 public:
  class Wait;

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
  // returns true, as asyncio's Event.wait() does. See Event::Wait.
  Wait wait() noexcept;

 private:
  bool value_ = false;
  static constexpr internal::WaitKind kWait = internal::plain_wait("Event.wait");
  const internal::WaitKind* wait_kind_ = &kWait;
  internal::WaiterList waiters_;
};

// What Event::wait() returns: an awaitable with its waiter inline (no
// coroutine frame). Nothing happens until it is awaited; awaiting a set
// Event does not suspend. It converts to a Task<bool> where one is needed
// (create_task, wait_for, gather, timeout); that Task must not outlive the
// Event. Destroying a frame suspended in it unlists its waiter.
class [[nodiscard]] Event::Wait {
 public:
  using value_type = bool;

  explicit Wait(Event& event) noexcept : event_(event), waiter_(event.wait_kind_), awaiter_(waiter_) {}
  // Only an awaitable that is not being awaited may be moved.
  Wait(Wait&& other) noexcept : Wait(other.event_) {}
  Wait& operator=(Wait&&) = delete;
  // The waiter unlinks itself (a no-op if the Event died and detached it).
  ~Wait() = default;

  bool await_ready() {
    if (event_.value_) return true;
    awaiter_.await_ready();  // pending: checks we run inside a task
    event_.waiters_.push_back(&waiter_);
    return false;
  }
  void await_suspend(std::coroutine_handle<> caller) { awaiter_.await_suspend(caller); }
  bool await_resume() {
    waiter_.unlink();
    awaiter_.await_resume();
    return true;
  }

  Task<bool> as_task() &&;
  operator Task<bool>() && { return std::move(*this).as_task(); }

 private:
  Event& event_;
  internal::Waiter waiter_;
  internal::FutureAwaiter awaiter_;
};

inline Event::Wait Event::wait() noexcept { return Wait(*this); }

}  // namespace detio

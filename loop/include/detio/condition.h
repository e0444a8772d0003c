// detio::Condition (asyncio.Condition as in CPython 3.13, gh-112202): a
// condition variable over a Lock, its own or one passed in (which must
// outlive it). wait() needs the lock held: it releases it, waits for
// notify(), and always re-acquires it before returning or throwing, even
// when cancelled (a cancel that arrives meanwhile is re-thrown once the lock
// is held again). A waiter that leaves with an exception passes a
// notification on to another waiter, so a notify() is never lost (wake-ups
// may therefore be spurious: re-check the state, or use wait_for).
// notify(n) wakes up to n waiters in FIFO order; wait() and notify() throw
// RuntimeError without the lock held.
#pragma once

#include <type_traits>
#include <utility>

#include "detio/internal/future_base.h"
#include "detio/lock.h"
#include "detio/task.h"

namespace detio {

class Condition {
 public:
  using Guard = Lock::Guard;

  // Uses a Lock of its own.
  Condition() noexcept : lock_(&own_lock_) {}
  // Uses `lock`, which must outlive the Condition.
  explicit Condition(Lock& lock) noexcept : lock_(&lock) {}
  Condition(const Condition&) = delete;
  Condition& operator=(const Condition&) = delete;

  // The underlying lock's acquire / release / locked / scoped.
  Task<bool> acquire() { return lock_->acquire(); }
  void release() { lock_->release(); }
  bool locked() const noexcept { return lock_->locked(); }
  Task<Guard> scoped() { return lock_->scoped(); }
  Lock& lock() const noexcept { return *lock_; }

  // Releases the lock, waits until notified, re-acquires the lock; returns
  // true, as asyncio does.
  Task<bool> wait();
  // Waits until pred() is true (checked first, then after every wake-up,
  // always with the lock held) and returns its last value, as asyncio does
  // (a bool, a count, a pointer, an optional, ...). `pred` is kept in the
  // coroutine frame.
  template <class Pred>
  Task<std::decay_t<std::invoke_result_t<Pred&>>> wait_for(Pred pred) {
    auto result = pred();
    while (!result) {
      co_await wait();
      result = pred();
    }
    co_return result;
  }
  // Wakes up to n waiting tasks (FIFO). RuntimeError without the lock held.
  void notify(int n = 1);
  void notify_all();

 private:
  void wake(std::size_t n) noexcept;

  Lock own_lock_;
  Lock* lock_;
  internal::WaiterList waiters_;
};

}  // namespace detio

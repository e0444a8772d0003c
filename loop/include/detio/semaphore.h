// detio::Semaphore and detio::BoundedSemaphore (asyncio's, with CPython
// 3.13's algorithm: 3.12's FIFO fairness plus the gh-90155 wake-up fix): a
// counter of permits. acquire() takes one or waits in FIFO order; a
// newcomer never overtakes a waiter that is not cancelled, even when
// permits are free. release() gives one back (any task may call it). A
// cancelled acquire() never keeps a permit: if it had already been handed
// one, the permit goes to the next waiter. BoundedSemaphore::release()
// throws ValueError beyond the initial value. A semaphore must outlive the
// tasks waiting on it; a Guard that outlives its semaphore owns nothing.
#pragma once

#include "detio/internal/future_base.h"
#include "detio/lock.h"
#include "detio/task.h"

namespace detio {

class Semaphore {
 public:
  using Guard = detio::Guard<Semaphore>;

  // ValueError if `value` is negative.
  explicit Semaphore(int value = 1);
  Semaphore(const Semaphore&) = delete;
  Semaphore& operator=(const Semaphore&) = delete;

  // True if acquire() would wait: no permit, or live waiters ahead.
  bool locked() const noexcept;
  // Permits currently free (may be > 0 while woken waiters are on their way).
  int value() const noexcept { return value_; }
  // Takes a permit, waiting (FIFO) for one; returns true, as asyncio does.
  Task<bool> acquire();
  void release();
  // acquire(), then a Guard that releases on destruction.
  Task<Guard> scoped();

 protected:
  Semaphore(int value, bool bounded);

 private:
  bool wake_up_next() noexcept;

  template <class>
  friend class detio::Guard;

  int value_;
  int bound_;
  bool bounded_;
  internal::WaiterList waiters_;
  internal::GuardList guards_;
};

class BoundedSemaphore : public Semaphore {
 public:
  // ValueError if `value` is negative.
  explicit BoundedSemaphore(int value = 1) : Semaphore(value, true) {}
};

}  // namespace detio

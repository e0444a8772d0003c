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

#include <coroutine>

#include "detio/internal/future_awaiter.h"
#include "detio/internal/future_base.h"
#include "detio/lock.h"
#include "detio/task.h"

namespace detio {

class Semaphore {
 public:
  using Guard = detio::Guard<Semaphore>;
  class Acquire;

  // ValueError if `value` is negative.
  explicit Semaphore(int value = 1);
  Semaphore(const Semaphore&) = delete;
  Semaphore& operator=(const Semaphore&) = delete;

  // True if acquire() would wait: no permit, or live waiters ahead.
  bool locked() const noexcept;
  // Permits currently free (may be > 0 while woken waiters are on their way).
  int value() const noexcept { return value_; }
  // Takes a permit, waiting (FIFO) for one; returns true, as asyncio does.
  // See Semaphore::Acquire.
  Acquire acquire() noexcept;
  void release();
  // acquire(), then a Guard that releases on destruction.
  internal::ScopedAcquire<Semaphore> scoped() noexcept;

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

// What Semaphore::acquire() returns: an awaitable with its waiter inline
// (no coroutine frame). Nothing happens until it is awaited; a free permit
// with no live waiter ahead is taken without suspending. It converts to a
// Task<bool> where one is needed (create_task, wait_for, gather, timeout),
// which must not outlive the semaphore. Destroying a frame suspended in it
// unlists its waiter.
class [[nodiscard]] Semaphore::Acquire {
 public:
  using value_type = bool;

  explicit Acquire(Semaphore& semaphore) noexcept : semaphore_(semaphore), awaiter_(waiter_) {}
  // Only an awaitable that is not being awaited may be moved.
  Acquire(Acquire&& other) noexcept : Acquire(other.semaphore_) {}
  Acquire& operator=(Acquire&&) = delete;
  // The waiter unlinks itself (a no-op if the semaphore died and detached it).
  ~Acquire() = default;

  bool await_ready() {
    if (!semaphore_.locked()) {
      --semaphore_.value_;
      return true;
    }
    awaiter_.await_ready();  // pending: checks we run inside a task
    semaphore_.waiters_.push_back(&waiter_);
    return false;
  }
  void await_suspend(std::coroutine_handle<> caller) { awaiter_.await_suspend(caller); }
  bool await_resume();

  Task<bool> as_task() &&;
  operator Task<bool>() && { return std::move(*this).as_task(); }

 private:
  static constexpr internal::WaitKind kWaitKind = internal::plain_wait("Semaphore.acquire");

  Semaphore& semaphore_;
  internal::Waiter waiter_{&kWaitKind};
  internal::FutureAwaiter awaiter_;
};

inline Semaphore::Acquire Semaphore::acquire() noexcept { return Acquire(*this); }
inline internal::ScopedAcquire<Semaphore> Semaphore::scoped() noexcept {
  return internal::ScopedAcquire<Semaphore>(*this);
}

class BoundedSemaphore : public Semaphore {
 public:
  // ValueError if `value` is negative.
  explicit BoundedSemaphore(int value = 1) : Semaphore(value, true) {}
};

}  // namespace detio

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

#include <coroutine>
#include <exception>
#include <type_traits>
#include <utility>

#include "detio/internal/future_awaiter.h"
#include "detio/internal/future_base.h"
#include "detio/lock.h"
#include "detio/task.h"

namespace detio {

class Condition {
 public:
  using Guard = Lock::Guard;
  class Wait;

  // Uses a Lock of its own.
  Condition() noexcept : lock_(&own_lock_) {}
  // Uses `lock`, which must outlive the Condition.
  explicit Condition(Lock& lock) noexcept : lock_(&lock) {}
  Condition(const Condition&) = delete;
  Condition& operator=(const Condition&) = delete;

  // The underlying lock's acquire / release / locked / scoped.
  Lock::Acquire acquire() noexcept { return lock_->acquire(); }
  void release() { lock_->release(); }
  bool locked() const noexcept { return lock_->locked(); }
  internal::ScopedAcquire<Lock> scoped() noexcept { return lock_->scoped(); }
  Lock& lock() const noexcept { return *lock_; }

  // Releases the lock, waits until notified, re-acquires the lock; returns
  // true, as asyncio does. See Condition::Wait.
  Wait wait() noexcept;
  // Waits until pred() is true (checked first, then after every wake-up,
  // always with the lock held) and returns its last value, as asyncio does
  // (a bool, a count, a pointer, an optional, ...). `pred` is kept in the
  // coroutine frame.
  template <class Pred>
  Task<std::decay_t<std::invoke_result_t<Pred&>>> wait_for(Pred pred);
  // Wakes up to n waiting tasks (FIFO). RuntimeError without the lock held.
  void notify(int n = 1);
  void notify_all();

 private:
  void wake(std::size_t n) noexcept;

  Lock own_lock_;
  Lock* lock_;
  internal::WaiterList waiters_;
};

// What Condition::wait() returns: an awaitable with its two waiters inline
// (no coroutine frame): one for the notification ("Condition.wait"), then
// one for re-acquiring the lock ("Lock.acquire"). Nothing happens until it
// is awaited. The notified task re-takes the lock, or queues for it, on its
// own step before it resumes (its WaitKinds' rewait), exactly where the
// coroutine version did. It converts to a Task<bool> where one is needed,
// which must not outlive the Condition. Destroying a frame suspended in it
// unlists its waiter.
class [[nodiscard]] Condition::Wait {
 public:
  using value_type = bool;

  explicit Wait(Condition& condition) noexcept
      : condition_(condition),
        notified_(&kNotifiedKind, this),
        notified_awaiter_(notified_),
        relocked_(&kRelockKind, this),
        relocked_awaiter_(relocked_) {}
  // Only an awaitable that is not being awaited may be moved.
  Wait(Wait&& other) noexcept : Wait(other.condition_) {}
  Wait& operator=(Wait&&) = delete;
  // The waiters unlink themselves (a no-op if their primitive died first).
  ~Wait() = default;

  bool await_ready();
  void await_suspend(std::coroutine_handle<> caller) { notified_awaiter_.await_suspend(caller); }
  bool await_resume();

  Task<bool> as_task() &&;
  operator Task<bool>() && { return std::move(*this).as_task(); }

 private:
  using Waiter = internal::OwnedWaiter<Wait>;
  static bool after_notified(internal::WaitTarget* target, internal::TaskStateBase& task,
                             std::coroutine_handle<> resume_at);
  static bool after_relock_wait(internal::WaitTarget* target, internal::TaskStateBase& task,
                                std::coroutine_handle<> resume_at);
  bool relock(std::coroutine_handle<> resume_at);
  static constexpr internal::WaitKind kNotifiedKind{"Condition.wait", &internal::FutureBase::cancel_plain,
                                                    &Wait::after_notified};
  static constexpr internal::WaitKind kRelockKind{"Lock.acquire", &internal::FutureBase::cancel_plain,
                                                  &Wait::after_relock_wait};

  Condition& condition_;
  Waiter notified_;
  internal::FutureAwaiter notified_awaiter_;
  Waiter relocked_;
  internal::FutureAwaiter relocked_awaiter_;
  // What the wait ends with, once the lock is held again.
  std::exception_ptr error_;
};

inline Condition::Wait Condition::wait() noexcept { return Wait(*this); }

template <class Pred>
Task<std::decay_t<std::invoke_result_t<Pred&>>> Condition::wait_for(Pred pred) {
  auto result = pred();
  while (!result) {
    co_await wait();
    result = pred();
  }
  co_return result;
}

}  // namespace detio

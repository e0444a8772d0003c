// detio::Lock (asyncio.Lock, 3.12 fair algorithm) and detio::Guard, the
// RAII guard every `co_await x.scoped()` returns.
//
// Lock: acquire() takes the lock or waits for it in FIFO order; a newcomer
// never jumps ahead of a waiter that is not cancelled. Like asyncio's Lock it
// has no owner: any task may release() a locked lock; releasing an unlocked
// one throws RuntimeError. A cancelled acquire() never holds the lock, and if
// it had already been woken it passes the wake-up on to the next waiter.
// A Lock must outlive the tasks waiting on it (a waiter of a destroyed Lock
// can only be cancelled); a Guard that outlives its Lock owns nothing.
#pragma once

#include <coroutine>
#include <utility>

#include "detio/errors.h"
#include "detio/internal/future_awaiter.h"
#include "detio/internal/future_base.h"
#include "detio/task.h"

namespace detio {

class Condition;

// Owns one acquisition of `Primitive` (a Lock, Semaphore, Condition) and
// releases it when destroyed, as `async with` does. Movable, not copyable.
// release() gives it back early. A destructor cannot throw, so if the
// primitive was already released behind the guard's back the error is
// ignored there. If the primitive itself is destroyed first (say, frames
// torn down after a DeadlockError), the guard quietly owns nothing.
template <class Primitive>
class Guard {
 public:
  Guard() noexcept = default;
  // Adopts an acquisition the caller already made.
  explicit Guard(Primitive& acquired) noexcept : primitive_(&acquired) { acquired.guards_.push_back(&link_); }
  Guard(Guard&& other) noexcept { take(other); }
  Guard& operator=(Guard&& other) noexcept {
    if (this != &other) {
      reset();
      take(other);
    }
    return *this;
  }
  Guard(const Guard&) = delete;
  Guard& operator=(const Guard&) = delete;
  ~Guard() { reset(); }

  bool owns_lock() const noexcept { return link_.linked(); }
  explicit operator bool() const noexcept { return owns_lock(); }
  Primitive* get() const noexcept { return owns_lock() ? primitive_ : nullptr; }

  // Releases the primitive now; the guard then owns nothing. Throws
  // RuntimeError if it owns nothing, or whatever the primitive's release()
  // throws.
  void release() {
    if (!owns_lock()) throw RuntimeError("Guard::release(): the guard does not own a lock");
    link_.unlink();
    primitive_->release();
  }

 private:
  void take(Guard& other) noexcept {
    if (!other.owns_lock()) return;
    primitive_ = other.primitive_;
    primitive_->guards_.push_back(&link_);
    other.link_.unlink();
  }
  void reset() noexcept {
    if (!owns_lock()) return;
    link_.unlink();
    try {
      primitive_->release();
    } catch (const Error&) {
      // Already released elsewhere; nothing to give back.
    }
  }

  Primitive* primitive_ = nullptr;
  // Threads the guard through its primitive's guard list, which detaches
  // it when the primitive dies: linked() means "owns a live primitive".
  internal::ListHook link_;
};

namespace internal {
// The guards of one primitive (see Guard::link_).
using GuardList = IntrusiveList<ListHook>;

// What `primitive.scoped()` returns: the primitive's frameless Acquire
// awaitable, resuming with a Guard that owns the acquisition. Converts to
// a Task<Guard> (which must not outlive the primitive).
template <class Primitive>
class [[nodiscard]] ScopedAcquire {
 public:
  using value_type = detio::Guard<Primitive>;

  explicit ScopedAcquire(Primitive& primitive) noexcept : primitive_(primitive), acquire_(primitive) {}
  // Only an awaitable that is not being awaited may be moved.
  ScopedAcquire(ScopedAcquire&& other) noexcept : ScopedAcquire(other.primitive_) {}
  ScopedAcquire& operator=(ScopedAcquire&&) = delete;

  bool await_ready() { return acquire_.await_ready(); }
  void await_suspend(std::coroutine_handle<> caller) { acquire_.await_suspend(caller); }
  value_type await_resume() {
    acquire_.await_resume();
    return value_type(primitive_);
  }

  Task<value_type> as_task() && { return scoped_task(primitive_); }
  operator Task<value_type>() && { return std::move(*this).as_task(); }

 private:
  static Task<value_type> scoped_task(Primitive& primitive) {
    ScopedAcquire scoped(primitive);
    co_return co_await scoped;
  }

  Primitive& primitive_;
  typename Primitive::Acquire acquire_;
};
}  // namespace internal

class Lock {
 public:
  using Guard = detio::Guard<Lock>;
  class Acquire;

  Lock() = default;
  Lock(const Lock&) = delete;
  Lock& operator=(const Lock&) = delete;

  bool locked() const noexcept { return locked_; }
  // Waits (FIFO) until the lock is free, then takes it; returns true, as
  // asyncio's acquire() does (`co_await lock.acquire();` may ignore it).
  // See Lock::Acquire.
  Acquire acquire() noexcept;
  // Frees the lock and wakes the first waiter. RuntimeError if unlocked.
  void release();
  // acquire(), then a Guard that releases on destruction.
  internal::ScopedAcquire<Lock> scoped() noexcept;

 private:
  bool all_waiters_cancelled() const noexcept;
  void wake_up_first() noexcept;

  template <class>
  friend class detio::Guard;
  // Condition::Wait re-takes the lock the way Acquire does.
  friend class Condition;

  bool locked_ = false;
  internal::WaiterList waiters_;
  internal::GuardList guards_;
};

// What Lock::acquire() returns: an awaitable with its waiter inline (no
// coroutine frame). Nothing happens until it is awaited; a free lock with
// no live waiter ahead is taken without suspending. It converts to a
// Task<bool> where one is needed (create_task, wait_for, gather, timeout),
// which must not outlive the Lock. Destroying a frame suspended in it
// unlists its waiter.
class [[nodiscard]] Lock::Acquire {
 public:
  using value_type = bool;

  explicit Acquire(Lock& lock) noexcept : lock_(lock), awaiter_(waiter_) {}
  // Only an awaitable that is not being awaited may be moved.
  Acquire(Acquire&& other) noexcept : Acquire(other.lock_) {}
  Acquire& operator=(Acquire&&) = delete;
  // The waiter unlinks itself (a no-op if the Lock died and detached it).
  ~Acquire() = default;

  bool await_ready() {
    // Fair: take the lock at once only if no live waiter is ahead of us.
    if (!lock_.locked_ && lock_.all_waiters_cancelled()) {
      lock_.locked_ = true;
      return true;
    }
    awaiter_.await_ready();  // pending: checks we run inside a task
    lock_.waiters_.push_back(&waiter_);
    return false;
  }
  void await_suspend(std::coroutine_handle<> caller) { awaiter_.await_suspend(caller); }
  bool await_resume();

  Task<bool> as_task() &&;
  operator Task<bool>() && { return std::move(*this).as_task(); }

 private:
  static constexpr internal::WaitKind kWaitKind = internal::plain_wait("Lock.acquire");

  Lock& lock_;
  internal::Waiter waiter_{&kWaitKind};
  internal::FutureAwaiter awaiter_;
};

inline Lock::Acquire Lock::acquire() noexcept { return Acquire(*this); }
inline internal::ScopedAcquire<Lock> Lock::scoped() noexcept { return internal::ScopedAcquire<Lock>(*this); }

}  // namespace detio

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

#include <utility>

#include "detio/errors.h"
#include "detio/internal/future_base.h"
#include "detio/task.h"

namespace detio {

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
}  // namespace internal

class Lock {
 public:
  using Guard = detio::Guard<Lock>;

  Lock() = default;
  Lock(const Lock&) = delete;
  Lock& operator=(const Lock&) = delete;

  bool locked() const noexcept { return locked_; }
  // Waits (FIFO) until the lock is free, then takes it; returns true, as
  // asyncio's acquire() does (`co_await lock.acquire();` may ignore it).
  Task<bool> acquire();
  // Frees the lock and wakes the first waiter. RuntimeError if unlocked.
  void release();
  // acquire(), then a Guard that releases on destruction.
  Task<Guard> scoped();

 private:
  bool all_waiters_cancelled() const noexcept;
  void wake_up_first() noexcept;

  template <class>
  friend class detio::Guard;

  bool locked_ = false;
  internal::WaiterList waiters_;
  internal::GuardList guards_;
};

}  // namespace detio

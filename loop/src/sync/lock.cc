#include "detio/lock.h"

#include "detio/internal/future_awaiter.h"

namespace detio {

Task<bool> Lock::acquire() {
  // Fair: take the lock at once only if no live waiter is ahead of us.
  if (!locked_ && all_waiters_cancelled()) {
    locked_ = true;
    co_return true;
  }
  static constexpr internal::WaitKind kWaitKind = internal::plain_wait("Lock.acquire");
  internal::Waiter waiter(&kWaitKind);
  waiters_.push_back(&waiter);
  try {
    co_await internal::FutureAwaiter(waiter);
  } catch (const CancelledError&) {
    if (waiter.orphaned) throw;
    // Leave the queue first so we do not wake ourselves, then make sure the
    // head of the queue runs if the lock is free (we may have been woken).
    waiter.unlink();
    if (!locked_) wake_up_first();
    throw;
  } catch (...) {
    if (!waiter.orphaned) waiter.unlink();
    throw;
  }
  if (waiter.orphaned) throw RuntimeError("Lock destroyed while a task was acquiring it");
  waiter.unlink();
  locked_ = true;
  co_return true;
}

void Lock::release() {
  if (!locked_) throw RuntimeError("Lock is not acquired.");
  locked_ = false;
  wake_up_first();
}

Task<Lock::Guard> Lock::scoped() {
  co_await acquire();
  co_return Guard(*this);
}

bool Lock::all_waiters_cancelled() const noexcept {
  return !waiters_.find_if([](internal::Waiter* w) { return !w->cancelled(); });
}

void Lock::wake_up_first() noexcept {
  // A done head will run soon and either take the lock or, if cancelled,
  // come back here to wake the next one.
  if (internal::Waiter* first = waiters_.front()) first->set_result();
}

}  // namespace detio

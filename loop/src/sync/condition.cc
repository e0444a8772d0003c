#include "detio/condition.h"

#include "detio/internal/future_awaiter.h"

namespace detio {

Task<bool> Condition::wait() {
  if (!locked()) throw RuntimeError("cannot wait on un-acquired lock");
  static constexpr internal::WaitKind kWaitKind = internal::plain_wait("Condition.wait");
  internal::Waiter waiter(&kWaitKind);
  release();
  waiters_.push_back(&waiter);
  std::exception_ptr error;
  try {
    co_await internal::FutureAwaiter(waiter);
  } catch (...) {
    error = std::current_exception();
  }
  if (waiter.orphaned) {
    if (error) std::rethrow_exception(error);
    throw RuntimeError("Condition destroyed while a task was waiting on it");
  }
  waiter.unlink();
  // Must re-acquire the lock even if cancelled; a cancel during the
  // re-acquire is remembered and the latest one re-thrown afterwards.
  while (true) {
    try {
      co_await lock_->acquire();
      break;
    } catch (const CancelledError&) {
      error = std::current_exception();
    } catch (...) {
      error = std::current_exception();
      break;
    }
  }
  if (error) {
    // We may have been notified before the error: hand it to someone else.
    wake(1);
    std::rethrow_exception(error);
  }
  co_return true;
}

void Condition::notify(int n) {
  if (!locked()) throw RuntimeError("cannot notify on un-acquired lock");
  if (n > 0) wake(static_cast<std::size_t>(n));
}

void Condition::notify_all() {
  if (!locked()) throw RuntimeError("cannot notify on un-acquired lock");
  wake(waiters_.size());
}

void Condition::wake(std::size_t n) noexcept {
  std::size_t woken = 0;
  waiters_.find_if([&](internal::Waiter* w) {
    if (woken >= n) return true;  // stop
    if (!w->done()) {
      ++woken;
      w->set_result();
    }
    return false;
  });
}

}  // namespace detio

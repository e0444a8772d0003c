#include "detio/event.h"

#include "detio/internal/future_awaiter.h"

namespace detio {

void Event::set() noexcept {
  if (value_) return;
  value_ = true;
  // Waiters leave the list themselves when they run.
  waiters_.for_each([](internal::Waiter* w) { w->set_result(); });
}

Task<bool> Event::wait() {
  if (value_) co_return true;
  internal::Waiter waiter(wait_kind_);
  waiters_.push_back(&waiter);
  // unlink() is safe even if the Event is gone: its list detached us.
  try {
    co_await internal::FutureAwaiter(waiter);
  } catch (...) {
    waiter.unlink();
    throw;
  }
  waiter.unlink();
  co_return true;
}

}  // namespace detio

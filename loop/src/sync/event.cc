#include "detio/event.h"

namespace detio {

void Event::set() noexcept {
  if (value_) return;
  value_ = true;
  // Waiters leave the list themselves when they run.
  waiters_.for_each([](internal::Waiter* w) { w->set_result(); });
}

namespace {
Task<bool> await_event(Event& event) {
  Event::Wait wait(event);
  co_return co_await wait;
}
}  // namespace

Task<bool> Event::Wait::as_task() && { return await_event(event_); }

}  // namespace detio

#include "detio/sleep.h"

#include "detio/internal/future_awaiter.h"

namespace detio {
namespace {

// The future a sleeping task waits on, and the timer that settles it.
struct SleepWaiter : internal::Waiter {
  SleepWaiter() : internal::Waiter("sleep") {}
  void wake() noexcept { set_result(); }
  internal::MemberTimer<SleepWaiter, &SleepWaiter::wake> timer{this};
};

}  // namespace

Task<void> sleep_until(TimePoint when) {
  internal::LoopCore& loop = internal::running_loop();
  if (when <= loop.now()) {
    co_await internal::YieldAwaiter{};
    co_return;
  }
  SleepWaiter waiter;
  loop.call_at_user(&waiter.timer, when);
  co_await internal::FutureAwaiter(waiter);
}

// Not a plain call to sleep_until: the deadline is taken when the sleep
// starts running, not when the Task object is made.
Task<void> sleep(Duration d) {
  co_await sleep_until(internal::deadline_after(internal::running_loop().now(), d));
}

}  // namespace detio

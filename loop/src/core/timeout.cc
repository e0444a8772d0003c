#include "detio/timeout.h"

namespace detio::internal {

TimeoutScope::TimeoutScope(std::optional<TimePoint> when)
    : task_(running_task("detio::timeout")),
      enclosing_(task_.innermost_timeout()),
      cancelling_on_entry_(task_.cancelling()),
      when_(when) {
  task_.set_innermost_timeout(this);
  arm();
}

void TimeoutScope::arm() {
  if (!when_) return;
  LoopCore& loop = running_loop();
  if (*when_ <= loop.now()) {
    loop.call_soon(&timer_);
  } else {
    loop.call_at_user(&timer_, *when_);
  }
}

void TimeoutScope::reschedule(std::optional<TimePoint> when) {
  if (state_ != State::kEntered) {
    const char* name = state_ == State::kExpiring ? "expiring" : state_ == State::kExpired ? "expired" : "exited";
    throw RuntimeError(std::string("Cannot change state of ") + name + " Timeout");
  }
  timer_.cancel();
  when_ = when;
  arm();
}

void TimeoutScope::on_timeout() {
  task_.cancel_task("");
  state_ = State::kExpiring;
}

bool TimeoutScope::expire_now() {
  // A scope without a deadline cannot expire in production: never early.
  if (!can_expire()) return false;
  timer_.cancel();
  on_timeout();
  return true;
}

bool TimeoutScope::exit(bool body_raised_cancelled) {
  timer_.cancel();
  if (state_ == State::kExpiring) {
    state_ = State::kExpired;
    return task_.uncancel() <= cancelling_on_entry_ && body_raised_cancelled;
  }
  if (state_ == State::kEntered) state_ = State::kExited;
  return false;
}

Task<void> cancel_and_wait(FutureBase& fut) {
  // The done callback lives in this frame, so it unregisters itself (from
  // the task's callbacks or the ready queue) if we are cancelled first.
  static constexpr WaitKind kWaitKind = plain_wait("cancel_and_wait");
  Waiter released(&kWaitKind);
  MemberCallback<Waiter, &Waiter::set_result> on_done(&released);
  fut.add_callback(&on_done);
  fut.cancel("");
  co_await FutureAwaiter(released);
}

}  // namespace detio::internal

#include "detio/internal/scheduled_callback.h"

#include "detio/call_later.h"
#include "detio/errors.h"
#include "detio/internal/report_callback_error.h"
#include "detio/internal/task_state.h"

namespace detio::internal {

ScheduledCallback::ScheduledCallback(std::optional<TimePoint> when, absl::AnyInvocable<void()> fn,
                                     OwnerId owner)
    : TimerNode(&ScheduledCallback::fire),
      LoopOwned(&ScheduledCallback::release_by_loop, owner),
      fn_(std::move(fn)),
      deadline_(when) {}

ScheduledCallback* ScheduledCallback::schedule(LoopCore& loop, std::optional<TimePoint> when,
                                               absl::AnyInvocable<void()> fn) {
  // It belongs to the owner of whoever scheduled it: it runs on its
  // behalf and dies with it (a killed simulated node).
  auto* callback = new ScheduledCallback(when, std::move(fn), loop.current_owner());
  loop.adopt(callback);
  // As asyncio, a deadline (even a past one) is a timer: it joins the
  // ready queue at the start of the next iteration, in deadline order.
  if (when) {
    loop.call_at_user(callback, *when);
  } else {
    loop.call_soon(callback);
  }
  return callback;
}

void ScheduledCallback::fire(ReadyNode* node, Action action) {
  auto* self = static_cast<ScheduledCallback*>(static_cast<TimerNode*>(node));
  if (action == Action::kDiscard) {
    self->drop();
    return;
  }
  absl::AnyInvocable<void()> fn = std::move(self->fn_);
  const OwnerId owner = self->owner;
  self->drop();
  OwnerScope scope(running_loop(), owner);
  run_reporting_errors(fn, "a call_soon/call_later callback");
}

bool ScheduledCallback::cancel() noexcept {
  cancelled_ = true;  // as asyncio's Handle.cancel(), even once it ran
  if (!pending_) return false;
  TimerNode::cancel();
  drop();
  return true;
}

void ScheduledCallback::release_by_loop(LoopOwned* owned) noexcept {
  auto* self = static_cast<ScheduledCallback*>(owned);
  self->TimerNode::cancel();
  self->drop();
}

void ScheduledCallback::drop() noexcept {
  if (!pending_) return;
  pending_ = false;
  LoopOwned::unlink();
  fn_ = nullptr;
  unref();
}

}  // namespace detio::internal

namespace detio::internal {

CallbackHandle schedule_callback(std::optional<TimePoint> when, absl::AnyInvocable<void()> fn) {
  return CallbackHandle(ScheduledCallback::schedule(running_loop(), when, std::move(fn)));
}

CallbackHandle schedule_callback_after(Duration delay, absl::AnyInvocable<void()> fn) {
  LoopCore& loop = running_loop();
  return CallbackHandle(ScheduledCallback::schedule(loop, deadline_after(loop.now(), delay), std::move(fn)));
}

}  // namespace detio::internal

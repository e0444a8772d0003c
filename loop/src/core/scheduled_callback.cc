#include "detio/internal/scheduled_callback.h"

#include "detio/call_later.h"
#include "detio/errors.h"
#include "detio/internal/report_callback_error.h"
#include "detio/internal/task_state.h"

namespace detio::internal {

ScheduledCallback* ScheduledCallback::enqueue(LoopCore& loop, ScheduledCallback* callback) {
  // It belongs to the owner of whoever scheduled it: it runs on its
  // behalf and dies with it (a killed simulated node).
  loop.adopt(callback);
  // As asyncio, a deadline (even a past one) is a timer: it joins the
  // ready queue at the start of the next iteration, in deadline order.
  if (callback->deadline_) {
    loop.call_at_user(callback, *callback->deadline_);
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
  // Not pending any more (a cancel() from the callback itself is too
  // late), but alive until it returns: the loop's reference is dropped
  // after it ran, and the function with it.
  self->pending_ = false;
  self->LoopOwned::unlink();
  {
    OwnerScope scope(running_loop(), self->owner);
    run_reporting_errors(self->fn_, "a call_soon/call_later callback");
  }
  self->fn_ = nullptr;
  self->unref();
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

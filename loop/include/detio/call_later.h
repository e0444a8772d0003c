// detio::call_soon / call_later / call_at (asyncio's loop.call_soon,
// call_later and call_at): run a plain callback on the running loop, not
// in a task. call_soon runs it on the next loop iteration (FIFO with every
// other ready callback); call_later/call_at when the deadline comes (under
// the simulator a timer like sleep's, so timer exploration applies). The
// returned CallbackHandle (asyncio.Handle / TimerHandle) can cancel it.
// An exception from the callback is reported on stderr and the loop goes
// on, as asyncio's default exception handler does. Callbacks still pending
// when the loop ends are dropped without running.
#pragma once

#include <optional>
#include <utility>

#include "detio/internal/refcounted.h"
#include "detio/internal/scheduled_callback.h"
#include "detio/time.h"

namespace detio {

class CallbackHandle {
 public:
  CallbackHandle() noexcept = default;
  explicit CallbackHandle(internal::ScheduledCallback* callback) noexcept : callback_(callback) {}

  // Keeps the callback from running; false if it already ran, was
  // cancelled, or its loop ended. cancelled() is true afterwards either
  // way, as with asyncio's Handle.
  bool cancel() noexcept { return callback_ && callback_->cancel(); }
  bool cancelled() const noexcept { return callback_ && callback_->cancelled(); }
  // call_later/call_at: the deadline; call_soon: nullopt.
  std::optional<TimePoint> when() const noexcept { return callback_ ? callback_->deadline() : std::nullopt; }

 private:
  internal::Ref<internal::ScheduledCallback> callback_;
};

template <class F>
CallbackHandle call_soon(F f) {
  return CallbackHandle(internal::ScheduledCallback::schedule(internal::running_loop(), std::nullopt, std::move(f)));
}

template <class F>
CallbackHandle call_at(TimePoint when, F f) {
  return CallbackHandle(internal::ScheduledCallback::schedule(internal::running_loop(), when, std::move(f)));
}

template <class F>
CallbackHandle call_later(Duration delay, F f) {
  internal::LoopCore& loop = internal::running_loop();
  return CallbackHandle(
      internal::ScheduledCallback::schedule(loop, internal::deadline_after(loop.now(), delay), std::move(f)));
}

}  // namespace detio

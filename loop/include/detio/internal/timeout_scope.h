// The state machine of asyncio.Timeout (3.11), kept in the frame of the
// coroutine that runs the guarded body.
#pragma once

#include <optional>

#include "detio/internal/task_state.h"
#include "detio/task_handle.h"

namespace detio::internal {

class TimeoutScope {
 public:
  // Enters the scope in the running task; the deadline may be in the past,
  // or nullopt (none until reschedule()).
  explicit TimeoutScope(std::optional<TimePoint> when);
  TimeoutScope(const TimeoutScope&) = delete;
  ~TimeoutScope() { task_.set_innermost_timeout(enclosing_); }

  // Leaves the scope; true if the body's CancelledError must become
  // TimeoutError (our timer cancelled the task and no other request is
  // pending).
  bool exit(bool body_raised_cancelled);
  bool expired() const noexcept { return state_ == State::kExpiring || state_ == State::kExpired; }
  std::optional<TimePoint> when() const noexcept { return when_; }
  // asyncio.Timeout.reschedule: a new deadline (nullopt: none); one in the
  // past expires the scope on the next loop iteration. RuntimeError once
  // the scope expired or was left.
  void reschedule(std::optional<TimePoint> when);
  // Expires the scope now, as if its deadline had come (simulator fault
  // injection); false if it already expired, was left or has no deadline.
  bool expire_now();
  // Whether expire_now() would expire it.
  bool can_expire() const noexcept { return state_ == State::kEntered && when_.has_value(); }

 private:
  enum class State { kEntered, kExpiring, kExpired, kExited };
  void on_timeout();
  void arm();

  TaskStateBase& task_;
  TimeoutScope* enclosing_;
  int cancelling_on_entry_;
  std::optional<TimePoint> when_;
  State state_ = State::kEntered;
  MemberTimer<TimeoutScope, &TimeoutScope::on_timeout> timer_{this};
};

template <class T>
Task<T> await_handle(TaskHandle<T> handle) {
  co_return co_await handle;
}

}  // namespace detio::internal

#include "detio/barrier.h"

#include <exception>
#include <string>

namespace detio {

Barrier::Barrier(int parties) : parties_(parties) {
  if (parties < 1) throw ValueError("Barrier parties must be > 0, got " + std::to_string(parties));
}

Task<int> Barrier::wait() {
  Condition::Guard guard = co_await cond_.scoped();
  co_await block();  // while the barrier drains or resets
  const int index = count_++;
  std::exception_ptr error;
  try {
    if (index + 1 == parties_) {
      release_waiters();
    } else {
      co_await wait_released();
    }
  } catch (...) {
    error = std::current_exception();
  }
  --count_;
  exit();
  if (error) std::rethrow_exception(error);
  co_return index;
}

Task<void> Barrier::block() {
  co_await cond_.wait_for([this] { return state_ != State::kDraining && state_ != State::kResetting; });
  if (state_ == State::kBroken) throw BrokenBarrierError("Barrier aborted");
}

void Barrier::release_waiters() {
  // Later arrivals wait in block() until everyone has left.
  state_ = State::kDraining;
  cond_.notify_all();
}

Task<void> Barrier::wait_released() {
  co_await cond_.wait_for([this] { return state_ != State::kFilling; });
  if (state_ == State::kBroken || state_ == State::kResetting) {
    throw BrokenBarrierError("Abort or reset of barrier");
  }
}

void Barrier::exit() {
  // The last task out lets the tasks blocked in block() in.
  if (count_ == 0) {
    if (state_ == State::kResetting || state_ == State::kDraining) state_ = State::kFilling;
    cond_.notify_all();
  }
}

Task<void> Barrier::reset() {
  Condition::Guard guard = co_await cond_.scoped();
  if (count_ > 0) {
    state_ = State::kResetting;
  } else {
    state_ = State::kFilling;
  }
  cond_.notify_all();
}

Task<void> Barrier::abort() {
  Condition::Guard guard = co_await cond_.scoped();
  state_ = State::kBroken;
  cond_.notify_all();
}

}  // namespace detio

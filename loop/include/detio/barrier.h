// detio::Barrier (asyncio.Barrier): `parties` tasks meet at wait(); when the
// last one arrives all are released together, each getting its arrival
// index 0..parties-1, and the barrier can be used again. reset() sends
// BrokenBarrierError to the tasks waiting now and refills the barrier;
// abort() breaks it for good: current and future wait() calls throw
// BrokenBarrierError. A cancelled wait() leaves the barrier consistent.
#pragma once

#include <cstdint>

#include "detio/condition.h"
#include "detio/task.h"

namespace detio {

class Barrier {
 public:
  // ValueError if parties < 1.
  explicit Barrier(int parties);
  Barrier(const Barrier&) = delete;
  Barrier& operator=(const Barrier&) = delete;

  // Waits for the barrier to trip; returns this task's arrival index.
  Task<int> wait();
  // Back to the empty state; current waiters get BrokenBarrierError.
  Task<void> reset();
  // Breaks the barrier: every current and future wait() throws.
  Task<void> abort();

  int parties() const noexcept { return parties_; }
  // Tasks waiting for the barrier to fill (0 while draining or broken).
  int n_waiting() const noexcept { return state_ == State::kFilling ? count_ : 0; }
  bool broken() const noexcept { return state_ == State::kBroken; }

 private:
  enum class State : std::uint8_t { kFilling, kDraining, kResetting, kBroken };

  Task<void> block();
  void release_waiters();
  Task<void> wait_released();
  void exit();

  Condition cond_;
  int parties_;
  State state_ = State::kFilling;
  int count_ = 0;
};

}  // namespace detio

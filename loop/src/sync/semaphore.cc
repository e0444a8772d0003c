#include "detio/semaphore.h"

#include <limits>
#include <string>

#include "detio/internal/future_awaiter.h"

namespace detio {

Semaphore::Semaphore(int value) : Semaphore(value, false) {}

Semaphore::Semaphore(int value, bool bounded) : value_(value), bound_(value), bounded_(bounded) {
  if (value < 0) {
    throw ValueError(std::string(bounded ? "BoundedSemaphore" : "Semaphore") +
                     " initial value must be >= 0, got " + std::to_string(value));
  }
}

bool Semaphore::locked() const noexcept {
  if (value_ == 0) return true;
  return waiters_.find_if([](internal::Waiter* w) { return !w->cancelled(); }) != nullptr;
}

Task<bool> Semaphore::acquire() {
  if (!locked()) {
    --value_;
    co_return true;
  }
  static constexpr internal::WaitKind kWaitKind = internal::plain_wait("Semaphore.acquire");
  internal::Waiter waiter(&kWaitKind);
  waiters_.push_back(&waiter);
  std::exception_ptr error;
  bool cancelled = false;
  try {
    co_await internal::FutureAwaiter(waiter);
  } catch (const CancelledError&) {
    error = std::current_exception();
    cancelled = true;
  } catch (...) {
    error = std::current_exception();
  }
  if (waiter.orphaned) {
    if (error) std::rethrow_exception(error);
    throw RuntimeError("Semaphore destroyed while a task was acquiring it");
  }
  waiter.unlink();
  // Handed a permit (set_result) but cancelled before running: give it back.
  if (cancelled && waiter.done() && !waiter.cancelled()) ++value_;
  // Waiters that queued behind us because of FIFO may now proceed.
  while (value_ > 0) {
    if (!wake_up_next()) break;
  }
  if (error) std::rethrow_exception(error);
  co_return true;
}

void Semaphore::release() {
  if (bounded_ && value_ >= bound_) throw ValueError("BoundedSemaphore released too many times");
  if (value_ == std::numeric_limits<int>::max()) {
    throw ValueError("Semaphore released too many times: its value would exceed " + std::to_string(value_));
  }
  ++value_;
  wake_up_next();
}

Task<Semaphore::Guard> Semaphore::scoped() {
  co_await acquire();
  co_return Guard(*this);
}

bool Semaphore::wake_up_next() noexcept {
  internal::Waiter* next = waiters_.find_if([](internal::Waiter* w) { return !w->done(); });
  if (!next) return false;
  // The permit is reserved for this waiter now.
  --value_;
  next->set_result();
  return true;
}

}  // namespace detio

#include "detio/semaphore.h"

#include <exception>
#include <limits>
#include <string>

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

bool Semaphore::Acquire::await_resume() {
  // A waiter that was awaited is settled when its task resumes; a pending
  // one was never listed: await_ready took a permit.
  if (!waiter_.done()) return true;
  std::exception_ptr error;
  bool cancelled = false;
  try {
    awaiter_.await_resume();
  } catch (const CancelledError&) {
    error = std::current_exception();
    cancelled = true;
  } catch (...) {
    error = std::current_exception();
  }
  if (waiter_.orphaned) {
    if (error) std::rethrow_exception(error);
    throw RuntimeError("Semaphore destroyed while a task was acquiring it");
  }
  waiter_.unlink();
  // Handed a permit (set_result) but cancelled before running: give it back.
  if (cancelled && waiter_.done() && !waiter_.cancelled()) ++semaphore_.value_;
  // Waiters that queued behind us because of FIFO may now proceed.
  while (semaphore_.value_ > 0) {
    if (!semaphore_.wake_up_next()) break;
  }
  if (error) std::rethrow_exception(error);
  return true;
}

namespace {
Task<bool> acquire_task(Semaphore& semaphore) {
  Semaphore::Acquire acquire(semaphore);
  co_return co_await acquire;
}
}  // namespace

Task<bool> Semaphore::Acquire::as_task() && { return acquire_task(semaphore_); }

void Semaphore::release() {
  if (bounded_ && value_ >= bound_) throw ValueError("BoundedSemaphore released too many times");
  if (value_ == std::numeric_limits<int>::max()) {
    throw ValueError("Semaphore released too many times: its value would exceed " + std::to_string(value_));
  }
  ++value_;
  wake_up_next();
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

#include "detio/condition.h"

namespace detio {

bool Condition::Wait::await_ready() {
  if (!condition_.locked()) throw RuntimeError("cannot wait on un-acquired lock");
  notified_awaiter_.await_ready();  // pending: checks we run inside a task
  condition_.release();
  condition_.waiters_.push_back(&notified_);
  return false;
}

// Runs on the notified (or cancelled) task's step, before it resumes.
bool Condition::Wait::after_notified(internal::WaitTarget* target, internal::TaskStateBase&,
                                     std::coroutine_handle<> resume_at) {
  Wait& self = Waiter::owner_of(target);
  try {
    self.notified_awaiter_.await_resume();
  } catch (...) {
    self.error_ = std::current_exception();
  }
  if (self.notified_.orphaned) return false;  // await_resume reports it
  self.notified_.unlink();
  // Must re-acquire the lock even if cancelled.
  return self.relock(resume_at);
}

// Takes the lock as Lock::Acquire does; true if the task waits for it.
bool Condition::Wait::relock(std::coroutine_handle<> resume_at) {
  Lock& lock = *condition_.lock_;
  if (!lock.locked_ && lock.all_waiters_cancelled()) {
    lock.locked_ = true;
    return false;
  }
  relocked_.rearm();
  relocked_awaiter_.await_ready();
  lock.waiters_.push_back(&relocked_);
  relocked_awaiter_.await_suspend(resume_at);
  return true;
}

// The lock waiter settled: Lock::Acquire's await_resume, where a cancel
// during the re-acquire is remembered (the latest one is re-thrown) and the
// lock asked for again.
bool Condition::Wait::after_relock_wait(internal::WaitTarget* target, internal::TaskStateBase&,
                                        std::coroutine_handle<> resume_at) {
  Wait& self = Waiter::owner_of(target);
  Waiter& waiter = self.relocked_;
  try {
    self.relocked_awaiter_.await_resume();
  } catch (const CancelledError&) {
    self.error_ = std::current_exception();
    if (waiter.orphaned) return false;
    // Leave the queue first so we do not wake ourselves, then make sure the
    // head of the queue runs if the lock is free (we may have been woken).
    waiter.unlink();
    Lock& lock = *self.condition_.lock_;
    if (!lock.locked_) lock.wake_up_first();
    return self.relock(resume_at);
  } catch (...) {
    self.error_ = std::current_exception();
    if (!waiter.orphaned) waiter.unlink();
    return false;
  }
  if (waiter.orphaned) {
    self.error_ = std::make_exception_ptr(RuntimeError("Lock destroyed while a task was acquiring it"));
    return false;
  }
  waiter.unlink();
  self.condition_.lock_->locked_ = true;
  return false;
}

bool Condition::Wait::await_resume() {
  if (notified_.orphaned) {
    if (error_) std::rethrow_exception(error_);
    throw RuntimeError("Condition destroyed while a task was waiting on it");
  }
  if (error_) {
    // We may have been notified before the error: hand it to someone else.
    condition_.wake(1);
    std::rethrow_exception(error_);
  }
  return true;
}

namespace {
Task<bool> wait_task(Condition& condition) {
  Condition::Wait wait(condition);
  co_return co_await wait;
}
}  // namespace

Task<bool> Condition::Wait::as_task() && { return wait_task(condition_); }

void Condition::notify(int n) {
  if (!locked()) throw RuntimeError("cannot notify on un-acquired lock");
  if (n > 0) wake(static_cast<std::size_t>(n));
}

void Condition::notify_all() {
  if (!locked()) throw RuntimeError("cannot notify on un-acquired lock");
  wake(waiters_.size());
}

void Condition::wake(std::size_t n) noexcept {
  std::size_t woken = 0;
  waiters_.find_if([&](internal::Waiter* w) {
    if (woken >= n) return true;  // stop
    if (!w->done()) {
      ++woken;
      w->set_result();
    }
    return false;
  });
}

}  // namespace detio

#include "detio/lock.h"

namespace detio {

bool Lock::Acquire::await_resume() {
  // A waiter that was awaited is settled when its task resumes; a pending
  // one was never listed: await_ready took the lock.
  if (!waiter_.done()) return true;
  try {
    awaiter_.await_resume();
  } catch (const CancelledError&) {
    if (waiter_.orphaned) throw;
    // Leave the queue first so we do not wake ourselves, then make sure the
    // head of the queue runs if the lock is free (we may have been woken).
    waiter_.unlink();
    if (!lock_.locked_) lock_.wake_up_first();
    throw;
  } catch (...) {
    if (!waiter_.orphaned) waiter_.unlink();
    throw;
  }
  if (waiter_.orphaned) throw RuntimeError("Lock destroyed while a task was acquiring it");
  waiter_.unlink();
  lock_.locked_ = true;
  return true;
}

namespace {
Task<bool> acquire_task(Lock& lock) {
  Lock::Acquire acquire(lock);
  co_return co_await acquire;
}
}  // namespace

Task<bool> Lock::Acquire::as_task() && { return acquire_task(lock_); }

void Lock::release() {
  if (!locked_) throw RuntimeError("Lock is not acquired.");
  locked_ = false;
  wake_up_first();
}

bool Lock::all_waiters_cancelled() const noexcept {
  return !waiters_.find_if([](internal::Waiter* w) { return !w->cancelled(); });
}

void Lock::wake_up_first() noexcept {
  // A done head will run soon and either take the lock or, if cancelled,
  // come back here to wake the next one.
  if (internal::Waiter* first = waiters_.front()) first->set_result();
}

}  // namespace detio

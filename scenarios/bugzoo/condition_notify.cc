// condition_notify: notify(1) wakes a waiter that is cancelled before it
// resumes; the notification is lost with it and nobody takes the job
// (CPython gh-112202, "Race between asyncio Condition.notify() and
// Task.cancel() may result in lost wakeups"; fixed in 3.13 by gh-112201).
//
// A dispatcher (main) hands 24 jobs, one at a time, through a slot guarded
// by a lock and two conditions: it fills the slot and notify(1)s
// `job_ready`, then waits on `slot_free`. Six workers wait on `job_ready`.
// An autoscaler retires the longest-idle worker (cancels it) at a few
// random moments (twice), as a scale-down does. If the worker it retires is the one
// just notified, the slot stays full, the other workers sleep on, and the
// dispatcher waits forever. The Condition follows CPython 3.12's
// Condition.wait (it re-acquires the lock even when cancelled).
//
// Fixed: a waiter that was notified but is cancelled passes the
// notification on to the next waiter (3.13).
//
// Invariant: every job is taken (a lost notification deadlocks the run).
#include <algorithm>
#include <deque>
#include <exception>
#include <optional>
#include <vector>

#include "zoo.h"

namespace {

using namespace std::chrono_literals;
using bugzoo::between;

class Condition {
 public:
  Condition(detio::Lock& lock, bool fixed) : lock_(lock), fixed_(fixed) {}

  // Called with the lock held; returns with it held, also when cancelled.
  detio::Task<void> wait() {
    lock_.release();
    detio::Future<> fut;
    waiters_.push_back(fut);
    std::exception_ptr cancelled;
    try {
      co_await fut;
    } catch (const detio::CancelledError&) {
      cancelled = std::current_exception();
    }
    auto it = std::find(waiters_.begin(), waiters_.end(), fut);
    if (it != waiters_.end()) waiters_.erase(it);
    bool cancelled_again = false;
    for (;;) {
      try {
        co_await lock_.acquire();
        break;
      } catch (const detio::CancelledError&) {
        cancelled_again = true;
      }
    }
    if (cancelled || cancelled_again) {
      // Notified, yet leaving: the notification must not die with us.
      if (fixed_ && fut.done() && !fut.cancelled()) notify(1);
      if (cancelled) std::rethrow_exception(cancelled);
      throw detio::CancelledError("");
    }
  }

  void notify(int n) {
    for (detio::Future<>& w : waiters_) {
      if (n == 0) break;
      if (!w.done()) {
        w.set_result();
        --n;
      }
    }
  }
  void notify_all() { notify(static_cast<int>(waiters_.size())); }

 private:
  detio::Lock& lock_;
  bool fixed_;
  std::deque<detio::Future<>> waiters_;
};

struct Dispatch {
  explicit Dispatch(bool fixed) : job_ready(lock, fixed), slot_free(lock, fixed) {}
  detio::Lock lock;
  Condition job_ready;
  Condition slot_free;
  std::optional<int> slot;
  bool done = false;
  // Idle workers, longest idle first (what the autoscaler retires).
  std::deque<detio::TaskHandleBase> idle;
  int taken = 0;
};

class Idle {
 public:
  explicit Idle(Dispatch& d) : d_(d), me_(detio::current_task()) { d_.idle.push_back(me_); }
  Idle(const Idle&) = delete;
  ~Idle() {
    auto it = std::find(d_.idle.begin(), d_.idle.end(), me_);
    if (it != d_.idle.end()) d_.idle.erase(it);
  }

 private:
  Dispatch& d_;
  detio::TaskHandleBase me_;
};

detio::Task<void> worker(Dispatch& d) {
  for (;;) {
    {
      auto guard = co_await d.lock.scoped();
      while (!d.slot && !d.done) {
        Idle idle(d);
        co_await d.job_ready.wait();
      }
      if (!d.slot) co_return;
      d.slot.reset();
      ++d.taken;
      d.slot_free.notify(1);
    }
    co_await detio::sleep(between(200us, 3ms));  // do the job
  }
}

detio::Task<void> autoscaler(Dispatch& d) {
  for (int i = 0; i < 2; ++i) {  // two of six, so injected cancels leave one
    co_await detio::sleep(between(1ms, 12ms));
    if (d.idle.size() > 1) d.idle.front().cancel();  // scale down by one
  }
}

detio::Task<void> scenario(bool fixed) {
  Dispatch d(fixed);
  std::vector<detio::TaskHandle<void>> workers;
  for (int i = 0; i < 6; ++i) workers.push_back(detio::create_task(worker(d), "worker-" + std::to_string(i)));
  auto scaler = detio::create_task(autoscaler(d), "autoscaler");
  constexpr int kJobs = 24;
  for (int job = 0; job < kJobs; ++job) {
    co_await detio::sleep(between(0us, 1500us));
    auto guard = co_await d.lock.scoped();
    while (d.slot) co_await d.slot_free.wait();
    d.slot = job;
    d.job_ready.notify(1);
  }
  {
    auto guard = co_await d.lock.scoped();
    while (d.slot) co_await d.slot_free.wait();
    d.done = true;
    d.job_ready.notify_all();
  }
  for (auto& w : workers) {
    try {
      co_await w;
    } catch (const detio::CancelledError&) {
    }
  }
  try {
    co_await scaler;
  } catch (const detio::CancelledError&) {
  }
  bugzoo::expect(d.taken == kJobs, std::to_string(d.taken) + " of " + std::to_string(kJobs) + " jobs taken");
}

}  // namespace

BUGZOO_MAIN(&scenario, "a notification was lost: the slot stays full and every worker sleeps")

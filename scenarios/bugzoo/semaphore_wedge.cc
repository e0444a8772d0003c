// semaphore_wedge: a waiter woken by release() and cancelled before it
// resumes leaves the semaphore believing a wake-up is on its way; nobody
// is woken again and the semaphore is wedged although it is free
// (CPython gh-90155, "asyncio.Semaphore waiters deque doesn't work"; the
// scenario Guido described in python/asyncio#270: "two tasks blocked in
// acquire(); one release(); before the loop runs the waiting task that was
// woken up, cancel it; the other waiting task is then just hanging").
//
// The semaphore follows CPython 3.11.0's: FIFO-fair (an acquire() queues
// behind waiters), release() wakes the first waiter and sets
// wakeup_scheduled, which the woken waiter clears when it resumes. Nine jobs
// share one permit (the "one key to the hotel room" of the report); some
// give up on a 1-4 ms wait_for. A woken waiter whose timeout fires before
// it resumes never clears the flag: every later acquire() waits forever.
//
// Fixed: a waiter cancelled after being woken clears the flag and wakes the
// next waiter (CPython 3.11.1, gh-93222).
//
// Invariant: every job ends (a wedged semaphore deadlocks the run).
#include <algorithm>
#include <deque>
#include <vector>

#include "zoo.h"

namespace {

using namespace std::chrono_literals;
using bugzoo::between;

class Semaphore {
 public:
  Semaphore(int value, bool fixed) : value_(value), fixed_(fixed) {}

  detio::Task<void> acquire() {
    while (wakeup_scheduled_ || value_ <= 0 || anyone_waiting()) {
      detio::Future<> fut;
      waiters_.push_back(fut);
      try {
        co_await fut;
        wakeup_scheduled_ = false;
      } catch (const detio::CancelledError&) {
        forget(fut);
        if (fixed_ && fut.done() && !fut.cancelled()) {
          wakeup_scheduled_ = false;
          wake_up_next();
        }
        throw;
      }
      forget(fut);
      if (value_ > 0) break;
    }
    --value_;
  }

  void release() {
    ++value_;
    wake_up_next();
  }

 private:
  void wake_up_next() {
    for (detio::Future<>& w : waiters_) {
      if (!w.done()) {
        w.set_result();
        wakeup_scheduled_ = true;
        return;
      }
    }
  }
  // FIFO fairness: a newcomer queues behind a waiter still waiting (not one
  // already woken, or cancelled and about to leave).
  bool anyone_waiting() const {
    return std::any_of(waiters_.begin(), waiters_.end(), [](const detio::Future<>& w) { return !w.done(); });
  }
  void forget(const detio::Future<>& fut) {
    auto it = std::find(waiters_.begin(), waiters_.end(), fut);
    if (it != waiters_.end()) waiters_.erase(it);
  }

  int value_;
  bool fixed_;
  bool wakeup_scheduled_ = false;
  std::deque<detio::Future<>> waiters_;
};

class Permit {
 public:
  explicit Permit(Semaphore& s) : s_(s) {}
  Permit(const Permit&) = delete;
  ~Permit() { s_.release(); }

 private:
  Semaphore& s_;
};

detio::Task<void> job(Semaphore& room, bool patient) {
  co_await detio::sleep(between(0ms, 12ms));
  try {
    if (patient) {
      co_await room.acquire();
    } else {
      co_await detio::wait_for(room.acquire(), between(1ms, 4ms));
    }
  } catch (const detio::TimeoutError&) {
    co_return;  // gave up
  }
  Permit permit(room);
  co_await detio::sleep(between(300us, 3ms));
}

detio::Task<void> scenario(bool fixed) {
  Semaphore room(1, fixed);
  std::vector<detio::TaskHandle<void>> jobs;
  for (int i = 0; i < 9; ++i) jobs.push_back(detio::create_task(job(room, i % 2 == 0), "job-" + std::to_string(i)));
  for (auto& j : jobs) {
    try {
      co_await j;
    } catch (const detio::CancelledError&) {
    }
  }
}

}  // namespace

BUGZOO_MAIN(&scenario, "the semaphore is wedged (a woken waiter was cancelled and nobody else was woken)")

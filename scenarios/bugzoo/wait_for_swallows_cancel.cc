// wait_for_swallows_cancel: asyncio.wait_for before 3.12 returns the inner
// result when it is cancelled in the iteration where the inner task
// finished, and the cancellation is gone: a worker told to stop keeps
// running (CPython gh-86296 / bpo-42130, "AsyncIO's wait_for can hide
// cancellation in a rare race condition"; fixed in 3.12 by rebuilding
// wait_for on asyncio.timeout, gh-98518).
//
// old_wait_for is CPython 3.11's wait_for: the inner task and a timer both
// release a waiter future; on CancelledError it returns the inner result if
// the inner task is already done. A supervisor (main) restarts a polling
// worker five times (cancel, await, start a new one), as a configuration
// reload does, and expects each old worker to be gone within 50 ms. The
// cancel is lost when it lands after the worker's fetch finished and
// before the worker resumed: two iterations that only the same instant, or
// timers coalesced into one iteration, bring together.
//
// Fixed: detio::wait_for (the timeout-scope one of 3.12).
//
// Invariant: a cancelled worker stops.
#include <exception>
#include <optional>
#include <string>

#include "zoo.h"

namespace {

using namespace std::chrono_literals;
using bugzoo::between;

// CPython 3.11's asyncio.wait_for(fut, timeout) for a task.
detio::Task<int> old_wait_for(detio::TaskHandle<int> inner, detio::Duration timeout) {
  detio::Future<> waiter;
  auto release = [waiter](const detio::TaskHandle<int>&) mutable {
    if (!waiter.done()) waiter.set_result();
  };
  const std::uint64_t callback = inner.add_done_callback(release);
  auto on_timeout = [waiter]() mutable {
    if (!waiter.done()) waiter.set_result();
  };
  detio::CallbackHandle timer = detio::call_later(timeout, on_timeout);
  std::exception_ptr cancelled;
  try {
    co_await waiter;
  } catch (const detio::CancelledError&) {
    cancelled = std::current_exception();
  }
  timer.cancel();
  if (cancelled) {
    if (inner.done()) co_return inner.result();  // BUG: the cancellation is swallowed
    inner.remove_done_callback(callback);
    inner.cancel();
    try {
      co_await detio::shield(inner);
    } catch (const detio::CancelledError&) {
    }
    std::rethrow_exception(cancelled);
  }
  if (inner.done()) co_return inner.result();
  inner.remove_done_callback(callback);
  inner.cancel();
  try {
    co_await detio::shield(inner);
  } catch (const detio::CancelledError&) {
  }
  throw detio::TimeoutError();
}

detio::Task<int> fetch() {
  co_await detio::sleep(between(200us, 2ms));
  co_return 1;
}

// Polls forever; its state lives in its own frame (a worker that ignored
// its cancel outlives the supervisor's).
detio::Task<void> worker(bool fixed) {
  for (;;) {
    try {
      if (fixed) {
        co_await detio::wait_for(fetch(), 5ms);
      } else {
        co_await old_wait_for(detio::create_task(fetch(), "fetch"), 5ms);
      }
    } catch (const detio::TimeoutError&) {
    }
  }
}

detio::Task<void> scenario(bool fixed) {
  for (int generation = 0; generation < 5; ++generation) {
    auto w = detio::create_task(worker(fixed), "worker-" + std::to_string(generation));
    co_await detio::sleep(between(2ms, 8ms));
    w.cancel();
    bool stopped = true;
    try {
      co_await detio::wait_for(detio::shield(w), 50ms);
    } catch (const detio::TimeoutError&) {
      stopped = false;
    } catch (const detio::CancelledError&) {
    }
    if (stopped) continue;
    // Stop it for good (each cancel may be swallowed again), then report.
    while (!w.done()) {
      w.cancel();
      co_await detio::sleep(1ms);
    }
    throw bugzoo::BugFound("worker " + std::to_string(generation) +
                           " still runs 50 ms after it was cancelled: wait_for returned the result of a fetch that had "
                           "just finished and swallowed the cancellation");
  }
}

}  // namespace

BUGZOO_MAIN(&scenario, "the supervisor wedged")

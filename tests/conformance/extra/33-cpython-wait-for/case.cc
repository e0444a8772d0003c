// Behaviours from CPython's test_waitfor.py (see case.py), on detio.
#include <detio/detio.h>

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>

using namespace std::chrono_literals;
using detio::Future;
using detio::Task;

detio::TimePoint start;
long long ms() { return (detio::now() - start) / 1ms; }
const char* py(bool b) { return b ? "True" : "False"; }

struct FooException : detio::Error {
  FooException() : detio::Error("FooException") {}
};

Task<std::string> done_coro() { co_return "done"; }

Task<int> swallow() {
  try {
    co_await detio::sleep(10s);
  } catch (const detio::CancelledError&) {
    co_return 42;
  }
  co_return 0;
}

Task<void> blocking() {
  Future<void> never;
  co_await never;
}

Task<void> raise_on_cancel() {
  try {
    co_await detio::sleep(200ms);
  } catch (...) {
  }
  throw FooException();
}

Task<void> amain() {
  Future<std::string> fut;
  fut.set_result("done");
  start = detio::now();
  const std::string value = co_await detio::wait_for(fut, 0s);
  std::printf("timeout 0, future done: '%s' after %lld ms\n", value.c_str(), ms());

  bool started = false;
  auto foo = [&]() -> Task<void> {
    started = true;
    co_return;
  };
  try {
    co_await detio::wait_for(foo(), 0s);
  } catch (const detio::TimeoutError&) {
    std::printf("timeout 0, coroutine: TimeoutError, started=%s\n", py(started));
  }

  static const int timeouts[] = {0, -1};
  for (int timeout : timeouts) {
    bool running = false;
    Future<void> began;
    auto work = [&]() -> Task<std::string> {
      running = true;
      began.set_result();
      try {
        co_await detio::sleep(10s);
      } catch (...) {
        running = false;
        throw;
      }
      running = false;
      co_return "done";
    };
    auto task = detio::create_task(work());
    co_await began;
    start = detio::now();
    try {
      co_await detio::wait_for(task, timeout * 1s);
    } catch (const detio::TimeoutError&) {
      std::printf("timeout %d, running task: TimeoutError after %lld ms, cancelled=%s running=%s\n", timeout, ms(),
                  py(task.cancelled()), py(running));
    }
  }

  auto late = detio::create_task(detio::sleep(10s, std::string("late")));
  start = detio::now();
  try {
    co_await detio::wait_for(late, 100ms);
  } catch (const detio::TimeoutError&) {
    std::printf("wait_for: TimeoutError after %lld ms, task cancelled=%s\n", ms(), py(late.cancelled()));
  }

  const std::string blocked = co_await detio::wait_for(done_coro(), std::nullopt);
  std::printf("wait_for_blocking: '%s'\n", blocked.c_str());

  Future<std::string> raced;
  detio::call_later(100ms, [raced]() mutable { raced.set_result("ok"); });
  const std::string race = co_await detio::wait_for(raced, 200ms);
  std::printf("wait_for_race_condition: '%s'\n", race.c_str());

  std::printf("wait_for_cancel_suppressed: %d\n", co_await detio::wait_for(swallow(), 100ms));

  bool task_done = false;
  auto slow_to_cancel = [&]() -> Task<void> {
    std::exception_ptr cancelled;
    try {
      co_await detio::sleep(10s);
    } catch (const detio::CancelledError&) {
      cancelled = std::current_exception();
    }
    if (cancelled) co_await detio::sleep(50ms);
    task_done = true;
    if (cancelled) std::rethrow_exception(cancelled);
  };
  auto inner = detio::create_task(slow_to_cancel());
  start = detio::now();
  try {
    co_await detio::wait_for(inner, 10ms);
  } catch (const detio::TimeoutError&) {
    std::printf("wait_for_waits_for_task_cancellation: after %lld ms, task done=%s\n", ms(), py(task_done));
  }

  try {
    co_await detio::wait_for(detio::create_task(raise_on_cancel()), 10ms);
  } catch (const FooException&) {
    std::printf("wait_for_reraises_exception_during_cancellation: FooException\n");
  }

  static const char* const labels[] = {"None", "60.0"};
  for (const char* timeout : labels) {
    auto task = detio::create_task(blocking());
    detio::TaskHandle<void> waiter = std::string(timeout) == "None"
                                         ? detio::create_task(detio::wait_for(task, std::nullopt))
                                         : detio::create_task(detio::wait_for(task, 60s));
    detio::call_soon([waiter]() mutable { waiter.cancel(); });
    try {
      co_await waiter;
    } catch (const detio::CancelledError&) {
      std::printf("cancel_wait_for (timeout %s): inner task cancelled=%s\n", timeout, py(task.cancelled()));
    }
  }
}

int main() { detio::sim::run(amain()); }

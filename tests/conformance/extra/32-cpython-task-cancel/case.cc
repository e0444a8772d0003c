// Behaviours from CPython's test_tasks.py, cancel family (see case.py).
#include <detio/detio.h>

#include <chrono>
#include <cstdio>

using namespace std::chrono_literals;
using detio::Future;
using detio::Task;

const char* py(bool b) { return b ? "True" : "False"; }

Task<int> sleeper() {
  co_await detio::sleep(10s);
  co_return 12;
}

Task<int> await_f(Future<void> f) {
  co_await f;
  co_return 12;
}

Task<void> await_void(Future<void> f) { co_await f; }

Task<void> amain() {
  auto t = detio::create_task(sleeper());
  detio::call_soon([t]() mutable { t.cancel(); });
  try {
    co_await t;
  } catch (const detio::CancelledError&) {
    const bool again = t.cancel();
    std::printf("cancel: done=%s cancelled=%s cancel again=%s\n", py(t.done()), py(t.cancelled()), py(again));
  }

  bool ran = false;
  auto never_runs = [&]() -> Task<void> {
    ran = true;
    co_return;
  };
  auto unstarted = detio::create_task(never_runs());
  unstarted.cancel("my message");
  const std::vector<detio::TaskHandle<void>> just_it{unstarted};
  co_await detio::wait(just_it);
  try {
    unstarted.exception();
  } catch (const detio::CancelledError& e) {
    std::printf("cancel_with_message_before_starting_task: ran=%s message '%s'\n", py(ran), e.message().c_str());
  }

  Future<void> f;
  t = detio::create_task(await_f(f));
  co_await detio::sleep(0ms);
  f.cancel();
  try {
    co_await t;
  } catch (const detio::CancelledError&) {
    std::printf("cancel_inner_future: future cancelled=%s task cancelled=%s\n", py(f.cancelled()),
                py(t.cancelled()));
  }

  Future<void> f2;
  t = detio::create_task(await_f(f2));
  co_await detio::sleep(0ms);
  f2.cancel();
  t.cancel();
  try {
    co_await t;
  } catch (const detio::CancelledError&) {
    std::printf("cancel_both_task_and_inner_future: %s %s %s\n", py(t.done()), py(f2.cancelled()),
                py(t.cancelled()));
  }

  Future<void> fut1;
  Future<void> fut2;
  auto catching = [&]() -> Task<int> {
    co_await fut1;
    try {
      co_await fut2;
    } catch (const detio::CancelledError&) {
      co_return 42;
    }
    co_return 0;
  };
  t = detio::create_task(catching());
  co_await detio::sleep(0ms);
  fut1.set_result();
  co_await detio::sleep(0ms);
  co_await detio::sleep(0ms);
  t.cancel();
  const bool inner_cancelled = fut2.cancelled();
  const int caught = co_await t;
  std::printf("cancel_task_catching: inner future cancelled=%s result=%d cancelled=%s\n", py(inner_cancelled), caught,
              py(t.cancelled()));

  Future<void> g1;
  Future<void> g2;
  Future<int> g3;
  auto ignoring = [&]() -> Task<int> {
    co_await g1;
    try {
      co_await g2;
    } catch (const detio::CancelledError&) {
    }
    co_return co_await g3;
  };
  t = detio::create_task(ignoring());
  co_await detio::sleep(0ms);
  g1.set_result();
  co_await detio::sleep(0ms);
  co_await detio::sleep(0ms);
  t.cancel();
  co_await detio::sleep(0ms);
  co_await detio::sleep(0ms);
  g3.set_result(42);
  const int ignored = co_await t;
  std::printf("cancel_task_ignoring: result=%d fut3 cancelled=%s cancelled=%s\n", ignored, py(g3.cancelled()),
              py(t.cancelled()));

  bool reached = false;
  auto self_cancelling = [&]() -> Task<void> {
    detio::current_task().cancel();
    co_await detio::sleep(100s);
    reached = true;
  };
  auto s = detio::create_task(self_cancelling());
  try {
    co_await s;
  } catch (const detio::CancelledError&) {
    const bool again = s.cancel();
    std::printf("cancel_current_task: cancelled=%s reached after await=%s cancel again=%s\n", py(s.cancelled()),
                py(reached), py(again));
  }

  auto cancel_then_return = []() -> Task<int> {
    detio::current_task().cancel();
    co_return 12;
  };
  t = detio::create_task(cancel_then_return());
  try {
    co_await t;
  } catch (const detio::CancelledError&) {
    std::printf("cancel_at_end: cancelled=%s\n", py(t.cancelled()));
  }

  Future<void> fut;
  detio::TaskHandle<void> nested_task;
  auto coro = [&]() -> Task<void> {
    nested_task = detio::create_task(await_void(fut));
    co_await detio::sleep(0ms);
    detio::current_task().cancel();
    co_await nested_task;
  };
  s = detio::create_task(coro());
  try {
    co_await s;
  } catch (const detio::CancelledError&) {
    std::printf("cancel_awaited_task: %s %s %s\n", py(s.cancelled()), py(nested_task.cancelled()),
                py(fut.cancelled()));
  }

  t = detio::create_task(sleeper());
  co_await detio::sleep(0ms);
  t.cancel();
  t.cancel();
  const int requested = t.cancelling();
  const int after = t.uncancel();
  std::printf("cancelling: %d after uncancel: %d\n", requested, after);
  try {
    co_await t;
  } catch (const detio::CancelledError&) {
    std::printf("cancelling: still ends cancelled=%s\n", py(t.cancelled()));
  }
}

int main() { detio::sim::run(amain()); }

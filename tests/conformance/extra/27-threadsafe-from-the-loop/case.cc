#include <detio/detio.h>

#include <chrono>
#include <cstdio>

using namespace std::chrono_literals;
using detio::Task;

void say(const char* text) { std::printf("%s\n", text); }

const char* py(bool b) { return b ? "True" : "False"; }

Task<int> add_later(int a, int b) {
  std::printf("add_later(%d, %d) starts\n", a, b);
  try {
    co_await detio::sleep(5ms);
  } catch (const detio::CancelledError&) {
    std::printf("add_later(%d, %d) cancelled\n", a, b);
    throw;
  }
  co_return a + b;
}

Task<void> amain() {
  detio::LoopHandle loop = detio::get_running_loop();
  detio::call_soon([] { say("call_soon 1"); });
  loop.call_soon_threadsafe([] { say("call_soon_threadsafe 1"); });
  detio::call_soon([] { say("call_soon 2"); });
  loop.call_soon_threadsafe([] { say("call_soon_threadsafe 2"); });
  say("posted");
  co_await detio::sleep(0ms);
  say("after one iteration");

  detio::ConcurrentFuture<int> fut = detio::run_coroutine_threadsafe(add_later(20, 22), loop);
  std::printf("right after run_coroutine_threadsafe: done=%s\n", py(fut.done()));
  co_await detio::sleep(0ms);
  std::printf("one iteration later: done=%s\n", py(fut.done()));
  co_await detio::sleep(10ms);
  std::printf("10 ms later: done=%s result=%d\n", py(fut.done()), fut.get());

  detio::ConcurrentFuture<int> doomed = detio::run_coroutine_threadsafe(add_later(1, 2), loop);
  co_await detio::sleep(1ms);
  const bool cancelled = doomed.cancel();
  std::printf("cancel: %s cancelled=%s\n", py(cancelled), py(doomed.cancelled()));
  co_await detio::sleep(10ms);
  try {
    doomed.get();
  } catch (const detio::CancelledError&) {
    say("result() raised CancelledError");
  }
}

int main() { detio::sim::run(amain()); }

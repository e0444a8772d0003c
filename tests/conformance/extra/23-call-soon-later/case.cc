#include <detio/detio.h>

#include <chrono>
#include <cstdio>

using namespace std::chrono_literals;
using detio::Task;

detio::TimePoint start;

long long ms() { return (detio::now() - start) / 1ms; }

Task<void> worker(const char* name) {
  for (int i = 0; i < 3; ++i) {
    std::printf("%s step %d\n", name, i);
    co_await detio::sleep(0ms);
  }
}

void say(const char* text) { std::printf("%s\n", text); }

Task<void> amain() {
  start = detio::now();
  auto task = detio::create_task(worker("task"));
  detio::call_soon([] { say("soon 1"); });
  detio::CallbackHandle cancelled = detio::call_soon([] { say("never printed"); });
  detio::call_soon([] { say("soon 2"); });
  cancelled.cancel();
  std::printf("cancelled=%s\n", cancelled.cancelled() ? "True" : "False");
  co_await task;

  detio::Event done;
  detio::call_later(20ms, [] { std::printf("later 20 at %lld\n", ms()); });
  detio::call_later(10ms, [] { std::printf("later 10 at %lld\n", ms()); });
  detio::CallbackHandle timer = detio::call_at(detio::now() + 30ms, [] { say("never printed"); });
  std::printf("timer when is %lld ms after start\n", static_cast<long long>((*timer.when() - start) / 1ms));
  detio::call_later(40ms, [&done] { done.set(); });
  timer.cancel();
  detio::call_later(0ms, [] { std::printf("later 0 at %lld\n", ms()); });
  detio::call_later(-1s, [] { std::printf("later -1 at %lld\n", ms()); });
  co_await done.wait();
  std::printf("woken at %lld, timer cancelled=%s\n", ms(), timer.cancelled() ? "True" : "False");

  detio::call_soon([] { detio::call_soon([] { say("nested soon"); }); });
  detio::call_soon([] { say("outer soon"); });
  co_await detio::sleep(0ms);
  std::printf("after one iteration\n");
  co_await detio::sleep(0ms);
  std::printf("after two iterations\n");
}

int main() { detio::sim::run(amain()); }

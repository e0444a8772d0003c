#include <detio/detio.h>

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using detio::Task;

const char* py(bool b) { return b ? "True" : "False"; }

Task<void> amain() {
  detio::Lock lock;
  std::printf("lock.acquire() -> %s\n", py(co_await lock.acquire()));
  auto contender = [&]() -> Task<void> {
    const bool got = co_await lock.acquire();
    std::printf("contender: lock.acquire() after waiting -> %s\n", py(got));
    lock.release();
  };
  auto t = detio::create_task(contender());
  co_await detio::sleep(10ms);
  lock.release();
  co_await t;

  detio::Semaphore sem(1);
  std::printf("sem.acquire() -> %s\n", py(co_await sem.acquire()));
  auto waiter = detio::create_task(sem.acquire());
  co_await detio::sleep(10ms);
  sem.release();
  std::printf("sem.acquire() after waiting -> %s\n", py(co_await waiter));

  detio::Event event;
  auto waiting = detio::create_task(event.wait());
  co_await detio::sleep(10ms);
  event.set();
  std::printf("event.wait() after set -> %s\n", py(co_await waiting));
  std::printf("event.wait() when already set -> %s\n", py(co_await event.wait()));

  detio::Condition cond;
  std::vector<std::string> items;
  auto consumer = [&]() -> Task<void> {
    auto guard = co_await cond.scoped();
    std::printf("consumer: cond.wait() -> %s\n", py(co_await cond.wait()));
    auto count = [&] { return items.size() >= 2 ? static_cast<int>(items.size()) : 0; };
    const int got = co_await cond.wait_for(count);
    std::printf("consumer: cond.wait_for(...) -> %d\n", got);
    auto first_item = [&]() -> std::optional<std::string> {
      if (items.empty()) return std::nullopt;
      return items.front();
    };
    const std::optional<std::string> first = co_await cond.wait_for(first_item);
    std::printf("consumer: cond.wait_for(first item) -> '%s'\n", first->c_str());
  };
  auto c = detio::create_task(consumer());
  for (int i = 0; i < 3; ++i) {
    co_await detio::sleep(10ms);
    auto guard = co_await cond.scoped();
    items.push_back("item" + std::to_string(i));
    std::printf("producer: %zu item(s), notify\n", items.size());
    cond.notify();
  }
  co_await c;
}

int main() { detio::sim::run(amain()); }

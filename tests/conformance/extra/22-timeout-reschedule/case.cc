#include <detio/detio.h>

#include <chrono>
#include <cstdio>
#include <optional>

using namespace std::chrono_literals;
using detio::Task;
using detio::Timeout;

detio::TimePoint start;

long long ms() {
  const long long us = (detio::now() - start) / 1us;
  return (us + 5000) / 10000 * 10;  // rounded to 10 ms, as the Python case
}

const char* py(bool b) { return b ? "True" : "False"; }

Task<void> amain() {
  start = detio::now();
  try {
    co_await detio::timeout(std::nullopt, [](Timeout& t) -> Task<void> {
      std::printf("no deadline: when is None=%s, expired=%s\n", py(!t.when()), py(t.expired()));
      co_await detio::sleep(10ms);
      t.reschedule(detio::now() + 20ms);
      co_await detio::sleep(1s);
    });
  } catch (const detio::TimeoutError&) {
    std::printf("timed out at %lld\n", ms());
  }

  start = detio::now();
  co_await detio::timeout(20ms, [](Timeout& t) -> Task<void> {
    co_await detio::sleep(10ms);
    t.reschedule(*t.when() + 30ms);
    co_await detio::sleep(30ms);
  });
  std::printf("extended body finished at %lld\n", ms());

  start = detio::now();
  co_await detio::timeout(10ms, [](Timeout& t) -> Task<void> {
    t.reschedule(std::nullopt);
    co_await detio::sleep(30ms);
    std::printf("unbounded body finished at %lld, when is None=%s\n", ms(), py(!t.when()));
  });

  try {
    co_await detio::timeout(10s, [](Timeout& t) -> Task<void> {
      t.reschedule(detio::now() - 1s);
      std::printf("rescheduled into the past\n");
      co_await detio::sleep(0ms);
      std::printf("not reached\n");
    });
  } catch (const detio::TimeoutError&) {
    std::printf("expired on the next iteration\n");
  }

  start = detio::now();
  try {
    co_await detio::timeout(10ms, [](Timeout& t) -> Task<void> {
      try {
        co_await detio::sleep(1s);
      } catch (const detio::CancelledError&) {
        std::printf("body cancelled at %lld, expired=%s\n", ms(), py(t.expired()));
        try {
          t.reschedule(std::nullopt);
        } catch (const detio::RuntimeError& e) {
          std::printf("RuntimeError: %s\n", e.what());
        }
        throw;
      }
    });
  } catch (const detio::TimeoutError&) {
    std::printf("the late reschedule changed nothing: TimeoutError\n");
  }
}

int main() { detio::sim::run(amain()); }

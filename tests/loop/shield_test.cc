// detio::shield (asyncio.shield): cancelling the awaiter raises
// CancelledError in it but leaves the shielded task running; the task's own
// outcome (value, failure, cancellation) reaches an awaiter that is still
// waiting. Orders follow CPython 3.11/3.12.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace {

using namespace detio_core_test;
using ::testing::ElementsAre;
using detio::Task;
using detio::TaskHandle;

// Awaits shield(inner) and logs how that ended.
template <class T>
Task<void> shielded_waiter(Log& log, TaskHandle<T> inner) {
  log.push_back(at("waiter: " + co_await outcome(detio::shield(inner))));
}

TEST(ShieldTest, ConformanceAwaiterCancelledInnerKeepsRunning) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto inner = detio::create_task(sleeper(log, "important", 50ms, 42));
    auto w = detio::create_task(shielded_waiter(log, inner));
    co_await detio::sleep(10ms);
    EXPECT_TRUE(w.cancel());
    log.push_back(at("main: waiter " + co_await outcome(w)));
    log.push_back(std::string("inner cancelled: ") + (inner.cancelled() ? "True" : "False") +
                  " cancelling=" + std::to_string(inner.cancelling()));
    log.push_back(at("inner result: " + std::to_string(co_await inner)));
  }());
  EXPECT_THAT(log, ElementsAre("important start@0", "waiter: CancelledError()@10", "main: waiter ok@10",
                               "inner cancelled: False cancelling=0", "important end@50", "inner result: 42@50"));
}

TEST(ShieldTest, ValueReachesAnAwaiterThatWasNotCancelled) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto inner = detio::create_task(sleeper(log, "s", 5ms, 6));
    EXPECT_EQ(co_await detio::shield(inner), 6);
    EXPECT_EQ(ms(), 5);
    co_await detio::shield(detio::create_task(detio::sleep(1ms)));  // void
    EXPECT_EQ(ms(), 6);
  }());
}

TEST(ShieldTest, InnerFailurePropagates) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto inner = detio::create_task(failer(log, "inner", 10ms));
    log.push_back(at(co_await outcome(detio::shield(inner))));
  }());
  EXPECT_THAT(log, ElementsAre("inner raising@10", "runtime_error(inner)@10"));
}

TEST(ShieldTest, CancellingTheInnerTaskItselfReachesTheAwaiter) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto inner = detio::create_task(sleeper(log, "inner", 1s));
    auto w = detio::create_task(shielded_waiter(log, inner));
    co_await detio::sleep(10ms);
    inner.cancel("direct");
    co_await w;
  }());
  // CPython's outer.cancel() carries no message.
  EXPECT_THAT(log, ElementsAre("inner start@0", "inner cancelled(direct)@10", testing::StartsWith("waiter: CancelledError(")));
}

TEST(ShieldTest, WaitForAroundShieldTimesOutWithoutCancellingTheTask) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto h = detio::create_task(sleeper(log, "h", 50ms, 3));
    log.push_back(at(co_await outcome(detio::wait_for(detio::shield(h), 10ms))));
    log.push_back("h cancelled=" + std::to_string(h.cancelled()) + " cancelling=" + std::to_string(h.cancelling()));
    log.push_back(at("h result " + std::to_string(co_await h)));
  }());
  EXPECT_THAT(log, ElementsAre("h start@0", "TimeoutError@10", "h cancelled=0 cancelling=0", "h end@50",
                               "h result 3@50"));
}

TEST(ShieldTest, ShieldingATaskSpawnsItAndCancellingTheAwaiterLeavesItRunning) {
  Log log;
  auto waiter = [](Log& l) -> Task<void> {
    l.push_back(at("waiter: " + co_await outcome(detio::shield(sleeper(l, "spawned", 30ms)))));
  };
  detio::sim::run([&]() -> Task<void> {
    auto w = detio::create_task(waiter(log));
    co_await detio::sleep(10ms);
    w.cancel();
    w.cancel();  // twice: still nothing reaches the shielded task
    co_await w;
    co_await detio::sleep(50ms);
  }());
  EXPECT_THAT(log, ElementsAre("spawned start@0", "waiter: CancelledError()@10", "spawned end@30"));
}

TEST(ShieldTest, AlreadyDoneHandleReturnsWithoutYielding) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto tk = detio::create_task(ticker(log, 6));
    auto h = detio::create_task([](Log& l) -> Task<int> {
      l.push_back("imm 1");
      co_return 1;
    }(log));
    log.push_back("got " + std::to_string(co_await detio::shield(h)));
    log.push_back("done " + std::to_string(co_await detio::shield(h)));
    co_await tk;
  }());
  // CPython: inner done -> _inner_done_callback -> outer done -> wake-up.
  EXPECT_THAT(log, ElementsAre("tick0", "imm 1", "tick1", "tick2", "got 1", "done 1", "tick3", "tick4", "tick5"));
}

}  // namespace

// detio::timeout / timeout_at (asyncio.timeout) and detio::wait_for
// (asyncio.wait_for, 3.12: built on the timeout scope). Expected logs and
// virtual timestamps follow the equivalent CPython 3.11/3.12 programs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace {

using namespace detio_core_test;
using ::testing::ElementsAre;
using detio::Task;
using detio::TaskHandle;

// Sleeps 1s; if cancelled, logs it and returns `v` instead (swallows).
Task<int> swallow_cancel(Log& log, int v) {
  try {
    co_await detio::sleep(1s);
  } catch (const detio::CancelledError&) {
    log.push_back(at("swallowed"));
  }
  co_return v;
}

// Sleeps 1s; if cancelled, cleans up for `cleanup` and re-raises.
Task<int> slow_cleanup(Log& log, detio::Duration cleanup) {
  bool cancelled = false;
  try {
    co_await detio::sleep(1s);
  } catch (const detio::CancelledError&) {
    cancelled = true;
  }
  if (cancelled) {
    co_await detio::sleep(cleanup);
    log.push_back(at("cleanup done"));
    throw detio::CancelledError();
  }
  co_return 1;
}

std::string cancelling_text() { return "cancelling=" + std::to_string(detio::current_task().cancelling()); }

// ------------------------------------------------------------- wait_for

TEST(WaitForTest, ReturnsTheResultWhenInTime) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    int v = co_await detio::wait_for(sleeper(log, "fast", 10ms, 7), 500ms);
    log.push_back(at("got " + std::to_string(v)));
    co_await detio::wait_for(detio::sleep(5ms), 5s);  // Task<void>
    log.push_back(at("void ok"));
  }());
  EXPECT_THAT(log, ElementsAre("fast start@0", "fast end@10", "got 7@10", "void ok@15"));
}

TEST(WaitForTest, TimesOutCancellingTheWorkAtTheDeadline) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    log.push_back(at(co_await outcome(detio::wait_for(sleeper(log, "slow", 1s), 50ms))));
    co_await detio::sleep(2s);  // no leftover timer or cancel fires later
    log.push_back(at("later"));
    EXPECT_EQ(detio::current_task().cancelling(), 0);
  }());
  EXPECT_THAT(log, ElementsAre("slow start@0", "slow cancelled()@50", "TimeoutError@50", "later@2050"));
}

TEST(WaitForTest, LatencyMatchesCPython312) {
  // 3.12's wait_for awaits inside a timeout scope: a coroutine runs inline
  // and a handle wakes the caller one iteration after it finishes. (3.11
  // wrapped the work in a task: tick0 imm1 tick1 tick2 handle tick3 imm2
  // tick4 coroutine.)
  Log log;
  auto imm = [](Log& l, int v) -> Task<int> {
    l.push_back("imm " + std::to_string(v));
    co_return v;
  };
  detio::sim::run([&]() -> Task<void> {
    auto tk = detio::create_task(ticker(log, 5));
    auto h = detio::create_task(imm(log, 1));
    log.push_back("wait_for handle " + std::to_string(co_await detio::wait_for(h, 1s)));
    log.push_back("wait_for coroutine " + std::to_string(co_await detio::wait_for(imm(log, 2), 1s)));
    co_await tk;
  }());
  EXPECT_THAT(log, ElementsAre("tick0", "imm 1", "tick1", "wait_for handle 1", "imm 2", "wait_for coroutine 2",
                               "tick2", "tick3", "tick4"));
}

TEST(WaitForTest, ZeroTimeoutNeverStartsATask) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    log.push_back(at(co_await outcome(detio::wait_for(sleeper(log, "a", 1s), 0ms))));
    log.push_back(at(co_await outcome(detio::wait_for(sleeper(log, "b", 1s), -1s))));
    log.push_back(at(co_await outcome(detio::wait_for(detio::sleep(1s), detio::Duration::min()))));
  }());
  EXPECT_THAT(log, ElementsAre("TimeoutError@0", "TimeoutError@0", "TimeoutError@0"));
}

TEST(WaitForTest, ZeroTimeoutOnADoneHandleReturnsItsResult) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto done = detio::create_task(sleeper(log, "done", 0ms, 5));
    co_await done;
    EXPECT_EQ(co_await detio::wait_for(done, 0ms), 5);
    EXPECT_EQ(co_await detio::wait_for(done, -5ms), 5);
    auto failed = detio::create_task(failer(log, "f", 0ms));
    co_await outcome(failed);
    EXPECT_EQ(co_await outcome(detio::wait_for(failed, 0ms)), "runtime_error(f)");
  }());
}

TEST(WaitForTest, ZeroTimeoutOnVoidHandles) {
  detio::sim::run([]() -> Task<void> {
    auto done = detio::create_task(detio::sleep(1ms));
    co_await done;
    EXPECT_EQ(co_await outcome(detio::wait_for(done, 0ms)), "ok");
    auto pending = detio::create_task(detio::sleep(1s));
    EXPECT_EQ(co_await outcome(detio::wait_for(pending, 0ms)), "TimeoutError");
    EXPECT_TRUE(pending.cancelled());
    EXPECT_EQ(ms(), 1);
  }());
}

TEST(WaitForTest, ZeroTimeoutOnAPendingHandleCancelsIt) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto t = detio::create_task(sleeper(log, "pend", 1s));
    co_await detio::sleep(0ms);
    log.push_back(at(co_await outcome(detio::wait_for(t, 0ms))));
    EXPECT_TRUE(t.cancelled());
  }());
  EXPECT_THAT(log, ElementsAre("pend start@0", "pend cancelled()@0", "TimeoutError@0"));
}

TEST(WaitForTest, TimeoutOnAHandleCancelsTheTask) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto t = detio::create_task(sleeper(log, "slow", 1s));
    log.push_back(at(co_await outcome(detio::wait_for(t, 20ms))));
    EXPECT_TRUE(t.cancelled());
  }());
  EXPECT_THAT(log, ElementsAre("slow start@0", "slow cancelled()@20", "TimeoutError@20"));
}

TEST(WaitForTest, WaitsForTheCancelledWorkToFinishItsCleanup) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    log.push_back(at(co_await outcome(detio::wait_for(slow_cleanup(log, 20ms), 10ms))));
    auto t = detio::create_task(slow_cleanup(log, 5ms));
    log.push_back(at(co_await outcome(detio::wait_for(t, 10ms))));
  }());
  EXPECT_THAT(log, ElementsAre("cleanup done@30", "TimeoutError@30", "cleanup done@45", "TimeoutError@45"));
}

TEST(WaitForTest, WorkThatSwallowsTheCancelReturnsItsValue) {
  // 3.12 (timeout scope): the body returned normally, so no TimeoutError.
  Log log;
  detio::sim::run([&]() -> Task<void> {
    int a = co_await detio::wait_for(swallow_cancel(log, 3), 10ms);
    log.push_back(at("coroutine gave " + std::to_string(a)));
    auto t = detio::create_task(swallow_cancel(log, 4));
    int b = co_await detio::wait_for(t, 10ms);
    log.push_back(at("handle gave " + std::to_string(b)));
    EXPECT_EQ(detio::current_task().cancelling(), 0);
  }());
  EXPECT_THAT(log, ElementsAre("swallowed@10", "coroutine gave 3@10", "swallowed@20", "handle gave 4@20"));
}

TEST(WaitForTest, ExceptionsFromTheWorkPropagate) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    EXPECT_EQ(co_await outcome(detio::wait_for(failer(log, "inner", 5ms), 1s)), "runtime_error(inner)");
    co_await detio::sleep(2s);  // the 1s timer must be gone
    EXPECT_EQ(ms(), 2005);
  }());
}

TEST(WaitForTest, OutsideCancelStaysCancelledErrorAndCancelsAHandle) {
  Log log;
  auto waiter = [](Log& l, TaskHandle<int> inner) -> Task<void> {
    l.push_back(at("waiter: " + co_await outcome(detio::wait_for(inner, 1s))));
    throw detio::CancelledError("rethrown");
  };
  detio::sim::run([&]() -> Task<void> {
    auto inner = detio::create_task(sleeper(log, "inner", 10s));
    auto w = detio::create_task(waiter(log, inner));
    co_await detio::sleep(10ms);
    w.cancel("outside");
    co_await outcome(w);
    EXPECT_TRUE(inner.cancelled());
  }());
  EXPECT_THAT(log, ElementsAre("inner start@0", "inner cancelled(outside)@10", "waiter: CancelledError(outside)@10"));
}

// ------------------------------------------------------- timeout scope

Task<std::string> limited(Log& log, detio::Duration delay, detio::Duration limit) {
  co_return co_await detio::timeout(limit, [](Log& l, detio::Duration d) -> Task<std::string> {
    try {
      co_await detio::sleep(d);
      co_return "body done";
    } catch (const detio::CancelledError&) {
      l.push_back(at("body: cancelled"));
      throw;
    }
  }(log, delay));
}

TEST(TimeoutTest, ConformanceTimeoutScope) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    log.push_back(at(co_await limited(log, 10ms, 50ms)));
    log.push_back(at(co_await outcome(limited(log, 100ms, 20ms))));
    auto outer = detio::create_task(limited(log, 100ms, 1s));
    co_await detio::sleep(10ms);
    outer.cancel();
    log.push_back(at("outside cancel: " + co_await outcome(outer)));
  }());
  EXPECT_THAT(log, ElementsAre("body done@10", "body: cancelled@30", "TimeoutError@30", "body: cancelled@40",
                               "outside cancel: CancelledError()@40"));
}

TEST(TimeoutTest, TimeoutAtInThePastStillRunsTheBodyUntilItsFirstAwait) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    co_await detio::sleep(5ms);
    auto body = [](Log& l) -> Task<void> {
      l.push_back(at("body start"));
      co_await detio::sleep(1s);
      l.push_back("not here");
    };
    log.push_back(at(co_await outcome(detio::timeout_at(detio::TimePoint(1ms), body(log)))));
    // A body that never awaits completes before the (queued) timeout fires.
    auto no_await = [](Log& l) -> Task<int> {
      l.push_back("no await body");
      co_return 9;
    };
    log.push_back(std::to_string(co_await detio::timeout_at(detio::TimePoint(0ms), no_await(log))));
    co_await detio::sleep(0ms);  // and the expired timer does not hit us later
    log.push_back(at("still fine"));
  }());
  EXPECT_THAT(log, ElementsAre("body start@5", "TimeoutError@5", "no await body", "9", "still fine@5"));
}

TEST(TimeoutTest, ZeroTimeoutCancelsAtTheFirstYield) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto body = [](Log& l) -> Task<void> {
      co_await detio::sleep(0ms);
      l.push_back("not here");
    };
    log.push_back(at(co_await outcome(detio::timeout(0ms, body(log)))));
    log.push_back(at(co_await outcome(detio::timeout(-10ms, body(log)))));
  }());
  EXPECT_THAT(log, ElementsAre("TimeoutError@0", "TimeoutError@0"));
}

TEST(TimeoutTest, NestedInnerExpiresFirst) {
  Log log;
  auto body = [](Log& l) -> Task<void> {
    l.push_back(at("inner: " + co_await outcome(detio::timeout(10ms, detio::sleep(1s)))));
    co_await detio::sleep(5ms);
    l.push_back(at("outer body continues"));
  };
  detio::sim::run([&]() -> Task<void> {
    log.push_back(at("outer: " + co_await outcome(detio::timeout(50ms, body(log)))));
    EXPECT_EQ(detio::current_task().cancelling(), 0);
  }());
  EXPECT_THAT(log, ElementsAre("inner: TimeoutError@10", "outer body continues@15", "outer: ok@15"));
}

TEST(TimeoutTest, NestedOuterExpiresFirst) {
  Log log;
  auto body = [](Log& l) -> Task<void> {
    l.push_back(at("inner: " + co_await outcome(detio::timeout(50ms, detio::sleep(1s)))));
    throw detio::CancelledError();  // re-raise what the inner scope let through
  };
  detio::sim::run([&]() -> Task<void> {
    log.push_back(at("outer: " + co_await outcome(detio::timeout(10ms, body(log)))));
    EXPECT_EQ(detio::current_task().cancelling(), 0);
  }());
  EXPECT_THAT(log, ElementsAre("inner: CancelledError()@10", "outer: TimeoutError@10"));
}

TEST(TimeoutTest, NestedBothExpireTogetherOnlyTheOuterTimesOut) {
  // Both timers fire in the same iteration; the task is cancelled twice.
  // The inner scope's uncancel() leaves 1 > 0, so it lets the CancelledError
  // through; the outer one converts it.
  Log log;
  auto body = [](Log& l) -> Task<void> {
    l.push_back(at("inner: " + co_await outcome(detio::timeout(10ms, detio::sleep(1s)))));
    throw detio::CancelledError();
  };
  detio::sim::run([&]() -> Task<void> {
    log.push_back(at("outer: " + co_await outcome(detio::timeout(10ms, body(log)))));
    EXPECT_EQ(detio::current_task().cancelling(), 0);
  }());
  EXPECT_THAT(log, ElementsAre("inner: CancelledError()@10", "outer: TimeoutError@10"));
}

TEST(TimeoutTest, BodyThatSwallowsTheCancelCompletesNormally) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    int v = co_await detio::timeout(10ms, swallow_cancel(log, 8));
    log.push_back(at("value " + std::to_string(v) + " cancelling " +
                     std::to_string(detio::current_task().cancelling())));
    co_await detio::sleep(20ms);
    log.push_back(at("later sleep ok"));
  }());
  EXPECT_THAT(log, ElementsAre("swallowed@10", "value 8 cancelling 0@10", "later sleep ok@30"));
}

TEST(TimeoutTest, BodyFinishingBeforeTheDeadlineLeavesNoTimerBehind) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    log.push_back(std::to_string(co_await detio::timeout(10ms, sleeper(log, "quick", 1ms, 2))));
    co_await detio::sleep(50ms);
    log.push_back(at("no stray cancel"));
    log.push_back(at(co_await outcome(detio::timeout(10ms, failer(log, "err", 2ms)))));
    co_await detio::sleep(50ms);
    log.push_back(at("still no stray cancel"));
  }());
  EXPECT_THAT(log, ElementsAre("quick start@0", "quick end@1", "2", "no stray cancel@51", "err raising@53",
                               "runtime_error(err)@53", "still no stray cancel@103"));
}

TEST(TimeoutTest, DeadlineRacingTheBodysOwnTimerIsATimeout) {
  // The scope's timer is registered before the body's sleep timer, so at
  // 10ms it fires first and the sleep is cancelled.
  Log log;
  detio::sim::run([&]() -> Task<void> {
    log.push_back(at(co_await outcome(detio::timeout(10ms, detio::sleep(10ms)))));
  }());
  EXPECT_THAT(log, ElementsAre("TimeoutError@10"));
}

TEST(TimeoutTest, OutsideCancelInTheSameIterationAsTheDeadlineWins) {
  // main's 10ms timer was registered before the task's scope timer: at 10ms
  // main runs first and cancels the task whose sleep the scope just
  // cancelled. uncancel() leaves 1, so the scope re-raises CancelledError.
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto t = detio::create_task(limited(log, 1s, 10ms));
    co_await detio::sleep(10ms);
    t.cancel("outside");
    log.push_back(at(co_await outcome(t)));
    log.push_back("cancelling " + std::to_string(t.cancelling()));
  }());
  // The message is the first cancel's (the scope's, empty), as in CPython.
  EXPECT_THAT(log, ElementsAre("body: cancelled@10", "CancelledError()@10", "cancelling 1"));
}

TEST(TimeoutTest, TimesOutInATaskThatAlreadySwallowedACancel) {
  // cancelling() is 1 on entry (the swallowed cancel was never uncancelled);
  // the scope compares with that level (3.12, and 3.11.7), not with zero.
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto t = detio::create_task([](Log& l) -> Task<void> {
      try {
        co_await detio::sleep(1s);
      } catch (const detio::CancelledError&) {
      }
      l.push_back(at(cancelling_text()));
      l.push_back(at(co_await outcome(detio::timeout(10ms, detio::sleep(1s)))));
      l.push_back(cancelling_text());
    }(log));
    co_await detio::sleep(0ms);
    t.cancel();
    co_await t;
  }());
  EXPECT_THAT(log, ElementsAre("cancelling=1@0", "TimeoutError@10", "cancelling=1"));
}

TEST(TimeoutTest, GatherInsideATimeoutIsCancelledAndBecomesTimeoutError) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    log.push_back(at(co_await outcome(detio::timeout(10ms, detio::gather(sleeper(log, "a", 1s), sleeper(log, "b", 2s))))));
  }());
  EXPECT_THAT(log, ElementsAre("a start@0", "b start@0", "a cancelled()@10", "b cancelled()@10", "TimeoutError@10"));
}

TEST(TimeoutTest, WorksOnHandlesAndCancelsThem) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto t = detio::create_task(sleeper(log, "h", 1s));
    log.push_back(at(co_await outcome(detio::timeout(5ms, t))));
    EXPECT_TRUE(t.cancelled());
    auto quick = detio::create_task(sleeper(log, "q", 1ms, 6));
    EXPECT_EQ(co_await detio::timeout_at(detio::TimePoint(1s), quick), 6);
  }());
  EXPECT_THAT(log, ElementsAre("h start@0", "h cancelled()@5", "TimeoutError@5", "q start@5", "q end@6"));
}

TEST(TimeoutTest, HugeDurationsDoNotOverflow) {
  detio::sim::run([]() -> Task<void> {
    co_await detio::sleep(1ms);
    EXPECT_EQ(co_await detio::timeout(detio::Duration::max(), [](int v) -> Task<int> {
                co_await detio::sleep(1ms);
                co_return v;
              }(4)),
              4);
    EXPECT_EQ(co_await detio::wait_for(detio::timeout(detio::Duration::max(), [](int v) -> Task<int> {
                                         co_await detio::sleep(1ms);
                                         co_return v;
                                       }(5)),
                                       detio::Duration::max()),
              5);
    EXPECT_EQ(ms(), 3);
  }());
}

TEST(TimeoutTest, TheDeadlineIsTakenWhenTheTimeoutStarts) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    Task<int> guarded = detio::timeout(10ms, sleeper(log, "s", 8ms, 1));
    co_await detio::sleep(5ms);
    EXPECT_EQ(co_await std::move(guarded), 1);  // deadline 15ms, done at 13ms
    EXPECT_EQ(ms(), 13);
  }());
}

// wait_for(x, std::nullopt) is asyncio's timeout=None: no deadline at all;
// sleep(d, result) returns its result.
TEST(TimeoutTest, WaitForWithoutATimeoutAndSleepWithAResult) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    log.push_back(at(co_await detio::wait_for(detio::sleep(10h, std::string("task")), std::nullopt)));
    auto h = detio::create_task(detio::sleep(1h, std::string("handle")));
    log.push_back(at(co_await detio::wait_for(h, std::nullopt)));
    detio::Future<std::string> f;
    detio::call_later(1h, [f]() mutable { f.set_result("future"); });
    log.push_back(at(co_await detio::wait_for(f, std::nullopt)));
    co_await detio::wait_for(detio::sleep(1ms), std::nullopt);
    log.push_back(at("void"));
  }());
  EXPECT_THAT(log, ElementsAre("task@36000000", "handle@39600000", "future@43200000", "void@43200001"));
}

}  // namespace

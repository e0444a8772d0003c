// detio::wait (asyncio.wait) and detio::as_completed (asyncio.as_completed).
// Neither cancels the tasks it watches. Orders follow CPython 3.11/3.12.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_util.h"

namespace {

using namespace detio_core_test;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using detio::ReturnWhen;
using detio::Task;
using detio::TaskHandle;
using detio::AnyFuture;

// NOTE: `{.return_when = ...}` alone trips g++'s -Wmissing-field-initializers
// (WaitOptions::timeout has no default member initializer), so these tests
// spell `.timeout = {}` out.

Task<int> immediate(Log& log, int v) {
  log.push_back("imm " + std::to_string(v));
  co_return v;
}

// Spawns one sleeper per delay (in ms); each returns its delay.
std::vector<TaskHandle<int>> spawn_sleepers(Log& log, std::vector<int> delays) {
  std::vector<TaskHandle<int>> hs;
  for (int d : delays) hs.push_back(detio::create_task(sleeper(log, "s" + std::to_string(d), d * 1ms, d)));
  return hs;
}

// The names of the handles, e.g. {"Task-2", "Task-4"}.
template <class T>
std::vector<std::string> names(const std::vector<TaskHandle<T>>& hs) {
  std::vector<std::string> out;
  for (const auto& h : hs) out.push_back(h.get_name());
  return out;
}

// ----------------------------------------------------------------- wait

TEST(WaitTest, AllCompletedIsTheDefault) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto hs = spawn_sleepers(log, {30, 10, 20});
    auto [done, pending] = co_await detio::wait(hs);
    EXPECT_EQ(ms(), 30);
    EXPECT_THAT(names(done), ElementsAre("Task-2", "Task-3", "Task-4"));  // input order
    EXPECT_THAT(pending, IsEmpty());
  }());
}

TEST(WaitTest, FirstCompletedReturnsAtTheFirstCompletionAndCancelsNothing) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto hs = spawn_sleepers(log, {30, 10, 20});
    auto r = co_await detio::wait(hs, {.timeout = {}, .return_when = ReturnWhen::kFirstCompleted});
    EXPECT_EQ(ms(), 10);
    EXPECT_THAT(names(r.done), ElementsAre("Task-3"));
    EXPECT_THAT(names(r.pending), ElementsAre("Task-2", "Task-4"));
    EXPECT_EQ(r.done.at(0).result(), 10);
    co_await detio::sleep(100ms);
    for (auto& h : hs) EXPECT_FALSE(h.cancelled());
    EXPECT_EQ(hs[0].result() + hs[2].result(), 50);
  }());
}

TEST(WaitTest, FirstExceptionReturnsAtTheFirstFailure) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto hs = spawn_sleepers(log, {10, 30});
    hs.insert(hs.begin() + 1, detio::create_task(failer(log, "f", 20ms)));
    auto r = co_await detio::wait(hs, {.timeout = {}, .return_when = ReturnWhen::kFirstException});
    log.push_back(at("returned done=" + std::to_string(r.done.size()) + " pending=" + std::to_string(r.pending.size())));
    EXPECT_EQ(describe(r.done.at(1).exception()), "runtime_error(f)");
    EXPECT_FALSE(hs[2].done());
  }());
  EXPECT_THAT(log, ElementsAre("s10 start@0", "s30 start@0", "s10 end@10", "f raising@20", "returned done=2 pending=1@20",
                               "s30 cancelled()@20"));  // the last one is run()'s cleanup
}

TEST(WaitTest, FirstExceptionWithoutFailuresWaitsForAllAndIgnoresCancellation) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto hs = spawn_sleepers(log, {10, 1000, 30});
    auto canceller = [](TaskHandle<int> victim) -> Task<void> {
      co_await detio::sleep(5ms);
      victim.cancel();
    };
    auto c = detio::create_task(canceller(hs[1]));
    auto r = co_await detio::wait(hs, {.timeout = {}, .return_when = ReturnWhen::kFirstException});
    EXPECT_EQ(ms(), 30);
    EXPECT_EQ(r.done.size(), 3u);
    EXPECT_TRUE(hs[1].cancelled());
    co_await c;
  }());
}

TEST(WaitTest, TimeoutReturnsWhatIsDoneAndCancelsNothing) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto hs = spawn_sleepers(log, {10, 30, 50});
    auto r = co_await detio::wait(hs, {.timeout = 25ms});
    EXPECT_EQ(ms(), 25);
    EXPECT_THAT(names(r.done), ElementsAre("Task-2"));
    EXPECT_THAT(names(r.pending), ElementsAre("Task-3", "Task-4"));
    for (auto& h : r.pending) EXPECT_FALSE(h.done());
    // Everything done before the timeout: returns early, no stray timer.
    auto r2 = co_await detio::wait(r.pending, {.timeout = 1s});
    EXPECT_EQ(ms(), 50);
    EXPECT_EQ(r2.done.size(), 2u);
    co_await detio::sleep(2s);
    EXPECT_EQ(ms(), 2050);
  }());
}

TEST(WaitTest, ZeroAndNegativeTimeoutsReturnAfterTwoIterations) {
  // CPython: call_later(0) is due on the next iteration, then the waiter
  // wakes the task on the one after.
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto t = detio::create_task(detio::sleep(1s));
    // (g++ 12 rejects a braced std::vector{t} temporary inside a co_await
    // expression, "array used as initializer": hence the named vectors.)
    std::vector just_t{t};
    auto r = co_await detio::wait(just_t, {.timeout = 0ms});
    log.push_back(at("pending " + std::to_string(r.pending.size())));
    auto tk = detio::create_task(ticker(log, 3));
    co_await detio::wait(just_t, {.timeout = -1s});
    log.push_back(at("again"));
    co_await tk;
    EXPECT_FALSE(t.done());
  }());
  EXPECT_THAT(log, ElementsAre("pending 1@0", "tick0", "tick1", "again@0", "tick2"));
}

TEST(WaitTest, EmptyInputIsValueError) {
  detio::sim::run([]() -> Task<void> {
    std::string a = co_await outcome(detio::wait(std::vector<TaskHandle<int>>{}));
    std::string b = co_await outcome(detio::wait(std::vector<TaskHandle<void>>{}, {.timeout = 1s}));
    EXPECT_THAT(a, testing::StartsWith("ValueError("));
    EXPECT_THAT(b, testing::StartsWith("ValueError("));
  }());
}

TEST(WaitTest, LatencyMatchesCPython) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto d = detio::create_task(immediate(log, 1));
    co_await d;
    auto tk = detio::create_task(ticker(log, 5));
    std::vector just_d{d};
    auto r = co_await detio::wait(just_d);
    log.push_back("wait done " + std::to_string(r.done.size()));
    auto p = detio::create_task(immediate(log, 2));
    std::vector just_p{p};
    auto r2 = co_await detio::wait(just_p, {.timeout = {}, .return_when = ReturnWhen::kFirstCompleted});
    log.push_back("wait2 done " + std::to_string(r2.done.size()));
    co_await tk;
  }());
  EXPECT_THAT(log, ElementsAre("imm 1", "tick0", "tick1", "wait done 1", "tick2", "imm 2", "tick3", "tick4",
                               "wait2 done 1"));
}

TEST(WaitTest, CancellingTheWaiterLeavesTheTasksAlone) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto hs = spawn_sleepers(log, {10, 20});
    auto w = detio::create_task(detio::wait(hs));
    co_await detio::sleep(5ms);
    w.cancel();
    EXPECT_EQ(co_await outcome(w), "CancelledError()");
    for (auto& h : hs) EXPECT_FALSE(h.done());
    co_await detio::sleep(20ms);
    EXPECT_EQ(hs[0].result() + hs[1].result(), 30);
  }());
}

TEST(WaitTest, OverFuturesWithATimeout) {
  detio::sim::run([&]() -> Task<void> {
    std::vector<detio::Future<int>> fs(3);
    detio::call_later(10ms, [f = fs[1]]() mutable { f.set_result(1); });
    detio::call_later(15ms, [f = fs[2]]() mutable { f.set_exception(std::make_exception_ptr(detio::ValueError("x"))); });
    auto r = co_await detio::wait(fs, {.timeout = 20ms, .return_when = ReturnWhen::kAllCompleted});
    EXPECT_EQ(ms(), 20);
    EXPECT_EQ(r.done.size(), 2u);
    EXPECT_TRUE(r.done.at(0) == fs[1]);
    EXPECT_TRUE(r.done.at(1) == fs[2]);
    EXPECT_EQ(r.pending.size(), 1u);
    EXPECT_TRUE(r.pending.at(0) == fs[0]);
    EXPECT_FALSE(fs[0].cancelled());  // wait never cancels
    auto first_failure = co_await detio::wait(fs, {.timeout = {}, .return_when = ReturnWhen::kFirstException});
    EXPECT_EQ(first_failure.done.size(), 2u);  // fs[2] had already failed
    fs[0].cancel();
  }());
}

TEST(WaitTest, OverAMixedSetOfTasksAndFuturesOfDifferentTypes) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    detio::Future<std::string> text;
    auto number = detio::create_task(sleeper(log, "n", 10ms, 5));
    auto nothing = detio::create_task(detio::sleep(30ms));
    detio::call_later(20ms, [text]() mutable { text.set_result("t"); });
    std::vector<detio::AnyFuture> all{number, text, nothing};
    auto first = co_await detio::wait(all, {.timeout = {}, .return_when = ReturnWhen::kFirstCompleted});
    EXPECT_EQ(ms(), 10);
    EXPECT_EQ(first.done.size(), 1u);
    EXPECT_TRUE(first.done.at(0) == number);
    EXPECT_TRUE(first.done.at(0).is_task());
    EXPECT_EQ(first.done.at(0).exception(), nullptr);
    EXPECT_EQ(outcome_of_call([&] { first.pending.at(0).exception(); }), "InvalidStateError");
    auto rest = co_await detio::wait(first.pending);
    EXPECT_EQ(ms(), 30);
    EXPECT_EQ(rest.done.size(), 2u);
    EXPECT_EQ(text.result(), "t");

    // Handles of different result types, as all_tasks() returns them.
    auto a = detio::create_task(sleeper(log, "a", 5ms, std::string("s")));
    auto b = detio::create_task(sleeper(log, "b", 1s, 2));
    std::vector<detio::TaskHandleBase> mixed{a, b};
    auto handles = co_await detio::wait(mixed, {.timeout = {}, .return_when = ReturnWhen::kFirstCompleted});
    EXPECT_EQ(handles.done.size(), 1u);
    EXPECT_TRUE(handles.done.at(0) == a);
    b.cancel();
    AnyFuture cancelled = b;
    co_await outcome(b);
    EXPECT_EQ(outcome_of_call([&] { cancelled.exception(); }), "CancelledError()");
    std::vector<detio::Future<int>> no_futures;
    EXPECT_EQ(co_await outcome(detio::wait(no_futures)), "ValueError(detio::wait: the set of tasks is empty)");
  }());
}

// --------------------------------------------------------- as_completed

TEST(AsCompletedTest, YieldsResultsInCompletionOrder) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto hs = spawn_sleepers(log, {30, 10, 20});
    for (auto next : detio::as_completed(hs)) {
      int v = co_await std::move(next);
      log.push_back(at("got " + std::to_string(v)));
    }
  }());
  EXPECT_THAT(log, ElementsAre("s30 start@0", "s10 start@0", "s20 start@0", "s10 end@10", "got 10@10", "s20 end@20",
                               "got 20@20", "s30 end@30", "got 30@30"));
}

// Tasks (asyncio: coroutines) are spawned first, in order.
TEST(AsCompletedTest, TakesTasksAndSpawnsThemInOrder) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    std::vector<Task<int>> tasks;
    for (int d : {20, 10}) tasks.push_back(sleeper(log, "s" + std::to_string(d), d * 1ms, d));
    for (auto next : detio::as_completed(std::move(tasks))) {
      int v = co_await std::move(next);
      log.push_back(at("got " + std::to_string(v)));
    }
  }());
  EXPECT_THAT(log, ElementsAre("s20 start@0", "s10 start@0", "s10 end@10", "got 10@10", "s20 end@20", "got 20@20"));
}

TEST(AsCompletedTest, ExceptionsComeOutAtTheirPosition) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto hs = spawn_sleepers(log, {10, 30});
    hs.push_back(detio::create_task(failer(log, "f", 20ms)));
    std::vector<std::string> got;
    auto ac = detio::as_completed(hs);
    EXPECT_EQ(ac.size(), 3u);
    for (auto next : ac) got.push_back(at(co_await outcome(std::move(next))));
    EXPECT_THAT(got, ElementsAre("ok@10", "runtime_error(f)@20", "ok@30"));
  }());
}

TEST(AsCompletedTest, TimeoutMakesTheRestThrowTimeoutErrorWithoutCancelling) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto hs = spawn_sleepers(log, {10, 30, 50});
    std::vector<std::string> got;
    for (auto next : detio::as_completed(hs, 25ms)) got.push_back(at(co_await outcome(std::move(next))));
    EXPECT_THAT(got, ElementsAre("ok@10", "TimeoutError@25", "TimeoutError@25"));
    for (auto& h : hs) EXPECT_FALSE(h.cancelled());
    co_await detio::sleep(30ms);
    EXPECT_EQ(hs[2].result(), 50);
  }());
}

TEST(AsCompletedTest, LatencyMatchesCPython) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto tk = detio::create_task(ticker(log, 6));
    std::vector<TaskHandle<int>> ts{detio::create_task(immediate(log, 1)), detio::create_task(immediate(log, 2))};
    for (auto next : detio::as_completed(ts)) log.push_back("got " + std::to_string(co_await std::move(next)));
    co_await tk;
  }());
  EXPECT_THAT(log, ElementsAre("tick0", "imm 1", "imm 2", "tick1", "tick2", "got 1", "got 2", "tick3", "tick4",
                               "tick5"));
}

TEST(AsCompletedTest, DoneHandlesAndEmptyInput) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto a = detio::create_task(immediate(log, 1));
    auto b = detio::create_task(immediate(log, 2));
    co_await detio::gather(a, b);
    int sum = 0;
    std::vector b_then_a{b, a};
    for (auto next : detio::as_completed(b_then_a)) sum = sum * 10 + co_await std::move(next);
    EXPECT_EQ(sum, 21);  // callbacks of done tasks run in registration order
    int iterations = 0;
    for (auto next : detio::as_completed(std::vector<TaskHandle<int>>{})) {
      (void)next;
      ++iterations;
    }
    EXPECT_EQ(iterations, 0);
  }());
}

TEST(AsCompletedTest, AwaitablesCanBeAwaitedConcurrently) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto hs = spawn_sleepers(log, {20, 10});
    auto ac = detio::as_completed(hs);
    auto first = detio::create_task(ac.next());
    auto second = detio::create_task(ac.next());
    EXPECT_EQ(co_await first, 10);
    EXPECT_EQ(co_await second, 20);
  }());
}

TEST(AsCompletedTest, AGetterCancelledAfterBeingWokenPassesTheResultOn) {
  // Like asyncio.Queue.get: a getter woken and then cancelled before it ran
  // hands the wake-up to the next getter, so no completion is lost.
  Log log;  // outlives the run: s20 is still running when main returns
  detio::sim::run([&]() -> Task<void> {
    auto hs = spawn_sleepers(log, {10, 20});
    auto ac = detio::as_completed(hs);
    auto g1 = detio::create_task(ac.next());
    auto g2 = detio::create_task(ac.next());
    co_await detio::sleep(10ms);  // the 10ms completion has just woken g1
    g1.cancel();
    EXPECT_EQ(co_await outcome(g1), "CancelledError()");
    EXPECT_EQ(co_await g2, 10);
    EXPECT_EQ(ms(), 10);
  }());
}

TEST(AsCompletedTest, OverFuturesYieldsTheirResults) {
  detio::sim::run([&]() -> Task<void> {
    std::vector<detio::Future<int>> fs(3);
    const detio::Duration delays[] = {30ms, 10ms, 20ms};
    for (int i = 0; i < 3; ++i) detio::call_later(delays[i], [f = fs[i], i]() mutable { f.set_result(i); });
    std::vector<std::string> got;
    for (auto next : detio::as_completed(fs, 25ms)) got.push_back(at(co_await outcome(std::move(next))));
    EXPECT_THAT(got, ElementsAre("ok@10", "ok@20", "TimeoutError@25"));
    EXPECT_FALSE(fs[0].done());
    fs[0].cancel();
  }());
}

// A mixed set yields the handles themselves, in completion order, failed
// ones included (their exception is read from the handle).
TEST(AsCompletedTest, OverAMixedSetYieldsTheFinishedHandles) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    detio::Future<std::string> text;
    detio::call_later(20ms, [text]() mutable { text.set_result("t"); });
    auto failing = detio::create_task(failer(log, "f", 10ms));
    auto number = detio::create_task(sleeper(log, "n", 30ms, 1));
    std::vector<std::string> order;
    std::vector<detio::AnyFuture> all{number, text, failing};
    for (auto next : detio::as_completed(all)) {
      detio::AnyFuture f = co_await std::move(next);
      order.push_back(f == failing ? "failing:" + describe(f.exception())
                      : f == text  ? "text:" + text.result()
                                   : "number:" + std::to_string(number.result()));
    }
    EXPECT_THAT(order, ElementsAre("failing:runtime_error(f)", "text:t", "number:1"));
  }());
}

}  // namespace

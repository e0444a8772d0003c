// detio::gather (variadic and vectors, Tasks and handles) and
// detio::gather_settled (return_exceptions=True). Orders are CPython's; in
// Python `create_task(gather(...))` is written `create_task(wrap(gather(...)))`.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include "test_util.h"

namespace {

using namespace detio_core_test;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::StartsWith;
using detio::Task;
using detio::TaskHandle;

Task<int> immediate(Log& log, int v) {
  log.push_back("imm " + std::to_string(v));
  co_return v;
}

// Sleeps 1s; on cancel logs "<name> swallowed" and returns 1 anyway.
Task<int> swallower(Log& log, std::string name) {
  try {
    co_await detio::sleep(1s);
  } catch (const detio::CancelledError&) {
    log.push_back(name + " swallowed");
  }
  co_return 1;
}

// How each gather_settled outcome ended: the value or describe(error).
template <class T>
std::vector<std::string> outcomes(const std::vector<detio::Outcome<T>>& results) {
  std::vector<std::string> out;
  for (const auto& r : results) out.push_back(r.ok() ? "ok " + std::to_string(r.value()) : describe(r.error()));
  return out;
}

TEST(GatherTest, ConformanceGather) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto [a, b, c] = co_await detio::gather(sleeper(log, "v1", 30ms, 1), sleeper(log, "v2", 10ms, 2),
                                            sleeper(log, "v3", 20ms, 3));
    log.push_back(at("gathered " + std::to_string(a) + std::to_string(b) + std::to_string(c)));
    auto slow = detio::create_task(sleeper(log, "v9", 50ms, 9));
    log.push_back(at("gather: " + co_await outcome(detio::gather(failer(log, "boom", 10ms), slow))));
    EXPECT_FALSE(slow.done());
    co_await detio::sleep(100ms);
    EXPECT_EQ(slow.result(), 9);
  }());
  EXPECT_THAT(log, ElementsAre("v1 start@0", "v2 start@0", "v3 start@0", "v2 end@10", "v3 end@20", "v1 end@30",
                               "gathered 123@30", "v9 start@30", "boom raising@40",
                               "gather: runtime_error(boom)@40", "v9 end@80"));
}

TEST(GatherTest, MixedTypesTasksAndHandles) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto handle = detio::create_task(sleeper(log, "h", 5ms, 40));
    auto text = []() -> Task<std::string> { co_return "text"; };
    std::tuple<int, std::string, std::monostate, int> r =
        co_await detio::gather(immediate(log, 1), text(), detio::sleep(3ms), handle);
    EXPECT_EQ(std::get<0>(r), 1);
    EXPECT_EQ(std::get<1>(r), "text");
    EXPECT_EQ(std::get<3>(r), 40);
    EXPECT_EQ(ms(), 5);
  }());
}

TEST(GatherTest, ResultsAreInArgumentOrderNotCompletionOrder) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    std::vector<Task<int>> tasks;
    for (int d : {30, 10, 20, 0}) tasks.push_back(sleeper(log, "s", d * 1ms, d));
    std::vector<int> r = co_await detio::gather(std::move(tasks));
    EXPECT_THAT(r, ElementsAre(30, 10, 20, 0));
    EXPECT_EQ(ms(), 30);
  }());
}

TEST(GatherTest, ZeroTasksCompletesWithoutYielding) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto tk = detio::create_task(ticker(log, 2));
    std::tuple<> none = co_await detio::gather();
    (void)none;
    log.push_back("variadic empty");
    std::vector<int> r = co_await detio::gather(std::vector<Task<int>>{});
    log.push_back("vector empty " + std::to_string(r.size()));
    std::vector<int> r2 = co_await detio::gather(std::vector<TaskHandle<int>>{});
    log.push_back("handles empty " + std::to_string(r2.size()));
    auto settled = co_await detio::gather_settled(std::vector<Task<int>>{});
    log.push_back("settled empty " + std::to_string(settled.size()));
    co_await tk;
  }());
  EXPECT_THAT(log, ElementsAre("variadic empty", "vector empty 0", "handles empty 0", "settled empty 0", "tick0",
                               "tick1"));
}

TEST(GatherTest, WakesTheAwaiterTwoIterationsAfterTheChildrenFinish) {
  // CPython: child done -> gather's _done_callback (call_soon) -> outer
  // future done -> awaiting task woken (call_soon).
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto tk = detio::create_task(ticker(log, 6));
    auto [a, b] = co_await detio::gather(immediate(log, 1), immediate(log, 2));
    log.push_back("gathered " + std::to_string(a) + std::to_string(b));
    co_await detio::gather();
    log.push_back("empty");
    co_await tk;
  }());
  EXPECT_THAT(log, ElementsAre("tick0", "imm 1", "imm 2", "tick1", "tick2", "gathered 12", "empty", "tick3", "tick4",
                               "tick5"));
}

TEST(GatherTest, FailureReachesTheAwaiterWithTheSameLatency) {
  Log log;
  auto fail0 = [](Log& l) -> Task<int> {
    l.push_back("fail0");
    throw std::runtime_error("f");
    co_return 0;
  };
  detio::sim::run([&]() -> Task<void> {
    auto tk = detio::create_task(ticker(log, 6));
    log.push_back(co_await outcome(detio::gather(fail0(log), sleeper(log, "x", 1ms))));
    co_await tk;  // main ends here: run() cancels x
  }());
  EXPECT_THAT(log, ElementsAre("tick0", "fail0", "x start@0", "tick1", "tick2", "runtime_error(f)", "tick3", "tick4",
                               "tick5", "x cancelled()@0"));
}

TEST(GatherTest, FirstFailureInTimeWinsAndTheOthersKeepRunning) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto late = detio::create_task(failer(log, "late", 20ms));
    auto runner = detio::create_task(sleeper(log, "runner", 30ms, 3));
    log.push_back(at(co_await outcome(detio::gather(late, failer(log, "early", 10ms), runner))));
    EXPECT_FALSE(late.done());
    EXPECT_FALSE(runner.done());
    co_await detio::sleep(50ms);
    EXPECT_EQ(describe(late.exception()), "runtime_error(late)");
    EXPECT_EQ(runner.result(), 3);
  }());
  EXPECT_THAT(log, ElementsAre("runner start@0", "early raising@10", "runtime_error(early)@10", "late raising@20",
                               "runner end@30"));
}

TEST(GatherTest, CancellingTheGatherCancelsEveryChildWithTheMessage) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto g = detio::create_task(detio::gather(sleeper(log, "a", 1s), sleeper(log, "b", 2s)));
    co_await detio::sleep(10ms);
    EXPECT_TRUE(g.cancel("stop"));
    log.push_back(at("main " + co_await outcome(g)));
  }());
  EXPECT_THAT(log, ElementsAre("a start@0", "b start@0", "a cancelled(stop)@10", "b cancelled(stop)@10",
                               "main CancelledError(stop)@10"));
}

TEST(GatherTest, CancellingAVectorGatherOfHandlesCancelsThem) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    std::vector<TaskHandle<int>> hs;
    for (int i = 0; i < 3; ++i) hs.push_back(detio::create_task(sleeper(log, "s", 1s)));
    auto g = detio::create_task(detio::gather(hs));
    co_await detio::sleep(1ms);
    g.cancel();
    EXPECT_EQ(co_await outcome(g), "CancelledError()");
    for (auto& h : hs) EXPECT_TRUE(h.cancelled());
  }());
}

TEST(GatherTest, ACancelledChildMakesTheGatherRaiseButOthersContinue) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto a = detio::create_task(sleeper(log, "a", 1s));
    auto b = detio::create_task(sleeper(log, "b", 50ms, 2));
    auto g = detio::create_task(detio::gather(a, b));
    co_await detio::sleep(10ms);
    a.cancel("child");
    log.push_back(at("gather raised " + co_await outcome(g) + " g.cancelled=" + (g.cancelled() ? "1" : "0")));
    EXPECT_FALSE(b.done());
    log.push_back(at("b result " + std::to_string(co_await b)));
  }());
  EXPECT_THAT(log, ElementsAre("a start@0", "b start@0", "a cancelled(child)@10",
                               "gather raised CancelledError(child) g.cancelled=1@10", "b end@50", "b result 2@50"));
}

TEST(GatherTest, CancelledGatherRaisesEvenIfEveryChildSwallowedTheCancel) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto g = detio::create_task(detio::gather(swallower(log, "x"), swallower(log, "y")));
    co_await detio::sleep(0ms);
    co_await detio::sleep(0ms);
    g.cancel();
    log.push_back(co_await outcome(g));
  }());
  EXPECT_THAT(log, ElementsAre("x swallowed", "y swallowed", "CancelledError()"));
}

TEST(GatherTest, CancellingTheAwaiterAfterTheChildrenFinishedStillCancelsIt) {
  // The gather can no longer be cancelled (every child is done), so the
  // cancel stays pending on the awaiting task and hits it when it resumes.
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto a = detio::create_task(immediate(log, 1));
    auto b = detio::create_task(immediate(log, 2));
    auto g = detio::create_task(detio::gather(a, b));
    co_await detio::sleep(0ms);
    log.push_back(std::string("children done ") + (a.done() && b.done() ? "1" : "0"));
    log.push_back(std::string("cancel ") + (g.cancel() ? "1" : "0"));
    log.push_back(co_await outcome(g));
  }());
  EXPECT_THAT(log, ElementsAre("imm 1", "imm 2", "children done 1", "cancel 1", "CancelledError()"));
}

TEST(GatherTest, GatherOfVoidTasksGivesMonostates) {
  detio::sim::run([]() -> Task<void> {
    std::vector<Task<void>> tasks;
    for (int i = 1; i <= 3; ++i) tasks.push_back(detio::sleep(i * 1ms));
    std::vector<std::monostate> r = co_await detio::gather(std::move(tasks));
    EXPECT_EQ(r.size(), 3u);
    EXPECT_EQ(ms(), 3);
    auto [x, y] = co_await detio::gather(detio::sleep(1ms), detio::sleep(2ms));
    EXPECT_EQ(x, std::monostate{});
    EXPECT_EQ(y, std::monostate{});
    std::vector<TaskHandle<void>> hs{detio::create_task(detio::sleep(1ms))};
    EXPECT_EQ((co_await detio::gather(hs)).size(), 1u);
  }());
}

TEST(GatherTest, TemporariesAreSafeInsideCreateTask) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto g = detio::create_task(detio::gather(sleeper(log, "a", 2ms, 1), sleeper(log, "b", 1ms, 2)));
    auto g2 = detio::create_task(detio::gather([] {
      std::vector<Task<int>> v;
      v.push_back([](int x) -> Task<int> { co_return x; }(5));
      return v;
    }()));
    co_await detio::sleep(10ms);
    auto [a, b] = g.result();
    EXPECT_EQ(a * 10 + b, 12);
    EXPECT_THAT(g2.result(), ElementsAre(5));
  }());
}

TEST(GatherTest, TheSameHandleTwiceAndAnAlreadyDoneHandle) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto done = detio::create_task(immediate(log, 4));
    co_await done;
    auto h = detio::create_task(sleeper(log, "h", 1ms, 6));
    auto [x, y, z] = co_await detio::gather(h, h, done);
    EXPECT_EQ(x + y + z, 16);
  }());
}

TEST(GatherTest, ChildrenStartInArgumentOrderAtTheCallAndRunConcurrently) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto gathering = detio::gather(sleeper(log, "a", 10ms), sleeper(log, "b", 10ms));
    // gather() spawned its children already (asyncio: ensure_future at call).
    co_await detio::sleep(5ms);
    log.push_back(at("awaiting"));
    co_await std::move(gathering);
    log.push_back(at("done"));
  }());
  EXPECT_THAT(log, ElementsAre("a start@0", "b start@0", "awaiting@5", "a end@10", "b end@10", "done@10"));
}

TEST(GatherTest, AVectorGatherWatchesItsChildrenFromTheCallNotFromTheAwait) {
  // CPython's gather adds its done callbacks when called: children that
  // were done by then have been counted before the gather is awaited.
  Log log;
  detio::sim::run([&]() -> Task<void> {
    std::vector<TaskHandle<int>> handles;
    handles.push_back(detio::create_task(immediate(log, 1)));
    handles.push_back(detio::create_task(immediate(log, 2)));
    co_await detio::sleep(0ms);
    auto gathering = detio::gather(std::move(handles));
    co_await detio::sleep(0ms);
    co_await detio::sleep(0ms);
    auto tk = detio::create_task(ticker(log, 2));
    std::vector<int> results = co_await std::move(gathering);
    log.push_back("gathered " + std::to_string(results.at(0)) + std::to_string(results.at(1)));
    co_await tk;
  }());
  EXPECT_THAT(log, ElementsAre("imm 1", "imm 2", "gathered 12", "tick0", "tick1"));
}

// ------------------------------------------------------ gather_settled

TEST(GatherSettledTest, CollectsValuesFailuresAndCancellations) {
  Log log;
  auto canceller = [](TaskHandle<int> victim) -> Task<void> {
    co_await detio::sleep(10ms);
    victim.cancel("cb");
  };
  detio::sim::run([&]() -> Task<void> {
    auto b = detio::create_task(sleeper(log, "b", 1s));
    auto c = detio::create_task(canceller(b));
    std::vector<TaskHandle<int>> hs{detio::create_task(sleeper(log, "a", 30ms, 5)),
                                    detio::create_task(failer(log, "v", 20ms)), b};
    auto results = co_await detio::gather_settled(hs);
    log.push_back(at("settled"));
    EXPECT_THAT(outcomes(results), ElementsAre("ok 5", "runtime_error(v)", "CancelledError(cb)"));
    EXPECT_EQ(outcome_of_call([&] { results[1].value(); }), "runtime_error(v)");
    co_await c;
  }());
  EXPECT_THAT(log, ElementsAre("b start@0", "a start@0", "b cancelled(cb)@10", "v raising@20", "a end@30",
                               "settled@30"));
}

TEST(GatherSettledTest, ConformanceSettledWithTasks) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    std::vector<Task<int>> tasks;
    tasks.push_back(sleeper(log, "v4", 10ms, 4));
    tasks.push_back(failer(log, "fail", 20ms));
    auto results = co_await detio::gather_settled(std::move(tasks));
    EXPECT_THAT(outcomes(results), ElementsAre("ok 4", "runtime_error(fail)"));
  }());
  EXPECT_THAT(log, ElementsAre("v4 start@0", "v4 end@10", "fail raising@20"));
}

TEST(GatherSettledTest, CancellingItStillRaisesCancelledError) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    std::vector<Task<int>> tasks;
    tasks.push_back(swallower(log, "x2"));
    tasks.push_back(sleeper(log, "z", 10ms));
    auto g = detio::create_task(detio::gather_settled(std::move(tasks)));
    co_await detio::sleep(0ms);
    co_await detio::sleep(0ms);
    g.cancel("m");
    // CPython's message is the last child's (in argument order): "m".
    log.push_back(at(co_await outcome(g)));
  }());
  EXPECT_THAT(log, ElementsAre("z start@0", "x2 swallowed", "z cancelled(m)@0", "CancelledError(m)@0"));
}

TEST(GatherSettledTest, VoidChildren) {
  detio::sim::run([]() -> Task<void> {
    std::vector<Task<void>> tasks;
    tasks.push_back(detio::sleep(1ms));
    tasks.push_back([]() -> Task<void> {
      co_await detio::sleep(2ms);
      throw detio::ValueError("bad");
    }());
    auto results = co_await detio::gather_settled(std::move(tasks));
    EXPECT_EQ(results.size(), 2u);
    EXPECT_TRUE(results.at(0).ok());
    EXPECT_EQ(describe(results.at(1).error()), "ValueError(bad)");
  }());
}

// The message comes from the last child in argument order: none when that
// child swallowed the cancel, even if an earlier one was cancelled with it.
TEST(GatherSettledTest, CancelMessageIsTheLastChildsAsInCPython) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    std::vector<Task<int>> tasks;
    tasks.push_back(sleeper(log, "z", 10ms));
    tasks.push_back(swallower(log, "x2"));
    auto g = detio::create_task(detio::gather_settled(std::move(tasks)));
    co_await detio::sleep(0ms);
    co_await detio::sleep(0ms);
    g.cancel("m");
    log.push_back(co_await outcome(g));
  }());
  EXPECT_THAT(log, ElementsAre("z start@0", "z cancelled(m)@0", "x2 swallowed", "CancelledError()"));
}

TEST(GatherSettledTest, VariadicMixesTypesTasksHandlesAndFutures) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    detio::Future<std::string> future;
    auto handle = detio::create_task(failer(log, "f", 20ms));
    detio::call_later(5ms, [future]() mutable { future.set_result("text"); });
    auto [number, failed, text, nothing] =
        co_await detio::gather_settled(sleeper(log, "a", 10ms, 3), handle, future, detio::sleep(1ms));
    EXPECT_EQ(ms(), 20);
    EXPECT_EQ(number.value(), 3);
    EXPECT_EQ(describe(failed.error()), "runtime_error(f)");
    EXPECT_EQ(text.value(), "text");
    EXPECT_TRUE(nothing.ok());
    static_assert(std::is_same_v<decltype(nothing), detio::Outcome<void>>);

    detio::Future<int> cancelled;
    cancelled.cancel("gone");
    auto [only] = co_await detio::gather_settled(cancelled);
    EXPECT_EQ(describe(only.error()), "CancelledError(gone)");
  }());
}

TEST(GatherSettledTest, VariadicCancelCancelsEveryChild) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto g = detio::create_task(detio::gather_settled(sleeper(log, "a", 1s), sleeper(log, "b", 1s)));
    co_await detio::sleep(1ms);
    g.cancel("stop");
    log.push_back(co_await outcome(g));
  }());
  EXPECT_THAT(log, ElementsAre("a start@0", "b start@0", "a cancelled(stop)@1", "b cancelled(stop)@1",
                               "CancelledError(stop)"));
}

}  // namespace

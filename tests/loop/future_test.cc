// detio::Future<T> (asyncio.Future): one-shot shared state, any number of
// awaiters, InvalidStateError on misuse, cancellation, done callbacks that
// run soon (never inline). Orders follow CPython 3.11/3.12.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "test_util.h"

namespace {

using namespace detio_core_test;
using ::testing::ElementsAre;
using detio::Future;
using detio::Task;

// Awaits `f`; logs "<name> got <v>" or "<name> <describe(error)>".
Task<void> waiter(Log& log, std::string name, Future<int> f) {
  try {
    int v = co_await f;
    log.push_back(at(name + " got " + std::to_string(v)));
  } catch (...) {
    log.push_back(at(name + " " + describe(std::current_exception())));
  }
}

TEST(FutureTest, StartsPendingAndReadingItIsInvalidState) {
  detio::sim::run([]() -> Task<void> {
    Future<int> f;
    EXPECT_FALSE(f.done());
    EXPECT_FALSE(f.cancelled());
    EXPECT_EQ(outcome_of_call([&] { f.result(); }), "InvalidStateError");
    EXPECT_EQ(outcome_of_call([&] { f.exception(); }), "InvalidStateError");
    f.set_result(3);
    EXPECT_TRUE(f.done());
    EXPECT_EQ(f.result(), 3);
    EXPECT_EQ(f.exception(), nullptr);
    co_return;
  }());
}

TEST(FutureTest, SettingTwiceIsInvalidState) {
  detio::sim::run([]() -> Task<void> {
    Future<int> f;
    f.set_result(1);
    EXPECT_EQ(outcome_of_call([&] { f.set_result(2); }), "InvalidStateError");
    EXPECT_EQ(outcome_of_call([&] { f.set_exception(std::make_exception_ptr(std::runtime_error("x"))); }),
              "InvalidStateError");
    EXPECT_FALSE(f.cancel());
    EXPECT_EQ(f.result(), 1);  // unchanged

    Future<void> g;
    EXPECT_TRUE(g.cancel());
    EXPECT_EQ(outcome_of_call([&] { g.set_result(); }), "InvalidStateError");
    EXPECT_FALSE(g.cancel());
    co_return;
  }());
}

TEST(FutureTest, CopiesAreTheSameFuture) {
  detio::sim::run([]() -> Task<void> {
    Future<std::string> a;
    Future<std::string> b = a;
    Future<std::string> other;
    EXPECT_TRUE(a == b);
    EXPECT_FALSE(a == other);
    b.set_result("shared");
    EXPECT_TRUE(a.done());
    EXPECT_EQ(co_await a, "shared");
  }());
}

TEST(FutureTest, ManyAwaitersWakeInOrderWithCallbacksOnTheNextIteration) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    Future<int> f;
    f.add_done_callback([&](const Future<int>&) { log.push_back("cb1"); });
    auto a = detio::create_task(waiter(log, "a", f));
    auto b = detio::create_task(waiter(log, "b", f));
    auto tk = detio::create_task(ticker(log, 5));
    co_await detio::sleep(0ms);
    f.add_done_callback([&](const Future<int>& self) { log.push_back("cb2 " + std::to_string(self.result())); });
    log.push_back("set");
    f.set_result(5);
    log.push_back(std::string("done ") + (f.done() ? "True" : "False"));
    co_await a;
    co_await b;
    co_await tk;
  }());
  EXPECT_THAT(log, ElementsAre("tick0", "set", "done True", "tick1", "cb1", "a got 5@0", "b got 5@0", "cb2 5", "tick2",
                               "tick3", "tick4"));
}

TEST(FutureTest, AwaitingADoneFutureDoesNotYield) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    Future<int> f;
    auto tk = detio::create_task(ticker(log, 3));
    f.set_result(1);
    log.push_back("await done future " + std::to_string(co_await f));
    co_await tk;
  }());
  EXPECT_THAT(log, ElementsAre("await done future 1", "tick0", "tick1", "tick2"));
}

TEST(FutureTest, ExceptionsReachEveryAwaiter) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    Future<int> f;
    auto a = detio::create_task(waiter(log, "a", f));
    auto b = detio::create_task(waiter(log, "b", f));
    co_await detio::sleep(5ms);
    f.set_exception(std::make_exception_ptr(std::runtime_error("bad")));
    EXPECT_EQ(describe(f.exception()), "runtime_error(bad)");
    EXPECT_EQ(outcome_of_call([&] { f.result(); }), "runtime_error(bad)");
    co_await detio::gather(a, b);
    EXPECT_THAT(outcome_of_call([&] { f.set_exception(nullptr); }), testing::StartsWith("ValueError("));
  }());
  EXPECT_THAT(log, ElementsAre("a runtime_error(bad)@5", "b runtime_error(bad)@5"));
}

TEST(FutureTest, CancelReachesEveryAwaiterWithTheMessage) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    Future<int> f;
    auto a = detio::create_task(waiter(log, "a", f));
    auto b = detio::create_task(waiter(log, "b", f));
    co_await detio::sleep(5ms);
    EXPECT_TRUE(f.cancel("gone"));
    EXPECT_TRUE(f.cancelled());
    EXPECT_TRUE(f.done());
    EXPECT_EQ(outcome_of_call([&] { f.result(); }), "CancelledError(gone)");
    EXPECT_EQ(outcome_of_call([&] { f.exception(); }), "CancelledError(gone)");
    co_await detio::gather(a, b);
    // The awaiters caught it, so the tasks themselves are not cancelled.
    EXPECT_FALSE(a.cancelled());
  }());
  EXPECT_THAT(log, ElementsAre("a CancelledError(gone)@5", "b CancelledError(gone)@5"));
}

TEST(FutureTest, ATaskEndingInAFuturesCancellationIsCancelledWithoutARequest) {
  detio::sim::run([]() -> Task<void> {
    Future<int> f;
    auto t = detio::create_task([](Future<int> g) -> Task<int> { co_return co_await g; }(f));
    co_await detio::sleep(0ms);
    f.cancel("from the future");
    EXPECT_EQ(co_await outcome(t), "CancelledError(from the future)");
    EXPECT_TRUE(t.cancelled());
    EXPECT_EQ(t.cancelling(), 0);  // nobody called t.cancel()
  }());
}

TEST(FutureTest, CancellingOneAwaitingTaskCancelsTheFutureForAll) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    Future<int> f;
    auto a = detio::create_task(waiter(log, "a", f));
    auto b = detio::create_task(waiter(log, "b", f));
    co_await detio::sleep(0ms);
    a.cancel("via a");
    co_await detio::gather(a, b);
    EXPECT_TRUE(f.cancelled());
  }());
  EXPECT_THAT(log, ElementsAre("a CancelledError(via a)@0", "b CancelledError(via a)@0"));
}

TEST(FutureTest, DoneCallbacksAreNeverInlineAndCanBeRemoved) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    Future<void> f;
    auto id = f.add_done_callback([&](const Future<void>&) { log.push_back("removed cb (wrong)"); });
    f.add_done_callback([&](const Future<void>& self) {
      log.push_back(std::string("cb cancelled=") + (self.cancelled() ? "1" : "0"));
    });
    EXPECT_EQ(f.remove_done_callback(id), 1);
    EXPECT_EQ(f.remove_done_callback(id), 0);
    f.set_result();
    log.push_back("after set");
    f.add_done_callback([&](const Future<void>&) { log.push_back("late cb"); });
    log.push_back("after late add");
    co_await detio::sleep(0ms);
    log.push_back("after yield");
  }());
  EXPECT_THAT(log, ElementsAre("after set", "after late add", "cb cancelled=0", "late cb", "after yield"));
}

TEST(FutureTest, SetFromADoneCallbackAndFromAnotherTask) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    Future<int> first;
    Future<int> second;
    first.add_done_callback([second](const Future<int>& f) mutable { second.set_result(f.result() * 2); });
    auto setter = [](Future<int> f) -> Task<void> {
      co_await detio::sleep(7ms);
      f.set_result(21);
    };
    auto t = detio::create_task(setter(first));
    log.push_back(at("second " + std::to_string(co_await second)));
    co_await t;
  }());
  EXPECT_THAT(log, ElementsAre("second 42@7"));
}

TEST(FutureTest, VoidFutures) {
  detio::sim::run([]() -> Task<void> {
    Future<void> f;
    auto t = detio::create_task([](Future<void> g) -> Task<void> {
      co_await detio::sleep(3ms);
      g.set_result();
    }(f));
    co_await f;
    EXPECT_EQ(ms(), 3);
    f.result();  // std::monostate, no throw
    co_await t;
  }());
}

TEST(FutureTest, AFutureSettledBeforeTheLoopStartsCanBeAwaited) {
  Future<int> f;
  f.set_result(11);
  int got = detio::sim::run([](Future<int> g) -> Task<int> { co_return co_await g; }(f));
  EXPECT_EQ(got, 11);
}

// A done callback holds its future (it is called with it). If the future
// never settles, the loop frees the callback when it ends, so the pair is
// not leaked (LeakSanitizer runs this suite), and the callback never runs.
TEST(FutureTest, ACallbackOnAFutureThatNeverSettlesIsFreedWithTheLoop) {
  auto alive = std::make_shared<int>(0);
  std::weak_ptr<int> watch = alive;
  detio::sim::run([&]() -> Task<void> {
    detio::Future<int> never;
    never.add_done_callback([held = std::move(alive)](detio::Future<int>) { ++*held; });
    co_return;
  }());
  EXPECT_TRUE(watch.expired());
}

}  // namespace

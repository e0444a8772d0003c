// A detio::Future where asyncio takes any awaitable: wait_for, timeout,
// timeout_at, shield, gather and gather_settled. As in asyncio, a timeout or
// a cancelled gather cancels the future; shield does not.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "test_util.h"

namespace {

using namespace detio_core_test;
using ::testing::ElementsAre;
using detio::Future;
using detio::Task;

// Sets `f` to `v` after `delay`.
Task<void> set_later(Future<int> f, int v, detio::Duration delay) {
  co_await detio::sleep(delay);
  f.set_result(v);
}

// How awaiting `work` ended: its value or describe(error), stamped.
Task<std::string> outcome(Task<int> work) {
  try {
    int v = co_await std::move(work);
    co_return at(std::to_string(v));
  } catch (...) {
    co_return at(describe(std::current_exception()));
  }
}

TEST(FutureCombinators, WaitForReturnsTheValueOrTimesOutAndCancelsTheFuture) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    Future<int> soon;
    detio::create_task(set_later(soon, 1, 500ms));
    log.push_back(co_await outcome(detio::wait_for(soon, 1s)));
    Future<int> never;
    log.push_back(co_await outcome(detio::wait_for(never, 1s)));
    log.push_back(never.cancelled() ? "cancelled" : "still pending");
  }());
  EXPECT_THAT(log, ElementsAre("1@500", "TimeoutError@1500", "cancelled"));
}

TEST(FutureCombinators, WaitForWithNonPositiveTimeout) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    Future<int> done;
    done.set_result(7);
    log.push_back(co_await outcome(detio::wait_for(done, 0s)));
    Future<int> pending;
    log.push_back(co_await outcome(detio::wait_for(pending, -1s)));
    log.push_back(pending.cancelled() ? "cancelled" : "still pending");
  }());
  EXPECT_THAT(log, ElementsAre("7@0", "TimeoutError@0", "cancelled"));
}

TEST(FutureCombinators, TimeoutAndTimeoutAtCancelTheFutureAtTheDeadline) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    Future<int> a;
    log.push_back(co_await outcome(detio::timeout(2s, a)));
    Future<int> b;
    log.push_back(co_await outcome(detio::timeout_at(detio::now() + 1s, b)));
    log.push_back(std::string(a.cancelled() ? "a cancelled" : "a pending") +
                  (b.cancelled() ? ", b cancelled" : ", b pending"));
  }());
  EXPECT_THAT(log, ElementsAre("TimeoutError@2000", "TimeoutError@3000", "a cancelled, b cancelled"));
}

TEST(FutureCombinators, ShieldKeepsTheFutureAliveWhenTheAwaiterIsCancelled) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    Future<int> f;
    auto awaiter = detio::create_task(outcome(detio::shield(f)));
    co_await detio::sleep(1s);
    awaiter.cancel("stop");
    log.push_back(co_await awaiter);
    log.push_back(f.cancelled() ? "future cancelled" : "future pending");
    f.set_result(3);
    log.push_back(co_await outcome(detio::shield(f)));
  }());
  EXPECT_THAT(log, ElementsAre("CancelledError(stop)@1000", "future pending", "3@1000"));
}

TEST(FutureCombinators, GatherMixesFuturesTasksAndHandles) {
  std::vector<int> seen;
  detio::sim::run([&]() -> Task<void> {
    Future<int> a, b;
    detio::create_task(set_later(a, 1, 2ms));
    detio::create_task(set_later(b, 3, 1ms));
    auto [x, y, z] = co_await detio::gather(a, []() -> Task<int> { co_return 2; }(), b);
    seen = {x, y, z};
    Future<int> c, d;
    detio::create_task(set_later(c, 4, 1ms));
    d.set_result(5);
    // g++ 12 rejects a braced temporary inside a co_await expression.
    std::vector<Future<int>> cd{c, d};
    for (int v : co_await detio::gather(cd)) seen.push_back(v);
  }());
  EXPECT_THAT(seen, ElementsAre(1, 2, 3, 4, 5));
}

TEST(FutureCombinators, CancellingAGatherCancelsItsFutures) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    Future<int> a, b;
    std::vector<Future<int>> ab{a, b};
    auto g = detio::create_task(detio::gather(ab));
    co_await detio::sleep(1s);
    g.cancel();
    try {
      co_await g;
      log.push_back("gather finished");
    } catch (const detio::CancelledError&) {
      log.push_back(at("gather CancelledError"));
    }
    log.push_back(std::string(a.cancelled() ? "a cancelled" : "a pending") +
                  (b.cancelled() ? ", b cancelled" : ", b pending"));
  }());
  EXPECT_THAT(log, ElementsAre("gather CancelledError@1000", "a cancelled, b cancelled"));
}

TEST(FutureCombinators, GatherSettledReportsEachFuture) {
  std::vector<std::string> seen;
  detio::sim::run([&]() -> Task<void> {
    Future<int> ok, failed, cancelled;
    ok.set_result(1);
    failed.set_exception(std::make_exception_ptr(detio::ValueError("bad")));
    cancelled.cancel("gone");
    std::vector<Future<int>> all{ok, failed, cancelled};
    for (const auto& o : co_await detio::gather_settled(all)) {
      seen.push_back(o.ok() ? std::to_string(o.value()) : describe(o.error()));
    }
  }());
  EXPECT_THAT(seen, ElementsAre("1", "ValueError(bad)", "CancelledError(gone)"));
}

}  // namespace

// detio::call_soon / call_later / call_at and CallbackHandle: the edges the
// conformance case (extra/23) does not print. Order and iterations against
// CPython are checked there.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "test_util.h"

namespace {

using namespace detio_core_test;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using detio::Task;

TEST(CallLater, CancelAfterRunningIsFalseAndAHandleOutlivesItsLoop) {
  Log log;
  detio::CallbackHandle ran, pending;
  detio::sim::run([&]() -> Task<void> {
    ran = detio::call_later(1s, [&log] { log.push_back(at("ran")); });
    pending = detio::call_later(1h, [&log] { log.push_back("never"); });
    co_await detio::sleep(2s);
    log.push_back(ran.cancel() ? "cancelled after running" : "cancel after running: false");
  }());
  // The loop is gone: the pending callback was dropped without running.
  EXPECT_FALSE(pending.cancelled());
  EXPECT_FALSE(pending.cancel());
  EXPECT_TRUE(pending.cancelled());  // as asyncio's Handle, once cancel() was called
  EXPECT_EQ(pending.when(), detio::TimePoint(1h));
  EXPECT_THAT(log, ElementsAre("ran@1000", "cancel after running: false"));
}

TEST(CallLater, PendingCallbacksDoNotKeepARunFromEndingAndOwnMoveOnlyState) {
  auto counter = std::make_shared<int>(0);
  detio::sim::run([&]() -> Task<void> {
    auto owned = std::make_unique<std::shared_ptr<int>>(counter);
    detio::call_later(1h, [owned = std::move(owned)] { ++**owned; });
    co_return;
  }());
  EXPECT_EQ(*counter, 0);
  EXPECT_EQ(counter.use_count(), 1);  // the dropped callback freed what it held
}

TEST(CallLater, AnExceptionIsReportedAndTheLoopGoesOn) {
  Log log;
  ::testing::internal::CaptureStderr();
  detio::sim::run([&]() -> Task<void> {
    detio::call_soon([] { throw detio::ValueError("boom"); });
    detio::call_soon([&log] { log.push_back("next callback ran"); });
    co_await detio::sleep(0ms);
  }());
  EXPECT_THAT(::testing::internal::GetCapturedStderr(), HasSubstr("exception in a call_soon/call_later callback: boom"));
  EXPECT_THAT(log, ElementsAre("next callback ran"));
}

TEST(CallLater, ACallbackCanCancelAnotherDueInTheSameIteration) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    detio::CallbackHandle second;
    detio::call_later(1s, [&] { log.push_back(second.cancel() ? "first cancelled second" : "too late"); });
    second = detio::call_later(1s, [&log] { log.push_back("second ran"); });
    co_await detio::sleep(2s);
  }());
  EXPECT_THAT(log, ElementsAre("first cancelled second"));
}

// While it runs, a callback is no longer pending (cancelling its own handle
// is too late) yet still alive; what it captured is released once it
// returned, handle or no handle.
TEST(CallLater, ACallbackRunningIsNoLongerPendingAndFreesItsStateAfterwards) {
  Log log;
  auto held = std::make_shared<int>(0);
  std::weak_ptr<int> watch = held;
  detio::sim::run([&]() -> Task<void> {
    detio::CallbackHandle self;
    self = detio::call_soon([&, held = std::move(held)] {
      log.push_back(self.cancel() ? "cancelled itself" : "too late to cancel itself");
      log.push_back(watch.expired() ? "state gone while running" : "state alive while running");
    });
    detio::call_soon([&log, h = std::make_unique<int>(7)] { log.push_back("move-only: " + std::to_string(*h)); });
    co_await detio::sleep(0ms);
    log.push_back(watch.expired() ? "state freed" : "state still held");
    log.push_back(self.cancelled() ? "handle reads cancelled" : "handle reads not cancelled");
  }());
  EXPECT_THAT(log, ElementsAre("too late to cancel itself", "state alive while running", "move-only: 7", "state freed",
                               "handle reads cancelled"));
}

TEST(CallLater, OutsideALoopIsARuntimeError) {
  EXPECT_THROW(detio::call_soon([] {}), detio::RuntimeError);
  EXPECT_THROW(detio::call_later(1s, [] {}), detio::RuntimeError);
}

TEST(CallLater, WorksOnTheRealBackend) {
  Log log;
  detio::run([&]() -> Task<void> {
    detio::Event done;
    detio::call_later(5ms, [&] {
      log.push_back("later");
      done.set();
    });
    detio::call_soon([&log] { log.push_back("soon"); });
    co_await done.wait();
  }());
  EXPECT_THAT(log, ElementsAre("soon", "later"));
}

}  // namespace

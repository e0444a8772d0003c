// sleep()/sleep_until() are frameless awaitables: awaited directly they need
// no coroutine frame, and they convert to the Task<void> they stand for
// wherever a Task is taken. These tests pin the conversions and when the
// deadline is taken; cancellation of sleeps is covered by
// cancellation_test.cc and timeout_test.cc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test_util.h"

namespace {

using namespace detio_core_test;
using detio::Task;
using ::testing::ElementsAre;

TEST(SleepTest, TheDeadlineIsTakenWhenTheSleepIsAwaitedNotWhenItIsMade) {
  long long woke = -1;
  detio::sim::run([&]() -> Task<void> {
    detio::Sleep later = detio::sleep(5ms);
    co_await detio::sleep(3ms);
    co_await later;
    woke = ms();
  }());
  EXPECT_EQ(woke, 8);
}

TEST(SleepTest, SleepUntilAPastTimeYieldsOnce) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto ticks = detio::create_task(ticker(log, 2));
    co_await detio::sleep(0ms);  // the ticker logs tick0
    co_await detio::sleep_until(detio::now() - 1s);
    log.push_back(at("main"));
    co_await ticks;
  }());
  EXPECT_THAT(log, ElementsAre("tick0", "tick1", "main@0"));
}

TEST(SleepTest, CreateTaskTakesASleep) {
  long long done_at = -1;
  detio::sim::run([&]() -> Task<void> {
    auto h = detio::create_task(detio::sleep(5ms), "napper");
    EXPECT_EQ(h.get_name(), "napper");
    co_await h;
    done_at = ms();
  }());
  EXPECT_EQ(done_at, 5);
}

TEST(SleepTest, ASleepConvertsToATaskThatSleepsWhenItRuns) {
  long long done_at = -1;
  detio::sim::run([&]() -> Task<void> {
    Task<void> nap = detio::sleep(5ms);
    co_await detio::sleep(2ms);
    co_await std::move(nap);
    done_at = ms();
  }());
  EXPECT_EQ(done_at, 7);
}

TEST(SleepTest, GatherWaitForTimeoutAndShieldTakeASleep) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    co_await detio::gather(detio::sleep(1ms), detio::sleep(3ms));
    log.push_back(at("gather"));
    log.push_back(at("wait_for: " + co_await outcome(detio::wait_for(detio::sleep(10s), 2ms))));
    log.push_back(at("timeout: " + co_await outcome(detio::timeout(2ms, detio::sleep(10s)))));
    co_await detio::wait_for(detio::sleep(1ms), 1s);
    log.push_back(at("wait_for in time"));
    co_await detio::shield(detio::sleep(1ms));
    log.push_back(at("shield"));
  }());
  EXPECT_THAT(log, ElementsAre("gather@3", "wait_for: TimeoutError@5", "timeout: TimeoutError@7",
                               "wait_for in time@8", "shield@9"));
}

TEST(SleepTest, TaskGroupTakesASleep) {
  long long done_at = -1;
  detio::sim::run([&]() -> Task<void> {
    auto body = [](detio::TaskGroup& tg) -> Task<void> {
      tg.create_task(detio::sleep(4ms));
      co_return;
    };
    co_await detio::task_group(body);
    done_at = ms();
  }());
  EXPECT_EQ(done_at, 4);
}

TEST(SleepTest, ASleepCanBeAwaitedAgain) {
  long long second = -1;
  detio::sim::run([&]() -> Task<void> {
    detio::Sleep nap = detio::sleep(2ms);
    co_await nap;
    co_await nap;
    second = ms();
  }());
  EXPECT_EQ(second, 4);
}

TEST(SleepTest, ACancelAfterTheTimerFiredStillCancelsTheTask) {
  // The timer fired (the task is queued) before the cancel: asyncio's
  // _must_cancel path, the sleep ends in CancelledError all the same.
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto s = detio::create_task(sleeper(log, "s", 1ms));
    co_await detio::sleep(0ms);  // s is asleep
    // Due at the same instant as s's timer, after it: runs in the same
    // iteration, once s is queued but before it steps.
    detio::call_later(1ms, [&] { EXPECT_TRUE(s.cancel("late")); });
    log.push_back("s: " + co_await outcome(s));
  }());
  EXPECT_THAT(log, ElementsAre("s start@0", "s cancelled(late)@1", "s: CancelledError(late)"));
}

TEST(SleepTest, HugeAndExtremeSleepsKeepTheirExactTime) {
  // The awaitable keeps its time in 63 bits: Duration::max()/min() and
  // TimePoint::max() must still mean "never" / "already past".
  Log log;
  detio::sim::run([&]() -> Task<void> {
    const detio::Duration long_nap = std::chrono::hours(24 * 300);  // within the default budget
    co_await detio::sleep(long_nap);
    log.push_back(std::to_string(std::chrono::duration_cast<std::chrono::hours>(detio::now().time_since_epoch()).count()));
    co_await detio::sleep(detio::Duration::min());  // yields once
    co_await detio::sleep_until(detio::TimePoint::min());
    auto forever = detio::create_task(detio::sleep(detio::Duration::max()));
    auto until_forever = detio::create_task(detio::sleep_until(detio::TimePoint::max()));
    co_await detio::sleep(1s);
    log.push_back(forever.done() || until_forever.done() ? "woke" : "asleep");
    forever.cancel("bye");
    until_forever.cancel();
    std::string first = co_await outcome(forever);
    std::string second = co_await outcome(until_forever);
    log.push_back(first + " " + second);
  }());
  EXPECT_THAT(log, ElementsAre("7200", "asleep", "CancelledError(bye) CancelledError()"));
}

TEST(SleepTest, ASleepingTaskCostsOneSmallTaskStateAndNoWaiterObject) {
  // bench/ BM_SleepingTasks: a million of them must fit in 300 MiB. The
  // state packs the task's timer, flags and counters; text is out of line.
  if constexpr (sizeof(void*) == 8) {
    EXPECT_LE(sizeof(detio::internal::TaskState<void>), 160u);
    EXPECT_EQ(sizeof(detio::Sleep), 8u);
  }
}

TEST(SleepTest, CancelMessagesAndNamesAreKeptOnlyWhenSet) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto plain = detio::create_task(detio::sleep(1s));
    auto named = detio::create_task(detio::sleep(1s));
    named.set_name("");
    co_await detio::sleep(0ms);
    plain.cancel();
    plain.cancel("second");  // after the first: stays pending, the first wins
    named.cancel("first");
    std::string first = co_await outcome(plain);
    std::string second = co_await outcome(named);
    log.push_back(first + " " + second + " [" + named.get_name() + "]");
  }());
  EXPECT_THAT(log, ElementsAre("CancelledError() CancelledError(first) []"));
}

}  // namespace

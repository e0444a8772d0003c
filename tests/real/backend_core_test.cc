// Core loop semantics, written once and run on the simulator and on the real
// epoll loop: task order, timers in loop time, cancellation and timeouts,
// gather, to_thread, sim::random, the end of run(), and a busy loop that
// must not starve the clock.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <detio/detio.h>
#include <string>
#include <thread>
#include <vector>

#include "../support/backends.h"
#include "../support/outcomes.h"

using namespace std::chrono_literals;
using detio::Task;
using Log = std::vector<std::string>;

namespace {

Task<std::string> outcome(auto a) { return detio_test::outcome_of(std::move(a)); }

// Logs "<name> start", sleeps `d`, logs "<name> end" (or "<name> cancelled(msg)")
// and returns `value`.
Task<int> sleeper(Log& log, std::string name, detio::Duration d, int value = 0) {
  log.push_back(name + " start");
  try {
    co_await detio::sleep(d);
  } catch (const detio::CancelledError& e) {
    log.push_back(name + " cancelled(" + e.message() + ")");
    throw;
  }
  log.push_back(name + " end");
  co_return value;
}

class CoreTest : public detio_test::CoreBackendTest {};

Task<void> append(Log& log, std::string what) {
  log.push_back(what);
  co_return;
}

TEST_P(CoreTest, TasksStartInFifoOrderOnALaterIteration) {
  Log log;
  run([&]() -> Task<void> {
    auto a = detio::create_task(append(log, "a"));
    auto b = detio::create_task(append(log, "b"));
    log.push_back("main");
    co_await a;
    co_await b;
  });
  EXPECT_EQ(log, (Log{"main", "a", "b"}));
}

TEST_P(CoreTest, LoopTimeStartsNearZeroAndSleepsLastTheirDuration) {
  run([&]() -> Task<void> {
    const detio::TimePoint start = detio::now();
    EXPECT_GE(start.time_since_epoch(), 0ns);
    EXPECT_LT(start.time_since_epoch(), detio_test::kRealClockSlack);
    co_await detio::sleep(30ms);
    expect_elapsed(start, 30ms);
  });
}

TEST_P(CoreTest, TimersFireInDeadlineOrder) {
  Log log;
  run([&]() -> Task<void> {
    auto late = detio::create_task(sleeper(log, "late", 40ms, 1));
    auto early = detio::create_task(sleeper(log, "early", 10ms, 2));
    auto mid = detio::create_task(sleeper(log, "mid", 25ms, 3));
    co_await detio::gather(late, early, mid);
  });
  ASSERT_EQ(log.size(), 6u);
  EXPECT_EQ(log[3], "early end");
  EXPECT_EQ(log[4], "mid end");
  EXPECT_EQ(log[5], "late end");
}

TEST_P(CoreTest, CancellingASleepingTaskRaisesCancelledErrorWithTheMessage) {
  run([&]() -> Task<void> {
    auto sleeper = detio::create_task(detio::sleep(10s));
    co_await detio::sleep(1ms);
    EXPECT_TRUE(sleeper.cancel("stop"));
    EXPECT_EQ(co_await outcome(sleeper), "CancelledError(stop)");
  });
}

TEST_P(CoreTest, WaitForTimesOutOnTime) {
  run([&]() -> Task<void> {
    const detio::TimePoint start = detio::now();
    EXPECT_EQ(co_await outcome(detio::wait_for(detio::sleep(10s), 20ms)), "TimeoutError");
    expect_elapsed(start, 20ms);
    EXPECT_EQ(co_await outcome(detio::wait_for(detio::sleep(1ms), 1s)), "ok");
  });
}

// A task spinning on sleep(0) keeps the ready queue non-empty for ever; the
// real loop must still poll, move its clock and fire the timeout. (Virtual
// time stands still while a task is ready, by design: the sim would spin.)
TEST_P(CoreTest, ABusyTaskDoesNotStarveTimers) {
  if (!real()) GTEST_SKIP() << "virtual time only moves when no task is ready";
  run([&]() -> Task<void> {
    auto spin = [&]() -> Task<void> {
      while (true) co_await detio::sleep(0ms);
    };
    const detio::TimePoint start = detio::now();
    EXPECT_EQ(co_await outcome(detio::wait_for(spin(), 20ms)), "TimeoutError");
    expect_elapsed(start, 20ms);
  });
}

TEST_P(CoreTest, GatherCollectsResultsInArgumentOrder) {
  run([&]() -> Task<void> {
    Log log;
    auto [a, b] = co_await detio::gather(sleeper(log, "a", 20ms, 1), sleeper(log, "b", 5ms, 2));
    EXPECT_EQ(a, 1);
    EXPECT_EQ(b, 2);
  });
}

TEST_P(CoreTest, ToThreadReturnsTheValueAndRethrows) {
  run([&]() -> Task<void> {
    EXPECT_EQ(co_await detio::to_thread([](int x, int y) { return x * y; }, 6, 7), 42);
    std::string s = co_await detio::to_thread([] { return std::string("from a worker"); });
    EXPECT_EQ(s, "from a worker");
    co_await detio::to_thread([] {});
    EXPECT_EQ(co_await outcome(detio::to_thread([]() -> int { throw std::runtime_error("boom"); })),
              "runtime_error(boom)");
  });
}

TEST_P(CoreTest, ToThreadRunsOnAWorkerOnlyOnTheRealBackend) {
  std::thread::id loop_thread = std::this_thread::get_id();
  std::thread::id ran_on;
  run([&]() -> Task<void> { ran_on = co_await detio::to_thread([] { return std::this_thread::get_id(); }); });
  if (real()) {
    EXPECT_NE(ran_on, loop_thread);
  } else {
    EXPECT_EQ(ran_on, loop_thread);
  }
}

TEST_P(CoreTest, SimRandomWorksOnBothBackends) {
  run([&]() -> Task<void> {
    std::int64_t sum = 0;
    for (int i = 0; i < 100; ++i) {
      const std::int64_t v = detio::sim::random().uniform(1, 6);
      EXPECT_GE(v, 1);
      EXPECT_LE(v, 6);
      sum += v;
    }
    EXPECT_GT(sum, 100);
    co_return;
  });
}

TEST_P(CoreTest, RunCancelsWhatIsLeftWhenMainReturns) {
  Log log;
  run([&]() -> Task<void> {
    detio::create_task(sleeper(log, "orphan", 1h));
    co_await detio::sleep(1ms);
  });
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[1], "orphan cancelled()");
}

TEST_P(CoreTest, RunReturnsMainsValueAndRethrowsItsException) {
  const int v = detio_test::is_real(backend())
                    ? detio::run([]() -> Task<int> { co_return 7; }())
                    : detio::sim::run([]() -> Task<int> { co_return 7; }());
  EXPECT_EQ(v, 7);
  EXPECT_THROW(run([]() -> Task<void> {
                 co_await detio::sleep(1ms);
                 throw std::runtime_error("main failed");
               }),
               std::runtime_error);
}

// Both backends refuse to hang when main waits on something nothing can
// ever set: the simulator names it a deadlock, the real loop a RuntimeError
// (both are detio::Error).
TEST_P(CoreTest, AMainThatCanNeverFinishIsAnErrorNotAHang) {
  EXPECT_THROW(run([]() -> Task<void> {
                 detio::Event never;
                 co_await never.wait();
               }),
               detio::Error);
}

// ... and the error names each blocked task and what it waits on.
TEST_P(CoreTest, TheNeverFinishesErrorListsTheBlockedTasks) {
  std::string message;
  try {
    run([]() -> Task<void> {
      detio::Event never;
      auto stuck = detio::create_task(never.wait(), "stuck");
      co_await stuck;
    });
  } catch (const std::exception& e) {
    message = e.what();
  }
  EXPECT_NE(message.find("stuck: waiting on Event.wait"), std::string::npos) << message;
  EXPECT_NE(message.find(": awaiting task stuck"), std::string::npos) << message;
}

// describe_pending_tasks(): every unfinished task, in creation order, with
// what it waits on, on both backends.
TEST_P(CoreTest, DescribePendingTasksSaysWhatEachTaskWaitsOn) {
  run([&]() -> Task<void> {
    detio::Lock lock;
    co_await lock.acquire();
    detio::Queue<int> queue;
    auto locker = detio::create_task(lock.acquire(), "locker");
    auto getter = detio::create_task(queue.get(), "getter");
    auto sleeper_task = detio::create_task(detio::sleep(1h), "sleeper");
    auto waiter = detio::create_task(detio::wait_for(getter, 1h), "waiter");
    co_await detio::sleep(1ms);
    const std::vector<std::string> lines = detio::describe_pending_tasks();
    EXPECT_EQ(lines.size(), 5u);
    if (lines.size() == 5) {
      EXPECT_EQ(lines[0].substr(lines[0].find(':')), ": running");  // main
      EXPECT_EQ(lines[1], "locker: waiting on Lock.acquire");
      EXPECT_EQ(lines[2], "getter: waiting on Queue.get");
      EXPECT_EQ(lines[3], "sleeper: waiting on sleep");
      EXPECT_EQ(lines[4], "waiter: awaiting task getter");
    }
    sleeper_task.cancel();
    waiter.cancel();
    getter.cancel();
    lock.release();
    co_await locker;
    lock.release();
  });
}

TEST_P(CoreTest, RunCannotBeNested) {
  run([&]() -> Task<void> {
    EXPECT_THROW(detio::run([]() -> Task<void> { co_return; }()), detio::RuntimeError);
    EXPECT_THROW(detio::sim::run([]() -> Task<void> { co_return; }()), detio::RuntimeError);
    co_return;
  });
}

DETIO_INSTANTIATE_CORE_BACKENDS(CoreTest);

}  // namespace

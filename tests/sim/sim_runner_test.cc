// sim::Runner (asyncio.Runner in virtual time): one simulation across
// several run() calls. Pending tasks and the clock carry over between runs;
// close() cancels what is left (its cleanup runs); a closed or deadlocked
// runner refuses further runs; the trace hash covers the whole runner.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <detio/detio.h>

#include <memory>
#include <string>
#include <vector>

namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using detio::Task;
using Log = std::vector<std::string>;

long long ms() { return detio::now().time_since_epoch() / 1ms; }

// Ticks every 10 ms until cancelled; logs its cancellation.
Task<void> ticker(Log& log, int& ticks) {
  try {
    while (true) {
      co_await detio::sleep(10ms);
      ++ticks;
    }
  } catch (const detio::CancelledError&) {
    log.push_back("ticker cancelled at " + std::to_string(ms()));
    throw;
  }
}

TEST(SimRunner, TasksAndTheClockCarryOverBetweenRuns) {
  Log log;
  int ticks = 0;
  {
    detio::sim::Runner runner({.seed = 3});
    int first = runner.run([&]() -> Task<int> {
      detio::create_task(ticker(log, ticks), "ticker");
      co_await detio::sleep(25ms);
      co_return ticks;
    }());
    std::string second = runner.run([&]() -> Task<std::string> {
      co_await detio::sleep(30ms);
      co_return std::to_string(ms());
    }());
    log.push_back("first saw " + std::to_string(first) + " ticks, second ended at " + second + " with " +
                  std::to_string(ticks));
  }  // the destructor closes: the ticker is cancelled now
  EXPECT_THAT(log, ElementsAre("first saw 2 ticks, second ended at 55 with 5", "ticker cancelled at 55"));
}

TEST(SimRunner, AnExceptionFromOneRunLeavesTheRunnerUsable) {
  detio::sim::Runner runner;
  EXPECT_THROW(runner.run([]() -> Task<void> {
    co_await detio::sleep(1s);
    throw detio::ValueError("first run fails");
  }()),
               detio::ValueError);
  EXPECT_EQ(runner.run([]() -> Task<int> { co_return 7; }()), 7);
}

TEST(SimRunner, CloseCancelsPendingTasksAndLaterRunsAreRefused) {
  Log log;
  int ticks = 0;
  detio::sim::Runner runner;
  runner.run([&]() -> Task<void> {
    detio::create_task(ticker(log, ticks));
    co_await detio::sleep(5ms);
  }());
  runner.close();
  runner.close();  // idempotent
  EXPECT_THAT(log, ElementsAre("ticker cancelled at 5"));
  EXPECT_THROW(runner.run([]() -> Task<void> { co_return; }()), detio::RuntimeError);
}

TEST(SimRunner, ADeadlockClosesTheRunner) {
  detio::sim::Runner runner;
  EXPECT_THROW(runner.run([]() -> Task<void> {
    detio::Event never;
    co_await never.wait();
  }()),
               detio::sim::DeadlockError);
  EXPECT_THROW(runner.run([]() -> Task<void> { co_return; }()), detio::RuntimeError);
}

TEST(SimRunner, RunInsideARunningLoopIsRefused) {
  std::string error;
  detio::sim::run([&]() -> Task<void> {
    detio::sim::Runner inner;
    try {
      inner.run([]() -> Task<void> { co_return; }());
    } catch (const detio::RuntimeError& e) {
      error = e.what();
    }
    co_return;
  }());
  EXPECT_EQ(error, "detio::sim::Runner cannot be called from a running event loop");
}

TEST(SimRunner, SameSeedSameTraceHashAfterClose) {
  auto runs = [](std::uint64_t seed) {
    int ticks = 0;
    Log log;
    detio::sim::Runner runner({.seed = seed, .explore = {.timer_slack = 3ms}});
    runner.run([&]() -> Task<void> {
      detio::create_task(ticker(log, ticks));
      co_await detio::sleep(100ms);
    }());
    runner.run(detio::sleep(50ms));
    runner.close();
    return std::pair(detio::sim::last_trace_hash(), ticks);
  };
  EXPECT_EQ(runs(9), runs(9));
  EXPECT_NE(runs(9).first, runs(10).first);
}

// A future settled, or a task cancelled, between two runs wakes its waiter
// in the next run, on the waiter's own loop (asyncio: a Future's callbacks
// go to its loop).
TEST(SimRunner, WakeUpsBetweenRunsAreKept) {
  detio::sim::Runner runner;
  detio::Future<int> f;
  detio::TaskHandle<int> waiter, sleeper;
  runner.run([&]() -> Task<void> {
    waiter = detio::create_task([](detio::Future<int> fut) -> Task<int> { co_return co_await fut; }(f));
    sleeper = detio::create_task(detio::sleep(1h, 0));
    co_await detio::sleep(1ms);
  }());
  f.set_result(42);
  sleeper.cancel("between runs");
  EXPECT_EQ(runner.run([&]() -> Task<int> { co_return co_await waiter; }()), 42);
  EXPECT_THROW(runner.run([&]() -> Task<int> { co_return co_await sleeper; }()), detio::CancelledError);
}

TEST(SimRunner, AFutureSetFromAnotherRunnerWakesItsWaiterOnItsOwnLoop) {
  detio::sim::Runner a, b;
  detio::Future<int> f;
  detio::TaskHandle<long long> waiter;
  a.run([&]() -> Task<void> {
    waiter = detio::create_task([](detio::Future<int> fut) -> Task<long long> {
      co_await fut;
      co_return ms();  // the clock of the loop it runs on
    }(f));
    co_await detio::sleep(1ms);
  }());
  b.run([&]() -> Task<void> {
    co_await detio::sleep(500ms);
    f.set_result(1);
  }());
  EXPECT_FALSE(waiter.done());  // it runs on a's loop, not b's
  EXPECT_EQ(a.run([&]() -> Task<long long> { co_return co_await waiter; }()), 1);
}

// close() from inside the runner's own run() is refused (it would free the
// running task's frame).
TEST(SimRunner, CloseFromInsideItsOwnRunIsRefused) {
  detio::sim::Runner runner;
  std::string error;
  runner.run([&]() -> Task<void> {
    try {
      runner.close();
    } catch (const detio::RuntimeError& e) {
      error = e.what();
    }
    co_return;
  }());
  EXPECT_EQ(error, "detio::sim::Runner.close() cannot be called while its run() is running");
  EXPECT_EQ(runner.run([]() -> Task<int> { co_return 1; }()), 1);
}

}  // namespace

// Each runner has its own simulation and network, reached through the
// running loop: a node spawned in one is unknown to the other, whichever
// runner was made first and whichever is destroyed first.
Task<void> idle_node() { co_await detio::sleep(1h); }

Task<void> spawn(std::string name) {
  detio::sim::spawn_node(std::move(name), idle_node());
  co_return;
}

Task<std::string> running_nodes() {
  std::string seen;
  for (const char* name : {"a", "b"}) {
    if (detio::sim::node_running(name)) seen += name;
  }
  co_return seen.empty() ? "-" : seen;
}

void two_runners(bool a_made_first, bool a_destroyed_first) {
  SCOPED_TRACE(std::string(a_made_first ? "a made first, " : "b made first, ") +
               (a_destroyed_first ? "a destroyed first" : "b destroyed first"));
  std::unique_ptr<detio::sim::Runner> a, b;
  if (a_made_first) a = std::make_unique<detio::sim::Runner>();
  b = std::make_unique<detio::sim::Runner>();
  if (!a_made_first) a = std::make_unique<detio::sim::Runner>();
  a->run(spawn("a"));
  EXPECT_EQ(a->run(running_nodes()), "a");
  EXPECT_EQ(b->run(running_nodes()), "-");
  b->run(spawn("b"));
  EXPECT_EQ(a->run(running_nodes()), "a");
  EXPECT_EQ(b->run(running_nodes()), "b");
  std::unique_ptr<detio::sim::Runner>& gone = a_destroyed_first ? a : b;
  std::unique_ptr<detio::sim::Runner>& left = a_destroyed_first ? b : a;
  gone.reset();
  left->run(spawn(a_destroyed_first ? "a" : "b"));
  EXPECT_EQ(left->run(running_nodes()), "ab");
}

TEST(SimRunner, TwoRunnersEachSeeOnlyTheirOwnNodes) {
  for (bool a_made_first : {true, false}) {
    for (bool a_destroyed_first : {true, false}) two_runners(a_made_first, a_destroyed_first);
  }
}

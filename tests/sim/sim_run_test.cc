// detio::sim::run: virtual time, results and errors of main, DeadlockError,
// cleanup of leftover tasks (asyncio.run's _cancel_all_tasks, then every
// frame freed), nested runs, determinism, and the seeded random streams.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "../loop/test_util.h"

namespace {

using namespace detio_core_test;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using detio::Task;
using detio::TaskHandle;
using detio::sim::Random;

// Frames hold a copy of a token; when every frame is freed, it expires.
using Token = std::shared_ptr<int>;

// Sleeps "forever"; logs its cancellation and cleans up before re-raising.
Task<void> background(Log& log, [[maybe_unused]] Token token, std::string name) {
  try {
    co_await detio::sleep(24h);
  } catch (const detio::CancelledError&) {
    log.push_back(at(name + " cancelled by run"));
    throw;
  }
  log.push_back("not reached");
}

// Swallows the cancel, works on for `extra`, then returns.
Task<void> stubborn(Log& log, [[maybe_unused]] Token token, detio::Duration extra) {
  try {
    co_await detio::sleep(24h);
  } catch (const detio::CancelledError&) {
    log.push_back(at("stubborn swallowed"));
  }
  co_await detio::sleep(extra);
  log.push_back(at("stubborn finished"));
}

// Swallows the cancel and then waits on a future nobody will ever set.
Task<void> never_ends(Log& log, [[maybe_unused]] Token token) {
  detio::Future<void> never;
  try {
    co_await never;
  } catch (const detio::CancelledError&) {
    log.push_back(at("never_ends swallowed"));
  }
  detio::Future<void> never_again;
  co_await never_again;
  log.push_back("not reached");
}

// Awaits a future that is never set.
Task<void> blocked_forever([[maybe_unused]] Token token) {
  detio::Future<int> never;
  co_await never;
}

// A little workload whose timing depends on sim::random(): the log of
// "<name>@<ms>" lines is the run's fingerprint.
Task<void> random_workload(Log& log) {
  auto worker = [](Log& l, std::string name) -> Task<void> {
    for (int i = 0; i < 5; ++i) {
      co_await detio::sleep(detio::sim::random().duration(1ms, 50ms));
      l.push_back(at(name + std::to_string(i)));
    }
  };
  std::vector<TaskHandle<void>> hs;
  for (std::string name : {"a", "b", "c"}) hs.push_back(detio::create_task(worker(log, name)));
  co_await detio::gather(std::move(hs));
}

Log run_workload(std::uint64_t seed) {
  Log log;
  detio::sim::run(random_workload(log), {.seed = seed});
  return log;
}

std::vector<std::uint64_t> draws(Random& r, int n) {
  std::vector<std::uint64_t> out;
  for (int i = 0; i < n; ++i) out.push_back(r.next_u64());
  return out;
}

// ----------------------------------------------------------------- run

TEST(SimRunTest, ReturnsMainsValue) {
  EXPECT_EQ(detio::sim::run([]() -> Task<int> {
              co_await detio::sleep(1ms);
              co_return 42;
            }()),
            42);
  EXPECT_EQ(detio::sim::run([]() -> Task<std::string> { co_return "text"; }()), "text");
  detio::sim::run([]() -> Task<void> { co_return; }());
}

TEST(SimRunTest, RethrowsMainsExceptionAfterCleaningUp) {
  Log log;
  auto token = std::make_shared<int>(0);
  std::weak_ptr<int> alive = token;
  auto body = [&log](Token t) -> Task<void> {
    detio::create_task(background(log, t, "bg"));
    co_await detio::sleep(5ms);
    throw detio::ValueError("main failed");
  };
  EXPECT_EQ(outcome_of_call([&] { detio::sim::run(body(std::move(token))); }), "ValueError(main failed)");
  EXPECT_THAT(log, ElementsAre("bg cancelled by run@5"));
  EXPECT_TRUE(alive.expired());
}

TEST(SimRunTest, VirtualTimeStartsAtZeroInEveryRunAndJumps) {
  for (int i = 0; i < 2; ++i) {
    detio::sim::run([]() -> Task<void> {
      EXPECT_EQ(detio::now(), detio::TimePoint{});
      co_await detio::sleep(24h);  // instant: nothing else is ready
      EXPECT_EQ(detio::now(), detio::TimePoint(24h));
      co_await detio::sleep(1ns);
      EXPECT_EQ(detio::now().time_since_epoch().count(), 86400000000001);
    }());
  }
}

TEST(SimRunTest, LoopFunctionsOutsideARunAreRuntimeErrors) {
  EXPECT_EQ(outcome_of_call([] { detio::now(); }), "RuntimeError");
  EXPECT_EQ(outcome_of_call([] { detio::create_task(detio::sleep(1ms)); }), "RuntimeError");
  EXPECT_FALSE(detio::current_task().valid());
}

TEST(SimRunTest, NestedRunIsARuntimeError) {
  auto token = std::make_shared<int>(0);
  std::weak_ptr<int> alive = token;
  auto inner = [](Token) -> Task<int> { co_return 1; };
  int after = detio::sim::run([&]() -> Task<int> {
    std::string r = outcome_of_call([&] { detio::sim::run(inner(std::move(token))); });
    EXPECT_EQ(r, "RuntimeError");
    EXPECT_TRUE(alive.expired());  // the rejected Task's frame was freed
    co_await detio::sleep(1ms);    // and the outer run goes on
    co_return static_cast<int>(ms());
  }());
  EXPECT_EQ(after, 1);
}

TEST(SimRunTest, DeadlockErrorNamesTheBlockedTasks) {
  auto token = std::make_shared<int>(0);
  std::weak_ptr<int> alive = token;
  auto body = [](Token t) -> Task<void> {
    auto stuck = detio::create_task(blocked_forever(t), "stuck");
    detio::create_task(detio::sleep(10ms), "sleeper");  // finishes: not blocked
    co_await stuck;
  };
  try {
    detio::sim::run(body(std::move(token)));
    ADD_FAILURE() << "no DeadlockError";
  } catch (const detio::sim::DeadlockError& e) {
    EXPECT_THAT(e.blocked_tasks(), ElementsAre("Task-1: awaiting task stuck", "stuck: waiting on Future"));
    EXPECT_THAT(e.what(), HasSubstr("Task-1"));
    EXPECT_THAT(e.what(), HasSubstr("stuck: waiting on Future"));
  }
  EXPECT_TRUE(alive.expired());
  // It is a detio::Error, so generic handlers catch it.
  EXPECT_THAT(outcome_of_call([] { detio::sim::run(blocked_forever(nullptr)); }),
              HasSubstr("deadlock"));
}

TEST(SimRunTest, DeadlockReportSaysWhatEachTaskWaitsOn) {
  auto body = []() -> Task<void> {
    co_await detio::task_group([](detio::TaskGroup& tg) -> Task<void> {
      tg.create_task(blocked_forever(nullptr), "worker");
      auto stuck = detio::create_task(blocked_forever(nullptr), "inner");
      std::vector<TaskHandle<void>> hs{stuck};
      tg.create_task(detio::gather(hs), "gatherer");
      co_return;
    });
  };
  try {
    detio::sim::run(body());
    ADD_FAILURE() << "no DeadlockError";
  } catch (const detio::sim::DeadlockError& e) {
    EXPECT_THAT(e.blocked_tasks(), ElementsAre("Task-1: waiting on TaskGroup", "worker: waiting on Future",
                                               "inner: waiting on Future", "gatherer: waiting on gather"));
  }
}

TEST(SimRunTest, LeftoverTasksAreCancelledAndLetFinishThenFreed) {
  Log log;
  auto token = std::make_shared<int>(0);
  std::weak_ptr<int> alive = token;
  auto body = [&log](Token t) -> Task<void> {
    detio::create_task(background(log, t, "bg1"));
    detio::create_task(stubborn(log, t, 5s));
    detio::create_task(never_ends(log, t));
    co_await detio::sleep(10ms);
    detio::create_task(background(log, t, "never started"));
    log.push_back(at("main returns"));
  };
  detio::sim::run(body(std::move(token)));
  // asyncio.run: every leftover is cancelled and the loop runs until they
  // are done; one that started after main returned never runs its body; one
  // that can never finish is dropped once nothing can move.
  EXPECT_THAT(log, ElementsAre("main returns@10", "bg1 cancelled by run@10", "stubborn swallowed@10",
                               "never_ends swallowed@10", "stubborn finished@5010"));
  EXPECT_TRUE(alive.expired());
}

TEST(SimRunTest, HandlesOutliveTheRun) {
  Log log;
  TaskHandle<int> finished, leftover;
  detio::sim::run([&]() -> Task<void> {
    finished = detio::create_task(sleeper(log, "f", 1ms, 5));
    leftover = detio::create_task(sleeper(log, "l", 1h, 6));
    co_await finished;
  }());
  EXPECT_EQ(finished.result(), 5);
  EXPECT_TRUE(leftover.done());
  EXPECT_TRUE(leftover.cancelled());  // cancelled by run, with no message
  EXPECT_EQ(leftover.cancelling(), 1);
  EXPECT_EQ(outcome_of_call([&] { leftover.result(); }), "CancelledError()");
  EXPECT_THAT(log, ElementsAre("f start@0", "l start@0", "f end@1", "l cancelled()@1"));
}

TEST(SimRunTest, HandleOfATaskDroppedAtShutdownIsSafeToUse) {
  // A task that swallows run()'s cancel and then blocks forever is dropped
  // at shutdown; its handle must still be safe to use after run() returns.
  Log log;
  TaskHandle<void> h;
  detio::sim::run([&]() -> Task<void> {
    h = detio::create_task(never_ends(log, nullptr));
    co_await detio::sleep(1ms);
  }());
  EXPECT_TRUE(h.done());
  EXPECT_TRUE(h.cancelled());
  EXPECT_FALSE(h.cancel("late"));
}

TEST(SimRunTest, AnUnretrievedBackgroundFailureDoesNotFailTheRun) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    detio::create_task(failer(log, "bg", 1ms));
    co_await detio::sleep(5ms);
  }());
}

TEST(SimRunTest, ToThreadRunsInlineUnderTheSimulator) {
  detio::sim::run([]() -> Task<void> {
    int calls = 0;
    int r = co_await detio::to_thread([&calls](int x) { return ++calls + x; }, 10);
    EXPECT_EQ(r, 11);
    EXPECT_EQ(ms(), 0);
  }());
}

// ------------------------------------------------------- determinism

TEST(SimRunTest, SameSeedSameRunDifferentSeedDifferentRun) {
  Log a = run_workload(123);
  Log b = run_workload(123);
  Log c = run_workload(124);
  EXPECT_EQ(a.size(), 15u);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_EQ(run_workload(0), [] {
    Log log;
    detio::sim::run(random_workload(log));  // default Options: seed 0
    return log;
  }());
}

// --------------------------------------------------- random streams

TEST(SimRandomTest, SameSeedSameSequence) {
  Random a(7), b(7), c(8);
  auto da = draws(a, 16);
  EXPECT_EQ(da, draws(b, 16));
  EXPECT_NE(da, draws(c, 16));
  EXPECT_EQ(std::set<std::uint64_t>(da.begin(), da.end()).size(), 16u);
}

TEST(SimRandomTest, GoldenValuesPinTheReplayContract) {
  // xoshiro256** seeded through splitmix64, stream keys by FNV-1a: a change
  // here breaks every recorded replay seed.
  Random r(42);
  EXPECT_THAT(draws(r, 3), ElementsAre(0x15780b2e0c2ec716ULL, 0x6104d9866d113a7eULL, 0xae17533239e499a1ULL));
  EXPECT_EQ(detio::sim::stream_key("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(detio::sim::stream_key(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(detio::sim::stream_key("user"), 0x7d6780e4032b48f2ULL);
  std::vector<std::uint64_t> user;
  detio::sim::run([&]() -> Task<void> {
    user = draws(detio::sim::random(), 2);
    co_return;
  }(), {.seed = 7});
  EXPECT_THAT(user, ElementsAre(0x00aae1fe746b16c4ULL, 0x59d329f49d206d7fULL));
}

TEST(SimRandomTest, StreamsOfARunDependOnSeedAndName) {
  auto sample = [](std::uint64_t seed, const char* name) {
    std::vector<std::uint64_t> out;
    detio::sim::run([&]() -> Task<void> {
      out = draws(detio::sim::random(name), 8);
      co_return;
    }(), {.seed = seed});
    return out;
  };
  EXPECT_EQ(sample(1, "a"), sample(1, "a"));
  EXPECT_NE(sample(1, "a"), sample(1, "b"));
  EXPECT_NE(sample(1, "a"), sample(2, "a"));
  // random() is the "user" stream.
  std::vector<std::uint64_t> via_default;
  detio::sim::run([&]() -> Task<void> {
    via_default = draws(detio::sim::random(), 8);
    co_return;
  }(), {.seed = 1});
  EXPECT_EQ(via_default, sample(1, "user"));
}

TEST(SimRandomTest, DrawsOnOneStreamDoNotShiftAnother) {
  auto b_sequence = [](int extra_a_draws, bool interleave) {
    std::vector<std::uint64_t> b;
    detio::sim::run([&]() -> Task<void> {
      for (int i = 0; i < extra_a_draws; ++i) detio::sim::random("a").next_u64();
      for (int i = 0; i < 6; ++i) {
        if (interleave) detio::sim::random("a").uniform(0, 100);
        b.push_back(detio::sim::random("b").next_u64());
        co_await detio::sleep(detio::sim::random("a").duration(0ms, 5ms));
      }
    }(), {.seed = 99});
    return b;
  };
  auto plain = b_sequence(0, false);
  EXPECT_EQ(plain, b_sequence(17, false));
  EXPECT_EQ(plain, b_sequence(3, true));
}

TEST(SimRandomTest, TheSameStreamObjectPersistsWithinARun) {
  detio::sim::run([]() -> Task<void> {
    Random& first = detio::sim::random("x");
    auto one = first.next_u64();
    Random& again = detio::sim::random("x");
    EXPECT_EQ(&first, &again);
    EXPECT_NE(again.next_u64(), one);  // continues, does not restart
    co_return;
  }());
}

TEST(SimRandomTest, UniformStaysWithinInclusiveBoundsAndCoversThem) {
  Random r(5);
  std::set<std::int64_t> seen;
  for (int i = 0; i < 2000; ++i) {
    std::int64_t v = r.uniform(-3, 3);
    EXPECT_GE(v, -3);
    EXPECT_LE(v, 3);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 7u);
  EXPECT_EQ(r.uniform(9, 9), 9);
  const std::int64_t lo = std::numeric_limits<std::int64_t>::min();
  const std::int64_t hi = std::numeric_limits<std::int64_t>::max();
  std::set<bool> signs;
  for (int i = 0; i < 64; ++i) signs.insert(r.uniform(lo, hi) < 0);
  EXPECT_EQ(signs.size(), 2u);  // the full range really is used
  EXPECT_EQ(r.uniform(lo, lo), lo);
  EXPECT_EQ(r.uniform(hi, hi), hi);
  for (int i = 0; i < 100; ++i) EXPECT_GE(r.uniform(hi - 1, hi), hi - 1);
}

TEST(SimRandomTest, UniformWithLoAboveHiIsValueError) {
  Random r(5);
  EXPECT_THAT(outcome_of_call([&] { r.uniform(2, 1); }), testing::StartsWith("ValueError("));
  EXPECT_THAT(outcome_of_call([&] { r.duration(2ms, 1ms); }), testing::StartsWith("ValueError("));
}

TEST(SimRandomTest, RealChanceAndDuration) {
  Random r(11);
  int hits = 0;
  for (int i = 0; i < 10000; ++i) {
    double x = r.real();
    EXPECT_GE(x, 0.0);
    EXPECT_LT(x, 1.0);
    if (r.chance(0.25)) ++hits;
    EXPECT_FALSE(r.chance(0.0));
    EXPECT_FALSE(r.chance(-1.0));
    EXPECT_TRUE(r.chance(1.0));
    EXPECT_TRUE(r.chance(2.0));
    auto d = r.duration(5ms, 7ms);
    EXPECT_GE(d, 5ms);
    EXPECT_LE(d, 7ms);
  }
  EXPECT_GT(hits, 2200);
  EXPECT_LT(hits, 2800);
}

TEST(SimRandomTest, RandomOutsideARunStillWorks) {
  Random& r = detio::sim::random();
  std::int64_t v = r.uniform(1, 6);
  EXPECT_GE(v, 1);
  EXPECT_LE(v, 6);
}

}  // namespace

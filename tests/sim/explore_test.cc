// Exploration mechanisms of sim::Options, each shown on a small program:
// timer coalescing (near-simultaneous timers share an iteration), wake-up
// cancellation (asyncio's _must_cancel window), injection at every
// suspension point including sleep(0), aimed injection by task name, and
// early-timeout injection only where a timeout is. With default Options
// none of them changes a run.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "detio/detio.h"
#include "detio/sim/task_pattern.h"

namespace {

using namespace std::chrono_literals;
using detio::sim::InjectAt;
using detio::sim::Options;

// --- Timer coalescing -------------------------------------------------------

struct RaceReport {
  bool same_iteration = false;
  detio::Duration first_fired_at{};
  detio::Duration second_fired_at{};
};

// Two timers 30us apart. The first queues a marker callback for the next
// iteration; if the second timer runs before the marker, both fired in the
// same iteration.
detio::Task<RaceReport> two_timers_30us_apart() {
  RaceReport report;
  bool marker_ran = false;
  auto first = [&] {
    report.first_fired_at = detio::now().time_since_epoch();
    detio::call_soon([&] { marker_ran = true; });
  };
  auto second = [&] {
    report.second_fired_at = detio::now().time_since_epoch();
    report.same_iteration = !marker_ran;
  };
  detio::call_later(1ms, first);
  detio::call_later(1030us, second);
  co_await detio::sleep(5ms);
  co_return report;
}

TEST(Coalescing, TimersThirtyMicrosecondsApartRaceInOneIterationOnlyWhenCoalesced) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const RaceReport exact = detio::sim::run(two_timers_30us_apart(), {.seed = seed});
    EXPECT_FALSE(exact.same_iteration) << "seed " << seed;
    EXPECT_EQ(exact.first_fired_at, detio::Duration(1ms));
    EXPECT_EQ(exact.second_fired_at, detio::Duration(1030us));

    const RaceReport narrow =
        detio::sim::run(two_timers_30us_apart(), {.seed = seed, .explore = {.timer_coalescing = 20us}});
    EXPECT_FALSE(narrow.same_iteration) << "seed " << seed;

    const RaceReport coalesced =
        detio::sim::run(two_timers_30us_apart(), {.seed = seed, .explore = {.timer_coalescing = 50us}});
    EXPECT_TRUE(coalesced.same_iteration) << "seed " << seed;
    // Never early: the loop "woke up late", at the later deadline.
    EXPECT_EQ(coalesced.first_fired_at, detio::Duration(1030us));
    EXPECT_EQ(coalesced.second_fired_at, detio::Duration(1030us));
  }
}

// --- Wake-up cancellation ---------------------------------------------------

detio::Task<void> await_reply(detio::Future<int> reply, std::vector<std::string>& log) {
  try {
    const int v = co_await reply;
    log.push_back("waiter got " + std::to_string(v));
  } catch (const detio::CancelledError&) {
    log.push_back("waiter cancelled");
    throw;
  }
}

// The waiter parks on `reply`; main resolves it. With `cancel_by_hand`,
// main cancels the waiter right after, before it could resume: asyncio's
// classic race, written out (asyncio prints the same, see
// tests/conformance/extra/24-wakeup-cancel).
detio::Task<std::vector<std::string>> resolve_then_maybe_cancel(bool cancel_by_hand) {
  std::vector<std::string> log;
  detio::Future<int> reply;
  auto waiter = detio::create_task(await_reply(reply, log), "waiter");
  co_await detio::sleep(1ms);
  if (!reply.done()) reply.set_result(42);
  if (cancel_by_hand) waiter.cancel();
  try {
    co_await waiter;
    log.push_back("waiter done");
  } catch (const detio::CancelledError&) {
    log.push_back("waiter ended cancelled");
  }
  log.push_back("cancelling " + std::to_string(waiter.cancelling()));
  log.push_back(reply.cancelled() ? "reply cancelled" : "reply still " + std::to_string(reply.result()));
  co_return log;
}

Options wakeup_cancel(std::uint64_t seed) {
  Options o{.seed = seed};
  o.inject = {.cancel = true, .at = InjectAt::kWakeup, .rate = 1.0, .max_per_run = 1, .tasks = "waiter"};
  return o;
}

TEST(WakeupInjection, LosesTheResolvedResultExactlyAsACancelInTheWindowDoes) {
  const std::vector<std::string> by_hand = detio::sim::run(resolve_then_maybe_cancel(true));
  const std::vector<std::string> expected = {"waiter cancelled", "waiter ended cancelled", "cancelling 1",
                                             "reply still 42"};
  EXPECT_EQ(by_hand, expected);
  detio::sim::Trace trace;
  Options o = wakeup_cancel(3);
  o.trace = &trace;
  EXPECT_EQ(detio::sim::run(resolve_then_maybe_cancel(false), o), expected);
  EXPECT_NE(trace.text().find("inject cancel at wake-up"), std::string::npos) << trace.text();
  // Without injection the waiter gets the result.
  EXPECT_EQ(detio::sim::run(resolve_then_maybe_cancel(false)).front(), "waiter got 42");
  // At suspension points the same injection cancels the await itself.
  Options at_suspend = wakeup_cancel(3);
  at_suspend.inject.at = InjectAt::kSuspend;
  const std::vector<std::string> suspended = detio::sim::run(resolve_then_maybe_cancel(false), at_suspend);
  EXPECT_EQ(suspended.front(), "waiter cancelled");
  EXPECT_EQ(suspended.back(), "reply cancelled");
}

// An early timeout at a wake-up: the wait_for race (the reply arrived, the
// timeout fired before the waiter resumed: TimeoutError, reply lost).
detio::Task<std::string> wait_for_reply() {
  detio::Future<int> reply;
  detio::call_later(1ms, [reply]() mutable { reply.set_result(5); });
  auto requester = detio::create_task(
      [](detio::Future<int> r) -> detio::Task<std::string> {
        try {
          const int v = co_await detio::wait_for(r, 10ms);
          co_return "got " + std::to_string(v);
        } catch (const detio::TimeoutError&) {
          co_return r.done() ? "timed out with the reply resolved" : "timed out";
        }
      }(reply),
      "requester");
  co_return co_await requester;
}

TEST(WakeupInjection, AnEarlyTimeoutAtAWakeupIsTheWaitForRace) {
  EXPECT_EQ(detio::sim::run(wait_for_reply()), "got 5");
  Options o = wakeup_cancel(1);
  o.inject.tasks = "requester";
  o.inject.early_timeouts = true;
  EXPECT_EQ(detio::sim::run(wait_for_reply(), o), "timed out with the reply resolved");
}

// --- Injection at every suspension point, sleep(0) included -----------------

detio::Task<void> spin(int& turns) {
  for (; turns < 1000; ++turns) co_await detio::sleep(0ms);
}

detio::Task<std::pair<int, bool>> spinner_run() {
  int turns = 0;
  auto spinner = detio::create_task(spin(turns), "spinner");
  try {
    co_await spinner;
  } catch (const detio::CancelledError&) {
  }
  co_return std::pair{turns, spinner.cancelled()};
}

TEST(SuspendInjection, ASleepZeroLoopIsInjected) {
  EXPECT_EQ(detio::sim::run(spinner_run()), (std::pair{1000, false}));
  Options always{.seed = 1};
  always.inject = {.cancel = true, .rate = 1.0, .max_per_run = 1};
  EXPECT_EQ(detio::sim::run(spinner_run(), always), (std::pair{0, true}));
  // At a rate of 1%, a task yielding 1,000 times is cancelled somewhere in
  // between on almost every seed.
  int cancelled = 0;
  std::map<int, int> turns_seen;
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    Options o{.seed = seed};
    o.inject = {.cancel = true, .rate = 0.01, .max_per_run = 1};
    const auto [turns, was_cancelled] = detio::sim::run(spinner_run(), o);
    cancelled += was_cancelled;
    ++turns_seen[turns];
  }
  EXPECT_GE(cancelled, 48);
  EXPECT_GT(turns_seen.size(), 30u);
}

// --- Aimed injection --------------------------------------------------------

detio::Task<void> busy(int rounds) {
  for (int i = 0; i < rounds; ++i) co_await detio::sleep(detio::sim::random().uniform(1, 5) * 1ms);
}

// Names of the tasks that ended cancelled.
detio::Task<std::vector<std::string>> crowd() {
  std::vector<detio::TaskHandle<void>> tasks;
  for (const char* prefix : {"worker-", "other-"}) {
    for (int i = 0; i < 6; ++i) tasks.push_back(detio::create_task(busy(10), prefix + std::to_string(i)));
  }
  std::vector<std::string> cancelled;
  for (auto& t : tasks) {
    try {
      co_await t;
    } catch (const detio::CancelledError&) {
      cancelled.push_back(t.get_name());
    }
  }
  co_return cancelled;
}

TEST(AimedInjection, NeverTouchesATaskOutsideItsPattern) {
  const std::vector<std::string> workers_but_3 = {"worker-0", "worker-1", "worker-2", "worker-4", "worker-5"};
  for (InjectAt at : {InjectAt::kSuspend, InjectAt::kWakeup}) {
    for (std::uint64_t seed = 1; seed <= 30; ++seed) {
      Options o{.seed = seed};
      o.inject = {.cancel = true, .at = at, .rate = 1.0, .max_per_run = 1000, .tasks = "worker-*",
                  .spare_tasks = "worker-3"};
      EXPECT_EQ(detio::sim::run(crowd(), o), workers_but_3) << "seed " << seed;
      // At a low rate some workers are hit, never another task.
      o.inject.rate = 0.05;
      for (const std::string& name : detio::sim::run(crowd(), o)) {
        EXPECT_TRUE(name.rfind("worker-", 0) == 0 && name != "worker-3") << name << ", seed " << seed;
      }
    }
  }
  // Unaimed, every task but main is fair game.
  Options all{.seed = 1};
  all.inject = {.cancel = true, .rate = 1.0, .max_per_run = 1000};
  EXPECT_EQ(detio::sim::run(crowd(), all).size(), 12u);
}

TEST(TaskPattern, GlobsWithAlternatives) {
  using detio::sim::matches_task_pattern;
  EXPECT_TRUE(matches_task_pattern("worker-*", "worker-12"));
  EXPECT_TRUE(matches_task_pattern("worker-*", "worker-"));
  EXPECT_FALSE(matches_task_pattern("worker-*", "a-worker-1"));
  EXPECT_TRUE(matches_task_pattern("main|client?", "client7"));
  EXPECT_FALSE(matches_task_pattern("main|client?", "client17"));
  EXPECT_TRUE(matches_task_pattern("*conn*", "pool-conn-3"));
  EXPECT_TRUE(matches_task_pattern("a*b*c", "aXbYbZc"));
  EXPECT_FALSE(matches_task_pattern("a*b*c", "aXbYbZ"));
  EXPECT_TRUE(matches_task_pattern("", ""));
  EXPECT_FALSE(matches_task_pattern("", "x"));
}

// --- Early timeouts only where a timeout is ---------------------------------

detio::Task<std::string> one_with_a_timeout_one_without() {
  auto plain = detio::create_task(busy(5), "plain");
  auto guarded = detio::create_task(
      []() -> detio::Task<std::string> {
        try {
          co_await detio::wait_for(busy(5), 1h);
          co_return "in time";
        } catch (const detio::TimeoutError&) {
          co_return "timed out early";
        }
      }(),
      "guarded");
  std::string out = co_await guarded;
  co_await plain;  // never cancelled: it has no timeout to expire
  co_return out + ", plain finished";
}

TEST(EarlyTimeoutInjection, OnlyHitsTasksInsideATimeout) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    Options o{.seed = seed};
    o.inject = {.cancel = true, .early_timeouts = true, .rate = 1.0, .max_per_run = 100};
    EXPECT_EQ(detio::sim::run(one_with_a_timeout_one_without(), o), "timed out early, plain finished");
  }
}

// --- Defaults change nothing -------------------------------------------------

TEST(Exploration, DefaultOptionsAndZeroWindowsGiveTheSameRun) {
  auto body = [](const Options& o) { detio::sim::run(crowd(), o); };
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    Options plain{.seed = seed};
    Options zeroed{.seed = seed};
    zeroed.explore.timer_coalescing = detio::Duration::zero();
    zeroed.inject.at = InjectAt::kWakeup;  // injection off: where it would land changes nothing
    zeroed.inject.tasks = "nobody";
    EXPECT_EQ(detio::sim::run_seed(body, plain).hash, detio::sim::run_seed(body, zeroed).hash);
  }
}

}  // namespace

// No sim run hangs: a run whose Options set no budget gets
// sim::kDefaultBudget, steps count loop iterations that ran only callbacks,
// and the budget still holds at shutdown, after main finished, when a task
// swallows every cancel.
#include <gtest/gtest.h>

#include <string>

#include "detio/detio.h"

namespace detio {
namespace {

using namespace std::chrono_literals;

// Swallows every cancel: asyncio.run would wait for it forever.
Task<void> stubborn() {
  for (;;) {
    try {
      co_await sleep(1s);
    } catch (const CancelledError&) {
    }
  }
}

Task<int> main_leaving_a_stubborn_task() {
  create_task(stubborn(), "stubborn");
  co_await sleep(10ms);
  co_return 1;
}

TEST(SimBudget, HoldsAtShutdownAfterMainFinished) {
  sim::Options o;
  o.budget.max_virtual_time = 1h;
  try {
    // Before: the budget was ignored once main had finished: this ran forever.
    sim::run(main_leaving_a_stubborn_task(), o);
    ADD_FAILURE() << "expected HangError";
  } catch (const sim::HangError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("hang: after main finished, the cancelled tasks did not finish within the budget"),
              std::string::npos)
        << message;
    ASSERT_EQ(e.blocked_tasks().size(), 1u);
    EXPECT_EQ(e.blocked_tasks()[0], "stubborn: waiting on sleep") << message;
  }
}

TEST(SimBudget, RunnerCloseThrowsTheShutdownHang) {
  sim::Options o;
  o.budget.max_steps = 10000;
  sim::Runner runner(o);
  EXPECT_EQ(runner.run(main_leaving_a_stubborn_task()), 1);
  EXPECT_THROW(runner.close(), sim::HangError);
  EXPECT_NO_THROW(runner.close()) << "closed once and for all";
}

TEST(SimBudget, ARunWithoutABudgetGetsTheDefault) {
  // Only the clock moves: a day at a time, for ever.
  auto clock_livelock = []() -> Task<void> {
    for (;;) co_await sleep(24h);
  };
  // Before: no budget meant none, and this never ended.
  try {
    sim::run(clock_livelock());
    ADD_FAILURE() << "expected HangError";
  } catch (const sim::HangError& e) {
    // Day 366 is the first past the default's year.
    EXPECT_NE(std::string(e.what()).find("31622400.000000s of virtual time"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(sim::kDefaultBudget.max_virtual_time, Duration(24h * 365));
}

TEST(SimBudget, CallbackOnlyLivelockHitsTheStepBudget) {
  // No task step at all: a call_soon chain in zero virtual time.
  struct Chain {
    static void again() { call_soon(&Chain::again); }
  };
  auto main_task = []() -> Task<void> {
    call_soon(&Chain::again);
    Future<void> never;
    co_await never;
  };
  sim::Options o;
  o.budget.max_steps = 1000;
  // Before: only task steps counted, so this ran forever.
  try {
    sim::run(main_task(), o);
    ADD_FAILURE() << "expected HangError";
  } catch (const sim::HangError& e) {
    EXPECT_NE(std::string(e.what()).find("hang: main task"), std::string::npos) << e.what();
  }
}

TEST(SimBudget, ZeroTimeLivelockHitsTheStepBudget) {
  auto spin = []() -> Task<void> {
    for (;;) co_await sleep(0ms);
  };
  sim::Options o;
  o.budget.max_steps = 20000;
  EXPECT_THROW(sim::run(spin(), o), sim::HangError);
  EXPECT_EQ(sim::kDefaultBudget.max_steps, 50'000'000u);
}

}  // namespace
}  // namespace detio

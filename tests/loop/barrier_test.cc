// detio::Barrier: arrival indices, release when the last party arrives,
// reuse over rounds, arrivals during draining, abort and reset, a cancelled
// party, bad arguments.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "detio/detio.h"
#include "primitive_test_util.h"

using namespace std::chrono_literals;
using detio::Task;

namespace {

using namespace primitive_test;

// Sleeps `delay`, waits at the barrier, logs "name=index@time".
Task<int> arrive(detio::Barrier& barrier, Log& log, std::string name, detio::Duration delay) {
  co_await detio::sleep(delay);
  int index = co_await barrier.wait();
  log.push_back(name + "=" + std::to_string(index) + "@" + std::to_string(ms()));
  co_return index;
}

Task<std::string> arrive_expecting_broken(detio::Barrier& barrier) {
  try {
    co_await barrier.wait();
    co_return "passed";
  } catch (const detio::BrokenBarrierError& e) {
    co_return e.what();
  }
}

TEST(Barrier, PartiesMustBePositive) {
  try {
    detio::Barrier b(0);
    ADD_FAILURE() << "expected ValueError";
  } catch (const detio::ValueError& e) {
    EXPECT_STREQ(e.what(), "Barrier parties must be > 0, got 0");
  }
  EXPECT_THROW(detio::Barrier(-2), detio::ValueError);
  detio::Barrier one(1);
  EXPECT_EQ(one.parties(), 1);
  EXPECT_EQ(one.n_waiting(), 0);
  EXPECT_FALSE(one.broken());
}

TEST(Barrier, ReleasesEveryPartyWhenTheLastArrives) {
  run([]() -> Task<void> {
    detio::Barrier barrier(3);
    Log log;
    auto a = detio::create_task(arrive(barrier, log, "a", 1ms));
    auto b = detio::create_task(arrive(barrier, log, "b", 2ms));
    auto c = detio::create_task(arrive(barrier, log, "c", 5ms));
    co_await detio::sleep(3ms);
    EXPECT_EQ(barrier.n_waiting(), 2);
    EXPECT_TRUE(log.empty());
    EXPECT_EQ(co_await a, 0);
    EXPECT_EQ(co_await b, 1);
    EXPECT_EQ(co_await c, 2);
    // The last arrival returns first: it never waited on the condition.
    EXPECT_EQ(log, (Log{"c=2@5", "a=0@5", "b=1@5"}));
    EXPECT_EQ(barrier.n_waiting(), 0);
    EXPECT_FALSE(barrier.broken());
  });
}

TEST(Barrier, OnePartyNeverWaits) {
  run([]() -> Task<void> {
    detio::Barrier barrier(1);
    EXPECT_EQ(co_await barrier.wait(), 0);
    EXPECT_EQ(co_await barrier.wait(), 0);
    EXPECT_EQ(ms(), 0);
  });
}

TEST(Barrier, IsReusableRoundAfterRound) {
  run([]() -> Task<void> {
    detio::Barrier barrier(2);
    Log log;
    auto party = [&](std::string name, detio::Duration step) -> Task<void> {
      for (int round = 0; round < 3; ++round) {
        co_await detio::sleep(step);
        int index = co_await barrier.wait();
        log.push_back(name + std::to_string(round) + "=" + std::to_string(index) + "@" + std::to_string(ms()));
      }
    };
    auto fast = detio::create_task(party("f", 1ms));
    auto slow = detio::create_task(party("s", 3ms));
    co_await fast;
    co_await slow;
    EXPECT_EQ(log, (Log{"s0=1@3", "f0=0@3", "s1=1@6", "f1=0@6", "s2=1@9", "f2=0@9"}));
  });
}

TEST(Barrier, ArrivalsWhileDrainingWaitForTheNextRound) {
  run([]() -> Task<void> {
    detio::Barrier barrier(2);
    Log log;
    // Three arrive together: two trip the barrier, the third (which queued
    // for the lock while it drained) starts the next round.
    auto a = detio::create_task(arrive(barrier, log, "a", 0ms));
    auto b = detio::create_task(arrive(barrier, log, "b", 0ms));
    auto c = detio::create_task(arrive(barrier, log, "c", 0ms));
    co_await a;
    co_await b;
    EXPECT_FALSE(c.done());
    EXPECT_EQ(barrier.n_waiting(), 1);
    auto d = detio::create_task(arrive(barrier, log, "d", 4ms));
    EXPECT_EQ(co_await c, 0);
    EXPECT_EQ(co_await d, 1);
    EXPECT_EQ(log, (Log{"b=1@0", "a=0@0", "d=1@4", "c=0@4"}));
  });
}

TEST(Barrier, AbortBreaksCurrentAndFutureWaits) {
  run([]() -> Task<void> {
    detio::Barrier barrier(3);
    auto a = detio::create_task(arrive_expecting_broken(barrier));
    auto b = detio::create_task(arrive_expecting_broken(barrier));
    co_await detio::sleep(1ms);
    EXPECT_EQ(barrier.n_waiting(), 2);
    co_await barrier.abort();
    EXPECT_TRUE(barrier.broken());
    EXPECT_EQ(barrier.n_waiting(), 0);
    EXPECT_EQ(co_await a, "Abort or reset of barrier");
    EXPECT_EQ(co_await b, "Abort or reset of barrier");
    EXPECT_EQ(co_await arrive_expecting_broken(barrier), "Barrier aborted");
    EXPECT_TRUE(barrier.broken());
    // reset() repairs a broken barrier.
    co_await barrier.reset();
    EXPECT_FALSE(barrier.broken());
    Log log;
    auto x = detio::create_task(arrive(barrier, log, "x", 0ms));
    auto y = detio::create_task(arrive(barrier, log, "y", 0ms));
    auto z = detio::create_task(arrive(barrier, log, "z", 0ms));
    co_await x;
    co_await y;
    co_await z;
    EXPECT_EQ(log, (Log{"z=2@1", "x=0@1", "y=1@1"}));
  });
}

TEST(Barrier, ResetBreaksTheCurrentWaitersAndRefills) {
  run([]() -> Task<void> {
    detio::Barrier barrier(3);
    auto a = detio::create_task(arrive_expecting_broken(barrier));
    auto b = detio::create_task(arrive_expecting_broken(barrier));
    co_await detio::sleep(1ms);
    co_await barrier.reset();
    EXPECT_FALSE(barrier.broken());
    EXPECT_EQ(barrier.n_waiting(), 0);  // resetting, not filling
    EXPECT_EQ(co_await a, "Abort or reset of barrier");
    EXPECT_EQ(co_await b, "Abort or reset of barrier");
    EXPECT_EQ(barrier.n_waiting(), 0);
    // The next round counts from 0 again.
    Log log;
    auto x = detio::create_task(arrive(barrier, log, "x", 1ms));
    auto y = detio::create_task(arrive(barrier, log, "y", 2ms));
    auto z = detio::create_task(arrive(barrier, log, "z", 3ms));
    co_await x;
    co_await y;
    co_await z;
    EXPECT_EQ(log, (Log{"z=2@4", "x=0@4", "y=1@4"}));
    // reset() with nobody waiting is harmless.
    co_await barrier.reset();
    EXPECT_EQ(barrier.n_waiting(), 0);
    EXPECT_FALSE(barrier.broken());
  });
}

TEST(Barrier, ACancelledPartyLeavesTheCountConsistent) {
  run([]() -> Task<void> {
    detio::Barrier barrier(3);
    Log log;
    auto a = detio::create_task(arrive(barrier, log, "a", 0ms));
    auto b = detio::create_task(arrive(barrier, log, "b", 0ms));
    co_await detio::sleep(1ms);
    EXPECT_EQ(barrier.n_waiting(), 2);
    a.cancel();
    EXPECT_THROW(co_await a, detio::CancelledError);
    EXPECT_EQ(barrier.n_waiting(), 1);
    EXPECT_FALSE(barrier.broken());
    auto c = detio::create_task(arrive(barrier, log, "c", 1ms));
    auto d = detio::create_task(arrive(barrier, log, "d", 2ms));
    // As in CPython, indices are handed out by the count at arrival, so
    // after a party leaves, a newcomer can get an index already taken (b's).
    EXPECT_EQ(co_await b, 1);
    EXPECT_EQ(co_await c, 1);
    EXPECT_EQ(co_await d, 2);
    EXPECT_EQ(log, (Log{"d=2@3", "b=1@3", "c=1@3"}));
  });
}

TEST(Barrier, TimeoutAroundWait) {
  run([]() -> Task<void> {
    detio::Barrier barrier(2);
    EXPECT_THROW(co_await detio::timeout(2ms, barrier.wait()), detio::TimeoutError);
    EXPECT_EQ(barrier.n_waiting(), 0);
    Log log;
    auto a = detio::create_task(arrive(barrier, log, "a", 1ms));
    EXPECT_EQ(co_await detio::wait_for(barrier.wait(), 5ms), 0);  // main arrives first
    EXPECT_EQ(co_await a, 1);
    EXPECT_EQ(ms(), 3);
  });
}

TEST(Barrier, TooFewPartiesIsADeadlock) {
  try {
    run([]() -> Task<void> {
      detio::Barrier barrier(2);
      co_await barrier.wait();
    });
    FAIL() << "expected DeadlockError";
  } catch (const detio::sim::DeadlockError& err) {
    ASSERT_EQ(err.blocked_tasks().size(), 1u);
    EXPECT_NE(err.blocked_tasks()[0].find("waiting on Condition.wait"), std::string::npos) << err.what();
  }
}

}  // namespace

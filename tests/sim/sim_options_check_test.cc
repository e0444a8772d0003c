// sim::run checks its Options before anything runs: a setting that could
// only fail later (inside the user's I/O, or silently in the scheduler) is
// a ValueError naming the option.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "detio/detio.h"

namespace detio {
namespace {

using namespace std::chrono_literals;

Task<int> quiet() { co_return 7; }

// The message sim::run throws for `o`, or "ran" if it ran.
std::string rejection(const sim::Options& o) {
  try {
    sim::run(quiet(), o);
    return "ran";
  } catch (const ValueError& e) {
    return e.what();
  }
}

TEST(SimOptionsCheck, FaultDelayRangeBackwardsNamesTheOption) {
  sim::Options o;
  o.faults.delay = 0.5;
  o.faults.delay_min = 1s;
  o.faults.delay_max = 200ms;
  // Before: accepted; the first faulted segment threw "Random::uniform:
  // lo > hi" inside the user's write.
  EXPECT_EQ(rejection(o),
            "sim::Options: faults.delay_min (1.000000000s) must be <= faults.delay_max (0.200000000s)");
  o.faults.delay_min = -1ms;
  EXPECT_EQ(rejection(o), "sim::Options: faults.delay_min must be >= 0, got -0.001000000s");
}

TEST(SimOptionsCheck, EveryFaultRangeAndRate) {
  sim::Options o;
  o.faults.clog_min = 2s;
  o.faults.clog_max = 1s;
  EXPECT_EQ(rejection(o), "sim::Options: faults.clog_min (2.000000000s) must be <= faults.clog_max (1.000000000s)");
  o = {};
  o.faults.partition_min = 3s;
  o.faults.partition_max = 1s;
  EXPECT_EQ(rejection(o),
            "sim::Options: faults.partition_min (3.000000000s) must be <= faults.partition_max (1.000000000s)");
  o = {};
  o.faults.reset = 1.5;
  EXPECT_EQ(rejection(o), "sim::Options: faults.reset must be a probability in [0, 1], got 1.5");
  o = {};
  o.faults.refuse = std::nan("");
  EXPECT_EQ(rejection(o), "sim::Options: faults.refuse must be a probability in [0, 1], got nan");
  o = {};
  o.buggify = -0.1;
  EXPECT_EQ(rejection(o), "sim::Options: buggify must be a probability in [0, 1], got -0.1");
}

TEST(SimOptionsCheck, InvalidReadyOrderIsRejected) {
  sim::Options o;
  o.explore.ready_order = static_cast<sim::ReadyOrder>(7);
  // Before: accepted, and scheduled as PCT without saying so.
  EXPECT_EQ(rejection(o), "sim::Options: explore.ready_order is not a ReadyOrder value: 7");
  o = {};
  o.explore.pct_change_points = -1;
  EXPECT_EQ(rejection(o), "sim::Options: explore.pct_change_points must be >= 0, got -1");
  o = {};
  o.explore.timer_slack = -1ns;
  EXPECT_EQ(rejection(o), "sim::Options: explore.timer_slack must be >= 0, got -0.000000001s");
}

TEST(SimOptionsCheck, NetworkAndInjectionSettings) {
  sim::Options o;
  o.network.remote.latency = -1ms;
  EXPECT_EQ(rejection(o), "sim::Options: network.remote.latency must be >= 0, got -0.001000000s");
  o = {};
  o.network.loopback.jitter = -1us;
  EXPECT_EQ(rejection(o), "sim::Options: network.loopback.jitter must be >= 0, got -0.000001000s");
  o = {};
  o.network.segment_size = 0;
  EXPECT_EQ(rejection(o), "sim::Options: network.segment_size must be > 0");
  o = {};
  o.network.receive_window = 0;
  EXPECT_EQ(rejection(o), "sim::Options: network.receive_window must be > 0");
  o = {};
  o.network.syn_retries = -1;
  EXPECT_EQ(rejection(o), "sim::Options: network.syn_retries must be >= 0, got -1");
  o = {};
  o.inject.rate = 2;
  EXPECT_EQ(rejection(o), "sim::Options: inject.rate must be a probability in [0, 1], got 2");
  o = {};
  o.inject.max_per_run = -2;
  EXPECT_EQ(rejection(o), "sim::Options: inject.max_per_run must be >= 0, got -2");
  o = {};
  o.budget.max_virtual_time = -1s;
  EXPECT_EQ(rejection(o), "sim::Options: budget.max_virtual_time must be >= 0, got -1.000000000s");
}

TEST(SimOptionsCheck, GoodOptionsRun) {
  sim::Options o;
  o.faults.delay_min = o.faults.delay_max = 5ms;  // an empty range is fine
  o.faults.reset = 1;
  o.explore.ready_order = sim::ReadyOrder::kPct;
  EXPECT_EQ(rejection(o), "ran");
}

}  // namespace
}  // namespace detio

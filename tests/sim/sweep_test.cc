// sim::sweep and its parts: seed ranges and shards, knobs, swarm mode,
// per-seed Options, failure reports and replay lines, hang detection,
// shrinking, the DETIO_* variables, and the GoogleTest integration
// (DETIO_SIM_TEST), including what a failing one prints.
#include <gtest/gtest.h>

#include <cstdlib>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "detio/detio.h"
#include "detio/sim/gtest.h"
#include "detio/sim/knobs.h"
#include "detio/sim/sweep.h"
#include "subprocess_util.h"

namespace {

using namespace std::chrono_literals;
using detio::sim::Knobs;
using detio::sim::Options;
using detio::sim::SeedRange;
using detio::sim::Shard;
using detio::sim::SweepOptions;
using detio::sim::SweepResult;

// A small run with timers, tasks and a user log line.
detio::Task<void> small_run(int tasks) {
  std::vector<detio::TaskHandle<void>> handles;
  for (int i = 0; i < tasks; ++i) {
    handles.push_back(detio::create_task(
        [](int i) -> detio::Task<void> {
          co_await detio::sleep(detio::sim::random().uniform(0, 10) * 1ms);
          detio::sim::log("task " + std::to_string(i) + " woke");
        }(i),
        "worker-" + std::to_string(i)));
  }
  co_await detio::gather(handles);
}

SweepOptions quiet(SeedRange seeds) {
  SweepOptions o;
  o.seeds = seeds;
  o.use_env = false;
  o.report = nullptr;
  return o;
}

TEST(SeedRange, ParsesRangesAndSingleSeeds) {
  EXPECT_EQ(detio::sim::parse_seed_range("42"), (SeedRange{42, 42}));
  EXPECT_EQ(detio::sim::parse_seed_range("1..1000"), (SeedRange{1, 1000}));
  EXPECT_EQ(detio::sim::parse_seed_range("0..18446744073709551615"), (SeedRange{0, ~std::uint64_t{0}}));
  for (const char* bad : {"", "a", "10..1", "1..", "..5", "1...5", "-1", "18446744073709551616", "1..2x"}) {
    EXPECT_FALSE(detio::sim::parse_seed_range(bad)) << bad;
  }
  EXPECT_EQ((SeedRange{1, 1000}).size(), 1000u);
  EXPECT_EQ((SeedRange{7, 7}).text(), "7");
  EXPECT_EQ((SeedRange{1, 9}).text(), "1..9");
}

TEST(Shard, ParsesAndCountsItsSeeds) {
  EXPECT_EQ(detio::sim::parse_shard("2/4"), (Shard{2, 4}));
  for (const char* bad : {"4/4", "1/0", "1", "/4", "a/b", "-1/4"}) EXPECT_FALSE(detio::sim::parse_shard(bad)) << bad;
  for (const SeedRange range : {SeedRange{1, 1000}, SeedRange{0, 0}, SeedRange{3, 17}, SeedRange{5, 5}}) {
    for (std::uint64_t n = 1; n <= 5; ++n) {
      std::uint64_t total = 0;
      for (std::uint64_t i = 0; i < n; ++i) {
        std::uint64_t brute = 0;
        for (std::uint64_t s = range.first; s <= range.last; ++s) brute += (Shard{i, n}.contains(s));
        EXPECT_EQ((Shard{i, n}.size_in(range)), brute) << range.text() << " shard " << i << "/" << n;
        total += brute;
      }
      EXPECT_EQ(total, range.size());
    }
  }
}

TEST(Knobs, ParseFormatAndApply) {
  std::string error;
  std::optional<Knobs> k = Knobs::parse("ops=5,inject=2,faults=0.5,reset=0,slack=1500,ready=random", &error);
  ASSERT_TRUE(k) << error;
  EXPECT_EQ(k->text(), "faults=0.5,inject=2,ops=5,ready=random,reset=0,slack=1500");
  EXPECT_EQ(Knobs::parse(k->text()), k);
  Options o;
  o.faults.reset = 0.1;
  o.faults.clog = 0.2;
  k->apply(o);
  EXPECT_EQ(o.faults.reset, 0.0);
  EXPECT_DOUBLE_EQ(o.faults.clog, 0.1);
  EXPECT_TRUE(o.inject.cancel);
  EXPECT_EQ(o.inject.max_per_run, 2);
  EXPECT_EQ(o.explore.timer_slack, detio::Duration(1500us));
  EXPECT_EQ(o.explore.ready_order, detio::sim::ReadyOrder::kRandom);
  EXPECT_EQ(k->user("ops"), 5);
  EXPECT_FALSE(k->user("inject"));
  EXPECT_FALSE(k->user("clients"));

  Knobs::parse("faults=off,inject=0,buggify=off,shuffle=on")->apply(o);
  EXPECT_FALSE(o.faults.any());
  EXPECT_FALSE(o.inject.cancel);
  EXPECT_EQ(o.buggify, 0.0);
  EXPECT_TRUE(o.explore.shuffle_same_instant);

  for (const char* bad : {"ready=sideways", "reset=2", "inject=-1", "ops", "=3", "ops=many", "slack=-5"}) {
    error.clear();
    EXPECT_FALSE(Knobs::parse(bad, &error)) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
}

TEST(Knobs, UserKnobsReachTheBodyAndAreReported) {
  EXPECT_EQ(detio::sim::knob("ops", 7), 7);  // outside a sweep: the default
  std::int64_t seen = 0;
  detio::sim::SeedReport r = detio::sim::run_seed([&](const Options&) { seen = detio::sim::knob("ops", 7); },
                                                  Options{}, *Knobs::parse("ops=3"));
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(seen, 3);
  ASSERT_EQ(r.user_knobs.size(), 1u);
  EXPECT_EQ(r.user_knobs.at("ops"), 3);
}

TEST(Swarm, EachSeedPicksItsOwnFaultMixReproducibly) {
  detio::sim::SwarmOptions swarm;
  std::set<std::string> mixes;
  int fault_free = 0, all_kinds = 0;
  for (std::uint64_t seed = 1; seed <= 400; ++seed) {
    Options a{.seed = seed}, b{.seed = seed};
    detio::sim::apply_swarm(a, swarm);
    detio::sim::apply_swarm(b, swarm);
    EXPECT_EQ(detio::sim::describe_mix(a), detio::sim::describe_mix(b));
    mixes.insert(detio::sim::describe_mix(a));
    const int kinds = (a.faults.reset > 0) + (a.faults.delay > 0) + (a.faults.clog > 0) + (a.faults.partition > 0);
    fault_free += kinds == 0;
    all_kinds += kinds == 4;
    for (double rate : {a.faults.reset, a.faults.delay, a.faults.clog, a.faults.partition}) {
      EXPECT_TRUE(rate == 0 || (rate >= swarm.max_fault_rate / 64 && rate <= swarm.max_fault_rate)) << rate;
    }
    // Off by default: the asyncio guarantees stay.
    EXPECT_EQ(a.explore.ready_order, detio::sim::ReadyOrder::kFifo);
    EXPECT_EQ(a.explore.timer_slack, detio::Duration::zero());
    EXPECT_FALSE(a.inject.cancel);
  }
  EXPECT_GT(mixes.size(), 300u);
  EXPECT_GT(fault_free, 5);
  EXPECT_GT(all_kinds, 5);
}

TEST(Swarm, DimensionsAreOptIn) {
  detio::sim::SwarmOptions swarm;
  swarm.faults = false;
  swarm.buggify = false;
  swarm.inject = true;
  swarm.explore_ready_order = true;
  int injected = 0, random_order = 0, pct = 0;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    Options o{.seed = seed};
    o.faults.clog = 0.125;
    detio::sim::apply_swarm(o, swarm);
    EXPECT_EQ(o.faults.clog, 0.125);
    EXPECT_EQ(o.buggify, 0.25);
    injected += o.inject.cancel;
    random_order += o.explore.ready_order == detio::sim::ReadyOrder::kRandom;
    pct += o.explore.ready_order == detio::sim::ReadyOrder::kPct;
  }
  EXPECT_GT(injected, 100);
  EXPECT_LT(injected, 200);
  EXPECT_GT(random_order, 60);
  EXPECT_GT(pct, 60);
}

TEST(Sweep, OptionsForSeedAreSeedPlusSwarmPlusKnobs) {
  SweepOptions o = quiet({1, 10});
  o.swarm = true;
  o.knobs = *Knobs::parse("reset=0.5");
  Options a = detio::sim::options_for_seed(o, 77);
  EXPECT_EQ(a.seed, 77u);
  EXPECT_EQ(a.faults.reset, 0.5);  // knobs come after the swarm choice
  EXPECT_EQ(a.budget.max_steps, o.default_budget.max_steps);
  o.base.budget.max_virtual_time = 1h;
  Options b = detio::sim::options_for_seed(o, 77);
  EXPECT_EQ(b.budget.max_virtual_time, detio::Duration(1h));
  EXPECT_FALSE(b.budget.max_steps);
}

TEST(Sweep, RunsEverySeedAndReportsFailuresWithReplayLines) {
  SweepOptions o = quiet({1, 60});
  o.stop_on_first_failure = false;
  o.shrink = false;
  o.replay_command = "./my_test --gtest_filter=A.B";
  std::vector<std::uint64_t> seen;
  o.on_seed = [&](const detio::sim::SeedReport& r) { seen.push_back(r.seed); };
  SweepResult r = detio::sim::sweep(
      [](const Options& opts) {
        detio::sim::run(small_run(3), opts);
        if (opts.seed % 20 == 0) throw std::runtime_error("seed " + std::to_string(opts.seed) + " is bad");
      },
      o);
  EXPECT_EQ(r.seeds_run, 60u);
  EXPECT_EQ(seen.size(), 60u);
  EXPECT_EQ(r.failure_count, 3u);
  ASSERT_EQ(r.failures.size(), 3u);
  EXPECT_EQ(r.failures[0].seed, 20u);
  EXPECT_EQ(r.failures[0].message, "std::runtime_error: seed 20 is bad");
  EXPECT_EQ(r.failures[0].replay, "DETIO_SEED=20 ./my_test --gtest_filter=A.B");
  EXPECT_EQ(r.failures[2].seed, 60u);

  o.stop_on_first_failure = true;
  seen.clear();
  r = detio::sim::sweep([](const Options& opts) { if (opts.seed == 5) throw std::logic_error("five"); }, o);
  EXPECT_EQ(r.seeds_run, 5u);
  EXPECT_EQ(r.failure_count, 1u);

  // A run whose main ends cancelled is named as such (CancelledError is not
  // a std::exception).
  r = detio::sim::sweep(
      [](const Options& opts) {
        detio::sim::run(
            []() -> detio::Task<void> {
              detio::current_task().cancel("stop");
              co_await detio::sleep(1s);
            }(),
            opts);
      },
      o);
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_EQ(r.failures[0].message, "detio::CancelledError: stop");
}

// A reversed range or a shard outside its count is a mistake in the
// caller's code: a clear error, not 2^64 seeds (the loop wrapped around)
// or none at all (a pass that tested nothing).
TEST(Sweep, ReversedRangeOrImpossibleShardIsAClearError) {
  std::uint64_t runs = 0;
  auto body = [&](const Options&) {
    if (++runs > 20) throw std::runtime_error("ran past the end of the range");
  };
  auto message_of = [&](SweepOptions o) -> std::string {
    try {
      detio::sim::sweep(body, o);
    } catch (const detio::ValueError& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_EQ(message_of(quiet({10, 1})), "sim::sweep: seeds 10..1: the first seed is after the last (want first <= last)");
  EXPECT_EQ(runs, 0u);
  for (Shard bad : {Shard{4, 4}, Shard{7, 4}, Shard{0, 0}}) {
    SweepOptions o = quiet({1, 100});
    o.shard = bad;
    EXPECT_EQ(message_of(o), "sim::sweep: shard " + bad.text() + ": want I/N with 0 <= I < N");
  }
  EXPECT_EQ(runs, 0u);
}

TEST(Sweep, SameSeedSameHashTracedOrNot) {
  auto body = [](const Options& opts) { detio::sim::run(small_run(5), opts); };
  std::set<std::uint64_t> hashes;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    Options o{.seed = seed};
    o.explore.timer_slack = 1ms;  // timers with slack: the hash covers their due times
    detio::sim::Trace trace;
    const detio::sim::SeedReport plain = detio::sim::run_seed(body, o);
    const detio::sim::SeedReport traced = detio::sim::run_seed(body, o, {}, &trace);
    EXPECT_EQ(plain.hash, traced.hash) << "seed " << seed;
    EXPECT_EQ(plain.hash, detio::sim::run_seed(body, o).hash) << "seed " << seed;
    EXPECT_NE(trace.text().find("log task 0 woke"), std::string::npos) << trace.text();
    hashes.insert(plain.hash);
  }
  EXPECT_EQ(hashes.size(), 20u);
}

TEST(Sweep, HangsAreFailuresNamingTheBlockedTasks) {
  SweepOptions o = quiet({1, 2});
  o.shrink = false;
  o.base.budget.max_virtual_time = 1h;
  SweepResult r = detio::sim::sweep(
      [](const Options& opts) {
        detio::sim::run(
            []() -> detio::Task<void> {
              auto poller = detio::create_task(
                  []() -> detio::Task<void> {
                    for (;;) co_await detio::sleep(1s);  // a retry loop that never gives up
                  }(),
                  "poller");
              co_await poller;
            }(),
            opts);
      },
      o);
  ASSERT_EQ(r.failure_count, 1u);
  const std::string& m = r.failures[0].message;
  EXPECT_NE(m.find("HangError"), std::string::npos) << m;
  EXPECT_NE(m.find("poller"), std::string::npos) << m;

  // A livelock in zero virtual time hits the step budget.
  o.base.budget = {.max_virtual_time = {}, .max_steps = 20000};
  r = detio::sim::sweep(
      [](const Options& opts) {
        detio::sim::run(
            []() -> detio::Task<void> {
              for (;;) co_await detio::sleep(0ms);
            }(),
            opts);
      },
      o);
  ASSERT_EQ(r.failure_count, 1u);
  EXPECT_NE(r.failures[0].message.find("hang"), std::string::npos) << r.failures[0].message;
}

TEST(Shrink, FindsTheSimplestFailingVariant) {
  // Fails whenever ops >= 5, whatever the faults and injections: the
  // simplest failing run has no faults, no injection, and ops = 6 (from 100:
  // 12, then 6; 1, 3 and 4 pass).
  SweepOptions o = quiet({1, 1});
  o.base.faults.reset = 0.01;
  o.base.faults.clog = 0.02;
  o.base.inject.cancel = true;
  o.base.inject.max_per_run = 4;
  o.replay_command = "./t";
  SweepResult r = detio::sim::sweep(
      [](const Options& opts) {
        const std::int64_t ops = detio::sim::knob("ops", 100);
        detio::sim::run(small_run(static_cast<int>(ops % 7)), opts);
        if (ops >= 5) throw std::runtime_error("too many ops");
      },
      o);
  ASSERT_TRUE(r.shrunk);
  EXPECT_EQ(r.shrunk->knobs.get("faults") ? *r.shrunk->knobs.get("faults") : "", "off");
  EXPECT_EQ(r.shrunk->knobs.get("inject") ? *r.shrunk->knobs.get("inject") : "", "0");
  EXPECT_EQ(r.shrunk->user_knobs.at("ops"), 6);
  EXPECT_EQ(r.shrunk->replay, "DETIO_SEED=1 DETIO_SHRINK=" + r.shrunk->knobs.text() + " ./t");
  EXPECT_NE(r.shrunk->mix.find("no faults"), std::string::npos) << r.shrunk->mix;
}

TEST(Sweep, EnvironmentVariablesOverrideTheCode) {
  SweepOptions o;
  ::setenv("DETIO_SEEDS", "10..20", 1);
  ::setenv("DETIO_SHARD", "1/3", 1);
  ::setenv("DETIO_SHRINK", "ops=4,faults=off", 1);
  ::setenv("DETIO_KEEP_GOING", "1", 1);
  detio::sim::apply_env(o);
  EXPECT_EQ(o.seeds, (SeedRange{10, 20}));
  EXPECT_EQ(o.shard, (Shard{1, 3}));
  EXPECT_EQ(o.knobs.text(), "faults=off,ops=4");
  EXPECT_FALSE(o.stop_on_first_failure);
  ::setenv("DETIO_SEED", "15", 1);
  detio::sim::apply_env(o);
  EXPECT_EQ(o.seeds, (SeedRange{15, 15}));  // DETIO_SEED wins over DETIO_SEEDS
  ::setenv("DETIO_SEED", "x", 1);
  EXPECT_THROW(detio::sim::apply_env(o), detio::ValueError);
  for (const char* v : {"DETIO_SEED", "DETIO_SEEDS", "DETIO_SHARD", "DETIO_SHRINK", "DETIO_KEEP_GOING"}) ::unsetenv(v);
}

// --- The GoogleTest integration --------------------------------------------

int correct_runs = 0;

DETIO_SIM_TEST(SimTestMacro, BodyRunsOncePerSeed) {
  ++correct_runs;
  const int tasks = static_cast<int>(seed() % 4);
  detio::sim::run(small_run(tasks), sim_options());
  EXPECT_EQ(sim_options().seed, seed());
}

class ConfiguredSweep : public detio::sim::SimTest {
 protected:
  void configure(SweepOptions& o) override {
    o.seeds = {1, 25};
    o.swarm = true;
  }
};

DETIO_SIM_TEST_F(ConfiguredSweep, UsesItsConfiguration) {
  EXPECT_GE(seed(), 1u);
  EXPECT_LE(seed(), 25u);
  detio::sim::run(small_run(2), sim_options());
}

// Run only as a child (DETIO_TEST_CHILD=1): fails on seed 7.
class FailingChild : public detio::sim::SimTest {
 protected:
  void SetUp() override {
    if (!std::getenv("DETIO_TEST_CHILD")) GTEST_SKIP() << "run by SimTestMacro.FailureNamesTheSeedAndReplays";
  }
  void configure(SweepOptions& o) override { o.seeds = {1, 20}; }
};

DETIO_SIM_TEST_F(FailingChild, FailsOnSeedSeven) {
  detio::sim::run(small_run(2), sim_options());
  EXPECT_NE(seed(), 7u) << "planted failure";
}

TEST(SimTestMacro, FailureNamesTheSeedAndReplays) {
  using detio::sim_test::run_self;
  auto sweep = run_self({{"DETIO_TEST_CHILD", "1"}}, {"--gtest_filter=FailingChild.FailsOnSeedSeven"});
  EXPECT_EQ(sweep.exit_code, 1) << sweep.output;
  EXPECT_NE(sweep.output.find("detio seed 7"), std::string::npos) << sweep.output;  // on the EXPECT itself
  EXPECT_NE(sweep.output.find("detio: seed 7 failed (1 of 7 seeds run failed)"), std::string::npos) << sweep.output;
  EXPECT_NE(sweep.output.find("replay: DETIO_SEED=7 "), std::string::npos) << sweep.output;
  EXPECT_NE(sweep.output.find("--gtest_filter=FailingChild.FailsOnSeedSeven"), std::string::npos) << sweep.output;

  auto seven = run_self({{"DETIO_TEST_CHILD", "1"}, {"DETIO_SEED", "7"}}, {"--gtest_filter=FailingChild.*"});
  EXPECT_EQ(seven.exit_code, 1) << seven.output;
  auto six = run_self({{"DETIO_TEST_CHILD", "1"}, {"DETIO_SEED", "6"}}, {"--gtest_filter=FailingChild.*"});
  EXPECT_EQ(six.exit_code, 0) << six.output;
  auto rest = run_self({{"DETIO_TEST_CHILD", "1"}, {"DETIO_SEEDS", "8..20"}, {"DETIO_PROTOCOL", "1"}},
                       {"--gtest_filter=FailingChild.*"});
  EXPECT_EQ(rest.exit_code, 0) << rest.output;
  EXPECT_EQ(detio::sim_test::protocol_lines(rest.output).size(), 13u) << rest.output;
}

}  // namespace

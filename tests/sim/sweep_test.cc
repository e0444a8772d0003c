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
#include "detio/sim/scenario_main.h"
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

  Knobs::parse("coalesce=120,pct_depth=4,inject_at=wakeup,inject_tasks=worker-*|client?,inject_spare=main")->apply(o);
  EXPECT_EQ(o.explore.timer_coalescing, detio::Duration(120us));
  EXPECT_EQ(o.explore.pct_change_points, 4);
  EXPECT_EQ(o.inject.at, detio::sim::InjectAt::kWakeup);
  EXPECT_EQ(o.inject.tasks, "worker-*|client?");
  EXPECT_EQ(o.inject.spare_tasks, "main");

  for (const char* bad : {"ready=sideways", "reset=2", "inject=-1", "ops", "=3", "ops=many", "slack=-5",
                          "coalesce=soon", "inject_at=later", "pct_depth=-1"}) {
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

TEST(Swarm, EachSeedDrawsItsWholeMixReproducibly) {
  detio::sim::SwarmOptions swarm;
  std::set<std::string> mixes;
  int fault_free = 0, all_kinds = 0, fifo = 0, random_order = 0, pct = 0, slack = 0, coalesce = 0, shuffle = 0;
  int inject_off = 0, at_wakeup = 0, early = 0, asyncio_like = 0;
  for (std::uint64_t seed = 1; seed <= 1200; ++seed) {
    Options a{.seed = seed}, b{.seed = seed};
    detio::sim::apply_swarm(a, swarm);
    detio::sim::apply_swarm(b, swarm);
    EXPECT_EQ(detio::sim::describe_mix(a), detio::sim::describe_mix(b));
    mixes.insert(detio::sim::describe_mix(a));
    const int kinds = (a.faults.reset > 0) + (a.faults.delay > 0) + (a.faults.clog > 0) + (a.faults.partition > 0) +
                      (a.faults.refuse > 0);
    fault_free += kinds == 0;
    all_kinds += kinds == 5;
    for (double rate : {a.faults.reset, a.faults.delay, a.faults.clog, a.faults.partition, a.faults.refuse}) {
      EXPECT_TRUE(rate == 0 || (rate >= swarm.max_fault_rate / 64 && rate <= swarm.max_fault_rate)) << rate;
    }
    const detio::sim::ExploreOptions& e = a.explore;
    fifo += e.ready_order == detio::sim::ReadyOrder::kFifo;
    random_order += e.ready_order == detio::sim::ReadyOrder::kRandom;
    if (e.ready_order == detio::sim::ReadyOrder::kPct) {
      ++pct;
      EXPECT_GE(e.pct_change_points, 1);
      EXPECT_LE(e.pct_change_points, swarm.max_pct_depth);
    }
    slack += e.timer_slack > detio::Duration::zero();
    EXPECT_LE(e.timer_slack, swarm.max_timer_slack);
    coalesce += e.timer_coalescing > detio::Duration::zero();
    EXPECT_LE(e.timer_coalescing, swarm.max_timer_coalescing);
    EXPECT_TRUE(e.timer_coalescing == detio::Duration::zero() || e.timer_coalescing >= 10us) << seed;
    shuffle += e.shuffle_same_instant;
    const detio::sim::InjectOptions& i = a.inject;
    inject_off += !i.cancel;
    if (i.cancel) {
      at_wakeup += i.at == detio::sim::InjectAt::kWakeup;
      early += i.early_timeouts;
      EXPECT_GE(i.rate, swarm.max_inject_rate / 1000);
      EXPECT_LE(i.rate, swarm.max_inject_rate);
      EXPECT_GE(i.max_per_run, 1);
      EXPECT_LE(i.max_per_run, swarm.max_injections);
    }
    asyncio_like += e.ready_order == detio::sim::ReadyOrder::kFifo && e.timer_slack == detio::Duration::zero() &&
                    e.timer_coalescing == detio::Duration::zero() && !i.cancel;
  }
  EXPECT_GT(mixes.size(), 1150u);
  EXPECT_GT(fault_free, 10);
  EXPECT_GT(all_kinds, 10);
  for (int third : {fifo, random_order, pct}) EXPECT_NEAR(third, 400, 80);
  EXPECT_NEAR(slack, 400, 80);
  EXPECT_NEAR(coalesce, 600, 90);
  EXPECT_NEAR(shuffle, 600, 90);
  EXPECT_NEAR(inject_off, 300, 70);
  EXPECT_NEAR(at_wakeup, 450, 80);
  EXPECT_NEAR(early, 450, 80);
  // Some seeds run as asyncio does (FIFO, exact timers, nothing injected).
  EXPECT_GT(asyncio_like, 20);
}

TEST(Swarm, ADimensionThatIsOffKeepsTheBaseOptions) {
  detio::sim::SwarmOptions swarm;
  swarm.faults = false;
  swarm.buggify = false;
  swarm.explore_timers = false;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    Options o{.seed = seed};
    o.faults.clog = 0.125;
    o.explore.timer_slack = 7us;
    detio::sim::apply_swarm(o, swarm);
    EXPECT_EQ(o.faults.clog, 0.125);
    EXPECT_EQ(o.faults.reset, 0.0);
    EXPECT_EQ(o.buggify, 0.25);
    EXPECT_EQ(o.explore.timer_slack, detio::Duration(7us));
    EXPECT_EQ(o.explore.timer_coalescing, detio::Duration::zero());
  }
  // Turning a dimension off does not shift another's draws.
  detio::sim::SwarmOptions all;
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    Options a{.seed = seed}, b{.seed = seed};
    detio::sim::apply_swarm(a, all);
    detio::sim::apply_swarm(b, swarm);
    EXPECT_EQ(a.explore.ready_order, b.explore.ready_order);
    EXPECT_EQ(a.inject.cancel, b.inject.cancel);
    EXPECT_EQ(a.inject.rate, b.inject.rate);
  }
}

TEST(Swarm, MixKnobsReproduceTheMixExactly) {
  detio::sim::SwarmOptions swarm;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    Options drawn{.seed = seed};
    detio::sim::apply_swarm(drawn, swarm);
    const Knobs k = detio::sim::mix_knobs(drawn);
    // Through text, as in a replay line.
    std::optional<Knobs> parsed = Knobs::parse(k.text());
    ASSERT_TRUE(parsed) << k.text();
    Options replayed{.seed = seed};
    replayed.buggify = 0.9;
    replayed.explore.pct_change_points = 77;
    parsed->apply(replayed);
    EXPECT_EQ(detio::sim::describe_mix(replayed), detio::sim::describe_mix(drawn)) << k.text();
    EXPECT_EQ(detio::sim::mix_knobs(replayed), k);
    EXPECT_EQ(replayed.faults.reset, drawn.faults.reset);
    EXPECT_EQ(replayed.inject.rate == drawn.inject.rate || !drawn.inject.cancel, true);
    EXPECT_EQ(replayed.explore.timer_slack, drawn.explore.timer_slack);
    EXPECT_EQ(replayed.explore.timer_coalescing, drawn.explore.timer_coalescing);
  }
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

// The first seed whose swarm mix leaves none of asyncio's defaults.
std::uint64_t seed_with_everything_on() {
  for (std::uint64_t seed = 1;; ++seed) {
    Options o{.seed = seed};
    detio::sim::apply_swarm(o, {});
    const detio::sim::ExploreOptions& e = o.explore;
    if (o.faults.any() && o.buggify > 0 && e.ready_order == detio::sim::ReadyOrder::kPct &&
        e.timer_slack > detio::Duration::zero() && e.timer_coalescing > detio::Duration::zero() &&
        e.shuffle_same_instant && o.inject.cancel) {
      return seed;
    }
  }
}

TEST(Shrink, WalksEverySwarmDimensionBackToAsyncioDefaultsButNotSwitches) {
  const std::uint64_t seed = seed_with_everything_on();
  SweepOptions o = quiet({seed, seed});
  o.swarm = true;
  o.replay_command = "./t";
  o.knobs = *Knobs::parse("variant=3");
  std::int64_t variant_seen = -1;
  SweepResult r = detio::sim::sweep(
      [&](const Options& opts) {
        variant_seen = detio::sim::switch_knob("variant", 0);
        const std::int64_t ops = detio::sim::knob("ops", 40);
        detio::sim::run(small_run(static_cast<int>(ops % 5)), opts);
        throw std::runtime_error("always fails");
      },
      o);
  ASSERT_EQ(r.failures.size(), 1u);
  // The failure's replay line spells out the seed's whole mix.
  const std::string& replay = r.failures[0].replay;
  for (const char* knob : {"ready=pct", "pct_depth=", "coalesce=", "slack=", "shuffle=on", "inject_rate=", "variant=3"}) {
    EXPECT_NE(replay.find(knob), std::string::npos) << knob << " missing from " << replay;
  }
  ASSERT_TRUE(r.shrunk);
  const Knobs& k = r.shrunk->knobs;
  auto value = [&](const char* key) { return k.get(key) ? *k.get(key) : std::string("(unset)"); };
  EXPECT_EQ(value("faults"), "off");
  EXPECT_EQ(value("inject"), "0");
  EXPECT_EQ(value("ready"), "fifo");
  EXPECT_EQ(value("slack"), "0");
  EXPECT_EQ(value("coalesce"), "0");
  EXPECT_EQ(value("shuffle"), "off");
  EXPECT_EQ(value("buggify"), "0");
  EXPECT_EQ(value("ops"), "1");
  EXPECT_EQ(value("variant"), "3");  // a switch: never shrunk
  EXPECT_EQ(variant_seen, 3);
  EXPECT_EQ(r.shrunk->user_knobs.count("variant"), 0u);
  EXPECT_NE(r.shrunk->replay.find("coalesce=0"), std::string::npos) << r.shrunk->replay;
}

TEST(Knobs, SwitchKnobsReadLikeKnobsButAreNotReportedForShrinking) {
  EXPECT_EQ(detio::sim::switch_knob("fixed", 1), 1);  // outside a sweep
  std::int64_t seen = -1;
  detio::sim::SeedReport r = detio::sim::run_seed(
      [&](const Options&) { seen = detio::sim::switch_knob("fixed", 0); }, Options{}, *Knobs::parse("fixed=1"));
  EXPECT_EQ(seen, 1);
  EXPECT_TRUE(r.user_knobs.empty());
}

TEST(ScenarioMain, TheBodyGetsTheArgumentsAfterTheSeparator) {
  std::vector<std::string> words = {"prog", "--detio-seeds", "1..3", "--", "--fixed", "two words"};
  std::vector<char*> argv;
  for (std::string& w : words) argv.push_back(w.data());
  std::vector<std::vector<std::string>> seen;
  detio::sim::ScenarioBody body = [&](const Options&, const std::vector<std::string>& args) { seen.push_back(args); };
  EXPECT_EQ(detio::sim::scenario_main(static_cast<int>(argv.size()), argv.data(), body), 0);
  const std::vector<std::string> expected = {"--fixed", "two words"};
  EXPECT_EQ(seen, std::vector<std::vector<std::string>>(3, expected));
  // A body without arguments refuses them; protocol flags go before "--".
  detio::sim::SweepBody plain = [](const Options&) {};
  EXPECT_EQ(detio::sim::scenario_main(static_cast<int>(argv.size()), argv.data(), plain), 2);
  std::vector<std::string> stray = {"prog", "--detio-seeds", "1", "--fixed"};
  std::vector<char*> stray_argv;
  for (std::string& w : stray) stray_argv.push_back(w.data());
  EXPECT_EQ(detio::sim::scenario_main(static_cast<int>(stray_argv.size()), stray_argv.data(), body), 2);
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

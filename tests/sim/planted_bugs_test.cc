// Planted bugs that seed sweeps must find:
//  1. A relay that loses a queue item when it is cancelled between two
//     particular awaits (it took the item from its inbox and is journalling
//     it). Nothing in the code ever cancels it - no timeout, no client - so
//     only cancellation injection can find it: found with inject on within
//     10,000 seeds, never with it off.
//  2. A booking service with a check-then-act race across an await (two
//     bookers both see the last seat free). Clients arrive 4 ms apart and a
//     booking takes 1 ms, so the race never happens in asyncio's exact
//     timing; schedule exploration (timer slack) finds it within 10,000
//     seeds. The failing seed replays identically (same trace hash) in
//     another process through DETIO_SEED, and its trace is valid Chrome
//     trace-event JSON.
// The fixed versions of both pass the same sweeps.
//
// BookingSweep.Race and RelaySweep.Injection are the same sweeps as
// DETIO_SIM_TESTs; they run only as child processes of the tests here
// (DETIO_TEST_CHILD=1), or by hand / through detio-sweep --gtest:
//   DETIO_TEST_CHILD=1 DETIO_SEEDS=1..10000 ./planted_bugs_test
//       --gtest_filter=RelaySweep.Injection   (one command line)
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include "detio/detio.h"
#include "detio/sim/gtest.h"
#include "detio/sim/knobs.h"
#include "detio/sim/sweep.h"
#include "json_check.h"
#include "subprocess_util.h"

namespace {

using namespace std::chrono_literals;
using detio::sim::Options;
using detio::sim::SweepOptions;
using detio::sim::SweepResult;

// --- 1. The relay -----------------------------------------------------------

class Relay {
 public:
  explicit Relay(bool fixed) : fixed_(fixed) {}

  void start_mover(int id) {
    detio::TaskHandle<void> h = detio::create_task(mover(), "mover-" + std::to_string(id));
    // A supervisor: a mover that ends cancelled is replaced.
    h.add_done_callback([this, id](const detio::TaskHandle<void>& done) {
      if (!stopping_ && done.cancelled()) start_mover(id);
    });
  }

  detio::Queue<int> inbox;
  detio::Queue<int> outbox;

  void stop() { stopping_ = true; }

 private:
  // The durable write of an item before it is handed on.
  detio::Task<void> journal(int) { co_await detio::sleep(1ms); }

  detio::Task<void> mover() {
    for (;;) {
      const int item = co_await inbox.get();
      if (fixed_) {
        try {
          co_await journal(item);
        } catch (const detio::CancelledError&) {
          inbox.put_nowait(item);  // give it back before going away
          throw;
        }
      } else {
        // BUG: cancelled here, the item is in neither queue.
        co_await journal(item);
      }
      outbox.put_nowait(item);
    }
  }

  bool fixed_;
  bool stopping_ = false;
};

// `relay` outlives the run (the movers wait on its queues until the end).
detio::Task<void> relay_scenario(Relay& relay) {
  const int items = static_cast<int>(detio::sim::knob("items", 20));
  relay.start_mover(0);
  relay.start_mover(1);
  detio::sim::Random& rng = detio::sim::random();
  for (int i = 0; i < items; ++i) {
    co_await detio::sleep(rng.uniform(0, 3) * 1ms);
    relay.inbox.put_nowait(i);
  }
  std::vector<int> received;
  while (static_cast<int>(received.size()) < items) received.push_back(co_await relay.outbox.get());
  relay.stop();
  std::sort(received.begin(), received.end());
  for (int i = 0; i < items; ++i) {
    if (received[static_cast<std::size_t>(i)] != i) throw std::runtime_error("the relay duplicated an item");
  }
}

void relay_body(const Options& options, bool fixed) {
  Relay relay(fixed);
  try {
    detio::sim::run(relay_scenario(relay), options);
  } catch (const detio::sim::DeadlockError& e) {
    // The receiver waits forever for the lost item.
    throw std::runtime_error(std::string("the relay lost an item (the receiver waits for it forever): ") + e.what());
  }
}

SweepOptions relay_sweep(bool inject) {
  SweepOptions o;
  o.seeds = {1, 10000};
  o.base.inject.cancel = inject;  // rate 0.01 per suspension point, at most 1 per run
  o.use_env = false;
  o.report = nullptr;
  o.shrink = false;
  return o;
}

TEST(PlantedCancellationBug, FoundByInjectionWithin10000Seeds) {
  SweepResult r = detio::sim::sweep([](const Options& o) { relay_body(o, false); }, relay_sweep(true));
  ASSERT_FALSE(r.ok()) << "cancellation injection did not find the lost item in 10,000 seeds";
  const detio::sim::SeedFailure& f = r.failures.front();
  EXPECT_LE(f.seed, 10000u);
  EXPECT_NE(f.message.find("lost an item"), std::string::npos) << f.message;
  std::printf("[ planted ] relay: injection found the lost item at seed %llu (%llu seeds run)\n",
              static_cast<unsigned long long>(f.seed), static_cast<unsigned long long>(r.seeds_run));

  // The trace of the failing seed shows the injected cancel.
  detio::sim::Trace trace;
  detio::sim::SeedReport again =
      detio::sim::run_seed([](const Options& o) { relay_body(o, false); },
                           detio::sim::options_for_seed(relay_sweep(true), f.seed), {}, &trace);
  EXPECT_FALSE(again.ok);
  EXPECT_EQ(again.hash, f.hash) << "the failing seed did not replay identically";
  EXPECT_NE(trace.text().find("inject cancel"), std::string::npos) << trace.text();
}

TEST(PlantedCancellationBug, NotFoundWithoutInjectionIn10000Seeds) {
  SweepOptions o = relay_sweep(false);
  o.stop_on_first_failure = false;
  SweepResult r = detio::sim::sweep([](const Options& opts) { relay_body(opts, false); }, o);
  EXPECT_EQ(r.seeds_run, 10000u);
  EXPECT_TRUE(r.ok()) << r.failure_count << " failures, first: seed " << r.failures.front().seed << ": "
                      << r.failures.front().message;
}

TEST(PlantedCancellationBug, FixedRelaySurvivesInjection) {
  SweepOptions o = relay_sweep(true);
  o.seeds = {1, 2000};
  o.base.inject.max_per_run = 3;
  SweepResult r = detio::sim::sweep([](const Options& opts) { relay_body(opts, true); }, o);
  EXPECT_TRUE(r.ok()) << "seed " << r.failures.front().seed << ": " << r.failures.front().message;
}

TEST(PlantedCancellationBug, ShrinkGivesAReplayableSimplerRun) {
  SweepOptions o = relay_sweep(true);
  o.shrink = true;
  SweepResult r = detio::sim::sweep([](const Options& opts) { relay_body(opts, false); }, o);
  ASSERT_FALSE(r.ok());
  ASSERT_TRUE(r.shrunk.has_value());
  EXPECT_GE(r.shrunk->steps, 1) << "nothing simpler failed";
  EXPECT_FALSE(r.shrunk->knobs.empty());
  EXPECT_LE(r.shrunk->user_knobs.at("items"), 20);
  EXPECT_NE(r.shrunk->replay.find("DETIO_SHRINK=" + r.shrunk->knobs.text()), std::string::npos) << r.shrunk->replay;
  // The replay line's knobs reproduce the simpler failure.
  SweepOptions unknobbed = relay_sweep(true);
  detio::sim::SeedReport again = detio::sim::run_seed([](const Options& opts) { relay_body(opts, false); },
                                                      detio::sim::options_for_seed(unknobbed, r.shrunk->seed),
                                                      r.shrunk->knobs);
  EXPECT_FALSE(again.ok);
  EXPECT_EQ(again.hash, r.shrunk->hash);
}

// --- 2. The booking race ----------------------------------------------------

class Booking {
 public:
  Booking(int seats, bool fixed) : seats_(seats), fixed_(fixed) {}

  detio::Task<bool> book() {
    if (!fixed_) co_return co_await check_then_act();
    auto guard = co_await lock_.scoped();
    co_return co_await check_then_act();
  }

  int sold() const { return sold_; }

 private:
  detio::Task<bool> check_then_act() {
    if (sold_ >= seats_) co_return false;  // check
    co_await detio::sleep(1ms);            // write the booking to the database
    ++sold_;                               // act (BUG without the lock)
    co_return true;
  }

  int seats_;
  bool fixed_;
  int sold_ = 0;
  detio::Lock lock_;
};

detio::Task<bool> booking_client(Booking& booking, int i, detio::Duration jitter) {
  co_await detio::sleep(i * 4ms + jitter);
  co_return co_await booking.book();
}

detio::Task<void> booking_scenario(bool fixed) {
  const int clients = static_cast<int>(detio::sim::knob("clients", 8));
  Booking booking(clients / 2, fixed);
  std::vector<detio::TaskHandle<bool>> handles;
  for (int i = 0; i < clients; ++i) {
    const detio::Duration jitter = detio::sim::random().uniform(0, 1000) * 1us;
    handles.push_back(detio::create_task(booking_client(booking, i, jitter), "client-" + std::to_string(i)));
  }
  co_await detio::gather(handles);
  detio::sim::log("sold " + std::to_string(booking.sold()) + " of " + std::to_string(clients / 2));
  if (booking.sold() > clients / 2) {
    throw std::runtime_error("oversold: " + std::to_string(booking.sold()) + " bookings for " +
                             std::to_string(clients / 2) + " seats");
  }
}

void booking_body(const Options& options, bool fixed) { detio::sim::run(booking_scenario(fixed), options); }

// The exploring sweep; BookingSweep.Race uses the same settings.
void booking_sweep(SweepOptions& o) {
  o.seeds = {1, 10000};
  o.base.explore.timer_slack = 5ms;
  o.shrink = false;
}

TEST(PlantedRace, NotFoundWithoutExploration) {
  SweepOptions o;
  o.seeds = {1, 2000};
  o.use_env = false;
  o.report = nullptr;
  o.stop_on_first_failure = false;
  SweepResult r = detio::sim::sweep([](const Options& opts) { booking_body(opts, false); }, o);
  EXPECT_EQ(r.seeds_run, 2000u);
  EXPECT_TRUE(r.ok()) << "seed " << r.failures.front().seed << ": " << r.failures.front().message;
}

TEST(PlantedRace, FoundByExplorationReplaysWithDetioSeedAndTracesToChromeJson) {
  SweepOptions o;
  booking_sweep(o);
  o.use_env = false;
  o.report = nullptr;
  SweepResult r = detio::sim::sweep([](const Options& opts) { booking_body(opts, false); }, o);
  ASSERT_FALSE(r.ok()) << "schedule exploration did not find the race in 10,000 seeds";
  const detio::sim::SeedFailure& f = r.failures.front();
  EXPECT_NE(f.message.find("oversold"), std::string::npos) << f.message;
  EXPECT_NE(f.replay.find("DETIO_SEED=" + std::to_string(f.seed) + " "), std::string::npos) << f.replay;
  std::printf("[ planted ] booking race: found at seed %llu (%llu seeds run)\n",
              static_cast<unsigned long long>(f.seed), static_cast<unsigned long long>(r.seeds_run));

  // Replay in another process, as a user would: DETIO_SEED=n.
  detio::sim_test::ProcessResult child = detio::sim_test::run_self(
      {{"DETIO_TEST_CHILD", "1"}, {"DETIO_SEED", std::to_string(f.seed)}, {"DETIO_PROTOCOL", "1"}},
      {"--gtest_filter=BookingSweep.Race"});
  EXPECT_EQ(child.exit_code, 1) << child.output;
  auto lines = detio::sim_test::protocol_lines(child.output);
  ASSERT_EQ(lines.size(), 1u) << child.output;
  EXPECT_EQ(lines[0].first, f.seed);
  EXPECT_FALSE(lines[0].second.ok);
  EXPECT_EQ(lines[0].second.hash, f.hash) << "DETIO_SEED replay in another process gave another trace hash";
  EXPECT_NE(child.output.find("replay: DETIO_SEED=" + std::to_string(f.seed) + " "), std::string::npos)
      << child.output;
  EXPECT_NE(child.output.find("--gtest_filter=BookingSweep.Race"), std::string::npos) << child.output;

  // The full trace of the failing seed: same hash, valid Chrome JSON with a
  // track per task.
  detio::sim::Trace trace;
  detio::sim::SeedReport traced = detio::sim::run_seed([](const Options& opts) { booking_body(opts, false); },
                                                       detio::sim::options_for_seed(o, f.seed), {}, &trace);
  EXPECT_EQ(traced.hash, f.hash);
  detio::sim_test::Json json;
  ASSERT_NO_THROW(json = detio::sim_test::parse_json(trace.chrome_json())) << trace.chrome_json();
  ASSERT_TRUE(json.has("traceEvents"));
  const auto& events = json.at("traceEvents").array;
  ASSERT_GT(events.size(), 20u);
  int client_tracks = 0, spans_begun = 0, spans_ended = 0, logs = 0;
  for (const detio::sim_test::Json& e : events) {
    ASSERT_EQ(e.type, detio::sim_test::Json::Type::kObject);
    ASSERT_TRUE(e.has("name") && e.has("ph") && e.has("pid") && e.has("tid"));
    const std::string& ph = e.at("ph").string;
    if (ph == "M") {
      if (e.at("name").string == "thread_name" && e.at("args").at("name").string.rfind("client-", 0) == 0) {
        ++client_tracks;
      }
      continue;
    }
    ASSERT_TRUE(e.has("ts")) << "an event without a timestamp";
    EXPECT_EQ(e.at("ts").type, detio::sim_test::Json::Type::kNumber);
    spans_begun += ph == "B";
    spans_ended += ph == "E";
    logs += e.at("name").string.rfind("sold ", 0) == 0;
  }
  EXPECT_EQ(client_tracks, 8);
  EXPECT_GE(spans_begun, 9);  // main + 8 clients
  EXPECT_EQ(spans_begun, spans_ended);
  EXPECT_EQ(logs, 1);
}

TEST(PlantedRace, FixedBookingSurvivesExploration) {
  SweepOptions o;
  booking_sweep(o);
  o.seeds = {1, 2000};
  o.use_env = false;
  o.report = nullptr;
  o.base.explore.ready_order = detio::sim::ReadyOrder::kRandom;
  SweepResult r = detio::sim::sweep([](const Options& opts) { booking_body(opts, true); }, o);
  EXPECT_TRUE(r.ok()) << "seed " << r.failures.front().seed << ": " << r.failures.front().message;
}

// --- The same sweeps as DETIO_SIM_TESTs (child processes only) --------------

class PlantedChild : public detio::sim::SimTest {
 protected:
  void SetUp() override {
    if (!std::getenv("DETIO_TEST_CHILD")) GTEST_SKIP() << "run by its parent test (set DETIO_TEST_CHILD=1)";
  }
};

class BookingSweep : public PlantedChild {
  void configure(SweepOptions& o) override { booking_sweep(o); }
};

class RelaySweep : public PlantedChild {
  void configure(SweepOptions& o) override {
    o.seeds = {1, 10000};
    o.base.inject.cancel = true;
  }
};

}  // namespace

DETIO_SIM_TEST_F(BookingSweep, Race) { booking_body(sim_options(), false); }
DETIO_SIM_TEST_F(RelaySweep, Injection) { relay_body(sim_options(), false); }

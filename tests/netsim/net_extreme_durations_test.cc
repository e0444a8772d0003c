// Durations at the ends of their range in the simulated network: a link
// latency, a fault delay, a clog, a retransmit pause or a SYN timeout of
// Duration::max() means "never" (the arithmetic saturates instead of
// overflowing into the past), negative ones are ValueErrors naming the
// setting, and the trace formats Duration::min() without negating it.
#include <gtest/gtest.h>

#include <string>

#include "detio/detio.h"
#include "detio/net/faults.h"
#include "detio/net/trace.h"
#include "detio/sim/network_trace.h"
#include "detio/sim/node.h"

namespace detio {
namespace {

using namespace std::chrono_literals;

// A server on node "db1", port 80, that answers each line with "ok\n".
Task<void> line_server() {
  auto answer = [](StreamReader r, StreamWriter w) -> Task<void> {
    while (!(co_await r.readline()).empty()) {
      w.write("ok\n");
      co_await w.drain();
    }
  };
  Server server = co_await start_server(std::move(answer), "", 80);
  co_await server.serve_forever();
}

// From the main host: connect to db1, send one line, wait up to `patience`
// for the answer. "ok\n", "TimeoutError" or the error's message.
Task<std::string> ask_db1(Duration patience) {
  co_await sleep(1ms);  // db1 listens
  auto [r, w] = co_await open_connection("db1", 80);
  w.write("hello\n");
  std::string answer;
  try {
    auto read_answer = r.readline();
    answer = co_await wait_for(std::move(read_answer), patience);
  } catch (const TimeoutError&) {
    answer = "TimeoutError";
  }
  w.close();
  co_return answer;
}

Task<std::string> ask_db1_from_main(Duration patience) {
  sim::spawn_node("db1", line_server());
  co_return co_await ask_db1(patience);
}

TEST(NetExtremeDurations, LinkLatencyOfDurationMaxNeverDelivers) {
  auto main_task = []() -> Task<std::string> {
    sim::spawn_node("db1", line_server());
    co_await sleep(1ms);
    auto [r, w] = co_await open_connection("db1", 80);
    net::set_link("main", "db1", {.latency = Duration::max(), .jitter = 1ms, .bandwidth = 1000});
    w.write("hello\n");
    std::string answer;
    try {
      auto read_answer = r.readline();
      answer = co_await wait_for(std::move(read_answer), 10s);
    } catch (const TimeoutError&) {
      answer = "TimeoutError";
    }
    w.close();
    co_return answer;
  };
  // Before: depart + latency overflowed into the past and the bytes arrived
  // at once (UBSan stopped the run).
  EXPECT_EQ(sim::run(main_task(), sim::Options{.seed = 1}), "TimeoutError");
}

TEST(NetExtremeDurations, FaultDelayOfDurationMaxHoldsTheSegmentForever) {
  sim::Options o{.seed = 3};
  o.network.remote = {.latency = 1ms, .jitter = {}, .bandwidth = 0};
  o.faults.delay = 1;
  o.faults.delay_min = Duration::max();
  o.faults.delay_max = Duration::max();
  o.network.keep_trace = true;
  EXPECT_EQ(sim::run(ask_db1_from_main(10s), o), "TimeoutError");
  const net::Trace& trace = sim::last_network_trace();
  bool logged = false;
  for (const net::Event& e : trace.events()) {
    if (e.kind == net::EventKind::kLoss) {
      EXPECT_EQ(e.detail, "retransmit after 9223372036.854775807s");
      logged = true;
    }
  }
  EXPECT_TRUE(logged);
}

TEST(NetExtremeDurations, ClogAndRetransmitPauseOfDurationMaxHoldEverything) {
  auto main_task = [](bool clog) -> Task<std::string> {
    sim::spawn_node("db1", line_server());
    co_await sleep(1ms);
    auto [r, w] = co_await open_connection("db1", 80);
    if (clog) {
      net::clog("main", "db1", Duration::max());
    } else {
      net::partition("main", "db1");  // keeps the segment in flight
    }
    w.write("hello\n");
    if (!clog) {
      co_await sleep(0ms);
      net::lose_packets("main", "db1", Duration::max());
      net::heal();
    }
    std::string answer;
    try {
      auto read_answer = r.readline();
      answer = co_await wait_for(std::move(read_answer), 10s);
    } catch (const TimeoutError&) {
      answer = "TimeoutError";
    }
    w.close();
    co_return answer;
  };
  sim::Options o{.seed = 1};
  o.network.remote = {.latency = 1ms, .jitter = {}, .bandwidth = 0};
  EXPECT_EQ(sim::run(main_task(true), o), "TimeoutError");
  EXPECT_EQ(sim::run(main_task(false), o), "TimeoutError");
}

TEST(NetExtremeDurations, SynTimeoutDoublingSaturates) {
  sim::Options o{.seed = 1};
  // The first retry is due after ~146 years; doubling it overflowed.
  o.network.syn_timeout = Duration::max() / 2 + Duration(1);
  o.network.syn_retries = 3;
  o.budget = {.max_virtual_time = std::nullopt, .max_steps = 100000};
  auto main_task = []() -> Task<void> {
    sim::spawn_node("db1", line_server());
    co_await sleep(1ms);
    net::partition("main", "db1");
    co_await open_connection("db1", 80);
  };
  EXPECT_THROW(sim::run(main_task(), o), TimeoutError);
}

TEST(NetExtremeDurations, NegativeLinkSettingsAreValueErrors) {
  auto set_negative = []() -> Task<void> {
    sim::spawn_node("db1", line_server());
    net::set_link("main", "db1", {.latency = -1ms, .jitter = {}, .bandwidth = 0});
    co_return;
  };
  try {
    sim::run(set_negative());
    ADD_FAILURE() << "expected ValueError";
  } catch (const ValueError& e) {
    EXPECT_STREQ(e.what(), "net::set_link: params.latency must be >= 0, got -0.001000000s");
  }
  auto lose_negative = []() -> Task<void> {
    sim::spawn_node("db1", line_server());
    net::lose_packets("main", "db1", -1s);
    co_return;
  };
  try {
    sim::run(lose_negative());
    ADD_FAILURE() << "expected ValueError";
  } catch (const ValueError& e) {
    EXPECT_STREQ(e.what(), "net::lose_packets: rto must be >= 0, got -1.000000000s");
  }
}

TEST(NetExtremeDurations, FormatsTheExtremesWithoutOverflow) {
  // Before: -INT64_MIN overflowed (UBSan) and printed garbage.
  EXPECT_EQ(net::format_duration(Duration::min()), "-9223372036.854775808s");
  EXPECT_EQ(net::format_duration(Duration::max()), "9223372036.854775807s");
  EXPECT_EQ(net::format_time(TimePoint::min()), "-9223372036.854775808");
  EXPECT_EQ(net::format_time(TimePoint::max()), "9223372036.854775807");
}

}  // namespace
}  // namespace detio

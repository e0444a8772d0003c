// Link timing: latency, jitter bounds, bandwidth, and the receive window.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "detio/net/faults.h"
#include "detio/sim/node.h"
#include "net_test_util.h"

namespace detio {
namespace {

using namespace std::chrono_literals;
using net_test::Conn;
using net_test::until;

// Spawns node `name` listening on `port`; `*out` points at its server.
Task<void> serve(std::uint16_t port, net_test::Server** out) {
  auto server = co_await net_test::listen(port);
  *out = server.get();
  co_await sleep(24h);
}

TEST(NetLink, LatencyIsExactWithoutJitter) {
  sim::run([]() -> Task<void> {
    net_test::Server* server = nullptr;
    sim::spawn_node("db1", serve(80, &server));
    net::set_link("main", "db1", {.latency = 5ms, .jitter = {}, .bandwidth = 0});
    co_await until([&] { return server != nullptr; });
    const TimePoint t0 = now();
    Conn c = co_await net_test::connect("db1", 80);
    EXPECT_EQ(now() - t0, 10ms);  // one round trip
    EXPECT_EQ(server->accepted_at.at(0) - t0, 5ms);  // the SYN's one way
    const TimePoint sent = now();
    c.t().write("ping");
    Conn& s = server->accepted.at(0);
    co_await until([&] { return !s.r().chunks.empty(); }, 100us);
    EXPECT_EQ(s.r().chunks[0].first - sent, 5ms);
  }());
}

TEST(NetLink, JitterStaysWithinBounds) {
  sim::Options o{.seed = 42};
  o.network.remote = {.latency = 1ms, .jitter = 500us, .bandwidth = 0};
  sim::run(
      []() -> Task<void> {
        net_test::Server* server = nullptr;
        sim::spawn_node("db1", serve(80, &server));
        co_await until([&] { return server != nullptr; });
        Conn c = co_await net_test::connect("db1", 80);
        std::vector<TimePoint> sent;
        for (int i = 0; i < 200; ++i) {
          sent.push_back(now());
          c.t().write("x");
          co_await sleep(2ms);  // far apart: in-order delivery never holds one back
        }
        Conn& s = server->accepted.at(0);
        co_await until([&] { return s.r().chunks.size() == sent.size(); });
        std::set<Duration> delays;
        for (std::size_t i = 0; i < sent.size(); ++i) {
          const Duration d = s.r().chunks[i].first - sent[i];
          EXPECT_GE(d, 1ms);
          EXPECT_LE(d, 1500us);
          delays.insert(d);
        }
        EXPECT_GT(delays.size(), 150u);  // really jittered
        EXPECT_LT(*delays.begin(), 1100us);
        EXPECT_GT(*delays.rbegin(), 1400us);
      }(),
      o);
}

TEST(NetLink, BandwidthLimitsThroughput) {
  sim::Options o{.seed = 1};
  o.network.remote = {.latency = 1ms, .jitter = {}, .bandwidth = 1'000'000};
  sim::run(
      []() -> Task<void> {
        net_test::Server* server = nullptr;
        sim::spawn_node("db1", serve(80, &server));
        co_await until([&] { return server != nullptr; });
        Conn c = co_await net_test::connect("db1", 80);
        const TimePoint start = now();
        c.t().write(std::string(1'000'000, 'b'));
        Conn& s = server->accepted.at(0);
        co_await until([&] { return s.r().data.size() == 1'000'000; }, 100us);
        const Duration took = s.r().chunks.back().first - start;
        // 1 MB at 1 MB/s plus one latency (the window never limits here).
        EXPECT_GE(took, 1001ms);
        EXPECT_LE(took, 1002ms);
        // Segments arrive spread over the second, not in one burst.
        EXPECT_GT(s.r().chunks.size(), 10u);
        EXPECT_GT(s.r().chunks.front().first - start, 1ms);
      }(),
      o);
}

TEST(NetLink, BandwidthIsSharedByConnectionsOnALink) {
  sim::Options o{.seed = 1};
  o.network.remote = {.latency = 1ms, .jitter = {}, .bandwidth = 1'000'000};
  sim::run(
      []() -> Task<void> {
        net_test::Server* server = nullptr;
        sim::spawn_node("db1", serve(80, &server));
        co_await until([&] { return server != nullptr; });
        Conn a = co_await net_test::connect("db1", 80);
        Conn b = co_await net_test::connect("db1", 80);
        const TimePoint start = now();
        a.t().write(std::string(500'000, 'a'));
        b.t().write(std::string(500'000, 'b'));
        co_await until(
            [&] {
              return server->accepted.size() == 2 && server->accepted[0].r().data.size() == 500'000 &&
                     server->accepted[1].r().data.size() == 500'000;
            },
            100us);
        const Duration took = now() - start;
        EXPECT_GE(took, 1000ms);
        EXPECT_LE(took, 1003ms);
      }(),
      o);
}

TEST(NetLink, WindowLimitsThroughputOverLongLinks) {
  sim::Options o{.seed = 1};
  // 100 ms one way, unlimited bandwidth: 64 KiB window per 200 ms round trip.
  o.network.remote = {.latency = 100ms, .jitter = {}, .bandwidth = 0};
  o.network.receive_window = 64 * 1024;
  sim::run(
      []() -> Task<void> {
        net_test::Server* server = nullptr;
        sim::spawn_node("db1", serve(80, &server));
        co_await until([&] { return server != nullptr; });
        Conn c = co_await net_test::connect("db1", 80);
        const TimePoint start = now();
        c.t().write(std::string(4 * 64 * 1024, 'w'));
        Conn& s = server->accepted.at(0);
        co_await until([&] { return s.r().data.size() == 4 * 64 * 1024; }, 1ms);
        // Four windows: 3 round trips waiting for ACKs plus the last one way.
        EXPECT_EQ(s.r().chunks.back().first - start, 700ms);
      }(),
      o);
}

TEST(NetLink, LoopbackIsFastAndUnfaulted) {
  sim::Options o{.seed = 3};
  o.faults.delay = 1.0;
  o.faults.reset = 1.0;
  sim::run(
      []() -> Task<void> {
        auto server = co_await net_test::listen();
        const TimePoint t0 = now();
        Conn c = co_await net_test::connect("localhost", server->port());
        EXPECT_EQ(now() - t0, 40us);
        c.t().write(std::string(100'000, 'l'));
        co_await until([&] { return server->accepted.at(0).r().data.size() == 100'000; });
        EXPECT_FALSE(c.r().lost);
      }(),
      o);
}

}  // namespace
}  // namespace detio

// Network faults: partitions (connects wait like SYN retries, established
// connections stall and resume), clogs, retransmit pauses, resets, and the
// random faults of sim::Options.
#include <gtest/gtest.h>

#include "detio/net/faults.h"
#include "detio/net/stats.h"
#include "detio/sim/network_trace.h"
#include "detio/sim/node.h"
#include "net_test_util.h"

namespace detio {
namespace {

using namespace std::chrono_literals;
using net_test::Conn;
using net_test::until;

// The network's events are kept: the tests read them.
sim::Options fixed_links(std::uint64_t seed = 1) {
  sim::Options o{.seed = seed};
  o.network.remote = {.latency = 1ms, .jitter = {}, .bandwidth = 0};
  o.network.keep_trace = true;
  return o;
}

Task<void> serve(std::uint16_t port, net_test::Server** out) {
  auto server = co_await net_test::listen(port);
  *out = server.get();
  co_await sleep(24h);
}

// Starts db1 with a server on port 80 and waits until it listens.
Task<net_test::Server*> start_db1() {
  net_test::Server* server = nullptr;
  sim::spawn_node("db1", serve(80, &server));
  co_await until([&] { return server != nullptr; });
  co_return server;
}

TEST(NetFault, PartitionBlocksConnectUntilTimeout) {
  sim::run(
      []() -> Task<void> {
        net_test::Server* server = co_await start_db1();
        net::partition("main", "db1");
        const TimePoint t0 = now();
        EXPECT_THROW(co_await wait_for(net_test::connect("db1", 80), 5s), TimeoutError);
        EXPECT_EQ(now() - t0, 5s);
        EXPECT_TRUE(server->accepted.empty());
        co_await sleep(1ms);
        EXPECT_EQ(net::stats().connections, 0u);  // the cancelled connect left nothing
      }(),
      fixed_links());
}

TEST(NetFault, HealLetsTheNextSynRetryThrough) {
  sim::run(
      []() -> Task<void> {
        net_test::Server* server = co_await start_db1();
        net::partition("db1", "main");
        const TimePoint t0 = now();
        auto connecting = create_task(net_test::connect("db1", 80));
        co_await sleep(2500ms);
        EXPECT_FALSE(connecting.done());
        net::heal();
        Conn c = co_await connecting;
        // SYNs at 0 s and 1 s were lost; the retry at 1 + 2 = 3 s gets through.
        EXPECT_EQ(now() - t0, 3s + 2ms);
        EXPECT_EQ(server->accepted.size(), 1u);
      }(),
      fixed_links());
}

TEST(NetFault, SynRetriesRunOutAfterAbout127Seconds) {
  sim::run(
      []() -> Task<void> {
        co_await start_db1();
        net::partition("main", "db1");
        const TimePoint t0 = now();
        EXPECT_THROW(co_await net_test::connect("db1", 80), TimeoutError);
        EXPECT_EQ(now() - t0, 127s);
      }(),
      fixed_links());
}

TEST(NetFault, EstablishedConnectionStallsAcrossAPartitionAndResumes) {
  sim::run(
      []() -> Task<void> {
        net_test::Server* server = co_await start_db1();
        Conn c = co_await net_test::connect("db1", 80);
        Conn& s = server->accepted.at(0);
        c.t().write("before;");
        co_await until([&] { return s.r().data == "before;"; });
        net::partition("main", "db1");
        c.t().write("during;");
        co_await sleep(10s);
        EXPECT_EQ(s.r().data, "before;");
        EXPECT_FALSE(c.r().lost);
        const TimePoint healed = now();
        net::heal("main", "db1");
        co_await until([&] { return s.r().data == "before;during;"; }, 100us);
        EXPECT_EQ(s.r().chunks.back().first - healed, 1ms);
      }(),
      fixed_links());
}

TEST(NetFault, PartitionIsPerPair) {
  sim::run(
      []() -> Task<void> {
        net_test::Server* server = co_await start_db1();
        net_test::Server* other = nullptr;
        sim::spawn_node("db2", serve(80, &other));
        co_await until([&] { return other != nullptr; });
        net::partition("main", "db2");
        Conn c = co_await net_test::connect("db1", 80);  // unaffected
        EXPECT_EQ(server->accepted.size(), 1u);
        EXPECT_THROW(co_await wait_for(net_test::connect("db2", 80), 100ms), TimeoutError);
        EXPECT_THROW(net::partition("db1", "db1"), ValueError);
        EXPECT_THROW(net::partition("db1", "nowhere"), ValueError);
      }(),
      fixed_links());
}

TEST(NetFault, ClogHoldsPacketsForItsDuration) {
  sim::run(
      []() -> Task<void> {
        net_test::Server* server = co_await start_db1();
        Conn c = co_await net_test::connect("db1", 80);
        net::clog("main", "db1", 100ms);
        const TimePoint sent = now();
        c.t().write("clogged");
        Conn& s = server->accepted.at(0);
        co_await until([&] { return !s.r().chunks.empty(); }, 100us);
        EXPECT_EQ(s.r().chunks[0].first - sent, 100ms);
        // After the clog, the link is back to normal.
        const TimePoint sent2 = now();
        c.t().write("free");
        co_await until([&] { return s.r().chunks.size() == 2; }, 100us);
        EXPECT_EQ(s.r().chunks[1].first - sent2, 1ms);
      }(),
      fixed_links());
}

TEST(NetFault, LosePacketsIsARetransmitPause) {
  sim::run(
      []() -> Task<void> {
        net_test::Server* server = co_await start_db1();
        Conn c = co_await net_test::connect("db1", 80);
        const TimePoint sent = now();
        c.t().write("a");
        c.t().write("b");
        net::lose_packets("main", "db1", 200ms);
        c.t().write("c");  // sent after: held behind the retransmission
        Conn& s = server->accepted.at(0);
        co_await until([&] { return s.r().data == "abc"; }, 100us);
        EXPECT_EQ(s.r().chunks[0].first - sent, 201ms);
        EXPECT_EQ(s.r().chunks[2].first - sent, 201ms);
      }(),
      fixed_links());
}

TEST(NetFault, ResetConnectionsGivesBothEndsConnectionResetError) {
  sim::run(
      []() -> Task<void> {
        net_test::Server* server = co_await start_db1();
        Conn c = co_await net_test::connect("db1", 80);
        Conn c2 = co_await net_test::connect("db1", 80);
        EXPECT_EQ(net::reset_connections("db1", "main"), 2u);
        co_await until([&] { return c.r().lost && c2.r().lost && server->accepted.at(1).r().lost; });
        EXPECT_TRUE(c.r().lost_with<ConnectionResetError>());
        EXPECT_TRUE(c2.r().lost_with<ConnectionResetError>());
        EXPECT_TRUE(server->accepted.at(0).r().lost_with<ConnectionResetError>());
        EXPECT_FALSE(net::reset_connection(1));  // already gone
      }(),
      fixed_links());
}

// A client that streams `total` bytes in 1 KiB writes and reports how it
// ended; the server end records what arrived.
struct Transfer {
  std::size_t delivered = 0;
  bool reset = false;
  bool intact = true;
};

Task<Transfer> transfer(std::size_t total) {
  net_test::Server* server = co_await start_db1();
  Conn c = co_await net_test::connect("db1", 80);
  std::string sent;
  for (std::size_t i = 0; sent.size() < total; ++i) {
    std::string chunk = std::to_string(i) + ":" + std::string(1000, static_cast<char>('a' + i % 26)) + ";";
    sent += chunk;
    c.t().write(chunk);
    co_await sleep(1ms);
    if (c.r().lost) break;
  }
  Conn& s = server->accepted.at(0);
  c.t().write_eof();
  co_await until([&] { return s.r().eof || s.r().lost; }, 1ms);
  Transfer t;
  t.delivered = s.r().data.size();
  t.reset = s.r().lost_with<ConnectionResetError>() || c.r().lost_with<ConnectionResetError>();
  t.intact = sent.compare(0, s.r().data.size(), s.r().data) == 0;
  co_return t;
}

TEST(NetFault, RandomDelaysAndClogsKeepTheStreamIntact) {
  sim::Options o = fixed_links(11);
  o.faults.delay = 0.05;
  o.faults.clog = 0.02;
  o.faults.partition = 0.01;
  Transfer t = sim::run(transfer(300'000), o);
  EXPECT_FALSE(t.reset);
  EXPECT_TRUE(t.intact);
  EXPECT_GE(t.delivered, 300'000u);
  const std::string text = sim::last_network_trace().text();
  EXPECT_NE(text.find(" loss "), std::string::npos);
  EXPECT_NE(text.find(" clog "), std::string::npos);
  EXPECT_NE(text.find(" partition "), std::string::npos);
  EXPECT_NE(text.find(" heal "), std::string::npos);
}

TEST(NetFault, RandomResetsEndConnectionsWithConnectionResetError) {
  sim::Options o = fixed_links(12);
  o.faults.reset = 0.01;
  Transfer t = sim::run(transfer(1'000'000), o);
  EXPECT_TRUE(t.reset);
  EXPECT_TRUE(t.intact);  // what arrived before the reset is a prefix
  EXPECT_LT(t.delivered, 1'000'000u);
}

// With faults.refuse, some connects to a listening port are refused (as by a
// full backlog); with a reconnect loop every client still gets through, and
// connects within one host are never refused.
TEST(NetFault, RandomRefusedConnectsAreRetriedByTheClient) {
  sim::Options o = fixed_links(14);
  o.faults.refuse = 0.5;
  struct Counts {
    int refused = 0;
    int connected = 0;
    int local_refused = 0;
  };
  Counts n = sim::run(
      []() -> Task<Counts> {
        net_test::Server* server = co_await start_db1();
        Counts counts;
        for (int client = 0; client < 20; ++client) {
          while (true) {
            try {
              co_await net_test::connect("db1", 80);
              ++counts.connected;
              break;
            } catch (const ConnectionRefusedError&) {
              ++counts.refused;
            }
          }
        }
        EXPECT_EQ(server->accepted.size(), 20u);
        auto local = co_await net_test::listen(81);
        for (int i = 0; i < 20; ++i) {
          try {
            co_await net_test::connect("localhost", 81);
          } catch (const ConnectionRefusedError&) {
            ++counts.local_refused;
          }
        }
        co_return counts;
      }(),
      o);
  EXPECT_EQ(n.connected, 20);
  EXPECT_GT(n.refused, 5);  // about 20 expected at p = 0.5
  EXPECT_EQ(n.local_refused, 0);
  EXPECT_NE(sim::last_network_trace().text().find("refused (fault) on port 80"), std::string::npos);
}

TEST(NetFault, FaultsAreOffByDefault) {
  sim::Options o{.seed = 13};
  o.network.keep_trace = true;
  Transfer t = sim::run(transfer(200'000), o);
  EXPECT_FALSE(t.reset);
  EXPECT_GE(t.delivered, 200'000u);
  const std::string text = sim::last_network_trace().text();
  EXPECT_NE(text.find(" deliver "), std::string::npos);
  EXPECT_EQ(text.find(" loss "), std::string::npos);
  EXPECT_EQ(text.find(" clog "), std::string::npos);
}

TEST(NetFault, FaultControlsNeedASimRun) {
  EXPECT_THROW(net::partition("a", "b"), RuntimeError);
  EXPECT_THROW(net::heal(), RuntimeError);
}

}  // namespace
}  // namespace detio

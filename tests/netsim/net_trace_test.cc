// The network trace: readable lines with virtual timestamps, the same seed
// gives the same trace byte for byte, different seeds differ.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "detio/net/faults.h"
#include "detio/net/stats.h"
#include "detio/sim/network_trace.h"
#include "detio/sim/node.h"
#include "detio/sim/run.h"
#include "detio/sim/trace.h"
#include "net_test_util.h"

namespace detio {
namespace {

using namespace std::chrono_literals;
using net_test::Conn;
using net_test::until;

// Echoes every byte back; closes after the peer's FIN.
struct Echo : Protocol {
  Transport* t = nullptr;
  void connection_made(Transport& transport) override { t = &transport; }
  void data_received(std::string_view d) override { t->write(d); }
  bool eof_received() override { return false; }
  void connection_lost(std::exception_ptr) override {}
  void pause_writing() override {}
  void resume_writing() override {}
};

struct EchoServer : Acceptor {
  std::vector<std::pair<std::shared_ptr<Transport>, std::unique_ptr<Echo>>> conns;
  void accept(std::shared_ptr<Transport> t) override {
    auto echo = std::make_unique<Echo>();
    t->set_protocol(*echo);
    conns.emplace_back(std::move(t), std::move(echo));
  }
  ~EchoServer() override {
    for (auto& [t, e] : conns) t->detach_protocol();
  }
};

Task<void> echo_node(std::uint16_t port) {
  EchoServer server;
  auto listener = co_await running_network().listen("", port, 100, server);
  co_await sleep(24h);
}

// One client: sends a few random-sized messages, half-closes, checks the
// echo. Returns whether everything came back.
Task<bool> echo_client(std::string host, std::uint16_t port, int messages) {
  Conn c = co_await net_test::connect(std::move(host), port);
  std::string sent;
  for (int i = 0; i < messages; ++i) {
    std::string msg(static_cast<std::size_t>(sim::random().uniform(1, 3000)), static_cast<char>('a' + i % 26));
    sent += msg;
    c.t().write(msg);
    co_await sleep(sim::random().duration(0ms, 2ms));
  }
  c.t().write_eof();
  co_await until([&] { return c.r().eof || c.r().lost; }, 100us);
  c.t().close();
  co_return c.r().data == sent;
}

// A small cluster with jitter, random delays and clogs, a refused connect,
// a partition, a kill and a restart.
Task<int> scenario() {
  sim::spawn_node("db1", echo_node(80));
  sim::spawn_node("db2", echo_node(80));
  co_await sleep(1ms);
  std::vector<Task<bool>> clients;
  for (int i = 0; i < 6; ++i) clients.push_back(echo_client(i % 2 ? "db1" : "db2", 80, 5));
  std::vector<bool> ok = co_await gather(std::move(clients));
  int good = 0;
  for (bool b : ok) good += b ? 1 : 0;
  try {
    co_await net_test::connect("db1", 81);
  } catch (const ConnectionRefusedError&) {
  }
  net::partition("main", "db2");
  try {
    co_await wait_for(net_test::connect("db2", 80), 1500ms);
  } catch (const TimeoutError&) {
  }
  net::heal();
  net::clog("main", "db1", 20ms);
  good += co_await echo_client("db1", 80, 3) ? 1 : 0;
  sim::kill_node("db1");
  sim::restart_node("db1", echo_node(80));
  co_await sleep(1ms);
  good += co_await echo_client("db1", 80, 3) ? 1 : 0;
  co_return good;
}

sim::Options noisy(std::uint64_t seed) {
  sim::Options o{.seed = seed};
  o.network.keep_trace = true;
  o.faults.delay = 0.05;
  o.faults.clog = 0.05;
  return o;
}

TEST(NetTrace, SameSeedSameTraceByteForByte) {
  EXPECT_EQ(sim::run(scenario(), noisy(7)), 8);
  const std::vector<std::string> first = sim::last_network_trace().lines();
  const std::uint64_t first_hash = sim::last_network_trace().hash();
  EXPECT_EQ(sim::run(scenario(), noisy(7)), 8);
  const std::vector<std::string> second = sim::last_network_trace().lines();
  EXPECT_GT(first.size(), 100u);
  EXPECT_EQ(first, second);
  EXPECT_EQ(first_hash, sim::last_network_trace().hash());

  EXPECT_EQ(sim::run(scenario(), noisy(8)), 8);
  EXPECT_NE(first, sim::last_network_trace().lines());
  EXPECT_NE(first_hash, sim::last_network_trace().hash());
}

TEST(NetTrace, RecordsEveryKindOfNetworkEvent) {
  sim::run(scenario(), noisy(7));
  const net::Trace& trace = sim::last_network_trace();
  std::set<net::EventKind> kinds;
  for (const net::Event& e : trace.events()) kinds.insert(e.kind);
  using K = net::EventKind;
  for (K k : {K::kSpawn, K::kKill, K::kRestart, K::kListen, K::kConnect, K::kSynLost, K::kAccept, K::kConnected,
              K::kRefused, K::kSend, K::kDeliver, K::kFin, K::kEof, K::kReset, K::kResetIn, K::kPartition, K::kHeal,
              K::kClog, K::kLoss}) {
    EXPECT_TRUE(kinds.contains(k)) << net::to_string(k);
  }
  // Timestamps never go backwards.
  for (std::size_t i = 1; i < trace.events().size(); ++i) {
    EXPECT_LE(trace.events()[i - 1].time, trace.events()[i].time);
  }
  EXPECT_EQ(trace.size(), trace.events().size());
  EXPECT_EQ(trace.lines().size(), trace.events().size());
}

TEST(NetTrace, LinesAreReadable) {
  sim::Options o{.seed = 1};
  o.network.remote = {.latency = 1ms, .jitter = {}, .bandwidth = 0};
  o.network.keep_trace = true;
  sim::run(
      []() -> Task<void> {
        sim::spawn_node("db1", echo_node(80));
        co_await sleep(1ms);
        Conn c = co_await net_test::connect("db1", 80);
        c.t().write("hello");
        co_await until([&] { return c.r().data == "hello"; });
        EXPECT_FALSE(sim::network_trace().lines().empty());
      }(),
      o);
  const std::vector<std::string> lines = sim::last_network_trace().lines();
  const std::vector<std::string> expected = {
      "         0.000000000 spawn     db1 node 1",
      "         0.000000000 listen    db1 port 80",
      "         0.001000000 connect   main -> db1 c1 port 80",
      "         0.002000000 accept    db1 <- main c1 port 80",
      "         0.003000000 connected main -> db1 c1",
      "         0.003000000 send      main -> db1 c1 5B",
      "         0.004000000 deliver   main -> db1 c1 5B",
      "         0.004000000 send      db1 -> main c1 5B",
      "         0.005000000 deliver   db1 -> main c1 5B",
  };
  ASSERT_GE(lines.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(lines[i], expected[i]);
}

// What a run keeps of the network: the one sink counts and hashes every
// event; it keeps them only when Options::trace keeps events (they join it
// as net/fault events) or NetworkOptions::keep_trace asks. Every hash is
// the same either way.
struct RunRecord {
  std::uint64_t network_events = 0;
  std::size_t network_kept = 0;
  std::uint64_t network_hash = 0;
  std::uint64_t trace_hash = 0;
};

RunRecord record_run(sim::Options o) {
  EXPECT_EQ(sim::run(scenario(), o), 8);
  const net::Trace& network = sim::last_network_trace();
  return {network.size(), network.events().size(), network.hash(), sim::last_trace_hash()};
}

std::size_t network_events_in(const sim::Trace& trace) {
  std::size_t n = 0;
  for (const sim::TraceEvent& e : trace.events()) {
    const bool network = e.kind == sim::TraceKind::kFault || (e.kind == sim::TraceKind::kNet &&
                                                                 e.detail.rfind("network trace:", 0) != 0);
    n += network ? 1 : 0;
  }
  return n;
}

TEST(NetTrace, AHashOnlyRunKeepsNoNetworkEventsAndHashesAlike) {
  sim::Options hash_only = noisy(7);
  hash_only.network.keep_trace = false;
  const RunRecord bare = record_run(hash_only);
  EXPECT_GT(bare.network_events, 100u);
  EXPECT_EQ(bare.network_kept, 0u);

  sim::Trace quiet(/*keep_events=*/false);
  sim::Options hash_only_trace = hash_only;
  hash_only_trace.trace = &quiet;
  const RunRecord quiet_run = record_run(hash_only_trace);
  EXPECT_EQ(quiet_run.network_kept, 0u);
  EXPECT_TRUE(quiet.events().empty());

  const RunRecord kept = record_run(noisy(7));  // NetworkOptions::keep_trace
  EXPECT_EQ(kept.network_kept, kept.network_events);

  sim::Trace full;
  sim::Options traced = hash_only;
  traced.trace = &full;
  const RunRecord traced_run = record_run(traced);
  EXPECT_EQ(traced_run.network_kept, traced_run.network_events);
  EXPECT_EQ(network_events_in(full), traced_run.network_events);

  for (const RunRecord& r : {quiet_run, kept, traced_run}) {
    EXPECT_EQ(r.network_events, bare.network_events);
    EXPECT_EQ(r.network_hash, bare.network_hash);
    EXPECT_EQ(r.trace_hash, bare.trace_hash);
  }
  EXPECT_EQ(full.hash(), bare.trace_hash);
}

// Network events join Options::trace as they happen, on the track of the
// node running on their host then (a restarted host's events move to its
// new node), named after the host.
TEST(NetTrace, NetworkEventsJoinTheRunTraceOnTheirNodesTrack) {
  sim::Trace full;
  sim::Options o = noisy(7);
  o.trace = &full;
  sim::run(scenario(), o);
  for (std::size_t i = 1; i < full.events().size(); ++i) {
    EXPECT_LE(full.events()[i - 1].time, full.events()[i].time);
  }
  std::vector<std::uint32_t> spawn_tracks, restart_tracks;
  for (const sim::TraceEvent& e : full.events()) {
    if (e.kind != sim::TraceKind::kNet) continue;
    if (e.detail.rfind("spawn db1", 0) == 0) spawn_tracks.push_back(e.node);
    if (e.detail.rfind("restart db1", 0) == 0) restart_tracks.push_back(e.node);
  }
  EXPECT_EQ(spawn_tracks, std::vector<std::uint32_t>{1});
  EXPECT_EQ(restart_tracks, std::vector<std::uint32_t>{3});
  EXPECT_EQ(full.node_name(1), "db1");
  EXPECT_EQ(full.node_name(3), "db1");
}

TEST(NetTrace, HundredEchoClientsMeasurement) {
  const auto t0 = std::chrono::steady_clock::now();
  int good = 0;
  TimePoint end{};
  sim::run(
      [](int& good, TimePoint& end) -> Task<void> {
        sim::spawn_node("echo", echo_node(7));
        co_await sleep(1ms);
        std::vector<Task<bool>> clients;
        for (int i = 0; i < 100; ++i) clients.push_back(echo_client("echo", 7, 20));
        for (bool b : co_await gather(std::move(clients))) good += b ? 1 : 0;
        end = now();
      }(good, end),
      sim::Options{.seed = 99});
  const double real_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(good, 100);
  std::printf("100 echo clients x 20 messages: %.6f virtual s, %.1f real ms, %llu trace events\n",
              std::chrono::duration<double>(end.time_since_epoch()).count(), real_ms,
              static_cast<unsigned long long>(sim::last_network_trace().size()));
}

}  // namespace
}  // namespace detio

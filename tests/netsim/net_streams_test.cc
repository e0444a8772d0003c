// asyncio streams (open_connection/start_server) over the simulated network:
// echo between nodes, drain() backpressure against a reader that stopped,
// kill_node mid-conversation, partitions and timeouts, and a measurement
// of 100 echo clients (virtual seconds vs real milliseconds).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "detio/detio.h"
#include "detio/net/faults.h"
#include "detio/net/stats.h"
#include "detio/sim/network_trace.h"
#include "detio/sim/node.h"
#include "detio/streams.h"

namespace detio {
namespace {

using namespace std::chrono_literals;

Task<void> echo_handler(StreamReader reader, StreamWriter writer) {
  try {
    while (true) {
      std::string line = co_await reader.readline();
      if (line.empty()) break;
      writer.write(line);
      co_await writer.drain();
    }
  } catch (const ConnectionError&) {
  }
  writer.close();
}

Task<void> echo_node(std::uint16_t port) {
  Server server = co_await start_server(echo_handler, "0.0.0.0", port);
  co_await server.serve_forever();
}

Task<int> echo_client(std::string host, std::uint16_t port, int lines) {
  auto [reader, writer] = co_await open_connection(host, port);
  int good = 0;
  for (int i = 0; i < lines; ++i) {
    const std::string line = "line " + std::to_string(i) + " " + std::string(sim::random().uniform(0, 200), '.') + "\n";
    writer.write(line);
    co_await writer.drain();
    if (co_await reader.readline() == line) ++good;
  }
  writer.close();
  co_await writer.wait_closed();
  co_return good;
}

TEST(NetStreams, EchoBetweenNodes) {
  const int good = sim::run(
      []() -> Task<int> {
        sim::spawn_node("echo", echo_node(7));
        co_await sleep(1ms);
        std::vector<Task<int>> clients;
        for (int i = 0; i < 10; ++i) clients.push_back(echo_client("echo", 7, 10));
        int good = 0;
        for (int g : co_await gather(std::move(clients))) good += g;
        co_return good;
      }(),
      sim::Options{.seed = 3});
  EXPECT_EQ(good, 100);
}

TEST(NetStreams, HundredEchoClientsVirtualVersusRealTime) {
  const auto t0 = std::chrono::steady_clock::now();
  TimePoint end{};
  const int good = sim::run(
      [](TimePoint& end) -> Task<int> {
        sim::spawn_node("echo", echo_node(7));
        co_await sleep(1ms);
        // Ten client nodes with ten clients each.
        int good = 0;
        std::vector<TaskHandle<void>> nodes;
        for (int n = 0; n < 10; ++n) {
          nodes.push_back(sim::spawn_node("client" + std::to_string(n), [](int& good) -> Task<void> {
            std::vector<Task<int>> clients;
            for (int i = 0; i < 10; ++i) clients.push_back(echo_client("echo", 7, 20));
            for (int g : co_await gather(std::move(clients))) good += g;
          }(good)));
        }
        for (auto& node : nodes) co_await node;
        end = now();
        co_return good;
      }(end),
      // The network: 1-50 ms one way (1 ms latency + up to 49 ms jitter).
      sim::Options{.seed = 4, .network = {.remote = {.latency = 1ms, .jitter = 49ms, .bandwidth = 125'000'000}}});
  const double real_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(good, 2000);
  // 20 round trips of 2-100 ms each: seconds of virtual time.
  EXPECT_GT(end.time_since_epoch(), 1s);
  std::printf("streams: 100 echo clients x 20 lines: %.6f virtual s in %.1f real ms (%llu network events)\n",
              std::chrono::duration<double>(end.time_since_epoch()).count(), real_ms,
              static_cast<unsigned long long>(sim::last_network_trace().size()));
}

TEST(NetStreams, DrainBlocksWhileThePeerDoesNotRead) {
  sim::run(
      []() -> Task<void> {
        Event stop;
        sim::spawn_node("sink", [](Event& stop) -> Task<void> {
          // Accepts and never reads.
          Server server = co_await start_server(
              [&stop](StreamReader, StreamWriter) -> Task<void> { co_await stop.wait(); }, "", 9000);
          co_await stop.wait();
        }(stop));
        co_await sleep(1ms);
        auto [reader, writer] = co_await open_connection("sink", 9000);
        const std::string chunk(64 * 1024, 'd');
        std::size_t written = 0;
        bool blocked = false;
        try {
          co_await timeout(10s, [](StreamWriter& w, const std::string& chunk, std::size_t& written) -> Task<void> {
            while (written < 10 * 1024 * 1024) {
              w.write(chunk);
              written += chunk.size();
              co_await w.drain();
            }
          }(writer, chunk, written));
        } catch (const TimeoutError&) {
          blocked = true;
        }
        EXPECT_TRUE(blocked);
        // Bounded: receive window + reader limit + write buffer, far from 10 MB.
        EXPECT_LT(written, 1024u * 1024u);
        const net::Stats st = net::stats();
        EXPECT_LT(st.send_buffered + st.in_flight + st.receive_buffered, 1024u * 1024u);
        stop.set();
      }(),
      sim::Options{.seed = 5});
}

TEST(NetStreams, KilledServerResetsTheClientsRead) {
  sim::run(
      []() -> Task<void> {
        sim::spawn_node("echo", echo_node(7));
        co_await sleep(1ms);
        auto [reader, writer] = co_await open_connection("echo", 7);
        writer.write("ping\n");
        EXPECT_EQ(co_await reader.readline(), "ping\n");
        auto pending = create_task(reader.readline());
        co_await sleep(1ms);
        sim::kill_node("echo");
        EXPECT_THROW(co_await pending, ConnectionResetError);
        // The restarted server accepts again on the same port.
        sim::restart_node("echo", echo_node(7));
        co_await sleep(1ms);
        EXPECT_EQ(co_await echo_client("echo", 7, 3), 3);
      }(),
      sim::Options{.seed = 6});
}

TEST(NetStreams, OpenConnectionAcrossAPartitionTimesOutThenWorksAfterHeal) {
  sim::run(
      []() -> Task<void> {
        sim::spawn_node("echo", echo_node(7));
        co_await sleep(1ms);
        net::partition("main", "echo");
        EXPECT_THROW(co_await wait_for(open_connection("echo", 7), 2s), TimeoutError);
        net::heal();
        EXPECT_EQ(co_await echo_client("echo", 7, 2), 2);
        co_await sleep(100ms);
        EXPECT_EQ(net::stats().connections, 0u);
      }(),
      sim::Options{.seed = 7});
}

TEST(NetStreams, RefusedConnection) {
  sim::run([]() -> Task<void> {
    EXPECT_THROW(co_await open_connection("127.0.0.1", 1), ConnectionRefusedError);
  }());
}

}  // namespace
}  // namespace detio

// <detio/detio.h> alone gives the whole API, the simulator's controls
// included: nodes, buggify, partitions, stats and sweeps (API.md promises
// one umbrella header). This file includes nothing else from detio.
#include <detio/detio.h>
#include <gtest/gtest.h>

#include <string>

namespace {

using namespace std::chrono_literals;

detio::Task<void> server() {
  auto srv = co_await detio::start_server(
      [](detio::StreamReader r, detio::StreamWriter w) -> detio::Task<void> {
        w.write(co_await r.readline());
        co_await w.drain();
        w.close();
      },
      "0.0.0.0", 7000);
  co_await srv.serve_forever();
}

// On node "b": connects to node "a" across a partition that heals at 1 s.
detio::Task<void> client_across_a_partition(std::string& out) {
  detio::net::partition("a", "b");
  detio::create_task([]() -> detio::Task<void> {
    co_await detio::sleep(1s);
    detio::net::heal();
  }());
  auto [r, w] = co_await detio::open_connection("a", 7000);
  w.write("ping\n");
  std::string reply = co_await r.readline();
  out = reply + (detio::now().time_since_epoch() >= 1s ? " after the heal" : " too early");
}

TEST(UmbrellaHeader, NodesPartitionsBuggifyAndStatsNeedNoOtherHeader) {
  std::string reply;
  bool buggified_on_real = true;
  detio::sim::run([&]() -> detio::Task<void> {
    detio::sim::spawn_node("a", server());
    co_await detio::sim::spawn_node("b", client_across_a_partition(reply));
    EXPECT_TRUE(detio::sim::node_running("a"));
    detio::sim::kill_node("a");
    EXPECT_FALSE(detio::sim::node_running("a"));
    co_await detio::sleep(1s);  // the client's closed side winds down
    EXPECT_EQ(detio::net::stats().connections, 0u);
  }());
  EXPECT_EQ(reply, "ping\n after the heal");
  detio::run([&]() -> detio::Task<void> {
    buggified_on_real = detio::sim::buggify(1.0);
    co_return;
  }());
  EXPECT_FALSE(buggified_on_real);
}

TEST(UmbrellaHeader, SweepIsThere) {
  detio::sim::SweepOptions options;
  options.seeds = {1, 5};
  auto result = detio::sim::sweep([](const detio::sim::Options& o) { detio::sim::run(detio::sleep(1s), o); }, options);
  EXPECT_TRUE(result.ok());
  EXPECT_EQ(result.seeds_run, 5u);
}

}  // namespace

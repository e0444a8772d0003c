// Backpressure: a reader that stops reading stops the sender. The receive
// window fills, the sender's transport buffer grows past the high
// watermark, pause_writing is called, and memory stays bounded.
#include <gtest/gtest.h>

#include <algorithm>

#include "detio/net/stats.h"
#include "detio/sim/node.h"
#include "net_test_util.h"

namespace detio {
namespace {

using namespace std::chrono_literals;
using net_test::Conn;
using net_test::until;

constexpr std::size_t kTotal = 10 * 1024 * 1024;
constexpr std::size_t kChunk = 64 * 1024;

// Writes kTotal bytes as asyncio's drain() would: write while not paused,
// else wait for resume_writing.
Task<void> write_all(Conn& c, std::size_t& written) {
  const std::string chunk(kChunk, 'q');
  while (written < kTotal) {
    if (c.r().writing_paused) {
      co_await until([&] { return !c.r().writing_paused || c.r().lost; }, 100us);
      if (c.r().lost) co_return;
      continue;
    }
    c.t().write(chunk);
    written += chunk.size();
  }
}

TEST(NetBackpressure, PausedReaderBoundsSenderAndNetwork) {
  sim::Options o{.seed = 7};
  o.network.remote = {.latency = 1ms, .jitter = 100us, .bandwidth = 100'000'000};
  sim::run(
      []() -> Task<void> {
        net_test::Server* server = nullptr;
        sim::spawn_node("sink", [](net_test::Server** out) -> Task<void> {
          auto server = co_await net_test::listen(9000);
          *out = server.get();
          co_await sleep(24h);
        }(&server));
        co_await until([&] { return server != nullptr; });
        Conn c = co_await net_test::connect("sink", 9000);
        co_await until([&] { return !server->accepted.empty(); });
        Conn& s = server->accepted[0];
        s.t().pause_reading();

        std::size_t written = 0;
        auto writer = create_task(write_all(c, written));
        std::size_t max_send = 0, max_network = 0;
        for (int i = 0; i < 2000; ++i) {  // 2 s of a stuck reader
          co_await sleep(1ms);
          const net::Stats st = net::stats();
          max_send = std::max(max_send, st.send_buffered);
          max_network = std::max(max_network, st.in_flight + st.receive_buffered);
        }
        EXPECT_GE(c.r().pauses, 1);
        EXPECT_TRUE(c.r().writing_paused);
        EXPECT_FALSE(writer.done());
        EXPECT_LT(written, 1024u * 1024u);  // nowhere near 10 MB
        EXPECT_LE(max_send, 64u * 1024 + kChunk);  // high watermark + one write
        EXPECT_LE(max_network, 256u * 1024);  // the receive window
        EXPECT_TRUE(s.r().data.empty());

        // The reader resumes: everything flows, still bounded.
        s.t().resume_reading();
        std::size_t peak = 0;
        while (s.r().data.size() < kTotal) {
          co_await sleep(1ms);
          const net::Stats st = net::stats();
          peak = std::max(peak, st.send_buffered + st.in_flight + st.receive_buffered);
        }
        co_await writer;
        EXPECT_EQ(s.r().data.size(), kTotal);
        EXPECT_GE(c.r().resumes, 1);
        EXPECT_LE(peak, 64u * 1024 + kChunk + 256u * 1024);
      }(),
      o);
}

TEST(NetBackpressure, ReaderThatPausesAndResumesGetsEverythingInOrder) {
  sim::run([]() -> Task<void> {
    auto server = co_await net_test::listen();
    Conn c = co_await net_test::connect("localhost", server->port());
    Conn& s = server->accepted.at(0);
    std::string sent;
    for (int i = 0; i < 3000; ++i) sent += std::to_string(i) + ",";
    c.t().write(sent);
    // Toggle reading every few microseconds while the bytes flow.
    while (s.r().data.size() < sent.size()) {
      s.t().pause_reading();
      co_await sleep(7us);
      s.t().resume_reading();
      co_await sleep(3us);
    }
    EXPECT_EQ(s.r().data, sent);
  }());
}

TEST(NetBackpressure, WriteBufferLimitsAreRespected) {
  sim::run([]() -> Task<void> {
    auto server = co_await net_test::listen();
    Conn c = co_await net_test::connect("localhost", server->port());
    server->accepted.at(0).t().pause_reading();
    c.t().set_write_buffer_limits(1000, 100);
    EXPECT_THROW(c.t().set_write_buffer_limits(1, 2), ValueError);
    c.t().write(std::string(256 * 1024, 'x'));  // fills the window
    co_await sleep(1ms);
    EXPECT_EQ(c.r().pauses, 0);
    c.t().write(std::string(999, 'y'));
    EXPECT_EQ(c.r().pauses, 0);
    c.t().write("z");  // 1000 bytes buffered: not above the high mark yet
    EXPECT_EQ(c.r().pauses, 0);
    c.t().write("!");
    EXPECT_EQ(c.r().pauses, 1);  // inline, as asyncio's write() does
    EXPECT_EQ(c.t().get_write_buffer_size(), 1001u);
    server->accepted.at(0).t().resume_reading();
    co_await until([&] { return c.r().resumes == 1; });
    EXPECT_LE(c.t().get_write_buffer_size(), 100u);
  }());
}

}  // namespace
}  // namespace detio

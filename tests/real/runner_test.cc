// detio::Runner (asyncio.Runner) on the real backend: a server started by
// one run() keeps serving in the next; close() cancels what is left and
// closes its sockets; a closed runner refuses further runs.
#include <gtest/gtest.h>

#include <detio/detio.h>

#include <cstdint>
#include <string>

namespace {

using namespace std::chrono_literals;
using detio::StreamReader;
using detio::StreamWriter;
using detio::Task;

Task<void> echo_line(StreamReader r, StreamWriter w) {
  w.write(co_await r.readline());
  co_await w.drain();
  w.close();
}

Task<std::string> ask(std::uint16_t port, std::string line) {
  auto [r, w] = co_await detio::open_connection("127.0.0.1", port);
  w.write(line);
  std::string reply = co_await r.readline();
  w.close();
  co_return reply;
}

TEST(Runner, AServerFromOneRunServesTheNext) {
  bool serve_forever_cancelled = false;
  std::string first, second;
  {
    detio::Runner runner;
    std::uint16_t port = runner.run([&]() -> Task<std::uint16_t> {
      detio::Server server = co_await detio::start_server(echo_line, "127.0.0.1", 0);
      detio::create_task([](detio::Server s, bool& cancelled) -> Task<void> {
        try {
          co_await s.serve_forever();
        } catch (const detio::CancelledError&) {
          cancelled = true;
          throw;
        }
      }(server, serve_forever_cancelled));
      co_return server.port();
    }());
    first = runner.run(ask(port, "one\n"));
    second = runner.run(ask(port, "two\n"));
    EXPECT_FALSE(serve_forever_cancelled);
    runner.close();
    EXPECT_TRUE(serve_forever_cancelled);
    EXPECT_THROW(runner.run(ask(port, "three\n")), detio::RuntimeError);
  }
  EXPECT_EQ(first, "one\n");
  EXPECT_EQ(second, "two\n");
}

TEST(Runner, AnExceptionFromOneRunLeavesTheRunnerUsable) {
  detio::Runner runner;
  EXPECT_THROW(runner.run([]() -> Task<void> {
    co_await detio::sleep(1ms);
    throw detio::ValueError("first run fails");
  }()),
               detio::ValueError);
  EXPECT_EQ(runner.run([]() -> Task<int> {
    co_await detio::sleep(1ms);
    co_return 7;
  }()),
            7);
}

}  // namespace

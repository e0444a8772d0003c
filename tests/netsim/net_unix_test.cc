// Unix-domain sockets under the simulator: each host has its own namespace
// of paths, so only the nodes of a host reach its paths (as processes on
// one machine share its filesystem), and a killed node's paths go with it.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "../support/outcomes.h"
#include "detio/detio.h"
#include "detio/sim/node.h"
#include "detio/streams.h"

namespace detio {
namespace {

using namespace std::chrono_literals;
using detio_test::outcome_of;

constexpr const char* kPath = "/run/app.sock";

// Greets with `name`, then closes.
auto greeter(std::string name) {
  return [name](StreamReader, StreamWriter writer) -> Task<void> {
    writer.write(name + "\n");
    co_await writer.drain();
    writer.close();
  };
}

Task<std::string> greeting_at(std::string path) {
  try {
    auto [reader, writer] = co_await open_unix_connection(std::move(path));
    std::string line = co_await reader.readline();
    writer.close();
    co_return line;
  } catch (...) {
    co_return detio_test::describe_error(std::current_exception());
  }
}

// The same path on two hosts is two sockets; a path of another host cannot
// be reached at all (no such file), even while it is being served.
TEST(NetUnix, EachHostHasItsOwnPaths) {
  std::string main_sees, other_sees_before, other_sees_after;
  sim::run([&]() -> Task<void> {
    auto main_greeter = greeter("main");
    Server server = co_await start_unix_server(main_greeter, kPath);
    Event other_done;
    auto other = [&]() -> Task<void> {
      other_sees_before = co_await greeting_at(kPath);
      auto other_greeter = greeter("other");
      Server own = co_await start_unix_server(other_greeter, kPath);
      other_sees_after = co_await greeting_at(kPath);
      own.close();
      other_done.set();
    };
    sim::spawn_node("other", other());
    co_await other_done.wait();
    main_sees = co_await greeting_at(kPath);
    server.close();
    co_await server.wait_closed();
  }());
  EXPECT_EQ(other_sees_before, "OSError");
  EXPECT_EQ(other_sees_after, "other\n");
  EXPECT_EQ(main_sees, "main\n");
}

// Killing the node that serves a path unlinks it: the next incarnation
// finds nothing there until it serves again.
TEST(NetUnix, AKilledNodesPathIsGone) {
  std::string first_life, after_restart_before_bind, second_life;
  sim::run([&]() -> Task<void> {
    auto life = [&](std::string* seen, std::string* before) -> Task<void> {
      if (before) *before = co_await greeting_at(kPath);
      auto node_greeter = greeter("svc");
      Server server = co_await start_unix_server(node_greeter, kPath);
      *seen = co_await greeting_at(kPath);
      co_await server.serve_forever();
    };
    sim::spawn_node("svc", life(&first_life, nullptr));
    co_await sleep(10ms);
    sim::restart_node("svc", life(&second_life, &after_restart_before_bind));
    co_await sleep(10ms);
    sim::kill_node("svc");
  }());
  EXPECT_EQ(first_life, "svc\n");
  EXPECT_EQ(after_restart_before_bind, "OSError");
  EXPECT_EQ(second_life, "svc\n");
}

}  // namespace
}  // namespace detio

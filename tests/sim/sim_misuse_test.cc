// Misuse of the simulation API: calls outside a run, unknown or duplicate
// hosts and nodes, faults a host cannot have with itself, ports in use,
// names nothing resolves, and a bad Random range. Each is the detio error
// docs/bad-input.md lists, with a message naming what was wrong.
#include <gtest/gtest.h>

#include <detio/detio.h>

#include <string>

#include "detio/net/faults.h"
#include "detio/sim/node.h"

using namespace std::chrono_literals;
using detio::Task;

namespace {

template <class F>
std::string error_of(F&& f) {
  try {
    f();
    return "none";
  } catch (const detio::ValueError& e) {
    return std::string("ValueError: ") + e.what();
  } catch (const detio::RuntimeError& e) {
    return std::string("RuntimeError: ") + e.what();
  } catch (const detio::OSError& e) {
    return std::string("OSError: ") + e.what();
  } catch (const detio::Error& e) {
    return std::string("Error: ") + e.what();
  }
}

template <class Awaitable>
Task<std::string> co_error_of(Awaitable a) {
  std::exception_ptr error;
  try {
    co_await std::move(a);
  } catch (...) {
    error = std::current_exception();
  }
  if (!error) co_return "none";
  co_return error_of([&] { std::rethrow_exception(error); });
}

Task<void> idle() { co_await detio::sleep(1h); }

TEST(SimMisuse, OutsideASimulationRun) {
  EXPECT_EQ(error_of([] { detio::net::partition("a", "b"); }),
            "RuntimeError: net::partition must be called inside detio::sim::run");
  EXPECT_EQ(error_of([] { detio::net::heal(); }), "RuntimeError: net::heal must be called inside detio::sim::run");
}

TEST(SimMisuse, NodeCallsOnTheRealBackend) {
  detio::run([]() -> Task<void> {
    // Before: "sim::node_running must be called inside detio::sim::run".
    EXPECT_EQ(error_of([] { detio::sim::restart_node("db", idle()); }),
              "RuntimeError: sim::restart_node must be called inside detio::sim::run");
    EXPECT_EQ(error_of([] { detio::sim::spawn_node("db", idle()); }),
              "RuntimeError: sim::spawn_node must be called inside detio::sim::run");
    EXPECT_EQ(error_of([] { detio::sim::kill_node("db"); }),
              "RuntimeError: sim::kill_node must be called inside detio::sim::run");
    co_return;
  }());
}

TEST(SimMisuse, HostsAndNodes) {
  detio::sim::run([]() -> Task<void> {
    EXPECT_EQ(error_of([] { detio::net::partition("main", "nowhere"); }),
              "ValueError: unknown simulated host 'nowhere'");
    EXPECT_EQ(error_of([] { detio::net::partition("main", "main"); }),
              "ValueError: cannot partition host 'main' from itself");
    EXPECT_EQ(error_of([] { detio::net::clog("main", "main", 1s); }),
              "ValueError: cannot clog host 'main' with itself");
    detio::sim::spawn_node("db", idle());
    EXPECT_EQ(error_of([] { detio::sim::spawn_node("db", idle()); }),
              "RuntimeError: sim::spawn_node: node 'db' is already running");
    EXPECT_EQ(error_of([] { detio::sim::spawn_node("", idle()); }),
              "ValueError: sim::spawn_node: '' is not a valid node name");
    EXPECT_EQ(error_of([] { detio::sim::kill_node("main"); }),
              "ValueError: sim::kill_node: the default host 'main' cannot be killed");
    co_return;
  }());
}

Task<void> close_at_once(detio::StreamReader, detio::StreamWriter w) {
  w.close();
  co_return;
}

TEST(SimMisuse, SocketsOnTheSimulatedNetwork) {
  detio::sim::run([]() -> Task<void> {
    EXPECT_EQ(co_await co_error_of(detio::open_connection("nohost", 80)),
              "OSError: [Errno -2] Name or service not known: 'nohost'");
    detio::Server first = co_await detio::start_server(close_at_once, "", 80);
    EXPECT_EQ(co_await co_error_of(detio::start_server(close_at_once, "", 80)),
              "OSError: [Errno 98] Address already in use: ('', 80)");
    EXPECT_EQ(co_await co_error_of(detio::start_server(close_at_once, "10.9.9.9", 81)),
              "OSError: [Errno 99] Cannot assign requested address: '10.9.9.9'");
    first.close();
    co_await first.wait_closed();
  }());
}

TEST(SimMisuse, RandomRangeBackwards) {
  detio::sim::run([]() -> Task<void> {
    EXPECT_EQ(error_of([] { (void)detio::sim::random().uniform(3, 1); }), "ValueError: Random::uniform: lo > hi");
    co_return;
  }());
}

}  // namespace

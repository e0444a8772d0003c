// Simulated nodes: spawn_node, kill_node (tasks never resume, peers get
// ConnectionResetError, listeners close), restart_node.
#include <gtest/gtest.h>

#include "detio/net/stats.h"
#include "detio/sim/network_trace.h"
#include "detio/sim/node.h"
#include "net_test_util.h"

namespace detio {
namespace {

using namespace std::chrono_literals;
using net_test::Conn;
using net_test::until;

// The network's events are kept: some tests read them.
sim::Options fixed_links(std::uint64_t seed = 1) {
  sim::Options o{.seed = seed};
  o.network.keep_trace = true;
  o.network.remote = {.latency = 1ms, .jitter = {}, .bandwidth = 0};
  return o;
}

struct Flags {
  bool resumed = false;    // code after an await ran
  bool destroyed = false;  // the frame's destructors ran
  std::string node;
};

Task<void> sleeper(Flags& f) {
  struct Guard {
    bool& destroyed;
    ~Guard() { destroyed = true; }
  } guard{f.destroyed};
  f.node = sim::current_node();
  try {
    co_await sleep(10s);
    f.resumed = true;
  } catch (...) {
    f.resumed = true;  // not even a catch block runs
    throw;
  }
}

Task<void> node_main(Flags& self, Flags& child, TaskHandle<void>& child_handle) {
  child_handle = create_task(sleeper(child));
  co_await sleeper(self);
}

TEST(SimNode, KillEndsTheNodesTasksWithoutResumingThem) {
  sim::run([]() -> Task<void> {
    Flags self, child;
    TaskHandle<void> child_handle;
    EXPECT_EQ(sim::current_node(), "main");
    auto node = sim::spawn_node("db1", node_main(self, child, child_handle));
    co_await sleep(1s);
    EXPECT_EQ(self.node, "db1");
    EXPECT_EQ(child.node, "db1");  // spawned tasks inherit the node
    EXPECT_TRUE(sim::node_running("db1"));
    sim::kill_node("db1");
    EXPECT_FALSE(sim::node_running("db1"));
    EXPECT_TRUE(node.cancelled());
    EXPECT_TRUE(child_handle.cancelled());
    EXPECT_FALSE(self.resumed);
    EXPECT_FALSE(child.resumed);
    EXPECT_TRUE(self.destroyed);
    EXPECT_TRUE(child.destroyed);
    try {
      co_await node;
      ADD_FAILURE() << "awaiting a killed node's task must throw";
    } catch (const CancelledError& e) {
      EXPECT_EQ(e.message(), "node db1 was killed");
    }
    sim::kill_node("db1");  // already dead: nothing happens
  }());
}

// call_soon/call_later callbacks belong to the node that scheduled them:
// they run on its behalf (tasks they create are the node's) and die with it.
TEST(SimNode, CallbacksBelongToTheirNodeAndDieWithIt) {
  std::vector<std::string> log;
  sim::run([&]() -> Task<void> {
    sim::spawn_node("db", [](std::vector<std::string>& out) -> Task<void> {
      call_later(1s, [&out] {
        create_task([](std::vector<std::string>& o) -> Task<void> {
          o.push_back("task made by a callback runs on " + sim::current_node());
          co_return;
        }(out));
      });
      call_later(5s, [&out] { out.push_back("a callback of a dead node ran"); });
      co_await sleep(1h);
    }(log));
    co_await sleep(2s);
    sim::kill_node("db");
    co_await sleep(10s);
  }());
  EXPECT_EQ(log, (std::vector<std::string>{"task made by a callback runs on db"}));
}

TEST(SimNode, KillResetsPeersAndClosesListeners) {
  sim::run(
      []() -> Task<void> {
        net_test::Server* server = nullptr;
        sim::spawn_node("db1", [](net_test::Server** out) -> Task<void> {
          auto server = co_await net_test::listen(80);
          *out = server.get();
          co_await sleep(24h);
        }(&server));
        co_await until([&] { return server != nullptr; });
        Conn c = co_await net_test::connect("db1", 80);
        c.t().write("hello");
        co_await sleep(5ms);
        const TimePoint killed = now();
        sim::kill_node("db1");
        co_await until([&] { return c.r().lost; }, 100us);
        EXPECT_EQ(now() - killed, 1ms);  // the RST travels like any packet
        EXPECT_TRUE(c.r().lost_with<ConnectionResetError>());
        // Nobody answers for the dead host: the connect times out.
        EXPECT_THROW(co_await wait_for(net_test::connect("db1", 80), 3s), TimeoutError);
        co_await sleep(10ms);
        EXPECT_EQ(net::stats().connections, 0u) << sim::network_trace().text();
      }(),
      fixed_links());
}

// An acceptor that runs a handler task per connection, like start_server.
struct TaskServer : Acceptor {
  std::vector<TaskHandle<void>> handlers;
  std::vector<std::string> nodes;
  std::unique_ptr<Listener> listener;

  static Task<void> handle(std::shared_ptr<Transport> t, std::vector<std::string>& nodes) {
    nodes.push_back(sim::current_node());
    Conn c(std::move(t));
    co_await sleep(24h);
  }
  void accept(std::shared_ptr<Transport> t) override { handlers.push_back(create_task(handle(std::move(t), nodes))); }
};

TEST(SimNode, TasksCreatedByAcceptBelongToTheServerNode) {
  sim::run(
      []() -> Task<void> {
        TaskServer* server = nullptr;
        sim::spawn_node("db1", [](TaskServer** out) -> Task<void> {
          TaskServer server;
          server.listener = co_await running_network().listen("", 80, 10, server);
          *out = &server;
          co_await sleep(24h);
        }(&server));
        co_await until([&] { return server != nullptr; });
        Conn a = co_await net_test::connect("db1", 80);
        Conn b = co_await net_test::connect("db1", 80);
        co_await until([&] { return server->nodes.size() == 2; });
        EXPECT_EQ(server->nodes, (std::vector<std::string>{"db1", "db1"}));
        auto handlers = server->handlers;
        sim::kill_node("db1");
        for (auto& h : handlers) EXPECT_TRUE(h.cancelled());
        co_await until([&] { return a.r().lost && b.r().lost; });
        EXPECT_TRUE(a.r().lost_with<ConnectionResetError>());
      }(),
      fixed_links());
}

TEST(SimNode, ANodeKillingItselfNeverRunsPastItsNextAwait) {
  sim::run(
      []() -> Task<void> {
        bool after = false;
        bool io_failed = false;
        auto node = sim::spawn_node("db1", [](bool& after, bool& io_failed) -> Task<void> {
          auto server = co_await net_test::listen(80);
          sim::kill_node("db1");
          // Still running until the next await, but its I/O is dead.
          try {
            co_await net_test::listen(81);
          } catch (const OSError&) {
            io_failed = true;
          }
          co_await sleep(1ms);
          after = true;
        }(after, io_failed));
        co_await sleep(1s);
        EXPECT_TRUE(node.cancelled());
        EXPECT_TRUE(io_failed);
        EXPECT_FALSE(after);
        EXPECT_THROW(co_await wait_for(net_test::connect("db1", 80), 2s), TimeoutError);
      }(),
      fixed_links());
}

Task<void> counting_server(int generation, std::vector<int>& seen) {
  struct Acc : Acceptor {
    int generation;
    std::vector<int>& seen;
    std::vector<Conn> conns;
    Acc(int g, std::vector<int>& s) : generation(g), seen(s) {}
    void accept(std::shared_ptr<Transport> t) override {
      seen.push_back(generation);
      conns.emplace_back(std::move(t));
      conns.back().t().write("gen" + std::to_string(generation));
    }
  } acc(generation, seen);
  auto listener = co_await running_network().listen("", 80, 10, acc);
  co_await sleep(24h);
}

TEST(SimNode, RestartRunsAFreshProcessOnTheSameHostAndPort) {
  sim::run(
      []() -> Task<void> {
        std::vector<int> seen;
        sim::spawn_node("db1", counting_server(1, seen));
        co_await sleep(1ms);
        Conn first = co_await net_test::connect("db1", 80);
        co_await until([&] { return first.r().data == "gen1"; });
        auto second_life = sim::restart_node("db1", counting_server(2, seen));
        EXPECT_TRUE(sim::node_running("db1"));
        co_await until([&] { return first.r().lost; });
        EXPECT_TRUE(first.r().lost_with<ConnectionResetError>());
        co_await sleep(1ms);
        Conn second = co_await net_test::connect("db1", 80);  // same address, same port
        co_await until([&] { return second.r().data == "gen2"; });
        EXPECT_EQ(seen, (std::vector<int>{1, 2}));
        EXPECT_EQ(second.t().peername()->host, "10.0.0.2");
        const std::string text = sim::network_trace().text();
        EXPECT_NE(text.find("kill      db1"), std::string::npos);
        EXPECT_NE(text.find("restart   db1"), std::string::npos);
        // Restarting a dead node works too (kill, then restart later).
        sim::kill_node("db1");
        sim::restart_node("db1", counting_server(3, seen));
        co_await sleep(1ms);
        Conn third = co_await net_test::connect("db1", 80);
        co_await until([&] { return third.r().data == "gen3"; });
      }(),
      fixed_links());
}

TEST(SimNode, NodesTalkToEachOtherAndToMain) {
  sim::run(
      []() -> Task<void> {
        auto local = co_await net_test::listen(7000);
        std::string got;
        sim::spawn_node("client", [](std::string& got) -> Task<void> {
          Conn c = co_await net_test::connect("main", 7000);
          c.t().write("from client");
          co_await until([&] { return !c.r().data.empty(); });
          got = c.r().data;
        }(got));
        co_await until([&] { return !local->accepted.empty() && !local->accepted[0].r().data.empty(); });
        EXPECT_EQ(local->accepted[0].r().data, "from client");
        EXPECT_EQ(local->accepted[0].t().peername()->host, "10.0.0.2");
        local->accepted[0].t().write("from main");
        co_await until([&] { return !got.empty(); });
        EXPECT_EQ(got, "from main");
      }(),
      fixed_links());
}

TEST(SimNode, Misuse) {
  EXPECT_THROW(sim::spawn_node("x", []() -> Task<void> { co_return; }()), RuntimeError);
  EXPECT_THROW(sim::kill_node("x"), RuntimeError);
  sim::run([]() -> Task<void> {
    sim::spawn_node("db1", []() -> Task<void> { co_await sleep(1h); }());
    EXPECT_THROW(sim::spawn_node("db1", []() -> Task<void> { co_return; }()), RuntimeError);
    EXPECT_THROW(sim::spawn_node("", []() -> Task<void> { co_return; }()), ValueError);
    EXPECT_THROW(sim::spawn_node("10.0.0.9", []() -> Task<void> { co_return; }()), ValueError);
    EXPECT_THROW(sim::kill_node("main"), ValueError);
    EXPECT_THROW(sim::kill_node("nobody"), ValueError);
    EXPECT_FALSE(sim::node_running("nobody"));
    co_return;
  }());
}

}  // namespace
}  // namespace detio

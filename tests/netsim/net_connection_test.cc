// Simulated connections at the Transport/Protocol level: ordered delivery,
// refused connects, half-close, FIN after close, RST on abort, addresses.
#include <gtest/gtest.h>

#include "detio/net/stats.h"
#include "detio/sim/node.h"
#include "net_test_util.h"

namespace detio {
namespace {

using namespace std::chrono_literals;
using net_test::Conn;
using net_test::until;

sim::Options fixed_links(std::uint64_t seed = 1) {
  sim::Options o{.seed = seed};
  o.network.loopback = {.latency = 20us, .jitter = {}, .bandwidth = 0};
  o.network.remote = {.latency = 1ms, .jitter = {}, .bandwidth = 0};
  return o;
}

TEST(NetConnection, OrderedDeliveryOnLoopback) {
  sim::run(
      []() -> Task<void> {
        auto server = co_await net_test::listen();
        Conn client = co_await net_test::connect("127.0.0.1", server->port());
        EXPECT_EQ(server->accepted.size(), 1u);
        std::string sent;
        for (int i = 0; i < 2000; ++i) {
          std::string msg = std::to_string(i) + std::string(static_cast<std::size_t>(i % 97), 'x') + ";";
          client.t().write(msg);
          sent += msg;
          if (i % 100 == 0) co_await sleep(3us);
        }
        co_await until([&] { return server->accepted[0].r().data.size() == sent.size(); });
        EXPECT_EQ(server->accepted[0].r().data, sent);
      }(),
      fixed_links());
}

TEST(NetConnection, OrderedDeliveryWithJitterBetweenHosts) {
  sim::Options o{.seed = 5};
  o.network.remote = {.latency = 1ms, .jitter = 900us, .bandwidth = 0};
  sim::run(
      []() -> Task<void> {
        std::uint16_t port = 0;
        std::string got;
        sim::spawn_node("db1", [](std::uint16_t& port, std::string& got) -> Task<void> {
          auto server = co_await net_test::listen(7000);
          port = server->port();
          co_await until([&] { return !server->accepted.empty() && server->accepted[0].r().eof; });
          got = server->accepted[0].r().data;
        }(port, got));
        co_await until([&] { return port != 0; });
        Conn c = co_await net_test::connect("db1", port);
        std::string sent;
        for (int i = 0; i < 500; ++i) {
          std::string msg = "<" + std::to_string(i) + ">";
          c.t().write(msg);
          sent += msg;
          co_await sleep(50us);  // many packets in flight, each with its own jitter
        }
        c.t().write_eof();
        co_await until([&] { return got.size() == sent.size(); });
        EXPECT_EQ(got, sent);
      }(),
      o);
}

TEST(NetConnection, RefusedAfterOneRoundTrip) {
  sim::run(
      []() -> Task<void> {
        const TimePoint start = now();
        EXPECT_THROW(co_await net_test::connect("localhost", 4444), ConnectionRefusedError);
        EXPECT_EQ(now() - start, 40us);  // SYN there, RST back
        sim::spawn_node("db1", []() -> Task<void> { co_await sleep(1h); }());
        const TimePoint t2 = now();
        try {
          co_await net_test::connect("db1", 80);
          ADD_FAILURE() << "connected to a closed port";
        } catch (const ConnectionRefusedError& e) {
          EXPECT_STREQ(e.what(), "[Errno 111] Connect call failed ('10.0.0.2', 80)");
        }
        EXPECT_EQ(now() - t2, 2ms);
        co_await sleep(1ms);
        EXPECT_EQ(net::stats().connections, 0u);
      }(),
      fixed_links());
}

TEST(NetConnection, UnknownHostIsAnOSError) {
  sim::run([]() -> Task<void> {
    EXPECT_THROW(co_await net_test::connect("nosuchhost", 80), OSError);
  }());
}

TEST(NetConnection, HalfCloseThenReplyThenClose) {
  sim::run(
      []() -> Task<void> {
        auto server = co_await net_test::listen();
        Conn c = co_await net_test::connect("localhost", server->port());
        c.t().write("request");
        c.t().write_eof();
        EXPECT_TRUE(c.t().can_write_eof());
        EXPECT_THROW(c.t().write("more"), RuntimeError);
        Conn& s = server->accepted.at(0);
        co_await until([&] { return s.r().eof; });
        EXPECT_EQ(s.r().data, "request");
        EXPECT_FALSE(s.r().lost);
        // The server can still write after the client's FIN.
        s.t().write("response");
        s.t().close();
        EXPECT_TRUE(s.t().is_closing());
        co_await until([&] { return c.r().eof && s.r().lost; });
        EXPECT_EQ(c.r().data, "response");
        EXPECT_EQ(s.r().error, nullptr);
        c.t().close();
        co_await until([&] { return c.r().lost; });
        EXPECT_EQ(c.r().error, nullptr);
        co_await sleep(1ms);
        EXPECT_EQ(net::stats().connections, 0u);
      }(),
      fixed_links());
}

TEST(NetConnection, EofReceivedFalseClosesTheTransport) {
  sim::run([]() -> Task<void> {
    auto server = co_await net_test::listen();
    Conn c = co_await net_test::connect("localhost", server->port());
    Conn& s = server->accepted.at(0);
    s.r().keep_open = false;
    c.t().close();
    co_await until([&] { return s.r().lost && c.r().lost; });
    EXPECT_TRUE(s.r().eof);
    EXPECT_EQ(s.r().error, nullptr);
    EXPECT_EQ(c.r().error, nullptr);
  }());
}

TEST(NetConnection, CloseFlushesQueuedBytesBeforeFin) {
  sim::Options o = fixed_links();
  o.network.remote.bandwidth = 1'000'000;
  sim::run(
      []() -> Task<void> {
        std::uint16_t port = 0;
        net_test::Server* server = nullptr;
        sim::spawn_node("db1", [](std::uint16_t& port, net_test::Server*& out) -> Task<void> {
          auto server = co_await net_test::listen();
          port = server->port();
          out = server.get();
          co_await sleep(1h);
        }(port, server));
        co_await until([&] { return port != 0; });
        Conn c = co_await net_test::connect("db1", port);
        c.t().write(std::string(600'000, 'a'));  // more than the receive window
        c.t().close();
        co_await until([&] { return c.r().lost; });
        Conn& s = server->accepted.at(0);
        co_await until([&] { return s.r().eof; });
        EXPECT_EQ(s.r().data.size(), 600'000u);
        EXPECT_GE(now(), TimePoint(600ms));  // the bandwidth, then the FIN
      }(),
      o);
}

TEST(NetConnection, AbortResetsThePeerMidTransfer) {
  sim::run(
      []() -> Task<void> {
        auto server = co_await net_test::listen();
        Conn c = co_await net_test::connect("localhost", server->port());
        Conn& s = server->accepted.at(0);
        for (int i = 0; i < 100; ++i) c.t().write(std::string(100'000, 'z'));
        co_await until([&] { return !s.r().data.empty(); });
        s.t().abort();
        EXPECT_TRUE(s.t().is_closing());
        co_await until([&] { return c.r().lost && s.r().lost; });
        EXPECT_TRUE(c.r().lost_with<ConnectionResetError>());
        EXPECT_EQ(s.r().error, nullptr);  // abort() reports a clean loss locally
        EXPECT_EQ(c.t().get_write_buffer_size(), 0u);
        // Every call on a lost transport is a harmless no-op.
        c.t().write("ignored");
        c.t().close();
        c.t().pause_reading();
        c.t().resume_reading();
        EXPECT_TRUE(c.t().is_closing());
      }(),
      fixed_links());
}

TEST(NetConnection, DataToAClosedSocketIsReset) {
  sim::run(
      []() -> Task<void> {
        auto server = co_await net_test::listen();
        Conn c = co_await net_test::connect("localhost", server->port());
        Conn& s = server->accepted.at(0);
        s.t().close();
        co_await until([&] { return s.r().lost && c.r().eof; });
        c.t().write("too late");
        co_await until([&] { return c.r().lost; });
        EXPECT_TRUE(c.r().lost_with<ConnectionResetError>());
      }(),
      fixed_links());
}

TEST(NetConnection, EventsBeforeSetProtocolAreKept) {
  sim::run(
      []() -> Task<void> {
        struct Holder : Acceptor {
          std::shared_ptr<Transport> t;
          void accept(std::shared_ptr<Transport> transport) override { t = std::move(transport); }
        } holder;
        auto listener = co_await running_network().listen("", 0, 10, holder);
        Conn c = co_await net_test::connect("127.0.0.1", listener->address().port);
        c.t().write("early");
        c.t().close();
        co_await sleep(1ms);
        CO_ASSERT(holder.t);
        net_test::Recorder late;
        late.keep_open = false;
        holder.t->set_protocol(late);
        EXPECT_TRUE(late.made);
        EXPECT_TRUE(late.data.empty());  // delivered from the loop, not inline
        co_await until([&] { return late.lost; });
        EXPECT_EQ(late.data, "early");
        EXPECT_TRUE(late.eof);
        holder.t->detach_protocol();
      }(),
      fixed_links());
}

TEST(NetConnection, PeerAndSockNames) {
  sim::run(
      []() -> Task<void> {
        std::uint16_t port = 0;
        std::optional<SocketAddress> server_peer;
        sim::spawn_node("db1", [](std::uint16_t& port, std::optional<SocketAddress>& peer) -> Task<void> {
          auto server = co_await net_test::listen(5432);
          port = server->port();
          co_await until([&] { return !server->accepted.empty(); });
          peer = server->accepted[0].t().peername();
        }(port, server_peer));
        co_await until([&] { return port != 0; });
        EXPECT_EQ(port, 5432);
        Conn c = co_await net_test::connect("10.0.0.2", port);
        EXPECT_EQ(c.t().peername()->to_string(), "10.0.0.2:5432");
        EXPECT_EQ(c.t().sockname()->host, "10.0.0.1");
        co_await until([&] { return server_peer.has_value(); });
        EXPECT_EQ(*server_peer, *c.t().sockname());
        auto local = co_await net_test::listen();
        Conn l = co_await net_test::connect("localhost", local->port());
        EXPECT_EQ(l.t().peername()->host, "127.0.0.1");
        EXPECT_GE(local->port(), 49152);
      }(),
      fixed_links());
}

TEST(NetConnection, PortInUseAndForeignAddress) {
  sim::run([]() -> Task<void> {
    auto a = co_await net_test::listen(8080);
    EXPECT_THROW(co_await net_test::listen(8080), OSError);
    sim::spawn_node("db1", []() -> Task<void> { co_await sleep(1h); }());
    EXPECT_THROW(co_await net_test::listen(9090, "db1"), OSError);
    auto mine = co_await net_test::listen(9090, "main");
    a->listener->close();
    auto again = co_await net_test::listen(8080);  // the port is free again
    EXPECT_EQ(again->port(), 8080);
    co_return;
  }());
}

TEST(NetConnection, CancelledConnectLeavesNothingBehind) {
  sim::run(
      []() -> Task<void> {
        std::uint16_t port = 0;
        net_test::Server* server = nullptr;
        sim::spawn_node("db1", [](std::uint16_t& port, net_test::Server*& out) -> Task<void> {
          auto server = co_await net_test::listen();
          port = server->port();
          out = server.get();
          co_await sleep(1h);
        }(port, server));
        co_await until([&] { return port != 0; });
        // Cancelled while the SYN is in flight: the server end gets RST.
        auto connecting = create_task(net_test::connect("db1", port));
        co_await sleep(500us);
        connecting.cancel();
        co_await until([&] { return connecting.done(); });
        EXPECT_TRUE(connecting.cancelled());
        co_await sleep(10ms);
        CO_ASSERT(server->accepted.size() == 1u);
        EXPECT_TRUE(server->accepted[0].r().lost_with<ConnectionResetError>());
        server->accepted[0].t().close();
        co_await sleep(1ms);
        EXPECT_EQ(net::stats().connections, 0u);
      }(),
      fixed_links());
}

}  // namespace
}  // namespace detio

// What only the real backend has: sockets and their errors (SIGPIPE never
// kills the process, address in use, unresolvable names), host names
// resolved off the loop, "" listening on every address, SO_REUSEADDR, the loop clock, every fd closed when
// run() returns, and what run() does with connections left open.
#include <dirent.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/time.h>

#include <algorithm>
#include <chrono>
#include <detio/detio.h>
#include <detio/sim/buggify.h>
#include <string>
#include <vector>

#include "../support/outcomes.h"

using namespace std::chrono_literals;
using detio::StreamReader;
using detio::StreamWriter;
using detio::Task;
using detio_test::outcome_of;

namespace {

int open_fd_count() {
  int n = 0;
  if (DIR* d = ::opendir("/proc/self/fd")) {
    while (::readdir(d)) ++n;
    ::closedir(d);
  }
  return n;
}

Task<void> echo(StreamReader r, StreamWriter w) {
  while (true) {
    std::string s = co_await r.read(4096);
    if (s.empty()) break;
    w.write(s);
    co_await w.drain();
  }
}

TEST(EpollBackend, WritingToAClosedPeerRaisesInsteadOfSigpipe) {
  // Default SIGPIPE disposition: a single unguarded write would kill us.
  struct sigaction old{};
  struct sigaction dfl{};
  dfl.sa_handler = SIG_DFL;
  ::sigaction(SIGPIPE, &dfl, &old);
  std::string result;
  detio::run([&]() -> Task<void> {
    auto closer = [](StreamReader, StreamWriter w) -> Task<void> {
      w.close();
      co_return;
    };
    detio::Server server = co_await detio::start_server(closer, "127.0.0.1", 0);
    auto [r, w] = co_await detio::open_connection("127.0.0.1", server.port());
    EXPECT_EQ(co_await r.read(), "");  // the peer closed
    try {
      for (int i = 0; i < 1000; ++i) {
        w.write(std::string(64 * 1024, 'p'));
        co_await w.drain();
        co_await detio::sleep(1ms);
      }
      result = "no error";
    } catch (...) {
      result = detio_test::describe_error(std::current_exception());
    }
    server.close();
  }());
  ::sigaction(SIGPIPE, &old, nullptr);
  EXPECT_TRUE(result == "BrokenPipeError" || result == "ConnectionResetError") << result;
}

// A signal every 200 us, with a handler installed without SA_RESTART: the
// loop's epoll_wait, reads, writes and connects see EINTR and carry on.
TEST(EpollBackend, SignalsInterruptingSyscallsAreHarmless) {
  struct sigaction old{};
  struct sigaction on_alarm{};
  static volatile sig_atomic_t alarms = 0;
  alarms = 0;
  on_alarm.sa_handler = [](int) { alarms = alarms + 1; };
  on_alarm.sa_flags = 0;
  ::sigaction(SIGALRM, &on_alarm, &old);
  itimerval every{{0, 200}, {0, 200}};
  ::setitimer(ITIMER_REAL, &every, nullptr);
  std::size_t echoed = 0;
  bool same = false;
  detio::run([&]() -> Task<void> {
    // Idle waits: epoll_wait is interrupted again and again, yet every
    // sleep lasts its full time.
    const detio::TimePoint start = detio::now();
    for (int i = 0; i < 20; ++i) co_await detio::sleep(2ms);
    EXPECT_GE(detio::now() - start, 40ms);
    detio::Server server = co_await detio::start_server(echo, "127.0.0.1", 0);
    std::string data(2 * 1024 * 1024, '\0');
    for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 7 + i / 4096);
    for (int c = 0; c < 4; ++c) {
      auto [r, w] = co_await detio::open_connection("127.0.0.1", server.port());
      auto send = [](StreamWriter w, const std::string& d) -> Task<void> {
        for (std::size_t i = 0; i < d.size(); i += 8192) {
          w.write(std::string_view(d).substr(i, 8192));
          co_await w.drain();
          co_await detio::sleep(std::chrono::microseconds(50));
        }
        w.write_eof();
      };
      auto sender = detio::create_task(send(w, data));
      const std::string back = co_await r.read();
      co_await sender;
      echoed += back.size();
      same = back == data;
      w.close();
    }
    server.close();
  }());
  itimerval off{};
  ::setitimer(ITIMER_REAL, &off, nullptr);
  ::sigaction(SIGALRM, &old, nullptr);
  EXPECT_GT(alarms, 100);  // many syscalls were interrupted
  EXPECT_EQ(echoed, 4u * 2 * 1024 * 1024);
  EXPECT_TRUE(same);
}

TEST(EpollBackend, EveryFdIsClosedWhenRunReturnsEvenIfLeftOpen) {
  const int before = open_fd_count();
  detio::run([&]() -> Task<void> {
    detio::Server server = co_await detio::start_server(echo, "127.0.0.1", 0);
    detio::Server server6 = co_await detio::start_server(echo, "::1", 0);
    for (int i = 0; i < 10; ++i) {
      auto [r, w] = co_await detio::open_connection("127.0.0.1", server.port());
      w.write("abc");
      EXPECT_EQ(co_await r.readexactly(3), "abc");
      // r and w go out of scope without close(): run() must clean up.
    }
    auto [r, w] = co_await detio::open_connection("::1", server6.port());
    co_await detio::to_thread([] {});
    // A connection still open, servers still serving, a worker thread.
  }());
  EXPECT_EQ(open_fd_count(), before);
}

TEST(EpollBackend, StreamsReturnedFromRunOutliveTheLoopHarmlessly) {
  detio::StreamWriter* leaked = nullptr;
  {
    detio::Connection kept = detio::run([&]() -> Task<detio::Connection> {
      detio::Server server = co_await detio::start_server(echo, "127.0.0.1", 0);
      co_return co_await detio::open_connection("127.0.0.1", server.port());
    }());
    leaked = &kept.writer;
    EXPECT_TRUE(leaked->is_closing());
    EXPECT_NO_THROW(leaked->close());
  }
}

TEST(EpollBackend, HostNamesAreResolvedOffTheLoop) {
  detio::run([&]() -> Task<void> {
    detio::Server server = co_await detio::start_server(echo, "127.0.0.1", 0);
    // "localhost" may list ::1 first: connect tries each address in turn.
    auto [r, w] = co_await detio::open_connection("localhost", server.port());
    w.write("resolved");
    EXPECT_EQ(co_await r.readexactly(8), "resolved");
    EXPECT_EQ(w.get_extra_info("peername")->host, "127.0.0.1");
    w.close();
    EXPECT_EQ(co_await outcome_of(detio::open_connection("no-such-host.invalid", 80)), "OSError");
    server.close();
  }());
}

// "" is every address, as in asyncio: one socket for 0.0.0.0 and one for ::
// (IPV6_V6ONLY), both on the one port that port 0 picked. A host name is
// resolved off the loop too, and a name that does not resolve is OSError.
TEST(EpollBackend, AnEmptyHostListensOnEveryAddressOnOnePort) {
  std::vector<std::string> echoed;
  detio::run([&]() -> Task<void> {
    detio::Server server = co_await detio::start_server(echo, "", 0);
    const std::string port = std::to_string(server.port());
    std::vector<std::string> sockets;
    for (const detio::SocketAddress& a : server.sockets()) sockets.push_back(a.to_string());
    std::sort(sockets.begin(), sockets.end());
    EXPECT_EQ(sockets, (std::vector<std::string>{"0.0.0.0:" + port, "[::]:" + port}));
    for (const char* host : {"127.0.0.1", "::1"}) {
      auto [r, w] = co_await detio::open_connection(host, server.port());
      w.write(host);
      echoed.push_back(co_await r.readexactly(std::string(host).size()));
      w.close();
    }
    detio::Server named = co_await detio::start_server(echo, "localhost", 0);
    auto [r, w] = co_await detio::open_connection("127.0.0.1", named.port());
    w.write("named");
    echoed.push_back(co_await r.readexactly(5));
    w.close();
    EXPECT_EQ(co_await outcome_of(detio::start_server(echo, "no-such-host.invalid", 0)), "OSError");
    server.close();
    named.close();
    co_await server.wait_closed();
    EXPECT_TRUE(server.sockets().empty());
  }());
  EXPECT_EQ(echoed, (std::vector<std::string>{"127.0.0.1", "::1", "named"}));
}

TEST(EpollBackend, ListeningOnAPortInUseIsAnOSError) {
  detio::run([&]() -> Task<void> {
    detio::Server server = co_await detio::start_server(echo, "127.0.0.1", 0);
    EXPECT_EQ(co_await outcome_of(detio::start_server(echo, "127.0.0.1", server.port())), "OSError");
    server.close();
  }());
}

// SO_REUSEADDR: a server can come back on its port while the connections
// of its previous life linger in TIME_WAIT.
TEST(EpollBackend, AServerCanRebindItsPortAtOnce) {
  detio::run([&]() -> Task<void> {
    detio::Server first = co_await detio::start_server(echo, "127.0.0.1", 0);
    const std::uint16_t port = first.port();
    {
      auto [r, w] = co_await detio::open_connection("127.0.0.1", port);
      w.write("x");
      EXPECT_EQ(co_await r.readexactly(1), "x");
      co_await detio::sleep(5ms);
    }
    first.close();
    co_await first.wait_closed();
    co_await detio::sleep(5ms);  // server side closes first: its side is in TIME_WAIT
    detio::Server second = co_await detio::start_server(echo, "127.0.0.1", port);
    EXPECT_EQ(second.port(), port);
    second.close();
  }());
}

TEST(EpollBackend, TheClockIsMonotonicAndCloseToTheWallClock) {
  detio::run([&]() -> Task<void> {
    const auto wall_start = std::chrono::steady_clock::now();
    const detio::TimePoint start = detio::now();
    detio::TimePoint last = start;
    for (int i = 0; i < 20; ++i) {
      co_await detio::sleep(1ms);
      EXPECT_GE(detio::now(), last);
      last = detio::now();
    }
    const auto wall = std::chrono::steady_clock::now() - wall_start;
    const auto loop = detio::now() - start;
    EXPECT_GE(loop, 20ms);
    EXPECT_LT(std::chrono::abs(wall - loop), 5ms);
  }());
}

namespace {
void spin_for(std::chrono::nanoseconds d) {
  const auto until = std::chrono::steady_clock::now() + d;
  while (std::chrono::steady_clock::now() < until) {
  }
}
}  // namespace

// With no timer pending the loop defers its clock read to the first now()
// of an iteration: the time still follows the real clock across a
// CPU-bound stretch of task switches, and stays constant within a step.
TEST(EpollBackend, TheLoopTimeFollowsTheClockThroughBusyIterationsWithoutTimers) {
  detio::run([&]() -> Task<void> {
    detio::Event ping, pong;
    auto partner = detio::create_task([](detio::Event& ping, detio::Event& pong) -> Task<void> {
      for (int i = 0; i < 3; ++i) {
        co_await ping.wait();
        ping.clear();
        spin_for(3ms);
        pong.set();
      }
    }(ping, pong));
    for (int i = 0; i < 3; ++i) {
      const detio::TimePoint before = detio::now();
      spin_for(2ms);
      EXPECT_EQ(detio::now(), before) << "the time moved within one step";
      ping.set();
      co_await pong.wait();
      pong.clear();
      // Two switches later, after 5 ms of busy work in between.
      EXPECT_GE(detio::now() - before, 5ms);
    }
    co_await partner;
  }());
}

// A timer armed while the clock read is deferred counts from the time
// read at that moment, not from an older one.
TEST(EpollBackend, ATimerArmedInABusyStretchCountsFromTheCurrentTime) {
  detio::run([&]() -> Task<void> {
    for (int i = 0; i < 3; ++i) {
      co_await detio::sleep(0ms);
      spin_for(3ms);
    }
    const auto wall_start = std::chrono::steady_clock::now();
    co_await detio::sleep(0ms);  // an iteration with no timer: time deferred
    co_await detio::sleep(20ms);
    EXPECT_GE(std::chrono::steady_clock::now() - wall_start, 20ms);
  }());
}

TEST(EpollBackend, BuggifyIsAlwaysFalseOnTheRealBackend) {
  detio::run([&]() -> Task<void> {
    for (int i = 0; i < 1000; ++i) EXPECT_FALSE(detio::sim::buggify(1.0));
    EXPECT_FALSE(detio::sim::buggify_enabled());
    co_return;
  }());
}

}  // namespace

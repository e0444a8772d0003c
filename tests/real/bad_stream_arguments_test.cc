// Bad arguments to the stream calls, on the simulated network and on real
// sockets (127.0.0.1 and ::1): each is a ValueError naming the call, raised
// before any I/O, instead of a truncated port (-1 listened on 65535, 70000
// on 4464), a huge size (readexactly(-1) waited for SIZE_MAX bytes), a
// truncated host name, or a server whose every connection failed inside the
// library (limit = 0; on real sockets wait_closed then hung).
#include <gtest/gtest.h>

#include <detio/detio.h>

#include <climits>
#include <cstdint>
#include <string>
#include <vector>

#include "../support/backends.h"
#include "../support/outcomes.h"

using namespace std::chrono_literals;
using detio::StreamReader;
using detio::StreamWriter;
using detio::Task;

namespace {

class BadStreamArgumentsTest : public detio_test::BackendTest {};

// "ValueError: <message>" if awaiting `a` threw one, else how it ended.
template <class Awaitable>
Task<std::string> value_error_of(Awaitable a) {
  try {
    co_await std::move(a);
    co_return "ok";
  } catch (const detio::ValueError& e) {
    co_return std::string("ValueError: ") + e.what();
  } catch (...) {
    co_return detio_test::describe_error(std::current_exception());
  }
}

Task<void> close_at_once(StreamReader, StreamWriter w) {
  w.close();
  co_return;
}

TEST_P(BadStreamArgumentsTest, PortsOutsideTheirRange) {
  run([&]() -> Task<void> {
    const std::vector<std::int64_t> bad_ports = {-1, 65536, 70000, INT_MIN, std::int64_t{1} << 40};
    for (std::int64_t port : bad_ports) {
      const std::string suffix = "port must be 0-65535, got " + std::to_string(port);
      EXPECT_EQ(co_await value_error_of(detio::open_connection(host(), port)), "ValueError: open_connection: " + suffix);
      EXPECT_EQ(co_await value_error_of(detio::start_server(close_at_once, host(), port)),
                "ValueError: start_server: " + suffix);
    }
    // The ends of the range are ports.
    detio::Server server = co_await detio::start_server(close_at_once, host(), 0);
    EXPECT_GT(server.port(), 0);
    auto [r, w] = co_await detio::open_connection(host(), std::int64_t{server.port()});
    EXPECT_EQ(co_await r.read(), "");
    w.close();
    server.close();
    co_await server.wait_closed();
  });
}

TEST_P(BadStreamArgumentsTest, HostWithAnEmbeddedNul) {
  run([&]() -> Task<void> {
    const std::string host_with_nul = host() + std::string(1, '\0') + "evil";
    // Before: the resolver read "127.0.0.1" (real sockets) or the name was
    // unknown (sim); asyncio raises ValueError.
    EXPECT_EQ(co_await value_error_of(detio::open_connection(host_with_nul, 80)),
              "ValueError: open_connection: host name contains an embedded NUL character");
    EXPECT_EQ(co_await value_error_of(detio::start_server(close_at_once, host_with_nul, 0)),
              "ValueError: start_server: host name contains an embedded NUL character");
  });
}

TEST_P(BadStreamArgumentsTest, LimitZeroIsRefusedBeforeListening) {
  run([&]() -> Task<void> {
    // Before: accepted, then every connection failed inside the library.
    EXPECT_EQ(co_await value_error_of(detio::start_server(close_at_once, host(), 0, 100, 0)),
              "ValueError: start_server: limit must be > 0, got 0");
    EXPECT_EQ(co_await value_error_of(detio::start_server(close_at_once, host(), 0, 100, static_cast<std::size_t>(-1))),
              "ValueError: start_server: limit must be > 0, got -1");
    detio::Server server = co_await detio::start_server(close_at_once, host(), 0);
    EXPECT_EQ(co_await value_error_of(detio::open_connection(host(), server.port(), 0)),
              "ValueError: open_connection: limit must be > 0, got 0");
    server.close();
    co_await server.wait_closed();
  });
  EXPECT_THROW(StreamReader(0), detio::ValueError);
}

TEST_P(BadStreamArgumentsTest, ReadexactlyOfANegativeSize) {
  run([&]() -> Task<void> {
    auto send_hello = [](StreamReader, StreamWriter w) -> Task<void> {
      w.write("hello");
      co_await w.drain();
      w.close();
    };
    detio::Server server = co_await detio::start_server(std::move(send_hello), host(), 0);
    auto [r, w] = co_await detio::open_connection(host(), server.port());
    // Before: -1 became SIZE_MAX and the read waited for EOF.
    EXPECT_EQ(co_await value_error_of(r.readexactly(-1)), "ValueError: readexactly size can not be less than zero");
    EXPECT_EQ(co_await r.readexactly(5), "hello") << "the bytes are still there";
    w.close();
    server.close();
    co_await server.wait_closed();
  });
}

DETIO_INSTANTIATE_STREAM_BACKENDS(BadStreamArgumentsTest);

}  // namespace

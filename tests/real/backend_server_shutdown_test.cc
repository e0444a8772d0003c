// Shutting a server down with connections open (asyncio 3.13's
// Server.close_clients/abort_clients) and the writer's transport and extra
// info, written once and run on the simulated network and on real sockets
// over 127.0.0.1 and ::1.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <chrono>
#include <detio/detio.h>
#include <stdexcept>
#include <string>
#include <vector>

#include "../support/backends.h"
#include "../support/outcomes.h"

using namespace std::chrono_literals;
using detio::StreamReader;
using detio::StreamWriter;
using detio::Task;
using detio_test::outcome_of;

namespace {

class ServerShutdownTest : public detio_test::BackendTest {};

// A handler that waits for bytes that never come: only the end of its
// connection ends it. Records what its read saw.
struct Idle {
  std::vector<std::string> seen;
  int running = 0;
  Task<void> operator()(StreamReader r, StreamWriter) {
    ++running;
    const std::string outcome = co_await outcome_of(r.read());
    seen.push_back(outcome);
    --running;
  }
};

// Reads until the end: "eof", or the error that ended the reads. (No
// co_await inside a loop condition: g++ 12 frees its temporary twice.)
Task<std::string> read_to_end(StreamReader r) {
  std::string outcome = "eof";
  try {
    while (true) {
      const std::string chunk = co_await r.read();
      if (chunk.empty()) break;
    }
  } catch (...) {
    outcome = detio_test::describe_error(std::current_exception());
  }
  co_return outcome;
}

// The 3.13 shutdown: a cancelled serve_forever waits for the handlers; the
// handlers wait for their peers; close_clients() ends their connections, so
// serve_forever ends with its CancelledError and the peers see EOF.
TEST_P(ServerShutdownTest, CloseClientsLetsACancelledServeForeverEnd) {
  Idle idle;
  run([&]() -> Task<void> {
    auto handler = [&idle](StreamReader r, StreamWriter w) { return idle(std::move(r), std::move(w)); };
    detio::Server server = co_await detio::start_server(handler, host(), 0);
    auto forever = detio::create_task(server.serve_forever());
    auto first = co_await detio::open_connection(host(), server.port());
    auto second = co_await detio::open_connection(host(), server.port());
    while (idle.running < 2) co_await detio::sleep(1ms);
    forever.cancel("shutdown");
    co_await detio::sleep(10ms);
    EXPECT_FALSE(forever.done()) << "serve_forever waits for the open connections' handlers";
    EXPECT_FALSE(server.is_serving());
    server.close_clients();
    EXPECT_EQ(co_await outcome_of(forever), "CancelledError(shutdown)");
    EXPECT_EQ(idle.seen, (std::vector<std::string>{"ok", "ok"}));  // both reads saw EOF
    EXPECT_EQ(co_await read_to_end(first.reader), "eof");
    EXPECT_EQ(co_await read_to_end(second.reader), "eof");
    first.writer.close();
    second.writer.close();
  });
}

// abort_clients() drops the connections at once: the handlers' reads end
// (asyncio's abort loses the connection without an error on our side) and
// the peers are reset.
TEST_P(ServerShutdownTest, AbortClientsResetsThePeersAndEndsTheHandlers) {
  Idle idle;
  run([&]() -> Task<void> {
    auto handler = [&idle](StreamReader r, StreamWriter w) { return idle(std::move(r), std::move(w)); };
    detio::Server server = co_await detio::start_server(handler, host(), 0);
    auto [reader, writer] = co_await detio::open_connection(host(), server.port());
    while (idle.running < 1) co_await detio::sleep(1ms);
    server.close();
    auto closed = detio::create_task(server.wait_closed());
    co_await detio::sleep(10ms);
    EXPECT_FALSE(closed.done());
    server.abort_clients();
    co_await closed;
    EXPECT_EQ(idle.seen, std::vector<std::string>{"ok"});
    EXPECT_EQ(co_await read_to_end(reader), "ConnectionResetError");
    writer.close();
  });
}

// close_clients() reaches only connections whose handlers still run, and
// leaves the server accepting if it was not closed.
TEST_P(ServerShutdownTest, CloseClientsSkipsFinishedHandlersAndKeepsServing) {
  run([&]() -> Task<void> {
    int handled = 0;
    auto greet = [&handled](StreamReader, StreamWriter w) -> Task<void> {
      ++handled;
      w.write("hi\n");
      co_await w.drain();
    };
    detio::Server server = co_await detio::start_server(greet, host(), 0);
    auto [reader, writer] = co_await detio::open_connection(host(), server.port());
    EXPECT_EQ(co_await reader.readline(), "hi\n");
    server.close_clients();
    server.abort_clients();
    EXPECT_TRUE(server.is_serving());
    auto later = co_await detio::open_connection(host(), server.port());
    EXPECT_EQ(co_await later.reader.readline(), "hi\n");
    EXPECT_EQ(handled, 2);
    later.writer.close();
    writer.close();
    server.close();
    co_await server.wait_closed();
  });
}

// StreamWriter::transport(): abort() resets the peer, the reading state and
// the watermarks are the transport's.
TEST_P(ServerShutdownTest, TheWritersTransportAbortsResetsThePeer) {
  std::string server_read;
  run([&]() -> Task<void> {
    detio::Event done;
    auto reader_side = [&](StreamReader r, StreamWriter) -> Task<void> {
      server_read = co_await read_to_end(r);
      done.set();
    };
    detio::Server server = co_await detio::start_server(reader_side, host(), 0);
    auto [reader, writer] = co_await detio::open_connection(host(), server.port());
    detio::Transport& transport = writer.transport();
    EXPECT_TRUE(transport.is_reading());
    EXPECT_EQ(transport.get_write_buffer_limits(), (std::pair<std::size_t, std::size_t>{16 * 1024, 64 * 1024}));
    transport.pause_reading();
    EXPECT_FALSE(transport.is_reading());
    transport.resume_reading();
    writer.write("some bytes that an abort drops or sends");
    transport.abort();
    EXPECT_TRUE(writer.is_closing());
    EXPECT_FALSE(transport.is_reading());
    co_await done.wait();
    EXPECT_EQ(co_await read_to_end(reader), "eof");  // lost without an error on the aborting side
    server.close();
    co_await server.wait_closed();
  });
  EXPECT_EQ(server_read, "ConnectionResetError");
}

// get_extra_info(name, default): addresses, the real socket's fd ("socket"),
// the default for what the transport does not have.
TEST_P(ServerShutdownTest, GetExtraInfoWithDefaultsAndTheSocket) {
  run([&]() -> Task<void> {
    auto drain_peer = [](StreamReader r, StreamWriter) -> Task<void> { co_await read_to_end(std::move(r)); };
    detio::Server server = co_await detio::start_server(drain_peer, host(), 0);
    detio::Connection connection = co_await detio::open_connection(host(), server.port());
    StreamWriter writer = connection.writer;  // clang 14 cannot capture a structured binding
    const detio::SocketAddress fallback{"fallback", 7};
    EXPECT_EQ(writer.get_extra_info("peername", fallback).port, server.port());
    EXPECT_EQ(writer.get_extra_info("nothing", fallback), fallback);
    EXPECT_EQ(writer.get_extra_info("nothing", -5), -5);
    EXPECT_EQ(detio_test::outcome_of_call([&] { (void)writer.get_extra_info("peername", -1); }), "ValueError");
    EXPECT_EQ(detio_test::outcome_of_call([&] { (void)writer.get_extra_info("socket"); }), "ValueError");
    EXPECT_EQ(detio_test::outcome_of_call([&] { (void)writer.get_extra_info("socket", fallback); }), "ValueError");
    const int fd = writer.get_extra_info("socket", -1);
    if (real()) {
      // The connected socket itself: its local port is the writer's sockname.
      EXPECT_GE(fd, 0);
      sockaddr_storage local{};
      socklen_t length = sizeof local;
      EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length), 0);
      const auto* in = reinterpret_cast<const sockaddr_in*>(&local);  // sin_port is at the same offset for v6
      EXPECT_EQ(ntohs(in->sin_port), writer.get_extra_info("sockname")->port);
    } else {
      EXPECT_EQ(fd, -1) << "the simulator has no file descriptors";
    }
    writer.close();
    co_await writer.wait_closed();
    EXPECT_EQ(writer.get_extra_info("socket", -1), -1) << "the fd is gone once the connection is";
    server.close();
    co_await server.wait_closed();
  });
}

// As asyncio's StreamReaderProtocol: a handler task that is cancelled, or
// that raises (reported on stderr), has its connection closed, and counts
// as finished for wait_closed().
TEST_P(ServerShutdownTest, AHandlerThatIsCancelledOrRaisesHasItsConnectionClosed) {
  testing::internal::CaptureStderr();
  run([&]() -> Task<void> {
    std::vector<detio::TaskHandleBase> handlers;
    auto handler = [&handlers](StreamReader r, StreamWriter) -> Task<void> {
      handlers.push_back(detio::current_task());
      if (co_await r.readline() == "raise\n") throw std::runtime_error("the handler gave up");
      co_await r.read();  // until cancelled
    };
    detio::Server server = co_await detio::start_server(handler, host(), 0);
    auto cancelled = co_await detio::open_connection(host(), server.port());
    auto raising = co_await detio::open_connection(host(), server.port());
    cancelled.writer.write("wait\n");
    raising.writer.write("raise\n");
    while (handlers.size() < 2) co_await detio::sleep(1ms);
    EXPECT_EQ(co_await read_to_end(raising.reader), "eof");
    handlers[0].cancel();
    EXPECT_EQ(co_await read_to_end(cancelled.reader), "eof");
    EXPECT_TRUE(handlers[0].cancelled());
    server.close();
    co_await detio::wait_for(server.wait_closed(), 1s);
    cancelled.writer.close();
    raising.writer.close();
  });
  EXPECT_THAT(testing::internal::GetCapturedStderr(),
              testing::HasSubstr("detio: unhandled exception in client_connected callback: the handler gave up"));
}

DETIO_INSTANTIATE_STREAM_BACKENDS(ServerShutdownTest);

}  // namespace

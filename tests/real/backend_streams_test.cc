// Streams (open_connection, start_server, StreamReader/StreamWriter) written
// once and run on the simulated network and on real sockets over 127.0.0.1
// and ::1: echo, half-close, close and EOF, refused connects, server
// shutdown, flow control (drain blocks while the peer does not read), large
// transfers, cancel-safe reads, many connections, peer and socket names.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <detio/detio.h>
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

class StreamsTest : public detio_test::BackendTest {};

// Deterministic bytes: a transfer is checked byte for byte, not by size.
std::string pattern(std::size_t n, std::uint32_t seed) {
  std::string s(n, '\0');
  std::uint32_t x = seed * 2654435761u + 1;
  for (char& c : s) {
    x = x * 1664525u + 1013904223u;
    c = static_cast<char>(x >> 24);
  }
  return s;
}

Task<void> echo_lines(StreamReader reader, StreamWriter writer) {
  while (true) {
    std::string line = co_await reader.readline();
    if (line.empty()) break;
    writer.write(line);
    co_await writer.drain();
  }
  writer.close();
}

Task<void> echo_chunks(StreamReader reader, StreamWriter writer) {
  while (true) {
    std::string data = co_await reader.read(64 * 1024);
    if (data.empty()) break;
    writer.write(data);
    co_await writer.drain();
  }
  writer.close();
}

TEST_P(StreamsTest, EchoLinesAndNames) {
  run([&]() -> Task<void> {
    detio::Server server = co_await detio::start_server(echo_lines, host(), 0);
    EXPECT_NE(server.port(), 0);
    EXPECT_TRUE(server.is_serving());
    auto [reader, writer] = co_await detio::open_connection(host(), server.port());
    writer.write("hello\n");
    writer.writelines({"to ", "you\n"});
    co_await writer.drain();
    EXPECT_EQ(co_await reader.readline(), "hello\n");
    EXPECT_EQ(co_await reader.readline(), "to you\n");
    const auto peer = writer.get_extra_info("peername");
    const auto self = writer.get_extra_info("sockname");
    EXPECT_TRUE(peer && self);
    if (peer && self) {
      EXPECT_EQ(peer->port, server.port());
      EXPECT_EQ(peer->host, host());
      EXPECT_EQ(self->host, host());
      EXPECT_NE(self->port, 0);
    }
    EXPECT_FALSE(writer.get_extra_info("nothing"));
    writer.close();
    co_await writer.wait_closed();
    EXPECT_TRUE(writer.is_closing());
    server.close();
    co_await server.wait_closed();
  });
}

TEST_P(StreamsTest, PortZeroGivesEachServerItsOwnPort) {
  run([&]() -> Task<void> {
    detio::Server a = co_await detio::start_server(echo_lines, host(), 0);
    detio::Server b = co_await detio::start_server(echo_lines, host(), 0);
    EXPECT_NE(a.port(), b.port());
    EXPECT_EQ(a.sockname().port, a.port());
    EXPECT_EQ(a.sockets(), std::vector<detio::SocketAddress>{a.sockname()});
    a.close();
    b.close();
    co_await a.wait_closed();
    co_await b.wait_closed();
    EXPECT_TRUE(a.sockets().empty());
  });
}

TEST_P(StreamsTest, WriteEofHalfClosesAndThePeerCanStillAnswer) {
  run([&]() -> Task<void> {
    auto handler = [](StreamReader r, StreamWriter w) -> Task<void> {
      std::string all = co_await r.read();  // until EOF
      EXPECT_TRUE(r.at_eof());
      w.write("got " + all);
      co_await w.drain();
      w.close();
    };
    detio::Server server = co_await detio::start_server(handler, host(), 0);
    auto [reader, writer] = co_await detio::open_connection(host(), server.port());
    EXPECT_TRUE(writer.can_write_eof());
    writer.write("ping");
    writer.write_eof();
    EXPECT_EQ(co_await outcome_of(detio::Task<void>([](StreamWriter w) -> Task<void> {
                w.write("late");
                co_return;
              }(writer))),
              "RuntimeError");
    EXPECT_EQ(co_await reader.read(), "got ping");
    EXPECT_TRUE(reader.at_eof());
    server.close();
    co_await server.wait_closed();
  });
}

TEST_P(StreamsTest, ClosingSendsEofAfterTheQueuedBytes) {
  run([&]() -> Task<void> {
    const std::string big = pattern(300 * 1024, 1);
    auto handler = [&](StreamReader, StreamWriter w) -> Task<void> {
      w.write(big);  // more than the socket takes at once
      w.close();
      co_await w.wait_closed();
    };
    detio::Server server = co_await detio::start_server(handler, host(), 0);
    auto [reader, writer] = co_await detio::open_connection(host(), server.port());
    EXPECT_EQ(co_await reader.read(), big);
    EXPECT_TRUE(reader.at_eof());
    EXPECT_EQ(co_await reader.read(10), "");
    EXPECT_EQ(co_await outcome_of(reader.readexactly(1)), "IncompleteReadError(0/1)");
    writer.close();
    server.close();
    co_await server.wait_closed();
  });
}

TEST_P(StreamsTest, ReadexactlyAtEofReportsThePartialBytes) {
  run([&]() -> Task<void> {
    auto handler = [](StreamReader, StreamWriter w) -> Task<void> {
      w.write("abc");
      w.close();
      co_return;
    };
    detio::Server server = co_await detio::start_server(handler, host(), 0);
    auto [reader, writer] = co_await detio::open_connection(host(), server.port());
    try {
      co_await reader.readexactly(5);
      ADD_FAILURE() << "readexactly returned";
    } catch (const detio::IncompleteReadError& e) {
      EXPECT_EQ(e.partial, "abc");
      EXPECT_EQ(e.expected, 5u);
    }
    writer.close();
    server.close();
    co_await server.wait_closed();
  });
}

TEST_P(StreamsTest, ConnectingToAClosedPortIsRefused) {
  run([&]() -> Task<void> {
    detio::Server server = co_await detio::start_server(echo_lines, host(), 0);
    const std::uint16_t port = server.port();
    server.close();
    co_await server.wait_closed();
    EXPECT_FALSE(server.is_serving());
    EXPECT_EQ(co_await outcome_of(detio::open_connection(host(), port)), "ConnectionRefusedError");
  });
}

TEST_P(StreamsTest, ServerCloseLetsRunningHandlersFinishAndWaitClosedWaitsForThem) {
  run([&]() -> Task<void> {
    detio::Event release;
    bool handler_done = false;
    auto handler = [&](StreamReader r, StreamWriter w) -> Task<void> {
      co_await release.wait();
      w.write(co_await r.readline());
      co_await w.drain();
      handler_done = true;
    };
    detio::Server server = co_await detio::start_server(handler, host(), 0);
    auto [reader, writer] = co_await detio::open_connection(host(), server.port());
    writer.write("still served\n");
    co_await detio::sleep(10ms);  // the connection is accepted
    server.close();
    EXPECT_FALSE(server.is_serving());
    auto closed = detio::create_task(server.wait_closed());
    co_await detio::sleep(10ms);
    EXPECT_FALSE(closed.done());
    release.set();
    EXPECT_EQ(co_await reader.readline(), "still served\n");
    co_await closed;
    EXPECT_TRUE(handler_done);
    writer.close();
  });
}

TEST_P(StreamsTest, ServeForeverEndsByCancellationAndClosesTheServer) {
  run([&]() -> Task<void> {
    detio::Server server =
        co_await detio::start_server(echo_lines, host(), 0, 100, detio::kDefaultStreamLimit, false);
    EXPECT_FALSE(server.is_serving());
    auto forever = detio::create_task(server.serve_forever());
    co_await detio::sleep(1ms);
    EXPECT_TRUE(server.is_serving());
    auto [reader, writer] = co_await detio::open_connection(host(), server.port());
    writer.write("x\n");
    EXPECT_EQ(co_await reader.readline(), "x\n");
    writer.close();
    forever.cancel("stop");
    // The original CancelledError, message included, as asyncio re-raises it.
    EXPECT_EQ(co_await outcome_of(forever), "CancelledError(stop)");
    EXPECT_FALSE(server.is_serving());
    EXPECT_EQ(co_await outcome_of(detio::open_connection(host(), server.port())), "ConnectionRefusedError");
  });
}

// A server created with start_serving = false is bound (it has its port)
// but not listening, as asyncio's: a connect is refused until
// start_serving(), which then serves the next one.
TEST_P(StreamsTest, AServerCreatedNotServingRefusesConnectsUntilStartServing) {
  run([&]() -> Task<void> {
    int handled = 0;
    auto counting_echo = [&handled](StreamReader r, StreamWriter w) -> Task<void> {
      ++handled;
      co_await echo_lines(std::move(r), std::move(w));
    };
    detio::Server server =
        co_await detio::start_server(counting_echo, host(), 0, 100, detio::kDefaultStreamLimit, false);
    EXPECT_NE(server.port(), 0);
    EXPECT_EQ(server.sockets().size(), 1u);
    EXPECT_FALSE(server.is_serving());
    EXPECT_EQ(co_await outcome_of(detio::open_connection(host(), server.port())), "ConnectionRefusedError");
    co_await server.start_serving();
    EXPECT_TRUE(server.is_serving());
    co_await server.start_serving();  // again: nothing changes
    auto [reader, writer] = co_await detio::open_connection(host(), server.port());
    writer.write("late\n");
    EXPECT_EQ(co_await reader.readline(), "late\n");
    writer.close();
    EXPECT_EQ(handled, 1);
    server.close();
    co_await server.wait_closed();
    EXPECT_EQ(co_await outcome_of(server.start_serving()), "RuntimeError");
  });
}

// A plain (non-coroutine) callback is called for each connection, as
// asyncio calls a callable that returns no coroutine.
TEST_P(StreamsTest, APlainCallbackIsCalledPerConnection) {
  run([&]() -> Task<void> {
    int calls = 0;
    auto greet = [&calls](StreamReader, StreamWriter w) {
      ++calls;
      w.write("hello " + std::to_string(calls) + "\n");
      w.close();
    };
    detio::Server server = co_await detio::start_server(greet, host(), 0);
    for (int i = 1; i <= 2; ++i) {
      auto [reader, writer] = co_await detio::open_connection(host(), server.port());
      EXPECT_EQ(co_await reader.readline(), "hello " + std::to_string(i) + "\n");
      EXPECT_EQ(co_await reader.read(), "");
      writer.close();
    }
    EXPECT_EQ(calls, 2);
    server.close();
    co_await server.wait_closed();
  });
}

// Every byte of a multi-megabyte transfer in both directions at once, with
// drain() keeping the writer's buffer bounded.
TEST_P(StreamsTest, LargeEchoIsExactAndDrainBoundsTheBuffer) {
  run([&]() -> Task<void> {
    detio::Server server = co_await detio::start_server(echo_chunks, host(), 0);
    auto [reader, writer] = co_await detio::open_connection(host(), server.port());
    const std::string data = pattern(4 * 1024 * 1024 + 17, 2);
    auto send = [](StreamWriter w, const std::string& d) -> Task<std::size_t> {
      std::size_t peak = 0;
      for (std::size_t i = 0; i < d.size(); i += 32 * 1024) {
        w.write(std::string_view(d).substr(i, 32 * 1024));
        co_await w.drain();
        peak = std::max(peak, w.write_buffer_size());
      }
      w.write_eof();
      co_return peak;
    };
    auto sender = detio::create_task(send(writer, data));
    const std::string back = co_await reader.read();
    EXPECT_EQ(back.size(), data.size());
    EXPECT_TRUE(back == data) << "echoed bytes differ";
    EXPECT_LE(co_await sender, std::size_t{64 * 1024});  // drain returned at or below the high watermark
    writer.close();
    server.close();
    co_await server.wait_closed();
  });
}

// Flow control end to end: a peer that does not read makes drain() block
// once the transport, the network and the peer's buffers are full, and
// unblocks it when it starts reading again.
TEST_P(StreamsTest, DrainBlocksWhileThePeerDoesNotRead) {
  run([&]() -> Task<void> {
    detio::Event start_reading;
    std::size_t received = 0;
    auto handler = [&](StreamReader r, StreamWriter) -> Task<void> {
      co_await start_reading.wait();
      while (true) {
        std::string s = co_await r.read(1 << 20);
        if (s.empty()) break;
        received += s.size();
      }
    };
    detio::Server server = co_await detio::start_server(handler, host(), 0);
    auto [reader, writer] = co_await detio::open_connection(host(), server.port());
    const std::string chunk(256 * 1024, 'x');
    std::size_t sent = 0;
    bool blocked = false;
    // Write until a drain does not finish within 100 ms (bounded: 256 MiB).
    while (sent < 256u * 1024 * 1024) {
      writer.write(chunk);
      sent += chunk.size();
      auto drain = detio::create_task(writer.drain());
      std::vector<detio::TaskHandle<void>> waiting{drain};
      detio::WaitOptions options;
      options.timeout = 100ms;
      co_await detio::wait(std::move(waiting), options);
      if (!drain.done()) {
        blocked = true;
        EXPECT_GT(writer.write_buffer_size(), std::size_t{16 * 1024});  // paused: above the low watermark
        start_reading.set();
        co_await drain;
        break;
      }
    }
    EXPECT_TRUE(blocked) << "drain never blocked after " << sent << " bytes";
    start_reading.set();
    writer.write_eof();
    while (received < sent) co_await detio::sleep(1ms);
    EXPECT_EQ(received, sent);
    writer.close();
    server.close();
    co_await server.wait_closed();
  });
}

// asyncio's drain() returns without yielding when writing is not paused;
// detio's does so without a coroutine frame, and checks nothing until it is
// awaited (a drain made and dropped after the loss raises nothing).
TEST_P(StreamsTest, DrainWithNothingToWaitForDoesNotYield) {
  run([&]() -> Task<void> {
    detio::Server server = co_await detio::start_server(echo_lines, host(), 0);
    auto [reader, writer] = co_await detio::open_connection(host(), server.port());
    std::vector<std::string> log;
    auto other = detio::create_task([](std::vector<std::string>& l) -> Task<void> {
      l.push_back("other ran");
      co_return;
    }(log));
    writer.write("a\n");
    co_await writer.drain();
    log.push_back("drained");
    co_await other;
    EXPECT_EQ(log, (std::vector<std::string>{"drained", "other ran"}));
    EXPECT_EQ(co_await reader.readline(), "a\n");
    // As a Task: spawned, awaited through wait_for.
    writer.write("b\n");
    co_await detio::create_task(writer.drain());
    co_await detio::wait_for(writer.drain(), 1s);
    EXPECT_EQ(co_await reader.readline(), "b\n");
    writer.close();
    co_await writer.wait_closed();
    { auto unawaited = writer.drain(); }
    server.close();
    co_await server.wait_closed();
  });
}

TEST_P(StreamsTest, ACancelledReadLeavesTheBytesForTheNextRead) {
  run([&]() -> Task<void> {
    detio::Event send_now;
    auto handler = [&](StreamReader, StreamWriter w) -> Task<void> {
      co_await send_now.wait();
      w.write("late bytes\n");
      co_await w.drain();
      w.close();
    };
    detio::Server server = co_await detio::start_server(handler, host(), 0);
    auto [reader, writer] = co_await detio::open_connection(host(), server.port());
    EXPECT_EQ(co_await outcome_of(detio::wait_for(reader.readline(), 20ms)), "TimeoutError");
    send_now.set();
    EXPECT_EQ(co_await reader.readline(), "late bytes\n");
    writer.close();
    server.close();
    co_await server.wait_closed();
  });
}

TEST_P(StreamsTest, AReaderLargerThanTheLimitStillCompletes) {
  run([&]() -> Task<void> {
    const std::string data = pattern(1024 * 1024, 3);
    auto handler = [&](StreamReader, StreamWriter w) -> Task<void> {
      w.write(data);
      co_await w.drain();
      w.close();
    };
    detio::Server server = co_await detio::start_server(handler, host(), 0);
    auto [reader, writer] = co_await detio::open_connection(host(), server.port(), /*limit=*/16 * 1024);
    EXPECT_TRUE(co_await reader.readexactly(data.size()) == data);
    writer.close();
    server.close();
    co_await server.wait_closed();
  });
}

TEST_P(StreamsTest, ManyConcurrentConnections) {
  run([&]() -> Task<void> {
    // All 200 connect in the same iteration: a backlog of 100 would make
    // the kernel drop SYNs and the clients retry a second later.
    detio::Server server = co_await detio::start_server(echo_lines, host(), 0, /*backlog=*/512);
    auto client = [&](int i) -> Task<int> {
      auto [r, w] = co_await detio::open_connection(host(), server.port());
      int ok = 0;
      for (int k = 0; k < 5; ++k) {
        const std::string line = "client " + std::to_string(i) + " line " + std::to_string(k) + "\n";
        w.write(line);
        co_await w.drain();
        if (co_await r.readline() == line) ++ok;
      }
      w.close();
      co_await w.wait_closed();
      co_return ok;
    };
    std::vector<Task<int>> clients;
    for (int i = 0; i < 200; ++i) clients.push_back(client(i));
    const std::vector<int> results = co_await detio::gather(std::move(clients));
    for (int ok : results) EXPECT_EQ(ok, 5);
    server.close();
    co_await server.wait_closed();
  });
}

TEST_P(StreamsTest, AnExceptionInAHandlerClosesThatConnectionOnly) {
  run([&]() -> Task<void> {
    auto handler = [](StreamReader r, StreamWriter w) -> Task<void> {
      std::string line = co_await r.readline();
      if (line == "fail\n") throw std::runtime_error("handler failed (expected by the test)");
      w.write(line);
      co_await w.drain();
    };
    detio::Server server = co_await detio::start_server(handler, host(), 0);
    auto [r1, w1] = co_await detio::open_connection(host(), server.port());
    w1.write("fail\n");
    EXPECT_EQ(co_await r1.read(), "");
    auto [r2, w2] = co_await detio::open_connection(host(), server.port());
    w2.write("fine\n");
    EXPECT_EQ(co_await r2.readline(), "fine\n");
    w1.close();
    w2.close();
    server.close();
    co_await server.wait_closed();
  });
}

// As in asyncio, write() after the connection was lost drops the bytes
// without raising (the loss is not the writer's bug); drain() reports it.
TEST_P(StreamsTest, WriteAfterTheConnectionWasLostDoesNotThrowDrainReportsIt) {
  std::string first_error, write_after, drain_after;
  run([&]() -> Task<void> {
    auto closer = [](StreamReader, StreamWriter w) -> Task<void> {
      w.close();
      co_return;
    };
    detio::Server server = co_await detio::start_server(closer, host(), 0);
    auto [r, w] = co_await detio::open_connection(host(), server.port());
    EXPECT_EQ(co_await r.read(), "");  // the peer closed
    // Writing to a closed peer ends in a reset; bounded, it stops by itself.
    for (int i = 0; i < 1000 && first_error.empty(); ++i) {
      try {
        w.write(std::string(64 * 1024, 'p'));
        co_await w.drain();
        co_await detio::sleep(1ms);
      } catch (...) {
        first_error = detio_test::describe_error(std::current_exception());
      }
    }
    StreamWriter writer = w;  // clang 14 cannot capture a structured binding
    write_after = detio_test::outcome_of_call([&] { writer.write("more"); });
    drain_after = co_await outcome_of(w.drain());
    w.close();
    server.close();
  });
  EXPECT_TRUE(first_error == "BrokenPipeError" || first_error == "ConnectionResetError") << first_error;
  EXPECT_EQ(write_after, "ok");
  EXPECT_EQ(drain_after, first_error);
}

DETIO_INSTANTIATE_STREAM_BACKENDS(StreamsTest);

}  // namespace

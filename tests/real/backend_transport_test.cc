// The Transport/Protocol seam (detio/transport.h) written once and run on
// the simulated network and on real sockets: the order of protocol events,
// connection_lost exactly once, abort as a reset, watermarks, pause_reading,
// bytes that arrive before a protocol is attached, no-ops after loss, and a
// throwing protocol callback as asyncio's _fatal_error.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <detio/detio.h>
#include <memory>
#include <string>
#include <vector>

#include "../support/backends.h"
#include "../support/outcomes.h"

using namespace std::chrono_literals;
using detio::Task;
using detio::Transport;

namespace {

class TransportTest : public detio_test::BackendTest {
 protected:
  void expect_fatal_protocol_error(const std::string& callback);
};

// Records every protocol event; `changed` is set on each.
struct Recorder : detio::Protocol {
  Transport* transport = nullptr;
  std::string data;
  std::vector<std::string> events;
  int losses = 0;
  int pauses = 0;
  int resumes = 0;
  std::string loss;
  bool keep_open_on_eof = true;
  detio::Event changed;

  void connection_made(Transport& t) override {
    transport = &t;
    events.push_back("made");
  }
  void data_received(std::string_view d) override {
    if (events.empty() || events.back() != "data") events.push_back("data");
    data += d;
    changed.set();
  }
  bool eof_received() override {
    events.push_back("eof");
    changed.set();
    return keep_open_on_eof;
  }
  void connection_lost(std::exception_ptr e) override {
    ++losses;
    loss = detio_test::describe_error(e);
    events.push_back("lost:" + loss);
    changed.set();
  }
  void pause_writing() override { ++pauses; }
  void resume_writing() override {
    ++resumes;
    changed.set();
  }
  template <class Pred>
  Task<void> until(Pred pred) {
    while (!pred()) {
      changed.clear();
      co_await changed.wait();
    }
  }
};

// A Recorder whose `failing` callback throws ValueError("boom").
struct Thrower final : Recorder {
  explicit Thrower(std::string callback) : failing(std::move(callback)) {}
  void connection_made(Transport& t) override {
    Recorder::connection_made(t);
    fail_in("connection_made");
  }
  void data_received(std::string_view d) override {
    Recorder::data_received(d);
    fail_in("data_received");
  }
  bool eof_received() override {
    const bool keep_open = Recorder::eof_received();
    fail_in("eof_received");
    return keep_open;
  }
  void fail_in(const std::string& callback) {
    if (callback == failing) throw detio::ValueError("boom");
  }
  std::string failing;
};

struct Collector final : detio::Acceptor {
  std::vector<std::shared_ptr<Transport>> accepted;
  detio::Event arrived;
  void accept(std::shared_ptr<Transport> t) override {
    accepted.push_back(std::move(t));
    arrived.set();
  }
};

// A connected pair: client transport and the server's accepted transport,
// neither with a protocol yet.
struct Pair {
  std::unique_ptr<detio::Listener> listener;
  std::unique_ptr<Collector> collector;
  std::shared_ptr<Transport> client;
  std::shared_ptr<Transport> server;
};

Task<Pair> connect_pair(std::string host) {
  Pair p;
  p.collector = std::make_unique<Collector>();
  p.listener = co_await detio::running_network().listen(host, 0, 16, *p.collector);
  p.client = co_await detio::running_network().connect(host, p.listener->address().port);
  co_await p.collector->arrived.wait();
  p.server = p.collector->accepted.front();
  co_return p;
}

// Writes 1 MiB chunks until the network and the (not reading) peer are
// full and bytes stay in our buffer: `r`, the writer's protocol, is paused
// (or 64 MiB went out). Returns the bytes written.
Task<std::size_t> write_until_paused(Transport& t, const Recorder& r) {
  const std::string chunk(1024 * 1024, 'w');
  std::size_t written = 0;
  while (r.pauses == 0 && written < 64u * 1024 * 1024) {
    t.write(chunk);
    written += chunk.size();
    co_await detio::sleep(1ms);
  }
  co_return written;
}

TEST_P(TransportTest, EventsArriveInOrderAndConnectionLostOnce) {
  run([&]() -> Task<void> {
    Pair p = co_await connect_pair(host());
    Recorder client, server;
    p.client->set_protocol(client);
    p.server->set_protocol(server);
    EXPECT_EQ(client.events, (std::vector<std::string>{"made"}));
    EXPECT_EQ(client.transport, p.client.get());
    p.client->write("hi");
    p.client->write_eof();
    co_await server.until([&] { return server.events.size() >= 3; });
    EXPECT_EQ(server.events, (std::vector<std::string>{"made", "data", "eof"}));
    EXPECT_EQ(server.data, "hi");
    p.server->write("yo");
    p.server->close();
    EXPECT_TRUE(p.server->is_closing());
    co_await client.until([&] { return client.events.size() >= 3; });
    EXPECT_EQ(client.events, (std::vector<std::string>{"made", "data", "eof"}));
    EXPECT_EQ(client.data, "yo");
    co_await server.until([&] { return server.losses > 0; });
    EXPECT_EQ(server.loss, "ok");
    p.client->close();
    p.client->close();
    p.client->abort();
    co_await client.until([&] { return client.losses > 0; });
    co_await detio::sleep(5ms);
    EXPECT_EQ(client.losses, 1);
    EXPECT_EQ(server.losses, 1);
    EXPECT_EQ(client.loss, "ok");
  });
}

TEST_P(TransportTest, AbortResetsThePeer) {
  run([&]() -> Task<void> {
    Pair p = co_await connect_pair(host());
    Recorder client, server;
    p.client->set_protocol(client);
    p.server->set_protocol(server);
    p.server->write("unsent bytes are dropped");
    p.server->abort();
    EXPECT_TRUE(p.server->is_closing());
    co_await server.until([&] { return server.losses > 0; });
    EXPECT_EQ(server.loss, "ok");  // the aborting side closed cleanly
    co_await client.until([&] { return client.losses > 0; });
    EXPECT_EQ(client.loss, "ConnectionResetError");
  });
}

TEST_P(TransportTest, WatermarksPauseAndResumeTheWriter) {
  run([&]() -> Task<void> {
    Pair p = co_await connect_pair(host());
    Recorder client, server;
    p.client->set_protocol(client);
    p.client->pause_reading();
    p.server->set_protocol(server);
    const std::size_t written = co_await write_until_paused(*p.server, server);
    EXPECT_EQ(server.pauses, 1);
    EXPECT_GT(p.server->get_write_buffer_size(), std::size_t{64 * 1024});
    EXPECT_EQ(server.resumes, 0);
    p.client->resume_reading();
    co_await server.until([&] { return server.resumes > 0; });
    EXPECT_LE(p.server->get_write_buffer_size(), std::size_t{16 * 1024});
    co_await client.until([&] { return client.data.size() == written; });
    EXPECT_EQ(server.pauses, 1);
    EXPECT_EQ(server.resumes, 1);
    p.server->close();
    p.client->close();
    co_await client.until([&] { return client.losses > 0; });
  });
}

TEST_P(TransportTest, CustomWatermarks) {
  run([&]() -> Task<void> {
    Pair p = co_await connect_pair(host());
    Recorder client, server;
    p.client->set_protocol(client);
    p.server->set_protocol(server);
    p.server->set_write_buffer_limits(0, 0);  // any queued byte pauses
    EXPECT_EQ(server.pauses, 0);
    p.client->write("x");
    co_await server.until([&] { return !server.data.empty(); });
    EXPECT_EQ(client.pauses, 0);
    p.server->close();
    p.client->close();
    co_await client.until([&] { return client.losses > 0; });
    EXPECT_THROW(p.client->set_write_buffer_limits(1, 2), detio::ValueError);
  });
}

TEST_P(TransportTest, PauseReadingHoldsDeliveryUntilResumed) {
  run([&]() -> Task<void> {
    Pair p = co_await connect_pair(host());
    Recorder client, server;
    p.client->set_protocol(client);
    p.server->set_protocol(server);
    p.client->pause_reading();
    p.server->write("abc");
    co_await detio::sleep(20ms);
    EXPECT_EQ(client.data, "");
    p.client->resume_reading();
    co_await client.until([&] { return client.data == "abc"; });
    p.server->close();
    p.client->close();
    co_await client.until([&] { return client.losses > 0; });
  });
}

TEST_P(TransportTest, BytesAndEofBeforeAProtocolIsAttachedAreKept) {
  run([&]() -> Task<void> {
    Pair p = co_await connect_pair(host());
    Recorder client, server;
    p.client->set_protocol(client);
    p.client->write("early");
    p.client->write_eof();
    co_await detio::sleep(20ms);
    p.server->set_protocol(server);
    EXPECT_EQ(server.events, (std::vector<std::string>{"made"}));  // nothing inline
    co_await server.until([&] { return server.events.size() >= 3; });
    EXPECT_EQ(server.events, (std::vector<std::string>{"made", "data", "eof"}));
    EXPECT_EQ(server.data, "early");
    p.server->close();
    co_await client.until([&] { return client.events.size() >= 2; });
    p.client->close();
    co_await client.until([&] { return client.losses > 0; });
  });
}

TEST_P(TransportTest, AfterConnectionLostEveryCallIsANoOp) {
  run([&]() -> Task<void> {
    Pair p = co_await connect_pair(host());
    Recorder client, server;
    p.client->set_protocol(client);
    p.server->set_protocol(server);
    p.client->abort();
    co_await client.until([&] { return client.losses > 0; });
    EXPECT_TRUE(p.client->is_closing());
    p.client->write("ignored");
    p.client->pause_reading();
    p.client->resume_reading();
    p.client->close();
    p.client->abort();
    EXPECT_EQ(p.client->get_write_buffer_size(), 0u);
    co_await detio::sleep(5ms);
    EXPECT_EQ(client.losses, 1);
    co_await server.until([&] { return server.losses > 0; });
    EXPECT_EQ(server.loss, "ConnectionResetError");
  });
}

TEST_P(TransportTest, WritingToAResetPeerEndsWithAConnectionError) {
  run([&]() -> Task<void> {
    Pair p = co_await connect_pair(host());
    Recorder client, server;
    p.client->set_protocol(client);
    p.server->set_protocol(server);
    p.server->pause_reading();  // the reset is seen by the writer, not a read
    p.client->abort();
    co_await client.until([&] { return client.losses > 0; });
    co_await detio::sleep(5ms);
    for (int i = 0; i < 100 && server.losses == 0; ++i) {
      p.server->write("into the void");
      co_await detio::sleep(1ms);
    }
    EXPECT_EQ(server.losses, 1);
    EXPECT_TRUE(server.loss == "ConnectionResetError" || server.loss == "BrokenPipeError") << server.loss;
  });
}

// asyncio's _fatal_error, the same on every backend: the error is reported,
// the connection closed (the peer sees EOF) and connection_lost(error)
// delivered once; the run goes on.
void TransportTest::expect_fatal_protocol_error(const std::string& callback) {
  SCOPED_TRACE(callback);
  std::string reported;
  Thrower server(callback);
  Recorder client;
  run([&]() -> Task<void> {
    Pair p = co_await connect_pair(host());
    p.client->set_protocol(client);
    testing::internal::CaptureStderr();
    p.server->set_protocol(server);
    if (callback != "connection_made") {
      p.client->write("hi");
      if (callback == "eof_received") p.client->write_eof();
    }
    co_await server.until([&] { return server.losses > 0; });
    reported = testing::internal::GetCapturedStderr();
    EXPECT_TRUE(p.server->is_closing());
    co_await client.until([&] { return !client.events.empty() && client.events.back() == "eof"; });
    p.client->close();
    co_await client.until([&] { return client.losses > 0; });
    co_await detio::sleep(5ms);
  });
  EXPECT_THAT(reported, testing::HasSubstr("Fatal error: protocol." + callback + "() call failed.: boom"));
  EXPECT_EQ(server.losses, 1);
  EXPECT_EQ(server.loss, "ValueError");
  EXPECT_EQ(server.events.back(), "lost:ValueError");
  if (callback == "data_received") {
    EXPECT_EQ(server.data, "hi");
  }
  EXPECT_EQ(client.events, (std::vector<std::string>{"made", "eof", "lost:ok"}));
}

TEST_P(TransportTest, ThrowingConnectionMadeIsAFatalError) { expect_fatal_protocol_error("connection_made"); }

TEST_P(TransportTest, ThrowingDataReceivedIsAFatalError) { expect_fatal_protocol_error("data_received"); }

TEST_P(TransportTest, ThrowingEofReceivedIsAFatalError) { expect_fatal_protocol_error("eof_received"); }

// pause_writing/resume_writing failures are only reported (asyncio).
struct PauseThrower final : Recorder {
  void pause_writing() override {
    Recorder::pause_writing();
    throw detio::ValueError("no pause");
  }
};

TEST_P(TransportTest, ThrowingPauseWritingIsOnlyReported) {
  run([&]() -> Task<void> {
    Pair p = co_await connect_pair(host());
    Recorder client;
    PauseThrower server;
    p.client->set_protocol(client);
    p.server->set_protocol(server);
    p.client->pause_reading();
    testing::internal::CaptureStderr();
    co_await write_until_paused(*p.server, server);
    const std::string reported = testing::internal::GetCapturedStderr();
    EXPECT_EQ(server.pauses, 1);
    EXPECT_THAT(reported, testing::HasSubstr("protocol.pause_writing() failed: no pause"));
    EXPECT_FALSE(p.server->is_closing());
    EXPECT_EQ(server.losses, 0);
    p.server->abort();
    p.client->abort();
    co_await client.until([&] { return client.losses > 0; });
  });
}

TEST_P(TransportTest, BadWatermarksAreRejectedWithOneMessage) {
  run([&]() -> Task<void> {
    Pair p = co_await connect_pair(host());
    Recorder client;
    p.client->set_protocol(client);
    EXPECT_EQ(detio_test::outcome_of_call([&] { p.client->set_write_buffer_limits(1, 2); }), "ValueError");
    try {
      p.client->set_write_buffer_limits(1, 2);
    } catch (const detio::ValueError& e) {
      EXPECT_STREQ(e.what(), "high (1) must be >= low (2) must be >= 0");
    }
    p.client->abort();
    co_await client.until([&] { return client.losses > 0; });
  });
}

DETIO_INSTANTIATE_STREAM_BACKENDS(TransportTest);

}  // namespace

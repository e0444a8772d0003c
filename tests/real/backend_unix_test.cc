// Unix-domain stream sockets (open_unix_connection, start_unix_server)
// written once and run on the simulator (a per-host namespace of paths) and
// on real sockets (filesystem paths under a per-test temporary directory,
// and Linux abstract names): echo and names, unlink on close, a missing
// path, a bound-but-not-serving one, a path taken over by a new server,
// bad paths, and the 3.13 shutdown calls.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <detio/detio.h>
#include <string>

#include "../support/backends.h"
#include "../support/outcomes.h"
#include "../support/temp_dir.h"

using namespace std::chrono_literals;
using detio::StreamReader;
using detio::StreamWriter;
using detio::Task;
using detio_test::outcome_of;

namespace {

class UnixSocketTest : public detio_test::BackendTest {
 protected:
  // A Linux abstract name no other test (or run) uses.
  std::string abstract_name() const {
    return std::string(1, '\0') + "detio-test-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
  }
  // Whether a file exists at `path` (real backend; the simulator makes none).
  static bool file_exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
  }
  static bool is_socket_file(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
  }

  detio_test::TempDir dir;
};

Task<void> echo_lines(StreamReader reader, StreamWriter writer) {
  while (true) {
    std::string line = co_await reader.readline();
    if (line.empty()) break;
    writer.write(line);
    co_await writer.drain();
  }
  writer.close();
}

// Says which server answered, then echoes.
auto greeter(std::string name) {
  return [name](StreamReader reader, StreamWriter writer) -> Task<void> {
    writer.write(name + "\n");
    co_await echo_lines(std::move(reader), std::move(writer));
  };
}

TEST_P(UnixSocketTest, EchoOverAFilesystemPathAndItsNames) {
  const std::string path = dir / "echo.sock";
  std::string server_side_sockname, server_side_peername;
  run([&]() -> Task<void> {
    auto naming_echo = [&](StreamReader r, StreamWriter w) -> Task<void> {
      server_side_sockname = w.get_extra_info("sockname")->host;
      server_side_peername = w.get_extra_info("peername")->host;
      co_await echo_lines(std::move(r), std::move(w));
    };
    detio::Server server = co_await detio::start_unix_server(naming_echo, path);
    EXPECT_TRUE(server.is_serving());
    EXPECT_EQ(server.sockets().size(), 1u);
    if (!server.sockets().empty()) {
      EXPECT_EQ(server.sockets()[0].host, path);
    }
    if (real()) {
      EXPECT_TRUE(is_socket_file(path));
    }
    auto [reader, writer] = co_await detio::open_unix_connection(path);
    writer.write("over a path\n");
    EXPECT_EQ(co_await reader.readline(), "over a path\n");
    // asyncio: the peer's path; the client's own socket is unnamed ("").
    EXPECT_EQ(writer.get_extra_info("peername")->host, path);
    EXPECT_EQ(writer.get_extra_info("sockname")->host, "");
    EXPECT_EQ(writer.get_extra_info("peername")->port, 0);
    writer.close();
    co_await writer.wait_closed();
    server.close();
    co_await server.wait_closed();
  });
  EXPECT_EQ(server_side_sockname, path);
  EXPECT_EQ(server_side_peername, "");
}

// As asyncio (3.13's cleanup_socket): closing the server unlinks its path,
// and a connect to it then fails as to a missing path.
TEST_P(UnixSocketTest, ClosingTheServerUnlinksThePath) {
  const std::string path = dir / "gone.sock";
  std::string after_close;
  run([&]() -> Task<void> {
    detio::Server server = co_await detio::start_unix_server(echo_lines, path);
    server.close();
    co_await server.wait_closed();
    if (real()) {
      EXPECT_FALSE(file_exists(path));
    }
    after_close = co_await outcome_of(detio::open_unix_connection(path));
  });
  EXPECT_EQ(after_close, "OSError");
}

TEST_P(UnixSocketTest, AnAbstractNameWorksAndGoesWithTheServer) {
  const std::string name = abstract_name();
  run([&]() -> Task<void> {
    detio::Server server = co_await detio::start_unix_server(echo_lines, name);
    auto [reader, writer] = co_await detio::open_unix_connection(name);
    writer.write("abstract\n");
    EXPECT_EQ(co_await reader.readline(), "abstract\n");
    EXPECT_EQ(writer.get_extra_info("peername")->host, name);
    writer.close();
    server.close();
    co_await server.wait_closed();
    // No file to miss: an abstract name nobody holds refuses, as on Linux.
    EXPECT_EQ(co_await outcome_of(detio::open_unix_connection(name)), "ConnectionRefusedError");
  });
}

// A missing path is an OSError (ENOENT, asyncio's FileNotFoundError); a
// path bound by a server made with start_serving = false refuses until it
// serves.
TEST_P(UnixSocketTest, AMissingPathFailsABoundButNotServingOneRefuses) {
  const std::string path = dir / "later.sock";
  run([&]() -> Task<void> {
    const std::string missing = co_await outcome_of(detio::open_unix_connection(dir / "nobody.sock"));
    EXPECT_EQ(missing, "OSError");
    detio::Server server =
        co_await detio::start_unix_server(echo_lines, path, 100, detio::kDefaultStreamLimit, /*start_serving=*/false);
    EXPECT_FALSE(server.is_serving());
    EXPECT_EQ(co_await outcome_of(detio::open_unix_connection(path)), "ConnectionRefusedError");
    co_await server.start_serving();
    auto [reader, writer] = co_await detio::open_unix_connection(path);
    writer.write("now\n");
    EXPECT_EQ(co_await reader.readline(), "now\n");
    writer.close();
    server.close();
    co_await server.wait_closed();
  });
}

// As asyncio, binding removes a socket left at the path (a stale server's,
// or a running one's): new connects reach the new server, and closing the
// old one leaves the new one's path alone.
TEST_P(UnixSocketTest, ANewServerTakesThePathAndTheOldOneLeavesItAlone) {
  const std::string path = dir / "shared.sock";
  run([&]() -> Task<void> {
    auto first_greeter = greeter("first");
    auto second_greeter = greeter("second");
    detio::Server first = co_await detio::start_unix_server(first_greeter, path);
    detio::Server second = co_await detio::start_unix_server(second_greeter, path);
    first.close();
    co_await first.wait_closed();
    auto [reader, writer] = co_await detio::open_unix_connection(path);
    EXPECT_EQ(co_await reader.readline(), "second\n");
    writer.close();
    second.close();
    co_await second.wait_closed();
  });
  if (real()) {
    EXPECT_FALSE(file_exists(path));
  }
}

TEST_P(UnixSocketTest, BadPathsAreClearErrors) {
  const std::string too_long = dir / std::string(120, 'x');
  const std::string too_long_abstract = std::string(1, '\0') + std::string(108, 'y');
  std::string connect_long, bind_long, bind_long_abstract, empty, embedded_nul;
  std::string message;
  run([&]() -> Task<void> {
    connect_long = co_await outcome_of(detio::open_unix_connection(too_long));
    bind_long = co_await outcome_of(detio::start_unix_server(echo_lines, too_long));
    bind_long_abstract = co_await outcome_of(detio::start_unix_server(echo_lines, too_long_abstract));
    empty = co_await outcome_of(detio::open_unix_connection(""));
    embedded_nul = co_await outcome_of(detio::open_unix_connection(std::string("a\0b", 3)));
    try {
      co_await detio::open_unix_connection(too_long);
    } catch (const detio::OSError& e) {
      message = e.what();
    }
  });
  EXPECT_EQ(connect_long, "OSError");
  EXPECT_EQ(bind_long, "OSError");
  EXPECT_EQ(bind_long_abstract, "OSError");
  EXPECT_EQ(empty, "ValueError");
  EXPECT_EQ(embedded_nul, "ValueError");
  EXPECT_NE(message.find("AF_UNIX path too long"), std::string::npos) << message;
  EXPECT_NE(message.find("at most 107"), std::string::npos) << message;
}

// The shutdown calls work the same over a Unix socket: a cancelled
// serve_forever ends once close_clients() ended the open connections.
TEST_P(UnixSocketTest, CloseClientsEndsACancelledServeForever) {
  const std::string path = dir / "shutdown.sock";
  run([&]() -> Task<void> {
    int running = 0;
    auto idle = [&running](StreamReader r, StreamWriter) -> Task<void> {
      ++running;
      (void)co_await r.read();
      --running;
    };
    detio::Server server = co_await detio::start_unix_server(idle, path);
    auto forever = detio::create_task(server.serve_forever());
    auto [reader, writer] = co_await detio::open_unix_connection(path);
    while (running < 1) co_await detio::sleep(1ms);
    forever.cancel("bye");
    co_await detio::sleep(10ms);
    EXPECT_FALSE(forever.done());
    server.close_clients();
    EXPECT_EQ(co_await outcome_of(forever), "CancelledError(bye)");
    EXPECT_EQ(running, 0);
    EXPECT_EQ(co_await reader.read(), "");
    writer.close();
  });
}

DETIO_INSTANTIATE_CORE_BACKENDS(UnixSocketTest);

}  // namespace

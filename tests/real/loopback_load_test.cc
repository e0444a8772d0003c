// Load test of the real backend: 10,000 concurrent loopback connections,
// each doing 100 request/responses of random sizes up to 64 KiB (log-
// uniform over [1, 65536]: every order of magnitude; mean ~5.8 KiB), every
// byte verified. The server runs in a forked child, so each process needs
// ~10,000 fds (the test raises RLIMIT_NOFILE). It stops by itself (a
// watchdog fails it instead of hanging) and prints its time and the peak
// RSS of both processes; memory must stay bounded.
//
// CTest label "load". It needs an optimised build without sanitizers and
// skips itself otherwise (set DETIO_LOAD_TEST=1 to force it);
// DETIO_LOAD_CONNECTIONS / DETIO_LOAD_ROUNDS change its size.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <detio/detio.h>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using detio::StreamReader;
using detio::StreamWriter;
using detio::Task;

namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

#ifdef NDEBUG
constexpr bool kOptimised = true;
#else
constexpr bool kOptimised = false;
#endif

constexpr std::size_t kMaxMessage = 64 * 1024;

int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoi(v) : fallback;
}

// Messages are slices of one random tape, at an offset drawn per (conn,
// round): the client checks each echoed chunk against the tape as it comes
// in, so no client keeps a copy, and a byte from another connection or
// round would not match.
const std::string& tape() {
  static const std::string bytes = [] {
    std::string t(2 * kMaxMessage, '\0');
    std::uint64_t x = 0x2545f4914f6cdd1dULL;
    for (char& c : t) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      c = static_cast<char>(x >> 56);
    }
    return t;
  }();
  return bytes;
}

std::size_t tape_offset(std::uint64_t conn, std::uint64_t round) {
  std::uint64_t z = (conn << 32 | round) + 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return static_cast<std::size_t>((z ^ (z >> 31)) % kMaxMessage);
}

// Log-uniform in [1, kMaxMessage].
std::size_t random_size() {
  const double exponent = detio::sim::random().real() * 16.0;
  const auto size = static_cast<std::size_t>(std::exp2(exponent));
  return std::min<std::size_t>(std::max<std::size_t>(size, 1), kMaxMessage);
}

struct ServerTotals {
  std::uint64_t connections = 0;
  std::uint64_t bytes = 0;
  std::uint64_t errors = 0;
};

Task<ServerTotals> serve(int port_pipe, int connections) {
  ServerTotals totals;
  detio::Event all_done;
  auto handler = [&](StreamReader r, StreamWriter w) -> Task<void> {
    try {
      while (true) {
        std::string data = co_await r.read(kMaxMessage);
        if (data.empty()) break;
        totals.bytes += data.size();
        w.write(data);
        co_await w.drain();
      }
      w.close();
      co_await w.wait_closed();
    } catch (const detio::Error& e) {
      ++totals.errors;
      std::fprintf(stderr, "server connection: %s\n", e.what());
    }
    if (++totals.connections == static_cast<std::uint64_t>(connections)) all_done.set();
  };
  detio::Server server = co_await detio::start_server(handler, "127.0.0.1", 0, /*backlog=*/4096);
  const std::uint16_t port = server.port();
  if (::write(port_pipe, &port, sizeof port) != sizeof port) co_return totals;
  try {
    co_await detio::wait_for(all_done.wait(), 150s);
  } catch (const detio::TimeoutError&) {
    std::fprintf(stderr, "server: watchdog after %llu connections\n",
                 static_cast<unsigned long long>(totals.connections));
    ++totals.errors;
  }
  server.close();
  co_await server.wait_closed();
  co_return totals;
}

struct ClientTotals {
  std::uint64_t round_trips = 0;
  std::uint64_t bytes = 0;
  std::uint64_t mismatches = 0;
  std::uint64_t errors = 0;
};

Task<void> client(std::uint16_t port, int conn, int rounds, ClientTotals& totals) {
  // Connects ramp up (1,000 per 5 ms) so SYNs never overflow the backlog.
  co_await detio::sleep(std::chrono::milliseconds(5 * (conn / 1000)));
  try {
    auto [r, w] = co_await detio::open_connection("127.0.0.1", port);
    for (int round = 0; round < rounds; ++round) {
      const std::size_t size = random_size();
      const std::string_view message =
          std::string_view(tape()).substr(tape_offset(static_cast<std::uint64_t>(conn), static_cast<std::uint64_t>(round)), size);
      w.write(message);
      co_await w.drain();
      std::size_t got = 0;
      bool same = true;
      while (got < size) {
        const std::string part = co_await r.read(static_cast<std::int64_t>(size - got));
        if (part.empty()) throw detio::ConnectionResetError("EOF in the middle of an echo");
        same = same && message.substr(got, part.size()) == part;
        got += part.size();
      }
      if (!same) ++totals.mismatches;
      totals.bytes += size;
      ++totals.round_trips;
    }
    w.close();
    co_await w.wait_closed();
  } catch (const detio::Error& e) {
    ++totals.errors;
    if (totals.errors <= 5) std::fprintf(stderr, "client %d: %s\n", conn, e.what());
  }
}

Task<ClientTotals> run_clients(std::uint16_t port, int connections, int rounds) {
  ClientTotals totals;
  std::vector<Task<void>> clients;
  clients.reserve(static_cast<std::size_t>(connections));
  for (int i = 0; i < connections; ++i) clients.push_back(client(port, i, rounds, totals));
  try {
    co_await detio::wait_for(detio::gather(std::move(clients)), 150s);
  } catch (const detio::TimeoutError&) {
    std::fprintf(stderr, "clients: watchdog after %llu round trips\n",
                 static_cast<unsigned long long>(totals.round_trips));
    ++totals.errors;
  }
  co_return totals;
}

bool raise_fd_limit(rlim_t needed) {
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  if (limit.rlim_max < needed) {
    rlimit raised{needed, needed};
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) return true;  // privileged
  }
  limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &limit);
  return limit.rlim_cur >= needed;
}

TEST(LoopbackLoad, TenThousandConnectionsOfRandomSizedEchoes) {
  const bool forced = env_int("DETIO_LOAD_TEST", 0) != 0;
  if ((kSanitized || !kOptimised) && !forced)
    GTEST_SKIP() << "load test runs in optimised builds without sanitizers (DETIO_LOAD_TEST=1 forces it)";
  const int connections = env_int("DETIO_LOAD_CONNECTIONS", 10000);
  const int rounds = env_int("DETIO_LOAD_ROUNDS", 100);
  if (!raise_fd_limit(static_cast<rlim_t>(connections) + 64))
    GTEST_SKIP() << "RLIMIT_NOFILE cannot be raised to " << connections + 64;

  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(pipe_fds[0]);
    int code = 1;
    try {
      ServerTotals t = detio::run(serve(pipe_fds[1], connections));
      const bool ok = ::write(pipe_fds[1], &t, sizeof t) == sizeof t;
      code = ok && t.errors == 0 ? 0 : 1;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "server process: %s\n", e.what());
    }
    ::_exit(code);
  }
  ::close(pipe_fds[1]);
  std::uint16_t port = 0;
  ASSERT_EQ(::read(pipe_fds[0], &port, sizeof port), static_cast<ssize_t>(sizeof port));

  const auto start = std::chrono::steady_clock::now();
  ClientTotals c = detio::run(run_clients(port, connections, rounds));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  ServerTotals s;
  const bool got_server_totals = ::read(pipe_fds[0], &s, sizeof s) == static_cast<ssize_t>(sizeof s);
  ::close(pipe_fds[0]);
  int status = 0;
  rusage server_usage{};
  ::wait4(child, &status, 0, &server_usage);
  rusage client_usage{};
  ::getrusage(RUSAGE_SELF, &client_usage);

  auto cpu = [](const rusage& u) {
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
  };
  std::printf(
      "load: %d connections x %d round trips in %.1f s (%.0f round trips/s, %.2f GB each way); "
      "CPU: client %.1f s, server %.1f s; peak RSS: client %ld MiB, server %ld MiB\n",
      connections, rounds, seconds, static_cast<double>(c.round_trips) / seconds, static_cast<double>(c.bytes) / 1e9,
      cpu(client_usage), cpu(server_usage), client_usage.ru_maxrss / 1024, server_usage.ru_maxrss / 1024);
  RecordProperty("seconds", std::to_string(seconds));
  RecordProperty("client_peak_rss_kib", std::to_string(client_usage.ru_maxrss));
  RecordProperty("server_peak_rss_kib", std::to_string(server_usage.ru_maxrss));

  EXPECT_EQ(c.errors, 0u);
  EXPECT_EQ(c.mismatches, 0u);
  EXPECT_EQ(c.round_trips, static_cast<std::uint64_t>(connections) * static_cast<std::uint64_t>(rounds));
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "server process failed";
  ASSERT_TRUE(got_server_totals);
  EXPECT_EQ(s.connections, static_cast<std::uint64_t>(connections));
  EXPECT_EQ(s.bytes, c.bytes) << "bytes echoed by the server";
  EXPECT_EQ(s.errors, 0u);
  // Bounded: per connection at most a few buffers of the message size,
  // never growing with the 100 rounds (no leak).
  const long budget_kib = 1024L * 1024;  // 1 GiB per process
  EXPECT_LT(client_usage.ru_maxrss, budget_kib);
  EXPECT_LT(server_usage.ru_maxrss, budget_kib);
}

}  // namespace

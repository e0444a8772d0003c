// One test body, every backend: a parameterised gtest harness that runs the
// same coroutine on the simulator and on the real epoll backend (over
// 127.0.0.1 and ::1), so any behaviour difference between the backends is a
// failing test.
//
//   class StreamsTest : public detio_test::BackendTest {};
//   TEST_P(StreamsTest, Echo) {
//     run([&]() -> detio::Task<void> {
//       auto server = co_await detio::start_server(handler, host(), 0);
//       auto [r, w] = co_await detio::open_connection(host(), server.port());
//       ...
//     });
//   }
//   DETIO_INSTANTIATE_STREAM_BACKENDS(StreamsTest);   // Sim, RealIPv4, RealIPv6
//   DETIO_INSTANTIATE_CORE_BACKENDS(CoreTest);        // Sim, Real (no sockets)
//
// A backend that cannot run here is skipped with the reason: the sim when
// the loop has no simulated network yet (stream tests), IPv6 when ::1 is
// not configured. Timing checks go through expect_elapsed(): exact in
// virtual time, within a tolerance on the real clock.
#pragma once

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <ostream>
#include <detio/detio.h>
#include <detio/internal/loop_core.h>
#include <string>
#include <utility>

namespace detio_test {

enum class Backend { kSim, kReal, kRealIPv6 };

inline const char* backend_name(Backend b) {
  switch (b) {
    case Backend::kSim:
      return "Sim";
    case Backend::kReal:
      return "RealIPv4";
    case Backend::kRealIPv6:
      return "RealIPv6";
  }
  return "?";
}

inline void PrintTo(Backend b, std::ostream* os) { *os << backend_name(b); }

inline bool is_real(Backend b) { return b != Backend::kSim; }

// The loopback address tests connect to on `b`.
inline std::string loopback(Backend b) { return b == Backend::kRealIPv6 ? "::1" : "127.0.0.1"; }

// Runs body() (any callable returning detio::Task<void>) on `b` to the end.
template <class F>
void run_on(Backend b, F&& body, std::uint64_t seed = 0) {
  if (is_real(b)) {
    detio::run(std::forward<F>(body)());
  } else {
    detio::sim::run(std::forward<F>(body)(), detio::sim::Options{.seed = seed});
  }
}

inline bool sim_has_network() {
  return detio::sim::run([]() -> detio::Task<bool> {
    co_return detio::internal::running_loop().network() != nullptr;
  }());
}

inline bool ipv6_loopback_available() {
  const int fd = ::socket(AF_INET6, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in6 a{};
  a.sin6_family = AF_INET6;
  a.sin6_addr = in6addr_loopback;
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

// Why `b` cannot run here ("" if it can).
inline std::string unavailable_reason(Backend b, bool needs_network) {
  if (b == Backend::kSim && needs_network && !sim_has_network())
    return "the simulator has no network in this build";
  if (b == Backend::kRealIPv6 && !ipv6_loopback_available()) return "no IPv6 loopback (::1) here";
  return "";
}

// How far a real-clock measurement may overshoot (sanitizers and a shared
// 2-core CI box are slow).
inline constexpr detio::Duration kRealClockSlack = std::chrono::milliseconds(250);

// Loop time elapsed since `start`, checked against `expected`: exactly under
// sim, expected <= elapsed < expected + kRealClockSlack on the real clock.
inline void expect_elapsed(Backend b, detio::TimePoint start, detio::Duration expected) {
  const detio::Duration elapsed = detio::now() - start;
  if (!is_real(b)) {
    EXPECT_EQ(elapsed, expected) << "virtual time";
    return;
  }
  EXPECT_GE(elapsed, expected) << "real time ended early";
  EXPECT_LT(elapsed, expected + kRealClockSlack) << "real time overshot";
}

class BackendTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    const std::string reason = unavailable_reason(GetParam(), needs_network());
    if (!reason.empty()) GTEST_SKIP() << reason;
  }
  // Stream suites need sockets; core suites override this to false.
  virtual bool needs_network() const { return true; }

  Backend backend() const { return GetParam(); }
  bool real() const { return is_real(GetParam()); }
  std::string host() const { return loopback(GetParam()); }

  template <class F>
  void run(F&& body, std::uint64_t seed = 0) {
    run_on(GetParam(), std::forward<F>(body), seed);
  }
  void expect_elapsed(detio::TimePoint start, detio::Duration expected) const {
    detio_test::expect_elapsed(GetParam(), start, expected);
  }
};

// For suites that use no sockets: run on the simulator and the real loop.
class CoreBackendTest : public BackendTest {
 protected:
  bool needs_network() const override { return false; }
};

struct BackendParamName {
  std::string operator()(const ::testing::TestParamInfo<Backend>& info) const { return backend_name(info.param); }
};

}  // namespace detio_test

#define DETIO_INSTANTIATE_STREAM_BACKENDS(Suite)                                                          \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite,                                                               \
                           ::testing::Values(::detio_test::Backend::kSim, ::detio_test::Backend::kReal,   \
                                             ::detio_test::Backend::kRealIPv6),                           \
                           ::detio_test::BackendParamName())

#define DETIO_INSTANTIATE_CORE_BACKENDS(Suite)                                                            \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite,                                                               \
                           ::testing::Values(::detio_test::Backend::kSim, ::detio_test::Backend::kReal),  \
                           ::detio_test::BackendParamName())

// A simulated connection (its id and two ends) and the future a connecting
// task waits on. ConnectWait is embedded in connect's coroutine frame, so a
// cancelled or killed connect unregisters itself and aborts the half-open
// socket (RST if a SYN went out); a successful one hands the transport over.
#pragma once

#include <cstdint>
#include <exception>
#include <memory>
#include <string>

#include "detio/internal/future_base.h"
#include "detio/net/internal/endpoint.h"

namespace detio::net::internal {

class ConnectWait : public detio::internal::Waiter {
  static constexpr detio::internal::WaitKind kKind = detio::internal::plain_wait("connect");

 public:
  explicit ConnectWait(std::shared_ptr<SimEndpoint> endpoint) noexcept
      : Waiter(&kKind), endpoint_(std::move(endpoint)) {}
  ConnectWait(const ConnectWait&) = delete;
  ~ConnectWait() {
    if (endpoint_) endpoint_->abandon_connect();
  }
  void succeed() noexcept { set_result(); }
  void fail(std::exception_ptr error) noexcept {
    if (!done()) set_done(std::move(error));
  }
  // After a successful wait: the connected transport, now the caller's.
  std::shared_ptr<Transport> take() noexcept {
    std::shared_ptr<SimEndpoint> endpoint = std::move(endpoint_);
    endpoint->release_connect_wait();
    return endpoint;
  }

 private:
  std::shared_ptr<SimEndpoint> endpoint_;
};

// A connection: its id and its two ends (0: client, 1: server).
struct Connection {
  std::uint64_t id = 0;
  std::uint16_t port = 0;  // the port the client dialled
  std::string unix_path;   // or the Unix-domain path (on the client's host)
  std::shared_ptr<SimEndpoint> ends[2];
};

}  // namespace detio::net::internal

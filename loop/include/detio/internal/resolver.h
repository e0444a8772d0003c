// Host names to socket addresses for the real backend. Numeric IPv4/IPv6
// literals are parsed at once; names go through getaddrinfo on a worker
// thread (to_thread), never blocking the loop. Results keep getaddrinfo's
// order (RFC 6724), and connect tries them in turn, as asyncio does.
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "detio/task.h"
#include "detio/transport.h"

namespace detio::internal {

struct ResolvedAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;

  int family() const noexcept { return storage.ss_family; }
  std::uint16_t port() const noexcept;
  void set_port(std::uint16_t port) noexcept;
  const sockaddr* get() const noexcept { return reinterpret_cast<const sockaddr*>(&storage); }
  SocketAddress to_socket_address() const;
};

// An IPv4 or IPv6 literal ("127.0.0.1", "::1", "[::1]"), else nullopt.
std::optional<ResolvedAddress> numeric_address(std::string_view host, std::uint16_t port);

// getaddrinfo for TCP, duplicates dropped. `passive`: for bind, where ""
// means every address. Throws OSError if the name does not resolve.
// Blocks: call it off the loop thread only.
std::vector<ResolvedAddress> resolve_blocking(const std::string& host, std::uint16_t port, bool passive);

// Numeric hosts without suspending; names (and "" when passive) on a
// worker thread.
Task<std::vector<ResolvedAddress>> resolve(std::string host, std::uint16_t port, bool passive = false);

SocketAddress to_socket_address(const sockaddr* address, socklen_t length);

}  // namespace detio::internal

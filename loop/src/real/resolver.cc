#include "detio/internal/resolver.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/un.h>

#include <algorithm>
#include <cstddef>
#include <cstring>

#include "detio/errors.h"
#include "detio/to_thread.h"

namespace detio::internal {

SocketAddress ResolvedAddress::to_socket_address() const { return internal::to_socket_address(get(), length); }

std::uint16_t ResolvedAddress::port() const noexcept {
  if (family() == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(&storage)->sin_port);
  if (family() == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage)->sin6_port);
  return 0;
}

void ResolvedAddress::set_port(std::uint16_t port) noexcept {
  if (family() == AF_INET) reinterpret_cast<sockaddr_in*>(&storage)->sin_port = htons(port);
  if (family() == AF_INET6) reinterpret_cast<sockaddr_in6*>(&storage)->sin6_port = htons(port);
}

std::optional<ResolvedAddress> numeric_address(std::string_view host, std::uint16_t port) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty() || host.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  char text[INET6_ADDRSTRLEN] = {};
  std::memcpy(text, host.data(), host.size());
  ResolvedAddress out;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&out.storage);
  if (inet_pton(AF_INET, text, &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    out.length = sizeof(sockaddr_in);
    return out;
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&out.storage);
  if (inet_pton(AF_INET6, text, &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    out.length = sizeof(sockaddr_in6);
    return out;
  }
  return std::nullopt;
}

std::vector<ResolvedAddress> resolve_blocking(const std::string& host, std::uint16_t port, bool passive) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_protocol = IPPROTO_TCP;
  hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0);
  const std::string service = std::to_string(port);
  addrinfo* list = nullptr;
  const int rc = getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &list);
  if (rc != 0) throw OSError("getaddrinfo(" + host + "): " + gai_strerror(rc));
  std::vector<ResolvedAddress> out;
  for (addrinfo* ai = list; ai; ai = ai->ai_next) {
    if (ai->ai_addrlen > sizeof(sockaddr_storage)) continue;
    ResolvedAddress a;
    std::memcpy(&a.storage, ai->ai_addr, ai->ai_addrlen);
    a.length = ai->ai_addrlen;
    const bool seen = std::any_of(out.begin(), out.end(), [&](const ResolvedAddress& b) {
      return b.length == a.length && std::memcmp(&b.storage, &a.storage, a.length) == 0;
    });
    if (!seen) out.push_back(a);
  }
  freeaddrinfo(list);
  if (out.empty()) throw OSError("getaddrinfo(" + host + "): no TCP address");
  return out;
}

Task<std::vector<ResolvedAddress>> resolve(std::string host, std::uint16_t port, bool passive) {
  if (std::optional<ResolvedAddress> literal = numeric_address(host, port)) co_return std::vector{*literal};
  co_return co_await to_thread(&resolve_blocking, std::move(host), port, passive);
}

SocketAddress to_socket_address(const sockaddr* address, socklen_t length) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address->sa_family == AF_INET && length >= sizeof(sockaddr_in)) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(address);
    inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text);
    return {text, ntohs(v4->sin_port)};
  }
  if (address->sa_family == AF_INET6 && length >= sizeof(sockaddr_in6)) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(address);
    inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text);
    return {text, ntohs(v6->sin6_port)};
  }
  if (address->sa_family == AF_UNIX) {
    // The path ("" for an unnamed socket, as asyncio); an abstract name
    // keeps its leading '\0' and is exactly `length` long.
    const auto* un = reinterpret_cast<const sockaddr_un*>(address);
    const std::size_t offset = offsetof(sockaddr_un, sun_path);
    if (length <= offset) return {};
    std::size_t size = std::min<std::size_t>(length - offset, sizeof un->sun_path);
    if (un->sun_path[0] != '\0') size = strnlen(un->sun_path, size);
    return {std::string(un->sun_path, size), 0};
  }
  return {};
}

}  // namespace detio::internal

#include "detio/transport.h"

#include "detio/errors.h"
#include "detio/internal/loop_core.h"

namespace detio {

std::string SocketAddress::to_string() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

namespace {

bool is_address_entry(std::string_view name) { return name == "peername" || name == "sockname"; }

}  // namespace

std::optional<SocketAddress> Transport::get_extra_info(std::string_view name) const {
  if (name == "peername") return peername();
  if (name == "sockname") return sockname();
  if (name == "socket") throw ValueError("get_extra_info(\"socket\") is the fd: ask get_extra_info(\"socket\", -1)");
  return std::nullopt;
}

SocketAddress Transport::get_extra_info(std::string_view name, SocketAddress default_value) const {
  return get_extra_info(name).value_or(std::move(default_value));
}

int Transport::get_extra_info(std::string_view name, int default_value) const {
  if (is_address_entry(name)) {
    throw ValueError("get_extra_info(\"" + std::string(name) + "\") is an address: pass a SocketAddress default");
  }
  if (name == "socket") return socket_fd().value_or(default_value);
  return default_value;
}

Task<std::unique_ptr<Listener>> Network::listen(std::string host, std::uint16_t port, int backlog,
                                                Acceptor& acceptor) {
  std::unique_ptr<Listener> listener = co_await bind(std::move(host), port, backlog, acceptor);
  listener->start_listening();
  co_return listener;
}

Network& running_network() {
  Network* network = internal::running_loop().network();
  if (!network) throw RuntimeError("the running detio loop has no network backend");
  return *network;
}

}  // namespace detio

#include "detio/transport.h"

#include "detio/errors.h"
#include "detio/internal/loop_core.h"

namespace detio {

std::string SocketAddress::to_string() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
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

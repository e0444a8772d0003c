#include "detio/transport.h"

#include "detio/errors.h"
#include "detio/internal/loop_core.h"

namespace detio {

std::string SocketAddress::to_string() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Network& running_network() {
  Network* network = internal::running_loop().network();
  if (!network) throw RuntimeError("the running detio loop has no network backend");
  return *network;
}

}  // namespace detio

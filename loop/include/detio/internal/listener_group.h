// Several bound sockets seen as one Listener: a host that resolves to
// more than one address ("" or "localhost": IPv4 and IPv6) gets a socket
// per address, as asyncio's Server.sockets. address() is the first one's;
// every member listens on the same port.
#pragma once

#include <memory>
#include <vector>

#include "detio/transport.h"

namespace detio::internal {

class ListenerGroup final : public Listener {
 public:
  // `members` is not empty.
  explicit ListenerGroup(std::vector<std::unique_ptr<Listener>> members) : members_(std::move(members)) {}

  SocketAddress address() const override { return members_.front()->address(); }
  std::vector<SocketAddress> addresses() const override {
    std::vector<SocketAddress> out;
    for (const auto& member : members_) out.push_back(member->address());
    return out;
  }
  void start_listening() override {
    for (auto& member : members_) member->start_listening();
  }
  void close() override {
    for (auto& member : members_) member->close();
  }

 private:
  std::vector<std::unique_ptr<Listener>> members_;
};

}  // namespace detio::internal

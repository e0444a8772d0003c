// A server socket on a simulated host: an entry in the host's port table
// (or, for a Unix-domain socket, in its table of paths) that, once
// listening, hands each accepted connection to its Acceptor
// (SYNs to a port bound but not listening are refused). Closing it (or
// destroying it, or killing its node) unbinds the port: later SYNs are
// refused. The object may outlive the network; it then does nothing.
#pragma once

#include <cstdint>
#include <string>

#include "detio/net/internal/host.h"
#include "detio/transport.h"

namespace detio::net::internal {

class SimNetwork;

class SimListener final : public Listener {
 public:
  SimListener(SimNetwork& net, std::uint64_t id, HostId host, NodeId node, SocketAddress address,
              Acceptor& acceptor, std::string unix_path = {}) noexcept
      : net_(&net),
        id_(id),
        host_(host),
        node_(node),
        address_(std::move(address)),
        acceptor_(&acceptor),
        unix_path_(std::move(unix_path)) {}
  SimListener(const SimListener&) = delete;
  ~SimListener() override;

  SocketAddress address() const override { return address_; }
  void start_listening() override;
  void close() override;

  std::uint64_t id() const noexcept { return id_; }
  HostId host() const noexcept { return host_; }
  NodeId node() const noexcept { return node_; }
  std::uint16_t port() const noexcept { return address_.port; }
  // A Unix-domain listener's path; empty for TCP.
  const std::string& unix_path() const noexcept { return unix_path_; }
  bool closed() const noexcept { return closed_; }
  bool listening() const noexcept { return listening_ && !closed_; }
  Acceptor& acceptor() const noexcept { return *acceptor_; }
  // Unbound by the network (the node was killed); no more accepts.
  void mark_closed() noexcept { closed_ = true; }
  void detach() noexcept { net_ = nullptr; }

 private:
  SimNetwork* net_;
  std::uint64_t id_;
  HostId host_;
  NodeId node_;
  SocketAddress address_;
  Acceptor* acceptor_;
  std::string unix_path_;
  bool listening_ = false;
  bool closed_ = false;
};

}  // namespace detio::net::internal

// A TCP server socket on the real backend (asyncio's server socket):
// bound with SO_REUSEADDR (port 0 picks a free port, see address()); once
// start_listening() calls listen with the given backlog (asyncio's
// _start_serving), on each EPOLLIN up to `backlog` accept4 calls
// until EAGAIN, each connection handed to the Acceptor as an EpollTransport
// with TCP_NODELAY (TCP) and no protocol yet. A Unix-domain server socket
// (EpollBackend::bind_unix) is accepted the same way. When out of fds (EMFILE, ENFILE,
// ENOBUFS, ENOMEM) it stops accepting for one second, as asyncio does.
// EpollBackend::listen resolves the host off the loop thread ("" is every
// address) and opens one listener per address (open_all).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "detio/internal/io_object.h"
#include "detio/internal/resolver.h"
#include "detio/internal/timer_heap.h"
#include "detio/transport.h"

namespace detio::internal {

class EpollBackend;

class EpollListener final : public Listener, public IoHandler, public IoObject {
 public:
  static constexpr Duration kAcceptRetryDelay = std::chrono::seconds(1);

  // Why open() failed: the errno, the call ("socket", "bind", "listen")
  // and the address.
  struct Failure {
    int err = 0;
    std::string call;
    std::string where;
  };
  // Binds one address (no listen yet); nullptr and `failure` filled if it
  // cannot. IPv6 sockets are IPV6_V6ONLY, as asyncio's create_server makes
  // them, so "::" and "0.0.0.0" can share a port.
  static std::unique_ptr<EpollListener> open(EpollBackend& backend, const ResolvedAddress& address, int backlog,
                                             Acceptor& acceptor, Failure& failure);
  // One listener per address (a ListenerGroup if more than one); throws
  // OSError (e.g. address in use). A family the host has no sockets for is
  // skipped, as asyncio does. With port 0 the first picks a free port and
  // the others bind the same one (picking again if it is taken there).
  static std::unique_ptr<Listener> open_all(EpollBackend& backend, std::vector<ResolvedAddress> addresses,
                                            int backlog, Acceptor& acceptor);

  EpollListener(EpollBackend& backend, int fd, int backlog, Acceptor& acceptor);
  EpollListener(const EpollListener&) = delete;
  ~EpollListener() override;

  SocketAddress address() const override { return address_; }
  void start_listening() override;
  void close() override;

  void on_io(std::uint32_t events) override;
  void backend_gone() noexcept override;

 private:
  void resume_accepting();
  void set_accepting(bool on);

  EpollBackend* backend_;
  int fd_;
  int backlog_;
  Acceptor& acceptor_;
  SocketAddress address_;
  bool listening_ = false;
  bool accepting_ = false;
  MemberTimer<EpollListener, &EpollListener::resume_accepting> retry_timer_{this};
};

}  // namespace detio::internal

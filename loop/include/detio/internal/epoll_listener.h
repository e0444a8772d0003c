// A listening TCP socket on the real backend (asyncio's server socket):
// bound with SO_REUSEADDR (port 0 picks a free port, see address()), listen
// with the given backlog, and on each EPOLLIN up to `backlog` accept4 calls
// until EAGAIN, each connection handed to the Acceptor as an EpollTransport
// with TCP_NODELAY and no protocol yet. When out of fds (EMFILE, ENFILE,
// ENOBUFS, ENOMEM) it stops accepting for one second, as asyncio does.
// Non-numeric hosts are resolved with a blocking getaddrinfo, because
// Network::listen is synchronous; "" binds every address.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "detio/internal/io_object.h"
#include "detio/internal/timer_heap.h"
#include "detio/transport.h"

namespace detio::internal {

class EpollBackend;

class EpollListener final : public Listener, public IoHandler, public IoObject {
 public:
  static constexpr Duration kAcceptRetryDelay = std::chrono::seconds(1);

  // Binds and listens; throws OSError (e.g. address in use).
  static std::unique_ptr<EpollListener> open(EpollBackend& backend, const std::string& host, std::uint16_t port,
                                             int backlog, Acceptor& acceptor);

  EpollListener(EpollBackend& backend, int fd, int backlog, Acceptor& acceptor);
  EpollListener(const EpollListener&) = delete;
  ~EpollListener() override;

  SocketAddress address() const override { return address_; }
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
  bool accepting_ = false;
  MemberTimer<EpollListener, &EpollListener::resume_accepting> retry_timer_{this};
};

}  // namespace detio::internal

#include "detio/internal/epoll_listener.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "detio/internal/epoll_backend.h"
#include "detio/internal/epoll_transport.h"
#include "detio/internal/listener_group.h"
#include "detio/internal/resolver.h"
#include "detio/internal/socket_errors.h"

namespace detio::internal {

std::unique_ptr<Listener> EpollListener::open_all(EpollBackend& backend, std::vector<ResolvedAddress> addresses,
                                                  int backlog, Acceptor& acceptor) {
  constexpr int kPortZeroAttempts = 8;
  for (int attempt = 1;; ++attempt) {
    std::vector<std::unique_ptr<Listener>> members;  // an early return or throw closes them
    Failure failure;
    bool pick_again = false;
    for (ResolvedAddress address : addresses) {
      const bool shares_first_port = !members.empty() && address.port() == 0;
      if (shares_first_port) address.set_port(members.front()->address().port);
      if (std::unique_ptr<EpollListener> l = open(backend, address, backlog, acceptor, failure)) {
        members.push_back(std::move(l));
        continue;
      }
      // A family this host cannot make sockets for is skipped (asyncio).
      if (failure.call == "socket") continue;
      // Port 0: the port the first socket got may be taken in another
      // family; start again with a new one.
      if (failure.err == EADDRINUSE && shares_first_port && attempt < kPortZeroAttempts) {
        pick_again = true;
        break;
      }
      throw_socket_error(failure.err, failure.call + " " + failure.where);
    }
    if (pick_again) continue;
    if (members.empty()) throw_socket_error(failure.err, failure.call + " " + failure.where);
    if (members.size() == 1) return std::move(members.front());
    return std::make_unique<ListenerGroup>(std::move(members));
  }
}

std::unique_ptr<EpollListener> EpollListener::open(EpollBackend& backend, const ResolvedAddress& address,
                                                   int backlog, Acceptor& acceptor, Failure& failure) {
  failure.where = address.to_socket_address().to_string();
  const int fd = ::socket(address.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    failure = {errno, "socket", failure.where};
    return nullptr;
  }
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (address.family() == AF_INET6) ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
  if (::bind(fd, address.get(), address.length) < 0) {
    failure.err = errno;
    failure.call = "bind";
    ::close(fd);
    return nullptr;
  }
  return std::make_unique<EpollListener>(backend, fd, backlog, acceptor);
}

EpollListener::EpollListener(EpollBackend& backend, int fd, int backlog, Acceptor& acceptor)
    : backend_(&backend), fd_(fd), backlog_(backlog > 0 ? backlog : 1), acceptor_(acceptor) {
  sockaddr_storage a{};
  socklen_t len = sizeof a;
  if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) == 0)
    address_ = to_socket_address(reinterpret_cast<sockaddr*>(&a), len);
  backend_->add_object(this);
}

void EpollListener::start_listening() {
  if (listening_ || fd_ < 0) return;
  if (::listen(fd_, backlog_) < 0) throw_socket_error(errno, "listen " + address_.to_string());
  listening_ = true;
  set_accepting(true);
}

EpollListener::~EpollListener() { close(); }

void EpollListener::close() {
  if (fd_ < 0) return;
  retry_timer_.cancel();
  set_accepting(false);
  if (backend_) backend_->remove_object(this);
  ::close(fd_);
  fd_ = -1;
}

void EpollListener::backend_gone() noexcept {
  retry_timer_.cancel();
  if (fd_ >= 0) {
    if (accepting_) backend_->set_interest(fd_, this, EPOLLIN, 0);
    accepting_ = false;
    ::close(fd_);
    fd_ = -1;
  }
  backend_ = nullptr;
}

void EpollListener::set_accepting(bool on) {
  if (on == accepting_ || fd_ < 0 || !backend_) return;
  const std::uint32_t readable = EPOLLIN;
  backend_->set_interest(fd_, this, on ? 0 : readable, on ? readable : 0);
  accepting_ = on;
}

void EpollListener::resume_accepting() { set_accepting(true); }

void EpollListener::on_io(std::uint32_t) {
  for (int i = 0; i < backlog_ && fd_ >= 0; ++i) {
    sockaddr_storage peer{};
    socklen_t len = sizeof peer;
    const int fd = ::accept4(fd_, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      const int err = errno;
      if (err == EAGAIN || err == EWOULDBLOCK) return;
      if (err == EINTR || err == ECONNABORTED || err == EPROTO) continue;
      if (err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM) {
        // Out of resources: the pending connection stays in the backlog;
        // stop polling the socket for a while rather than spin.
        std::fprintf(stderr, "detio: accept: %s; retrying in 1 s\n", std::strerror(err));
        set_accepting(false);
        backend_->loop().call_at(&retry_timer_, backend_->loop().now() + kAcceptRetryDelay);
        return;
      }
      std::fprintf(stderr, "detio: accept: %s\n", std::strerror(err));
      return;
    }
    if (peer.ss_family != AF_UNIX) {
      const int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    std::shared_ptr<EpollTransport> transport =
        EpollTransport::create(*backend_, fd, to_socket_address(reinterpret_cast<sockaddr*>(&peer), len));
    acceptor_.accept(std::move(transport));
  }
}

}  // namespace detio::internal

// EpollBackend::connect: resolve (off the loop for names), then for each
// address a non-blocking connect that waits for EPOLLOUT and reads SO_ERROR;
// the first that succeeds becomes an EpollTransport. Cancelling the connect
// closes the socket being tried. EpollBackend::connect_unix: the same for
// one Unix-domain path (an EpollTransport too: it only moves bytes).
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>

#include "detio/errors.h"
#include "detio/internal/epoll_backend.h"
#include "detio/internal/epoll_transport.h"
#include "detio/internal/future_awaiter.h"
#include "detio/internal/resolver.h"
#include "detio/internal/socket_errors.h"
#include "detio/internal/unix_path.h"

namespace detio::internal {
namespace {

// One socket being connected, waiting for writability. Lives in the
// connect coroutine's frame, so a cancelled connect closes its socket.
class ConnectAttempt final : public Waiter, public IoHandler, public IoObject {
  static constexpr WaitKind kKind = plain_wait("connect");

 public:
  ConnectAttempt(EpollBackend& backend, int fd) : Waiter(&kKind), backend_(&backend), fd_(fd) {
    backend_->add_object(this);
  }
  ConnectAttempt(const ConnectAttempt&) = delete;
  ~ConnectAttempt() {
    const int fd = release();
    if (fd >= 0) ::close(fd);
  }

  void wait_writable() {
    backend_->set_interest(fd_, this, 0, EPOLLOUT);
    watching_ = true;
  }
  void on_io(std::uint32_t) override { set_result(); }
  void backend_gone() noexcept override {
    const int fd = release();
    if (fd >= 0) ::close(fd);
    backend_ = nullptr;
  }
  int fd() const noexcept { return fd_; }
  // Stops watching and hands the socket over.
  int release() noexcept {
    if (backend_ && fd_ >= 0) {
      if (watching_) backend_->set_interest(fd_, this, EPOLLOUT, 0);
      backend_->remove_object(this);
    }
    watching_ = false;
    return std::exchange(fd_, -1);
  }

 private:
  EpollBackend* backend_;
  int fd_;
  bool watching_ = false;
};

int socket_error_of(int fd) {
  int err = 0;
  socklen_t len = sizeof err;
  if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) return errno;
  return err;
}

// Connects `fd` (taken over) to `address`: the connected fd, or -1 and
// `err` set (the socket is closed then).
Task<int> connect_socket(EpollBackend& backend, int fd, const sockaddr* address, socklen_t length, int& err) {
  ConnectAttempt attempt(backend, fd);
  err = 0;
  if (::connect(fd, address, length) < 0) err = errno;
  if (err == EINPROGRESS || err == EINTR) {
    // Connected (or failed) once writable; a connect interrupted by a
    // signal carries on asynchronously, so it is waited for the same way.
    attempt.wait_writable();
    co_await FutureAwaiter(attempt);
    err = socket_error_of(fd);
  }
  co_return err == 0 ? attempt.release() : -1;
}

}  // namespace

Task<std::shared_ptr<Transport>> EpollBackend::connect(std::string host, std::uint16_t port) {
  const std::vector<ResolvedAddress> addresses = co_await resolve(host, port);
  int last_error = 0;
  std::string last_where;
  bool same_error = true;
  for (const ResolvedAddress& address : addresses) {
    const int fd = ::socket(address.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) throw_socket_error(errno, "socket");
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    int err = 0;
    const int connected = co_await connect_socket(*this, fd, address.get(), address.length, err);
    const SocketAddress peer = address.to_socket_address();
    if (connected >= 0) co_return EpollTransport::create(*this, connected, peer);
    if (last_error != 0 && err != last_error) same_error = false;
    last_error = err;
    last_where = peer.to_string();
  }
  if (same_error || addresses.size() == 1) throw_socket_error(last_error, "connect to " + last_where);
  throw OSError("Multiple exceptions connecting to " + host + ":" + std::to_string(port) + "; last: " +
                std::to_string(last_error) + " at " + last_where);
}

// A full backlog (EAGAIN) is not waited for: Linux does not finish such a
// connect later, so it is an OSError at once.
Task<std::shared_ptr<Transport>> EpollBackend::connect_unix(std::string path) {
  sockaddr_un address{};
  const socklen_t length = to_sockaddr_un(path, address);
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) throw_socket_error(errno, "socket");
  int err = 0;
  const int connected = co_await connect_socket(*this, fd, reinterpret_cast<const sockaddr*>(&address), length, err);
  if (connected < 0) throw_socket_error(err, "connect to " + display_unix_path(path));
  co_return EpollTransport::create(*this, connected, SocketAddress{std::move(path), 0});
}

}  // namespace detio::internal

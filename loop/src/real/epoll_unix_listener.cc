// EpollBackend::bind_unix: a Unix-domain server socket, accepted by an
// EpollListener as a TCP one is. As asyncio's create_unix_server, a socket
// file left at a filesystem path (a stale server's) is removed before
// binding, and, as 3.13's cleanup_socket, closing the server unlinks the
// path if it is still our socket (the same inode).
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <string>

#include "detio/errors.h"
#include "detio/internal/epoll_backend.h"
#include "detio/internal/epoll_listener.h"
#include "detio/internal/socket_errors.h"
#include "detio/internal/unix_path.h"

namespace detio::internal {
namespace {

// A listener on a filesystem path: unlinks the path once closed.
class UnixPathListener final : public Listener {
 public:
  UnixPathListener(std::unique_ptr<EpollListener> socket, std::string path, const struct stat& bound)
      : socket_(std::move(socket)), path_(std::move(path)), device_(bound.st_dev), inode_(bound.st_ino) {}
  UnixPathListener(const UnixPathListener&) = delete;
  ~UnixPathListener() override { close(); }

  SocketAddress address() const override { return {path_, 0}; }
  void start_listening() override { socket_->start_listening(); }
  void close() override {
    if (!socket_) return;
    socket_.reset();
    // Another server may have taken the path since (asyncio's check).
    struct stat now {};
    if (::stat(path_.c_str(), &now) == 0 && now.st_dev == device_ && now.st_ino == inode_) ::unlink(path_.c_str());
  }

 private:
  std::unique_ptr<EpollListener> socket_;
  std::string path_;
  dev_t device_;
  ino_t inode_;
};

void remove_stale_socket_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode)) ::unlink(path.c_str());
}

}  // namespace

// Never suspends: nothing to resolve.
Task<std::unique_ptr<Listener>> EpollBackend::bind_unix(std::string path, int backlog, Acceptor& acceptor) {
  sockaddr_un address{};
  const socklen_t length = to_sockaddr_un(path, address);
  const bool abstract = is_abstract_unix_path(path);
  if (!abstract) remove_stale_socket_file(path);
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) throw_socket_error(errno, "socket");
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), length) < 0) {
    const int err = errno;
    ::close(fd);
    if (err == EADDRINUSE) throw OSError("[Errno 98] Address " + display_unix_path(path) + " is already in use");
    throw_socket_error(err, "bind " + display_unix_path(path));
  }
  auto socket = std::make_unique<EpollListener>(*this, fd, backlog, acceptor);
  if (abstract) co_return socket;
  struct stat bound {};
  if (::stat(path.c_str(), &bound) < 0) throw_socket_error(errno, "stat " + display_unix_path(path));
  co_return std::make_unique<UnixPathListener>(std::move(socket), std::move(path), bound);
}

}  // namespace detio::internal

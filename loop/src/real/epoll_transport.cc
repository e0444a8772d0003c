#include "detio/internal/epoll_transport.h"

#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "detio/internal/epoll_backend.h"
#include "detio/internal/resolver.h"
#include "detio/internal/socket_errors.h"

namespace detio::internal {
namespace {

constexpr int kMaxIov = 64;

bool would_block(int err) { return err == EAGAIN || err == EWOULDBLOCK; }

}  // namespace

std::shared_ptr<EpollTransport> EpollTransport::create(EpollBackend& backend, int fd,
                                                       std::optional<SocketAddress> peer) {
  auto transport = std::make_shared<EpollTransport>(backend, fd);
  transport->peername_ = std::move(peer);
  transport->keep_alive_until_lost(transport);
  return transport;
}

EpollTransport::EpollTransport(EpollBackend& backend, int fd)
    : TransportBase(backend.loop(), kDefaultOwner), backend_(&backend), fd_(fd) {
  backend_->add_object(this);
}

EpollTransport::~EpollTransport() { close_fd(); }

// ---------------------------------------------------------------- writing

void EpollTransport::write(std::string_view data) {
  if (!accept_write(data)) return;
  if (buffer_.empty()) {
    // Nothing queued: try the kernel at once (asyncio's fast path).
    ssize_t n;
    do {
      n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
      if (!would_block(errno)) {
        fail(socket_error(errno, "send"));
        return;
      }
      n = 0;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
    if (data.empty()) return;
    buffer_.append(data);
    update_interest();
  } else {
    buffer_.append(data);
  }
  maybe_pause_protocol(buffer_.size());
}

void EpollTransport::write_ready() {
  iovec iov[kMaxIov];
  while (!buffer_.empty()) {
    msghdr msg{};
    msg.msg_iov = iov;
    msg.msg_iovlen = static_cast<std::size_t>(buffer_.fill(iov, kMaxIov));
    std::size_t offered = 0;
    for (std::size_t i = 0; i < msg.msg_iovlen; ++i) offered += iov[i].iov_len;
    const ssize_t n = ::sendmsg(fd_, &msg, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (would_block(errno)) break;
      fail(socket_error(errno, "sendmsg"));
      return;
    }
    buffer_.consume(static_cast<std::size_t>(n));
    if (static_cast<std::size_t>(n) < offered) break;  // the socket buffer is full
  }
  maybe_resume_protocol(buffer_.size());
  if (buffer_.empty()) flushed();
  update_interest();
}

// The queue just emptied: finish a pending close or half-close.
void EpollTransport::flushed() {
  if (lost()) return;
  if (closing()) {
    lose(nullptr);
  } else if (eof_requested() && !eof_sent_) {
    eof_sent_ = true;
    ::shutdown(fd_, SHUT_WR);
  }
}

void EpollTransport::io_write_eof() {
  if (buffer_.empty()) flushed();
}

// ---------------------------------------------------------------- reading

void EpollTransport::read_ready() {
  if (!protocol()) {  // detached: stop reading until someone listens
    update_interest();
    return;
  }
  char* data = backend_->read_buffer();
  ssize_t n;
  do {
    n = ::read(fd_, data, EpollBackend::kReadBufferSize);
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (!would_block(errno)) fail(socket_error(errno, "read"));
    return;
  }
  if (n == 0) {
    eof_received_ = true;
    update_interest();
    deliver_eof();
    return;
  }
  deliver_data(std::string_view(data, static_cast<std::size_t>(n)));
}

// ---------------------------------------------------------------- events

void EpollTransport::on_io(std::uint32_t events) {
  // No keep-alive copy needed: only the loss delivery (run from the ready
  // queue, never from here) or backend_gone lets go of this transport.
  if ((interest_ & EPOLLIN) && (events & (EPOLLIN | EPOLLHUP | EPOLLERR))) read_ready();
  if ((interest_ & EPOLLOUT) && (events & (EPOLLOUT | EPOLLHUP | EPOLLERR))) write_ready();
}

void EpollTransport::update_interest() {
  if (fd_ < 0) return;
  std::uint32_t want = 0;
  if (protocol() && !closing() && !reading_paused() && !eof_received_) want |= EPOLLIN;
  if (!buffer_.empty()) want |= EPOLLOUT;
  if (want == interest_) return;
  backend_->set_interest(fd_, this, interest_, want);
  interest_ = want;
}

// ---------------------------------------------------------------- closing

void EpollTransport::io_close() {
  update_interest();  // stop reading
  if (buffer_.empty()) lose(nullptr);
}

void EpollTransport::io_abort(bool reset) {
  reset_on_close_ = reset;
  buffer_.clear();
}

void EpollTransport::close_fd() noexcept {
  if (fd_ < 0) return;
  if (backend_) {
    if (interest_) backend_->set_interest(fd_, this, interest_, 0);
    backend_->remove_object(this);
  }
  interest_ = 0;
  if (reset_on_close_) {
    linger l{1, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  }
  ::close(fd_);
  fd_ = -1;
}

void EpollTransport::backend_gone() noexcept {
  buffer_.clear();
  close_fd();
  backend_ = nullptr;
  abandon();  // may free this
}

// ---------------------------------------------------------------- names

std::optional<SocketAddress> EpollTransport::peername() const {
  if (!peername_ && fd_ >= 0) {
    sockaddr_storage a{};
    socklen_t len = sizeof a;
    if (::getpeername(fd_, reinterpret_cast<sockaddr*>(&a), &len) == 0)
      peername_ = to_socket_address(reinterpret_cast<sockaddr*>(&a), len);
  }
  return peername_;
}

std::optional<SocketAddress> EpollTransport::sockname() const {
  if (!sockname_ && fd_ >= 0) {
    sockaddr_storage a{};
    socklen_t len = sizeof a;
    if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) == 0)
      sockname_ = to_socket_address(reinterpret_cast<sockaddr*>(&a), len);
  }
  return sockname_;
}

}  // namespace detio::internal

#include "detio/internal/epoll_transport.h"

#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "detio/errors.h"
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
  transport->keep_alive_ = transport;
  return transport;
}

EpollTransport::EpollTransport(EpollBackend& backend, int fd) : backend_(&backend), fd_(fd) {
  backend_->add_object(this);
}

EpollTransport::~EpollTransport() { close_fd(); }

// ---------------------------------------------------------------- writing

void EpollTransport::write(std::string_view data) {
  if (eof_requested_) throw RuntimeError("Cannot call write() after write_eof()");
  if (closing_ || data.empty()) return;
  if (buffer_.empty()) {
    // Nothing queued: try the kernel at once (asyncio's fast path).
    ssize_t n;
    do {
      n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
      if (!would_block(errno)) {
        force_close(socket_error(errno, "send"));
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
  maybe_pause_protocol();
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
      force_close(socket_error(errno, "sendmsg"));
      return;
    }
    buffer_.consume(static_cast<std::size_t>(n));
    if (static_cast<std::size_t>(n) < offered) break;  // the socket buffer is full
  }
  maybe_resume_protocol();
  if (buffer_.empty()) flushed();
  update_interest();
}

// The queue just emptied: finish a pending half-close or close.
void EpollTransport::flushed() {
  if (closing_) {
    schedule_connection_lost();
  } else if (eof_requested_ && !eof_sent_) {
    eof_sent_ = true;
    ::shutdown(fd_, SHUT_WR);
  }
}

void EpollTransport::maybe_pause_protocol() {
  if (protocol_paused_ || buffer_.size() <= high_water_) return;
  protocol_paused_ = true;
  if (!protocol_) return;
  try {
    protocol_->pause_writing();
  } catch (...) {
    protocol_failed("pause_writing");
  }
}

void EpollTransport::maybe_resume_protocol() {
  if (!protocol_paused_ || buffer_.size() > low_water_) return;
  protocol_paused_ = false;
  if (!protocol_) return;
  try {
    protocol_->resume_writing();
  } catch (...) {
    protocol_failed("resume_writing");
  }
}

void EpollTransport::set_write_buffer_limits(std::size_t high, std::size_t low) {
  if (low > high) throw ValueError("set_write_buffer_limits: high must be >= low");
  high_water_ = high;
  low_water_ = low;
  maybe_pause_protocol();
  maybe_resume_protocol();
}

void EpollTransport::write_eof() {
  if (closing_ || eof_requested_) return;
  eof_requested_ = true;
  if (buffer_.empty()) flushed();
}

// ---------------------------------------------------------------- reading

void EpollTransport::read_ready() {
  if (!protocol_) {  // detached: stop reading until someone listens
    update_interest();
    return;
  }
  char* data = backend_->read_buffer();
  ssize_t n;
  do {
    n = ::read(fd_, data, EpollBackend::kReadBufferSize);
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (!would_block(errno)) force_close(socket_error(errno, "read"));
    return;
  }
  if (n == 0) {
    eof_received_ = true;
    update_interest();
    bool keep_open = false;
    try {
      keep_open = protocol_ && protocol_->eof_received();
    } catch (...) {
      protocol_failed("eof_received");
      return;
    }
    if (!keep_open) close();
    return;
  }
  try {
    protocol_->data_received(std::string_view(data, static_cast<std::size_t>(n)));
  } catch (...) {
    protocol_failed("data_received");
  }
}

void EpollTransport::pause_reading() {
  reading_paused_ = true;
  update_interest();
}

void EpollTransport::resume_reading() {
  reading_paused_ = false;
  update_interest();
}

// ---------------------------------------------------------------- events

void EpollTransport::on_io(std::uint32_t events) {
  // No keep-alive copy needed: only call_connection_lost (run from the
  // ready queue, never from here) or backend_gone drops keep_alive_.
  if ((interest_ & EPOLLIN) && (events & (EPOLLIN | EPOLLHUP | EPOLLERR))) read_ready();
  if ((interest_ & EPOLLOUT) && (events & (EPOLLOUT | EPOLLHUP | EPOLLERR))) write_ready();
}

void EpollTransport::update_interest() {
  if (fd_ < 0) return;
  std::uint32_t want = 0;
  if (protocol_ && !closing_ && !reading_paused_ && !eof_received_) want |= EPOLLIN;
  if (!buffer_.empty()) want |= EPOLLOUT;
  if (want == interest_) return;
  backend_->set_interest(fd_, this, interest_, want);
  interest_ = want;
}

// ---------------------------------------------------------------- closing

void EpollTransport::close() {
  if (closing_) return;
  closing_ = true;
  update_interest();  // stop reading
  if (buffer_.empty()) schedule_connection_lost();
}

void EpollTransport::abort() {
  reset_on_close_ = true;
  force_close(nullptr);
}

void EpollTransport::force_close(std::exception_ptr error) {
  if (lost_) return;
  buffer_.clear();
  closing_ = true;
  loss_error_ = std::move(error);
  update_interest();
  schedule_connection_lost();
}

void EpollTransport::schedule_connection_lost() {
  if (lost_) return;
  lost_ = true;
  if (backend_) backend_->loop().call_soon(&lost_node_);
}

void EpollTransport::call_connection_lost() {
  close_fd();
  std::shared_ptr<EpollTransport> keep = std::move(keep_alive_);  // may be the last reference
  Protocol* protocol = std::exchange(protocol_, nullptr);
  if (!protocol) return;  // delivered when a protocol is attached, if ever
  loss_delivered_ = true;
  try {
    protocol->connection_lost(loss_error_);
  } catch (...) {
    std::fprintf(stderr, "detio: exception in Protocol::connection_lost\n");
  }
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
  closing_ = true;
  lost_ = true;
  buffer_.clear();
  lost_node_.unlink();
  close_fd();
  backend_ = nullptr;
  protocol_ = nullptr;
  std::shared_ptr<EpollTransport> keep = std::move(keep_alive_);
}

void EpollTransport::protocol_failed(const char* callback) {
  // asyncio: "Fatal error: protocol.<callback>() call failed."; close.
  try {
    throw;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "detio: Protocol::%s failed: %s\n", callback, e.what());
  } catch (...) {
    std::fprintf(stderr, "detio: Protocol::%s failed\n", callback);
  }
  force_close(std::current_exception());
}

// ---------------------------------------------------------------- protocol

void EpollTransport::set_protocol(Protocol& protocol) {
  protocol_ = &protocol;
  protocol.connection_made(*this);
  if (lost_ && !loss_delivered_ && !lost_node_.linked() && backend_) {
    // Lost before anyone listened: deliver it now, from the loop.
    keep_alive_ = shared_from_this();
    backend_->loop().call_soon(&lost_node_);
  }
  update_interest();
}

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

// A TCP connection on a non-blocking socket: the real backend's Transport
// (asyncio's _SelectorSocketTransport). The protocol, flow control and the
// end of the connection are TransportBase's; this moves the bytes:
// - reads once per EPOLLIN into the loop's shared buffer; nothing is read
//   while no protocol is attached or reading is paused, so early bytes, EOF
//   or a reset wait in the kernel;
// - write() sends at once if nothing is queued, else queues; queued chunks
//   go out with one sendmsg (an iovec array, MSG_NOSIGNAL: no SIGPIPE) per
//   EPOLLOUT;
// - write_eof() is shutdown(SHUT_WR) after the queue; close() stops reading,
//   flushes, then closes; abort() drops the queue and resets the peer (RST,
//   via SO_LINGER 0); a read or write error ends the connection with the
//   error mapped by socket_errors.h;
// - EINTR is retried; EAGAIN waits for the next event.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "detio/internal/io_object.h"
#include "detio/internal/transport_base.h"
#include "detio/internal/write_buffer.h"

namespace detio::internal {

class EpollBackend;

class EpollTransport final : public TransportBase, public IoHandler, public IoObject {
 public:
  // Takes ownership of the connected socket `fd` (whose peer is `peer`, if
  // known). The backend keeps the transport alive until connection_lost.
  static std::shared_ptr<EpollTransport> create(EpollBackend& backend, int fd,
                                                std::optional<SocketAddress> peer = std::nullopt);

  EpollTransport(EpollBackend& backend, int fd);
  ~EpollTransport() override;

  // --- Transport ---
  void write(std::string_view data) override;
  bool can_write_eof() const override { return true; }
  std::size_t get_write_buffer_size() const override { return buffer_.size(); }
  std::optional<SocketAddress> peername() const override;
  std::optional<SocketAddress> sockname() const override;
  std::optional<int> socket_fd() const override {
    if (fd_ < 0) return std::nullopt;
    return fd_;
  }

  // --- IoHandler / IoObject ---
  void on_io(std::uint32_t events) override;
  void backend_gone() noexcept override;

 private:
  // --- TransportBase ---
  void io_write_eof() override;
  void io_close() override;
  void io_abort(bool reset) override;
  void io_reading_changed() override { update_interest(); }
  void io_lost() override { close_fd(); }

  void read_ready();
  void write_ready();
  void flushed();
  void update_interest();
  void close_fd() noexcept;

  EpollBackend* backend_;
  int fd_;
  std::uint32_t interest_ = 0;
  bool eof_received_ = false;
  bool eof_sent_ = false;
  bool reset_on_close_ = false;
  WriteBuffer buffer_;
  mutable std::optional<SocketAddress> peername_;
  mutable std::optional<SocketAddress> sockname_;
};

}  // namespace detio::internal

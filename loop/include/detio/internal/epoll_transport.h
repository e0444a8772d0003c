// A TCP connection on a non-blocking socket: the real backend's Transport
// (asyncio's _SelectorSocketTransport). Same contract as the simulated
// transport (see detio/transport.h):
// - reads once per EPOLLIN into the loop's shared buffer and hands the
//   bytes to Protocol::data_received; nothing is read before a protocol is
//   attached, so early bytes, EOF or a reset wait in the kernel;
// - write() sends at once if nothing is queued, else queues; queued chunks
//   go out with one sendmsg (an iovec array, MSG_NOSIGNAL: no SIGPIPE) per
//   EPOLLOUT; above the high watermark (64 KiB) pause_writing() is called
//   from write() itself (as asyncio does, so drain() right after blocks),
//   and resume_writing() from the loop once at or below the low one (16 KiB);
// - write_eof() is shutdown(SHUT_WR) after the queue; close() stops reading,
//   flushes, then closes; abort() drops the queue and resets the peer (RST,
//   via SO_LINGER 0); a read or write error closes with the error mapped by
//   socket_errors.h; connection_lost is delivered once, from the loop;
// - EINTR is retried; EAGAIN waits for the next event.
#pragma once

#include <cstdint>
#include <exception>
#include <memory>
#include <optional>

#include "detio/internal/io_object.h"
#include "detio/internal/ready_node.h"
#include "detio/internal/write_buffer.h"
#include "detio/transport.h"

namespace detio::internal {

class EpollBackend;

class EpollTransport final : public Transport,
                             public IoHandler,
                             public IoObject,
                             public std::enable_shared_from_this<EpollTransport> {
 public:
  static constexpr std::size_t kDefaultHighWater = 64 * 1024;

  // Takes ownership of the connected socket `fd` (whose peer is `peer`, if
  // known). The backend keeps the transport alive until connection_lost.
  static std::shared_ptr<EpollTransport> create(EpollBackend& backend, int fd,
                                                std::optional<SocketAddress> peer = std::nullopt);

  EpollTransport(EpollBackend& backend, int fd);
  EpollTransport(const EpollTransport&) = delete;
  ~EpollTransport() override;

  // --- Transport ---
  void write(std::string_view data) override;
  bool can_write_eof() const override { return true; }
  void write_eof() override;
  void close() override;
  void abort() override;
  bool is_closing() const override { return closing_; }
  void pause_reading() override;
  void resume_reading() override;
  std::size_t get_write_buffer_size() const override { return buffer_.size(); }
  void set_write_buffer_limits(std::size_t high, std::size_t low) override;
  std::optional<SocketAddress> peername() const override;
  std::optional<SocketAddress> sockname() const override;
  void set_protocol(Protocol& protocol) override;
  void detach_protocol() override { protocol_ = nullptr; }

  // --- IoHandler / IoObject ---
  void on_io(std::uint32_t events) override;
  void backend_gone() noexcept override;

 private:
  void read_ready();
  void write_ready();
  void flushed();
  void maybe_pause_protocol();
  void maybe_resume_protocol();
  void update_interest();
  // Closes with `error` (nullptr: cleanly) after the current event.
  void force_close(std::exception_ptr error);
  void schedule_connection_lost();
  void call_connection_lost();
  void close_fd() noexcept;
  void protocol_failed(const char* callback);

  EpollBackend* backend_;
  int fd_;
  Protocol* protocol_ = nullptr;
  std::shared_ptr<EpollTransport> keep_alive_;
  std::uint32_t interest_ = 0;
  bool reading_paused_ = false;
  bool eof_received_ = false;
  bool closing_ = false;
  bool eof_requested_ = false;
  bool eof_sent_ = false;
  bool reset_on_close_ = false;
  bool lost_ = false;            // fd closed, connection_lost due
  bool loss_delivered_ = false;  // connection_lost called (or nobody to call)
  bool protocol_paused_ = false;
  std::size_t high_water_ = kDefaultHighWater;
  std::size_t low_water_ = kDefaultHighWater / 4;
  WriteBuffer buffer_;
  std::exception_ptr loss_error_;
  mutable std::optional<SocketAddress> peername_;
  mutable std::optional<SocketAddress> sockname_;
  MemberCallback<EpollTransport, &EpollTransport::call_connection_lost> lost_node_{this};
};

}  // namespace detio::internal

// What every Transport shares, whatever moves its bytes (asyncio's
// _FlowControlMixin with the protocol handling of _SelectorTransport):
// - the protocol: attached by set_protocol (connection_made at once), fed
//   through deliver_data/deliver_eof, and told of the end exactly once, by
//   connection_lost from the loop, on behalf of the transport's owner;
// - write flow control: the watermarks (64 KiB and 16 KiB by default, as
//   asyncio), pause_writing() from inside the write() that crosses the high
//   one and resume_writing() once the buffer is at or below the low one;
// - close, abort, write_eof and pause/resume_reading, and the no-ops once
//   the connection is lost or the backend has let go of it;
// - the error policy, asyncio's _fatal_error: when connection_made,
//   data_received or eof_received throws, the error is reported on stderr,
//   queued bytes are dropped, the connection is closed and
//   connection_lost(that error) follows. A throwing pause_writing,
//   resume_writing or connection_lost is only reported.
//
// A backend's transport only moves bytes. Its write() calls accept_write()
// then queues or sends and calls maybe_pause_protocol(); it calls
// maybe_resume_protocol() when bytes leave its buffer, deliver_data() and
// deliver_eof() for what arrives, fail() on an I/O error and lose() once
// the connection is over; it implements the io_* hooks below.
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <string_view>
#include <utility>

#include "detio/errors.h"
#include "detio/internal/loop_core.h"
#include "detio/transport.h"

namespace detio::internal {

class TransportBase : public Transport, public std::enable_shared_from_this<TransportBase> {
 public:
  static constexpr std::size_t kDefaultHighWater = 64 * 1024;
  static constexpr std::size_t kDefaultLowWater = kDefaultHighWater / 4;

  // --- Transport (write, get_write_buffer_size and the names are the
  // backend's) ---
  void write_eof() final;
  void close() final;
  void abort() final;
  bool is_closing() const final { return closing_ || lost_; }
  void pause_reading() final;
  void resume_reading() final;
  bool is_reading() const final { return !closing_ && !lost_ && !reading_paused_; }
  void set_write_buffer_limits(std::size_t high, std::size_t low) final;
  std::pair<std::size_t, std::size_t> get_write_buffer_limits() const final { return {low_water_, high_water_}; }
  void set_protocol(Protocol& protocol) final;
  void detach_protocol() final;

  // The owner on whose behalf the protocol is called (see LoopCore).
  OwnerId owner() const noexcept { return owner_; }

 protected:
  TransportBase(LoopCore& loop, OwnerId owner) noexcept : loop_(&loop), owner_(owner) {}
  TransportBase(const TransportBase&) = delete;
  ~TransportBase() override = default;

  void set_owner(OwnerId owner) noexcept { owner_ = owner; }
  // The backend keeps the transport alive until connection_lost is
  // delivered (or the backend lets go): the real backend's transports are
  // owned by nobody else.
  void keep_alive_until_lost(std::shared_ptr<TransportBase> self) noexcept { keep_alive_ = std::move(self); }

  // --- for write() ---
  // Whether `data` is to be sent: throws RuntimeError after write_eof();
  // false for no bytes, or once closing or lost (the bytes are dropped).
  bool accept_write(std::string_view data) const {
    if (eof_requested_) throw RuntimeError("Cannot call write() after write_eof()");
    return !data.empty() && !closing_ && !lost_;
  }
  // Call with the write buffer's size after queueing / after bytes left it.
  void maybe_pause_protocol(std::size_t buffered) {
    if (!protocol_paused_ && buffered > high_water_) set_protocol_paused(true);
  }
  void maybe_resume_protocol(std::size_t buffered) {
    if (protocol_paused_ && buffered <= low_water_) set_protocol_paused(false);
  }

  // --- for what arrives ---
  Protocol* protocol() const noexcept { return protocol_; }
  // Hands bytes to the protocol (there must be one). A throw is a fatal
  // error; returns false then (the connection is closing).
  bool deliver_data(std::string_view data) {
    try {
      protocol_->data_received(data);
      return true;
    } catch (...) {
      fatal_error("data_received", std::current_exception());
      return false;
    }
  }
  // The peer's FIN: eof_received(), then close() unless the protocol keeps
  // our write side open. A throw is a fatal error.
  void deliver_eof();

  // --- the end ---
  // An I/O error: drop what is queued, close the wire, lose(error).
  void fail(std::exception_ptr error);
  // The connection is over (error: nullptr when clean). Its wire resources
  // go at once (io_lost); connection_lost(error) follows from the loop,
  // once, when a protocol is (or gets) attached. No-op if already lost.
  void lose(std::exception_ptr error);
  // The backend lets go (its node was killed, it is being destroyed):
  // nothing is delivered any more and every call becomes a no-op. The
  // transport may be freed on return.
  void abandon() noexcept;

  bool closing() const noexcept { return closing_; }
  bool lost() const noexcept { return lost_; }
  bool abandoned() const noexcept { return loop_ == nullptr; }
  bool eof_requested() const noexcept { return eof_requested_; }
  bool reading_paused() const noexcept { return reading_paused_; }
  bool loss_delivered() const noexcept { return loss_delivered_; }

  // --- what the backend implements ---
  // write_eof(): send FIN once the queued bytes are out.
  virtual void io_write_eof() = 0;
  // close(): stop reading, send what is queued, then FIN; lose(nullptr)
  // once done (possibly at once).
  virtual void io_close() = 0;
  // abort() (reset: true) or a fatal error: drop what is queued and close
  // the wire now, with RST if `reset` (else as the kernel would: FIN, or
  // RST if received bytes are unread). lose() follows.
  virtual void io_abort(bool reset) = 0;
  // reading_paused() or protocol() changed: start or stop reading, or
  // deliver (from the loop) what waits.
  virtual void io_reading_changed() = 0;
  // The connection is lost: free what carries it (the fd, buffers).
  virtual void io_lost() = 0;
  // The protocol was detached, or connection_lost delivered.
  virtual void io_protocol_gone() {}

 private:
  // pause_writing() / resume_writing(); a throw is only reported.
  void set_protocol_paused(bool paused);
  void fatal_error(const char* callback, std::exception_ptr error);
  void schedule_connection_lost();
  void deliver_connection_lost();

  LoopCore* loop_;
  OwnerId owner_;
  Protocol* protocol_ = nullptr;
  std::shared_ptr<TransportBase> keep_alive_;
  std::size_t high_water_ = kDefaultHighWater;
  std::size_t low_water_ = kDefaultLowWater;
  bool protocol_paused_ = false;
  bool reading_paused_ = false;
  bool eof_requested_ = false;
  bool closing_ = false;
  bool lost_ = false;
  bool loss_delivered_ = false;
  std::exception_ptr loss_error_;
  // Runs deliver_connection_lost; dropped with the loop, it lets go of the
  // keep-alive.
  struct LostNode : ReadyNode {
    explicit LostNode(TransportBase* t) noexcept : ReadyNode(&LostNode::fire), transport(t) {}
    static void fire(ReadyNode* n, Action a);
    TransportBase* transport;
  };
  LostNode lost_node_{this};
};

}  // namespace detio::internal

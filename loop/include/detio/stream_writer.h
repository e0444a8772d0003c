// detio::StreamWriter (asyncio.StreamWriter). write() queues bytes without
// blocking; drain() waits while the transport's buffer is above its high
// watermark (the peer is not reading) and raises the connection's error.
// Writing after close() or write_eof() throws RuntimeError (a bug in the
// caller). Writing after the connection was lost drops the bytes without
// raising, as asyncio does: the loss is the network's, and drain() raises
// it (ConnectionResetError, BrokenPipeError, ...).
#pragma once

#include <coroutine>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "detio/internal/stream_state.h"
#include "detio/task.h"
#include "detio/transport.h"

namespace detio {

// What StreamWriter::drain() returns. Awaiting it costs no coroutine frame
// when there is nothing to wait for (the usual case: writing not paused, the
// connection open); otherwise it awaits the full drain. It converts to a
// Task<void> where one is needed (create_task, wait_for, gather, timeout).
// Nothing is checked until it is awaited.
class [[nodiscard]] Drain {
 public:
  using value_type = void;

  explicit Drain(std::shared_ptr<internal::StreamState> state) noexcept : state_(std::move(state)) {}
  // Only an awaitable that is not being awaited may be moved.
  Drain(Drain&& other) noexcept : state_(std::move(other.state_)) {}
  Drain& operator=(Drain&&) = delete;

  bool await_ready();
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> caller) noexcept {
    return waiting_->await_suspend(caller);
  }
  void await_resume() {
    if (waiting_) waiting_->await_resume();
  }

  Task<void> as_task() &&;
  operator Task<void>() && { return std::move(*this).as_task(); }

 private:
  std::shared_ptr<internal::StreamState> state_;
  std::optional<Task<void>::Awaiter> waiting_;  // the full drain, if needed
};

class StreamWriter {
 public:
  explicit StreamWriter(std::shared_ptr<internal::StreamState> state) : state_(std::move(state)) {}

  void write(std::string_view data);
  template <class Range>
  void writelines(const Range& lines) {
    for (const auto& line : lines) write(line);
  }
  void writelines(std::initializer_list<std::string_view> lines) {
    for (std::string_view line : lines) write(line);
  }
  Drain drain() const { return Drain(state_); }
  // Flushes what is queued, then closes; wait_closed() waits for the end.
  void close();
  Task<void> wait_closed();
  bool is_closing() const;
  bool can_write_eof() const;
  void write_eof();
  // asyncio's get_extra_info(name, default), see Transport: "peername"
  // and "sockname" (nullopt, or the default, for other names or no
  // connection), and "socket": the fd on the real backend (the int form,
  // e.g. get_extra_info("socket", -1); the simulator has no fd).
  std::optional<SocketAddress> get_extra_info(std::string_view name) const {
    return transport().get_extra_info(name);
  }
  SocketAddress get_extra_info(std::string_view name, SocketAddress default_value) const {
    return transport().get_extra_info(name, std::move(default_value));
  }
  int get_extra_info(std::string_view name, int default_value) const {
    return transport().get_extra_info(name, default_value);
  }
  // The connection's transport (asyncio's StreamWriter.transport): abort()
  // to drop the connection with a reset, pause_reading(), ... Owned by the
  // stream; every call is a no-op once the connection is lost.
  Transport& transport() const noexcept { return *state_->transport(); }
  // The transport's watermarks (asyncio defaults: 64 KiB and 16 KiB).
  void set_write_buffer_limits(std::size_t high, std::size_t low);
  std::size_t write_buffer_size() const;

 private:
  std::shared_ptr<internal::StreamState> state_;
};

}  // namespace detio

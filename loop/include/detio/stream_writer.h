// detio::StreamWriter (asyncio.StreamWriter). write() queues bytes without
// blocking; drain() waits while the transport's buffer is above its high
// watermark (the peer is not reading) and raises the connection's error.
// Writing after close() or write_eof() throws RuntimeError (a bug in the
// caller). Writing after the connection was lost drops the bytes without
// raising, as asyncio does: the loss is the network's, and drain() raises
// it (ConnectionResetError, BrokenPipeError, ...).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "detio/internal/stream_state.h"
#include "detio/task.h"
#include "detio/transport.h"

namespace detio {

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
  Task<void> drain();
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

// detio::StreamReader (asyncio.StreamReader). A cheap handle: copies read
// the same connection. Every read is cancel-safe: bytes are taken from the
// buffer only when the read completes, so a cancelled read leaves them for
// the next one. Only one read may wait at a time (RuntimeError otherwise).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "detio/internal/stream_state.h"
#include "detio/task.h"

namespace detio {

class StreamReader {
 public:
  // A reader with no connection, fed by hand (feed_data / feed_eof).
  explicit StreamReader(std::size_t limit = internal::StreamState::kDefaultLimit);
  explicit StreamReader(std::shared_ptr<internal::StreamState> state) : state_(std::move(state)) {}

  // Up to n bytes (at least one unless at EOF); n < 0 reads until EOF;
  // n == 0 returns "" at once.
  Task<std::string> read(std::int64_t n = -1);
  // One line including "\n"; the partial last line at EOF; "" at EOF.
  // Throws ValueError if the line exceeds the limit (and drops it).
  Task<std::string> readline();
  // Exactly n bytes, or IncompleteReadError at EOF; ValueError if n < 0.
  Task<std::string> readexactly(std::int64_t n);
  // Up to and including `separator`; IncompleteReadError at EOF,
  // LimitOverrunError if not found within the limit (nothing consumed).
  Task<std::string> readuntil(std::string_view separator = "\n");
  // True once EOF was received and the buffer is empty.
  bool at_eof() const noexcept { return state_->eof && state_->buffer.empty(); }

  void feed_data(std::string_view data) { state_->feed_data(data); }
  void feed_eof() { state_->feed_eof(); }
  std::exception_ptr exception() const;
  void set_exception(std::exception_ptr error) { state_->set_exception(std::move(error)); }
  std::size_t limit() const noexcept { return state_->limit; }

 private:
  std::shared_ptr<internal::StreamState> state_;
};

}  // namespace detio

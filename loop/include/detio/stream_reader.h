// detio::StreamReader (asyncio.StreamReader). A cheap handle: copies read
// the same connection. Every read is cancel-safe: bytes are taken from the
// buffer only when the read completes, so a cancelled read leaves them for
// the next one. Only one read may wait at a time (RuntimeError otherwise).
#pragma once

#include <coroutine>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "detio/internal/stream_state.h"
#include "detio/task.h"

namespace detio {

class StreamReader {
 public:
  class Read;

  // A reader with no connection, fed by hand (feed_data / feed_eof).
  explicit StreamReader(std::size_t limit = internal::StreamState::kDefaultLimit);
  explicit StreamReader(std::shared_ptr<internal::StreamState> state) : state_(std::move(state)) {}

  // Up to n bytes (at least one unless at EOF); n < 0 reads until EOF;
  // n == 0 returns "" at once. See StreamReader::Read.
  Read read(std::int64_t n = -1) const;
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

// What StreamReader::read(n) returns: an awaitable with its waiter inline,
// so awaiting it costs no coroutine frame for n >= 0 (the bytes are there,
// EOF was seen, or it waits once, for the next delivery); read(-1) before
// EOF awaits the full read. Nothing is checked until it is awaited. It
// converts to a Task<std::string> where one is needed (create_task,
// wait_for, gather, timeout). Destroying a frame suspended in it unlists
// its waiter.
class [[nodiscard]] StreamReader::Read {
 public:
  using value_type = std::string;

  Read(std::shared_ptr<internal::StreamState> state, std::int64_t n) noexcept : state_(std::move(state)), n_(n) {}
  // Only an awaitable that is not being awaited may be moved.
  Read(Read&& other) noexcept : state_(std::move(other.state_)), n_(other.n_) {}
  Read& operator=(Read&&) = delete;

  bool await_ready();
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> caller) {
    if (whole_) return whole_->await_suspend(caller);
    wait_->await_suspend(caller);
    return std::noop_coroutine();
  }
  std::string await_resume();

  Task<std::string> as_task() &&;
  operator Task<std::string>() && { return std::move(*this).as_task(); }

 private:
  std::shared_ptr<internal::StreamState> state_;
  std::int64_t n_;
  std::optional<internal::StreamState::DataWait> wait_;  // waiting for the next delivery
  std::optional<Task<std::string>::Awaiter> whole_;      // read(-1) before EOF
};

}  // namespace detio

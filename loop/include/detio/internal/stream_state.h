// The shared state behind one connection's StreamReader and StreamWriter:
// asyncio's StreamReader buffer plus StreamReaderProtocol and
// FlowControlMixin, as the Protocol a backend's Transport talks to.
#pragma once

#include <coroutine>
#include <memory>
#include <string>

#include "detio/future.h"
#include "detio/internal/byte_buffer.h"
#include "detio/internal/future_awaiter.h"
#include "detio/internal/future_base.h"
#include "detio/transport.h"

namespace detio::internal {

class StreamState final : public Protocol {
 public:
  static constexpr std::size_t kDefaultLimit = 64 * 1024;

  explicit StreamState(std::size_t limit = kDefaultLimit);
  StreamState(const StreamState&) = delete;
  // Nobody can read or write any more: close the connection (asyncio's
  // StreamWriter.__del__) and stop the transport calling us.
  ~StreamState() override;

  // Attaches `transport` (which delivers connection_made).
  void attach(std::shared_ptr<Transport> transport);

  // --- Protocol ---
  void connection_made(Transport& transport) override;
  void data_received(std::string_view data) override;
  bool eof_received() override;
  void connection_lost(std::exception_ptr error) override;
  void pause_writing() override;
  void resume_writing() override;

  // --- reader side (asyncio.StreamReader) ---
  void feed_data(std::string_view data);
  void feed_eof();
  void set_exception(std::exception_ptr error);
  std::exception_ptr exception() const noexcept { return exception_; }
  void throw_if_failed() const {
    if (exception_) std::rethrow_exception(exception_);
  }
  class DataWait;
  // `co_await state.wait_for_data("read")` suspends until data, EOF or an
  // error arrives; one reader at a time (RuntimeError naming `caller`
  // otherwise). No coroutine frame: the waiter lives in the awaitable.
  DataWait wait_for_data(const char* caller) noexcept;
  void maybe_resume_transport();
  std::string take(std::size_t n);

  ByteBuffer buffer;
  bool eof = false;
  std::size_t limit;

  // --- writer side (asyncio.StreamWriter + FlowControlMixin) ---
  static Task<void> drain(std::shared_ptr<StreamState> self);
  // drain()'s checks that need no waiting, in its order: raises the
  // stream's error or the connection's loss; true if drain() would return
  // at once (false: it has to wait, or to let a pending loss arrive).
  bool drain_returns_at_once() const {
    // The usual case, inline: no error, open, not paused.
    if (!exception_ && !connection_lost_ && !writing_paused_ && transport_ && !transport_->is_closing()) return true;
    return drain_returns_at_once_checked();
  }
  static Task<void> wait_closed(std::shared_ptr<StreamState> self);
  Transport* transport() const noexcept { return transport_.get(); }
  bool connection_lost() const noexcept { return connection_lost_; }
  std::exception_ptr loss_error() const noexcept { return loss_error_; }

  bool close_called = false;
  bool eof_written = false;

 private:
  void wake_reader();
  void throw_if_lost() const;
  bool drain_returns_at_once_checked() const;

  std::shared_ptr<Transport> transport_;
  std::exception_ptr exception_;
  Waiter* read_waiter_ = nullptr;  // a DataWait's, while one is awaited
  bool reading_paused_ = false;
  bool writing_paused_ = false;
  bool connection_lost_ = false;
  std::exception_ptr loss_error_;
  WaiterList drain_waiters_;
  Future<void> closed_;
};

class StreamState::DataWait {
 public:
  DataWait(StreamState& state, const char* caller) noexcept : state_(state), caller_(caller), awaiter_(waiter_) {}
  DataWait(const DataWait&) = delete;
  // A frame destroyed while suspended here must not leave itself listed.
  ~DataWait() { unlist(); }

  bool await_ready();
  void await_suspend(std::coroutine_handle<> caller) { awaiter_.await_suspend(caller); }
  void await_resume() {
    unlist();
    awaiter_.await_resume();
  }

 private:
  static constexpr WaitKind kWaitKind = plain_wait("StreamReader.read");
  void unlist() noexcept {
    if (state_.read_waiter_ == &waiter_) state_.read_waiter_ = nullptr;
  }

  StreamState& state_;
  const char* caller_;
  Waiter waiter_{&kWaitKind};
  FutureAwaiter awaiter_;
};

inline StreamState::DataWait StreamState::wait_for_data(const char* caller) noexcept { return DataWait(*this, caller); }

}  // namespace detio::internal

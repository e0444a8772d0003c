#include "detio/internal/stream_state.h"

#include "detio/internal/argument_checks.h"
#include "detio/internal/future_awaiter.h"
#include "detio/sleep.h"

namespace detio::internal {

StreamState::StreamState(std::size_t limit_bytes) : limit(limit_bytes) { check_limit(limit, "StreamReader"); }

StreamState::~StreamState() {
  // The loss error is also raised by reads and drain(); like asyncio's
  // StreamReaderProtocol.__del__, do not report it as never retrieved.
  if (closed_.done() && !closed_.cancelled()) closed_.exception();
  if (!transport_) return;
  transport_->detach_protocol();
  if (!transport_->is_closing()) transport_->close();
}

void StreamState::attach(std::shared_ptr<Transport> transport) {
  transport_ = std::move(transport);
  transport_->set_protocol(*this);
}

void StreamState::connection_made(Transport&) {}

void StreamState::data_received(std::string_view data) { feed_data(data); }

bool StreamState::eof_received() {
  feed_eof();
  return true;  // keep our side open: the peer only half-closed
}

void StreamState::connection_lost(std::exception_ptr error) {
  if (error) {
    set_exception(error);
  } else {
    feed_eof();
  }
  if (!closed_.done()) {
    if (error) {
      closed_.set_exception(error);
    } else {
      closed_.set_result();
    }
  }
  connection_lost_ = true;
  loss_error_ = error;
  if (!writing_paused_) return;
  drain_waiters_.for_each([&](Waiter* w) {
    if (!w->done()) w->set_done(error);
  });
}

void StreamState::pause_writing() { writing_paused_ = true; }

void StreamState::resume_writing() {
  writing_paused_ = false;
  drain_waiters_.for_each([](Waiter* w) { w->set_result(); });
}

void StreamState::feed_data(std::string_view data) {
  if (eof) throw InvalidStateError("StreamReader: feed_data after feed_eof");
  if (data.empty()) return;
  buffer.append(data);
  wake_reader();
  if (transport_ && !reading_paused_ && buffer.size() > 2 * limit) {
    transport_->pause_reading();
    reading_paused_ = true;
  }
}

void StreamState::feed_eof() {
  eof = true;
  wake_reader();
}

void StreamState::set_exception(std::exception_ptr error) {
  exception_ = error;
  if (Waiter* w = std::exchange(read_waiter_, nullptr)) {
    if (!w->done()) w->set_done(std::move(error));
  }
}

void StreamState::wake_reader() {
  if (Waiter* w = std::exchange(read_waiter_, nullptr)) w->set_result();
}

void StreamState::maybe_resume_transport() {
  if (reading_paused_ && buffer.size() <= limit) {
    reading_paused_ = false;
    transport_->resume_reading();
  }
}

std::string StreamState::take(std::size_t n) {
  std::string out = buffer.take(n);
  maybe_resume_transport();
  return out;
}

bool StreamState::DataWait::await_ready() {
  if (state_.read_waiter_) {
    throw RuntimeError(std::string("StreamReader.") + caller_ +
                       "() called while another task is already waiting for incoming data");
  }
  // Waiting while paused would never end (readexactly(n) with n > limit).
  if (state_.reading_paused_) {
    state_.reading_paused_ = false;
    state_.transport_->resume_reading();
  }
  state_.read_waiter_ = &waiter_;
  return awaiter_.await_ready();
}

void StreamState::throw_if_lost() const {
  if (!connection_lost_) return;
  if (loss_error_) std::rethrow_exception(loss_error_);
  throw ConnectionResetError("Connection lost");
}

bool StreamState::drain_returns_at_once_checked() const {
  throw_if_failed();
  if (transport_ && transport_->is_closing()) return false;
  throw_if_lost();
  return !writing_paused_;
}

Task<void> StreamState::drain(std::shared_ptr<StreamState> self) {
  self->throw_if_failed();
  // Let a pending connection_lost arrive so its error is seen here.
  if (self->transport_ && self->transport_->is_closing()) co_await sleep(Duration::zero());
  self->throw_if_lost();
  if (!self->writing_paused_) co_return;
  static constexpr WaitKind kWaitKind = plain_wait("StreamWriter.drain");
  Waiter waiter(&kWaitKind);
  self->drain_waiters_.push_back(&waiter);
  co_await FutureAwaiter(waiter);
}

Task<void> StreamState::wait_closed(std::shared_ptr<StreamState> self) { co_await self->closed_; }

}  // namespace detio::internal

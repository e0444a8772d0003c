#include "detio/stream_writer.h"

namespace detio {

void StreamWriter::write(std::string_view data) {
  if (state_->close_called) throw RuntimeError("StreamWriter.write() after close()");
  if (state_->eof_written) throw RuntimeError("StreamWriter.write() after write_eof()");
  // As asyncio: the bytes are dropped and drain() raises the loss.
  if (state_->connection_lost()) return;
  state_->transport()->write(data);
}

bool Drain::await_ready() {
  if (state_->drain_returns_at_once()) return true;
  waiting_.emplace(internal::StreamState::drain(std::move(state_)).release());
  return false;
}

Task<void> Drain::as_task() && { return internal::StreamState::drain(std::move(state_)); }

void StreamWriter::close() {
  state_->close_called = true;
  state_->transport()->close();
}

Task<void> StreamWriter::wait_closed() { return internal::StreamState::wait_closed(state_); }

bool StreamWriter::is_closing() const { return state_->transport()->is_closing(); }

bool StreamWriter::can_write_eof() const { return state_->transport()->can_write_eof(); }

void StreamWriter::write_eof() {
  state_->eof_written = true;
  state_->transport()->write_eof();
}

void StreamWriter::set_write_buffer_limits(std::size_t high, std::size_t low) {
  state_->transport()->set_write_buffer_limits(high, low);
}

std::size_t StreamWriter::write_buffer_size() const { return state_->transport()->get_write_buffer_size(); }

}  // namespace detio

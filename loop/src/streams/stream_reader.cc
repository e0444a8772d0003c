#include "detio/stream_reader.h"

#include <optional>

namespace detio {
namespace {

using internal::StreamState;
using State = std::shared_ptr<StreamState>;

Task<std::string> read_some(State s, std::int64_t n) {
  s->throw_if_failed();
  if (n == 0) co_return std::string();
  if (n < 0) {
    // Unlike asyncio, nothing is taken until EOF, so a cancelled read(-1)
    // leaves every byte for the next read.
    while (!s->eof) co_await StreamState::wait_for_data(s, "read");
    co_return s->take(s->buffer.size());
  }
  if (s->buffer.empty() && !s->eof) co_await StreamState::wait_for_data(s, "read");
  co_return s->take(static_cast<std::size_t>(n));
}

Task<std::string> read_until(State s, std::string separator) {
  const std::size_t seplen = separator.size();
  if (seplen == 0) throw ValueError("Separator should be at least one-byte string");  // asyncio's words
  s->throw_if_failed();
  std::size_t offset = 0;
  std::size_t found;
  while (true) {
    const std::size_t buflen = s->buffer.size();
    if (buflen >= offset + seplen) {
      found = s->buffer.view().find(separator, offset);
      if (found != std::string_view::npos) break;
      offset = buflen + 1 - seplen;
      if (offset > s->limit) throw LimitOverrunError("Separator is not found, and chunk exceed the limit", offset);
    }
    if (s->eof) throw IncompleteReadError(s->take(s->buffer.size()), std::nullopt);
    co_await StreamState::wait_for_data(s, "readuntil");
  }
  if (found > s->limit) throw LimitOverrunError("Separator is found, but chunk is longer than limit", found);
  co_return s->take(found + seplen);
}

Task<std::string> read_line(State s) {
  std::optional<LimitOverrunError> overrun;
  try {
    co_return co_await read_until(s, "\n");
  } catch (const IncompleteReadError& e) {
    co_return e.partial;
  } catch (const LimitOverrunError& e) {
    overrun = e;
  }
  // asyncio drops the over-long line (up to its separator, if seen).
  if (s->buffer.view().substr(overrun->consumed).starts_with('\n')) {
    s->take(overrun->consumed + 1);
  } else {
    s->take(s->buffer.size());
  }
  throw ValueError(overrun->what());
}

Task<std::string> read_exactly(State s, std::int64_t size) {
  if (size < 0) throw ValueError("readexactly size can not be less than zero");
  s->throw_if_failed();
  const auto n = static_cast<std::size_t>(size);
  if (n == 0) co_return std::string();
  while (s->buffer.size() < n) {
    if (s->eof) throw IncompleteReadError(s->take(s->buffer.size()), n);
    co_await StreamState::wait_for_data(s, "readexactly");
  }
  co_return s->take(n);
}

}  // namespace

StreamReader::StreamReader(std::size_t limit) : state_(std::make_shared<StreamState>(limit)) {}

Task<std::string> StreamReader::read(std::int64_t n) { return read_some(state_, n); }
Task<std::string> StreamReader::readline() { return read_line(state_); }
Task<std::string> StreamReader::readexactly(std::int64_t n) { return read_exactly(state_, n); }
Task<std::string> StreamReader::readuntil(std::string_view separator) {
  return read_until(state_, std::string(separator));
}

std::exception_ptr StreamReader::exception() const { return state_->exception(); }

}  // namespace detio

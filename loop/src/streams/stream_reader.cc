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
    while (!s->eof) co_await s->wait_for_data("read");
    co_return s->take(s->buffer.size());
  }
  if (s->buffer.empty() && !s->eof) co_await s->wait_for_data("read");
  co_return s->take(static_cast<std::size_t>(n));
}

// What one look at the buffer for a separator found (readuntil's checks,
// in its order), without throwing: readline turns the same outcomes into
// its own results, so a line reader's normal end of stream costs no
// exception.
enum class Scan { kFound, kNeedMore, kEof, kFoundPastLimit, kNotFoundPastLimit };

constexpr const char* kFoundPastLimit = "Separator is found, but chunk is longer than limit";  // asyncio's words
constexpr const char* kNotFoundPastLimit = "Separator is not found, and chunk exceed the limit";

// Searches from `offset` (moved on past what cannot hold the separator);
// sets `found` to the separator's index when there is one.
Scan scan(const StreamState& s, std::string_view separator, std::size_t& offset, std::size_t& found) {
  const std::size_t buflen = s.buffer.size();
  if (buflen >= offset + separator.size()) {
    found = s.buffer.view().find(separator, offset);
    if (found != std::string_view::npos) return found > s.limit ? Scan::kFoundPastLimit : Scan::kFound;
    offset = buflen + 1 - separator.size();
    if (offset > s.limit) return Scan::kNotFoundPastLimit;
  }
  return s.eof ? Scan::kEof : Scan::kNeedMore;
}

Task<std::string> read_until(State s, std::string separator) {
  const std::size_t seplen = separator.size();
  if (seplen == 0) throw ValueError("Separator should be at least one-byte string");  // asyncio's words
  s->throw_if_failed();
  std::size_t offset = 0;
  std::size_t found = 0;
  while (true) {
    switch (scan(*s, separator, offset, found)) {
      case Scan::kFound: co_return s->take(found + seplen);
      case Scan::kFoundPastLimit: throw LimitOverrunError(kFoundPastLimit, found);
      case Scan::kNotFoundPastLimit: throw LimitOverrunError(kNotFoundPastLimit, offset);
      case Scan::kEof: throw IncompleteReadError(s->take(s->buffer.size()), std::nullopt);
      case Scan::kNeedMore: co_await s->wait_for_data("readuntil"); break;
    }
  }
}

// asyncio's readline: readuntil("\n"), with a partial last line returned
// as it is and an over-long line dropped (up to its separator, if seen)
// before ValueError.
Task<std::string> read_line(State s) {
  s->throw_if_failed();
  std::size_t offset = 0;
  std::size_t found = 0;
  while (true) {
    switch (scan(*s, "\n", offset, found)) {
      case Scan::kFound: co_return s->take(found + 1);
      case Scan::kEof: co_return s->take(s->buffer.size());
      case Scan::kFoundPastLimit: s->take(found + 1); throw ValueError(kFoundPastLimit);
      case Scan::kNotFoundPastLimit:
        if (s->buffer.view().substr(offset).starts_with('\n')) {
          s->take(offset + 1);
        } else {
          s->take(s->buffer.size());
        }
        throw ValueError(kNotFoundPastLimit);
      case Scan::kNeedMore: co_await s->wait_for_data("readuntil"); break;
    }
  }
}

Task<std::string> read_exactly(State s, std::int64_t size) {
  if (size < 0) throw ValueError("readexactly size can not be less than zero");
  s->throw_if_failed();
  const auto n = static_cast<std::size_t>(size);
  if (n == 0) co_return std::string();
  while (s->buffer.size() < n) {
    if (s->eof) throw IncompleteReadError(s->take(s->buffer.size()), n);
    co_await s->wait_for_data("readexactly");
  }
  co_return s->take(n);
}

}  // namespace

StreamReader::StreamReader(std::size_t limit) : state_(std::make_shared<StreamState>(limit)) {}

StreamReader::Read StreamReader::read(std::int64_t n) const { return Read(state_, n); }

// read_some's steps without its frame: the checks here, the one wait in
// the awaitable, the take on resumption.
bool StreamReader::Read::await_ready() {
  StreamState& s = *state_;
  s.throw_if_failed();
  if (n_ == 0) return true;
  if (n_ < 0) {
    if (s.eof) return true;
    whole_.emplace(read_some(state_, n_).release());
    return whole_->await_ready();
  }
  if (!s.buffer.empty() || s.eof) return true;
  wait_.emplace(s, "read");
  return wait_->await_ready();
}

std::string StreamReader::Read::await_resume() {
  if (whole_) return whole_->await_resume();
  if (wait_) wait_->await_resume();
  if (n_ == 0) return std::string();
  StreamState& s = *state_;
  return s.take(n_ < 0 ? s.buffer.size() : static_cast<std::size_t>(n_));
}

Task<std::string> StreamReader::Read::as_task() && { return read_some(std::move(state_), n_); }
Task<std::string> StreamReader::readline() { return read_line(state_); }
Task<std::string> StreamReader::readexactly(std::int64_t n) { return read_exactly(state_, n); }
Task<std::string> StreamReader::readuntil(std::string_view separator) {
  return read_until(state_, std::string(separator));
}

std::exception_ptr StreamReader::exception() const { return state_->exception(); }

}  // namespace detio

// The detio exception hierarchy. Every detio error derives from detio::Error
// (a std::exception) except CancelledError, which, like Python's
// BaseException-derived CancelledError, must not be swallowed by
// `catch (const detio::Error&)` or `catch (const std::exception&)`.
#pragma once

#include <cstddef>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"

namespace detio {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Thrown into a task whose current await was cancelled.
class CancelledError {
 public:
  explicit CancelledError(std::string message = "") : message_(std::move(message)) {}
  const std::string& message() const noexcept { return message_; }
  const char* what() const noexcept { return message_.empty() ? "CancelledError" : message_.c_str(); }

 private:
  std::string message_;
};

class TimeoutError : public Error {
 public:
  TimeoutError() : Error("timed out") {}
  using Error::Error;
};

// Result read from a pending future/task, or a done future set again.
class InvalidStateError : public Error {
 public:
  using Error::Error;
};

// Misuse of a primitive (releasing an unheld lock, no running loop, ...).
class RuntimeError : public Error {
 public:
  using Error::Error;
};

// A bad argument (a negative semaphore value, an empty wait set, ...).
class ValueError : public Error {
 public:
  using Error::Error;
};

// OS-level connection failures (Python's ConnectionError family).
class ConnectionError : public Error {
 public:
  using Error::Error;
};

class ConnectionRefusedError : public ConnectionError {
 public:
  using ConnectionError::ConnectionError;
};

class ConnectionResetError : public ConnectionError {
 public:
  using ConnectionError::ConnectionError;
};

class BrokenPipeError : public ConnectionError {
 public:
  using ConnectionError::ConnectionError;
};

// Other socket-level failures (unresolvable host, address in use, ...).
class OSError : public Error {
 public:
  using Error::Error;
};

// EOF before readexactly/readuntil could finish: `partial` holds the bytes
// read (they are consumed); `expected` is the size asked for (none for
// readuntil).
class IncompleteReadError : public Error {
 public:
  IncompleteReadError(std::string partial_bytes, std::optional<std::size_t> expected_size)
      : Error(std::to_string(partial_bytes.size()) + " bytes read on a total of " +
              (expected_size ? std::to_string(*expected_size) : std::string("undefined")) + " expected bytes"),
        partial(std::move(partial_bytes)),
        expected(expected_size) {}
  std::string partial;
  std::optional<std::size_t> expected;
};

// readuntil's separator was not found within the limit; `consumed` bytes
// are still in the buffer.
class LimitOverrunError : public Error {
 public:
  LimitOverrunError(const std::string& message, std::size_t consumed_bytes)
      : Error(message), consumed(consumed_bytes) {}
  std::size_t consumed;
};

class QueueEmpty : public Error {
 public:
  QueueEmpty() : Error("queue is empty") {}
};

class QueueFull : public Error {
 public:
  QueueFull() : Error("queue is full") {}
};

class QueueShutDown : public Error {
 public:
  QueueShutDown() : Error("queue is shut down") {}
};

class BrokenBarrierError : public Error {
 public:
  using Error::Error;
};

// The failures of a TaskGroup, in the order they happened (Python's
// ExceptionGroup). what() is "<message> (<n> sub-exception[s])", as str()
// of one; message() is the message alone.
//
// split and subgroup are PEP 654's helpers behind `except*`: by type,
// `eg.split<ValueError, TypeError>()`, or by a predicate on the exception
// (`eg.split([](const std::exception_ptr& e) { ... })`). Nested groups are
// searched leaf by leaf and keep their shape and messages; a group that
// itself matches (split<ExceptionGroup>(), split<Error>(), or a predicate
// true for it) matches whole. An empty side is nullopt.
class ExceptionGroup : public Error {
 public:
  ExceptionGroup(std::string message, std::vector<std::exception_ptr> exceptions)
      : Error(message + " (" + std::to_string(exceptions.size()) + " sub-exception" +
              (exceptions.size() == 1 ? "" : "s") + ")"),
        message_(std::move(message)),
        exceptions_(std::move(exceptions)) {}
  const std::string& message() const noexcept { return message_; }
  const std::vector<std::exception_ptr>& exceptions() const noexcept { return exceptions_; }

  struct Split;
  using Predicate = absl::FunctionRef<bool(const std::exception_ptr&)>;

  // (the matching part, the rest), each a group with this one's message.
  Split split(Predicate matches) const;
  template <class... E>
  Split split() const;
  // The matching part only (split().match).
  std::optional<ExceptionGroup> subgroup(Predicate matches) const;
  template <class... E>
  std::optional<ExceptionGroup> subgroup() const;

 private:
  std::string message_;
  std::vector<std::exception_ptr> exceptions_;
};

struct ExceptionGroup::Split {
  std::optional<ExceptionGroup> match;
  std::optional<ExceptionGroup> rest;
};

namespace internal {
// True if `e` holds one of the types E... (or a class derived from one).
template <class E, class... Rest>
bool exception_is(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const E&) {
    return true;
  } catch (...) {
  }
  if constexpr (sizeof...(Rest) > 0) {
    return exception_is<Rest...>(e);
  } else {
    return false;
  }
}
}  // namespace internal

template <class... E>
ExceptionGroup::Split ExceptionGroup::split() const {
  static_assert(sizeof...(E) > 0, "ExceptionGroup::split<E...>(): name at least one exception type");
  return split(&internal::exception_is<E...>);
}

template <class... E>
std::optional<ExceptionGroup> ExceptionGroup::subgroup() const {
  return split<E...>().match;
}

}  // namespace detio

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

// The failures of a TaskGroup, in the order they happened.
class ExceptionGroup : public Error {
 public:
  ExceptionGroup(std::string message, std::vector<std::exception_ptr> exceptions)
      : Error(message + " (" + std::to_string(exceptions.size()) + " sub-exception" +
              (exceptions.size() == 1 ? "" : "s") + ")"),
        exceptions_(std::move(exceptions)) {}
  const std::vector<std::exception_ptr>& exceptions() const noexcept { return exceptions_; }

 private:
  std::vector<std::exception_ptr> exceptions_;
};

}  // namespace detio

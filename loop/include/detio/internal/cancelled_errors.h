// CancelledErrors the loop makes itself, recognised without a rethrow.
// Telling a task that ends cancelled from one that failed needs the type of
// the exception it ended with, which standard C++ only reveals by throwing
// it again (microseconds each, once per cancelled task). Each thread keeps
// the last CancelledError the loop made; that one (by far the usual case,
// since a cancellation unwinds with the same exception object through every
// level) is recognised by identity, any other by a rethrow.
#pragma once

#include <exception>
#include <string>

namespace detio::internal {

// A CancelledError carrying `message`, remembered as this thread's last.
std::exception_ptr make_cancelled(std::string message);
[[noreturn]] void throw_cancelled(std::string message);

// Whether `error` holds a CancelledError; if so and `message` is given, sets
// it to the error's message.
bool holds_cancelled_error(const std::exception_ptr& error, std::string* message = nullptr);

}  // namespace detio::internal

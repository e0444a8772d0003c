#include "detio/internal/cancelled_errors.h"

#include <utility>

#include "detio/errors.h"

namespace detio::internal {
namespace {

struct LastCancelled {
  std::exception_ptr error;
  std::string message;
};

// Holding a reference keeps the object alive, so its address is never
// reused for another exception while it is remembered.
thread_local LastCancelled last_cancelled;

}  // namespace

std::exception_ptr make_cancelled(std::string message) {
  std::exception_ptr error = std::make_exception_ptr(CancelledError(message));
  last_cancelled.error = error;
  last_cancelled.message = std::move(message);
  return error;
}

void throw_cancelled(std::string message) { std::rethrow_exception(make_cancelled(std::move(message))); }

bool holds_cancelled_error(const std::exception_ptr& error, std::string* message) {
  if (!error) return false;
  if (error == last_cancelled.error) {
    if (message) *message = last_cancelled.message;
    return true;
  }
  try {
    std::rethrow_exception(error);
  } catch (const CancelledError& e) {
    if (message) *message = e.message();
    return true;
  } catch (...) {
    return false;
  }
}

}  // namespace detio::internal

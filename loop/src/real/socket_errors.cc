#include "detio/internal/socket_errors.h"

#include <cerrno>
#include <cstring>
#include <string>

#include "detio/errors.h"

namespace detio::internal {
namespace {

std::string message(int err, std::string_view context) {
  std::string m = "[Errno " + std::to_string(err) + "] " + std::strerror(err);
  if (!context.empty()) m += " (" + std::string(context) + ")";
  return m;
}

}  // namespace

std::exception_ptr socket_error(int err, std::string_view context) {
  try {
    throw_socket_error(err, context);
  } catch (...) {
    return std::current_exception();
  }
}

void throw_socket_error(int err, std::string_view context) {
  switch (err) {
    case ECONNREFUSED:
      throw ConnectionRefusedError(message(err, context));
    case ECONNRESET:
      throw ConnectionResetError(message(err, context));
    case EPIPE:
    case ESHUTDOWN:
      throw BrokenPipeError(message(err, context));
    case ECONNABORTED:
      throw ConnectionError(message(err, context));
    default:
      throw OSError(message(err, context));
  }
}

}  // namespace detio::internal

// errno from a socket call -> detio's exception (Python's OSError family):
// ECONNREFUSED ConnectionRefusedError, ECONNRESET ConnectionResetError,
// EPIPE/ESHUTDOWN BrokenPipeError, ECONNABORTED ConnectionError, anything
// else OSError. Messages read "[Errno 111] Connection refused (context)".
#pragma once

#include <exception>
#include <string_view>

namespace detio::internal {

std::exception_ptr socket_error(int err, std::string_view context);
[[noreturn]] void throw_socket_error(int err, std::string_view context);

}  // namespace detio::internal

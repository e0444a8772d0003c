#include "detio/internal/argument_checks.h"

#include <fmt/format.h>

#include <limits>

#include "detio/errors.h"

namespace detio::internal {

std::uint16_t checked_port(std::int64_t port, std::string_view call) {
  if (port < 0 || port > 65535) throw ValueError(fmt::format("{}: port must be 0-65535, got {}", call, port));
  return static_cast<std::uint16_t>(port);
}

void check_host(std::string_view host, std::string_view call) {
  if (host.find('\0') != std::string_view::npos) {
    throw ValueError(fmt::format("{}: host name contains an embedded NUL character", call));
  }
}

void check_limit(std::size_t limit, std::string_view call) {
  if (limit == 0 || limit > static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max())) {
    throw ValueError(fmt::format("{}: limit must be > 0, got {}", call, static_cast<std::int64_t>(limit)));
  }
}

}  // namespace detio::internal

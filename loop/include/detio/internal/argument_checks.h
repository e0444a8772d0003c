// The checks every stream entry point makes on its arguments before any I/O,
// so a bad argument is a ValueError naming the call and the value instead
// of a silently truncated port, a huge size or a failure deep inside.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace detio::internal {

// `port` as a socket port; ValueError unless 0 <= port <= 65535.
std::uint16_t checked_port(std::int64_t port, std::string_view call);
// ValueError if `host` has an embedded NUL (the C resolver would read a
// shorter name than the one given).
void check_host(std::string_view host, std::string_view call);
// ValueError unless 0 < limit <= INT64_MAX (a negative number converted to
// std::size_t is reported as the negative number it was).
void check_limit(std::size_t limit, std::string_view call);

}  // namespace detio::internal

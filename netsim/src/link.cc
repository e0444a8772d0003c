#include "detio/net/internal/link.h"

#include <string>
#include <utility>

#include "detio/errors.h"
#include "detio/net/trace.h"

#include "detio/net/internal/host.h"

namespace detio::net::internal {

void check_link(const LinkParams& params, std::string_view name) {
  for (auto [field, value] : {std::pair{"latency", params.latency}, std::pair{"jitter", params.jitter}}) {
    if (value < Duration::zero()) {
      throw ValueError(std::string(name) + "." + field + " must be >= 0, got " + format_duration(value));
    }
  }
}

Duration serialization_time(std::size_t bytes, std::uint64_t bandwidth) noexcept {
  if (bandwidth == 0 || bytes == 0) return Duration::zero();
  // bytes is at most a segment, so bytes * 1e9 fits in 64 bits.
  const std::uint64_t ns = (static_cast<std::uint64_t>(bytes) * 1'000'000'000ULL + bandwidth - 1) / bandwidth;
  return Duration(static_cast<Duration::rep>(ns));
}

std::string host_address(HostId id) {
  const std::uint32_t n = id + 1;
  return "10." + std::to_string((n >> 16) & 0xff) + "." + std::to_string((n >> 8) & 0xff) + "." +
         std::to_string(n & 0xff);
}

}  // namespace detio::net::internal

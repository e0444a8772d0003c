// The state of one direction of the wire between two hosts: its parameters,
// until when it is busy serializing bytes (bandwidth), and until when it is
// clogged.
#pragma once

#include <string_view>

#include "detio/net/options.h"
#include "detio/time.h"

namespace detio::net::internal {

struct Link {
  LinkParams params;
  TimePoint busy_until{};
  TimePoint clogged_until{};
};

// ValueError naming `name` (e.g. "network.remote") if a latency or jitter
// is negative.
void check_link(const LinkParams& params, std::string_view name);

// Time to put `bytes` on a wire of `bandwidth` bytes/s (rounded up).
Duration serialization_time(std::size_t bytes, std::uint64_t bandwidth) noexcept;

}  // namespace detio::net::internal

// What travels between the two ends of a simulated connection. Packets of
// one direction are delivered in order; `arrival` never decreases along a
// direction's queue.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "detio/time.h"

namespace detio::net::internal {

struct Packet {
  enum class Kind : std::uint8_t { kSyn, kSynAck, kData, kAck, kFin, kRst };
  Kind kind = Kind::kData;
  std::string data;     // kData
  std::size_t ack = 0;  // kAck: bytes the receiver consumed (window update)
  TimePoint arrival{};
};

}  // namespace detio::net::internal

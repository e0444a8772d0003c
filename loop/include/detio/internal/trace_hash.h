// The word-at-a-time mixing behind every trace fingerprint (the run's
// sim::Trace and the network's net::Trace): cheap enough to run on every
// step and every packet of every run, stable across processes and
// platforms, so the same seed and binary give the same hash.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace detio::internal {

inline constexpr std::uint64_t kTraceHashSeed = 0xcbf29ce484222325ULL;

// Multiply-xorshift: four instructions, so that hashing every step of
// every run costs little; the multiply makes the result depend on order.
inline void trace_mix(std::uint64_t& h, std::uint64_t value) noexcept {
  h = (h ^ value) * 0xff51afd7ed558ccdULL;
  h ^= h >> 32;
}

// The length first, then 8 bytes at a time (little-endian words, the tail
// zero-padded): "ab" + "c" and "a" + "bc" hash apart.
inline void trace_mix(std::uint64_t& h, std::string_view bytes) noexcept {
  trace_mix(h, bytes.size());
  std::size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, bytes.data() + i, 8);
    trace_mix(h, word);
  }
  if (i < bytes.size()) {
    std::uint64_t word = 0;
    std::memcpy(&word, bytes.data() + i, bytes.size() - i);
    trace_mix(h, word);
  }
}

}  // namespace detio::internal

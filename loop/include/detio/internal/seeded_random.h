// A seeded generator for every layer that draws (the simulator's named
// streams, the simulated network's jitter and faults): xoshiro256** seeded
// through splitmix64, with our own distributions (std:: distributions differ
// between standard libraries, which would break replay across compilers).
// Users know it as detio::sim::Random.
#pragma once

#include <cstdint>
#include <string_view>

#include "detio/time.h"

namespace detio::internal {

class SeededRandom {
 public:
  using result_type = std::uint64_t;
  explicit SeededRandom(std::uint64_t seed) noexcept;

  static constexpr result_type min() noexcept { return 0; }
  static constexpr result_type max() noexcept { return ~result_type{0}; }
  result_type operator()() noexcept { return next_u64(); }

  std::uint64_t next_u64() noexcept;
  // Uniform in [lo, hi] (inclusive); throws ValueError if lo > hi.
  std::int64_t uniform(std::int64_t lo, std::int64_t hi);
  // Uniform in [0, 1).
  double real() noexcept;
  // True with probability p (p <= 0 never, p >= 1 always).
  bool chance(double p) noexcept;
  // Uniform in [lo, hi].
  Duration duration(Duration lo, Duration hi) { return Duration(uniform(lo.count(), hi.count())); }

 private:
  std::uint64_t s_[4];
};

// Stable 64-bit hash of a stream name (FNV-1a), part of the replay contract.
std::uint64_t stream_key(std::string_view name) noexcept;

}  // namespace detio::internal

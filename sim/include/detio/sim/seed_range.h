// Seed ranges and shards for seed sweeps, and their text forms.
//
//   "42"        one seed          "1..1000"   an inclusive range
//   "2/4"       shard 2 of 4 (shards are numbered 0..n-1)
//
// A seed s belongs to shard i of n when s % n == i. The rule uses the seed
// itself, not its position in a range, so any split of a range into chunks
// (detio-sweep --jobs) agrees with any shard; the n shards of one range
// together cover every seed of it exactly once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace detio::sim {

struct SeedRange {
  std::uint64_t first = 1;
  std::uint64_t last = 100;  // inclusive

  // The number of seeds in the range (saturates at 2^64 - 1).
  std::uint64_t size() const noexcept { return last - first == ~std::uint64_t{0} ? last - first : last - first + 1; }
  bool contains(std::uint64_t seed) const noexcept { return seed >= first && seed <= last; }
  // "a..b", or "a" for a single seed.
  std::string text() const;
  friend bool operator==(const SeedRange&, const SeedRange&) = default;
};

struct Shard {
  std::uint64_t index = 0;
  std::uint64_t count = 1;

  bool contains(std::uint64_t seed) const noexcept { return count <= 1 || seed % count == index; }
  // How many seeds of `range` belong to this shard.
  std::uint64_t size_in(const SeedRange& range) const noexcept;
  // "i/n".
  std::string text() const;
  friend bool operator==(const Shard&, const Shard&) = default;
};

// Parses "a..b" (a <= b) or "n"; std::nullopt for anything else.
std::optional<SeedRange> parse_seed_range(std::string_view text);
// Parses "i/n" (0 <= i < n); std::nullopt for anything else.
std::optional<Shard> parse_shard(std::string_view text);
// Parses a whole unsigned decimal number; std::nullopt on junk or overflow.
std::optional<std::uint64_t> parse_u64(std::string_view text);

}  // namespace detio::sim

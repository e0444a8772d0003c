#include "detio/sim/seed_range.h"

#include <fmt/format.h>

namespace detio::sim {

std::string SeedRange::text() const {
  return first == last ? fmt::format("{}", first) : fmt::format("{}..{}", first, last);
}

std::uint64_t Shard::size_in(const SeedRange& range) const noexcept {
  if (count <= 1) return range.size();
  // Seeds s in [first, last] with s % count == index.
  auto upto = [&](std::uint64_t s) -> std::uint64_t {  // how many in [0, s]
    return s / count + (s % count >= index ? 1 : 0);
  };
  return upto(range.last) - (range.first == 0 ? 0 : upto(range.first - 1));
}

std::string Shard::text() const { return fmt::format("{}/{}", index, count); }

std::optional<std::uint64_t> parse_u64(std::string_view text) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const std::uint64_t digit = static_cast<std::uint64_t>(c - '0');
    if (value > (~std::uint64_t{0} - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

std::optional<SeedRange> parse_seed_range(std::string_view text) {
  const std::size_t dots = text.find("..");
  if (dots == std::string_view::npos) {
    std::optional<std::uint64_t> seed = parse_u64(text);
    if (!seed) return std::nullopt;
    return SeedRange{*seed, *seed};
  }
  std::optional<std::uint64_t> first = parse_u64(text.substr(0, dots));
  std::optional<std::uint64_t> last = parse_u64(text.substr(dots + 2));
  if (!first || !last || *first > *last) return std::nullopt;
  return SeedRange{*first, *last};
}

std::optional<Shard> parse_shard(std::string_view text) {
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::optional<std::uint64_t> index = parse_u64(text.substr(0, slash));
  std::optional<std::uint64_t> count = parse_u64(text.substr(slash + 1));
  if (!index || !count || *count == 0 || *index >= *count) return std::nullopt;
  return Shard{*index, *count};
}

}  // namespace detio::sim

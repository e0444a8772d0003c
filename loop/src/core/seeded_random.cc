#include "detio/internal/seeded_random.h"

#include "detio/errors.h"

namespace detio::internal {
namespace {

std::uint64_t splitmix64(std::uint64_t& x) noexcept {
  std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }

}  // namespace

SeededRandom::SeededRandom(std::uint64_t seed) noexcept {
  for (std::uint64_t& s : s_) s = splitmix64(seed);
}

std::uint64_t SeededRandom::next_u64() noexcept {
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

std::int64_t SeededRandom::uniform(std::int64_t lo, std::int64_t hi) {
  if (lo > hi) throw ValueError("Random::uniform: lo > hi");
  const std::uint64_t span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
  if (span == ~std::uint64_t{0}) return static_cast<std::int64_t>(next_u64());
  const std::uint64_t range = span + 1;
  // Rejection sampling: unbiased and identical on every platform.
  const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % range);
  std::uint64_t x;
  do {
    x = next_u64();
  } while (x >= limit);
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + x % range);
}

double SeededRandom::real() noexcept { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

bool SeededRandom::chance(double p) noexcept {
  if (p <= 0) return false;
  if (p >= 1) return true;
  return real() < p;
}

std::uint64_t stream_key(std::string_view name) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : name) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace detio::internal

#include "protocol.h"

#include "detio/sim/seed_range.h"

namespace detio_sweep {
namespace {

// Splits off the first space-separated word of `rest`.
std::string_view word(std::string_view& rest) {
  const std::size_t space = rest.find(' ');
  std::string_view w = rest.substr(0, space);
  rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
  return w;
}

std::optional<std::uint64_t> parse_hex(std::string_view s) {
  if (s.empty() || s.size() > 16) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    if (d < 0) return std::nullopt;
    v = v << 4 | static_cast<std::uint64_t>(d);
  }
  return v;
}

}  // namespace

std::optional<SeedLine> parse_seed_line(std::string_view line) {
  std::string_view rest = line;
  if (word(rest) != "detio-seed") return std::nullopt;
  std::optional<std::uint64_t> seed = detio::sim::parse_u64(word(rest));
  std::string_view verdict = word(rest);
  std::optional<std::uint64_t> hash = parse_hex(word(rest));
  if (!seed || !hash || (verdict != "ok" && verdict != "fail")) return std::nullopt;
  return SeedLine{*seed, verdict == "ok", *hash, std::string(rest)};
}

std::optional<ShrunkLine> parse_shrunk_line(std::string_view line) {
  std::string_view rest = line;
  if (word(rest) != "detio-shrunk") return std::nullopt;
  std::optional<std::uint64_t> seed = detio::sim::parse_u64(word(rest));
  std::string_view knobs = word(rest);
  if (!seed || knobs.empty()) return std::nullopt;
  return ShrunkLine{*seed, knobs == "-" ? std::string() : std::string(knobs), std::string(rest)};
}

std::optional<std::string> parse_trace_line(std::string_view line) {
  std::string_view rest = line;
  if (word(rest) != "detio-trace" || rest.empty()) return std::nullopt;
  return std::string(rest);
}

}  // namespace detio_sweep

// The lines a swept program prints on stdout (see
// detio/sim/scenario_main.h and DETIO_PROTOCOL in detio/sim/sweep.h):
//   detio-seed <n> ok|fail <hash16> [message]
//   detio-shrunk <n> <knobs|-> <message>
//   detio-trace <file>
// Every other line is the program's own output and is ignored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace detio_sweep {

struct SeedLine {
  std::uint64_t seed = 0;
  bool ok = true;
  std::uint64_t hash = 0;
  std::string message;
};

struct ShrunkLine {
  std::uint64_t seed = 0;
  std::string knobs;  // empty: nothing simpler failed
  std::string message;
};

std::optional<SeedLine> parse_seed_line(std::string_view line);
std::optional<ShrunkLine> parse_shrunk_line(std::string_view line);
// The file of a "detio-trace <file>" line.
std::optional<std::string> parse_trace_line(std::string_view line);

}  // namespace detio_sweep

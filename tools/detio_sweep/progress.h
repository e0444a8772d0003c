// The live progress bar of detio-sweep on stderr:
//   [##########..........] 5120/10000 seeds  1843 seeds/s  failures: 2  ETA 3s
// Redrawn at most 10 times a second on a terminal; on anything else (a CI
// log) one line per 10% instead. Uses the wall clock (the tool is not part
// of any simulation).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace detio_sweep {

class Progress {
 public:
  Progress(std::uint64_t total, bool enabled);

  void update(std::uint64_t done, std::uint64_t failures, bool final = false);
  // Wipes the bar so a line printed next starts clean (the next update
  // redraws it).
  void clear();
  double elapsed_seconds() const;

 private:
  using Clock = std::chrono::steady_clock;
  std::uint64_t total_;
  bool enabled_;
  bool tty_;
  bool shown_ = false;
  std::uint64_t last_decile_ = 0;  // non-terminal: the first line at 10%
  Clock::time_point start_;
  Clock::time_point last_draw_{};
};

// "3s", "2m05s", "1h02m".
std::string format_eta(double seconds);

}  // namespace detio_sweep

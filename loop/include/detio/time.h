// Loop time: a steady clock whose epoch is the loop's start (virtual under
// sim, where it starts at 0; monotonic on the real backend).
#pragma once

#include <chrono>

namespace detio {

using Duration = std::chrono::nanoseconds;

struct LoopClock {
  using duration = Duration;
  using rep = duration::rep;
  using period = duration::period;
  using time_point = std::chrono::time_point<LoopClock, Duration>;
  static constexpr bool is_steady = true;
};

using TimePoint = LoopClock::time_point;

// The running loop's time. Throws detio::RuntimeError outside a loop.
TimePoint now();

}  // namespace detio

namespace detio::internal {

// now + d, saturating instead of overflowing for huge durations.
constexpr TimePoint deadline_after(TimePoint now, Duration d) noexcept {
  if (d > Duration::zero() && now.time_since_epoch() > Duration::max() - d) return TimePoint::max();
  if (d < Duration::zero() && now.time_since_epoch() < Duration::min() - d) return TimePoint::min();
  return now + d;
}

}  // namespace detio::internal

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

// a + b, saturating at Duration::max() / min() instead of overflowing: all
// time arithmetic on user-given durations (timeouts, link latencies, fault
// delays) goes through these, so Duration::max() means "never".
constexpr Duration saturating_add(Duration a, Duration b) noexcept {
  Duration::rep sum = 0;
  if (__builtin_add_overflow(a.count(), b.count(), &sum)) return b > Duration::zero() ? Duration::max() : Duration::min();
  return Duration(sum);
}

// now + d, saturating instead of overflowing for huge durations.
constexpr TimePoint deadline_after(TimePoint now, Duration d) noexcept {
  return TimePoint(saturating_add(now.time_since_epoch(), d));
}

}  // namespace detio::internal

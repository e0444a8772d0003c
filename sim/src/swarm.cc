#include "detio/sim/swarm.h"

#include <fmt/format.h>

#include <cmath>

#include "detio/sim/random.h"
#include "detio/sim/run.h"

namespace detio::sim {
namespace {

// Log-uniform in [max / span, max]: small and large rates equally likely.
double log_uniform(Random& rng, double max, double span) {
  return max * std::pow(span, rng.real() - 1.0);
}

// Every dimension always makes the same draws, whether it is on or not, so
// turning one dimension on never shifts the choices of another.
struct Draw {
  bool on;
  double rate;
};

Draw draw(Random& rng, double max, double span) {
  const bool on = rng.chance(0.5);
  const double rate = log_uniform(rng, max, span);
  return {on, rate};
}

}  // namespace

void apply_swarm(Options& options, const SwarmOptions& swarm) {
  Random rng(options.seed ^ stream_key("swarm"));

  net::FaultOptions& f = options.faults;
  for (double* rate : {&f.reset, &f.delay, &f.clog, &f.partition}) {
    const Draw d = draw(rng, swarm.max_fault_rate, 64);
    if (swarm.faults) *rate = d.on ? d.rate : 0.0;
  }

  constexpr double kBuggifyFractions[] = {0.0, 0.1, 0.25, 0.5};
  const double fraction = kBuggifyFractions[rng.uniform(0, 3)];
  if (swarm.buggify) options.buggify = fraction;

  const bool slack_on = rng.chance(0.5);
  const Duration slack = rng.duration(Duration(1), std::max(swarm.max_timer_slack, Duration(1)));
  const bool shuffle = rng.chance(0.5);
  if (swarm.explore_timers) {
    options.explore.timer_slack = slack_on && swarm.max_timer_slack > Duration::zero() ? slack : Duration::zero();
    options.explore.shuffle_same_instant = shuffle;
  }
  const std::int64_t order = rng.uniform(0, 2);
  if (swarm.explore_ready_order) {
    options.explore.ready_order = order == 0 ? ReadyOrder::kFifo : order == 1 ? ReadyOrder::kRandom : ReadyOrder::kPct;
  }

  const Draw inject = draw(rng, swarm.max_inject_rate, 32);
  const std::int64_t bound = rng.uniform(1, std::max(1, swarm.max_injections));
  const bool early = rng.chance(0.5);
  if (swarm.inject) {
    options.inject.cancel = inject.on;
    options.inject.rate = inject.rate;
    options.inject.max_per_run = static_cast<int>(bound);
    options.inject.early_timeouts = early;
  }

  // Drawn last, so the draws above stay what they were before it existed.
  const Draw refuse = draw(rng, swarm.max_fault_rate, 64);
  if (swarm.faults) f.refuse = refuse.on ? refuse.rate : 0.0;
}

std::string describe_mix(const Options& options) {
  std::string out;
  const net::FaultOptions& f = options.faults;
  std::string faults;
  auto add_fault = [&](const char* name, double rate) {
    if (rate > 0) faults += fmt::format(" {}={:.3g}", name, rate);
  };
  add_fault("reset", f.reset);
  add_fault("delay", f.delay);
  add_fault("clog", f.clog);
  add_fault("partition", f.partition);
  add_fault("refuse", f.refuse);
  out += faults.empty() ? "no faults" : "faults" + faults;
  out += fmt::format("; buggify {:.3g}", options.buggify);
  const ExploreOptions& e = options.explore;
  if (e.timer_slack > Duration::zero()) {
    out += fmt::format("; slack {}us", std::chrono::duration_cast<std::chrono::microseconds>(e.timer_slack).count());
  }
  if (e.shuffle_same_instant) out += "; same-instant shuffle";
  if (e.ready_order == ReadyOrder::kRandom) out += "; ready random";
  if (e.ready_order == ReadyOrder::kPct) out += fmt::format("; ready pct ({} change points)", e.pct_change_points);
  const InjectOptions& i = options.inject;
  if (i.cancel) {
    out += fmt::format("; inject {} rate {:.3g} max {}", i.early_timeouts ? "cancel/early-timeout" : "cancel", i.rate,
                       i.max_per_run);
  }
  return out;
}

}  // namespace detio::sim

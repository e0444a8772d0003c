#include "detio/sim/swarm.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "detio/sim/random.h"
#include "detio/sim/run.h"

namespace detio::sim {
namespace {

// Log-uniform in [max / span, max]: small and large values equally likely.
double log_uniform(Random& rng, double max, double span) { return max * std::pow(span, rng.real() - 1.0); }

// Every dimension always makes the same draws, whether it is on or not, so
// turning one dimension on never shifts the choices of another.
struct Draw {
  bool on;
  double value;
};

Draw draw(Random& rng, double p_on, double max, double span) {
  const bool on = rng.chance(p_on);
  const double value = log_uniform(rng, max, span);
  return {on, value};
}

// A duration drawn log-uniform in [max / span, max], in whole microseconds
// (what the slack= and coalesce= knobs can say exactly), at least 1us.
Duration whole_microseconds(double us) {
  return std::chrono::microseconds(std::max<std::int64_t>(1, std::llround(us)));
}

double microseconds(Duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

std::int64_t whole_us(Duration d) { return std::chrono::duration_cast<std::chrono::microseconds>(d).count(); }

}  // namespace

void apply_swarm(Options& options, const SwarmOptions& swarm) {
  Random rng(options.seed ^ stream_key("swarm"));

  net::FaultOptions& f = options.faults;
  for (double* rate : {&f.reset, &f.delay, &f.clog, &f.partition, &f.refuse}) {
    const Draw d = draw(rng, 0.5, swarm.max_fault_rate, 64);
    if (swarm.faults) *rate = d.on ? d.value : 0.0;
  }

  constexpr double kBuggifyFractions[] = {0.0, 0.1, 0.25, 0.5};
  const double fraction = kBuggifyFractions[rng.uniform(0, 3)];
  if (swarm.buggify) options.buggify = fraction;

  const double max_slack_us = std::max(1.0, microseconds(swarm.max_timer_slack));
  const Draw slack = draw(rng, 1.0 / 3, max_slack_us, max_slack_us);
  const bool shuffle = rng.chance(0.5);
  const double max_coalescing_us = std::max(1.0, microseconds(swarm.max_timer_coalescing));
  const Draw coalescing = draw(rng, 0.5, max_coalescing_us, 100);
  if (swarm.explore_timers) {
    ExploreOptions& e = options.explore;
    e.timer_slack = slack.on && swarm.max_timer_slack > Duration::zero() ? whole_microseconds(slack.value) : Duration{};
    e.shuffle_same_instant = shuffle;
    e.timer_coalescing = coalescing.on && swarm.max_timer_coalescing > Duration::zero()
                             ? whole_microseconds(coalescing.value)
                             : Duration{};
  }

  const std::int64_t order = rng.uniform(0, 2);
  const std::int64_t depth = rng.uniform(1, std::max(1, swarm.max_pct_depth));
  if (swarm.explore_ready_order) {
    options.explore.ready_order = order == 0 ? ReadyOrder::kFifo : order == 1 ? ReadyOrder::kRandom : ReadyOrder::kPct;
    if (order == 2) options.explore.pct_change_points = static_cast<int>(depth);
  }

  const Draw inject = draw(rng, 0.75, swarm.max_inject_rate, 1000);
  const bool at_wakeup = rng.chance(0.5);
  const bool early = rng.chance(0.5);
  const std::int64_t bound = rng.uniform(1, std::max(1, swarm.max_injections));
  if (swarm.inject) {
    InjectOptions& i = options.inject;
    i.cancel = inject.on;
    i.rate = inject.value;
    i.at = at_wakeup ? InjectAt::kWakeup : InjectAt::kSuspend;
    i.early_timeouts = early;
    i.max_per_run = static_cast<int>(bound);
  }
}

Knobs mix_knobs(const Options& options) {
  Knobs k;
  auto number = [](double v) { return fmt::format("{}", v); };
  const net::FaultOptions& f = options.faults;
  k.set("reset", number(f.reset));
  k.set("delay", number(f.delay));
  k.set("clog", number(f.clog));
  k.set("partition", number(f.partition));
  k.set("refuse", number(f.refuse));
  k.set("buggify", number(options.buggify));
  const ExploreOptions& e = options.explore;
  k.set("slack", fmt::format("{}", whole_us(e.timer_slack)));
  k.set("coalesce", fmt::format("{}", whole_us(e.timer_coalescing)));
  k.set("shuffle", e.shuffle_same_instant ? "on" : "off");
  k.set("ready", e.ready_order == ReadyOrder::kFifo ? "fifo" : e.ready_order == ReadyOrder::kRandom ? "random" : "pct");
  if (e.ready_order == ReadyOrder::kPct) k.set("pct_depth", fmt::format("{}", e.pct_change_points));
  const InjectOptions& i = options.inject;
  k.set("inject", fmt::format("{}", i.cancel ? i.max_per_run : 0));
  if (i.cancel) {
    k.set("inject_rate", number(i.rate));
    k.set("inject_at", i.at == InjectAt::kWakeup ? "wakeup" : "suspend");
    k.set("early_timeouts", i.early_timeouts ? "on" : "off");
  }
  return k;
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
  if (e.timer_slack > Duration::zero()) out += fmt::format("; slack {}us", whole_us(e.timer_slack));
  if (e.timer_coalescing > Duration::zero()) out += fmt::format("; coalesce {}us", whole_us(e.timer_coalescing));
  if (e.shuffle_same_instant) out += "; same-instant shuffle";
  if (e.ready_order == ReadyOrder::kRandom) out += "; ready random";
  if (e.ready_order == ReadyOrder::kPct) out += fmt::format("; ready pct ({} change points)", e.pct_change_points);
  const InjectOptions& i = options.inject;
  if (i.cancel) {
    out += fmt::format("; inject {}{} rate {:.3g} max {}", i.early_timeouts ? "early timeout" : "cancel",
                       i.at == InjectAt::kWakeup ? " at wake-ups" : "", i.rate, i.max_per_run);
    if (!i.tasks.empty()) out += fmt::format(" into '{}'", i.tasks);
    if (!i.spare_tasks.empty()) out += fmt::format(" sparing '{}'", i.spare_tasks);
  }
  return out;
}

}  // namespace detio::sim

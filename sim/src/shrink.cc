#include "detio/sim/shrink.h"

#include <fmt/format.h>

#include <set>
#include <vector>

#include "detio/sim/swarm.h"

namespace detio::sim {
namespace {

struct Kind {
  const char* name;
  double net::FaultOptions::*rate;
};

constexpr Kind kFaultKinds[] = {
    {"reset", &net::FaultOptions::reset},
    {"delay", &net::FaultOptions::delay},
    {"clog", &net::FaultOptions::clog},
    {"partition", &net::FaultOptions::partition},
    {"refuse", &net::FaultOptions::refuse},
};

// The simpler variants of `knobs`, most drastic first.
std::vector<Knobs> candidates(const Options& base, const Knobs& knobs,
                              const std::map<std::string, std::int64_t, std::less<>>& user_knobs) {
  Options now = base;
  knobs.apply(now);
  std::vector<Knobs> out;
  auto with = [&](std::string key, std::string value) {
    Knobs c = knobs;
    c.set(std::move(key), std::move(value));
    return c;
  };

  if (now.faults.any()) {
    Knobs c = knobs;
    for (const Kind& k : kFaultKinds) c.erase(k.name);
    c.set("faults", "off");
    out.push_back(std::move(c));
    for (const Kind& k : kFaultKinds) {
      if (now.faults.*k.rate > 0) out.push_back(with(k.name, "0"));
    }
    for (const Kind& k : kFaultKinds) {
      const double rate = now.faults.*k.rate;
      if (rate > 1e-6) out.push_back(with(k.name, fmt::format("{:.3g}", rate / 4)));
    }
  }
  if (now.inject.cancel) {
    out.push_back(with("inject", "0"));
    if (now.inject.max_per_run > 1) {
      out.push_back(with("inject", "1"));
      out.push_back(with("inject", fmt::format("{}", now.inject.max_per_run / 2)));
    }
  }
  if (now.explore.ready_order != ReadyOrder::kFifo) out.push_back(with("ready", "fifo"));
  if (now.explore.timer_slack > Duration::zero()) {
    out.push_back(with("slack", "0"));
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(now.explore.timer_slack).count();
    if (us > 1) out.push_back(with("slack", fmt::format("{}", us / 2)));
  }
  if (now.explore.timer_coalescing > Duration::zero()) {
    out.push_back(with("coalesce", "0"));
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(now.explore.timer_coalescing).count();
    if (us > 1) out.push_back(with("coalesce", fmt::format("{}", us / 2)));
  }
  if (now.explore.shuffle_same_instant) out.push_back(with("shuffle", "off"));
  if (now.buggify > 0) out.push_back(with("buggify", "0"));
  for (const auto& [name, value] : user_knobs) {
    if (value <= 1) continue;
    std::set<std::int64_t> tries = {1, value / 8, value / 4, value / 2, value * 3 / 4};
    for (std::int64_t v : tries) {
      if (v >= 1 && v < value) out.push_back(with(name, fmt::format("{}", v)));
    }
  }
  return out;
}

}  // namespace

ShrinkResult shrink(const SweepBody& body, const Options& options, const Knobs& start, const SeedReport& failure,
                    const ShrinkOptions& shrink_options) {
  ShrinkResult best;
  best.seed = options.seed;
  best.knobs = start;
  best.message = failure.message;
  best.hash = failure.hash;
  best.user_knobs = failure.user_knobs;
  std::set<std::string> tried = {start.text()};
  bool progress = true;
  while (progress && best.runs < shrink_options.max_runs) {
    progress = false;
    for (Knobs& candidate : candidates(options, best.knobs, best.user_knobs)) {
      if (!tried.insert(candidate.text()).second) continue;
      if (best.runs >= shrink_options.max_runs) break;
      ++best.runs;
      SeedReport r = run_seed(body, options, candidate);
      if (r.ok) continue;
      best.knobs = std::move(candidate);
      best.message = std::move(r.message);
      best.hash = r.hash;
      best.user_knobs = std::move(r.user_knobs);
      ++best.steps;
      progress = true;
      break;
    }
  }
  Options simplest = options;
  best.knobs.apply(simplest);
  best.mix = describe_mix(simplest);
  if (shrink_options.replay_line) best.replay = shrink_options.replay_line(best.seed, best.knobs);
  return best;
}

}  // namespace detio::sim

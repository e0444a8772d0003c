#include "options_check.h"

#include <fmt/format.h>

#include <cmath>
#include <string_view>

#include "detio/net/internal/link.h"
#include "detio/net/trace.h"

namespace detio::sim::internal {
namespace {

[[noreturn]] void bad(std::string_view what) { throw ValueError(fmt::format("sim::Options: {}", what)); }

void check_probability(double p, std::string_view name) {
  if (!(p >= 0 && p <= 1)) bad(fmt::format("{} must be a probability in [0, 1], got {}", name, p));
}

void check_non_negative(Duration d, std::string_view name) {
  if (d < Duration::zero()) bad(fmt::format("{} must be >= 0, got {}", name, net::format_duration(d)));
}

void check_range(Duration min, Duration max, std::string_view name) {
  check_non_negative(min, fmt::format("{}_min", name));
  if (min > max) {
    bad(fmt::format("{0}_min ({1}) must be <= {0}_max ({2})", name, net::format_duration(min),
                    net::format_duration(max)));
  }
}

void check_network(const net::NetworkOptions& n) {
  try {
    net::internal::check_link(n.loopback, "network.loopback");
    net::internal::check_link(n.remote, "network.remote");
  } catch (const ValueError& e) {
    bad(e.what());
  }
  if (n.receive_window == 0) bad("network.receive_window must be > 0");
  if (n.segment_size == 0) bad("network.segment_size must be > 0");
  check_non_negative(n.syn_timeout, "network.syn_timeout");
  if (n.syn_retries < 0) bad(fmt::format("network.syn_retries must be >= 0, got {}", n.syn_retries));
}

void check_faults(const net::FaultOptions& f) {
  check_probability(f.reset, "faults.reset");
  check_probability(f.delay, "faults.delay");
  check_probability(f.clog, "faults.clog");
  check_probability(f.partition, "faults.partition");
  check_probability(f.refuse, "faults.refuse");
  check_range(f.delay_min, f.delay_max, "faults.delay");
  check_range(f.clog_min, f.clog_max, "faults.clog");
  check_range(f.partition_min, f.partition_max, "faults.partition");
}

void check_explore(const ExploreOptions& e) {
  switch (e.ready_order) {
    case ReadyOrder::kFifo:
    case ReadyOrder::kRandom:
    case ReadyOrder::kPct: break;
    default: bad(fmt::format("explore.ready_order is not a ReadyOrder value: {}", static_cast<int>(e.ready_order)));
  }
  check_non_negative(e.timer_slack, "explore.timer_slack");
  if (e.pct_change_points < 0) bad(fmt::format("explore.pct_change_points must be >= 0, got {}", e.pct_change_points));
}

void check_inject(const InjectOptions& i) {
  check_probability(i.rate, "inject.rate");
  if (i.max_per_run < 0) bad(fmt::format("inject.max_per_run must be >= 0, got {}", i.max_per_run));
}

}  // namespace

void check_options(const Options& options) {
  check_network(options.network);
  check_faults(options.faults);
  check_explore(options.explore);
  check_inject(options.inject);
  check_probability(options.buggify, "buggify");
  if (options.budget.max_virtual_time) check_non_negative(*options.budget.max_virtual_time, "budget.max_virtual_time");
}

}  // namespace detio::sim::internal

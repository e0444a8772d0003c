#include "detio/sim/knobs.h"

#include <fmt/format.h>

#include <array>
#include <charconv>

#include "detio/errors.h"
#include "detio/sim/run.h"

namespace detio::sim {
namespace {

constexpr std::array<std::string_view, 18> kOptionKeys = {
    "faults",       "reset",        "delay",   "clog",     "partition", "refuse",    "inject",
    "inject_rate",  "inject_at",    "inject_tasks", "inject_spare", "early_timeouts", "ready", "pct_depth",
    "slack",        "coalesce",     "shuffle", "buggify"};

thread_local internal::KnobContext* current_context = nullptr;

std::optional<double> parse_double(std::string_view s) {
  double value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || !(value >= 0)) return std::nullopt;
  return value;
}

std::optional<std::int64_t> parse_int(std::string_view s) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return value;
}

std::optional<bool> parse_on_off(std::string_view s) {
  if (s == "on" || s == "1" || s == "true") return true;
  if (s == "off" || s == "0" || s == "false") return false;
  return std::nullopt;
}

Duration microseconds_or_off(std::string_view v) {
  return v == "off" ? Duration::zero() : Duration(std::chrono::microseconds(*parse_int(v)));
}

// Checks one key=value; an empty string if fine, else why not.
std::string check(std::string_view key, std::string_view value) {
  auto bad = [&](std::string_view want) { return fmt::format("knob {}={}: want {}", key, value, want); };
  if (key == "faults") return value == "off" || parse_double(value) ? "" : bad("off or a factor >= 0");
  if (key == "reset" || key == "delay" || key == "clog" || key == "partition" || key == "refuse" ||
      key == "inject_rate" || key == "buggify") {
    if (key == "buggify" && value == "off") return "";
    std::optional<double> p = parse_double(value);
    return p && *p <= 1 ? "" : bad("a probability in [0, 1]");
  }
  if (key == "inject") {
    std::optional<std::int64_t> n = parse_int(value);
    return n && *n >= 0 ? "" : bad("a bound >= 0");
  }
  if (key == "early_timeouts" || key == "shuffle") return parse_on_off(value) ? "" : bad("on or off");
  if (key == "ready") return value == "fifo" || value == "random" || value == "pct" ? "" : bad("fifo, random or pct");
  if (key == "inject_at") return value == "suspend" || value == "wakeup" ? "" : bad("suspend or wakeup");
  if (key == "inject_tasks" || key == "inject_spare") return "";  // any glob pattern
  if (key == "pct_depth") {
    std::optional<std::int64_t> n = parse_int(value);
    return n && *n >= 0 && *n <= 1000 ? "" : bad("a number of change points in [0, 1000]");
  }
  if (key == "slack" || key == "coalesce") {
    if (value == "off") return "";
    std::optional<std::int64_t> us = parse_int(value);
    return us && *us >= 0 ? "" : bad("microseconds >= 0");
  }
  return parse_int(value) ? "" : bad("an integer (a user knob)");
}

}  // namespace

bool is_option_knob(std::string_view key) noexcept {
  for (std::string_view k : kOptionKeys) {
    if (k == key) return true;
  }
  return false;
}

std::optional<Knobs> Knobs::parse(std::string_view text, std::string* error) {
  Knobs knobs;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t comma = text.find(',', pos);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view item = text.substr(pos, comma - pos);
    pos = comma + 1;
    if (item.empty()) continue;
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      if (error) *error = fmt::format("knob '{}': want key=value", item);
      return std::nullopt;
    }
    std::string why = check(item.substr(0, eq), item.substr(eq + 1));
    if (!why.empty()) {
      if (error) *error = std::move(why);
      return std::nullopt;
    }
    knobs.set(std::string(item.substr(0, eq)), std::string(item.substr(eq + 1)));
  }
  return knobs;
}

void Knobs::set(std::string key, std::string value) { values_[std::move(key)] = std::move(value); }

void Knobs::update(const Knobs& other) {
  for (const auto& [key, value] : other.values_) values_[key] = value;
}

void Knobs::erase(std::string_view key) {
  auto it = values_.find(key);
  if (it != values_.end()) values_.erase(it);
}

const std::string* Knobs::get(std::string_view key) const {
  auto it = values_.find(key);
  return it == values_.end() ? nullptr : &it->second;
}

std::string Knobs::text() const {
  std::string out;
  for (const auto& [key, value] : values_) {
    if (!out.empty()) out += ',';
    out += key + "=" + value;
  }
  return out;
}

void Knobs::apply(Options& options) const {
  for (const auto& [key, value] : values_) {
    std::string why = check(key, value);
    if (!why.empty()) throw ValueError(why);
  }
  net::FaultOptions& f = options.faults;
  if (const std::string* v = get("faults")) {
    const double factor = *v == "off" ? 0.0 : *parse_double(*v);
    for (double* rate : {&f.reset, &f.delay, &f.clog, &f.partition, &f.refuse}) *rate = std::min(1.0, *rate * factor);
  }
  if (const std::string* v = get("reset")) f.reset = *parse_double(*v);
  if (const std::string* v = get("delay")) f.delay = *parse_double(*v);
  if (const std::string* v = get("clog")) f.clog = *parse_double(*v);
  if (const std::string* v = get("partition")) f.partition = *parse_double(*v);
  if (const std::string* v = get("refuse")) f.refuse = *parse_double(*v);
  if (const std::string* v = get("inject")) {
    const std::int64_t n = *parse_int(*v);
    options.inject.cancel = n > 0;
    options.inject.max_per_run = static_cast<int>(std::min<std::int64_t>(n, 1 << 30));
  }
  if (const std::string* v = get("inject_rate")) options.inject.rate = *parse_double(*v);
  if (const std::string* v = get("inject_at")) options.inject.at = *v == "wakeup" ? InjectAt::kWakeup : InjectAt::kSuspend;
  if (const std::string* v = get("inject_tasks")) options.inject.tasks = *v;
  if (const std::string* v = get("inject_spare")) options.inject.spare_tasks = *v;
  if (const std::string* v = get("early_timeouts")) options.inject.early_timeouts = *parse_on_off(*v);
  if (const std::string* v = get("ready")) {
    options.explore.ready_order = *v == "fifo" ? ReadyOrder::kFifo : *v == "random" ? ReadyOrder::kRandom : ReadyOrder::kPct;
  }
  if (const std::string* v = get("pct_depth")) options.explore.pct_change_points = static_cast<int>(*parse_int(*v));
  if (const std::string* v = get("slack")) options.explore.timer_slack = microseconds_or_off(*v);
  if (const std::string* v = get("coalesce")) options.explore.timer_coalescing = microseconds_or_off(*v);
  if (const std::string* v = get("shuffle")) options.explore.shuffle_same_instant = *parse_on_off(*v);
  if (const std::string* v = get("buggify")) options.buggify = *v == "off" ? 0.0 : *parse_double(*v);
}

std::optional<std::int64_t> Knobs::user(std::string_view name) const {
  const std::string* v = get(name);
  if (!v || is_option_knob(name)) return std::nullopt;
  return parse_int(*v);
}

std::int64_t knob(std::string_view name, std::int64_t default_value) {
  internal::KnobContext* context = current_context;
  if (!context) return default_value;
  std::int64_t value = default_value;
  if (context->knobs) {
    if (std::optional<std::int64_t> v = context->knobs->user(name)) value = *v;
  }
  context->seen.emplace(std::string(name), value);
  return value;
}

std::int64_t switch_knob(std::string_view name, std::int64_t default_value) {
  internal::KnobContext* context = current_context;
  if (!context || !context->knobs) return default_value;
  return context->knobs->user(name).value_or(default_value);
}

namespace internal {

KnobScope::KnobScope(KnobContext& context) noexcept : previous_(current_context) { current_context = &context; }

KnobScope::~KnobScope() { current_context = previous_; }

}  // namespace internal

}  // namespace detio::sim

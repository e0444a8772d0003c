// Knobs: named overrides of a run's Options and of user parameters, written
// as "key=value,key=value" (the DETIO_SHRINK variable, detio-sweep --knobs,
// and the replay line of a shrunk failure). Applied after the seed's swarm
// choice, so `DETIO_SEED=n DETIO_SHRINK='faults=off,inject=1'` replays the
// simpler run exactly.
//
// Option keys (unknown keys with an integer value are user knobs):
//   faults=off | faults=<x>   all network faults off / every rate times x
//   reset=<p> delay=<p> clog=<p> partition=<p> refuse=<p>
//                             one fault rate (0 turns that kind off)
//   inject=<n>                cancellation injection bound per run
//                             (0: injection off; n > 0 turns it on)
//   inject_rate=<p>           probability per injection point
//   inject_at=suspend|wakeup  where injected cancels land (InjectAt)
//   early_timeouts=on|off     inject by expiring the innermost timeout
//   inject_tasks=<patterns>   aimed injection: only these tasks ...
//   inject_spare=<patterns>   ... and never these (task_pattern.h globs,
//                             e.g. 'worker-*|client?')
//   ready=fifo|random|pct     ready-queue order
//   pct_depth=<n>             PCT change points
//   slack=<microseconds>      timer slack (0: exact deadlines)
//   coalesce=<microseconds>   timer coalescing window (0: off)
//   shuffle=on|off            same-instant timer order from the seed
//   buggify=<fraction>|off    fraction of buggify() sites enabled
//   <name>=<integer>          a user knob, read with sim::knob(name, def)
//                             or sim::switch_knob(name, def)
//
// sim::knob(name, default) is how a test body exposes a size (operations,
// clients, items) to shrinking: it returns the knob's value if one is set
// for the current seed, else `default`, and the shrinker then tries smaller
// values. Outside a sweep it returns `default`. sim::switch_knob(name,
// default) reads a knob the same way, but shrinking never changes it: a
// variant switch ("fixed=1", "mode=2"), not a size.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace detio::sim {

struct Options;

class Knobs {
 public:
  // std::nullopt (and a reason in *error) for malformed text or a bad value.
  static std::optional<Knobs> parse(std::string_view text, std::string* error = nullptr);

  // Sets (or replaces) one key.
  void set(std::string key, std::string value);
  // Sets every key of `other`: its values win.
  void update(const Knobs& other);
  void erase(std::string_view key);
  const std::string* get(std::string_view key) const;
  bool empty() const noexcept { return values_.empty(); }
  // Canonical text: keys in sorted order, "key=value,key=value".
  std::string text() const;

  // Applies the option keys to `options` ("faults" before the per-kind
  // rates). Throws detio::ValueError for a malformed option value.
  void apply(Options& options) const;
  // A user knob's value, if set.
  std::optional<std::int64_t> user(std::string_view name) const;

  friend bool operator==(const Knobs&, const Knobs&) = default;

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

// Whether `key` is one of the option keys above (not a user knob).
bool is_option_knob(std::string_view key) noexcept;

// A user parameter: the current seed's knob value, else `default_value`.
// Inside a sweep it also tells the shrinker that `name` exists and what its
// unshrunk value is.
std::int64_t knob(std::string_view name, std::int64_t default_value);

// A user switch: the current seed's knob value, else `default_value`;
// never shrunk (the shrinker does not learn of it).
std::int64_t switch_knob(std::string_view name, std::int64_t default_value);

namespace internal {

// The knobs in force while a sweep runs one seed on this thread, and the
// user knobs the body asked for (name -> value it got).
struct KnobContext {
  const Knobs* knobs = nullptr;
  std::map<std::string, std::int64_t, std::less<>> seen;
};

// Installs `context` for the current thread until destroyed.
class KnobScope {
 public:
  explicit KnobScope(KnobContext& context) noexcept;
  KnobScope(const KnobScope&) = delete;
  ~KnobScope();

 private:
  KnobContext* previous_;
};

}  // namespace internal

}  // namespace detio::sim

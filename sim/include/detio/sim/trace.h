// What a simulation run did, with virtual timestamps: task spawns, steps,
// cancels and finishes, timers, network events, injected faults and user
// lines (sim::log). Every run keeps a 64-bit hash of its events (the
// determinism check compares it across processes); the events themselves
// are kept only when Options::trace points at a Trace to fill. A trace
// renders as text or as Chrome trace-event JSON (Perfetto, chrome://tracing)
// with one track per node and per task.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "detio/internal/trace_hash.h"
#include "detio/time.h"

namespace detio::sim {

namespace internal {
class NetworkTraceSink;
}

enum class TraceKind : std::uint8_t {
  kSpawn,
  kStep,
  kCancel,
  kFinish,
  kTimer,
  kNet,
  kFault,
  kInjection,
  kLog,
};

std::string_view to_string(TraceKind kind) noexcept;

struct TraceEvent {
  TimePoint time{};
  TraceKind kind = TraceKind::kLog;
  std::uint32_t node = 0;
  std::uint64_t task = 0;  // task number (Task-N), 0 if none
  std::string detail;
};

class Trace {
 public:
  // Keeps events (not only the hash) when `keep_events`; steps are only
  // hashed unless `keep_steps` too (they are many).
  explicit Trace(bool keep_events = true, bool keep_steps = false)
      : keep_events_(keep_events), keep_steps_(keep_steps) {}

  // Inline: every task step of every run is recorded (hashed).
  void record(TimePoint time, TraceKind kind, std::uint32_t node, std::uint64_t task, std::string_view detail) {
    detio::internal::trace_mix(hash_, static_cast<std::uint64_t>(time.time_since_epoch().count()));
    detio::internal::trace_mix(hash_, (static_cast<std::uint64_t>(kind) << 32) | node);
    detio::internal::trace_mix(hash_, task);
    ++count_;
    if (!detail.empty()) [[unlikely]] {
      record_detail(time, kind, node, task, detail);
    } else if (keep_events_ && (keep_steps_ || kind != TraceKind::kStep)) {
      keep(time, kind, node, task, detail);
    }
  }
  // False for a hash-only trace: callers skip formatting details.
  bool keeps_events() const noexcept { return keep_events_; }
  bool keeps_steps() const noexcept { return keep_events_ && keep_steps_; }
  void set_node_name(std::uint32_t node, std::string name) { node_names_[node] = std::move(name); }
  void set_task_name(std::uint64_t task, std::string name) { task_names_[task] = std::move(name); }
  void clear();

  std::uint64_t hash() const noexcept { return hash_; }
  // The number of events hashed, steps included; events().size() is the
  // number kept (no steps unless asked, plus the network's own events).
  std::size_t size() const noexcept { return count_; }
  const std::vector<TraceEvent>& events() const noexcept { return events_; }
  std::string node_name(std::uint32_t node) const;
  std::string task_name(std::uint64_t task) const;

  // One line per event: "[   0.012000s] db1 Task-3 spawn ...".
  std::string text() const;
  // Chrome trace-event JSON.
  std::string chrome_json() const;

 private:
  // The simulated network's events, kept as they happen (their own hash
  // is recorded once at the end of the run: see trace_network.h).
  friend class internal::NetworkTraceSink;
  // record()'s rarer half, out of line: hashes the detail, keeps the event.
  void record_detail(TimePoint time, TraceKind kind, std::uint32_t node, std::uint64_t task, std::string_view detail);
  void keep(TimePoint time, TraceKind kind, std::uint32_t node, std::uint64_t task, std::string_view detail);
  void append_unhashed(TraceEvent event) {
    if (keep_events_) events_.push_back(std::move(event));
  }

  bool keep_events_;
  bool keep_steps_;
  std::uint64_t hash_ = detio::internal::kTraceHashSeed;
  std::size_t count_ = 0;
  std::vector<TraceEvent> events_;
  std::map<std::uint32_t, std::string> node_names_;
  std::map<std::uint64_t, std::string> task_names_;
};

// Adds a user line to the running simulation's trace (no-op outside one).
void log(std::string_view message);

// The running simulation's trace (hash always; events if recording).
// Throws RuntimeError outside a simulation.
Trace& current_trace();

}  // namespace detio::sim

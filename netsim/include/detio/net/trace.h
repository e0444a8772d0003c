// The network trace of a simulation run: one structured event per network
// happening (connect, accept, send, delivery, FIN, reset, refused,
// partition, heal, clog, kill, restart, ...) with its virtual time, and a
// text form, one line per event. The 64-bit hash (detio::internal::
// trace_mix over each event's fields: time, kind, connection, bytes, node,
// peer, detail) is the run's network fingerprint: same seed, same binary,
// same hash. It is kept even when the events are not: a run keeps them
// only when sim::Options::trace keeps events or NetworkOptions::keep_trace
// is set.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "detio/internal/trace_hash.h"
#include "detio/time.h"

namespace detio::net {

enum class EventKind : std::uint8_t {
  kSpawn,           // node: a node (process) started on host `node`
  kKill,            // node: killed
  kRestart,         // node: restarted
  kListen,          // node, bytes = port
  kUnlisten,        // node, bytes = port
  kConnect,         // node -> peer: SYN sent (detail: attempt)
  kSynLost,         // node -> peer: SYN lost (partition or host down)
  kAccept,          // node accepted from peer
  kConnected,       // node: SYN-ACK arrived, connect returns
  kRefused,         // node -> peer: no listener, RST
  kConnectTimeout,  // node -> peer: SYN retries exhausted
  kSend,            // node -> peer: bytes put on the wire
  kDeliver,         // node -> peer: bytes arrived at peer
  kFin,             // node -> peer: FIN sent
  kEof,             // node -> peer: FIN arrived at peer
  kReset,           // node -> peer: RST sent (detail: why)
  kResetIn,         // node -> peer: RST arrived at peer
  kClose,           // node: transport closed by its owner
  kPartition,       // node -x- peer
  kHeal,            // node -- peer (both empty: everything healed)
  kClog,            // node -- peer until detail
  kLoss,            // node -> peer: segment lost, retransmitted later
  kLink,            // node -- peer: link parameters changed
};

std::string_view to_string(EventKind kind) noexcept;

struct Event {
  TimePoint time{};
  EventKind kind{};
  std::string node;  // the host where it happens (the sender)
  std::string peer;  // the other host, if any
  std::uint64_t conn = 0;   // connection id (1, 2, ...), 0 if none
  std::uint64_t bytes = 0;  // payload size (or port, see EventKind)
  std::string detail;
};

// An event as the network reports it, borrowing its strings: hashing one
// copies nothing, and only a trace that keeps events makes an Event of it.
struct EventRef {
  TimePoint time{};
  EventKind kind{};
  std::string_view node;
  std::string_view peer;
  std::uint64_t conn = 0;
  std::uint64_t bytes = 0;
  std::string_view detail;
};

// "     1.000250000 deliver   main -> db1 c3 512B"
std::string format(const Event& event);
// Seconds with nanosecond digits: "     1.000250000".
std::string format_time(TimePoint t);
// "0.250000000s".
std::string format_duration(Duration d);

class Trace {
 public:
  explicit Trace(bool keep_events = true) noexcept : keep_(keep_events) {}

  void record(const EventRef& event);

  // Empty if the run was told not to keep events (the hash still counts).
  const std::vector<Event>& events() const noexcept { return events_; }
  std::vector<std::string> lines() const;
  std::string text() const;
  std::uint64_t hash() const noexcept { return hash_; }
  std::uint64_t size() const noexcept { return count_; }

 private:
  bool keep_;
  std::vector<Event> events_;
  std::uint64_t hash_ = detio::internal::kTraceHashSeed;
  std::uint64_t count_ = 0;
};

}  // namespace detio::net

// Settings of the simulated network (detio::sim::Options::network and
// ::faults): link latency, jitter and bandwidth, TCP-like buffer sizes, and
// the rates of random faults. Every random fault is drawn from the run's
// seed (stream "net.faults"); all rates default to 0, i.e. no faults.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

#include "detio/time.h"

namespace detio::net {

// One direction of a link between two hosts.
struct LinkParams {
  // One-way propagation delay.
  Duration latency{};
  // Extra delay per packet, uniform in [0, jitter]. Packets of one
  // connection never overtake each other.
  Duration jitter{};
  // Bytes per second shared by all connections on the link; 0: unlimited.
  std::uint64_t bandwidth = 0;
};

struct NetworkOptions {
  // Connections within one host.
  LinkParams loopback{.latency = std::chrono::microseconds(20), .jitter = {}, .bandwidth = 0};
  // Connections between hosts (override per pair with net::set_link).
  LinkParams remote{.latency = std::chrono::milliseconds(1),
                    .jitter = std::chrono::microseconds(200),
                    .bandwidth = 125'000'000};
  // Bytes a receiver accepts before acknowledging (its socket buffer): a
  // reader that stops reading stops the sender after this many bytes.
  std::size_t receive_window = 256 * 1024;
  // Largest chunk of bytes moved as one network event.
  std::size_t segment_size = 64 * 1024;
  // First SYN retransmission timeout; it doubles on every retry, and after
  // syn_retries retries connect fails with TimeoutError (Linux: 127 s).
  Duration syn_timeout = std::chrono::seconds(1);
  int syn_retries = 6;
  // Keep the network's events (sim::network_trace(), last_network_trace())
  // even when Options::trace does not ask for events. Off: a hash-only run
  // (a sweep) keeps only the network's hash and event count, which are the
  // same either way.
  bool keep_trace = false;
};

// Random faults, as probabilities per data segment sent between two
// different hosts (loopback traffic is never faulted), except `refuse`,
// which is per connection attempt between two different hosts.
struct FaultOptions {
  // The connection is reset (both ends get ConnectionResetError).
  double reset = 0;
  // The segment is lost and retransmitted: it (and everything behind it on
  // that connection) arrives this much later.
  double delay = 0;
  Duration delay_min = std::chrono::milliseconds(200);
  Duration delay_max = std::chrono::seconds(1);
  // The link between the two hosts is clogged (both directions hold their
  // packets) for a while.
  double clog = 0;
  Duration clog_min = std::chrono::milliseconds(10);
  Duration clog_max = std::chrono::milliseconds(500);
  // The two hosts are partitioned for a while, then healed.
  double partition = 0;
  Duration partition_min = std::chrono::milliseconds(100);
  Duration partition_max = std::chrono::seconds(2);

  // A connect to a listening port is refused anyway (a full backlog, a
  // server restarting): the client gets ConnectionRefusedError.
  double refuse = 0;

  bool any() const noexcept { return reset > 0 || delay > 0 || clog > 0 || partition > 0 || refuse > 0; }
};

}  // namespace detio::net

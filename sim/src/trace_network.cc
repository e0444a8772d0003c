#include "trace_network.h"

#include <fmt/format.h>

#include <utility>

namespace detio::sim::internal {
namespace {

// Partitions, clogs, lost segments and killed nodes are faults; the rest
// (including resets, which may be a peer's normal RST) is network traffic.
TraceKind kind_of(const net::EventRef& e) {
  switch (e.kind) {
    case net::EventKind::kPartition:
    case net::EventKind::kClog:
    case net::EventKind::kLoss:
    case net::EventKind::kKill:
      return TraceKind::kFault;
    default:
      return TraceKind::kNet;
  }
}

std::string describe(const net::EventRef& e) {
  std::string out(net::to_string(e.kind));
  out.append(" ").append(e.node);
  if (!e.peer.empty()) out.append(" -> ").append(e.peer);
  if (e.conn) out += fmt::format(" c{}", e.conn);
  if (e.kind == net::EventKind::kListen || e.kind == net::EventKind::kUnlisten) {
    out += fmt::format(" port {}", e.bytes);
  } else if (e.bytes) {
    out += fmt::format(" {}B", e.bytes);
  }
  if (!e.detail.empty()) out.append(" ").append(e.detail);
  return out;
}

}  // namespace

void NetworkTraceSink::record(const net::EventRef& event, net::internal::NodeId node) {
  if (run_trace_.keeps_events()) {
    // On the track of the node running on the event's host (the default
    // host's node 0 if none), named after its host.
    const std::uint32_t track = node == net::internal::kNoNode ? 0 : node;
    if (track != 0) run_trace_.set_node_name(track, std::string(event.node));
    run_trace_.append_unhashed(TraceEvent{event.time, kind_of(event), track, 0, describe(event)});
  }
  network_.record(event);
}

net::Trace NetworkTraceSink::finish(TimePoint end) {
  if (network_.size() != 0) {
    run_trace_.record(end, TraceKind::kNet, 0, 0,
                      fmt::format("network trace: {} events, hash {:016x}", network_.size(), network_.hash()));
  }
  return std::move(network_);
}

}  // namespace detio::sim::internal

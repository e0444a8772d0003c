#include "trace_network.h"

#include <fmt/format.h>

#include <set>
#include <stdexcept>
#include <vector>

#include "detio/net/internal/sim_network.h"

namespace detio::sim::internal {
namespace {

// The node a network event belongs to: its host's current incarnation (or
// the default host's node 0 if the host is unknown).
std::uint32_t node_of(const net::internal::SimNetwork& network, const std::string& host) {
  std::optional<net::internal::HostId> id = network.find_host(host);
  if (!id) return 0;
  const net::internal::NodeId node = network.host(*id).node;
  return node == net::internal::kNoNode ? 0 : node;
}

// Partitions, clogs, lost segments and killed nodes are faults; the rest
// (including resets, which may be a peer's normal RST) is network traffic.
TraceKind kind_of(const net::Event& e) {
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

std::string describe(const net::Event& e) {
  std::string out(net::to_string(e.kind));
  out += " " + e.node;
  if (!e.peer.empty()) out += " -> " + e.peer;
  if (e.conn) out += fmt::format(" c{}", e.conn);
  if (e.kind == net::EventKind::kListen || e.kind == net::EventKind::kUnlisten) {
    out += fmt::format(" port {}", e.bytes);
  } else if (e.bytes) {
    out += fmt::format(" {}B", e.bytes);
  }
  if (!e.detail.empty()) out += " " + e.detail;
  return out;
}

}  // namespace

void merge_network_trace(Trace& trace, const net::internal::SimNetwork& network, TimePoint end) {
  const net::Trace& net = network.trace();
  if (net.size() == 0) return;
  trace.record(end, TraceKind::kNet, 0, 0,
               fmt::format("network trace: {} events, hash {:016x}", net.size(), net.hash()));
  if (!trace.keeps_events()) return;
  std::vector<TraceEvent> events;
  events.reserve(net.events().size());
  for (const net::Event& e : net.events()) {
    events.push_back(TraceEvent{e.time, kind_of(e), node_of(network, e.node), 0, describe(e)});
  }
  trace.merge(std::move(events));
  // Name every node of the run after its host.
  std::set<std::uint32_t> nodes;
  for (const TraceEvent& e : trace.events()) nodes.insert(e.node);
  for (std::uint32_t node : nodes) {
    try {
      trace.set_node_name(node, network.host(network.node_host(node)).name);
    } catch (const std::out_of_range&) {
      // Not a network node: keep the default name.
    }
  }
}

}  // namespace detio::sim::internal

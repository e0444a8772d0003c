// The simulated nodes of a run (FoundationDB's simulated processes), owned
// by the Simulation as madsim's runtime owns its nodes. Each start of a
// process is a new incarnation with its own id, never reused: the core's
// OwnerId of its tasks and callbacks (the core only passes it on), so all
// that belongs to a killed incarnation can be found. Node 0 is the default
// host "main": running from the start, never killed. The network is told
// of every start and kill (net::internal::NodeEvents).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "detio/net/internal/node_events.h"

namespace detio::sim::internal {

using net::internal::NodeId;

class NodeTable {
 public:
  explicit NodeTable(net::internal::NodeEvents& network);
  NodeTable(const NodeTable&) = delete;

  // The latest incarnation of the node called `name`, if it ever started.
  std::optional<NodeId> find(std::string_view name) const;
  bool running(NodeId node) const { return node < nodes_.size() && nodes_[node].running; }
  // The node's name; "main" for an id it did not hand out.
  const std::string& name(NodeId node) const { return nodes_[node < nodes_.size() ? node : 0].name; }
  // A new incarnation of `name`, which must not be running.
  NodeId start(std::string_view name);
  // Marks `node` killed and tells the network; its tasks are the caller's.
  void kill(NodeId node);

 private:
  struct Node {
    std::string name;
    bool running = true;
  };

  net::internal::NodeEvents& network_;
  std::vector<Node> nodes_;                                // by id
  std::map<std::string, NodeId, std::less<>> latest_;  // by name
};

}  // namespace detio::sim::internal

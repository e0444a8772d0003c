#include "node_table.h"

namespace detio::sim::internal {

NodeTable::NodeTable(net::internal::NodeEvents& network) : network_(network) { start("main"); }

std::optional<NodeId> NodeTable::find(std::string_view name) const {
  auto it = latest_.find(name);
  if (it == latest_.end()) return std::nullopt;
  return it->second;
}

NodeId NodeTable::start(std::string_view name) {
  const auto node = static_cast<NodeId>(nodes_.size());
  // The network first: if it refuses the name, nothing is registered.
  if (latest_.contains(name)) {
    network_.node_restarted(node, name);
  } else {
    network_.node_created(node, name);
  }
  nodes_.push_back(Node{std::string(name)});
  latest_.insert_or_assign(std::string(name), node);
  return node;
}

void NodeTable::kill(NodeId node) {
  if (!running(node)) return;
  nodes_[node].running = false;
  network_.node_killed(node);
}

}  // namespace detio::sim::internal

// What the simulator runtime (sim/, which owns the nodes: their names,
// liveness and tasks) tells its network about them, as madsim's runtime
// tells its network plugin of node creation and reset. A node id is a new
// incarnation every time a process starts (the core's OwnerId of its tasks
// and callbacks); the network keeps only what it needs to route: which host
// each node runs on and whether the host is up.
#pragma once

#include <string_view>

#include "detio/net/internal/host.h"

namespace detio::net::internal {

class NodeEvents {
 public:
  // Node `node` starts on a new host called `name` (kSpawn in the trace).
  virtual void node_created(NodeId node, std::string_view name) = 0;
  // Node `node` starts on the existing host `name`, whose previous node
  // was killed: same address, free ports (kRestart in the trace).
  virtual void node_restarted(NodeId node, std::string_view name) = 0;
  // A crash: the node's listeners close and its connections are reset
  // (peers get RST); its sockets never call their protocols again.
  virtual void node_killed(NodeId node) = 0;

 protected:
  ~NodeEvents() = default;
};

}  // namespace detio::net::internal

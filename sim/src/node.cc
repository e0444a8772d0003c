#include "detio/sim/node.h"

#include <memory>
#include <vector>

#include "detio/errors.h"
#include "detio/internal/refcounted.h"
#include "detio/internal/task_state.h"
#include "detio/net/internal/sim_network.h"

namespace detio::sim {
namespace {

using net::internal::HostId;
using net::internal::NodeId;
using net::internal::SimNetwork;

bool looks_like_address(std::string_view name) {
  return name.find_first_not_of("0123456789.") == std::string_view::npos || name.find(':') != std::string_view::npos;
}

void kill_tasks_of(NodeId node, const std::string& message);

// Ends, from the loop, the tasks of a killed node that could not be ended
// at once (the task that called kill_node on its own node).
struct Reaper : detio::internal::ReadyNode {
  Reaper(NodeId n, std::string m) : ReadyNode(&Reaper::fire), node(n), message(std::move(m)) {}
  static void fire(ReadyNode* n, Action a) {
    std::unique_ptr<Reaper> self(static_cast<Reaper*>(n));
    if (a == Action::kRun) kill_tasks_of(self->node, self->message);
  }
  NodeId node;
  std::string message;
};

void kill_tasks_of(NodeId node, const std::string& message) {
  detio::internal::LoopCore& loop = detio::internal::running_loop();
  std::vector<detio::internal::Ref<detio::internal::TaskStateBase>> victims;
  loop.tasks().for_each([&](detio::internal::TaskRegistryEntry* e) {
    if (e->task->node() == node) victims.emplace_back(e->task);
  });
  bool deferred = false;
  for (auto& task : victims) {
    if (task.get() == loop.current_task()) {
      task->cancel_task(message);
      deferred = true;
    } else {
      task->kill(message);
    }
  }
  // Its pending call_soon/call_later callbacks die with it too.
  loop.release_owned_of(node);
  if (deferred) loop.call_soon(new Reaper(node, message));
}

}  // namespace

TaskHandle<void> spawn_node(std::string name, Task<void> main) {
  SimNetwork& net = SimNetwork::running("sim::spawn_node");
  if (name.empty() || looks_like_address(name) || name == "localhost") {
    throw ValueError("sim::spawn_node: '" + name + "' is not a valid node name");
  }
  // Checked before the node is registered: a failed spawn leaves no trace.
  if (!main.valid()) throw InvalidStateError("sim::spawn_node: empty or already awaited detio::Task");
  std::optional<HostId> host = net.find_host(name);
  const bool restart = host.has_value();
  if (host && net.node_alive(net.host(*host).node)) {
    throw RuntimeError("sim::spawn_node: node '" + name + "' is already running");
  }
  if (!host) host = net.add_host(name);
  const NodeId node = net.start_node(*host, restart ? net::EventKind::kRestart : net::EventKind::kSpawn);
  auto* state = new detio::internal::TaskState<void>(std::move(main));
  TaskHandle<void> handle(state);
  state->start_on_node(detio::internal::running_loop(), std::move(name), node);
  return handle;
}

void kill_node(std::string_view name) {
  SimNetwork& net = SimNetwork::running("sim::kill_node");
  const HostId host = net.host_id(name);
  const NodeId node = net.host(host).node;
  if (node == 0) throw ValueError("sim::kill_node: the default host 'main' cannot be killed");
  if (!net.node_alive(node)) return;
  net.kill_node(node);
  kill_tasks_of(node, "node " + std::string(name) + " was killed");
}

TaskHandle<void> restart_node(std::string name, Task<void> main) {
  SimNetwork::running("sim::restart_node");  // names this call, not a helper, outside a sim run
  if (node_running(name)) kill_node(name);
  return spawn_node(std::move(name), std::move(main));
}

bool node_running(std::string_view name) {
  SimNetwork& net = SimNetwork::running("sim::node_running");
  std::optional<HostId> host = net.find_host(name);
  return host && net.node_alive(net.host(*host).node);
}

std::string current_node() {
  SimNetwork& net = SimNetwork::running("sim::current_node");
  const NodeId node = net.current_node();
  if (node >= net.node_count()) return net.host(0).name;
  return net.host(net.node_host(node)).name;
}

}  // namespace detio::sim

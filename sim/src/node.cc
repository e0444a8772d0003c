#include "detio/sim/node.h"

#include <memory>
#include <optional>
#include <vector>

#include "detio/errors.h"
#include "detio/internal/refcounted.h"
#include "detio/internal/task_state.h"
#include "detio/net/internal/sim_network.h"
#include "detio/sim/run.h"
#include "node_table.h"

namespace detio::sim {
namespace {

using internal::NodeId;
using internal::NodeTable;
using internal::Simulation;

bool looks_like_address(std::string_view name) {
  return name.find_first_not_of("0123456789.") == std::string_view::npos || name.find(':') != std::string_view::npos;
}

// The latest node of the host called (or addressed) `name`.
std::optional<NodeId> find_node(Simulation& sim, std::string_view name) {
  if (std::optional<NodeId> node = sim.nodes().find(name)) return node;
  std::optional<net::internal::HostId> host = sim.network().find_host(name);
  if (!host) return std::nullopt;
  return sim.nodes().find(sim.network().host(*host).name);
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
    if (e->task()->owner() == node) victims.emplace_back(e->task());
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
  Simulation& sim = Simulation::running("sim::spawn_node");
  if (name.empty() || looks_like_address(name) || name == "localhost") {
    throw ValueError("sim::spawn_node: '" + name + "' is not a valid node name");
  }
  // Checked before the node is registered: a failed spawn leaves no trace.
  if (!main.valid()) throw InvalidStateError("sim::spawn_node: empty or already awaited detio::Task");
  std::optional<NodeId> previous = sim.nodes().find(name);
  if (previous && sim.nodes().running(*previous)) {
    throw RuntimeError("sim::spawn_node: node '" + name + "' is already running");
  }
  const NodeId node = sim.nodes().start(name);
  auto* state = new detio::internal::TaskState<void>(std::move(main));
  TaskHandle<void> handle(state);
  state->start_owned_by(sim.loop(), std::move(name), node);
  return handle;
}

void kill_node(std::string_view name) {
  Simulation& sim = Simulation::running("sim::kill_node");
  std::optional<NodeId> node = find_node(sim, name);
  if (!node) throw ValueError("unknown simulated host '" + std::string(name) + "'");
  if (*node == detio::internal::kDefaultOwner) {
    throw ValueError("sim::kill_node: the default host 'main' cannot be killed");
  }
  if (!sim.nodes().running(*node)) return;
  sim.nodes().kill(*node);
  kill_tasks_of(*node, "node " + std::string(name) + " was killed");
}

TaskHandle<void> restart_node(std::string name, Task<void> main) {
  Simulation::running("sim::restart_node");  // names this call, not a helper, outside a sim run
  if (node_running(name)) kill_node(name);
  return spawn_node(std::move(name), std::move(main));
}

bool node_running(std::string_view name) {
  Simulation& sim = Simulation::running("sim::node_running");
  std::optional<NodeId> node = find_node(sim, name);
  return node && sim.nodes().running(*node);
}

std::string current_node() {
  Simulation& sim = Simulation::running("sim::current_node");
  return sim.nodes().name(sim.loop().current_owner());
}

}  // namespace detio::sim

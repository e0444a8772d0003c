// Simulated processes (FoundationDB's simulated machines). spawn_node(name,
// main) starts `main` as a process on its own host `name` (address
// 10.0.0.N, reachable by name or address; the default host is "main").
// Every task the process creates, and every task created from its sockets'
// callbacks, belongs to it.
//
// kill_node(name) is a crash: the node's listeners close, its connections
// are reset (peers get ConnectionResetError), and its tasks end as cancelled
// without ever being resumed (their frames are destroyed, so destructors run
// but no code after an await does). If kill_node is called from one of the
// node's own tasks, that task is cancelled and ended on the next loop
// iteration; its I/O is already dead. Call it from tasks, not from Protocol
// callbacks. restart_node(name, main) is kill_node (if running) + a fresh
// process on the same host, address and (free again) ports.
#pragma once

#include <string>
#include <string_view>

#include "detio/task.h"
#include "detio/task_handle.h"

namespace detio::sim {

// Starts a node. Throws RuntimeError if a node by that name is running or
// outside a sim run, ValueError for a name that is empty or an address.
TaskHandle<void> spawn_node(std::string name, Task<void> main);

// Crashes a running node; does nothing if it is not running. Throws
// ValueError for an unknown name or the default host "main".
void kill_node(std::string_view name);

// kill_node (if running), then spawn_node on the same host.
TaskHandle<void> restart_node(std::string name, Task<void> main);

// Whether the node by that name is running (false for unknown names).
bool node_running(std::string_view name);

// The host name of the running task's node ("main" for the default host).
std::string current_node();

}  // namespace detio::sim

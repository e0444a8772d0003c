// A simulated machine and the processes (nodes) that run on it. A host keeps
// its name, address and listening ports across restarts; each start of a
// process on it is a new node id (an incarnation), so everything tied to a
// killed incarnation (tasks, sockets, listeners) can be found by id.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <string>

namespace detio::net::internal {

using HostId = std::uint32_t;
using NodeId = std::uint32_t;
inline constexpr NodeId kNoNode = std::numeric_limits<NodeId>::max();

class SimListener;

struct Host {
  HostId id = 0;
  std::string name;
  std::string address;  // 10.0.x.y
  NodeId node = kNoNode;  // the last incarnation, kNoNode if never started
  bool up = false;        // `node` is running (not killed)
  std::map<std::uint16_t, SimListener*> ports;
  // The host's Unix-domain socket paths: only its own nodes reach them.
  std::map<std::string, SimListener*, std::less<>> unix_paths;
  std::uint16_t next_ephemeral = kFirstEphemeral;

  static constexpr std::uint16_t kFirstEphemeral = 49152;
};

// "10.0.0.1" for host 0, "10.0.0.2" for host 1, ...
std::string host_address(HostId id);

}  // namespace detio::net::internal

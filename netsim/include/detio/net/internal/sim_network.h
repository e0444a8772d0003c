// The simulated network: detio::Network for sim runs (FoundationDB's
// simulator as the network interface). It owns the hosts (names, addresses,
// ports), the directed links between hosts, every connection (both ends),
// the partitions; the simulator owns the nodes and tells the network of
// them (NodeEvents). It records its events into the run's trace
// (TraceSink). Packets are loop timers, so everything happens in virtual
// time, and every container it iterates is ordered by ids or names, so a
// run is a function of its seed.
//
// Lifetime: owned by the Simulation, created after the loop and destroyed
// after LoopCore::shutdown() has freed the tasks; on destruction it detaches
// every transport and listener still held by anyone (they become no-ops).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "detio/internal/loop_core.h"
#include "detio/internal/timer_heap.h"
#include "detio/net/internal/connection.h"
#include "detio/net/internal/endpoint.h"
#include "detio/net/internal/host.h"
#include "detio/net/internal/link.h"
#include "detio/net/internal/listener.h"
#include "detio/net/internal/node_events.h"
#include "detio/net/internal/packet.h"
#include "detio/net/internal/trace_sink.h"
#include "detio/net/options.h"
#include "detio/net/stats.h"
#include "detio/net/trace.h"
#include "detio/internal/seeded_random.h"
#include "detio/transport.h"

namespace detio::net::internal {

class SimNetwork final : public Network, public NodeEvents {
 public:
  // `rng` draws jitter, `fault_rng` the random faults (separate streams, so
  // turning faults on does not shift the latencies); every event goes to
  // `trace`, which outlives the network.
  SimNetwork(detio::internal::LoopCore& loop, const NetworkOptions& options, const FaultOptions& faults,
             detio::internal::SeededRandom& rng, detio::internal::SeededRandom& fault_rng, TraceSink& trace);
  SimNetwork(const SimNetwork&) = delete;
  ~SimNetwork() override;

  // The network of the running loop if it is simulated, or nullptr.
  static SimNetwork* current() noexcept;
  // As current(), but throws RuntimeError outside a sim run.
  static SimNetwork& running(const char* what);

  // --- detio::Network ---
  Task<std::shared_ptr<Transport>> connect(std::string host, std::uint16_t port) override;
  Task<std::unique_ptr<Listener>> bind(std::string host, std::uint16_t port, int backlog,
                                         Acceptor& acceptor) override;
  Task<std::shared_ptr<Transport>> connect_unix(std::string path) override;
  Task<std::unique_ptr<Listener>> bind_unix(std::string path, int backlog, Acceptor& acceptor) override;

  // --- NodeEvents: the simulator's nodes ---
  // Host 0, the default host "main", is node_created(0) by the simulator.
  void node_created(NodeId node, std::string_view name) override;
  void node_restarted(NodeId node, std::string_view name) override;
  void node_killed(NodeId node) override;

  // --- hosts ---
  std::optional<HostId> find_host(std::string_view name_or_address) const;
  // As find_host, but throws ValueError for an unknown host.
  HostId host_id(std::string_view name_or_address) const;
  const Host& host(HostId id) const { return hosts_.at(id); }

  // --- faults (see detio/net/faults.h) ---
  void partition(HostId a, HostId b);
  void heal(HostId a, HostId b);
  void heal_all();
  void clog(HostId a, HostId b, Duration d);
  void lose_packets(HostId a, HostId b, Duration rto);
  std::size_t reset_between(HostId a, HostId b);
  bool reset_connection(std::uint64_t id);
  void set_link(HostId a, HostId b, const LinkParams& params);

  // --- used by endpoints and listeners ---
  detio::internal::LoopCore& loop() const noexcept { return loop_; }
  const NetworkOptions& options() const noexcept { return options_; }
  void record(EventKind kind, HostId node, std::optional<HostId> peer, std::uint64_t conn = 0,
              std::uint64_t bytes = 0, std::string_view detail = {});
  // Times `packet` on the link from `from` to its peer, applies random
  // faults, traces it, and queues it on `from`.
  void send(SimEndpoint& from, Packet packet, std::string detail = "");
  // Until when packets from `from` to `to` are held: TimePoint::max() while
  // partitioned, the end of a clog, or a past time if they may pass.
  TimePoint hold_until(HostId from, HostId to);
  // Hands a packet that reached the front of `from`'s queue to `to`, on
  // behalf of `to`'s node.
  void deliver(SimEndpoint& from, SimEndpoint& to, Packet packet);
  // The SYN of `server`'s connection arrived: accept or refuse.
  void on_syn(SimEndpoint& server, const Connection& conn);
  bool partitioned(HostId a, HostId b) const;
  bool host_up(HostId h) const { return hosts_.at(h).up; }
  Link& link(HostId from, HostId to);
  // Frees the connection from the loop once both ends are finished.
  void schedule_reap(std::uint64_t conn);
  void unbind(SimListener& listener) noexcept;
  // A bound listener started listening (for the trace).
  void on_listen(const SimListener& listener);
  void forget(SimListener& listener) noexcept;

  Stats stats() const;

 private:
  struct AutoHeal {
    AutoHeal(SimNetwork* n, std::uint64_t i, HostId x, HostId y) : net(n), id(i), a(x), b(y) {}
    void fire();
    SimNetwork* net;
    std::uint64_t id;
    HostId a, b;
    detio::internal::MemberTimer<AutoHeal, &AutoHeal::fire> timer{this};
  };

  struct FaultDraw {
    bool reset = false;
    Duration partition_for{};
  };

  void reap();
  HostId add_host(std::string_view name);
  void start_node(NodeId node, HostId host, EventKind kind);
  // A connection between `src` (the caller, node `self`) and `dst`, its
  // server end not accepted yet; then dial() sends the SYN and waits.
  Connection& new_connection(HostId src, NodeId self, HostId dst);
  static Task<std::shared_ptr<Transport>> dial(std::shared_ptr<SimEndpoint> client);
  // The node of the running task or callback (LoopCore::current_owner());
  // OSError naming `call` if it is not running.
  NodeId calling_node(const char* call) const;
  SimListener* listener_for(const Host& host, const Connection& conn) const;
  FaultDraw random_faults(SimEndpoint& from, HostId src, HostId dst, TimePoint& arrival);
  void resume_stalled();
  void record_event(EventKind kind, std::string_view node, std::string_view peer, std::uint64_t conn,
                    std::uint64_t bytes, std::string_view detail, NodeId incarnation);
  std::optional<HostId> resolve(std::string_view name, HostId from, bool& loopback) const;
  bool binds_to(std::string_view name, HostId host) const;
  std::uint16_t ephemeral_port(HostId host);
  static std::pair<HostId, HostId> ordered(HostId a, HostId b) { return a < b ? std::pair{a, b} : std::pair{b, a}; }

  detio::internal::LoopCore& loop_;
  NetworkOptions options_;
  FaultOptions faults_;
  detio::internal::SeededRandom& rng_;
  detio::internal::SeededRandom& fault_rng_;

  std::vector<Host> hosts_;
  std::map<std::string, HostId, std::less<>> host_by_name_;
  std::map<NodeId, HostId> node_hosts_;  // every node ever started
  // links_[from][to], made on first use: one lookup per packet is two
  // indexings (a Link's address is stable, it is never removed).
  std::vector<std::vector<std::unique_ptr<Link>>> links_;
  std::set<std::pair<HostId, HostId>> partitions_;
  std::map<std::uint64_t, std::unique_ptr<Connection>> connections_;
  std::map<std::uint64_t, SimListener*> listeners_;
  std::map<std::uint64_t, std::unique_ptr<AutoHeal>> auto_heals_;
  std::set<std::uint64_t> reap_candidates_;
  detio::internal::MemberCallback<SimNetwork, &SimNetwork::reap> reap_cb_{this};
  std::uint64_t next_conn_id_ = 1;
  std::uint64_t next_listener_id_ = 1;
  std::uint64_t next_heal_id_ = 1;
  TraceSink& trace_;
};

// Runs a loop callback on behalf of a node: tasks it creates belong to it.
class NodeScope : public detio::internal::OwnerScope {
 public:
  NodeScope(detio::internal::LoopCore& loop, NodeId node) noexcept
      : OwnerScope(loop, node == kNoNode ? detio::internal::kDefaultOwner : node) {}
};

}  // namespace detio::net::internal

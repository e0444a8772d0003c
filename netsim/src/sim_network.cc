#include "detio/net/internal/sim_network.h"

#include <algorithm>

#include "detio/errors.h"
#include "detio/internal/future_awaiter.h"
#include "detio/internal/unix_path.h"

namespace detio::net::internal {
namespace {

bool is_wildcard(std::string_view name) { return name.empty() || name == "0.0.0.0" || name == "::"; }
bool is_loopback(std::string_view name) { return name == "localhost" || name == "127.0.0.1" || name == "::1"; }

// Latencies and fault delays may be as large as Duration::max() ("never").
TimePoint after(TimePoint t, Duration d) noexcept { return detio::internal::deadline_after(t, d); }

}  // namespace

SimNetwork::SimNetwork(detio::internal::LoopCore& loop, const NetworkOptions& options, const FaultOptions& faults,
                       detio::internal::SeededRandom& rng, detio::internal::SeededRandom& fault_rng,
                       TraceSink& trace)
    : loop_(loop),
      options_(options),
      faults_(faults),
      rng_(rng),
      fault_rng_(fault_rng),
      trace_(trace) {}

SimNetwork::~SimNetwork() {
  reap_cb_.unlink();
  for (auto& [id, conn] : connections_) {
    for (auto& end : conn->ends) end->detach();
  }
  connections_.clear();
  for (auto& [id, listener] : listeners_) listener->detach();
  listeners_.clear();
  auto_heals_.clear();
  if (loop_.network() == this) loop_.set_network(nullptr);
}

SimNetwork* SimNetwork::current() noexcept {
  detio::internal::LoopCore* loop = detio::internal::LoopCore::current();
  return loop ? dynamic_cast<SimNetwork*>(loop->network()) : nullptr;
}

SimNetwork& SimNetwork::running(const char* what) {
  SimNetwork* network = current();
  if (!network) throw RuntimeError(std::string(what) + " must be called inside detio::sim::run");
  return *network;
}

// --- hosts and nodes ---------------------------------------------------------

std::optional<HostId> SimNetwork::find_host(std::string_view name) const {
  if (auto it = host_by_name_.find(name); it != host_by_name_.end()) return it->second;
  for (const Host& h : hosts_) {
    if (h.address == name) return h.id;
  }
  return std::nullopt;
}

HostId SimNetwork::host_id(std::string_view name) const {
  std::optional<HostId> h = find_host(name);
  if (!h) throw ValueError("unknown simulated host '" + std::string(name) + "'");
  return *h;
}

HostId SimNetwork::add_host(std::string_view name) {
  if (find_host(name)) throw ValueError("simulated host '" + std::string(name) + "' already exists");
  const auto id = static_cast<HostId>(hosts_.size());
  Host host;
  host.id = id;
  host.name = name;
  host.address = host_address(id);
  hosts_.push_back(std::move(host));
  host_by_name_.emplace(std::string(name), id);
  return id;
}

void SimNetwork::start_node(NodeId node, HostId host, EventKind kind) {
  node_hosts_.emplace(node, host);
  Host& h = hosts_.at(host);
  h.node = node;
  h.up = true;
  // The default host starts with the network: no event for it.
  if (node != detio::internal::kDefaultOwner) record(kind, host, std::nullopt, 0, 0, "node " + std::to_string(node));
}

void SimNetwork::node_created(NodeId node, std::string_view name) {
  start_node(node, add_host(name), EventKind::kSpawn);
}

void SimNetwork::node_restarted(NodeId node, std::string_view name) {
  start_node(node, host_id(name), EventKind::kRestart);
}

void SimNetwork::node_killed(NodeId node) {
  const HostId host = node_hosts_.at(node);
  Host& h = hosts_[host];
  if (h.node != node || !h.up) return;
  h.up = false;
  record(EventKind::kKill, host, std::nullopt, 0, 0, "node " + std::to_string(node));
  for (auto& [id, listener] : listeners_) {
    if (listener->node() == node && !listener->closed()) {
      listener->mark_closed();
      unbind(*listener);
    }
  }
  for (auto& [id, conn] : connections_) {
    for (auto& end : conn->ends) {
      if (end->node() == node) end->kill();
    }
  }
}

// --- detio::Network -------------------------------------------------------------

std::optional<HostId> SimNetwork::resolve(std::string_view name, HostId from, bool& loopback) const {
  loopback = false;
  if (is_loopback(name) || is_wildcard(name)) {
    loopback = true;
    return from;
  }
  return find_host(name);
}

bool SimNetwork::binds_to(std::string_view name, HostId host) const {
  if (is_wildcard(name) || is_loopback(name)) return true;
  std::optional<HostId> h = find_host(name);
  return h && *h == host;
}

std::uint16_t SimNetwork::ephemeral_port(HostId id) {
  Host& host = hosts_.at(id);
  for (int i = 0; i <= 65535 - Host::kFirstEphemeral; ++i) {
    const std::uint16_t port = host.next_ephemeral;
    host.next_ephemeral = port == 65535 ? Host::kFirstEphemeral : static_cast<std::uint16_t>(port + 1);
    if (!host.ports.contains(port)) return port;
  }
  throw OSError("[Errno 99] no free ephemeral port on " + host.name);
}

NodeId SimNetwork::calling_node(const char* call) const {
  const NodeId self = loop_.current_owner();
  auto it = node_hosts_.find(self);
  const bool running = it != node_hosts_.end() && hosts_[it->second].node == self && hosts_[it->second].up;
  if (!running) throw OSError(std::string(call) + ": the calling node is not running");
  return self;
}

Connection& SimNetwork::new_connection(HostId src, NodeId self, HostId dst) {
  auto owned = std::make_unique<Connection>();
  Connection& conn = *owned;
  conn.id = next_conn_id_++;
  connections_.emplace(conn.id, std::move(owned));
  conn.ends[0] = std::make_shared<SimEndpoint>(*this, conn, 0, src, self);
  conn.ends[1] = std::make_shared<SimEndpoint>(*this, conn, 1, dst, kNoNode);
  return conn;
}

Task<std::shared_ptr<Transport>> SimNetwork::dial(std::shared_ptr<SimEndpoint> client) {
  ConnectWait wait(client);
  client->start_connect(&wait);
  co_await detio::internal::FutureAwaiter(wait);
  co_return wait.take();
}

Task<std::shared_ptr<Transport>> SimNetwork::connect(std::string host, std::uint16_t port) {
  const NodeId self = calling_node("connect");
  const HostId src = node_hosts_.at(self);
  bool loopback = false;
  const std::optional<HostId> dst = resolve(host, src, loopback);
  if (!dst) throw OSError("[Errno -2] Name or service not known: '" + host + "'");

  Connection& conn = new_connection(src, self, *dst);
  conn.port = port;
  const std::uint16_t local_port = ephemeral_port(src);
  const std::string src_address = loopback ? "127.0.0.1" : hosts_[src].address;
  const std::string dst_address = loopback ? "127.0.0.1" : hosts_[*dst].address;
  conn.ends[0]->set_addresses({src_address, local_port}, {dst_address, port});
  conn.ends[1]->set_addresses({dst_address, port}, {src_address, local_port});
  co_return co_await dial(conn.ends[0]);
}

// A path of the caller's host only; the client's end is unnamed (""), as
// a connecting Unix socket on Linux. As there, a missing filesystem path is
// ENOENT, and an abstract name nobody holds is refused (by on_syn).
Task<std::shared_ptr<Transport>> SimNetwork::connect_unix(std::string path) {
  detio::internal::check_unix_path(path);
  const NodeId self = calling_node("connect");
  const HostId host = node_hosts_.at(self);
  if (!detio::internal::is_abstract_unix_path(path) && !hosts_[host].unix_paths.contains(path)) {
    throw OSError("[Errno 2] No such file or directory (connect to " + detio::internal::display_unix_path(path) + ")");
  }
  Connection& conn = new_connection(host, self, host);
  conn.unix_path = path;
  conn.ends[0]->set_addresses({"", 0}, {path, 0});
  conn.ends[1]->set_addresses({path, 0}, {"", 0});
  co_return co_await dial(conn.ends[0]);
}

// Never suspends: a simulated host's names need no resolver.
Task<std::unique_ptr<Listener>> SimNetwork::bind(std::string host, std::uint16_t port, int /*backlog*/,
                                                 Acceptor& acceptor) {
  const NodeId self = calling_node("listen");
  const HostId id = node_hosts_.at(self);
  if (!binds_to(host, id)) throw OSError("[Errno 99] Cannot assign requested address: '" + host + "'");
  Host& h = hosts_[id];
  if (port == 0) {
    port = ephemeral_port(id);
  } else if (h.ports.contains(port)) {
    throw OSError("[Errno 98] Address already in use: ('" + host + "', " + std::to_string(port) + ")");
  }
  auto listener = std::make_unique<SimListener>(*this, next_listener_id_++, id, self,
                                                SocketAddress{host.empty() ? "0.0.0.0" : host, port}, acceptor);
  h.ports[port] = listener.get();
  listeners_[listener->id()] = listener.get();
  co_return listener;
}

// As asyncio on a real host, a socket left at the path (even a running
// server's) is replaced: the old listener keeps running, unreachable.
Task<std::unique_ptr<Listener>> SimNetwork::bind_unix(std::string path, int /*backlog*/, Acceptor& acceptor) {
  detio::internal::check_unix_path(path);
  const NodeId self = calling_node("listen");
  const HostId id = node_hosts_.at(self);
  auto listener = std::make_unique<SimListener>(*this, next_listener_id_++, id, self, SocketAddress{path, 0}, acceptor,
                                                path);
  hosts_[id].unix_paths[path] = listener.get();
  listeners_[listener->id()] = listener.get();
  co_return listener;
}

namespace {

std::string listener_detail(const SimListener& listener) {
  return listener.unix_path().empty() ? "" : "path " + detio::internal::display_unix_path(listener.unix_path());
}

}  // namespace

void SimNetwork::on_listen(const SimListener& listener) {
  record(EventKind::kListen, listener.host(), std::nullopt, 0, listener.port(), listener_detail(listener));
}

void SimNetwork::unbind(SimListener& listener) noexcept {
  Host& host = hosts_[listener.host()];
  if (listener.unix_path().empty()) {
    auto it = host.ports.find(listener.port());
    if (it == host.ports.end() || it->second != &listener) return;
    host.ports.erase(it);
  } else {
    // Unlinked on close, unless another listener took the path since.
    auto it = host.unix_paths.find(listener.unix_path());
    if (it == host.unix_paths.end() || it->second != &listener) return;
    host.unix_paths.erase(it);
  }
  record(EventKind::kUnlisten, listener.host(), std::nullopt, 0, listener.port(), listener_detail(listener));
}

SimListener* SimNetwork::listener_for(const Host& host, const Connection& conn) const {
  if (conn.unix_path.empty()) {
    auto it = host.ports.find(conn.port);
    return it == host.ports.end() ? nullptr : it->second;
  }
  auto it = host.unix_paths.find(conn.unix_path);
  return it == host.unix_paths.end() ? nullptr : it->second;
}

void SimNetwork::forget(SimListener& listener) noexcept { listeners_.erase(listener.id()); }

// --- packets -----------------------------------------------------------------

Link& SimNetwork::link(HostId from, HostId to) {
  if (from >= links_.size()) links_.resize(from + std::size_t{1});
  std::vector<std::unique_ptr<Link>>& row = links_[from];
  if (to >= row.size()) row.resize(to + std::size_t{1});
  std::unique_ptr<Link>& l = row[to];
  if (!l) {
    l = std::make_unique<Link>();
    l->params = from == to ? options_.loopback : options_.remote;
  }
  return *l;
}

bool SimNetwork::partitioned(HostId a, HostId b) const { return a != b && partitions_.contains(ordered(a, b)); }

TimePoint SimNetwork::hold_until(HostId from, HostId to) {
  if (partitioned(from, to)) return TimePoint::max();
  return link(from, to).clogged_until;
}

void SimNetwork::send(SimEndpoint& from, Packet packet, std::string detail) {
  const HostId src = from.host();
  const HostId dst = from.peer()->host();
  Link& l = link(src, dst);
  const TimePoint now = loop_.now();
  const TimePoint depart = std::max(now, l.busy_until);
  TimePoint arrival = depart;
  if (packet.kind == Packet::Kind::kData) {
    l.busy_until = after(depart, serialization_time(packet.data.size(), l.params.bandwidth));
    arrival = l.busy_until;
  }
  arrival = after(arrival, l.params.latency);
  if (l.params.jitter > Duration::zero()) arrival = after(arrival, rng_.duration(Duration::zero(), l.params.jitter));
  FaultDraw fault;
  if (packet.kind == Packet::Kind::kData && src != dst && faults_.any()) fault = random_faults(from, src, dst, arrival);
  // TCP delivers in order: nothing overtakes what was sent before it.
  arrival = std::max(arrival, from.last_arrival());
  from.set_last_arrival(arrival);
  packet.arrival = arrival;

  const std::uint64_t conn = from.conn_id();
  switch (packet.kind) {
    case Packet::Kind::kData: record(EventKind::kSend, src, dst, conn, packet.data.size()); break;
    case Packet::Kind::kFin: record(EventKind::kFin, src, dst, conn); break;
    case Packet::Kind::kRst: record(EventKind::kReset, src, dst, conn, 0, detail); break;
    case Packet::Kind::kSyn: record(EventKind::kConnect, src, dst, conn, 0, detail); break;
    case Packet::Kind::kSynAck:
    case Packet::Kind::kAck: break;
  }
  from.enqueue(std::move(packet));

  if (fault.partition_for > Duration::zero() && !partitioned(src, dst)) {
    partition(src, dst);
    auto heal = std::make_unique<AutoHeal>(this, next_heal_id_++, src, dst);
    loop_.call_at(&heal->timer, after(now, fault.partition_for));
    auto_heals_.emplace(heal->id, std::move(heal));
  }
  if (fault.reset) reset_connection(conn);
}

SimNetwork::FaultDraw SimNetwork::random_faults(SimEndpoint& from, HostId src, HostId dst, TimePoint& arrival) {
  FaultDraw draw;
  detio::internal::SeededRandom& r = fault_rng_;
  if (r.chance(faults_.delay)) {
    const Duration extra = r.duration(faults_.delay_min, faults_.delay_max);
    arrival = after(arrival, extra);
    record(EventKind::kLoss, src, dst, from.conn_id(), 0, "retransmit after " + format_duration(extra));
  }
  if (r.chance(faults_.clog)) clog(src, dst, r.duration(faults_.clog_min, faults_.clog_max));
  if (r.chance(faults_.partition)) {
    draw.partition_for = std::max(r.duration(faults_.partition_min, faults_.partition_max), Duration(1));
  }
  draw.reset = r.chance(faults_.reset);
  return draw;
}

void SimNetwork::AutoHeal::fire() {
  SimNetwork* n = net;
  n->heal(a, b);
  n->auto_heals_.erase(id);  // destroys this
}

void SimNetwork::deliver(SimEndpoint& from, SimEndpoint& to, Packet packet) {
  switch (packet.kind) {
    case Packet::Kind::kData:
      record(EventKind::kDeliver, from.host(), to.host(), from.conn_id(), packet.data.size());
      break;
    case Packet::Kind::kFin: record(EventKind::kEof, from.host(), to.host(), from.conn_id()); break;
    case Packet::Kind::kRst: record(EventKind::kResetIn, from.host(), to.host(), from.conn_id()); break;
    default: break;
  }
  const NodeId node = to.node() != kNoNode ? to.node() : hosts_[to.host()].node;
  NodeScope scope(loop_, node);
  to.receive(std::move(packet));
}

void SimNetwork::on_syn(SimEndpoint& server, const Connection& conn) {
  SimEndpoint& client = *server.peer();
  Host& h = hosts_[server.host()];
  if (!h.up) {
    // Nobody answers for a dead host: the client's SYN retries run out.
    record(EventKind::kSynLost, client.host(), server.host(), server.conn_id(), 0, "host down");
    return;
  }
  SimListener* target = listener_for(h, conn);
  const bool listening = target && target->listening();
  // No draw when the rate is 0, so other faults' draws stay as they were.
  const bool refused = listening && faults_.refuse > 0 && client.host() != server.host() &&
                       fault_rng_.chance(faults_.refuse);
  const std::string where = conn.unix_path.empty() ? "port " + std::to_string(conn.port)
                                                    : "path " + detio::internal::display_unix_path(conn.unix_path);
  if (!listening || refused) {
    server.refuse((refused ? "refused (fault) on " : "no listener on ") + where);
    return;
  }
  SimListener& listener = *target;
  server.set_established();
  server.set_node(listener.node());
  record(EventKind::kAccept, server.host(), client.host(), server.conn_id(), 0, where);
  Packet syn_ack;
  syn_ack.kind = Packet::Kind::kSynAck;
  send(server, std::move(syn_ack));
  NodeScope scope(loop_, listener.node());
  listener.acceptor().accept(server.shared_from_this());
}

void SimNetwork::schedule_reap(std::uint64_t conn) {
  reap_candidates_.insert(conn);
  if (!reap_cb_.linked()) loop_.call_soon(&reap_cb_);
}

void SimNetwork::reap() {
  std::set<std::uint64_t> candidates;
  candidates.swap(reap_candidates_);
  for (std::uint64_t id : candidates) {
    auto it = connections_.find(id);
    if (it == connections_.end()) continue;
    Connection& conn = *it->second;
    const bool client_done = conn.ends[0]->finished();
    // A server end whose SYN never arrived goes with its client.
    const bool server_done = conn.ends[1]->finished() ||
                             (conn.ends[1]->phase() == SimEndpoint::Phase::kAwaitSyn && client_done);
    if (!client_done || !server_done) continue;
    for (auto& end : conn.ends) end->detach();
    connections_.erase(it);
  }
}

// --- faults ------------------------------------------------------------------

void SimNetwork::partition(HostId a, HostId b) {
  if (a == b) throw ValueError("cannot partition host '" + hosts_.at(a).name + "' from itself");
  if (partitions_.insert(ordered(a, b)).second) record(EventKind::kPartition, a, b);
}

void SimNetwork::heal(HostId a, HostId b) {
  if (partitions_.erase(ordered(a, b)) == 0) return;
  record(EventKind::kHeal, a, b);
  resume_stalled();
}

void SimNetwork::heal_all() {
  if (partitions_.empty()) return;
  partitions_.clear();
  record_event(EventKind::kHeal, "*", "", 0, 0, "all", kNoNode);
  resume_stalled();
}

void SimNetwork::resume_stalled() {
  const TimePoint now = loop_.now();
  for (auto& [id, conn] : connections_) {
    for (auto& end : conn->ends) {
      if (!end->stalled()) continue;
      const HostId to = end->peer()->host();
      if (partitioned(end->host(), to)) continue;
      // The next retransmission gets through one latency after the heal.
      end->unstall(after(now, link(end->host(), to).params.latency));
    }
  }
}

void SimNetwork::clog(HostId a, HostId b, Duration d) {
  if (a == b) throw ValueError("cannot clog host '" + hosts_.at(a).name + "' with itself");
  const TimePoint until = after(loop_.now(), d);
  for (auto [x, y] : {std::pair{a, b}, std::pair{b, a}}) {
    Link& l = link(x, y);
    l.clogged_until = std::max(l.clogged_until, until);
  }
  record(EventKind::kClog, a, b, 0, 0, "for " + format_duration(d));
}

void SimNetwork::lose_packets(HostId a, HostId b, Duration rto) {
  std::size_t lost = 0;
  for (auto& [id, conn] : connections_) {
    for (auto& end : conn->ends) {
      const HostId to = end->peer()->host();
      if (!((end->host() == a && to == b) || (end->host() == b && to == a))) continue;
      auto& out = end->outgoing();
      if (out.empty()) continue;
      for (Packet& p : out) p.arrival = after(p.arrival, rto);
      end->set_last_arrival(std::max(end->last_arrival(), out.back().arrival));
      lost += out.size();
      end->rearm();
    }
  }
  record(EventKind::kLoss, a, b, 0, 0, std::to_string(lost) + " packets, retransmit after " + format_duration(rto));
}

bool SimNetwork::reset_connection(std::uint64_t id) {
  auto it = connections_.find(id);
  if (it == connections_.end()) return false;
  Connection& conn = *it->second;
  if (conn.ends[1]->phase() == SimEndpoint::Phase::kAwaitSyn) return false;
  bool any = false;
  for (int side = 0; side < 2; ++side) {
    SimEndpoint& from = *conn.ends[side];
    if (conn.ends[1 - side]->lost()) continue;
    Packet rst;
    rst.kind = Packet::Kind::kRst;
    send(from, std::move(rst), "connection reset");
    any = true;
  }
  return any;
}

std::size_t SimNetwork::reset_between(HostId a, HostId b) {
  std::vector<std::uint64_t> ids;
  for (auto& [id, conn] : connections_) {
    const HostId x = conn->ends[0]->host();
    const HostId y = conn->ends[1]->host();
    if ((x == a && y == b) || (x == b && y == a)) ids.push_back(id);
  }
  std::size_t n = 0;
  for (std::uint64_t id : ids) n += reset_connection(id) ? 1 : 0;
  return n;
}

void SimNetwork::set_link(HostId a, HostId b, const LinkParams& params) {
  link(a, b).params = params;
  link(b, a).params = params;
  record(EventKind::kLink, a, b, 0, 0,
         "latency " + format_duration(params.latency) + " jitter " + format_duration(params.jitter) + " bandwidth " +
             std::to_string(params.bandwidth) + "B/s");
}

// --- trace and stats -----------------------------------------------------------

void SimNetwork::record(EventKind kind, HostId node, std::optional<HostId> peer, std::uint64_t conn,
                        std::uint64_t bytes, std::string_view detail) {
  const Host& host = hosts_.at(node);
  record_event(kind, host.name, peer ? std::string_view(hosts_.at(*peer).name) : std::string_view(), conn, bytes,
               detail, host.node);
}

void SimNetwork::record_event(EventKind kind, std::string_view node, std::string_view peer, std::uint64_t conn,
                              std::uint64_t bytes, std::string_view detail, NodeId incarnation) {
  trace_.record(EventRef{loop_.now(), kind, node, peer, conn, bytes, detail}, incarnation);
}

Stats SimNetwork::stats() const {
  Stats s;
  s.connections = connections_.size();
  for (const auto& [id, conn] : connections_) {
    for (const auto& end : conn->ends) {
      s.send_buffered += end->get_write_buffer_size();
      s.receive_buffered += end->receive_buffer_size();
      for (const Packet& p : end->outgoing()) s.in_flight += p.data.size();
    }
  }
  return s;
}

}  // namespace detio::net::internal

#include "detio/net/faults.h"

#include "detio/errors.h"
#include "detio/net/internal/link.h"
#include "detio/net/internal/sim_network.h"
#include "detio/net/trace.h"
#include "detio/net/stats.h"

namespace detio::net {
namespace {

using internal::HostId;
using internal::SimNetwork;

SimNetwork& network(const char* what) { return SimNetwork::running(what); }

}  // namespace

void partition(std::string_view a, std::string_view b) {
  SimNetwork& n = network("net::partition");
  n.partition(n.host_id(a), n.host_id(b));
}

void heal(std::string_view a, std::string_view b) {
  SimNetwork& n = network("net::heal");
  n.heal(n.host_id(a), n.host_id(b));
}

void heal() { network("net::heal").heal_all(); }

void clog(std::string_view a, std::string_view b, Duration d) {
  SimNetwork& n = network("net::clog");
  n.clog(n.host_id(a), n.host_id(b), d);
}

void lose_packets(std::string_view a, std::string_view b, Duration rto) {
  SimNetwork& n = network("net::lose_packets");
  if (rto < Duration::zero()) throw ValueError("net::lose_packets: rto must be >= 0, got " + format_duration(rto));
  n.lose_packets(n.host_id(a), n.host_id(b), rto);
}

std::size_t reset_connections(std::string_view a, std::string_view b) {
  SimNetwork& n = network("net::reset_connections");
  return n.reset_between(n.host_id(a), n.host_id(b));
}

bool reset_connection(std::uint64_t id) { return network("net::reset_connection").reset_connection(id); }

void set_link(std::string_view a, std::string_view b, const LinkParams& params) {
  SimNetwork& n = network("net::set_link");
  internal::check_link(params, "net::set_link: params");
  n.set_link(n.host_id(a), n.host_id(b), params);
}

Stats stats() { return network("net::stats").stats(); }

}  // namespace detio::net

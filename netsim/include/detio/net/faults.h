// Network fault control for simulation runs (FoundationDB's clogPair and
// friends). Hosts are named as for connect: a node name, an address
// (10.0.0.N), or "main" for the default host. Every call throws
// detio::RuntimeError outside a sim run and detio::ValueError for an unknown
// host. Faults act on the links between two different hosts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "detio/net/options.h"
#include "detio/time.h"

namespace detio::net {

// Cuts every packet between `a` and `b` (both directions) until healed.
// Established connections stall (TCP keeps retransmitting) and resume on
// heal; new connects lose their SYNs and retry.
void partition(std::string_view a, std::string_view b);
// Heals one pair / every partition.
void heal(std::string_view a, std::string_view b);
void heal();

// Holds every packet between `a` and `b` (both directions) for `d`.
void clog(std::string_view a, std::string_view b, Duration d);

// The packets now in flight between `a` and `b` are lost and arrive after
// a retransmission timeout `rto` (a TCP retransmit pause); order is kept.
void lose_packets(std::string_view a, std::string_view b, Duration rto = std::chrono::milliseconds(200));

// Resets every connection between `a` and `b` (either may be the client),
// as a middlebox RST would: both ends get ConnectionResetError. Returns how
// many connections were reset.
std::size_t reset_connections(std::string_view a, std::string_view b);
// Resets one connection by its trace id; false if it is already gone.
bool reset_connection(std::uint64_t id);

// Sets the link parameters between `a` and `b` (both directions).
void set_link(std::string_view a, std::string_view b, const LinkParams& params);

}  // namespace detio::net

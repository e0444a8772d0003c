// Folds the simulated network's own trace (net::Trace, kept by SimNetwork)
// into a run's sim::Trace when the run ends: the network trace's hash as
// one "net" event (so a run's trace hash covers its network traffic), and,
// when the sim trace keeps events, every network event (connect, send,
// deliver, reset, ...; partitions, clogs, losses and kills as "fault") at
// its virtual time on its host's track, with the nodes named after their
// hosts. Private to sim/src.
#pragma once

#include "detio/sim/trace.h"

namespace detio::net::internal {
class SimNetwork;
}

namespace detio::sim::internal {

void merge_network_trace(Trace& trace, const net::internal::SimNetwork& network, TimePoint end);

}  // namespace detio::sim::internal

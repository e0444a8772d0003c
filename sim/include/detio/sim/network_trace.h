// The network trace of a sim run (see detio/net/trace.h): every connect,
// accept, send, delivery, FIN, reset, partition, kill, ... with its virtual
// time. `trace.lines()` is the readable form, `trace.hash()` the run's
// network fingerprint; the same seed gives the same trace byte for byte.
#pragma once

#include "detio/net/trace.h"

namespace detio::sim {

// The running simulation's trace so far; RuntimeError outside a sim run.
const net::Trace& network_trace();

// The complete trace of the last sim run that ended on this thread (empty
// before the first). Valid until the next run ends.
const net::Trace& last_network_trace() noexcept;

}  // namespace detio::sim

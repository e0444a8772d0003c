// The one trace sink of a sim run's network (net::internal::TraceSink):
// every network event is hashed into the run's network fingerprint
// (net::Trace, as sim::network_trace() shows it), and kept only when the
// run asked for events: Options::trace keeping events (then it also joins
// that trace as it happens: connect, send, deliver, reset, ...; partitions,
// clogs, losses and kills as "fault", on the track of the node that runs
// on its host) or NetworkOptions::keep_trace. A hash-only run keeps none,
// and the run's trace hash is the same either way: finish() records the
// network's hash and count as one "net" event. Private to sim/src.
#pragma once

#include "detio/net/internal/trace_sink.h"
#include "detio/net/trace.h"
#include "detio/sim/trace.h"

namespace detio::sim::internal {

class NetworkTraceSink final : public net::internal::TraceSink {
 public:
  NetworkTraceSink(Trace& run_trace, bool keep_network_events)
      : run_trace_(run_trace), network_(keep_network_events || run_trace.keeps_events()) {}

  void record(const net::EventRef& event, net::internal::NodeId node) override;
  // The network's trace so far (its events if kept).
  const net::Trace& network() const noexcept { return network_; }
  // The run ends at `end`: the network's hash joins the run's trace; the
  // network's trace is handed over.
  net::Trace finish(TimePoint end);

 private:
  Trace& run_trace_;
  net::Trace network_;
};

}  // namespace detio::sim::internal

// Where a simulated network records its events: the one trace of the run
// it belongs to (the simulator implements it; netsim does not see sim/).
// The sink hashes every event and keeps it only if the run asked for
// events, so the network never decides what is kept.
#pragma once

#include "detio/net/internal/host.h"
#include "detio/net/trace.h"

namespace detio::net::internal {

class TraceSink {
 public:
  // `node` is the incarnation running on the event's host (kNoNode if
  // none was ever started there).
  virtual void record(const EventRef& event, NodeId node) = 0;

 protected:
  ~TraceSink() = default;
};

}  // namespace detio::net::internal

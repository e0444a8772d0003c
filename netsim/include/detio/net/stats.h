// A snapshot of the simulated network's memory: live connections and the
// bytes held in transport write buffers, on the wire, and in receive
// buffers of paused readers. Backpressure keeps all three bounded.
#pragma once

#include <cstddef>

namespace detio::net {

struct Stats {
  std::size_t connections = 0;
  std::size_t send_buffered = 0;
  std::size_t in_flight = 0;
  std::size_t receive_buffered = 0;
};

// The running simulation's network; RuntimeError outside a sim run.
Stats stats();

}  // namespace detio::net

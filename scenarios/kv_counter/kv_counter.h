// kv_counter: a networked counter service with exactly-once increments,
// written once against detio's asyncio-style API and run both in virtual
// time over the simulated network (nodes, faults, buggify) and on real
// sockets over 127.0.0.1.
//
// Protocol, one line per message: "INCR <key> <request-id>" -> "VAL <n>",
// "GET <key>" -> "VAL <n>". The server remembers every applied request id
// and answers a retry with the value it first produced, so a client that
// times out, loses its connection or is refused can resend safely.
//
// Invariants checked at the end of every run:
// - each counter equals the number of increments issued for it (none lost,
//   none applied twice), and the server applied each request id once; a
//   client cancelled mid-request (cancellation injection) leaves that one
//   increment in doubt: applied or not, never twice;
// - the values a client sees for its own increments of a key strictly grow.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "detio/task.h"

namespace kv_counter {

struct Config {
  int clients = 4;
  int increments_per_client = 25;
  int keys = 3;
  // Per-request deadline; a miss closes the connection and retries.
  std::int64_t request_timeout_ms = 300;
};

struct Report {
  int increments = 0;  // acknowledged, over all clients
  int retries = 0;     // requests sent again after a timeout or error
  std::map<std::string, int> issued;  // acknowledged increments per key
  // Increments whose client was cancelled before the answer: maybe applied.
  std::map<std::string, int> in_doubt;
  int cancelled_clients = 0;
  std::vector<std::string> violations;
};

// Under detio::sim::run: the server on node "kv", each client on its own
// node; faults come from the run's Options. Throws std::runtime_error
// listing the violations, if any.
detio::Task<Report> simulated(Config config);

// Under detio::run: server and clients on this loop over 127.0.0.1.
detio::Task<Report> on_real_sockets(Config config);

}  // namespace kv_counter

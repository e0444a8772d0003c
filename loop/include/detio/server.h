// detio::Server (asyncio.Server): a listening socket that runs the client
// callback as a new task for each accepted connection. A cheap handle;
// copies control the same server.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "detio/stream_reader.h"
#include "detio/stream_writer.h"
#include "detio/task.h"
#include "detio/transport.h"

namespace detio {

// Called once per accepted connection; may be move-only.
using ClientConnected = absl::AnyInvocable<Task<void>(StreamReader, StreamWriter)>;

namespace internal {
class ServerState;
}

class Server {
 public:
  explicit Server(std::shared_ptr<internal::ServerState> state) : state_(std::move(state)) {}

  // The port actually bound (useful after asking for port 0).
  std::uint16_t port() const;
  SocketAddress sockname() const;
  // asyncio's Server.sockets: the address of every listening socket (""
  // listens on 0.0.0.0 and ::); empty once closed.
  std::vector<SocketAddress> sockets() const;
  // Stops accepting; connections already accepted carry on.
  void close();
  // asyncio 3.13: close (flush, then FIN) / abort (drop what is queued,
  // RST) the transport of every connection whose handler is still running.
  // Their handlers' reads then see EOF, so a wait_closed() (or a cancelled
  // serve_forever()) that waits for them can end. Call close() first, or
  // new connections keep arriving.
  void close_clients();
  void abort_clients();
  // After close(): waits until every accepted connection's handler ended.
  Task<void> wait_closed();
  bool is_serving() const;
  // Listens and starts accepting (a server made with start_serving = false
  // is bound but refuses connections until then); skips one loop
  // iteration, as asyncio's does. Serving again after close() is not
  // possible (RuntimeError), as in asyncio.
  Task<void> start_serving();
  // Serves until cancelled, then closes the server.
  Task<void> serve_forever();

 private:
  std::shared_ptr<internal::ServerState> state_;
};

}  // namespace detio

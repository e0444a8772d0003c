// What a detio::Server handle points to: the listener, the client callback,
// and the count of running connection handlers (asyncio.Server).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "detio/internal/future_base.h"
#include "detio/server.h"
#include "detio/task_handle.h"

namespace detio::internal {

class StreamState;

class ServerState final : public Acceptor, public std::enable_shared_from_this<ServerState> {
 public:
  ServerState(ClientConnected callback, std::size_t limit);
  ServerState(const ServerState&) = delete;
  ~ServerState() override;

  // Binds without listening; start_serving() listens.
  Task<void> bind(std::string host, std::uint16_t port, int backlog);
  Task<void> bind_unix(std::string path, int backlog);
  void accept(std::shared_ptr<Transport> transport) override;

  SocketAddress address() const { return addresses_.front(); }
  const std::vector<SocketAddress>& addresses() const { return addresses_; }
  bool is_serving() const noexcept { return serving_; }
  bool is_closed() const noexcept { return !listener_; }
  void start_serving();
  void close();
  void close_clients();
  void abort_clients();
  static Task<void> start_serving_task(std::shared_ptr<ServerState> self);
  static Task<void> wait_closed(std::shared_ptr<ServerState> self);
  static Task<void> serve_forever(std::shared_ptr<ServerState> self);

 private:
  // A handler task ended: as asyncio's StreamReaderProtocol, report what
  // it raised and close its connection if it did not finish normally.
  void handler_done(std::uint64_t client, const TaskHandle<void>& handler, StreamState& stream);
  void handler_finished(std::uint64_t client);
  // The transports of the running handlers, in accept order.
  std::vector<std::shared_ptr<Transport>> client_transports() const;
  void wake_closed_waiters();

  ClientConnected callback_;
  std::size_t limit_;
  std::unique_ptr<Listener> listener_;
  std::vector<SocketAddress> addresses_;  // as listened on, kept after close()
  OwnerId owner_;  // its creator's: connection handlers run on its behalf
  bool serving_ = false;
  int active_handlers_ = 0;
  // The running handlers' transports, by accept number (ordered: closing
  // them is deterministic).
  std::map<std::uint64_t, std::shared_ptr<Transport>> clients_;
  std::uint64_t next_client_ = 0;
  WaiterList closed_waiters_;
  Waiter* serve_forever_ = nullptr;
};

}  // namespace detio::internal

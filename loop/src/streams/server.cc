#include "detio/internal/server_state.h"

#include <optional>

#include "detio/internal/argument_checks.h"
#include "detio/internal/future_awaiter.h"
#include "detio/internal/report_callback_error.h"
#include "detio/sleep.h"
#include "detio/streams.h"

namespace detio::internal {

ServerState::ServerState(ClientConnected callback, std::size_t limit)
    : callback_(std::move(callback)), limit_(limit), owner_(running_loop().current_owner()) {}

ServerState::~ServerState() = default;

Task<void> ServerState::bind(std::string host, std::uint16_t port, int backlog) {
  listener_ = co_await running_network().bind(std::move(host), port, backlog, *this);
  addresses_ = listener_->addresses();
}

Task<void> ServerState::bind_unix(std::string path, int backlog) {
  listener_ = co_await running_network().bind_unix(std::move(path), backlog, *this);
  addresses_ = listener_->addresses();
}

void ServerState::accept(std::shared_ptr<Transport> transport) {
  ++active_handlers_;
  const std::uint64_t client = next_client_++;
  clients_.emplace(client, transport);
  auto stream = std::make_shared<StreamState>(limit_);
  stream->attach(std::move(transport));
  // Handlers belong to the server's owner, whoever delivered the connection.
  OwnerScope scope(running_loop(), owner_);
  // The callback's coroutine is the handler task itself (no wrapper that
  // would catch and rethrow its CancelledError); a done callback does the
  // rest, as in asyncio.
  std::optional<TaskHandle<void>> handler;
  try {
    handler = create_task(callback_(StreamReader(stream), StreamWriter(stream)));
  } catch (...) {
    report_exception("unhandled exception in client_connected callback", std::current_exception());
    stream->transport()->close();
    handler_finished(client);
    return;
  }
  handler->add_done_callback([self = shared_from_this(), client, stream](const TaskHandle<void>& done) {
    self->handler_done(client, done, *stream);
  });
}

void ServerState::handler_done(std::uint64_t client, const TaskHandle<void>& handler, StreamState& stream) {
  handler_finished(client);
  if (handler.cancelled()) {
    stream.transport()->close();
    return;
  }
  if (std::exception_ptr error = handler.exception()) {
    report_exception("unhandled exception in client_connected callback", error);
    stream.transport()->close();
  }
}

void ServerState::handler_finished(std::uint64_t client) {
  clients_.erase(client);
  if (--active_handlers_ == 0 && is_closed()) wake_closed_waiters();
}

std::vector<std::shared_ptr<Transport>> ServerState::client_transports() const {
  std::vector<std::shared_ptr<Transport>> transports;
  transports.reserve(clients_.size());
  for (const auto& [client, transport] : clients_) transports.push_back(transport);
  return transports;
}

// On a copy: closing never runs a handler inline, but stays safe if it did.
void ServerState::close_clients() {
  for (const std::shared_ptr<Transport>& transport : client_transports()) transport->close();
}

void ServerState::abort_clients() {
  for (const std::shared_ptr<Transport>& transport : client_transports()) transport->abort();
}

void ServerState::wake_closed_waiters() {
  while (!closed_waiters_.empty()) wake_next(closed_waiters_);
}

void ServerState::start_serving() {
  if (is_closed()) throw RuntimeError("Server is closed");
  if (serving_) return;
  listener_->start_listening();
  serving_ = true;
}

void ServerState::close() {
  if (is_closed()) return;
  listener_->close();
  listener_.reset();
  serving_ = false;
  if (Waiter* w = std::exchange(serve_forever_, nullptr)) w->cancel("");
  if (active_handlers_ == 0) wake_closed_waiters();
}

Task<void> ServerState::start_serving_task(std::shared_ptr<ServerState> self) {
  self->start_serving();
  // asyncio skips one loop iteration here, "so that all add_reader go through".
  co_await sleep(Duration::zero());
}

Task<void> ServerState::wait_closed(std::shared_ptr<ServerState> self) {
  if (self->is_closed() && self->active_handlers_ == 0) co_return;
  static constexpr WaitKind kWaitKind = plain_wait("Server.wait_closed");
  Waiter waiter(&kWaitKind);
  self->closed_waiters_.push_back(&waiter);
  co_await FutureAwaiter(waiter);
}

Task<void> ServerState::serve_forever(std::shared_ptr<ServerState> self) {
  if (self->serve_forever_) throw RuntimeError("Server is already being awaited on serve_forever()");
  if (self->is_closed()) throw RuntimeError("Server is closed");
  self->start_serving();
  static constexpr WaitKind kWaitKind = plain_wait("Server.serve_forever");
  Waiter forever(&kWaitKind);
  self->serve_forever_ = &forever;
  std::exception_ptr cancelled;
  try {
    co_await FutureAwaiter(forever);
  } catch (const CancelledError&) {
    cancelled = std::current_exception();
  }
  if (self->serve_forever_ == &forever) self->serve_forever_ = nullptr;
  if (cancelled) {
    self->close();
    co_await wait_closed(self);
    // The original CancelledError, message included, as asyncio's bare `raise`.
    std::rethrow_exception(cancelled);
  }
}

Task<Server> start_server(ClientConnected callback, std::string host, std::int64_t port, int backlog,
                          std::size_t limit, bool start_serving) {
  check_host(host, "start_server");
  const std::uint16_t listen_port = checked_port(port, "start_server");
  // Checked here: the per-connection streams are made inside the library.
  check_limit(limit, "start_server");
  auto state = std::make_shared<ServerState>(std::move(callback), limit);
  co_await state->bind(host, listen_port, backlog);
  // Bound, not listening until start_serving (an early connect is refused),
  // as asyncio's create_server; it too then skips one loop iteration.
  if (start_serving) co_await ServerState::start_serving_task(state);
  co_return Server(std::move(state));
}

Task<Server> start_unix_server(ClientConnected callback, std::string path, int backlog, std::size_t limit,
                               bool start_serving) {
  check_limit(limit, "start_unix_server");
  auto state = std::make_shared<ServerState>(std::move(callback), limit);
  co_await state->bind_unix(std::move(path), backlog);
  if (start_serving) co_await ServerState::start_serving_task(state);
  co_return Server(std::move(state));
}

}  // namespace detio::internal

namespace detio {

std::uint16_t Server::port() const { return state_->address().port; }
SocketAddress Server::sockname() const { return state_->address(); }
std::vector<SocketAddress> Server::sockets() const {
  if (state_->is_closed()) return {};
  return state_->addresses();
}
void Server::close() { state_->close(); }
void Server::close_clients() { state_->close_clients(); }
void Server::abort_clients() { state_->abort_clients(); }
Task<void> Server::wait_closed() { return internal::ServerState::wait_closed(state_); }
bool Server::is_serving() const { return state_->is_serving(); }
Task<void> Server::start_serving() { return internal::ServerState::start_serving_task(state_); }
Task<void> Server::serve_forever() { return internal::ServerState::serve_forever(state_); }

namespace {

Connection streams_over(std::shared_ptr<Transport> transport, std::size_t limit) {
  auto state = std::make_shared<internal::StreamState>(limit);
  state->attach(std::move(transport));
  return Connection{StreamReader(state), StreamWriter(state)};
}

}  // namespace

Task<Connection> open_connection(std::string host, std::int64_t port, std::size_t limit) {
  internal::check_host(host, "open_connection");
  const std::uint16_t connect_port = internal::checked_port(port, "open_connection");
  internal::check_limit(limit, "open_connection");
  std::shared_ptr<Transport> transport = co_await running_network().connect(std::move(host), connect_port);
  co_return streams_over(std::move(transport), limit);
}

Task<Connection> open_unix_connection(std::string path, std::size_t limit) {
  internal::check_limit(limit, "open_unix_connection");
  std::shared_ptr<Transport> transport = co_await running_network().connect_unix(std::move(path));
  co_return streams_over(std::move(transport), limit);
}

}  // namespace detio

// asyncio's high-level streams entry points, on whichever backend runs the
// loop (simulated network or real sockets).
#pragma once

#include <cstdint>
#include <string>
#include <type_traits>

#include "detio/server.h"
#include "detio/stream_reader.h"
#include "detio/stream_writer.h"

namespace detio {

// asyncio's default StreamReader limit (64 KiB): readline/readuntil raise
// past it.
inline constexpr std::size_t kDefaultStreamLimit = internal::StreamState::kDefaultLimit;

struct Connection {
  StreamReader reader;
  StreamWriter writer;
};

// Connects to host:port: `auto [reader, writer] = co_await open_connection(...)`.
// ValueError for a port outside 0..65535, a host with an embedded NUL, or a
// limit of 0.
Task<Connection> open_connection(std::string host, std::int64_t port,
                                 std::size_t limit = kDefaultStreamLimit);

// Connects to a Unix-domain stream socket (asyncio.open_unix_connection):
// a filesystem path, or a Linux abstract name starting with '\0'. Under the
// simulator only a path of the caller's own host can be reached. OSError
// for a missing filesystem path (asyncio's FileNotFoundError) or one too
// long, ConnectionRefusedError if nothing listens there (or nobody holds
// the abstract name), ValueError for an empty path or a '\0' inside a
// filesystem path.
Task<Connection> open_unix_connection(std::string path, std::size_t limit = kDefaultStreamLimit);

namespace internal {
Task<Server> start_server(ClientConnected callback, std::string host, std::int64_t port, int backlog,
                          std::size_t limit, bool start_serving);
Task<Server> start_unix_server(ClientConnected callback, std::string path, int backlog, std::size_t limit,
                               bool start_serving);

inline Task<void> nothing_to_await() { co_return; }

// The callback as a ClientConnected: one returning void is wrapped.
template <class Callback>
ClientConnected client_connected(Callback callback) {
  static_assert(std::is_invocable_r_v<Task<void>, Callback&, StreamReader, StreamWriter> ||
                    std::is_invocable_r_v<void, Callback&, StreamReader, StreamWriter>,
                "start_server: the callback must take (StreamReader, StreamWriter) and return Task<void> or void");
  if constexpr (std::is_void_v<std::invoke_result_t<Callback&, StreamReader, StreamWriter>>) {
    auto plain = [callback = std::move(callback)](StreamReader r, StreamWriter w) mutable -> Task<void> {
      callback(std::move(r), std::move(w));
      return nothing_to_await();
    };
    return ClientConnected(std::move(plain));
  } else {
    return ClientConnected(std::move(callback));
  }
}
}  // namespace internal

// Listens on host:port (0 picks a free port; "" is every address) and runs
// `callback(reader, writer)` as a new task for each connection. The
// callback returns Task<void>, or void (asyncio's plain callable: it is
// called, and nothing is awaited). With start_serving = false the socket is
// bound but not listening: connects are refused until Server::start_serving(). ValueError (before listening) for a
// port outside 0..65535, a host with an embedded NUL, or a limit of 0.
template <class Callback>
Task<Server> start_server(Callback callback, std::string host, std::int64_t port, int backlog = 100,
                          std::size_t limit = kDefaultStreamLimit, bool start_serving = true) {
  return internal::start_server(internal::client_connected(std::move(callback)), std::move(host), port, backlog,
                                limit, start_serving);
}

// asyncio.start_unix_server: as start_server, on a Unix-domain path (see
// open_unix_connection). As asyncio, a socket file left at the path is
// replaced, and closing the server unlinks the path (3.13's
// cleanup_socket) unless another server took it since. The server's
// sockets() and the connections' "sockname"/"peername" are {path, 0}; a
// connecting socket is unnamed ("").
template <class Callback>
Task<Server> start_unix_server(Callback callback, std::string path, int backlog = 100,
                               std::size_t limit = kDefaultStreamLimit, bool start_serving = true) {
  return internal::start_unix_server(internal::client_connected(std::move(callback)), std::move(path), backlog,
                                     limit, start_serving);
}

}  // namespace detio

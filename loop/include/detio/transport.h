// The seam between streams and a backend's I/O (asyncio's Transport and
// Protocol, and FoundationDB's INetwork). The simulated network and the
// epoll backend each implement Transport, Listener and Network; the streams
// API (StreamReader, StreamWriter, Server) is written once on top of them.
// Everything here runs on the loop thread.
#pragma once

#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "detio/task.h"

namespace detio {

struct SocketAddress {
  std::string host;
  std::uint16_t port = 0;
  // "10.0.0.1:80", or "[::1]:80" for IPv6.
  std::string to_string() const;
  friend bool operator==(const SocketAddress&, const SocketAddress&) = default;
};

class Transport;

// Receives one connection's events (asyncio.Protocol). Events are delivered
// from the loop, never from inside a Transport call made by the protocol's
// owner, with one exception taken from asyncio: pause_writing() is called
// from inside write() when that write crosses the high watermark, so a
// drain() right after it waits.
class Protocol {
 public:
  virtual ~Protocol() = default;
  virtual void connection_made(Transport& transport) = 0;
  virtual void data_received(std::string_view data) = 0;
  // The peer sent FIN. Return true to keep our write side open.
  virtual bool eof_received() = 0;
  // The connection is gone: nullptr after a clean close, else the error
  // (ConnectionResetError, BrokenPipeError, ...). Delivered exactly once.
  virtual void connection_lost(std::exception_ptr error) = 0;
  // The write buffer rose above the high watermark (called inside write())
  // / fell to the low one (called from the loop).
  virtual void pause_writing() = 0;
  virtual void resume_writing() = 0;
};

// A connected byte stream (asyncio.Transport). Owned by the backend and
// shared with the streams; after connection_lost, or once the backend is
// gone, every call is a harmless no-op and is_closing() is true.
class Transport {
 public:
  virtual ~Transport() = default;
  // Queues bytes; never blocks. Watermarks drive pause/resume_writing.
  virtual void write(std::string_view data) = 0;
  virtual bool can_write_eof() const = 0;
  // Half-close: FIN after the queued bytes.
  virtual void write_eof() = 0;
  // Graceful close: flush queued bytes, then FIN; connection_lost follows.
  virtual void close() = 0;
  // Immediate close: drop queued bytes, RST the peer.
  virtual void abort() = 0;
  virtual bool is_closing() const = 0;
  virtual void pause_reading() = 0;
  virtual void resume_reading() = 0;
  virtual std::size_t get_write_buffer_size() const = 0;
  // asyncio defaults: high 64 KiB, low high/4.
  virtual void set_write_buffer_limits(std::size_t high, std::size_t low) = 0;
  virtual std::optional<SocketAddress> peername() const = 0;
  virtual std::optional<SocketAddress> sockname() const = 0;
  // The connected socket's file descriptor, while it is open; the
  // simulator has none (nullopt). Not to be read, written or closed by the
  // caller: the transport owns it (asyncio's TransportSocket).
  virtual std::optional<int> socket_fd() const { return std::nullopt; }
  // Whether the transport is reading (not paused, closing or lost).
  virtual bool is_reading() const = 0;
  // asyncio's get_write_buffer_limits(): {low, high}.
  virtual std::pair<std::size_t, std::size_t> get_write_buffer_limits() const = 0;

  // asyncio's get_extra_info(name, default), typed by what is asked for:
  // "peername" and "sockname" are addresses (a Unix socket's is its path,
  // port 0), "socket" is socket_fd(). An unknown name, or an entry the
  // transport does not have (a lost connection, the simulator's "socket"),
  // gives the default. Asking an address of the int form, or the fd of an
  // address form, throws ValueError.
  std::optional<SocketAddress> get_extra_info(std::string_view name) const;
  SocketAddress get_extra_info(std::string_view name, SocketAddress default_value) const;
  int get_extra_info(std::string_view name, int default_value) const;
  // Attaches the protocol and delivers connection_made(*this) at once.
  // Bytes, EOF or a loss that arrive before a protocol is attached are
  // kept and delivered (from the loop, not inline) after attaching.
  virtual void set_protocol(Protocol& protocol) = 0;
  // Stop delivering events to the protocol (its owner is going away).
  virtual void detach_protocol() = 0;
};

// Receives the connections a Listener accepts.
class Acceptor {
 public:
  virtual ~Acceptor() = default;
  // A new connection, with no protocol attached yet.
  virtual void accept(std::shared_ptr<Transport> transport) = 0;
};

// A bound socket (or one per address of a host) that accepts connections
// once start_listening() was called; until then a connect to it is refused,
// as to a socket that was bound but never listen()ed. Destroying it stops
// accepting.
class Listener {
 public:
  virtual ~Listener() = default;
  virtual SocketAddress address() const = 0;
  // Every bound address (one per socket); address() is the first.
  virtual std::vector<SocketAddress> addresses() const { return {address()}; }
  // listen(2): start accepting (a no-op if already listening). Throws
  // OSError if the system refuses.
  virtual void start_listening() = 0;
  virtual void close() = 0;
};

// The I/O half of a backend, reachable from the running loop.
class Network {
 public:
  virtual ~Network() = default;
  // Resolves `host` and connects; the caller then attaches its protocol
  // with set_protocol. Throws ConnectionRefusedError, OSError, or waits
  // (a partition: SYN retries) until the caller's timeout cancels it.
  virtual Task<std::shared_ptr<Transport>> connect(std::string host, std::uint16_t port) = 0;
  // Resolves `host` (off the loop thread on the real backend) and binds
  // each of its addresses ("" is every address) without listening yet;
  // port 0 picks a free port, the same for all of them (see
  // Listener::address). Throws OSError.
  virtual Task<std::unique_ptr<Listener>> bind(std::string host, std::uint16_t port, int backlog,
                                               Acceptor& acceptor) = 0;
  // bind(), then start_listening().
  Task<std::unique_ptr<Listener>> listen(std::string host, std::uint16_t port, int backlog, Acceptor& acceptor);

  // Unix-domain stream sockets. `path` is a filesystem path, or a Linux
  // abstract name when it starts with '\0' (see internal/unix_path.h for
  // the checks: ValueError, or OSError for a path too long). The simulator
  // keeps one namespace of paths per host: only that host's nodes reach
  // them. connect_unix throws OSError for a missing filesystem path and
  // ConnectionRefusedError for one bound but not listening (or an abstract
  // name nobody holds); bind_unix
  // replaces a socket left at the path, and its listener unlinks the path
  // when closed (if it is still its own), as asyncio does.
  virtual Task<std::shared_ptr<Transport>> connect_unix(std::string path) = 0;
  virtual Task<std::unique_ptr<Listener>> bind_unix(std::string path, int backlog, Acceptor& acceptor) = 0;
};

// The running loop's network; throws RuntimeError if its backend has none.
Network& running_network();

}  // namespace detio

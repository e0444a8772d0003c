#include "kv_counter.h"

#include <detio/detio.h>

#include <fmt/format.h>

#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace kv_counter {
namespace {

using namespace std::chrono_literals;
using detio::StreamReader;
using detio::StreamWriter;
using detio::Task;

constexpr std::uint16_t kPort = 7000;

// The server's state; std::map so that nothing depends on hash order.
struct Store {
  std::map<std::string, long> counters;
  std::map<std::string, long> applied;  // request id -> the value it produced
};

std::vector<std::string> words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// Answers one connection's requests until EOF. Buggify points stand for a
// slow server and for a crash between applying a request and answering it
// (the exactly-once hazard: the client must retry, the server must not
// apply twice).
Task<void> answer_requests(Store& store, StreamReader& reader, StreamWriter& writer) {
  while (true) {
    const std::string line = co_await reader.readline();
    if (line.empty()) break;
    const std::vector<std::string> w = words(line);
    std::string reply;
    if (w.size() == 3 && w[0] == "INCR") {
      auto [it, fresh] = store.applied.try_emplace(w[2], 0);
      if (fresh) it->second = ++store.counters[w[1]];
      reply = fmt::format("VAL {}\n", it->second);
    } else if (w.size() == 2 && w[0] == "GET") {
      reply = fmt::format("VAL {}\n", store.counters[w[1]]);
    } else {
      reply = "ERR\n";
    }
    if (detio::sim::buggify(0.05)) co_await detio::sleep(detio::sim::random().duration(1ms, 500ms));
    if (detio::sim::buggify(0.02)) co_return;  // applied, never answered
    writer.write(reply);
    co_await writer.drain();
  }
}

Task<void> serve_client(std::shared_ptr<Store> store, StreamReader reader, StreamWriter writer) {
  try {
    co_await answer_requests(*store, reader, writer);
  } catch (const detio::ConnectionError&) {
    // The client went away (reset): its next connection retries.
  }
  writer.close();
}

Task<detio::Server> start(std::shared_ptr<Store> store, std::string host, std::uint16_t port) {
  auto handler = [store](StreamReader r, StreamWriter w) { return serve_client(store, std::move(r), std::move(w)); };
  co_return co_await detio::start_server(handler, std::move(host), port);
}

Task<void> serve_forever(std::shared_ptr<Store> store, std::string host, std::uint16_t port) {
  detio::Server server = co_await start(std::move(store), std::move(host), port);
  co_await server.serve_forever();
}

// A client connection that reconnects on demand.
class Client {
 public:
  Client(std::string host, std::uint16_t port, Config config) : host_(std::move(host)), port_(port), config_(config) {}

  // Sends `request` until it gets an answer; returns the value.
  Task<long> call(std::string request, Report& report) {
    for (int attempt = 0;; ++attempt) {
      if (attempt > 0) {
        ++report.retries;
        co_await detio::sleep(std::min<detio::Duration>(attempt * 20ms, 500ms));
      }
      try {
        if (!conn_) conn_ = co_await detio::wait_for(detio::open_connection(host_, port_), 1s);
        conn_->writer.write(request);
        const std::string reply =
            co_await detio::wait_for(conn_->reader.readline(), std::chrono::milliseconds(config_.request_timeout_ms));
        const std::vector<std::string> w = words(reply);
        if (w.size() == 2 && w[0] == "VAL") co_return std::stol(w[1]);
        drop();  // EOF or garbage: a new connection for the retry
      } catch (const detio::TimeoutError&) {
        drop();
      } catch (const detio::ConnectionError&) {
        drop();
      } catch (const detio::OSError&) {
        drop();
      }
    }
  }

  void drop() {
    if (conn_) conn_->writer.close();
    conn_.reset();
  }

 private:
  std::string host_;
  std::uint16_t port_;
  Config config_;
  std::optional<detio::Connection> conn_;
};

std::string key_of(int n) { return fmt::format("k{}", n); }

// One client: its increments, spread over the keys, one at a time.
Task<void> client(std::string name, std::string host, std::uint16_t port, Config config, Report& report) {
  Client c(std::move(host), port, config);
  std::map<std::string, long> last_seen;
  for (int i = 0; i < config.increments_per_client; ++i) {
    const std::string key = key_of(static_cast<int>(detio::sim::random().uniform(0, config.keys - 1)));
    long value = 0;
    try {
      value = co_await c.call(fmt::format("INCR {} {}-{}\n", key, name, i), report);
    } catch (const detio::CancelledError&) {
      ++report.in_doubt[key];
      throw;
    }
    ++report.increments;
    ++report.issued[key];
    if (value <= last_seen[key]) {
      report.violations.push_back(fmt::format("{}: {} went from {} to {}", name, key, last_seen[key], value));
    }
    last_seen[key] = value;
  }
  c.drop();
}

// Reads every counter back and compares with what was issued.
Task<void> check(const std::string& host, std::uint16_t port, const Config& config, const Store& store,
                 Report& report) {
  const std::map<std::string, int> issued = report.issued;
  const std::map<std::string, int> in_doubt = report.in_doubt;
  auto count = [](const std::map<std::string, int>& m, const std::string& key) {
    const auto it = m.find(key);
    return it == m.end() ? 0 : it->second;
  };
  Client c(host, port, config);
  int total = 0, total_in_doubt = 0;
  for (int k = 0; k < config.keys; ++k) {
    const std::string key = key_of(k);
    const long value = co_await c.call(fmt::format("GET {}\n", key), report);
    const int expected = count(issued, key);
    const int doubt = count(in_doubt, key);
    total += expected;
    total_in_doubt += doubt;
    if (value < expected || value > expected + doubt) {
      report.violations.push_back(fmt::format("{} is {} but {} increments were issued ({} in doubt)", key, value,
                                              expected, doubt));
    }
  }
  c.drop();
  const int applied = static_cast<int>(store.applied.size());
  if (applied < total || applied > total + total_in_doubt) {
    report.violations.push_back(
        fmt::format("{} requests applied for {} increments ({} in doubt)", applied, total, total_in_doubt));
  }
}

}  // namespace

namespace {

std::string client_name(int i) { return fmt::format("c{}", i); }

void throw_if_violated(const Report& report) {
  if (report.violations.empty()) return;
  std::string message = fmt::format("{} invariant violation(s):", report.violations.size());
  for (const std::string& v : report.violations) message += "\n  " + v;
  throw std::runtime_error(message);
}

}  // namespace

Task<Report> simulated(Config config) {
  Report report;
  auto store = std::make_shared<Store>();
  detio::sim::spawn_node("kv", serve_forever(store, "0.0.0.0", kPort));
  std::vector<detio::TaskHandle<void>> clients;
  for (int i = 0; i < config.clients; ++i) {
    clients.push_back(detio::sim::spawn_node(client_name(i), client(client_name(i), "kv", kPort, config, report)));
  }
  for (detio::TaskHandle<void>& c : clients) {
    try {
      co_await c;
    } catch (const detio::CancelledError&) {
      ++report.cancelled_clients;  // cancellation injection: the client went away
    }
  }
  co_await check("kv", kPort, config, *store, report);
  throw_if_violated(report);
  co_return report;
}

Task<Report> on_real_sockets(Config config) {
  Report report;
  auto store = std::make_shared<Store>();
  detio::Server server = co_await start(store, "127.0.0.1", 0);
  std::vector<Task<void>> clients;
  for (int i = 0; i < config.clients; ++i) {
    clients.push_back(client(client_name(i), "127.0.0.1", server.port(), config, report));
  }
  co_await detio::gather(std::move(clients));
  co_await check("127.0.0.1", server.port(), config, *store, report);
  server.close();
  co_await server.wait_closed();
  throw_if_violated(report);
  co_return report;
}

}  // namespace kv_counter

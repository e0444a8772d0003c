// A lease service written once and run on both backends (docs/guide.md,
// "One service, two backends").
//
// The server hands out one lease at a time: `ACQUIRE <client> <ttl-ms>`
// answers `GRANTED <id>` or `BUSY`; `RELEASE <id>` answers `OK` or `STALE`.
// A client that got a lease works only until the lease could have expired
// as seen from the moment it *sent* its request, so network delays can
// only shorten its lease, never stretch it. The invariant, checked after
// every run: no two clients ever worked inside the same instant.
//
//   lease_service --sim                simulated nodes ("lease", "c0", ...)
//                                      with seeded resets, delays, clogs and
//                                      partitions, seeds 1..200 in virtual
//                                      time (DETIO_SEEDS=1..5000 for more,
//                                      DETIO_SEED=n to replay one seed)
//   lease_service --real               the same code on 127.0.0.1
//   lease_service --sim --buggy        the classic bug: the lease counted
//                                      from the reply's arrival; some seeds
//                                      fail, each with a replay line
#include <detio/detio.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using namespace std::chrono_literals;
using detio::Duration;
using detio::StreamReader;
using detio::StreamWriter;
using detio::Task;
using detio::TimePoint;

constexpr std::uint16_t kSimPort = 4000;
constexpr Duration kTtl = 300ms;

std::vector<std::string> words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// ---- the server ----------------------------------------------------------

struct LeaseTable {
  long next_id = 1;
  long holder_id = 0;  // 0: free
  TimePoint expires{};
};

std::string answer(LeaseTable& table, const std::vector<std::string>& w) {
  const TimePoint now = detio::now();
  if (w.size() == 3 && w[0] == "ACQUIRE") {
    if (table.holder_id != 0 && now < table.expires) return "BUSY\n";
    table.holder_id = table.next_id++;
    table.expires = now + std::chrono::milliseconds(std::stol(w[2]));
    return fmt::format("GRANTED {}\n", table.holder_id);
  }
  if (w.size() == 2 && w[0] == "RELEASE") {
    if (std::stol(w[1]) != table.holder_id) return "STALE\n";
    table.holder_id = 0;
    return "OK\n";
  }
  return "ERR\n";
}

// One connection: answer requests until EOF or a reset.
Task<void> serve_client(std::shared_ptr<LeaseTable> table, StreamReader reader, StreamWriter writer) {
  try {
    while (true) {
      const std::string line = co_await reader.readline();
      if (line.empty()) break;  // EOF
      writer.write(answer(*table, words(line)));
      co_await writer.drain();
    }
  } catch (const detio::ConnectionError&) {
    // The client is gone; it reconnects and retries if it wants to.
  }
  writer.close();
}

Task<detio::Server> start_lease_server(std::shared_ptr<LeaseTable> table, std::string host, std::uint16_t port) {
  // A named lambda, passed by name: see "Coroutine pitfalls" in the guide.
  auto on_connect = [table](StreamReader r, StreamWriter w) { return serve_client(table, std::move(r), std::move(w)); };
  co_return co_await detio::start_server(std::move(on_connect), std::move(host), port);
}

// ---- the client ----------------------------------------------------------

// When each client worked while it believed it held the lease.
struct Interval {
  std::string client;
  TimePoint from;
  TimePoint to;
};

struct Options {
  int clients = 4;
  int rounds = 5;
  bool buggy = false;  // count the lease from the reply, not the request
};

class LeaseClient {
 public:
  LeaseClient(std::string name, std::string host, std::uint16_t port)
      : name_(std::move(name)), host_(std::move(host)), port_(port) {}

  // One request/reply; nullopt when the connection failed or timed out
  // (the connection is dropped and the next call reconnects).
  Task<std::optional<std::string>> call(std::string request) {
    try {
      if (!conn_) conn_ = co_await detio::wait_for(detio::open_connection(host_, port_), 1s);
      conn_->writer.write(request);
      std::string reply = co_await detio::wait_for(conn_->reader.readline(), 2s);
      if (!reply.empty()) co_return reply;
    } catch (const detio::TimeoutError&) {
    } catch (const detio::ConnectionError&) {
    } catch (const detio::OSError&) {
    }
    close();
    co_return std::nullopt;
  }

  void close() {
    if (conn_) conn_->writer.close();
    conn_.reset();
  }

  const std::string& name() const { return name_; }

 private:
  std::string name_;
  std::string host_;
  std::uint16_t port_;
  std::optional<detio::Connection> conn_;
};

// Acquires the lease `rounds` times, works while it holds it, releases it.
Task<void> run_client(LeaseClient client, Options options, std::vector<Interval>& worked) {
  for (int round = 0; round < options.rounds;) {
    const TimePoint sent = detio::now();
    const std::optional<std::string> reply =
        co_await client.call(fmt::format("ACQUIRE {} {}\n", client.name(), kTtl / 1ms));
    const std::vector<std::string> w = reply ? words(*reply) : std::vector<std::string>{};
    if (w.size() != 2 || w[0] != "GRANTED") {
      co_await detio::sleep(detio::sim::random().duration(10ms, 50ms));
      continue;
    }
    // The lease may have started as early as `sent` on the server's clock.
    const TimePoint until = (options.buggy ? detio::now() : sent) + kTtl;
    const TimePoint from = detio::now();
    if (from < until) {
      co_await detio::sleep(std::min<Duration>(detio::sim::random().duration(kTtl / 2, kTtl), until - from));
      worked.push_back({client.name(), from, detio::now()});
    }
    co_await client.call(fmt::format("RELEASE {}\n", w[1]));
    ++round;
  }
  client.close();
}

void check_no_overlap(std::vector<Interval> worked) {
  std::sort(worked.begin(), worked.end(), [](const Interval& a, const Interval& b) { return a.from < b.from; });
  for (std::size_t i = 1; i < worked.size(); ++i) {
    const Interval& a = worked[i - 1];
    const Interval& b = worked[i];
    if (b.from < a.to && a.client != b.client) {
      throw std::runtime_error(fmt::format("{} and {} both held the lease at t={}us", a.client, b.client,
                                           b.from.time_since_epoch() / 1us));
    }
  }
}

// ---- the two ways to run it ---------------------------------------------

// Simulated: the server and every client on nodes of their own. Host names
// are node names; spawn_node exists only in the simulator.
Task<void> simulated(Options options) {
  auto table = std::make_shared<LeaseTable>();
  auto serve = [](std::shared_ptr<LeaseTable> t) -> Task<void> {
    detio::Server server = co_await start_lease_server(std::move(t), "0.0.0.0", kSimPort);
    co_await server.serve_forever();
  };
  detio::sim::spawn_node("lease", serve(table));
  std::vector<Interval> worked;
  std::vector<detio::TaskHandle<void>> clients;
  for (int i = 0; i < options.clients; ++i) {
    const std::string name = fmt::format("c{}", i);
    clients.push_back(detio::sim::spawn_node(name, run_client(LeaseClient(name, "lease", kSimPort), options, worked)));
  }
  co_await detio::gather(clients);
  check_no_overlap(worked);
}

// Real sockets: the same server and clients as tasks of one process on
// 127.0.0.1, then a clean shutdown: stop accepting, let the handlers end.
Task<void> on_real_sockets(Options options) {
  detio::Server server = co_await start_lease_server(std::make_shared<LeaseTable>(), "127.0.0.1", 0);
  std::vector<Interval> worked;
  std::vector<Task<void>> clients;
  for (int i = 0; i < options.clients; ++i) {
    const std::string name = fmt::format("c{}", i);
    clients.push_back(run_client(LeaseClient(name, "127.0.0.1", server.port()), options, worked));
  }
  co_await detio::gather(std::move(clients));
  server.close();               // no new connections
  co_await server.wait_closed();  // every handler has seen its client's EOF
  check_no_overlap(worked);
  std::printf("lease_service on 127.0.0.1: %zu leases held, none overlapping\n", worked.size());
}

detio::sim::SweepOptions sweep_options(const Options& options) {
  detio::sim::SweepOptions o;
  o.replay_command = detio::sim::self_path() + (options.buggy ? " --sim --buggy" : " --sim");
  o.seeds = {1, 200};  // DETIO_SEEDS / DETIO_SEED override it
  o.base.faults.reset = 0.02;
  o.base.faults.delay = 0.05;
  o.base.faults.clog = 0.01;
  o.base.faults.partition = 0.005;
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  bool sim = false;
  bool real = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--sim") == 0) {
      sim = true;
    } else if (std::strcmp(argv[i], "--real") == 0) {
      real = true;
    } else if (std::strcmp(argv[i], "--buggy") == 0) {
      options.buggy = true;
    } else {
      sim = real = false;
      break;
    }
  }
  if (sim == real) {
    std::fprintf(stderr, "usage: %s --sim [--buggy] | --real\n", argv[0]);
    return 2;
  }
  try {
    if (real) {
      options.rounds = 2;  // real time: about a second
      detio::run(on_real_sockets(options));
      return 0;
    }
    const detio::sim::SweepResult result =
        detio::sim::sweep([&](const detio::sim::Options& o) { detio::sim::run(simulated(options), o); },
                          sweep_options(options));
    return result.ok() ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "lease_service: %s\n", e.what());
    return 1;
  }
}

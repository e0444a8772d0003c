// Fuzz target: the simulated network. The input picks link settings, random
// fault rates and a script: client nodes open connections to a sink server
// and write, drain, half-close, close, sleep; the script partitions and
// heals, clogs, loses packets, resets connections and kills client nodes.
// Checked: no crash and no leak (the sanitizers); what the server received
// on each connection is a prefix of what its client wrote (no byte lost
// from the middle, none reordered, none invented); a connection that ended
// in a clean EOF (was not reset) delivered every byte; and once the
// network is healed every connection ends (no hang).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "detio/detio.h"
#include "detio/net/faults.h"
#include "detio/sim/node.h"
#include "fuzz_input.h"

namespace {

using namespace std::chrono_literals;
using detio::StreamReader;
using detio::StreamWriter;
using detio::Task;
using detio_fuzz::FuzzInput;

[[noreturn]] void violated(const std::string& what) {
  std::fprintf(stderr, "netsim_fuzzer: %s\n", what.c_str());
  std::abort();
}

// Connection `id`'s bytes from `offset` on: a pattern that shows reorders.
std::string payload(int id, std::size_t offset, std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>((id * 131 + (offset + i) * 7 + (offset + i) / 251) & 0xff);
  return s;
}

struct Received {
  std::string bytes;
  bool done = false;
  bool clean_eof = false;
};

struct Ledger {
  std::map<int, std::string> sent;       // by connection id, what write() was given
  std::map<int, Received> received;      // by connection id, what the server read
};

Task<void> sink(StreamReader r, StreamWriter w, Ledger* ledger) {
  std::string header;
  try {
    header = co_await r.readline();
  } catch (const detio::Error&) {
    co_return;
  }
  if (header.empty() || header.back() != '\n') co_return;
  Received& got = ledger->received[std::stoi(header)];
  try {
    for (;;) {
      std::string chunk = co_await r.read(4096);
      if (chunk.empty()) {
        got.clean_eof = true;
        break;
      }
      got.bytes += chunk;
    }
  } catch (const detio::Error&) {
  }
  got.done = true;
  w.close();
}

Task<void> server(Ledger* ledger) {
  auto on_connect = [ledger](StreamReader r, StreamWriter w) { return sink(std::move(r), std::move(w), ledger); };
  detio::Server s = co_await detio::start_server(std::move(on_connect), "", 7);
  co_await s.serve_forever();
}

struct ClientOp {
  int kind = 0;
  int n = 0;
};

Task<void> one_connection(Ledger* ledger, int id, std::vector<ClientOp> ops) {
  auto [r, w] = co_await detio::open_connection("srv", 7);
  w.write(std::to_string(id) + "\n");
  std::string& sent = ledger->sent[id];
  for (const ClientOp& op : ops) {
    switch (op.kind) {
      case 0:
      case 1: {
        const std::string data = payload(id, sent.size(), static_cast<std::size_t>(op.n) * 97 + 1);
        sent += data;
        w.write(data);
        break;
      }
      case 2: co_await w.drain(); break;
      case 3: co_await detio::sleep(std::chrono::milliseconds(op.n)); break;
      case 4:
        if (w.can_write_eof()) w.write_eof();
        co_return;
      default: w.close(); co_return;
    }
  }
}

Task<void> client(Ledger* ledger, std::vector<std::vector<ClientOp>> connections, int first_id) {
  std::vector<detio::TaskHandle<void>> running;
  for (std::size_t i = 0; i < connections.size(); ++i) {
    running.push_back(detio::create_task(one_connection(ledger, first_id + static_cast<int>(i), connections[i])));
    co_await detio::sleep(1ms);
  }
  for (auto& h : running) {
    try {
      co_await h;
    } catch (const detio::Error&) {
      // refused, reset, timed out: the checks below still hold
    }
  }
}

struct Script {
  detio::sim::Options options;
  std::vector<std::vector<std::vector<ClientOp>>> clients;  // per node, per connection
  std::vector<ClientOp> chaos;                              // kind, node
};

Script decode(const std::uint8_t* data, std::size_t size) {
  FuzzInput in(data, size);
  Script s;
  s.options.seed = in.u64() & 0xffff;
  s.options.network.remote = {.latency = std::chrono::microseconds(in.in(0, 3000)),
                              .jitter = std::chrono::microseconds(in.in(0, 1000)),
                              .bandwidth = static_cast<std::uint64_t>(in.in(0, 4)) * 50'000};
  s.options.network.receive_window = static_cast<std::size_t>(in.in(1, 8)) * 512;
  s.options.network.segment_size = static_cast<std::size_t>(in.in(1, 8)) * 256;
  s.options.faults.reset = in.in(0, 3) * 0.01;
  s.options.faults.delay = in.in(0, 3) * 0.05;
  s.options.faults.clog = in.in(0, 3) * 0.02;
  s.options.faults.partition = in.in(0, 2) * 0.01;
  s.options.faults.refuse = in.in(0, 2) * 0.1;
  s.options.budget = {.max_virtual_time = std::chrono::hours(2), .max_steps = 300000};
  s.clients.resize(static_cast<std::size_t>(in.in(1, 3)));
  for (auto& node : s.clients) {
    node.resize(static_cast<std::size_t>(in.in(1, 3)));
    for (auto& conn : node) {
      const int n = in.in(0, 8);
      for (int i = 0; i < n; ++i) conn.push_back(ClientOp{in.in(0, 5), in.in(0, 30)});
    }
  }
  const int chaos = in.in(0, 6);
  for (int i = 0; i < chaos; ++i) s.chaos.push_back(ClientOp{in.in(0, 5), in.in(0, 7)});
  return s;
}

Task<void> scenario(const Script& s, Ledger& ledger) {
  detio::sim::spawn_node("srv", server(&ledger));
  co_await detio::sleep(1ms);
  std::vector<std::string> names;
  for (std::size_t i = 0; i < s.clients.size(); ++i) {
    names.push_back("c" + std::to_string(i));
    detio::sim::spawn_node(names.back(), client(&ledger, s.clients[i], static_cast<int>(i) * 10));
  }
  for (const ClientOp& op : s.chaos) {
    co_await detio::sleep(std::chrono::milliseconds(op.n + 1));
    const std::string& node = names[static_cast<std::size_t>(op.n) % names.size()];
    switch (op.kind) {
      case 0: detio::net::partition(node, "srv"); break;
      case 1: detio::net::heal(); break;
      case 2: detio::net::clog(node, "srv", std::chrono::milliseconds(op.n * 10)); break;
      case 3: detio::net::lose_packets(node, "srv"); break;
      case 4: detio::net::reset_connections(node, "srv"); break;
      default: detio::sim::kill_node(node); break;
    }
  }
  detio::net::heal();
  // Long enough for every SYN retry (127 s) and every transfer to end.
  co_await detio::sleep(10min);
  for (const auto& [id, got] : ledger.received) {
    const std::string& sent = ledger.sent[id];
    if (sent.compare(0, got.bytes.size(), got.bytes) != 0 || got.bytes.size() > sent.size()) {
      violated("connection " + std::to_string(id) + ": received " + std::to_string(got.bytes.size()) +
               " bytes that are not a prefix of the " + std::to_string(sent.size()) + " sent");
    }
    if (got.clean_eof && got.bytes.size() != sent.size()) {
      violated("connection " + std::to_string(id) + " ended in a clean EOF after " + std::to_string(got.bytes.size()) +
               " of " + std::to_string(sent.size()) + " bytes");
    }
    if (!got.done) violated("connection " + std::to_string(id) + " never ended");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Script s = decode(data, size);
  Ledger ledger;
  detio::sim::run(scenario(s, ledger), s.options);
  return 0;
}

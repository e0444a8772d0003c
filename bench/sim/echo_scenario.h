// The scenario behind the simulator benchmarks (issue 13, workload vii): one
// echo server node and `clients` client nodes, each sending `lines` lines
// over the simulated network and checking every echo. One run of it is one
// seed of an echo sweep (bench/sim/echo_sweep through detio-sweep), and
// with many lines it is the busy network of BM_BusyNetwork.
#pragma once

#include <string>
#include <vector>

#include "detio/detio.h"

namespace echo_scenario {

inline detio::Task<void> echo(detio::StreamReader reader, detio::StreamWriter writer) {
  while (true) {
    std::string line = co_await reader.readline();
    if (line.empty()) break;
    writer.write(line);
    co_await writer.drain();
  }
  writer.close();
}

inline detio::Task<void> server() {
  detio::Server server = co_await detio::start_server(echo, "0.0.0.0", 7000);
  co_await server.serve_forever();
}

inline detio::Task<void> client(int id, int lines) {
  auto [reader, writer] = co_await detio::open_connection("server", 7000);
  for (int i = 0; i < lines; ++i) {
    const std::string line = "client " + std::to_string(id) + " line " + std::to_string(i) + "\n";
    writer.write(line);
    co_await writer.drain();
    if (co_await reader.readline() != line) throw std::runtime_error("echo differs from what was sent");
  }
  writer.close();
  co_await writer.wait_closed();
}

// Runs the whole scenario; returns when every client is done.
inline detio::Task<void> run(int clients, int lines) {
  detio::sim::spawn_node("server", server());
  co_await detio::sleep(std::chrono::milliseconds(1));
  std::vector<detio::TaskHandle<void>> done;
  for (int c = 0; c < clients; ++c) {
    done.push_back(detio::sim::spawn_node("client" + std::to_string(c), client(c, lines)));
  }
  co_await detio::gather(std::move(done));
}

}  // namespace echo_scenario

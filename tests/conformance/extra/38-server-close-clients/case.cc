#include <detio/detio.h>

#include <cstdio>
#include <string>
#include <vector>

using detio::Task;

std::vector<detio::StreamWriter> open_writers;
std::vector<std::string> handler_reads;

const char* py(bool b) { return b ? "True" : "False"; }

std::string repr_bytes(const std::string& data) { return "b'" + data + "'"; }

void print_handler_reads() {
  for (const std::string& line : handler_reads) std::printf("%s\n", line.c_str());
  handler_reads.clear();
}

Task<void> handle(detio::StreamReader reader, detio::StreamWriter writer) {
  const std::size_t number = open_writers.size();
  open_writers.push_back(writer);
  const std::string data = co_await reader.read(100);
  handler_reads.push_back("handler " + std::to_string(number) + " read " + repr_bytes(data));
  std::erase_if(open_writers, [&](const detio::StreamWriter& w) { return &w.transport() == &writer.transport(); });
}

Task<std::vector<detio::Connection>> connect_two(std::uint16_t port) {
  std::vector<detio::Connection> clients;
  for (int i = 0; i < 2; ++i) {
    detio::Connection client = co_await detio::open_connection("127.0.0.1", port);
    clients.push_back(std::move(client));
  }
  while (open_writers.size() < 2) co_await detio::sleep(detio::Duration::zero());
  co_return clients;
}

Task<void> until_handlers_ended() {
  while (!open_writers.empty()) co_await detio::sleep(detio::Duration::zero());
}

Task<void> amain() {
  detio::Server server = co_await detio::start_server(handle, "127.0.0.1", 0);
  auto forever = detio::create_task(server.serve_forever());
  std::vector<detio::Connection> clients = co_await connect_two(server.port());
  detio::StreamWriter writer = open_writers[0];
  const detio::SocketAddress fallback{"fallback", 0};
  std::printf("extra info default: %s\n", writer.get_extra_info("nothing", fallback).host.c_str());
  std::printf("handler's peer is the client: %s\n",
              py(writer.get_extra_info("peername") == clients[0].writer.get_extra_info("sockname")));
  std::printf("transport reading: %s\n", py(writer.transport().is_reading()));
  forever.cancel("shutdown");
  server.close_clients();
  try {
    co_await forever;
  } catch (const detio::CancelledError& e) {
    std::printf("serve_forever: CancelledError '%s', serving=%s\n", e.message().c_str(), py(server.is_serving()));
  }
  co_await until_handlers_ended();
  print_handler_reads();
  for (std::size_t i = 0; i < clients.size(); ++i) {
    const std::string data = co_await clients[i].reader.read(100);
    std::printf("client %zu read %s\n", i, repr_bytes(data).c_str());
    clients[i].writer.close();
  }
  co_await server.wait_closed();

  server = co_await detio::start_server(handle, "127.0.0.1", 0);
  clients = co_await connect_two(server.port());
  const std::vector<detio::StreamWriter> aborted = open_writers;
  server.close();
  server.abort_clients();
  std::printf("aborted transports closing: [%s, %s]\n", py(aborted[0].transport().is_closing()),
              py(aborted[1].transport().is_closing()));
  co_await server.wait_closed();
  co_await until_handlers_ended();
  std::printf("wait_closed done, every handler ended\n");
  print_handler_reads();
  for (detio::Connection& client : clients) client.writer.close();
}

int main() {
  detio::sim::run(amain());
  open_writers.clear();
}

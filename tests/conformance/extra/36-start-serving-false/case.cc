#include <detio/detio.h>

#include <chrono>
#include <cstdio>
#include <string>

using namespace std::chrono_literals;
using detio::Task;

int handled = 0;

const char* py(bool b) { return b ? "True" : "False"; }

Task<void> handle(detio::StreamReader reader, detio::StreamWriter writer) {
  ++handled;
  std::string line = co_await reader.readline();
  writer.write("echo " + line);
  co_await writer.drain();
  writer.close();
  co_await writer.wait_closed();
}

Task<void> talk(std::uint16_t port, std::string text) {
  auto [reader, writer] = co_await detio::open_connection("127.0.0.1", port);
  writer.write(text + "\n");
  std::string reply = co_await reader.readline();
  reply.pop_back();
  std::printf("client: %s\n", reply.c_str());
  writer.close();
  co_await writer.wait_closed();
}

Task<detio::Server> idle_server() {
  return detio::start_server(handle, "127.0.0.1", 0, 100, detio::kDefaultStreamLimit, /*start_serving=*/false);
}

Task<void> amain() {
  detio::Server server = co_await idle_server();
  const std::uint16_t port = server.port();
  std::printf("bound: port chosen=%s serving=%s\n", py(port != 0), py(server.is_serving()));
  try {
    co_await talk(port, "too early");
  } catch (const detio::ConnectionRefusedError&) {
    std::printf("client: refused before start_serving\n");
  }
  co_await server.start_serving();
  std::printf("after start_serving: serving=%s\n", py(server.is_serving()));
  co_await talk(port, "hello");
  co_await server.start_serving();
  std::printf("start_serving again: serving=%s handled=%d\n", py(server.is_serving()), handled);
  server.close();
  co_await server.wait_closed();

  detio::Server idle = co_await idle_server();
  auto forever = detio::create_task(idle.serve_forever());
  co_await detio::sleep(0ms);
  std::printf("serve_forever starts serving: %s\n", py(idle.is_serving()));
  co_await talk(idle.port(), "via serve_forever");
  forever.cancel();
  try {
    co_await forever;
  } catch (const detio::CancelledError&) {
    std::printf("serve_forever cancelled: serving=%s handled=%d\n", py(idle.is_serving()), handled);
  }
}

int main() { detio::sim::run(amain()); }

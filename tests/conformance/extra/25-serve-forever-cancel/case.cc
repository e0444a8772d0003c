#include <detio/detio.h>

#include <chrono>
#include <cstdio>
#include <string>

using namespace std::chrono_literals;
using detio::Task;

Task<void> handle(detio::StreamReader reader, detio::StreamWriter writer) {
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

Task<void> serve(detio::Server server, const char* label) {
  try {
    co_await server.serve_forever();
  } catch (const detio::CancelledError& e) {
    std::printf("%s: serve_forever raised CancelledError '%s'\n", label, e.message().c_str());
    throw;
  }
}

const char* py(bool b) { return b ? "True" : "False"; }

Task<void> amain() {
  detio::Server server = co_await detio::start_server(handle, "127.0.0.1", 0);
  const std::uint16_t port = server.port();
  auto task = detio::create_task(serve(server, "first"));
  co_await detio::sleep(10ms);
  std::printf("serving: %s\n", py(server.is_serving()));
  co_await talk(port, "hello");
  task.cancel("shutting down");
  try {
    co_await task;
  } catch (const detio::CancelledError& e) {
    std::printf("main: task cancelled, message '%s', cancelled()=%s\n", e.message().c_str(), py(task.cancelled()));
  }
  std::printf("serving after cancel: %s\n", py(server.is_serving()));
  try {
    co_await talk(port, "too late");
  } catch (const detio::ConnectionRefusedError&) {
    std::printf("client: refused\n");
  }

  detio::Server second = co_await detio::start_server(handle, "127.0.0.1", 0);
  task = detio::create_task(serve(second, "second"));
  co_await detio::sleep(10ms);
  second.close();
  try {
    co_await task;
  } catch (const detio::CancelledError& e) {
    std::printf("main: close() ended serve_forever, message '%s'\n", e.message().c_str());
  }
  co_await second.wait_closed();
  std::printf("main: done\n");
}

int main() { detio::sim::run(amain()); }

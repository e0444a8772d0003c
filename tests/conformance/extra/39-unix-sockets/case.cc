// case.py on both backends: the same program in the simulator (a per-host
// namespace of Unix paths) and on real Unix-domain sockets.
#include <detio/detio.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

using detio::Task;

int handled = 0;

const char* py(bool b) { return b ? "True" : "False"; }

Task<void> handle(detio::StreamReader reader, detio::StreamWriter writer, detio::Queue<int>& finished) {
  ++handled;
  for (;;) {
    std::string line = co_await reader.readline();
    if (line.empty()) break;
    writer.write("echo " + line);
    co_await writer.drain();
  }
  writer.close();
  co_await writer.wait_closed();
  finished.put_nowait(1);
}

Task<detio::StreamWriter> talk(std::string path, std::string text) {
  auto [reader, writer] = co_await detio::open_unix_connection(path);
  writer.write(text + "\n");
  std::string reply = co_await reader.readline();
  reply.pop_back();
  std::printf("client: %s\n", reply.c_str());
  const std::optional<detio::SocketAddress> peer = writer.get_extra_info("peername");
  std::printf("client: peer is the path: %s\n", py(peer && peer->host == path));
  co_return writer;
}

Task<void> amain() {
  char directory_template[] = "/tmp/detio-unix-case-XXXXXX";
  const std::string directory = mkdtemp(directory_template);
  const std::string path = directory + "/echo.sock";
  detio::Queue<int> finished;
  auto on_connect = [&finished](detio::StreamReader r, detio::StreamWriter w) {
    return handle(std::move(r), std::move(w), finished);
  };
  detio::Server server = co_await detio::start_unix_server(on_connect, path);
  std::printf("serving: %s\n", py(server.is_serving()));
  detio::StreamWriter w1 = co_await talk(path, "first");
  detio::StreamWriter w2 = co_await talk(path, "second");
  w1.close();
  co_await w1.wait_closed();
  w2.close();
  co_await w2.wait_closed();
  for (int i = 0; i < 2; ++i) co_await finished.get();
  server.close();
  co_await server.wait_closed();
  std::printf("handled: %d\n", handled);
  try {
    co_await detio::open_unix_connection(directory + "/missing.sock");
  } catch (const detio::OSError&) {
    std::printf("missing path: OSError\n");
  }
  std::error_code ignored;
  std::filesystem::remove(path, ignored);
  std::filesystem::remove(directory, ignored);
}

int main() {
  detio::sim::run(amain());
  detio::run(amain());
}

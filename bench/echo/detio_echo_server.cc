// The detio side of the echo benchmark: the real backend and the asyncio-
// style streams API, written as a user would. Prints "PORT <n>" and serves
// until killed.
//   detio_echo_server [port]      (0 or none: any free port)
#include <cstdio>
#include <cstdlib>
#include <detio/detio.h>
#include <string>

namespace {

detio::Task<void> echo(detio::StreamReader reader, detio::StreamWriter writer) {
  while (true) {
    std::string data = co_await reader.read(64 * 1024);
    if (data.empty()) break;
    writer.write(data);
    co_await writer.drain();
  }
  writer.close();
}

detio::Task<void> serve(std::uint16_t port) {
  detio::Server server = co_await detio::start_server(echo, "127.0.0.1", port, /*backlog=*/1024);
  std::printf("PORT %d\n", server.port());
  std::fflush(stdout);
  co_await server.serve_forever();
}

}  // namespace

int main(int argc, char** argv) {
  const int port = argc > 1 ? std::atoi(argv[1]) : 0;
  detio::run(serve(static_cast<std::uint16_t>(port)));
}

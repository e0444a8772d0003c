// A clean shutdown with open connections (docs/guide.md, "A clean shutdown
// with open connections"), on both backends: clients stay connected and
// idle, the server closes their connections and waits for every handler.
//
//   shutdown            prints what happened, from sim::run and detio::run
#include <detio/detio.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace {

using namespace std::chrono_literals;
using detio::StreamReader;
using detio::StreamWriter;
using detio::Task;

// The writers of the connections still open, so shut_down can close them.
struct Connections {
  std::vector<StreamWriter> open;
  int handlers_done = 0;
};

Task<void> handle(std::shared_ptr<Connections> connections, StreamReader reader, StreamWriter writer) {
  connections->open.push_back(writer);
  try {
    while (!(co_await reader.readline()).empty()) {
    }
  } catch (const detio::ConnectionError&) {
  }
  ++connections->handlers_done;
}

Task<void> shut_down(detio::Server server, std::shared_ptr<Connections> connections) {
  server.close();                                           // no new connections
  for (StreamWriter& w : connections->open) w.close();      // each handler's read sees EOF
  co_await server.wait_closed();                            // every handler has returned
}

Task<void> run(std::string backend) {
  auto connections = std::make_shared<Connections>();
  auto on_connect = [connections](StreamReader r, StreamWriter w) {
    return handle(connections, std::move(r), std::move(w));
  };
  detio::Server server = co_await detio::start_server(std::move(on_connect), "127.0.0.1", 0);
  std::vector<detio::Connection> clients;
  for (int i = 0; i < 3; ++i) clients.push_back(co_await detio::open_connection("127.0.0.1", server.port()));
  while (connections->open.size() < clients.size()) co_await detio::sleep(1ms);

  co_await detio::wait_for(shut_down(server, connections), 5s);
  int clients_saw_eof = 0;
  for (detio::Connection& c : clients) {
    if ((co_await c.reader.read()).empty()) ++clients_saw_eof;
    c.writer.close();
  }
  std::printf("%s: %d handlers ended, %d clients saw EOF, serving: %s\n", backend.c_str(),
              connections->handlers_done, clients_saw_eof, server.is_serving() ? "yes" : "no");
}

}  // namespace

int main() {
  detio::sim::run(run("sim"), {.seed = 1});
  detio::run(run("real"));
}

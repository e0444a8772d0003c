#include <detio/detio.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <string>

using namespace std::chrono_literals;
using detio::Task;

detio::Event* handler_done = nullptr;

std::string strip(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  return s;
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

Task<void> handle(detio::StreamReader reader, detio::StreamWriter writer) {
  while (true) {
    std::string line = co_await reader.readline();
    if (line.empty()) {
      std::printf("server: EOF, at_eof=%s\n", reader.at_eof() ? "True" : "False");
      break;
    }
    std::printf("server: got %s\n", strip(line).c_str());
    writer.write(upper(line));
    co_await writer.drain();
  }
  writer.write("bye\n");
  writer.close();
  co_await writer.wait_closed();
  handler_done->set();
}

Task<void> amain() {
  detio::Event done;
  handler_done = &done;
  detio::Server server = co_await detio::start_server(handle, "127.0.0.1", 0);
  const std::uint16_t port = server.port();
  std::printf("serving: %s\n", server.is_serving() ? "True" : "False");
  auto [reader, writer] = co_await detio::open_connection("127.0.0.1", port);
  for (std::string word : {"alpha", "beta"}) {
    writer.write(word + "\n");
    co_await writer.drain();
    std::printf("client: echo %s\n", strip(co_await reader.readline()).c_str());
  }
  std::printf("client: can_write_eof=%s\n", writer.can_write_eof() ? "True" : "False");
  writer.write_eof();
  std::printf("client: last %s\n", strip(co_await reader.readline()).c_str());
  std::string rest = co_await reader.read();
  std::printf("client: then b'%s', at_eof=%s\n", rest.c_str(), reader.at_eof() ? "True" : "False");
  writer.close();
  co_await writer.wait_closed();
  std::printf("client: is_closing=%s\n", writer.is_closing() ? "True" : "False");
  co_await done.wait();
  std::printf("server: handler finished\n");
  server.close();
  co_await server.wait_closed();
  std::printf("serving: %s\n", server.is_serving() ? "True" : "False");
  try {
    co_await detio::open_connection("127.0.0.1", port);
  } catch (const detio::ConnectionRefusedError&) {
    std::printf("connect after close: ConnectionRefusedError\n");
  }
}

int main() { detio::sim::run(amain()); }

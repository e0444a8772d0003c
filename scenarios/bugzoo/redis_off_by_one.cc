// redis_off_by_one: a command cancelled after it was sent and before its
// reply was read leaves the reply on the connection; the next command
// reads it as its own, and every reply after that is off by one
// (redis/redis-py#2624, CVE-2023-28858/28859: "Canceling async Redis
// command leaves connection open, in unsafe state for future commands";
// the answer ChatGPT users saw in other users' histories).
//
// A tiny Redis-like server over detio streams (GET key -> "value-of-key";
// one request in 100 is a slow command, 2-20 ms) and a client with one
// shared connection, commands serialized by a lock, as redis-py's
// single_connection_client. Four callers each GET ten keys under
// wait_for(..., 5 ms).
//
// Fixed: a command that does not complete (cancelled, failed) closes the
// connection; the next command opens a new one (redis-py's fix, #2641).
//
// Invariant: every GET that returns, returns the value of its own key.
#include <optional>
#include <string>
#include <vector>

#include "zoo.h"

namespace {

using namespace std::chrono_literals;
using bugzoo::between;

constexpr std::uint16_t kPort = 6379;

detio::Task<void> serve(detio::StreamReader reader, detio::StreamWriter writer) {
  for (;;) {
    const std::string line = co_await reader.readline();
    if (line.empty()) break;  // the client closed
    if (detio::sim::random().chance(0.01)) co_await detio::sleep(between(2ms, 20ms));  // a slow command
    const std::string key = line.substr(line.find(' ') + 1, line.size() - line.find(' ') - 2);
    writer.write("value-of-" + key + "\n");
    co_await writer.drain();
  }
  writer.close();
}

class Client {
 public:
  explicit Client(bool fixed) : fixed_(fixed) {}

  detio::Task<std::string> get(std::string key) {
    auto guard = co_await lock_.scoped();
    if (!conn_) conn_ = co_await detio::open_connection("127.0.0.1", kPort);
    bool completed = false;
    Disconnect on_failure{*this, completed};
    conn_->writer.write("GET " + key + "\n");
    co_await conn_->writer.drain();
    std::string reply = co_await conn_->reader.readline();
    if (reply.empty()) throw detio::ConnectionResetError("the server closed the connection");
    reply.pop_back();
    completed = true;
    co_return reply;
  }

  void close() {
    if (conn_) conn_->writer.close();
    conn_.reset();
  }

 private:
  // The fix: a command that did not complete takes its connection with it.
  struct Disconnect {
    Client& client;
    const bool& completed;
    ~Disconnect() {
      if (!completed && client.fixed_) client.close();
    }
  };

  bool fixed_;
  detio::Lock lock_;
  std::optional<detio::Connection> conn_;
};

struct Tally {
  int answered = 0;
  std::vector<std::string> wrong;
};

detio::Task<void> caller(Client& client, int id, Tally& tally) {
  for (int i = 0; i < 10; ++i) {
    co_await detio::sleep(between(0ms, 2ms));
    const std::string key = "k" + std::to_string(id) + "-" + std::to_string(i);
    try {
      const std::string value = co_await detio::wait_for(client.get(key), 5ms);
      ++tally.answered;
      if (value != "value-of-" + key) tally.wrong.push_back("GET " + key + " returned '" + value + "'");
    } catch (const detio::TimeoutError&) {
    } catch (const detio::ConnectionError&) {
    }
  }
}

detio::Task<void> scenario(bool fixed) {
  detio::Server server = co_await detio::start_server(serve, "127.0.0.1", kPort);
  Client client(fixed);
  Tally tally;
  std::vector<detio::TaskHandle<void>> callers;
  for (int i = 0; i < 4; ++i) callers.push_back(detio::create_task(caller(client, i, tally), "caller-" + std::to_string(i)));
  for (auto& c : callers) {
    try {
      co_await c;
    } catch (const detio::CancelledError&) {
    }
  }
  client.close();
  server.close();
  bugzoo::expect(tally.wrong.empty(), std::to_string(tally.wrong.size()) + " of " + std::to_string(tally.answered) +
                                          " replies were another command's (the first: " +
                                          (tally.wrong.empty() ? "" : tally.wrong.front()) +
                                          "): a cancelled command left its reply on the connection");
}

}  // namespace

BUGZOO_MAIN(&scenario, "the client wedged")

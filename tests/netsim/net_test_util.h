// Helpers for the simulated-network tests: a Protocol that records every
// event, an Acceptor that attaches one to each accepted connection, and a
// virtual-time wait for a condition.
#pragma once

#include <gtest/gtest.h>

#include <exception>
#include <stdexcept>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "detio/detio.h"
#include "detio/transport.h"

// ASSERT_* return from the function, which a coroutine cannot do.
#define CO_ASSERT(cond)                         \
  if (!(cond)) {                                \
    ADD_FAILURE() << "assertion failed: " #cond; \
    co_return;                                  \
  }

namespace detio::net_test {

using namespace std::chrono_literals;

struct Recorder : Protocol {
  Transport* transport = nullptr;
  std::string data;
  std::vector<std::pair<TimePoint, std::size_t>> chunks;  // arrival time, size
  bool made = false;
  bool eof = false;
  bool keep_open = true;
  bool lost = false;
  std::exception_ptr error;
  int pauses = 0;
  int resumes = 0;
  bool writing_paused = false;

  void connection_made(Transport& t) override {
    made = true;
    transport = &t;
  }
  void data_received(std::string_view d) override {
    data += d;
    chunks.emplace_back(now(), d.size());
  }
  bool eof_received() override {
    eof = true;
    return keep_open;
  }
  void connection_lost(std::exception_ptr e) override {
    lost = true;
    error = e;
  }
  void pause_writing() override {
    ++pauses;
    writing_paused = true;
  }
  void resume_writing() override {
    ++resumes;
    writing_paused = false;
  }

  // True if the connection was lost with an exception of type E.
  template <class E>
  bool lost_with() const {
    if (!error) return false;
    try {
      std::rethrow_exception(error);
    } catch (const E&) {
      return true;
    } catch (...) {
      return false;
    }
  }
};

// A transport with a Recorder attached. Copies share the connection; the
// last one detaches the recorder (copyable, so it can be a task's result).
struct Conn {
  struct State {
    std::shared_ptr<Transport> transport;
    Recorder recorder;
    ~State() {
      if (transport) transport->detach_protocol();
    }
  };
  std::shared_ptr<State> state;

  Conn() = default;
  explicit Conn(std::shared_ptr<Transport> t) : state(std::make_shared<State>()) {
    state->transport = std::move(t);
    state->transport->set_protocol(state->recorder);
  }
  Recorder& r() { return state->recorder; }
  Transport& t() { return *state->transport; }
};

struct Server : Acceptor {
  std::vector<Conn> accepted;
  std::unique_ptr<Listener> listener;
  std::vector<TimePoint> accepted_at;

  void accept(std::shared_ptr<Transport> t) override {
    accepted.emplace_back(std::move(t));
    accepted_at.push_back(now());
  }
  std::uint16_t port() const { return listener->address().port; }
  ~Server() override { listener.reset(); }
};

// Listens on the running task's host.
inline Task<std::unique_ptr<Server>> listen(std::uint16_t port = 0, std::string host = "0.0.0.0") {
  auto server = std::make_unique<Server>();
  server->listener = co_await running_network().listen(std::move(host), port, 100, *server);
  co_return server;
}

inline Task<Conn> connect(std::string host, std::uint16_t port) {
  std::shared_ptr<Transport> t = co_await running_network().connect(std::move(host), port);
  co_return Conn(std::move(t));
}

// Waits in virtual time (polling every `step`) until `pred()` holds; fails
// the test (throws) after `limit` of virtual time instead of hanging.
template <class Pred>
Task<void> until(Pred pred, Duration step = 10us, Duration limit = std::chrono::hours(48)) {
  const TimePoint give_up = now() + limit;
  while (!pred()) {
    if (now() >= give_up) {
      ADD_FAILURE() << "condition not met after " << limit.count() << "ns of virtual time";
      throw std::runtime_error("until: condition not met");
    }
    co_await sleep(step);
  }
}

}  // namespace detio::net_test

// A node killed or restarted from one of its own done callbacks (a task's
// or a Future's), and a spawn_node that fails: the callback finishes, the
// node's other callbacks die with it, and nothing is left registered.
// (The kill freed the running callback: ASan reported a use-after-free.)
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "detio/detio.h"
#include "detio/internal/server_state.h"
#include "detio/sim/node.h"

namespace detio {
namespace {

using namespace std::chrono_literals;

Task<void> short_job() {
  co_await sleep(1ms);
}

Task<void> idle() {
  co_await sleep(1h);
}

// On node "db": a done callback of its own task (or Future) runs `act`,
// then records that it went on; a second callback of the node would run
// after it and must not, since the node is dead by then.
Task<void> node_with_callback(std::vector<std::string>& log, bool on_future, std::string act) {
  auto on_done = [&log, act](auto&&) {
    if (act == "kill") sim::kill_node("db");
    if (act == "restart") sim::restart_node("db", idle());
    log.push_back("callback went on after " + act);
  };
  auto on_done_later = [&log](auto&&) { log.push_back("a dead node's callback ran"); };
  if (on_future) {
    Future<int> f;
    f.add_done_callback(on_done);
    f.add_done_callback(on_done_later);
    call_later(1ms, [f]() mutable { f.set_result(1); });
    co_await sleep(1h);
  } else {
    auto job = create_task(short_job());
    job.add_done_callback(on_done);
    job.add_done_callback(on_done_later);
    co_await sleep(1h);
  }
}

void expect_node_survives_its_callback(bool on_future, const std::string& act) {
  std::vector<std::string> log;
  sim::run([&]() -> Task<void> {
    sim::spawn_node("db", node_with_callback(log, on_future, act));
    co_await sleep(1s);
    EXPECT_EQ(sim::node_running("db"), act == "restart");
  }());
  EXPECT_EQ(log, (std::vector<std::string>{"callback went on after " + act}));
}

TEST(SimNodeCallback, ATaskDoneCallbackKillsItsOwnNode) { expect_node_survives_its_callback(false, "kill"); }

TEST(SimNodeCallback, AFutureDoneCallbackKillsItsOwnNode) { expect_node_survives_its_callback(true, "kill"); }

TEST(SimNodeCallback, ATaskDoneCallbackRestartsItsOwnNode) { expect_node_survives_its_callback(false, "restart"); }

TEST(SimNodeCallback, AFutureDoneCallbackRestartsItsOwnNode) { expect_node_survives_its_callback(true, "restart"); }

TEST(SimNodeCallback, AFailedSpawnLeavesNoNodeBehind) {
  sim::run([]() -> Task<void> {
    Task<void> empty;
    EXPECT_THROW(sim::spawn_node("db", std::move(empty)), InvalidStateError);
    EXPECT_FALSE(sim::node_running("db"));
    // The name is free: a spawn with a real main works.
    auto db = sim::spawn_node("db", short_job());
    EXPECT_TRUE(sim::node_running("db"));
    co_await db;
  }());
}

}  // namespace
}  // namespace detio

namespace detio {
namespace {

// A server made in one of node "srv"'s callbacks belongs to srv: its
// connection handlers run on srv and die with it. start_server's body
// always runs in a task (whose owner it took), so the server state is made
// in the callback itself here: it used to take the default host's, as it
// looked only at the running task.
Task<void> echo_node_name(StreamReader, StreamWriter writer) {
  writer.write(sim::current_node() + "\n");
  co_await writer.drain();
  co_await sleep(1h);
}

Task<void> listen_on_7000(std::shared_ptr<internal::ServerState> state) {
  co_await state->bind("0.0.0.0", 7000, 100);
  co_await internal::ServerState::start_serving_task(state);
  co_await internal::ServerState::serve_forever(state);
}

Task<void> node_making_its_server_in_a_callback() {
  call_soon([] {
    auto state = std::make_shared<internal::ServerState>(echo_node_name, kDefaultStreamLimit);
    create_task(listen_on_7000(std::move(state)));
  });
  co_await sleep(1h);
}

TEST(SimNodeCallback, AServerMadeInANodesCallbackBelongsToThatNode) {
  sim::run([]() -> Task<void> {
    sim::spawn_node("srv", node_making_its_server_in_a_callback());
    co_await sleep(1s);
    auto [reader, writer] = co_await open_connection("srv", 7000);
    EXPECT_EQ(co_await reader.readline(), "srv\n");
    sim::kill_node("srv");
    // The handler died with its node: the connection is reset.
    EXPECT_THROW(co_await reader.read(), ConnectionResetError);
  }());
}

}  // namespace
}  // namespace detio

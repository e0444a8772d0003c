// A node killed or restarted from one of its own done callbacks (a task's
// or a Future's), and a spawn_node that fails: the callback finishes, the
// node's other callbacks die with it, and nothing is left registered.
// (The kill freed the running callback: ASan reported a use-after-free.)
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "detio/detio.h"
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

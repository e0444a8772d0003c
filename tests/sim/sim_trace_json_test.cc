// The Chrome/Perfetto JSON trace always parses: names and details that are
// not UTF-8 (a task named from binary data) come out as U+FFFD, and UTF-8
// ones unchanged. A simulated node is a process and its tasks, the node's
// main task first, are its threads.
#include <gtest/gtest.h>

#include <string>

#include "detio/detio.h"
#include "json_check.h"

namespace detio {
namespace {

using namespace std::chrono_literals;

Task<void> idle() { co_await sleep(1ms); }

// The Chrome JSON of a run with one task named `name` that logs `name`.
std::string trace_of_task_named(const std::string& name) {
  sim::Trace trace;
  auto main_task = [](std::string task_name) -> Task<void> {
    sim::log(task_name);
    co_await create_task(idle(), std::move(task_name));
  };
  sim::run(main_task(name), sim::Options{.seed = 1, .trace = &trace});
  return trace.chrome_json();
}

// The thread_name of every track named like `expected` in `json`.
int tracks_named(const sim_test::Json& json, const std::string& expected) {
  int found = 0;
  for (const sim_test::Json& e : json.at("traceEvents").array) {
    if (e.at("name").string == "thread_name" && e.at("args").at("name").string == expected) ++found;
  }
  return found;
}

TEST(SimTraceJson, InvalidUtf8InATaskNameBecomesTheReplacementCharacter) {
  // A lone continuation byte, a truncated sequence, an overlong "/", a
  // surrogate and a byte that is never UTF-8.
  const std::string name = "bad\x80|\xe2\x82|\xc0\xaf|\xed\xa0\x80|\xff";
  const std::string json_text = trace_of_task_named(name);
  sim_test::Json json;
  // Before: the bytes were copied as they were, and the file did not parse.
  ASSERT_NO_THROW(json = sim_test::parse_json(json_text)) << json_text;
  const std::string r = "\xef\xbf\xbd";  // U+FFFD
  EXPECT_EQ(tracks_named(json, "bad" + r + "|" + r + r + "|" + r + r + "|" + r + r + r + "|" + r), 1) << json_text;
}

TEST(SimTraceJson, Utf8NamesArePassedThrough) {
  const std::string name = "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x9a\x80";  // "café € 🚀"
  const std::string json_text = trace_of_task_named(name);
  sim_test::Json json;
  ASSERT_NO_THROW(json = sim_test::parse_json(json_text)) << json_text;
  EXPECT_EQ(tracks_named(json, name), 1) << json_text;
}

// The pid of the process named `name`, or -1.
double pid_of_process(const sim_test::Json& json, const std::string& name) {
  for (const sim_test::Json& e : json.at("traceEvents").array) {
    if (e.at("name").string == "process_name" && e.at("args").at("name").string == name) return e.at("pid").number;
  }
  return -1;
}

// The pid of the thread named `name`, or -1.
double pid_of_thread(const sim_test::Json& json, const std::string& name) {
  for (const sim_test::Json& e : json.at("traceEvents").array) {
    if (e.at("name").string == "thread_name" && e.at("args").at("name").string == name) return e.at("pid").number;
  }
  return -1;
}

Task<void> node_worker() {
  sim::log("worker runs");
  co_await create_task(idle(), "db1-child");
}

Task<void> spawns_db1() {
  TaskHandle<void> db1 = sim::spawn_node("db1", node_worker());
  co_await db1;
}

TEST(SimTraceJson, ANodesMainTaskIsAThreadOfItsNodesProcess) {
  sim::Trace trace;
  sim::run(spawns_db1(), sim::Options{.seed = 1, .trace = &trace});
  sim_test::Json json;
  ASSERT_NO_THROW(json = sim_test::parse_json(trace.chrome_json()));
  const double db1 = pid_of_process(json, "db1");
  ASSERT_GT(db1, 0) << trace.chrome_json();
  // Before: the main task's spawn was recorded on its creator's node, so
  // its track sat under "main" while its children sat under "db1".
  EXPECT_EQ(pid_of_thread(json, "db1"), db1) << trace.chrome_json();
  EXPECT_EQ(pid_of_thread(json, "db1-child"), db1) << trace.chrome_json();
  for (const sim::TraceEvent& e : trace.events()) {
    if (e.kind == sim::TraceKind::kSpawn && trace.task_name(e.task) == "db1") {
      EXPECT_EQ(trace.node_name(e.node), "db1");
    }
  }
}

}  // namespace
}  // namespace detio

// The right spellings of docs/guide.md's "Coroutine pitfalls", each run on
// both backends. Built with g++ 12 and clang 14 and run in CI, so every
// spelling the guide recommends is known to compile and work on both.
//
//   pitfalls            prints one line per pitfall, from sim::run and then
//                       from detio::run (127.0.0.1)
#include <detio/detio.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace {

using namespace std::chrono_literals;
using detio::Task;

// 1. A lambda coroutine's captures live in the lambda object, not in the
//    coroutine frame: give the values as parameters (copied into the frame).
Task<int> lambda_parameters() {
  auto add_later = [](int a, int b) -> Task<int> {
    co_await detio::sleep(1ms);
    co_return a + b;
  };
  detio::TaskHandle<int> h = detio::create_task(add_later(40, 2));
  co_return co_await h;
}

// 2. No co_await inside a catch block: note what happened, await after it.
Task<void> slow() { co_await detio::sleep(1s); }
Task<std::string> await_after_catch() {
  bool timed_out = false;
  try {
    co_await detio::wait_for(slow(), 10ms);
  } catch (const detio::TimeoutError&) {
    timed_out = true;
  }
  if (timed_out) co_await detio::sleep(1ms);  // the clean-up that needed an await
  co_return timed_out ? "timed out, cleaned up" : "finished";
}

// 3. Temporaries inside co_await (g++ 12): name the lambda, build the
//    vector, then co_await.
Task<void> echo_once(detio::StreamReader reader, detio::StreamWriter writer, std::string tag) {
  writer.write(tag + (co_await reader.readline()));
  co_await writer.drain();
  writer.close();
}
Task<std::string> named_temporaries() {
  const std::string tag = "echo: ";
  auto on_connect = [tag](detio::StreamReader r, detio::StreamWriter w) {
    return echo_once(std::move(r), std::move(w), tag);
  };
  detio::Server server = co_await detio::start_server(std::move(on_connect), "127.0.0.1", 0);
  auto [reader, writer] = co_await detio::open_connection("127.0.0.1", server.port());
  writer.write("hi\n");
  std::string reply = co_await reader.readline();
  writer.close();
  server.close();
  co_await server.wait_closed();

  std::vector<Task<int>> parts;
  parts.push_back(detio::sleep(1ms, 1));
  parts.push_back(detio::sleep(2ms, 2));
  const std::vector<int> sums = co_await detio::gather(std::move(parts));
  co_return reply.substr(0, reply.size() - 1) + ", gathered " + std::to_string(sums[0] + sums[1]);
}

// 3b. The same for task_group's body: a named lambda, moved in.
Task<int> named_task_group_body() {
  auto total = std::make_shared<int>(0);
  auto body = [total](detio::TaskGroup& tg) -> Task<void> {
    for (int i = 1; i <= 3; ++i) {
      auto add = [](std::shared_ptr<int> t, int n) -> Task<void> {
        co_await detio::sleep(std::chrono::milliseconds(n));
        *t += n;
      };
      tg.create_task(add(total, i));
    }
    co_return;
  };
  co_await detio::task_group(std::move(body));
  co_return *total;
}

// 4. Coroutine parameters by value: a const& would dangle once the caller's
//    temporary is gone, long before the task runs.
Task<std::size_t> length_later(std::string text) {
  co_await detio::sleep(1ms);
  co_return text.size();
}
Task<std::size_t> by_value_parameters() {
  detio::TaskHandle<std::size_t> h = detio::create_task(length_later(std::string(5, 'x')));
  co_return co_await h;
}

Task<void> all_pitfalls(std::string backend) {
  std::printf("%s 1 lambda parameters: %d\n", backend.c_str(), co_await lambda_parameters());
  std::printf("%s 2 await after catch: %s\n", backend.c_str(), (co_await await_after_catch()).c_str());
  std::printf("%s 3 named temporaries: %s\n", backend.c_str(), (co_await named_temporaries()).c_str());
  std::printf("%s 3b named task_group body: %d\n", backend.c_str(), co_await named_task_group_body());
  std::printf("%s 4 by-value parameters: %zu\n", backend.c_str(), co_await by_value_parameters());
}

}  // namespace

int main() {
  detio::sim::run(all_pitfalls("sim"), {.seed = 1});
  detio::run(all_pitfalls("real"));
}

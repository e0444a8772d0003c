#include <detio/detio.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using detio::Task;

Task<std::string> worker(std::string name, detio::Duration delay, bool fail = false) {
  try {
    co_await detio::sleep(delay);
  } catch (const detio::CancelledError&) {
    std::printf("%s: cancelled\n", name.c_str());
    throw;
  }
  if (fail) {
    std::printf("%s: raising\n", name.c_str());
    throw detio::ValueError(name);
  }
  std::printf("%s: done\n", name.c_str());
  co_return name;
}

Task<std::vector<std::string>> run_gather() {
  std::vector<Task<std::string>> tasks;
  tasks.push_back(worker("f", 50ms));
  tasks.push_back(worker("g", 10ms));
  tasks.push_back(worker("h", 50ms));
  co_return co_await detio::gather(std::move(tasks));
}

Task<std::vector<detio::Outcome<std::string>>> run_settled() {
  std::vector<Task<std::string>> tasks;
  tasks.push_back(worker("i", 50ms));
  tasks.push_back(worker("j", 50ms));
  co_return co_await detio::gather_settled(std::move(tasks));
}

std::string describe(const detio::Outcome<std::string>& o) {
  if (o.ok()) return o.value();
  try {
    std::rethrow_exception(o.error());
  } catch (const detio::ValueError& e) {
    return std::string("ValueError(") + e.what() + ")";
  }
}

Task<void> amain() {
  try {
    co_await detio::gather(worker("a", 10ms), worker("b", 20ms, true), worker("c", 40ms));
  } catch (const detio::ValueError& e) {
    std::printf("main: gather raised ValueError(%s)\n", e.what());
  }
  co_await detio::sleep(30ms);

  std::vector<Task<std::string>> tasks;
  tasks.push_back(worker("d", 10ms, true));
  tasks.push_back(worker("e", 20ms));
  std::vector<detio::Outcome<std::string>> results = co_await detio::gather_settled(std::move(tasks));
  std::printf("main: settled %s, %s\n", describe(results[0]).c_str(), describe(results[1]).c_str());

  auto g = detio::create_task(run_gather());
  co_await detio::sleep(20ms);
  g.cancel();
  try {
    co_await g;
  } catch (const detio::CancelledError&) {
    std::printf("main: gather cancelled\n");
  }

  auto s = detio::create_task(run_settled());
  co_await detio::sleep(10ms);
  s.cancel();
  try {
    co_await s;
  } catch (const detio::CancelledError&) {
    std::printf("main: settled gather cancelled too\n");
  }

  std::vector<int> empty = co_await detio::gather(std::vector<Task<int>>());
  std::printf("main: empty gather -> [%s]\n", empty.empty() ? "" : "?");
}

int main() { detio::sim::run(amain()); }

#include <detio/detio.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using detio::Task;

Task<std::string> child(std::string name, detio::Duration delay, bool swallow = false) {
  try {
    co_await detio::sleep(delay);
  } catch (const detio::CancelledError& e) {
    std::printf("%s: cancelled, message '%s'\n", name.c_str(), e.message().c_str());
    if (!swallow) throw;
  }
  if (swallow) {
    co_await detio::sleep(10ms);
    std::printf("%s: swallowed the cancel, returns\n", name.c_str());
  }
  co_return name;
}

Task<std::vector<detio::Outcome<std::string>>> settled(Task<std::string> a, Task<std::string> b) {
  std::vector<Task<std::string>> children;
  children.push_back(std::move(a));
  children.push_back(std::move(b));
  co_return co_await detio::gather_settled(std::move(children));
}

Task<void> cancel_after_start(Task<std::string> a, Task<std::string> b, const char* message, const char* label) {
  auto t = detio::create_task(settled(std::move(a), std::move(b)));
  co_await detio::sleep(10ms);
  t.cancel(message);
  try {
    co_await t;
    std::printf("main: not cancelled\n");
  } catch (const detio::CancelledError& e) {
    std::printf("main: %s, message '%s'\n", label, e.message().c_str());
  }
}

Task<void> amain() {
  co_await cancel_after_start(child("a", 1s), child("b", 1s), "stop now", "settled gather cancelled");
  co_await cancel_after_start(child("c", 1s), child("d", 1s, true), "second", "cancelled");
  co_await cancel_after_start(child("e", 1s, true), child("f", 1s), "third", "cancelled");
}

int main() { detio::sim::run(amain()); }

#include <detio/detio.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using detio::Task;
using detio::TaskHandle;

Task<std::string> job(std::string name, detio::Duration delay, bool fail = false) {
  co_await detio::sleep(delay);
  if (fail) throw detio::ValueError(name);
  co_return name;
}

Task<void> amain() {
  std::vector<TaskHandle<std::string>> tasks{detio::create_task(job("slow", 30ms)),
                                             detio::create_task(job("fast", 10ms)),
                                             detio::create_task(job("mid", 20ms))};
  int i = 0;
  for (auto next_done : detio::as_completed(tasks)) {
    std::string r = co_await std::move(next_done);
    std::printf("%d: %s\n", i++, r.c_str());
  }

  tasks = {detio::create_task(job("ok", 10ms)), detio::create_task(job("boom", 20ms, true)),
           detio::create_task(job("late", 100ms))};
  for (auto next_done : detio::as_completed(tasks, 50ms)) {
    try {
      std::string r = co_await std::move(next_done);
      std::printf("got %s\n", r.c_str());
    } catch (const detio::ValueError& e) {
      std::printf("error ValueError(%s)\n", e.what());
    } catch (const detio::TimeoutError&) {
      std::printf("timeout\n");
    }
  }
  std::printf("late still running: %s\n", tasks[2].done() ? "False" : "True");
  std::string late = co_await tasks[2];
  std::printf("late -> %s\n", late.c_str());
}

int main() { detio::sim::run(amain()); }

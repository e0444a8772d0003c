// Behaviours from CPython's test_queues.py (see case.py), on detio.
#include <detio/detio.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using detio::Task;

const char* py(bool b) { return b ? "True" : "False"; }

template <class Q>
void show_order(const char* name) {
  Q q;
  for (int i : {1, 3, 2}) q.put_nowait(i);
  std::string out;
  for (int k = 0; k < 3; ++k) out += (out.empty() ? "" : ", ") + std::to_string(q.get_nowait());
  std::printf("%s order: [%s]\n", name, out.c_str());
}

std::string list(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : ", ") + ("'" + s + "'");
  return "[" + out + "]";
}

Task<void> amain() {
  {
    detio::Queue<int> q(2);
    std::printf("empty: %s full: %s maxsize: %d\n", py(q.empty()), py(q.full()), q.maxsize());
    q.put_nowait(1);
    q.put_nowait(2);
    std::printf("after two puts: empty: %s full: %s qsize: %zu\n", py(q.empty()), py(q.full()), q.qsize());
    try {
      q.put_nowait(3);
    } catch (const detio::QueueFull&) {
      std::printf("put_nowait on a full queue: QueueFull\n");
    }
    q.get_nowait();
    q.get_nowait();
    try {
      q.get_nowait();
    } catch (const detio::QueueEmpty&) {
      std::printf("get_nowait on an empty queue: QueueEmpty\n");
    }
  }

  show_order<detio::Queue<int>>("Queue");
  show_order<detio::LifoQueue<int>>("LifoQueue");
  show_order<detio::PriorityQueue<int>>("PriorityQueue");

  {
    detio::Queue<std::string> q;
    auto getter = detio::create_task(q.get());
    co_await detio::sleep(10ms);
    std::printf("blocking get: done before put=%s\n", py(getter.done()));
    q.put_nowait("item");
    const std::string got = co_await getter;
    std::printf("blocking get: got '%s'\n", got.c_str());
  }

  {
    detio::Queue<std::string> q;
    auto getter = detio::create_task(q.get());
    co_await detio::sleep(0ms);
    getter.cancel();
    co_await detio::sleep(0ms);
    q.put_nowait("kept");
    std::printf("get_cancelled: getter cancelled=%s qsize=%zu\n", py(getter.cancelled()), q.qsize());
  }

  {
    detio::Queue<int> q(1);
    q.put_nowait(1);
    auto putter = detio::create_task(q.put(2));
    co_await detio::sleep(0ms);
    const int first = co_await q.get();
    std::printf("get_with_putters: got %d, putter done=%s\n", first, py(putter.done()));
    co_await putter;
    std::printf("get_with_putters: then %d\n", q.get_nowait());
  }

  {
    detio::Queue<std::string> q(1);
    q.put_nowait("first");
    auto putter = detio::create_task(q.put("never"));
    co_await detio::sleep(0ms);
    putter.cancel();
    co_await detio::sleep(0ms);
    const std::string first = q.get_nowait();
    std::printf("put_cancelled: '%s', left %zu\n", first.c_str(), q.qsize());
  }

  {
    detio::Queue<int> q(1);
    std::vector<std::string> log;
    auto put = [&](int i) -> Task<void> {
      co_await q.put(i);
      log.push_back("put " + std::to_string(i));
    };
    q.put_nowait(0);
    std::vector<detio::TaskHandle<void>> putters;
    putters.push_back(detio::create_task(put(1)));
    putters.push_back(detio::create_task(put(2)));
    co_await detio::sleep(0ms);
    for (int k = 0; k < 3; ++k) {
      const int got = co_await q.get();
      log.push_back("got " + std::to_string(got));
      co_await detio::sleep(0ms);
    }
    co_await detio::gather(putters);
    std::printf("blocking_put_wait: %s\n", list(log).c_str());
  }

  {
    detio::Queue<int> q;
    for (int i = 0; i < 5; ++i) q.put_nowait(i);
    int handled = 0;
    auto worker = [&]() -> Task<void> {
      while (true) {
        co_await q.get();
        co_await detio::sleep(10ms);
        ++handled;
        q.task_done();
      }
    };
    std::vector<detio::TaskHandle<void>> workers;
    workers.push_back(detio::create_task(worker()));
    workers.push_back(detio::create_task(worker()));
    co_await q.join();
    std::printf("task_done: join returned after %d items\n", handled);
    for (auto& w : workers) w.cancel();
    co_await detio::gather_settled(workers);

    co_await q.join();
    co_await q.join();
    std::printf("join_empty_queue: returned twice\n");
    try {
      q.task_done();
    } catch (const detio::ValueError& e) {
      std::printf("task_done_underflow: ValueError '%s'\n", e.what());
    }
  }
}

int main() { detio::sim::run(amain()); }

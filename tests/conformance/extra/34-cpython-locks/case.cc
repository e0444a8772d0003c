// Behaviours from CPython's test_locks.py (see case.py), on detio.
#include <detio/detio.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using detio::Task;

constexpr int kOneTwoThree[] = {1, 2, 3};

const char* py(bool b) { return b ? "True" : "False"; }

std::string list(const std::vector<int>& v) {
  std::string out;
  for (int x : v) out += (out.empty() ? "" : ", ") + std::to_string(x);
  return "[" + out + "]";
}

Task<void> amain() {
  detio::Lock lock;
  std::vector<int> order;
  auto taker = [&](int n) -> Task<void> {
    co_await lock.acquire();
    order.push_back(n);
    co_await detio::sleep(10ms);
    lock.release();
  };
  co_await lock.acquire();
  std::vector<detio::TaskHandle<void>> tasks;
  for (int n : kOneTwoThree) tasks.push_back(detio::create_task(taker(n)));
  co_await detio::sleep(0ms);
  lock.release();
  co_await detio::gather(tasks);
  std::printf("lock acquire: order %s, locked=%s\n", list(order).c_str(), py(lock.locked()));

  co_await lock.acquire();
  auto waiter = detio::create_task(lock.acquire());
  co_await detio::sleep(0ms);
  waiter.cancel();
  try {
    co_await waiter;
  } catch (const detio::CancelledError&) {
  }
  lock.release();
  std::printf("lock acquire_cancel: locked=%s\n", py(lock.locked()));

  try {
    lock.release();
  } catch (const detio::RuntimeError& e) {
    std::printf("lock release_not_acquired: RuntimeError '%s'\n", e.what());
  }

  bool inside = false;
  {
    auto guard = co_await lock.scoped();
    inside = lock.locked();
  }
  std::printf("lock context_manager: inside=%s after=%s\n", py(inside), py(lock.locked()));

  detio::Event ev;
  auto stays = detio::create_task(ev.wait());
  auto leaves = detio::create_task(ev.wait());
  co_await detio::sleep(0ms);
  leaves.cancel();
  co_await detio::sleep(0ms);
  ev.set();
  const bool stayed = co_await stays;
  std::printf("event wait_cancel: stays=%s leaves cancelled=%s\n", py(stayed), py(leaves.cancelled()));

  detio::Event ev2;
  auto woken = detio::create_task(ev2.wait());
  co_await detio::sleep(0ms);
  ev2.set();
  ev2.clear();
  const bool woke_up = co_await woken;
  std::printf("event clear_with_waiters: woken=%s is_set=%s\n", py(woke_up), py(ev2.is_set()));

  detio::Condition cond;
  std::vector<int> woke;
  auto cond_waiter = [&](int n) -> Task<void> {
    auto guard = co_await cond.scoped();
    co_await cond.wait();
    woke.push_back(n);
  };
  std::vector<detio::TaskHandle<void>> waiters;
  for (int n : kOneTwoThree) waiters.push_back(detio::create_task(cond_waiter(n)));
  co_await detio::sleep(0ms);
  {
    auto guard = co_await cond.scoped();
    cond.notify(1);
  }
  co_await detio::sleep(0ms);
  std::printf("condition notify(1): %s\n", list(woke).c_str());
  {
    auto guard = co_await cond.scoped();
    cond.notify(2048);
  }
  co_await detio::gather(waiters);
  std::printf("condition notify(2048): %s\n", list(woke).c_str());

  try {
    cond.notify();
  } catch (const detio::RuntimeError& e) {
    std::printf("condition notify_unacquired: RuntimeError '%s'\n", e.what());
  }
  try {
    co_await cond.wait();
  } catch (const detio::RuntimeError& e) {
    std::printf("condition wait_unacquired: RuntimeError '%s'\n", e.what());
  }

  auto cancelled_wait = [&]() -> Task<void> {
    auto guard = co_await cond.scoped();
    try {
      co_await cond.wait();
    } catch (const detio::CancelledError&) {
      std::printf("condition wait_cancel: lock held on the way out=%s\n", py(cond.locked()));
      throw;
    }
  };
  auto t = detio::create_task(cancelled_wait());
  co_await detio::sleep(0ms);
  t.cancel();
  try {
    co_await t;
  } catch (const detio::CancelledError&) {
    std::printf("condition wait_cancel: locked after=%s\n", py(cond.locked()));
  }

  detio::Lock shared;
  detio::Condition over(shared);
  {
    auto guard = co_await over.scoped();
    std::printf("condition explicit_lock: lock locked=%s\n", py(shared.locked()));
  }

  detio::Semaphore sem(0);
  std::printf("semaphore initial zero: locked=%s\n", py(sem.locked()));
  std::vector<int> got;
  auto permit = [&](int n) -> Task<void> {
    co_await sem.acquire();
    got.push_back(n);
  };
  std::vector<detio::TaskHandle<void>> takers;
  for (int n : kOneTwoThree) takers.push_back(detio::create_task(permit(n)));
  co_await detio::sleep(0ms);
  sem.release();
  sem.release();
  co_await detio::sleep(0ms);
  co_await detio::sleep(0ms);
  std::printf("semaphore acquire: got %s\n", list(got).c_str());
  sem.release();
  co_await detio::gather(takers);

  detio::BoundedSemaphore bounded(1);
  try {
    bounded.release();
  } catch (const detio::ValueError& e) {
    std::printf("bounded semaphore release_not_acquired: ValueError '%s'\n", e.what());
  }

  try {
    detio::Semaphore negative(-1);
  } catch (const detio::ValueError&) {
    std::printf("semaphore initial_value_negative: ValueError\n");
  }
}

int main() { detio::sim::run(amain()); }

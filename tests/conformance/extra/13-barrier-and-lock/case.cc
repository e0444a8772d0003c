#include <detio/detio.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

std::vector<std::string> out;

const char* py_bool(bool b) { return b ? "True" : "False"; }

detio::Task<void> yields(int n) {
  for (int i = 0; i < n; ++i) co_await detio::sleep(0ms);
}

detio::Task<int> party(std::string name, detio::Barrier& barrier, std::vector<int> delays) {
  for (std::size_t r = 0; r < delays.size(); ++r) {
    co_await yields(delays[r]);
    out.push_back(name + " arrives for round " + std::to_string(r) + " (n_waiting " +
                  std::to_string(barrier.n_waiting()) + ")");
    int index = 0;
    try {
      index = co_await barrier.wait();
    } catch (const detio::BrokenBarrierError&) {
      out.push_back(name + " round " + std::to_string(r) + ": BrokenBarrierError");
      co_return -1;
    }
    out.push_back(name + " round " + std::to_string(r) + " index " + std::to_string(index));
  }
  co_return static_cast<int>(delays.size());
}

detio::Task<void> barrier_part() {
  detio::Barrier b(3);
  std::vector<int> d0 = {0, 2}, d1 = {1, 0}, d2 = {3, 1}, dx = {3};
  std::vector<detio::TaskHandle<int>> tasks;
  tasks.push_back(detio::create_task(party("p0", b, d0)));
  tasks.push_back(detio::create_task(party("p1", b, d1)));
  tasks.push_back(detio::create_task(party("p2", b, d2)));
  tasks.push_back(detio::create_task(party("x", b, dx)));
  co_await yields(12);
  out.push_back("main: n_waiting " + std::to_string(b.n_waiting()) + " broken " + py_bool(b.broken()));
  co_await b.abort();
  out.push_back("main aborted: n_waiting " + std::to_string(b.n_waiting()) + " broken " + py_bool(b.broken()));
  for (auto& t : tasks) {
    int r = co_await t;
    out.push_back("party returned " + std::to_string(r));
  }
  try {
    co_await b.wait();
  } catch (const detio::BrokenBarrierError&) {
    out.push_back("wait after abort: BrokenBarrierError");
  }
}

detio::Task<void> locker(std::string name, detio::Lock& lock, int hold) {
  out.push_back(name + " acquiring (locked " + py_bool(lock.locked()) + ")");
  try {
    co_await lock.acquire();
  } catch (const detio::CancelledError&) {
    out.push_back(name + " cancelled while acquiring (locked " + py_bool(lock.locked()) + ")");
    throw;
  }
  out.push_back(name + " acquired");
  co_await yields(hold);
  out.push_back(name + " releases");
  lock.release();
}

detio::Task<void> lock_part() {
  detio::Lock lock;
  co_await lock.acquire();
  std::vector<detio::TaskHandle<void>> ls;
  for (int i = 0; i < 3; ++i) ls.push_back(detio::create_task(locker("l" + std::to_string(i), lock, 1)));
  co_await yields(1);
  ls[1].cancel();
  out.push_back("main cancelled l1");
  co_await yields(1);
  out.push_back("main releases");
  lock.release();
  for (auto& t : ls) {
    try {
      co_await t;
    } catch (const detio::CancelledError&) {
      out.push_back("main: l1 was cancelled");
    }
  }
  out.push_back(std::string("round 1 done, locked ") + py_bool(lock.locked()));

  co_await lock.acquire();
  std::vector<detio::TaskHandle<void>> ms;
  for (int i = 0; i < 3; ++i) ms.push_back(detio::create_task(locker("m" + std::to_string(i), lock, 2)));
  co_await yields(1);
  out.push_back("main releases, cancels the woken m0, then acquires again");
  lock.release();
  ms[0].cancel();
  co_await lock.acquire();
  out.push_back("main acquired again");
  lock.release();
  for (auto& t : ms) {
    try {
      co_await t;
    } catch (const detio::CancelledError&) {
      out.push_back("main: m0 was cancelled");
    }
  }
  out.push_back(std::string("round 2 done, locked ") + py_bool(lock.locked()));
  try {
    lock.release();
  } catch (const detio::RuntimeError&) {
    out.push_back("release of unlocked lock: RuntimeError");
  }
}

detio::Task<void> amain() {
  co_await barrier_part();
  co_await lock_part();
  for (const auto& line : out) std::printf("%s\n", line.c_str());
}

}  // namespace

int main() { detio::sim::run(amain()); }

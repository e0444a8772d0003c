#include <detio/detio.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

std::vector<std::string> out;

const char* py_bool(bool b) { return b ? "True" : "False"; }

detio::Task<void> spinner(std::string name, int n) {
  for (int i = 0; i < n; ++i) {
    out.push_back(name + " spin " + std::to_string(i));
    co_await detio::sleep(0ms);
  }
}

detio::Task<void> ev_waiter(std::string name, detio::Event& ev) {
  out.push_back(name + " waiting, is_set=" + py_bool(ev.is_set()));
  try {
    co_await ev.wait();
  } catch (const detio::CancelledError&) {
    out.push_back(name + " cancelled");
    throw;
  }
  out.push_back(name + " woke, is_set=" + py_bool(ev.is_set()));
}

detio::Task<void> cond_waiter(std::string name, detio::Condition& cond) {
  {
    auto guard = co_await cond.scoped();
    out.push_back(name + " waits");
    co_await cond.wait();
    out.push_back(name + " notified");
  }
  out.push_back(name + " released");
}

struct State {
  int n = 0;
};

detio::Task<void> pred_waiter(std::string name, detio::Condition& cond, State& state, int target) {
  auto guard = co_await cond.scoped();
  out.push_back(name + " wait_for n>=" + std::to_string(target));
  auto pred = [&state, target] { return state.n >= target; };
  co_await cond.wait_for(pred);
  out.push_back(name + " sees n=" + std::to_string(state.n));
}

detio::Task<void> event_part() {
  detio::Event ev;
  std::vector<detio::TaskHandle<void>> waiters;
  for (int i = 0; i < 4; ++i) waiters.push_back(detio::create_task(ev_waiter("w" + std::to_string(i), ev)));
  auto sp = detio::create_task(spinner("s", 5));
  co_await detio::sleep(0ms);
  waiters[2].cancel();
  out.push_back("main set+clear");
  ev.set();
  ev.clear();
  out.push_back(std::string("main is_set=") + py_bool(ev.is_set()));
  co_await detio::sleep(0ms);
  out.push_back("main after 1 yield");
  auto late = detio::create_task(ev_waiter("late", ev));
  co_await detio::sleep(0ms);
  out.push_back("main set again");
  ev.set();
  ev.set();
  auto fast = detio::create_task(ev_waiter("fast", ev));
  std::vector<detio::TaskHandle<void>> all = waiters;
  all.push_back(late);
  all.push_back(fast);
  all.push_back(sp);
  for (auto& t : all) {
    try {
      co_await t;
    } catch (const detio::CancelledError&) {
      out.push_back("main: a waiter was cancelled");
    }
  }
  out.push_back(std::string("event part done, is_set=") + py_bool(ev.is_set()));
}

detio::Task<void> condition_part() {
  detio::Condition cond;
  State state;
  std::vector<detio::TaskHandle<void>> tasks;
  for (int i = 0; i < 5; ++i) tasks.push_back(detio::create_task(cond_waiter("c" + std::to_string(i), cond)));
  for (int t : {1, 2}) tasks.push_back(detio::create_task(pred_waiter("p" + std::to_string(t), cond, state, t)));
  tasks.push_back(detio::create_task(spinner("t", 8)));
  co_await detio::sleep(0ms);
  {
    auto guard = co_await cond.scoped();
    out.push_back("main notify(1)");
    cond.notify(1);
  }
  co_await detio::sleep(0ms);
  {
    auto guard = co_await cond.scoped();
    out.push_back("main notify(2), holding the lock over a yield");
    cond.notify(2);
    co_await detio::sleep(0ms);
    out.push_back("main releases");
  }
  co_await detio::sleep(0ms);
  {
    auto guard = co_await cond.scoped();
    state.n = 1;
    out.push_back("main n=1, notify_all");
    cond.notify_all();
  }
  co_await detio::sleep(0ms);
  co_await detio::sleep(0ms);
  {
    auto guard = co_await cond.scoped();
    state.n = 2;
    out.push_back("main n=2, notify(1)");
    cond.notify(1);
  }
  for (auto& t : tasks) co_await t;
  out.push_back(std::string("condition part done, locked=") + py_bool(cond.locked()));
}

detio::Task<void> amain() {
  co_await event_part();
  co_await condition_part();
  for (const auto& line : out) std::printf("%s\n", line.c_str());
}

}  // namespace

int main() { detio::sim::run(amain()); }

// Behaviours from CPython's test_taskgroups.py (see case.py), on detio.
#include <detio/detio.h>

#include <chrono>
#include <cstdio>
#include <string>

using namespace std::chrono_literals;
using detio::ExceptionGroup;
using detio::Task;
using detio::TaskGroup;

struct MyExc : detio::Error {
  MyExc() : detio::Error("MyExc") {}
};
struct ZeroDivision : detio::Error {
  ZeroDivision() : detio::Error("ZeroDivision") {}
};

detio::TimePoint start;
long long ms() { return (detio::now() - start) / 1ms; }
const char* py(bool b) { return b ? "True" : "False"; }

std::string name_of(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const ExceptionGroup&) {
    return "ExceptionGroup";
  } catch (const detio::Error& x) {
    return x.what();
  }
}

std::string types(const ExceptionGroup& eg) {
  std::string out;
  for (const auto& e : eg.exceptions()) out += (out.empty() ? "" : ", ") + name_of(e);
  return "[" + out + "]";
}

Task<int> value_after(detio::Duration delay, int value) {
  co_await detio::sleep(delay);
  co_return value;
}

Task<void> crash_after(detio::Duration delay) {
  co_await detio::sleep(delay);
  throw ZeroDivision();
}

Task<void> amain() {
  start = detio::now();

  detio::TaskHandle<int> t1;
  detio::TaskHandle<int> t2;
  auto body_01 = [&](TaskGroup& g) -> Task<void> {
    t1 = g.create_task(value_after(100ms, 42));
    t2 = g.create_task(value_after(200ms, 11));
    co_return;
  };
  co_await detio::task_group(body_01);
  std::printf("taskgroup_01: %d %d at %lld ms\n", t1.result(), t2.result(), ms());

  start = detio::now();
  auto body_02 = [&](TaskGroup& g) -> Task<void> {
    t1 = g.create_task(value_after(100ms, 42));
    co_await detio::sleep(150ms);
    t2 = g.create_task(value_after(200ms, 11));
  };
  co_await detio::task_group(body_02);
  std::printf("taskgroup_02: %d %d at %lld ms\n", t1.result(), t2.result(), ms());

  auto body_03 = [&](TaskGroup& g) -> Task<void> {
    t1 = g.create_task(value_after(1s, 42));
    co_await detio::sleep(150ms);
    t1.cancel();
    t2 = g.create_task(value_after(200ms, 11));
  };
  co_await detio::task_group(body_03);
  std::printf("taskgroup_03: t1 cancelled=%s t2=%d\n", py(t1.cancelled()), t2.result());

  bool sibling_cancelled = false;
  bool after_group = false;
  auto sibling = [&]() -> Task<void> {
    try {
      co_await detio::sleep(1s);
    } catch (const detio::CancelledError&) {
      sibling_cancelled = true;
      throw;
    }
  };
  auto runner_04 = [&]() -> Task<void> {
    auto body = [&](TaskGroup& g) -> Task<void> {
      g.create_task(crash_after(100ms));
      g.create_task(sibling());
      co_return;
    };
    co_await detio::task_group(body);
    after_group = true;
  };
  try {
    co_await detio::create_task(runner_04());
  } catch (const ExceptionGroup& eg) {
    std::printf("taskgroup_04: %s sibling cancelled=%s after group ran=%s\n", types(eg).c_str(),
                py(sibling_cancelled), py(after_group));
  }

  int cancelled_children = 0;
  auto sleepy = [&]() -> Task<void> {
    try {
      co_await detio::sleep(5s);
    } catch (const detio::CancelledError&) {
      ++cancelled_children;
      throw;
    }
  };
  auto runner_cancel = [&]() -> Task<void> {
    auto body = [&](TaskGroup& g) -> Task<void> {
      for (int i = 0; i < 5; ++i) g.create_task(sleepy());
      co_return;
    };
    co_await detio::task_group(body);
  };
  auto r = detio::create_task(runner_cancel());
  co_await detio::sleep(100ms);
  r.cancel("test");
  try {
    co_await r;
  } catch (const detio::CancelledError& e) {
    std::printf("cancellation: CancelledError '%s', %d children cancelled\n", e.message().c_str(),
                cancelled_children);
  }

  auto body_10 = [&](TaskGroup& g) -> Task<void> {
    t1 = g.create_task(value_after(1s, 42));
    t2 = g.create_task(value_after(2s, 11));
    throw ZeroDivision();
    co_return;
  };
  try {
    co_await detio::task_group(body_10);
  } catch (const ExceptionGroup& eg) {
    std::printf("taskgroup_10: %s t1 cancelled=%s t2 cancelled=%s\n", types(eg).c_str(), py(t1.cancelled()),
                py(t2.cancelled()));
  }

  auto runner_14 = [&]() -> Task<void> {
    auto outer = [&](TaskGroup& g1) -> Task<void> {
      g1.create_task(value_after(10s, 0));
      auto inner = [&](TaskGroup& g2) -> Task<void> {
        g2.create_task(crash_after(100ms));
        co_return;
      };
      co_await detio::task_group(inner);
    };
    co_await detio::task_group(outer);
  };
  try {
    co_await detio::create_task(runner_14());
  } catch (const ExceptionGroup& eg) {
    std::string inner;
    try {
      std::rethrow_exception(eg.exceptions().at(0));
    } catch (const ExceptionGroup& nested) {
      inner = types(nested);
    }
    std::printf("taskgroup_14: %s inside %s\n", types(eg).c_str(), inner.c_str());
  }

  auto runner_18 = [&]() -> Task<void> {
    auto body = [&](TaskGroup&) -> Task<void> {
      try {
        co_await detio::sleep(10s);
      } catch (const detio::CancelledError&) {
        throw MyExc();
      }
    };
    co_await detio::task_group(body);
  };
  r = detio::create_task(runner_18());
  co_await detio::sleep(100ms);
  r.cancel();
  try {
    co_await r;
  } catch (const ExceptionGroup& eg) {
    std::printf("taskgroup_18: %s\n", types(eg).c_str());
  }

  auto nested = []() -> Task<void> {
    // `finally: raise MyExc()`: however the sleep ends, MyExc leaves.
    try {
      co_await detio::sleep(10s);
    } catch (...) {
    }
    throw MyExc();
  };
  auto runner_19 = [&]() -> Task<void> {
    auto body = [&](TaskGroup& g) -> Task<void> {
      g.create_task(crash_after(100ms));
      co_await nested();
    };
    co_await detio::task_group(body);
  };
  try {
    co_await detio::create_task(runner_19());
  } catch (const ExceptionGroup& eg) {
    std::printf("taskgroup_19: %s\n", types(eg).c_str());
  }

  int hydras = 0;
  struct Hydra {
    static Task<void> run(TaskGroup& g, int& count) {
      ++count;
      co_await detio::sleep(10ms);
      g.create_task(run(g, count));
      g.create_task(run(g, count));
    }
  };
  auto hercules = [&]() -> Task<void> {
    while (hydras < 10) co_await detio::sleep(15ms);
    throw ZeroDivision();
  };
  auto body_25 = [&](TaskGroup& g) -> Task<void> {
    g.create_task(Hydra::run(g, hydras));
    g.create_task(hercules());
    co_return;
  };
  try {
    co_await detio::task_group(body_25);
  } catch (const ExceptionGroup& eg) {
    std::printf("taskgroup_25: %s hydras=%d\n", types(eg).c_str(), hydras);
  }

  auto body_name = [&](TaskGroup& g) -> Task<void> {
    auto t = g.create_task(detio::sleep(0ms), "yolo");
    std::printf("taskgroup_task_name: %s\n", t.get_name().c_str());
    co_return;
  };
  co_await detio::task_group(body_name);
}

int main() { detio::sim::run(amain()); }

// Fuzz target: the scheduler. The input is a program: a few workers, each a
// list of operations (sleep, a Lock critical section, Queue put/get, with
// and without timeouts, wait_for, timeout, gather, a TaskGroup, spawning
// and cancelling tasks, cancelling another worker) run under a seeded
// schedule (ready order, timer slack from the input). Checked: no crash and
// no leak (the sanitizers), the lock never held twice, no queue item lost
// (put = got + left in the queue), the run ends (a budget), and the same
// program and seed give the same run (trace hash and outcome), twice.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "detio/detio.h"
#include "fuzz_input.h"

namespace {

using namespace std::chrono_literals;
using detio::Task;
using detio_fuzz::FuzzInput;

[[noreturn]] void violated(const std::string& what) {
  std::fprintf(stderr, "scheduler_fuzzer: %s\n", what.c_str());
  std::abort();
}

struct Op {
  int kind = 0;
  int a = 0;  // a duration in ms, a worker index, a queue item...
  int b = 0;
};

struct World {
  detio::Lock lock;
  detio::Queue<int> queue;
  int inside = 0;  // tasks inside the lock
  int put = 0;
  int got = 0;
  std::vector<detio::TaskHandle<void>> workers;
  std::vector<detio::TaskHandle<void>> children;  // spawned by the workers
  std::string log;  // the outcome, for the determinism check
  explicit World(int maxsize) : queue(maxsize) {}
};

Task<void> nap(int ms) { co_await detio::sleep(std::chrono::milliseconds(ms)); }

// Counts the tasks inside the lock while it lives (cancelled ones too).
struct Inside {
  explicit Inside(int& count) : n(count) {
    if (++n != 1) violated("the lock is held by two tasks");
  }
  Inside(const Inside&) = delete;
  ~Inside() { --n; }
  int& n;
};

Task<void> critical_section(World& w, int ms) {
  auto guard = co_await w.lock.scoped();
  Inside inside(w.inside);
  co_await nap(ms);
}

Task<void> put_one(World& w, int item) {
  co_await w.queue.put(item);
  ++w.put;
}

Task<void> get_one(World& w) {
  (void)co_await w.queue.get();
  ++w.got;
}

Task<void> run_op(World& w, const Op& op, int self) {
  switch (op.kind) {
    case 0: co_await nap(op.a); break;
    case 1: co_await critical_section(w, op.a); break;
    case 2: co_await put_one(w, op.a); break;
    case 3: co_await get_one(w); break;
    case 4: co_await detio::wait_for(get_one(w), std::chrono::milliseconds(op.a)); break;
    case 5: co_await detio::wait_for(put_one(w, op.b), std::chrono::milliseconds(op.a)); break;
    case 6: co_await detio::timeout(std::chrono::milliseconds(op.a), critical_section(w, op.b)); break;
    case 7: co_await detio::gather(nap(op.a), critical_section(w, op.b)); break;
    case 8: {
      auto body = [&w, &op](detio::TaskGroup& tg) -> Task<void> {
        tg.create_task(nap(op.a));
        tg.create_task(critical_section(w, op.b));
        co_return;
      };
      co_await detio::task_group(std::move(body));
      break;
    }
    case 9: {
      detio::TaskHandle<void> child = detio::create_task(nap(op.a));
      w.children.push_back(child);
      if (op.b % 2) child.cancel("fuzz");
      break;
    }
    case 10: {
      const auto target = static_cast<std::size_t>(op.a) % w.workers.size();
      if (static_cast<int>(target) != self) w.workers[target].cancel("by worker " + std::to_string(self));
      break;
    }
    case 11: {
      auto inner = detio::create_task(critical_section(w, op.a));
      w.children.push_back(inner);
      co_await detio::shield(inner);
      break;
    }
    default: co_await detio::sleep(0ms);
  }
}

Task<void> worker(World& w, std::vector<Op> ops, int self) {
  for (const Op& op : ops) {
    try {
      co_await run_op(w, op, self);
    } catch (const detio::TimeoutError&) {
      w.log += 'T';
    } catch (const detio::ExceptionGroup&) {
      w.log += 'G';
    }
  }
}

Task<std::string> program(World& w, std::vector<std::vector<Op>> plans) {
  for (std::size_t i = 0; i < plans.size(); ++i) {
    w.workers.push_back(detio::create_task(worker(w, plans[i], static_cast<int>(i)), "w" + std::to_string(i)));
  }
  for (auto& h : w.workers) {
    try {
      co_await h;
      w.log += 'o';
    } catch (const detio::CancelledError&) {
      w.log += 'c';
    }
  }
  // Children may outlive their worker (a shielded one does).
  for (std::size_t i = 0; i < w.children.size(); ++i) {
    try {
      co_await w.children[i];
    } catch (const detio::CancelledError&) {
    }
  }
  if (w.inside != 0) violated("a task is still inside the lock");
  if (w.put != w.got + static_cast<int>(w.queue.qsize())) {
    violated("queue items lost: put " + std::to_string(w.put) + ", got " + std::to_string(w.got) + ", left " +
             std::to_string(w.queue.qsize()));
  }
  co_return w.log + " t=" + std::to_string(detio::now().time_since_epoch().count());
}

struct Decoded {
  detio::sim::Options options;
  int maxsize = 0;
  std::vector<std::vector<Op>> plans;
};

Decoded decode(const std::uint8_t* data, std::size_t size) {
  FuzzInput in(data, size);
  Decoded d;
  d.options.seed = in.u64() & 0xffff;
  d.options.explore.ready_order = static_cast<detio::sim::ReadyOrder>(in.in(0, 2));
  d.options.explore.timer_slack = std::chrono::milliseconds(in.in(0, 3));
  d.options.explore.shuffle_same_instant = in.flip();
  d.options.budget = {.max_virtual_time = std::chrono::hours(1), .max_steps = 200000};
  d.maxsize = in.in(0, 3);
  const int workers = in.in(1, 5);
  d.plans.resize(static_cast<std::size_t>(workers));
  for (auto& plan : d.plans) {
    const int n = in.in(0, 10);
    for (int i = 0; i < n; ++i) plan.push_back(Op{in.in(0, 12), in.in(0, 6), in.in(0, 6)});
  }
  return d;
}

// The outcome of one run, or the error it ended with.
std::string run_once(const Decoded& d, std::uint64_t& hash) {
  World w(d.maxsize);
  std::string outcome;
  try {
    outcome = detio::sim::run(program(w, d.plans), d.options);
  } catch (const detio::sim::HangError&) {
    outcome = "hang";
  } catch (const detio::sim::DeadlockError&) {
    outcome = "deadlock";  // e.g. a get that no put will ever answer
  }
  hash = detio::sim::last_trace_hash();
  return outcome;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Decoded d = decode(data, size);
  std::uint64_t first_hash = 0;
  std::uint64_t second_hash = 0;
  const std::string first = run_once(d, first_hash);
  const std::string second = run_once(d, second_hash);
  if (first != second || first_hash != second_hash) {
    violated("not deterministic: '" + first + "' vs '" + second + "'");
  }
  return 0;
}

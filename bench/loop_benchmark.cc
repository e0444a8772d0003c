// The loop workloads of issue 13, each on both backends (Real: the epoll
// loop of detio::run; Sim: detio::sim::run in virtual time, trace hash and
// hooks included). bench/workloads.py runs the same shapes in CPython
// asyncio and uvloop; bench/compare puts them side by side.
//   BM_SpawnAndFinish  create_task + the task running to completion
//   BM_FanOut          (i) N tasks that each sleep(0) once, gathered
//   BM_EventPingPong   (ii) one task switch through an Event
//   BM_QueuePingPong   (ii) one task switch through a Queue
//   BM_CallLater0      (iii) N call_later(0) callbacks scheduled, then run
//   BM_TimerArmFire    (iii) arm + fire of one timer, 1M timers pending
//   BM_TimeoutCancelled (iv) a timeout cancelled before it fires, 1M pending
//   BM_SleepingTasks   (v) 1M tasks asleep at once (handles kept in a vector,
//                      then gathered): RSS growth per task and peak RSS. The
//                      peak is the process's, so run it alone (bench/compare
//                      does): --benchmark_filter=BM_SleepingTasks.Sim
// Each batch runs inside one run(), so loop set-up is outside the per-item
// figure; the 1M pending timers are made with the clock paused.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <detio/detio.h>
#include <fstream>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

struct Real {
  template <class T>
  static T run(detio::Task<T> main) {
    return detio::run(std::move(main));
  }
};
struct Sim {
  template <class T>
  static T run(detio::Task<T> main) {
    return detio::sim::run(std::move(main));
  }
};

constexpr std::int64_t kPendingTimers = 1'000'000;

detio::Task<void> noop() { co_return; }

detio::Task<void> spawn_batch(std::int64_t n) {
  detio::TaskHandle<void> last;
  for (std::int64_t i = 0; i < n; ++i) {
    last = detio::create_task(noop());
    if ((i & 1023) == 1023) co_await last;  // keep the ready queue short
  }
  co_await last;
}

template <class Backend>
void BM_SpawnAndFinish(benchmark::State& state) {
  for (auto _ : state) Backend::run(spawn_batch(state.range(0)));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK_TEMPLATE(BM_SpawnAndFinish, Real)->Arg(200'000);
BENCHMARK_TEMPLATE(BM_SpawnAndFinish, Sim)->Arg(200'000);

detio::Task<void> sleep_once() { co_await detio::sleep(0ms); }

detio::Task<void> fan_out(std::int64_t n) {
  std::vector<detio::Task<void>> tasks;
  tasks.reserve(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) tasks.push_back(sleep_once());
  co_await detio::gather(std::move(tasks));
}

template <class Backend>
void BM_FanOut(benchmark::State& state) {
  for (auto _ : state) Backend::run(fan_out(state.range(0)));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK_TEMPLATE(BM_FanOut, Real)->Arg(200'000);
BENCHMARK_TEMPLATE(BM_FanOut, Sim)->Arg(200'000);

detio::Task<void> event_ping(detio::Event& mine, detio::Event& theirs, std::int64_t rounds) {
  for (std::int64_t i = 0; i < rounds; ++i) {
    co_await mine.wait();
    mine.clear();
    theirs.set();
  }
}

detio::Task<void> event_ping_pong(std::int64_t rounds) {
  detio::Event a, b;
  auto left = detio::create_task(event_ping(a, b, rounds));
  auto right = detio::create_task(event_ping(b, a, rounds));
  a.set();
  co_await left;
  co_await right;
}

// Two switches per round: a -> b and b -> a.
template <class Backend>
void BM_EventPingPong(benchmark::State& state) {
  for (auto _ : state) Backend::run(event_ping_pong(state.range(0) / 2));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK_TEMPLATE(BM_EventPingPong, Real)->Arg(1'000'000);
BENCHMARK_TEMPLATE(BM_EventPingPong, Sim)->Arg(1'000'000);

detio::Task<void> queue_ping(detio::Queue<int>& mine, detio::Queue<int>& theirs, std::int64_t rounds) {
  for (std::int64_t i = 0; i < rounds; ++i) {
    int v = co_await mine.get();
    theirs.put_nowait(v + 1);
  }
}

detio::Task<void> queue_ping_pong(std::int64_t rounds) {
  detio::Queue<int> a, b;
  auto left = detio::create_task(queue_ping(a, b, rounds));
  auto right = detio::create_task(queue_ping(b, a, rounds));
  a.put_nowait(0);
  co_await left;
  co_await right;
}

template <class Backend>
void BM_QueuePingPong(benchmark::State& state) {
  for (auto _ : state) Backend::run(queue_ping_pong(state.range(0) / 2));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK_TEMPLATE(BM_QueuePingPong, Real)->Arg(1'000'000);
BENCHMARK_TEMPLATE(BM_QueuePingPong, Sim)->Arg(1'000'000);

detio::Task<void> call_later_burst(std::int64_t n) {
  detio::Future<void> all_ran;
  std::int64_t left = n;
  auto count = [&left, &all_ran] {
    if (--left == 0) all_ran.set_result();
  };
  for (std::int64_t i = 0; i < n; ++i) detio::call_later(0s, count);
  co_await all_ran;
}

template <class Backend>
void BM_CallLater0(benchmark::State& state) {
  for (auto _ : state) Backend::run(call_later_burst(state.range(0)));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK_TEMPLATE(BM_CallLater0, Real)->Arg(1'000'000);
BENCHMARK_TEMPLATE(BM_CallLater0, Sim)->Arg(1'000'000);

// 1M timers an hour away, made with the clock paused; cancelled at the end.
class PendingTimers {
 public:
  explicit PendingTimers(benchmark::State& state) : state_(state) {
    state_.PauseTiming();
    handles_.reserve(kPendingTimers);
    for (std::int64_t i = 0; i < kPendingTimers; ++i) handles_.push_back(detio::call_later(1h + i * 1us, [] {}));
    state_.ResumeTiming();
  }
  PendingTimers(const PendingTimers&) = delete;
  ~PendingTimers() {
    state_.PauseTiming();
    for (detio::CallbackHandle& h : handles_) h.cancel();
    handles_.clear();
    state_.ResumeTiming();
  }

 private:
  benchmark::State& state_;
  std::vector<detio::CallbackHandle> handles_;
};

// Each firing arms the next: n arm + fire pairs through a heap of 1M.
struct TimerChain {
  std::int64_t left;
  detio::Future<void> done;
  void arm() {
    detio::call_later(0s, [this] {
      if (--left == 0) {
        done.set_result();
      } else {
        arm();
      }
    });
  }
};

detio::Task<void> timer_arm_fire(benchmark::State& state, std::int64_t n) {
  PendingTimers pending(state);
  TimerChain chain{n, {}};
  chain.arm();
  co_await chain.done;
}

template <class Backend>
void BM_TimerArmFire(benchmark::State& state) {
  for (auto _ : state) Backend::run(timer_arm_fire(state, state.range(0)));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK_TEMPLATE(BM_TimerArmFire, Real)->Arg(1'000'000);
BENCHMARK_TEMPLATE(BM_TimerArmFire, Sim)->Arg(1'000'000);

detio::Task<void> quick() { co_return; }

detio::Task<void> cancelled_timeouts(benchmark::State& state, std::int64_t n) {
  PendingTimers pending(state);
  for (std::int64_t i = 0; i < n; ++i) co_await detio::timeout(1s, quick());
}

template <class Backend>
void BM_TimeoutCancelled(benchmark::State& state) {
  for (auto _ : state) Backend::run(cancelled_timeouts(state, state.range(0)));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK_TEMPLATE(BM_TimeoutCancelled, Real)->Arg(1'000'000);
BENCHMARK_TEMPLATE(BM_TimeoutCancelled, Sim)->Arg(1'000'000);

// A field of /proc/self/status ("VmRSS", "VmHWM") in bytes.
double proc_status_bytes(const std::string& field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stod(line.substr(field.size() + 1)) * 1024;
  }
  return 0;
}

detio::Task<void> sleep_long() { co_await detio::sleep(1s); }

detio::Task<double> sleeping_tasks(std::int64_t n) {
  const double before = proc_status_bytes("VmRSS");
  std::vector<detio::TaskHandle<void>> handles;
  handles.reserve(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) handles.push_back(detio::create_task(sleep_long()));
  co_await detio::sleep(0s);  // every task has run up to its sleep
  const double asleep = proc_status_bytes("VmRSS");
  co_await detio::gather(std::move(handles));
  co_return (asleep - before) / static_cast<double>(n);
}

template <class Backend>
void BM_SleepingTasks(benchmark::State& state) {
  // Resets VmHWM, so that the peak is this benchmark's.
  std::ofstream("/proc/self/clear_refs") << "5";
  double bytes_per_task = 0;
  for (auto _ : state) bytes_per_task = Backend::run(sleeping_tasks(state.range(0)));
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["bytes_per_task"] = bytes_per_task;
  state.counters["peak_rss_mib"] = proc_status_bytes("VmHWM") / (1 << 20);
}
BENCHMARK_TEMPLATE(BM_SleepingTasks, Real)->Arg(1'000'000)->Iterations(1);
BENCHMARK_TEMPLATE(BM_SleepingTasks, Sim)->Arg(1'000'000)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();

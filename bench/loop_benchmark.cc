// Hot paths of the core loop, measured in virtual time (no I/O):
//   BM_SpawnAndFinish  create_task + the task running to completion
//   BM_EventPingPong   one task switch through an Event (set -> wake -> run)
//   BM_Timer           one sleep: timer insert, fire, wake
//   BM_TimerCancelled  a timeout that is cancelled before it fires
// Each benchmark runs its whole batch inside one sim::run, so loop set-up
// is outside the per-item figure. bench/compare runs the same workloads in
// Python asyncio for a ratio.
#include <benchmark/benchmark.h>

#include <chrono>
#include <detio/detio.h>

using namespace std::chrono_literals;

namespace {

detio::Task<void> noop() { co_return; }

detio::Task<void> spawn_batch(std::int64_t n) {
  detio::TaskHandle<void> last;
  for (std::int64_t i = 0; i < n; ++i) {
    last = detio::create_task(noop());
    if ((i & 1023) == 1023) co_await last;  // keep the ready queue short
  }
  co_await last;
}

void BM_SpawnAndFinish(benchmark::State& state) {
  for (auto _ : state) detio::sim::run(spawn_batch(state.range(0)));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_SpawnAndFinish)->Arg(100000);

detio::Task<void> ping(detio::Event& mine, detio::Event& theirs, std::int64_t rounds) {
  for (std::int64_t i = 0; i < rounds; ++i) {
    co_await mine.wait();
    mine.clear();
    theirs.set();
  }
}

detio::Task<void> ping_pong(std::int64_t rounds) {
  detio::Event a, b;
  auto left = detio::create_task(ping(a, b, rounds));
  auto right = detio::create_task(ping(b, a, rounds));
  a.set();
  co_await left;
  co_await right;
}

void BM_EventPingPong(benchmark::State& state) {
  for (auto _ : state) detio::sim::run(ping_pong(state.range(0)));
  // Two switches per round: a -> b and b -> a.
  state.SetItemsProcessed(state.iterations() * state.range(0) * 2);
}
BENCHMARK(BM_EventPingPong)->Arg(100000);

detio::Task<void> sleeper(std::int64_t rounds) {
  for (std::int64_t i = 0; i < rounds; ++i) co_await detio::sleep(1ms);
}

detio::Task<void> timers(std::int64_t n) {
  // 100 concurrent sleepers keep the heap non-trivial.
  std::vector<detio::TaskHandle<void>> sleepers;
  for (int i = 0; i < 100; ++i) sleepers.push_back(detio::create_task(sleeper(n / 100)));
  for (auto& s : sleepers) co_await s;
}

void BM_Timer(benchmark::State& state) {
  for (auto _ : state) detio::sim::run(timers(state.range(0)));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Timer)->Arg(100000);

detio::Task<void> quick() { co_return; }

detio::Task<void> cancelled_timeouts(std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) co_await detio::timeout(1s, quick());
}

void BM_TimerCancelled(benchmark::State& state) {
  for (auto _ : state) detio::sim::run(cancelled_timeouts(state.range(0)));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_TimerCancelled)->Arg(100000);

}  // namespace

BENCHMARK_MAIN();

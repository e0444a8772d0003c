// The simulator's own speed (issue 13, workload vii):
//   BM_EchoSeed      one seed of the echo sweep (10 client nodes x 10 lines
//                    against one server node) in this process: seeds/s
//   BM_BusyNetwork   10 client nodes x 2,000 lines through one server: loop
//                    events (spawns, steps, finishes, timers: the trace's
//                    records) per second of CPU
// bench/compare also times the sweep through detio-sweep --jobs 1, which
// adds the child protocol (one line per seed) to BM_EchoSeed.
#include <benchmark/benchmark.h>

#include "echo_scenario.h"

namespace {

void BM_EchoSeed(benchmark::State& state) {
  std::uint64_t seed = 0;
  for (auto _ : state) detio::sim::run(echo_scenario::run(10, 10), detio::sim::Options{.seed = ++seed});
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EchoSeed);

detio::Task<std::size_t> busy_network(int clients, int lines) {
  co_await echo_scenario::run(clients, lines);
  co_return detio::sim::current_trace().size();
}

void BM_BusyNetwork(benchmark::State& state) {
  std::size_t events = 0;
  for (auto _ : state) events += detio::sim::run(busy_network(10, static_cast<int>(state.range(0))));
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
}
BENCHMARK(BM_BusyNetwork)->Arg(2'000);

}  // namespace

BENCHMARK_MAIN();

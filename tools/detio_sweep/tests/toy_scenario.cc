// A toy scenario for detio-sweep's own tests, speaking the detio protocol
// through DETIO_SCENARIO_MAIN: a client on the default host exchanges `ops`
// lines (a user knob, default 10) with an echo server on node "echo", over
// the simulated network (so swarm faults hit it). Planted behaviour:
//   - seeds divisible by 97 fail (an invariant "broken" when ops >= 3, so
//     shrinking brings ops down to 3);
//   - TOY_CRASH_SEED=n aborts the process on seed n;
//   - TOY_HANG_SEED=n blocks the process (wall clock) on seed n, after
//     writing its pid to the file TOY_HANG_MARKER if that is set;
//   - TOY_LEAKY_SEED=n fails seed n when another seed ran before it in the
//     same process (state leaking from seed to seed): alone it passes;
//   - TOY_NONDETERMINISTIC=1 logs the process id: every seed's trace hash
//     then differs between processes (the determinism check must see it).
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>

#include "detio/detio.h"
#include "detio/sim/knobs.h"
#include "detio/sim/node.h"
#include "detio/sim/scenario_main.h"

namespace {

using namespace std::chrono_literals;

detio::Task<void> echo(detio::StreamReader reader, detio::StreamWriter writer) {
  try {
    for (;;) {
      std::string line = co_await reader.readline();
      if (line.empty()) break;
      writer.write(line);
      co_await writer.drain();
    }
  } catch (const detio::ConnectionError&) {
  }
  writer.close();
}

detio::Task<void> echo_node() {
  detio::Server server = co_await detio::start_server(echo, "0.0.0.0", 7000);
  co_await server.serve_forever();
}

detio::Task<void> client(int ops, int& echoed) {
  auto [reader, writer] = co_await detio::open_connection("echo", 7000);
  for (int i = 0; i < ops; ++i) {
    writer.write("line " + std::to_string(i) + "\n");
    co_await writer.drain();
    std::string back = co_await reader.readline();
    if (back.empty()) break;
    ++echoed;
    detio::sim::log("echoed " + std::to_string(i));
    co_await detio::sleep(detio::sim::random().uniform(0, 5) * 1ms);
  }
  writer.close();
}

detio::Task<void> toy(std::uint64_t seed) {
  detio::sim::spawn_node("echo", echo_node());
  co_await detio::sleep(1ms);
  const int ops = static_cast<int>(detio::sim::knob("ops", 10));
  int echoed = 0;
  try {
    co_await client(ops, echoed);
  } catch (const detio::Error& e) {
    // Injected network faults (resets, a connect that times out) are fine.
    detio::sim::log(std::string("client gave up: ") + e.what());
  }
  if (std::getenv("TOY_NONDETERMINISTIC")) detio::sim::log("pid " + std::to_string(::getpid()));
  if (seed % 97 == 0 && ops >= 3) throw std::runtime_error("toy invariant broken (planted on seeds divisible by 97)");
}

std::uint64_t env_seed(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::strtoull(v, nullptr, 10) : 0;
}

void hang() {
  if (const char* marker = std::getenv("TOY_HANG_MARKER")) {
    std::ofstream(marker) << ::getpid() << '\n';
  }
  for (;;) ::pause();
}

}  // namespace

DETIO_SCENARIO_MAIN([](const detio::sim::Options& options) {
  static int seeds_run_here = 0;
  const bool first_here = seeds_run_here++ == 0;
  if (options.seed != 0 && options.seed == env_seed("TOY_CRASH_SEED")) std::abort();
  if (options.seed != 0 && options.seed == env_seed("TOY_HANG_SEED")) hang();
  if (options.seed != 0 && options.seed == env_seed("TOY_LEAKY_SEED") && !first_here) {
    throw std::runtime_error("toy state left over from an earlier seed");
  }
  detio::sim::run(toy(options.seed), options);
})

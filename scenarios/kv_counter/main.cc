// kv_counter: the exactly-once counter service (kv_counter.h), two ways.
//
//   kv_counter --real                      on real sockets over 127.0.0.1
//   kv_counter --detio-seeds 1..500 [--detio-swarm] [...]
//                                          seeds in virtual time, with
//                                          network faults and buggify (the
//                                          detio-sweep protocol, see
//                                          detio/sim/scenario_main.h)
//   detio-sweep --seeds 1..5000 --jobs 2 -- build/release/scenarios/kv_counter
//                                          the same with a progress bar
#include <cstdio>
#include <cstring>
#include <exception>

#include <detio/detio.h>
#include <detio/sim/scenario_main.h>

#include "kv_counter.h"

namespace {

using namespace std::chrono_literals;

// The network faults every seed starts from; swarm mode varies them.
detio::sim::SweepOptions defaults() {
  detio::sim::SweepOptions o;
  o.base.faults.reset = 0.01;
  o.base.faults.delay = 0.01;
  o.base.faults.clog = 0.005;
  o.base.faults.partition = 0.002;
  o.base.faults.refuse = 0.05;
  o.base.buggify = 0.25;
  // Injected cancels (swarm mode) may end clients and connection handlers,
  // never the server itself (node "kv"'s main task): a dead server makes
  // every client retry forever.
  o.base.inject.spare_tasks = "kv";
  // Liveness: a run that has not finished after an hour of virtual time
  // is stuck (HangError names the blocked tasks).
  o.default_budget = {.max_virtual_time = std::chrono::hours(1), .max_steps = 10'000'000};
  return o;
}

int real_sockets() {
  try {
    const kv_counter::Report r = detio::run(kv_counter::on_real_sockets({}));
    std::printf("kv_counter on 127.0.0.1: %d increments acknowledged, %d retries, counters exact\n", r.increments,
                r.retries);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kv_counter on 127.0.0.1 FAILED: %s\n", e.what());
    return 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::strcmp(argv[1], "--real") == 0) return real_sockets();
  if (!detio::sim::is_scenario_protocol(argc, argv)) {
    std::fprintf(stderr,
                 "usage: %s --real | --detio-seeds A..B [--detio-swarm] [--detio-...]\n"
                 "  (or through detio-sweep: detio-sweep --seeds A..B -- %s)\n",
                 argv[0], argv[0]);
    return 2;
  }
  return detio::sim::scenario_main(
      argc, argv, [](const detio::sim::Options& o) { detio::sim::run(kv_counter::simulated({}), o); }, defaults());
}

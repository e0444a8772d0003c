// One seed = one run of the echo scenario (10 client nodes x 10 lines
// against one server node), speaking the detio-sweep protocol:
//   detio-sweep --seeds 1..20000 --jobs 1 build/release/bench/sim/echo_sweep
#include "detio/sim/scenario_main.h"
#include "echo_scenario.h"

DETIO_SCENARIO_MAIN([](const detio::sim::Options& options) { detio::sim::run(echo_scenario::run(10, 10), options); })

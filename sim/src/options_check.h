// sim::run's check of its Options, before anything runs: a setting that
// could only fail later, inside the user's I/O or the scheduler (a fault
// delay range with min > max, a ReadyOrder that is not one, a rate outside
// [0, 1]), is a ValueError naming the option. Private to sim/src.
#pragma once

#include "detio/sim/run.h"

namespace detio::sim::internal {

void check_options(const Options& options);

}  // namespace detio::sim::internal

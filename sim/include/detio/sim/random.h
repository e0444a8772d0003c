// Seeded randomness split into named streams: each stream's sequence depends
// only on (seed, stream name), so adding a draw in one subsystem does not
// shift the draws of another. The generator (Random) is xoshiro256** seeded
// through splitmix64, with distributions identical on every platform.
#pragma once

#include <string_view>

#include "detio/internal/seeded_random.h"

namespace detio::sim {

using Random = detio::internal::SeededRandom;
using detio::internal::stream_key;

// The user stream of the running simulation (named "user"). Outside a sim
// run (the real backend) it is a per-thread generator with a random seed.
Random& random();
// A named stream of the running simulation.
Random& random(std::string_view stream);

}  // namespace detio::sim

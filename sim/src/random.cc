#include "detio/sim/random.h"

#include <random>

#include "detio/sim/run.h"

namespace detio::sim {

Random& random() { return random("user"); }

Random& random(std::string_view stream) {
  if (internal::Simulation* sim = internal::Simulation::current()) return sim->stream(stream);
  // Real backend: no replay promise, so any seed will do.
  thread_local Random real_random{std::random_device{}()};
  return real_random;
}

}  // namespace detio::sim

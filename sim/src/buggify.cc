#include "detio/sim/buggify.h"

#include <string_view>

#include "detio/sim/random.h"
#include "detio/sim/run.h"

namespace detio::sim {
namespace {

// The file's base name: the same site has the same key wherever the source
// tree is checked out, so a seed replays on another machine.
std::string_view base_name(const char* file) {
  std::string_view path = file ? file : "";
  const std::size_t slash = path.find_last_of("/\\");
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::uint64_t site_key(CallSite site) {
  return stream_key(base_name(site.file)) ^ (0x9e3779b97f4a7c15ULL * (site.line + 1));
}

bool site_enabled(const internal::Simulation& sim, CallSite site) {
  const double fraction = sim.options().buggify;
  if (fraction <= 0) return false;
  // Independent of call order: a pure function of (seed, site).
  Random r(sim.options().seed ^ stream_key("buggify.sites") ^ site_key(site));
  return r.chance(fraction);
}

}  // namespace

bool buggify_enabled(CallSite site) {
  internal::Simulation* sim = internal::Simulation::current();
  return sim && site_enabled(*sim, site);
}

bool buggify(double p, CallSite site) {
  internal::Simulation* sim = internal::Simulation::current();
  if (!sim || !site_enabled(*sim, site)) return false;
  return sim->stream("buggify").chance(p);
}

}  // namespace detio::sim

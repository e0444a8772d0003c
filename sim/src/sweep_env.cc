// apply_env(): the DETIO_* environment variables of a sweep (see sweep.h).
#include <cstdlib>
#include <string>

#include "detio/errors.h"
#include "detio/sim/sweep.h"

namespace detio::sim {
namespace {

const char* env(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? v : nullptr;
}

bool env_flag(const char* name, bool& out) {
  const char* v = env(name);
  if (!v) return false;
  const std::string s = v;
  if (s == "1" || s == "true" || s == "on" || s == "yes") {
    out = true;
  } else if (s == "0" || s == "false" || s == "off" || s == "no") {
    out = false;
  } else {
    throw ValueError(std::string(name) + "='" + s + "': want 1 or 0");
  }
  return true;
}

}  // namespace

void apply_env(SweepOptions& options) {
  if (const char* v = env("DETIO_SEEDS")) {
    std::optional<SeedRange> range = parse_seed_range(v);
    if (!range) throw ValueError(std::string("DETIO_SEEDS='") + v + "': want A..B (A <= B) or N");
    options.seeds = *range;
  }
  if (const char* v = env("DETIO_SEED")) {
    std::optional<std::uint64_t> seed = parse_u64(v);
    if (!seed) throw ValueError(std::string("DETIO_SEED='") + v + "': want an unsigned integer");
    options.seeds = SeedRange{*seed, *seed};
  }
  if (const char* v = env("DETIO_SHARD")) {
    std::optional<Shard> shard = parse_shard(v);
    if (!shard) throw ValueError(std::string("DETIO_SHARD='") + v + "': want I/N with 0 <= I < N");
    options.shard = *shard;
  }
  if (const char* v = env("DETIO_SHRINK")) {
    std::string error;
    std::optional<Knobs> knobs = Knobs::parse(v, &error);
    if (!knobs) throw ValueError("DETIO_SHRINK: " + error);
    options.knobs = *knobs;
  }
  env_flag("DETIO_SWARM", options.swarm);
  if (const char* v = env("DETIO_TRACE")) options.trace_prefix = v;
  bool flag = false;
  if (env_flag("DETIO_KEEP_GOING", flag)) options.stop_on_first_failure = !flag;
  if (env_flag("DETIO_NO_SHRINK", flag)) options.shrink = !flag;
  if (env_flag("DETIO_PROTOCOL", flag)) options.protocol = flag ? stdout : nullptr;
}

}  // namespace detio::sim

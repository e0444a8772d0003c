#include "recheck.h"

#include "child.h"
#include "commands.h"
#include "protocol.h"

namespace detio_sweep {

void recheck_alone(const Config& config, std::vector<SeedFailure>& failures, std::size_t limit) {
  for (std::size_t i = 0; i < failures.size() && i < limit; ++i) {
    SeedFailure& f = failures[i];
    if (f.nondeterministic) continue;
    const ChildRequest request{detio::sim::SeedRange{f.seed, f.seed}, false, "", false};
    const Finished run = run_to_end(child_command(config, request), config.verbose, config.timeout_seconds);
    for (const std::string& line : run.lines) {
      std::optional<SeedLine> s = parse_seed_line(line);
      if (s && s->seed == f.seed) f.passes_alone = s->ok;
    }
  }
}

}  // namespace detio_sweep

// Failing seeds re-run alone. A seed runs after the others of its chunk in
// one child process, so a program that leaks state from seed to seed (a
// static, a global cache) can fail a seed that passes on its own, and its
// one-seed replay line would then pass. Each failure shown in the summary is
// re-run alone in a fresh process; one that passes is marked passes_alone,
// and the summary replays its chunk instead.
#pragma once

#include <cstddef>
#include <vector>

#include "flags.h"
#include "runner.h"

namespace detio_sweep {

// Re-runs the first `limit` failures (not those of a determinism
// difference: two processes already disagreed on those).
void recheck_alone(const Config& config, std::vector<SeedFailure>& failures, std::size_t limit);

}  // namespace detio_sweep

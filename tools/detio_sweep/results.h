// A sweep's results: what the summary prints, and what --results writes as
// JSON for `detio-sweep merge` (and for people: jq works on it). One shard's
// or one machine's file holds the sweep's flags, the program's identity,
// the seeds run, the failures with their replay lines, the trace hashes
// (--determinism), seeds/s, and the shrunk first failure (--shrink):
//
//   {"format": "detio-sweep results 1",
//    "program": {"path": "/abs/job_queue", "fnv1a64": "9c0d...", "command": ["./job_queue"]},
//    "sweep": {"seeds": "1..3000", "shard": "2/4", "gtest": false, "swarm": false, ...},
//    "seeds_planned": 750, "seeds_run": 750, "failures": [{"seed": 1002, ...}], ...}
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "flags.h"
#include "json.h"
#include "program_identity.h"
#include "protocol.h"
#include "runner.h"

namespace detio_sweep {

struct SweepResults {
  // The sweep's flags; merged results have no shard.
  Config config;
  ProgramIdentity program;
  SweepStats stats;
  double seconds = 0;
  std::optional<ShrunkLine> shrunk;  // --shrink
  // Merged results: how many shards there were, and one line for each
  // whose results are missing ("shard 2/4: ...").
  std::uint64_t shards = 0;
  std::vector<std::string> lost;

  // 0: every seed passed; 1: a seed failed or a shard was lost; 2: the
  // sweep could not run (stats.fatal).
  int exit_status() const;
};

// The flags that make two results parts of one sweep, as one string: all of
// the sweep's flags and the program's arguments but the shard index, --jobs
// and the output files.
std::string sweep_key(const Config& config);

Json results_json(const SweepResults& results);
// Throws JsonError when a member is missing or has the wrong type.
SweepResults results_from_json(const Json& json);

// Writes atomically (a temporary file, then rename), so a killed writer
// leaves no half file. Throws std::runtime_error naming the file.
void write_results(const std::string& path, const SweepResults& results);
// Throws std::runtime_error naming the file and the problem.
SweepResults read_results(const std::string& path);

}  // namespace detio_sweep

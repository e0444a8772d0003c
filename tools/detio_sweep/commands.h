// How detio-sweep asks the swept program for seeds: the child command for a
// range of seeds (protocol flags, or DETIO_* variables for --gtest), and the
// replay lines shown to the user.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "child.h"
#include "detio/sim/internal/shell_quote.h"
#include "flags.h"

namespace detio_sweep {

struct ChildRequest {
  detio::sim::SeedRange seeds;
  // Pass the configured shard to the child (range mode); a seed list is
  // filtered by the tool instead.
  bool shard = true;
  // Per-request extras.
  std::string trace_prefix;
  bool shrink = false;
};

Command child_command(const Config& config, const ChildRequest& request);

// "detio-sweep --replay 42 [--gtest] [--swarm] [--knobs K] -- PROGRAM ARGS".
std::string tool_replay_line(const Config& config, std::uint64_t seed, const std::string& knobs);
// The program alone: "PROGRAM ARGS --detio-seeds 42 ..." or, for --gtest,
// "DETIO_SEED=42 ... PROGRAM ARGS".
std::string direct_replay_line(const Config& config, std::uint64_t seed, const std::string& knobs);
// The program alone on a range of seeds, in one process (with the
// configured shard if `sharded`).
std::string direct_line(const Config& config, const detio::sim::SeedRange& seeds, bool sharded,
                        const std::string& knobs);

using detio::sim::internal::shell_quote;
// PROGRAM ARGS, quoted for a shell.
std::string joined_command(const Config& config);

}  // namespace detio_sweep

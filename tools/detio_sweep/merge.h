// Joining the results of a sharded sweep: the shards i/N of one sweep (one
// program binary, the same flags), from any machines, become the results of
// the whole sweep, as one local run would have had them. Shards without
// results are listed as lost; the merged run then fails.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "flags.h"
#include "results.h"

namespace detio_sweep {

struct ShardResults {
  std::string name;  // where they came from (a file), for messages
  SweepResults results;
};

// `sweep`: the flags every part must have (its shard count is the number of
// shards); `program`: the binary every part must have run. Throws
// std::runtime_error for a part of another sweep or binary, a shard outside
// the count, or a shard given twice. Each missing shard i becomes a line
// "shard i/N: <why_missing(i)>" of SweepResults::lost.
SweepResults merge_results(const Config& sweep, const ProgramIdentity& program, const std::vector<ShardResults>& parts,
                           const std::function<std::string(std::uint64_t index)>& why_missing);

// `detio-sweep merge [--failures F] [--results F] FILE...`: prints the
// summary and returns the exit status.
int merge(const Config& config);

}  // namespace detio_sweep

#include "merge.h"

#include <algorithm>
#include <map>
#include <optional>
#include <stdexcept>

#include "summary.h"

namespace detio_sweep {
SweepResults merge_results(const Config& sweep, const ProgramIdentity& program, const std::vector<ShardResults>& parts,
                           const std::function<std::string(std::uint64_t index)>& why_missing) {
  const std::uint64_t count = sweep.shard.count;
  const std::string want = sweep_key(sweep);
  std::map<std::uint64_t, const ShardResults*> by_index;
  for (const ShardResults& part : parts) {
    const SweepResults& r = part.results;
    if (r.program.hash != program.hash) {
      throw std::runtime_error(part.name + " is the results of another binary: " + r.program.path + " (fnv1a64 " +
                               hash_text(r.program.hash) + "), not " + program.path + " (fnv1a64 " +
                               hash_text(program.hash) + ")");
    }
    if (sweep_key(r.config) != want) {
      throw std::runtime_error(part.name + " is the results of another sweep (its flags or program arguments differ)");
    }
    if (r.shards) throw std::runtime_error(part.name + " holds merged results already");
    auto [it, inserted] = by_index.emplace(r.config.shard.index, &part);
    if (!inserted) {
      throw std::runtime_error("shard " + r.config.shard.text() + " twice: in " + it->second->name + " and " + part.name);
    }
  }

  SweepResults merged;
  merged.config = sweep;
  merged.config.shard = detio::sim::Shard{};
  merged.program = program;
  merged.shards = count;
  SweepStats& st = merged.stats;
  st.planned = planned_seeds(merged.config);
  std::vector<ShrunkLine> shrunk;
  bool first = true;
  for (std::uint64_t i = 0; i < count; ++i) {
    auto it = by_index.find(i);
    if (it == by_index.end()) {
      merged.lost.push_back("shard " + detio::sim::Shard{i, count}.text() + ": " + why_missing(i));
      continue;
    }
    const SweepResults& r = it->second->results;
    if (first) merged.config.jobs = r.config.jobs;  // the summary's "--jobs N each"
    first = false;
    if (!r.stats.fatal.empty() && st.fatal.empty()) st.fatal = "shard " + r.config.shard.text() + ": " + r.stats.fatal;
    st.completed += r.stats.completed;
    st.failures.insert(st.failures.end(), r.stats.failures.begin(), r.stats.failures.end());
    st.hash_differences += r.stats.hash_differences;
    st.trace_hashes.insert(st.trace_hashes.end(), r.stats.trace_hashes.begin(), r.stats.trace_hashes.end());
    st.crashes += r.stats.crashes;
    st.processes += r.stats.processes;
    st.stopped_early = st.stopped_early || r.stats.stopped_early;
    merged.seconds = std::max(merged.seconds, r.seconds);
    if (r.shrunk) shrunk.push_back(*r.shrunk);
  }
  std::sort(st.failures.begin(), st.failures.end(),
            [](const SeedFailure& a, const SeedFailure& b) { return a.seed < b.seed; });
  std::sort(st.trace_hashes.begin(), st.trace_hashes.end());
  // A local run shrinks its first failure; so did the shard that had it.
  for (const ShrunkLine& s : shrunk) {
    if (!st.failures.empty() && s.seed == st.failures.front().seed) merged.shrunk = s;
  }
  return merged;
}

int merge(const Config& config) {
  std::vector<ShardResults> parts;
  for (const std::string& file : config.merge_files) parts.push_back(ShardResults{file, read_results(file)});
  const SweepResults& first = parts.front().results;
  Config sweep = first.config;
  sweep.failures_file = config.failures_file;
  sweep.results_file = config.results_file;
  SweepResults merged = merge_results(sweep, first.program, parts, [](std::uint64_t) {
    return std::string("no results file given");
  });
  return report(merged);
}

}  // namespace detio_sweep

// detio-sweep: runs a detio simulation program over many seeds in parallel
// processes (see --help, or flags.cc for the flag table).
//
//   detio-sweep --seeds 1..100000 --jobs 8 ./job_queue
//   detio-sweep --replay 4711 ./job_queue
//   detio-sweep --slurm 16 --seeds 1..1000000 ./job_queue
//   detio-sweep merge shard-*.json
#include <cstdio>
#include <optional>
#include <string>

#include "child.h"
#include "commands.h"
#include "flags.h"
#include "merge.h"
#include "program_identity.h"
#include "progress.h"
#include "protocol.h"
#include "recheck.h"
#include "runner.h"
#include "slurm.h"
#include "summary.h"

namespace detio_sweep {
namespace {

int replay(const Config& config) {
  const std::uint64_t seed = *config.replay;
  const std::string prefix = config.trace_prefix.empty() ? "detio-trace-" + std::to_string(seed) : config.trace_prefix;
  ChildRequest request{detio::sim::SeedRange{seed, seed}, false, prefix, false};
  std::printf("detio-sweep: replaying seed %llu with full tracing\n", static_cast<unsigned long long>(seed));
  std::fflush(stdout);
  Finished c = run_to_end(child_command(config, request), true);
  std::optional<SeedLine> result;
  std::vector<std::string> traces;
  for (const std::string& l : c.lines) {
    if (auto s = parse_seed_line(l); s && s->seed == seed) result = s;
    if (auto t = parse_trace_line(l)) traces.push_back(*t);
  }
  std::printf("\ndetio-sweep replay of seed %llu: ", static_cast<unsigned long long>(seed));
  if (!result) {
    std::printf("no result (%s)\n", describe_status(c.status).c_str());
    return 1;
  }
  std::printf("%s, trace hash %016llx\n", result->ok ? "ok" : "FAILED", static_cast<unsigned long long>(result->hash));
  if (!result->ok) std::printf("  failure: %s\n", result->message.c_str());
  if (traces.empty()) {
    std::printf("  (the program wrote no trace files)\n");
  } else {
    for (const std::string& t : traces) std::printf("  trace: %s\n", t.c_str());
    std::printf("  open the .json in https://ui.perfetto.dev or chrome://tracing\n");
  }
  return result->ok ? 0 : 1;
}

std::optional<ShrunkLine> shrink_seed(const Config& config, std::uint64_t seed) {
  ChildRequest request{detio::sim::SeedRange{seed, seed}, false, "", true};
  Finished c = run_to_end(child_command(config, request), config.verbose);
  for (const std::string& l : c.lines) {
    if (auto s = parse_shrunk_line(l); s && s->seed == seed) return s;
  }
  return std::nullopt;
}

int sweep(const Config& config) {
  SweepResults results;
  results.config = config;
  // Results say which binary ran: find it before the sweep, not after.
  if (!config.results_file.empty()) results.program = identify_program(config.command.front());
  Progress progress(planned_seeds(config), config.progress);
  results.stats = run_sweep(config, progress);
  progress.update(results.stats.completed, results.stats.failures.size(), true);
  results.seconds = progress.elapsed_seconds();
  if (results.stats.fatal.empty()) {
    recheck_alone(config, results.stats.failures, kFailuresInSummary);
    if (config.shrink && !results.stats.failures.empty()) {
      results.shrunk = shrink_seed(config, results.stats.failures.front().seed);
    }
  }
  return report(results);
}

}  // namespace
}  // namespace detio_sweep

int main(int argc, char** argv) {
  detio_sweep::Config config = detio_sweep::parse_flags(argc, argv);
  try {
    if (config.merge) return detio_sweep::merge(config);
    if (config.slurm_tasks) return detio_sweep::run_on_slurm(config);
    return config.replay ? detio_sweep::replay(config) : detio_sweep::sweep(config);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "detio-sweep: %s\n", e.what());
    return 2;
  }
}

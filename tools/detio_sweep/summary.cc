#include "summary.h"

#include <cstdio>
#include <fstream>

#include "commands.h"

namespace detio_sweep {
namespace {

std::string seed_text(std::uint64_t seed) { return std::to_string(seed); }

// " [passes alone: fails only after seeds A..B-1 in one process]" or "".
std::string alone_note(const SeedFailure& f) {
  if (!f.passes_alone) return "";
  if (f.chunk.first == f.seed) return " [passed when re-run alone, though it ran first in its process]";
  return " [passes alone: fails only after seeds " + detio::sim::SeedRange{f.chunk.first, f.seed - 1}.text() +
         " in the same process]";
}

void write_failures(const Config& config, const SweepStats& stats) {
  if (config.failures_file.empty() || stats.failures.empty()) return;
  std::ofstream out(config.failures_file, std::ios::trunc);
  for (const SeedFailure& f : stats.failures) out << f.seed << '\t' << f.message << alone_note(f) << '\n';
  if (!out) std::fprintf(stderr, "detio-sweep: cannot write %s\n", config.failures_file.c_str());
}

void print_failure(const Config& config, const SeedFailure& f) {
  std::printf("  seed %s: %s\n", seed_text(f.seed).c_str(), f.message.c_str());
  if (f.passes_alone && f.chunk.first < f.seed) {
    // Its own replay line passes: replay the process it failed in.
    std::printf("    alone:  passes; it fails only after seeds %s ran in the same process (state left between seeds?)\n"
                "    replay: %s\n",
                detio::sim::SeedRange{f.chunk.first, f.seed - 1}.text().c_str(),
                direct_line(config, {f.chunk.first, f.seed}, f.chunk_sharded, config.knobs).c_str());
    return;
  }
  if (f.passes_alone) {
    std::printf("    alone:  passed when re-run, though it was the first seed of its process: not deterministic?\n");
  }
  std::printf("    replay: %s\n    or:     %s\n", tool_replay_line(config, f.seed, config.knobs).c_str(),
              direct_replay_line(config, f.seed, config.knobs).c_str());
}

void print_summary(const SweepResults& r) {
  const Config& config = r.config;
  const SweepStats& stats = r.stats;
  std::printf("detio-sweep summary\n");
  std::printf("  program:      %s%s\n", joined_command(config).c_str(), config.gtest ? " (GoogleTest)" : "");
  if (config.seed_list) {
    std::printf("  seeds:        %zu listed", config.seed_list->size());
  } else {
    std::printf("  seeds:        %s", config.seeds.text().c_str());
  }
  if (config.shard.count > 1) std::printf(", shard %s", config.shard.text().c_str());
  std::printf(" (%llu to run)\n", static_cast<unsigned long long>(stats.planned));
  std::printf("  mode:         %s%s%s\n", config.swarm ? "swarm" : "fixed options",
              config.knobs.empty() ? "" : (", knobs " + config.knobs).c_str(),
              config.determinism ? ", determinism check (each seed in 2 processes)" : "");
  std::printf("  run:          %llu seeds%s\n", static_cast<unsigned long long>(stats.completed),
              stats.stopped_early ? " (stopped early: --max-failures reached)" : "");
  std::printf("  failures:     %zu", stats.failures.size());
  if (!stats.failures.empty() && !config.failures_file.empty()) {
    std::printf(" (seeds written to %s)", config.failures_file.c_str());
  }
  std::printf("\n");
  if (!r.lost.empty()) {
    std::printf("  lost shards:  %zu of %llu (their seeds did not all run)\n", r.lost.size(),
                static_cast<unsigned long long>(r.shards));
    for (const std::string& l : r.lost) std::printf("    %s\n", l.c_str());
  }
  if (config.determinism) {
    std::printf("  determinism:  %llu hash differences\n", static_cast<unsigned long long>(stats.hash_differences));
  }
  if (stats.crashes) {
    std::printf("  crashes:      %llu (children that died or timed out)\n", static_cast<unsigned long long>(stats.crashes));
  }
  const double rate = r.seconds > 0 ? static_cast<double>(stats.completed) / r.seconds : 0.0;
  if (r.shards) {
    std::printf("  time:         %.2f s, %.0f seeds/s, %llu processes in %llu shards, --jobs %d each\n", r.seconds, rate,
                static_cast<unsigned long long>(stats.processes), static_cast<unsigned long long>(r.shards),
                config.jobs);
  } else {
    std::printf("  time:         %.2f s, %.0f seeds/s, %llu processes, --jobs %d\n", r.seconds, rate,
                static_cast<unsigned long long>(stats.processes), config.jobs);
  }
  for (std::size_t i = 0; i < stats.failures.size() && i < kFailuresInSummary; ++i) print_failure(config, stats.failures[i]);
  if (stats.failures.size() > kFailuresInSummary) {
    std::printf("  ... and %zu more\n", stats.failures.size() - kFailuresInSummary);
  }
  if (config.shrink && !stats.failures.empty()) {
    const std::uint64_t seed = stats.failures.front().seed;
    if (!r.shrunk) {
      std::printf("  shrink:       seed %s: the program printed no detio-shrunk line\n", seed_text(seed).c_str());
    } else if (r.shrunk->knobs.empty() || r.shrunk->knobs == config.knobs) {
      std::printf("  shrink:       seed %s: nothing simpler fails\n", seed_text(seed).c_str());
    } else {
      std::printf("  shrink:       seed %s still fails with knobs %s: %s\n    replay: %s\n    or:     %s\n",
                  seed_text(seed).c_str(), r.shrunk->knobs.c_str(), r.shrunk->message.c_str(),
                  tool_replay_line(config, seed, r.shrunk->knobs).c_str(),
                  direct_replay_line(config, seed, r.shrunk->knobs).c_str());
    }
  }
  std::printf("%s\n", r.exit_status() == 0 ? "PASS" : "FAIL");
}

}  // namespace

int report(const SweepResults& results) {
  if (!results.config.results_file.empty()) write_results(results.config.results_file, results);
  if (!results.stats.fatal.empty()) {
    std::fprintf(stderr, "detio-sweep: %s\n", results.stats.fatal.c_str());
    return 2;
  }
  write_failures(results.config, results.stats);
  print_summary(results);
  std::fflush(stdout);
  return results.exit_status();
}

}  // namespace detio_sweep

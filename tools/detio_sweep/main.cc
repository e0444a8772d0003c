// detio-sweep: runs a detio simulation program over many seeds in parallel
// processes (see --help, or flags.cc for the flag table).
//
//   detio-sweep --seeds 1..100000 --jobs 8 ./job_queue
//   detio-sweep --replay 4711 ./job_queue
#include <poll.h>

#include <cstdio>
#include <fstream>
#include <optional>
#include <string>

#include "child.h"
#include "commands.h"
#include "flags.h"
#include "progress.h"
#include "protocol.h"
#include "runner.h"

namespace detio_sweep {
namespace {

struct Collected {
  std::vector<std::string> lines;
  int status = 0;
  std::string stderr_tail;
};

// Runs one child to the end; echoes its output if `echo`.
Collected run_child(const Command& command, bool echo) {
  Collected out;
  Child child(command);
  while (child.open()) {
    pollfd fds[2];
    int n = 0;
    for (int fd : {child.stdout_fd(), child.stderr_fd()}) {
      if (fd >= 0) fds[n++] = pollfd{fd, POLLIN, 0};
    }
    ::poll(fds, static_cast<nfds_t>(n), -1);
    for (int i = 0; i < n; ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      std::vector<std::string> lines, err;
      child.read_ready(fds[i].fd, lines, echo ? &err : nullptr);
      for (std::string& l : lines) {
        if (echo) std::printf("%s\n", l.c_str());
        out.lines.push_back(std::move(l));
      }
      for (const std::string& l : err) std::fprintf(stderr, "%s\n", l.c_str());
      std::fflush(stdout);
    }
  }
  out.status = child.reap();
  out.stderr_tail = child.stderr_tail();
  return out;
}

int replay(const Config& config) {
  const std::uint64_t seed = *config.replay;
  const std::string prefix = config.trace_prefix.empty() ? "detio-trace-" + std::to_string(seed) : config.trace_prefix;
  ChildRequest request{detio::sim::SeedRange{seed, seed}, false, prefix, false};
  std::printf("detio-sweep: replaying seed %llu with full tracing\n", static_cast<unsigned long long>(seed));
  std::fflush(stdout);
  Collected c = run_child(child_command(config, request), true);
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
  Collected c = run_child(child_command(config, request), config.verbose);
  for (const std::string& l : c.lines) {
    if (auto s = parse_shrunk_line(l); s && s->seed == seed) return s;
  }
  return std::nullopt;
}

void write_failures(const Config& config, const SweepStats& stats) {
  if (config.failures_file.empty() || stats.failures.empty()) return;
  std::ofstream out(config.failures_file, std::ios::trunc);
  for (const SeedFailure& f : stats.failures) out << f.seed << '\t' << f.message << '\n';
  if (!out) std::fprintf(stderr, "detio-sweep: cannot write %s\n", config.failures_file.c_str());
}

std::string program_line(const Config& config) {
  std::string out;
  for (const std::string& a : config.command) out += (out.empty() ? "" : " ") + shell_quote(a);
  return out;
}

int sweep(const Config& config) {
  Progress progress(planned_seeds(config), config.progress);
  SweepStats stats = run_sweep(config, progress);
  progress.update(stats.completed, stats.failures.size(), true);
  const double seconds = progress.elapsed_seconds();
  if (!stats.fatal.empty()) {
    std::fprintf(stderr, "detio-sweep: %s\n", stats.fatal.c_str());
    return 2;
  }
  write_failures(config, stats);
  std::optional<ShrunkLine> shrunk;
  if (config.shrink && !stats.failures.empty()) shrunk = shrink_seed(config, stats.failures.front().seed);

  std::printf("detio-sweep summary\n");
  std::printf("  program:      %s%s\n", program_line(config).c_str(), config.gtest ? " (GoogleTest)" : "");
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
  if (!stats.failures.empty() && !config.failures_file.empty()) std::printf(" (seeds written to %s)", config.failures_file.c_str());
  std::printf("\n");
  if (config.determinism) {
    std::printf("  determinism:  %llu hash differences\n", static_cast<unsigned long long>(stats.hash_differences));
  }
  if (stats.crashes) std::printf("  crashes:      %llu (children that died or timed out)\n", static_cast<unsigned long long>(stats.crashes));
  std::printf("  time:         %.2f s, %.0f seeds/s, %llu processes, --jobs %d\n", seconds,
              seconds > 0 ? static_cast<double>(stats.completed) / seconds : 0.0,
              static_cast<unsigned long long>(stats.processes), config.jobs);
  constexpr std::size_t kShown = 5;
  for (std::size_t i = 0; i < stats.failures.size() && i < kShown; ++i) {
    const SeedFailure& f = stats.failures[i];
    std::printf("  seed %llu: %s\n    replay: %s\n    or:     %s\n", static_cast<unsigned long long>(f.seed),
                f.message.c_str(), tool_replay_line(config, f.seed, config.knobs).c_str(),
                direct_replay_line(config, f.seed, config.knobs).c_str());
  }
  if (stats.failures.size() > kShown) std::printf("  ... and %zu more\n", stats.failures.size() - kShown);
  if (config.shrink && !stats.failures.empty()) {
    const std::uint64_t seed = stats.failures.front().seed;
    if (!shrunk) {
      std::printf("  shrink:       seed %llu: the program printed no detio-shrunk line\n",
                  static_cast<unsigned long long>(seed));
    } else if (shrunk->knobs.empty() || shrunk->knobs == config.knobs) {
      std::printf("  shrink:       seed %llu: nothing simpler fails\n", static_cast<unsigned long long>(seed));
    } else {
      std::printf("  shrink:       seed %llu still fails with knobs %s: %s\n    replay: %s\n    or:     %s\n",
                  static_cast<unsigned long long>(seed), shrunk->knobs.c_str(), shrunk->message.c_str(),
                  tool_replay_line(config, seed, shrunk->knobs).c_str(),
                  direct_replay_line(config, seed, shrunk->knobs).c_str());
    }
  }
  const bool ok = stats.failures.empty();
  std::printf("%s\n", ok ? "PASS" : "FAIL");
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace detio_sweep

int main(int argc, char** argv) {
  detio_sweep::Config config = detio_sweep::parse_flags(argc, argv);
  try {
    return config.replay ? detio_sweep::replay(config) : detio_sweep::sweep(config);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "detio-sweep: %s\n", e.what());
    return 2;
  }
}

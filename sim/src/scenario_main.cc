#include "detio/sim/scenario_main.h"

#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "detio/sim/internal/shell_quote.h"

namespace detio::sim {
namespace {

using internal::shell_quote;

constexpr std::string_view kUsage =
    "detio scenario protocol: PROGRAM --detio-seeds A..B [flags] [-- ARGS]\n"
    "  --detio-seeds A..B    seeds to run (required)\n"
    "  --detio-shard I/N     only seeds s with s % N == I\n"
    "  --detio-knobs K       knobs, e.g. 'faults=off,inject=1'\n"
    "  --detio-swarm         each seed draws its own faults, schedule and injections\n"
    "  --detio-trace PREFIX  write traces (PREFIX.txt/.json)\n"
    "  --detio-stop          stop at the first failure\n"
    "  --detio-shrink        shrink the first failure\n"
    "  -- ARGS               the scenario's own arguments\n";

int bad(const char* argv0, const std::string& why) {
  std::fprintf(stderr, "%s: %s\n", argv0, why.c_str());
  std::fputs(std::string(kUsage).c_str(), stderr);
  return 2;
}

// Parses the protocol flags into `options` and the arguments after `--`
// into `args`; returns 0, or the exit status of a usage error.
int parse(int argc, char** argv, SweepOptions& options, std::vector<std::string>& args, std::string& flags) {
  bool have_seeds = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") {
      args.assign(argv + i + 1, argv + argc);
      break;
    }
    std::string value;
    const std::size_t eq = arg.find('=');
    if (arg.rfind("--detio-", 0) == 0 && eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    }
    auto need_value = [&]() -> bool {
      if (!value.empty()) return true;
      if (i + 1 >= argc) return false;
      value = argv[++i];
      return true;
    };
    if (arg == "--detio-seeds") {
      if (!need_value()) return bad(argv[0], "--detio-seeds needs a value");
      std::optional<SeedRange> range = parse_seed_range(value);
      if (!range) return bad(argv[0], "bad --detio-seeds '" + value + "' (want A..B with A <= B, or N)");
      options.seeds = *range;
      have_seeds = true;
    } else if (arg == "--detio-shard") {
      if (!need_value()) return bad(argv[0], "--detio-shard needs a value");
      std::optional<Shard> shard = parse_shard(value);
      if (!shard) return bad(argv[0], "bad --detio-shard '" + value + "' (want I/N with 0 <= I < N)");
      options.shard = *shard;
    } else if (arg == "--detio-knobs") {
      if (!need_value()) return bad(argv[0], "--detio-knobs needs a value");
      std::string error;
      std::optional<Knobs> knobs = Knobs::parse(value, &error);
      if (!knobs) return bad(argv[0], "bad --detio-knobs: " + error);
      options.knobs = *knobs;
    } else if (arg == "--detio-swarm") {
      options.swarm = true;
      flags += " --detio-swarm";
    } else if (arg == "--detio-trace") {
      if (!need_value()) return bad(argv[0], "--detio-trace needs a value");
      options.trace_prefix = value;
    } else if (arg == "--detio-stop") {
      options.stop_on_first_failure = true;
    } else if (arg == "--detio-shrink") {
      options.shrink = true;
    } else {
      return bad(argv[0], "unknown argument '" + std::string(argv[i]) + "' (a scenario's own arguments go after --)");
    }
  }
  if (!have_seeds) return bad(argv[0], "--detio-seeds is required");
  return 0;
}

}  // namespace

bool is_scenario_protocol(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--") == 0) break;
    if (std::strcmp(argv[i], "--detio-seeds") == 0 || std::strncmp(argv[i], "--detio-seeds=", 14) == 0) return true;
  }
  return false;
}

namespace {

// The protocol for a body with arguments (`with_args`) or without (`plain`).
int run_protocol(int argc, char** argv, const ScenarioBody* with_args, const SweepBody* plain, SweepOptions options) {
  options.use_env = false;
  options.stop_on_first_failure = false;
  options.shrink = false;
  options.protocol = stdout;
  options.report = stderr;
  std::vector<std::string> args;
  std::string flags;  // the flags a replay line repeats
  if (int status = parse(argc, argv, options, args, flags)) return status;
  if (plain && !args.empty()) return bad(argv[0], "this scenario takes no arguments of its own (after --)");
  std::string tail;
  if (!args.empty()) {
    tail = " --";
    for (const std::string& a : args) tail += " " + shell_quote(a);
  }
  const std::string self = self_path();
  options.replay_line = [self, flags, tail](std::uint64_t seed, const Knobs& knobs) {
    std::string line = self + " --detio-seeds " + std::to_string(seed) + flags;
    if (!knobs.empty()) line += " --detio-knobs " + shell_quote(knobs.text());
    return line + tail;
  };
  SweepBody body = plain ? *plain : SweepBody([with_args, &args](const Options& o) { (*with_args)(o, args); });
  SweepResult result = sweep(body, std::move(options));
  return result.ok() ? 0 : 1;
}

}  // namespace

int scenario_main(int argc, char** argv, const ScenarioBody& body, SweepOptions defaults) {
  return run_protocol(argc, argv, &body, nullptr, std::move(defaults));
}

int scenario_main(int argc, char** argv, const SweepBody& body, SweepOptions defaults) {
  return run_protocol(argc, argv, nullptr, &body, std::move(defaults));
}

}  // namespace detio::sim

#include "commands.h"

#include <algorithm>

namespace detio_sweep {

namespace {

std::string joined(std::vector<std::string>::const_iterator first, std::vector<std::string>::const_iterator last) {
  std::string out;
  for (; first != last; ++first) out += (out.empty() ? "" : " ") + shell_quote(*first);
  return out;
}

// Where a scenario's own arguments start: its `--`, which the protocol
// flags must come before (or the end).
std::vector<std::string>::const_iterator scenario_args(const Config& config) {
  if (config.command.empty()) return config.command.end();
  return std::find(config.command.begin() + 1, config.command.end(), "--");
}

}  // namespace

std::string joined_command(const Config& config) { return joined(config.command.begin(), config.command.end()); }

Command child_command(const Config& config, const ChildRequest& request) {
  Command c;
  c.argv = config.command;
  const bool shard = request.shard && config.shard.count > 1;
  if (config.gtest) {
    c.set_env = {{"DETIO_SEEDS", request.seeds.text()},
                 {"DETIO_PROTOCOL", "1"},
                 {"DETIO_KEEP_GOING", "1"},
                 {"DETIO_NO_SHRINK", request.shrink ? "0" : "1"}};
    // DETIO_SWARM only turns swarm on: a test that configures it keeps it.
    if (config.swarm) c.set_env.emplace_back("DETIO_SWARM", "1");
    if (shard) c.set_env.emplace_back("DETIO_SHARD", config.shard.text());
    if (!config.knobs.empty()) c.set_env.emplace_back("DETIO_SHRINK", config.knobs);
    if (!request.trace_prefix.empty()) c.set_env.emplace_back("DETIO_TRACE", request.trace_prefix);
    // Our shard is ours: GoogleTest must run the whole selected test.
    c.unset_env = {"DETIO_SEED", "GTEST_TOTAL_SHARDS", "GTEST_SHARD_INDEX", "GTEST_SHARD_STATUS_FILE"};
    if (!shard) c.unset_env.emplace_back("DETIO_SHARD");
    if (!config.swarm) c.unset_env.emplace_back("DETIO_SWARM");
    if (config.knobs.empty()) c.unset_env.emplace_back("DETIO_SHRINK");
    if (request.trace_prefix.empty()) c.unset_env.emplace_back("DETIO_TRACE");
    return c;
  }
  // The protocol flags go before the scenario's own `-- ARGS`.
  c.argv.assign(config.command.begin(), scenario_args(config));
  c.argv.push_back("--detio-seeds");
  c.argv.push_back(request.seeds.text());
  if (shard) {
    c.argv.push_back("--detio-shard");
    c.argv.push_back(config.shard.text());
  }
  if (!config.knobs.empty()) {
    c.argv.push_back("--detio-knobs");
    c.argv.push_back(config.knobs);
  }
  if (config.swarm) c.argv.push_back("--detio-swarm");
  if (!request.trace_prefix.empty()) {
    c.argv.push_back("--detio-trace");
    c.argv.push_back(request.trace_prefix);
  }
  if (request.shrink) c.argv.push_back("--detio-shrink");
  c.argv.insert(c.argv.end(), scenario_args(config), config.command.end());
  return c;
}

std::string tool_replay_line(const Config& config, std::uint64_t seed, const std::string& knobs) {
  std::string line = "detio-sweep --replay " + std::to_string(seed);
  if (config.gtest) line += " --gtest";
  if (config.swarm) line += " --swarm";
  if (!knobs.empty()) line += " --knobs " + shell_quote(knobs);
  return line + " -- " + joined_command(config);
}

std::string direct_replay_line(const Config& config, std::uint64_t seed, const std::string& knobs) {
  return direct_line(config, detio::sim::SeedRange{seed, seed}, false, knobs);
}

std::string direct_line(const Config& config, const detio::sim::SeedRange& seeds, bool sharded,
                        const std::string& knobs) {
  const bool single = seeds.first == seeds.last;
  if (config.gtest) {
    std::string line = single ? "DETIO_SEED=" + seeds.text() : "DETIO_SEEDS=" + seeds.text() + " DETIO_KEEP_GOING=1";
    if (sharded) line += " DETIO_SHARD=" + config.shard.text();
    if (config.swarm) line += " DETIO_SWARM=1";
    if (!knobs.empty()) line += " DETIO_SHRINK=" + shell_quote(knobs);
    return line + " " + joined_command(config);
  }
  std::string line = joined(config.command.begin(), scenario_args(config)) + " --detio-seeds " + seeds.text();
  if (sharded) line += " --detio-shard " + config.shard.text();
  if (config.swarm) line += " --detio-swarm";
  if (!knobs.empty()) line += " --detio-knobs " + shell_quote(knobs);
  if (scenario_args(config) != config.command.end()) line += " " + joined(scenario_args(config), config.command.end());
  return line;
}

}  // namespace detio_sweep

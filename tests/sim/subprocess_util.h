// Runs this test binary (or any command) in a child process, for tests of
// what a sweep does across processes: DETIO_SEED replay, GoogleTest
// sharding. Output is stdout and stderr together.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <string>
#include <vector>

#include "detio/sim/seed_range.h"
#include "detio/sim/sweep.h"

namespace detio::sim_test {

struct ProcessResult {
  int exit_code = -1;  // -1 if it did not exit normally
  std::string output;
};

// Runs `env VAR=value ... <this binary> args...` through the shell.
inline ProcessResult run_self(const std::vector<std::pair<std::string, std::string>>& env,
                              const std::vector<std::string>& args) {
  std::string command = "env";
  // Variables a developer may have set for the parent must not leak in.
  for (const char* name : {"DETIO_SEED", "DETIO_SEEDS", "DETIO_SHARD", "DETIO_SHRINK", "DETIO_SWARM", "DETIO_TRACE",
                           "DETIO_KEEP_GOING", "DETIO_NO_SHRINK", "DETIO_PROTOCOL", "GTEST_TOTAL_SHARDS",
                           "GTEST_SHARD_INDEX", "GTEST_OUTPUT"}) {
    command += std::string(" -u ") + name;
  }
  for (const auto& [name, value] : env) command += " " + name + "='" + value + "'";
  command += " '" + sim::self_path() + "'";
  for (const std::string& a : args) command += " '" + a + "'";
  command += " 2>&1";
  ProcessResult result;
  std::FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return result;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) result.output.append(buf, n);
  const int status = ::pclose(pipe);
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  return result;
}

// The "detio-seed <n> ok|fail <hash>" lines of a child's output, in order.
struct SeedResult {
  bool ok = true;
  std::uint64_t hash = 0;
};

inline std::vector<std::pair<std::uint64_t, SeedResult>> protocol_lines(const std::string& output) {
  std::vector<std::pair<std::uint64_t, SeedResult>> out;
  std::size_t pos = 0;
  while ((pos = output.find("detio-seed ", pos)) != std::string::npos) {
    if (pos != 0 && output[pos - 1] != '\n') {
      ++pos;
      continue;
    }
    unsigned long long seed = 0, hash = 0;
    char verdict[8] = {0};
    if (std::sscanf(output.c_str() + pos, "detio-seed %llu %7s %llx", &seed, verdict, &hash) == 3) {
      out.push_back({seed, SeedResult{std::string(verdict) == "ok", hash}});
    }
    ++pos;
  }
  return out;
}

}  // namespace detio::sim_test

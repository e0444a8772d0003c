// Sharding: the same sweep split into 4 shards covers exactly the seeds of
// one unsharded run, none twice - in process (SweepOptions::shard), through
// DETIO_SHARD, and through GoogleTest's own GTEST_TOTAL_SHARDS /
// GTEST_SHARD_INDEX (as ctest, Bazel, a Kubernetes Indexed Job or a Slurm
// array would set them), each shard a separate process.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "detio/detio.h"
#include "detio/sim/gtest.h"
#include "detio/sim/sweep.h"
#include "subprocess_util.h"

namespace {

using namespace std::chrono_literals;
using detio::sim::Options;
using detio::sim::SweepOptions;

detio::Task<void> tiny() { co_await detio::sleep(detio::sim::random().uniform(0, 5) * 1ms); }

void body(const Options& o) { detio::sim::run(tiny(), o); }

// Every seed of `seeds` appears exactly once in `parts`, and nothing else.
void expect_partition(std::vector<std::uint64_t> whole, const std::vector<std::vector<std::uint64_t>>& parts) {
  std::vector<std::uint64_t> joined;
  for (const auto& p : parts) joined.insert(joined.end(), p.begin(), p.end());
  std::sort(joined.begin(), joined.end());
  std::sort(whole.begin(), whole.end());
  EXPECT_EQ(std::adjacent_find(joined.begin(), joined.end()), joined.end()) << "a seed ran in two shards";
  EXPECT_EQ(joined, whole);
}

TEST(SweepShard, FourShardsCoverOneUnshardedRunExactlyOnce) {
  auto seeds_of = [](detio::sim::Shard shard, std::map<std::uint64_t, std::uint64_t>& hashes) {
    SweepOptions o;
    o.seeds = {1, 1000};
    o.shard = shard;
    o.use_env = false;
    std::vector<std::uint64_t> seen;
    o.on_seed = [&](const detio::sim::SeedReport& r) {
      seen.push_back(r.seed);
      hashes[r.seed] = r.hash;
    };
    detio::sim::SweepResult r = detio::sim::sweep(body, o);
    EXPECT_EQ(r.seeds_run, seen.size());
    EXPECT_EQ(r.seeds_run, shard.size_in(o.seeds));
    return seen;
  };
  std::map<std::uint64_t, std::uint64_t> whole_hashes, shard_hashes;
  std::vector<std::uint64_t> whole = seeds_of({0, 1}, whole_hashes);
  ASSERT_EQ(whole.size(), 1000u);
  std::vector<std::vector<std::uint64_t>> parts;
  for (std::uint64_t i = 0; i < 4; ++i) parts.push_back(seeds_of({i, 4}, shard_hashes));
  expect_partition(whole, parts);
  EXPECT_EQ(shard_hashes, whole_hashes) << "a seed ran differently in its shard";
}

// The sweep the child processes run: seeds 1..200, recorded through
// DETIO_PROTOCOL lines. Only as a child (DETIO_TEST_CHILD=1).
class ShardChild : public detio::sim::SimTest {
 protected:
  void SetUp() override {
    if (!std::getenv("DETIO_TEST_CHILD")) GTEST_SKIP() << "run by SweepShard.* in child processes";
  }
  void configure(SweepOptions& o) override { o.seeds = {1, 200}; }
};

DETIO_SIM_TEST_F(ShardChild, Sweep) { body(sim_options()); }

std::vector<std::uint64_t> child_seeds(std::vector<std::pair<std::string, std::string>> env, std::string* output) {
  env.emplace_back("DETIO_TEST_CHILD", "1");
  env.emplace_back("DETIO_PROTOCOL", "1");
  detio::sim_test::ProcessResult r = detio::sim_test::run_self(env, {"--gtest_filter=ShardChild.*"});
  *output = r.output;
  EXPECT_EQ(r.exit_code, 0) << r.output;
  std::vector<std::uint64_t> seeds;
  for (const auto& [seed, result] : detio::sim_test::protocol_lines(r.output)) {
    EXPECT_TRUE(result.ok);
    seeds.push_back(seed);
  }
  return seeds;
}

TEST(SweepShard, GoogleTestShardsSplitTheSweepAcrossProcesses) {
  std::string output;
  std::vector<std::uint64_t> whole = child_seeds({}, &output);
  ASSERT_EQ(whole.size(), 200u) << output;
  std::vector<std::vector<std::uint64_t>> parts;
  for (int i = 0; i < 4; ++i) {
    parts.push_back(child_seeds({{"GTEST_TOTAL_SHARDS", "4"}, {"GTEST_SHARD_INDEX", std::to_string(i)}}, &output));
    EXPECT_EQ(parts.back().size(), 50u) << output;
    // Each shard runs one of the 4 registered sub-tests.
    EXPECT_NE(output.find("[ RUN      ] ShardChild.Sweep/shard"), std::string::npos) << output;
  }
  expect_partition(whole, parts);
}

TEST(SweepShard, APassingSimTestSaysHowManySeedsItRan) {
  std::string output;
  child_seeds({{"DETIO_SEEDS", "3..9"}}, &output);
  EXPECT_NE(output.find("detio: ShardChild.Sweep: 7 seeds passed (seeds 3..9)\n"), std::string::npos) << output;
  child_seeds({{"GTEST_TOTAL_SHARDS", "2"}, {"GTEST_SHARD_INDEX", "1"}}, &output);
  EXPECT_NE(output.find("seeds passed (seeds 1..200, shard 1 of 2)\n"), std::string::npos) << output;
}

TEST(SweepShard, DetioShardSplitsTheSweepToo) {
  std::string output;
  std::vector<std::uint64_t> whole = child_seeds({}, &output);
  std::vector<std::vector<std::uint64_t>> parts;
  for (int i = 0; i < 3; ++i) parts.push_back(child_seeds({{"DETIO_SHARD", std::to_string(i) + "/3"}}, &output));
  expect_partition(whole, parts);
}

}  // namespace

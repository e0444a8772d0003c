// sim::buggify: off outside a sim run, a seeded subset of call sites per
// run, deterministic per seed.
#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "detio/detio.h"
#include "detio/sim/buggify.h"

namespace detio {
namespace {

// Three distinct call sites, each asked `n` times.
std::vector<bool> pattern(int n) {
  std::vector<bool> out;
  for (int i = 0; i < n; ++i) {
    out.push_back(sim::buggify(0.5));
    out.push_back(sim::buggify(0.5));
    out.push_back(sim::buggify(0.5));
  }
  return out;
}

std::vector<bool> run_pattern(std::uint64_t seed, double sites = 0.25) {
  sim::Options o{.seed = seed};
  o.buggify = sites;
  return sim::run([]() -> Task<std::vector<bool>> { co_return pattern(50); }(), o);
}

TEST(SimBuggify, AlwaysFalseOutsideASimRun) {
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(sim::buggify(1.0));
  EXPECT_FALSE(sim::buggify_enabled());
}

TEST(SimBuggify, SameSeedSameDecisions) {
  for (std::uint64_t seed = 0; seed < 20; ++seed) EXPECT_EQ(run_pattern(seed), run_pattern(seed)) << seed;
}

TEST(SimBuggify, SitesAreEnabledOnSomeSeedsOnly) {
  int enabled_runs = 0;
  std::set<std::vector<bool>> distinct;
  for (std::uint64_t seed = 0; seed < 64; ++seed) {
    const bool on = sim::run([]() -> Task<bool> { co_return sim::buggify_enabled(); }(), sim::Options{.seed = seed});
    enabled_runs += on ? 1 : 0;
    distinct.insert(run_pattern(seed));
  }
  // About a quarter of the runs enable a given site.
  EXPECT_GT(enabled_runs, 4);
  EXPECT_LT(enabled_runs, 32);
  EXPECT_GT(distinct.size(), 4u);
}

TEST(SimBuggify, EnabledSiteFiresWithProbabilityP) {
  // With every site enabled, p = 1 always fires and p = 0 never does.
  sim::Options o{.seed = 9};
  o.buggify = 1.0;
  sim::run(
      []() -> Task<void> {
        EXPECT_TRUE(sim::buggify_enabled());
        int hits = 0;
        for (int i = 0; i < 1000; ++i) {
          EXPECT_TRUE(sim::buggify(1.0));
          EXPECT_FALSE(sim::buggify(0.0));
          hits += sim::buggify(0.3) ? 1 : 0;
        }
        EXPECT_GT(hits, 240);
        EXPECT_LT(hits, 360);
        co_return;
      }(),
      o);
}

TEST(SimBuggify, ZeroTurnsItOff) {
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    for (bool b : run_pattern(seed, 0.0)) EXPECT_FALSE(b);
  }
}

}  // namespace
}  // namespace detio

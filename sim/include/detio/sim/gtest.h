// GoogleTest integration: a test whose body runs once per seed.
//
//   #include <detio/sim/gtest.h>
//
//   DETIO_SIM_TEST(Bank, NoOverdraft) {
//     detio::sim::run(bank_scenario(), sim_options());   // seed(): this seed
//   }
//
//   class BankSweep : public detio::sim::SimTest {
//     void configure(detio::sim::SweepOptions& o) override {
//       o.seeds = {1, 5000};
//       o.swarm = true;
//       o.base.faults.reset = 0.01;
//     }
//   };
//   DETIO_SIM_TEST_F(BankSweep, SurvivesResets) { ... }
//
// Header-only: the detio library does not link GoogleTest; the test links
// GTest::gtest itself. The body runs for every seed of the sweep (default
// seeds 1..100, stop at the first failure, then shrink it); a seed fails if
// the body throws or records a GoogleTest failure (EXPECT_*, ASSERT_*).
// A passing test prints how many seeds it ran ("detio: Bank.NoOverdraft:
// 100 seeds passed (seeds 1..100)") and records it as the test property
// detio_seeds_run. Every failure message names the seed, and the test fails
// with the seed and a one-line replay command:
//
//   DETIO_SEED=42 ./bank_test --gtest_filter=Bank.NoOverdraft
//
// All DETIO_* variables of sweep.h apply (DETIO_SEED, DETIO_SEEDS,
// DETIO_SHARD, DETIO_SHRINK, DETIO_TRACE, DETIO_PROTOCOL, ...).
//
// Sharding: under GTEST_TOTAL_SHARDS=n (set by Bazel, ctest properties, a
// Kubernetes Indexed Job or a Slurm array from its task index) each
// DETIO_SIM_TEST registers n tests, Suite.Name/shard<k>of<n>, the k-th
// running the seeds s with s % n == k. GoogleTest hands consecutive tests to
// different shards, so each shard runs one of them and the n shards
// together run every seed exactly once, with no coordinator. Without
// GTEST_TOTAL_SHARDS the test is plain Suite.Name. For example:
//
//   # ctest -j: four tests, one shard each (note the * in the filter)
//   foreach(i RANGE 3)
//     add_test(NAME bank.sweep${i} COMMAND bank_test --gtest_filter=Bank.NoOverdraft*)
//     set_tests_properties(bank.sweep${i} PROPERTIES
//       ENVIRONMENT "GTEST_TOTAL_SHARDS=4;GTEST_SHARD_INDEX=${i}")
//   endforeach()
//   # Bazel: shard_count = 4 (it sets GTEST_TOTAL_SHARDS/GTEST_SHARD_INDEX)
//   # Kubernetes Indexed Job (completions: 16), the container's command:
//   sh -c 'GTEST_TOTAL_SHARDS=16 GTEST_SHARD_INDEX=$JOB_COMPLETION_INDEX ./bank_test'
//   # Slurm (sbatch --array=0-15):
//   GTEST_TOTAL_SHARDS=16 GTEST_SHARD_INDEX=$SLURM_ARRAY_TASK_ID ./bank_test
//
// A DETIO_SIM_TEST cannot share its suite with TEST_F tests of another
// fixture (GoogleTest's rule); a plain DETIO_SIM_TEST may share its suite
// with TEST().
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "detio/sim/sweep.h"

namespace detio::sim {

class SimTest : public ::testing::Test {
 public:
  // Override to set the seed range, base Options, swarm, ... The DETIO_*
  // variables are applied afterwards.
  virtual void configure(SweepOptions& options) { (void)options; }

  // The running seed's Options (pass them to sim::run) and seed.
  const Options& sim_options() const { return *options_; }
  std::uint64_t seed() const { return options_->seed; }

  // The seed range shard this test object runs (set at registration).
  void detio_set_shard(Shard shard, std::string test_name) {
    shard_ = shard;
    test_name_ = std::move(test_name);
  }

 protected:
  // The body of the DETIO_SIM_TEST.
  virtual void sim_body() = 0;

  void run_sweep() {
    SweepOptions sweep_options;
    configure(sweep_options);
    try {
      apply_env(sweep_options);
    } catch (const std::exception& e) {
      FAIL() << e.what();
    }
    sweep_options.use_env = false;
    if (shard_.count > 1) sweep_options.shard = shard_;
    if (sweep_options.replay_command.empty()) {
      sweep_options.replay_command = self_path() + " --gtest_filter=" + test_name_;
    }
    SweepResult result = sweep(
        [this](const Options& options) {
          options_ = &options;
          const ::testing::TestResult* test_result =
              ::testing::UnitTest::GetInstance()->current_test_info()->result();
          const int before = failed_parts(*test_result);
          {
            ::testing::ScopedTrace trace(__FILE__, __LINE__, "detio seed " + std::to_string(options.seed));
            sim_body();
          }
          options_ = nullptr;
          if (failed_parts(*test_result) > before) throw AssertionsFailed();
        },
        sweep_options);
    RecordProperty("detio_seeds_run", std::to_string(result.seeds_run));
    if (result.ok()) {
      // Says what passed: a sweep of 0 seeds (an empty shard) passes too.
      const std::string shard =
          shard_.count > 1 ? ", shard " + std::to_string(shard_.index) + " of " + std::to_string(shard_.count) : "";
      std::printf("detio: %s: %llu seed%s passed (seeds %llu..%llu%s)\n", test_name_.c_str(),
                  static_cast<unsigned long long>(result.seeds_run), result.seeds_run == 1 ? "" : "s",
                  static_cast<unsigned long long>(sweep_options.seeds.first),
                  static_cast<unsigned long long>(sweep_options.seeds.last), shard.c_str());
      std::fflush(stdout);
    } else {
      const SeedFailure& f = result.failures.front();
      std::string message = "detio: seed " + std::to_string(f.seed) + " failed (" +
                            std::to_string(result.failure_count) + " of " + std::to_string(result.seeds_run) +
                            " seeds run failed): " + f.message + "\n  mix: " + f.mix + "\n  replay: " + f.replay;
      if (result.shrunk && result.shrunk->steps > 0) {
        message += "\n  shrunk (" + std::to_string(result.shrunk->runs) + " re-runs): " +
                   result.shrunk->knobs.text() + "\n    fails with: " + result.shrunk->message +
                   "\n    replay: " + result.shrunk->replay;
      }
      ADD_FAILURE() << message;
    }
  }

 private:
  struct AssertionsFailed : std::exception {
    const char* what() const noexcept override { return "GoogleTest assertions failed (see above)"; }
  };

  static int failed_parts(const ::testing::TestResult& r) {
    int failed = 0;
    for (int i = 0; i < r.total_part_count(); ++i) failed += r.GetTestPartResult(i).failed() ? 1 : 0;
    return failed;
  }

  const Options* options_ = nullptr;
  Shard shard_{};
  std::string test_name_;
};

namespace gtest_internal {

inline std::uint64_t total_shards() {
  const char* v = std::getenv("GTEST_TOTAL_SHARDS");
  if (!v) return 1;
  std::optional<std::uint64_t> n = parse_u64(v);
  return n && *n >= 1 && *n <= 100000 ? *n : 1;
}

// Registers `Test` (a SimTest subclass) once, or once per gtest shard.
// `Fixture` is the type GoogleTest keys the suite on.
template <class Test, class Fixture>
bool register_sim_test(const char* suite, const char* name, const char* file, int line) {
  const std::uint64_t n = total_shards();
  for (std::uint64_t k = 0; k < n; ++k) {
    std::string test = n == 1 ? std::string(name)
                              : std::string(name) + "/shard" + std::to_string(k) + "of" + std::to_string(n);
    std::string full = std::string(suite) + "." + test;
    ::testing::RegisterTest(suite, test.c_str(), nullptr, nullptr, file, line, [k, n, full]() -> Fixture* {
      auto* t = new Test();
      t->detio_set_shard(Shard{k, n}, full);
      return t;
    });
  }
  return true;
}

}  // namespace gtest_internal
}  // namespace detio::sim

#define DETIO_SIM_TEST_CLASS_(suite, name) suite##_##name##_DetioSimTest
#define DETIO_SIM_TEST_IMPL_(suite, name, base, fixture)                                                       \
  class DETIO_SIM_TEST_CLASS_(suite, name) : public base {                                                     \
   protected:                                                                                                   \
    void sim_body() override;                                                                                   \
    void TestBody() override { this->run_sweep(); }                                                            \
  };                                                                                                            \
  [[maybe_unused]] static const bool suite##_##name##_detio_registered =                                       \
      ::detio::sim::gtest_internal::register_sim_test<DETIO_SIM_TEST_CLASS_(suite, name), fixture>(#suite, #name, \
                                                                                                   __FILE__,   \
                                                                                                   __LINE__);  \
  void DETIO_SIM_TEST_CLASS_(suite, name)::sim_body()

// A sweep test with the default SweepOptions (seeds 1..100).
#define DETIO_SIM_TEST(suite, name) DETIO_SIM_TEST_IMPL_(suite, name, ::detio::sim::SimTest, ::testing::Test)
// A sweep test whose fixture (a SimTest subclass) configures the sweep.
#define DETIO_SIM_TEST_F(fixture, name) DETIO_SIM_TEST_IMPL_(fixture, name, fixture, fixture)

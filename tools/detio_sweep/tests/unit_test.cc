// detio-sweep's parts without processes: the JSON of --results files, the
// results round trip, merging shard results, the sbatch script and the
// reading of squeue's output.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "json.h"
#include "merge.h"
#include "results.h"
#include "slurm.h"
#include "slurm_queue.h"

namespace detio_sweep {
namespace {

std::string parse_error(const std::string& text) {
  try {
    Json::parse(text);
  } catch (const JsonError& e) {
    return e.what();
  }
  return "parsed";
}

TEST(Json, KeepsSeedsExactAndStringsIntact) {
  Json doc = Json::object();
  doc.set("max", Json::number(~std::uint64_t{0}));
  doc.set("rate", Json::number(1234.5));
  doc.set("text", Json::string("tab\there \"quoted\" back\\slash\nnew line \x01 caf\xc3\xa9 \xf0\x9f\x90\x9b"));
  Json list = Json::array();
  list.push(Json::boolean(true));
  list.push(Json());
  doc.set("list", std::move(list));
  const Json back = Json::parse(doc.dump());
  EXPECT_EQ(back.at("max").as_u64(), ~std::uint64_t{0});
  EXPECT_EQ(back.at("rate").as_double(), 1234.5);
  EXPECT_EQ(back.at("text").as_string(), doc.at("text").as_string());
  EXPECT_TRUE(back.at("list").items().at(0).as_bool());
  EXPECT_TRUE(back.at("list").items().at(1).is_null());
  EXPECT_EQ(Json::parse(R"("\u00e9\ud83d\udc1b")").as_string(), "\xc3\xa9\xf0\x9f\x90\x9b");
}

TEST(Json, InvalidUtf8IsWrittenAsReplacementCharacters) {
  // A failure message may hold any bytes a program printed.
  const std::string dumped = Json::string("bad \xff\xfe end \xc3").dump();
  EXPECT_EQ(Json::parse(dumped).as_string(), "bad \xef\xbf\xbd\xef\xbf\xbd end \xef\xbf\xbd");
}

TEST(Json, MalformedDocumentsNameTheProblemAndWhere) {
  EXPECT_EQ(parse_error("[1, 2,]"), "JSON error at byte 6: expected a value");
  EXPECT_EQ(parse_error("{\"a\": 1, \"a\": 2}"), "JSON error at byte 12: duplicate key 'a'");
  EXPECT_EQ(parse_error("\"\\ud800\""), "JSON error at byte 7: lone surrogate");
  EXPECT_EQ(parse_error("\"\xff\""), "JSON error at byte 1: invalid UTF-8");
  EXPECT_EQ(parse_error("{} x"), "JSON error at byte 3: trailing characters");
  EXPECT_EQ(parse_error(std::string(100, '[')), "JSON error at byte 65: nested too deeply");
  EXPECT_EQ(parse_error("01"), "JSON error at byte 1: trailing characters");
  EXPECT_THROW(Json::parse("-1").as_u64(), JsonError);
  EXPECT_THROW(Json::parse("1.5").as_u64(), JsonError);
  EXPECT_THROW(Json::parse("18446744073709551616").as_u64(), JsonError);
  EXPECT_THROW(Json::parse("{}").at("seeds"), JsonError);
}

SweepResults shard_results(std::uint64_t index, std::uint64_t count, std::vector<std::uint64_t> failing) {
  SweepResults r;
  r.config.command = {"./toy", "--flag", "it's"};
  r.config.seeds = {1, 100};
  r.config.shard = {index, count};
  r.config.shrink = true;
  r.config.jobs = 3;
  r.program = ProgramIdentity{"/abs/toy", 0x0123456789abcdefULL};
  r.stats.planned = r.config.shard.size_in(r.config.seeds);
  r.stats.completed = r.stats.planned;
  r.stats.processes = 2;
  for (std::uint64_t seed : failing) {
    SeedFailure f{seed, "seed " + std::to_string(seed) + " broke", {1, 100}, true};
    r.stats.failures.push_back(f);
  }
  if (!failing.empty()) r.shrunk = ShrunkLine{failing.front(), "ops=3", "still broken"};
  r.seconds = 1.5 + static_cast<double>(index);
  return r;
}

TEST(Results, RoundTripThroughJson) {
  SweepResults r = shard_results(2, 4, {6, 42});
  r.config.seed_list = std::vector<std::uint64_t>{6, 42, ~std::uint64_t{0}};
  r.config.determinism = true;
  r.config.knobs = "faults=off";
  r.stats.failures[1].passes_alone = true;
  r.stats.failures[1].chunk = {30, 60};
  r.stats.trace_hashes = {{10, 0xfeedULL}, {14, ~std::uint64_t{0}}};
  const Json j = results_json(r);
  const SweepResults back = results_from_json(Json::parse(j.dump()));
  EXPECT_EQ(back.config.command, r.config.command);
  EXPECT_EQ(back.config.seed_list, r.config.seed_list);
  EXPECT_EQ(back.config.shard, r.config.shard);
  EXPECT_EQ(back.config.knobs, "faults=off");
  EXPECT_EQ(back.program, r.program);
  ASSERT_EQ(back.stats.failures.size(), 2u);
  EXPECT_EQ(back.stats.failures[1].message, "seed 42 broke");
  EXPECT_TRUE(back.stats.failures[1].passes_alone);
  EXPECT_EQ(back.stats.failures[1].chunk, (detio::sim::SeedRange{30, 60}));
  EXPECT_EQ(back.stats.trace_hashes, r.stats.trace_hashes);
  ASSERT_TRUE(back.shrunk);
  EXPECT_EQ(back.shrunk->knobs, "ops=3");
  EXPECT_EQ(back.seconds, r.seconds);
  EXPECT_EQ(sweep_key(back.config), sweep_key(r.config));
  // The replay lines are there for people and scripts.
  EXPECT_EQ(j.at("failures").items()[1].at("chunk_replay").as_string(),
            "./toy --flag 'it'\\''s' --detio-seeds 30..42 --detio-shard 2/4 --detio-knobs faults=off");
}

TEST(Results, ABadFileSaysWhatIsWrong) {
  Json j = results_json(shard_results(0, 2, {}));
  j.set("format", Json::string("something else"));
  EXPECT_THROW(results_from_json(j), JsonError);
  j = results_json(shard_results(0, 2, {}));
  Json sweep = j.at("sweep");
  sweep.set("shard", Json::string("2/2"));
  j.set("sweep", sweep);
  try {
    results_from_json(j);
    FAIL() << "shard 2/2 accepted";
  } catch (const JsonError& e) {
    EXPECT_STREQ(e.what(), "bad shard '2/2' (want I/N with 0 <= I < N)");
  }
}

std::vector<ShardResults> four_shards() {
  return {{"a", shard_results(0, 4, {4, 8})}, {"b", shard_results(1, 4, {})},
          {"c", shard_results(2, 4, {2})}, {"d", shard_results(3, 4, {99})}};
}

std::string never_missing(std::uint64_t) { return "unexpected"; }

TEST(Merge, ShardsBecomeTheWholeSweep) {
  const std::vector<ShardResults> parts = four_shards();
  Config sweep = parts[0].results.config;
  const SweepResults m = merge_results(sweep, parts[0].results.program, parts, never_missing);
  EXPECT_EQ(m.config.shard, detio::sim::Shard{});
  EXPECT_EQ(m.stats.planned, 100u);
  EXPECT_EQ(m.stats.completed, 100u);
  EXPECT_EQ(m.stats.processes, 8u);
  std::vector<std::uint64_t> seeds;
  for (const SeedFailure& f : m.stats.failures) seeds.push_back(f.seed);
  EXPECT_EQ(seeds, (std::vector<std::uint64_t>{2, 4, 8, 99}));
  // The whole sweep's first failure is 2: shard 2/4 shrank it.
  ASSERT_TRUE(m.shrunk);
  EXPECT_EQ(m.shrunk->seed, 2u);
  EXPECT_EQ(m.seconds, 4.5);
  EXPECT_EQ(m.shards, 4u);
  EXPECT_TRUE(m.lost.empty());
  EXPECT_EQ(m.exit_status(), 1);
}

TEST(Merge, AMissingShardIsLostAndFailsTheRun) {
  std::vector<ShardResults> parts = four_shards();
  parts.erase(parts.begin() + 1);  // shard 1/4 had no failures
  const SweepResults m = merge_results(parts[0].results.config, parts[0].results.program, parts,
                                       [](std::uint64_t i) { return "task " + std::to_string(i) + " was cancelled"; });
  EXPECT_EQ(m.lost, (std::vector<std::string>{"shard 1/4: task 1 was cancelled"}));
  EXPECT_EQ(m.stats.completed, 75u);
  EXPECT_EQ(m.exit_status(), 1);
}

TEST(Merge, NoShrunkLineForTheFirstFailureMeansNone) {
  std::vector<ShardResults> parts = four_shards();
  parts[2].results.shrunk.reset();  // the shard of seed 2 printed no shrunk line
  const SweepResults m = merge_results(parts[0].results.config, parts[0].results.program, parts, never_missing);
  EXPECT_FALSE(m.shrunk) << "shrunk " << m.shrunk->seed << " is not the first failure";
}

std::string merge_error(const std::vector<ShardResults>& parts) {
  try {
    merge_results(parts[0].results.config, parts[0].results.program, parts, never_missing);
  } catch (const std::exception& e) {
    return e.what();
  }
  return "merged";
}

TEST(Merge, RefusesPartsOfAnotherBinaryOrSweepAndDuplicates) {
  std::vector<ShardResults> parts = four_shards();
  parts[3].results.program.hash = 1;
  EXPECT_EQ(merge_error(parts),
            "d is the results of another binary: /abs/toy (fnv1a64 0000000000000001), not /abs/toy (fnv1a64 "
            "0123456789abcdef)");
  parts = four_shards();
  parts[2].results.config.swarm = true;
  EXPECT_EQ(merge_error(parts), "c is the results of another sweep (its flags or program arguments differ)");
  parts = four_shards();
  parts[1].results.config.command.back() = "other";
  EXPECT_EQ(merge_error(parts), "b is the results of another sweep (its flags or program arguments differ)");
  parts = four_shards();
  parts[1].results.config.jobs = 64;  // machines may differ in size
  EXPECT_EQ(merge_error(parts), "merged");
  parts.push_back(parts[0]);
  parts.back().name = "e";
  EXPECT_EQ(merge_error(parts), "shard 0/4 twice: in a and e");
}

TEST(Slurm, TheScriptRunsOneShardPerArrayTask) {
  Config c;
  c.command = {"./job queue", "--size", "3"};
  c.seeds = {1, 3000};
  c.slurm_tasks = 4;
  c.swarm = true;
  c.knobs = "inject=2";
  const std::string script = sbatch_script(c, "/shared/d", "/home/me", "/opt/detio/bin/detio-sweep");
  for (const char* want : {"#!/bin/sh\n", "#SBATCH --array=0-3\n", "#SBATCH --cpus-per-task=1\n",
                           "#SBATCH --output=/shared/d/shard-%a.log\n", "#SBATCH --chdir=/home/me\n",
                           "exec /opt/detio/bin/detio-sweep --shard \"$SLURM_ARRAY_TASK_ID/4\" --jobs "
                           "\"${SLURM_CPUS_PER_TASK:-1}\"",
                           "--results \"/shared/d/shard-$SLURM_ARRAY_TASK_ID.json\" --failures= --no-progress",
                           " --seeds 1..3000 --swarm --knobs inject=2 --timeout 60",
                           " -- './job queue' --size 3\n"}) {
    EXPECT_NE(script.find(want), std::string::npos) << want << " not in:\n" << script;
  }
  c.jobs = 16;
  c.jobs_given = true;
  EXPECT_NE(sbatch_script(c, "/d", "/w", "ds").find("#SBATCH --cpus-per-task=16\n"), std::string::npos);
}

TEST(SlurmQueue, ReadsPendingRunningAndEndedTasks) {
  const ArrayView view = parse_array_view(
      "0|COMPLETED|None|0|\n"
      "1|FAILED|NonZeroExitCode|256|\n"
      "2|CANCELLED by 0|None|15|\n"
      "3|RUNNING|None|0|\n"
      "4-9%2|PENDING|JobArrayTaskLimit|0|\n"
      "10-16:3|PENDING|Resources|0|\n");
  EXPECT_EQ(view.waiting, 1u + 6u + 3u);
  EXPECT_FALSE(view.done());
  ASSERT_EQ(view.ended.size(), 3u);
  EXPECT_EQ(view.ended.at(1).state, "FAILED");
  EXPECT_EQ(view.ended.at(1).wait_status, 256);
  EXPECT_EQ(view.ended.at(2).state, "CANCELLED");
  EXPECT_EQ(view.ended.at(2).wait_status, 15);

  const ArrayView all_cancelled = parse_array_view("0-3|CANCELLED|None|0|\n");
  EXPECT_TRUE(all_cancelled.done());
  EXPECT_EQ(all_cancelled.ended.size(), 4u);
  EXPECT_TRUE(parse_array_view("").done());
  EXPECT_THROW(parse_array_view("garbage\n"), std::runtime_error);
  EXPECT_THROW(parse_array_view("5-2|PENDING|None|0|\n"), std::runtime_error);
}

}  // namespace
}  // namespace detio_sweep

// The trace files a sweep writes (SweepOptions::trace_prefix, DETIO_TRACE):
// the text file's header counts the event lines below it, and the JSON
// file parses.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "detio/detio.h"
#include "detio/sim/sweep.h"
#include "json_check.h"

namespace {

using namespace std::chrono_literals;
using detio::sim::Options;
using detio::sim::SweepOptions;
using detio::sim::SweepResult;

detio::Task<void> close_at_once(detio::StreamReader, detio::StreamWriter writer) {
  writer.close();
  co_return;
}

detio::Task<void> db_node() {
  detio::Server server = co_await detio::start_server(close_at_once, "", 80);
  co_await detio::sleep(10ms);
}

// Steps (hashed, not listed), spawns, timers, a node with network events
// and user lines; fails when `fail`.
detio::Task<void> traced_run(bool fail) {
  detio::TaskHandle<void> db = detio::sim::spawn_node("db", db_node());
  co_await detio::sleep(1ms);
  for (int i = 0; i < 3; ++i) {
    detio::Connection connection = co_await detio::open_connection("db", 80);
    connection.writer.close();
    detio::sim::log("connection " + std::to_string(i));
  }
  co_await db;
  if (fail) throw std::runtime_error("planted failure");
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

// Checks the text file's header count against its event lines.
void expect_header_counts_its_lines(const std::string& text) {
  std::istringstream lines(text);
  std::string header, mix_line, line;
  std::getline(lines, header);
  std::getline(lines, mix_line);
  std::smatch m;
  ASSERT_TRUE(std::regex_match(header, m, std::regex(R"(# detio trace: seed \d+, hash [0-9a-f]{16}, (\d+) events(.*))")))
      << header;
  EXPECT_EQ(mix_line.rfind("# ", 0), 0u) << mix_line;
  std::size_t event_lines = 0;
  while (std::getline(lines, line)) {
    EXPECT_EQ(line.rfind("[", 0), 0u) << line;
    ++event_lines;
  }
  EXPECT_GT(event_lines, 10u);
  // Before: the header gave the number of events hashed, steps included.
  EXPECT_EQ(std::stoul(m[1].str()), event_lines) << text;
  EXPECT_EQ(m[2].str(), " (steps not listed)");
}

SweepOptions traced_sweep(std::uint64_t first, std::uint64_t last, const std::string& prefix) {
  SweepOptions o;
  o.seeds = {first, last};
  o.use_env = false;
  o.report = nullptr;
  o.shrink = false;
  o.trace_prefix = prefix;
  return o;
}

TEST(SweepTraceFiles, ASingleSeedsTextHeaderCountsItsEventLines) {
  const std::string prefix = testing::TempDir() + "detio_sweep_trace_single";
  auto body = [](const Options& o) { detio::sim::run(traced_run(false), o); };
  SweepResult r = detio::sim::sweep(body, traced_sweep(7, 7, prefix));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.trace_files, (std::vector<std::string>{prefix + ".txt", prefix + ".json"}));
  expect_header_counts_its_lines(read_file(prefix + ".txt"));
  EXPECT_NO_THROW(detio::sim_test::parse_json(read_file(prefix + ".json")));
}

TEST(SweepTraceFiles, AFailingSeedsTracedReRunHeaderCountsItsEventLines) {
  const std::string prefix = testing::TempDir() + "detio_sweep_trace_failing";
  auto body = [](const Options& o) { detio::sim::run(traced_run(true), o); };
  SweepResult r = detio::sim::sweep(body, traced_sweep(3, 5, prefix));
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.failures.front().seed, 3u);
  ASSERT_EQ(r.trace_files, (std::vector<std::string>{prefix + "-3.txt", prefix + "-3.json"}));
  expect_header_counts_its_lines(read_file(prefix + "-3.txt"));
  EXPECT_NO_THROW(detio::sim_test::parse_json(read_file(prefix + "-3.json")));
}

}  // namespace

#include "slurm.h"

#include <fmt/format.h>
#include <signal.h>
#include <stdlib.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <thread>
#include <vector>

#include "child.h"
#include "commands.h"
#include "detio/sim/sweep.h"
#include "merge.h"
#include "program_identity.h"
#include "results.h"
#include "slurm_queue.h"
#include "summary.h"

namespace detio_sweep {
namespace {

using Clock = std::chrono::steady_clock;

volatile std::sig_atomic_t g_interrupted = 0;

extern "C" void on_interrupt(int signo) { g_interrupted = signo; }

// SIGINT and SIGTERM set g_interrupted (and interrupt a sleep) while it lives.
class InterruptCatcher {
 public:
  InterruptCatcher() {
    struct sigaction action {};
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, &old_int_);
    ::sigaction(SIGTERM, &action, &old_term_);
  }
  ~InterruptCatcher() {
    ::sigaction(SIGINT, &old_int_, nullptr);
    ::sigaction(SIGTERM, &old_term_, nullptr);
  }
  InterruptCatcher(const InterruptCatcher&) = delete;
  InterruptCatcher& operator=(const InterruptCatcher&) = delete;

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

void say(const std::string& line) {
  std::fprintf(stderr, "detio-sweep: %s\n", line.c_str());
  std::fflush(stderr);
}

std::string shard_file(const std::string& dir, std::uint64_t i, const char* ext) {
  return fmt::format("{}/shard-{}.{}", dir, i, ext);
}

// The sweep's own flags, for the tasks' detio-sweep.
std::vector<std::string> sweep_flags(const Config& c, const std::string& dir) {
  std::vector<std::string> f;
  if (c.seed_list) {
    f.insert(f.end(), {"--seeds-from", dir + "/seeds.txt"});
  } else {
    f.insert(f.end(), {"--seeds", c.seeds.text()});
  }
  if (c.gtest) f.push_back("--gtest");
  if (c.swarm) f.push_back("--swarm");
  if (!c.knobs.empty()) f.insert(f.end(), {"--knobs", c.knobs});
  if (c.determinism) f.push_back("--determinism");
  if (c.shrink) f.push_back("--shrink");
  if (c.max_failures) f.insert(f.end(), {"--max-failures", std::to_string(c.max_failures)});
  if (c.chunk) f.insert(f.end(), {"--chunk", std::to_string(c.chunk)});
  f.insert(f.end(), {"--timeout", fmt::format("{}", c.timeout_seconds)});
  if (c.verbose) f.push_back("--verbose");
  return f;
}

std::string quoted_words(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += " " + shell_quote(w);
  return out;
}

// The last `n` non-empty lines of a file, joined by " | ".
std::string file_tail(const std::string& path, std::size_t n) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    lines.push_back(line);
    if (lines.size() > n) lines.erase(lines.begin());
  }
  std::string out;
  for (const std::string& l : lines) out += (out.empty() ? "" : " | ") + l;
  return out;
}

// A fresh directory for the job's files (or the given one, emptied of
// earlier shards' files so they are never merged as this job's).
std::string job_dir(const Config& config) {
  namespace fs = std::filesystem;
  std::string dir = config.slurm_dir;
  if (dir.empty()) {
    std::string pattern = "detio-slurm-XXXXXX";
    if (!::mkdtemp(pattern.data())) throw std::runtime_error(std::string("mkdtemp: ") + std::strerror(errno));
    dir = pattern;
  } else {
    fs::create_directories(dir);
    for (std::uint64_t i = 0; i < config.slurm_tasks; ++i) {
      fs::remove(shard_file(dir, i, "json"));
      fs::remove(shard_file(dir, i, "log"));
    }
  }
  dir = fs::absolute(dir).lexically_normal().string();
  if (dir.find_first_of(" \t\n'\"\\%") != std::string::npos) {
    throw std::runtime_error("--slurm-dir " + dir + ": #SBATCH lines take no spaces, quotes or %");
  }
  return dir;
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  if (!out.flush()) throw std::runtime_error("cannot write " + path);
}

// What a command printed ("sbatch: error: ..."), on one line.
std::string output_text(const Finished& run) {
  std::string text = run.stderr_tail;
  for (const std::string& l : run.lines) text += "\n" + l;
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text;
}

std::string submit(const Config& config, const std::string& script) {
  Command sbatch;
  // The shell splits --slurm-args as the user wrote them.
  sbatch.argv = {"/bin/sh", "-c", "exec sbatch --parsable " + config.slurm_args + " \"$0\"", script};
  const Finished run = run_to_end(sbatch, false);
  std::string id = run.lines.empty() ? "" : run.lines.back();
  id = id.substr(0, id.find(';'));  // "123;cluster"
  if (run.status != 0 || id.empty() || id.find_first_not_of("0123456789") != std::string::npos) {
    throw std::runtime_error("sbatch failed (" + describe_status(run.status) + "): " + output_text(run) +
                             "\n  (no Slurm here? bash scripts/slurm-local.sh start brings up a one-node cluster)");
  }
  return id;
}

// Sleeps up to `d`; a signal cuts it short.
void nap(std::chrono::milliseconds d) {
  const Clock::time_point end = Clock::now() + d;
  while (!g_interrupted && Clock::now() < end) std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

struct WaitOutcome {
  ArrayView view;
  bool gone = false;  // Slurm forgot the job before we saw every task end
};

WaitOutcome wait_for_array(const Config& config, const std::string& job) {
  Command squeue;
  squeue.argv = {"squeue", "-h", "-j", job, "-t", "all", "-O", kSqueueFormat};
  std::chrono::milliseconds interval(500);
  const auto kMaxInterval = std::chrono::seconds(10);
  Clock::time_point failing_since{};
  std::string last_line;
  for (;;) {
    if (g_interrupted) return {};
    const Finished run = run_to_end(squeue, false, 120);
    if (run.status == 0 && !run.timed_out) {
      failing_since = {};
      std::string text;
      for (const std::string& l : run.lines) text += l + "\n";
      ArrayView view = parse_array_view(text);
      // Nothing left to wait for (no record at all: Slurm forgot the job).
      if (view.done()) return {view, view.ended.empty()};
      const std::string line =
          fmt::format("Slurm job {}: {} of {} array tasks ended", job, view.ended.size(), config.slurm_tasks);
      if (config.progress && line != last_line) say(line);
      last_line = line;
    } else if (output_text(run).find("Invalid job id") != std::string::npos) {
      return {ArrayView{}, true};
    } else {
      // The controller may be restarting: keep asking for a while.
      const Clock::time_point now = Clock::now();
      if (failing_since == Clock::time_point{}) failing_since = now;
      if (now - failing_since > std::chrono::minutes(10)) {
        throw std::runtime_error("squeue has failed for 10 minutes (" + output_text(run) + "); job " + job +
                                 " may still run: its files are in the --slurm-dir");
      }
    }
    nap(interval);
    interval = std::min<std::chrono::milliseconds>(interval * 3 / 2, kMaxInterval);
  }
}

// Why shard i has no results, from its task's end and its log.
std::string why_lost(const WaitOutcome& wait, const std::string& job, const std::string& dir, std::uint64_t i,
                     const std::string& read_error) {
  std::string why = fmt::format("Slurm array task {}_{} ", job, i);
  auto it = wait.view.ended.find(i);
  if (it != wait.view.ended.end()) {
    const TaskEnd& end = it->second;
    why += "ended " + end.state;
    if (!end.reason.empty() && end.reason != "None") why += " (" + end.reason + ")";
    why += ", " + describe_status(end.wait_status);
  } else {
    why += wait.gone ? "is no longer known to Slurm" : "is not in the job's records (cancelled before it started?)";
  }
  why += read_error.empty() ? ", without results" : ", " + read_error;
  const std::string log = shard_file(dir, i, "log");
  const std::string tail = file_tail(log, 2);
  why += "; log " + log + (tail.empty() ? " is empty" : ": " + tail);
  return why;
}

// A task that ended normally wrote its results just before; on a network
// file system they may take a moment to show here.
bool expect_results(const WaitOutcome& wait, std::uint64_t i) {
  auto it = wait.view.ended.find(i);
  return it != wait.view.ended.end() && (it->second.state == "COMPLETED" || it->second.state == "FAILED");
}

// The shards' results files that are there and readable; why the others
// could not be read goes to `read_errors`.
std::vector<ShardResults> collect(const Config& config, const std::string& dir, const WaitOutcome& wait,
                                  std::map<std::uint64_t, std::string>& read_errors) {
  std::vector<ShardResults> parts;
  for (std::uint64_t i = 0; i < config.slurm_tasks; ++i) {
    const std::string file = shard_file(dir, i, "json");
    const Clock::time_point give_up = Clock::now() + std::chrono::seconds(30);
    while (!std::filesystem::exists(file) && expect_results(wait, i) && Clock::now() < give_up && !g_interrupted) {
      nap(std::chrono::milliseconds(500));
    }
    if (!std::filesystem::exists(file)) continue;
    try {
      parts.push_back(ShardResults{file, read_results(file)});
    } catch (const std::exception& e) {
      read_errors[i] = e.what();
    }
  }
  return parts;
}

}  // namespace

std::string sbatch_script(const Config& config, const std::string& dir, const std::string& workdir,
                          const std::string& self) {
  const std::uint64_t n = config.slurm_tasks;
  std::string script = fmt::format(
      "#!/bin/sh\n"
      "# Written by detio-sweep --slurm {0}: array task i runs shard i/{0} of the sweep\n"
      "# and writes its results to {1}/shard-i.json; the detio-sweep that\n"
      "# submitted this job merges them (detio-sweep merge {1}/shard-*.json does too).\n"
      "#SBATCH --job-name=detio-sweep\n"
      "#SBATCH --array=0-{2}\n"
      "#SBATCH --cpus-per-task={3}\n"
      "#SBATCH --output={1}/shard-%a.log\n"
      "#SBATCH --chdir={4}\n",
      n, dir, n - 1, config.jobs_given ? config.jobs : 1, workdir);
  script += "exec " + shell_quote(self) + " --shard \"$SLURM_ARRAY_TASK_ID/" + std::to_string(n) +
            "\" --jobs \"${SLURM_CPUS_PER_TASK:-1}\" \\\n  --results \"" + dir +
            "/shard-$SLURM_ARRAY_TASK_ID.json\" --failures= --no-progress \\\n " +
            quoted_words(sweep_flags(config, dir)) + " \\\n  --" + quoted_words(config.command) + "\n";
  return script;
}

int run_on_slurm(const Config& config) {
  const ProgramIdentity program = identify_program(config.command.front());
  const std::string dir = job_dir(config);
  const std::string workdir = std::filesystem::current_path().string();
  if (workdir.find_first_of(" \t\n'\"\\%") != std::string::npos) {
    throw std::runtime_error("--slurm: the working directory " + workdir + " has spaces, quotes or %");
  }
  if (config.seed_list) {
    std::string seeds;
    for (std::uint64_t s : *config.seed_list) seeds += std::to_string(s) + "\n";
    write_file(dir + "/seeds.txt", seeds);
  }
  const std::string script_path = dir + "/sweep.sbatch";
  write_file(script_path, sbatch_script(config, dir, workdir, detio::sim::self_path()));

  InterruptCatcher catcher;
  const Clock::time_point start = Clock::now();
  const std::string job = submit(config, script_path);
  say(fmt::format("submitted Slurm job {} ({} array tasks; script, results and logs in {})", job, config.slurm_tasks,
                  dir));
  WaitOutcome wait = wait_for_array(config, job);
  if (g_interrupted) {
    Command scancel;
    scancel.argv = {"scancel", job};
    const Finished run = run_to_end(scancel, false, 60);
    say(fmt::format("interrupted: {} Slurm job {}", run.status == 0 ? "cancelled" : "could not cancel", job));
    return 128 + g_interrupted;
  }

  std::map<std::uint64_t, std::string> read_errors;
  const std::vector<ShardResults> parts = collect(config, dir, wait, read_errors);
  Config sweep = config;
  sweep.shard = detio::sim::Shard{0, config.slurm_tasks};
  SweepResults merged = merge_results(sweep, program, parts, [&](std::uint64_t i) {
    auto err = read_errors.find(i);
    return why_lost(wait, job, dir, i, err == read_errors.end() ? "" : err->second);
  });
  merged.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return report(merged);
}

}  // namespace detio_sweep

#include "flags.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "detio/sim/knobs.h"

namespace detio_sweep {
namespace {

using detio::sim::parse_u64;

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "detio-sweep: %s\n(see detio-sweep --help)\n", why.c_str());
  std::exit(2);
}

struct Flag {
  const char* name;
  const char* arg;  // nullptr: a switch
  const char* help;
  std::function<void(Config&, const std::string&)> set;
};

std::optional<double> parse_seconds(const std::string& s) {
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (s.empty() || *end != '\0' || !(v > 0)) return std::nullopt;
  return v;
}

const char* env(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? v : nullptr;
}

// --shard auto: the shard a job scheduler gives this process.
detio::sim::Shard auto_shard() {
  auto pair = [](const char* index_var, const char* total_var) -> std::optional<detio::sim::Shard> {
    const char* i = env(index_var);
    const char* n = env(total_var);
    if (!i || !n) return std::nullopt;
    std::optional<detio::sim::Shard> s = detio::sim::parse_shard(std::string(i) + "/" + n);
    if (!s) die(std::string("--shard auto: bad ") + index_var + "/" + total_var);
    return s;
  };
  if (auto s = pair("GTEST_SHARD_INDEX", "GTEST_TOTAL_SHARDS")) return *s;
  if (auto s = pair("TEST_SHARD_INDEX", "TEST_TOTAL_SHARDS")) return *s;
  if (const char* id = env("SLURM_ARRAY_TASK_ID")) {
    // The task ids run from SLURM_ARRAY_TASK_MIN (default 0); there are
    // SLURM_ARRAY_TASK_COUNT of them. Text in, shard out: parse_shard checks.
    const char* count = env("SLURM_ARRAY_TASK_COUNT");
    const char* min = env("SLURM_ARRAY_TASK_MIN");
    const std::uint64_t i = parse_u64(id).value_or(~std::uint64_t{0});
    const std::uint64_t m = min ? parse_u64(min).value_or(~std::uint64_t{0}) : 0;
    std::optional<detio::sim::Shard> s;
    if (count && i >= m && i != ~std::uint64_t{0}) s = detio::sim::parse_shard(std::to_string(i - m) + "/" + count);
    if (!s) die("--shard auto: bad SLURM_ARRAY_TASK_ID/_COUNT/_MIN");
    return *s;
  }
  return detio::sim::Shard{};
}

std::vector<std::uint64_t> read_seed_list(const std::string& path) {
  std::ifstream in(path);
  if (!in) die("--seeds-from: cannot read " + path);
  std::set<std::uint64_t> seeds;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string first;
    if (!(words >> first) || first[0] == '#') continue;
    std::optional<std::uint64_t> seed = parse_u64(first);
    if (!seed) die("--seeds-from " + path + ": not a seed: '" + first + "'");
    seeds.insert(*seed);
  }
  if (seeds.empty()) die("--seeds-from " + path + ": no seeds");
  return {seeds.begin(), seeds.end()};
}

std::uint64_t positive(const std::string& flag, const std::string& v) {
  std::optional<std::uint64_t> n = parse_u64(v);
  if (!n || *n == 0) die(flag + " wants a number > 0, not '" + v + "'");
  return *n;
}

const std::vector<Flag>& flags() {
  static const std::vector<Flag> table = {
      {"--seeds", "A..B", "seeds to run, inclusive (default 1..1000); N for one seed",
       [](Config& c, const std::string& v) {
         auto r = detio::sim::parse_seed_range(v);
         if (!r) die("bad --seeds '" + v + "' (want A..B with A <= B, or N)");
         c.seeds = *r;
       }},
      {"--seeds-from", "FILE", "run the seeds listed in FILE, the first number of each line (a --failures file)",
       [](Config& c, const std::string& v) { c.seed_list = read_seed_list(v); }},
      {"--jobs", "N", "child processes at once (default: the number of CPUs)",
       [](Config& c, const std::string& v) {
         c.jobs = static_cast<int>(std::min<std::uint64_t>(positive("--jobs", v), 4096));
         c.jobs_given = true;
       }},
      {"--shard", "I/N|auto",
       "run only the seeds s with s % N == I (N shards cover a range exactly once); auto: take I/N from "
       "GTEST_SHARD_INDEX/GTEST_TOTAL_SHARDS, TEST_SHARD_INDEX/TEST_TOTAL_SHARDS (Bazel) or "
       "SLURM_ARRAY_TASK_ID/_MIN/_COUNT (a Kubernetes Indexed Job passes --shard $JOB_COMPLETION_INDEX/N)",
       [](Config& c, const std::string& v) {
         if (v == "auto") {
           c.shard = auto_shard();
           return;
         }
         auto s = detio::sim::parse_shard(v);
         if (!s) die("bad --shard '" + v + "' (want I/N with 0 <= I < N, or auto)");
         c.shard = *s;
       }},
      {"--chunk", "K", "seeds per child process run (default: about a quarter of the range per job, at most 500)",
       [](Config& c, const std::string& v) { c.chunk = positive("--chunk", v); }},
      {"--gtest", nullptr,
       "the program is a GoogleTest binary with DETIO_SIM_TESTs: pick one with --gtest_filter=Suite.Name after "
       "the program; seeds go through DETIO_SEEDS/DETIO_SHARD and results come back as DETIO_PROTOCOL lines",
       [](Config& c, const std::string&) { c.gtest = true; }},
      {"--swarm", nullptr,
       "swarm mode: each seed draws its own mix: network faults, buggify, ready order (FIFO, random, PCT), timer "
       "slack, coalescing and same-instant order, cancellation injection (off, cancel, early timeout, at "
       "suspensions or wake-ups); a mix is a pure function of the seed (replay with --swarm), and the program's own "
       "failure report spells it out as knobs",
       [](Config& c, const std::string&) { c.swarm = true; }},
      {"--knobs", "K",
       "knobs for every seed, e.g. 'inject=2,ready=random' or a shrunk 'faults=off,ops=4' (see detio/sim/knobs.h)",
       [](Config& c, const std::string& v) {
         std::string error;
         if (!detio::sim::Knobs::parse(v, &error)) die("bad --knobs: " + error);
         c.knobs = v;
       }},
      {"--determinism", nullptr,
       "run every seed twice, in two different processes, and count seeds whose trace hashes differ as failures",
       [](Config& c, const std::string&) { c.determinism = true; }},
      {"--failures", "FILE",
       "write the failing seeds there, one 'seed<TAB>message' line each (default detio-failures.txt; written "
       "only if a seed fails; '' for none)",
       [](Config& c, const std::string& v) { c.failures_file = v; }},
      {"--max-failures", "N", "stop after N failing seeds (default: run them all)",
       [](Config& c, const std::string& v) { c.max_failures = positive("--max-failures", v); }},
      {"--stop-on-failure", nullptr, "stop at the first failing seed (--max-failures 1)",
       [](Config& c, const std::string&) { c.max_failures = 1; }},
      {"--shrink", nullptr,
       "shrink the first failing seed (fewer faults, lower rates, fewer injections, smaller user knobs) and print "
       "the simplest failing run's replay line",
       [](Config& c, const std::string&) { c.shrink = true; }},
      {"--timeout", "SECONDS",
       "wall-clock limit for one seed (default 60): a child silent that long is killed and the seed fails",
       [](Config& c, const std::string& v) {
         auto s = parse_seconds(v);
         if (!s) die("bad --timeout '" + v + "'");
         c.timeout_seconds = *s;
       }},
      {"--replay", "SEED",
       "run one seed with full tracing, showing the program's own output; writes PREFIX.txt (text) and "
       "PREFIX.json (Chrome trace-event JSON for Perfetto / chrome://tracing)",
       [](Config& c, const std::string& v) {
         auto s = parse_u64(v);
         if (!s) die("bad --replay '" + v + "'");
         c.replay = *s;
       }},
      {"--trace", "PREFIX", "trace file prefix for --replay (default detio-trace-<seed>)",
       [](Config& c, const std::string& v) { c.trace_prefix = v; }},
      {"--results", "FILE",
       "also write the results as JSON: seeds run, failures with replay lines, trace hashes (--determinism), "
       "seeds/s, the program's path and content hash; 'detio-sweep merge' joins the files of a sharded sweep",
       [](Config& c, const std::string& v) { c.results_file = v; }},
      {"--slurm", "N",
       "run the sweep as an N-task Slurm job array (sbatch; task i runs shard i/N, with --jobs CPUs), wait for "
       "it, merge the shards and report as a local run would; a task that dies or is cancelled fails the run, "
       "named by its shard",
       [](Config& c, const std::string& v) { c.slurm_tasks = positive("--slurm", v); }},
      {"--slurm-args", "ARGS", "more sbatch arguments for --slurm, as shell words, e.g. '--partition=long --time=2:00:00'",
       [](Config& c, const std::string& v) { c.slurm_args = v; }},
      {"--slurm-dir", "DIR",
       "where --slurm keeps the sbatch script, the shards' results and logs (default: a new ./detio-slurm-XXXXXX); "
       "must be on a file system the nodes share",
       [](Config& c, const std::string& v) { c.slurm_dir = v; }},
      {"--no-progress", nullptr, "no progress bar on stderr", [](Config& c, const std::string&) { c.progress = false; }},
      {"--verbose", nullptr, "pass the children's stderr through", [](Config& c, const std::string&) { c.verbose = true; }},
      {"--help", nullptr, "show this help and exit", [](Config&, const std::string&) {
         std::fputs(help_text().c_str(), stdout);
         std::exit(0);
       }},
  };
  return table;
}

}  // namespace

std::string help_text() {
  std::string out =
      "usage: detio-sweep [flags] [--] PROGRAM [ARGS...]\n"
      "       detio-sweep merge [--failures FILE] [--results FILE] RESULTS.json...\n"
      "\n"
      "Runs a detio simulation program over many seeds in parallel child processes,\n"
      "with a live progress bar (seeds/s, failures so far, ETA) on stderr and a\n"
      "summary on stdout. PROGRAM speaks the detio scenario protocol\n"
      "(detio/sim/scenario_main.h: '--detio-seeds A..B' in, 'detio-seed <n> ok|fail\n"
      "<hash> <message>' lines out), or is a GoogleTest binary (--gtest). A scenario's\n"
      "own arguments follow a second '--' (PROGRAM -- --fixed); the protocol flags\n"
      "are passed before it.\n"
      "'merge' joins the --results files of the shards of one sweep (from any\n"
      "machines) and prints the summary one local run would print.\n"
      "Exit status: 0 if every seed passed, 1 if any failed (or a shard's results\n"
      "are missing), 2 for a bad command line or a sweep that could not run.\n"
      "\n"
      "flags:\n";
  for (const Flag& f : flags()) {
    std::string head = std::string("  ") + f.name + (f.arg ? std::string(" ") + f.arg : "");
    out += head;
    // Wrap the help at ~78 columns, indented by 22.
    std::string text = f.help;
    std::size_t col = head.size();
    bool first = true;
    std::istringstream words(text);
    std::string word;
    while (words >> word) {
      if (first) {
        if (col >= 21) {
          out += "\n" + std::string(22, ' ');
        } else {
          out += std::string(22 - col, ' ');
        }
        col = 22;
        first = false;
      } else if (col + 1 + word.size() > 78) {
        out += "\n" + std::string(22, ' ');
        col = 22;
      } else {
        out += ' ';
        ++col;
      }
      out += word;
      col += word.size();
    }
    out += '\n';
  }
  out +=
      "\n"
      "examples:\n"
      "  detio-sweep --seeds 1..100000 --jobs 8 ./job_queue\n"
      "  detio-sweep --seeds 1..10000 --shard 3/16 --swarm ./kv_store     # machine 3 of 16\n"
      "  detio-sweep --determinism --seeds 1..1000 ./job_queue            # 2 processes per seed\n"
      "  detio-sweep --gtest --seeds 1..5000 ./my_test --gtest_filter=Bank.NoOverdraft\n"
      "  detio-sweep --replay 4711 ./job_queue                            # trace of one seed\n"
      "  detio-sweep --slurm 16 --jobs 8 --seeds 1..1000000 ./job_queue   # a Slurm job array\n"
      "  detio-sweep merge shard-*.json                                   # results of 16 machines\n";
  return out;
}

Config parse_flags(int argc, char** argv) {
  Config c;
  long cpus = ::sysconf(_SC_NPROCESSORS_ONLN);
  c.jobs = cpus > 0 ? static_cast<int>(cpus) : 1;
  int i = 1;
  if (argc > 1 && std::string(argv[1]) == "merge") {
    c.merge = true;
    ++i;
  }
  for (; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") {
      ++i;
      break;
    }
    if (arg == "-h") arg = "--help";
    if (arg.rfind("--", 0) != 0) break;  // the program
    std::string value;
    bool has_value = false;
    const std::size_t eq = arg.find('=');
    if (eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      has_value = true;
    }
    const Flag* flag = nullptr;
    for (const Flag& f : flags()) {
      if (arg == f.name) flag = &f;
    }
    if (!flag) die("unknown flag '" + arg + "'");
    if (flag->arg && !has_value) {
      if (i + 1 >= argc) die(arg + " needs a value (" + flag->arg + ")");
      value = argv[++i];
    } else if (!flag->arg && has_value) {
      die(arg + " takes no value");
    }
    if (c.merge && arg != "--failures" && arg != "--results" && arg != "--help") {
      die("merge takes only --failures and --results, not " + arg);
    }
    flag->set(c, value);
  }
  if (c.merge) {
    for (; i < argc; ++i) c.merge_files.emplace_back(argv[i]);
    if (c.merge_files.empty()) die("merge: no results files");
    return c;
  }
  for (; i < argc; ++i) c.command.emplace_back(argv[i]);
  if (c.command.empty()) die("no PROGRAM to run");
  if (c.slurm_tasks) {
    if (c.shard.count > 1) die("--slurm makes the shards itself: drop --shard");
    if (c.replay) die("--replay runs one seed here: drop --slurm");
  } else if (!c.slurm_args.empty() || !c.slurm_dir.empty()) {
    die("--slurm-args and --slurm-dir go with --slurm N");
  }
  return c;
}

}  // namespace detio_sweep

// job_queue: sweeps the job-service scenario over many seeds.
//
//   job_queue                      seeds 1..2000
//   job_queue --seeds 10..500      a range (inclusive)
//   job_queue --seeds 42 --verbose one seed, with its event log
//   detio-sweep --jobs 4 -- job_queue   (--detio-seeds ...: the detio-sweep
//                                        protocol, detio/sim/scenario_main.h)
//
// Built on the library's sweep machinery: sim::sweep runs the seeds,
// sim::parse_seed_range reads --seeds, the run's trace hash fingerprints a
// seed (its event log is sim::log lines in the trace), detio-sweep's
// progress bar shows on stderr, and the determinism check re-runs seeds
// with sim::run_seed and compares their trace hashes. Summary on stdout;
// exit status 1 if any seed broke an invariant or a re-run seed did not
// reproduce its trace hash.
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "detio/sim/scenario_main.h"
#include "job_queue.h"
#include "progress.h"

namespace {

struct Args {
  detio::sim::SeedRange seeds{1, 2000};
  bool verbose = false;
  bool progress = true;
};

[[noreturn]] void usage(const char* argv0, int status) {
  std::fprintf(status ? stderr : stdout,
               "usage: %s [--seeds A..B | --seeds N] [--verbose] [--no-progress]\n"
               "  --seeds A..B   seeds to run, inclusive (default 1..2000)\n"
               "  --verbose      print every seed's event log\n"
               "  --no-progress  no progress bar on stderr\n"
               "  --detio-seeds A..B [--detio-...]  the detio-sweep protocol instead\n"
               "                 (detio/sim/scenario_main.h; run it through detio-sweep)\n",
               argv0);
  std::exit(status);
}

Args parse(int argc, char** argv) {
  Args args;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--help" || a == "-h") usage(argv[0], 0);
    if (a == "--verbose" || a == "-v") {
      args.verbose = true;
    } else if (a == "--no-progress") {
      args.progress = false;
    } else if (a == "--seeds" || a.starts_with("--seeds=")) {
      std::string_view v;
      if (a == "--seeds") {
        if (++i == argc) usage(argv[0], 2);
        v = argv[i];
      } else {
        v = a.substr(std::string_view("--seeds=").size());
      }
      std::optional<detio::sim::SeedRange> range = detio::sim::parse_seed_range(v);
      if (!range) {
        std::fprintf(stderr, "%s: bad --seeds '%.*s' (want A..B with A <= B, or N)\n", argv[0],
                     static_cast<int>(v.size()), v.data());
        std::exit(2);
      }
      args.seeds = *range;
    } else {
      std::fprintf(stderr, "%s: unknown argument '%.*s'\n", argv[0], static_cast<int>(a.size()), a.data());
      usage(argv[0], 2);
    }
  }
  return args;
}

// A seed fails by throwing its first violation (sim::sweep records it).
void throw_violations(const job_queue::Report& r) {
  if (r.violations.empty()) return;
  throw std::runtime_error(r.violations.front() +
                           (r.violations.size() > 1 ? " (and " + std::to_string(r.violations.size() - 1) + " more)"
                                                    : ""));
}

void print_failure(const job_queue::Report& r) {
  std::printf("seed %" PRIu64 " FAILED (%d workers, %d jobs):\n", r.seed, r.workers, r.jobs);
  std::size_t shown = 0;
  for (const std::string& v : r.violations) {
    if (++shown > 5) {
      std::printf("  ... and %zu more\n", r.violations.size() - 5);
      break;
    }
    std::printf("  %s\n", v.c_str());
  }
  std::printf("  replay: job_queue --seeds %" PRIu64 " --verbose\n", r.seed);
}

struct Totals {
  long long jobs = 0, done = 0, timed_out = 0, cancelled = 0;
  double virtual_seconds = 0;
  std::uint64_t seeds = 0, failures = 0;
};

constexpr std::uint64_t kMaxFailuresShown = 10;

int sweep(const Args& args) {
  detio_sweep::Progress progress(args.seeds.size(), args.progress && !args.verbose);
  Totals totals;
  job_queue::Report last;  // of the seed that just ran
  detio::sim::SweepOptions options;
  options.seeds = args.seeds;
  options.stop_on_first_failure = false;
  options.shrink = false;
  options.use_env = false;
  options.report = nullptr;  // failures are printed below, with their violations
  options.on_seed = [&](const detio::sim::SeedReport& seed) {
    totals.jobs += last.jobs;
    totals.done += last.done;
    totals.timed_out += last.timed_out;
    totals.cancelled += last.cancelled;
    totals.virtual_seconds += static_cast<double>(last.virtual_ns) / 1e9;
    if (args.verbose) {
      // The sweep's runs keep only the hash: replay the seed with its log.
      const job_queue::Report logged = job_queue::run_seed(detio::sim::options_for_seed(options, seed.seed), true);
      std::printf("--- seed %" PRIu64 ": %d workers, %d jobs, trace hash %016" PRIx64 "\n", seed.seed, logged.workers,
                  logged.jobs, logged.trace_hash);
      for (const std::string& line : logged.log) std::printf("%s\n", line.c_str());
    }
    if (!seed.ok && ++totals.failures <= kMaxFailuresShown) {
      progress.clear();
      print_failure(last);
      std::fflush(stdout);
    }
    progress.update(++totals.seeds, totals.failures);
  };
  const detio::sim::SweepBody body = [&](const detio::sim::Options& o) {
    last = job_queue::run_seed(o, false);
    throw_violations(last);
  };
  const detio::sim::SweepResult result = detio::sim::sweep(body, options);
  progress.update(result.seeds_run, result.failure_count, true);
  const double real_seconds = progress.elapsed_seconds();

  // Determinism: a seed re-run gives the same trace hash, bit for bit.
  std::vector<std::uint64_t> recheck = {args.seeds.first};
  if (args.seeds.last != args.seeds.first) recheck.push_back(args.seeds.first + args.seeds.size() / 2);
  bool deterministic = true;
  std::string determinism;
  for (std::uint64_t seed : recheck) {
    const detio::sim::SeedReport first = detio::sim::run_seed(body, detio::sim::options_for_seed(options, seed));
    const detio::sim::SeedReport again = detio::sim::run_seed(body, detio::sim::options_for_seed(options, seed));
    const bool same = first.hash == again.hash && first.ok == again.ok;
    deterministic = deterministic && same;
    char buf[160];
    std::snprintf(buf, sizeof buf, "%sseed %" PRIu64 " re-run: trace hash %016" PRIx64 " %s %016" PRIx64,
                  determinism.empty() ? "" : "; ", seed, again.hash, same ? "==" : "!=", first.hash);
    determinism += buf;
  }

  if (totals.failures > kMaxFailuresShown) {
    std::printf("(%" PRIu64 " more failing seeds not shown)\n", totals.failures - kMaxFailuresShown);
  }
  std::printf("job_queue summary\n");
  std::printf("  seeds run:        %" PRIu64 " (%s)\n", result.seeds_run, args.seeds.text().c_str());
  std::printf("  failures:         %" PRIu64 "\n", result.failure_count);
  std::printf("  jobs:             %lld (%lld done, %lld timed out, %lld cancelled)\n", totals.jobs, totals.done,
              totals.timed_out, totals.cancelled);
  std::printf("  virtual time:     %.3f s simulated\n", totals.virtual_seconds);
  std::printf("  real time:        %.3f s (%.0f seeds/s, %.0fx faster than real time)\n", real_seconds,
              real_seconds > 0 ? static_cast<double>(result.seeds_run) / real_seconds : 0.0,
              real_seconds > 0 ? totals.virtual_seconds / real_seconds : 0.0);
  std::printf("  determinism:      %s (%s)\n", deterministic ? "ok" : "FAILED", determinism.c_str());
  const bool ok = result.ok() && deterministic;
  std::printf("%s\n", ok ? "PASS" : "FAIL");
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}

}  // namespace

int main(int argc, char** argv) {
  if (detio::sim::is_scenario_protocol(argc, argv)) {
    return detio::sim::scenario_main(argc, argv, [](const detio::sim::Options& options) {
      throw_violations(job_queue::run_seed(options, false));
    });
  }
  return sweep(parse(argc, argv));
}

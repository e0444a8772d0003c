// job_queue: sweeps the job-service scenario over many seeds.
//
//   job_queue                      seeds 1..2000
//   job_queue --seeds 10..500      a range (inclusive)
//   job_queue --seeds 42 --verbose one seed, with its event log
//   detio-sweep --jobs 4 -- job_queue   (--detio-seeds ...: the detio-sweep
//                                        protocol, detio/sim/scenario_main.h)
//
// Live progress on stderr; a summary on stdout; exit status 1 if any seed
// broke an invariant or a re-run seed did not reproduce its event log.
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <stdexcept>

#include "detio/sim/scenario_main.h"
#include "job_queue.h"

namespace {

struct Args {
  std::uint64_t first = 1;
  std::uint64_t last = 2000;
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

bool parse_u64(const std::string& s, std::uint64_t& out) {
  if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos) return false;
  errno = 0;
  out = std::strtoull(s.c_str(), nullptr, 10);
  return errno == 0;
}

Args parse(int argc, char** argv) {
  Args args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") usage(argv[0], 0);
    if (a == "--verbose" || a == "-v") {
      args.verbose = true;
    } else if (a == "--no-progress") {
      args.progress = false;
    } else if (a == "--seeds" || a.rfind("--seeds=", 0) == 0) {
      std::string v;
      if (a == "--seeds") {
        if (++i == argc) usage(argv[0], 2);
        v = argv[i];
      } else {
        v = a.substr(std::strlen("--seeds="));
      }
      std::size_t dots = v.find("..");
      bool ok = dots == std::string::npos
                    ? parse_u64(v, args.first) && parse_u64(v, args.last)
                    : parse_u64(v.substr(0, dots), args.first) && parse_u64(v.substr(dots + 2), args.last);
      if (!ok || args.first > args.last) {
        std::fprintf(stderr, "%s: bad --seeds '%s' (want A..B with A <= B, or N)\n", argv[0], v.c_str());
        std::exit(2);
      }
    } else {
      std::fprintf(stderr, "%s: unknown argument '%s'\n", argv[0], a.c_str());
      usage(argv[0], 2);
    }
  }
  return args;
}

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

class Progress {
 public:
  Progress(std::uint64_t total, bool enabled) : total_(total), enabled_(enabled), tty_(isatty(STDERR_FILENO)) {}

  void update(std::uint64_t done, std::uint64_t failures, bool final = false) {
    if (!enabled_) return;
    Clock::time_point now = Clock::now();
    if (tty_) {
      if (!final && now - last_ < std::chrono::milliseconds(100)) return;
    } else {
      // Not a terminal (a CI log): one line per 10%.
      std::uint64_t decile = done * 10 / total_;
      if (!final && decile == last_decile_) return;
      if (final && decile == last_decile_ && done != 0 && printed_) return;
      last_decile_ = decile;
    }
    last_ = now;
    printed_ = true;
    double elapsed = seconds_since(start_);
    double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0;
    constexpr int kWidth = 30;
    int filled = static_cast<int>(kWidth * done / total_);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.append(static_cast<std::size_t>(kWidth - filled), '.');
    std::fprintf(stderr, "%s[%s] %" PRIu64 "/%" PRIu64 " seeds  %.0f seeds/s  failures: %" PRIu64 "%s",
                 tty_ ? "\r" : "", bar.c_str(), done, total_, rate, failures, tty_ ? "\033[K" : "\n");
    if (tty_ && final) std::fputc('\n', stderr);
    std::fflush(stderr);
  }

 // Wipes the bar so that a line printed next starts clean.
  void clear() {
    if (enabled_ && tty_ && printed_) std::fputs("\r\033[K", stderr);
  }

 private:
  std::uint64_t total_;
  bool enabled_;
  bool tty_;
  bool printed_ = false;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_{};
  std::uint64_t last_decile_ = ~std::uint64_t{0};
};

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

}  // namespace

int main(int argc, char** argv) {
  if (detio::sim::is_scenario_protocol(argc, argv)) {
    return detio::sim::scenario_main(argc, argv, [](const detio::sim::Options& options) {
      job_queue::Report r = job_queue::run_seed(options, false);
      if (!r.violations.empty()) {
        throw std::runtime_error(r.violations.front() + (r.violations.size() > 1 ? " (and " +
                                 std::to_string(r.violations.size() - 1) + " more)" : ""));
      }
    });
  }
  Args args = parse(argc, argv);
  const std::uint64_t total = args.last - args.first + 1;
  const Clock::time_point start = Clock::now();

  Progress progress(total, args.progress && !args.verbose);
  std::uint64_t failures = 0, runs = 0;
  long long done = 0, timed_out = 0, cancelled = 0, jobs = 0;
  double virtual_seconds = 0;
  std::vector<std::uint64_t> hashes;
  std::vector<std::int64_t> end_times;
  hashes.reserve(total);
  end_times.reserve(total);
  const std::size_t kMaxFailuresShown = 10;

  for (std::uint64_t seed = args.first;; ++seed) {
    job_queue::Report r = job_queue::run_seed(seed, args.verbose);
    ++runs;
    hashes.push_back(r.log_hash);
    end_times.push_back(r.virtual_ns);
    jobs += r.jobs;
    done += r.done;
    timed_out += r.timed_out;
    cancelled += r.cancelled;
    virtual_seconds += static_cast<double>(r.virtual_ns) / 1e9;
    if (args.verbose) {
      std::printf("--- seed %" PRIu64 ": %d workers, %d jobs, log hash %016" PRIx64 "\n", seed, r.workers, r.jobs,
                  r.log_hash);
      for (const std::string& line : r.log) std::printf("%s\n", line.c_str());
    }
    if (!r.violations.empty()) {
      ++failures;
      if (failures <= kMaxFailuresShown) {
        progress.clear();
        print_failure(r);
        std::fflush(stdout);
      }
    }
    progress.update(runs, failures);
    if (seed == args.last) break;
  }
  progress.update(runs, failures, true);
  const double real_seconds = seconds_since(start);

  // Determinism: the same seed must give the same event log, bit for bit.
  std::vector<std::uint64_t> recheck = {args.first};
  if (args.last != args.first) recheck.push_back(args.first + total / 2);
  bool deterministic = true;
  std::string determinism;
  for (std::uint64_t seed : recheck) {
    job_queue::Report again = job_queue::run_seed(seed, false);
    std::uint64_t before = hashes[seed - args.first];
    bool same = again.log_hash == before && again.virtual_ns == end_times[seed - args.first];
    deterministic = deterministic && same;
    char buf[160];
    std::snprintf(buf, sizeof buf, "%sseed %" PRIu64 " re-run: log hash %016" PRIx64 " %s %016" PRIx64,
                  determinism.empty() ? "" : "; ", seed, again.log_hash, same ? "==" : "!=", before);
    determinism += buf;
  }

  if (failures > kMaxFailuresShown) std::printf("(%" PRIu64 " more failing seeds not shown)\n", failures - kMaxFailuresShown);
  std::printf("job_queue summary\n");
  std::printf("  seeds run:        %" PRIu64 " (%" PRIu64 "..%" PRIu64 ")\n", runs, args.first, args.last);
  std::printf("  failures:         %" PRIu64 "\n", failures);
  std::printf("  jobs:             %lld (%lld done, %lld timed out, %lld cancelled)\n", jobs, done, timed_out,
              cancelled);
  std::printf("  virtual time:     %.3f s simulated\n", virtual_seconds);
  std::printf("  real time:        %.3f s (%.0f seeds/s, %.0fx faster than real time)\n", real_seconds,
              real_seconds > 0 ? static_cast<double>(runs) / real_seconds : 0.0,
              real_seconds > 0 ? virtual_seconds / real_seconds : 0.0);
  std::printf("  determinism:      %s (%s)\n", deterministic ? "ok" : "FAILED", determinism.c_str());
  const bool ok = failures == 0 && deterministic;
  std::printf("%s\n", ok ? "PASS" : "FAIL");
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}

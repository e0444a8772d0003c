#include "detio/sim/sweep.h"

#include <fmt/format.h>
#include <unistd.h>

#include <climits>
#include <fstream>

#include "detio/errors.h"
#include "detio/sim/internal/shell_quote.h"

namespace detio::sim {
namespace {

using internal::shell_quote;

// base + seed + swarm + default budget (the knobs come on top, in run_seed).
Options unknobbed_options(const SweepOptions& options, std::uint64_t seed) {
  Options o = options.base;
  o.seed = seed;
  o.trace = nullptr;
  if (options.swarm) apply_swarm(o, options.swarm_options);
  if (!o.budget.max_steps && !o.budget.max_virtual_time) o.budget = options.default_budget;
  return o;
}

bool write_file(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  return static_cast<bool>(out);
}

// Writes <stem>.txt and <stem>.json; returns the paths written.
std::vector<std::string> write_trace(const Trace& trace, const std::string& stem, std::uint64_t seed,
                                     std::uint64_t hash, const std::string& mix) {
  std::vector<std::string> written;
  // The count is of the lines below it: steps are hashed but not listed.
  std::string header = fmt::format("# detio trace: seed {}, hash {:016x}, {} events{}\n# {}\n", seed, hash,
                                   trace.events().size(), trace.keeps_steps() ? "" : " (steps not listed)", mix);
  if (write_file(stem + ".txt", header + trace.text())) written.push_back(stem + ".txt");
  if (write_file(stem + ".json", trace.chrome_json())) written.push_back(stem + ".json");
  return written;
}

void print_protocol(std::FILE* out, const SeedReport& r) {
  if (!out) return;
  std::fprintf(out, "detio-seed %llu %s %016llx%s%s\n", static_cast<unsigned long long>(r.seed), r.ok ? "ok" : "fail",
               static_cast<unsigned long long>(r.hash), r.ok ? "" : " ", one_line(r.message).c_str());
  std::fflush(out);
}

// A reversed range would wrap around to 2^64 seeds, and an impossible shard
// would run none and pass.
void check_range_and_shard(const SweepOptions& options) {
  if (options.seeds.first > options.seeds.last) {
    throw ValueError(fmt::format("sim::sweep: seeds {}..{}: the first seed is after the last (want first <= last)",
                                 options.seeds.first, options.seeds.last));
  }
  if (options.shard.count == 0 || options.shard.index >= options.shard.count) {
    throw ValueError(fmt::format("sim::sweep: shard {}: want I/N with 0 <= I < N", options.shard.text()));
  }
}

}  // namespace

std::string self_path() {
  char buf[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "<this program>";
  return std::string(buf, static_cast<std::size_t>(n));
}

Options options_for_seed(const SweepOptions& options, std::uint64_t seed) {
  Options o = unknobbed_options(options, seed);
  options.knobs.apply(o);
  return o;
}

Knobs replay_knobs(const SweepOptions& options, std::uint64_t seed, const Knobs& knobs) {
  if (!options.swarm) return knobs;
  // Spell out the seed's whole mix: the line shows what ran, and replays it
  // even where the swarm would draw differently.
  Options effective = unknobbed_options(options, seed);
  knobs.apply(effective);
  Knobs out = knobs;
  out.update(mix_knobs(effective));
  return out;
}

std::string replay_line(const SweepOptions& options, std::uint64_t seed, const Knobs& knobs) {
  if (options.replay_line) return options.replay_line(seed, knobs);
  std::string line = fmt::format("DETIO_SEED={}", seed);
  if (!knobs.empty()) line += " DETIO_SHRINK=" + shell_quote(knobs.text());
  if (options.swarm) line += " DETIO_SWARM=1";
  line += " " + (options.replay_command.empty() ? shell_quote(self_path()) : options.replay_command);
  return line;
}

SweepResult sweep(const SweepBody& body, SweepOptions options) {
  if (options.use_env) apply_env(options);
  check_range_and_shard(options);
  SweepResult result;
  const bool single = options.seeds.size() == 1;
  std::optional<SeedReport> first_failure;
  for (std::uint64_t seed = options.seeds.first;; ++seed) {
    if (options.shard.contains(seed)) {
      const Options seed_options = unknobbed_options(options, seed);
      // A single-seed run with a trace prefix is traced as it runs.
      Trace full;
      const bool trace_now = single && !options.trace_prefix.empty();
      SeedReport r = run_seed(body, seed_options, options.knobs, trace_now ? &full : nullptr);
      ++result.seeds_run;
      Options effective = seed_options;
      options.knobs.apply(effective);
      const std::string mix = describe_mix(effective);
      if (trace_now) {
        for (std::string& f : write_trace(full, options.trace_prefix, seed, r.hash, mix))
          result.trace_files.push_back(std::move(f));
      }
      if (!r.ok) {
        ++result.failure_count;
        if (!trace_now && !options.trace_prefix.empty()) {
          // Re-run the failing seed with a full trace; it must replay exactly.
          SeedReport again = run_seed(body, seed_options, options.knobs, &full);
          if (again.hash != r.hash) {
            r.message += fmt::format(" [NONDETERMINISTIC: a traced re-run gave hash {:016x}, not {:016x}]",
                                     again.hash, r.hash);
          }
          for (std::string& f :
               write_trace(full, fmt::format("{}-{}", options.trace_prefix, seed), seed, again.hash, mix))
            result.trace_files.push_back(std::move(f));
        }
        SeedFailure failure{seed, r.message, r.hash, mix,
                            replay_line(options, seed, replay_knobs(options, seed, options.knobs))};
        if (options.report) {
          std::fprintf(options.report, "detio: seed %llu FAILED: %s\n  mix: %s\n  replay: %s\n",
                       static_cast<unsigned long long>(seed), r.message.c_str(), mix.c_str(),
                       failure.replay.c_str());
          std::fflush(options.report);
        }
        if (result.failures.size() < options.max_failures_kept) result.failures.push_back(std::move(failure));
        if (!first_failure) first_failure = r;
      }
      print_protocol(options.protocol, r);
      if (options.on_seed) options.on_seed(r);
      if (!r.ok && options.stop_on_first_failure) break;
    }
    if (seed == options.seeds.last) break;
  }

  if (first_failure && options.shrink) {
    ShrinkOptions so;
    so.max_runs = options.max_shrink_runs;
    so.replay_line = [&](std::uint64_t seed, const Knobs& knobs) {
      return replay_line(options, seed, replay_knobs(options, seed, knobs));
    };
    ShrinkResult s =
        shrink(body, unknobbed_options(options, first_failure->seed), options.knobs, *first_failure, so);
    if (options.report) {
      if (s.steps == 0) {
        std::fprintf(options.report, "detio: shrinking seed %llu: nothing simpler fails (%d re-runs)\n",
                     static_cast<unsigned long long>(s.seed), s.runs);
      } else {
        std::string user;
        for (const auto& [name, value] : s.user_knobs) user += fmt::format(" {}={}", name, value);
        std::fprintf(options.report,
                     "detio: shrunk seed %llu in %d re-runs to: %s\n  mix: %s%s%s\n  fails with: %s\n  replay: %s\n",
                     static_cast<unsigned long long>(s.seed), s.runs, s.knobs.text().c_str(), s.mix.c_str(),
                     user.empty() ? "" : "; user knobs:", user.c_str(), s.message.c_str(), s.replay.c_str());
      }
      std::fflush(options.report);
    }
    if (options.protocol) {
      std::fprintf(options.protocol, "detio-shrunk %llu %s %s\n", static_cast<unsigned long long>(s.seed),
                   s.knobs.empty() ? "-" : s.knobs.text().c_str(), one_line(s.message).c_str());
      std::fflush(options.protocol);
    }
    result.shrunk = std::move(s);
  }
  if (options.protocol) {
    for (const std::string& file : result.trace_files) std::fprintf(options.protocol, "detio-trace %s\n", file.c_str());
    std::fflush(options.protocol);
  }
  return result;
}

}  // namespace detio::sim

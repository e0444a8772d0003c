#include "results.h"

#include <absl/strings/numbers.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "commands.h"

namespace detio_sweep {
namespace {

constexpr const char* kFormat = "detio-sweep results 1";

Json strings(const std::vector<std::string>& v) {
  Json a = Json::array();
  for (const std::string& s : v) a.push(Json::string(s));
  return a;
}

std::vector<std::string> strings_from(const Json& a) {
  std::vector<std::string> out;
  for (const Json& s : a.items()) out.push_back(s.as_string());
  return out;
}

std::uint64_t hash_from(const Json& j) {
  const std::string& text = j.as_string();
  std::uint64_t v = 0;
  if (text.size() != 16 || text.find_first_not_of("0123456789abcdef") != std::string::npos ||
      !absl::SimpleHexAtoi(text, &v)) {
    throw JsonError("expected 16 hex digits, not '" + text + "'");
  }
  return v;
}

Json sweep_json(const Config& c) {
  Json s = Json::object();
  if (c.seed_list) {
    Json list = Json::array();
    for (std::uint64_t seed : *c.seed_list) list.push(Json::number(seed));
    s.set("seed_list", std::move(list));
  } else {
    s.set("seeds", Json::string(c.seeds.text()));
  }
  s.set("shard", Json::string(c.shard.text()));
  s.set("gtest", Json::boolean(c.gtest));
  s.set("swarm", Json::boolean(c.swarm));
  s.set("knobs", Json::string(c.knobs));
  s.set("determinism", Json::boolean(c.determinism));
  s.set("shrink", Json::boolean(c.shrink));
  s.set("max_failures", Json::number(c.max_failures));
  s.set("chunk", Json::number(c.chunk));
  s.set("timeout_seconds", Json::number(c.timeout_seconds));
  s.set("jobs", Json::number(static_cast<std::uint64_t>(c.jobs)));
  return s;
}

void sweep_from(const Json& s, Config& c) {
  if (const Json* list = s.find("seed_list")) {
    c.seed_list.emplace();
    for (const Json& seed : list->items()) c.seed_list->push_back(seed.as_u64());
  } else {
    const std::string& text = s.at("seeds").as_string();
    std::optional<detio::sim::SeedRange> range = detio::sim::parse_seed_range(text);
    if (!range) throw JsonError("bad seeds '" + text + "'");
    c.seeds = *range;
  }
  const std::string& shard = s.at("shard").as_string();
  std::optional<detio::sim::Shard> parsed = detio::sim::parse_shard(shard);
  if (!parsed) throw JsonError("bad shard '" + shard + "' (want I/N with 0 <= I < N)");
  c.shard = *parsed;
  c.gtest = s.at("gtest").as_bool();
  c.swarm = s.at("swarm").as_bool();
  c.knobs = s.at("knobs").as_string();
  c.determinism = s.at("determinism").as_bool();
  c.shrink = s.at("shrink").as_bool();
  c.max_failures = s.at("max_failures").as_u64();
  c.chunk = s.at("chunk").as_u64();
  c.timeout_seconds = s.at("timeout_seconds").as_double();
  const std::uint64_t jobs = s.at("jobs").as_u64();
  c.jobs = jobs == 0 || jobs > 4096 ? 1 : static_cast<int>(jobs);
}

Json failure_json(const Config& c, const SeedFailure& f) {
  Json j = Json::object();
  j.set("seed", Json::number(f.seed));
  j.set("message", Json::string(f.message));
  j.set("chunk", Json::string(f.chunk.text()));
  j.set("chunk_sharded", Json::boolean(f.chunk_sharded));
  j.set("nondeterministic", Json::boolean(f.nondeterministic));
  j.set("passes_alone", Json::boolean(f.passes_alone));
  // For people and scripts; merge recomputes them from the flags.
  j.set("replay", Json::string(tool_replay_line(c, f.seed, c.knobs)));
  j.set("direct_replay", Json::string(direct_replay_line(c, f.seed, c.knobs)));
  if (f.passes_alone) {
    j.set("chunk_replay", Json::string(direct_line(c, {f.chunk.first, f.seed}, f.chunk_sharded, c.knobs)));
  }
  return j;
}

SeedFailure failure_from(const Json& j) {
  SeedFailure f;
  f.seed = j.at("seed").as_u64();
  f.message = j.at("message").as_string();
  const std::string& chunk = j.at("chunk").as_string();
  std::optional<detio::sim::SeedRange> range = detio::sim::parse_seed_range(chunk);
  if (!range) throw JsonError("bad chunk '" + chunk + "'");
  f.chunk = *range;
  f.chunk_sharded = j.at("chunk_sharded").as_bool();
  f.nondeterministic = j.at("nondeterministic").as_bool();
  f.passes_alone = j.at("passes_alone").as_bool();
  return f;
}

}  // namespace

std::string sweep_key(const Config& config) {
  Config c = config;
  c.shard.index = 0;
  c.jobs = 1;
  return sweep_json(c).dump() + strings(c.command).dump();
}

int SweepResults::exit_status() const {
  if (!stats.fatal.empty()) return 2;
  return stats.failures.empty() && lost.empty() ? 0 : 1;
}

Json results_json(const SweepResults& r) {
  const SweepStats& st = r.stats;
  Json j = Json::object();
  j.set("format", Json::string(kFormat));
  Json program = Json::object();
  program.set("path", Json::string(r.program.path));
  program.set("fnv1a64", Json::string(hash_text(r.program.hash)));
  program.set("command", strings(r.config.command));
  j.set("program", std::move(program));
  j.set("sweep", sweep_json(r.config));
  j.set("seeds_planned", Json::number(st.planned));
  j.set("seeds_run", Json::number(st.completed));
  j.set("stopped_early", Json::boolean(st.stopped_early));
  Json failures = Json::array();
  for (const SeedFailure& f : st.failures) failures.push(failure_json(r.config, f));
  j.set("failures", std::move(failures));
  j.set("hash_differences", Json::number(st.hash_differences));
  j.set("crashes", Json::number(st.crashes));
  j.set("processes", Json::number(st.processes));
  j.set("seconds", Json::number(r.seconds));
  j.set("seeds_per_second", Json::number(r.seconds > 0 ? static_cast<double>(st.completed) / r.seconds : 0.0));
  if (r.shrunk) {
    Json s = Json::object();
    s.set("seed", Json::number(r.shrunk->seed));
    s.set("knobs", Json::string(r.shrunk->knobs));
    s.set("message", Json::string(r.shrunk->message));
    j.set("shrunk", std::move(s));
  } else {
    j.set("shrunk", Json());
  }
  if (r.config.determinism) {
    Json hashes = Json::array();
    for (const auto& [seed, hash] : st.trace_hashes) {
      Json pair = Json::array();
      pair.push(Json::number(seed));
      pair.push(Json::string(hash_text(hash)));
      hashes.push(std::move(pair));
    }
    j.set("trace_hashes", std::move(hashes));
  }
  j.set("fatal", Json::string(st.fatal));
  if (r.shards) {
    j.set("shards", Json::number(r.shards));
    j.set("lost", strings(r.lost));
  }
  return j;
}

SweepResults results_from_json(const Json& j) {
  if (const std::string& format = j.at("format").as_string(); format != kFormat) {
    throw JsonError("format '" + format + "', this detio-sweep reads '" + kFormat + "'");
  }
  SweepResults r;
  const Json& program = j.at("program");
  r.program.path = program.at("path").as_string();
  r.program.hash = hash_from(program.at("fnv1a64"));
  r.config.command = strings_from(program.at("command"));
  if (r.config.command.empty()) throw JsonError("empty program command");
  sweep_from(j.at("sweep"), r.config);
  r.config.failures_file.clear();
  SweepStats& st = r.stats;
  st.planned = j.at("seeds_planned").as_u64();
  st.completed = j.at("seeds_run").as_u64();
  st.stopped_early = j.at("stopped_early").as_bool();
  for (const Json& f : j.at("failures").items()) st.failures.push_back(failure_from(f));
  st.hash_differences = j.at("hash_differences").as_u64();
  st.crashes = j.at("crashes").as_u64();
  st.processes = j.at("processes").as_u64();
  r.seconds = j.at("seconds").as_double();
  if (const Json& s = j.at("shrunk"); !s.is_null()) {
    r.shrunk = ShrunkLine{s.at("seed").as_u64(), s.at("knobs").as_string(), s.at("message").as_string()};
  }
  if (const Json* hashes = j.find("trace_hashes")) {
    for (const Json& pair : hashes->items()) {
      const std::vector<Json>& p = pair.items();
      if (p.size() != 2) throw JsonError("a trace_hashes entry is not [seed, hash]");
      st.trace_hashes.emplace_back(p[0].as_u64(), hash_from(p[1]));
    }
  }
  st.fatal = j.at("fatal").as_string();
  if (const Json* shards = j.find("shards")) {
    r.shards = shards->as_u64();
    r.lost = strings_from(j.at("lost"));
  }
  return r;
}

void write_results(const std::string& path, const SweepResults& results) {
  const std::string temporary = path + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << results_json(results).dump();
    if (!out.flush()) throw std::runtime_error("cannot write " + temporary);
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    std::remove(temporary.c_str());
    throw std::runtime_error("cannot write " + path + ": " + why);
  }
}

SweepResults read_results(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  try {
    return results_from_json(Json::parse(text.str()));
  } catch (const JsonError& e) {
    throw std::runtime_error(path + ": not detio-sweep results: " + e.what());
  }
}

}  // namespace detio_sweep

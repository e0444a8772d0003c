#include "runner.h"

#include <poll.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <map>
#include <memory>
#include <optional>

#include "child.h"
#include "commands.h"
#include "protocol.h"

namespace detio_sweep {
namespace {

using Clock = std::chrono::steady_clock;
using detio::sim::SeedRange;
using detio::sim::Shard;

constexpr std::uint64_t kMax = ~std::uint64_t{0};

struct Work {
  SeedRange range;
  bool pass_shard = true;  // false: every seed of the range is wanted
  int pass = 0;
};

struct Running {
  std::unique_ptr<Child> child;
  Work work;
  std::optional<std::uint64_t> next;  // the next seed it owes us
  std::uint64_t reported = 0;
  Clock::time_point last_activity;
  bool timed_out = false;
};

struct PassResult {
  bool ok;
  std::uint64_t hash;
  std::string message;
};

// The first seed >= from of the work's range that the work covers.
std::optional<std::uint64_t> first_in(const Work& w, const Shard& shard, std::uint64_t from) {
  if (from < w.range.first) from = w.range.first;
  if (from > w.range.last) return std::nullopt;
  if (!w.pass_shard || shard.count <= 1) return from;
  const std::uint64_t step = (shard.index + shard.count - from % shard.count) % shard.count;
  if (kMax - from < step || from + step > w.range.last) return std::nullopt;
  return from + step;
}

std::string stderr_summary(const std::string& tail) {
  // The last three non-empty lines, on one line.
  std::vector<std::string> lines;
  std::size_t end = tail.size();
  while (end > 0 && lines.size() < 3) {
    std::size_t start = tail.rfind('\n', end - 1);
    start = start == std::string::npos ? 0 : start + 1;
    std::string line = tail.substr(start, end - start);
    if (!line.empty() && line.back() == '\n') line.pop_back();
    if (!line.empty()) lines.insert(lines.begin(), line);
    end = start == 0 ? 0 : start - 1;
  }
  std::string out;
  for (const std::string& l : lines) out += (out.empty() ? "" : " | ") + l;
  return out;
}

class Sweeper {
 public:
  Sweeper(const Config& config, Progress& progress) : config_(config), progress_(progress) {
    stats_.planned = planned_seeds(config);
    if (config.seed_list) {
      for (std::uint64_t s : *config.seed_list) {
        if (config.shard.contains(s)) list_.push_back(s);
      }
    }
    const std::uint64_t per_job = stats_.planned / (static_cast<std::uint64_t>(config.jobs) * 4);
    per_chunk_ = config.chunk ? config.chunk : std::clamp<std::uint64_t>(per_job, 1, 500);
    next_first_ = config.seeds.first;
  }

  SweepStats run() {
    while ((!stopping_ && has_work()) || !running_.empty()) {
      while (!stopping_ && static_cast<int>(running_.size()) < config_.jobs) {
        Work w;
        if (!next_work(w)) break;
        start(w);
        if (!stats_.fatal.empty()) break;
      }
      if (running_.empty()) break;
      poll_children();
      progress_.update(stats_.completed, stats_.failures.size());
    }
    std::sort(stats_.failures.begin(), stats_.failures.end(),
              [](const SeedFailure& a, const SeedFailure& b) { return a.seed < b.seed; });
    std::sort(stats_.trace_hashes.begin(), stats_.trace_hashes.end());
    return std::move(stats_);
  }

 private:
  bool has_work() const { return !pending_.empty() || generator_left(); }

  bool generator_left() const {
    if (config_.seed_list) return list_pos_ < list_.size();
    return !generator_done_;
  }

  // The next chunk: requeued and second-pass work first, then new seeds.
  bool next_work(Work& out) {
    if (!pending_.empty()) {
      out = pending_.front();
      pending_.pop_front();
      return true;
    }
    for (;;) {
      if (!generator_left()) return false;
      Work w;
      if (config_.seed_list) {
        // Consecutive listed seeds form one chunk.
        std::size_t end = list_pos_ + 1;
        while (end < list_.size() && end - list_pos_ < per_chunk_ && list_[end] == list_[end - 1] + 1) ++end;
        w = Work{SeedRange{list_[list_pos_], list_[end - 1]}, false, 0};
        list_pos_ = end;
      } else {
        const std::uint64_t span =
            config_.shard.count > 1 && per_chunk_ > kMax / config_.shard.count ? kMax : per_chunk_ * config_.shard.count;
        const std::uint64_t last =
            kMax - next_first_ < span - 1 ? kMax : std::min(config_.seeds.last, next_first_ + span - 1);
        w = Work{SeedRange{next_first_, last}, true, 0};
        if (last == config_.seeds.last) {
          generator_done_ = true;
        } else {
          next_first_ = last + 1;
        }
        if (!first_in(w, config_.shard, w.range.first)) continue;  // no seed of ours in it
      }
      if (config_.determinism) pending_.push_back(Work{w.range, w.pass_shard, 1});
      out = w;
      return true;
    }
  }

  void start(const Work& w) {
    ChildRequest request{w.range, w.pass_shard, "", false};
    auto r = std::make_unique<Running>();
    try {
      r->child = std::make_unique<Child>(child_command(config_, request));
    } catch (const std::exception& e) {
      stats_.fatal = e.what();
      stop();
      return;
    }
    ++stats_.processes;
    r->work = w;
    r->next = first_in(w, config_.shard, w.range.first);
    r->last_activity = Clock::now();
    running_.push_back(std::move(r));
  }

  void poll_children() {
    std::vector<pollfd> fds;
    std::vector<Running*> owners;
    for (auto& r : running_) {
      for (int fd : {r->child->stdout_fd(), r->child->stderr_fd()}) {
        if (fd < 0) continue;
        fds.push_back(pollfd{fd, POLLIN, 0});
        owners.push_back(r.get());
      }
    }
    ::poll(fds.data(), fds.size(), 100);
    const Clock::time_point now = Clock::now();
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      Running& r = *owners[i];
      std::vector<std::string> lines, echo;
      r.child->read_ready(fds[i].fd, lines, config_.verbose ? &echo : nullptr);
      r.last_activity = now;
      for (const std::string& line : echo) say(line);
      for (const std::string& line : lines) handle_line(r, line);
    }
    const auto limit = std::chrono::duration<double>(config_.timeout_seconds);
    for (auto& r : running_) {
      if (!r->timed_out && r->child->open() && now - r->last_activity > limit) {
        r->timed_out = true;
        r->child->kill();
      }
    }
    for (auto it = running_.begin(); it != running_.end();) {
      if ((*it)->child->open()) {
        ++it;
        continue;
      }
      finish(**it);
      it = running_.erase(it);
    }
  }

  void handle_line(Running& r, const std::string& line) {
    std::optional<SeedLine> s = parse_seed_line(line);
    if (!s) {
      if (config_.verbose) say(line);
      return;
    }
    if (stopping_ || !r.next || s->seed < *r.next || s->seed > r.work.range.last ||
        (r.work.pass_shard && !config_.shard.contains(s->seed))) {
      return;  // not a seed this child owes us (or we are stopping)
    }
    // Seeds come in order; any skipped one was never reported.
    for (std::uint64_t missing = *r.next; missing < s->seed;) {
      record(missing, r.work, false, 0, "the program skipped this seed");
      std::optional<std::uint64_t> n = first_in(r.work, config_.shard, missing + 1);
      if (!n) break;
      missing = *n;
    }
    ++r.reported;
    r.next = s->seed == kMax ? std::nullopt : first_in(r.work, config_.shard, s->seed + 1);
    record(s->seed, r.work, s->ok, s->hash, s->message);
  }

  void finish(Running& r) {
    const int status = r.child->reap();
    if (stopping_ || !r.next) return;
    const std::uint64_t missing = *r.next;
    const std::string tail = stderr_summary(r.child->stderr_tail());
    if (r.reported == 0 && !r.timed_out && WIFEXITED(status) &&
        (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 2 || WEXITSTATUS(status) == 127)) {
      stats_.fatal = "the program reported no seeds (" + describe_status(status) +
                     "): does it speak the detio protocol (detio/sim/scenario_main.h), or is it a GoogleTest "
                     "binary that needs --gtest and a --gtest_filter matching one DETIO_SIM_TEST?" +
                     (tail.empty() ? "" : "\n  its stderr ends with: " + tail);
      stop();
      return;
    }
    ++stats_.crashes;
    std::string why = r.timed_out ? "no result within " + std::to_string(config_.timeout_seconds).substr(0, 6) +
                                        "s of wall-clock time; killed"
                                  : "the program died (" + describe_status(status) + ")";
    if (!tail.empty()) why += "; stderr: " + tail;
    record(missing, r.work, false, 0, why);
    if (missing < r.work.range.last) {
      if (std::optional<std::uint64_t> rest = first_in(r.work, config_.shard, missing + 1)) {
        pending_.push_front(Work{SeedRange{*rest, r.work.range.last}, r.work.pass_shard, r.work.pass});
      }
    }
  }

  void record(std::uint64_t seed, const Work& work, bool ok, std::uint64_t hash, const std::string& message) {
    SeedFailure failure{seed, message, work.range, work.pass_shard && config_.shard.count > 1};
    if (!config_.determinism) {
      complete(ok, std::move(failure));
      return;
    }
    auto it = half_.find(seed);
    if (it == half_.end()) {
      half_.emplace(seed, PassResult{ok, hash, message});
      return;
    }
    PassResult first = std::move(it->second);
    half_.erase(it);
    if (first.ok != ok || first.hash != hash) {
      ++stats_.hash_differences;
      char buf[128];
      std::snprintf(buf, sizeof buf, "NONDETERMINISTIC: two processes gave %s %016llx and %s %016llx",
                    first.ok ? "ok" : "fail", static_cast<unsigned long long>(first.hash), ok ? "ok" : "fail",
                    static_cast<unsigned long long>(hash));
      failure.message = buf;
      if (!first.ok) failure.message += "; first: " + first.message;
      if (!ok) failure.message += "; second: " + message;
      failure.nondeterministic = true;
      complete(false, std::move(failure));
      return;
    }
    stats_.trace_hashes.emplace_back(seed, hash);
    complete(ok, std::move(failure));
  }

  void complete(bool ok, SeedFailure failure) {
    ++stats_.completed;
    if (ok) return;
    if (stats_.failures.size() < kFailuresShown) {
      say("FAIL seed " + std::to_string(failure.seed) + ": " + failure.message);
    } else if (stats_.failures.size() == kFailuresShown) {
      say("(more failures: see the summary)");
    }
    stats_.failures.push_back(std::move(failure));
    if (config_.max_failures && stats_.failures.size() >= config_.max_failures) {
      stats_.stopped_early = true;
      stop();
    }
  }

  void stop() {
    stopping_ = true;
    pending_.clear();
    for (auto& r : running_) r->child->kill();
  }

  void say(const std::string& line) {
    progress_.clear();
    std::fprintf(stderr, "%s\n", line.c_str());
    std::fflush(stderr);
  }

  static constexpr std::size_t kFailuresShown = 10;

  const Config& config_;
  Progress& progress_;
  SweepStats stats_;
  std::uint64_t per_chunk_ = 1;
  std::uint64_t next_first_ = 0;
  bool generator_done_ = false;
  std::vector<std::uint64_t> list_;
  std::size_t list_pos_ = 0;
  std::deque<Work> pending_;
  std::vector<std::unique_ptr<Running>> running_;
  std::map<std::uint64_t, PassResult> half_;
  bool stopping_ = false;
};

}  // namespace

std::uint64_t planned_seeds(const Config& config) {
  if (config.seed_list) {
    return static_cast<std::uint64_t>(std::count_if(config.seed_list->begin(), config.seed_list->end(),
                                                    [&](std::uint64_t s) { return config.shard.contains(s); }));
  }
  return config.shard.size_in(config.seeds);
}

SweepStats run_sweep(const Config& config, Progress& progress) { return Sweeper(config, progress).run(); }

}  // namespace detio_sweep

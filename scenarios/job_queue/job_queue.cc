#include "job_queue.h"

#include <algorithm>
#include <chrono>
#include <deque>
#include <exception>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <detio/detio.h>

namespace job_queue {
namespace {

using namespace std::chrono_literals;
using detio::Duration;
using detio::TimePoint;

enum class Outcome { kPending, kDone, kTimedOut, kCancelled };

const char* outcome_name(Outcome o) {
  switch (o) {
    case Outcome::kPending: return "pending";
    case Outcome::kDone: return "done";
    case Outcome::kTimedOut: return "timed out";
    case Outcome::kCancelled: return "cancelled";
  }
  return "?";
}

std::int64_t ns(TimePoint t) { return t.time_since_epoch().count(); }

struct Job {
  // Drawn from the seed before the run starts.
  int id = 0;
  TimePoint submit_at{};
  Duration work{};
  Duration timeout{};
  bool cancel = false;          // the client cancels this job...
  Duration cancel_after{};      // ...this long after its submission
  // What happened, filled in by the run.
  TimePoint submitted{}, started{}, finished{}, cancel_at{};
  bool was_submitted = false, was_started = false, cancel_requested = false;
  Outcome outcome = Outcome::kPending;
  int records = 0;
  detio::TaskHandle<int> handle;
};

// An unbounded FIFO of job ids with waiting getters, built on detio::Future.
// A getter that is cancelled after being handed a wakeup passes it on, so
// no item is ever stranded (the asyncio.Queue discipline).
class Channel {
 public:
  void put(int id) {
    items_.push_back(id);
    wake_one();
  }
  // Getters see the remaining items, then std::nullopt.
  void close() {
    closed_ = true;
    while (!waiters_.empty()) wake_one();
  }
  detio::Task<std::optional<int>> get() {
    while (items_.empty()) {
      if (closed_) co_return std::nullopt;
      detio::Future<void> wakeup;
      waiters_.push_back(wakeup);
      try {
        co_await wakeup;
      } catch (const detio::CancelledError&) {
        if (wakeup.done() && !wakeup.cancelled()) wake_one();
        throw;
      }
    }
    int id = items_.front();
    items_.pop_front();
    co_return id;
  }

 private:
  void wake_one() {
    while (!waiters_.empty()) {
      detio::Future<void> f = waiters_.front();
      waiters_.pop_front();
      if (!f.done()) {
        f.set_result();
        return;
      }
    }
  }

  std::deque<int> items_;
  std::deque<detio::Future<void>> waiters_;
  bool closed_ = false;
};

// The simulated job: two phases of work, interruptible at either.
detio::Task<int> execute(int id, Duration work) {
  co_await detio::sleep(work / 2);
  co_await detio::sleep(work - work / 2);
  co_return id;
}

class Service {
 public:
  Service(std::vector<Job> jobs, int workers, Report& report)
      : jobs_(std::move(jobs)), workers_(workers), report_(report) {}

  detio::Task<void> run() {
    co_await detio::task_group([this](detio::TaskGroup& tg) -> detio::Task<void> {
      for (int w = 0; w < workers_; ++w) tg.create_task(worker(w), "worker-" + std::to_string(w));
      for (const Job& job : jobs_) {
        if (job.cancel) tg.create_task(client(job.id), "client-" + std::to_string(job.id));
      }
      tg.create_task(dispatcher(), "dispatcher");
      co_await all_accounted_;
      log("all " + std::to_string(jobs_.size()) + " jobs accounted for; closing");
      channel_.close();
    });
  }

  // The invariants, checked once the service has stopped.
  void check() {
    int counts[4] = {0, 0, 0, 0};
    for (const Job& job : jobs_) {
      const std::string who = "job " + std::to_string(job.id) + ": ";
      counts[static_cast<int>(job.outcome)]++;
      if (job.records != 1) violation(who + "accounted for " + std::to_string(job.records) + " times");
      if (!job.was_submitted) violation(who + "never submitted");
      if (job.submitted != job.submit_at) violation(who + "submitted at the wrong virtual time");
      if (job.was_started && job.started < job.submitted) violation(who + "started before it was submitted");
      const bool cancelled_before_end = job.cancel_requested && job.cancel_at < job.finished;
      switch (job.outcome) {
        case Outcome::kPending:
          violation(who + "never finished");
          break;
        case Outcome::kDone:
          if (!job.was_started) violation(who + "done without starting");
          if (job.finished - job.started != job.work) violation(who + "done, but did not take exactly its work time");
          if (job.work > job.timeout) violation(who + "done although its work exceeds its timeout");
          if (cancelled_before_end) violation(who + "done although cancelled before the end");
          if (!job.handle.done() || job.handle.cancelled() || job.handle.result() != job.id)
            violation(who + "done, but its task did not return its id");
          break;
        case Outcome::kTimedOut:
          if (!job.was_started) violation(who + "timed out without starting");
          if (job.finished - job.started != job.timeout) violation(who + "timed out, but not exactly at its deadline");
          if (job.work < job.timeout) violation(who + "timed out although its work fits its timeout");
          if (cancelled_before_end) violation(who + "timed out although cancelled before the deadline");
          if (!job.handle.done()) violation(who + "timed out, but its task is still running");
          if (job.work > job.timeout && !job.handle.cancelled())
            violation(who + "timed out, but its task was not cancelled");
          break;
        case Outcome::kCancelled:
          if (!job.cancel_requested) violation(who + "cancelled without a cancel request");
          if (job.finished < job.cancel_at) violation(who + "cancelled before the cancel request");
          if (job.was_started) {
            // Cancellation takes no virtual time: the job ends at the instant
            // it is cancelled, before its work or its deadline is up.
            if (job.finished != job.cancel_at) violation(who + "cancelled, but did not stop at once");
            if (job.finished - job.started > std::min(job.work, job.timeout))
              violation(who + "cancelled after its work or deadline was up");
            if (!job.handle.cancelled()) violation(who + "cancelled, but its task was not");
          }
          break;
      }
    }
    if (max_running_ > workers_) violation("more jobs ran at once than there are workers");
    report_.done = counts[static_cast<int>(Outcome::kDone)];
    report_.timed_out = counts[static_cast<int>(Outcome::kTimedOut)];
    report_.cancelled = counts[static_cast<int>(Outcome::kCancelled)];
  }

  void violation(std::string what) { report_.violations.push_back(std::move(what)); }

 private:
  detio::Task<void> dispatcher() {
    for (Job& job : jobs_) {
      co_await detio::sleep_until(job.submit_at);
      job.submitted = detio::now();
      job.was_submitted = true;
      log("job " + std::to_string(job.id) + " submitted");
      channel_.put(job.id);
    }
  }

  detio::Task<void> worker(int w) {
    const std::string me = "worker " + std::to_string(w) + ": ";
    for (;;) {
      std::optional<int> next = co_await channel_.get();
      if (!next) break;
      Job& job = jobs_[*next];
      if (*next <= last_dequeued_) violation("job " + std::to_string(*next) + " dequeued out of order");
      last_dequeued_ = *next;
      if (job.cancel_requested) {
        log(me + "job " + std::to_string(job.id) + " was cancelled while queued");
        record(job, Outcome::kCancelled);
        continue;
      }
      job.started = detio::now();
      job.was_started = true;
      job.handle = detio::create_task(execute(job.id, job.work), "job-" + std::to_string(job.id));
      max_running_ = std::max(max_running_, ++running_);
      log(me + "job " + std::to_string(job.id) + " started");
      Outcome outcome = Outcome::kDone;
      try {
        int id = co_await detio::wait_for(job.handle, job.timeout);
        if (id != job.id) violation("job " + std::to_string(job.id) + " returned " + std::to_string(id));
      } catch (const detio::TimeoutError&) {
        outcome = Outcome::kTimedOut;
      } catch (const detio::CancelledError&) {
        // Our own cancellation (the service is being torn down) propagates.
        if (detio::current_task().cancelling() > 0) {
          --running_;
          throw;
        }
        outcome = Outcome::kCancelled;
      }
      --running_;
      record(job, outcome);
    }
    log(me + "channel closed, exiting");
  }

  detio::Task<void> client(int id) {
    Job& job = jobs_[id];
    co_await detio::sleep_until(job.submit_at + job.cancel_after);
    job.cancel_requested = true;
    job.cancel_at = detio::now();
    const std::string what = "client: cancel job " + std::to_string(id);
    if (job.outcome != Outcome::kPending) {
      log(what + ": too late, already " + outcome_name(job.outcome));
    } else if (job.was_started) {
      log(what + (job.handle.cancel("client") ? ": cancelling the running task" : ": its task just finished"));
    } else {
      log(what + ": still queued");
    }
  }

  void record(Job& job, Outcome outcome) {
    ++job.records;
    if (job.outcome == Outcome::kPending) {
      job.outcome = outcome;
      job.finished = detio::now();
    }
    log("job " + std::to_string(job.id) + " " + outcome_name(outcome));
    if (++accounted_ == jobs_.size() && !all_accounted_.done()) all_accounted_.set_result();
  }

  // Into the run's trace: its hash covers every line.
  void log(const std::string& what) { detio::sim::log(what); }

  std::vector<Job> jobs_;
  int workers_;
  Report& report_;
  Channel channel_;
  detio::Future<void> all_accounted_;
  std::size_t accounted_ = 0;
  int last_dequeued_ = -1;
  int running_ = 0;
  int max_running_ = 0;
};

detio::Task<void> scenario(Report& report) {
  detio::sim::Random& rng = detio::sim::random();
  report.workers = static_cast<int>(rng.uniform(2, 6));
  report.jobs = static_cast<int>(rng.uniform(20, 60));
  // Millisecond granularity on purpose: ties (a job ending exactly at its
  // deadline or at its cancel) happen, and the invariants must hold anyway.
  std::vector<Job> jobs(report.jobs);
  TimePoint at{};
  for (int i = 0; i < report.jobs; ++i) {
    Job& job = jobs[i];
    job.id = i;
    at += rng.uniform(0, 40) * 1ms;
    job.submit_at = at;
    job.work = rng.uniform(1, 120) * 1ms;
    job.timeout = rng.uniform(20, 150) * 1ms;
    job.cancel = rng.chance(0.15);
    job.cancel_after = rng.uniform(0, 150) * 1ms;
  }

  Service service(std::move(jobs), report.workers, report);
  try {
    // The whole service gets one virtual hour; it needs a few seconds.
    co_await detio::timeout(1h, service.run());
  } catch (const detio::TimeoutError&) {
    service.violation("the service did not finish within an hour of virtual time");
  }
  service.check();
  report.virtual_ns = ns(detio::now());
}

}  // namespace

Report run_seed(detio::sim::Options options, bool keep_log) {
  Report report;
  report.seed = options.seed;
  detio::sim::Trace trace;
  if (keep_log && !options.trace) options.trace = &trace;
  try {
    detio::sim::run(scenario(report), options);
  } catch (const detio::sim::DeadlockError& e) {
    report.violations.push_back(std::string("deadlock: ") + e.what());
  } catch (const detio::CancelledError& e) {
    report.violations.push_back(std::string("main task cancelled: ") + e.what());
  } catch (const std::exception& e) {
    report.violations.push_back(std::string("exception: ") + e.what());
  } catch (...) {
    report.violations.push_back("unknown exception");
  }
  report.trace_hash = detio::sim::last_trace_hash();
  if (keep_log) {
    for (const detio::sim::TraceEvent& e : options.trace->events()) {
      if (e.kind == detio::sim::TraceKind::kLog) report.log.push_back(std::to_string(ns(e.time)) + " " + e.detail);
    }
  }
  return report;
}

}  // namespace job_queue

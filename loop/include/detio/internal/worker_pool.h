// A bounded pool of worker threads for to_thread (asyncio's default
// executor): jobs run in FIFO order on at most max_threads threads, started
// on demand; a finished job is handed back to its loop through the
// threadsafe inbox and completes there, on the loop thread. Destroying the
// pool drops the jobs not started yet and joins the threads, waiting for
// running jobs (asyncio.run does the same with its executor).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "detio/internal/future_base.h"
#include "detio/internal/ready_node.h"
#include "detio/task.h"

namespace detio::internal {

class ThreadsafeInbox;
class WorkerPool;
struct JobWaiter;

// One blocking call: run_on_worker() on a worker thread, then the node runs
// on the loop thread and wakes the waiting frame (if it is still waiting).
class WorkerJob : public ReadyNode {
 public:
  WorkerJob() noexcept : ReadyNode(&WorkerJob::fire) {}
  WorkerJob(const WorkerJob&) = delete;
  virtual ~WorkerJob() = default;
  virtual void run_on_worker() noexcept = 0;

  // Loop thread only.
  JobWaiter* waiter = nullptr;
  WorkerPool* pool = nullptr;

 private:
  static void fire(ReadyNode* node, Action action);
};

// The future a to_thread frame waits on. It owns the job once the job is
// back on the loop; if the frame goes first (cancelled), the job is orphaned
// and deletes itself when it comes back.
struct JobWaiter : Waiter {
  static constexpr WaitKind kKind = plain_wait("to_thread");
  explicit JobWaiter(WorkerJob* j) noexcept : Waiter(&kKind), job(j) { job->waiter = this; }
  JobWaiter(const JobWaiter&) = delete;
  ~JobWaiter() {
    if (!job) return;
    if (finished) {
      delete job;
    } else {
      job->waiter = nullptr;
    }
  }
  WorkerJob* job;
  bool finished = false;
};

// f() with its result or exception.
template <class R, class F>
class ThreadCall final : public WorkerJob {
 public:
  explicit ThreadCall(F f) : fn_(std::move(f)) {}
  void run_on_worker() noexcept override {
    try {
      if constexpr (std::is_void_v<R>) {
        fn_();
        value_.emplace();
      } else {
        value_.emplace(fn_());
      }
    } catch (...) {
      error_ = std::current_exception();
    }
  }
  R take() {
    if (error_) std::rethrow_exception(error_);
    if constexpr (!std::is_void_v<R>) return std::move(*value_);
  }

 private:
  F fn_;
  std::optional<ResultOf<R>> value_;
  std::exception_ptr error_;
};

class WorkerPool {
 public:
  WorkerPool(std::shared_ptr<ThreadsafeInbox> inbox, std::size_t max_threads);
  WorkerPool(const WorkerPool&) = delete;
  ~WorkerPool();

  // asyncio's default: min(32, hardware threads + 4).
  static std::size_t default_max_threads() noexcept;

  // Loop thread. Takes ownership of `job` (deletes it if this throws).
  void submit(WorkerJob* job);
  // Loop thread: jobs submitted and not yet back on the loop.
  std::size_t in_flight() const noexcept { return in_flight_; }
  std::size_t max_threads() const noexcept { return max_threads_; }
  std::size_t thread_count() const noexcept { return threads_.size(); }

 private:
  friend class WorkerJob;
  void worker_main();

  std::shared_ptr<ThreadsafeInbox> inbox_;
  const std::size_t max_threads_;
  std::size_t in_flight_ = 0;          // loop thread only
  std::vector<std::thread> threads_;  // loop thread only
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<WorkerJob*> queue_;
  std::size_t idle_ = 0;
  bool stopping_ = false;
};

// The worker pool of the real loop running on this thread (started on first
// use), or nullptr under the simulator or outside a loop.
WorkerPool* current_worker_pool();

}  // namespace detio::internal

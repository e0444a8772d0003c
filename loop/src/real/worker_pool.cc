#include "detio/internal/worker_pool.h"

#include <algorithm>

#include "detio/internal/threadsafe_inbox.h"

namespace detio::internal {

void WorkerJob::fire(ReadyNode* node, Action action) {
  auto* job = static_cast<WorkerJob*>(node);
  if (action == Action::kRun) {
    --job->pool->in_flight_;
    if (JobWaiter* w = job->waiter) {
      w->finished = true;  // the waiter owns the job from now on
      w->set_result();
      return;
    }
  } else if (JobWaiter* w = job->waiter) {
    w->job = nullptr;  // the loop is being torn down under a waiting frame
  }
  delete job;
}

WorkerPool::WorkerPool(std::shared_ptr<ThreadsafeInbox> inbox, std::size_t max_threads)
    : inbox_(std::move(inbox)), max_threads_(std::max<std::size_t>(1, max_threads)) {}

WorkerPool::~WorkerPool() {
  std::deque<WorkerJob*> not_started;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    not_started.swap(queue_);
  }
  wake_.notify_all();
  for (std::thread& t : threads_) t.join();
  for (WorkerJob* job : not_started) {
    if (job->waiter) job->waiter->job = nullptr;
    delete job;
  }
}

std::size_t WorkerPool::default_max_threads() noexcept {
  const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
  return std::min<std::size_t>(32, cores + 4);
}

void WorkerPool::submit(WorkerJob* job) {
  job->pool = this;
  bool spawn = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(job);
    spawn = idle_ == 0 && threads_.size() < max_threads_;
  }
  ++in_flight_;
  if (spawn) {
    try {
      threads_.emplace_back([this] { worker_main(); });
      return;
    } catch (...) {
      // No new thread: the job waits for a running one, unless there is none.
      if (threads_.empty()) {
        std::lock_guard<std::mutex> lock(mutex_);
        queue_.pop_back();
        --in_flight_;
        delete job;
        throw;
      }
    }
  }
  wake_.notify_one();
}

void WorkerPool::worker_main() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    ++idle_;
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    --idle_;
    if (stopping_) return;
    WorkerJob* job = queue_.front();
    queue_.pop_front();
    lock.unlock();
    job->run_on_worker();
    // Back to the loop; if it has closed, nobody waits for the result.
    if (!inbox_->post(job)) delete job;
    lock.lock();
  }
}

}  // namespace detio::internal

// The one door into a real loop from other threads (asyncio's
// call_soon_threadsafe plumbing): any thread posts a heap-allocated
// ReadyNode under a mutex and, if the loop may be asleep, writes an eventfd
// that the loop's epoll watches; the loop thread moves what was posted into
// its ready queue. After close() (the loop ended) posting fails and the
// caller keeps the node. Shared (std::shared_ptr) by the loop and every
// LoopHandle, so a handle may outlive its loop. This, the worker pool and
// the concurrent futures are the only thread-aware code in detio.
#pragma once

#include <atomic>
#include <cstddef>
#include <mutex>

#include "detio/internal/ready_node.h"

namespace detio::internal {

class LoopCore;

class ThreadsafeInbox {
 public:
  ThreadsafeInbox();
  ThreadsafeInbox(const ThreadsafeInbox&) = delete;
  ~ThreadsafeInbox();

  // The eventfd the loop watches for EPOLLIN.
  int fd() const noexcept { return event_fd_; }

  // Any thread. Queues `node` (ownership passes) and wakes the loop; false
  // if the loop is closed (ownership stays with the caller).
  bool post(ReadyNode* node);
  // Any thread: make the loop look again (e.g. the last handle went away).
  void wake() noexcept;

  // Loop thread: moves everything posted into the loop's ready queue.
  void drain_into(LoopCore& loop);
  // Loop thread: nothing is accepted any more; discards what is queued.
  void close();
  // Loop thread: true if anything waits to be drained. Lock-free: the
  // loop asks on every iteration it might skip epoll_wait.
  bool has_pending() const noexcept { return pending_.load(std::memory_order_acquire); }

  // LoopHandles alive anywhere: while there are some, another thread may
  // still post, so the loop must keep waiting rather than give up.
  void add_handle() noexcept { handles_.fetch_add(1, std::memory_order_relaxed); }
  void drop_handle() noexcept {
    if (handles_.fetch_sub(1, std::memory_order_acq_rel) == 1) wake();
  }
  bool has_handles() const noexcept { return handles_.load(std::memory_order_acquire) > 0; }

 private:
  void signal() noexcept;

  mutable std::mutex mutex_;
  ReadyList items_;
  bool closed_ = false;
  bool wake_pending_ = false;
  int event_fd_ = -1;
  std::atomic<long> handles_{0};
  // items_ is not empty (written under mutex_, read without it).
  std::atomic<bool> pending_{false};
};

}  // namespace detio::internal

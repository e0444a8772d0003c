#include "detio/internal/threadsafe_inbox.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <utility>

#include "detio/internal/loop_core.h"
#include "detio/internal/socket_errors.h"

namespace detio::internal {

ThreadsafeInbox::ThreadsafeInbox() {
  event_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (event_fd_ < 0) throw_socket_error(errno, "eventfd");
}

ThreadsafeInbox::~ThreadsafeInbox() {
  close();
  ::close(event_fd_);
}

bool ThreadsafeInbox::post(ReadyNode* node) {
  bool must_signal = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closed_) return false;
    items_.push_back(node);
    pending_.store(true, std::memory_order_release);
    must_signal = !std::exchange(wake_pending_, true);
  }
  if (must_signal) signal();
  return true;
}

void ThreadsafeInbox::wake() noexcept {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closed_ || wake_pending_) return;
    wake_pending_ = true;
  }
  signal();
}

void ThreadsafeInbox::signal() noexcept {
  const std::uint64_t one = 1;
  ssize_t n;
  do {
    n = ::write(event_fd_, &one, sizeof one);
  } while (n < 0 && errno == EINTR);
  // EAGAIN means the counter is already non-zero: the loop will wake.
}

void ThreadsafeInbox::drain_into(LoopCore& loop) {
  // Reset the eventfd first: a post that lands after the lock below signals
  // again, so no wake-up is lost.
  std::uint64_t count;
  while (::read(event_fd_, &count, sizeof count) < 0 && errno == EINTR) {
  }
  ReadyList taken;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    taken.splice_back(items_);
    pending_.store(false, std::memory_order_relaxed);
    wake_pending_ = false;
  }
  loop.call_soon_all(taken);
}

void ThreadsafeInbox::close() {
  ReadyList taken;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
    taken.splice_back(items_);
    pending_.store(false, std::memory_order_relaxed);
  }
  while (ReadyNode* n = taken.pop_front()) n->discard();
}

}  // namespace detio::internal

// The real backend: a LoopCore driven by epoll and CLOCK_MONOTONIC (time 0
// is the loop's start), the Network of real non-blocking TCP sockets, the
// threadsafe inbox (an eventfd) and the worker pool for to_thread.
//
// Readiness is level-triggered: a transport reads once per EPOLLIN (into one
// buffer shared by the whole loop) and writes on EPOLLOUT only while it has
// bytes queued. Each fd has at most one registration, whose mask follows
// what its owner wants (ADD when it first wants something, MOD on changes,
// DEL when it wants nothing), and the event carries a generation number so
// that an event for a closed fd cannot reach a newer owner of that number.
//
// poll() is the backend verb of detio/internal/run_main.h. It returns false
// only when nothing can ever happen again: no timer, no open socket, no
// worker job in flight, nothing posted and no LoopHandle alive.
#pragma once

#include <sys/epoll.h>

#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "detio/internal/intrusive_list.h"
#include "detio/internal/io_object.h"
#include "detio/internal/loop_core.h"
#include "detio/task_handle.h"
#include "detio/transport.h"

namespace detio::internal {

class SignalTaskDump;
class ThreadsafeInbox;
class WorkerPool;

class EpollBackend final : public Network {
 public:
  static constexpr std::size_t kReadBufferSize = 64 * 1024;

  EpollBackend();
  EpollBackend(const EpollBackend&) = delete;
  ~EpollBackend() override;

  static constexpr char kBackendTag = 0;  // see LoopCore::backend()
  // The real backend of the running loop, or nullptr.
  static EpollBackend* current() noexcept;

  LoopCore& loop() noexcept { return loop_; }

  // --- LoopBackend (detio/internal/run_main.h) ---
  // Waits for I/O until `deadline` (not at all if it has passed),
  // dispatches the events, and moves the clock.
  bool poll(LoopCore& loop, std::optional<TimePoint> deadline);
  bool out_of_budget() const noexcept { return false; }
  // RuntimeError: nothing can ever wake main again.
  std::exception_ptr cannot_finish(const TaskHandleBase& main, bool hung);

  // --- fd registration, for transports, listeners and connects ---
  // Changes fd's epoll mask from `from` to `to` (0 means unregistered).
  void set_interest(int fd, IoHandler* handler, std::uint32_t from, std::uint32_t to);
  void add_object(IoObject* object) noexcept;
  void remove_object(IoObject* object) noexcept;
  // A scratch buffer for reads; valid until the next read.
  char* read_buffer() noexcept { return read_buffer_.get(); }

  // --- threads ---
  const std::shared_ptr<ThreadsafeInbox>& inbox() const noexcept { return inbox_; }
  WorkerPool& workers();
  // From now until the loop ends, `signo` dumps the pending tasks.
  void dump_tasks_on_signal(int signo);

  // --- Network ---
  Task<std::shared_ptr<Transport>> connect(std::string host, std::uint16_t port) override;
  Task<std::unique_ptr<Listener>> bind(std::string host, std::uint16_t port, int backlog,
                                         Acceptor& acceptor) override;
  Task<std::shared_ptr<Transport>> connect_unix(std::string path) override;
  Task<std::unique_ptr<Listener>> bind_unix(std::string path, int backlog, Acceptor& acceptor) override;

 private:
  struct Slot {
    IoHandler* handler = nullptr;
    std::uint32_t generation = 0;
  };

  TimePoint clock() const noexcept;
  static TimePoint read_clock(const void* self) noexcept;
  // Sets (or defers) the loop's time for the iteration after a poll.
  void start_iteration(LoopCore& loop) const noexcept;
  bool nothing_can_happen() const;
  // Nothing can happen, nor can a signal ask for a task dump: an iteration
  // may skip epoll_wait.
  bool no_news_possible() const;
  // poll() when it must look at I/O (kept apart: the common no-I/O case of
  // a task switch stays a small function).
  [[gnu::noinline]] bool poll_io(LoopCore& loop, std::optional<TimePoint> deadline);

  LoopCore loop_;
  int epoll_fd_ = -1;
  std::int64_t start_ns_ = 0;
  std::vector<Slot> slots_;  // by fd
  std::uint32_t next_generation_ = 0;
  IntrusiveList<IoObject> objects_;
  std::size_t object_count_ = 0;
  std::unique_ptr<char[]> read_buffer_;
  std::vector<epoll_event> events_;
  std::shared_ptr<ThreadsafeInbox> inbox_;
  std::unique_ptr<WorkerPool> workers_;
  // After inbox_: it writes the inbox's eventfd, so it goes first.
  std::unique_ptr<SignalTaskDump> signal_dump_;
};

}  // namespace detio::internal

#include "detio/internal/epoll_backend.h"

#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <climits>

#include "detio/errors.h"
#include "detio/internal/epoll_listener.h"
#include "detio/internal/run_main.h"
#include "detio/internal/signal_task_dump.h"
#include "detio/internal/socket_errors.h"
#include "detio/internal/task_state.h"
#include "detio/internal/threadsafe_inbox.h"
#include "detio/internal/worker_pool.h"

namespace detio::internal {
namespace {

constexpr std::size_t kMaxEvents = 256;
// The inbox's eventfd is told apart from sockets by this generation.
constexpr std::uint32_t kInboxGeneration = 0;

std::int64_t monotonic_ns() noexcept {
  timespec ts;
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

std::uint64_t pack(int fd, std::uint32_t generation) noexcept {
  return (static_cast<std::uint64_t>(generation) << 32) | static_cast<std::uint32_t>(fd);
}

}  // namespace

EpollBackend::EpollBackend()
    : start_ns_(monotonic_ns()),
      read_buffer_(new char[kReadBufferSize]),
      events_(kMaxEvents),
      inbox_(std::make_shared<ThreadsafeInbox>()) {
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) throw_socket_error(errno, "epoll_create1");
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = pack(inbox_->fd(), kInboxGeneration);
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, inbox_->fd(), &ev) < 0) {
    const int err = errno;
    ::close(epoll_fd_);
    throw_socket_error(err, "epoll_ctl(eventfd)");
  }
  loop_.set_network(this);
  loop_.set_backend(this);
  loop_.set_clock(&EpollBackend::read_clock, this);
}

EpollBackend::~EpollBackend() {
  LoopCore::Scope running(loop_);
  // Frames first (they close their sockets and cancel their thread jobs
  // while everything is still there), then what nobody closed, then the
  // threads.
  loop_.shutdown();
  inbox_->close();
  objects_.for_each([](IoObject* o) {
    o->unlink();
    o->backend_gone();
  });
  object_count_ = 0;
  workers_.reset();
  loop_.shutdown();  // jobs discarded above may have queued nothing, but be sure
  loop_.set_network(nullptr);
  ::close(epoll_fd_);
}

EpollBackend* EpollBackend::current() noexcept {
  LoopCore* loop = LoopCore::current();
  return loop ? loop->backend<EpollBackend>() : nullptr;
}

WorkerPool* current_worker_pool() {
  EpollBackend* backend = EpollBackend::current();
  return backend ? &backend->workers() : nullptr;
}

WorkerPool& EpollBackend::workers() {
  if (!workers_) workers_ = std::make_unique<WorkerPool>(inbox_, WorkerPool::default_max_threads());
  return *workers_;
}

TimePoint EpollBackend::clock() const noexcept { return TimePoint(Duration(monotonic_ns() - start_ns_)); }

TimePoint EpollBackend::read_clock(const void* self) noexcept { return static_cast<const EpollBackend*>(self)->clock(); }

void EpollBackend::start_iteration(LoopCore& loop) const noexcept {
  // Only due timers need the time at the start of an iteration; without
  // any, the clock is read when something first asks (one vDSO call saved
  // per iteration, a third of a task switch).
  if (loop.has_timers()) {
    loop.set_now(clock());
  } else {
    loop.defer_now();
  }
}

void EpollBackend::add_object(IoObject* object) noexcept {
  objects_.push_back(object);
  ++object_count_;
}

void EpollBackend::remove_object(IoObject* object) noexcept {
  if (!object->linked()) return;
  object->unlink();
  --object_count_;
}

void EpollBackend::set_interest(int fd, IoHandler* handler, std::uint32_t from, std::uint32_t to) {
  if (from == to) return;
  if (static_cast<std::size_t>(fd) >= slots_.size()) slots_.resize(static_cast<std::size_t>(fd) + 64);
  Slot& slot = slots_[static_cast<std::size_t>(fd)];
  epoll_event ev{};
  ev.events = to;
  int op;
  if (from == 0) {
    op = EPOLL_CTL_ADD;
    // Generation 0 marks the inbox; sockets never get it.
    if (++next_generation_ == kInboxGeneration) ++next_generation_;
    slot = Slot{handler, next_generation_};
  } else if (to == 0) {
    op = EPOLL_CTL_DEL;
  } else {
    op = EPOLL_CTL_MOD;
  }
  ev.data.u64 = pack(fd, slot.generation);
  if (::epoll_ctl(epoll_fd_, op, fd, &ev) < 0) {
    const int err = errno;
    if (op == EPOLL_CTL_DEL) {
      slot = Slot{};
      return;
    }
    throw_socket_error(err, "epoll_ctl");
  }
  if (op == EPOLL_CTL_DEL) slot = Slot{};
}

bool EpollBackend::nothing_can_happen() const {
  if (object_count_ > 0 || inbox_->has_handles() || inbox_->has_pending()) return false;
  return !workers_ || workers_->in_flight() == 0;
}

bool EpollBackend::no_news_possible() const { return nothing_can_happen() && !signal_dump_; }

bool EpollBackend::poll(LoopCore& loop, std::optional<TimePoint> deadline) {
  if (deadline == kWorkIsReady && no_news_possible()) {
    // Work is ready and no socket, thread or signal can have news: skip
    // the system call (a CPU-bound stretch of callbacks and timers, or
    // task switches).
    start_iteration(loop);
    return true;
  }
  return poll_io(loop, deadline);
}

bool EpollBackend::poll_io(LoopCore& loop, std::optional<TimePoint> deadline) {
  int timeout_ms = -1;
  if (deadline == kWorkIsReady) {
    timeout_ms = 0;
  } else if (deadline) {
    const TimePoint now = clock();
    if (*deadline <= now && no_news_possible()) {
      // A timer is due and nothing else can have news: no system call,
      // and the clock just read is the iteration's time.
      loop.set_now(now);
      return true;
    }
    // Round up: waking before the deadline would only spin.
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(*deadline - now).count();
    timeout_ms = wait <= 0 ? 0 : wait > INT_MAX ? INT_MAX : static_cast<int>(wait);
  } else if (nothing_can_happen()) {
    return false;
  }
  const int n = ::epoll_wait(epoll_fd_, events_.data(), static_cast<int>(events_.size()), timeout_ms);
  const int err = errno;
  start_iteration(loop);
  if (n < 0) {
    if (err == EINTR) return true;
    throw_socket_error(err, "epoll_wait");
  }
  for (int i = 0; i < n; ++i) {
    const std::uint64_t data = events_[i].data.u64;
    const int fd = static_cast<int>(static_cast<std::uint32_t>(data));
    const auto generation = static_cast<std::uint32_t>(data >> 32);
    if (generation == kInboxGeneration) {
      inbox_->drain_into(loop);
      if (signal_dump_ && signal_dump_->take_request()) write_task_report(loop, stderr);
      continue;
    }
    // A registration removed earlier in this batch (fd closed, maybe
    // reused) does not match any more: skip its stale event.
    if (static_cast<std::size_t>(fd) >= slots_.size()) continue;
    const Slot& slot = slots_[static_cast<std::size_t>(fd)];
    if (slot.generation != generation || !slot.handler) continue;
    slot.handler->on_io(events_[i].events);
  }
  return true;
}

std::exception_ptr EpollBackend::cannot_finish(const TaskHandleBase& main, bool /*hung: never*/) {
  std::string message = "detio::run: main task " + main.get_name() +
                        " can never finish: no task is ready, and no timer, socket, thread or LoopHandle can wake "
                        "one; blocked tasks:";
  for (const std::string& line : describe_tasks(loop_)) message += "\n  " + line;
  return std::make_exception_ptr(RuntimeError(std::move(message)));
}

void EpollBackend::dump_tasks_on_signal(int signo) {
  if (!signal_dump_) signal_dump_ = std::make_unique<SignalTaskDump>(signo, inbox_->fd());
}

Task<std::unique_ptr<Listener>> EpollBackend::bind(std::string host, std::uint16_t port, int backlog,
                                                   Acceptor& acceptor) {
  std::vector<ResolvedAddress> addresses = co_await resolve(std::move(host), port, /*passive=*/true);
  co_return EpollListener::open_all(*this, std::move(addresses), backlog, acceptor);
}

}  // namespace detio::internal

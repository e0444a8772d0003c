#include "detio/internal/signal_task_dump.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <string>

#include "detio/errors.h"
#include "detio/internal/epoll_backend.h"
#include "detio/task_report.h"

namespace detio::internal {
namespace {

std::atomic<bool> requested{false};
std::atomic<int> wake_fd{-1};
std::atomic<bool> installed{false};
struct sigaction previous_action;

extern "C" void on_dump_signal(int) {
  const int saved_errno = errno;
  requested.store(true);
  const std::uint64_t one = 1;
  const int fd = wake_fd.load();
  if (fd >= 0) (void)!::write(fd, &one, sizeof one);
  errno = saved_errno;
}

}  // namespace

SignalTaskDump::SignalTaskDump(int signo, int fd) : signo_(signo) {
  if (installed.exchange(true)) throw RuntimeError("dump_pending_tasks_on_signal: another loop already watches a signal");
  wake_fd.store(fd);
  struct sigaction action {};
  action.sa_handler = &on_dump_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  if (::sigaction(signo, &action, &previous_action) < 0) {
    const int err = errno;
    wake_fd.store(-1);
    installed.store(false);
    throw RuntimeError("dump_pending_tasks_on_signal(" + std::to_string(signo) + "): " + std::strerror(err));
  }
}

SignalTaskDump::~SignalTaskDump() {
  ::sigaction(signo_, &previous_action, nullptr);
  wake_fd.store(-1);
  requested.store(false);
  installed.store(false);
}

bool SignalTaskDump::take_request() noexcept { return requested.exchange(false); }

}  // namespace detio::internal

namespace detio {

void dump_pending_tasks_on_signal(int signo) {
  internal::EpollBackend* backend = internal::EpollBackend::current();
  if (!backend) {
    throw RuntimeError(internal::LoopCore::current()
                           ? "dump_pending_tasks_on_signal: the simulator takes no signals (it reports a stuck run "
                             "as DeadlockError or HangError; dump_pending_tasks() prints the same list)"
                           : "dump_pending_tasks_on_signal: no running detio loop");
  }
  backend->dump_tasks_on_signal(signo);
}

}  // namespace detio

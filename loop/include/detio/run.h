// detio::run(main): run `main` on the real backend (asyncio.run): an epoll
// loop on this thread whose clock is CLOCK_MONOTONIC since the loop's start,
// with real sockets (detio::open_connection, start_server), to_thread on a
// worker pool and LoopHandle for other threads (detio/threadsafe.h). When
// main finishes, the tasks still pending are cancelled and allowed to
// finish, every frame is freed, sockets left open are closed and worker
// threads are joined. Throws RuntimeError if main can never finish (nothing
// ready, no timer, socket, thread or LoopHandle that could wake it) instead
// of hanging; cannot be nested in a running loop.
//
// detio::Runner (asyncio.Runner) keeps one such loop for several run()
// calls: tasks a run() leaves pending carry on in the next one, and close()
// (or the destructor) ends them as run() does. After close(), or after a
// run() whose main could never finish, run() throws RuntimeError.
#pragma once

#include "detio/internal/epoll_backend.h"
#include "detio/internal/runner_core.h"
#include "detio/task.h"

namespace detio {

class Runner {
 public:
  Runner() : core_("detio::Runner") {}
  template <class T>
  T run(Task<T> main) {
    return core_.run(std::move(main));
  }
  template <internal::ConvertsToTask A>
  typename A::value_type run(A main) {
    return run(std::move(main).as_task());
  }
  void close() { core_.close(); }

 private:
  internal::RunnerCore<internal::EpollBackend> core_;
};

template <class T>
T run(Task<T> main) {
  internal::RunnerCore<internal::EpollBackend> runner("detio::run()");
  return runner.run(std::move(main));
}

// A frameless awaitable (run(sleep(1s))) runs as the Task it stands for.
template <internal::ConvertsToTask A>
typename A::value_type run(A main) {
  return run(std::move(main).as_task());
}

}  // namespace detio

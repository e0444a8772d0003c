// detio::run(main): run `main` on the real backend (asyncio.run): an epoll
// loop on this thread whose clock is CLOCK_MONOTONIC since the loop's start,
// with real sockets (detio::open_connection, start_server), to_thread on a
// worker pool and LoopHandle for other threads (detio/threadsafe.h). When
// main finishes, the tasks still pending are cancelled and allowed to
// finish, every frame is freed, sockets left open are closed and worker
// threads are joined. Throws RuntimeError if main can never finish (nothing
// ready, no timer, socket, thread or LoopHandle that could wake it) instead
// of hanging; cannot be nested in a running loop.
#pragma once

#include <type_traits>

#include "detio/internal/epoll_backend.h"
#include "detio/task.h"
#include "detio/task_handle.h"

namespace detio {

template <class T>
T run(Task<T> main) {
  internal::EpollBackend backend;
  TaskHandle<T> handle = create_task(std::move(main));
  backend.run_main(handle);
  if constexpr (std::is_void_v<T>) {
    handle.result();
  } else {
    return handle.result();
  }
}

}  // namespace detio

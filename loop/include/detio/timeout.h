// detio::timeout / timeout_at (asyncio.timeout, 3.11 semantics) and
// detio::wait_for (built on the timeout scope, as CPython 3.12 does).
//
// timeout(d, body): run `body` in the calling task; at the deadline the task
// is cancelled, and if that cancellation is what ends the body (no other
// cancel request is pending, judged by cancelling()/uncancel()) it leaves
// the scope as TimeoutError. A cancel from outside stays CancelledError.
#pragma once

#include <optional>

#include "detio/future.h"
#include "detio/internal/timeout_scope.h"
#include "detio/task_handle.h"

namespace detio {

template <class T>
Task<T> timeout_at(TimePoint when, Task<T> body) {
  internal::TimeoutScope scope(when);
  try {
    if constexpr (std::is_void_v<T>) {
      co_await std::move(body);
      scope.exit(false);
    } else {
      T result = co_await std::move(body);
      scope.exit(false);
      co_return result;
    }
  } catch (const CancelledError&) {
    if (scope.exit(true)) throw TimeoutError();
    throw;
  } catch (...) {
    scope.exit(false);
    throw;
  }
}

template <class T>
Task<T> timeout_at(TimePoint when, TaskHandle<T> handle) {
  return timeout_at(when, internal::await_handle(std::move(handle)));
}

template <class T>
Task<T> timeout_at(TimePoint when, Future<T> future) {
  return timeout_at(when, internal::await_future(std::move(future)));
}

// The deadline is taken when the returned Task starts running.
template <class Body>
Task<typename internal::AwaitResult<Body>::type> timeout(Duration d, Body body) {
  co_return co_await timeout_at(internal::deadline_after(internal::running_loop().now(), d), std::move(body));
}

namespace internal {

// asyncio's _cancel_and_wait: cancel `fut` and wait until it is done,
// without letting our own cancellation cancel it again. The caller keeps
// `fut` alive.
Task<void> cancel_and_wait(FutureBase& fut);

// wait_for with a non-positive timeout on a TaskHandle<T> or a Future<T>.
template <class Handle, class T = typename AwaitResult<Handle>::type>
Task<T> wait_for_expired(Handle handle) {
  if (!handle.done()) co_await cancel_and_wait(handle.state());
  try {
    if constexpr (std::is_void_v<T>) {
      handle.result();
    } else {
      co_return handle.result();
    }
  } catch (const CancelledError&) {
    throw TimeoutError();
  }
}

}  // namespace internal

// The result of `work`, or TimeoutError after cancelling `work` and waiting
// for it to finish. A zero or negative timeout cancels at once (a Task never
// starts); an already finished handle returns its result.
template <class T>
Task<T> wait_for(Task<T> work, Duration d) {
  if (d <= Duration::zero()) co_return co_await internal::wait_for_expired(create_task(std::move(work)));
  co_return co_await timeout(d, std::move(work));
}

template <class T>
Task<T> wait_for(TaskHandle<T> handle, Duration d) {
  if (d <= Duration::zero()) co_return co_await internal::wait_for_expired(std::move(handle));
  co_return co_await timeout(d, std::move(handle));
}

// On timeout the future is cancelled, as asyncio.wait_for(fut, t) does.
template <class T>
Task<T> wait_for(Future<T> future, Duration d) {
  if (d <= Duration::zero()) co_return co_await internal::wait_for_expired(std::move(future));
  co_return co_await timeout(d, std::move(future));
}

}  // namespace detio

// detio::timeout / timeout_at (asyncio.timeout, 3.11 semantics) and
// detio::wait_for (built on the timeout scope, as CPython 3.12 does).
//
// timeout(d, body): run `body` in the calling task; at the deadline the task
// is cancelled, and if that cancellation is what ends the body (no other
// cancel request is pending, judged by cancelling()/uncancel()) it leaves
// the scope as TimeoutError. A cancel from outside stays CancelledError.
//
// The body may also be a callable taking detio::Timeout& (asyncio's
// `async with timeout(d) as cm`), to read or move its own deadline:
//
//   co_await detio::timeout(std::nullopt, [&](detio::Timeout& t) -> Task<void> {
//     co_await handshake();
//     t.reschedule(detio::now() + 5s);  // the rest must finish within 5 s
//     co_await transfer();
//   });
#pragma once

#include <optional>
#include <type_traits>

#include "detio/future.h"
#include "detio/internal/timeout_scope.h"
#include "detio/task_handle.h"

namespace detio {

// A running timeout scope, as its body sees it (asyncio.Timeout).
class Timeout {
 public:
  explicit Timeout(internal::TimeoutScope& scope) noexcept : scope_(scope) {}
  Timeout(const Timeout&) = delete;

  // The deadline; nullopt for none.
  std::optional<TimePoint> when() const noexcept { return scope_.when(); }
  // A new deadline (nullopt: none); one in the past expires the scope on
  // the next loop iteration. RuntimeError once it expired.
  void reschedule(std::optional<TimePoint> when) { scope_.reschedule(when); }
  bool expired() const noexcept { return scope_.expired(); }

 private:
  internal::TimeoutScope& scope_;
};

namespace internal {

// Runs the Task that make_body(timeout) returns in a timeout scope.
template <class T, class MakeBody>
Task<T> run_in_timeout_scope(std::optional<TimePoint> when, MakeBody make_body) {
  TimeoutScope scope(when);
  Timeout handle(scope);
  try {
    if constexpr (std::is_void_v<T>) {
      co_await make_body(handle);
      scope.exit(false);
    } else {
      T result = co_await make_body(handle);
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

template <class F>
using TimeoutBodyResult = typename AwaitResult<std::invoke_result_t<F&, Timeout&>>::type;

}  // namespace internal

template <class T>
Task<T> timeout_at(TimePoint when, Task<T> body) {
  return internal::run_in_timeout_scope<T>(when, [body = std::move(body)](Timeout&) mutable { return std::move(body); });
}

// body(timeout) -> Task<T>; `when` may be nullopt (no deadline yet).
template <class F>
  requires std::is_invocable_v<F&, Timeout&>
Task<internal::TimeoutBodyResult<F>> timeout_at(std::optional<TimePoint> when, F body) {
  return internal::run_in_timeout_scope<internal::TimeoutBodyResult<F>>(when, std::move(body));
}

template <class T>
Task<T> timeout_at(TimePoint when, TaskHandle<T> handle) {
  return timeout_at(when, internal::await_handle(std::move(handle)));
}

template <class T>
Task<T> timeout_at(TimePoint when, Future<T> future) {
  return timeout_at(when, internal::await_future(std::move(future)));
}

template <internal::ConvertsToTask A>
Task<typename A::value_type> timeout_at(TimePoint when, A awaitable) {
  return timeout_at(when, std::move(awaitable).as_task());
}

// The deadline is taken when the returned Task starts running.
template <class Body>
Task<typename internal::AwaitResult<Body>::type> timeout(Duration d, Body body) {
  co_return co_await timeout_at(internal::deadline_after(internal::running_loop().now(), d), std::move(body));
}

// body(timeout) -> Task<T>; `d` may be nullopt (no deadline yet).
template <class F>
  requires std::is_invocable_v<F&, Timeout&>
Task<internal::TimeoutBodyResult<F>> timeout(std::optional<Duration> d, F body) {
  std::optional<TimePoint> when;
  if (d) when = internal::deadline_after(internal::running_loop().now(), *d);
  co_return co_await timeout_at(when, std::move(body));
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

// timeout = None, as in asyncio: no deadline, just the result.
template <class Awaitable>
Task<typename internal::AwaitResult<Awaitable>::type> wait_for(Awaitable work, std::nullopt_t) {
  co_return co_await std::move(work);
}

template <class T>
Task<T> wait_for(TaskHandle<T> handle, Duration d) {
  if (d <= Duration::zero()) co_return co_await internal::wait_for_expired(std::move(handle));
  co_return co_await timeout(d, std::move(handle));
}

template <internal::ConvertsToTask A>
Task<typename A::value_type> wait_for(A awaitable, Duration d) {
  return wait_for(std::move(awaitable).as_task(), d);
}

// On timeout the future is cancelled, as asyncio.wait_for(fut, t) does.
template <class T>
Task<T> wait_for(Future<T> future, Duration d) {
  if (d <= Duration::zero()) co_return co_await internal::wait_for_expired(std::move(future));
  co_return co_await timeout(d, std::move(future));
}

}  // namespace detio

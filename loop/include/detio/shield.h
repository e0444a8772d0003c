// detio::shield(handle): await a task (or a Future) without letting the
// awaiter's cancellation reach it (asyncio.shield). Cancelling the awaiter
// still makes its await throw CancelledError; the inner task keeps running.
#pragma once

#include "detio/future.h"
#include "detio/task_handle.h"

namespace detio {

namespace internal {

// Inner is a TaskHandle<T> or a Future<T>.
template <class Inner, class T = typename AwaitResult<Inner>::type>
Task<T> shield_impl(Inner inner) {
  if (inner.done()) co_return co_await inner;
  // The awaiter waits on `outer`; a relay copies inner's outcome into it
  // unless outer was cancelled (asyncio's _inner_done_callback).
  struct Relay {
    void run() {
      if (outer.done()) return;
      if (inner.cancelled()) {
        outer.cancel();
      } else if (std::exception_ptr error = inner.exception()) {
        outer.set_exception(error);
      } else if constexpr (std::is_void_v<T>) {
        outer.set_result();
      } else {
        outer.set_result(inner.result());
      }
    }
    Inner inner;
    Future<T> outer;
    MemberCallback<Relay, &Relay::run> node{this};
  } relay{inner, {}};
  inner.state().add_callback(&relay.node);
  co_return co_await relay.outer;
}

}  // namespace internal

template <class T>
Task<T> shield(TaskHandle<T> inner) {
  return internal::shield_impl(std::move(inner));
}

template <class T>
Task<T> shield(Future<T> inner) {
  return internal::shield_impl(std::move(inner));
}

template <class T>
Task<T> shield(Task<T> inner) {
  return shield(create_task(std::move(inner)));
}

template <internal::ConvertsToTask A>
Task<typename A::value_type> shield(A inner) {
  return shield(create_task(std::move(inner)));
}

}  // namespace detio

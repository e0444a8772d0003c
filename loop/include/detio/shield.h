// detio::shield(handle): await a task without letting the awaiter's
// cancellation reach it (asyncio.shield). Cancelling the awaiter still makes
// its await throw CancelledError; the inner task keeps running.
#pragma once

#include "detio/future.h"
#include "detio/task_handle.h"

namespace detio {

template <class T>
Task<T> shield(TaskHandle<T> inner) {
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
    TaskHandle<T> inner;
    Future<T> outer;
    internal::MemberCallback<Relay, &Relay::run> node{this};
  } relay{inner, {}};
  inner.state().add_callback(&relay.node);
  co_return co_await relay.outer;
}

template <class T>
Task<T> shield(Task<T> inner) {
  return shield(create_task(std::move(inner)));
}

}  // namespace detio

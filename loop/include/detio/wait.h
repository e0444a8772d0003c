// detio::wait(handles, {.timeout, .return_when}) (asyncio.wait): waits
// until the condition holds or the timeout passes, never cancels what it
// watches, and returns it split into `done` and `pending` (each in input
// order). The input is a vector of TaskHandle<T>, of Future<T>, or, for a
// mixed set, of TaskHandleBase or AnyFuture (which holds tasks and Futures
// of any result type). An empty input throws ValueError.
#pragma once

#include <optional>
#include <vector>

#include "detio/any_future.h"
#include "detio/future.h"
#include "detio/task_handle.h"

namespace detio {

enum class ReturnWhen { kAllCompleted, kFirstCompleted, kFirstException };

struct WaitOptions {
  std::optional<Duration> timeout = std::nullopt;
  ReturnWhen return_when = ReturnWhen::kAllCompleted;
};

// `T` is the result type (kept for WaitResult<T> spellings); `Handle` what
// was waited on.
template <class T, class Handle = TaskHandle<T>>
struct WaitResult {
  std::vector<Handle> done;
  std::vector<Handle> pending;
};

namespace internal {
// Suspends until `futures` satisfy `options` (asyncio's _wait). The
// caller keeps them alive.
Task<void> wait_until(std::vector<FutureBase*> futures, WaitOptions options);
}  // namespace internal

template <class Handle, class T = typename internal::Watchable<Handle>::result>
Task<WaitResult<T, Handle>> wait(std::vector<Handle> handles, WaitOptions options = {}) {
  if (handles.empty()) throw ValueError("detio::wait: the set of tasks is empty");
  std::vector<internal::FutureBase*> futures;
  futures.reserve(handles.size());
  for (const Handle& h : handles) futures.push_back(&h.state());
  co_await internal::wait_until(std::move(futures), options);
  WaitResult<T, Handle> result;
  result.done.reserve(handles.size());
  result.pending.reserve(handles.size());
  for (Handle& h : handles) (h.done() ? result.done : result.pending).push_back(std::move(h));
  co_return result;
}

}  // namespace detio

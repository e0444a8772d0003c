// detio::wait(handles, {.timeout, .return_when}) (asyncio.wait): waits
// until the condition holds or the timeout passes, never cancels the tasks,
// and returns them split into `done` and `pending` (each in input order).
// An empty input throws ValueError.
#pragma once

#include <optional>
#include <vector>

#include "detio/task_handle.h"

namespace detio {

enum class ReturnWhen { kAllCompleted, kFirstCompleted, kFirstException };

struct WaitOptions {
  std::optional<Duration> timeout = std::nullopt;
  ReturnWhen return_when = ReturnWhen::kAllCompleted;
};

template <class T>
struct WaitResult {
  std::vector<TaskHandle<T>> done;
  std::vector<TaskHandle<T>> pending;
};

namespace internal {
// Suspends until `handles` satisfy `options` (asyncio's _wait).
Task<void> wait_until(std::vector<TaskHandleBase> handles, WaitOptions options);
}  // namespace internal

template <class T>
Task<WaitResult<T>> wait(std::vector<TaskHandle<T>> handles, WaitOptions options = {}) {
  if (handles.empty()) throw ValueError("detio::wait: the set of tasks is empty");
  co_await internal::wait_until(std::vector<TaskHandleBase>(handles.begin(), handles.end()), options);
  WaitResult<T> result;
  for (TaskHandle<T>& h : handles) (h.done() ? result.done : result.pending).push_back(std::move(h));
  co_return result;
}

}  // namespace detio

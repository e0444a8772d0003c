// detio::gather / gather_settled (asyncio.gather). Tasks passed in are
// spawned at once, in argument order, as asyncio does; the returned Task
// waits for them. The first failure propagates while the others keep
// running; cancelling the gather cancels every child. gather_settled is
// return_exceptions=True: every outcome is collected.
#pragma once

#include <tuple>
#include <variant>
#include <vector>

#include "detio/future.h"
#include "detio/internal/gather_state.h"
#include "detio/task_handle.h"

namespace detio {

// One child's outcome in gather_settled.
template <class T>
class Outcome {
 public:
  explicit Outcome(ResultOf<T> value) : value_(std::move(value)) {}
  explicit Outcome(std::exception_ptr error) : error_(std::move(error)) {}

  bool ok() const noexcept { return error_ == nullptr; }
  // The value; rethrows the error if the child failed or was cancelled.
  // std::move(outcome).value() moves it out (for move-only results).
  const ResultOf<T>& value() const& {
    if (error_) std::rethrow_exception(error_);
    return *value_;
  }
  ResultOf<T>&& value() && {
    if (error_) std::rethrow_exception(error_);
    return std::move(*value_);
  }
  std::exception_ptr error() const noexcept { return error_; }

 private:
  std::optional<ResultOf<T>> value_;
  std::exception_ptr error_;
};

namespace internal {

template <class... Ts>
Task<std::tuple<ResultOf<Ts>...>> gather_tuple(std::tuple<TaskHandle<Ts>...> handles) {
  GatherState state(std::apply([](auto&... h) { return std::vector<TaskHandleBase>{h...}; }, handles), false);
  co_await FutureAwaiter(state);
  co_return std::apply([](auto&... h) { return std::tuple<ResultOf<Ts>...>{h.result()...}; }, handles);
}

template <class T>
Task<std::vector<ResultOf<T>>> gather_vector(std::vector<TaskHandle<T>> handles) {
  GatherState state(std::vector<TaskHandleBase>(handles.begin(), handles.end()), false);
  co_await FutureAwaiter(state);
  std::vector<ResultOf<T>> results;
  results.reserve(handles.size());
  for (const TaskHandle<T>& h : handles) results.push_back(h.result());
  co_return results;
}

template <class T>
Outcome<T> outcome_of(const TaskHandle<T>& h) {
  if (h.cancelled()) return Outcome<T>(std::make_exception_ptr(CancelledError(h.state().cancel_message())));
  if (std::exception_ptr e = h.exception()) return Outcome<T>(e);
  return Outcome<T>(h.result());
}

template <class T>
Task<std::vector<Outcome<T>>> gather_settled_vector(std::vector<TaskHandle<T>> handles) {
  GatherState state(std::vector<TaskHandleBase>(handles.begin(), handles.end()), true);
  co_await FutureAwaiter(state);
  std::vector<Outcome<T>> results;
  results.reserve(handles.size());
  for (const TaskHandle<T>& h : handles) results.push_back(outcome_of(h));
  co_return results;
}

// Awaitable is Task<T> or Future<T>.
template <template <class> class Awaitable, class T>
std::vector<TaskHandle<T>> spawn_all(std::vector<Awaitable<T>> awaitables) {
  std::vector<TaskHandle<T>> handles;
  handles.reserve(awaitables.size());
  for (Awaitable<T>& a : awaitables) handles.push_back(ensure_task(std::move(a)));
  return handles;
}

}  // namespace internal

// gather(a, b, ...) with each argument a Task<X>, a TaskHandle<X> or a
// Future<X>: a std::tuple of the results (std::monostate for void). A Future
// is awaited by a task of its own, so cancelling the gather cancels it.
template <class... Args>
Task<std::tuple<ResultOf<typename internal::AwaitResult<Args>::type>...>> gather(Args... args) {
  // A braced list evaluates left to right: children spawn in argument order.
  std::tuple<TaskHandle<typename internal::AwaitResult<Args>::type>...> handles{ensure_task(std::move(args))...};
  return internal::gather_tuple(std::move(handles));
}

template <class T>
Task<std::vector<ResultOf<T>>> gather(std::vector<TaskHandle<T>> handles) {
  return internal::gather_vector(std::move(handles));
}

template <class T>
Task<std::vector<ResultOf<T>>> gather(std::vector<Task<T>> tasks) {
  return internal::gather_vector(internal::spawn_all(std::move(tasks)));
}

template <class T>
Task<std::vector<ResultOf<T>>> gather(std::vector<Future<T>> futures) {
  return internal::gather_vector(internal::spawn_all(std::move(futures)));
}

template <class T>
Task<std::vector<Outcome<T>>> gather_settled(std::vector<TaskHandle<T>> handles) {
  return internal::gather_settled_vector(std::move(handles));
}

template <class T>
Task<std::vector<Outcome<T>>> gather_settled(std::vector<Task<T>> tasks) {
  return internal::gather_settled_vector(internal::spawn_all(std::move(tasks)));
}

template <class T>
Task<std::vector<Outcome<T>>> gather_settled(std::vector<Future<T>> futures) {
  return internal::gather_settled_vector(internal::spawn_all(std::move(futures)));
}

}  // namespace detio

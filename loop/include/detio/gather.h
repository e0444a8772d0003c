// detio::gather / gather_settled (asyncio.gather). Tasks passed in are
// spawned at once, in argument order, as asyncio does; the returned Task
// waits for them. The first failure propagates while the others keep
// running; cancelling the gather cancels every child. gather_settled is
// return_exceptions=True: every outcome is collected (a vector of Outcome
// for a vector, a tuple of Outcome for separate arguments).
#pragma once

#include <memory>
#include <tuple>
#include <type_traits>
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

// What gather waits on for one argument: a Task is spawned (in argument
// order); a TaskHandle or a Future is waited on as it is, like asyncio's
// ensure_future.
template <class T>
TaskHandle<T> gather_child(Task<T> task) {
  return create_task(std::move(task));
}
template <class T>
TaskHandle<T> gather_child(TaskHandle<T> handle) {
  return handle;
}
template <class T>
Future<T> gather_child(Future<T> future) {
  return future;
}
template <ConvertsToTask A>
auto gather_child(A awaitable) {
  return create_task(std::move(awaitable).as_task());
}

template <class... Children>
Task<std::tuple<ResultOf<typename AwaitResult<Children>::type>...>> gather_tuple(std::tuple<Children...> children) {
  GatherState state(sizeof...(Children), false);
  std::apply([&state](auto&... c) { (state.watch(c.state()), ...); }, children);
  co_await FutureAwaiter(state);
  co_return std::apply(
      [](auto&... c) { return std::tuple<ResultOf<typename AwaitResult<Children>::type>...>{c.result()...}; },
      children);
}

// A gather's children with its state, made when gather() is called with
// every child watched (asyncio's gather adds its done callback right after
// ensure_future), so a child is touched once while it is still in cache.
// One object, so the state (which looks at the children when destroyed)
// always goes first: compilers destroy a coroutine's parameter copies in
// different orders.
template <class Child>
struct Watched {
  std::vector<Child> children;
  std::unique_ptr<GatherState> state;
};

template <class Child>
Watched<Child> watch_all(std::vector<Child> children, bool return_exceptions) {
  auto state = std::make_unique<GatherState>(children.size(), return_exceptions);
  for (const Child& c : children) state->watch(c.state());
  return Watched<Child>{std::move(children), std::move(state)};
}

// Spawns `tasks` in order, each watched as soon as it exists.
template <class T>
Watched<TaskHandle<T>> spawn_watched(std::vector<Task<T>> tasks, bool return_exceptions) {
  auto state = std::make_unique<GatherState>(tasks.size(), return_exceptions);
  std::vector<TaskHandle<T>> handles;
  handles.reserve(tasks.size());
  for (Task<T>& t : tasks) {
    handles.push_back(create_task(std::move(t)));
    state->watch(handles.back().state());
  }
  return Watched<TaskHandle<T>>{std::move(handles), std::move(state)};
}

template <class Child, class T = typename AwaitResult<Child>::type>
Task<std::vector<ResultOf<T>>> gather_vector(Watched<Child> watched) {
  co_await FutureAwaiter(*watched.state);
  std::vector<ResultOf<T>> results;
  if constexpr (std::is_void_v<T>) {
    // The gather succeeded, so every child did: nothing to read back.
    results.resize(watched.children.size());
  } else {
    results.reserve(watched.children.size());
    for (const Child& c : watched.children) results.push_back(c.result());
  }
  co_return results;
}

template <class Child, class T = typename AwaitResult<Child>::type>
Outcome<T> outcome_of(const Child& c) {
  if (c.cancelled()) return Outcome<T>(std::make_exception_ptr(CancelledError(c.state().cancel_message())));
  if (std::exception_ptr e = c.exception()) return Outcome<T>(e);
  return Outcome<T>(c.result());
}

template <class... Children>
Task<std::tuple<Outcome<typename AwaitResult<Children>::type>...>> gather_settled_tuple(
    std::tuple<Children...> children) {
  GatherState state(sizeof...(Children), true);
  std::apply([&state](auto&... c) { (state.watch(c.state()), ...); }, children);
  co_await FutureAwaiter(state);
  co_return std::apply(
      [](auto&... c) { return std::tuple<Outcome<typename AwaitResult<Children>::type>...>{outcome_of(c)...}; },
      children);
}

template <class Child, class T = typename AwaitResult<Child>::type>
Task<std::vector<Outcome<T>>> gather_settled_vector(Watched<Child> watched) {
  co_await FutureAwaiter(*watched.state);
  std::vector<Outcome<T>> results;
  results.reserve(watched.children.size());
  for (const Child& c : watched.children) results.push_back(outcome_of(c));
  co_return results;
}

}  // namespace internal

// gather(a, b, ...) with each argument a Task<X>, a TaskHandle<X> or a
// Future<X>: a std::tuple of the results (std::monostate for void).
template <class... Args>
Task<std::tuple<ResultOf<typename internal::AwaitResult<Args>::type>...>> gather(Args... args) {
  // A braced list evaluates left to right: children spawn in argument order.
  std::tuple<decltype(internal::gather_child(std::move(args)))...> children{
      internal::gather_child(std::move(args))...};
  return internal::gather_tuple(std::move(children));
}

// gather over a vector of Tasks, TaskHandles or Futures: a vector of results.
template <class T>
Task<std::vector<ResultOf<T>>> gather(std::vector<Task<T>> tasks) {
  return internal::gather_vector(internal::spawn_watched(std::move(tasks), false));
}
template <class T>
Task<std::vector<ResultOf<T>>> gather(std::vector<TaskHandle<T>> handles) {
  return internal::gather_vector(internal::watch_all(std::move(handles), false));
}
template <class T>
Task<std::vector<ResultOf<T>>> gather(std::vector<Future<T>> futures) {
  return internal::gather_vector(internal::watch_all(std::move(futures), false));
}

// gather_settled(a, b, ...) (gather(a, b, return_exceptions=True)): a
// std::tuple of Outcome<X>, one per argument (a Task, TaskHandle or Future).
template <class... Args>
Task<std::tuple<Outcome<typename internal::AwaitResult<Args>::type>...>> gather_settled(Args... args) {
  std::tuple<decltype(internal::gather_child(std::move(args)))...> children{
      internal::gather_child(std::move(args))...};
  return internal::gather_settled_tuple(std::move(children));
}

template <class T>
Task<std::vector<Outcome<T>>> gather_settled(std::vector<Task<T>> tasks) {
  return internal::gather_settled_vector(internal::spawn_watched(std::move(tasks), true));
}
template <class T>
Task<std::vector<Outcome<T>>> gather_settled(std::vector<TaskHandle<T>> handles) {
  return internal::gather_settled_vector(internal::watch_all(std::move(handles), true));
}
template <class T>
Task<std::vector<Outcome<T>>> gather_settled(std::vector<Future<T>> futures) {
  return internal::gather_settled_vector(internal::watch_all(std::move(futures), true));
}

}  // namespace detio

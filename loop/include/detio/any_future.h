// detio::AnyFuture: a task or a Future of any result type, for the
// combinators that watch a mixed set (wait, as_completed), as asyncio's
// `wait({task, future})` does. A cheap copy that keeps what it refers to
// alive; compare it with another AnyFuture (or a handle or Future, which
// convert) to learn which one it is. Results stay with the typed handles:
// an AnyFuture tells done/cancelled/exception and can cancel.
#pragma once

#include <exception>
#include <memory>
#include <string>
#include <type_traits>

#include "detio/future.h"
#include "detio/task_handle.h"

namespace detio {

class AnyFuture {
 public:
  AnyFuture(TaskHandleBase handle) : AnyFuture(&handle.state(), std::make_shared<TaskHandleBase>(handle)) {}
  template <class T>
  AnyFuture(TaskHandle<T> handle) : AnyFuture(static_cast<TaskHandleBase>(std::move(handle))) {}
  template <class T>
  AnyFuture(Future<T> future) : AnyFuture(&future.state(), std::make_shared<Future<T>>(future)) {}

  bool done() const noexcept { return state_->done(); }
  bool cancelled() const noexcept { return state_->cancelled(); }
  bool cancel(std::string message = "") { return state_->cancel(message); }
  // nullptr if it succeeded; InvalidStateError while pending, CancelledError
  // if cancelled (as asyncio's exception()).
  std::exception_ptr exception() const;
  bool is_task() const noexcept { return state_->is_task(); }

  friend bool operator==(const AnyFuture& a, const AnyFuture& b) noexcept { return a.state_ == b.state_; }

  internal::FutureBase& state() const noexcept { return *state_; }

 private:
  AnyFuture(internal::FutureBase* state, std::shared_ptr<const void> keep_alive) noexcept
      : state_(state), keep_alive_(std::move(keep_alive)) {}

  internal::FutureBase* state_;
  std::shared_ptr<const void> keep_alive_;  // the handle or Future it came from
};

inline std::exception_ptr AnyFuture::exception() const {
  if (!done()) throw InvalidStateError("Exception is not set: the future is still pending");
  if (cancelled()) throw CancelledError(state_->cancel_message());
  return state_->exception();
}

namespace internal {
// What wait and as_completed accept, and the result type each yields: a
// typed handle's result, or the handle itself for the untyped ones.
template <class H>
struct Watchable : std::false_type {};
template <class T>
struct Watchable<TaskHandle<T>> : std::true_type {
  using result = T;
};
template <class T>
struct Watchable<Future<T>> : std::true_type {
  using result = T;
};
template <>
struct Watchable<TaskHandleBase> : std::true_type {
  using result = TaskHandleBase;
};
template <>
struct Watchable<AnyFuture> : std::true_type {
  using result = AnyFuture;
};
}  // namespace internal

}  // namespace detio

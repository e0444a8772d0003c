// detio::Future<T>: a handle to shared one-shot state (asyncio.Future).
// Copies are the same future; a default-constructed one is a fresh pending
// future. Any number of tasks may co_await it. Setting a settled future or
// reading a pending one throws InvalidStateError. A move-only result is
// handed over once, to the first co_await or result().
#pragma once

#include <exception>
#include <string>

#include "detio/internal/future_awaiter.h"
#include "detio/internal/refcounted.h"
#include "detio/internal/result_slot.h"
#include "detio/task.h"
#include "detio/task_handle.h"

namespace detio {

template <class T = void>
class Future {
 public:
  Future() : state_(new State) {}

  bool done() const noexcept { return state_->done(); }
  bool cancelled() const noexcept { return state_->cancelled(); }

  template <class U = T>
  void set_result(U&& value)
    requires(!std::is_void_v<T>)
  {
    check_pending("set_result");
    state_->value.emplace(std::forward<U>(value));
    state_->set_done();
  }
  void set_result()
    requires std::is_void_v<T>
  {
    check_pending("set_result");
    state_->value.emplace();
    state_->set_done();
  }
  void set_exception(std::exception_ptr error) {
    if (!error) throw ValueError("Future::set_exception: null exception_ptr");
    check_pending("set_exception");
    state_->set_done(std::move(error));
  }
  bool cancel(std::string message = "") { return state_->cancel(message); }

  // The value; throws InvalidStateError while pending, CancelledError if
  // cancelled, or the stored exception.
  ResultOf<T> result() const {
    check_done();
    state_->rethrow_if_failed();
    return state_->value.get(describe_owner);
  }
  // The stored exception or nullptr; CancelledError if cancelled.
  std::exception_ptr exception() const {
    check_done();
    if (cancelled()) throw CancelledError(state_->cancel_message());
    return state_->exception();
  }

  // Calls f(future) soon after it settles; returns an id.
  template <class F>
  std::uint64_t add_done_callback(F f) {
    return internal::add_done_callback(*state_, [self = *this, f = std::move(f)]() mutable { f(self); });
  }
  int remove_done_callback(std::uint64_t id) { return internal::remove_done_callback(*state_, id); }

  class Awaiter {
   public:
    explicit Awaiter(const Future& f) : future_(f), inner_(*f.state_) {}
    bool await_ready() { return inner_.await_ready(); }
    void await_suspend(std::coroutine_handle<> h) { inner_.await_suspend(h); }
    T await_resume() const {
      inner_.await_resume();
      if constexpr (!std::is_void_v<T>) return future_.state_->value.get(describe_owner);
    }

   private:
    Future future_;
    internal::FutureAwaiter inner_;
  };
  Awaiter operator co_await() const { return Awaiter(*this); }

  friend bool operator==(const Future& a, const Future& b) noexcept { return a.state_ == b.state_; }

  // The shared state (for detio's combinators, like TaskHandleBase::state()).
  internal::FutureBase& state() const noexcept { return *state_; }

 private:
  struct State final : internal::FutureBase {
    static constexpr internal::WaitKind kKind = internal::plain_wait("Future");
    State() : FutureBase(&kKind) {}
    ~State() {
      if (exception_unretrieved()) internal::report_unretrieved_exception(*this, "Future");
    }
    void ref() noexcept { ++refs; }
    void unref() noexcept {
      if (--refs == 0) delete this;
    }
    int refs = 0;
    internal::ResultSlot<T> value;
  };

  void check_pending(const char* what) const {
    if (done()) throw InvalidStateError(std::string("Future::") + what + ": future is already done");
  }
  void check_done() const {
    if (!done()) throw InvalidStateError("Result is not set: future is still pending");
  }

  static std::string describe_owner() { return "a Future"; }

  internal::Ref<State> state_;
};

namespace internal {
// A Task that awaits `f`: lets a Future go where a Task is taken. Cancelling
// the task cancels the future, as cancelling a task awaiting one does.
template <class T>
Task<T> await_future(Future<T> f) {
  co_return co_await f;
}

template <class T>
struct AwaitResult<Future<T>> {
  using type = T;
};
}  // namespace internal

}  // namespace detio

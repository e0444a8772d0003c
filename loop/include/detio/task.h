// detio::Task<T>: the return type of an async function. Lazy (nothing runs
// until it is awaited or spawned), move-only, and awaiting it runs it inside
// the awaiting task with symmetric transfer, so deep chains of synchronously
// completing tasks use no stack. Awaiting consumes the Task; awaiting it
// again throws InvalidStateError.
#pragma once

#include <concepts>
#include <coroutine>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

#include "detio/errors.h"
#include "detio/internal/frame_pool.h"

namespace detio {

template <class T = void>
class Task;

namespace internal {

struct PromiseBase {
  static void* operator new(std::size_t size) { return allocate_frame(size); }
  static void operator delete(void* p, std::size_t size) noexcept { free_frame(p, size); }

  struct FinalAwaiter {
    bool await_ready() const noexcept { return false; }
    template <class P>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<P> h) noexcept {
      std::coroutine_handle<> next = h.promise().continuation;
      return next ? next : std::noop_coroutine();
    }
    void await_resume() const noexcept {}
  };

  std::suspend_always initial_suspend() const noexcept { return {}; }
  FinalAwaiter final_suspend() const noexcept { return {}; }
  void unhandled_exception() noexcept { exception = std::current_exception(); }

  // Who resumes when this coroutine ends; empty for a spawned task's root.
  std::coroutine_handle<> continuation;
  std::exception_ptr exception;
};

template <class T>
struct TaskPromise : PromiseBase {
  Task<T> get_return_object() noexcept;
  template <class U>
  void return_value(U&& v) {
    value.emplace(std::forward<U>(v));
  }
  T take() {
    if (exception) std::rethrow_exception(exception);
    return std::move(*value);
  }
  std::optional<T> value;
};

template <>
struct TaskPromise<void> : PromiseBase {
  Task<void> get_return_object() noexcept;
  void return_void() const noexcept {}
  void take() const {
    if (exception) std::rethrow_exception(exception);
  }
};

}  // namespace detio::internal

template <class T>
class [[nodiscard]] Task {
 public:
  using promise_type = internal::TaskPromise<T>;
  using value_type = T;
  using Handle = std::coroutine_handle<promise_type>;

  Task() noexcept = default;
  explicit Task(Handle h) noexcept : handle_(h) {}
  Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      if (handle_) handle_.destroy();
      handle_ = std::exchange(other.handle_, {});
    }
    return *this;
  }
  ~Task() {
    if (handle_) handle_.destroy();
  }

  // False for a default-constructed, moved-from or already awaited Task.
  bool valid() const noexcept { return static_cast<bool>(handle_); }

  // Hands the coroutine over (to a spawned task's state).
  Handle release() noexcept { return std::exchange(handle_, {}); }

  class Awaiter {
   public:
    explicit Awaiter(Handle h) noexcept : handle_(h) {}
    Awaiter(const Awaiter&) = delete;
    ~Awaiter() {
      if (handle_) handle_.destroy();
    }
    bool await_ready() const {
      if (!handle_) throw InvalidStateError("awaiting an empty or already awaited detio::Task");
      return false;
    }
    std::coroutine_handle<> await_suspend(std::coroutine_handle<> caller) noexcept {
      handle_.promise().continuation = caller;
      return handle_;
    }
    T await_resume() { return handle_.promise().take(); }

   private:
    Handle handle_;
  };

  Awaiter operator co_await() && noexcept { return Awaiter(release()); }
  Awaiter operator co_await() & noexcept { return Awaiter(release()); }

 private:
  Handle handle_;
};

namespace internal {

template <class T>
Task<T> TaskPromise<T>::get_return_object() noexcept {
  return Task<T>(std::coroutine_handle<TaskPromise<T>>::from_promise(*this));
}

inline Task<void> TaskPromise<void>::get_return_object() noexcept {
  return Task<void>(std::coroutine_handle<TaskPromise<void>>::from_promise(*this));
}

template <class X>
struct IsTask : std::false_type {};
template <class T>
struct IsTask<Task<T>> : std::true_type {};

// A frameless awaitable (sleep, Event::wait, ...) that stands for a Task
// where one is needed: create_task, gather, wait_for, timeout, shield and
// TaskGroup::create_task take it through as_task().
template <class A>
concept ConvertsToTask = requires(A&& a) {
  { std::move(a).as_task() } -> std::same_as<Task<typename A::value_type>>;
};

}  // namespace internal

// `void` results are reported as std::monostate by gather and friends.
template <class T>
using ResultOf = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

}  // namespace detio

// detio::TaskHandle<T> (asyncio.Task as seen by users) and create_task.
// Handles are cheap copies of one shared state; `co_await handle` yields the
// result, rethrows the task's exception, or throws CancelledError.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "detio/internal/future_awaiter.h"
#include "detio/internal/refcounted.h"
#include "detio/internal/task_state.h"
#include "detio/task.h"

namespace detio {

// A handle to a task of any result type (what current_task() returns).
class TaskHandleBase {
 public:
  TaskHandleBase() noexcept = default;
  explicit TaskHandleBase(internal::TaskStateBase* state) noexcept : state_(state) {}

  bool valid() const noexcept { return static_cast<bool>(state_); }

  // Requests cancellation; false if the task is already done.
  bool cancel(std::string message = "") { return state().cancel_task(message); }
  bool cancelled() const { return state().cancelled(); }
  bool done() const { return state().done(); }
  // The task's exception, nullptr if it succeeded. Throws InvalidStateError
  // while pending and CancelledError if it was cancelled.
  std::exception_ptr exception() const;
  int cancelling() const { return state().cancelling(); }
  int uncancel() { return state().uncancel(); }
  std::string get_name() const { return state().name(); }
  void set_name(std::string name) { state().set_name(std::move(name)); }

  // Calls f(handle) soon after the task is done (never inline); returns an
  // id for remove_done_callback.
  template <class F>
  std::uint64_t add_done_callback(F f) {
    return internal::add_done_callback(state(), [h = *this, f = std::move(f)]() mutable { f(h); });
  }
  // Returns how many callbacks with this id were removed (0 or 1).
  int remove_done_callback(std::uint64_t id) { return internal::remove_done_callback(state(), id); }

  friend bool operator==(const TaskHandleBase& a, const TaskHandleBase& b) noexcept {
    return a.state_ == b.state_;
  }
  // Creation order, so handles can key a std::set or std::map whose order
  // is the same on every run (no std::hash: hash order would leak the
  // addresses into iteration order). Empty handles come first.
  friend bool operator<(const TaskHandleBase& a, const TaskHandleBase& b) noexcept {
    return a.order_key() < b.order_key();
  }

  internal::TaskStateBase& state() const {
    if (!state_) throw InvalidStateError("empty detio::TaskHandle");
    return *state_;
  }

 private:
  std::uint64_t order_key() const noexcept { return state_ ? state_->number() : 0; }

 protected:
  void check_done_for_result() const;

  internal::Ref<internal::TaskStateBase> state_;
};

template <class T = void>
class TaskHandle : public TaskHandleBase {
 public:
  TaskHandle() noexcept = default;
  explicit TaskHandle(internal::TaskState<T>* state) noexcept : TaskHandleBase(state) {}

  // The result. Throws InvalidStateError while pending, CancelledError if
  // cancelled, or the task's exception. A move-only result is handed over
  // once: to the first result() or co_await (then InvalidStateError).
  ResultOf<T> result() const {
    check_done_for_result();
    return typed().take_result();
  }

  template <class F>
  std::uint64_t add_done_callback(F f) {
    return internal::add_done_callback(state(), [h = *this, f = std::move(f)]() mutable { f(h); });
  }

  class Awaiter {
   public:
    explicit Awaiter(TaskHandle handle) : handle_(std::move(handle)), inner_(handle_.state()) {}
    bool await_ready() { return inner_.await_ready(); }
    void await_suspend(std::coroutine_handle<> h) { inner_.await_suspend(h); }
    T await_resume() const {
      inner_.await_resume();
      if constexpr (!std::is_void_v<T>) return handle_.typed().take_result();
    }

   private:
    TaskHandle handle_;
    internal::FutureAwaiter inner_;
  };
  Awaiter operator co_await() const { return Awaiter(*this); }

  internal::TaskState<T>& typed() const { return static_cast<internal::TaskState<T>&>(state()); }
};

// Schedules `task` to start on a later loop iteration (FIFO).
template <class T>
TaskHandle<T> create_task(Task<T> task, std::string name = "") {
  if (!task.valid()) throw InvalidStateError("create_task: empty or already awaited detio::Task");
  internal::LoopCore& loop = internal::running_loop();
  auto* state = new internal::TaskState<T>(std::move(task));
  TaskHandle<T> handle(state);
  state->start(loop, std::move(name));
  return handle;
}

// A frameless awaitable (sleep(1s), ...) is spawned as the Task it stands for.
template <internal::ConvertsToTask A>
auto create_task(A awaitable, std::string name = "") {
  return create_task(std::move(awaitable).as_task(), std::move(name));
}

// The running task's handle; empty outside a task.
TaskHandleBase current_task() noexcept;

// asyncio.all_tasks(): the running loop's unfinished tasks, in creation
// order. RuntimeError outside a loop.
std::vector<TaskHandleBase> all_tasks();

namespace internal {
template <class X>
struct IsTaskHandle : std::false_type {};
template <class T>
struct IsTaskHandle<TaskHandle<T>> : std::true_type {};

// The result type of a Task<T> or a TaskHandle<T>.
template <class X>
struct AwaitResult;
template <class T>
struct AwaitResult<Task<T>> {
  using type = T;
};
template <class T>
struct AwaitResult<TaskHandle<T>> {
  using type = T;
};
template <ConvertsToTask A>
struct AwaitResult<A> {
  using type = typename A::value_type;
};
}  // namespace internal

}  // namespace detio

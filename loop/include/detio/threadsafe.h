// Handing work to a detio loop from other threads (asyncio's
// loop.call_soon_threadsafe and asyncio.run_coroutine_threadsafe).
//
//   detio::LoopHandle loop = detio::get_running_loop();   // on the loop
//   std::thread t([loop] {
//     loop.call_soon_threadsafe([] { /* runs on the loop thread */ });
//     detio::ConcurrentFuture<int> f = detio::run_coroutine_threadsafe(work(), loop);
//     int v = f.get();                                      // blocks this thread
//   });
//
// A LoopHandle is a cheap, copyable, thread-safe reference; it may outlive
// the loop, after which posting throws RuntimeError("Event loop is closed").
// While any handle is alive the real loop does not conclude that main can
// never finish (another thread may still post). Callbacks run on the loop
// thread in posting order, like call_soon callbacks.
//
// Under the simulator get_running_loop() works too, and both calls are
// deterministic: made on the simulation's own thread (from a task, a
// callback, or a to_thread function, which the simulator runs inline) they
// queue like call_soon, in order, on behalf of the default host. A call from
// any other thread throws RuntimeError: the simulator runs on one thread,
// and work arriving from another would make the run depend on timing.
// Blocking on a ConcurrentFuture (get, wait, wait_for) on the thread that
// runs its loop throws RuntimeError on both backends instead of hanging:
// that loop would have to run the coroutine meanwhile.
#pragma once

#include <chrono>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>

#include "detio/errors.h"
#include "detio/internal/ready_node.h"
#include "detio/internal/report_callback_error.h"
#include "detio/internal/task_state.h"
#include "detio/internal/threadsafe_inbox.h"
#include "detio/task.h"
#include "detio/task_handle.h"

namespace detio {

class LoopHandle;

namespace internal {

// f() on the loop thread; exceptions are reported, as asyncio's handles do.
template <class F>
struct ThreadsafeCall final : ReadyNode {
  explicit ThreadsafeCall(F f) : ReadyNode(&ThreadsafeCall::fire), fn(std::move(f)) {}
  static void fire(ReadyNode* n, Action a) {
    std::unique_ptr<ThreadsafeCall> self(static_cast<ThreadsafeCall*>(n));
    if (a != Action::kRun) return;
    run_reporting_errors(self->fn, "call_soon_threadsafe callback");
  }
  F fn;
};

// Where a LoopHandle's work goes: a real loop's inbox (from any thread), or
// a simulated loop (from its own thread only; see the top of this file).
class LoopDoor {
 public:
  LoopDoor() noexcept = default;
  explicit LoopDoor(std::shared_ptr<ThreadsafeInbox> inbox) noexcept : inbox_(std::move(inbox)) {}
  explicit LoopDoor(LoopCore& simulated) noexcept
      : sim_loop_(&simulated), sim_loop_id_(simulated.id()), sim_thread_(std::this_thread::get_id()) {}

  bool valid() const noexcept { return inbox_ || sim_loop_; }
  // The real loop's inbox, or nullptr for a simulated loop.
  const std::shared_ptr<ThreadsafeInbox>& inbox() const noexcept { return inbox_; }

  // For a simulated loop, RuntimeError unless called on its thread (`what`
  // names the call); nothing for a real one.
  void check_thread(const char* what) const;
  // Queues `node` (ownership passes) and returns true, or returns false if
  // the loop has ended (the caller keeps the node). check_thread() first.
  bool post(ReadyNode* node, const char* what) const;
  // True if this thread runs the loop, which then cannot settle anything
  // while the thread blocks.
  bool on_loop_thread() const noexcept;

 private:
  std::shared_ptr<ThreadsafeInbox> inbox_;
  LoopCore* sim_loop_ = nullptr;
  std::uint64_t sim_loop_id_ = 0;
  std::thread::id sim_thread_;
};

// Posts `node` or, if the loop is closed, deletes it with `destroy` and
// throws RuntimeError("Event loop is closed").
void post_or_throw(const LoopDoor& door, ReadyNode* node, void (*destroy)(ReadyNode*), const char* what);

// RuntimeError for a ConcurrentFuture waited on by its own loop's thread.
[[noreturn]] void throw_blocking_on_loop_thread(const char* what);

// The state shared by a ConcurrentFuture and the loop task reporting to it.
template <class T>
struct ConcurrentState {
  std::mutex mutex;
  std::condition_variable settled_cv;
  bool settled = false;
  bool cancelled = false;
  std::optional<ResultOf<T>> value;
  std::exception_ptr error;
  LoopDoor door;
  // Loop thread only: the reporting task while it runs.
  TaskStateBase* task = nullptr;

  template <class... V>
  void set_value(V&&... v) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (settled) return;
      value.emplace(std::forward<V>(v)...);
      settled = true;
    }
    settled_cv.notify_all();
  }
  void set_error(std::exception_ptr e) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (settled) return;
      error = std::move(e);
      settled = true;
    }
    settled_cv.notify_all();
  }
};

// Owned by the reporting coroutine's frame (as a parameter, so it is
// destroyed with the frame even if the body never ran): unlinks the task
// and fails the future if the loop ended first.
template <class T>
class ReportLink {
 public:
  explicit ReportLink(std::shared_ptr<ConcurrentState<T>> s) noexcept : state(std::move(s)) {}
  ReportLink(ReportLink&& o) noexcept : state(std::move(o.state)) {}
  ReportLink(const ReportLink&) = delete;
  ~ReportLink() {
    if (!state) return;
    state->task = nullptr;
    state->set_error(std::make_exception_ptr(CancelledError("the loop ended before the coroutine finished")));
  }
  std::shared_ptr<ConcurrentState<T>> state;
};

template <class T>
Task<void> report_to(Task<T> task, ReportLink<T> link) {
  try {
    if constexpr (std::is_void_v<T>) {
      co_await std::move(task);
      link.state->set_value();
    } else {
      link.state->set_value(co_await std::move(task));
    }
  } catch (...) {
    link.state->set_error(std::current_exception());
  }
}

template <class T>
struct StartCoroutine final : ReadyNode {
  StartCoroutine(Task<T> t, std::shared_ptr<ConcurrentState<T>> s)
      : ReadyNode(&StartCoroutine::fire), task(std::move(t)), state(std::move(s)) {}
  static void fire(ReadyNode* n, Action a) {
    std::unique_ptr<StartCoroutine> self(static_cast<StartCoroutine*>(n));
    if (a != Action::kRun) {
      self->state->set_error(std::make_exception_ptr(RuntimeError("Event loop is closed")));
      return;
    }
    std::shared_ptr<ConcurrentState<T>> state = self->state;
    TaskHandle<void> h = create_task(report_to<T>(std::move(self->task), ReportLink<T>(state)));
    if (!h.done()) state->task = &h.state();
  }
  Task<T> task;
  std::shared_ptr<ConcurrentState<T>> state;
};

template <class T>
struct CancelCoroutine final : ReadyNode {
  explicit CancelCoroutine(std::shared_ptr<ConcurrentState<T>> s)
      : ReadyNode(&CancelCoroutine::fire), state(std::move(s)) {}
  static void fire(ReadyNode* n, Action a) {
    std::unique_ptr<CancelCoroutine> self(static_cast<CancelCoroutine*>(n));
    if (a == Action::kRun && self->state->task) self->state->task->cancel_task("");
  }
  std::shared_ptr<ConcurrentState<T>> state;
};

}  // namespace internal

// A thread-safe reference to a running loop.
class LoopHandle {
 public:
  LoopHandle() noexcept = default;
  explicit LoopHandle(internal::LoopDoor door) noexcept : door_(std::move(door)) {
    if (door_.inbox()) door_.inbox()->add_handle();
  }
  LoopHandle(const LoopHandle& o) noexcept : LoopHandle(o.door_) {}
  LoopHandle(LoopHandle&& o) noexcept : door_(std::exchange(o.door_, {})) {}
  LoopHandle& operator=(LoopHandle o) noexcept {
    std::swap(door_, o.door_);
    return *this;
  }
  ~LoopHandle() {
    if (door_.inbox()) door_.inbox()->drop_handle();
  }

  bool valid() const noexcept { return door_.valid(); }

  // Runs f() on the loop thread soon (any thread may call this on a real
  // loop; only the simulation's own thread on a simulated one).
  template <class F>
  void call_soon_threadsafe(F f) const {
    const internal::LoopDoor& target = door();  // throws for an empty handle: before `new`
    auto* node = new internal::ThreadsafeCall<F>(std::move(f));
    internal::post_or_throw(
        target, node, [](internal::ReadyNode* n) { delete static_cast<internal::ThreadsafeCall<F>*>(n); },
        "call_soon_threadsafe");
  }

  const internal::LoopDoor& door() const {
    if (!door_.valid()) throw RuntimeError("empty detio::LoopHandle");
    return door_;
  }

 private:
  internal::LoopDoor door_;
};

// The loop running on this thread (real or simulated). Throws
// RuntimeError outside one.
LoopHandle get_running_loop();

template <class F>
void call_soon_threadsafe(const LoopHandle& loop, F f) {
  loop.call_soon_threadsafe(std::move(f));
}

// The result of run_coroutine_threadsafe (concurrent.futures.Future): wait
// for it from any thread but the loop's.
template <class T>
class ConcurrentFuture {
 public:
  ConcurrentFuture() = default;
  explicit ConcurrentFuture(std::shared_ptr<internal::ConcurrentState<T>> state) : state_(std::move(state)) {}

  bool valid() const noexcept { return static_cast<bool>(state_); }
  bool done() const {
    std::lock_guard<std::mutex> lock(state().mutex);
    return state_->settled;
  }
  bool cancelled() const {
    std::lock_guard<std::mutex> lock(state().mutex);
    return state_->cancelled;
  }
  // Blocks until settled. RuntimeError on the loop's own thread.
  void wait() const {
    std::unique_lock<std::mutex> lock(state().mutex);
    if (!state_->settled && state_->door.on_loop_thread()) internal::throw_blocking_on_loop_thread("wait()");
    state_->settled_cv.wait(lock, [&] { return state_->settled; });
  }
  // True if it settled within `d`. RuntimeError on the loop's own thread.
  template <class Rep, class Period>
  bool wait_for(std::chrono::duration<Rep, Period> d) const {
    std::unique_lock<std::mutex> lock(state().mutex);
    if (!state_->settled && state_->door.on_loop_thread()) internal::throw_blocking_on_loop_thread("wait_for()");
    return state_->settled_cv.wait_for(lock, d, [&] { return state_->settled; });
  }
  // Blocks until settled; returns the value (a copy, or moved out if T is
  // move-only) or throws the coroutine's exception / CancelledError.
  T get() {
    wait();
    std::lock_guard<std::mutex> lock(state_->mutex);
    if (state_->cancelled) throw CancelledError();
    if (state_->error) std::rethrow_exception(state_->error);
    if constexpr (!std::is_void_v<T>) {
      if constexpr (std::is_copy_constructible_v<T>) {
        return *state_->value;
      } else {
        return std::move(*state_->value);
      }
    }
  }
  // Settles the future as cancelled at once and cancels the task on its
  // loop; false if it had already settled.
  bool cancel() {
    state().door.check_thread("ConcurrentFuture::cancel");
    {
      std::lock_guard<std::mutex> lock(state().mutex);
      if (state_->settled) return false;
      state_->settled = true;
      state_->cancelled = true;
    }
    state_->settled_cv.notify_all();
    auto* node = new internal::CancelCoroutine<T>(state_);
    if (!state_->door.post(node, "ConcurrentFuture::cancel")) delete node;
    return true;
  }

 private:
  internal::ConcurrentState<T>& state() const {
    if (!state_) throw InvalidStateError("empty detio::ConcurrentFuture");
    return *state_;
  }
  std::shared_ptr<internal::ConcurrentState<T>> state_;
};

// Runs `task` as a new task on `loop`; any thread may call this (on a
// simulated loop, only the simulation's thread).
template <class T>
ConcurrentFuture<T> run_coroutine_threadsafe(Task<T> task, const LoopHandle& loop) {
  if (!task.valid()) throw InvalidStateError("run_coroutine_threadsafe: empty or already awaited detio::Task");
  auto state = std::make_shared<internal::ConcurrentState<T>>();
  state->door = loop.door();  // throws for an empty handle: before `new`
  auto* node = new internal::StartCoroutine<T>(std::move(task), state);
  internal::post_or_throw(
      state->door, node, [](internal::ReadyNode* n) { delete static_cast<internal::StartCoroutine<T>*>(n); },
      "run_coroutine_threadsafe");
  return ConcurrentFuture<T>(std::move(state));
}

}  // namespace detio

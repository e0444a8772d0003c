// The shared state of a spawned task (asyncio.Task): it owns the root
// coroutine, steps it from the ready queue, and implements asyncio 3.11's
// cancellation protocol: cancel() cancels the future the task waits on
// (fut_waiter) or, if there is none, arms must_cancel so the next resume
// throws CancelledError; cancelling()/uncancel() count the requests.
#pragma once

#include <coroutine>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "detio/internal/future_base.h"
#include "detio/internal/loop_core.h"
#include "detio/internal/result_slot.h"
#include "detio/task.h"

namespace detio::internal {

class TimeoutScope;

class TaskStateBase : public FutureBase {
 public:
  TaskStateBase(const TaskStateBase&) = delete;

  // Task states come from the frame pool too: spawning costs no malloc.
  static void* operator new(std::size_t size) { return allocate_frame(size); }
  static void operator delete(void* p, std::size_t size) noexcept { free_frame(p, size); }

  void ref() noexcept { ++refs_; }
  void unref() noexcept {
    if (--refs_ == 0) delete this;
  }

  // Queues the first step. Called once, by create_task: the task belongs
  // to its creator's owner (see owner()).
  void start(LoopCore& loop, std::string name);
  // The same for a task that belongs to `owner` from its spawn on (a
  // simulated node's main task: its spawn is on its node's trace track).
  void start_owned_by(LoopCore& loop, std::string name, OwnerId owner);

  bool cancel_task(std::string_view message);
  int cancelling() const noexcept { return cancels_requested_; }
  int uncancel() noexcept;
  // "Task-<number>" unless a name was given; made when asked for, not per spawn.
  std::string name() const { return named_ ? name_ : "Task-" + std::to_string(number_); }
  void set_name(std::string name) {
    name_ = std::move(name);
    named_ = true;
  }
  std::uint64_t number() const noexcept { return number_; }
  // On whose behalf the task runs: its creator's (LoopCore::current_owner()
  // when it was created), or the one it was started for (start_owned_by).
  OwnerId owner() const noexcept { return owner_; }

  // --- used by awaiters, always on the task being stepped ---
  // Parks the task on `fut` until it settles; honours a pending cancel.
  void suspend_on(FutureBase* fut, std::coroutine_handle<> resume_at);
  // Parks the task on the waiter of a frameless awaitable, which calls
  // wake() when it settles or is cancelled; honours a pending cancel.
  void park(WaitTarget* waiter, std::coroutine_handle<> resume_at);
  // Queues the parked task's next step (from its waiter).
  void wake() noexcept { loop_->call_soon(&step_node_); }
  // Requeues the task at once (asyncio's bare `yield`, i.e. sleep(0)).
  void yield(std::coroutine_handle<> resume_at);
  // Throws CancelledError if a cancel arrived while the task was queued.
  void throw_if_cancel_pending();
  bool cancel_pending() const noexcept { return must_cancel_; }
  void clear_cancel_pending() noexcept { must_cancel_ = false; }

  // The innermost timeout scope active in this task (for the simulator's
  // "fire a timeout early" injection); scopes link themselves.
  TimeoutScope* innermost_timeout() const noexcept { return innermost_timeout_; }
  void set_innermost_timeout(TimeoutScope* scope) noexcept { innermost_timeout_ = scope; }

  // What the task is blocked on, for deadlock and hang reports.
  std::string describe_wait() const;
  // The task whose step `node` is, or nullptr if it is another kind of
  // ready node (a timer, a callback).
  static TaskStateBase* task_of_step(ReadyNode* node) noexcept {
    return node->fn == &StepNode::fire ? static_cast<StepNode*>(node)->task : nullptr;
  }

  // Destroys the coroutine frames of a task that will never run again.
  void abandon() noexcept;
  // Ends the task without resuming it (its simulated node was killed,
  // FoundationDB style): destroys its frames, which unregisters every awaiter
  // they hold, and settles it as cancelled so tasks awaiting it wake up.
  // Must not be called on the task being stepped.
  void kill(std::string_view message);

 protected:
  explicit TaskStateBase(std::coroutine_handle<> root, PromiseBase& promise) noexcept;
  virtual ~TaskStateBase();
  // Moves a normal result out of the finished root promise.
  virtual void collect_result() = 0;

 private:
  struct StepNode : ReadyNode {
    explicit StepNode(TaskStateBase* t) noexcept : ReadyNode(&StepNode::fire), task(t) {}
    static void fire(ReadyNode* n, Action a) {
      if (a == Action::kRun) static_cast<StepNode*>(n)->task->step();
    }
    TaskStateBase* task;
  };

  static bool cancel_trampoline(WaitTarget* self, std::string_view message) {
    return static_cast<TaskStateBase*>(self)->cancel_task(message);
  }

  void step();
  void complete();
  void finish_frame() noexcept;
  void notify_finished();
  void drop_callbacks() noexcept;

  int refs_ = 0;
  LoopCore* loop_ = nullptr;
  std::coroutine_handle<> root_;
  PromiseBase* promise_;
  std::coroutine_handle<> resume_point_;
  StepNode step_node_{this};
  TaskRegistryEntry registry_entry_;
  WaitTarget* fut_waiter_ = nullptr;
  TimeoutScope* innermost_timeout_ = nullptr;
  bool started_ = false;
  bool must_cancel_ = false;
  bool named_ = false;
  int cancels_requested_ = 0;
  std::uint64_t number_ = 0;
  OwnerId owner_ = kDefaultOwner;
  std::string pending_cancel_message_;
  std::string name_;
};

template <class T>
class TaskState final : public TaskStateBase {
 public:
  explicit TaskState(Task<T> task) : TaskState(task.release()) {}

  // Valid only when done() && !cancelled() && !failed(); see ResultSlot for
  // move-only results.
  ResultOf<T> take_result() { return value_.get([this] { return "task '" + name() + "'"; }); }

 private:
  explicit TaskState(std::coroutine_handle<TaskPromise<T>> h) noexcept
      : TaskStateBase(h, h.promise()), typed_root_(h) {}
  void collect_result() override {
    if constexpr (std::is_void_v<T>) {
      value_.emplace();
    } else {
      value_.emplace(std::move(*typed_root_.promise().value));
    }
  }

  std::coroutine_handle<TaskPromise<T>> typed_root_;
  ResultSlot<T> value_;
};

// The task being stepped on this thread, or nullptr.
inline TaskStateBase* current_task_state() noexcept {
  LoopCore* loop = LoopCore::current();
  return loop ? loop->current_task() : nullptr;
}

// The running task; throws RuntimeError outside one.
TaskStateBase& running_task(const char* what);

// One line per unfinished task of `loop`, in creation order:
// "<name>: <describe_wait()>" (detio/task_report.h).
std::vector<std::string> describe_tasks(LoopCore& loop);
// A header line, then describe_tasks(loop), to `out`.
void write_task_report(LoopCore& loop, std::FILE* out);

// A user done-callback queued like asyncio's call_soon(cb). The loop owns
// it while it waits (LoopOwned): a callback on a future that never settles
// is freed at shutdown (it may hold that future: no reference cycle leaks)
// or with its owner's things (a killed simulated node's).
struct DoneCallbackNode : ReadyNode, LoopOwned {
  DoneCallbackNode(std::uint64_t callback_id, absl::AnyInvocable<void()> f, OwnerId owner)
      : ReadyNode(&DoneCallbackNode::fire),
        LoopOwned(&DoneCallbackNode::release_by_loop, owner),
        id(callback_id),
        fn(std::move(f)) {}
  static void fire(ReadyNode* n, Action a);
  static void release_by_loop(LoopOwned* o) noexcept { delete static_cast<DoneCallbackNode*>(o); }
  std::uint64_t id;
  absl::AnyInvocable<void()> fn;
};

// Registers `fn` on `fut`; returns its id for remove_callback().
std::uint64_t add_done_callback(FutureBase& fut, absl::AnyInvocable<void()> fn);
// Removes callbacks with that id still waiting; returns how many.
int remove_done_callback(FutureBase& fut, std::uint64_t id) noexcept;

}  // namespace detio::internal

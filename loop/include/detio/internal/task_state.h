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
class TaskStateBase;

// What differs between TaskState<T>s, in the task's WaitKind (a vtable
// pointer would cost a second pointer per task).
struct TaskKind : WaitKind {
  void (*destroy)(TaskStateBase*) noexcept;
  // Moves a normal result out of the finished root promise.
  void (*collect_result)(TaskStateBase*);
  PromiseBase& (*root_promise)(TaskStateBase*) noexcept;
};

// The task's node in the ready queue and, while it sleeps, its timer: a
// sleeping task needs no other node. Also holds the reference count, in
// the timer's padding.
struct TaskStep : TimerEntry {
  using TimerEntry::TimerEntry;
  std::uint32_t refs = 0;
};

// Packed: a million sleeping tasks cost a million of these (see bench/
// BM_SleepingTasks); text lives in FutureNotes, made only when needed.
class TaskStateBase : public TaskRegistryEntry, private TaskStep, public FutureBase {
 public:
  TaskStateBase(const TaskStateBase&) = delete;

  // Task states come from the frame pool too: spawning costs no malloc.
  static void* operator new(std::size_t size) { return allocate_frame(size); }
  static void operator delete(void* p, std::size_t size) noexcept { free_frame(p, size); }

  void ref() noexcept { ++refs; }
  void unref() noexcept {
    if (--refs == 0) task_kind().destroy(this);
  }

  // Queues the first step. Called once, by create_task: the task belongs
  // to its creator's owner (see owner()).
  void start(LoopCore& loop, std::string name);
  // The same for a task that belongs to `owner` from its spawn on (a
  // simulated node's main task: its spawn is on its node's trace track).
  void start_owned_by(LoopCore& loop, std::string name, OwnerId owner);

  bool cancel_task(std::string_view message);
  int cancelling() const noexcept { return static_cast<int>(cancels_requested_); }
  int uncancel() noexcept;
  // "Task-<number>" unless a name was given; made when asked for, not per spawn.
  std::string name() const {
    return has(kNamed) ? notes_if_any()->name : "Task-" + std::to_string(static_cast<std::uint64_t>(number_));
  }
  void set_name(std::string name) {
    notes().name = std::move(name);
    set(kNamed, true);
  }
  std::uint64_t number() const noexcept { return number_; }
  // On whose behalf the task runs: its creator's (LoopCore::current_owner()
  // when it was created), or the one it was started for (start_owned_by).
  OwnerId owner() const noexcept { return owner_; }

  // --- used by awaiters, always on the task being stepped ---
  // Parks the task on `fut` until it settles; honours a pending cancel.
  void suspend_on(FutureBase* fut, std::coroutine_handle<> resume_at);
  // Parks the task on the waiter of a frameless awaitable, which calls
  // wake() when it settles, or wait_cancelled() and wake() when it is
  // cancelled; honours a pending cancel. Resume with resume_from_wait().
  void park(WaitTarget* waiter, std::coroutine_handle<> resume_at);
  // Parks the task on its own timer until loop time `when` (the frameless
  // sleep); honours a pending cancel. Resume with resume_from_wait().
  void sleep_until(TimePoint when, std::coroutine_handle<> resume_at);
  // Queues the parked task's next step (from its waiter).
  void wake() noexcept { loop_->call_soon(static_cast<TaskStep*>(this)); }
  // Records that the frameless wait the task is parked on was cancelled
  // with `message`: resume_from_wait() throws it.
  void wait_cancelled(std::string_view message);
  // After a frameless wait: throws CancelledError if it was cancelled (its
  // message wins over later cancels) or if a cancel arrived meanwhile.
  void resume_from_wait();
  // Requeues the task at once (asyncio's bare `yield`, i.e. sleep(0)).
  void yield(std::coroutine_handle<> resume_at);
  // Throws CancelledError if a cancel arrived while the task was queued.
  void throw_if_cancel_pending();
  bool cancel_pending() const noexcept { return has(kMustCancel); }
  void clear_cancel_pending() noexcept { set(kMustCancel, false); }

  // The innermost timeout scope active in this task (for the simulator's
  // "fire a timeout early" injection); scopes link themselves.
  TimeoutScope* innermost_timeout() const noexcept {
    FutureNotes* n = notes_if_any();
    return n ? n->innermost_timeout : nullptr;
  }
  void set_innermost_timeout(TimeoutScope* scope) noexcept {
    if (FutureNotes* n = notes_if_any()) {
      n->innermost_timeout = scope;
    } else if (scope) {
      notes().innermost_timeout = scope;
    }
  }

  // What the task is blocked on, for deadlock and hang reports.
  std::string describe_wait() const;
  // The task whose step `node` is, or nullptr if it is another kind of
  // ready node (a timer, a callback, a sleeping task's timer).
  static TaskStateBase* task_of_step(ReadyNode* node) noexcept {
    return node->fn == &TaskStateBase::fire_step ? of(node) : nullptr;
  }

  // Destroys the coroutine frames of a task that will never run again.
  void abandon() noexcept;
  // Ends the task without resuming it (its simulated node was killed,
  // FoundationDB style): destroys its frames, which unregisters every awaiter
  // they hold, and settles it as cancelled so tasks awaiting it wake up.
  // Must not be called on the task being stepped.
  void kill(std::string_view message);

 protected:
  TaskStateBase(const TaskKind* kind, std::coroutine_handle<> root) noexcept;
  ~TaskStateBase();
  std::coroutine_handle<> root() const noexcept { return root_; }
  static bool cancel_trampoline(WaitTarget* self, std::string_view message) {
    return static_cast<TaskStateBase*>(self)->cancel_task(message);
  }

 private:
  enum Flag : std::uint8_t {
    kStarted = 1,
    kMustCancel = 2,
    kNamed = 4,
    // The step node is on the timer heap (or due in the ready queue) as the
    // timer of a sleep.
    kSleepArmed = 8,
    // The frameless wait the task is parked on was cancelled.
    kWaitCancelled = 16,
  };
  bool has(Flag f) const noexcept { return (subclass_flags_ & f) != 0; }
  void set(Flag f, bool on) noexcept {
    subclass_flags_ = static_cast<std::uint8_t>(on ? subclass_flags_ | f : subclass_flags_ & ~f);
  }
  const TaskKind& task_kind() const noexcept { return static_cast<const TaskKind&>(kind()); }
  static TaskStateBase* of(ReadyNode* node) noexcept {
    return static_cast<TaskStateBase*>(static_cast<TaskStep*>(node));
  }
  static void fire_step(ReadyNode* n, Action a) {
    if (a == Action::kRun) of(n)->step();
  }
  static void fire_sleep_timer(ReadyNode* n, Action a);
  // Cancels the pending sleep; false if it already fired (or was cancelled).
  bool cancel_sleep(std::string_view message);
  // Forwards a cancel to what the task is parked on.
  bool cancel_wait(std::string_view message);
  // Takes the step node out of the ready queue or the timer heap.
  void unqueue() noexcept;
  void set_pending_cancel(std::string_view message);
  const std::string& notes_text(std::string FutureNotes::*field) const noexcept {
    FutureNotes* n = notes_if_any();
    return n ? n->*field : no_text();
  }

  void step();
  void complete();
  void finish_frame() noexcept;
  void notify_finished();
  void drop_callbacks() noexcept;

  OwnerId owner_ = kDefaultOwner;
  LoopCore* loop_ = nullptr;
  std::coroutine_handle<> root_;
  std::coroutine_handle<> resume_point_;
  WaitTarget* fut_waiter_ = nullptr;
  std::uint64_t number_ : 40 = 0;
  std::uint64_t cancels_requested_ : 24 = 0;
};

inline TaskStateBase* TaskRegistryEntry::task() noexcept { return static_cast<TaskStateBase*>(this); }

template <class T>
class TaskState final : public TaskStateBase {
 public:
  explicit TaskState(Task<T> task) noexcept : TaskStateBase(&kKind, task.release()) {}

  // Valid only when done() && !cancelled() && !failed(); see ResultSlot for
  // move-only results.
  ResultOf<T> take_result() { return value_.get([this] { return "task '" + name() + "'"; }); }

 private:
  static std::coroutine_handle<TaskPromise<T>> typed(TaskStateBase* t) noexcept {
    return std::coroutine_handle<TaskPromise<T>>::from_address(static_cast<TaskState*>(t)->root().address());
  }
  static void destroy(TaskStateBase* t) noexcept { delete static_cast<TaskState*>(t); }
  static void collect_result(TaskStateBase* t) {
    if constexpr (std::is_void_v<T>) {
      static_cast<TaskState*>(t)->value_.emplace();
    } else {
      static_cast<TaskState*>(t)->value_.emplace(std::move(*typed(t).promise().value));
    }
  }
  static PromiseBase& root_promise(TaskStateBase* t) noexcept { return typed(t).promise(); }
  static constexpr TaskKind kKind{{"task", &TaskStateBase::cancel_trampoline}, &destroy, &collect_result,
                                  &root_promise};

  [[no_unique_address]] ResultSlot<T> value_;
};

// The task being stepped on this thread, or nullptr.
inline TaskStateBase* current_task_state() noexcept {
  LoopCore* loop = LoopCore::current();
  return loop ? loop->current_task() : nullptr;
}

// Throws the RuntimeError of running_task() outside a task.
[[noreturn]] void throw_not_in_task(const char* what);

// The running task; throws RuntimeError outside one. Inline: every await
// that suspends asks.
inline TaskStateBase& running_task(const char* what) {
  TaskStateBase* t = current_task_state();
  if (!t) throw_not_in_task(what);
  return *t;
}

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

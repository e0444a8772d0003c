#include "detio/internal/task_state.h"

#include "detio/internal/cancelled_errors.h"
#include "detio/internal/report_callback_error.h"

#include <memory>

#include "detio/task_handle.h"

namespace detio::internal {

namespace {
// What a sleeping task's fut_waiter_ points at: the sleep is the task's own
// timer, so cancel_wait() cancels it without going through this.
struct SleepTarget final : WaitTarget {
  static bool never(WaitTarget*, std::string_view) { return false; }
  static constexpr WaitKind kKind{"sleep", &SleepTarget::never};
  SleepTarget() noexcept : WaitTarget(&kKind) {}
};
SleepTarget sleeping;
}  // namespace

TaskStateBase::TaskStateBase(const TaskKind* kind, std::coroutine_handle<> root) noexcept
    : TaskStep(&TaskStateBase::fire_step), FutureBase(kind), root_(root), resume_point_(root) {
  mark_task();
}

TaskStateBase::~TaskStateBase() {
  if (exception_unretrieved()) report_unretrieved_exception(*this, "Task '" + name() + "'");
  finish_frame();
}

void TaskStateBase::start(LoopCore& loop, std::string name) {
  start_owned_by(loop, std::move(name), loop.current_owner());
}

void TaskStateBase::start_owned_by(LoopCore& loop, std::string name, OwnerId owner) {
  loop_ = &loop;
  number_ = loop.next_task_number();
  owner_ = owner;
  if (!name.empty()) set_name(std::move(name));
  ref();  // the loop's reference, dropped when the task finishes
  loop.tasks().push_back(this);
  loop.call_soon(static_cast<TaskStep*>(this));
  if (LoopObserver* o = loop.observer()) o->on_spawn(*this);
}

void TaskStateBase::set_pending_cancel(std::string_view message) {
  set(kMustCancel, true);
  if (!message.empty() || notes_if_any()) notes().pending_cancel_message = std::string(message);
}

bool TaskStateBase::cancel_task(std::string_view message) {
  if (done()) return false;
  if (cancels_requested_ != (1u << 24) - 1) ++cancels_requested_;
  if (LoopObserver* o = loop_->observer()) o->on_cancel(*this, message);
  // A waited-on task may swallow the cancel; keep fut_waiter_ so a later
  // cancel can be forwarded again.
  if (fut_waiter_ && cancel_wait(message)) return true;
  set_pending_cancel(message);
  return true;
}

bool TaskStateBase::cancel_wait(std::string_view message) {
  return fut_waiter_ == &sleeping ? cancel_sleep(message) : fut_waiter_->cancel(message);
}

int TaskStateBase::uncancel() noexcept {
  if (cancels_requested_ > 0) --cancels_requested_;
  if (cancels_requested_ == 0) set(kMustCancel, false);
  return cancelling();
}

void TaskStateBase::suspend_on(FutureBase* fut, std::coroutine_handle<> resume_at) {
  resume_point_ = resume_at;
  fut_waiter_ = fut;
  fut->add_callback(static_cast<TaskStep*>(this));
  if (has(kMustCancel) && fut->cancel(notes_text(&FutureNotes::pending_cancel_message))) set(kMustCancel, false);
  if (LoopObserver* o = loop_->observer(); o && o->watches_suspend()) o->on_suspend(*this);
}

void TaskStateBase::park(WaitTarget* waiter, std::coroutine_handle<> resume_at) {
  resume_point_ = resume_at;
  fut_waiter_ = waiter;
  set(kWaitCancelled, false);
  if (has(kMustCancel) && cancel_wait(notes_text(&FutureNotes::pending_cancel_message))) set(kMustCancel, false);
  if (LoopObserver* o = loop_->observer(); o && o->watches_suspend()) o->on_suspend(*this);
}

void TaskStateBase::sleep_until(TimePoint when, std::coroutine_handle<> resume_at) {
  TaskStep::fn = &TaskStateBase::fire_sleep_timer;
  set(kSleepArmed, true);
  loop_->call_at_user(static_cast<TimerEntry*>(this), when);
  park(&sleeping, resume_at);
}

void TaskStateBase::fire_sleep_timer(ReadyNode* n, Action a) {
  // The timer came due: from now on the node is the task's step again,
  // queued for the next iteration (as asyncio's timer -> future -> task
  // wake-up chain takes one).
  TaskStateBase* self = of(n);
  self->TaskStep::fn = &TaskStateBase::fire_step;
  self->set(kSleepArmed, false);
  if (a == Action::kRun) self->wake();
}

bool TaskStateBase::cancel_sleep(std::string_view message) {
  if (!has(kSleepArmed)) return false;
  unqueue();
  wait_cancelled(message);
  wake();
  return true;
}

void TaskStateBase::unqueue() noexcept {
  loop_->cancel_timer(this);
  TaskStep::fn = &TaskStateBase::fire_step;
  set(kSleepArmed, false);
}

void TaskStateBase::wait_cancelled(std::string_view message) {
  set(kWaitCancelled, true);
  if (!message.empty() || notes_if_any()) notes().wait_cancel_message = std::string(message);
}

void TaskStateBase::resume_from_wait() {
  if (has(kWaitCancelled)) {
    // The first cancel's CancelledError wins over later ones.
    set(kWaitCancelled, false);
    set(kMustCancel, false);
    throw_cancelled(notes_text(&FutureNotes::wait_cancel_message));
  }
  throw_if_cancel_pending();
}

void TaskStateBase::yield(std::coroutine_handle<> resume_at) {
  resume_point_ = resume_at;
  loop_->call_soon(static_cast<TaskStep*>(this));
  if (LoopObserver* o = loop_->observer(); o && o->watches_suspend()) o->on_suspend(*this);
}

void TaskStateBase::throw_if_cancel_pending() {
  if (!has(kMustCancel)) return;
  set(kMustCancel, false);
  throw_cancelled(notes_text(&FutureNotes::pending_cancel_message));
}

void TaskStateBase::step() {
  if (fut_waiter_) {
    // Woken by the future it awaited, not resumed yet.
    if (LoopObserver* o = loop_->observer(); o && o->watches_wakeup()) o->on_wakeup(*this);
  }
  WaitTarget* const woken_from = fut_waiter_;
  fut_waiter_ = nullptr;
  TaskStep::unlink();
  if (!has(kStarted)) {
    set(kStarted, true);
    if (has(kMustCancel)) {
      // Cancelled before its first step: the body never runs.
      set(kMustCancel, false);
      finish_frame();
      TaskRegistryEntry::unlink();
      set_cancelled(notes_text(&FutureNotes::pending_cancel_message));
      notify_finished();
      unref();
      return;
    }
  }
  Ref<TaskStateBase> keep_alive(this);
  if (LoopObserver* o = loop_->observer()) o->on_step(*this);
  TaskStateBase* previous = loop_->current_task();
  loop_->set_current_task(this);
  const WaitKind::RewaitFn rewait = woken_from ? woken_from->kind().rewait : nullptr;
  if (!rewait || !rewait(woken_from, *this, resume_point_)) resume_point_.resume();
  loop_->set_current_task(previous);
  if (root_ && root_.done()) complete();
}

void TaskStateBase::complete() {
  std::exception_ptr error = task_kind().root_promise(this).exception;
  bool cancelled = false;
  std::string message;
  if (error) {
    cancelled = holds_cancelled_error(error, &message);
  } else if (has(kMustCancel)) {
    // Cancelled right before the coroutine returned.
    set(kMustCancel, false);
    cancelled = true;
    message = notes_text(&FutureNotes::pending_cancel_message);
  } else {
    task_kind().collect_result(this);
  }
  finish_frame();
  TaskRegistryEntry::unlink();
  if (cancelled) {
    set_cancelled(std::move(message));
  } else {
    set_done(std::move(error));
  }
  notify_finished();
  unref();
}

void TaskStateBase::notify_finished() {
  if (LoopObserver* o = loop_->observer()) o->on_finish(*this);
}

void TaskStateBase::finish_frame() noexcept {
  if (root_) std::exchange(root_, {}).destroy();
  resume_point_ = {};
}

void TaskStateBase::drop_callbacks() noexcept {
  while (ReadyNode* n = callbacks().pop_front()) n->discard();
}

void TaskStateBase::abandon() noexcept {
  // Never run again: release frames (which unregisters every awaiter they
  // hold) and the callbacks, which may hold handles to this very task. It
  // ends as cancelled, so a handle kept past the loop is safe to use.
  Ref<TaskStateBase> keep_alive(this);
  unqueue();
  fut_waiter_ = nullptr;
  finish_frame();
  drop_callbacks();
  set(kMustCancel, false);
  if (!done()) set_cancelled("abandoned when the loop shut down");
}

void TaskStateBase::kill(std::string_view message) {
  if (done() || loop_->current_task() == this) return;
  Ref<TaskStateBase> keep_alive(this);
  unqueue();
  fut_waiter_ = nullptr;
  finish_frame();
  // Destructors in the frames may have cancelled us; nothing will run again.
  set(kMustCancel, false);
  const bool loop_holds_ref = TaskRegistryEntry::linked();
  TaskRegistryEntry::unlink();
  set_cancelled(std::string(message));
  notify_finished();
  if (loop_holds_ref) unref();
}

std::string TaskStateBase::describe_wait() const {
  if (loop_ && loop_->current_task() == this) return "running";
  if (!fut_waiter_) return has(kMustCancel) || TaskStep::linked() ? "ready" : "not waiting";
  if (fut_waiter_->kind().cancel == &TaskStateBase::cancel_trampoline) {
    return "awaiting task " + static_cast<const TaskStateBase*>(fut_waiter_)->name();
  }
  return std::string("waiting on ") + fut_waiter_->label();
}

void throw_not_in_task(const char* what) {
  throw RuntimeError(std::string(what) + " must be called from inside a detio task");
}

void DoneCallbackNode::fire(ReadyNode* n, Action a) {
  std::unique_ptr<DoneCallbackNode> self(static_cast<DoneCallbackNode*>(n));
  if (a != Action::kRun) return;
  // Freed before fn runs: fn may end its own owner (kill its simulated
  // node), whose release of the owner's callbacks must not free this one.
  absl::AnyInvocable<void()> fn = std::move(self->fn);
  const OwnerId owner = self->owner;
  self.reset();
  // Runs on behalf of the owner of who added it (tasks it creates are
  // its), as a call_soon callback does.
  OwnerScope scope(running_loop(), owner);
  run_reporting_errors(fn, "done callback");
}

std::uint64_t add_done_callback(FutureBase& fut, absl::AnyInvocable<void()> fn) {
  LoopCore& loop = running_loop();
  const std::uint64_t id = loop.next_callback_id();
  auto* node = new DoneCallbackNode(id, std::move(fn), loop.current_owner());
  loop.adopt(node);
  fut.add_callback(node);
  return id;
}

int remove_done_callback(FutureBase& fut, std::uint64_t id) noexcept {
  int removed = 0;
  fut.callbacks().for_each([&](ReadyNode* n) {
    if (n->fn == &DoneCallbackNode::fire && static_cast<DoneCallbackNode*>(n)->id == id) {
      n->unlink();
      n->discard();
      ++removed;
    }
  });
  return removed;
}

}  // namespace detio::internal

namespace detio {

std::exception_ptr TaskHandleBase::exception() const {
  internal::TaskStateBase& s = state();
  if (!s.done()) throw InvalidStateError("Exception is not set: task " + s.name() + " is still pending");
  if (s.cancelled()) internal::throw_cancelled(s.cancel_message());
  return s.exception();
}

void TaskHandleBase::check_done_for_result() const {
  internal::TaskStateBase& s = state();
  if (!s.done()) throw InvalidStateError("Result is not set: task " + s.name() + " is still pending");
  s.rethrow_if_failed();
}

TaskHandleBase current_task() noexcept { return TaskHandleBase(internal::current_task_state()); }

std::vector<TaskHandleBase> all_tasks() {
  std::vector<TaskHandleBase> tasks;
  internal::running_loop().tasks().for_each(
      [&](internal::TaskRegistryEntry* e) { tasks.emplace_back(e->task()); });
  return tasks;
}

}  // namespace detio

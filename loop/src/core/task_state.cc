#include "detio/internal/task_state.h"

#include "detio/internal/report_callback_error.h"

#include <memory>

#include "detio/task_handle.h"

namespace detio::internal {

TaskStateBase::TaskStateBase(std::coroutine_handle<> root, PromiseBase& promise) noexcept
    : FutureBase("task", &TaskStateBase::cancel_trampoline),
      root_(root),
      promise_(&promise),
      resume_point_(root) {
  mark_task();
  registry_entry_.task = this;
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
  loop.tasks().push_back(&registry_entry_);
  loop.call_soon(&step_node_);
  if (LoopObserver* o = loop.observer()) o->on_spawn(*this);
}

bool TaskStateBase::cancel_task(std::string_view message) {
  if (done()) return false;
  ++cancels_requested_;
  if (LoopObserver* o = loop_->observer()) o->on_cancel(*this, message);
  // A waited-on task may swallow the cancel; keep fut_waiter_ so a later
  // cancel can be forwarded again.
  if (fut_waiter_ && fut_waiter_->cancel(message)) return true;
  must_cancel_ = true;
  pending_cancel_message_ = std::string(message);
  return true;
}

int TaskStateBase::uncancel() noexcept {
  if (cancels_requested_ > 0) --cancels_requested_;
  if (cancels_requested_ == 0) must_cancel_ = false;
  return cancels_requested_;
}

void TaskStateBase::suspend_on(FutureBase* fut, std::coroutine_handle<> resume_at) {
  resume_point_ = resume_at;
  fut_waiter_ = fut;
  fut->add_callback(&step_node_);
  if (must_cancel_ && fut->cancel(pending_cancel_message_)) must_cancel_ = false;
  if (LoopObserver* o = loop_->observer()) o->on_suspend(*this);
}

void TaskStateBase::park(WaitTarget* waiter, std::coroutine_handle<> resume_at) {
  resume_point_ = resume_at;
  fut_waiter_ = waiter;
  if (must_cancel_ && waiter->cancel(pending_cancel_message_)) must_cancel_ = false;
  if (LoopObserver* o = loop_->observer()) o->on_suspend(*this);
}

void TaskStateBase::yield(std::coroutine_handle<> resume_at) {
  resume_point_ = resume_at;
  loop_->call_soon(&step_node_);
  if (LoopObserver* o = loop_->observer()) o->on_suspend(*this);
}

void TaskStateBase::throw_if_cancel_pending() {
  if (!must_cancel_) return;
  must_cancel_ = false;
  throw CancelledError(pending_cancel_message_);
}

void TaskStateBase::step() {
  if (fut_waiter_) {
    // Woken by the future it awaited, not resumed yet.
    if (LoopObserver* o = loop_->observer()) o->on_wakeup(*this);
  }
  fut_waiter_ = nullptr;
  step_node_.unlink();
  if (!started_) {
    started_ = true;
    if (must_cancel_) {
      // Cancelled before its first step: the body never runs.
      must_cancel_ = false;
      finish_frame();
      registry_entry_.unlink();
      set_cancelled(pending_cancel_message_);
      notify_finished();
      unref();
      return;
    }
  }
  Ref<TaskStateBase> keep_alive(this);
  if (LoopObserver* o = loop_->observer()) o->on_step(*this);
  TaskStateBase* previous = loop_->current_task();
  loop_->set_current_task(this);
  resume_point_.resume();
  loop_->set_current_task(previous);
  if (root_ && root_.done()) complete();
}

void TaskStateBase::complete() {
  std::exception_ptr error = promise_->exception;
  bool cancelled = false;
  std::string message;
  if (error) {
    try {
      std::rethrow_exception(error);
    } catch (const CancelledError& e) {
      cancelled = true;
      message = e.message();
    } catch (...) {
    }
  } else if (must_cancel_) {
    // Cancelled right before the coroutine returned.
    must_cancel_ = false;
    cancelled = true;
    message = pending_cancel_message_;
  } else {
    collect_result();
  }
  finish_frame();
  registry_entry_.unlink();
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
  promise_ = nullptr;
}

void TaskStateBase::drop_callbacks() noexcept {
  while (ReadyNode* n = callbacks().pop_front()) n->discard();
}

void TaskStateBase::abandon() noexcept {
  // Never run again: release frames (which unregisters every awaiter they
  // hold) and the callbacks, which may hold handles to this very task. It
  // ends as cancelled, so a handle kept past the loop is safe to use.
  Ref<TaskStateBase> keep_alive(this);
  step_node_.unlink();
  fut_waiter_ = nullptr;
  finish_frame();
  drop_callbacks();
  must_cancel_ = false;
  if (!done()) set_cancelled("abandoned when the loop shut down");
}

void TaskStateBase::kill(std::string_view message) {
  if (done() || loop_->current_task() == this) return;
  Ref<TaskStateBase> keep_alive(this);
  step_node_.unlink();
  fut_waiter_ = nullptr;
  finish_frame();
  // Destructors in the frames may have cancelled us; nothing will run again.
  must_cancel_ = false;
  const bool loop_holds_ref = registry_entry_.linked();
  registry_entry_.unlink();
  set_cancelled(std::string(message));
  notify_finished();
  if (loop_holds_ref) unref();
}

std::string TaskStateBase::describe_wait() const {
  if (loop_ && loop_->current_task() == this) return "running";
  if (!fut_waiter_) return must_cancel_ || step_node_.linked() ? "ready" : "not waiting";
  if (fut_waiter_->cancel_fn() == &TaskStateBase::cancel_trampoline) {
    return "awaiting task " + static_cast<const TaskStateBase*>(fut_waiter_)->name();
  }
  return std::string("waiting on ") + fut_waiter_->label();
}

TaskStateBase& running_task(const char* what) {
  TaskStateBase* t = current_task_state();
  if (!t) throw RuntimeError(std::string(what) + " must be called from inside a detio task");
  return *t;
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
  if (s.cancelled()) throw CancelledError(s.cancel_message());
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
      [&](internal::TaskRegistryEntry* e) { tasks.emplace_back(e->task); });
  return tasks;
}

}  // namespace detio

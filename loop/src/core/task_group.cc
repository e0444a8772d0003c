#include "detio/task_group.h"

#include "detio/internal/future_awaiter.h"

namespace detio {
namespace {

bool is_cancelled_error(const std::exception_ptr& e) { return internal::holds_cancelled_error(e); }

}  // namespace

TaskGroup::TaskGroup() : parent_(internal::running_task("detio::TaskGroup")) {}

void TaskGroup::check_can_spawn() const {
  if (exiting_ && tasks_.empty()) throw RuntimeError("TaskGroup is finished");
  if (aborting_) throw RuntimeError("TaskGroup is shutting down");
}

void TaskGroup::track(const TaskHandleBase& handle) {
  Member& m = tasks_.emplace_back(this, handle);
  m.self = std::prev(tasks_.end());
  handle.state().add_callback(&m);
}

void TaskGroup::Member::fire(ReadyNode* n, Action a) {
  if (a != Action::kRun) return;
  auto* m = static_cast<Member*>(n);
  m->group->on_task_done(*m);
}

void TaskGroup::on_task_done(Member& member) {
  TaskHandleBase task = member.handle;
  tasks_.erase(member.self);
  if (on_completed_ && tasks_.empty()) on_completed_->set_result();
  if (task.cancelled()) return;
  std::exception_ptr error = task.state().exception();
  if (!error) return;
  errors_.push_back(error);
  if (parent_.done()) return;
  if (!aborting_ && !parent_cancel_requested_) {
    // Cancel whatever the body is awaiting; exit() takes the cancel back.
    abort();
    parent_cancel_requested_ = true;
    parent_.cancel_task("");
  }
}

void TaskGroup::abort() {
  aborting_ = true;
  for (Member& m : tasks_) {
    if (!m.handle.done()) m.handle.cancel();
  }
}

// CPython 3.13's _aexit (gh-116720): our own cancel request on the parent
// is taken back only after the tasks are done, and an outside cancel that
// arrives with errors stays pending on the parent.
Task<void> TaskGroup::exit(std::exception_ptr body_error) {
  exiting_ = true;
  const bool body_cancelled = is_cancelled_error(body_error);
  std::exception_ptr propagate_cancellation = body_cancelled ? body_error : nullptr;
  if (body_error && !aborting_) abort();
  while (!tasks_.empty()) {
    static constexpr internal::WaitKind kWaitKind = internal::plain_wait("TaskGroup");
    internal::Waiter on_completed(&kWaitKind);
    on_completed_ = &on_completed;
    try {
      co_await internal::FutureAwaiter(on_completed);
    } catch (const CancelledError&) {
      // The parent is being cancelled from outside while we wait.
      if (!aborting_) {
        propagate_cancellation = std::current_exception();
        abort();
      }
    }
    on_completed_ = nullptr;
  }
  if (parent_cancel_requested_ && parent_.uncancel() == 0) propagate_cancellation = nullptr;
  if (propagate_cancellation && errors_.empty()) std::rethrow_exception(propagate_cancellation);
  if (body_error && !body_cancelled) errors_.push_back(body_error);
  if (!errors_.empty()) {
    // Keep an outside cancel pending: its count stays, and it is re-armed.
    if (parent_.cancelling() > 0) {
      parent_.uncancel();
      parent_.cancel_task("");
    }
    throw ExceptionGroup("unhandled errors in a TaskGroup", std::move(errors_));
  }
}

}  // namespace detio

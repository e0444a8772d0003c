// detio::TaskGroup (asyncio.TaskGroup, 3.11 semantics):
//
//   co_await detio::task_group([&](detio::TaskGroup& tg) -> detio::Task<void> {
//     tg.create_task(work());
//     co_return;
//   });
//
// Waits for every task of the group. The first task failure cancels the
// other tasks and the body; the failures (the body's included) come out as
// one detio::ExceptionGroup. An outside cancel of the parent cancels the
// group's tasks and is re-raised as CancelledError once they are done.
#pragma once

#include <functional>
#include <list>
#include <type_traits>
#include <vector>

#include "detio/task_handle.h"

namespace detio {

class TaskGroup {
 public:
  TaskGroup();
  TaskGroup(const TaskGroup&) = delete;
  TaskGroup& operator=(const TaskGroup&) = delete;
  ~TaskGroup() = default;

  // Spawns `task` in the group. Throws RuntimeError once the group has
  // finished or while it is shutting down after a failure.
  template <class T>
  TaskHandle<T> create_task(Task<T> task, std::string name = "") {
    check_can_spawn();
    TaskHandle<T> handle = detio::create_task(std::move(task), std::move(name));
    track(handle);
    return handle;
  }
  template <internal::ConvertsToTask A>
  auto create_task(A awaitable, std::string name = "") {
    return create_task(std::move(awaitable).as_task(), std::move(name));
  }

  // asyncio's __aexit__: `body_error` is what the body threw, if anything.
  Task<void> exit(std::exception_ptr body_error);

 private:
  struct Member : internal::ReadyNode {
    Member(TaskGroup* g, TaskHandleBase h) : ReadyNode(&Member::fire), group(g), handle(std::move(h)) {}
    static void fire(ReadyNode* n, Action a);
    TaskGroup* group;
    TaskHandleBase handle;
    std::list<Member>::iterator self;
  };

  void check_can_spawn() const;
  void track(const TaskHandleBase& handle);
  void on_task_done(Member& member);
  void abort();

  internal::TaskStateBase& parent_;
  std::list<Member> tasks_;  // still running, in creation order
  std::vector<std::exception_ptr> errors_;
  internal::Waiter* on_completed_ = nullptr;
  bool exiting_ = false;
  bool aborting_ = false;
  bool parent_cancel_requested_ = false;
};

// Runs `body(group, args...)` and then waits for the group (see TaskGroup).
// The body and the arguments are kept (by value) until the group is done.
// Passing values as `args` instead of lambda captures is the spelling that
// g++ 12 compiles correctly inside co_await (README, "g++ 12 and
// coroutines"): co_await task_group(fill, tag) calls fill(group, tag).
template <class Body, class... Args>
Task<void> task_group(Body body, Args... args) {
  static_assert(std::is_invocable_v<Body&, TaskGroup&, Args&...>,
                "task_group: the body must be callable as body(TaskGroup&, args...)");
  TaskGroup group;
  std::exception_ptr body_error;
  try {
    co_await std::invoke(body, group, args...);
  } catch (...) {
    body_error = std::current_exception();
  }
  co_await group.exit(body_error);
}

}  // namespace detio

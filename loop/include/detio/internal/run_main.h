// The backend-neutral body of `run(main)` (asyncio.run), written once for
// both backends: drive the loop until main finishes, cancel what is left and
// let it unwind, then free every frame. A backend (the LoopBackend concept)
// owns a LoopCore and provides:
//   bool poll(LoopCore&, std::optional<TimePoint> deadline)
//     called on every iteration: wait for I/O until the deadline (nullopt:
//     without limit; kWorkIsReady: not at all) and set the loop's time (or
//     defer it, see LoopCore::defer_now); false if no event can ever
//     arrive again;
//   bool out_of_budget()
//     true to stop driving although main is unfinished (a hang);
//   std::exception_ptr cannot_finish(const TaskHandleBase& main, bool hung)
//     the error for a main that can never finish (hung: out of budget),
//     built while its tasks are still alive to be named; `main` is empty
//     when the budget ran out at shutdown, after main finished.
#pragma once

#include <concepts>
#include <exception>
#include <optional>
#include <vector>

#include "detio/internal/loop_core.h"
#include "detio/task_handle.h"

namespace detio::internal {

template <class B>
concept LoopBackend = requires(B& backend, const B& const_backend, LoopCore& loop, std::optional<TimePoint> deadline,
                               const TaskHandleBase& main) {
  { backend.loop() } -> std::same_as<LoopCore&>;
  { backend.poll(loop, deadline) } -> std::same_as<bool>;
  { const_backend.out_of_budget() } -> std::same_as<bool>;
  { backend.cannot_finish(main, true) } -> std::same_as<std::exception_ptr>;
};

// The deadline poll() gets when work is ready: look at I/O, do not wait.
inline constexpr TimePoint kWorkIsReady = TimePoint::min();

template <class Backend, class Done>
bool drive_until(LoopCore& loop, Backend& backend, Done&& done) {
  while (!done()) {
    if (loop.has_ready()) {
      // Work is ready: still look at I/O, without waiting (a deadline of
      // now), as asyncio's _run_once does, so that busy tasks starve
      // neither the sockets nor the real clock. A no-op under sim.
      backend.poll(loop, kWorkIsReady);
    } else if (!backend.poll(loop, loop.next_deadline())) {
      return false;
    }
    loop.run_once();
  }
  return true;
}

// Drives the loop until `main` is done. If it can never finish (or the
// backend's budget runs out), frees every task and throws the backend's
// error.
template <LoopBackend Backend>
void drive(Backend& backend, const TaskHandleBase& main) {
  LoopCore& loop = backend.loop();
  const bool stopped = drive_until(loop, backend, [&] { return main.done() || backend.out_of_budget(); });
  if (main.done()) return;
  std::exception_ptr error = backend.cannot_finish(main, /*hung=*/stopped);
  loop.shutdown();
  std::rethrow_exception(error);
}

// asyncio.run's _cancel_all_tasks: cancel every live task and run until
// they are all done, nothing can move any more, or the backend's budget
// runs out (a task that swallows every cancel would run for ever). False if
// the budget ran out.
template <LoopBackend Backend>
bool cancel_remaining_tasks(Backend& backend) {
  LoopCore& loop = backend.loop();
  std::vector<TaskHandleBase> pending;
  loop.tasks().for_each([&](TaskRegistryEntry* e) { pending.emplace_back(e->task()); });
  if (pending.empty()) return true;
  for (TaskHandleBase& t : pending) t.cancel();
  std::size_t first_pending = 0;
  bool out_of_budget = false;
  drive_until(loop, backend, [&] {
    while (first_pending < pending.size() && pending[first_pending].done()) ++first_pending;
    if (first_pending == pending.size()) return true;
    out_of_budget = backend.out_of_budget();
    return out_of_budget;
  });
  return !out_of_budget;
}

// The end of asyncio.run: cancel the tasks still pending, let them finish,
// free every frame. If the budget runs out first, frees every frame and
// throws the backend's error (HangError under sim).
template <LoopBackend Backend>
void finish(Backend& backend) {
  if (!cancel_remaining_tasks(backend)) {
    std::exception_ptr error = backend.cannot_finish(TaskHandleBase(), /*hung=*/true);
    backend.loop().shutdown();
    std::rethrow_exception(error);
  }
  backend.loop().shutdown();
}

}  // namespace detio::internal

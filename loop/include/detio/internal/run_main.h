// The backend-neutral body of `run(main)` (asyncio.run): spawn main, drive
// the loop until it finishes, cancel what is left and let it unwind, then
// free every frame. A Backend provides one verb:
//   bool poll(LoopCore&, std::optional<TimePoint> deadline)
// called on every iteration; it waits for I/O until the deadline (not at
// all when work is ready: the deadline is then now()) and returns false if
// no event can ever arrive again.
#pragma once

#include <vector>

#include "detio/internal/loop_core.h"
#include "detio/task_handle.h"

namespace detio::internal {

template <class Backend, class Done>
bool drive_until(LoopCore& loop, Backend& backend, Done&& done) {
  while (!done()) {
    if (loop.has_ready()) {
      // Work is ready: still look at I/O, without waiting (a deadline of
      // now), as asyncio's _run_once does, so that busy tasks starve
      // neither the sockets nor the real clock. A no-op under sim.
      backend.poll(loop, loop.now());
    } else if (!backend.poll(loop, loop.next_deadline())) {
      return false;
    }
    loop.run_once();
  }
  return true;
}

// asyncio.run's _cancel_all_tasks: cancel every live task and run until
// they are all done (or nothing can move any more).
template <class Backend>
void cancel_remaining_tasks(LoopCore& loop, Backend& backend) {
  std::vector<TaskHandleBase> pending;
  loop.tasks().for_each([&](TaskRegistryEntry* e) { pending.emplace_back(e->task); });
  if (pending.empty()) return;
  for (TaskHandleBase& t : pending) t.cancel();
  std::size_t first_pending = 0;
  drive_until(loop, backend, [&] {
    while (first_pending < pending.size() && pending[first_pending].done()) ++first_pending;
    return first_pending == pending.size();
  });
}

}  // namespace detio::internal

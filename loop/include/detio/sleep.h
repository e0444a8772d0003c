// detio::sleep(d): suspend the calling task for `d` of loop time. A zero or
// negative duration yields once to every other ready task (asyncio.sleep(0)).
#pragma once

#include "detio/task.h"
#include "detio/time.h"

namespace detio {

Task<void> sleep(Duration d);

// Suspends until the loop time reaches `when` (yields once if already past).
Task<void> sleep_until(TimePoint when);

// asyncio.sleep(delay, result): sleeps, then returns `result`.
template <class T>
Task<T> sleep(Duration d, T result) {
  co_await sleep(d);
  co_return result;
}

}  // namespace detio

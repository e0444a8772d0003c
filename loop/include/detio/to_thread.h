// detio::to_thread(f, args...): run a blocking function without blocking
// the loop (asyncio.to_thread). Under the simulator it runs inline on the
// loop thread, deterministically (real threads would break replay); the
// real backend will run it on a worker pool.
#pragma once

#include <functional>
#include <type_traits>

#include "detio/task.h"

namespace detio {

template <class F, class... Args>
Task<std::invoke_result_t<F, Args...>> to_thread(F f, Args... args) {
  co_return std::invoke(std::move(f), std::move(args)...);
}

}  // namespace detio

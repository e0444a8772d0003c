// detio::to_thread(f, args...): run a blocking function without blocking
// the loop (asyncio.to_thread). On the real backend it runs on the loop's
// bounded worker pool (min(32, cores + 4) threads) and the awaiting task
// resumes on the loop thread with its result or exception; cancelling the
// await abandons the result (the call itself runs to the end, as in
// asyncio). Under the simulator it runs inline on the loop thread,
// deterministically: real threads would break replay.
#pragma once

#include <functional>
#include <type_traits>
#include <utility>

#include "detio/internal/future_awaiter.h"
#include "detio/internal/worker_pool.h"
#include "detio/task.h"

namespace detio {

template <class F, class... Args>
Task<std::decay_t<std::invoke_result_t<F, Args...>>> to_thread(F f, Args... args) {
  using R = std::decay_t<std::invoke_result_t<F, Args...>>;
  internal::WorkerPool* pool = internal::current_worker_pool();
  if (!pool) co_return std::invoke(std::move(f), std::move(args)...);
  auto call = [f = std::move(f), ... args = std::move(args)]() mutable -> R {
    return std::invoke(std::move(f), std::move(args)...);
  };
  using Job = internal::ThreadCall<R, decltype(call)>;
  auto* job = new Job(std::move(call));
  pool->submit(job);
  internal::JobWaiter waiter(job);
  co_await internal::FutureAwaiter(waiter);
  co_return static_cast<Job*>(waiter.job)->take();
}

}  // namespace detio

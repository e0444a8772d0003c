// The state behind a CallbackHandle (asyncio.Handle / TimerHandle): a timer
// node (also queued directly by call_soon) that runs a user callback. The
// loop holds one reference while the callback is pending (LoopOwned, so
// shutdown lets go of it), each CallbackHandle another.
#pragma once

#include <optional>
#include <utility>

#include "absl/functional/any_invocable.h"
#include "detio/internal/frame_pool.h"
#include "detio/internal/loop_core.h"
#include "detio/internal/timer_heap.h"
#include "detio/time.h"

namespace detio::internal {

class ScheduledCallback final : TimerNode, LoopOwned {
 public:
  // Queues `fn` on `loop`: at `when`, or on the next iteration if nullopt.
  // A template, so that a lambda is moved once, into its callback.
  template <class F>
  static ScheduledCallback* schedule(LoopCore& loop, std::optional<TimePoint> when, F&& fn) {
    return enqueue(loop, new ScheduledCallback(when, std::forward<F>(fn), loop.current_owner()));
  }

  // From the frame pool: scheduling a callback costs no malloc in steady state.
  static void* operator new(std::size_t size) { return allocate_frame(size); }
  static void operator delete(void* p, std::size_t size) noexcept { free_frame(p, size); }

  bool cancel() noexcept;
  bool cancelled() const noexcept { return cancelled_; }
  std::optional<TimePoint> deadline() const noexcept { return deadline_; }

  void ref() noexcept { ++refs_; }
  void unref() noexcept {
    if (--refs_ == 0) delete this;
  }

 private:
  template <class F>
  ScheduledCallback(std::optional<TimePoint> when, F&& fn, OwnerId owner)
      : TimerNode(&ScheduledCallback::fire),
        LoopOwned(&ScheduledCallback::release_by_loop, owner),
        fn_(std::forward<F>(fn)),
        deadline_(when) {}
  static ScheduledCallback* enqueue(LoopCore& loop, ScheduledCallback* callback);
  static void fire(ReadyNode* node, Action action);
  static void release_by_loop(LoopOwned* owned) noexcept;
  // The callback will not run (cancelled, run, or the loop ended).
  void drop() noexcept;

  absl::AnyInvocable<void()> fn_;
  std::optional<TimePoint> deadline_;
  int refs_ = 1;  // the loop's, until drop()
  bool pending_ = true;
  bool cancelled_ = false;
};

}  // namespace detio::internal

#include "detio/internal/loop_core.h"

#include <algorithm>
#include <atomic>

#include "detio/errors.h"
#include "detio/internal/task_state.h"

namespace detio {

TimePoint now() { return internal::running_loop().now(); }

namespace internal {

thread_local LoopCore* LoopCore::current_ = nullptr;
thread_local std::vector<LoopCore*> LoopCore::alive_;

namespace {
// Loop ids only tell loops apart; they never order anything.
std::atomic<std::uint64_t> next_loop_id{1};
}  // namespace

LoopCore::LoopCore() : id_(next_loop_id.fetch_add(1, std::memory_order_relaxed)) { alive_.push_back(this); }

LoopCore::~LoopCore() {
  shutdown();
  std::erase(alive_, this);
}

OwnerId LoopCore::current_owner() const noexcept {
  return current_task_ ? current_task_->owner() : callback_owner_;
}

void LoopCore::release_owned_of(OwnerId owner) noexcept {
  IntrusiveList<LoopOwned> keep;
  while (LoopOwned* o = owned_.pop_front()) {
    if (o->owner == owner) {
      o->release(o);
    } else {
      keep.push_back(o);
    }
  }
  owned_.splice_back(keep);
}

LoopCore* LoopCore::find_alive(std::uint64_t id) noexcept {
  for (LoopCore* l : alive_) {
    if (l->id_ == id) return l;
  }
  return nullptr;
}

LoopCore& running_loop() {
  LoopCore* loop = LoopCore::current();
  if (!loop) throw RuntimeError("no running detio event loop");
  return *loop;
}

void LoopCore::read_deferred_clock() const noexcept {
  now_deferred_ = false;
  now_ = std::max(now_, clock_(clock_context_));
}

void LoopCore::run_once() {
  // Only a pending timer needs the time (a deferred clock is read here).
  const TimePoint horizon = timers_.empty() ? TimePoint::min() : schedule_ ? schedule_->timer_horizon(now()) : now();
  while (!timers_.empty() && timers_.top()->when <= horizon) {
    TimerEntry* due = timers_.pop();
    // A timer past now() was coalesced into this iteration: it never fires
    // early, the clock moves on to its deadline.
    if (due->when > now_) now_ = due->when;
    if (observer_) observer_->on_timer(due->when);
    call_soon(due);
  }
  // Only what is queued now runs in this iteration; ready_ may grow meanwhile.
  ReadyList batch;
  batch.splice_back(ready_);
  if (schedule_ && schedule_->reorders_batches()) schedule_->order_batch(batch);
  try {
    while (ReadyNode* n = batch.pop_front()) n->run();
  } catch (...) {
    // Keep the unrun rest of the batch ahead of newer work.
    batch.splice_back(ready_);
    ready_.splice_back(batch);
    throw;
  }
}

void LoopCore::shutdown() {
  // Destroying frames may queue more work (a guard releasing a lock wakes a
  // waiter), so repeat until nothing is left.
  while (!ready_.empty() || !tasks_.empty()) {
    while (ReadyNode* n = ready_.pop_front()) n->discard();
    // Newest first: a task's frame usually holds objects (a lock guard, a
    // stream) whose owners live in the frames of the tasks that created it.
    if (TaskRegistryEntry* e = tasks_.pop_back()) {
      TaskStateBase* task = e->task();
      task->abandon();
      task->unref();
    }
  }
  while (LoopOwned* o = owned_.pop_front()) o->release(o);
}

}  // namespace internal
}  // namespace detio

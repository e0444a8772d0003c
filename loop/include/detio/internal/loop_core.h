// The backend-neutral heart of a loop: clock value, ready queue, timers and
// the registry of live tasks. A backend (virtual time, epoll) owns one and
// only decides how to wait when nothing is ready; both drive it through
// run_until(), so there is one scheduler, not two copies.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "detio/internal/intrusive_list.h"
#include "detio/internal/loop_hooks.h"
#include "detio/internal/ready_node.h"
#include "detio/internal/timer_heap.h"
#include "detio/time.h"

namespace detio {
class Network;
}

namespace detio::internal {

class TaskStateBase;

// On whose behalf a task or a loop callback runs: an id the core only
// propagates (a task, a callback, a server gets its creator's) and the
// backend hands out and interprets (the simulator: one per node
// incarnation, so that it can end all that belongs to a killed node).
// kDefaultOwner is everything else; the real backend has no other.
using OwnerId = std::uint32_t;
inline constexpr OwnerId kDefaultOwner = 0;

// A task's hook in the loop's registry (a base of the task's state).
struct TaskRegistryEntry : ListHook {
  TaskStateBase* task() noexcept;  // task_state.h
};

// Something heap-allocated that the loop must let go of at shutdown if it
// is still pending then (a call_later callback): `release` is called once,
// at shutdown or when its owner's things are released (release_owned_of).
struct LoopOwned : ListHook {
  using Release = void (*)(LoopOwned*) noexcept;
  LoopOwned(Release r, OwnerId o) noexcept : release(r), owner(o) {}
  Release release;
  OwnerId owner;
};

class LoopCore {
 public:
  LoopCore();
  LoopCore(const LoopCore&) = delete;
  ~LoopCore();

  // The loop running on this thread, or nullptr.
  static LoopCore* current() noexcept { return current_; }
  // The loop with that id if it is still alive on this thread, else nullptr.
  static LoopCore* find_alive(std::uint64_t id) noexcept;
  std::uint64_t id() const noexcept { return id_; }

  // The loop's time: constant within an iteration (the clock read at the
  // iteration's start, or at the first call if the backend deferred it).
  TimePoint now() const noexcept {
    if (now_deferred_) [[unlikely]] read_deferred_clock();
    return now_;
  }
  void set_now(TimePoint t) noexcept {
    now_ = t;
    now_deferred_ = false;
  }
  // The backend's clock, for defer_now(): `read(context)`.
  using ClockFn = TimePoint (*)(const void* context) noexcept;
  void set_clock(ClockFn read, const void* context) noexcept {
    clock_ = read;
    clock_context_ = context;
  }
  // A new iteration starts, but nothing may need its time (no timer is
  // pending): the clock is read at the first now(), if any. Saves a clock
  // read per iteration of a CPU-bound stretch. Needs set_clock().
  void defer_now() noexcept { now_deferred_ = true; }

  void call_soon(ReadyNode* n) noexcept { ready_.push_back(n); }
  void call_soon_all(ReadyList& nodes) noexcept { ready_.splice_back(nodes); }
  // Schedules an internal timer (network deliveries and the like): exact
  // deadline, FIFO among timers due at the same instant. A TimerEntry
  // (not a TimerNode) must be cancelled with cancel_timer().
  void call_at(TimerNode* t, TimePoint when) { schedule_timer(t, when); }
  void call_at(TimerEntry* t, TimePoint when) { schedule_timer(t, when); }
  // Schedules a user-level timer (sleep, timeout), whose exact firing time
  // and order among equals the simulator may choose from the seed.
  void call_at_user(TimerNode* t, TimePoint when) { schedule_user_timer(t, when); }
  void call_at_user(TimerEntry* t, TimePoint when) { schedule_user_timer(t, when); }
  // Takes a timer of this loop off the heap or, if already due, out of the
  // ready queue.
  void cancel_timer(TimerEntry* t) noexcept {
    if (t->in_heap()) timers_.erase(t);
    t->unlink();
  }

  bool has_ready() const noexcept { return !ready_.empty(); }
  bool has_timers() const noexcept { return !timers_.empty(); }
  std::optional<TimePoint> next_deadline() const noexcept {
    if (timers_.empty()) return std::nullopt;
    return timers_.top()->when;
  }

  // One asyncio iteration after the I/O poll: timers due at now() (or
  // within the simulator's coalescing horizon) join the ready queue, then
  // exactly the nodes queued at that moment run; nodes they queue wait for
  // the next iteration (asyncio's _run_once).
  void run_once();

  TaskStateBase* current_task() const noexcept { return current_task_; }
  void set_current_task(TaskStateBase* t) noexcept { current_task_ = t; }

  // Live (unfinished) tasks in creation order.
  IntrusiveList<TaskRegistryEntry>& tasks() noexcept { return tasks_; }
  // Pending user callbacks; an entry unlinks itself when it runs or is
  // cancelled, and shutdown() releases the rest.
  void adopt(LoopOwned* o) noexcept { owned_.push_back(o); }
  // Releases the pending entries of `owner` (a killed simulated node's).
  void release_owned_of(OwnerId owner) noexcept;
  std::uint64_t next_task_number() noexcept { return ++task_counter_; }
  std::uint64_t next_callback_id() noexcept { return ++callback_counter_; }

  // The owner on whose behalf a loop callback (not a task) runs, e.g. a
  // network delivery to a simulated node's socket (see OwnerScope).
  OwnerId callback_owner() const noexcept { return callback_owner_; }
  void set_callback_owner(OwnerId owner) noexcept { callback_owner_ = owner; }
  // The owner of what runs now: the running task's, else the callback's.
  // Tasks, callbacks and servers created now belong to it.
  OwnerId current_owner() const noexcept;

  LoopObserver* observer() const noexcept { return observer_; }
  void set_observer(LoopObserver* observer) noexcept { observer_ = observer; }
  void set_schedule_policy(SchedulePolicy* policy) noexcept { schedule_ = policy; }

  // The backend's I/O, or nullptr if it has none.
  Network* network() const noexcept { return network_; }
  void set_network(Network* network) noexcept { network_ = network; }

  // The backend driving this loop (an EpollBackend, a sim Simulation) if it
  // is a `Backend`, told apart by the address of Backend::kBackendTag. The
  // running loop is the only "current" thread-local: the simulation, its
  // network and the epoll backend of a run are reached from it, so several
  // runners can live on one thread, made and destroyed in any order.
  template <class Backend>
  Backend* backend() const noexcept {
    return backend_tag_ == &Backend::kBackendTag ? static_cast<Backend*>(backend_) : nullptr;
  }
  template <class Backend>
  void set_backend(Backend* backend) noexcept {
    backend_tag_ = &Backend::kBackendTag;
    backend_ = backend;
  }

  // Frees everything still queued and destroys the frames of unfinished
  // tasks. Called by the backend after the main task ends.
  void shutdown();

  // Installs this loop as current for the lifetime of the guard.
  class Scope {
   public:
    explicit Scope(LoopCore& loop) noexcept : previous_(current_) { current_ = &loop; }
    Scope(const Scope&) = delete;
    ~Scope() { current_ = previous_; }

   private:
    LoopCore* previous_;
  };

 private:
  template <class Timer>
  void schedule_timer(Timer* t, TimePoint when) {
    t->when = when;
    t->seq = next_timer_seq_++;
    timers_.push(t);
  }
  template <class Timer>
  void schedule_user_timer(Timer* t, TimePoint when) {
    if (!schedule_) return schedule_timer(t, when);
    t->when = schedule_->timer_deadline(now_, when);
    t->seq = schedule_->timer_sequence(next_timer_seq_++);
    timers_.push(t);
  }

  void read_deferred_clock() const noexcept;

  static thread_local LoopCore* current_;
  static thread_local std::vector<LoopCore*> alive_;
  const std::uint64_t id_;

  mutable TimePoint now_{};
  mutable bool now_deferred_ = false;
  ClockFn clock_ = nullptr;
  const void* clock_context_ = nullptr;
  ReadyList ready_;
  TimerHeap timers_;
  std::uint64_t next_timer_seq_ = 0;
  TaskStateBase* current_task_ = nullptr;
  IntrusiveList<TaskRegistryEntry> tasks_;
  IntrusiveList<LoopOwned> owned_;
  std::uint64_t task_counter_ = 0;
  std::uint64_t callback_counter_ = 0;
  Network* network_ = nullptr;
  const void* backend_tag_ = nullptr;
  void* backend_ = nullptr;
  LoopObserver* observer_ = nullptr;
  SchedulePolicy* schedule_ = nullptr;
  OwnerId callback_owner_ = kDefaultOwner;
};

// The running loop; throws detio::RuntimeError when there is none.
LoopCore& running_loop();

// For its lifetime, loop callbacks run on behalf of `owner`: tasks,
// callbacks and servers created meanwhile belong to it.
class OwnerScope {
 public:
  OwnerScope(LoopCore& loop, OwnerId owner) noexcept : loop_(loop), previous_(loop.callback_owner()) {
    loop.set_callback_owner(owner);
  }
  OwnerScope(const OwnerScope&) = delete;
  ~OwnerScope() { loop_.set_callback_owner(previous_); }

 private:
  LoopCore& loop_;
  OwnerId previous_;
};

}  // namespace detio::internal

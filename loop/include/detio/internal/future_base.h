// The state every awaitable suspends on, as in CPython where a task always
// waits on a future: pending -> done (value or exception) or cancelled, plus
// an ordered list of callbacks (waiting tasks' step nodes, done callbacks)
// that are queued on the loop, in registration order, when it settles.
#pragma once

#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <string_view>

#include "detio/internal/loop_core.h"
#include "detio/internal/ready_node.h"
#include "detio/internal/wait_target.h"

namespace detio::internal {

class TimeoutScope;

// What a future or task keeps only when it has it: a million tasks never
// named, never cancelled with a message and never in a timeout carry one
// null pointer instead of these.
struct FutureNotes {
  // A cancelled future's message.
  std::string cancel_message;
  // A task's name, when one was set.
  std::string name;
  // The message of a task's cancel that waits to be thrown at its next resume.
  std::string pending_cancel_message;
  // The message of the cancelled frameless wait a task will resume from.
  std::string wait_cancel_message;
  // The innermost timeout scope active in a task.
  TimeoutScope* innermost_timeout = nullptr;
};

// cancel() dispatches through WaitTarget's function pointer, so a task or a
// gather can give "cancel the thing I wait on" its own meaning without a
// vtable.
class FutureBase : public WaitTarget {
 public:
  enum class State : std::uint8_t { kPending, kDone, kCancelled };

  explicit FutureBase(const WaitKind* kind) noexcept : WaitTarget(kind) {}

  bool done() const noexcept { return state_ != State::kPending; }
  bool cancelled() const noexcept { return state_ == State::kCancelled; }
  bool failed() const noexcept { return state_ == State::kDone && exception_ != nullptr; }
  bool is_task() const noexcept { return is_task_; }

  // Settles the future (the value, if any, is stored by the owner first).
  void set_done() noexcept {
    state_ = State::kDone;  // a pending future holds no exception
    schedule_callbacks();
  }
  void set_done(std::exception_ptr error) noexcept {
    state_ = State::kDone;
    exception_ = std::move(error);
    schedule_callbacks();
  }
  void set_cancelled(std::string message) noexcept {
    state_ = State::kCancelled;
    if (!message.empty() || notes_) notes().cancel_message = std::move(message);
    schedule_callbacks();
  }

  // Queues `node` when the future settles (at once if it already has).
  // Inline: every suspending await registers its task here.
  void add_callback(ReadyNode* node) noexcept {
    LoopCore* loop = LoopCore::current();
    if (done()) {
      if (loop) loop->call_soon(node);
      return;
    }
    if (loop) home_id_ = loop->id();
    callbacks_.push_back(node);
  }
  ReadyList& callbacks() noexcept { return callbacks_; }

  // Throws CancelledError if cancelled, the stored exception if failed.
  // Both mark the exception as retrieved (see exception_unretrieved).
  // Inline: a wait that ended normally only tests two fields.
  void rethrow_if_failed() const {
    if (state_ == State::kCancelled || exception_) rethrow_failure();
  }
  std::exception_ptr exception() const noexcept {
    exception_retrieved_ = true;
    return exception_;
  }
  // Failed, and nobody ever looked at the exception: asyncio's "exception
  // was never retrieved", reported when a task or Future is destroyed.
  bool exception_unretrieved() const noexcept { return failed() && !exception_retrieved_; }
  // Counts any exception, now or later, as retrieved (a gather that has
  // settled still "retrieves" its children's later failures, as asyncio's
  // _done_callback does).
  void mark_exception_retrieved() const noexcept { exception_retrieved_ = true; }
  const std::string& cancel_message() const noexcept { return notes_ ? notes_->cancel_message : no_text(); }

  static bool cancel_plain(WaitTarget* target, std::string_view message) {
    auto* self = static_cast<FutureBase*>(target);
    if (self->done()) return false;
    self->set_cancelled(std::string(message));
    return true;
  }

 protected:
  ~FutureBase() = default;
  void mark_task() noexcept { is_task_ = true; }
  // The notes, made on first use.
  FutureNotes& notes() {
    if (!notes_) notes_ = std::make_unique<FutureNotes>();
    return *notes_;
  }
  FutureNotes* notes_if_any() const noexcept { return notes_.get(); }
  // Pending again, as if new (its callbacks have all been queued).
  void reset_to_pending() noexcept {
    state_ = State::kPending;
    exception_ = nullptr;
  }
  static const std::string& no_text() noexcept {
    static const std::string empty;
    return empty;
  }

 private:
  // Inline for the common case: settled on the loop its callbacks came from.
  void schedule_callbacks() noexcept {
    if (callbacks_.empty()) return;
    LoopCore* loop = LoopCore::current();
    if (loop && loop->id() == home_id_) [[likely]] {
      loop->call_soon_all(callbacks_);
    } else {
      schedule_callbacks_elsewhere(loop);
    }
  }
  // From outside their loop, or with no loop left.
  void schedule_callbacks_elsewhere(LoopCore* current) noexcept;
  [[noreturn]] void rethrow_failure() const;

  ReadyList callbacks_;
  std::exception_ptr exception_;
  // The id of the loop whose tasks registered the callbacks: settling the
  // future from outside it (between two Runner::run calls, or from another
  // runner's task) still queues them there, as an asyncio Future's
  // callbacks always go to its own loop. An id, not a pointer: a new loop
  // may reuse a dead one's address.
  std::uint64_t home_id_ = 0;
  std::unique_ptr<FutureNotes> notes_;
  State state_ = State::kPending;
  bool is_task_ = false;
  mutable bool exception_retrieved_ = false;

 protected:
  // A subclass's own flags (a task's), kept here where they pack.
  std::uint8_t subclass_flags_ = 0;
};

// A plain future of kind `label` (cancel() settles it as cancelled), for
// `static constexpr WaitKind kKind = plain_wait("Lock.acquire");`.
constexpr WaitKind plain_wait(const char* label) noexcept { return {label, &FutureBase::cancel_plain}; }

// Writes asyncio's "<what> exception was never retrieved" report for `fut`
// to stderr; `what` names it ("Task 'worker'", "Future").
void report_unretrieved_exception(const FutureBase& fut, std::string_view what) noexcept;

// A one-shot future embedded in an awaiting coroutine frame (asyncio's
// `loop.create_future()` inside Lock.acquire, Queue.get, sleep, ...). The
// hook threads it through the owning primitive's waiter list.
struct Waiter : ListHook, FutureBase {
  // `kind` is a plain_wait(label) with static storage.
  explicit Waiter(const WaitKind* kind) noexcept : FutureBase(kind) {}
  void set_result() noexcept {
    if (!done()) set_done();
  }
  // A woken waiter made pending again, for the next round of a waiting
  // loop (a frameless Queue.get that lost its item to another task).
  void rearm() noexcept { reset_to_pending(); }
  // Set when the primitive that listed this waiter was destroyed while the
  // waiter was still queued: cleanup code must not touch the primitive.
  bool orphaned = false;
};

// A Waiter that knows the frameless awaitable holding it, so its
// WaitKind's rewait (see WaitKind) can find the awaitable.
template <class Owner>
struct OwnedWaiter : Waiter {
  OwnedWaiter(const WaitKind* kind, Owner* owner_) noexcept : Waiter(kind), owner(owner_) {}
  static Owner& owner_of(WaitTarget* target) noexcept {
    return *static_cast<OwnedWaiter*>(static_cast<FutureBase*>(target))->owner;
  }
  Owner* owner;
};

// A primitive's queue of waiters. Destroying it marks the waiters orphaned.
class WaiterList : public IntrusiveList<Waiter> {
 public:
  WaiterList() = default;
  ~WaiterList() {
    for_each([](Waiter* w) { w->orphaned = true; });
  }
};

// Wakes the first waiter that is not already settled, removing it and any
// settled ones before it (asyncio.Queue._wakeup_next).
inline void wake_next(WaiterList& waiters) noexcept {
  while (Waiter* w = waiters.pop_front()) {
    if (!w->done()) {
      w->set_result();
      return;
    }
  }
}

}  // namespace detio::internal

// detio::as_completed(handles[, timeout]) (asyncio.as_completed): a range of
// awaitables; the i-th one yields the result of the i-th task or Future to
// finish (or rethrows its exception). After the timeout, the remaining ones
// throw TimeoutError.
//
//   for (auto next : detio::as_completed(handles)) int v = co_await next;
//
// A mixed set (a vector of TaskHandleBase or AnyFuture: tasks and Futures
// of any result type) yields the handles themselves as they finish, as
// 3.13's `async for t in as_completed(...)` does; their outcome is then
// read from the handle (done, exception, or the typed handle's result).
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "detio/any_future.h"
#include "detio/future.h"
#include "detio/task_handle.h"

namespace detio {

// `T` is what each awaitable yields: the result type, or `Handle` itself
// for untyped handles.
template <class T, class Handle = TaskHandle<T>>
class AsCompleted {
 public:
  explicit AsCompleted(std::vector<Handle> handles, std::optional<Duration> timeout = std::nullopt)
      : state_(std::make_shared<State>(std::move(handles), timeout)) {}

  std::size_t size() const noexcept { return state_->total; }

  // The next completion; awaiting it throws TimeoutError after the timeout.
  Task<T> next() { return wait_for_one(state_); }

  class iterator {
   public:
    iterator(AsCompleted* owner, std::size_t i) : owner_(owner), index_(i) {}
    Task<T> operator*() const { return owner_->next(); }
    iterator& operator++() {
      ++index_;
      return *this;
    }
    bool operator!=(const iterator& other) const { return index_ != other.index_; }

   private:
    AsCompleted* owner_;
    std::size_t index_;
  };
  iterator begin() { return iterator(this, 0); }
  iterator end() { return iterator(this, size()); }

 private:
  struct State {
    State(std::vector<Handle> hs, std::optional<Duration> timeout)
        : handles(std::move(hs)), total(handles.size()), nodes(new Completion[total]) {
      ready.reserve(total);
      for (std::size_t i = 0; i < total; ++i) {
        nodes[i].state = this;
        nodes[i].handle = &handles[i];
        handles[i].state().add_callback(&nodes[i]);
      }
      if (timeout && total > 0) {
        internal::LoopCore& loop = internal::running_loop();
        loop.call_at_user(&timer, internal::deadline_after(loop.now(), *timeout));
      }
    }
    struct Completion : internal::ReadyNode {
      Completion() noexcept : ReadyNode(&Completion::fire) {}
      static void fire(ReadyNode* n, Action a) {
        if (a != Action::kRun) return;
        auto* self = static_cast<Completion*>(n);
        self->state->push(*self->handle);
      }
      State* state = nullptr;
      Handle* handle = nullptr;
    };
    // Each completion (or, after the timeout, an empty slot) wakes one getter.
    void push(std::optional<Handle> h) {
      if (timed_out) return;
      ready.push_back(std::move(h));
      if (++delivered == total) timer.cancel();
      internal::wake_next(getters);
    }
    void on_timeout() {
      timed_out = true;
      for (std::size_t i = 0; i < total; ++i) nodes[i].unlink();
      for (std::size_t i = delivered; i < total; ++i) ready.emplace_back(std::nullopt);
      while (!getters.empty()) internal::wake_next(getters);
    }

    std::vector<Handle> handles;
    std::size_t total;
    std::size_t delivered = 0;
    bool timed_out = false;
    // One allocation each for every handle's done callback and the queue of
    // completions (at most `total` ever join it; `taken` of them left).
    std::unique_ptr<Completion[]> nodes;
    std::vector<std::optional<Handle>> ready;
    std::size_t taken = 0;
    bool has_ready() const noexcept { return taken < ready.size(); }
    internal::WaiterList getters;
    internal::MemberTimer<State, &State::on_timeout> timer{this};
  };

  static Task<T> wait_for_one(std::shared_ptr<State> state) {
    while (!state->has_ready()) {
      static constexpr internal::WaitKind kWaitKind = internal::plain_wait("as_completed");
      internal::Waiter getter(&kWaitKind);
      state->getters.push_back(&getter);
      try {
        co_await internal::FutureAwaiter(getter);
      } catch (...) {
        getter.unlink();
        // Woken but cancelled: pass the wake-up on so no completion is lost.
        if (state->has_ready() && !getter.cancelled()) internal::wake_next(state->getters);
        throw;
      }
    }
    std::optional<Handle> h = std::move(state->ready[state->taken++]);
    if (!h) throw TimeoutError("as_completed: timed out");
    if constexpr (std::is_same_v<T, Handle>) {
      co_return std::move(*h);
    } else {
      co_return co_await *h;
    }
  }

  std::shared_ptr<State> state_;
};

// Over TaskHandle<T>, Future<T>, TaskHandleBase or AnyFuture (what each
// yields: internal::Watchable in any_future.h).
template <class Handle, class T = typename internal::Watchable<Handle>::result>
AsCompleted<T, Handle> as_completed(std::vector<Handle> handles, std::optional<Duration> timeout = std::nullopt) {
  return AsCompleted<T, Handle>(std::move(handles), timeout);
}

// Tasks are spawned first, in order, as asyncio wraps coroutines.
template <class T>
AsCompleted<T> as_completed(std::vector<Task<T>> tasks, std::optional<Duration> timeout = std::nullopt) {
  std::vector<TaskHandle<T>> handles;
  handles.reserve(tasks.size());
  for (Task<T>& t : tasks) handles.push_back(create_task(std::move(t)));
  return AsCompleted<T>(std::move(handles), timeout);
}

}  // namespace detio

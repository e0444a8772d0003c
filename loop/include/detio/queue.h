// detio::Queue<T>, PriorityQueue<T, Compare>, LifoQueue<T> (asyncio.Queue &
// co., CPython 3.13 including shutdown). maxsize <= 0 means unbounded.
// put() waits while the queue is full, get() while it is empty, each in FIFO
// order. Cancel-safe: a cancelled get() takes no item and a cancelled put()
// adds none; a waiter that was woken but cancelled before it ran passes the
// wake-up on to the next one. task_done()/join() count unfinished items.
// shutdown(): put() throws QueueShutDown; get() throws it once the queue is
// empty (at once with immediate=true, which drops the items and counts them
// done); blocked callers are woken to see it.
// PriorityQueue hands out the smallest item first (by Compare, std::less by
// default); LifoQueue the most recently added.
// A queue must outlive every task that waits on it.
#pragma once

#include <algorithm>
#include <coroutine>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <type_traits>
#include <utility>
#include <vector>

#include "detio/errors.h"
#include "detio/event.h"
#include "detio/internal/future_awaiter.h"
#include "detio/internal/future_base.h"
#include "detio/task.h"

namespace detio {

namespace internal {

// Item stores (asyncio's _init/_put/_get overrides). FIFO (Queue) and
// LIFO (LifoQueue) differ only in which end pop() takes.
template <class T, bool kLifo>
class DequeStore {
 public:
  template <class U>
  void push(U&& item) {
    items_.push_back(std::forward<U>(item));
  }
  T pop() {
    if constexpr (kLifo) {
      T item = std::move(items_.back());
      items_.pop_back();
      return item;
    } else {
      T item = std::move(items_.front());
      items_.pop_front();
      return item;
    }
  }
  std::size_t size() const noexcept { return items_.size(); }
  void clear() noexcept { items_.clear(); }

 private:
  std::deque<T> items_;
};
template <class T>
using FifoStore = DequeStore<T, false>;
template <class T>
using LifoStore = DequeStore<T, true>;

// A binary min-heap under Compare (heapq).
template <class T, class Compare>
class HeapStore {
 public:
  template <class U>
  void push(U&& item) {
    items_.push_back(std::forward<U>(item));
    std::push_heap(items_.begin(), items_.end(), Greater{compare_});
  }
  T pop() {
    std::pop_heap(items_.begin(), items_.end(), Greater{compare_});
    T item = std::move(items_.back());
    items_.pop_back();
    return item;
  }
  std::size_t size() const noexcept { return items_.size(); }
  void clear() noexcept { items_.clear(); }

 private:
  // std heaps put the largest first; reversing the order puts the smallest.
  struct Greater {
    Compare& compare;
    bool operator()(const T& a, const T& b) const { return compare(b, a); }
  };
  std::vector<T> items_;
  Compare compare_;
};

}  // namespace internal

template <class T, class Store>
class BasicQueue {
 public:
  using value_type = T;

  explicit BasicQueue(int maxsize = 0) : maxsize_(maxsize) { finished_.set(); }
  BasicQueue(const BasicQueue&) = delete;
  BasicQueue& operator=(const BasicQueue&) = delete;

  std::size_t qsize() const noexcept { return store_.size(); }
  int maxsize() const noexcept { return maxsize_; }
  bool empty() const noexcept { return store_.size() == 0; }
  bool full() const noexcept { return maxsize_ > 0 && store_.size() >= static_cast<std::size_t>(maxsize_); }

  class Get;
  class Put;

  // Waits while the queue is full, then adds `item`. QueueShutDown if the
  // queue is (or gets) shut down. See Put.
  Put put(T item) { return Put(*this, std::move(item)); }

  // Adds `item` now; QueueFull if full, QueueShutDown if shut down (in both
  // cases `item` is left untouched).
  void put_nowait(const T& item) { put_item(item); }
  void put_nowait(T&& item) { put_item(std::move(item)); }

  // Waits while the queue is empty, then removes and returns an item.
  // QueueShutDown once the queue is shut down and empty. See Get.
  Get get() noexcept { return Get(*this); }

  // Removes and returns an item now; QueueEmpty if there is none,
  // QueueShutDown if there is none and the queue is shut down.
  T get_nowait() {
    if (empty()) {
      if (is_shutdown_) throw QueueShutDown();
      throw QueueEmpty();
    }
    T item = store_.pop();
    internal::wake_next(putters_);
    return item;
  }

  // Marks one item taken by get() as processed. ValueError if every item
  // put has already been marked.
  void task_done() {
    if (unfinished_tasks_ <= 0) throw ValueError("task_done() called too many times");
    if (--unfinished_tasks_ == 0) finished_.set();
  }

  // Waits until every item put has been marked by task_done().
  Task<void> join() {
    if (unfinished_tasks_ > 0) co_await finished_.wait();
  }

  // Makes put() throw QueueShutDown, and get() once the queue is empty
  // (at once if `immediate`: the remaining items are dropped and counted as
  // done, which may release join()). Wakes every blocked put() and get().
  void shutdown(bool immediate = false) {
    is_shutdown_ = true;
    if (immediate) {
      while (!empty()) {
        store_.pop();
        if (unfinished_tasks_ > 0) --unfinished_tasks_;
      }
      if (unfinished_tasks_ == 0) finished_.set();
    }
    while (internal::Waiter* getter = getters_.pop_front()) getter->set_result();
    while (internal::Waiter* putter = putters_.pop_front()) putter->set_result();
  }
  bool is_shut_down() const noexcept { return is_shutdown_; }

 private:
  template <class U>
  void put_item(U&& item) {
    if (is_shutdown_) throw QueueShutDown();
    if (full()) throw QueueFull();
    store_.push(std::forward<U>(item));
    ++unfinished_tasks_;
    finished_.clear();
    internal::wake_next(getters_);
  }

  int maxsize_;
  Store store_;
  internal::WaiterList getters_;
  internal::WaiterList putters_;
  long long unfinished_tasks_ = 0;
  static constexpr internal::WaitKind kJoin = internal::plain_wait("Queue.join");
  Event finished_{&kJoin};
  bool is_shutdown_ = false;
};

// What put() and get() return: awaitables with their waiter inline (no
// coroutine frame). Nothing happens until one is awaited (a Put dropped
// unawaited adds nothing); a put() on a queue that is not full and a get()
// on one that is not empty complete without suspending. Each converts to a
// Task (Task<void>, Task<T>) where one is needed (create_task, wait_for,
// gather, timeout), which must not outlive the queue. Destroying a frame
// suspended in one unlists its waiter.
//
// A waiter woken but beaten to the item (or slot) by another task waits
// again at the back, as asyncio's `while self.empty()` loop does: its
// WaitKind's rewait parks the task again before it resumes.
template <class T, class Store>
class [[nodiscard]] BasicQueue<T, Store>::Get {
 public:
  using value_type = T;

  explicit Get(BasicQueue& queue) noexcept : queue_(queue), waiter_(&kWaitKind, this), awaiter_(waiter_) {}
  // Only an awaitable that is not being awaited may be moved.
  Get(Get&& other) noexcept : Get(other.queue_) {}
  Get& operator=(Get&&) = delete;
  // The waiter unlinks itself (a no-op if the queue died and detached it).
  ~Get() = default;

  bool await_ready() {
    if (!queue_.empty()) return true;
    if (queue_.is_shutdown_) throw QueueShutDown();
    awaiter_.await_ready();  // pending: checks we run inside a task
    queue_.getters_.push_back(&waiter_);
    return false;
  }
  void await_suspend(std::coroutine_handle<> caller) { awaiter_.await_suspend(caller); }
  T await_resume() {
    // A waiter that was awaited is settled when its task resumes.
    if (waiter_.done()) {
      try {
        awaiter_.await_resume();
      } catch (...) {
        if (waiter_.orphaned) throw;
        waiter_.unlink();  // put_nowait() or shutdown() may have removed it
        // Woken by put_nowait() but cannot take the item: pass it on.
        if (!queue_.empty() && !waiter_.cancelled()) internal::wake_next(queue_.getters_);
        throw;
      }
    }
    // An item is there, or the queue is shut down and empty (rewait).
    return queue_.get_nowait();
  }

  Task<T> as_task() && { return get_task(queue_); }
  operator Task<T>() && { return std::move(*this).as_task(); }

 private:
  static Task<T> get_task(BasicQueue& queue) {
    Get get(queue);
    co_return co_await get;
  }
  // Woken, but the queue is empty again and open: wait again at the back.
  static bool rewait(internal::WaitTarget* target, internal::TaskStateBase& task, std::coroutine_handle<> resume_at) {
    Get& self = Waiter::owner_of(target);
    if (self.waiter_.cancelled() || task.cancel_pending()) return false;
    if (!self.queue_.empty() || self.queue_.is_shutdown_) return false;
    self.waiter_.rearm();
    self.queue_.getters_.push_back(&self.waiter_);
    task.suspend_on(&self.waiter_, resume_at);
    return true;
  }
  using Waiter = internal::OwnedWaiter<Get>;
  static constexpr internal::WaitKind kWaitKind{"Queue.get", &internal::FutureBase::cancel_plain, &Get::rewait};

  BasicQueue& queue_;
  Waiter waiter_;
  internal::FutureAwaiter awaiter_;
};

template <class T, class Store>
class [[nodiscard]] BasicQueue<T, Store>::Put {
 public:
  using value_type = void;

  Put(BasicQueue& queue, T item) noexcept(std::is_nothrow_move_constructible_v<T>)
      : queue_(queue), item_(std::move(item)), waiter_(&kWaitKind, this), awaiter_(waiter_) {}
  // Only an awaitable that is not being awaited may be moved.
  Put(Put&& other) noexcept(std::is_nothrow_move_constructible_v<T>) : Put(other.queue_, std::move(other.item_)) {}
  Put& operator=(Put&&) = delete;
  // The waiter unlinks itself (a no-op if the queue died and detached it).
  ~Put() = default;

  bool await_ready() {
    if (!queue_.full()) return true;
    if (queue_.is_shutdown_) throw QueueShutDown();
    awaiter_.await_ready();  // pending: checks we run inside a task
    queue_.putters_.push_back(&waiter_);
    return false;
  }
  void await_suspend(std::coroutine_handle<> caller) { awaiter_.await_suspend(caller); }
  void await_resume() {
    // A waiter that was awaited is settled when its task resumes.
    if (waiter_.done()) {
      try {
        awaiter_.await_resume();
      } catch (...) {
        if (waiter_.orphaned) throw;
        waiter_.unlink();  // get_nowait() or shutdown() may have removed it
        // Woken by get_nowait() but cannot take the slot: pass it on.
        if (!queue_.full() && !waiter_.cancelled()) internal::wake_next(queue_.putters_);
        throw;
      }
    }
    // A slot is free, or the queue is shut down (rewait): put_nowait says which.
    queue_.put_nowait(std::move(item_));
  }

  Task<void> as_task() && { return put_task(queue_, std::move(item_)); }
  operator Task<void>() && { return std::move(*this).as_task(); }

 private:
  static Task<void> put_task(BasicQueue& queue, T item) {
    Put put(queue, std::move(item));
    co_await put;
  }
  // Woken, but the queue is full again and open: wait again at the back.
  static bool rewait(internal::WaitTarget* target, internal::TaskStateBase& task, std::coroutine_handle<> resume_at) {
    Put& self = Waiter::owner_of(target);
    if (self.waiter_.cancelled() || task.cancel_pending()) return false;
    if (!self.queue_.full() || self.queue_.is_shutdown_) return false;
    self.waiter_.rearm();
    self.queue_.putters_.push_back(&self.waiter_);
    task.suspend_on(&self.waiter_, resume_at);
    return true;
  }
  using Waiter = internal::OwnedWaiter<Put>;
  static constexpr internal::WaitKind kWaitKind{"Queue.put", &internal::FutureBase::cancel_plain, &Put::rewait};

  BasicQueue& queue_;
  T item_;
  Waiter waiter_;
  internal::FutureAwaiter awaiter_;
};

// First in, first out.
template <class T>
class Queue : public BasicQueue<T, internal::FifoStore<T>> {
 public:
  explicit Queue(int maxsize = 0) : BasicQueue<T, internal::FifoStore<T>>(maxsize) {}
};

// Smallest item (by Compare) first.
template <class T, class Compare = std::less<T>>
class PriorityQueue : public BasicQueue<T, internal::HeapStore<T, Compare>> {
 public:
  explicit PriorityQueue(int maxsize = 0) : BasicQueue<T, internal::HeapStore<T, Compare>>(maxsize) {}
};

// Last in, first out.
template <class T>
class LifoQueue : public BasicQueue<T, internal::LifoStore<T>> {
 public:
  explicit LifoQueue(int maxsize = 0) : BasicQueue<T, internal::LifoStore<T>>(maxsize) {}
};

}  // namespace detio

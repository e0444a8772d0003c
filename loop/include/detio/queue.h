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
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
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

  // Waits while the queue is full, then adds `item`. QueueShutDown if the
  // queue is (or gets) shut down.
  Task<void> put(T item) {
    while (full()) {
      if (is_shutdown_) throw QueueShutDown();
      static constexpr internal::WaitKind kWaitKind = internal::plain_wait("Queue.put");
      internal::Waiter putter(&kWaitKind);
      putters_.push_back(&putter);
      try {
        co_await internal::FutureAwaiter(putter);
      } catch (...) {
        if (putter.orphaned) throw;
        putter.cancel("");  // in case it is still pending
        putter.unlink();    // get_nowait() or shutdown() may have removed it
        // Woken by get_nowait() but cannot take the slot: pass it on.
        if (!full() && !putter.cancelled()) internal::wake_next(putters_);
        throw;
      }
    }
    put_nowait(std::move(item));
  }

  // Adds `item` now; QueueFull if full, QueueShutDown if shut down (in both
  // cases `item` is left untouched).
  void put_nowait(const T& item) { put_item(item); }
  void put_nowait(T&& item) { put_item(std::move(item)); }

  // Waits while the queue is empty, then removes and returns an item.
  // QueueShutDown once the queue is shut down and empty.
  Task<T> get() {
    while (empty()) {
      if (is_shutdown_) throw QueueShutDown();
      static constexpr internal::WaitKind kWaitKind = internal::plain_wait("Queue.get");
      internal::Waiter getter(&kWaitKind);
      getters_.push_back(&getter);
      try {
        co_await internal::FutureAwaiter(getter);
      } catch (...) {
        if (getter.orphaned) throw;
        getter.cancel("");  // in case it is still pending
        getter.unlink();    // put_nowait() or shutdown() may have removed it
        // Woken by put_nowait() but cannot take the item: pass it on.
        if (!empty() && !getter.cancelled()) internal::wake_next(getters_);
        throw;
      }
    }
    co_return get_nowait();
  }

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

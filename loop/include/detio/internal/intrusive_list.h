// Intrusive, circular, doubly linked list. A node unlinks itself when
// destroyed; a list detaches its nodes when destroyed, so either side may die
// first (a primitive destroyed with waiters, a waiter's frame destroyed while
// queued) without a dangling pointer.
#pragma once

#include <cassert>
#include <cstddef>

namespace detio::internal {

struct ListHook {
  ListHook* prev = nullptr;
  ListHook* next = nullptr;

  ListHook() = default;
  ListHook(const ListHook&) = delete;
  ListHook& operator=(const ListHook&) = delete;
  ~ListHook() { unlink(); }

  bool linked() const noexcept { return next != nullptr; }
  void unlink() noexcept {
    if (next == nullptr) return;
    prev->next = next;
    next->prev = prev;
    prev = next = nullptr;
  }
};

// T must derive from ListHook (the hook used for this list).
template <class T>
class IntrusiveList {
 public:
  IntrusiveList() noexcept { head_.prev = head_.next = &head_; }
  IntrusiveList(const IntrusiveList&) = delete;
  IntrusiveList& operator=(const IntrusiveList&) = delete;
  ~IntrusiveList() { detach_all(); }

  bool empty() const noexcept { return head_.next == &head_; }
  std::size_t size() const noexcept {
    std::size_t n = 0;
    for (const ListHook* h = head_.next; h != &head_; h = h->next) ++n;
    return n;
  }
  T* front() const noexcept { return empty() ? nullptr : static_cast<T*>(head_.next); }
  T* back() const noexcept { return empty() ? nullptr : static_cast<T*>(head_.prev); }

  void push_back(T* node) noexcept {
    ListHook* h = node;
    assert(!h->linked());
    h->prev = head_.prev;
    h->next = &head_;
    head_.prev->next = h;
    head_.prev = h;
  }
  T* pop_front() noexcept {
    if (empty()) return nullptr;
    ListHook* h = head_.next;
    h->unlink();
    return static_cast<T*>(h);
  }
  T* pop_back() noexcept {
    if (empty()) return nullptr;
    ListHook* h = head_.prev;
    h->unlink();
    return static_cast<T*>(h);
  }
  // The first node for which pred(node) holds, or nullptr.
  template <class Pred>
  T* find_if(Pred&& pred) const {
    for (ListHook* h = head_.next; h != &head_; h = h->next) {
      if (pred(static_cast<T*>(h))) return static_cast<T*>(h);
    }
    return nullptr;
  }
  // Moves every node of `other` to the back of this list, keeping order.
  void splice_back(IntrusiveList& other) noexcept {
    if (other.empty()) return;
    ListHook* first = other.head_.next;
    ListHook* last = other.head_.prev;
    other.head_.prev = other.head_.next = &other.head_;
    first->prev = head_.prev;
    last->next = &head_;
    head_.prev->next = first;
    head_.prev = last;
  }
  void detach_all() noexcept {
    ListHook* h = head_.next;
    while (h != &head_) {
      ListHook* next = h->next;
      h->prev = h->next = nullptr;
      h = next;
    }
    head_.prev = head_.next = &head_;
  }

  // Iteration that tolerates unlinking the current node.
  template <class F>
  void for_each(F&& f) {
    ListHook* h = head_.next;
    while (h != &head_) {
      ListHook* next = h->next;
      f(static_cast<T*>(h));
      h = next;
    }
  }

 private:
  ListHook head_;
};

}  // namespace detio::internal

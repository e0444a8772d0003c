// Binary min-heap of timers keyed on (deadline, sequence). Entries know their
// heap index, so cancel is O(log n) (most timeouts are cancelled).
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "detio/internal/ready_node.h"
#include "detio/time.h"

namespace detio::internal {

class TimerHeap;

struct TimerNode : ReadyNode {
  static constexpr std::size_t kNotInHeap = std::numeric_limits<std::size_t>::max();
  using ReadyNode::ReadyNode;
  TimerNode(const TimerNode&) = delete;
  ~TimerNode();

  bool in_heap() const noexcept { return heap_index != kNotInHeap; }
  // Removes the timer from the heap or, if already due, from the ready queue.
  void cancel() noexcept;

  TimePoint when{};
  std::uint64_t seq = 0;
  std::size_t heap_index = kNotInHeap;
  TimerHeap* heap = nullptr;
};

class TimerHeap {
 public:
  TimerHeap() = default;
  TimerHeap(const TimerHeap&) = delete;
  ~TimerHeap();

  bool empty() const noexcept { return heap_.empty(); }
  std::size_t size() const noexcept { return heap_.size(); }
  TimerNode* top() const noexcept { return heap_.empty() ? nullptr : heap_.front(); }

  void push(TimerNode* t);
  void erase(TimerNode* t) noexcept;
  TimerNode* pop() noexcept;

 private:
  static bool before(const TimerNode* a, const TimerNode* b) noexcept {
    return a->when != b->when ? a->when < b->when : a->seq < b->seq;
  }
  void place(TimerNode* t, std::size_t i) noexcept {
    heap_[i] = t;
    t->heap_index = i;
  }
  void sift_up(std::size_t i) noexcept;
  void sift_down(std::size_t i) noexcept;

  std::vector<TimerNode*> heap_;
};

inline TimerNode::~TimerNode() { cancel(); }

inline void TimerNode::cancel() noexcept {
  if (in_heap()) heap->erase(this);
  unlink();
}

inline TimerHeap::~TimerHeap() {
  for (TimerNode* t : heap_) {
    t->heap_index = TimerNode::kNotInHeap;
    t->heap = nullptr;
  }
}

inline void TimerHeap::push(TimerNode* t) {
  t->heap = this;
  heap_.push_back(t);
  t->heap_index = heap_.size() - 1;
  sift_up(heap_.size() - 1);
}

inline void TimerHeap::erase(TimerNode* t) noexcept {
  std::size_t i = t->heap_index;
  TimerNode* last = heap_.back();
  heap_.pop_back();
  t->heap_index = TimerNode::kNotInHeap;
  if (i == heap_.size()) return;
  place(last, i);
  sift_down(i);
  sift_up(last->heap_index);
}

inline TimerNode* TimerHeap::pop() noexcept {
  TimerNode* t = heap_.front();
  erase(t);
  return t;
}

inline void TimerHeap::sift_up(std::size_t i) noexcept {
  TimerNode* t = heap_[i];
  while (i > 0) {
    std::size_t parent = (i - 1) / 2;
    if (!before(t, heap_[parent])) break;
    place(heap_[parent], i);
    i = parent;
  }
  place(t, i);
}

inline void TimerHeap::sift_down(std::size_t i) noexcept {
  TimerNode* t = heap_[i];
  const std::size_t n = heap_.size();
  while (true) {
    std::size_t child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && before(heap_[child + 1], heap_[child])) ++child;
    if (!before(heap_[child], t)) break;
    place(heap_[child], i);
    i = child;
  }
  place(t, i);
}

}  // namespace detio::internal

namespace detio::internal {

// A TimerNode embedded in `Owner` that calls (owner->*Method)() when due.
template <class Owner, void (Owner::*Method)()>
struct MemberTimer : TimerNode {
  explicit MemberTimer(Owner* o) noexcept : TimerNode(&MemberTimer::fire), owner(o) {}
  static void fire(ReadyNode* n, Action a) {
    if (a == Action::kRun) (static_cast<MemberTimer*>(n)->owner->*Method)();
  }
  Owner* owner;
};

}  // namespace detio::internal

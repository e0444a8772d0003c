// The loop's timers, ordered by (deadline, sequence): a binary min-heap
// beside a sorted run. A timer that does not sort before the run's last one
// joins the run (a list: O(1) to arm, fire and cancel); any other goes into
// the heap (O(log n)). Most timers are armed in deadline order (call_later(0)
// bursts, equal timeouts), and the firing order is exactly a heap's. Heap
// entries keep their key inline, so sifting touches no timer but the ones it
// moves; a timer knows where it is, so cancel never searches.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "detio/internal/ready_node.h"
#include "detio/time.h"

namespace detio::internal {

class TimerHeap;

// What the heap orders. Its owner must take it off the heap before it dies
// (TimerNode does that itself; a task's own sleep timer goes through its loop).
struct TimerEntry : ReadyNode {
  static constexpr std::uint32_t kNotInHeap = std::numeric_limits<std::uint32_t>::max();
  // heap_index of a timer in the sorted run (linked through its ReadyNode
  // hook, which the ready queue uses only once it is due).
  static constexpr std::uint32_t kInSortedRun = kNotInHeap - 1;
  using ReadyNode::ReadyNode;
  TimerEntry(const TimerEntry&) = delete;

  // Armed: waiting in the heap or the sorted run.
  bool in_heap() const noexcept { return heap_index != kNotInHeap; }

  TimePoint when{};
  std::uint64_t seq = 0;
  std::uint32_t heap_index = kNotInHeap;
};

// A timer that knows its heap, so it can cancel itself, and does when destroyed.
struct TimerNode : TimerEntry {
  using TimerEntry::TimerEntry;
  ~TimerNode();

  // Removes the timer from the heap or, if already due, from the ready queue.
  void cancel() noexcept;

  TimerHeap* heap = nullptr;
};

class TimerHeap {
 public:
  TimerHeap() = default;
  TimerHeap(const TimerHeap&) = delete;
  ~TimerHeap();

  bool empty() const noexcept { return heap_.empty() && sorted_run_.empty(); }
  // The first timer due, or nullptr.
  TimerEntry* top() const noexcept;

  void push(TimerEntry* t);
  void push(TimerNode* t) {
    t->heap = this;
    push(static_cast<TimerEntry*>(t));
  }
  void erase(TimerEntry* t) noexcept;
  TimerEntry* pop() noexcept;

 private:
  struct Entry {
    TimePoint when;
    std::uint64_t seq;
    TimerEntry* timer;
  };
  static bool before(TimePoint a_when, std::uint64_t a_seq, TimePoint b_when, std::uint64_t b_seq) noexcept {
    return a_when != b_when ? a_when < b_when : a_seq < b_seq;
  }
  static bool before(const Entry& a, const Entry& b) noexcept { return before(a.when, a.seq, b.when, b.seq); }
  static bool before(const TimerEntry* a, const TimerEntry* b) noexcept {
    return before(a->when, a->seq, b->when, b->seq);
  }
  void place(const Entry& e, std::size_t i) noexcept {
    heap_[i] = e;
    e.timer->heap_index = static_cast<std::uint32_t>(i);
  }
  void sift_up(std::size_t i) noexcept;
  void sift_down(std::size_t i) noexcept;
  TimerEntry* run_back() const noexcept { return static_cast<TimerEntry*>(sorted_run_.back()); }

  std::vector<Entry> heap_;
  ReadyList sorted_run_;
};

inline TimerNode::~TimerNode() { cancel(); }

inline void TimerNode::cancel() noexcept {
  if (in_heap()) heap->erase(this);
  unlink();
}

// A TimerNode's heap pointer is only followed while it is armed.
inline TimerHeap::~TimerHeap() {
  for (Entry& e : heap_) e.timer->heap_index = TimerEntry::kNotInHeap;
  while (ReadyNode* n = sorted_run_.pop_front()) static_cast<TimerEntry*>(n)->heap_index = TimerEntry::kNotInHeap;
}

inline TimerEntry* TimerHeap::top() const noexcept {
  auto* run_first = static_cast<TimerEntry*>(sorted_run_.front());
  if (heap_.empty()) return run_first;
  const Entry& heap_first = heap_.front();
  if (run_first && before(run_first->when, run_first->seq, heap_first.when, heap_first.seq)) return run_first;
  return heap_first.timer;
}

inline void TimerHeap::push(TimerEntry* t) {
  if (sorted_run_.empty() || !before(t, run_back())) {
    t->heap_index = TimerEntry::kInSortedRun;
    sorted_run_.push_back(t);
    return;
  }
  heap_.push_back(Entry{t->when, t->seq, t});
  t->heap_index = static_cast<std::uint32_t>(heap_.size() - 1);
  sift_up(heap_.size() - 1);
}

inline void TimerHeap::erase(TimerEntry* t) noexcept {
  const std::size_t i = t->heap_index;
  t->heap_index = TimerEntry::kNotInHeap;
  if (i == TimerEntry::kInSortedRun) {
    t->unlink();
    return;
  }
  const Entry last = heap_.back();
  heap_.pop_back();
  if (i == heap_.size()) return;
  place(last, i);
  sift_down(i);
  sift_up(last.timer->heap_index);
}

inline TimerEntry* TimerHeap::pop() noexcept {
  TimerEntry* t = top();
  erase(t);
  return t;
}

inline void TimerHeap::sift_up(std::size_t i) noexcept {
  const Entry e = heap_[i];
  while (i > 0) {
    const std::size_t parent = (i - 1) / 2;
    if (!before(e, heap_[parent])) break;
    place(heap_[parent], i);
    i = parent;
  }
  place(e, i);
}

inline void TimerHeap::sift_down(std::size_t i) noexcept {
  const Entry e = heap_[i];
  const std::size_t n = heap_.size();
  while (true) {
    std::size_t child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && before(heap_[child + 1], heap_[child])) ++child;
    if (!before(heap_[child], e)) break;
    place(heap_[child], i);
    i = child;
  }
  place(e, i);
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

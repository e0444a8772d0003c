// TimerHeap fires timers in (deadline, sequence) order whichever way they
// were armed: in order (the sorted run), out of order (the heap), or mixed,
// with cancels anywhere; checked against a reference ordered set.
#include "detio/internal/timer_heap.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <random>
#include <set>
#include <utility>
#include <vector>

namespace detio::internal {
namespace {

using Key = std::pair<TimePoint, std::uint64_t>;

void ignore(ReadyNode*, ReadyNode::Action) {}

struct Timers {
  TimerHeap heap;
  std::vector<std::unique_ptr<TimerNode>> timers;
  std::set<Key> reference;
  std::uint64_t next_seq = 0;

  TimerNode* arm(TimePoint when) {
    timers.push_back(std::make_unique<TimerNode>(&ignore));
    TimerNode* t = timers.back().get();
    t->when = when;
    t->seq = next_seq++;
    heap.push(t);
    reference.emplace(when, t->seq);
    return t;
  }
  void cancel(TimerNode* t) {
    ASSERT_TRUE(t->in_heap());
    reference.erase(Key{t->when, t->seq});
    t->cancel();
    EXPECT_FALSE(t->in_heap());
  }
  // Pops everything; checks the order against the reference.
  void expect_pops_in_order() {
    while (!reference.empty()) {
      ASSERT_FALSE(heap.empty());
      TimerEntry* t = heap.top();
      ASSERT_NE(t, nullptr);
      EXPECT_EQ((Key{t->when, t->seq}), *reference.begin());
      EXPECT_EQ(heap.pop(), t);
      EXPECT_FALSE(t->in_heap());
      reference.erase(reference.begin());
    }
    EXPECT_TRUE(heap.empty());
    EXPECT_EQ(heap.top(), nullptr);
  }
};

TimePoint at(std::int64_t us) { return TimePoint{} + std::chrono::microseconds(us); }

TEST(TimerHeap, InOrderOutOfOrderAndEqualDeadlines) {
  Timers t;
  for (int i = 0; i < 100; ++i) t.arm(at(i));          // in order
  for (int i = 99; i >= 0; --i) t.arm(at(i));          // reversed
  for (int i = 0; i < 100; ++i) t.arm(at(50));         // equal deadlines: FIFO
  t.expect_pops_in_order();
}

TEST(TimerHeap, CancelFromTheRunAndFromTheHeap) {
  Timers t;
  std::vector<TimerNode*> in_run, in_heap;
  for (int i = 0; i < 20; ++i) in_run.push_back(t.arm(at(100 + i)));
  for (int i = 0; i < 20; ++i) in_heap.push_back(t.arm(at(10 + i)));
  t.cancel(in_run.front());
  t.cancel(in_run.back());
  t.cancel(in_run[7]);
  t.cancel(in_heap.front());
  t.cancel(in_heap[11]);
  t.expect_pops_in_order();
}

TEST(TimerHeap, RandomArmsCancelsAndPopsMatchTheReference) {
  std::mt19937_64 random(12345);
  Timers t;
  std::vector<TimerNode*> armed;
  std::int64_t clock = 0;
  for (int step = 0; step < 20000; ++step) {
    const int op = static_cast<int>(random() % 10);
    if (op < 5) {
      // Mostly in order (clock + a fixed delay), sometimes anywhere.
      const std::int64_t when = op < 3 ? clock + 1000 : clock + static_cast<std::int64_t>(random() % 2000);
      armed.push_back(t.arm(at(when)));
    } else if (op < 7 && !armed.empty()) {
      const std::size_t i = random() % armed.size();
      if (armed[i]->in_heap()) t.cancel(armed[i]);
      armed.erase(armed.begin() + static_cast<std::ptrdiff_t>(i));
    } else if (!t.reference.empty()) {
      TimerEntry* first = t.heap.pop();
      ASSERT_EQ((Key{first->when, first->seq}), *t.reference.begin());
      t.reference.erase(t.reference.begin());
      clock = std::max<std::int64_t>(
          clock, std::chrono::duration_cast<std::chrono::microseconds>(first->when.time_since_epoch()).count());
    }
    ++clock;
  }
  t.expect_pops_in_order();
}

TEST(TimerHeap, DestroyingTheHeapDisarmsItsTimers) {
  auto heap = std::make_unique<TimerHeap>();
  TimerNode in_run(&ignore), in_heap(&ignore);
  in_run.when = at(10);
  in_run.seq = 0;
  in_heap.when = at(5);
  in_heap.seq = 1;
  heap->push(&in_run);
  heap->push(&in_heap);
  heap.reset();
  EXPECT_FALSE(in_run.in_heap());
  EXPECT_FALSE(in_heap.in_heap());
  EXPECT_FALSE(in_run.linked());
}

}  // namespace
}  // namespace detio::internal

// queue_handoff: an item handed straight to a waiting consumer is lost when
// that consumer's get() is cancelled before it resumes (CPython bpo-23812,
// "asyncio.Queue task cancellation leads to item being lost", fixed in
// python/asyncio#256; the same race in tornado's queues, tornadoweb/tornado
// #2826).
//
// A mailbox whose put() gives the item to the first waiting getter's
// future instead of queueing it. Three consumers poll it with
// wait_for(get(), 0.5-2 ms); main produces 40 items at random moments. A
// consumer whose poll times out in the iteration where an item was handed
// to it drops that item.
//
// Fixed: a get() cancelled after the hand-over puts the item back at the
// front (to the next waiter, or the queue), as asyncio.Queue keeps items
// in its deque until a getter really runs.
//
// Invariant: every item produced is consumed exactly once.
#include <algorithm>
#include <deque>
#include <map>
#include <vector>

#include "zoo.h"

namespace {

using namespace std::chrono_literals;
using bugzoo::between;

class Mailbox {
 public:
  explicit Mailbox(bool fixed) : fixed_(fixed) {}

  void put(int item) {
    while (!getters_.empty()) {
      detio::Future<int> g = getters_.front();
      getters_.pop_front();
      if (!g.done()) {
        g.set_result(item);
        return;
      }
    }
    items_.push_back(item);
  }

  detio::Task<int> get() {
    if (!items_.empty()) {
      const int item = items_.front();
      items_.pop_front();
      co_return item;
    }
    detio::Future<int> getter;
    getters_.push_back(getter);
    try {
      co_return co_await getter;
    } catch (const detio::CancelledError&) {
      if (fixed_ && getter.done() && !getter.cancelled()) put_back(getter.result());
      throw;
    }
  }

  std::size_t size() const { return items_.size(); }

 private:
  void put_back(int item) {
    if (std::any_of(getters_.begin(), getters_.end(), [](const detio::Future<int>& g) { return !g.done(); })) {
      put(item);
    } else {
      items_.push_front(item);
    }
  }

  bool fixed_;
  std::deque<int> items_;
  std::deque<detio::Future<int>> getters_;
};

struct Tally {
  std::map<int, int> consumed;  // item -> times consumed
  bool stopping = false;
};

detio::Task<void> consumer(Mailbox& box, Tally& tally) {
  while (!tally.stopping) {
    int item = 0;
    try {
      item = co_await detio::wait_for(box.get(), between(500us, 2ms));
    } catch (const detio::TimeoutError&) {
      continue;
    }
    ++tally.consumed[item];
    co_await detio::sleep(between(100us, 1ms));  // handle it
  }
}

detio::Task<void> scenario(bool fixed) {
  Mailbox box(fixed);
  Tally tally;
  std::vector<detio::TaskHandle<void>> consumers;
  for (int i = 0; i < 3; ++i) consumers.push_back(detio::create_task(consumer(box, tally), "consumer-" + std::to_string(i)));
  constexpr int kItems = 40;
  for (int item = 0; item < kItems; ++item) {
    co_await detio::sleep(between(0ms, 1500us));
    box.put(item);
  }
  co_await detio::sleep(20ms);  // let them drain the mailbox
  tally.stopping = true;
  for (auto& c : consumers) {
    try {
      co_await c;
    } catch (const detio::CancelledError&) {
    }
  }
  // Items left in the mailbox (every consumer was cancelled) are not lost.
  int lost = 0, twice = 0, first_lost = -1;
  for (int item = 0; item < kItems; ++item) {
    const int n = tally.consumed.count(item) ? tally.consumed[item] : 0;
    if (n == 0) {
      ++lost;
      if (first_lost < 0) first_lost = item;
    }
    twice += n > 1;
  }
  bugzoo::expect(twice == 0, std::to_string(twice) + " items consumed twice");
  bugzoo::expect(lost <= static_cast<int>(box.size()),
                 std::to_string(lost - static_cast<int>(box.size())) + " item(s) lost (first missing: item " +
                     std::to_string(first_lost) + "), handed to a consumer cancelled before it resumed");
}

}  // namespace

BUGZOO_MAIN(&scenario, "the mailbox wedged")

// connector_limit: release() wakes a waiter assuming it runs next; a new
// connect() in between takes the free slot, then the woken waiter takes
// one too, and the connector holds more connections than its limit
// (aio-libs/aiohttp#4936, "Race condition in BaseConnector leads to
// exceeding connection limit").
//
// A connector with limit 2: connect() waits while the limit is reached and,
// once woken, proceeds without looking again; release() frees the slot and
// wakes the first waiter. Eight clients make five requests each. The limit
// breaks only when a release and a new arrival land in the same loop
// iteration, ahead of the woken waiter: never with exact timers, often when
// near-simultaneous timers share an iteration.
//
// Fixed: a woken waiter checks the limit again before taking a slot.
//
// Invariant: never more connections in use than the limit.
#include <deque>
#include <vector>

#include "zoo.h"

namespace {

using namespace std::chrono_literals;
using bugzoo::between;

class Connector {
 public:
  Connector(int limit, bool fixed) : limit_(limit), fixed_(fixed) {}

  detio::Task<void> connect() {
    bool must_wait = in_use_ >= limit_;
    while (must_wait) {
      detio::Future<> waiter;
      waiters_.push_back(waiter);
      co_await waiter;
      must_wait = fixed_ && in_use_ >= limit_;  // BUG without the fix: no second look
    }
    ++in_use_;
    max_in_use_ = std::max(max_in_use_, in_use_);
  }

  void release() {
    --in_use_;
    while (!waiters_.empty()) {
      detio::Future<> w = waiters_.front();
      waiters_.pop_front();
      if (!w.done()) {
        w.set_result();
        return;
      }
    }
  }

  int max_in_use() const { return max_in_use_; }

 private:
  int limit_;
  bool fixed_;
  int in_use_ = 0;
  int max_in_use_ = 0;
  std::deque<detio::Future<>> waiters_;
};

class InUse {
 public:
  explicit InUse(Connector& c) : c_(c) {}
  InUse(const InUse&) = delete;
  ~InUse() { c_.release(); }

 private:
  Connector& c_;
};

detio::Task<void> client(Connector& connector) {
  for (int i = 0; i < 5; ++i) {
    co_await detio::sleep(between(0ms, 4ms));
    co_await connector.connect();
    InUse in_use(connector);
    co_await detio::sleep(between(200us, 2ms));  // the request
  }
}

detio::Task<void> scenario(bool fixed) {
  constexpr int kLimit = 2;
  Connector connector(kLimit, fixed);
  std::vector<detio::TaskHandle<void>> clients;
  for (int i = 0; i < 8; ++i) clients.push_back(detio::create_task(client(connector), "client-" + std::to_string(i)));
  for (auto& c : clients) {
    try {
      co_await c;
    } catch (const detio::CancelledError&) {
    }
  }
  bugzoo::expect(connector.max_in_use() <= kLimit,
                 std::to_string(connector.max_in_use()) + " connections in use at once, limit " +
                     std::to_string(kLimit) + ": a new connect() took the slot a woken waiter was promised");
}

}  // namespace

BUGZOO_MAIN(&scenario, "the connector wedged")

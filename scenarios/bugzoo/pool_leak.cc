// pool_leak: a connection handed to a waiter whose wait_for just timed out
// is lost (asyncpg's pool: MagicStack/asyncpg#467 and #548, from CPython's
// bpo-37658 / gh-81839, "wait_for ... inner coroutine may not be cancelled
// even though CancelledError is raised": the connection leaks).
//
// A pool of 2 connections; 6 clients each make 8 requests, acquiring with
// wait_for(pool.acquire(), 1-4 ms) and giving up on TimeoutError. release()
// hands a connection straight to the first waiter. If that waiter is
// cancelled after the hand-over and before it resumes (its timeout fires in
// the same loop iteration, or anything else cancels it then), acquire()
// raises and the connection is in no one's hands: the pool shrinks.
//
// Fixed: acquire() that is cancelled after the hand-over gives the
// connection back (asyncpg's fix, #548).
//
// Invariant: when every client is done, both connections are idle again.
#include <deque>
#include <vector>

#include "zoo.h"

namespace {

using namespace std::chrono_literals;
using bugzoo::between;

class Pool {
 public:
  Pool(int size, bool fixed) : fixed_(fixed) {
    for (int c = 0; c < size; ++c) idle_.push_back(c);
  }

  detio::Task<int> acquire() {
    if (!idle_.empty()) {
      const int c = idle_.front();
      idle_.pop_front();
      co_return c;
    }
    detio::Future<int> handoff;
    waiters_.push_back(handoff);
    try {
      co_return co_await handoff;
    } catch (const detio::CancelledError&) {
      // Cancelled while waiting: the future is cancelled and release()
      // skips it. Cancelled after the hand-over: it holds a connection.
      if (fixed_ && handoff.done() && !handoff.cancelled()) release(handoff.result());
      throw;
    }
  }

  void release(int c) {
    while (!waiters_.empty()) {
      detio::Future<int> w = waiters_.front();
      waiters_.pop_front();
      if (!w.done()) {
        w.set_result(c);
        return;
      }
    }
    idle_.push_back(c);
  }

  std::size_t idle() const { return idle_.size(); }

 private:
  bool fixed_;
  std::deque<int> idle_;
  std::deque<detio::Future<int>> waiters_;
};

// Gives the connection back however the request ends.
class Lease {
 public:
  Lease(Pool& pool, int c) : pool_(pool), c_(c) {}
  Lease(const Lease&) = delete;
  ~Lease() { pool_.release(c_); }

 private:
  Pool& pool_;
  int c_;
};

detio::Task<void> client(Pool& pool) {
  for (int i = 0; i < 8; ++i) {
    co_await detio::sleep(between(0ms, 3ms));
    int c = 0;
    try {
      c = co_await detio::wait_for(pool.acquire(), between(1ms, 4ms));
    } catch (const detio::TimeoutError&) {
      continue;  // the request gives up
    }
    Lease lease(pool, c);
    co_await detio::sleep(between(500us, 4ms));  // the query
  }
}

detio::Task<void> scenario(bool fixed) {
  Pool pool(2, fixed);
  std::vector<detio::TaskHandle<void>> clients;
  for (int i = 0; i < 6; ++i) clients.push_back(detio::create_task(client(pool), "client-" + std::to_string(i)));
  for (auto& c : clients) {
    try {
      co_await c;
    } catch (const detio::CancelledError&) {
      // A client cancelled from outside just went away.
    }
  }
  bugzoo::expect(pool.idle() == 2, "connection leaked: " + std::to_string(pool.idle()) +
                                       " of 2 connections idle after every client finished (a connection was "
                                       "handed to a waiter cancelled before it resumed)");
}

}  // namespace

BUGZOO_MAIN(&scenario, "the pool wedged")

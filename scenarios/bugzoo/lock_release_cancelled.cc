// lock_release_cancelled: a distributed lock whose release() forgets its
// token before the release round trip; cancelled during that round trip,
// the lock stays taken on the server and no one can ever release it
// (redis/redis-py#3847, "Async lock can enter a deadlock if it is cancelled
// while being released"; fixed by #3900).
//
// A key-value store reached through a round trip of 100-300 us (an
// in-process stand-in for Redis: SET NX to acquire, compare-and-delete to
// release). Five workers run six jobs each; a job takes the lock, works
// 0.2-2 ms and releases it, all under a 4 ms timeout. When the timeout
// fires during release(), the key stays but the token is gone: every later
// acquire() polls until its own timeout.
//
// Fixed: the token is cleared only once the release round trip completed
// (#3900); a cancelled release() is simply tried again.
//
// Invariant: when every worker is done, the lock is free.
#include <exception>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "zoo.h"

namespace {

using namespace std::chrono_literals;
using bugzoo::between;

// The "server": operations apply atomically halfway through a round trip.
class Store {
 public:
  detio::Task<bool> set_if_absent(std::string key, std::string value) {
    co_await detio::sleep(between(50us, 150us));
    const bool set = data_.emplace(key, value).second;
    co_await detio::sleep(between(50us, 150us));
    co_return set;
  }
  detio::Task<bool> delete_if_equal(std::string key, std::string value) {
    co_await detio::sleep(between(50us, 150us));
    auto it = data_.find(key);
    const bool deleted = it != data_.end() && it->second == value;
    if (deleted) data_.erase(it);
    co_await detio::sleep(between(50us, 150us));
    co_return deleted;
  }
  bool has(const std::string& key) const { return data_.count(key) > 0; }

 private:
  std::map<std::string, std::string> data_;
};

class DistributedLock {
 public:
  DistributedLock(Store& store, bool fixed) : store_(store), fixed_(fixed) {}

  // The token is ours from the start: an acquire() cancelled after the
  // server set the key still knows what to release.
  detio::Task<void> acquire(std::string token) {
    token_ = token;
    for (;;) {
      // g++ 12 miscompiles co_await inside a loop condition: a statement.
      const bool taken = co_await store_.set_if_absent("lock", token);
      if (taken) break;
      co_await detio::sleep(500us);
    }
  }

  detio::Task<void> release() {
    if (!fixed_) {
      const std::string token = *std::exchange(token_, std::nullopt);  // BUG: forgotten before the round trip
      co_await store_.delete_if_equal("lock", token);
      co_return;
    }
    co_await store_.delete_if_equal("lock", *token_);
    token_.reset();  // only once the server has answered
  }

  bool owned() const { return token_.has_value(); }

 private:
  Store& store_;
  bool fixed_;
  std::optional<std::string> token_;
};

detio::Task<void> job(DistributedLock& lock, std::string token) {
  co_await lock.acquire(std::move(token));
  co_await detio::sleep(between(200us, 2ms));  // the critical section
  co_await lock.release();
}

detio::Task<void> worker(Store& store, bool fixed, int id) {
  DistributedLock lock(store, fixed);
  for (int i = 0; i < 6; ++i) {
    co_await detio::sleep(between(0ms, 3ms));
    std::exception_ptr cancelled;
    try {
      co_await detio::wait_for(job(lock, "w" + std::to_string(id) + "-" + std::to_string(i)), 4ms);
    } catch (const detio::TimeoutError&) {
    } catch (const detio::CancelledError&) {
      cancelled = std::current_exception();
    }
    // However the job ended, give the lock back (asyncio: a finally block).
    while (lock.owned()) {
      try {
        co_await lock.release();
      } catch (const detio::CancelledError&) {
        if (!cancelled) cancelled = std::current_exception();
      }
    }
    if (cancelled) std::rethrow_exception(cancelled);
  }
}

detio::Task<void> scenario(bool fixed) {
  Store store;
  std::vector<detio::TaskHandle<void>> workers;
  for (int i = 0; i < 5; ++i) workers.push_back(detio::create_task(worker(store, fixed, i), "worker-" + std::to_string(i)));
  for (auto& w : workers) {
    try {
      co_await w;
    } catch (const detio::CancelledError&) {
    }
  }
  bugzoo::expect(!store.has("lock"),
                 "the lock is stuck: the key is still set after every worker finished, and no worker holds its token "
                 "(a release was cancelled after it forgot the token)");
}

}  // namespace

BUGZOO_MAIN(&scenario, "the workers wedged")

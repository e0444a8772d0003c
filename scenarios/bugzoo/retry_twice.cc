// retry_twice: a client retries a request that timed out, but the first
// attempt was applied; a non-idempotent operation happens twice
// (apify/apify-client-python#990, "Retries can duplicate side effects of
// non-idempotent requests"; aiohttp retries only idempotent methods since
// aio-libs/aiohttp#7363 for this reason).
//
// A counter service reached through a round trip (an in-process stand-in
// for an HTTP API: the increment is applied when the request arrives, the
// answer takes the rest of the trip; one request in 200 is slow, 5-40 ms).
// Four clients send ten increments each, under wait_for(..., 8 ms), and
// retry up to three times on a timeout.
//
// Fixed: every increment carries a request id and the server applies an
// id once, answering a retry with the first answer.
//
// Invariant: the counter equals the increments acknowledged, plus at most
// the ones whose every attempt timed out (those may or may not have been
// applied), never more.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "zoo.h"

namespace {

using namespace std::chrono_literals;
using bugzoo::between;

class Service {
 public:
  explicit Service(bool dedup) : dedup_(dedup) {}

  detio::Task<long> increment(std::string request_id) {
    co_await detio::sleep(between(50us, 200us));  // the request travels
    long value = counter_;
    if (!dedup_ || applied_.count(request_id) == 0) {
      value = ++counter_;
      applied_[request_id] = value;
    } else {
      value = applied_[request_id];
    }
    if (detio::sim::random().chance(1.0 / 200)) co_await detio::sleep(between(5ms, 40ms));  // slow
    co_await detio::sleep(between(50us, 200us));  // the answer travels
    co_return value;
  }

  long counter() const { return counter_; }

 private:
  bool dedup_;
  long counter_ = 0;
  std::map<std::string, long> applied_;
};

struct Tally {
  int acknowledged = 0;
  int in_doubt = 0;  // every attempt timed out, or the client was cancelled
};

detio::Task<void> client(Service& service, int id, Tally& tally) {
  for (int i = 0; i < 10; ++i) {
    co_await detio::sleep(between(0ms, 2ms));
    const std::string request_id = "c" + std::to_string(id) + "-" + std::to_string(i);
    bool acknowledged = false;
    try {
      for (int attempt = 0; attempt < 3 && !acknowledged; ++attempt) {
        try {
          co_await detio::wait_for(service.increment(request_id), 8ms);
          acknowledged = true;
        } catch (const detio::TimeoutError&) {
          // try again
        }
      }
    } catch (const detio::CancelledError&) {
      ++tally.in_doubt;
      throw;
    }
    ++(acknowledged ? tally.acknowledged : tally.in_doubt);
  }
}

detio::Task<void> scenario(bool fixed) {
  Service service(fixed);
  Tally tally;
  std::vector<detio::TaskHandle<void>> clients;
  for (int i = 0; i < 4; ++i) clients.push_back(detio::create_task(client(service, i, tally), "client-" + std::to_string(i)));
  for (auto& c : clients) {
    try {
      co_await c;
    } catch (const detio::CancelledError&) {
    }
  }
  const long counter = service.counter();
  bugzoo::expect(counter >= tally.acknowledged && counter <= tally.acknowledged + tally.in_doubt,
                 "the counter is " + std::to_string(counter) + " for " + std::to_string(tally.acknowledged) +
                     " acknowledged increments (" + std::to_string(tally.in_doubt) +
                     " in doubt): a retried increment was applied twice");
}

}  // namespace

BUGZOO_MAIN(&scenario, "the clients wedged")

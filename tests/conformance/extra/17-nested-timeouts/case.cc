#include <detio/detio.h>

#include <chrono>
#include <cstdio>
#include <string>

using namespace std::chrono_literals;
using detio::Task;

detio::TimePoint start;

// Virtual milliseconds since `start`.
long long ms() { return std::chrono::duration_cast<std::chrono::milliseconds>(detio::now() - start).count(); }

Task<void> inner_expires_first() {
  try {
    co_await detio::timeout(10ms, detio::sleep(1s));
  } catch (const detio::TimeoutError&) {
    std::printf("inner timed out at %lld\n", ms());
  }
  co_await detio::sleep(1s);
}

Task<void> outer_expires_first() {
  try {
    co_await detio::timeout(50ms, detio::sleep(1s));
  } catch (const detio::TimeoutError&) {
    std::printf("inner reported the timeout (wrong)\n");
  } catch (const detio::CancelledError&) {
    std::printf("inner saw CancelledError at %lld\n", ms());
    throw;
  }
}

Task<void> guarded_body() {
  try {
    co_await detio::timeout(1s, detio::sleep(1s));
  } catch (const detio::TimeoutError&) {
    std::printf("body: TimeoutError (wrong)\n");
  } catch (const detio::CancelledError&) {
    std::printf("body: CancelledError at %lld\n", ms());
    throw;
  }
}

Task<void> expired_scope_body() {
  std::printf("expired scope: body starts\n");
  co_await detio::sleep(0ms);
  std::printf("expired scope: not reached\n");
}

Task<void> expired_on_entry() { co_await detio::timeout(-1s, expired_scope_body()); }

Task<void> swallow_body() {
  try {
    co_await detio::sleep(1s);
  } catch (const detio::CancelledError&) {
    std::printf("swallower: caught the cancel at %lld\n", ms());
  }
}

Task<std::string> swallow_then_finish() {
  co_await detio::timeout(10ms, swallow_body());
  co_return "finished normally";
}

Task<void> amain() {
  start = detio::now();
  try {
    co_await detio::timeout(50ms, inner_expires_first());
  } catch (const detio::TimeoutError&) {
    std::printf("outer timed out at %lld\n", ms());
  }

  start = detio::now();
  try {
    co_await detio::timeout(10ms, outer_expires_first());
  } catch (const detio::TimeoutError&) {
    std::printf("outer timed out first at %lld\n", ms());
  }

  start = detio::now();
  auto t = detio::create_task(guarded_body());
  co_await detio::sleep(10ms);
  t.cancel();
  try {
    co_await t;
  } catch (const detio::CancelledError&) {
    std::printf("main: body cancelled, cancelling=%d\n", t.cancelling());
  }

  try {
    co_await expired_on_entry();
  } catch (const detio::TimeoutError&) {
    std::printf("expired scope: TimeoutError\n");
  }

  start = detio::now();
  std::string r = co_await swallow_then_finish();
  std::printf("swallower: %s\n", r.c_str());
}

int main() { detio::sim::run(amain()); }

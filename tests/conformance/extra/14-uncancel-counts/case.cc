#include <detio/detio.h>

#include <chrono>
#include <cstdio>
#include <exception>
#include <string>

using namespace std::chrono_literals;

const char* py(bool b) { return b ? "True" : "False"; }

detio::Task<std::string> stubborn() {
  detio::TaskHandleBase me = detio::current_task();
  for (int i = 0; i < 3; ++i) {
    try {
      co_await detio::sleep(10ms);
      std::printf("stubborn: slept %d, cancelling=%d\n", i, me.cancelling());
    } catch (const detio::CancelledError& e) {
      std::printf("stubborn: cancelled msg=%s cancelling=%d\n", e.message().c_str(), me.cancelling());
      std::printf("stubborn: uncancel -> %d\n", me.uncancel());
    }
  }
  co_return "stubborn done";
}

// C++ cannot co_await inside a catch block: keep the error, clean up after.
detio::Task<void> quitter() {
  std::exception_ptr cancelled;
  try {
    co_await detio::sleep(1s);
  } catch (const detio::CancelledError&) {
    std::printf("quitter: cleaning up\n");
    cancelled = std::current_exception();
  }
  if (!cancelled) co_return;
  co_await detio::sleep(10ms);
  std::printf("quitter: re-raising\n");
  std::rethrow_exception(cancelled);
}

detio::Task<void> amain() {
  auto t = detio::create_task(stubborn());
  co_await detio::sleep(0ms);
  std::printf("main: cancel first -> %s\n", py(t.cancel("first")));
  std::printf("main: cancel second -> %s\n", py(t.cancel("second")));
  std::printf("main: cancelling=%d\n", t.cancelling());
  std::string r = co_await t;
  std::printf("main: %s\n", r.c_str());
  std::printf("main: done=%s cancelled=%s cancel again -> %s\n", py(t.done()), py(t.cancelled()), py(t.cancel()));

  auto q = detio::create_task(quitter());
  co_await detio::sleep(10ms);
  q.cancel("stop");
  co_await detio::sleep(0ms);
  std::printf("main: quitter done=%s cancelling=%d\n", py(q.done()), q.cancelling());
  try {
    co_await q;
  } catch (const detio::CancelledError& e) {
    std::printf("main: quitter cancelled, msg=%s\n", e.message().c_str());
  }
  std::printf("main: quitter cancelled()=%s\n", py(q.cancelled()));

  auto never = detio::create_task(detio::sleep(1s));
  std::printf("main: cancel before start -> %s\n", py(never.cancel()));
  try {
    co_await never;
  } catch (const detio::CancelledError&) {
    std::printf("main: never started, cancelled()=%s\n", py(never.cancelled()));
  }
}

int main() { detio::sim::run(amain()); }

// case.py cancels each task right after resolving what it awaits. Here the
// same cancels come from the simulator: wake-up injection aimed at the two
// tasks (InjectAt::kWakeup, rate 1) lands in the same window, after the
// future resolved and before the task resumed, and the program prints what
// CPython prints.
#include <detio/detio.h>

#include <chrono>
#include <cstdio>
#include <string>

using namespace std::chrono_literals;

detio::Task<void> await_reply(detio::Future<int> reply) {
  try {
    const int v = co_await reply;
    std::printf("waiter: got %d\n", v);
  } catch (const detio::CancelledError&) {
    std::printf("waiter: cancelled\n");
    throw;
  }
}

detio::Task<void> get_one(detio::Queue<std::string>& q) {
  try {
    const std::string item = co_await q.get();
    std::printf("getter: got %s\n", item.c_str());
  } catch (const detio::CancelledError&) {
    std::printf("getter: cancelled\n");
    throw;
  }
}

detio::Task<void> amain() {
  detio::Future<int> reply;
  auto waiter = detio::create_task(await_reply(reply), "waiter");
  co_await detio::sleep(1ms);
  reply.set_result(42);  // case.py: waiter.cancel() here
  try {
    co_await waiter;
    std::printf("main: waiter done\n");
  } catch (const detio::CancelledError&) {
    std::printf("main: waiter ended cancelled\n");
  }
  std::printf("main: waiter cancelling=%d reply=%d\n", waiter.cancelling(), reply.result());

  detio::Queue<std::string> q;
  auto getter = detio::create_task(get_one(q), "getter");
  co_await detio::sleep(1ms);
  q.put_nowait("item");  // case.py: getter.cancel() here
  try {
    co_await getter;
    std::printf("main: getter done\n");
  } catch (const detio::CancelledError&) {
    std::printf("main: getter ended cancelled\n");
  }
  const std::size_t size = q.qsize();  // before get_nowait: argument order is unspecified
  std::printf("main: queue size=%zu item=%s\n", size, q.get_nowait().c_str());
}

int main() {
  detio::sim::Options options;
  options.inject = {.cancel = true, .at = detio::sim::InjectAt::kWakeup, .rate = 1.0, .max_per_run = 2,
                    .tasks = "waiter|getter"};
  detio::sim::run(amain(), options);
}

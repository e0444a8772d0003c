#include <detio/detio.h>

#include <chrono>
#include <cstdio>
#include <tuple>
#include <vector>

using namespace std::chrono_literals;
using detio::Future;

const char* py(bool b) { return b ? "True" : "False"; }

detio::Task<void> set_later(Future<int> fut, int value, detio::Duration delay) {
  co_await detio::sleep(delay);
  if (!fut.done()) fut.set_result(value);
}

detio::Task<int> shielded_waiter(Future<int> f) {
  try {
    co_return co_await detio::shield(f);
  } catch (const detio::CancelledError&) {
    std::printf("waiter: cancelled while shielded\n");
    throw;
  }
}

detio::Task<std::vector<int>> run_gather(Future<int> a, Future<int> b) {
  std::vector<Future<int>> both{a, b};
  co_return co_await detio::gather(both);
}

detio::Task<void> amain() {
  Future<int> f1;
  detio::create_task(set_later(f1, 1, 10ms));
  std::printf("wait_for(f1) -> %d\n", co_await detio::wait_for(f1, 500ms));

  Future<int> f2;
  try {
    co_await detio::wait_for(f2, 20ms);
  } catch (const detio::TimeoutError&) {
    std::printf("wait_for(f2) timed out, f2 cancelled=%s\n", py(f2.cancelled()));
  }

  Future<int> f3;
  f3.set_result(3);
  std::printf("wait_for(f3, 0) -> %d\n", co_await detio::wait_for(f3, 0s));

  Future<int> f4;
  try {
    co_await detio::wait_for(f4, 0s);
  } catch (const detio::TimeoutError&) {
    std::printf("wait_for(f4, 0) timed out, f4 cancelled=%s\n", py(f4.cancelled()));
  }

  Future<int> f5;
  auto w = detio::create_task(shielded_waiter(f5));
  co_await detio::sleep(10ms);
  w.cancel();
  try {
    co_await w;
  } catch (const detio::CancelledError&) {
    std::printf("main: waiter cancelled, f5 cancelled=%s\n", py(f5.cancelled()));
  }
  f5.set_result(5);
  std::printf("f5 -> %d\n", co_await f5);

  Future<int> f6, f7;
  detio::create_task(set_later(f6, 6, 20ms));
  detio::create_task(set_later(f7, 7, 10ms));
  auto [six, seven] = co_await detio::gather(f6, f7);
  std::printf("gather(f6, f7) -> [%d, %d]\n", six, seven);

  Future<int> f8, f9;
  auto g = detio::create_task(run_gather(f8, f9));
  co_await detio::sleep(10ms);
  g.cancel();
  try {
    co_await g;
  } catch (const detio::CancelledError&) {
    std::printf("main: gather cancelled, f8 cancelled=%s, f9 cancelled=%s\n", py(f8.cancelled()),
                py(f9.cancelled()));
  }

  Future<int> ok, bad;
  ok.set_result(10);
  bad.set_exception(std::make_exception_ptr(detio::ValueError("bad")));
  std::vector<Future<int>> both{ok, bad};
  std::vector<detio::Outcome<int>> results = co_await detio::gather_settled(both);
  try {
    std::rethrow_exception(results[1].error());
  } catch (const detio::ValueError& e) {
    std::printf("gather(return_exceptions) -> %d, ValueError(%s)\n", results[0].value(), e.what());
  }
}

int main() { detio::sim::run(amain()); }

// get_running_loop, call_soon_threadsafe and run_coroutine_threadsafe under
// the simulator: deterministic on the simulation's own thread (queued like
// call_soon, in order), refused with a clear RuntimeError from any other
// thread, and a ConcurrentFuture that would block its own loop's thread
// throws instead of hanging.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "../loop/test_util.h"
#include "../support/outcomes.h"

using namespace std::chrono_literals;

namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using detio::Task;

// An error's message, or "no error".
template <class F>
std::string error_message(F f) {
  try {
    f();
  } catch (const detio::Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(SimThreadsafe, CallSoonThreadsafeQueuesLikeCallSoonInPostingOrder) {
  std::vector<std::string> log;
  detio::sim::run([&]() -> Task<void> {
    detio::LoopHandle loop = detio::get_running_loop();
    EXPECT_TRUE(loop.valid());
    detio::call_soon([&] { log.push_back("call_soon 1"); });
    loop.call_soon_threadsafe([&] { log.push_back("threadsafe 1"); });
    detio::call_soon([&] { log.push_back("call_soon 2"); });
    detio::call_soon_threadsafe(loop, [&] { log.push_back("threadsafe 2"); });
    log.push_back("posted");
    co_await detio::sleep(0ms);
    log.push_back("after one iteration");
  }());
  EXPECT_THAT(log, ElementsAre("posted", "call_soon 1", "threadsafe 1", "call_soon 2", "threadsafe 2",
                               "after one iteration"));
}

TEST(SimThreadsafe, ToThreadFunctionsRunInlineAndMayPost) {
  std::vector<std::string> log;
  detio::sim::run([&]() -> Task<void> {
    detio::LoopHandle loop = detio::get_running_loop();
    auto work = [&log, loop] {
      loop.call_soon_threadsafe([&log] { log.push_back("posted from to_thread"); });
      return 7;
    };
    EXPECT_EQ(co_await detio::to_thread(work), 7);
    co_await detio::sleep(0ms);
    log.push_back("main");
  }());
  EXPECT_THAT(log, ElementsAre("posted from to_thread", "main"));
}

TEST(SimThreadsafe, AnotherThreadIsRefusedWithTheReason) {
  std::string call_error;
  std::string coroutine_error;
  detio::sim::run([&]() -> Task<void> {
    detio::LoopHandle loop = detio::get_running_loop();
    std::thread other([&, loop] {
      call_error = error_message([&] { loop.call_soon_threadsafe([] {}); });
      coroutine_error = error_message([&] {
        detio::run_coroutine_threadsafe([]() -> Task<int> { co_return 1; }(), loop);
      });
    });
    other.join();
    co_return;
  }());
  EXPECT_THAT(call_error, HasSubstr("call_soon_threadsafe from another thread on a simulated loop"));
  EXPECT_THAT(call_error, HasSubstr("the simulator runs on one thread"));
  EXPECT_THAT(coroutine_error, HasSubstr("run_coroutine_threadsafe from another thread"));
}

Task<int> add_later(int a, int b) {
  co_await detio::sleep(5ms);
  co_return a + b;
}

TEST(SimThreadsafe, RunCoroutineThreadsafeRunsTheTaskAndBlockingOnTheLoopThreadThrows) {
  detio::sim::run([&]() -> Task<void> {
    detio::ConcurrentFuture<int> f = detio::run_coroutine_threadsafe(add_later(20, 22), detio::get_running_loop());
    EXPECT_FALSE(f.done());
    EXPECT_THAT(error_message([&] { f.get(); }), HasSubstr("would wait forever"));
    EXPECT_THAT(error_message([&] { f.wait_for(std::chrono::seconds(1)); }), HasSubstr("would wait forever"));
    co_await detio::sleep(5ms);
    EXPECT_FALSE(f.done());  // the task started one iteration after posting
    co_await detio::sleep(1ms);
    EXPECT_TRUE(f.done());
    EXPECT_EQ(f.get(), 42);
    EXPECT_EQ(detio::now().time_since_epoch(), std::chrono::milliseconds(6));

    detio::ConcurrentFuture<int> cancelled =
        detio::run_coroutine_threadsafe(add_later(1, 2), detio::get_running_loop());
    co_await detio::sleep(1ms);
    EXPECT_TRUE(cancelled.cancel());
    EXPECT_THROW(cancelled.get(), detio::CancelledError);
  }());
}

TEST(SimThreadsafe, AHandleOutlivingItsRunSaysTheLoopIsClosed) {
  detio::LoopHandle kept;
  detio::sim::run([&]() -> Task<void> {
    kept = detio::get_running_loop();
    co_return;
  }());
  EXPECT_EQ(error_message([&] { kept.call_soon_threadsafe([] {}); }), "Event loop is closed");
}

TEST(SimThreadsafe, SameSeedSameRun) {
  auto once = [] {
    std::vector<int> order;
    detio::sim::run([&]() -> Task<void> {
      detio::LoopHandle loop = detio::get_running_loop();
      for (int i = 0; i < 5; ++i) {
        detio::call_later(std::chrono::milliseconds(5 - i), [&order, i] { order.push_back(10 + i); });
        loop.call_soon_threadsafe([&order, i] { order.push_back(i); });
      }
      co_await detio::sleep(10ms);
    }(), {.seed = 3});
    return std::pair(order, detio::sim::last_trace_hash());
  };
  const auto first = once();
  EXPECT_THAT(first.first, ElementsAre(0, 1, 2, 3, 4, 14, 13, 12, 11, 10));
  EXPECT_EQ(once(), first);
}

TEST(SimThreadsafe, OutsideAnyLoopThereIsNoRunningLoop) {
  EXPECT_THAT(error_message([] { detio::get_running_loop(); }), HasSubstr("no running detio loop"));
}

}  // namespace

// Threads and the real loop: call_soon_threadsafe and
// run_coroutine_threadsafe from other threads (the eventfd wakes a loop
// blocked in epoll_wait), LoopHandle after the loop ended, to_thread on the
// bounded worker pool (parallel, bounded, cancellable), and blocking on the
// loop's own thread refused. Run under TSan in CI (the "tsan" preset). The
// simulator's side: tests/sim/sim_threadsafe_test.cc.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <detio/detio.h>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "../support/outcomes.h"

using namespace std::chrono_literals;
using detio::Task;
using detio_test::outcome_of;

namespace {

TEST(CallSoonThreadsafe, WakesALoopBlockedInEpollWaitAndRunsOnTheLoopThread) {
  const std::thread::id loop_thread = std::this_thread::get_id();
  std::thread::id ran_on;
  detio::run([&]() -> Task<void> {
    detio::Future<int> result;
    detio::LoopHandle loop = detio::get_running_loop();
    // Loop objects (the Future) are touched on the loop thread only: the
    // other thread passes a pointer along without using it.
    detio::Future<int>* target = &result;
    std::thread worker([loop, target, &ran_on] {
      std::this_thread::sleep_for(20ms);  // the loop is asleep by now
      loop.call_soon_threadsafe([target, &ran_on] {
        ran_on = std::this_thread::get_id();
        target->set_result(42);
      });
    });
    EXPECT_EQ(co_await result, 42);
    worker.join();
  }());
  EXPECT_EQ(ran_on, loop_thread);
}

TEST(CallSoonThreadsafe, CallbacksFromManyThreadsAllRunInEachThreadsOrder) {
  constexpr int kThreads = 4;
  constexpr int kEach = 2000;
  std::vector<std::vector<int>> seen(kThreads);
  detio::run([&]() -> Task<void> {
    detio::LoopHandle loop = detio::get_running_loop();
    int remaining = kThreads * kEach;
    detio::Event all_done;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t, loop] {
        for (int i = 0; i < kEach; ++i) {
          detio::call_soon_threadsafe(loop, [&, t, i] {
            seen[t].push_back(i);
            if (--remaining == 0) all_done.set();
          });
        }
      });
    }
    co_await all_done.wait();
    for (std::thread& th : threads) th.join();
  }());
  for (const auto& s : seen) {
    ASSERT_EQ(s.size(), static_cast<std::size_t>(kEach));
    for (int i = 0; i < kEach; ++i) EXPECT_EQ(s[i], i);
  }
}

TEST(CallSoonThreadsafe, AHandleOutlivingItsLoopThrowsEventLoopIsClosed) {
  detio::LoopHandle kept;
  detio::run([&]() -> Task<void> {
    kept = detio::get_running_loop();
    co_return;
  }());
  EXPECT_EQ(detio_test::outcome_of_call([&] { kept.call_soon_threadsafe([] {}); }), "RuntimeError");
  EXPECT_EQ(detio_test::outcome_of_call([&] {
              detio::run_coroutine_threadsafe([]() -> Task<int> { co_return 1; }(), kept);
            }),
            "RuntimeError");
}

TEST(CallSoonThreadsafe, NoLoopOutsideRun) {
  EXPECT_THROW(detio::get_running_loop(), detio::RuntimeError);
}

Task<int> slow_add(int a, int b) {
  co_await detio::sleep(5ms);
  co_return a + b;
}

Task<int> never_finishes() {
  co_await detio::sleep(1h);
  co_return 0;
}

TEST(RunCoroutineThreadsafe, ReturnsTheResultToAnotherThread) {
  int got = 0;
  std::string error;
  detio::run([&]() -> Task<void> {
    detio::LoopHandle loop = detio::get_running_loop();
    std::atomic<bool> finished{false};
    std::thread client([&, loop] {
      detio::ConcurrentFuture<int> f = detio::run_coroutine_threadsafe(slow_add(20, 22), loop);
      got = f.get();
      detio::ConcurrentFuture<void> bad = detio::run_coroutine_threadsafe(
          []() -> Task<void> {
            co_await detio::sleep(1ms);
            throw std::runtime_error("coroutine failed");
          }(),
          loop);
      error = detio_test::outcome_of_call([&] { bad.get(); });
      finished = true;
    });
    while (!finished) co_await detio::sleep(1ms);
    client.join();
  }());
  EXPECT_EQ(got, 42);
  EXPECT_EQ(error, "runtime_error(coroutine failed)");
}

// Blocking on the loop's own thread could never return: the loop would
// have to run the coroutine meanwhile.
TEST(RunCoroutineThreadsafe, BlockingOnTheLoopsOwnThreadThrowsInsteadOfHanging) {
  detio::run([&]() -> Task<void> {
    detio::ConcurrentFuture<int> f = detio::run_coroutine_threadsafe(slow_add(1, 2), detio::get_running_loop());
    EXPECT_THROW(f.get(), detio::RuntimeError);
    EXPECT_THROW(f.wait(), detio::RuntimeError);
    while (!f.done()) co_await detio::sleep(1ms);
    EXPECT_EQ(f.get(), 3);  // settled: nothing to wait for
  }());
}

TEST(RunCoroutineThreadsafe, CancelFromTheOtherThreadCancelsTheTask) {
  bool task_saw_cancel = false;
  detio::run([&]() -> Task<void> {
    detio::LoopHandle loop = detio::get_running_loop();
    detio::Event started;
    auto forever = [&]() -> Task<int> {
      started.set();
      try {
        co_await detio::sleep(1h);
      } catch (const detio::CancelledError&) {
        task_saw_cancel = true;
        throw;
      }
      co_return 0;
    };
    detio::ConcurrentFuture<int> f = detio::run_coroutine_threadsafe(forever(), loop);
    co_await started.wait();
    std::thread canceller([f]() mutable {
      EXPECT_FALSE(f.done());
      EXPECT_TRUE(f.cancel());
      EXPECT_TRUE(f.cancelled());
      EXPECT_FALSE(f.cancel());
      EXPECT_THROW(f.get(), detio::CancelledError);
    });
    while (!task_saw_cancel) co_await detio::sleep(1ms);
    canceller.join();
  }());
  EXPECT_TRUE(task_saw_cancel);
}

TEST(RunCoroutineThreadsafe, AFutureWhoseLoopEndsFirstDoesNotHang) {
  detio::ConcurrentFuture<int> started;
  detio::ConcurrentFuture<int> never_started;
  detio::run([&]() -> Task<void> {
    started = detio::run_coroutine_threadsafe(never_finishes(), detio::get_running_loop());
    co_await detio::sleep(1ms);  // the task starts, then main ends: it is cancelled
    never_started = detio::run_coroutine_threadsafe(slow_add(3, 4), detio::get_running_loop());
  }());
  ASSERT_TRUE(started.wait_for(1s));
  EXPECT_THROW(started.get(), detio::CancelledError);
  ASSERT_TRUE(never_started.wait_for(1s));
  // "Event loop is closed", or cancelled if it got in while run() shut down.
  EXPECT_ANY_THROW(never_started.get());
}

TEST(ToThread, RunsCallsInParallelOnWorkers) {
  detio::run([&]() -> Task<void> {
    // Four calls that each wait for all four to have started: they can
    // only finish if they run at the same time.
    std::atomic<int> started{0};
    auto rendezvous = [&] {
      started.fetch_add(1);
      const auto deadline = std::chrono::steady_clock::now() + 5s;
      while (started.load() < 4 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
      return started.load();
    };
    std::vector<Task<int>> calls;
    for (int i = 0; i < 4; ++i) calls.push_back(detio::to_thread(rendezvous));
    for (int n : co_await detio::gather(std::move(calls))) EXPECT_EQ(n, 4);
  }());
}

TEST(ToThread, ThePoolIsBoundedAndQueuesTheRest) {
  const std::size_t max_threads = detio::internal::WorkerPool::default_max_threads();
  std::atomic<int> running{0};
  std::atomic<int> peak{0};
  detio::run([&]() -> Task<void> {
    auto work = [&] {
      const int now = running.fetch_add(1) + 1;
      int p = peak.load();
      while (now > p && !peak.compare_exchange_weak(p, now)) {
      }
      std::this_thread::sleep_for(2ms);
      running.fetch_sub(1);
    };
    std::vector<Task<void>> calls;
    for (std::size_t i = 0; i < 3 * max_threads; ++i) calls.push_back(detio::to_thread(work));
    co_await detio::gather(std::move(calls));
    EXPECT_LE(detio::internal::current_worker_pool()->thread_count(), max_threads);
  }());
  EXPECT_LE(static_cast<std::size_t>(peak.load()), max_threads);
  EXPECT_GE(peak.load(), 2);
}

TEST(ToThread, CancellingTheAwaitAbandonsTheResultButNotTheCall) {
  std::atomic<bool> call_finished{false};
  std::atomic<bool> release{false};  // outlives the loop: the call still reads it
  detio::run([&]() -> Task<void> {
    auto blocking = [&] {
      while (!release.load()) std::this_thread::sleep_for(1ms);
      call_finished = true;
      return std::string("nobody reads this");
    };
    const detio::TimePoint start = detio::now();
    EXPECT_EQ(co_await outcome_of(detio::wait_for(detio::to_thread(blocking), 20ms)), "TimeoutError");
    EXPECT_LT(detio::now() - start, 1s);  // the loop did not wait for the thread
    release = true;
    // run() joins the worker before returning.
  }());
  EXPECT_TRUE(call_finished);
}

// The worker blocks until the loop has ticked 10 times (or gives up after
// 30 s), so the test depends on no timing: a loop that stopped serving while
// the worker blocks never ticks and fails it, however fast the machine.
TEST(ToThread, TheLoopKeepsServingWhileAWorkerBlocks) {
  std::atomic<int> ticks{0};
  detio::run([&]() -> Task<void> {
    auto tick = [&]() -> Task<void> {
      while (true) {
        co_await detio::sleep(1ms);
        ++ticks;
      }
    };
    auto ticker = detio::create_task(tick());
    const bool saw_ticks = co_await detio::to_thread([&] {
      const auto give_up = std::chrono::steady_clock::now() + 30s;
      while (ticks.load() < 10 && std::chrono::steady_clock::now() < give_up) std::this_thread::sleep_for(1ms);
      return ticks.load() >= 10;
    });
    EXPECT_TRUE(saw_ticks);
    ticker.cancel();
  }());
  EXPECT_GE(ticks.load(), 10);
}

}  // namespace

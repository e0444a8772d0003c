// detio::Queue / PriorityQueue / LifoQueue: order, bounds, blocking put and
// get, cancel-safety (no item lost, wake-ups passed on), timeouts,
// task_done/join, shutdown (graceful and immediate), move-only items, a
// seeded producer/consumer run with random cancellations.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "detio/detio.h"
#include "primitive_test_util.h"

using namespace std::chrono_literals;
using detio::Task;

namespace {

using namespace primitive_test;

template <class Q>
Task<void> get_and_log(Q& q, Log& log, std::string name) {
  auto item = co_await q.get();
  log.push_back(name + "=" + std::to_string(item) + "@" + std::to_string(ms()));
}

template <class Q>
std::vector<int> drain(Q& q) {
  std::vector<int> out;
  while (!q.empty()) out.push_back(q.get_nowait());
  return out;
}

// How a Task or awaitable (q.get(), q.put(x)) ended: its value, or the error.
template <class Awaitable>
Task<std::string> outcome(Awaitable t) {
  using T = typename Awaitable::value_type;
  try {
    if constexpr (std::is_void_v<T>) {
      co_await std::move(t);
      co_return "ok";
    } else {
      co_return std::to_string(co_await std::move(t));
    }
  } catch (const detio::QueueShutDown&) {
    co_return "QueueShutDown";
  } catch (const detio::CancelledError&) {
    co_return "CancelledError";
  }
}

TEST(Queue, FifoOrderAndSizeQueries) {
  run([]() -> Task<void> {
    detio::Queue<int> q;
    EXPECT_EQ(q.maxsize(), 0);
    EXPECT_TRUE(q.empty());
    EXPECT_FALSE(q.full());
    EXPECT_EQ(q.qsize(), 0u);
    for (int i = 1; i <= 100; ++i) q.put_nowait(i);
    EXPECT_FALSE(q.full());  // maxsize 0 is unbounded
    EXPECT_EQ(q.qsize(), 100u);
    co_await q.put(101);
    EXPECT_EQ(co_await q.get(), 1);
    EXPECT_EQ(q.get_nowait(), 2);
    EXPECT_EQ(q.qsize(), 99u);
    std::vector<int> expected;
    for (int i = 3; i <= 101; ++i) expected.push_back(i);
    EXPECT_EQ(drain(q), expected);
    EXPECT_EQ(ms(), 0);
  });
}

TEST(Queue, BoundedQueueReportsFullAndRejectsPutNowait) {
  run([]() -> Task<void> {
    detio::Queue<std::string> q(2);
    EXPECT_EQ(q.maxsize(), 2);
    q.put_nowait("a");
    std::string b = "b";
    q.put_nowait(b);
    EXPECT_TRUE(q.full());
    std::string c = "c";
    EXPECT_THROW(q.put_nowait(std::move(c)), detio::QueueFull);
    EXPECT_EQ(c, "c");  // a rejected item is left untouched
    EXPECT_EQ(q.qsize(), 2u);
    EXPECT_EQ(q.get_nowait(), "a");
    EXPECT_FALSE(q.full());
    EXPECT_EQ(q.get_nowait(), "b");
    try {
      q.get_nowait();
      ADD_FAILURE() << "expected QueueEmpty";
    } catch (const detio::QueueEmpty& e) {
      EXPECT_STREQ(e.what(), "queue is empty");
    }
    co_return;
  });
  run([]() -> Task<void> {
    detio::Queue<int> negative(-1);  // <= 0 is unbounded, as in asyncio
    for (int i = 0; i < 10; ++i) negative.put_nowait(i);
    EXPECT_FALSE(negative.full());
    EXPECT_EQ(negative.maxsize(), -1);
    co_return;
  });
}

TEST(Queue, GetWaitsForAPut) {
  run([]() -> Task<void> {
    detio::Queue<int> q;
    Log log;
    auto getter = detio::create_task(get_and_log(q, log, "g"));
    co_await detio::sleep(5ms);
    EXPECT_TRUE(log.empty());
    co_await q.put(7);
    co_await getter;
    EXPECT_EQ(log, (Log{"g=7@5"}));
    EXPECT_TRUE(q.empty());
  });
}

TEST(Queue, PutWaitsForAFreeSlot) {
  run([]() -> Task<void> {
    detio::Queue<int> q(1);
    Log log;
    co_await q.put(1);
    auto putter = spawn([&]() -> Task<void> {
      co_await q.put(2);
      log.push_back("put 2@" + std::to_string(ms()));
    });
    co_await detio::sleep(5ms);
    EXPECT_TRUE(log.empty());
    EXPECT_EQ(q.qsize(), 1u);
    EXPECT_EQ(q.get_nowait(), 1);
    co_await putter;
    EXPECT_EQ(log, (Log{"put 2@5"}));
    EXPECT_EQ(drain(q), (std::vector<int>{2}));
  });
}

TEST(Queue, GettersAndPuttersAreServedInFifoOrder) {
  run([]() -> Task<void> {
    detio::Queue<int> q(1);
    Log log;
    auto a = detio::create_task(get_and_log(q, log, "a"));
    auto b = detio::create_task(get_and_log(q, log, "b"));
    auto c = detio::create_task(get_and_log(q, log, "c"));
    co_await detio::sleep(1ms);
    co_await q.put(1);
    co_await q.put(2);
    co_await q.put(3);
    co_await a;
    co_await b;
    co_await c;
    EXPECT_EQ(log, (Log{"a=1@1", "b=2@1", "c=3@1"}));

    q.put_nowait(0);
    std::vector<detio::TaskHandle<void>> putters;
    for (int i = 10; i < 13; ++i) putters.push_back(spawn([&q, i]() -> Task<void> { co_await q.put(i); }));
    co_await detio::sleep(1ms);
    std::vector<int> got;
    for (int i = 0; i < 4; ++i) got.push_back(co_await q.get());
    EXPECT_EQ(got, (std::vector<int>{0, 10, 11, 12}));
    for (auto& p : putters) co_await p;
  });
}

TEST(Queue, ACancelledGetTakesNoItem) {
  // Conformance case 07: the getter is cancelled in the same step as the
  // put that woke it; the item stays in the queue.
  run([]() -> Task<void> {
    detio::Queue<std::string> q;
    auto getter = spawn([&]() -> Task<std::string> { co_return co_await q.get(); });
    co_await detio::sleep(0ms);
    getter.cancel();
    q.put_nowait("first");
    EXPECT_THROW(co_await getter, detio::CancelledError);
    EXPECT_EQ(q.qsize(), 1u);
    EXPECT_EQ(q.get_nowait(), "first");
  });
}

TEST(Queue, AGetterWokenThenCancelledWakesTheNextGetter) {
  run([]() -> Task<void> {
    detio::Queue<int> q;
    Log log;
    auto a = detio::create_task(get_and_log(q, log, "a"));
    auto b = detio::create_task(get_and_log(q, log, "b"));
    auto c = detio::create_task(get_and_log(q, log, "c"));
    co_await detio::sleep(1ms);
    q.put_nowait(42);  // wakes a ...
    a.cancel();        // ... which is cancelled before it runs
    EXPECT_THROW(co_await a, detio::CancelledError);
    co_await b;
    EXPECT_EQ(log, (Log{"b=42@1"}));
    EXPECT_TRUE(q.empty());
    EXPECT_FALSE(c.done());
    q.put_nowait(43);
    co_await c;
    EXPECT_EQ(log, (Log{"b=42@1", "c=43@1"}));
  });
}

TEST(Queue, APutterWokenThenCancelledWakesTheNextPutter) {
  run([]() -> Task<void> {
    detio::Queue<int> q(1);
    q.put_nowait(1);
    auto a = spawn([&]() -> Task<void> { co_await q.put(2); });
    auto b = spawn([&]() -> Task<void> { co_await q.put(3); });
    co_await detio::sleep(1ms);
    EXPECT_EQ(q.get_nowait(), 1);  // wakes a ...
    a.cancel();                    // ... which is cancelled before it runs
    EXPECT_THROW(co_await a, detio::CancelledError);
    co_await b;
    EXPECT_EQ(drain(q), (std::vector<int>{3}));
  });
}

TEST(Queue, CancelledWaitersLeaveNoTrace) {
  run([]() -> Task<void> {
    detio::Queue<int> q(1);
    // A getter cancelled while waiting: the next put goes to the next getter.
    auto g1 = spawn([&]() -> Task<int> { co_return co_await q.get(); });
    auto g2 = spawn([&]() -> Task<int> { co_return co_await q.get(); });
    co_await detio::sleep(1ms);
    g1.cancel();
    EXPECT_THROW(co_await g1, detio::CancelledError);
    q.put_nowait(5);
    EXPECT_EQ(co_await g2, 5);
    EXPECT_TRUE(q.empty());
    // A putter cancelled while waiting adds nothing.
    q.put_nowait(6);
    auto p = spawn([&]() -> Task<void> { co_await q.put(7); });
    co_await detio::sleep(1ms);
    p.cancel();
    EXPECT_THROW(co_await p, detio::CancelledError);
    EXPECT_EQ(drain(q), (std::vector<int>{6}));
    EXPECT_EQ(ms(), 2);
  });
}

TEST(Queue, WaitForAroundGetAndPut) {
  run([]() -> Task<void> {
    detio::Queue<int> q(1);
    EXPECT_THROW(co_await detio::wait_for(q.get(), 5ms), detio::TimeoutError);
    EXPECT_EQ(ms(), 5);
    q.put_nowait(1);
    EXPECT_EQ(co_await detio::wait_for(q.get(), 5ms), 1);
    q.put_nowait(2);
    EXPECT_THROW(co_await detio::timeout(5ms, q.put(3)), detio::TimeoutError);
    EXPECT_EQ(ms(), 10);
    EXPECT_EQ(drain(q), (std::vector<int>{2}));
    // A later getter is not stuck behind the timed-out one.
    Log log;
    auto g = detio::create_task(get_and_log(q, log, "g"));
    co_await detio::sleep(1ms);
    q.put_nowait(4);
    co_await g;
    EXPECT_EQ(log, (Log{"g=4@11"}));
  });
}

TEST(Queue, JoinWaitsForTaskDoneOnEveryItem) {
  run([]() -> Task<void> {
    detio::Queue<int> q;
    co_await q.join();  // nothing unfinished: immediate
    EXPECT_EQ(ms(), 0);
    Log log;
    auto worker = spawn([&]() -> Task<void> {
      while (true) {
        int item = co_await q.get();
        co_await detio::sleep(2ms);
        log.push_back("done " + std::to_string(item) + "@" + std::to_string(ms()));
        q.task_done();
      }
    });
    for (int i = 1; i <= 3; ++i) q.put_nowait(i);
    auto joiner = spawn([&]() -> Task<void> {
      co_await q.join();
      log.push_back("joined@" + std::to_string(ms()));
    });
    co_await q.join();
    log.push_back("main joined@" + std::to_string(ms()));
    co_await joiner;
    EXPECT_EQ(log, (Log{"done 1@2", "done 2@4", "done 3@6", "main joined@6", "joined@6"}));
    worker.cancel();
    EXPECT_THROW(co_await worker, detio::CancelledError);
    try {
      q.task_done();
      ADD_FAILURE() << "expected ValueError";
    } catch (const detio::ValueError& e) {
      EXPECT_STREQ(e.what(), "task_done() called too many times");
    }
  });
}

TEST(Queue, TaskDoneWithoutAnyPutIsAValueError) {
  detio::Queue<int> q;
  EXPECT_THROW(q.task_done(), detio::ValueError);
  q.put_nowait(1);
  (void)q.get_nowait();
  q.task_done();
  EXPECT_THROW(q.task_done(), detio::ValueError);
}

TEST(Queue, JoinCountsItemsNotGets) {
  run([]() -> Task<void> {
    detio::Queue<int> q;
    q.put_nowait(1);
    q.put_nowait(2);
    (void)q.get_nowait();
    (void)q.get_nowait();
    q.task_done();
    // One item is still unfinished although the queue is empty.
    EXPECT_THROW(co_await detio::timeout(3ms, q.join()), detio::TimeoutError);
    q.task_done();
    co_await q.join();
    EXPECT_EQ(ms(), 3);
  });
}

TEST(PriorityQueue, SmallestItemFirst) {
  run([]() -> Task<void> {
    detio::PriorityQueue<int> q;
    for (int v : {5, 1, 4, 1, 3, 9, 2, 6}) q.put_nowait(v);
    EXPECT_EQ(drain(q), (std::vector<int>{1, 1, 2, 3, 4, 5, 6, 9}));

    detio::PriorityQueue<std::pair<int, std::string>> jobs;
    co_await jobs.put({3, "low"});
    co_await jobs.put({1, "urgent"});
    co_await jobs.put({2, "normal"});
    EXPECT_EQ((co_await jobs.get()).second, "urgent");
    EXPECT_EQ((co_await jobs.get()).second, "normal");
    EXPECT_EQ((co_await jobs.get()).second, "low");

    detio::PriorityQueue<int, std::greater<int>> largest_first(3);
    for (int v : {2, 7, 4}) largest_first.put_nowait(v);
    EXPECT_TRUE(largest_first.full());
    EXPECT_THROW(largest_first.put_nowait(1), detio::QueueFull);
    EXPECT_EQ(drain(largest_first), (std::vector<int>{7, 4, 2}));
  });
}

TEST(PriorityQueue, AWaitingGetterGetsTheSmallestAtWakeUp) {
  run([]() -> Task<void> {
    detio::PriorityQueue<int> q;
    Log log;
    auto g = detio::create_task(get_and_log(q, log, "g"));
    co_await detio::sleep(1ms);
    q.put_nowait(8);  // wakes g ...
    q.put_nowait(3);  // ... which takes the smallest when it runs
    co_await g;
    EXPECT_EQ(log, (Log{"g=3@1"}));
    EXPECT_EQ(drain(q), (std::vector<int>{8}));
  });
}

TEST(LifoQueue, MostRecentItemFirst) {
  run([]() -> Task<void> {
    detio::LifoQueue<int> q(3);
    co_await q.put(1);
    co_await q.put(2);
    co_await q.put(3);
    EXPECT_TRUE(q.full());
    EXPECT_EQ(co_await q.get(), 3);
    q.put_nowait(4);
    EXPECT_EQ(drain(q), (std::vector<int>{4, 2, 1}));
  });
}

TEST(Queue, MoveOnlyItems) {
  run([]() -> Task<void> {
    detio::Queue<std::unique_ptr<int>> q(1);
    co_await q.put(std::make_unique<int>(1));
    auto putter = spawn([&]() -> Task<void> { co_await q.put(std::make_unique<int>(2)); });
    std::unique_ptr<int> first = co_await q.get();
    std::unique_ptr<int> second = co_await q.get();
    co_await putter;
    EXPECT_EQ(*first, 1);
    EXPECT_EQ(*second, 2);
    detio::LifoQueue<std::unique_ptr<int>> lifo;
    lifo.put_nowait(std::make_unique<int>(3));
    EXPECT_EQ(*lifo.get_nowait(), 3);
  });
}

TEST(Queue, ShutdownWakesBlockedGettersAndRejectsPuts) {
  run([]() -> Task<void> {
    detio::Queue<int> q;
    auto g1 = detio::create_task(outcome(q.get()));
    auto g2 = detio::create_task(outcome(q.get()));
    co_await detio::sleep(1ms);
    EXPECT_FALSE(q.is_shut_down());
    q.shutdown();
    EXPECT_TRUE(q.is_shut_down());
    EXPECT_EQ(co_await g1, "QueueShutDown");
    EXPECT_EQ(co_await g2, "QueueShutDown");
    try {
      q.put_nowait(1);
      ADD_FAILURE() << "expected QueueShutDown";
    } catch (const detio::QueueShutDown& e) {
      EXPECT_STREQ(e.what(), "queue is shut down");
    }
    EXPECT_EQ(co_await outcome(q.put(1)), "QueueShutDown");
    EXPECT_THROW(q.get_nowait(), detio::QueueShutDown);
    EXPECT_EQ(co_await outcome(q.get()), "QueueShutDown");
    q.shutdown();  // again: harmless
  });
}

TEST(Queue, GracefulShutdownStillHandsOutTheRemainingItems) {
  run([]() -> Task<void> {
    detio::Queue<int> q(2);
    q.put_nowait(1);
    q.put_nowait(2);
    auto putter = detio::create_task(outcome(q.put(3)));
    co_await detio::sleep(1ms);
    q.shutdown();
    EXPECT_EQ(co_await putter, "QueueShutDown");  // a blocked put is woken
    EXPECT_EQ(q.qsize(), 2u);
    EXPECT_EQ(co_await q.get(), 1);
    EXPECT_EQ(q.get_nowait(), 2);
    EXPECT_EQ(co_await outcome(q.get()), "QueueShutDown");
    // join() still needs task_done() for the items handed out.
    EXPECT_THROW(co_await detio::timeout(1ms, q.join()), detio::TimeoutError);
    q.task_done();
    q.task_done();
    co_await q.join();
  });
}

TEST(Queue, ImmediateShutdownDropsItemsAndReleasesJoin) {
  run([]() -> Task<void> {
    detio::Queue<int> q(3);
    for (int i = 0; i < 3; ++i) q.put_nowait(i);
    auto putter = detio::create_task(outcome(q.put(9)));
    Log log;
    auto joiner = spawn([&]() -> Task<void> {
      co_await q.join();
      log.push_back("joined@" + std::to_string(ms()));
    });
    co_await detio::sleep(2ms);
    q.shutdown(true);
    EXPECT_TRUE(q.empty());
    EXPECT_EQ(q.qsize(), 0u);
    EXPECT_EQ(co_await putter, "QueueShutDown");
    co_await joiner;
    EXPECT_EQ(log, (Log{"joined@2"}));
    EXPECT_THROW(q.get_nowait(), detio::QueueShutDown);
    EXPECT_EQ(co_await outcome(q.get()), "QueueShutDown");
    EXPECT_THROW(q.task_done(), detio::ValueError);  // all counted done
  });
}

TEST(Queue, ImmediateShutdownKeepsCountsForItemsAlreadyTaken) {
  run([]() -> Task<void> {
    detio::Queue<int> q;
    q.put_nowait(1);
    q.put_nowait(2);
    (void)q.get_nowait();  // taken, not yet task_done
    q.shutdown(true);      // drops 2 and counts it done
    EXPECT_THROW(co_await detio::timeout(1ms, q.join()), detio::TimeoutError);
    q.task_done();
    co_await q.join();
    EXPECT_THROW(q.task_done(), detio::ValueError);
  });
}

TEST(Queue, AGetterCancelledAfterAShutdownWakeUpStillSeesShutdown) {
  run([]() -> Task<void> {
    detio::Queue<int> q;
    auto g = detio::create_task(outcome(q.get()));
    co_await detio::sleep(1ms);
    q.shutdown();
    g.cancel();
    EXPECT_EQ(co_await g, "CancelledError");
  });
}

TEST(Queue, CancellingAGetterOfADestroyedQueueIsSafe) {
  run([]() -> Task<void> {
    auto q = std::make_unique<detio::Queue<int>>();
    auto g = detio::create_task(outcome(q->get()));
    co_await detio::sleep(1ms);
    q.reset();  // the getter is orphaned
    g.cancel();
    EXPECT_EQ(co_await g, "CancelledError");
  });
}

TEST(Queue, RandomCancellationsNeverLoseOrDuplicateItems) {
  // Producers and consumers on a small bounded queue, stepping in whole
  // milliseconds so wake-ups and cancels often land in the same step; a
  // chaos loop cancels random ones. Every item put is got exactly once or
  // still queued, and no wake-up is lost.
  int runs_with_live_consumer = 0;
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    std::vector<int> got;
    std::vector<int> put_ok;
    run(
        [&]() -> Task<void> {
          detio::Queue<int> q(2);
          auto& rng = detio::sim::random();
          auto step = [&rng](int max_ms) { return rng.uniform(0, max_ms) * 1ms; };
          std::vector<detio::TaskHandle<void>> tasks;
          for (int p = 0; p < 4; ++p) {
            tasks.push_back(spawn([&, p]() -> Task<void> {
              for (int i = 0; i < 20; ++i) {
                int item = p * 100 + i;
                co_await q.put(item);
                put_ok.push_back(item);
                co_await detio::sleep(step(2));
              }
            }));
          }
          for (int c = 0; c < 4; ++c) {
            tasks.push_back(spawn([&]() -> Task<void> {
              while (true) {
                got.push_back(co_await q.get());
                co_await detio::sleep(step(3));
              }
            }));
          }
          for (int round = 0; round < 6; ++round) {
            co_await detio::sleep(step(3));
            tasks[static_cast<std::size_t>(rng.uniform(0, 7))].cancel();
          }
          co_await detio::sleep(200ms);
          // No wake-up was lost: a live consumer leaves nothing queued.
          bool consumer_alive = false;
          for (std::size_t c = 4; c < 8; ++c) consumer_alive = consumer_alive || !tasks[c].done();
          if (consumer_alive) {
            ++runs_with_live_consumer;
            EXPECT_TRUE(q.empty()) << "seed " << seed;
          }
          for (auto& t : tasks) t.cancel();
          for (auto& t : tasks) {
            try {
              co_await t;
            } catch (const detio::CancelledError&) {
            }
          }
          std::vector<int> rest = drain(q);
          got.insert(got.end(), rest.begin(), rest.end());
        },
        seed);
    std::sort(got.begin(), got.end());
    std::sort(put_ok.begin(), put_ok.end());
    EXPECT_EQ(got, put_ok) << "seed " << seed;
    EXPECT_GE(put_ok.size(), 5u) << "seed " << seed;
  }
  EXPECT_GT(runs_with_live_consumer, 20);
}

TEST(Queue, MainGettingFromAQueueNobodyFillsIsADeadlock) {
  try {
    run([]() -> Task<void> {
      detio::Queue<int> q;
      co_await q.get();
    });
    FAIL() << "expected DeadlockError";
  } catch (const detio::sim::DeadlockError& err) {
    ASSERT_EQ(err.blocked_tasks().size(), 1u);
    EXPECT_NE(err.blocked_tasks()[0].find("waiting on Queue.get"), std::string::npos) << err.what();
  }
  try {
    run([]() -> Task<void> {
      detio::Queue<int> q;
      q.put_nowait(1);
      co_await q.join();
    });
    FAIL() << "expected DeadlockError";
  } catch (const detio::sim::DeadlockError& err) {
    ASSERT_EQ(err.blocked_tasks().size(), 1u);
    EXPECT_NE(err.blocked_tasks()[0].find("waiting on Queue.join"), std::string::npos) << err.what();
  }
}

}  // namespace

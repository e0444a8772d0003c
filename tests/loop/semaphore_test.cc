// detio::Semaphore / BoundedSemaphore: permit counting, FIFO fairness (no
// overtaking even with free permits), cancel and timeout while acquiring
// never leak a permit, over-release, scoped guards, bad arguments.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "detio/detio.h"
#include "primitive_test_util.h"

using namespace std::chrono_literals;
using detio::Task;

namespace {

using namespace primitive_test;

TEST(Semaphore, NegativeInitialValueIsAValueError) {
  try {
    detio::Semaphore sem(-1);
    ADD_FAILURE() << "expected ValueError";
  } catch (const detio::ValueError& e) {
    EXPECT_STREQ(e.what(), "Semaphore initial value must be >= 0, got -1");
  }
  try {
    detio::BoundedSemaphore sem(-3);
    ADD_FAILURE() << "expected ValueError";
  } catch (const detio::ValueError& e) {
    EXPECT_STREQ(e.what(), "BoundedSemaphore initial value must be >= 0, got -3");
  }
  detio::Semaphore zero(0);
  EXPECT_TRUE(zero.locked());
  EXPECT_EQ(zero.value(), 0);
}

TEST(Semaphore, CountsPermits) {
  run([]() -> Task<void> {
    detio::Semaphore sem(2);
    EXPECT_FALSE(sem.locked());
    EXPECT_EQ(sem.value(), 2);
    co_await sem.acquire();
    EXPECT_EQ(sem.value(), 1);
    EXPECT_FALSE(sem.locked());
    co_await sem.acquire();
    EXPECT_EQ(sem.value(), 0);
    EXPECT_TRUE(sem.locked());
    sem.release();
    EXPECT_EQ(sem.value(), 1);
    sem.release();
    sem.release();  // a plain Semaphore may go above its initial value
    EXPECT_EQ(sem.value(), 3);
    EXPECT_EQ(ms(), 0);
  });
}

TEST(Semaphore, LimitsConcurrency) {
  run([]() -> Task<void> {
    detio::Semaphore sem(2);
    int active = 0;
    int peak = 0;
    Log log;
    std::vector<detio::TaskHandle<void>> workers;
    for (int i = 0; i < 5; ++i) {
      workers.push_back(spawn([&, i]() -> Task<void> {
        auto guard = co_await sem.scoped();
        peak = std::max(peak, ++active);
        log.push_back(std::to_string(i) + "@" + std::to_string(ms()));
        co_await detio::sleep(10ms);
        --active;
      }));
    }
    for (auto& w : workers) co_await w;
    EXPECT_EQ(peak, 2);
    EXPECT_EQ(log, (Log{"0@0", "1@0", "2@10", "3@10", "4@20"}));
    EXPECT_EQ(sem.value(), 2);
    EXPECT_EQ(ms(), 30);
  });
}

TEST(Semaphore, ZeroSemaphoreBlocksUntilRelease) {
  run([]() -> Task<void> {
    detio::Semaphore sem(0);
    Log log;
    auto a = detio::create_task(hold_for(sem, log, "a", 0ms));
    co_await detio::sleep(4ms);
    EXPECT_TRUE(log.empty());
    sem.release();
    co_await a;
    EXPECT_EQ(log, (Log{"a@4"}));
    EXPECT_EQ(sem.value(), 1);
  });
}

TEST(Semaphore, NewcomersQueueBehindWaitersEvenWithAFreePermit) {
  run([]() -> Task<void> {
    detio::Semaphore sem(1);
    Log log;
    co_await sem.acquire();
    auto a = detio::create_task(hold_for(sem, log, "a", 0ms));
    auto b = detio::create_task(hold_for(sem, log, "b", 0ms));
    co_await detio::sleep(0ms);
    sem.release();  // reserved for a
    EXPECT_EQ(sem.value(), 0);
    EXPECT_TRUE(sem.locked());  // b is still waiting
    co_await sem.acquire();     // behind b
    log.push_back("main@" + std::to_string(ms()));
    sem.release();
    co_await a;
    co_await b;
    EXPECT_EQ(log, (Log{"a@0", "b@0", "main@0"}));
    EXPECT_EQ(sem.value(), 1);
  });
}

TEST(Semaphore, SeveralReleasesWakeThatManyWaitersInOrder) {
  run([]() -> Task<void> {
    detio::Semaphore sem(0);
    Log log;
    auto a = detio::create_task(hold_for(sem, log, "a", 5ms));
    auto b = detio::create_task(hold_for(sem, log, "b", 5ms));
    auto c = detio::create_task(hold_for(sem, log, "c", 5ms));
    co_await detio::sleep(1ms);
    sem.release();
    sem.release();
    co_await a;
    co_await b;
    co_await c;
    EXPECT_EQ(log, (Log{"a@1", "b@1", "c@6"}));
    EXPECT_EQ(sem.value(), 2);
  });
}

TEST(Semaphore, CancelledAcquireDoesNotLeakAPermit) {
  run([]() -> Task<void> {
    detio::Semaphore sem(1);
    Log log;
    co_await sem.acquire();
    auto a = detio::create_task(hold_for(sem, log, "a", 0ms));
    co_await detio::sleep(1ms);
    a.cancel();
    EXPECT_THROW(co_await a, detio::CancelledError);
    EXPECT_EQ(sem.value(), 0);
    EXPECT_TRUE(sem.locked());
    sem.release();
    EXPECT_EQ(sem.value(), 1);
    EXPECT_FALSE(sem.locked());
    co_await sem.acquire();  // immediate
    EXPECT_EQ(sem.value(), 0);
    EXPECT_EQ(ms(), 1);
    EXPECT_TRUE(log.empty());
  });
}

TEST(Semaphore, AWaiterWokenThenCancelledPassesItsPermitOn) {
  run([]() -> Task<void> {
    detio::Semaphore sem(1);
    Log log;
    co_await sem.acquire();
    auto a = detio::create_task(hold_for(sem, log, "a", 0ms));
    auto b = detio::create_task(hold_for(sem, log, "b", 2ms));
    co_await detio::sleep(1ms);
    sem.release();  // the permit is handed to a ...
    EXPECT_EQ(sem.value(), 0);
    a.cancel();  // ... which is cancelled before it runs
    EXPECT_THROW(co_await a, detio::CancelledError);
    co_await b;
    EXPECT_EQ(log, (Log{"b@1"}));
    EXPECT_EQ(sem.value(), 1);
    EXPECT_FALSE(sem.locked());
  });
}

TEST(Semaphore, WhenEveryWaiterIsCancelledANewcomerTakesAFreePermit) {
  run([]() -> Task<void> {
    detio::Semaphore sem(0);
    auto a = spawn([&]() -> Task<void> { co_await sem.acquire(); });
    co_await detio::sleep(0ms);
    a.cancel();  // a's waiter is cancelled; a has not cleaned up yet
    sem.release();
    EXPECT_EQ(sem.value(), 1);   // a cancelled waiter gets no permit
    EXPECT_FALSE(sem.locked());  // cancelled waiters do not count
    co_await sem.acquire();
    EXPECT_EQ(sem.value(), 0);
    EXPECT_THROW(co_await a, detio::CancelledError);
    EXPECT_EQ(sem.value(), 0);
  });
}

TEST(Semaphore, TimeoutAroundAcquireDoesNotLeakAPermit) {
  run([]() -> Task<void> {
    detio::Semaphore sem(0);
    EXPECT_THROW(co_await detio::timeout(5ms, sem.acquire()), detio::TimeoutError);
    EXPECT_EQ(ms(), 5);
    EXPECT_EQ(sem.value(), 0);
    sem.release();
    EXPECT_EQ(sem.value(), 1);
    co_await detio::timeout(5ms, sem.acquire());
    EXPECT_EQ(sem.value(), 0);
    EXPECT_EQ(ms(), 5);
    EXPECT_THROW(co_await detio::wait_for(sem.acquire(), 5ms), detio::TimeoutError);
    EXPECT_EQ(ms(), 10);
    EXPECT_EQ(sem.value(), 0);
    sem.release();
    EXPECT_THROW(co_await detio::wait_for(sem.acquire(), 0ms), detio::TimeoutError);
    EXPECT_EQ(sem.value(), 1);  // never started, took nothing
    co_await detio::wait_for(sem.acquire(), 5ms);
    EXPECT_EQ(sem.value(), 0);
    EXPECT_EQ(ms(), 10);
  });
}

TEST(Semaphore, CancelStormKeepsTheCountExact) {
  // Many waiters, some cancelled while queued, some right after being
  // handed a permit: at the end every permit is back.
  run([]() -> Task<void> {
    detio::Semaphore sem(2);
    int completed = 0;
    std::vector<detio::TaskHandle<void>> tasks;
    for (int i = 0; i < 12; ++i) {
      tasks.push_back(spawn([&]() -> Task<void> {
        auto guard = co_await sem.scoped();
        co_await detio::sleep(1ms);
        ++completed;
      }));
    }
    co_await detio::sleep(0ms);
    tasks[3].cancel();  // queued
    tasks[5].cancel();  // queued
    co_await detio::sleep(1ms);
    // 0 and 1 finished and handed their permits to 2 and 4: cancel them now.
    tasks[2].cancel();
    tasks[4].cancel();
    int cancelled = 0;
    for (auto& t : tasks) {
      try {
        co_await t;
      } catch (const detio::CancelledError&) {
        ++cancelled;
      }
    }
    EXPECT_EQ(cancelled, 4);
    EXPECT_EQ(completed, 8);
    EXPECT_EQ(sem.value(), 2);
    EXPECT_FALSE(sem.locked());
    EXPECT_EQ(ms(), 4);  // 8 jobs of 1ms, two at a time, no permit lost
  });
}

TEST(Semaphore, RandomCancellationsNeverExceedTheLimitOrLeakPermits) {
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    detio::sim::run(call([&]() -> Task<void> {
                      detio::BoundedSemaphore sem(3);
                      auto& rng = detio::sim::random();
                      int active = 0;
                      int peak = 0;
                      std::vector<detio::TaskHandle<void>> workers;
                      for (int w = 0; w < 10; ++w) {
                        workers.push_back(spawn([&]() -> Task<void> {
                          for (int i = 0; i < 4; ++i) {
                            auto guard = co_await sem.scoped();
                            Occupant occupant(active);
                            peak = std::max(peak, active);
                            co_await detio::sleep(rng.uniform(0, 2) * 1ms);
                          }
                        }));
                      }
                      for (int round = 0; round < 5; ++round) {
                        co_await detio::sleep(rng.uniform(0, 2) * 1ms);
                        workers[static_cast<std::size_t>(rng.uniform(0, 9))].cancel();
                      }
                      for (auto& w : workers) {
                        try {
                          co_await w;
                        } catch (const detio::CancelledError&) {
                        }
                      }
                      EXPECT_LE(peak, 3) << "seed " << seed;
                      EXPECT_EQ(active, 0);
                      EXPECT_EQ(sem.value(), 3) << "seed " << seed;  // every permit back
                      EXPECT_FALSE(sem.locked());
                    }),
                    {.seed = seed});
  }
}

TEST(BoundedSemaphore, ReleasingBeyondTheInitialValueIsAValueError) {
  run([]() -> Task<void> {
    detio::BoundedSemaphore sem(2);
    try {
      sem.release();
      ADD_FAILURE() << "expected ValueError";
    } catch (const detio::ValueError& e) {
      EXPECT_STREQ(e.what(), "BoundedSemaphore released too many times");
    }
    EXPECT_EQ(sem.value(), 2);
    co_await sem.acquire();
    co_await sem.acquire();
    sem.release();
    sem.release();
    EXPECT_THROW(sem.release(), detio::ValueError);
    EXPECT_EQ(sem.value(), 2);
    // Through a Semaphore& the bound still holds.
    detio::Semaphore& base = sem;
    EXPECT_THROW(base.release(), detio::ValueError);
  });
}

TEST(BoundedSemaphore, WorksAsASemaphore) {
  run([]() -> Task<void> {
    detio::BoundedSemaphore sem(1);
    Log log;
    co_await sem.acquire();
    EXPECT_TRUE(sem.locked());
    auto a = detio::create_task(hold_for(sem, log, "a", 0ms));
    co_await detio::sleep(2ms);
    sem.release();
    co_await a;
    EXPECT_EQ(log, (Log{"a@2"}));
    EXPECT_EQ(sem.value(), 1);
  });
}

TEST(Semaphore, ScopedGuardReleasesOnException) {
  run([]() -> Task<void> {
    detio::BoundedSemaphore sem(2);
    auto body = [&]() -> Task<void> {
      detio::Semaphore::Guard guard = co_await sem.scoped();
      EXPECT_EQ(sem.value(), 1);
      throw std::runtime_error("boom");
    };
    EXPECT_THROW(co_await call(body), std::runtime_error);
    EXPECT_EQ(sem.value(), 2);
    {
      auto g1 = co_await sem.scoped();
      auto g2 = co_await sem.scoped();
      EXPECT_TRUE(sem.locked());
      g1.release();
      EXPECT_EQ(sem.value(), 1);
    }
    EXPECT_EQ(sem.value(), 2);
  });
}

TEST(Semaphore, MainBlockedOnAnEmptySemaphoreIsADeadlock) {
  try {
    run([]() -> Task<void> {
      detio::Semaphore sem(0);
      co_await sem.acquire();
    });
    FAIL() << "expected DeadlockError";
  } catch (const detio::sim::DeadlockError& err) {
    ASSERT_EQ(err.blocked_tasks().size(), 1u);
    EXPECT_NE(err.blocked_tasks()[0].find("waiting on Semaphore.acquire"), std::string::npos) << err.what();
  }
}

TEST(Semaphore, AcquireReturnsTrueAtOnceAndAfterWaiting) {
  run([]() -> Task<void> {
    detio::Semaphore sem(1);
    const bool at_once = co_await sem.acquire();
    EXPECT_TRUE(at_once);
    auto waiter = spawn([&]() -> Task<bool> { co_return co_await sem.acquire(); });
    co_await detio::sleep(1ms);
    EXPECT_FALSE(waiter.done());
    sem.release();
    EXPECT_TRUE(co_await waiter);
    EXPECT_EQ(sem.value(), 0);
    sem.release();
  });
}

}  // namespace

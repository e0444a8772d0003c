// detio::Lock and its Guard: FIFO hand-over, no barging, cancel and timeout
// while acquiring, release by a non-holder, misuse errors, scoped guards.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "detio/detio.h"
#include "primitive_test_util.h"

using namespace std::chrono_literals;
using detio::Task;

namespace {

using namespace primitive_test;

Task<int> acquire_returning(detio::Lock& lock) {
  co_await lock.acquire();
  co_return 1;
}

TEST(Lock, AcquireAndReleaseToggleLocked) {
  run([]() -> Task<void> {
    detio::Lock lock;
    EXPECT_FALSE(lock.locked());
    co_await lock.acquire();
    EXPECT_TRUE(lock.locked());
    lock.release();
    EXPECT_FALSE(lock.locked());
    co_await lock.acquire();
    EXPECT_TRUE(lock.locked());
    lock.release();
    EXPECT_EQ(ms(), 0);
  });
}

TEST(Lock, ReleasingAnUnlockedLockIsARuntimeError) {
  run([]() -> Task<void> {
    detio::Lock lock;
    try {
      lock.release();
      ADD_FAILURE() << "expected RuntimeError";
    } catch (const detio::RuntimeError& e) {
      EXPECT_STREQ(e.what(), "Lock is not acquired.");
    }
    co_await lock.acquire();
    lock.release();
    EXPECT_THROW(lock.release(), detio::RuntimeError);
    EXPECT_FALSE(lock.locked());
  });
}

TEST(Lock, WaitersGetTheLockInFifoOrder) {
  run([]() -> Task<void> {
    detio::Lock lock;
    Log log;
    co_await lock.acquire();
    auto a = detio::create_task(hold_for(lock, log, "a", 1ms));
    auto b = detio::create_task(hold_for(lock, log, "b", 1ms));
    auto c = detio::create_task(hold_for(lock, log, "c", 1ms));
    co_await detio::sleep(2ms);
    EXPECT_TRUE(log.empty());
    lock.release();
    co_await a;
    co_await b;
    co_await c;
    EXPECT_EQ(log, (Log{"a@2", "b@3", "c@4"}));
    EXPECT_FALSE(lock.locked());
  });
}

TEST(Lock, ANewcomerCannotBargeAheadOfAWokenWaiter) {
  run([]() -> Task<void> {
    detio::Lock lock;
    Log log;
    co_await lock.acquire();
    auto a = detio::create_task(hold_for(lock, log, "a", 0ms));
    co_await detio::sleep(0ms);
    lock.release();  // wakes a, which has not run yet
    EXPECT_FALSE(lock.locked());
    co_await lock.acquire();  // must queue behind a
    log.push_back("main@" + std::to_string(ms()));
    lock.release();
    co_await a;
    EXPECT_EQ(log, (Log{"a@0", "main@0"}));
  });
}

TEST(Lock, CancelledAcquireNeverHoldsTheLock) {
  run([]() -> Task<void> {
    detio::Lock lock;
    Log log;
    co_await lock.acquire();
    auto a = detio::create_task(hold_for(lock, log, "a", 0ms));
    co_await detio::sleep(1ms);
    EXPECT_TRUE(a.cancel());
    EXPECT_THROW(co_await a, detio::CancelledError);
    EXPECT_TRUE(lock.locked());  // still main's
    lock.release();
    EXPECT_FALSE(lock.locked());
    // Nobody is left in the queue: the next acquire is immediate.
    co_await lock.acquire();
    EXPECT_TRUE(lock.locked());
    lock.release();
    EXPECT_TRUE(log.empty());
  });
}

TEST(Lock, AWaiterWokenThenCancelledHandsTheLockToTheNext) {
  run([]() -> Task<void> {
    detio::Lock lock;
    Log log;
    co_await lock.acquire();
    auto a = detio::create_task(hold_for(lock, log, "a", 1ms));
    auto b = detio::create_task(hold_for(lock, log, "b", 1ms));
    co_await detio::sleep(1ms);
    lock.release();  // a is woken ...
    a.cancel();      // ... but cancelled before it runs
    EXPECT_THROW(co_await a, detio::CancelledError);
    co_await b;
    EXPECT_EQ(log, (Log{"b@1"}));
    EXPECT_FALSE(lock.locked());
  });
}

TEST(Lock, WhenEveryWaiterIsCancelledANewcomerTakesTheLockAtOnce) {
  run([]() -> Task<void> {
    detio::Lock lock;
    Log log;
    co_await lock.acquire();
    auto a = spawn([&]() -> Task<void> {
      try {
        co_await lock.acquire();
      } catch (const detio::CancelledError&) {
        log.push_back("a cancelled");
        throw;
      }
    });
    co_await detio::sleep(0ms);
    a.cancel();  // a's waiter is cancelled, a has not run its handler yet
    lock.release();
    co_await lock.acquire();  // jumps the all-cancelled queue, no suspension
    EXPECT_TRUE(log.empty());
    EXPECT_TRUE(lock.locked());
    EXPECT_THROW(co_await a, detio::CancelledError);
    EXPECT_EQ(log, (Log{"a cancelled"}));
    EXPECT_TRUE(lock.locked());  // a's cancel did not disturb the holder
    lock.release();
  });
}

TEST(Lock, TimeoutAroundAcquireLeavesTheLockConsistent) {
  run([]() -> Task<void> {
    detio::Lock lock;
    Log log;
    co_await lock.acquire();
    EXPECT_THROW(co_await detio::timeout(5ms, lock.acquire()), detio::TimeoutError);
    EXPECT_EQ(ms(), 5);
    EXPECT_TRUE(lock.locked());
    // A later waiter is not stuck behind the timed-out one.
    auto b = detio::create_task(hold_for(lock, log, "b", 0ms));
    co_await detio::sleep(1ms);
    lock.release();
    co_await b;
    EXPECT_EQ(log, (Log{"b@6"}));
    EXPECT_FALSE(lock.locked());
  });
}

TEST(Lock, WaitForAroundAcquire) {
  run([]() -> Task<void> {
    detio::Lock lock;
    co_await lock.acquire();
    EXPECT_THROW(co_await detio::wait_for(acquire_returning(lock), 5ms), detio::TimeoutError);
    EXPECT_EQ(ms(), 5);
    lock.release();
    EXPECT_FALSE(lock.locked());  // the timed-out acquire did not take it
    EXPECT_EQ(co_await detio::wait_for(acquire_returning(lock), 5ms), 1);
    EXPECT_TRUE(lock.locked());
    EXPECT_EQ(ms(), 5);
    // The void Task itself.
    EXPECT_THROW(co_await detio::wait_for(lock.acquire(), 2ms), detio::TimeoutError);
    EXPECT_EQ(ms(), 7);
    lock.release();
    co_await detio::wait_for(lock.acquire(), 2ms);
    EXPECT_TRUE(lock.locked());
    lock.release();
    // A zero timeout cancels the acquire before it starts, even on a free
    // lock (asyncio.wait_for(..., 0)): the lock is not taken.
    EXPECT_THROW(co_await detio::wait_for(lock.acquire(), 0ms), detio::TimeoutError);
    EXPECT_FALSE(lock.locked());
    EXPECT_EQ(ms(), 7);
  });
}

TEST(Lock, AnyTaskMayReleaseALockedLock) {
  run([]() -> Task<void> {
    detio::Lock lock;
    auto holder = spawn([&]() -> Task<void> { co_await lock.acquire(); });
    co_await holder;
    EXPECT_TRUE(lock.locked());
    lock.release();  // main never acquired it: allowed, as in asyncio
    EXPECT_FALSE(lock.locked());
    co_await lock.acquire();
    auto releaser = spawn([&]() -> Task<void> {
      lock.release();
      co_return;
    });
    co_await releaser;
    EXPECT_FALSE(lock.locked());
  });
}

TEST(Lock, ScopedGuardReleasesOnScopeExitAndOnException) {
  run([]() -> Task<void> {
    detio::Lock lock;
    {
      detio::Lock::Guard guard = co_await lock.scoped();
      EXPECT_TRUE(guard.owns_lock());
      EXPECT_EQ(guard.get(), &lock);
      EXPECT_TRUE(lock.locked());
    }
    EXPECT_FALSE(lock.locked());
    auto body = [&]() -> Task<void> {
      auto guard = co_await lock.scoped();
      EXPECT_TRUE(lock.locked());
      throw std::runtime_error("boom");
    };
    EXPECT_THROW(co_await call(body), std::runtime_error);
    EXPECT_FALSE(lock.locked());
  });
}

TEST(Lock, ScopedGuardHandsOverToTheNextWaiterInOrder) {
  run([]() -> Task<void> {
    detio::Lock lock;
    Log log;
    auto worker = [&](std::string name) -> Task<void> {
      auto guard = co_await lock.scoped();
      log.push_back(name + "@" + std::to_string(ms()));
      co_await detio::sleep(2ms);
    };
    auto a = detio::create_task(worker("a"));
    auto b = detio::create_task(worker("b"));
    auto c = detio::create_task(worker("c"));
    co_await a;
    co_await b;
    co_await c;
    EXPECT_EQ(log, (Log{"a@0", "b@2", "c@4"}));
    EXPECT_FALSE(lock.locked());
  });
}

TEST(Lock, GuardMoveReleaseAndOwnsLock) {
  run([]() -> Task<void> {
    detio::Lock lock;
    detio::Lock::Guard empty;
    EXPECT_FALSE(empty.owns_lock());
    EXPECT_FALSE(static_cast<bool>(empty));
    EXPECT_THROW(empty.release(), detio::RuntimeError);

    detio::Lock::Guard first = co_await lock.scoped();
    detio::Lock::Guard second = std::move(first);
    EXPECT_FALSE(first.owns_lock());
    EXPECT_TRUE(second.owns_lock());
    EXPECT_TRUE(lock.locked());
    second.release();
    EXPECT_FALSE(second.owns_lock());
    EXPECT_FALSE(lock.locked());
    EXPECT_THROW(second.release(), detio::RuntimeError);

    // Move-assigning over an owning guard releases what it held.
    detio::Lock other;
    detio::Lock::Guard g1 = co_await lock.scoped();
    detio::Lock::Guard g2 = co_await other.scoped();
    g1 = std::move(g2);
    EXPECT_FALSE(lock.locked());
    EXPECT_TRUE(other.locked());
    EXPECT_EQ(g1.get(), &other);
    g1 = detio::Lock::Guard();
    EXPECT_FALSE(other.locked());

    // Released behind the guard's back: the destructor does not throw.
    {
      auto g = co_await lock.scoped();
      lock.release();
      EXPECT_FALSE(lock.locked());
    }
    EXPECT_FALSE(lock.locked());
  });
}

TEST(Lock, CancelWhileHoldingTheGuardReleases) {
  run([]() -> Task<void> {
    detio::Lock lock;
    Log log;
    auto holder = spawn([&]() -> Task<void> {
      auto guard = co_await lock.scoped();
      co_await detio::sleep(100ms);
    });
    auto next = detio::create_task(hold_for(lock, log, "next", 0ms));
    co_await detio::sleep(3ms);
    holder.cancel();
    EXPECT_THROW(co_await holder, detio::CancelledError);
    co_await next;
    EXPECT_EQ(log, (Log{"next@3"}));
    EXPECT_FALSE(lock.locked());
  });
}

TEST(Lock, RandomCancellationsKeepMutualExclusionAndLoseNoWakeUp) {
  // Workers stepping in whole milliseconds (so wake-ups and cancels share
  // steps) take the lock through guards while a chaos loop cancels some.
  // Never two holders; every surviving worker finishes (a lost wake-up
  // would leave it blocked: a DeadlockError); the lock ends free.
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    int finished = 0;
    int cancelled = 0;
    detio::sim::run(call([&]() -> Task<void> {
                      detio::Lock lock;
                      auto& rng = detio::sim::random();
                      int holders = 0;
                      std::vector<detio::TaskHandle<void>> workers;
                      for (int w = 0; w < 6; ++w) {
                        workers.push_back(spawn([&]() -> Task<void> {
                          for (int i = 0; i < 5; ++i) {
                            auto guard = co_await lock.scoped();
                            Occupant occupant(holders);
                            EXPECT_EQ(holders, 1);
                            co_await detio::sleep(rng.uniform(0, 2) * 1ms);
                          }
                        }));
                      }
                      for (int round = 0; round < 4; ++round) {
                        co_await detio::sleep(rng.uniform(0, 3) * 1ms);
                        workers[static_cast<std::size_t>(rng.uniform(0, 5))].cancel();
                      }
                      for (auto& w : workers) {
                        try {
                          co_await w;
                          ++finished;
                        } catch (const detio::CancelledError&) {
                          ++cancelled;
                        }
                      }
                      EXPECT_FALSE(lock.locked());
                      EXPECT_EQ(holders, 0);
                    }),
                    {.seed = seed});
    EXPECT_EQ(finished + cancelled, 6) << "seed " << seed;
    EXPECT_GE(finished, 2) << "seed " << seed;
  }
}

TEST(Lock, AGuardOutlivingItsLockOwnsNothing) {
  run([]() -> Task<void> {
    auto lock = std::make_unique<detio::Lock>();
    detio::Lock::Guard guard = co_await lock->scoped();
    EXPECT_TRUE(guard.owns_lock());
    lock.reset();
    EXPECT_FALSE(guard.owns_lock());
    EXPECT_EQ(guard.get(), nullptr);
    EXPECT_THROW(guard.release(), detio::RuntimeError);
    detio::Lock::Guard moved = std::move(guard);
    EXPECT_FALSE(moved.owns_lock());
  });  // destroying the guards touches no freed memory
}

TEST(Lock, DeadlockWithGuardsHeldElsewhereTearsDownCleanly) {
  // After the DeadlockError the loop frees every frame, main's (which owns
  // the Lock) first; guards in the other tasks' frames must not touch it.
  try {
    run([]() -> Task<void> {
      detio::Lock lock;
      detio::Event never;
      auto holder = spawn([&]() -> Task<void> {
        auto guard = co_await lock.scoped();
        co_await never.wait();
      }, "holder");
      auto waiter = spawn([&]() -> Task<void> {
        auto guard = co_await lock.scoped();
      }, "waiter");
      co_await never.wait();
    });
    FAIL() << "expected DeadlockError";
  } catch (const detio::sim::DeadlockError& err) {
    ASSERT_EQ(err.blocked_tasks().size(), 3u);
    EXPECT_EQ(err.blocked_tasks()[1], "holder: waiting on Event.wait");
    EXPECT_EQ(err.blocked_tasks()[2], "waiter: waiting on Lock.acquire");
  }
}

TEST(Lock, MainBlockedOnALockNobodyReleasesIsADeadlock) {
  try {
    run([]() -> Task<void> {
      detio::Lock lock;
      co_await lock.acquire();
      co_await lock.acquire();
    });
    FAIL() << "expected DeadlockError";
  } catch (const detio::sim::DeadlockError& err) {
    ASSERT_EQ(err.blocked_tasks().size(), 1u);
    EXPECT_NE(err.blocked_tasks()[0].find("waiting on Lock.acquire"), std::string::npos) << err.what();
  }
}

TEST(Lock, AcquireReturnsTrueAtOnceAndAfterWaiting) {
  run([]() -> Task<void> {
    detio::Lock lock;
    const bool at_once = co_await lock.acquire();
    EXPECT_TRUE(at_once);
    auto waiter = spawn([&]() -> Task<bool> { co_return co_await lock.acquire(); });
    co_await detio::sleep(1ms);
    EXPECT_FALSE(waiter.done());
    lock.release();
    EXPECT_TRUE(co_await waiter);
    EXPECT_TRUE(lock.locked());
    lock.release();
  });
}

}  // namespace

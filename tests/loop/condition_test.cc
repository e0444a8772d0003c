// detio::Condition: notify/notify_all order and counts, wait_for, the lock
// re-acquired before wait() returns or throws (cancel during the wait and
// during the re-acquire), notifications passed on by cancelled waiters,
// timeouts, an external Lock, misuse errors.
#include <gtest/gtest.h>

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

// Waits once under the lock (`async with cond: await cond.wait()`), logs.
Task<void> wait_once(detio::Condition& cond, Log& log, std::string name) {
  auto guard = co_await cond.scoped();
  co_await cond.wait();
  log.push_back(name + "@" + std::to_string(ms()) + (cond.locked() ? " locked" : " unlocked"));
}

TEST(Condition, WaitAndNotifyWithoutTheLockAreRuntimeErrors) {
  run([]() -> Task<void> {
    detio::Condition cond;
    try {
      co_await cond.wait();
      ADD_FAILURE() << "expected RuntimeError";
    } catch (const detio::RuntimeError& e) {
      EXPECT_STREQ(e.what(), "cannot wait on un-acquired lock");
    }
    try {
      cond.notify();
      ADD_FAILURE() << "expected RuntimeError";
    } catch (const detio::RuntimeError& e) {
      EXPECT_STREQ(e.what(), "cannot notify on un-acquired lock");
    }
    EXPECT_THROW(cond.notify_all(), detio::RuntimeError);
    EXPECT_THROW(cond.release(), detio::RuntimeError);
    EXPECT_FALSE(cond.locked());
    // wait_for with a predicate that is already true never waits.
    co_await cond.wait_for([] { return true; });
    EXPECT_THROW(co_await cond.wait_for([] { return false; }), detio::RuntimeError);
  });
}

TEST(Condition, NotifyWakesWaitersOneAtATimeInFifoOrder) {
  run([]() -> Task<void> {
    detio::Condition cond;
    Log log;
    auto a = detio::create_task(wait_once(cond, log, "a"));
    auto b = detio::create_task(wait_once(cond, log, "b"));
    auto c = detio::create_task(wait_once(cond, log, "c"));
    co_await detio::sleep(1ms);
    EXPECT_FALSE(cond.locked());  // every waiter released it
    co_await cond.acquire();
    cond.notify();
    cond.release();
    co_await detio::sleep(1ms);
    EXPECT_EQ(log, (Log{"a@1 locked"}));
    co_await cond.acquire();
    cond.notify(2);
    cond.notify(0);  // no-op
    cond.release();
    co_await a;
    co_await b;
    co_await c;
    EXPECT_EQ(log, (Log{"a@1 locked", "b@2 locked", "c@2 locked"}));
  });
}

TEST(Condition, NotifyAllWakesEveryWaiterAndTheyTakeTheLockInTurn) {
  run([]() -> Task<void> {
    detio::Condition cond;
    Log log;
    std::vector<detio::TaskHandle<void>> waiters;
    for (std::string name : {"a", "b", "c"}) {
      waiters.push_back(spawn([&, name]() -> Task<void> {
        auto guard = co_await cond.scoped();
        co_await cond.wait();
        log.push_back(name + "@" + std::to_string(ms()));
        co_await detio::sleep(1ms);  // holds the lock
      }));
    }
    co_await detio::sleep(2ms);
    {
      auto guard = co_await cond.scoped();
      cond.notify_all();
      co_await detio::sleep(1ms);  // woken waiters still need the lock
      EXPECT_TRUE(log.empty());
    }
    for (auto& w : waiters) co_await w;
    EXPECT_EQ(log, (Log{"a@3", "b@4", "c@5"}));
    EXPECT_FALSE(cond.locked());
  });
}

TEST(Condition, NotifyWithNoWaitersIsANoOpAndIsNotRemembered) {
  run([]() -> Task<void> {
    detio::Condition cond;
    co_await cond.acquire();
    cond.notify();
    cond.notify_all();
    EXPECT_THROW(co_await detio::timeout(2ms, cond.wait()), detio::TimeoutError);
    EXPECT_TRUE(cond.locked());  // re-acquired on the way out
    cond.release();
  });
}

TEST(Condition, WaitForRechecksThePredicateAfterEveryWakeUp) {
  run([]() -> Task<void> {
    detio::Condition cond;
    int value = 0;
    int checks = 0;
    auto waiter = spawn([&]() -> Task<void> {
      auto guard = co_await cond.scoped();
      co_await cond.wait_for([&] {
        ++checks;
        EXPECT_TRUE(cond.locked());
        return value >= 3;
      });
      EXPECT_EQ(value, 3);
      EXPECT_EQ(ms(), 3);
    });
    for (int i = 0; i < 3; ++i) {
      co_await detio::sleep(1ms);
      auto guard = co_await cond.scoped();
      ++value;
      cond.notify();
    }
    co_await waiter;
    EXPECT_EQ(checks, 4);  // once up front, once per notify
  });
}

TEST(Condition, CancelDuringWaitReacquiresTheLockBeforeRethrowing) {
  run([]() -> Task<void> {
    detio::Condition cond;
    Log log;
    auto waiter = spawn([&]() -> Task<void> {
      co_await cond.acquire();
      try {
        co_await cond.wait();
        log.push_back("returned");
      } catch (const detio::CancelledError& e) {
        log.push_back("cancelled@" + std::to_string(ms()) + (cond.locked() ? " locked" : " unlocked") + " " +
                      e.message());
        cond.release();
        throw;
      }
    });
    co_await detio::sleep(1ms);
    co_await cond.acquire();  // the waiter released the lock inside wait()
    waiter.cancel("bye");
    co_await detio::sleep(4ms);
    EXPECT_TRUE(log.empty());  // it cannot leave wait() without the lock
    cond.release();
    EXPECT_THROW(co_await waiter, detio::CancelledError);
    EXPECT_EQ(log, (Log{"cancelled@5 locked bye"}));
    EXPECT_FALSE(cond.locked());
  });
}

TEST(Condition, CancelWhileReacquiringTheLockIsDeferredUntilItIsHeld) {
  run([]() -> Task<void> {
    detio::Condition cond;
    Log log;
    auto waiter = spawn([&]() -> Task<void> {
      co_await cond.acquire();
      try {
        co_await cond.wait();
        log.push_back("returned");
      } catch (const detio::CancelledError&) {
        log.push_back("cancelled@" + std::to_string(ms()) + (cond.locked() ? " locked" : " unlocked"));
        cond.release();
        throw;
      }
    });
    co_await detio::sleep(1ms);
    co_await cond.acquire();
    cond.notify();
    co_await detio::sleep(1ms);  // the waiter now blocks re-acquiring the lock
    waiter.cancel();
    waiter.cancel();  // twice: still one CancelledError, after the re-acquire
    co_await detio::sleep(3ms);
    EXPECT_TRUE(log.empty());
    cond.release();
    EXPECT_THROW(co_await waiter, detio::CancelledError);
    EXPECT_EQ(log, (Log{"cancelled@5 locked"}));
    EXPECT_FALSE(cond.locked());
  });
}

TEST(Condition, ANotifiedWaiterThatIsCancelledPassesTheNotificationOn) {
  run([]() -> Task<void> {
    detio::Condition cond;
    Log log;
    auto a = detio::create_task(wait_once(cond, log, "a"));
    auto b = detio::create_task(wait_once(cond, log, "b"));
    auto c = detio::create_task(wait_once(cond, log, "c"));
    co_await detio::sleep(1ms);
    co_await cond.acquire();
    cond.notify(1);  // meant for a ...
    a.cancel();      // ... which is cancelled before it runs
    cond.release();
    EXPECT_THROW(co_await a, detio::CancelledError);
    co_await b;  // b got a's notification
    EXPECT_EQ(log, (Log{"b@1 locked"}));
    EXPECT_FALSE(c.done());
    co_await cond.acquire();
    cond.notify();
    cond.release();
    co_await c;
    EXPECT_EQ(log, (Log{"b@1 locked", "c@1 locked"}));
  });
}

TEST(Condition, TimeoutAroundWaitLeavesTheLockHeld) {
  run([]() -> Task<void> {
    detio::Condition cond;
    co_await cond.acquire();
    EXPECT_THROW(co_await detio::timeout(3ms, cond.wait()), detio::TimeoutError);
    EXPECT_EQ(ms(), 3);
    EXPECT_TRUE(cond.locked());
    // Still usable: a later notify reaches a later waiter.
    auto notifier = spawn([&]() -> Task<void> {
      co_await detio::sleep(2ms);
      auto guard = co_await cond.scoped();
      cond.notify();
    });
    co_await cond.wait();
    EXPECT_EQ(ms(), 5);
    EXPECT_TRUE(cond.locked());
    EXPECT_THROW(co_await detio::wait_for(cond.wait(), 2ms), detio::TimeoutError);
    EXPECT_EQ(ms(), 7);
    EXPECT_TRUE(cond.locked());  // wait_for waited for the re-acquire
    cond.release();
    co_await notifier;
  });
}

TEST(Condition, SharesAnExternalLock) {
  run([]() -> Task<void> {
    detio::Lock lock;
    detio::Condition cond(lock);
    EXPECT_EQ(&cond.lock(), &lock);
    co_await lock.acquire();
    EXPECT_TRUE(cond.locked());
    auto waiter = spawn([&]() -> Task<void> {
      auto guard = co_await cond.scoped();
      co_await cond.wait();
      EXPECT_TRUE(lock.locked());
    });
    co_await detio::sleep(1ms);
    EXPECT_FALSE(waiter.done());  // blocked on the lock main holds
    cond.notify();                // nobody waits on the condition yet
    lock.release();
    co_await detio::sleep(1ms);
    EXPECT_FALSE(lock.locked());  // waiter released it in wait()
    co_await lock.acquire();
    cond.notify();
    lock.release();
    co_await waiter;
    EXPECT_FALSE(lock.locked());
  });
}

TEST(Condition, ScopedGuardReleasesOnException) {
  run([]() -> Task<void> {
    detio::Condition cond;
    auto body = [&]() -> Task<void> {
      detio::Condition::Guard guard = co_await cond.scoped();
      EXPECT_TRUE(cond.locked());
      throw std::runtime_error("boom");
    };
    EXPECT_THROW(co_await call(body), std::runtime_error);
    EXPECT_FALSE(cond.locked());
  });
}

TEST(Condition, MainWaitingForANotifyThatNeverComesIsADeadlock) {
  try {
    run([]() -> Task<void> {
      detio::Condition cond;
      auto guard = co_await cond.scoped();
      co_await cond.wait();
    });
    FAIL() << "expected DeadlockError";
  } catch (const detio::sim::DeadlockError& err) {
    ASSERT_EQ(err.blocked_tasks().size(), 1u);
    EXPECT_NE(err.blocked_tasks()[0].find("waiting on Condition.wait"), std::string::npos) << err.what();
  }
}

TEST(Condition, WaitReturnsTrue) {
  run([]() -> Task<void> {
    detio::Condition cond;
    auto waiter = spawn([&]() -> Task<bool> {
      auto guard = co_await cond.scoped();
      co_return co_await cond.wait();
    });
    co_await detio::sleep(1ms);
    {
      auto guard = co_await cond.scoped();
      cond.notify();
    }
    EXPECT_TRUE(co_await waiter);
  });
}

// asyncio's wait_for returns the predicate's value: here the last count
// seen and a pointer, not merely "true".
TEST(Condition, WaitForReturnsThePredicatesValue) {
  run([]() -> Task<void> {
    detio::Condition cond;
    int items = 0;
    std::string message;
    auto count_waiter = spawn([&]() -> Task<int> {
      auto guard = co_await cond.scoped();
      co_return co_await cond.wait_for([&] { return items >= 2 ? items : 0; });
    });
    auto pointer_waiter = spawn([&]() -> Task<const std::string*> {
      auto guard = co_await cond.scoped();
      co_return co_await cond.wait_for([&]() -> const std::string* { return message.empty() ? nullptr : &message; });
    });
    for (int i = 0; i < 3; ++i) {
      co_await detio::sleep(1ms);
      auto guard = co_await cond.scoped();
      ++items;
      if (i == 2) message = "ready";
      cond.notify_all();
    }
    EXPECT_EQ(co_await count_waiter, 2);
    EXPECT_EQ(co_await pointer_waiter, &message);
    auto guard = co_await cond.scoped();
    const bool already = co_await cond.wait_for([] { return true; });
    EXPECT_TRUE(already);
  });
}

}  // namespace

// The frameless awaitables of Event::wait, Lock/Semaphore::acquire and
// scoped(), Queue::get/put and Condition::wait: the fast path does not
// suspend, an awaitable never awaited does nothing, each converts to a Task
// (create_task, wait_for), a frame destroyed while suspended in one leaves
// nothing listed (a killed node's waiter), and the cancellation guarantees.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <utility>

#include "detio/detio.h"
#include "primitive_test_util.h"

using namespace std::chrono_literals;
using detio::Task;

namespace {

using namespace primitive_test;

// A task that, once it runs, records that it did: if an await suspends,
// it runs before the awaiting task resumes.
detio::TaskHandle<void> spawn_marker(bool& ran) {
  return spawn([&ran]() -> Task<void> {
    ran = true;
    co_return;
  });
}

// Spawns a node whose main awaits `awaitable` and records if it resumed;
// after a loop turn the node's task is suspended in it.
template <class Awaitable>
Task<void> park_on_node(std::string name, Awaitable awaitable, bool& resumed) {
  detio::sim::spawn_node(std::move(name), [](Awaitable a, bool& r) -> Task<void> {
    co_await std::move(a);
    r = true;
  }(std::move(awaitable), resumed));
  co_await detio::sleep(1ms);
}

// --- fast paths: no suspension ---

TEST(FramelessAwait, FastPathsCompleteWithoutLettingOtherTasksRun) {
  run([]() -> Task<void> {
    bool ran = false;
    auto marker = spawn_marker(ran);
    detio::Event event;
    event.set();
    const bool ok1 = co_await event.wait();
    EXPECT_TRUE(ok1);
    detio::Lock lock;
    const bool ok2 = co_await lock.acquire();
    EXPECT_TRUE(ok2);
    lock.release();
    {
      auto guard = co_await lock.scoped();
      EXPECT_TRUE(lock.locked());
    }
    detio::Semaphore semaphore(2);
    const bool ok3 = co_await semaphore.acquire();
    EXPECT_TRUE(ok3);
    EXPECT_EQ(semaphore.value(), 1);
    detio::Queue<int> queue(1);
    co_await queue.put(7);
    EXPECT_EQ(queue.qsize(), 1u);
    EXPECT_EQ(co_await queue.get(), 7);
    EXPECT_FALSE(ran) << "a fast path suspended the task";
    co_await marker;
    EXPECT_TRUE(ran);
    EXPECT_FALSE(lock.locked());
  });
}

TEST(FramelessAwait, AFreeLockWithALiveWaiterAheadStillSuspends) {
  run([]() -> Task<void> {
    detio::Lock lock;
    Log log;
    co_await lock.acquire();
    auto first = spawn([&]() -> Task<void> {
      co_await lock.acquire();
      log.push_back("first");
      lock.release();
    });
    co_await detio::sleep(1ms);
    lock.release();  // wakes `first`; the lock is free but promised
    co_await lock.acquire();
    log.push_back("second");
    lock.release();
    co_await first;
    EXPECT_EQ(log, (Log{"first", "second"}));
  });
}

// --- never awaited: no effect ---

TEST(FramelessAwait, AnAwaitableThatIsNeverAwaitedDoesNothing) {
  run([]() -> Task<void> {
    detio::Event event;
    { auto w = event.wait(); }
    detio::Lock lock;
    { auto a = lock.acquire(); }
    { auto s = lock.scoped(); }
    EXPECT_FALSE(lock.locked());
    detio::Semaphore semaphore(1);
    { auto a = semaphore.acquire(); }
    { auto s = semaphore.scoped(); }
    EXPECT_EQ(semaphore.value(), 1);
    detio::Queue<int> queue(1);
    { auto p = queue.put(1); }
    EXPECT_TRUE(queue.empty());
    queue.put_nowait(2);
    { auto g = queue.get(); }
    { auto p = queue.put(3); }  // full: would wait
    EXPECT_EQ(queue.qsize(), 1u);
    detio::Condition cond;
    co_await cond.acquire();
    { auto w = cond.wait(); }  // awaiting would release the lock
    EXPECT_TRUE(cond.locked());
    cond.release();
    // A Task made from one and never run does nothing either.
    { Task<void> t = queue.put(4); }
    EXPECT_EQ(queue.get_nowait(), 2);
    EXPECT_TRUE(queue.empty());
    co_return;
  });
}

// --- conversion to Task ---

TEST(FramelessAwait, EachConvertsToATaskForCreateTaskAndStorage) {
  run([]() -> Task<void> {
    detio::Event event;
    auto waiting = detio::create_task(event.wait());
    Task<bool> stored = event.wait();
    co_await detio::sleep(1ms);
    EXPECT_FALSE(waiting.done());
    event.set();
    const bool ok4 = co_await waiting;
    EXPECT_TRUE(ok4);
    const bool ok5 = co_await std::move(stored);
    EXPECT_TRUE(ok5);

    detio::Queue<int> queue;
    auto getter = detio::create_task(queue.get());
    auto putter = detio::create_task(queue.put(5));
    EXPECT_EQ(co_await getter, 5);
    co_await putter;

    detio::Lock lock;
    auto guard_task = detio::create_task(lock.scoped());
    detio::Lock::Guard guard = co_await guard_task;
    EXPECT_TRUE(guard.owns_lock());
    guard.release();
    EXPECT_FALSE(lock.locked());

    detio::Semaphore semaphore(0);
    auto acquirer = detio::create_task(semaphore.acquire());
    co_await detio::sleep(1ms);
    semaphore.release();
    const bool ok6 = co_await acquirer;
    EXPECT_TRUE(ok6);
    EXPECT_EQ(semaphore.value(), 0);
  });
}

TEST(FramelessAwait, WaitForTimingOutLeavesEveryPrimitiveAsItWas) {
  run([]() -> Task<void> {
    detio::Queue<int> queue(1);
    EXPECT_THROW(co_await detio::wait_for(queue.get(), 1ms), detio::TimeoutError);
    queue.put_nowait(1);
    EXPECT_THROW(co_await detio::wait_for(queue.put(2), 1ms), detio::TimeoutError);
    EXPECT_EQ(queue.qsize(), 1u);  // the timed-out put added nothing
    // No timed-out getter is left listed to swallow the next wake-up.
    auto getter = detio::create_task(queue.get());
    EXPECT_EQ(co_await getter, 1);
    EXPECT_TRUE(queue.empty());

    detio::Lock lock;
    co_await lock.acquire();
    EXPECT_THROW(co_await detio::wait_for(lock.acquire(), 1ms), detio::TimeoutError);
    lock.release();
    EXPECT_FALSE(lock.locked());  // the timed-out acquire took nothing

    detio::Semaphore semaphore(0);
    EXPECT_THROW(co_await detio::wait_for(semaphore.acquire(), 1ms), detio::TimeoutError);
    semaphore.release();
    EXPECT_EQ(semaphore.value(), 1);
    EXPECT_FALSE(semaphore.locked());

    detio::Event event;
    EXPECT_THROW(co_await detio::wait_for(event.wait(), 1ms), detio::TimeoutError);
    EXPECT_FALSE(event.is_set());
    EXPECT_EQ(ms(), 5);
  });
}

// --- a frame destroyed while suspended (its node killed) ---

TEST(FramelessAwait, AKilledEventWaiterIsUnlisted) {
  run([]() -> Task<void> {
    detio::Event event;
    bool dead_resumed = false;
    co_await park_on_node("dead", event.wait(), dead_resumed);
    detio::sim::kill_node("dead");
    auto live = detio::create_task(event.wait());
    co_await detio::sleep(1ms);
    event.set();  // must not touch the destroyed frame's waiter
    const bool ok7 = co_await live;
    EXPECT_TRUE(ok7);
    EXPECT_FALSE(dead_resumed);
  });
}

TEST(FramelessAwait, AKilledLockWaiterDoesNotReceiveTheNextRelease) {
  run([]() -> Task<void> {
    detio::Lock lock;
    co_await lock.acquire();
    bool dead_resumed = false;
    co_await park_on_node("dead", lock.acquire(), dead_resumed);
    auto live = detio::create_task(lock.acquire());
    co_await detio::sleep(1ms);
    detio::sim::kill_node("dead");
    lock.release();
    const bool ok8 = co_await live;
    EXPECT_TRUE(ok8);
    EXPECT_TRUE(lock.locked());
    EXPECT_FALSE(dead_resumed);
  });
}

TEST(FramelessAwait, AKilledSemaphoreWaiterDoesNotReceiveTheNextPermit) {
  run([]() -> Task<void> {
    detio::Semaphore semaphore(0);
    bool dead_resumed = false;
    co_await park_on_node("dead", semaphore.acquire(), dead_resumed);
    auto live = detio::create_task(semaphore.acquire());
    co_await detio::sleep(1ms);
    detio::sim::kill_node("dead");
    semaphore.release();
    const bool ok9 = co_await live;
    EXPECT_TRUE(ok9);
    EXPECT_EQ(semaphore.value(), 0);
    EXPECT_FALSE(dead_resumed);
  });
}

TEST(FramelessAwait, KilledQueueWaitersDoNotReceiveTheNextItemOrSlot) {
  run([]() -> Task<void> {
    detio::Queue<int> queue(1);
    bool dead_resumed = false;
    co_await park_on_node("dead-getter", queue.get(), dead_resumed);
    auto live_getter = detio::create_task(queue.get());
    co_await detio::sleep(1ms);
    detio::sim::kill_node("dead-getter");
    queue.put_nowait(1);
    EXPECT_EQ(co_await live_getter, 1);

    queue.put_nowait(2);
    co_await park_on_node("dead-putter", queue.put(3), dead_resumed);
    auto live_putter = detio::create_task(queue.put(4));
    co_await detio::sleep(1ms);
    detio::sim::kill_node("dead-putter");
    EXPECT_EQ(queue.get_nowait(), 2);  // frees a slot: wakes the live putter
    co_await live_putter;
    EXPECT_EQ(queue.get_nowait(), 4);
    EXPECT_TRUE(queue.empty());
    EXPECT_FALSE(dead_resumed);
  });
}

TEST(FramelessAwait, AKilledConditionWaiterDoesNotReceiveTheNextNotify) {
  run([]() -> Task<void> {
    detio::Condition cond;
    detio::sim::spawn_node("dead", [](detio::Condition& c) -> Task<void> {
      co_await c.acquire();
      co_await c.wait();
      ADD_FAILURE() << "a killed node's task resumed";
    }(cond));
    auto live = spawn([&]() -> Task<bool> {
      auto guard = co_await cond.scoped();
      co_return co_await cond.wait();
    });
    co_await detio::sleep(1ms);
    detio::sim::kill_node("dead");
    co_await cond.acquire();
    cond.notify(1);
    cond.release();
    const bool ok10 = co_await live;
    EXPECT_TRUE(ok10);
    EXPECT_FALSE(cond.locked());
  });
}

// --- cancellation and waiting again ---

TEST(FramelessAwait, ACancelledGetterThatWasWokenLeavesTheItemAndPassesItOn) {
  run([]() -> Task<void> {
    detio::Queue<int> queue;
    auto first = detio::create_task(queue.get());
    auto second = detio::create_task(queue.get());
    co_await detio::sleep(1ms);
    queue.put_nowait(1);  // wakes `first`
    first.cancel();
    EXPECT_THROW(co_await first, detio::CancelledError);
    EXPECT_EQ(co_await second, 1);
    EXPECT_TRUE(queue.empty());
  });
}

TEST(FramelessAwait, AGetterBeatenToTheItemWaitsAgainAtTheBack) {
  run([]() -> Task<void> {
    detio::Queue<int> queue;
    Log log;
    auto a = spawn([&]() -> Task<void> { log.push_back("a:" + std::to_string(co_await queue.get())); });
    auto b = spawn([&]() -> Task<void> { log.push_back("b:" + std::to_string(co_await queue.get())); });
    co_await detio::sleep(1ms);
    queue.put_nowait(1);                 // wakes a
    EXPECT_EQ(queue.get_nowait(), 1);    // ... which loses it: a queues behind b
    co_await detio::sleep(1ms);
    EXPECT_TRUE(log.empty());
    queue.put_nowait(2);
    co_await detio::sleep(1ms);
    queue.put_nowait(3);
    co_await a;
    co_await b;
    EXPECT_EQ(log, (Log{"b:2", "a:3"}));
  });
}

TEST(FramelessAwait, APutterBeatenToTheSlotWaitsAgainAtTheBack) {
  run([]() -> Task<void> {
    detio::Queue<int> queue(1);
    queue.put_nowait(0);
    auto a = detio::create_task(queue.put(1));
    auto b = detio::create_task(queue.put(2));
    co_await detio::sleep(1ms);
    EXPECT_EQ(queue.get_nowait(), 0);  // wakes a
    queue.put_nowait(9);               // ... which loses the slot
    co_await detio::sleep(1ms);
    EXPECT_FALSE(a.done());
    EXPECT_EQ(queue.get_nowait(), 9);  // wakes b, now first
    co_await b;
    EXPECT_FALSE(a.done());
    EXPECT_EQ(queue.get_nowait(), 2);
    co_await a;
    EXPECT_EQ(queue.get_nowait(), 1);
  });
}

TEST(FramelessAwait, ShutdownWakesAWaitingGetterWithQueueShutDown) {
  run([]() -> Task<void> {
    detio::Queue<int> queue;
    auto getter = detio::create_task(queue.get());
    co_await detio::sleep(1ms);
    queue.shutdown();
    EXPECT_THROW(co_await getter, detio::QueueShutDown);
  });
}

TEST(FramelessAwait, AWokenLockWaiterThatIsCancelledPassesTheLockOn) {
  run([]() -> Task<void> {
    detio::Lock lock;
    co_await lock.acquire();
    auto first = detio::create_task(lock.acquire());
    auto second = detio::create_task(lock.acquire());
    co_await detio::sleep(1ms);
    lock.release();  // wakes `first`
    first.cancel();
    EXPECT_THROW(co_await first, detio::CancelledError);
    const bool ok11 = co_await second;
    EXPECT_TRUE(ok11);
    EXPECT_TRUE(lock.locked());
  });
}

TEST(FramelessAwait, AWokenSemaphoreWaiterThatIsCancelledPassesThePermitOn) {
  run([]() -> Task<void> {
    detio::Semaphore semaphore(0);
    auto first = detio::create_task(semaphore.acquire());
    auto second = detio::create_task(semaphore.acquire());
    co_await detio::sleep(1ms);
    semaphore.release();  // reserved for `first`
    first.cancel();
    EXPECT_THROW(co_await first, detio::CancelledError);
    const bool ok12 = co_await second;
    EXPECT_TRUE(ok12);
    EXPECT_EQ(semaphore.value(), 0);
  });
}

TEST(FramelessAwait, ANotifiedWaiterQueuesForTheHeldLockAndIsReportedSo) {
  try {
    run([]() -> Task<void> {
      detio::Condition cond;
      auto waiter = spawn([&]() -> Task<void> {
        co_await cond.acquire();
        co_await cond.wait();
      }, "waiter");
      co_await detio::sleep(1ms);
      co_await cond.acquire();
      cond.notify();
      co_await waiter;  // still holding the lock the waiter needs
    });
    FAIL() << "expected DeadlockError";
  } catch (const detio::sim::DeadlockError& err) {
    ASSERT_EQ(err.blocked_tasks().size(), 2u);
    EXPECT_EQ(err.blocked_tasks()[1], "waiter: waiting on Lock.acquire");
  }
}

TEST(FramelessAwait, AConditionWaiterReturnsHoldingTheLockAfterQueueingForIt) {
  run([]() -> Task<void> {
    detio::Condition cond;
    bool held_on_return = false;
    auto waiter = spawn([&]() -> Task<void> {
      co_await cond.acquire();
      co_await cond.wait();
      held_on_return = cond.locked();
      cond.release();
    });
    co_await detio::sleep(1ms);
    co_await cond.acquire();
    cond.notify();
    co_await detio::sleep(1ms);  // the waiter now queues for the lock
    EXPECT_FALSE(waiter.done());
    cond.release();
    co_await waiter;
    EXPECT_TRUE(held_on_return);
    EXPECT_FALSE(cond.locked());
  });
}

}  // namespace

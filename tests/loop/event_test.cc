// detio::Event: flag semantics, waking every waiter in FIFO order, cancel
// and timeout while waiting, a waiter outliving its Event, DeadlockError.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "detio/detio.h"
#include "primitive_test_util.h"

using namespace std::chrono_literals;
using detio::Task;

namespace {

using namespace primitive_test;

TEST(Event, FlagStartsClearAndFollowsSetAndClear) {
  run([]() -> Task<void> {
    detio::Event e;
    EXPECT_FALSE(e.is_set());
    e.set();
    EXPECT_TRUE(e.is_set());
    e.set();  // idempotent
    EXPECT_TRUE(e.is_set());
    e.clear();
    EXPECT_FALSE(e.is_set());
    e.clear();
    EXPECT_FALSE(e.is_set());
    co_return;
  });
}

TEST(Event, WaitOnSetEventReturnsWithoutSuspending) {
  run([]() -> Task<void> {
    detio::Event e;
    e.set();
    std::vector<std::string> log;
    auto other = spawn([&]() -> Task<void> {
      log.push_back("other");
      co_return;
    });
    co_await e.wait();
    // Had wait() suspended, the already queued task would have run first.
    log.push_back("main");
    co_await other;
    EXPECT_EQ(log, (std::vector<std::string>{"main", "other"}));
    EXPECT_EQ(ms(), 0);
  });
}

TEST(Event, SetWakesEveryWaiterInFifoOrder) {
  run([]() -> Task<void> {
    detio::Event e;
    std::vector<std::string> log;
    std::vector<detio::TaskHandle<void>> waiters;
    for (std::string name : {"a", "b", "c"}) {
      waiters.push_back(spawn([&e, &log, name]() -> Task<void> {
        co_await e.wait();
        log.push_back(name + "@" + std::to_string(ms()));
      }));
    }
    co_await detio::sleep(5ms);
    EXPECT_TRUE(log.empty());
    e.set();
    EXPECT_TRUE(log.empty());  // woken, not run inline
    for (auto& w : waiters) co_await w;
    EXPECT_EQ(log, (std::vector<std::string>{"a@5", "b@5", "c@5"}));
  });
}

TEST(Event, WokenWaitersReturnEvenIfClearedBeforeTheyRun) {
  run([]() -> Task<void> {
    detio::Event e;
    int woken = 0;
    auto a = spawn([&]() -> Task<void> {
      co_await e.wait();
      ++woken;
    });
    auto b = spawn([&]() -> Task<void> {
      co_await e.wait();
      ++woken;
    });
    co_await detio::sleep(0ms);
    e.set();
    e.clear();
    co_await a;
    co_await b;
    EXPECT_EQ(woken, 2);
    EXPECT_FALSE(e.is_set());
    // A new wait after clear() blocks again.
    EXPECT_THROW(co_await detio::timeout(3ms, e.wait()), detio::TimeoutError);
    EXPECT_EQ(ms(), 3);
  });
}

TEST(Event, CancelledWaiterLeavesTheOthersWaiting) {
  run([]() -> Task<void> {
    detio::Event e;
    std::vector<std::string> log;
    auto a = spawn([&]() -> Task<void> {
      try {
        co_await e.wait();
        log.push_back("a woken");
      } catch (const detio::CancelledError& err) {
        log.push_back("a cancelled: " + err.message());
        throw;
      }
    });
    auto b = spawn([&]() -> Task<void> {
      co_await e.wait();
      log.push_back("b woken");
    });
    co_await detio::sleep(1ms);
    EXPECT_TRUE(a.cancel("stop"));
    EXPECT_THROW(co_await a, detio::CancelledError);
    EXPECT_FALSE(e.is_set());
    EXPECT_FALSE(b.done());
    e.set();
    co_await b;
    EXPECT_EQ(log, (std::vector<std::string>{"a cancelled: stop", "b woken"}));
  });
}

TEST(Event, CancelAfterSetStillCancelsTheWaiter) {
  // asyncio: the future already has its result, but the task was cancelled
  // before it ran, so the await raises CancelledError.
  run([]() -> Task<void> {
    detio::Event e;
    bool returned = false;
    auto a = spawn([&]() -> Task<void> {
      co_await e.wait();
      returned = true;
    });
    co_await detio::sleep(0ms);
    e.set();
    a.cancel();
    EXPECT_THROW(co_await a, detio::CancelledError);
    EXPECT_FALSE(returned);
    EXPECT_TRUE(e.is_set());
  });
}

TEST(Event, TimeoutAroundWait) {
  run([]() -> Task<void> {
    detio::Event e;
    EXPECT_THROW(co_await detio::timeout(10ms, e.wait()), detio::TimeoutError);
    EXPECT_EQ(ms(), 10);
    auto setter = spawn([&]() -> Task<void> {
      co_await detio::sleep(5ms);
      e.set();
    });
    co_await detio::timeout(10ms, e.wait());
    EXPECT_EQ(ms(), 15);
    co_await setter;
    e.clear();
    EXPECT_THROW(co_await detio::wait_for(e.wait(), 4ms), detio::TimeoutError);
    EXPECT_EQ(ms(), 19);
    e.set();
    co_await detio::wait_for(e.wait(), 4ms);
    EXPECT_EQ(ms(), 19);
  });
}

TEST(Event, WaiterWokenByAnEventDestroyedBeforeItRunsReturnsNormally) {
  run([]() -> Task<void> {
    auto e = std::make_unique<detio::Event>();
    bool returned = false;
    detio::Event* raw = e.get();
    auto waiter = spawn([raw, &returned]() -> Task<void> {
      co_await raw->wait();
      returned = true;
    });
    co_await detio::sleep(0ms);
    e->set();
    e.reset();  // the waiter is woken but has not run yet
    co_await waiter;
    EXPECT_TRUE(returned);
  });
}

TEST(Event, MainWaitingOnAnEventNobodySetsIsADeadlock) {
  try {
    run([]() -> Task<void> {
      detio::Event e;
      auto helper = spawn([&]() -> Task<void> { co_await e.wait(); }, "helper");
      co_await e.wait();
    });
    FAIL() << "expected DeadlockError";
  } catch (const detio::sim::DeadlockError& err) {
    EXPECT_NE(std::string(err.what()).find("Event.wait"), std::string::npos) << err.what();
    ASSERT_EQ(err.blocked_tasks().size(), 2u);
    EXPECT_NE(err.blocked_tasks()[0].find("waiting on Event.wait"), std::string::npos) << err.blocked_tasks()[0];
    EXPECT_EQ(err.blocked_tasks()[1], "helper: waiting on Event.wait");
  }
}

TEST(Event, WaitReturnsTrueAtOnceAndAfterWaiting) {
  run([]() -> Task<void> {
    detio::Event e;
    auto waiter = spawn([&]() -> Task<bool> { co_return co_await e.wait(); });
    co_await detio::sleep(1ms);
    EXPECT_FALSE(waiter.done());
    e.set();
    EXPECT_TRUE(co_await waiter);
    const bool at_once = co_await e.wait();
    EXPECT_TRUE(at_once);
  });
}

}  // namespace

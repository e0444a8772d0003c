// Misuse of the core API (API.md, "Errors"): each is a subclass of
// detio::Error (or the asyncio error it mirrors) whose message says what
// was wrong. docs/bad-input.md lists every row with its test; this file
// backs the rows that had no test of their message.
#include <gtest/gtest.h>

#include <detio/detio.h>

#include <string>
#include <typeinfo>
#include <vector>

#include "../support/backends.h"

using namespace std::chrono_literals;
using detio::Task;

namespace {

// "<what the error is>: <message>" for the exception `f()` throws, "none".
template <class F>
std::string error_of(F&& f) {
  try {
    f();
    return "none";
  } catch (const detio::InvalidStateError& e) {
    return std::string("InvalidStateError: ") + e.what();
  } catch (const detio::ValueError& e) {
    return std::string("ValueError: ") + e.what();
  } catch (const detio::RuntimeError& e) {
    return std::string("RuntimeError: ") + e.what();
  } catch (const detio::QueueEmpty& e) {
    return std::string("QueueEmpty: ") + e.what();
  } catch (const detio::QueueFull& e) {
    return std::string("QueueFull: ") + e.what();
  } catch (const detio::QueueShutDown& e) {
    return std::string("QueueShutDown: ") + e.what();
  } catch (const detio::BrokenBarrierError& e) {
    return std::string("BrokenBarrierError: ") + e.what();
  } catch (const detio::TimeoutError& e) {
    return std::string("TimeoutError: ") + e.what();
  } catch (const detio::Error& e) {
    return std::string("Error: ") + e.what();
  }
}

// The same for an awaitable.
template <class Awaitable>
Task<std::string> co_error_of(Awaitable a) {
  std::exception_ptr error;
  try {
    co_await std::move(a);
  } catch (...) {
    error = std::current_exception();
  }
  if (!error) co_return "none";
  co_return error_of([&] { std::rethrow_exception(error); });
}

class MisuseTest : public detio_test::CoreBackendTest {};

TEST_P(MisuseTest, Primitives) {
  run([]() -> Task<void> {
    detio::Lock lock;
    EXPECT_EQ(error_of([&] { lock.release(); }), "RuntimeError: Lock is not acquired.");
    detio::BoundedSemaphore bounded(1);
    EXPECT_EQ(error_of([&] { bounded.release(); }), "ValueError: BoundedSemaphore released too many times");
    EXPECT_EQ(error_of([] { detio::Semaphore s(-1); }), "ValueError: Semaphore initial value must be >= 0, got -1");
    detio::Lock::Guard empty_guard;
    EXPECT_EQ(error_of([&] { empty_guard.release(); }),
              "RuntimeError: Guard::release(): the guard does not own a lock");
    detio::Condition condition;
    EXPECT_EQ(error_of([&] { condition.notify(); }), "RuntimeError: cannot notify on un-acquired lock");
    EXPECT_EQ(co_await co_error_of(condition.wait()), "RuntimeError: cannot wait on un-acquired lock");
    EXPECT_EQ(error_of([] { detio::Barrier b(0); }), "ValueError: Barrier parties must be > 0, got 0");
    detio::Barrier barrier(2);
    co_await barrier.abort();
    EXPECT_EQ(co_await co_error_of(barrier.wait()), "BrokenBarrierError: Barrier aborted");
  });
}

TEST_P(MisuseTest, Queues) {
  run([]() -> Task<void> {
    detio::Queue<int> q(1);
    EXPECT_EQ(error_of([&] { q.get_nowait(); }), "QueueEmpty: queue is empty");
    q.put_nowait(1);
    EXPECT_EQ(error_of([&] { q.put_nowait(2); }), "QueueFull: queue is full");
    (void)q.get_nowait();
    q.task_done();
    EXPECT_EQ(error_of([&] { q.task_done(); }), "ValueError: task_done() called too many times");
    q.shutdown();
    EXPECT_EQ(error_of([&] { q.put_nowait(3); }), "QueueShutDown: queue is shut down");
    co_return;
  });
}

Task<int> seven() { co_return 7; }

TEST_P(MisuseTest, FuturesTasksAndHandles) {
  run([]() -> Task<void> {
    detio::Future<int> f;
    EXPECT_EQ(error_of([&] { (void)f.result(); }), "InvalidStateError: Result is not set: future is still pending");
    f.set_result(1);
    EXPECT_EQ(error_of([&] { f.set_result(2); }), "InvalidStateError: Future::set_result: future is already done");
    detio::Future<int> g;
    EXPECT_EQ(error_of([&] { g.set_exception(nullptr); }), "ValueError: Future::set_exception: null exception_ptr");
    Task<int> task = seven();
    Task<int> moved = std::move(task);
    EXPECT_EQ(error_of([&] { detio::create_task(std::move(task)); }),
              "InvalidStateError: create_task: empty or already awaited detio::Task");
    EXPECT_EQ(co_await std::move(moved), 7);
    EXPECT_EQ(co_await co_error_of(std::move(moved)),
              "InvalidStateError: awaiting an empty or already awaited detio::Task");
    detio::TaskHandle<int> empty;
    EXPECT_EQ(error_of([&] { (void)empty.done(); }), "InvalidStateError: empty detio::TaskHandle");
    std::vector<detio::TaskHandle<int>> none;  // named: g++ 12 rejects braced temporaries in co_await
    EXPECT_EQ(co_await co_error_of(detio::wait(std::move(none))),
              "ValueError: detio::wait: the set of tasks is empty");
    auto pending = detio::create_task(seven(), "seven");
    EXPECT_EQ(error_of([&] { (void)pending.result(); }),
              "InvalidStateError: Result is not set: task seven is still pending");
    co_await pending;
  });
}

Task<void> fail_soon() {
  co_await detio::sleep(1ms);
  throw detio::ValueError("boom");
}

TEST_P(MisuseTest, TaskGroupAndTimeout) {
  run([]() -> Task<void> {
    detio::TaskGroup finished;
    co_await finished.exit(nullptr);
    EXPECT_EQ(error_of([&] { finished.create_task(seven()); }), "RuntimeError: TaskGroup is finished");
    std::string during_shutdown;
    auto body = [&](detio::TaskGroup& tg) -> Task<void> {
      tg.create_task(fail_soon());
      try {
        co_await detio::sleep(1s);
      } catch (const detio::CancelledError&) {
        during_shutdown = error_of([&] { tg.create_task(seven()); });
        throw;
      }
    };
    EXPECT_NE(co_await co_error_of(detio::task_group(std::move(body))), "none");
    EXPECT_EQ(during_shutdown, "RuntimeError: TaskGroup is shutting down");
    std::string expired;
    auto reschedule_after_expiry = [&](detio::Timeout& t) -> Task<void> {
      try {
        co_await detio::sleep(1s);
      } catch (const detio::CancelledError&) {
        expired = error_of([&] { t.reschedule(std::nullopt); });
        throw;
      }
    };
    EXPECT_EQ(co_await co_error_of(detio::timeout(1ms, std::move(reschedule_after_expiry))),
              "TimeoutError: timed out");
    EXPECT_EQ(expired, "RuntimeError: Cannot change state of expiring Timeout");
  });
}

TEST(Misuse, OutsideALoop) {
  EXPECT_EQ(error_of([] { (void)detio::now(); }), "RuntimeError: no running detio event loop");
  auto nested = []() -> Task<void> {
    EXPECT_EQ(error_of([] { detio::sim::run(seven()); }),
              "RuntimeError: detio::sim::run() cannot be called from a running event loop");
    co_return;
  };
  detio::sim::run(nested());
  detio::sim::Runner runner;
  runner.close();
  EXPECT_EQ(error_of([&] { runner.run(seven()); }), "RuntimeError: detio::sim::Runner.run(): the runner is closed");
}

TEST(Misuse, StreamReaderFedByHand) {
  detio::sim::run([]() -> Task<void> {
    detio::StreamReader r;
    EXPECT_EQ(co_await co_error_of(r.readuntil("")), "ValueError: Separator should be at least one-byte string");
    auto first = detio::create_task(r.read());
    co_await detio::sleep(0ms);
    EXPECT_EQ(co_await co_error_of(r.readline()),
              "RuntimeError: StreamReader.readuntil() called while another task is already waiting for incoming data");
    r.feed_eof();
    EXPECT_EQ(error_of([&] { r.feed_data("x"); }), "InvalidStateError: StreamReader: feed_data after feed_eof");
    EXPECT_EQ(co_await first, "");
  }());
}

DETIO_INSTANTIATE_CORE_BACKENDS(MisuseTest);

}  // namespace

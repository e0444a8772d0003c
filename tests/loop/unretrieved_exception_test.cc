// asyncio's "Task exception was never retrieved": a task or Future that
// failed and whose exception nobody looked at (await, result(),
// exception(), gather, TaskGroup, ...) reports it on stderr when destroyed,
// so a fire-and-forget task cannot fail silently. Looked-at exceptions and
// cancellations are not reported.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace {

using namespace detio_core_test;
using ::testing::HasSubstr;
using ::testing::Not;
using detio::Task;

Task<void> fails(std::string what) {
  co_await detio::sleep(1ms);
  throw detio::ValueError(what);
}

// Runs `main` under sim::run with stderr captured; returns stderr.
std::string stderr_of(Task<void> main) {
  ::testing::internal::CaptureStderr();
  detio::sim::run(std::move(main));
  return ::testing::internal::GetCapturedStderr();
}

TEST(UnretrievedException, AFireAndForgetTaskThatFailedIsReported) {
  std::string err = stderr_of([]() -> Task<void> {
    detio::create_task(fails("lost"), "forgotten");
    co_await detio::sleep(1s);
  }());
  EXPECT_THAT(err, HasSubstr("detio: Task 'forgotten' exception was never retrieved: lost"));
}

TEST(UnretrievedException, AFailedFutureNobodyAwaitedIsReported) {
  std::string err = stderr_of([]() -> Task<void> {
    detio::Future<int> f;
    f.set_exception(std::make_exception_ptr(detio::ValueError("dropped")));
    co_return;
  }());
  EXPECT_THAT(err, HasSubstr("detio: Future exception was never retrieved: dropped"));
}

TEST(UnretrievedException, ExceptionsSomebodyLookedAtAreNotReported) {
  std::string err = stderr_of([]() -> Task<void> {
    auto awaited = detio::create_task(fails("awaited"));
    try {
      co_await awaited;
    } catch (const detio::ValueError&) {
    }
    auto inspected = detio::create_task(fails("inspected"));
    co_await detio::sleep(1s);
    EXPECT_NE(inspected.exception(), nullptr);
    try {
      co_await detio::gather(fails("gathered"));
    } catch (const detio::ValueError&) {
    }
    // The second child fails after the gather already raised the first
    // failure: asyncio's gather still retrieves it (no report).
    try {
      co_await detio::gather(fails("first"), [&]() -> Task<void> {
        co_await detio::sleep(5ms);
        throw detio::ValueError("second");
      }());
    } catch (const detio::ValueError&) {
    }
    co_await detio::sleep(10ms);
    std::vector<Task<void>> settled;
    settled.push_back(fails("settled"));
    co_await detio::gather_settled(std::move(settled));
    detio::Future<int> f;
    f.set_exception(std::make_exception_ptr(detio::ValueError("future")));
    try {
      f.result();
    } catch (const detio::ValueError&) {
    }
    auto cancelled = detio::create_task(detio::sleep(1s));
    co_await detio::sleep(0ms);
    cancelled.cancel();
    co_await detio::sleep(1ms);
  }());
  EXPECT_THAT(err, Not(HasSubstr("never retrieved")));
}

Task<void> fails_after(detio::Duration d, std::string what) {
  co_await detio::sleep(d);
  throw detio::ValueError(std::move(what));
}

// A gather that raised its first child's failure (a vector of Tasks, the
// gather's frame gone by the time the awaiter runs) still retrieves the
// others' exceptions, as _GatheringFuture's done callback does: one that
// failed in the same iteration, and one that fails long after.
Task<void> gather_failing_children(detio::Duration second_fails_after) {
  std::vector<Task<void>> children;
  children.push_back(fails_after(0ms, "first"));
  children.push_back(fails_after(second_fails_after, "second"));
  try {
    co_await detio::gather(std::move(children));
  } catch (const detio::ValueError& e) {
    EXPECT_STREQ(e.what(), "first");
  }
  co_await detio::sleep(2s);
}

TEST(UnretrievedException, AVectorGatherRetrievesAChildThatFailedInTheSameIteration) {
  EXPECT_THAT(stderr_of(gather_failing_children(0ms)), Not(HasSubstr("never retrieved")));
}

TEST(UnretrievedException, AVectorGatherRetrievesAChildThatFailsAfterItRaised) {
  EXPECT_THAT(stderr_of(gather_failing_children(1s)), Not(HasSubstr("never retrieved")));
}

}  // namespace

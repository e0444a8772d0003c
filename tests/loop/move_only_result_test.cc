// Move-only results (std::unique_ptr) through every path that hands a
// result over: co_await on a handle or a Future, result(), gather,
// gather_settled, wait_for, timeout, shield, as_completed and sim::run.
// Such a result is handed over once; asking again is InvalidStateError,
// never a moved-from value. Copyable results stay copies, asked any number
// of times.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "test_util.h"

namespace {

using namespace detio_core_test;
using ::testing::HasSubstr;
using detio::Task;
using detio::TaskHandle;
using Box = std::unique_ptr<int>;

Task<Box> boxed(int v, detio::Duration delay = 0ms) {
  co_await detio::sleep(delay);
  co_return std::make_unique<int>(v);
}

// What a second take of an already handed-over result throws.
template <class F>
std::string second_take_error(F take) {
  try {
    take();
  } catch (const detio::InvalidStateError& e) {
    return e.what();
  }
  return "no error";
}

TEST(MoveOnlyResult, HandleHandsTheResultOverOnceThenSaysWhy) {
  std::string error;
  int value = detio::sim::run([&]() -> Task<int> {
    TaskHandle<Box> h = detio::create_task(boxed(7), "maker");
    Box b = co_await h;
    error = second_take_error([&] { h.result(); });
    co_return *b;
  }());
  EXPECT_EQ(value, 7);
  EXPECT_THAT(error, HasSubstr("task 'maker'"));
  EXPECT_THAT(error, HasSubstr("already taken"));
}

TEST(MoveOnlyResult, ResultTakesItAndALaterAwaitThrows) {
  std::string second;
  int value = detio::sim::run([&]() -> Task<int> {
    TaskHandle<Box> h = detio::create_task(boxed(3));
    co_await detio::sleep(1ms);
    Box b = h.result();
    try {
      co_await h;
      second = "no error";
    } catch (const detio::InvalidStateError&) {
      second = "InvalidStateError";
    }
    co_return *b;
  }());
  EXPECT_EQ(value, 3);
  EXPECT_EQ(second, "InvalidStateError");
}

TEST(MoveOnlyResult, FutureHandsItOverOnceAcrossTwoAwaiters) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    detio::Future<Box> f;
    auto waiter = [&log, f](std::string name) -> Task<void> {
      try {
        Box b = co_await f;
        log.push_back(name + " got " + std::to_string(*b));
      } catch (const detio::InvalidStateError&) {
        log.push_back(name + " InvalidStateError");
      }
    };
    auto first = detio::create_task(waiter("a"));
    auto second = detio::create_task(waiter("b"));
    co_await detio::sleep(1ms);
    f.set_result(std::make_unique<int>(5));
    co_await first;
    co_await second;
  }());
  EXPECT_THAT(log, ::testing::ElementsAre("a got 5", "b InvalidStateError"));
}

TEST(MoveOnlyResult, GatherTupleAndVectors) {
  std::vector<int> seen;
  detio::sim::run([&]() -> Task<void> {
    auto [a, n] = co_await detio::gather(boxed(1, 2ms), []() -> Task<int> { co_return 2; }());
    seen = {*a, n};
    std::vector<Task<Box>> tasks;
    tasks.push_back(boxed(3, 1ms));
    tasks.push_back(boxed(4));
    for (Box& b : co_await detio::gather(std::move(tasks))) seen.push_back(*b);
    std::vector<TaskHandle<Box>> handles{detio::create_task(boxed(5)), detio::create_task(boxed(6))};
    for (Box& b : co_await detio::gather(handles)) seen.push_back(*b);
  }());
  EXPECT_THAT(seen, ::testing::ElementsAre(1, 2, 3, 4, 5, 6));
}

TEST(MoveOnlyResult, GatherSettledOutcomeMovesOut) {
  std::vector<std::string> seen;
  detio::sim::run([&]() -> Task<void> {
    std::vector<Task<Box>> tasks;
    tasks.push_back(boxed(8));
    tasks.push_back([]() -> Task<Box> {
      throw std::runtime_error("no box");
      co_return nullptr;
    }());
    for (detio::Outcome<Box>& o : co_await detio::gather_settled(std::move(tasks))) {
      if (o.ok()) {
        Box b = std::move(o).value();
        seen.push_back(std::to_string(*b));
      } else {
        seen.push_back(describe(o.error()));
      }
    }
  }());
  EXPECT_THAT(seen, ::testing::ElementsAre("8", "runtime_error(no box)"));
}

TEST(MoveOnlyResult, TimeoutsAndShield) {
  std::vector<std::string> seen;
  detio::sim::run([&]() -> Task<void> {
    seen.push_back(std::to_string(*co_await detio::wait_for(boxed(1, 1ms), 1s)));
    seen.push_back(std::to_string(*co_await detio::wait_for(detio::create_task(boxed(2)), 1s)));
    TaskHandle<Box> done = detio::create_task(boxed(3));
    co_await detio::sleep(1ms);
    // A non-positive timeout on a finished task still hands the result over.
    seen.push_back(std::to_string(*co_await detio::wait_for(done, 0s)));
    seen.push_back(std::to_string(*co_await detio::timeout(1s, boxed(4, 1ms))));
    seen.push_back(std::to_string(*co_await detio::shield(boxed(5, 1ms))));
    try {
      co_await detio::wait_for(boxed(6, 2s), 1s);
    } catch (const detio::TimeoutError&) {
      seen.push_back("TimeoutError");
    }
  }());
  EXPECT_THAT(seen, ::testing::ElementsAre("1", "2", "3", "4", "5", "TimeoutError"));
}

TEST(MoveOnlyResult, AsCompletedYieldsInCompletionOrder) {
  std::vector<int> seen;
  detio::sim::run([&]() -> Task<void> {
    std::vector<TaskHandle<Box>> handles{detio::create_task(boxed(1, 3ms)), detio::create_task(boxed(2, 1ms)),
                                         detio::create_task(boxed(3, 2ms))};
    for (auto next : detio::as_completed(handles)) seen.push_back(*co_await std::move(next));
  }());
  EXPECT_THAT(seen, ::testing::ElementsAre(2, 3, 1));
}

// A container of move-only values claims to be copy-constructible; it is
// handed over once all the same.
TEST(MoveOnlyResult, ContainersOfMoveOnlyValues) {
  std::size_t size = 0;
  detio::sim::run([&]() -> Task<void> {
    auto h = detio::create_task([]() -> Task<std::vector<Box>> {
      std::vector<Box> boxes;
      boxes.push_back(std::make_unique<int>(1));
      boxes.push_back(std::make_unique<int>(2));
      co_return boxes;
    }());
    std::vector<Box> got = co_await h;
    size = got.size();
    EXPECT_THROW(h.result(), detio::InvalidStateError);
  }());
  EXPECT_EQ(size, 2u);
}

TEST(MoveOnlyResult, SimRunReturnsIt) {
  Box b = detio::sim::run(boxed(9, 1s));
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(*b, 9);
}

TEST(MoveOnlyResult, CopyableResultsStayCopiesAskedAnyNumberOfTimes) {
  std::vector<std::string> seen;
  detio::sim::run([&]() -> Task<void> {
    TaskHandle<std::string> h = detio::create_task([]() -> Task<std::string> { co_return "same"; }());
    seen.push_back(co_await h);
    seen.push_back(co_await h);
    seen.push_back(h.result());
    detio::Future<std::string> f;
    f.set_result("fut");
    seen.push_back(co_await f);
    seen.push_back(f.result());
  }());
  EXPECT_THAT(seen, ::testing::ElementsAre("same", "same", "same", "fut", "fut"));
}

}  // namespace

// Values at the ends of their range, on the simulator and the real loop:
// time arithmetic with Duration::max()/min() saturates (a deadline of
// "never" or "long ago", never an overflow into the other end), and a
// Semaphore that would count past INT_MAX refuses with ValueError.
#include <gtest/gtest.h>

#include <climits>
#include <string>

#include "../support/backends.h"
#include "detio/detio.h"

using namespace std::chrono_literals;
using detio::Duration;
using detio::Task;
using detio::TimePoint;

namespace {

class ExtremeValuesTest : public detio_test::CoreBackendTest {};

TEST(ExtremeValues, SemaphoreReleasePastIntMaxIsAValueError) {
  detio::Semaphore sem(INT_MAX);
  // Before: ++value_ overflowed (UBSan), and the semaphore went negative.
  try {
    sem.release();
    ADD_FAILURE() << "expected ValueError";
  } catch (const detio::ValueError& e) {
    EXPECT_STREQ(e.what(), "Semaphore released too many times: its value would exceed 2147483647");
  }
  EXPECT_EQ(sem.value(), INT_MAX);
  EXPECT_FALSE(sem.locked());
}

TEST(ExtremeValues, SaturatingAddition) {
  using detio::internal::deadline_after;
  using detio::internal::saturating_add;
  EXPECT_EQ(saturating_add(Duration::max(), Duration(1)), Duration::max());
  EXPECT_EQ(saturating_add(Duration::min(), Duration(-1)), Duration::min());
  EXPECT_EQ(saturating_add(Duration::max(), Duration::min()), Duration(-1));
  EXPECT_EQ(deadline_after(TimePoint(1s), Duration::max()), TimePoint::max());
  EXPECT_EQ(deadline_after(TimePoint(-1s), Duration::min()), TimePoint::min());
  EXPECT_EQ(deadline_after(TimePoint(1s), -2s), TimePoint(-1s));
}

TEST_P(ExtremeValuesTest, HugeTimeoutsNeverFireAndHugeNegativeOnesAlreadyExpired) {
  run([]() -> Task<void> {
    // wait_for / timeout / sleep / call_later with Duration::max(): never.
    auto quick = []() -> Task<int> {
      co_await detio::sleep(1ms);
      co_return 5;
    };
    EXPECT_EQ(co_await detio::wait_for(quick(), Duration::max()), 5);
    EXPECT_EQ(co_await detio::timeout(Duration::max(), quick()), 5);
    detio::CallbackHandle never = detio::call_later(Duration::max(), [] { ADD_FAILURE() << "fired"; });
    auto sleep_forever = detio::create_task(detio::sleep(Duration::max()));
    co_await detio::sleep(1ms);
    EXPECT_FALSE(sleep_forever.done());
    sleep_forever.cancel();
    never.cancel();
    // Duration::min(): already expired, as a negative timeout is.
    bool timed_out = false;
    try {
      co_await detio::wait_for(quick(), Duration::min());
    } catch (const detio::TimeoutError&) {
      timed_out = true;
    }
    EXPECT_TRUE(timed_out);
    timed_out = false;
    try {
      co_await detio::timeout_at(TimePoint::min(), quick());
    } catch (const detio::TimeoutError&) {
      timed_out = true;
    }
    EXPECT_TRUE(timed_out);
    const TimePoint start = detio::now();
    co_await detio::sleep(Duration::min());
    EXPECT_LT(detio::now() - start, 1s);
  });
}

DETIO_INSTANTIATE_CORE_BACKENDS(ExtremeValuesTest);

}  // namespace

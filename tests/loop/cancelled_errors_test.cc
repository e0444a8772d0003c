// internal::holds_cancelled_error tells a CancelledError from any other
// exception, with its message, whether or not the loop made it (the
// loop's own are recognised without a rethrow; the answer is the same).
#include "detio/internal/cancelled_errors.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "detio/errors.h"

namespace {

using detio::internal::holds_cancelled_error;
using detio::internal::make_cancelled;

TEST(CancelledErrors, TheLoopsOwnAreRecognisedWithTheirMessage) {
  std::string message;
  EXPECT_TRUE(holds_cancelled_error(make_cancelled("stop"), &message));
  EXPECT_EQ(message, "stop");
}

TEST(CancelledErrors, OlderOnesAndOnesMadeElsewhereAreRecognisedToo) {
  const std::exception_ptr older = make_cancelled("first");
  const std::exception_ptr newer = make_cancelled("second");
  const std::exception_ptr foreign = std::make_exception_ptr(detio::CancelledError("user"));
  std::string message;
  EXPECT_TRUE(holds_cancelled_error(older, &message));
  EXPECT_EQ(message, "first");
  EXPECT_TRUE(holds_cancelled_error(foreign, &message));
  EXPECT_EQ(message, "user");
  EXPECT_TRUE(holds_cancelled_error(newer, &message));
  EXPECT_EQ(message, "second");
}

TEST(CancelledErrors, OtherExceptionsAndNoneAreNot) {
  std::string message = "unchanged";
  EXPECT_FALSE(holds_cancelled_error(std::make_exception_ptr(std::runtime_error("boom")), &message));
  EXPECT_FALSE(holds_cancelled_error(std::make_exception_ptr(detio::TimeoutError()), &message));
  EXPECT_FALSE(holds_cancelled_error(nullptr, &message));
  EXPECT_EQ(message, "unchanged");
}

TEST(CancelledErrors, ThrowCancelledThrowsTheOneItRemembers) {
  std::exception_ptr caught;
  try {
    detio::internal::throw_cancelled("thrown");
  } catch (const detio::CancelledError& e) {
    EXPECT_EQ(e.message(), "thrown");
    caught = std::current_exception();
  }
  std::string message;
  EXPECT_TRUE(holds_cancelled_error(caught, &message));
  EXPECT_EQ(message, "thrown");
}

}  // namespace

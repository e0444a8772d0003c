// The real backend's stuck-task aid: dump_pending_tasks_on_signal makes
// SIGQUIT (or another signal) print every pending task and what it waits
// on, from the loop thread; the previous handler is back once the loop
// ends. The simulator refuses it (it has DeadlockError and HangError).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <detio/detio.h>
#include <string>

using namespace std::chrono_literals;
using detio::Task;
using ::testing::HasSubstr;

namespace {

int previous_handler_calls = 0;
extern "C" void previous_handler(int) { ++previous_handler_calls; }

TEST(TaskReport, SignalDumpsThePendingTasksFromTheLoopThread) {
  struct sigaction mine {};
  mine.sa_handler = &previous_handler;
  sigemptyset(&mine.sa_mask);
  struct sigaction saved {};
  ASSERT_EQ(::sigaction(SIGQUIT, &mine, &saved), 0);

  testing::internal::CaptureStderr();
  detio::run([]() -> Task<void> {
    detio::dump_pending_tasks_on_signal();
    detio::dump_pending_tasks_on_signal();  // again: no-op
    detio::Event never;
    auto stuck = detio::create_task(never.wait(), "stuck-handler");
    co_await detio::sleep(1ms);
    std::raise(SIGQUIT);  // the handler runs now; the loop reports on its next poll
    co_await detio::sleep(5ms);
    stuck.cancel();
  }());
  const std::string report = testing::internal::GetCapturedStderr();
  EXPECT_THAT(report, HasSubstr("pending tasks at loop time"));
  EXPECT_THAT(report, HasSubstr("stuck-handler: waiting on Event.wait"));
  EXPECT_THAT(report, HasSubstr(": waiting on sleep"));  // main

  // The loop is over: SIGQUIT goes to the handler that was there before.
  std::raise(SIGQUIT);
  EXPECT_EQ(previous_handler_calls, 1);
  ::sigaction(SIGQUIT, &saved, nullptr);
}

TEST(TaskReport, DumpPendingTasksWritesTheSameList) {
  std::FILE* out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  detio::run([out]() -> Task<void> {
    auto sleeping = detio::create_task(detio::sleep(1h), "sleepy");
    co_await detio::sleep(0ms);
    detio::dump_pending_tasks(out);
    sleeping.cancel();
  }());
  std::rewind(out);
  char buffer[512] = {};
  const std::size_t n = std::fread(buffer, 1, sizeof buffer - 1, out);
  std::fclose(out);
  const std::string text(buffer, n);
  EXPECT_THAT(text, HasSubstr("detio: 2 pending tasks"));
  EXPECT_THAT(text, HasSubstr("  sleepy: waiting on sleep\n"));
}

TEST(TaskReport, TheSimulatorRefusesSignalsAndSaysWhy) {
  std::string message;
  detio::sim::run([&]() -> Task<void> {
    try {
      detio::dump_pending_tasks_on_signal();
    } catch (const detio::RuntimeError& e) {
      message = e.what();
    }
    co_return;
  }());
  EXPECT_THAT(message, HasSubstr("the simulator takes no signals"));
  EXPECT_THROW(detio::dump_pending_tasks_on_signal(), detio::RuntimeError);
}

}  // namespace

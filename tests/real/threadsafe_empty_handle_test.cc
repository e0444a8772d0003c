// Posting to an empty LoopHandle throws RuntimeError and frees what was
// handed over: the Task of run_coroutine_threadsafe (its frame and state
// leaked before) and the callable of call_soon_threadsafe.
#include <gtest/gtest.h>

#include <detio/detio.h>

#include <memory>

using detio::Task;

namespace {

// Its frame holds `alive` (a parameter): the count drops when it is freed.
Task<int> holds(std::shared_ptr<int> alive) { co_return *alive; }

TEST(ThreadsafeEmptyHandle, RunCoroutineThreadsafeFreesTheTask) {
  auto alive = std::make_shared<int>(1);
  detio::LoopHandle empty;
  EXPECT_THROW(detio::run_coroutine_threadsafe(holds(alive), empty), detio::RuntimeError);
  // Before: the task (and with it this count) leaked.
  EXPECT_EQ(alive.use_count(), 1);
}

TEST(ThreadsafeEmptyHandle, CallSoonThreadsafeFreesTheCallable) {
  auto alive = std::make_shared<int>(1);
  detio::LoopHandle empty;
  EXPECT_THROW(empty.call_soon_threadsafe([alive] { (void)*alive; }), detio::RuntimeError);
  EXPECT_EQ(alive.use_count(), 1);
}

}  // namespace

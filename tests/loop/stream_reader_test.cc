// StreamReader semantics on hand-fed readers (no transport): the same
// results whatever the delivery split, EOF and limit errors, and cancelled
// reads that leave their bytes for the next read.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <detio/detio.h>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using detio::StreamReader;
using detio::Task;

namespace {

template <class F>
void run_sim(F body) {
  detio::sim::run(body());
}

// Feeds `data` in chunks of `chunk` bytes, one chunk per millisecond, then EOF.
Task<void> feed_slowly(StreamReader reader, std::string data, std::size_t chunk) {
  for (std::size_t i = 0; i < data.size(); i += chunk) {
    co_await detio::sleep(1ms);
    reader.feed_data(std::string_view(data).substr(i, chunk));
  }
  co_await detio::sleep(1ms);
  reader.feed_eof();
}

// Every read whose result does not depend on how bytes arrive (read(n)
// returns what is there, so it is left out).
Task<std::vector<std::string>> read_mixed(StreamReader reader) {
  std::vector<std::string> out;
  out.push_back(co_await reader.readline());
  out.push_back(co_await reader.readexactly(3));
  out.push_back(co_await reader.readuntil("||"));
  out.push_back(co_await reader.readexactly(4));
  out.push_back(co_await reader.read());
  co_return out;
}

TEST(StreamReader, SplitDeliveriesGiveTheSameResultAsOneDelivery) {
  const std::string payload = "first line\nabcdef||0123456789-tail";
  const std::vector<std::string> expected = {"first line\n", "abc", "def||", "0123", "456789-tail"};
  for (std::size_t chunk : {std::size_t{1}, std::size_t{2}, std::size_t{5}, payload.size()}) {
    run_sim([&]() -> Task<void> {
      StreamReader reader;
      auto feeder = detio::create_task(feed_slowly(reader, payload, chunk));
      EXPECT_EQ(co_await read_mixed(reader), expected) << "chunk " << chunk;
      co_await feeder;
      EXPECT_TRUE(reader.at_eof());
    });
  }
}

TEST(StreamReader, ReadReturnsWhatIsBufferedUpToN) {
  run_sim([]() -> Task<void> {
    StreamReader reader;
    reader.feed_data("hello");
    EXPECT_EQ(co_await reader.read(3), "hel");
    EXPECT_EQ(co_await reader.read(100), "lo");
    EXPECT_EQ(co_await reader.read(0), "");
    reader.feed_eof();
    EXPECT_EQ(co_await reader.read(5), "");
    EXPECT_TRUE(reader.at_eof());
  });
}

TEST(StreamReader, ReadAllWaitsForEof) {
  run_sim([]() -> Task<void> {
    StreamReader reader;
    auto feeder = detio::create_task(feed_slowly(reader, "abcdefgh", 3));
    EXPECT_EQ(co_await reader.read(-1), "abcdefgh");
    EXPECT_EQ(detio::now().time_since_epoch(), 4ms);
    co_await feeder;
  });
}

TEST(StreamReader, ReadexactlyAtEofRaisesIncompleteReadWithThePartialBytes) {
  run_sim([]() -> Task<void> {
    StreamReader reader;
    auto feeder = detio::create_task(feed_slowly(reader, "abcd", 1));
    try {
      co_await reader.readexactly(10);
      ADD_FAILURE() << "readexactly returned";
    } catch (const detio::IncompleteReadError& e) {
      EXPECT_EQ(e.partial, "abcd");
      EXPECT_EQ(e.expected, 10u);
    }
    EXPECT_TRUE(reader.at_eof());
    co_await feeder;
  });
}

TEST(StreamReader, ReaduntilAtEofRaisesIncompleteReadWithoutExpectedSize) {
  run_sim([]() -> Task<void> {
    StreamReader reader;
    reader.feed_data("no separator");
    reader.feed_eof();
    try {
      co_await reader.readuntil("\r\n");
      ADD_FAILURE() << "readuntil returned";
    } catch (const detio::IncompleteReadError& e) {
      EXPECT_EQ(e.partial, "no separator");
      EXPECT_FALSE(e.expected.has_value());
    }
  });
}

TEST(StreamReader, ReadlineReturnsThePartialLastLineThenEmpty) {
  run_sim([]() -> Task<void> {
    StreamReader reader;
    reader.feed_data("a\nb");
    reader.feed_eof();
    EXPECT_EQ(co_await reader.readline(), "a\n");
    EXPECT_EQ(co_await reader.readline(), "b");
    EXPECT_EQ(co_await reader.readline(), "");
  });
}

TEST(StreamReader, ReaduntilOverLimitRaisesAndConsumesNothing) {
  run_sim([]() -> Task<void> {
    StreamReader reader(8);
    reader.feed_data("0123456789abc");
    try {
      co_await reader.readuntil("\n");
      ADD_FAILURE() << "readuntil returned";
    } catch (const detio::LimitOverrunError& e) {
      EXPECT_EQ(e.consumed, 13u);
    }
    reader.feed_data("\n");
    try {
      co_await reader.readuntil("\n");
      ADD_FAILURE() << "readuntil returned";
    } catch (const detio::LimitOverrunError& e) {
      EXPECT_EQ(e.consumed, 13u);  // found, but beyond the limit
    }
    EXPECT_EQ(co_await reader.read(100), "0123456789abc\n");
  });
}

TEST(StreamReader, ReadlineOverLimitDropsTheLineAndRaisesValueError) {
  run_sim([]() -> Task<void> {
    StreamReader reader(4);
    reader.feed_data("toolongline\nnext\n");
    EXPECT_THROW(co_await reader.readline(), detio::ValueError);
    EXPECT_EQ(co_await reader.readline(), "next\n");
  });
}

// asyncio's messages, and what is dropped: the line up to its separator
// when one was seen, else everything buffered.
TEST(StreamReader, ReadlineOverLimitSaysWhyInAsynciosWords) {
  run_sim([]() -> Task<void> {
    StreamReader reader(4);
    reader.feed_data("toolongline\nnext\n");
    try {
      co_await reader.readline();
      ADD_FAILURE() << "readline returned";
    } catch (const detio::ValueError& e) {
      EXPECT_STREQ(e.what(), "Separator is found, but chunk is longer than limit");
    }
    EXPECT_EQ(co_await reader.readline(), "next\n");
    reader.feed_data("abcdefgh");
    try {
      co_await reader.readline();
      ADD_FAILURE() << "readline returned";
    } catch (const detio::ValueError& e) {
      EXPECT_STREQ(e.what(), "Separator is not found, and chunk exceed the limit");
    }
    reader.feed_data("xy\n");
    EXPECT_EQ(co_await reader.readline(), "xy\n");
  });
}

// A read whose task is freed while it waits (the run ended in a deadlock)
// leaves nothing of itself in the reader, which later runs can still use.
TEST(StreamReader, AReadFreedWhileWaitingLeavesTheReaderUsable) {
  StreamReader reader;
  EXPECT_THROW(detio::sim::run([](StreamReader r) -> Task<std::string> { co_return co_await r.readline(); }(reader)),
               detio::sim::DeadlockError);
  reader.feed_data("after\n");
  run_sim([&]() -> Task<void> { EXPECT_EQ(co_await reader.readline(), "after\n"); });
}

// read(n) returns a frameless awaitable (StreamReader::Read): bytes that
// are there are returned without suspending, a wait lives in the awaiting
// frame, and it converts to the Task<std::string> it stands for.
TEST(StreamReader, ReadOfBufferedBytesDoesNotYield) {
  run_sim([]() -> Task<void> {
    StreamReader reader;
    bool ran = false;
    auto other = detio::create_task([](bool& r) -> Task<void> {
      r = true;
      co_return;
    }(ran));
    reader.feed_data("abc");
    EXPECT_EQ(co_await reader.read(2), "ab");
    EXPECT_EQ(co_await reader.read(0), "");
    EXPECT_EQ(co_await reader.read(10), "c");
    reader.feed_eof();
    EXPECT_EQ(co_await reader.read(10), "");
    EXPECT_EQ(co_await reader.read(), "");
    EXPECT_FALSE(ran) << "a read of buffered bytes suspended the task";
    co_await other;
  });
}

TEST(StreamReader, AReadChecksNothingUntilItIsAwaited) {
  run_sim([]() -> Task<void> {
    StreamReader reader;
    auto early = reader.read(5);  // made before the bytes arrive
    reader.feed_data("hello");
    EXPECT_EQ(co_await early, "hello");
    reader.set_exception(std::make_exception_ptr(detio::ConnectionResetError("reset")));
    { auto dropped = reader.read(1); }  // never awaited: raises nothing
    EXPECT_THROW(co_await reader.read(1), detio::ConnectionResetError);
  });
}

TEST(StreamReader, AReadConvertsToATask) {
  run_sim([]() -> Task<void> {
    StreamReader reader;
    Task<std::string> as_task = reader.read(3);
    auto spawned = detio::create_task(reader.read(2));  // waits first
    co_await detio::sleep(1ms);
    reader.feed_data("abcdefg");
    EXPECT_EQ(co_await spawned, "ab");
    EXPECT_EQ(co_await std::move(as_task), "cde");
    EXPECT_EQ(co_await detio::wait_for(reader.read(1), 1s), "f");
    auto [got] = co_await detio::gather(reader.read(5));
    EXPECT_EQ(got, "g");
    EXPECT_THROW(co_await detio::wait_for(reader.read(1), 5ms), detio::TimeoutError);
    reader.feed_eof();
    EXPECT_EQ(co_await detio::create_task(reader.read()), "");
  });
}

// Waiting in the awaiting task's own frame: woken by bytes, EOF or an error.
TEST(StreamReader, AWaitingReadIsWokenByBytesEofOrAnError) {
  run_sim([]() -> Task<void> {
    StreamReader reader;
    auto feed = [](StreamReader r, int what) -> Task<void> {
      co_await detio::sleep(1ms);
      if (what == 0) r.feed_data("xyz");
      if (what == 1) r.feed_eof();
      if (what == 2) r.set_exception(std::make_exception_ptr(detio::BrokenPipeError("gone")));
    };
    auto bytes = detio::create_task(feed(reader, 0));
    EXPECT_EQ(co_await reader.read(2), "xy");
    co_await bytes;
    EXPECT_EQ(co_await reader.read(2), "z");
    auto eof = detio::create_task(feed(reader, 1));
    EXPECT_EQ(co_await reader.read(2), "");
    co_await eof;
    StreamReader failing;
    auto error = detio::create_task(feed(failing, 2));
    EXPECT_THROW(co_await failing.read(2), detio::BrokenPipeError);
    co_await error;
  });
}

// A read(n) cancelled while it waits in its task's frame takes nothing and
// leaves no waiter behind: the next read neither fails as a second reader
// nor misses the bytes.
TEST(StreamReader, ACancelledWaitingReadLeavesNoWaiter) {
  run_sim([]() -> Task<void> {
    StreamReader reader;
    auto reading = detio::create_task([](StreamReader r) -> Task<std::string> { co_return co_await r.read(5); }(reader));
    co_await detio::sleep(1ms);
    EXPECT_FALSE(reading.done());
    reading.cancel();
    EXPECT_THROW(co_await reading, detio::CancelledError);
    reader.feed_data("later");
    EXPECT_EQ(co_await reader.read(5), "later");
    // Cancelled after the bytes woke it but before it ran: the bytes stay.
    auto woken = detio::create_task([](StreamReader r) -> Task<std::string> { co_return co_await r.read(5); }(reader));
    co_await detio::sleep(1ms);
    reader.feed_data("kept");
    woken.cancel();
    EXPECT_THROW(co_await woken, detio::CancelledError);
    EXPECT_EQ(co_await reader.read(5), "kept");
  });
}

TEST(StreamReader, AReadNFreedWhileWaitingLeavesTheReaderUsable) {
  StreamReader reader;
  EXPECT_THROW(detio::sim::run([](StreamReader r) -> Task<std::string> { co_return co_await r.read(10); }(reader)),
               detio::sim::DeadlockError);
  reader.feed_data("after");
  run_sim([&]() -> Task<void> { EXPECT_EQ(co_await reader.read(10), "after"); });
}

TEST(StreamReader, BadArguments) {
  EXPECT_THROW(StreamReader(0), detio::ValueError);
  run_sim([]() -> Task<void> {
    StreamReader reader;
    EXPECT_THROW(co_await reader.readuntil(""), detio::ValueError);
    reader.feed_eof();
    EXPECT_THROW(reader.feed_data("late"), detio::InvalidStateError);
  });
}

TEST(StreamReader, TwoConcurrentReadsAreAnError) {
  run_sim([]() -> Task<void> {
    StreamReader reader;
    auto first = detio::create_task(reader.read(10));
    co_await detio::sleep(0ms);
    EXPECT_THROW(co_await reader.read(10), detio::RuntimeError);
    reader.feed_data("x");
    EXPECT_EQ(co_await first, "x");
  });
}

TEST(StreamReader, ExceptionIsRaisedByReadsAndWakesAWaitingRead) {
  run_sim([]() -> Task<void> {
    StreamReader reader;
    auto pending = detio::create_task(reader.readexactly(4));
    co_await detio::sleep(0ms);
    reader.set_exception(std::make_exception_ptr(detio::ConnectionResetError("reset")));
    EXPECT_THROW(co_await pending, detio::ConnectionResetError);
    EXPECT_THROW(co_await reader.read(1), detio::ConnectionResetError);
    EXPECT_NE(reader.exception(), nullptr);
  });
}

// The cancel-safety promise: a read cancelled while waiting takes nothing.
class CancelledReadKeepsBytes : public ::testing::TestWithParam<int> {};

Task<std::string> start_read(StreamReader reader, int kind) {
  switch (kind) {
    case 0:
      co_return co_await reader.read();
    case 1:
      co_return co_await reader.readline();
    case 2:
      co_return co_await reader.readexactly(100);
    default:
      co_return co_await reader.readuntil("END");
  }
}

TEST_P(CancelledReadKeepsBytes, TheNextReadReturnsThem) {
  run_sim([]() -> Task<void> {
    StreamReader reader;
    auto reading = detio::create_task(start_read(reader, GetParam()));
    co_await detio::sleep(1ms);
    reader.feed_data("partial ");
    co_await detio::sleep(1ms);
    reader.feed_data("data");
    co_await detio::sleep(0ms);
    EXPECT_FALSE(reading.done());
    reading.cancel();
    EXPECT_THROW(co_await reading, detio::CancelledError);
    EXPECT_EQ(co_await reader.read(100), "partial data");
  });
}

INSTANTIATE_TEST_SUITE_P(EachReadMethod, CancelledReadKeepsBytes, ::testing::Values(0, 1, 2, 3));

TEST(StreamReader, CancelledReadWithTimeoutKeepsBytes) {
  run_sim([]() -> Task<void> {
    StreamReader reader;
    reader.feed_data("no newline yet");
    EXPECT_THROW(co_await detio::wait_for(reader.readline(), 5ms), detio::TimeoutError);
    reader.feed_data("\n");
    EXPECT_EQ(co_await reader.readline(), "no newline yet\n");
  });
}

}  // namespace

// internal::ByteBuffer, the StreamReader's buffer: take(n) returns the first
// min(n, size()) bytes in order whatever mix of appends, partial takes and
// whole takes came before, and an emptied buffer keeps no large storage.
#include "detio/internal/byte_buffer.h"

#include <gtest/gtest.h>

#include <string>

namespace {

using detio::internal::ByteBuffer;

TEST(ByteBuffer, TakesComeOutInOrder) {
  ByteBuffer b;
  EXPECT_EQ(b.take(5), "");
  b.append("hello ");
  b.append("world");
  EXPECT_EQ(b.take(3), "hel");
  EXPECT_EQ(b.view(), "lo world");
  EXPECT_EQ(b.take(100), "lo world");  // more than there is: everything
  EXPECT_TRUE(b.empty());
  b.append("abc");
  EXPECT_EQ(b.take(3), "abc");  // exactly everything
  EXPECT_TRUE(b.empty());
  b.append("xyz");
  EXPECT_EQ(b.take(0), "");
  EXPECT_EQ(b.take_all(), "xyz");
}

TEST(ByteBuffer, ManySmallDeliveriesAndTakesKeepTheByteOrder) {
  ByteBuffer b;
  std::string sent, received;
  for (int i = 0; i < 2000; ++i) {
    const std::string chunk(static_cast<std::size_t>(1 + i % 97), static_cast<char>('a' + i % 26));
    b.append(chunk);
    sent += chunk;
    received += b.take(static_cast<std::size_t>(i % 3 == 0 ? 1000 : 1 + i % 50));
    EXPECT_EQ(b.size(), sent.size() - received.size());
  }
  received += b.take_all();
  EXPECT_EQ(received, sent);
}

TEST(ByteBuffer, AWholeBigTakeHandsTheStorageOverAndAnEmptiedBufferKeepsLittle) {
  ByteBuffer b;
  const std::string big(3 * ByteBuffer::kKeptCapacity, 'q');
  b.append(big);
  EXPECT_EQ(b.take(big.size()), big);
  EXPECT_TRUE(b.empty());
  b.append(big);
  b.append("tail");
  EXPECT_EQ(b.take(10), std::string(10, 'q'));
  EXPECT_EQ(b.take(big.size() + 100), big.substr(10) + "tail");
  EXPECT_TRUE(b.empty());
  b.append("again");
  EXPECT_EQ(b.take(5), "again");
}

}  // namespace

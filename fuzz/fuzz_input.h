// Decodes a fuzzer's input into choices: each call takes the next bytes
// (zeros once the input runs out), so every input, even an empty one, is a
// valid program and small mutations make small changes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace detio_fuzz {

class FuzzInput {
 public:
  FuzzInput(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

  bool empty() const noexcept { return pos_ >= size_; }
  std::uint8_t byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  // Uniform enough in [lo, hi] (hi - lo < 65536).
  int in(int lo, int hi) {
    const unsigned span = static_cast<unsigned>(hi - lo) + 1;
    const unsigned raw = span > 256 ? (unsigned{byte()} << 8) | byte() : byte();
    return lo + static_cast<int>(raw % span);
  }
  bool flip() { return byte() & 1; }
  std::uint64_t u64() {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | byte();
    return v;
  }
  // Up to `max` bytes drawn from `alphabet`.
  std::string text(std::size_t max, const std::string& alphabet) {
    std::string s(static_cast<std::size_t>(in(0, static_cast<int>(max))), '\0');
    for (char& c : s) c = alphabet[static_cast<std::size_t>(in(0, static_cast<int>(alphabet.size()) - 1))];
    return s;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

}  // namespace detio_fuzz

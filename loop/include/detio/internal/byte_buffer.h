// A FIFO byte buffer: append at the back, consume from the front in O(1)
// amortised (a read offset, compacted when it passes half the storage).
#pragma once

#include <string>
#include <string_view>

namespace detio::internal {

class ByteBuffer {
 public:
  static constexpr std::size_t kKeptCapacity = 4096;

  std::size_t size() const noexcept { return data_.size() - start_; }
  bool empty() const noexcept { return size() == 0; }
  std::string_view view() const noexcept { return std::string_view(data_).substr(start_); }

  void append(std::string_view bytes) { data_.append(bytes); }
  // Removes and returns the first min(n, size()) bytes.
  std::string take(std::size_t n) {
    const std::size_t have = size();
    if (n >= have) {
      if (have > kKeptCapacity && start_ == 0) {
        // Everything, and big: hand the storage over instead of copying it.
        std::string out = std::move(data_);
        data_ = std::string();
        return out;
      }
      // Everything (a read's usual case): copy it out and empty the buffer.
      std::string out(data_.data() + start_, have);
      clear();
      return out;
    }
    std::string out(data_.data() + start_, n);
    consume(n);
    return out;
  }
  std::string take_all() { return take(size()); }
  void consume(std::size_t n) noexcept {
    start_ += std::min(n, size());
    if (start_ == data_.size()) {
      clear();
    } else if (start_ > data_.size() / 2) {
      data_.erase(0, start_);
      start_ = 0;
    }
  }
  // Empties the buffer. A large allocation is given back rather than kept:
  // 10,000 idle connections must not each hold their largest message.
  void clear() noexcept {
    if (data_.capacity() > kKeptCapacity) {
      std::string().swap(data_);
    } else {
      data_.clear();
    }
    start_ = 0;
  }

 private:
  std::string data_;
  std::size_t start_ = 0;
};

}  // namespace detio::internal

// A transport's queue of bytes not yet accepted by the kernel: chunks that
// are handed to writev/sendmsg as an iovec array. Small writes are coalesced
// into the last chunk, so many tiny writes cost few iovec entries.
#pragma once

#include <sys/uio.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace detio::internal {

class WriteBuffer {
 public:
  static constexpr std::size_t kCoalesceLimit = 16 * 1024;

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }

  void append(std::string_view data) {
    if (data.empty()) return;
    if (head_ < chunks_.size() && chunks_.back().size() + data.size() <= kCoalesceLimit) {
      chunks_.back().append(data);
    } else {
      chunks_.emplace_back(data);
    }
    size_ += data.size();
  }

  // Fills up to `max` iovecs from the front; returns how many.
  int fill(iovec* iov, int max) const noexcept {
    int n = 0;
    for (std::size_t i = head_; i < chunks_.size() && n < max; ++i, ++n) {
      const std::string& c = chunks_[i];
      const std::size_t skip = i == head_ ? offset_ : 0;
      iov[n].iov_base = const_cast<char*>(c.data() + skip);
      iov[n].iov_len = c.size() - skip;
    }
    return n;
  }

  // Drops the first n bytes (n <= size()).
  void consume(std::size_t n) noexcept {
    size_ -= n;
    while (n > 0) {
      const std::size_t left = chunks_[head_].size() - offset_;
      if (n < left) {
        offset_ += n;
        return;
      }
      n -= left;
      chunks_[head_++].clear();
      offset_ = 0;
    }
    if (size_ == 0) {
      clear();
    } else if (head_ > 16 && head_ * 2 > chunks_.size()) {
      chunks_.erase(chunks_.begin(), chunks_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
  }

  // Drops everything and gives the memory back (idle connections hold none).
  void clear() noexcept {
    std::vector<std::string>().swap(chunks_);
    head_ = 0;
    offset_ = 0;
    size_ = 0;
  }

 private:
  std::vector<std::string> chunks_;
  std::size_t head_ = 0;    // first chunk not fully sent
  std::size_t offset_ = 0;  // bytes of chunks_[head_] already sent
  std::size_t size_ = 0;
};

}  // namespace detio::internal

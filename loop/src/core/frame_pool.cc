#include "detio/internal/frame_pool.h"

#include <array>
#include <cstdlib>
#include <new>

#if defined(__SANITIZE_ADDRESS__)
#define DETIO_FRAME_POOL 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define DETIO_FRAME_POOL 0
#endif
#endif
#ifndef DETIO_FRAME_POOL
#define DETIO_FRAME_POOL 1
#endif

namespace detio::internal {
namespace {

#if DETIO_FRAME_POOL
constexpr std::size_t kGranule = 64;
constexpr std::size_t kClasses = 32;  // frames up to 2 KiB are pooled
constexpr std::size_t kMaxCachedPerClass = 4096;

struct FreeBlock {
  FreeBlock* next;
};

class FramePool {
 public:
  FramePool() = default;
  FramePool(const FramePool&) = delete;
  ~FramePool() {
    for (FreeBlock*& head : heads_) {
      while (head) {
        FreeBlock* next = head->next;
        std::free(head);
        head = next;
      }
    }
  }
  void* allocate(std::size_t size) {
    std::size_t c = class_of(size);
    if (c >= kClasses) return checked_malloc(size);
    if (FreeBlock* b = heads_[c]) {
      heads_[c] = b->next;
      --counts_[c];
      return b;
    }
    return checked_malloc((c + 1) * kGranule);
  }
  void free(void* p, std::size_t size) noexcept {
    std::size_t c = class_of(size);
    if (c >= kClasses || counts_[c] >= kMaxCachedPerClass) {
      std::free(p);
      return;
    }
    auto* b = static_cast<FreeBlock*>(p);
    b->next = heads_[c];
    heads_[c] = b;
    ++counts_[c];
  }

 private:
  static std::size_t class_of(std::size_t size) noexcept { return (size + kGranule - 1) / kGranule - 1; }
  static void* checked_malloc(std::size_t size) {
    void* p = std::malloc(size);
    if (!p) throw std::bad_alloc();
    return p;
  }
  std::array<FreeBlock*, kClasses> heads_{};
  std::array<std::size_t, kClasses> counts_{};
};

thread_local FramePool pool;
#endif

}  // namespace

void* allocate_frame(std::size_t size) {
#if DETIO_FRAME_POOL
  return pool.allocate(size);
#else
  return ::operator new(size);
#endif
}

void free_frame(void* p, std::size_t size) noexcept {
#if DETIO_FRAME_POOL
  pool.free(p, size);
#else
  ::operator delete(p, size);
#endif
}

}  // namespace detio::internal

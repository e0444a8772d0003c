#include "detio/internal/frame_pool.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdlib>
#include <mutex>
#include <new>
#include <utility>
#include <vector>

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
// 16-byte size classes up to 2 KiB: a block wastes at most 15 bytes, and
// blocks are carved from slabs, so there is no malloc header per frame
// either (at a million tasks both add up).
constexpr std::size_t kGranule = 16;
constexpr std::size_t kClasses = 128;
constexpr std::size_t kFirstSlab = 64 * 1024;
constexpr std::size_t kMaxSlab = 4 * 1024 * 1024;

struct FreeBlock {
  FreeBlock* next;
};

using FreeLists = std::array<FreeBlock*, kClasses>;

// Slabs live as long as the process: a frame made on one thread and freed
// on another (a coroutine handed to the loop's thread) joins the second
// thread's free list, which is only safe if no slab is ever returned. Free
// blocks of a thread that ends are left here for the next pool to reuse.
struct Shared {
  std::mutex mu;
  std::vector<void*> slabs;  // keeps them reachable for leak checkers
  FreeLists orphans{};
  // Whether `orphans` may hold anything: spares a lock per fresh block.
  std::atomic<bool> has_orphans{false};
};

Shared& shared() {
  static Shared* s = new Shared;  // never destroyed: threads may outlive main
  return *s;
}

class FramePool {
 public:
  FramePool() = default;
  FramePool(const FramePool&) = delete;
  ~FramePool() {
    // Hand our free blocks over to the pools of threads still running.
    Shared& s = shared();
    std::lock_guard lock(s.mu);
    for (std::size_t c = 0; c < kClasses; ++c) {
      while (FreeBlock* b = heads_[c]) {
        heads_[c] = b->next;
        b->next = s.orphans[c];
        s.orphans[c] = b;
        s.has_orphans.store(true, std::memory_order_relaxed);
      }
    }
  }

  void* allocate(std::size_t size) {
    const std::size_t c = class_of(size);
    if (c >= kClasses) return checked_malloc(size);
    if (FreeBlock* b = heads_[c]) {
      heads_[c] = b->next;
      return b;
    }
    return carve((c + 1) * kGranule, c);
  }

  void free(void* p, std::size_t size) noexcept {
    const std::size_t c = class_of(size);
    if (c >= kClasses) {
      std::free(p);
      return;
    }
    auto* b = static_cast<FreeBlock*>(p);
    b->next = heads_[c];
    heads_[c] = b;
  }

 private:
  static std::size_t class_of(std::size_t size) noexcept { return (size + kGranule - 1) / kGranule - 1; }

  static void* checked_malloc(std::size_t size) {
    void* p = std::malloc(size);
    if (!p) throw std::bad_alloc();
    return p;
  }

  void* carve(std::size_t block, std::size_t c) {
    if (adopt_orphans(c)) return allocate(block);
    if (static_cast<std::size_t>(slab_end_ - slab_next_) < block) new_slab();
    void* p = slab_next_;
    slab_next_ += block;
    return p;
  }

  bool adopt_orphans(std::size_t c) {
    Shared& s = shared();
    if (!s.has_orphans.load(std::memory_order_relaxed)) return false;
    std::lock_guard lock(s.mu);
    if (!s.orphans[c]) return false;
    heads_[c] = std::exchange(s.orphans[c], nullptr);
    return true;
  }

  void new_slab() {
    // The tail of the old slab (a multiple of the granule, smaller than
    // the largest class) becomes one free block of exactly its size.
    if (slab_next_ != slab_end_) free(slab_next_, static_cast<std::size_t>(slab_end_ - slab_next_));
    slab_size_ = slab_size_ == 0 ? kFirstSlab : std::min(slab_size_ * 2, kMaxSlab);
    auto* slab = static_cast<char*>(checked_malloc(slab_size_));
    {
      Shared& s = shared();
      std::lock_guard lock(s.mu);
      s.slabs.push_back(slab);
    }
    slab_next_ = slab;
    slab_end_ = slab + slab_size_;
  }

  FreeLists heads_{};
  char* slab_next_ = nullptr;
  char* slab_end_ = nullptr;
  std::size_t slab_size_ = 0;
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

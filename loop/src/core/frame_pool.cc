#include "detio/internal/frame_pool.h"

#if DETIO_FRAME_POOL

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <mutex>
#include <utility>
#include <vector>

namespace detio::internal::frame_pool {

constinit thread_local FreeLists free_lists{};

namespace {

constexpr std::size_t kFirstSlab = 64 * 1024;
constexpr std::size_t kMaxSlab = 4 * 1024 * 1024;

// Slabs live as long as the process: a frame made on one thread and freed
// on another (a coroutine handed to the loop's thread) joins the second
// thread's free list, which is only safe if no slab is ever returned. Free
// blocks of a thread that ends are left here for the next pool to reuse.
struct Shared {
  std::mutex mu;
  std::vector<void*> slabs;  // keeps them reachable for leak checkers
  std::array<FreeBlock*, kClasses> orphans{};
  // Whether `orphans` may hold anything: spares a lock per fresh block.
  std::atomic<bool> has_orphans{false};
};

Shared& shared() {
  static Shared* s = new Shared;  // never destroyed: threads may outlive main
  return *s;
}

void* checked_malloc(std::size_t size) {
  void* p = std::malloc(size);
  if (!p) throw std::bad_alloc();
  return p;
}

// This thread's slab. Made on the first carve, so its destructor (which
// hands the thread's free blocks over to Shared::orphans) runs at the exit
// of every thread that ever carved; a thread that only freed blocks made
// elsewhere keeps them (slabs are never returned either way).
class Slab {
 public:
  Slab() = default;
  Slab(const Slab&) = delete;
  ~Slab() {
    Shared& s = shared();
    std::lock_guard lock(s.mu);
    for (std::size_t c = 0; c < kClasses; ++c) {
      while (FreeBlock* b = free_lists.heads[c]) {
        free_lists.heads[c] = b->next;
        b->next = s.orphans[c];
        s.orphans[c] = b;
        s.has_orphans.store(true, std::memory_order_relaxed);
      }
    }
  }

  void* carve(std::size_t block) {
    if (static_cast<std::size_t>(end_ - next_) < block) grow();
    void* p = next_;
    next_ += block;
    return p;
  }

 private:
  void grow() {
    // The tail of the old slab (a multiple of the granule, smaller than
    // the largest class) becomes one free block of exactly its size.
    if (next_ != end_) free_frame(next_, static_cast<std::size_t>(end_ - next_));
    size_ = size_ == 0 ? kFirstSlab : std::min(size_ * 2, kMaxSlab);
    auto* slab = static_cast<char*>(checked_malloc(size_));
    {
      Shared& s = shared();
      std::lock_guard lock(s.mu);
      s.slabs.push_back(slab);
    }
    next_ = slab;
    end_ = slab + size_;
  }

  char* next_ = nullptr;
  char* end_ = nullptr;
  std::size_t size_ = 0;
};

thread_local Slab slab;

bool adopt_orphans(std::size_t c) {
  Shared& s = shared();
  if (!s.has_orphans.load(std::memory_order_relaxed)) return false;
  std::lock_guard lock(s.mu);
  if (!s.orphans[c]) return false;
  free_lists.heads[c] = std::exchange(s.orphans[c], nullptr);
  return true;
}

}  // namespace

void* allocate_slow(std::size_t size) {
  const std::size_t c = class_of(size);
  if (c >= kClasses) return checked_malloc(size);
  if (adopt_orphans(c)) return allocate_frame(size);
  return slab.carve((c + 1) * kGranule);
}

void free_large(void* p) noexcept { std::free(p); }

}  // namespace detio::internal::frame_pool

#endif

// Recycles coroutine frames and task states by 16-byte size class (up to
// 2 KiB), carved from slabs: spawning a task costs no malloc in steady state
// and no malloc header per block. Per thread, no locks on the hot path.
// Memory is kept for reuse, never returned to the system: a process's
// footprint is its peak number of live frames. Disabled under
// AddressSanitizer and ThreadSanitizer so that their checks stay exact.
#pragma once

#include <array>
#include <cstddef>
#include <new>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
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

#if DETIO_FRAME_POOL
namespace frame_pool {

inline constexpr std::size_t kGranule = 16;
inline constexpr std::size_t kClasses = 128;

struct FreeBlock {
  FreeBlock* next;
};

// This thread's free lists. Trivial, so that reaching it is a plain
// thread-local access (the hot path is inline); the slabs and the hand-over
// of free blocks when a thread ends live in frame_pool.cc.
struct FreeLists {
  std::array<FreeBlock*, kClasses> heads;
};
extern constinit thread_local FreeLists free_lists;

constexpr std::size_t class_of(std::size_t size) noexcept { return (size + kGranule - 1) / kGranule - 1; }

// An empty free list's class, or a block too big for any class.
void* allocate_slow(std::size_t size);
void free_large(void* p) noexcept;

}  // namespace frame_pool

inline void* allocate_frame(std::size_t size) {
  const std::size_t c = frame_pool::class_of(size);
  if (c < frame_pool::kClasses) {
    if (frame_pool::FreeBlock* b = frame_pool::free_lists.heads[c]) [[likely]] {
      frame_pool::free_lists.heads[c] = b->next;
      return b;
    }
  }
  return frame_pool::allocate_slow(size);
}

inline void free_frame(void* p, std::size_t size) noexcept {
  const std::size_t c = frame_pool::class_of(size);
  if (c >= frame_pool::kClasses) return frame_pool::free_large(p);
  auto* b = static_cast<frame_pool::FreeBlock*>(p);
  b->next = frame_pool::free_lists.heads[c];
  frame_pool::free_lists.heads[c] = b;
}
#else
inline void* allocate_frame(std::size_t size) { return ::operator new(size); }
// clang enables sized deallocation only with -fsized-deallocation.
inline void free_frame(void* p, [[maybe_unused]] std::size_t size) noexcept {
#if defined(__cpp_sized_deallocation)
  ::operator delete(p, size);
#else
  ::operator delete(p);
#endif
}
#endif

}  // namespace detio::internal

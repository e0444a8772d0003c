// Recycles coroutine frames by size class so that spawning a task or calling
// an async primitive costs no malloc in steady state. Per thread, no locks.
// Disabled under AddressSanitizer so that use-after-free stays detectable.
#pragma once

#include <cstddef>

namespace detio::internal {

void* allocate_frame(std::size_t size);
void free_frame(void* p, std::size_t size) noexcept;

}  // namespace detio::internal

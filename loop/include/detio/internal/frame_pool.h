// Recycles coroutine frames and task states by 16-byte size class (up to
// 2 KiB), carved from slabs: spawning a task costs no malloc in steady state
// and no malloc header per block. Per thread, no locks on the hot path.
// Memory is kept for reuse, never returned to the system: a process's
// footprint is its peak number of live frames. Disabled under
// AddressSanitizer and ThreadSanitizer so that their checks stay exact.
#pragma once

#include <cstddef>

namespace detio::internal {

void* allocate_frame(std::size_t size);
void free_frame(void* p, std::size_t size) noexcept;

}  // namespace detio::internal

// Which binary a sweep ran: its path (found as execvp finds it) and a hash
// of its bytes, so results of different binaries are never merged as one.
#pragma once

#include <cstdint>
#include <string>

namespace detio_sweep {

struct ProgramIdentity {
  std::string path;        // absolute
  std::uint64_t hash = 0;  // FNV-1a 64 of the file's contents
  friend bool operator==(const ProgramIdentity&, const ProgramIdentity&) = default;
};

// Throws std::runtime_error if `program` cannot be found or read.
ProgramIdentity identify_program(const std::string& program);

// 16 hex digits.
std::string hash_text(std::uint64_t hash);

}  // namespace detio_sweep

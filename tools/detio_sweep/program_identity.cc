#include "program_identity.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace detio_sweep {
namespace {

// A name without a slash is looked up in PATH, as execvp does.
std::string locate(const std::string& program) {
  if (program.find('/') != std::string::npos) return program;
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
  for (std::size_t start = 0; start <= dirs.size();) {
    std::size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    const std::string dir = end == start ? "." : dirs.substr(start, end - start);
    const std::string candidate = dir + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  throw std::runtime_error("cannot find " + program + " in PATH");
}

}  // namespace

ProgramIdentity identify_program(const std::string& program) {
  const std::string found = locate(program);
  char resolved[PATH_MAX];
  if (!::realpath(found.c_str(), resolved)) {
    throw std::runtime_error("cannot find " + found + ": " + std::strerror(errno));
  }
  std::ifstream in(resolved, std::ios::binary);
  if (!in) throw std::runtime_error(std::string("cannot read ") + resolved);
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    for (std::streamsize i = 0; i < in.gcount(); ++i) {
      hash ^= static_cast<unsigned char>(buf[i]);
      hash *= 0x100000001b3ULL;
    }
  }
  if (in.bad()) throw std::runtime_error(std::string("cannot read ") + resolved);
  return ProgramIdentity{resolved, hash};
}

std::string hash_text(std::uint64_t hash) { return fmt::format("{:016x}", hash); }

}  // namespace detio_sweep

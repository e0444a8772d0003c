#include "detio/sim/task_pattern.h"

namespace detio::sim {
namespace {

// Iterative glob match with backtracking to the last '*' (linear in
// practice, no recursion).
bool glob(std::string_view pattern, std::string_view text) noexcept {
  std::size_t p = 0, t = 0;
  std::size_t star = std::string_view::npos, star_text = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_text = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++star_text;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace

bool matches_task_pattern(std::string_view patterns, std::string_view name) noexcept {
  for (;;) {
    const std::size_t bar = patterns.find('|');
    if (glob(patterns.substr(0, bar), name)) return true;
    if (bar == std::string_view::npos) return false;
    patterns.remove_prefix(bar + 1);
  }
}

}  // namespace detio::sim

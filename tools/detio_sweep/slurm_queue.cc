#include "slurm_queue.h"

#include <optional>
#include <stdexcept>
#include <vector>

#include "detio/sim/seed_range.h"

namespace detio_sweep {
namespace {

std::uint64_t number(std::string_view text, std::string_view line) {
  std::optional<std::uint64_t> n = detio::sim::parse_u64(text);
  if (!n) throw std::runtime_error("squeue printed '" + std::string(line) + "'");
  return *n;
}

// The pieces of `text` between `sep`s, each without surrounding blanks.
std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  for (std::size_t start = 0;;) {
    const std::size_t end = text.find(sep, start);
    std::string_view piece = text.substr(start, end == std::string_view::npos ? end : end - start);
    const std::size_t first = piece.find_first_not_of(" \t\r");
    piece = first == std::string_view::npos ? std::string_view() : piece.substr(first);
    piece = piece.substr(0, piece.find_last_not_of(" \t\r") + 1);
    out.push_back(piece);
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

// The task ids of "2", "2-5", "1,3,5-7", "0-15:4" and "0-3%2" (a throttle).
std::vector<std::uint64_t> task_ids(std::string_view spec, std::string_view line) {
  spec = spec.substr(0, spec.find('%'));
  std::vector<std::uint64_t> ids;
  for (std::string_view part : split(spec, ',')) {
    const std::size_t colon = part.find(':');
    const std::uint64_t step = colon == std::string_view::npos ? 1 : number(part.substr(colon + 1), line);
    part = part.substr(0, colon);
    const std::size_t dash = part.find('-');
    const std::uint64_t first = number(part.substr(0, dash), line);
    const std::uint64_t last = dash == std::string_view::npos ? first : number(part.substr(dash + 1), line);
    if (step == 0 || last < first || last - first > 10'000'000) {
      throw std::runtime_error("squeue printed '" + std::string(line) + "'");
    }
    for (std::uint64_t id = first; id <= last; id += step) ids.push_back(id);
  }
  return ids;
}

}  // namespace

bool is_final_state(std::string_view state) {
  for (std::string_view final_state : {"COMPLETED", "CANCELLED", "FAILED", "TIMEOUT", "NODE_FAIL", "PREEMPTED",
                                       "BOOT_FAIL", "DEADLINE", "OUT_OF_MEMORY", "REVOKED"}) {
    if (state == final_state) return true;
  }
  return false;
}

ArrayView parse_array_view(std::string_view squeue_output) {
  ArrayView view;
  for (std::string_view line : split(squeue_output, '\n')) {
    if (line.empty()) continue;
    const std::vector<std::string_view> fields = split(line, '|');
    if (fields.size() < 4) throw std::runtime_error("squeue printed '" + std::string(line) + "'");
    const std::string_view state = fields[1];
    // "CANCELLED by 0" in some versions.
    const std::string_view word = state.substr(0, state.find(' '));
    const std::vector<std::uint64_t> ids = task_ids(fields[0], line);
    if (!is_final_state(word)) {
      view.waiting += ids.size();
      continue;
    }
    const int status = static_cast<int>(number(fields[3], line));
    for (std::uint64_t id : ids) view.ended[id] = TaskEnd{std::string(word), std::string(fields[2]), status};
  }
  return view;
}

}  // namespace detio_sweep

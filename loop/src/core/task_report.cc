#include "detio/task_report.h"

#include "detio/internal/loop_core.h"
#include "detio/internal/task_state.h"

namespace detio {

namespace internal {

std::vector<std::string> describe_tasks(LoopCore& loop) {
  std::vector<std::string> lines;
  loop.tasks().for_each(
      [&](TaskRegistryEntry* e) { lines.push_back(e->task()->name() + ": " + e->task()->describe_wait()); });
  return lines;
}

void write_task_report(LoopCore& loop, std::FILE* out) {
  const std::vector<std::string> lines = describe_tasks(loop);
  std::fprintf(out, "detio: %zu pending task%s at loop time %.6fs:\n", lines.size(), lines.size() == 1 ? "" : "s",
               std::chrono::duration<double>(loop.now().time_since_epoch()).count());
  for (const std::string& line : lines) std::fprintf(out, "  %s\n", line.c_str());
  std::fflush(out);
}

}  // namespace internal

std::vector<std::string> describe_pending_tasks() { return internal::describe_tasks(internal::running_loop()); }

void dump_pending_tasks(std::FILE* out) { internal::write_task_report(internal::running_loop(), out); }

}  // namespace detio

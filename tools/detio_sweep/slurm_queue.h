// What Slurm says about the tasks of a job array, from
//   squeue -h -j JOB -t all -O ArrayTaskID:|,State:|,Reason:|,exit_code:|
// One line per task record: a started task has its own ("2|RUNNING|None|0|");
// tasks not started yet share one ("2-3|PENDING|Resources|0|", "0-15%4|...").
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace detio_sweep {

struct TaskEnd {
  std::string state;  // COMPLETED, FAILED, CANCELLED, TIMEOUT, NODE_FAIL, ...
  std::string reason;
  int wait_status = 0;  // the batch script's
};

struct ArrayView {
  std::uint64_t waiting = 0;  // pending, running, completing, requeued, ...
  std::map<std::uint64_t, TaskEnd> ended;
  bool done() const noexcept { return waiting == 0; }
};

// The squeue -O fields, in the order parse_array_view reads them.
inline constexpr const char* kSqueueFormat = "ArrayTaskID:|,State:|,Reason:|,exit_code:|";

// Throws std::runtime_error for a line it cannot read.
ArrayView parse_array_view(std::string_view squeue_output);

// Whether a job state is final (the task will not run again).
bool is_final_state(std::string_view state);

}  // namespace detio_sweep

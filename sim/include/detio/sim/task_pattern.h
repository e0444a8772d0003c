// Task-name patterns for aimed injection (InjectOptions::tasks and
// spare_tasks, the inject_tasks / inject_spare knobs): globs where `*`
// matches any run of characters and `?` one character, several
// alternatives separated by '|'. "worker-*|client?" matches "worker-3"
// and "client7", not "main".
#pragma once

#include <string_view>

namespace detio::sim {

// Whether `name` matches one of the alternatives of `patterns` (an empty
// `patterns` has one, empty, alternative: it matches only "").
bool matches_task_pattern(std::string_view patterns, std::string_view name) noexcept;

}  // namespace detio::sim

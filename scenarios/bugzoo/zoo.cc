#include "zoo.h"

#include <cstdio>
#include <string_view>
#include <vector>

namespace bugzoo {
namespace {

// Bounded runs: a wedged program fails in milliseconds of real time.
detio::sim::SweepOptions defaults() {
  detio::sim::SweepOptions o;
  o.default_budget = {.max_virtual_time = std::chrono::seconds(60), .max_steps = 1'000'000};
  return o;
}

}  // namespace

int zoo_main(int argc, char** argv, Program program) {
  bool args_ok = true;
  bool fixed_arg = false;
  for (int i = 1, after_separator = 0; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (!after_separator) {
      after_separator = a == "--";
    } else if (a == "--fixed") {
      fixed_arg = true;
    } else {
      std::fprintf(stderr, "%s: unknown argument '%s' (the only one of its own is --fixed)\n", argv[0], argv[i]);
      args_ok = false;
    }
  }
  if (!args_ok) return 2;
  detio::sim::SweepBody body = [program, fixed_arg](const detio::sim::Options& options) {
    const bool fixed = detio::sim::switch_knob("fixed", fixed_arg ? 1 : 0) != 0;
    try {
      detio::sim::run(program.scenario(fixed), options);
    } catch (const detio::sim::DeadlockError& e) {
      throw BugFound(std::string(program.stuck_means) + ": " + e.what());
    } catch (const detio::sim::HangError& e) {
      throw BugFound(std::string(program.stuck_means) + ": " + e.what());
    }
  };
  detio::sim::ScenarioBody with_args = [&body](const detio::sim::Options& o, const std::vector<std::string>&) {
    body(o);
  };
  return detio::sim::scenario_main(argc, argv, with_args, defaults());
}

}  // namespace bugzoo

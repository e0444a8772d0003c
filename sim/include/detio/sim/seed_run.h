// One seed of a sweep: runs a test body with that seed's Options and turns
// whatever it throws into a failure report. A body passes the Options it is
// given to sim::run (once or several times); it fails by throwing (a
// DeadlockError or HangError from sim::run, a failed check, anything).
//
//   detio::sim::SweepBody body = [](const detio::sim::Options& options) {
//     detio::sim::run(my_service_test(), options);
//   };
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "detio/sim/knobs.h"
#include "detio/sim/run.h"

namespace detio::sim {

using SweepBody = std::function<void(const Options&)>;

struct SeedReport {
  std::uint64_t seed = 0;
  bool ok = true;
  // "<exception type>: <what()>" for a failure, empty if ok.
  std::string message;
  // The trace hash of the last sim::run the body made with the Options it
  // was given (the FNV offset basis if it made none).
  std::uint64_t hash = 0;
  // The user knobs the body read (sim::knob) and the values it got.
  std::map<std::string, std::int64_t, std::less<>> user_knobs;
};

// Runs `body` once with `options` after applying `knobs` (see knobs.h). If
// `trace` is given, the run records its events there (else only the hash
// is kept). Never throws for a failing body.
SeedReport run_seed(const SweepBody& body, Options options, const Knobs& knobs = {}, Trace* trace = nullptr);

// The message on one line: newlines become " | ".
std::string one_line(std::string_view message);

}  // namespace detio::sim

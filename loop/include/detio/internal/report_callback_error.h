// Like asyncio's default exception handler, errors of user callbacks run by
// the loop are reported on stderr instead of stopping the loop:
// report_exception(context, error) prints "detio: <context>: <what>";
// run_reporting_errors(f, kind) runs f and reports what it throws as an
// "exception in <kind>" ("done callback", ...).
#pragma once

#include <cstdio>
#include <exception>
#include <string>

#include "detio/errors.h"

namespace detio::internal {

inline void report_exception(const char* context, std::exception_ptr error) noexcept {
  try {
    std::rethrow_exception(error);
  } catch (const CancelledError&) {
    std::fprintf(stderr, "detio: %s: CancelledError\n", context);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "detio: %s: %s\n", context, e.what());
  } catch (...) {
    std::fprintf(stderr, "detio: %s: unknown exception\n", context);
  }
}

template <class F>
void run_reporting_errors(F& f, const char* kind) noexcept {
  try {
    f();
  } catch (...) {
    report_exception(("exception in " + std::string(kind)).c_str(), std::current_exception());
  }
}

}  // namespace detio::internal

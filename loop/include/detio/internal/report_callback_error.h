// Runs a user callback on the loop and, like asyncio's default exception
// handler, reports what it throws on stderr instead of stopping the loop.
// `kind` names the callback in the report ("done callback", ...).
#pragma once

#include <cstdio>
#include <exception>

#include "detio/errors.h"

namespace detio::internal {

template <class F>
void run_reporting_errors(F& f, const char* kind) noexcept {
  try {
    f();
  } catch (const CancelledError&) {
    std::fprintf(stderr, "detio: CancelledError in %s\n", kind);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "detio: exception in %s: %s\n", kind, e.what());
  } catch (...) {
    std::fprintf(stderr, "detio: unknown exception in %s\n", kind);
  }
}

}  // namespace detio::internal

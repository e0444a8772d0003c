#include "detio/internal/future_base.h"

#include <cstdio>

#include "detio/errors.h"
#include "detio/internal/cancelled_errors.h"
#include "detio/internal/loop_core.h"

namespace detio::internal {

void FutureBase::schedule_callbacks_elsewhere(LoopCore* loop) noexcept {
  if (home_id_ != 0 && (!loop || loop->id() != home_id_)) {
    if (LoopCore* home = LoopCore::find_alive(home_id_)) loop = home;
  }
  if (loop) {
    loop->call_soon_all(callbacks_);
  } else {
    // No loop left that could run them.
    while (ReadyNode* n = callbacks_.pop_front()) n->discard();
  }
}

void FutureBase::rethrow_failure() const {
  if (state_ == State::kCancelled) throw_cancelled(cancel_message());
  exception_retrieved_ = true;
  std::rethrow_exception(exception_);
}

void report_unretrieved_exception(const FutureBase& fut, std::string_view what) noexcept {
  std::string message = "unknown exception";
  try {
    std::rethrow_exception(fut.exception());
  } catch (const std::exception& e) {
    message = e.what();
  } catch (...) {
  }
  std::fprintf(stderr, "detio: %.*s exception was never retrieved: %s\n", static_cast<int>(what.size()), what.data(),
               message.c_str());
}

}  // namespace detio::internal

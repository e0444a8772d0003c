#include "detio/internal/future_base.h"

#include "detio/errors.h"
#include "detio/internal/loop_core.h"

namespace detio::internal {

void FutureBase::add_callback(ReadyNode* node) noexcept {
  if (done()) {
    if (LoopCore* loop = LoopCore::current()) loop->call_soon(node);
    return;
  }
  callbacks_.push_back(node);
}

void FutureBase::schedule_callbacks() noexcept {
  if (LoopCore* loop = LoopCore::current()) {
    loop->call_soon_all(callbacks_);
  } else {
    // Settled with no loop running (after shutdown): nobody can run them.
    while (ReadyNode* n = callbacks_.pop_front()) n->discard();
  }
}

void FutureBase::rethrow_if_failed() const {
  if (state_ == State::kCancelled) throw CancelledError(cancel_message_);
  if (exception_) std::rethrow_exception(exception_);
}

}  // namespace detio::internal

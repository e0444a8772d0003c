#include "detio/internal/gather_state.h"

#include "detio/errors.h"
#include "detio/internal/cancelled_errors.h"

namespace detio::internal {

GatherState::GatherState(std::size_t count, bool return_exceptions)
    : FutureBase(&kKind),
      children_(count > 0 ? new ChildDone[count] : nullptr),
      count_(count),
      return_exceptions_(return_exceptions) {
  if (count == 0) set_done();
}

void GatherState::watch(FutureBase& child) {
  ChildDone& node = children_[watched_++];
  node.gather = this;
  node.child = &child;
  child.add_callback(&node);
}

GatherState::~GatherState() {
  // Children still running would have their exceptions retrieved by this
  // gather's callback (asyncio keeps the callback alive until they finish).
  if (finished_ == watched_) return;
  for (std::size_t i = 0; i < watched_; ++i) children_[i].child->mark_exception_retrieved();
}

void GatherState::ChildDone::fire(ReadyNode* n, Action a) {
  if (a != Action::kRun) return;
  auto* self = static_cast<ChildDone*>(n);
  self->gather->on_child_done(*self->child);
}

bool GatherState::cancel_children(WaitTarget* self, std::string_view message) {
  auto* gather = static_cast<GatherState*>(self);
  if (gather->done()) return false;
  bool any = false;
  for (std::size_t i = 0; i < gather->watched_; ++i) {
    if (gather->children_[i].child->cancel(message)) any = true;
  }
  // Even with return_exceptions the gather must end in CancelledError.
  if (any) gather->cancel_requested_ = true;
  return any;
}

void GatherState::on_child_done(FutureBase& child) {
  ++finished_;
  child.mark_exception_retrieved();  // as _GatheringFuture's callback does
  if (done()) return;
  if (!return_exceptions_) {
    if (child.cancelled()) {
      set_done(make_cancelled(child.cancel_message()));
      return;
    }
    if (child.failed()) {
      set_done(child.exception());
      return;
    }
  }
  if (finished_ == count_) {
    if (cancel_requested_) {
      // asyncio takes the message from the last child in argument order
      // (the loop variable left over in _GatheringFuture's done callback):
      // the cancel's message, or none if that child swallowed the cancel.
      set_done(make_cancelled(children_[count_ - 1].child->cancel_message()));
    } else {
      set_done();
    }
  }
}

}  // namespace detio::internal

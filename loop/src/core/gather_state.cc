#include "detio/internal/gather_state.h"

#include "detio/errors.h"

namespace detio::internal {

GatherState::GatherState(std::vector<FutureBase*> children, bool return_exceptions)
    : FutureBase("gather", &GatherState::cancel_children),
      children_(std::move(children)),
      return_exceptions_(return_exceptions) {
  if (children_.empty()) {
    set_done();
    return;
  }
  for (std::size_t i = 0; i < children_.size(); ++i) {
    nodes_.emplace_back(this, i);
    children_[i]->add_callback(&nodes_.back());
  }
}

GatherState::~GatherState() {
  for (FutureBase* child : children_) child->mark_exception_retrieved();
}

void GatherState::ChildDone::fire(ReadyNode* n, Action a) {
  if (a != Action::kRun) return;
  auto* self = static_cast<ChildDone*>(n);
  self->gather->on_child_done(self->index);
}

bool GatherState::cancel_children(FutureBase* self, std::string_view message) {
  auto* gather = static_cast<GatherState*>(self);
  if (gather->done()) return false;
  bool any = false;
  for (FutureBase* child : gather->children_) {
    if (child->cancel(message)) any = true;
  }
  // Even with return_exceptions the gather must end in CancelledError.
  if (any) gather->cancel_requested_ = true;
  return any;
}

void GatherState::on_child_done(std::size_t index) {
  ++finished_;
  if (done()) return;
  FutureBase& child = *children_[index];
  if (!return_exceptions_) {
    if (child.cancelled()) {
      set_done(std::make_exception_ptr(CancelledError(child.cancel_message())));
      return;
    }
    if (child.failed()) {
      set_done(child.exception());
      return;
    }
  }
  if (finished_ == children_.size()) {
    if (cancel_requested_) {
      // asyncio takes the message from the last child in argument order
      // (the loop variable left over in _GatheringFuture's done callback):
      // the cancel's message, or none if that child swallowed the cancel.
      set_done(std::make_exception_ptr(CancelledError(children_.back()->cancel_message())));
    } else {
      set_done();
    }
  }
}

}  // namespace detio::internal

// The future a gather waits on (asyncio's _GatheringFuture): settles with
// the first child failure (or a child's cancellation) unless
// return_exceptions, else when every child is done; cancelling it cancels
// every child that is still running. Children are tasks or Futures; the
// gather's coroutine frame owns their handles and outlives this state.
#pragma once

#include <deque>
#include <vector>

#include "detio/internal/future_base.h"
#include "detio/internal/ready_node.h"

namespace detio::internal {

class GatherState final : public FutureBase {
 public:
  GatherState(std::vector<FutureBase*> children, bool return_exceptions);
  GatherState(const GatherState&) = delete;
  ~GatherState();

 private:
  struct ChildDone : ReadyNode {
    ChildDone(GatherState* g, std::size_t i) noexcept : ReadyNode(&ChildDone::fire), gather(g), index(i) {}
    static void fire(ReadyNode* n, Action a);
    GatherState* gather;
    std::size_t index;
  };
  static bool cancel_children(FutureBase* self, std::string_view message);
  void on_child_done(std::size_t index);

  std::vector<FutureBase*> children_;
  std::deque<ChildDone> nodes_;
  std::size_t finished_ = 0;
  bool return_exceptions_;
  bool cancel_requested_ = false;
};

}  // namespace detio::internal

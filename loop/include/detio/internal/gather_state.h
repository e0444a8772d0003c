// The future a gather waits on (asyncio's _GatheringFuture): settles with
// the first child failure (or a child's cancellation) unless
// return_exceptions, else when every child is done; cancelling it cancels
// every child that is still running. Children are tasks or Futures; the
// gather's coroutine frame owns their handles and outlives this state.
// Two allocations for any number of children: this state and the
// children's done-callback nodes.
#pragma once

#include <memory>

#include "detio/internal/future_base.h"
#include "detio/internal/ready_node.h"

namespace detio::internal {

class GatherState final : public FutureBase {
 public:
  // A gather over `count` children, each then passed to watch() in
  // argument order.
  GatherState(std::size_t count, bool return_exceptions);
  GatherState(const GatherState&) = delete;
  ~GatherState();

  void watch(FutureBase& child);

 private:
  struct ChildDone : ReadyNode {
    ChildDone() noexcept : ReadyNode(&ChildDone::fire) {}
    static void fire(ReadyNode* n, Action a);
    GatherState* gather = nullptr;
    FutureBase* child = nullptr;
  };
  static bool cancel_children(WaitTarget* self, std::string_view message);
  static constexpr WaitKind kKind{"gather", &GatherState::cancel_children};
  void on_child_done(FutureBase& child);

  std::unique_ptr<ChildDone[]> children_;
  std::size_t count_;
  std::size_t watched_ = 0;
  std::size_t finished_ = 0;
  bool return_exceptions_;
  bool cancel_requested_ = false;
};

}  // namespace detio::internal

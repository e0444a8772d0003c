// A unit of work in the loop's ready queue (asyncio's Handle): one function
// pointer, no allocation, no std::function. The same hook also threads the
// node through a future's callback list while it waits.
#pragma once

#include "detio/internal/intrusive_list.h"

namespace detio::internal {

struct ReadyNode : ListHook {
  // kDiscard is passed instead of kRun when the loop is torn down with the
  // node still queued, so owners of heap-allocated nodes can free them.
  enum class Action { kRun, kDiscard };
  using Fn = void (*)(ReadyNode*, Action);

  explicit ReadyNode(Fn f) noexcept : fn(f) {}
  void run() { fn(this, Action::kRun); }
  void discard() { fn(this, Action::kDiscard); }

  Fn fn;
};

using ReadyList = IntrusiveList<ReadyNode>;

}  // namespace detio::internal

namespace detio::internal {

// A ReadyNode embedded in `Owner` that calls (owner->*Method)() when run.
// Embedding (instead of a heap callback) makes it unregister itself when the
// owner dies, wherever it is queued.
template <class Owner, void (Owner::*Method)()>
struct MemberCallback : ReadyNode {
  explicit MemberCallback(Owner* o) noexcept : ReadyNode(&MemberCallback::fire), owner(o) {}
  static void fire(ReadyNode* n, Action a) {
    if (a == Action::kRun) (static_cast<MemberCallback*>(n)->owner->*Method)();
  }
  Owner* owner;
};

}  // namespace detio::internal

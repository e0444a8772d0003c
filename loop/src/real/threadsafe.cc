#include "detio/threadsafe.h"

#include "detio/internal/epoll_backend.h"

namespace detio {

LoopHandle get_running_loop() {
  internal::EpollBackend* backend = internal::EpollBackend::current();
  if (!backend) {
    throw RuntimeError(internal::LoopCore::current()
                           ? "get_running_loop: the simulator has no threads to hand work from"
                           : "get_running_loop: no running detio loop");
  }
  return LoopHandle(backend->inbox());
}

namespace internal {

void post_or_throw(ThreadsafeInbox& inbox, ReadyNode* node, void (*destroy)(ReadyNode*)) {
  if (inbox.post(node)) return;
  destroy(node);
  throw RuntimeError("Event loop is closed");
}

}  // namespace internal
}  // namespace detio

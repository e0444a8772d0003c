#include "detio/threadsafe.h"

#include <string>
#include <thread>

#include "detio/internal/epoll_backend.h"

namespace detio {

LoopHandle get_running_loop() {
  if (internal::EpollBackend* backend = internal::EpollBackend::current()) {
    return LoopHandle(internal::LoopDoor(backend->inbox()));
  }
  if (internal::LoopCore* loop = internal::LoopCore::current()) return LoopHandle(internal::LoopDoor(*loop));
  throw RuntimeError("get_running_loop: no running detio loop");
}

namespace internal {

void LoopDoor::check_thread(const char* what) const {
  if (inbox_ || std::this_thread::get_id() == sim_thread_) return;
  throw RuntimeError(std::string(what) +
                     " from another thread on a simulated loop: the simulator runs on one thread, and work "
                     "arriving from another would make the run depend on timing (to_thread runs inline there; "
                     "call it from the simulation's thread)");
}

bool LoopDoor::post(ReadyNode* node, const char* what) const {
  if (inbox_) return inbox_->post(node);
  check_thread(what);
  LoopCore* loop = LoopCore::find_alive(sim_loop_id_);
  if (!loop) return false;
  loop->call_soon(node);
  return true;
}

bool LoopDoor::on_loop_thread() const noexcept {
  if (!inbox_) return sim_loop_ && std::this_thread::get_id() == sim_thread_;
  EpollBackend* backend = EpollBackend::current();
  return backend && backend->inbox() == inbox_;
}

void post_or_throw(const LoopDoor& door, ReadyNode* node, void (*destroy)(ReadyNode*), const char* what) {
  bool posted = false;
  try {
    posted = door.post(node, what);
  } catch (...) {
    destroy(node);
    throw;
  }
  if (posted) return;
  destroy(node);
  throw RuntimeError("Event loop is closed");
}

void throw_blocking_on_loop_thread(const char* what) {
  throw RuntimeError(std::string("ConcurrentFuture::") + what +
                     " on the thread that runs its loop would wait forever: that loop must run the coroutine "
                     "meanwhile (check done(), or wait from another thread)");
}

}  // namespace internal
}  // namespace detio

// What the epoll backend registers: an IoHandler receives the readiness
// events of one fd (one epoll registration per fd); an IoObject is an open
// socket-owning object (transport, listener, pending connect) that the
// backend tracks, so it knows whether any I/O can still happen and can close
// everything left when the loop ends. Loop thread only.
#pragma once

#include <cstdint>

#include "detio/internal/intrusive_list.h"

namespace detio::internal {

class IoHandler {
 public:
  // `events` is the epoll mask (EPOLLIN, EPOLLOUT, EPOLLERR, EPOLLHUP).
  // Handlers treat events as hints: a read or write may still see EAGAIN.
  virtual void on_io(std::uint32_t events) = 0;

 protected:
  ~IoHandler() = default;
};

class IoObject : public ListHook {
 public:
  // The backend is being destroyed: close the fd at once, deliver nothing,
  // and turn every later call into a no-op.
  virtual void backend_gone() noexcept = 0;

 protected:
  ~IoObject() = default;
};

}  // namespace detio::internal

#include "detio/net/internal/listener.h"

#include "detio/net/internal/sim_network.h"

namespace detio::net::internal {

SimListener::~SimListener() {
  close();
  if (net_) net_->forget(*this);
}

void SimListener::start_listening() {
  if (listening_ || closed_) return;
  listening_ = true;
  if (net_) net_->on_listen(*this);
}

void SimListener::close() {
  if (closed_) return;
  closed_ = true;
  if (net_) net_->unbind(*this);
}

}  // namespace detio::net::internal

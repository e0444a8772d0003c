#include "detio/internal/transport_base.h"

#include <string>
#include <utility>

#include "detio/internal/report_callback_error.h"

namespace detio::internal {

// ------------------------------------------------------------ the owner's calls

void TransportBase::write_eof() {
  if (closing_ || lost_ || eof_requested_) return;
  eof_requested_ = true;
  io_write_eof();
}

void TransportBase::close() {
  if (closing_) return;
  closing_ = true;
  if (!lost_) io_close();
}

void TransportBase::abort() {
  closing_ = true;
  if (lost_) return;
  io_abort(/*reset=*/true);
  lose(nullptr);
}

void TransportBase::pause_reading() {
  if (closing_ || lost_ || reading_paused_) return;
  reading_paused_ = true;
  io_reading_changed();
}

void TransportBase::resume_reading() {
  if (!reading_paused_) return;
  reading_paused_ = false;
  if (!lost_) io_reading_changed();
}

void TransportBase::set_write_buffer_limits(std::size_t high, std::size_t low) {
  // asyncio's message (its limits may also be negative; ours cannot).
  if (high < low) {
    throw ValueError("high (" + std::to_string(high) + ") must be >= low (" + std::to_string(low) + ") must be >= 0");
  }
  high_water_ = high;
  low_water_ = low;
  // As asyncio: only pausing follows at once; resuming waits for bytes to
  // leave the buffer.
  maybe_pause_protocol(get_write_buffer_size());
}

void TransportBase::set_protocol(Protocol& protocol) {
  if (abandoned() || loss_delivered_) return;
  protocol_ = &protocol;
  try {
    protocol.connection_made(*this);
  } catch (...) {
    fatal_error("connection_made", std::current_exception());
  }
  if (protocol_ != &protocol) return;  // detached meanwhile
  if (lost_) {
    // Lost before anyone listened: deliver it now, from the loop.
    schedule_connection_lost();
  } else {
    io_reading_changed();
  }
}

void TransportBase::detach_protocol() {
  protocol_ = nullptr;
  if (!abandoned()) io_protocol_gone();
}

// ------------------------------------------------------------ flow control

void TransportBase::set_protocol_paused(bool paused) {
  protocol_paused_ = paused;
  if (!protocol_) return;
  try {
    if (paused) {
      protocol_->pause_writing();
    } else {
      protocol_->resume_writing();
    }
  } catch (...) {
    report_exception(paused ? "protocol.pause_writing() failed" : "protocol.resume_writing() failed",
                     std::current_exception());
  }
}

// ------------------------------------------------------------ what arrives

void TransportBase::deliver_eof() {
  bool keep_open = false;
  try {
    keep_open = protocol_->eof_received();
  } catch (...) {
    fatal_error("eof_received", std::current_exception());
    return;
  }
  if (!keep_open) close();
}

void TransportBase::fatal_error(const char* callback, std::exception_ptr error) {
  report_exception(("Fatal error: protocol." + std::string(callback) + "() call failed.").c_str(), error);
  fail(std::move(error));
}

// ------------------------------------------------------------ the end

void TransportBase::fail(std::exception_ptr error) {
  closing_ = true;
  if (lost_ || abandoned()) return;
  io_abort(/*reset=*/false);
  lose(std::move(error));
}

void TransportBase::lose(std::exception_ptr error) {
  if (lost_ || abandoned()) return;
  lost_ = true;
  closing_ = true;
  loss_error_ = std::move(error);
  io_lost();
  schedule_connection_lost();
}

void TransportBase::schedule_connection_lost() {
  if (lost_node_.linked() || abandoned()) return;
  // Until it runs, the node must not outlive us: hold ourselves.
  if (!keep_alive_) keep_alive_ = shared_from_this();
  loop_->call_soon(&lost_node_);
}

void TransportBase::deliver_connection_lost() {
  std::shared_ptr<TransportBase> keep = std::move(keep_alive_);  // may be the last reference
  Protocol* protocol = std::exchange(protocol_, nullptr);
  if (!protocol) return;  // delivered when a protocol is attached, if ever
  loss_delivered_ = true;
  {
    OwnerScope scope(*loop_, owner_);
    try {
      protocol->connection_lost(loss_error_);
    } catch (...) {
      report_exception("protocol.connection_lost() failed", std::current_exception());
    }
  }
  if (!abandoned()) io_protocol_gone();
}

void TransportBase::LostNode::fire(ReadyNode* n, Action a) {
  TransportBase* t = static_cast<LostNode*>(n)->transport;
  if (a == Action::kRun) {
    t->deliver_connection_lost();
  } else {
    std::shared_ptr<TransportBase> keep = std::move(t->keep_alive_);  // may free t
  }
}

void TransportBase::abandon() noexcept {
  std::shared_ptr<TransportBase> keep = std::move(keep_alive_);  // may be the last reference
  lost_node_.unlink();
  protocol_ = nullptr;
  closing_ = lost_ = true;
  loop_ = nullptr;
}

}  // namespace detio::internal

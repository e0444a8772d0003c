#include "detio/net/internal/endpoint.h"

#include <algorithm>

#include "detio/errors.h"
#include "detio/net/internal/connection.h"
#include "detio/net/internal/sim_network.h"

namespace detio::net::internal {
namespace {

std::string python_address(const SocketAddress& a) {
  return "('" + a.host + "', " + std::to_string(a.port) + ")";
}

}  // namespace

SimEndpoint::SimEndpoint(SimNetwork& net, Connection& conn, int side, HostId host, NodeId node)
    : net_(&net),
      conn_(&conn),
      conn_id_(conn.id),
      side_(side),
      host_(host),
      node_(node),
      phase_(side == 0 ? Phase::kSynSent : Phase::kAwaitSyn) {}

SimEndpoint::~SimEndpoint() { detach(); }

SimEndpoint* SimEndpoint::peer() const noexcept { return conn_ ? conn_->ends[1 - side_].get() : nullptr; }

void SimEndpoint::set_addresses(SocketAddress local, SocketAddress remote) {
  local_ = std::move(local);
  remote_ = std::move(remote);
}

bool SimEndpoint::finished() const noexcept {
  return lost_ && out_.empty() && !syn_timer_.in_heap() && (dead_ || released_ || lost_delivered_);
}

// --- Transport -------------------------------------------------------------

void SimEndpoint::write(std::string_view data) {
  if (!net_ || closing_ || lost_) return;
  if (write_shut_) throw RuntimeError("Cannot call write() after write_eof()");
  if (data.empty()) return;
  send_chunks_.emplace_back(data);
  send_size_ += data.size();
  pump();
  maybe_pause_protocol();
}

void SimEndpoint::write_eof() {
  if (!net_ || closing_ || lost_ || write_shut_) return;
  write_shut_ = true;
  pump();
}

void SimEndpoint::close() {
  if (!net_ || closing_) return;
  closing_ = true;
  if (lost_) return;
  net_->record(EventKind::kClose, host_, peer()->host(), conn_id_);
  write_shut_ = true;
  pump();
}

void SimEndpoint::abort() {
  if (!net_) return;
  closing_ = true;
  if (lost_) return;
  clear_send_buffer();
  recv_buf_.clear();
  write_shut_ = true;
  if (!rst_sent_) {
    fin_sent_ = rst_sent_ = true;
    send_control(Packet::Kind::kRst, "abort");
  }
  lose(nullptr);
}

void SimEndpoint::pause_reading() {
  if (!net_ || closing_ || lost_) return;
  reading_paused_ = true;
}

void SimEndpoint::resume_reading() {
  if (!reading_paused_) return;
  reading_paused_ = false;
  if (!recv_buf_.empty() || (eof_received_ && !eof_delivered_)) schedule_flush();
}

void SimEndpoint::set_write_buffer_limits(std::size_t high, std::size_t low) {
  if (high < low) throw ValueError("set_write_buffer_limits: high (" + std::to_string(high) +
                                   ") must be >= low (" + std::to_string(low) + ")");
  high_water_ = high;
  low_water_ = low;
  maybe_pause_protocol();
}

void SimEndpoint::set_protocol(Protocol& protocol) {
  if (!net_ || lost_delivered_ || dead_) return;
  protocol_ = &protocol;
  released_ = false;
  protocol.connection_made(*this);
  if (protocol_ == &protocol && (!recv_buf_.empty() || (eof_received_ && !eof_delivered_) || lost_)) {
    schedule_flush();
  }
}

void SimEndpoint::detach_protocol() {
  protocol_ = nullptr;
  released_ = true;  // its owner is going away: nobody reads the loss
  if (net_ && lost_) net_->schedule_reap(conn_id_);
}

// --- sending ----------------------------------------------------------------

void SimEndpoint::pump() {
  if (!net_ || lost_ || phase_ != Phase::kEstablished) return;
  const std::size_t window = std::max<std::size_t>(net_->options().receive_window, 1);
  const std::size_t segment = std::max<std::size_t>(net_->options().segment_size, 1);
  while (send_size_ > 0 && window_used_ < window) {
    const std::size_t n = std::min({send_size_, window - window_used_, segment});
    window_used_ += n;
    Packet packet;
    packet.kind = Packet::Kind::kData;
    packet.data = take_send_bytes(n);
    net_->send(*this, std::move(packet));
    if (lost_) return;
  }
  if (send_size_ == 0 && write_shut_ && !fin_sent_) {
    fin_sent_ = true;
    if (closing_ && (unread_ || !recv_buf_.empty())) {
      // Linux: closing a socket with unread bytes sends RST, not FIN.
      rst_sent_ = true;
      send_control(Packet::Kind::kRst, "closed with unread data");
    } else {
      send_control(Packet::Kind::kFin);
    }
  }
  if (send_size_ == 0 && closing_ && !lost_) lose(nullptr);
}

void SimEndpoint::send_control(Packet::Kind kind, std::string detail) {
  Packet packet;
  packet.kind = kind;
  net_->send(*this, std::move(packet), std::move(detail));
}

std::string SimEndpoint::take_send_bytes(std::size_t n) {
  std::string out;
  out.reserve(n);
  while (out.size() < n) {
    std::string& front = send_chunks_.front();
    const std::size_t k = std::min(front.size() - send_front_offset_, n - out.size());
    out.append(front, send_front_offset_, k);
    send_front_offset_ += k;
    if (send_front_offset_ == front.size()) {
      send_chunks_.pop_front();
      send_front_offset_ = 0;
    }
  }
  send_size_ -= n;
  return out;
}

void SimEndpoint::clear_send_buffer() noexcept {
  send_chunks_.clear();
  send_front_offset_ = 0;
  send_size_ = 0;
}

void SimEndpoint::maybe_pause_protocol() {
  if (write_paused_ || !protocol_ || send_size_ <= high_water_) return;
  write_paused_ = true;
  protocol_->pause_writing();
}

void SimEndpoint::maybe_resume_protocol() {
  if (!write_paused_ || send_size_ > low_water_) return;
  write_paused_ = false;
  if (protocol_) protocol_->resume_writing();
}

void SimEndpoint::enqueue(Packet packet) {
  out_.push_back(std::move(packet));
  if (out_.size() == 1) rearm();
}

void SimEndpoint::rearm() {
  if (!net_ || out_.empty() || stalled_) return;
  detio::internal::LoopCore& loop = net_->loop();
  const TimePoint at = std::max(out_.front().arrival, loop.now());
  if (deliver_timer_.in_heap() && deliver_timer_.when == at) return;
  deliver_timer_.cancel();
  loop.call_at(&deliver_timer_, at);
}

void SimEndpoint::unstall(TimePoint earliest) {
  if (!stalled_) return;
  stalled_ = false;
  if (out_.empty()) return;
  out_.front().arrival = std::max(out_.front().arrival, earliest);
  last_arrival_ = std::max(last_arrival_, out_.front().arrival);
  rearm();
}

void SimEndpoint::on_deliver_timer() {
  if (!net_ || out_.empty()) return;
  SimEndpoint* to = peer();
  const TimePoint hold = net_->hold_until(host_, to->host_);
  if (hold == TimePoint::max()) {
    stalled_ = true;  // partitioned: TCP retransmits until healed
    return;
  }
  if (hold > net_->loop().now()) {
    net_->loop().call_at(&deliver_timer_, hold);  // clogged
    return;
  }
  Packet packet = std::move(out_.front());
  out_.pop_front();
  net_->deliver(*this, *to, std::move(packet));
  if (!net_) return;
  if (!out_.empty()) {
    rearm();
  } else if (lost_) {
    net_->schedule_reap(conn_id_);
  }
}

// --- receiving --------------------------------------------------------------

void SimEndpoint::receive(Packet packet) {
  // Before its SYN arrives the server end is no socket yet: only the SYN
  // (possibly retransmitted) means anything to it.
  if (phase_ == Phase::kAwaitSyn && packet.kind != Packet::Kind::kSyn) return;
  switch (packet.kind) {
    case Packet::Kind::kSyn:
      if (phase_ == Phase::kAwaitSyn && !lost_) net_->on_syn(*this, conn_->port);
      return;
    case Packet::Kind::kSynAck:
      if (lost_) {
        // Our side gave up on the connect: the server's socket is stale.
        if (!dead_ && !rst_sent_) {
          fin_sent_ = rst_sent_ = true;
          send_control(Packet::Kind::kRst, "stale connection");
        }
        return;
      }
      if (phase_ != Phase::kSynSent) return;
      phase_ = Phase::kEstablished;
      syn_timer_.cancel();
      net_->record(EventKind::kConnected, host_, peer()->host_, conn_id_);
      if (connect_wait_) std::exchange(connect_wait_, nullptr)->succeed();
      return;
    case Packet::Kind::kData:
      if (dead_) return;
      if (lost_) {
        // Data for a closed socket: Linux answers with RST.
        if (!rst_sent_) {
          fin_sent_ = rst_sent_ = true;
          send_control(Packet::Kind::kRst, "data after close");
        }
        return;
      }
      if (closing_) {
        unread_ = true;
        return;
      }
      if (protocol_ && !reading_paused_ && recv_buf_.empty()) {
        deliver_data(std::move(packet.data));
      } else {
        recv_buf_ += packet.data;
        if (protocol_ && !reading_paused_) schedule_flush();
      }
      return;
    case Packet::Kind::kAck:
      if (lost_) return;
      window_used_ -= std::min(packet.ack, window_used_);
      pump();
      maybe_resume_protocol();
      return;
    case Packet::Kind::kFin:
      if (lost_ || eof_received_) return;
      eof_received_ = true;
      if (closing_) return;
      if (protocol_ && !reading_paused_ && recv_buf_.empty()) {
        deliver_eof();
      } else if (protocol_ && !reading_paused_) {
        schedule_flush();
      }
      return;
    case Packet::Kind::kRst:
      if (lost_) return;
      if (phase_ == Phase::kSynSent) {
        net_->record(EventKind::kRefused, host_, peer()->host_, conn_id_, 0, "port " + std::to_string(remote_.port));
        fail_connect(std::make_exception_ptr(
            ConnectionRefusedError("[Errno 111] Connect call failed " + python_address(remote_))));
        return;
      }
      clear_send_buffer();
      recv_buf_.clear();
      lose(std::make_exception_ptr(ConnectionResetError("[Errno 104] Connection reset by peer")));
      return;
  }
}

void SimEndpoint::deliver_data(std::string data) {
  const std::size_t n = data.size();
  protocol_->data_received(data);
  // The bytes left the socket buffer: reopen the sender's window.
  if (net_ && !lost_) {
    Packet ack;
    ack.kind = Packet::Kind::kAck;
    ack.ack = n;
    net_->send(*this, std::move(ack));
  }
}

void SimEndpoint::deliver_eof() {
  eof_delivered_ = true;
  const bool keep_open = protocol_->eof_received();
  if (!keep_open && net_ && !closing_) close();
}

void SimEndpoint::schedule_flush() {
  if (net_ && !flush_cb_.linked()) net_->loop().call_soon(&flush_cb_);
}

void SimEndpoint::flush_pending() {
  if (!net_ || !protocol_) return;
  NodeScope scope(net_->loop(), node_);
  if (!lost_ && !closing_ && !reading_paused_ && !recv_buf_.empty()) deliver_data(std::exchange(recv_buf_, {}));
  if (net_ && protocol_ && !lost_ && !closing_ && !reading_paused_ && recv_buf_.empty() && eof_received_ &&
      !eof_delivered_) {
    deliver_eof();
  }
  if (net_ && protocol_ && lost_ && !lost_delivered_) {
    lost_delivered_ = true;
    Protocol* protocol = std::exchange(protocol_, nullptr);
    protocol->connection_lost(lost_error_);
    if (net_) net_->schedule_reap(conn_id_);
  }
}

void SimEndpoint::lose(std::exception_ptr error) {
  if (lost_) return;
  lost_ = true;
  phase_ = Phase::kClosed;
  lost_error_ = std::move(error);
  clear_send_buffer();
  recv_buf_.clear();
  syn_timer_.cancel();
  if (protocol_) schedule_flush();
  net_->schedule_reap(conn_id_);
}

// --- connecting --------------------------------------------------------------

void SimEndpoint::start_connect(ConnectWait* wait) {
  connect_wait_ = wait;
  syn_attempts_ = 0;
  syn_timeout_ = net_->options().syn_timeout;
  send_syn();
}

void SimEndpoint::send_syn() {
  const HostId to = peer()->host_;
  const std::string attempt = syn_attempts_ == 0 ? "" : "retry " + std::to_string(syn_attempts_);
  if (net_->partitioned(host_, to)) {
    net_->record(EventKind::kSynLost, host_, to, conn_id_, 0, "partitioned");
  } else {
    syn_sent_ = true;
    send_control(Packet::Kind::kSyn, attempt.empty() ? "port " + std::to_string(remote_.port) : attempt);
  }
  net_->loop().call_at(&syn_timer_, detio::internal::deadline_after(net_->loop().now(), syn_timeout_));
}

void SimEndpoint::on_syn_timer() {
  if (!net_ || lost_ || phase_ != Phase::kSynSent) return;
  if (syn_attempts_ >= net_->options().syn_retries) {
    net_->record(EventKind::kConnectTimeout, host_, peer()->host_, conn_id_);
    fail_connect(std::make_exception_ptr(TimeoutError("[Errno 110] Connect call failed " + python_address(remote_))));
    return;
  }
  ++syn_attempts_;
  syn_timeout_ *= 2;
  send_syn();
}

void SimEndpoint::fail_connect(std::exception_ptr error) {
  syn_timer_.cancel();
  lost_ = true;
  released_ = true;
  phase_ = Phase::kClosed;
  if (connect_wait_) std::exchange(connect_wait_, nullptr)->fail(std::move(error));
  net_->schedule_reap(conn_id_);
}

void SimEndpoint::abandon_connect() {
  connect_wait_ = nullptr;
  released_ = true;
  if (!net_) return;
  if (!lost_) {
    closing_ = true;
    syn_timer_.cancel();
    if (syn_sent_ && !rst_sent_) {
      fin_sent_ = rst_sent_ = true;
      send_control(Packet::Kind::kRst, "connect cancelled");
    }
    lose(nullptr);
  }
  net_->schedule_reap(conn_id_);
}

// --- the end ----------------------------------------------------------------

void SimEndpoint::kill() {
  if (!net_ || dead_) return;
  dead_ = true;
  released_ = true;
  protocol_ = nullptr;
  flush_cb_.unlink();
  syn_timer_.cancel();
  if (!lost_) {
    clear_send_buffer();
    recv_buf_.clear();
    if ((phase_ == Phase::kEstablished || syn_sent_) && !rst_sent_) {
      fin_sent_ = rst_sent_ = true;
      send_control(Packet::Kind::kRst, "node killed");
    }
    lost_ = true;
    phase_ = Phase::kClosed;
  }
  net_->schedule_reap(conn_id_);
}

void SimEndpoint::detach() noexcept {
  deliver_timer_.cancel();
  syn_timer_.cancel();
  flush_cb_.unlink();
  protocol_ = nullptr;
  connect_wait_ = nullptr;
  net_ = nullptr;
  conn_ = nullptr;
  out_.clear();
  clear_send_buffer();
  recv_buf_.clear();
}

}  // namespace detio::net::internal

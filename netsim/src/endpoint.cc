#include "detio/internal/unix_path.h"
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
    : TransportBase(net.loop(), node),
      net_(&net),
      conn_(&conn),
      conn_id_(conn.id),
      side_(side),
      host_(host),
      phase_(side == 0 ? Phase::kSynSent : Phase::kAwaitSyn) {}

SimEndpoint::~SimEndpoint() { detach(); }

SimEndpoint* SimEndpoint::peer() const noexcept { return conn_ ? conn_->ends[1 - side_].get() : nullptr; }

void SimEndpoint::set_addresses(SocketAddress local, SocketAddress remote) {
  local_ = std::move(local);
  remote_ = std::move(remote);
}

bool SimEndpoint::finished() const noexcept {
  return lost() && out_.empty() && !syn_timer_.in_heap() && (dead_ || released_ || loss_delivered());
}

// --- sending ----------------------------------------------------------------

void SimEndpoint::write(std::string_view data) {
  if (!accept_write(data)) return;
  send_chunks_.emplace_back(data);
  send_size_ += data.size();
  pump();
  maybe_pause_protocol(send_size_);
}

void SimEndpoint::io_write_eof() {
  write_shut_ = true;
  pump();
}

void SimEndpoint::io_close() {
  net_->record(EventKind::kClose, host_, peer()->host(), conn_id_);
  write_shut_ = true;
  pump();
}

void SimEndpoint::io_abort(bool reset) {
  const bool unread = unread_ || !recv_buf_.empty();
  clear_send_buffer();
  recv_buf_.clear();
  write_shut_ = true;
  if (reset) {
    if (!rst_sent_) send_reset("abort");
  } else if (!fin_sent_) {
    // Closing the socket now, as the kernel does: RST if bytes are unread.
    if (unread) {
      send_reset("closed with unread data");
    } else {
      fin_sent_ = true;
      send_control(Packet::Kind::kFin);
    }
  }
}

void SimEndpoint::pump() {
  if (!net_ || lost() || phase_ != Phase::kEstablished) return;
  const std::size_t window = std::max<std::size_t>(net_->options().receive_window, 1);
  const std::size_t segment = std::max<std::size_t>(net_->options().segment_size, 1);
  while (send_size_ > 0 && window_used_ < window) {
    const std::size_t n = std::min({send_size_, window - window_used_, segment});
    window_used_ += n;
    Packet packet;
    packet.kind = Packet::Kind::kData;
    packet.data = take_send_bytes(n);
    net_->send(*this, std::move(packet));
    if (lost()) return;
  }
  if (send_size_ == 0 && write_shut_ && !fin_sent_) {
    if (closing() && (unread_ || !recv_buf_.empty())) {
      // Linux: closing a socket with unread bytes sends RST, not FIN.
      send_reset("closed with unread data");
    } else {
      fin_sent_ = true;
      send_control(Packet::Kind::kFin);
    }
  }
  if (send_size_ == 0 && closing()) lose(nullptr);
}

void SimEndpoint::send_control(Packet::Kind kind, std::string detail) {
  Packet packet;
  packet.kind = kind;
  net_->send(*this, std::move(packet), std::move(detail));
}

void SimEndpoint::send_reset(std::string detail) {
  fin_sent_ = rst_sent_ = true;
  send_control(Packet::Kind::kRst, std::move(detail));
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
  } else if (lost()) {
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
      if (phase_ == Phase::kAwaitSyn && !lost()) net_->on_syn(*this, *conn_);
      return;
    case Packet::Kind::kSynAck:
      if (lost()) {
        // Our side gave up on the connect: the server's socket is stale.
        if (!dead_ && !rst_sent_) send_reset("stale connection");
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
      if (lost()) {
        // Data for a closed socket: Linux answers with RST.
        if (!rst_sent_) send_reset("data after close");
        return;
      }
      if (closing()) {
        unread_ = true;
        return;
      }
      if (protocol() && !reading_paused() && recv_buf_.empty()) {
        hand_over_data(std::move(packet.data));
      } else {
        recv_buf_ += packet.data;
        if (protocol() && !reading_paused()) schedule_flush();
      }
      return;
    case Packet::Kind::kAck:
      if (lost()) return;
      window_used_ -= std::min(packet.ack, window_used_);
      pump();
      maybe_resume_protocol(send_size_);
      return;
    case Packet::Kind::kFin:
      if (lost() || eof_received_) return;
      eof_received_ = true;
      if (closing()) return;
      if (protocol() && !reading_paused() && recv_buf_.empty()) {
        hand_over_eof();
      } else if (protocol() && !reading_paused()) {
        schedule_flush();
      }
      return;
    case Packet::Kind::kRst:
      if (lost()) return;
      if (phase_ == Phase::kSynSent) {
        net_->record(EventKind::kRefused, host_, peer()->host_, conn_id_, 0, "port " + std::to_string(remote_.port));
        fail_connect(std::make_exception_ptr(
            ConnectionRefusedError("[Errno 111] Connect call failed " + python_address(remote_))));
        return;
      }
      lose(std::make_exception_ptr(ConnectionResetError("[Errno 104] Connection reset by peer")));
      return;
  }
}

void SimEndpoint::hand_over_data(std::string data) {
  if (!deliver_data(data)) return;  // the protocol failed: the connection is closing
  // The bytes left the socket buffer: reopen the sender's window.
  if (net_ && !lost()) {
    Packet ack;
    ack.kind = Packet::Kind::kAck;
    ack.ack = data.size();
    net_->send(*this, std::move(ack));
  }
}

void SimEndpoint::hand_over_eof() {
  eof_delivered_ = true;
  deliver_eof();
}

bool SimEndpoint::delivery_pending() const noexcept {
  return !recv_buf_.empty() || (eof_received_ && !eof_delivered_);
}

void SimEndpoint::io_reading_changed() {
  if (protocol() && !reading_paused() && delivery_pending()) schedule_flush();
}

void SimEndpoint::schedule_flush() {
  if (net_ && !flush_cb_.linked()) net_->loop().call_soon(&flush_cb_);
}

void SimEndpoint::flush_pending() {
  if (!net_ || !protocol() || lost() || closing() || reading_paused()) return;
  NodeScope scope(net_->loop(), node());
  if (!recv_buf_.empty()) hand_over_data(std::exchange(recv_buf_, {}));
  if (net_ && protocol() && !lost() && !closing() && !reading_paused() && recv_buf_.empty() && eof_received_ &&
      !eof_delivered_) {
    hand_over_eof();
  }
}

void SimEndpoint::io_lost() {
  phase_ = Phase::kClosed;
  clear_send_buffer();
  recv_buf_.clear();
  syn_timer_.cancel();
  net_->schedule_reap(conn_id_);
}

void SimEndpoint::io_protocol_gone() {
  released_ = true;  // nobody reads this end any more
  if (net_ && lost()) net_->schedule_reap(conn_id_);
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
    const std::string target = conn_->unix_path.empty() ? "port " + std::to_string(remote_.port)
                                                        : "path " + detio::internal::display_unix_path(conn_->unix_path);
    send_control(Packet::Kind::kSyn, attempt.empty() ? target : attempt);
  }
  net_->loop().call_at(&syn_timer_, detio::internal::deadline_after(net_->loop().now(), syn_timeout_));
}

void SimEndpoint::on_syn_timer() {
  if (!net_ || lost() || phase_ != Phase::kSynSent) return;
  if (syn_attempts_ >= net_->options().syn_retries) {
    net_->record(EventKind::kConnectTimeout, host_, peer()->host_, conn_id_);
    fail_connect(std::make_exception_ptr(TimeoutError("[Errno 110] Connect call failed " + python_address(remote_))));
    return;
  }
  ++syn_attempts_;
  syn_timeout_ = detio::internal::saturating_add(syn_timeout_, syn_timeout_);
  send_syn();
}

void SimEndpoint::fail_connect(std::exception_ptr error) {
  released_ = true;
  lose(nullptr);  // no protocol yet: the connecting task gets the error
  if (connect_wait_) std::exchange(connect_wait_, nullptr)->fail(std::move(error));
}

void SimEndpoint::abandon_connect() {
  connect_wait_ = nullptr;
  released_ = true;
  if (!net_) return;
  if (!lost()) {
    syn_timer_.cancel();
    if (syn_sent_ && !rst_sent_) send_reset("connect cancelled");
    lose(nullptr);
  }
  net_->schedule_reap(conn_id_);
}

void SimEndpoint::refuse(std::string reason) {
  released_ = true;
  send_reset(std::move(reason));
  lose(nullptr);
}

// --- the end ----------------------------------------------------------------

void SimEndpoint::kill() {
  if (!net_ || dead_) return;
  dead_ = true;
  released_ = true;
  flush_cb_.unlink();
  syn_timer_.cancel();
  if (!lost()) {
    clear_send_buffer();
    recv_buf_.clear();
    if ((phase_ == Phase::kEstablished || syn_sent_) && !rst_sent_) send_reset("node killed");
    phase_ = Phase::kClosed;
  }
  net_->schedule_reap(conn_id_);
  abandon();  // its protocol is never called again; the connection still owns us
}

void SimEndpoint::detach() noexcept {
  deliver_timer_.cancel();
  syn_timer_.cancel();
  flush_cb_.unlink();
  connect_wait_ = nullptr;
  net_ = nullptr;
  conn_ = nullptr;
  out_.clear();
  clear_send_buffer();
  recv_buf_.clear();
  abandon();
}

}  // namespace detio::net::internal

// One end of a simulated TCP connection: the Transport the streams use. The
// protocol, flow control and the end of the connection are TransportBase's;
// this moves the bytes as packets.
//
// Sending: write() appends to the transport's buffer; bytes move onto the
// wire (as Packets in this end's outgoing queue) only while the peer's
// receive window has room. The window reopens when the peer hands bytes to
// its protocol (an ACK travels back), so a peer that pause_reading()s stops
// the sender: its buffer grows past the high watermark.
//
// Receiving: packets arrive from the peer's queue on a loop timer. Bytes
// and EOF are handed to the protocol at once, or kept while reading is
// paused or no protocol is attached, and delivered later from the loop.
//
// Closing: close() flushes, sends FIN, then reports connection_lost(nullptr)
// (with RST instead of FIN if unread bytes were left, as Linux does);
// abort() drops the buffer and sends RST. An incoming RST ends the
// connection with ConnectionResetError.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <optional>
#include <string>

#include "detio/internal/ready_node.h"
#include "detio/internal/timer_heap.h"
#include "detio/internal/transport_base.h"
#include "detio/net/internal/host.h"
#include "detio/net/internal/packet.h"
#include "detio/transport.h"

namespace detio::net::internal {

class SimNetwork;
struct Connection;
class ConnectWait;

class SimEndpoint final : public detio::internal::TransportBase {
 public:
  enum class Phase : std::uint8_t { kAwaitSyn, kSynSent, kEstablished, kClosed };

  SimEndpoint(SimNetwork& net, Connection& conn, int side, HostId host, NodeId node);
  ~SimEndpoint() override;

  // --- Transport ---
  void write(std::string_view data) override;
  bool can_write_eof() const override { return true; }
  std::size_t get_write_buffer_size() const override { return send_size_; }
  std::optional<SocketAddress> peername() const override { return remote_; }
  std::optional<SocketAddress> sockname() const override { return local_; }

  // --- used by the network ---
  std::uint64_t conn_id() const noexcept { return conn_id_; }
  int side() const noexcept { return side_; }
  HostId host() const noexcept { return host_; }
  // The node the socket belongs to (kNoNode: a server end not accepted yet).
  NodeId node() const noexcept { return owner(); }
  void set_node(NodeId node) noexcept { set_owner(node); }
  void set_addresses(SocketAddress local, SocketAddress remote);
  SimEndpoint* peer() const noexcept;
  Phase phase() const noexcept { return phase_; }
  void set_established() noexcept { phase_ = Phase::kEstablished; }
  using TransportBase::lost;
  bool stalled() const noexcept { return stalled_; }
  std::size_t bytes_in_flight() const noexcept { return window_used_; }
  std::size_t receive_buffer_size() const noexcept { return recv_buf_.size(); }
  // Nothing left to deliver or to wait for: the connection may be freed.
  bool finished() const noexcept;

  // Client side: sends the SYN (retrying) and settles `wait`.
  void start_connect(ConnectWait* wait);
  // The connecting task took its transport.
  void release_connect_wait() noexcept { connect_wait_ = nullptr; }
  // The connecting task gave up (cancelled, killed): abort the half-open
  // socket (RST if a SYN went out).
  void abandon_connect();
  // Server side: nobody accepts the SYN; answer with RST.
  void refuse(std::string reason);
  // Appends a packet to the outgoing queue (arrival already computed).
  void enqueue(Packet packet);
  std::deque<Packet>& outgoing() noexcept { return out_; }
  const std::deque<Packet>& outgoing() const noexcept { return out_; }
  TimePoint last_arrival() const noexcept { return last_arrival_; }
  void set_last_arrival(TimePoint t) noexcept { last_arrival_ = t; }
  // Re-arms delivery after a change of arrival times.
  void rearm();
  // Partition healed: deliver the held packets, the first no earlier than
  // `earliest` (a retransmission).
  void unstall(TimePoint earliest);
  // A packet from the peer has arrived here.
  void receive(Packet packet);
  // The owning node was killed: silently drop everything, RST the peer.
  void kill();
  // The network is going away, or the connection is freed: forget it.
  void detach() noexcept;

 private:
  // --- TransportBase ---
  void io_write_eof() override;
  void io_close() override;
  void io_abort(bool reset) override;
  void io_reading_changed() override;
  void io_lost() override;
  void io_protocol_gone() override;

  void on_deliver_timer();
  void on_syn_timer();
  void flush_pending();
  void send_syn();
  void fail_connect(std::exception_ptr error);
  void pump();
  void send_control(Packet::Kind kind, std::string detail = "");
  void send_reset(std::string detail);
  void hand_over_data(std::string data);
  void hand_over_eof();
  bool delivery_pending() const noexcept;
  void schedule_flush();
  std::string take_send_bytes(std::size_t n);
  void clear_send_buffer() noexcept;

  SimNetwork* net_;
  Connection* conn_;
  std::uint64_t conn_id_;
  int side_;
  HostId host_;
  SocketAddress local_;
  SocketAddress remote_;
  Phase phase_;

  // send side
  std::deque<std::string> send_chunks_;
  std::size_t send_front_offset_ = 0;
  std::size_t send_size_ = 0;
  std::size_t window_used_ = 0;
  bool write_shut_ = false;  // write_eof/close: FIN after the buffer
  bool fin_sent_ = false;    // FIN or RST queued: nothing more to send
  bool rst_sent_ = false;

  // receive side
  std::string recv_buf_;
  bool unread_ = false;  // bytes arrived after close(): RST, not FIN
  bool eof_received_ = false;
  bool eof_delivered_ = false;

  // the end
  bool released_ = false;  // no owner will ever attach a protocol
  bool dead_ = false;

  // outgoing packets and their delivery timer
  std::deque<Packet> out_;
  TimePoint last_arrival_{};
  bool stalled_ = false;
  detio::internal::MemberTimer<SimEndpoint, &SimEndpoint::on_deliver_timer> deliver_timer_{this};
  detio::internal::MemberCallback<SimEndpoint, &SimEndpoint::flush_pending> flush_cb_{this};

  // connecting
  ConnectWait* connect_wait_ = nullptr;
  bool syn_sent_ = false;
  int syn_attempts_ = 0;
  Duration syn_timeout_{};
  detio::internal::MemberTimer<SimEndpoint, &SimEndpoint::on_syn_timer> syn_timer_{this};
};

}  // namespace detio::net::internal

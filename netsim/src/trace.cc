#include "detio/net/trace.h"

#include <cinttypes>
#include <cstdio>

namespace detio::net {
namespace {

// |ns| without overflow (-INT64_MIN does not fit in int64_t).
std::uint64_t magnitude(std::int64_t ns) noexcept {
  return ns < 0 ? 0 - static_cast<std::uint64_t>(ns) : static_cast<std::uint64_t>(ns);
}

}  // namespace

std::string_view to_string(EventKind kind) noexcept {
  switch (kind) {
    case EventKind::kSpawn: return "spawn";
    case EventKind::kKill: return "kill";
    case EventKind::kRestart: return "restart";
    case EventKind::kListen: return "listen";
    case EventKind::kUnlisten: return "unlisten";
    case EventKind::kConnect: return "connect";
    case EventKind::kSynLost: return "syn-lost";
    case EventKind::kAccept: return "accept";
    case EventKind::kConnected: return "connected";
    case EventKind::kRefused: return "refused";
    case EventKind::kConnectTimeout: return "connect-timeout";
    case EventKind::kSend: return "send";
    case EventKind::kDeliver: return "deliver";
    case EventKind::kFin: return "fin";
    case EventKind::kEof: return "eof";
    case EventKind::kReset: return "rst";
    case EventKind::kResetIn: return "rst-in";
    case EventKind::kClose: return "close";
    case EventKind::kPartition: return "partition";
    case EventKind::kHeal: return "heal";
    case EventKind::kClog: return "clog";
    case EventKind::kLoss: return "loss";
    case EventKind::kLink: return "link";
  }
  return "?";
}

std::string format_time(TimePoint t) {
  const std::int64_t ns = t.time_since_epoch().count();
  const std::uint64_t abs = magnitude(ns);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s%10" PRIu64 ".%09" PRIu64, ns < 0 ? "-" : "", abs / 1'000'000'000,
                abs % 1'000'000'000);
  return buf;
}

std::string format_duration(Duration d) {
  const std::int64_t ns = d.count();
  const std::uint64_t abs = magnitude(ns);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s%" PRIu64 ".%09" PRIu64 "s", ns < 0 ? "-" : "", abs / 1'000'000'000,
                abs % 1'000'000'000);
  return buf;
}

std::string format(const Event& e) {
  std::string line = format_time(e.time);
  line += ' ';
  std::string_view kind = to_string(e.kind);
  line += kind;
  if (kind.size() < 9) line.append(9 - kind.size(), ' ');
  line += ' ';
  line += e.node;
  if (!e.peer.empty()) {
    switch (e.kind) {
      case EventKind::kPartition: line += " -x- "; break;
      case EventKind::kHeal:
      case EventKind::kClog:
      case EventKind::kLink: line += " -- "; break;
      case EventKind::kAccept: line += " <- "; break;
      default: line += " -> "; break;
    }
    line += e.peer;
  }
  if (e.conn != 0) line += " c" + std::to_string(e.conn);
  switch (e.kind) {
    case EventKind::kListen:
    case EventKind::kUnlisten: line += " port " + std::to_string(e.bytes); break;
    case EventKind::kSend:
    case EventKind::kDeliver: line += " " + std::to_string(e.bytes) + "B"; break;
    default: break;
  }
  if (!e.detail.empty()) line += " " + e.detail;
  return line;
}

void Trace::record(const EventRef& e) {
  // No formatting on the hot path: hash the fields, format on demand.
  using detio::internal::trace_mix;
  trace_mix(hash_, static_cast<std::uint64_t>(e.time.time_since_epoch().count()));
  trace_mix(hash_, static_cast<std::uint64_t>(e.kind));
  trace_mix(hash_, e.conn);
  trace_mix(hash_, e.bytes);
  trace_mix(hash_, e.node);
  trace_mix(hash_, e.peer);
  trace_mix(hash_, e.detail);
  ++count_;
  if (keep_) {
    events_.push_back(Event{e.time, e.kind, std::string(e.node), std::string(e.peer), e.conn, e.bytes,
                            std::string(e.detail)});
  }
}

std::vector<std::string> Trace::lines() const {
  std::vector<std::string> out;
  out.reserve(events_.size());
  for (const Event& e : events_) out.push_back(format(e));
  return out;
}

std::string Trace::text() const {
  std::string out;
  for (const Event& e : events_) {
    out += format(e);
    out += '\n';
  }
  return out;
}

}  // namespace detio::net

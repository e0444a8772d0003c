#include "detio/sim/trace.h"

#include <fmt/format.h>


#include "detio/errors.h"
#include "detio/internal/task_state.h"
#include "detio/sim/run.h"

namespace detio::sim {
namespace {

// The task whose track an event goes on; a timer event carries its due time
// in `task` (for the hash), not a task number.
std::uint64_t track_task(const TraceEvent& e) noexcept { return e.kind == TraceKind::kTimer ? 0 : e.task; }

double seconds(TimePoint t) { return std::chrono::duration<double>(t.time_since_epoch()).count(); }

// The length of the well-formed UTF-8 sequence at the start of `s` (RFC
// 3629: no overlong forms, no surrogates, nothing above U+10FFFF), or 0.
std::size_t utf8_sequence_length(std::string_view s) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = byte(0);
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xbf;  // the range of the second byte
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) length = 2;
  else if (lead >= 0xe0 && lead <= 0xef) length = 3;
  else if (lead >= 0xf0 && lead <= 0xf4) length = 4;
  else return 0;
  if (lead == 0xe0) low = 0xa0;
  if (lead == 0xed) high = 0x9f;
  if (lead == 0xf0) low = 0x90;
  if (lead == 0xf4) high = 0x8f;
  if (s.size() < length || byte(1) < low || byte(1) > high) return 0;
  for (std::size_t i = 2; i < length; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xbf) return 0;
  }
  return length;
}

// A JSON string body; bytes that are not UTF-8 (a task named from binary
// data) become U+FFFD, so the file always parses.
std::string json_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t length = utf8_sequence_length(s.substr(i));
    if (length == 0) {
      out += "\\ufffd";
      ++i;
      continue;
    }
    if (length > 1) {
      out.append(s.substr(i, length));
      i += length;
      continue;
    }
    const char c = s[i++];
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned char>(c));
        } else {
          out += c;
        }
    }
  }
  return out;
}

}  // namespace

std::string_view to_string(TraceKind kind) noexcept {
  switch (kind) {
    case TraceKind::kSpawn:
      return "spawn";
    case TraceKind::kStep:
      return "step";
    case TraceKind::kCancel:
      return "cancel";
    case TraceKind::kFinish:
      return "finish";
    case TraceKind::kTimer:
      return "timer";
    case TraceKind::kNet:
      return "net";
    case TraceKind::kFault:
      return "fault";
    case TraceKind::kInjection:
      return "inject";
    case TraceKind::kLog:
      return "log";
  }
  return "?";
}

void Trace::record_detail(TimePoint time, TraceKind kind, std::uint32_t node, std::uint64_t task,
                          std::string_view detail) {
  // A timer's detail is only formatted when events are kept, and its due
  // time is already hashed (as `task`): hashing it would make a traced
  // run's hash differ from the same run untraced.
  if (kind != TraceKind::kTimer) detio::internal::trace_mix(hash_, detail);
  if (keep_events_ && (keep_steps_ || kind != TraceKind::kStep)) keep(time, kind, node, task, detail);
}

void Trace::keep(TimePoint time, TraceKind kind, std::uint32_t node, std::uint64_t task, std::string_view detail) {
  events_.push_back(TraceEvent{time, kind, node, task, std::string(detail)});
}

void Trace::clear() {
  hash_ = detio::internal::kTraceHashSeed;
  count_ = 0;
  events_.clear();
  node_names_.clear();
  task_names_.clear();
}

std::string Trace::node_name(std::uint32_t node) const {
  auto it = node_names_.find(node);
  if (it != node_names_.end()) return it->second;
  return node == 0 ? "main" : fmt::format("node{}", node);
}

std::string Trace::task_name(std::uint64_t task) const {
  auto it = task_names_.find(task);
  if (it != task_names_.end()) return it->second;
  return task == 0 ? "-" : fmt::format("Task-{}", task);
}

std::string Trace::text() const {
  std::string out;
  for (const TraceEvent& e : events_) {
    out += fmt::format("[{:12.6f}s] {} {} {}", seconds(e.time), node_name(e.node), task_name(track_task(e)),
                       to_string(e.kind));
    if (!e.detail.empty()) out += " " + e.detail;
    out += '\n';
  }
  return out;
}

std::string Trace::chrome_json() const {
  // pid = node, tid = task (0: the node's own track for network events).
  std::string out = "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[";
  bool first = true;
  auto add = [&](const std::string& item) {
    if (!first) out += ',';
    first = false;
    out += item;
  };
  std::map<std::uint32_t, bool> nodes;
  std::map<std::uint64_t, std::uint32_t> tasks;
  for (const TraceEvent& e : events_) {
    nodes[e.node] = true;
    if (track_task(e) != 0) tasks.emplace(track_task(e), e.node);
  }
  for (const auto& [node, unused] : nodes) {
    add(fmt::format(R"({{"name":"process_name","ph":"M","pid":{},"tid":0,"args":{{"name":"{}"}}}})", node,
                    json_escape(node_name(node))));
  }
  for (const auto& [task, node] : tasks) {
    add(fmt::format(R"({{"name":"thread_name","ph":"M","pid":{},"tid":{},"args":{{"name":"{}"}}}})", node, task,
                    json_escape(task_name(task))));
  }
  for (const TraceEvent& e : events_) {
    const double us = std::chrono::duration<double, std::micro>(e.time.time_since_epoch()).count();
    const std::string name = json_escape(e.detail.empty() ? std::string(to_string(e.kind)) : e.detail);
    const char* phase = e.kind == TraceKind::kSpawn ? "B" : e.kind == TraceKind::kFinish ? "E" : "i";
    // A task stays on the track of the node it was spawned on.
    auto owner = tasks.find(track_task(e));
    const std::uint32_t pid = owner != tasks.end() ? owner->second : e.node;
    std::string item = fmt::format(R"({{"name":"{}","cat":"{}","ph":"{}","ts":{:.3f},"pid":{},"tid":{})", name,
                                   to_string(e.kind), phase, us, pid, track_task(e));
    if (*phase == 'i') item += R"(,"s":"t")";
    item += '}';
    add(item);
  }
  out += "]}\n";
  return out;
}

void log(std::string_view message) {
  internal::Simulation* sim = internal::Simulation::current();
  if (!sim) return;
  detio::internal::TaskStateBase* task = detio::internal::current_task_state();
  sim->record(TraceKind::kLog, task, std::string(message));
}

Trace& current_trace() {
  internal::Simulation* sim = internal::Simulation::current();
  if (!sim) throw RuntimeError("detio::sim::current_trace() outside a simulation run");
  return sim->trace();
}

}  // namespace detio::sim

// The real backend's "dump the pending tasks on a signal" switch
// (detio::dump_pending_tasks_on_signal): the handler only sets a flag and
// writes the loop's eventfd (both async-signal-safe); the loop, woken,
// writes the report from its own thread. Process-wide, like the signal: one
// loop at a time. Destroying it restores the previous handler.
#pragma once

namespace detio::internal {

class SignalTaskDump {
 public:
  // RuntimeError if another loop already watches a signal, or sigaction
  // refuses `signo`.
  SignalTaskDump(int signo, int wake_fd);
  SignalTaskDump(const SignalTaskDump&) = delete;
  ~SignalTaskDump();

  // True once per burst of signals since the last call.
  bool take_request() noexcept;

 private:
  int signo_;
};

}  // namespace detio::internal

// One child process of detio-sweep: started with fork/exec, its stdout and
// stderr read through non-blocking pipes and split into lines. The caller
// polls the descriptors (poll_fds), calls read_ready() when they are
// readable, and reap() once both pipes reached EOF.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace detio_sweep {

struct Command {
  std::vector<std::string> argv;
  // Variables to set (name, value) and to remove, in the child only.
  std::vector<std::pair<std::string, std::string>> set_env;
  std::vector<std::string> unset_env;
};

class Child {
 public:
  // Starts `command`; throws std::runtime_error if fork/pipe fail. A failing
  // exec shows as exit status 127 with a message on the child's stderr.
  explicit Child(const Command& command);
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child();

  pid_t pid() const noexcept { return pid_; }
  int stdout_fd() const noexcept { return out_fd_; }
  int stderr_fd() const noexcept { return err_fd_; }
  bool open() const noexcept { return out_fd_ >= 0 || err_fd_ >= 0; }

  // Reads what is available on `fd`; complete stdout lines are appended to
  // `lines`. Stderr is kept as a tail of at most tail_limit bytes (and, if
  // `echo_stderr`, copied to our stderr line by line through `echo`).
  void read_ready(int fd, std::vector<std::string>& lines, std::vector<std::string>* echo = nullptr);

  // Kills the child (SIGKILL) if it is still running.
  void kill();
  // Waits for the child to exit; returns the raw wait status.
  int reap();

  const std::string& stderr_tail() const noexcept { return err_tail_; }

  static constexpr std::size_t tail_limit = 8192;

 private:
  void close_fd(int& fd);

  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  bool reaped_ = false;
  int status_ = 0;
  std::string out_partial_;
  std::string err_partial_;
  std::string err_tail_;
};

// A child run to its end.
struct Finished {
  std::vector<std::string> lines;  // its stdout
  int status = 0;                  // the raw wait status
  bool timed_out = false;
  std::string stderr_tail;
};

// Runs `command` to its end, echoing its stdout and stderr if `echo`. With
// silence_limit > 0 it is killed after that many seconds without output.
// Throws std::runtime_error as the Child constructor does.
Finished run_to_end(const Command& command, bool echo, double silence_limit = 0);

// "exit status 1", "killed by signal 6 (Aborted)".
std::string describe_status(int status);

}  // namespace detio_sweep

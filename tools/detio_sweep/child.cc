#include "child.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace detio_sweep {
namespace {

void make_pipe(int fds[2]) {
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
}

}  // namespace

Child::Child(const Command& command) {
  int out[2], err[2];
  make_pipe(out);
  try {
    make_pipe(err);
  } catch (...) {
    ::close(out[0]);
    ::close(out[1]);
    throw;
  }
  std::fflush(nullptr);
  pid_ = ::fork();
  if (pid_ < 0) {
    for (int fd : {out[0], out[1], err[0], err[1]}) ::close(fd);
    throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  }
  if (pid_ == 0) {
    // The child: stdout and stderr into the pipes, then exec.
    ::dup2(out[1], STDOUT_FILENO);
    ::dup2(err[1], STDERR_FILENO);
    for (const auto& [name, value] : command.set_env) ::setenv(name.c_str(), value.c_str(), 1);
    for (const std::string& name : command.unset_env) ::unsetenv(name.c_str());
    std::vector<char*> argv;
    for (const std::string& a : command.argv) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execvp(argv[0], argv.data());
    std::fprintf(stderr, "detio-sweep: cannot run %s: %s\n", argv[0], std::strerror(errno));
    std::fflush(stderr);
    ::_exit(127);
  }
  ::close(out[1]);
  ::close(err[1]);
  out_fd_ = out[0];
  err_fd_ = err[0];
  ::fcntl(out_fd_, F_SETFL, ::fcntl(out_fd_, F_GETFL) | O_NONBLOCK);
  ::fcntl(err_fd_, F_SETFL, ::fcntl(err_fd_, F_GETFL) | O_NONBLOCK);
}

Child::~Child() {
  close_fd(out_fd_);
  close_fd(err_fd_);
  if (!reaped_ && pid_ > 0) {
    kill();
    reap();
  }
}

void Child::close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

void Child::read_ready(int fd, std::vector<std::string>& lines, std::vector<std::string>* echo) {
  const bool is_out = fd == out_fd_;
  std::string& partial = is_out ? out_partial_ : err_partial_;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n <= 0) {
      // EOF (or an error, treated alike): flush a last unterminated line.
      if (!partial.empty()) {
        if (is_out) {
          lines.push_back(std::move(partial));
        } else if (echo) {
          echo->push_back(std::move(partial));
        }
        partial.clear();
      }
      close_fd(is_out ? out_fd_ : err_fd_);
      return;
    }
    if (!is_out) {
      err_tail_.append(buf, static_cast<std::size_t>(n));
      if (err_tail_.size() > tail_limit) err_tail_.erase(0, err_tail_.size() - tail_limit);
      if (!echo) continue;
    }
    partial.append(buf, static_cast<std::size_t>(n));
    std::size_t start = 0;
    for (std::size_t nl; (nl = partial.find('\n', start)) != std::string::npos; start = nl + 1) {
      std::string line = partial.substr(start, nl - start);
      if (is_out) {
        lines.push_back(std::move(line));
      } else {
        echo->push_back(std::move(line));
      }
    }
    partial.erase(0, start);
  }
}

void Child::kill() {
  if (!reaped_ && pid_ > 0) ::kill(pid_, SIGKILL);
}

int Child::reap() {
  if (reaped_) return status_;
  while (::waitpid(pid_, &status_, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
  return status_;
}

Finished run_to_end(const Command& command, bool echo, double silence_limit) {
  Finished out;
  Child child(command);
  const int timeout_ms = silence_limit > 0 ? static_cast<int>(silence_limit * 1000) : -1;
  while (child.open()) {
    pollfd fds[2];
    nfds_t n = 0;
    for (int fd : {child.stdout_fd(), child.stderr_fd()}) {
      if (fd >= 0) fds[n++] = pollfd{fd, POLLIN, 0};
    }
    const int ready = ::poll(fds, n, timeout_ms);
    if (ready == 0) {
      out.timed_out = true;
      child.kill();
      break;
    }
    for (nfds_t i = 0; i < n; ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      std::vector<std::string> lines, err;
      child.read_ready(fds[i].fd, lines, echo ? &err : nullptr);
      for (std::string& l : lines) {
        if (echo) std::printf("%s\n", l.c_str());
        out.lines.push_back(std::move(l));
      }
      for (const std::string& l : err) std::fprintf(stderr, "%s\n", l.c_str());
      std::fflush(stdout);
    }
  }
  out.status = child.reap();
  out.stderr_tail = child.stderr_tail();
  return out;
}

std::string describe_status(int status) {
  if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    const char* name = ::strsignal(sig);
    return "killed by signal " + std::to_string(sig) + (name ? std::string(" (") + name + ")" : "");
  }
  return "wait status " + std::to_string(status);
}

}  // namespace detio_sweep

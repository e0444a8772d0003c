// The syscall limit of the echo benchmark: a minimal hand-written echo
// server on level-triggered epoll, one read and one write per readiness
// event, no abstraction at all. Prints "PORT <n>" and serves until killed.
//   epoll_echo_server [port]      (0 or none: any free port)
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "epoll_echo_server: %s: %s\n", what, std::strerror(errno));
  std::exit(1);
}

// Bytes a slow peer has not taken yet (rare with small echoes).
std::vector<std::string> pending;

void close_conn(int epfd, int fd) {
  ::epoll_ctl(epfd, EPOLL_CTL_DEL, fd, nullptr);
  ::close(fd);
  if (static_cast<std::size_t>(fd) < pending.size()) pending[static_cast<std::size_t>(fd)].clear();
}

}  // namespace

int main(int argc, char** argv) {
  const int port = argc > 1 ? std::atoi(argv[1]) : 0;
  const int lfd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  const int one = 1;
  ::setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  if (::bind(lfd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0) die("bind");
  if (::listen(lfd, 1024) < 0) die("listen");
  socklen_t len = sizeof addr;
  ::getsockname(lfd, reinterpret_cast<sockaddr*>(&addr), &len);
  std::printf("PORT %d\n", ntohs(addr.sin_port));
  std::fflush(stdout);

  const int epfd = ::epoll_create1(EPOLL_CLOEXEC);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = lfd;
  ::epoll_ctl(epfd, EPOLL_CTL_ADD, lfd, &ev);
  std::vector<epoll_event> events(256);
  std::vector<char> buf(1 << 16);
  while (true) {
    const int n = ::epoll_wait(epfd, events.data(), static_cast<int>(events.size()), -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      die("epoll_wait");
    }
    for (int i = 0; i < n; ++i) {
      const int fd = events[i].data.fd;
      if (fd == lfd) {
        while (true) {
          const int c = ::accept4(lfd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
          if (c < 0) break;
          ::setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          if (static_cast<std::size_t>(c) >= pending.size()) pending.resize(static_cast<std::size_t>(c) + 1);
          epoll_event cev{};
          cev.events = EPOLLIN;
          cev.data.fd = c;
          ::epoll_ctl(epfd, EPOLL_CTL_ADD, c, &cev);
        }
        continue;
      }
      std::string& out = pending[static_cast<std::size_t>(fd)];
      if (events[i].events & EPOLLOUT) {
        const ssize_t w = ::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
        if (w > 0) out.erase(0, static_cast<std::size_t>(w));
        if (out.empty()) {
          epoll_event cev{};
          cev.events = EPOLLIN;
          cev.data.fd = fd;
          ::epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &cev);
        }
        continue;
      }
      const ssize_t r = ::read(fd, buf.data(), buf.size());
      if (r <= 0) {
        if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        close_conn(epfd, fd);
        continue;
      }
      ssize_t w = out.empty() ? ::send(fd, buf.data(), static_cast<std::size_t>(r), MSG_NOSIGNAL) : 0;
      if (w < 0) w = 0;
      if (w < r) {
        out.append(buf.data() + w, static_cast<std::size_t>(r - w));
        epoll_event cev{};
        cev.events = EPOLLIN | EPOLLOUT;
        cev.data.fd = fd;
        ::epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &cev);
      }
    }
  }
}

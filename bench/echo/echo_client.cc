// The load generator of the echo benchmark: N connections, each sending a
// fixed-size message and waiting for its echo, R times; prints the round
// trips per second. Written in C++ on bare epoll so that it is never the
// bottleneck (a Python client would be). Every echoed byte is checked.
//
//   echo_client --port P [--host 127.0.0.1] [--connections 50]
//               [--round-trips 2000] [--size 64] [--warmup 100]
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

struct Options {
  std::string host = "127.0.0.1";
  int port = 0;
  int connections = 50;
  int round_trips = 2000;
  int size = 64;
  int warmup = 100;
};

[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "echo_client: %s: %s\n", what, std::strerror(errno));
  std::exit(1);
}

struct Conn {
  int fd = -1;
  int done = 0;       // round trips completed
  int received = 0;   // bytes of the current echo
  std::string message;
};

int connect_to(const Options& o) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* ai = nullptr;
  if (getaddrinfo(o.host.c_str(), std::to_string(o.port).c_str(), &hints, &ai) != 0) die("getaddrinfo");
  const int fd = ::socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) die("socket");
  if (::connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) die("connect");
  freeaddrinfo(ai);
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

void send_all(Conn& c) {
  std::size_t off = 0;
  while (off < c.message.size()) {
    const ssize_t n = ::send(c.fd, c.message.data() + off, c.message.size() - off, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      die("send");
    }
    off += static_cast<std::size_t>(n);
  }
}

// Runs `rounds` round trips on every connection; returns the seconds taken.
double run(std::vector<Conn>& conns, int epfd, int rounds) {
  for (Conn& c : conns) {
    c.done = 0;
    c.received = 0;
  }
  const auto start = std::chrono::steady_clock::now();
  int active = 0;
  for (Conn& c : conns) {
    if (rounds == 0) break;
    send_all(c);
    ++active;
  }
  std::vector<epoll_event> events(conns.size());
  std::vector<char> buf(1 << 16);
  while (active > 0) {
    const int n = ::epoll_wait(epfd, events.data(), static_cast<int>(events.size()), 10000);
    if (n < 0) {
      if (errno == EINTR) continue;
      die("epoll_wait");
    }
    if (n == 0) {
      std::fprintf(stderr, "echo_client: no echo for 10 s\n");
      std::exit(1);
    }
    for (int i = 0; i < n; ++i) {
      Conn& c = conns[events[i].data.u32];
      const ssize_t got = ::read(c.fd, buf.data(), buf.size());
      if (got < 0) {
        if (errno == EINTR || errno == EAGAIN) continue;
        die("read");
      }
      if (got == 0) {
        std::fprintf(stderr, "echo_client: server closed the connection\n");
        std::exit(1);
      }
      if (std::memcmp(buf.data(), c.message.data() + c.received, static_cast<std::size_t>(got)) != 0) {
        std::fprintf(stderr, "echo_client: echoed bytes differ\n");
        std::exit(1);
      }
      c.received += static_cast<int>(got);
      if (c.received < static_cast<int>(c.message.size())) continue;
      c.received = 0;
      if (++c.done == rounds) {
        --active;
      } else {
        send_all(c);
      }
    }
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i];
    const char* v = argv[i + 1];
    if (k == "--host") o.host = v;
    else if (k == "--port") o.port = std::atoi(v);
    else if (k == "--connections") o.connections = std::atoi(v);
    else if (k == "--round-trips") o.round_trips = std::atoi(v);
    else if (k == "--size") o.size = std::atoi(v);
    else if (k == "--warmup") o.warmup = std::atoi(v);
    else {
      std::fprintf(stderr, "echo_client: unknown option %s\n", k.c_str());
      return 2;
    }
  }
  if (o.port <= 0) {
    std::fprintf(stderr, "usage: echo_client --port P [--host H] [--connections N] [--round-trips R] [--size B]\n");
    return 2;
  }
  const int epfd = ::epoll_create1(EPOLL_CLOEXEC);
  std::vector<Conn> conns(static_cast<std::size_t>(o.connections));
  for (std::size_t i = 0; i < conns.size(); ++i) {
    Conn& c = conns[i];
    c.fd = connect_to(o);
    c.message.resize(static_cast<std::size_t>(o.size));
    for (std::size_t k = 0; k < c.message.size(); ++k) c.message[k] = static_cast<char>('a' + (i + k) % 26);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u32 = static_cast<std::uint32_t>(i);
    if (::epoll_ctl(epfd, EPOLL_CTL_ADD, c.fd, &ev) < 0) die("epoll_ctl");
  }
  run(conns, epfd, o.warmup);
  const double seconds = run(conns, epfd, o.round_trips);
  const double total = static_cast<double>(o.connections) * o.round_trips;
  std::printf("%.0f round_trips_per_second (%d connections x %d round trips of %d bytes in %.3f s)\n",
              total / seconds, o.connections, o.round_trips, o.size, seconds);
  for (Conn& c : conns) ::close(c.fd);
  ::close(epfd);
  return 0;
}

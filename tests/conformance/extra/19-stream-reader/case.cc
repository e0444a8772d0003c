#include <detio/detio.h>

#include <chrono>
#include <cstdio>
#include <string>

using namespace std::chrono_literals;
using detio::Task;

// Python's show(): the bytes quoted, newlines escaped.
std::string show(const std::string& data) {
  std::string out = "'";
  for (char c : data) out += c == '\n' ? std::string("\\n") : std::string(1, c);
  return out + "'";
}

void print(const char* what, const std::string& data) { std::printf("%s -> %s\n", what, show(data).c_str()); }

Task<void> amain() {
  detio::StreamReader r(16);
  r.feed_data("hello\nwor");
  print("readline", co_await r.readline());
  auto pending = detio::create_task(r.readline());
  co_await detio::sleep(0ms);
  std::printf("readline waiting: done=%s\n", pending.done() ? "True" : "False");
  r.feed_data("ld\n");
  print("readline", co_await pending);

  r.feed_data("abcdef");
  print("readexactly(3)", co_await r.readexactly(3));
  print("read(10)", co_await r.read(10));
  print("read(0)", co_await r.read(0));

  r.feed_data("a||b||");
  print("readuntil('||')", co_await r.readuntil("||"));
  print("readuntil('||')", co_await r.readuntil("||"));

  auto cancelled = detio::create_task(r.readexactly(4));
  co_await detio::sleep(0ms);
  r.feed_data("12");
  co_await detio::sleep(0ms);
  cancelled.cancel();
  try {
    co_await cancelled;
  } catch (const detio::CancelledError&) {
    std::printf("readexactly(4) cancelled\n");
  }
  r.feed_data("34");
  print("readexactly(4)", co_await r.readexactly(4));

  r.feed_data(std::string(20, 'x'));
  try {
    co_await r.readuntil("!");
  } catch (const detio::LimitOverrunError& e) {
    std::printf("LimitOverrunError consumed=%zu: %s\n", e.consumed, e.what());
  }
  try {
    co_await r.readline();
  } catch (const detio::ValueError& e) {
    std::printf("readline ValueError: %s\n", e.what());
  }
  r.feed_data(std::string(18, 'y') + "\nnext\n");
  try {
    co_await r.readline();
  } catch (const detio::ValueError& e) {
    std::printf("readline ValueError: %s\n", e.what());
  }
  print("readline", co_await r.readline());

  r.feed_data("tail");
  r.feed_eof();
  try {
    co_await r.readexactly(10);
  } catch (const detio::IncompleteReadError& e) {
    std::printf("IncompleteReadError partial=%s expected=%zu\n", show(e.partial).c_str(), *e.expected);
  }
  std::printf("at_eof=%s\n", r.at_eof() ? "True" : "False");
  print("read() at EOF", co_await r.read());
  print("readline() at EOF", co_await r.readline());

  detio::StreamReader r2;
  r2.feed_data("no newline");
  r2.feed_eof();
  print("readline", co_await r2.readline());
  try {
    co_await r2.readuntil("!");
  } catch (const detio::IncompleteReadError& e) {
    std::printf("readuntil at EOF: partial=%s expected=%s\n", show(e.partial).c_str(),
                e.expected ? std::to_string(*e.expected).c_str() : "None");
  }
}

int main() { detio::sim::run(amain()); }

// Behaviours from CPython's test_streams.py, StreamReader (see case.py).
#include <detio/detio.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using detio::StreamReader;
using detio::Task;

// Python's repr() of the decoded bytes.
std::string show(const std::string& data) {
  std::string out = "'";
  for (char c : data) out += c == '\n' ? std::string("\\n") : std::string(1, c);
  return out + "'";
}

Task<std::string> rest(StreamReader s) {
  s.feed_eof();
  co_return show(co_await s.read());
}

Task<void> amain() {
  {
    StreamReader s;
    s.feed_data("line1");
    s.feed_data("line2");
    const std::string got = co_await s.read(5);
    std::printf("read_line_breaks: %s, left %s\n", show(got).c_str(), (co_await rest(s)).c_str());
  }
  {
    StreamReader s;
    auto reader = detio::create_task(s.read(-1));
    detio::call_soon([s]() mutable {
      s.feed_data("chunk1\n");
      s.feed_data("chunk2");
      s.feed_eof();
    });
    std::printf("read_until_eof: %s\n", show(co_await reader).c_str());
  }
  {
    StreamReader s;
    s.feed_data("line\n");
    const std::string first = co_await s.read(2);
    s.set_exception(std::make_exception_ptr(detio::ValueError("broken")));
    try {
      co_await s.read(2);
    } catch (const detio::ValueError& e) {
      std::printf("read_exception: read %s, then ValueError '%s'\n", show(first).c_str(), e.what());
    }
  }
  try {
    StreamReader zero(0);
  } catch (const detio::ValueError&) {
    std::printf("invalid_limit(0): ValueError\n");
  }
  {
    StreamReader s(3);
    s.feed_data("chunk");
    std::printf("read_limit: %s\n", show(co_await s.read(5)).c_str());
  }
  {
    StreamReader s;
    s.feed_data("chunk1 ");
    auto line = detio::create_task(s.readline());
    detio::call_soon([s]() mutable {
      s.feed_data("chunk2 ");
      s.feed_data("chunk3 ");
      s.feed_data("\n chunk4");
    });
    const std::string got = co_await line;
    std::printf("readline: %s, left %s\n", show(got).c_str(), (co_await rest(s)).c_str());
  }
  {
    StreamReader s(3);
    s.feed_data("li");
    s.feed_data("ne1\nline2\n");
    bool raised = false;
    try {
      co_await s.readline();
    } catch (const detio::ValueError&) {
      raised = true;
    }
    if (raised) std::printf("readline_limit_with_existing_data: ValueError, left %s\n", (co_await rest(s)).c_str());
  }
  {
    StreamReader s;
    std::vector<bool> states{s.at_eof()};
    s.feed_data("some data\n");
    states.push_back(s.at_eof());
    co_await s.readline();
    states.push_back(s.at_eof());
    s.feed_data("some data\n");
    s.feed_eof();
    co_await s.readline();
    states.push_back(s.at_eof());
    std::string out;
    for (bool b : states) out += std::string(out.empty() ? "" : ", ") + (b ? "True" : "False");
    std::printf("at_eof: [%s]\n", out.c_str());
  }
  {
    StreamReader s(7);
    s.feed_data("1234567\n");
    const std::string ok = co_await s.readline();
    s.feed_data("12345678\n");
    bool raised = false;
    try {
      co_await s.readline();
    } catch (const detio::ValueError&) {
      raised = true;
    }
    if (raised) {
      std::printf("readline_limit: %s passes, 8 bytes raise ValueError, left %s\n", show(ok).c_str(),
                  (co_await rest(s)).c_str());
    }
  }
  {
    StreamReader s;
    s.feed_data("line1\nline2\nline3\n");
    co_await s.readline();
    const std::string got = co_await s.read(7);
    std::printf("readline_read_byte_count: %s, left %s\n", show(got).c_str(), (co_await rest(s)).c_str());
  }
  {
    StreamReader s;
    s.feed_data("line\n");
    const std::string got = co_await s.readline();
    s.set_exception(std::make_exception_ptr(detio::ValueError("gone")));
    try {
      co_await s.readline();
    } catch (const detio::ValueError& e) {
      std::printf("readline_exception: %s, then ValueError '%s'\n", show(got).c_str(), e.what());
    }
  }
  try {
    StreamReader empty;
    co_await empty.readuntil("");
  } catch (const detio::ValueError& e) {
    std::printf("readuntil_separator: ValueError '%s'\n", e.what());
  }
  {
    StreamReader s;
    const std::vector<std::vector<std::string>> rounds{
        {"QWEaa", "XYaa", "a"}, {"QWEaa", "XYa", "aa"}, {"XXX", "a", "a", "a"}};
    std::string found;
    for (const auto& chunks : rounds) {
      for (const std::string& c : chunks) s.feed_data(c);
      found += (found.empty() ? "" : ", ") + show(co_await s.readuntil("aaa"));
    }
    std::printf("readuntil_multi_chunks_1: %s\n", found.c_str());
  }
  {
    StreamReader s;
    s.feed_data("some dataAA");
    s.feed_eof();
    try {
      co_await s.readuntil("AAA");
    } catch (const detio::IncompleteReadError& e) {
      std::printf("readuntil_eof: IncompleteReadError partial=%s expected=%s '%s'\n", show(e.partial).c_str(),
                  e.expected ? "?" : "None", e.what());
    }
  }
}

int main() { detio::sim::run(amain()); }

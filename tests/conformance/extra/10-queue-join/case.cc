#include <detio/detio.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

using namespace std::chrono_literals;

namespace {

std::vector<std::string> out;

const char* py_bool(bool b) { return b ? "True" : "False"; }

std::string repr(const std::string& s) { return "'" + s + "'"; }
std::string repr(int i) { return std::to_string(i); }
std::string repr(const std::pair<int, std::string>& p) { return "(" + repr(p.first) + ", " + repr(p.second) + ")"; }
// Like f"{x}" in Python: str() for strings and ints, repr() inside containers.
std::string str(const std::string& s) { return s; }
std::string str(int i) { return std::to_string(i); }
std::string str(const std::pair<int, std::string>& p) { return repr(p); }
template <class T>
std::string str(const std::vector<T>& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + repr(v[i]);
  return s + "]";
}
std::string qs(std::size_t n) { return std::to_string(n); }

template <class Q>
detio::Task<void> producer(std::string name, Q& q, std::vector<typename Q::value_type> items) {
  for (auto& item : items) {
    out.push_back(name + " put " + str(item) + " (qsize " + qs(q.qsize()) + ")");
    co_await q.put(item);
    out.push_back(name + " put " + str(item) + " done (qsize " + qs(q.qsize()) + ")");
  }
}

detio::Task<void> consumer(std::string name, detio::Queue<std::string>& q) {
  while (true) {
    std::string item = co_await q.get();
    out.push_back(name + " got " + item);
    co_await detio::sleep(0ms);
    out.push_back(name + " task_done " + item);
    q.task_done();
  }
}

detio::Task<void> joiner(std::string name, detio::Queue<std::string>& q) {
  co_await q.join();
  out.push_back(name + " join returned");
}

template <class Q>
detio::Task<typename Q::value_type> getter(std::string name, Q& q) {
  typename Q::value_type item;
  try {
    item = co_await q.get();
  } catch (const detio::CancelledError&) {
    out.push_back(name + " get cancelled (qsize " + qs(q.qsize()) + ")");
    throw;
  }
  out.push_back(name + " got " + str(item));
  co_return item;
}

detio::Task<void> bounded_part() {
  detio::Queue<std::string> q(2);
  q.put_nowait("x0");
  q.put_nowait("x1");
  try {
    q.put_nowait("x2");
  } catch (const detio::QueueFull&) {
    out.push_back(std::string("QueueFull, full=") + py_bool(q.full()) + " qsize=" + qs(q.qsize()));
  }
  std::vector<std::string> p1_items = {"a1", "a2"};
  std::vector<std::string> p2_items = {"b1"};
  auto p1 = detio::create_task(producer("p1", q, p1_items));
  auto p2 = detio::create_task(producer("p2", q, p2_items));
  auto j = detio::create_task(joiner("j", q));
  co_await detio::sleep(0ms);
  out.push_back("main get_nowait " + q.get_nowait());
  q.task_done();
  out.push_back("main get_nowait " + q.get_nowait());
  q.task_done();
  q.put_nowait("m");
  out.push_back("main put_nowait m (qsize " + qs(q.qsize()) + ")");
  co_await detio::sleep(0ms);
  out.push_back("main after yield (qsize " + qs(q.qsize()) + " full=" + py_bool(q.full()) + ")");
  std::vector<detio::TaskHandle<void>> cs;
  for (int i = 0; i < 2; ++i) cs.push_back(detio::create_task(consumer("c" + std::to_string(i), q)));
  co_await q.join();
  out.push_back("main join returned (qsize " + qs(q.qsize()) + " empty=" + py_bool(q.empty()) + ")");
  co_await p1;
  co_await p2;
  co_await j;
  for (auto& c : cs) c.cancel();
  co_await detio::sleep(0ms);
  out.push_back(std::string("consumers cancelled=[") + py_bool(cs[0].cancelled()) + ", " + py_bool(cs[1].cancelled()) +
                "]");
  try {
    q.get_nowait();
  } catch (const detio::QueueEmpty&) {
    out.push_back("QueueEmpty");
  }
  try {
    q.task_done();
  } catch (const detio::ValueError&) {
    out.push_back("task_done too many: ValueError");
  }
}

detio::Task<void> cancel_part() {
  detio::Queue<std::string> q;
  auto g0 = detio::create_task(getter("g0", q));
  co_await detio::sleep(0ms);
  g0.cancel();
  co_await detio::sleep(0ms);
  q.put_nowait("kept");
  out.push_back("after cancelled get, qsize " + qs(q.qsize()));
  auto g1 = detio::create_task(getter("g1", q));
  auto g2 = detio::create_task(getter("g2", q));
  auto g3 = detio::create_task(getter("g3", q));
  co_await detio::sleep(0ms);
  out.push_back("after yield, qsize " + qs(q.qsize()));
  q.put_nowait("only");
  g2.cancel();
  out.push_back("put only, cancelled g2 (qsize " + qs(q.qsize()) + ")");
  co_await detio::sleep(0ms);
  out.push_back("after one yield (qsize " + qs(q.qsize()) + ")");
  q.put_nowait("last");
  std::vector<detio::TaskHandle<std::string>> gs = {g1, g2, g3};
  for (auto& t : gs) {
    try {
      co_await t;
    } catch (const detio::CancelledError&) {
      out.push_back("main: a getter was cancelled");
    }
  }
  out.push_back("cancel part done (qsize " + qs(q.qsize()) + ")");
}

detio::Task<void> woken_then_cancelled_part() {
  detio::Queue<std::string> q;
  auto g1 = detio::create_task(getter("h1", q));
  auto g2 = detio::create_task(getter("h2", q));
  co_await detio::sleep(0ms);
  q.put_nowait("item");
  g1.cancel();
  out.push_back("put item (wakes h1), then cancelled h1");
  std::vector<detio::TaskHandle<std::string>> hs = {g1, g2};
  for (auto& t : hs) {
    try {
      co_await t;
    } catch (const detio::CancelledError&) {
      out.push_back("main: h1 cancelled");
    }
  }
  out.push_back("qsize " + qs(q.qsize()));
}

detio::Task<void> order_part() {
  using Item = std::pair<int, std::string>;
  detio::PriorityQueue<Item> pq;
  auto w = detio::create_task(getter("pw", pq));
  co_await detio::sleep(0ms);
  std::vector<Item> items = {{5, "five"}, {1, "one"}, {3, "three"}, {1, "also-one"}};
  for (auto& item : items) pq.put_nowait(item);
  co_await w;
  std::vector<Item> rest;
  for (std::size_t i = 0, n = pq.qsize(); i < n; ++i) rest.push_back(pq.get_nowait());
  out.push_back("priority rest " + str(rest));
  detio::LifoQueue<int> lq(3);
  for (int i = 0; i < 3; ++i) co_await lq.put(i);
  try {
    lq.put_nowait(99);
  } catch (const detio::QueueFull&) {
    out.push_back("lifo QueueFull");
  }
  std::vector<int> lp_items = {10};
  auto p = detio::create_task(producer("lp", lq, lp_items));
  co_await detio::sleep(0ms);
  out.push_back("lifo get " + str(lq.get_nowait()));
  co_await p;
  std::vector<int> lrest;
  for (std::size_t i = 0, n = lq.qsize(); i < n; ++i) lrest.push_back(lq.get_nowait());
  out.push_back("lifo rest " + str(lrest));
}

detio::Task<void> amain() {
  co_await bounded_part();
  co_await cancel_part();
  co_await woken_then_cancelled_part();
  co_await order_part();
  for (const auto& line : out) std::printf("%s\n", line.c_str());
}

}  // namespace

int main() { detio::sim::run(amain()); }

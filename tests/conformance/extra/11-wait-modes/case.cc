#include <detio/detio.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

using Handle = detio::TaskHandle<std::string>;
using Handles = std::vector<Handle>;

std::vector<std::string> out;

const char* py_bool(bool b) { return b ? "True" : "False"; }

detio::Task<void> spinner(std::string name, int n) {
  for (int i = 0; i < n; ++i) {
    out.push_back(name + " spin " + std::to_string(i));
    co_await detio::sleep(0ms);
  }
}

// Python's ValueError(name) is std::invalid_argument(name) here.
detio::Task<std::string> job(std::string name, std::optional<detio::Duration> delay, bool fail = false) {
  if (!delay) {
    out.push_back(name + " runs");
  } else {
    co_await detio::sleep(*delay);
  }
  out.push_back(name + " finishes" + (fail ? " with ValueError" : ""));
  if (fail) throw std::invalid_argument(name);
  co_return name;
}

detio::Task<std::string> yields(std::string name, int n) {
  for (int i = 0; i < n; ++i) co_await detio::sleep(0ms);
  out.push_back(name + " finishes after " + std::to_string(n) + " yields");
  co_return name;
}

std::string names(const Handles& tasks) {
  std::vector<std::string> v;
  for (const auto& t : tasks) v.push_back(t.get_name());
  std::sort(v.begin(), v.end());
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
  return s + "]";
}

void show(const std::string& label, const detio::WaitResult<std::string>& r) {
  out.push_back(label + ": " + std::to_string(r.done.size()) + " done " + names(r.done) + ", " +
                std::to_string(r.pending.size()) + " pending " + names(r.pending));
}

std::string exception_repr(std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::invalid_argument& err) {
    return std::string("ValueError('") + err.what() + "')";
  } catch (...) {
    return "other";
  }
}

Handle mk(detio::Task<std::string> coro, std::string name) { return detio::create_task(std::move(coro), name); }

detio::Task<void> hops_part() {
  auto sp = detio::create_task(spinner("s", 8));
  auto x = mk(job("x", std::nullopt), "x");
  auto y = mk(yields("y", 2), "y");
  Handles yx = {y, x};
  detio::WaitOptions first{.return_when = detio::ReturnWhen::kFirstCompleted};
  auto r = co_await detio::wait(yx, first);
  show("hops FIRST_COMPLETED", r);
  Handles just_x = {x};
  r = co_await detio::wait(just_x);
  show("hops already done", r);
  Handles xy = {x, y};
  r = co_await detio::wait(xy);
  show("hops ALL_COMPLETED", r);
  co_await sp;
}

detio::Task<void> timed_part() {
  auto a = mk(job("a", 30ms), "a");
  auto b = mk(job("b", 10ms), "b");
  auto c = mk(job("c", 50ms), "c");
  Handles abc = {a, b, c};
  detio::WaitOptions first_completed{.return_when = detio::ReturnWhen::kFirstCompleted};
  auto r = co_await detio::wait(abc, first_completed);
  show("FIRST_COMPLETED", r);
  r = co_await detio::wait(r.pending);
  show("ALL_COMPLETED on the rest", r);
  out.push_back("results " + a.result() + " " + b.result() + " " + c.result());

  auto d = mk(job("d", 10ms), "d");
  auto e = mk(job("e", 20ms, true), "e");
  auto f = mk(job("f", 40ms), "f");
  Handles def = {d, e, f};
  detio::WaitOptions first_exception{.return_when = detio::ReturnWhen::kFirstException};
  r = co_await detio::wait(def, first_exception);
  show("FIRST_EXCEPTION", r);
  out.push_back("e exception " + exception_repr(e.exception()));
  r = co_await detio::wait(r.pending, first_exception);
  show("FIRST_EXCEPTION, none fails", r);

  auto m = mk(job("m", 20ms, true), "m");
  auto n = mk(job("n", 10ms), "n");
  Handles mn = {m, n};
  r = co_await detio::wait(mn);
  show("ALL_COMPLETED with a failure", r);
  out.push_back("m exception " + exception_repr(m.exception()) + ", n result " + n.result());
}

detio::Task<void> timeout_part() {
  auto g = mk(job("g", 20ms), "g");
  auto h = mk(job("h", 60ms), "h");
  Handles gh = {g, h};
  detio::WaitOptions t40{.timeout = 40ms};
  auto r = co_await detio::wait(gh, t40);
  show("timeout 40ms", r);
  out.push_back(std::string("h done=") + py_bool(h.done()) + " cancelled=" + py_bool(h.cancelled()));
  std::string hr = co_await h;
  out.push_back("h result " + hr);

  auto q = mk(job("q", 10ms), "q");
  Handles just_q = {q};
  detio::WaitOptions t1s{.timeout = 1s};
  r = co_await detio::wait(just_q, t1s);
  show("timeout not reached", r);

  auto k = mk(job("k", 50ms), "k");
  Handles just_k = {k};
  detio::WaitOptions t20_first{.timeout = 20ms, .return_when = detio::ReturnWhen::kFirstCompleted};
  r = co_await detio::wait(just_k, t20_first);
  show("FIRST_COMPLETED timeout 20ms", r);
  k.cancel();
  detio::WaitOptions first_exception{.return_when = detio::ReturnWhen::kFirstException};
  r = co_await detio::wait(just_k, first_exception);
  show("after cancel", r);
  out.push_back(std::string("k cancelled=") + py_bool(k.cancelled()));
}

detio::Task<void> amain() {
  co_await hops_part();
  co_await timed_part();
  co_await timeout_part();
  for (const auto& line : out) std::printf("%s\n", line.c_str());
}

}  // namespace

int main() { detio::sim::run(amain()); }

#include <detio/detio.h>

#include <chrono>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

std::vector<std::string> out;

const char* py_bool(bool b) { return b ? "True" : "False"; }
std::string repr(const std::string& s) { return "'" + s + "'"; }
std::string repr(int i) { return std::to_string(i); }

// Python's ValueError(msg) is std::invalid_argument(msg) here.
std::string exception_repr(std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::invalid_argument& err) {
    return "ValueError(" + repr(err.what()) + ")";
  } catch (...) {
    return "other";
  }
}

detio::Task<void> spinner(std::string name, int n) {
  for (int i = 0; i < n; ++i) {
    out.push_back(name + " spin " + std::to_string(i));
    co_await detio::sleep(0ms);
  }
}

detio::Task<std::string> work(std::string name, int n, bool fail = false) {
  for (int i = 0; i < n; ++i) co_await detio::sleep(0ms);
  out.push_back(name + " " + (fail ? "raises" : "returns"));
  if (fail) throw std::invalid_argument(name);
  co_return name;
}

template <class Awaitable>
detio::Task<void> awaiter(std::string name, Awaitable fut) {
  try {
    auto value = co_await fut;
    out.push_back(name + " got " + repr(value));
  } catch (const detio::CancelledError& e) {
    out.push_back(name + " got CancelledError(" + repr(e.message()) + ")");
    throw;
  } catch (const std::invalid_argument& e) {
    out.push_back(name + " got ValueError(" + repr(e.what()) + ")");
  }
}

auto cb(std::string label) {
  return [label](auto fut) {
    std::string state;
    if (fut.cancelled()) {
      state = "cancelled";
    } else if (fut.exception() != nullptr) {
      state = "exception " + exception_repr(fut.exception());
    } else {
      state = "result " + repr(fut.result());
    }
    out.push_back("cb " + label + ": " + state);
  };
}

detio::Task<void> task_part() {
  auto sp = detio::create_task(spinner("s", 8));
  auto t = detio::create_task(work("t", 1));
  t.add_done_callback(cb("t1"));
  auto w = detio::create_task(awaiter("w", t));
  co_await detio::sleep(0ms);
  t.add_done_callback(cb("t2"));
  auto r1 = t.add_done_callback(cb("r1"));
  t.add_done_callback(cb("t3"));
  out.push_back("remove r1 -> " + std::to_string(t.remove_done_callback(r1)));
  out.push_back("remove r1 again -> " + std::to_string(t.remove_done_callback(r1)));
  try {
    t.result();
  } catch (const detio::InvalidStateError&) {
    out.push_back("result of pending task: InvalidStateError");
  }
  std::string tr = co_await t;
  out.push_back("main awaits t -> " + repr(tr));
  t.add_done_callback(cb("late"));
  out.push_back("main added late callback");
  co_await detio::sleep(0ms);
  out.push_back("main after one yield");
  co_await w;

  detio::Future<std::string> chain;
  auto u = detio::create_task(work("u", 0, true));
  u.add_done_callback(cb("u1"));
  u.add_done_callback([chain](auto) mutable { chain.set_result(std::string("from callback")); });
  u.add_done_callback(cb("u2"));
  auto cw = detio::create_task(awaiter("cw", chain));
  auto v = detio::create_task(work("v", 3));
  v.add_done_callback(cb("v1"));
  co_await detio::sleep(0ms);
  v.cancel();
  out.push_back("main cancelled v");
  co_await cw;
  try {
    co_await v;
  } catch (const detio::CancelledError&) {
    out.push_back(std::string("v cancelled=") + py_bool(v.cancelled()));
  }
  out.push_back("u exception " + exception_repr(u.exception()));
  co_await sp;
}

detio::Task<void> future_part() {
  auto sp = detio::create_task(spinner("f", 6));
  detio::Future<int> f;
  f.add_done_callback(cb("f1"));
  auto fa = detio::create_task(awaiter("fa", f));
  auto fb = detio::create_task(awaiter("fb", f));
  try {
    f.result();
  } catch (const detio::InvalidStateError&) {
    out.push_back("result of pending future: InvalidStateError");
  }
  try {
    f.exception();
  } catch (const detio::InvalidStateError&) {
    out.push_back("exception of pending future: InvalidStateError");
  }
  co_await detio::sleep(0ms);
  f.add_done_callback(cb("f2"));
  f.set_result(42);
  out.push_back(std::string("main set_result 42, done=") + py_bool(f.done()));
  try {
    f.set_result(43);
  } catch (const detio::InvalidStateError&) {
    out.push_back("set_result twice: InvalidStateError");
  }
  try {
    f.set_exception(std::make_exception_ptr(std::invalid_argument("late")));
  } catch (const detio::InvalidStateError&) {
    out.push_back("set_exception after result: InvalidStateError");
  }
  {
    bool cancelled = f.cancel();
    out.push_back(std::string("cancel of done future -> ") + py_bool(cancelled) + ", result " + repr(f.result()));
  }
  co_await fa;
  co_await fb;

  detio::Future<int> g;
  g.add_done_callback(cb("g1"));
  auto ga = detio::create_task(awaiter("ga", g));
  co_await detio::sleep(0ms);
  g.set_exception(std::make_exception_ptr(std::invalid_argument("bad")));
  out.push_back("main set_exception");
  co_await ga;
  out.push_back("g exception " + exception_repr(g.exception()));

  detio::Future<int> c;
  auto c1 = c.add_done_callback(cb("c1"));
  c.add_done_callback(cb("c2"));
  out.push_back("remove c1 -> " + std::to_string(c.remove_done_callback(c1)));
  auto ca = detio::create_task(awaiter("ca", c));
  co_await detio::sleep(0ms);
  out.push_back(std::string("cancel -> ") + py_bool(c.cancel("bye")));
  out.push_back(std::string("cancel again -> ") + py_bool(c.cancel()));
  try {
    c.set_result(1);
  } catch (const detio::InvalidStateError&) {
    out.push_back("set_result after cancel: InvalidStateError");
  }
  try {
    co_await ca;
  } catch (const detio::CancelledError&) {
    out.push_back(std::string("ca cancelled=") + py_bool(ca.cancelled()));
  }
  try {
    c.exception();
  } catch (const detio::CancelledError&) {
    out.push_back("exception of cancelled future: CancelledError");
  }
  co_await sp;
}

detio::Task<void> amain() {
  co_await task_part();
  co_await future_part();
  for (const auto& line : out) std::printf("%s\n", line.c_str());
}

}  // namespace

int main() { detio::sim::run(amain()); }

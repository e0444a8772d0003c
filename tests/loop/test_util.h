// Small helpers shared by the core unit tests: an event log, virtual-time
// stamps, and a one-word description of how an await ended, so tests can
// compare outcomes as strings ("ok", "TimeoutError", "CancelledError(stop)").
#pragma once

#include <detio/detio.h>

#include <chrono>
#include <exception>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace detio_core_test {

using namespace std::chrono_literals;

// Declare logs outside detio::sim::run(...): tasks still running when main
// returns are cancelled by run() and may log while they unwind.
using Log = std::vector<std::string>;

// The running loop's virtual time in whole milliseconds.
inline long long ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(detio::now().time_since_epoch()).count();
}

// "text@<ms>": a log line stamped with the virtual time.
inline std::string at(const std::string& text) { return text + "@" + std::to_string(ms()); }

// "ok" for nullptr, else the error's type and message, e.g.
// "CancelledError(stop)", "TimeoutError", "runtime_error(boom)",
// "ExceptionGroup[runtime_error(a), ValueError(b)]".
inline std::string describe(std::exception_ptr e) {
  if (!e) return "ok";
  try {
    std::rethrow_exception(e);
  } catch (const detio::CancelledError& c) {
    return "CancelledError(" + c.message() + ")";
  } catch (const detio::ExceptionGroup& g) {
    std::string s = "ExceptionGroup[";
    for (std::size_t i = 0; i < g.exceptions().size(); ++i) {
      if (i) s += ", ";
      s += describe(g.exceptions()[i]);
    }
    return s + "]";
  } catch (const detio::TimeoutError&) {
    return "TimeoutError";
  } catch (const detio::InvalidStateError&) {
    return "InvalidStateError";
  } catch (const detio::ValueError& v) {
    return std::string("ValueError(") + v.what() + ")";
  } catch (const detio::RuntimeError&) {
    return "RuntimeError";
  } catch (const detio::Error& x) {
    return std::string("detio::Error(") + x.what() + ")";
  } catch (const std::runtime_error& r) {
    return std::string("runtime_error(") + r.what() + ")";
  } catch (const std::exception& x) {
    return std::string("exception(") + x.what() + ")";
  } catch (...) {
    return "unknown";
  }
}

// Runs `f()` (a plain call) and describes how it ended.
template <class F>
std::string outcome_of_call(F&& f) {
  try {
    std::forward<F>(f)();
    return "ok";
  } catch (...) {
    return describe(std::current_exception());
  }
}

// Awaits `a` (a Task, a TaskHandle, a Future...) and describes how it ended.
template <class Awaitable>
detio::Task<std::string> outcome(Awaitable a) {
  try {
    co_await std::move(a);
    co_return "ok";
  } catch (...) {
    co_return describe(std::current_exception());
  }
}

// Logs "<name>@start", sleeps `d`, logs "<name>@end" and returns `value`;
// logs "<name> cancelled(<msg>)@<ms>" and rethrows if cancelled.
template <class T = int>
detio::Task<T> sleeper(Log& log, std::string name, detio::Duration d, T value = T{}) {
  log.push_back(at(name + " start"));
  try {
    co_await detio::sleep(d);
  } catch (const detio::CancelledError& e) {
    log.push_back(at(name + " cancelled(" + e.message() + ")"));
    throw;
  }
  log.push_back(at(name + " end"));
  co_return value;
}

// Sleeps `d`, logs "<name> raising@<ms>" and throws std::runtime_error(name).
inline detio::Task<int> failer(Log& log, std::string name, detio::Duration d) {
  co_await detio::sleep(d);
  log.push_back(at(name + " raising"));
  throw std::runtime_error(name);
}

// Logs "tick<i>" and yields with sleep(0), n times: marks loop iterations.
inline detio::Task<void> ticker(Log& log, int n) {
  for (int i = 0; i < n; ++i) {
    log.push_back("tick" + std::to_string(i));
    co_await detio::sleep(0ms);
  }
}

}  // namespace detio_core_test

// How an await or a call ended, as one short string, for tests that compare
// outcomes across backends: "ok", "CancelledError(msg)", "TimeoutError",
// "ConnectionResetError", "IncompleteReadError(3/5)", "runtime_error(boom)".
#pragma once

#include <detio/detio.h>

#include <exception>
#include <stdexcept>
#include <string>
#include <utility>

namespace detio_test {

inline std::string describe_error(std::exception_ptr e) {
  if (!e) return "ok";
  try {
    std::rethrow_exception(e);
  } catch (const detio::CancelledError& c) {
    return "CancelledError(" + c.message() + ")";
  } catch (const detio::TimeoutError&) {
    return "TimeoutError";
  } catch (const detio::ConnectionRefusedError&) {
    return "ConnectionRefusedError";
  } catch (const detio::ConnectionResetError&) {
    return "ConnectionResetError";
  } catch (const detio::BrokenPipeError&) {
    return "BrokenPipeError";
  } catch (const detio::ConnectionError&) {
    return "ConnectionError";
  } catch (const detio::IncompleteReadError& i) {
    return "IncompleteReadError(" + std::to_string(i.partial.size()) + "/" +
           (i.expected ? std::to_string(*i.expected) : std::string("-")) + ")";
  } catch (const detio::LimitOverrunError&) {
    return "LimitOverrunError";
  } catch (const detio::OSError&) {
    return "OSError";
  } catch (const detio::RuntimeError&) {
    return "RuntimeError";
  } catch (const detio::ValueError&) {
    return "ValueError";
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

// Awaits `a` (a Task, a TaskHandle, ...) and describes how it ended.
template <class Awaitable>
detio::Task<std::string> outcome_of(Awaitable a) {
  try {
    co_await std::move(a);
    co_return "ok";
  } catch (...) {
    co_return describe_error(std::current_exception());
  }
}

// Calls f() and describes how it ended.
template <class F>
std::string outcome_of_call(F&& f) {
  try {
    std::forward<F>(f)();
    return "ok";
  } catch (...) {
    return describe_error(std::current_exception());
  }
}

}  // namespace detio_test

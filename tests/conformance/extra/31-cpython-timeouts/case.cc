// Behaviours from CPython's test_timeouts.py (see case.py), on detio. A
// detio::Timeout lives as long as its body, so what case.py reads from the
// context manager after the scope is read here at the body's end instead.
#include <detio/detio.h>

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>

using namespace std::chrono_literals;
using detio::Task;
using detio::Timeout;

const char* py(bool b) { return b ? "True" : "False"; }

struct KeyError : detio::Error {
  KeyError() : detio::Error("k") {}
};

Task<void> amain() {
  bool expired = false;
  auto sleep_long = [&](Timeout& t) -> Task<void> {
    try {
      co_await detio::sleep(10s);
    } catch (const detio::CancelledError&) {
      expired = t.expired();
      throw;
    }
  };
  try {
    co_await detio::timeout(std::optional<detio::Duration>(10ms), sleep_long);
  } catch (const detio::TimeoutError&) {
    std::printf("timeout_basic: TimeoutError, expired=%s\n", py(expired));
  }

  const detio::TimePoint deadline = detio::now() + 10ms;
  bool when_is_deadline = false;
  auto check_when = [&](Timeout& t) -> Task<void> {
    when_is_deadline = t.when() == deadline;
    co_await detio::sleep(10s);
  };
  try {
    co_await detio::timeout_at(std::optional<detio::TimePoint>(deadline), check_when);
  } catch (const detio::TimeoutError&) {
    std::printf("timeout_at_basic: TimeoutError, when is deadline=%s\n", py(when_is_deadline));
  }

  const char* inner_saw = "nothing";
  bool inner_expired = false;
  bool outer_expired = false;
  const detio::TimePoint shared_deadline = detio::now() + 10ms;
  auto outer_body = [&](Timeout& outer) -> Task<void> {
    auto inner_body = [&](Timeout& inner) -> Task<void> {
      try {
        co_await detio::sleep(10s);
      } catch (const detio::CancelledError&) {
        inner_expired = inner.expired();
        throw;
      }
    };
    try {
      co_await detio::timeout_at(std::optional<detio::TimePoint>(shared_deadline), inner_body);
    } catch (const detio::CancelledError&) {
      inner_saw = "CancelledError";
      outer_expired = outer.expired();
      throw;
    }
  };
  try {
    co_await detio::timeout_at(std::optional<detio::TimePoint>(shared_deadline), outer_body);
  } catch (const detio::TimeoutError&) {
    std::printf("nested_timeouts: inner saw %s, outer raised TimeoutError, expired %s %s\n", inner_saw,
                py(outer_expired), py(inner_expired));
  }

  bool in_future = false;
  auto in_time = [&](Timeout& t) -> Task<void> {
    co_await detio::sleep(10ms);
    expired = t.expired();
    in_future = t.when() > detio::now();
  };
  co_await detio::timeout(std::optional<detio::Duration>(10s), in_time);
  std::printf("timeout_not_called: expired=%s when in the future=%s\n", py(expired), py(in_future));

  bool no_deadline = false;
  auto disabled = [&](Timeout& t) -> Task<void> {
    co_await detio::sleep(10ms);
    expired = t.expired();
    no_deadline = !t.when();
  };
  co_await detio::timeout(std::optional<detio::Duration>(), disabled);
  std::printf("timeout_disabled: expired=%s when=%s\n", py(expired), no_deadline ? "None" : "?");

  struct Variant {
    const char* label;
    detio::Duration delay;
    detio::Duration sleep;
  };
  static const Variant variants[] = {{"timeout_zero", 0s, 10s},
                                     {"timeout_zero_sleep_zero", 0s, 0s},
                                     {"timeout_in_the_past_sleep_zero", -11s, 0s}};
  for (const Variant& v : variants) {
    auto body = [&](Timeout& t) -> Task<void> {
      try {
        co_await detio::sleep(v.sleep);
      } catch (const detio::CancelledError&) {
        expired = t.expired();
        throw;
      }
    };
    try {
      co_await detio::timeout(std::optional<detio::Duration>(v.delay), body);
      std::printf("%s: no timeout\n", v.label);
    } catch (const detio::TimeoutError&) {
      std::printf("%s: TimeoutError, expired=%s\n", v.label, py(expired));
    }
  }

  auto foreign = [&](Timeout& t) -> Task<void> {
    expired = t.expired();
    throw KeyError();
    co_return;
  };
  try {
    co_await detio::timeout(std::optional<detio::Duration>(10ms), foreign);
  } catch (const KeyError&) {
    std::printf("foreign_exception_passed: KeyError, expired=%s\n", py(expired));
  }

  auto self_cancel = [&]() -> Task<void> {
    auto body = [&](Timeout& t) -> Task<void> {
      detio::current_task().cancel();
      try {
        co_await detio::sleep(10s);
      } catch (...) {
        std::printf("foreign_cancel_doesnt_timeout_if_not_expired: expired=%s\n", py(t.expired()));
        throw;
      }
    };
    co_await detio::timeout(std::optional<detio::Duration>(10s), body);
  };
  try {
    co_await detio::create_task(self_cancel());
  } catch (const detio::CancelledError&) {
    std::printf("foreign_cancel_doesnt_timeout_if_not_expired: CancelledError\n");
  }

  auto outer = []() -> Task<std::string> {
    try {
      co_await detio::timeout(1ms, detio::sleep(10s));
    } catch (const detio::TimeoutError&) {
      co_return "timed out inside";
    }
    co_return "not reached";
  };
  auto task = detio::create_task(outer());
  const std::string outer_result = co_await task;
  std::printf("outer_task_is_not_cancelled: '%s' cancelled=%s\n", outer_result.c_str(), py(task.cancelled()));

  auto with_cleanup = []() -> Task<void> {
    std::exception_ptr error;
    try {
      co_await detio::sleep(1s);
    } catch (...) {
      error = std::current_exception();
    }
    // finally:
    try {
      co_await detio::timeout(10ms, detio::sleep(10s));
    } catch (const detio::TimeoutError&) {
      std::printf("nested_timeout_in_finally: inner TimeoutError\n");
    }
    if (error) std::rethrow_exception(error);
  };
  try {
    co_await detio::timeout(10ms, with_cleanup());
  } catch (const detio::TimeoutError&) {
    std::printf("nested_timeout_in_finally: outer TimeoutError\n");
  }

  auto cleanup_after_cancel = []() -> Task<void> {
    try {
      detio::current_task().cancel();
      co_await detio::sleep(1s);
    } catch (const detio::CancelledError&) {
    }
    try {
      co_await detio::timeout(0ms, detio::sleep(1s));
    } catch (const detio::TimeoutError&) {
      std::printf("timeout_after_cancellation: TimeoutError in cleanup\n");
    }
  };
  co_await detio::create_task(cleanup_after_cancel());

  auto cancel_in_cleanup = []() -> Task<void> {
    try {
      detio::current_task().cancel();
      co_await detio::sleep(1s);
    } catch (const detio::CancelledError&) {
    }
    auto body = []() -> Task<void> {
      detio::current_task().cancel();
      co_await detio::sleep(2s);
    };
    try {
      co_await detio::timeout(1s, body());
    } catch (const detio::CancelledError&) {
      std::printf("cancel_in_timeout_after_cancellation: CancelledError in cleanup\n");
      throw;
    }
  };
  try {
    co_await detio::create_task(cancel_in_cleanup());
  } catch (const detio::CancelledError&) {
    std::printf("cancel_in_timeout_after_cancellation: the task ended cancelled\n");
  }
}

int main() { detio::sim::run(amain()); }

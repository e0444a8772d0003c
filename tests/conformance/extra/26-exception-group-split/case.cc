#include <detio/detio.h>

#include <chrono>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>

using namespace std::chrono_literals;
using detio::ExceptionGroup;
using detio::Task;

// Python's built-in exceptions this case uses, declared as a user would.
struct LookupError : detio::Error {
  using detio::Error::Error;
};
struct KeyError : LookupError {
  using LookupError::LookupError;
};
struct TypeError : detio::Error {
  using detio::Error::Error;
};

template <class E>
Task<void> fail(E exc, detio::Duration delay) {
  co_await detio::sleep(delay);
  throw exc;
}

template <class E>
Task<void> fail_when_cancelled(E exc) {
  try {
    co_await detio::sleep(10s);
  } catch (const detio::CancelledError&) {
    throw exc;
  }
}

Task<void> inner_group() {
  auto body = [](detio::TaskGroup& tg) -> Task<void> {
    tg.create_task(fail(KeyError("k"), 10ms));
    tg.create_task(fail_when_cancelled(TypeError("t1")));
    co_return;
  };
  co_await detio::task_group(body);
}

std::string describe_leaf(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const KeyError& k) {
    return std::string("KeyError(") + k.what() + ")";
  } catch (const TypeError& t) {
    return std::string("TypeError(") + t.what() + ")";
  } catch (const detio::ValueError& v) {
    return std::string("ValueError(") + v.what() + ")";
  }
}

std::string describe(const std::optional<ExceptionGroup>& eg);

std::string describe(const ExceptionGroup& eg) {
  std::string parts;
  for (const std::exception_ptr& e : eg.exceptions()) {
    if (!parts.empty()) parts += ", ";
    try {
      std::rethrow_exception(e);
    } catch (const ExceptionGroup& nested) {
      parts += describe(nested);
    } catch (...) {
      parts += describe_leaf(e);
    }
  }
  return "[" + eg.message() + ": " + parts + "]";
}

std::string describe(const std::optional<ExceptionGroup>& eg) { return eg ? describe(*eg) : "None"; }

void show_split(const char* label, const ExceptionGroup::Split& parts) {
  std::printf("%s: %s | %s\n", label, describe(parts.match).c_str(), describe(parts.rest).c_str());
}

Task<void> amain() {
  auto body = [](detio::TaskGroup& tg) -> Task<void> {
    tg.create_task(inner_group());
    tg.create_task(fail_when_cancelled(detio::ValueError("v1")));
    co_return;
  };
  try {
    co_await detio::task_group(body);
  } catch (const ExceptionGroup& eg) {
    std::printf("caught: %s\n", eg.what());
    std::printf("whole: %s\n", describe(eg).c_str());
    show_split("split(ValueError)", eg.split<detio::ValueError>());
    show_split("split(KeyError)", eg.split<KeyError>());
    show_split("split((KeyError, TypeError))", eg.split<KeyError, TypeError>());
    show_split("split(ExceptionGroup)", eg.split<ExceptionGroup>());
    show_split("split(Exception)", eg.split<detio::Error>());
    std::printf("subgroup(LookupError): %s\n", describe(eg.subgroup<LookupError>()).c_str());
    std::printf("subgroup(OSError): %s\n", describe(eg.subgroup<detio::OSError>()).c_str());
    auto is_t1 = [](const std::exception_ptr& e) {
      try {
        std::rethrow_exception(e);
      } catch (const TypeError& t) {
        return std::string(t.what()) == "t1";
      } catch (...) {
        return false;
      }
    };
    std::printf("subgroup(t1 by predicate): %s\n", describe(eg.subgroup(is_t1)).c_str());
  }

  ExceptionGroup manual("by hand", {std::make_exception_ptr(detio::ValueError("a")),
                                    std::make_exception_ptr(ExceptionGroup(
                                        "inner", {std::make_exception_ptr(TypeError("b"))}))});
  std::printf("manual: %s\n", manual.what());
  show_split("manual split(TypeError)", manual.split<TypeError>());
  // `except* TypeError` then `except* ValueError`: each takes its part.
  auto [type_errors, others] = manual.split<TypeError>();
  if (type_errors) std::printf("except* TypeError: %s\n", describe(type_errors).c_str());
  if (others) {
    if (auto value_errors = others->subgroup<detio::ValueError>()) {
      std::printf("except* ValueError: %s\n", describe(value_errors).c_str());
    }
  }
}

int main() { detio::sim::run(amain()); }

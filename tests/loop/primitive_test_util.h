// Helpers shared by the synchronisation-primitive tests: spawning lambdas
// as tasks (keeping their captures alive), running a body under the
// simulator, and reading the virtual clock in milliseconds.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "detio/detio.h"

namespace primitive_test {

// Runs `f()` while keeping the lambda (and its captures) alive.
template <class F>
auto call(F f) -> decltype(f()) {
  co_return co_await f();
}
template <class F>
auto spawn(F f, std::string name = "") {
  return detio::create_task(call(std::move(f)), std::move(name));
}
template <class F>
void run(F body, std::uint64_t seed = 0) {
  detio::sim::run(call(std::move(body)), {.seed = seed});
}
inline long long ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(detio::now().time_since_epoch()).count();
}
using Log = std::vector<std::string>;

// Counts itself in `n` while alive (also when unwound by a cancel).
struct Occupant {
  explicit Occupant(int& n) : count(n) { ++count; }
  Occupant(const Occupant&) = delete;
  ~Occupant() { --count; }
  int& count;
};

// Acquires `primitive` (a Lock or a Semaphore), logs "name@ms", holds it
// for `hold`, releases.
template <class Primitive>
detio::Task<void> hold_for(Primitive& primitive, Log& log, std::string name, detio::Duration hold) {
  co_await primitive.acquire();
  log.push_back(name + "@" + std::to_string(ms()));
  co_await detio::sleep(hold);
  primitive.release();
}

}  // namespace primitive_test

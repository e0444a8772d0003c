// Uses detio as an outside project would: one header, one target.
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include <detio/detio.h>

using namespace std::chrono_literals;

namespace {

detio::Task<int> worker(int id, detio::Duration nap) {
  co_await detio::sleep(nap);
  co_return id * 10;
}

detio::Task<long> main_task() {
  auto a = detio::create_task(worker(1, 30ms), "a");
  auto b = detio::create_task(worker(2, 10ms), "b");
  int sum = co_await a + co_await b;
  bool timed_out = false;
  try {
    co_await detio::wait_for(worker(3, 1s), 50ms);
  } catch (const detio::TimeoutError&) {
    timed_out = true;
  }
  if (sum != 30 || !timed_out) co_return -1;
  co_return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                  detio::now().time_since_epoch())
                                  .count());
}

}  // namespace

int main() {
  long virtual_ms = detio::sim::run(main_task(), {.seed = 42});
  // 30ms for the two workers, then the 50ms timeout: 80ms of virtual time.
  std::printf("consumer: virtual time %ldms\n", virtual_ms);
  if (virtual_ms != 80) {
    std::fprintf(stderr, "consumer: expected 80ms of virtual time\n");
    return EXIT_FAILURE;
  }
  return EXIT_SUCCESS;
}
